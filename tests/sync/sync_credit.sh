# Member credit (potong gaji) end to end, over HTTPS on loopback: HQ holds
# the members' limits (an amount, or a share of the salary); the tills
# pull them; sales on credit and a return of one are pushed and folded
# into HQ's credit ledger, whose balance equals the tills'; two terminals
# of two stores, offline, take a member over her limit: one
# credit_over_limit alert naming both stores. The payroll list for
# September, a short deduction imported (twice: once counted), the list
# imported back as it is (round trip), and the
# October statement against a hand-computed golden file.
# Statement months end on the 25th (the default cut-off): October is
# 2026-09-26 .. 2026-10-25; September's deduction is booked on 2026-09-26.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"
export TZ=Asia/Jakarta
SEP10=1789009200 OCT05=1791169200 OCT07=1791342000
export COOPMART_FAKE_TIME=$SEP10

hq_start
hq dues rate set biasa wajib 2026-01 25000
[ "$RC" -eq 0 ] || fail "rate: $ERR"

# --- unhappy paths of the import and the settings first.
cat >"$T/bad.csv" <<'CSV'
number,name,card_code,status,type,join_date,employer,department,employee_no,credit_limit,salary
A-0001,Sari Lestari,M000001,active,biasa,2026-01-05,PT Tekstil Jaya,Tenun,K-1001,lima ratus,
CSV
hq import members "$T/bad.csv"
expect_rc 3
expect_err "credit_limit"
hq credit setting share 150
expect_rc 3
hq credit limit set A-0001 300000
expect_rc 2

# Sari: a limit of Rp500.000; Budi: 10% of a salary of Rp4.000.000.
cat >"$T/members.csv" <<'CSV'
number,name,card_code,status,type,join_date,employer,department,employee_no,credit_limit,salary
A-0001,Sari Lestari,M000001,active,biasa,2026-01-05,PT Tekstil Jaya,Tenun,K-1001,500000,3000000
A-0002,Budi Santoso,M000002,active,biasa,2026-01-05,PT Tekstil Jaya,Gudang,K-1002,,4000000
CSV
hq import members "$T/members.csv"
[ "$RC" -eq 0 ] || fail "members: $ERR"
limits() { sql "$HQDB" "SELECT number || ':' || credit_limit FROM members ORDER BY number" | tr '\n' ' '; }
expect_eq "limits before the share" "A-0001:500000 A-0002:0 " "$(limits)"
hq credit setting share 10
expect_rc 0
expect_eq "limits with a share of 10%" "A-0001:500000 A-0002:400000 " "$(limits)"
V0=$(sql "$HQDB" "SELECT version FROM members WHERE number = 'A-0001'")
hq credit limit set A-0001 300000
expect_rc 0
expect_out "300"
expect_eq "Sari's limit" "A-0001:300000 A-0002:400000 " "$(limits)"
V1=$(sql "$HQDB" "SELECT version FROM members WHERE number = 'A-0001'")
[ "$V1" -gt "$V0" ] || fail "a limit change did not give the member a new version ($V0 -> $V1)"
hq credit limit set A-0001 lots
expect_rc 3

new_terminal KMB-SMG K01
new_terminal KMB-SLO K02
for term in K01 K02; do
	agent "$term" once
	expect_rc 0
done
till_credit() { sql "$T/$1.db" "SELECT credit_limit || '|' || credit_balance FROM members WHERE number = '$2'"; }
expect_eq "K01 holds Sari's limit" "300000|0" "$(till_credit K01 A-0001)"
expect_eq "K02 holds Budi's limit" "400000|0" "$(till_credit K02 A-0002)"

# --- September 10th: two rice bags (member price 76.000) for Sari, one
# for Budi, on credit at K01.
sell K01 1 @M000001 BRS-PRM-5 BRS-PRM-5 =credit:all
sell K01 1 @M000002 BRS-PRM-5 =credit:all
agent K01 once
expect_rc 0
hq_balance() { sql "$HQDB" "SELECT credit_balance FROM members WHERE number = '$1'"; }
expect_eq "HQ: Sari owes" 152000 "$(hq_balance A-0001)"
expect_eq "HQ: Budi owes" 76000 "$(hq_balance A-0002)"

# --- the payroll list for September.
hq payroll export --employer "PT Tekstil Jaya" --period 2026-09 --csv
expect_rc 0
expect_eq "payroll export" "employee_no;member;name;department;period;wajib;credit;total
K-1001;A-0001;Sari Lestari;Tenun;2026-09;225000;152000;377000
K-1002;A-0002;Budi Santoso;Gudang;2026-09;225000;76000;301000" "$OUT"
hq payroll export --employer "PT Nowhere" --period 2026-09
expect_rc 2
hq payroll export --employer "PT Tekstil Jaya" --period 2026-13
expect_rc 3

# Payroll deducted Sari's wajib in full and only Rp100.000 of her credit;
# Budi is missing from the file. A line for an unknown member refuses it.
printf 'employee_no,period,wajib,credit\nK-9999,2026-09,1,1\n' >"$T/unknown.csv"
hq payroll import "$T/unknown.csv"
expect_rc 3
expect_err "K-9999"
cat >"$T/deducted.csv" <<'CSV'
employee_no,period,wajib,credit
K-1001,2026-09,225000,100000
CSV
hq payroll import "$T/deducted.csv"
expect_rc 0
expect_out "1 deduction(s) applied, 0 imported already"
expect_out "SHORT A-0001 Sari Lestari 2026-09"
expect_out "MISSING A-0002 Budi Santoso 2026-09"
ledgers() { sql "$HQDB" "SELECT (SELECT count(*) || '/' || COALESCE(sum(amount), 0) FROM credit_ledger) || ' ' || (SELECT count(*) || '/' || COALESCE(sum(amount), 0) FROM dues_ledger)"; }
BEFORE=$(ledgers)
expect_eq "after the deduction" "3/328000 9/225000" "$BEFORE"
hq payroll import "$T/deducted.csv"
expect_rc 0
expect_out "0 deduction(s) applied, 1 imported already"
expect_eq "importing twice changes nothing" "$BEFORE" "$(ledgers)"
expect_eq "Sari's wajib is paid through September" 0 \
	"$(sql "$HQDB" "SELECT count(*) FROM dues_ledger WHERE member_no = 'A-0001' AND counted = 0")"
hq payroll export --employer "PT Tekstil Jaya" --period 2026-09 --csv
expect_out "K-1001;A-0001;Sari Lestari;Tenun;2026-09;0;52000;52000"
expect_eq "HQ: Sari owes after the deduction" 52000 "$(hq_balance A-0001)"

# The round trip: the exported list, imported as it is (the payroll office
# deducted all of it): Sari's line was imported already, Budi's is paid in
# full; nobody is short or missing.
printf '%s\n' "$OUT" >"$T/export.csv"
hq payroll import "$T/export.csv"
expect_rc 0
expect_out "1 deduction(s) applied, 1 imported already"
grep -E "SHORT|MISSING" <<<"$OUT" >/dev/null && fail "a full deduction listed as short: $OUT"
expect_eq "HQ: Budi owes nothing" 0 "$(hq_balance A-0002)"
hq payroll export --employer "PT Tekstil Jaya" --period 2026-09 --csv
expect_out "K-1002;A-0002;Budi Santoso;Gudang;2026-09;0;0;0"

# --- October 5th, both tills pull, then sell offline: each sees Sari
# within her limit (52.000 + 152.000 <= 300.000), together she is over.
export COOPMART_FAKE_TIME=$OCT05
for term in K01 K02; do
	agent "$term" once
	expect_rc 0
	expect_eq "$term sees Sari's balance" "300000|52000" "$(till_credit "$term" A-0001)"
done
sell K01 1 @M000001 BRS-PRM-5 BRS-PRM-5 =credit:all
sell K02 1 @M000001 BRS-PRM-5 BRS-PRM-5 =credit:all
agent K01 once
expect_rc 0
expect_eq "no alert yet" 0 "$(alerts_of_kind credit_over_limit)"
agent K02 once
expect_rc 0
expect_eq "one credit_over_limit alert" 1 "$(alerts_of_kind credit_over_limit)"
hq alerts
expect_out "credit_over_limit"
expect_out "A-0001"
expect_out "356000"
expect_out "KMB-SLO"
expect_out "KMB-SMG"

# --- October 7th: K01 takes one bag of its October sale back: the refund
# goes back to Sari's account.
export COOPMART_FAKE_TIME=$OCT07
R1=$(sql "$T/K01.db" "SELECT receipt_no FROM sales ORDER BY id DESC LIMIT 1")
R2=$(sql "$T/K02.db" "SELECT receipt_no FROM sales ORDER BY id DESC LIMIT 1")
LINE=$(sql "$T/K01.db" "SELECT l.line_no FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.receipt_no = '$R1' LIMIT 1")
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$T/K01.db" --user 1 return "$R1" \
	--line "$LINE:1" --reason unwanted >"$T/ret.out" 2>&1 || fail "return: $(cat "$T/ret.out")"
RET=$(sql "$T/K01.db" "SELECT return_no FROM returns ORDER BY id DESC LIMIT 1")
for term in K01 K02; do
	agent "$term" once
	expect_rc 0
done
expect_eq "HQ: Sari owes" 280000 "$(hq_balance A-0001)"

# HQ's balance equals the terminals': what the tills charged less what
# they credited back, less payroll; and each till holds HQ's balance.
till_net() { sql "$T/$1.db" "SELECT (SELECT COALESCE(sum(t.amount), 0) FROM sale_tenders t WHERE t.kind = 3) - (SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t WHERE t.kind = 3)"; }
TILLS=$(( $(till_net K01) + $(till_net K02) ))
expect_eq "HQ's till credit equals the tills'" "$TILLS" \
	"$(sql "$HQDB" "SELECT sum(CASE WHEN kind = 'charge' THEN amount ELSE -amount END) FROM credit_ledger WHERE kind <> 'payment'")"
expect_eq "HQ's balances equal the ledger" "$(( TILLS - 100000 - 76000 ))" \
	"$(sql "$HQDB" "SELECT sum(credit_balance) FROM members")"
for term in K01 K02; do
	expect_eq "$term holds HQ's balance" "300000|280000" "$(till_credit "$term" A-0001)"
done

# --- the October statement, hand-computed: opening 152.000 (September's
# bags), the deduction of 100.000, two charges of 152.000, one bag of
# 76.000 credited back: closing and due 280.000.
hq credit statement A-0001 --period 2026-10 --csv
expect_rc 0
cat >"$T/golden.csv" <<CSV
date;kind;store;receipt;amount;balance
2026-09-26;opening;;;152000;152000
2026-09-26;payment;HQ;2026-09;-100000;52000
2026-10-05;charge;KMB-SMG;$R1;152000;204000
2026-10-05;charge;KMB-SLO;$R2;152000;356000
2026-10-07;refund;KMB-SMG;$RET;-76000;280000
2026-10-25;charges;;;304000;
2026-10-25;refunds;;;-76000;
2026-10-25;payments;;;-100000;
2026-10-25;closing;;;280000;280000
2026-10-25;due;;;280000;280000
CSV
expect_eq "statement golden" "$(cat "$T/golden.csv")" "$OUT"
hq credit statement A-0001 --period 2026-10
expect_rc 0
expect_out "280.000"
hq credit statement A-9999 --period 2026-10
expect_rc 2
hq credit statement A-0001 --period oktober
expect_rc 3

# The sales report shows credit as its own tender.
hq report --from 2026-10-05 --to 2026-10-05 --json
expect_rc 0
expect_eq "credit tender in HQ's report" 304000 "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
days = d["days"] if isinstance(d, dict) and "days" in d else d
print(sum(x["tenders"].get("credit", 0) for x in days))')"

for term in K01 K02; do
	"$COOPMART" --db "$T/$term.db" journal verify >/dev/null 2>&1 || fail "journal verify $term"
done
done_ok
