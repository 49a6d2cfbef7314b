# Members' dues end to end, over HTTPS on loopback: HQ holds the members,
# the schedule and a payroll deduction; both terminals pull the members and
# show HQ's standing; offline, both take the same month from the same
# member (and K01 her pokok, K02 some sukarela); both push: HQ's ledger
# holds every rupiah the tills took, counts the month once and raises one
# dues_duplicate alert; after the next pull the till's standing equals
# HQ's arrears to the rupiah. HQ's month and the tills' clocks are
# 2026-09-15 (COOPMART_FAKE_TIME).
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400 TZ=Asia/Jakarta

STORE=KMB-SMG
hq_start
hq dues rate set biasa pokok 2020-01 100000
[ "$RC" -eq 0 ] || fail "rate: $ERR"
hq dues rate set biasa wajib 2026-01 25000
hq dues rate set biasa wajib 2026-07 30000
[ "$RC" -eq 0 ] || fail "rate: $ERR"
cat >"$T/members.csv" <<'CSV'
number,name,card_code,status,type,join_date,left_date,employer,department,employee_no,store
A-0001,Sari Lestari,M000001,active,biasa,2026-03-10,,PT Tekstil Jaya,Tenun,K-1001,
A-0002,Budi Santoso,M000002,active,biasa,2026-01-05,,PT Tekstil Jaya,Gudang,K-1002,
CSV
hq import members "$T/members.csv"
[ "$RC" -eq 0 ] || fail "members: $ERR"
# Payroll paid Sari's March to May.
cat >"$T/payroll.csv" <<'CSV'
member,kind,period,amount,date
A-0001,wajib,2026-03,25000,2026-03-25
A-0001,wajib,2026-04,25000,2026-04-25
A-0001,wajib,2026-05,25000,2026-05-25
CSV
hq import dues-payroll "$T/payroll.csv"
[ "$RC" -eq 0 ] || fail "payroll: $ERR"

new_terminal "$STORE" K01
new_terminal "$STORE" K02

# member_figure TERM NUMBER: "months|arrears|pokok|sukarela" of `coopmart
# member show` (what the till's panel shows).
member_figure() {
	local out
	out=$(COOPMART_LANG=en "$COOPMART" --db "$T/$1.db" member show "$2") ||
		fail "member show $2 on $1"
	python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
def rp(s): return int(re.sub(r'[^0-9]', '', s))
m = re.search(r'arrears: (\d+) month\(s\), (Rp[0-9.]+)', t)
p = re.search(r'pokok owed: (Rp[0-9.]+)', t)
s = re.search(r'sukarela: (Rp[0-9.]+)', t)
print(f"{m.group(1)}|{rp(m.group(2))}|{rp(p.group(1))}|{rp(s.group(1))}")
PY
}
# hq_figure NUMBER: the same four figures from HQ's arrears CSV and the
# member's statement.
hq_figure() {
	hq dues arrears --csv
	[ "$RC" -eq 0 ] || fail "arrears: $ERR"
	local arrears=$OUT
	hq member statement "$1" --csv
	[ "$RC" -eq 0 ] || fail "statement: $ERR"
	python3 - "$arrears" "$1" <<'PY'
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1]), delimiter=';'))
r = [x for x in rows if x['number'] == sys.argv[2]]
if not r:
    print("0|0|0|?")
else:
    r = r[0]
    print(f"{r['months']}|{r['wajib']}|{r['pokok']}|?")
PY
}

# --- the first sync: both tills hold HQ's standing.
for term in K01 K02; do
	agent "$term" once
	expect_rc 0
done
# Sari owes June (25.000), July to September (30.000 each) and her pokok.
expect_eq "K01 sees Sari's standing" "4|115000|100000|0" "$(member_figure K01 M000001)"
expect_eq "K02 sees Sari's standing" "4|115000|100000|0" "$(member_figure K02 A-0001)"
expect_eq "HQ's arrears for Sari" "4|115000|100000|?" "$(hq_figure A-0001)"
expect_eq "HQ month on the till" 202609 "$(sql "$T/K01.db" "SELECT dues_month FROM members WHERE number = 'A-0001'")"

# --- offline, both take June: K01 two months and the pokok with noodles,
# K02 one month and Rp20.000 sukarela with rice.
sell K01 1 @M000001 +wajib:2 +pokok MIE-GRG
sell K02 1 @M000001 +wajib:1 +sukarela:20000 BRS-PRM-5
expect_eq "K01 sees its own payment" "2|60000|0|0" "$(member_figure K01 M000001)"
expect_eq "K02 sees its own payment" "3|90000|100000|20000" "$(member_figure K02 M000001)"

# --- both push (and pull).
agent K01 once
expect_rc 0
agent K02 once
expect_rc 0
till_sum=$(( $(sql "$T/K01.db" "SELECT COALESCE(sum(amount), 0) FROM sale_dues") +
             $(sql "$T/K02.db" "SELECT COALESCE(sum(amount), 0) FROM sale_dues") ))
expect_eq "what the tills took" 200000 "$till_sum"
expect_eq "HQ's ledger holds every rupiah the tills took" "$till_sum" \
	"$(sql "$HQDB" "SELECT sum(amount) FROM dues_ledger WHERE channel = 'till'")"
expect_eq "June counted once" "2|1" \
	"$(sql "$HQDB" "SELECT count(*) || '|' || sum(counted) FROM dues_ledger WHERE member_no = 'A-0001' AND month = 202606 AND channel = 'till'")"
expect_eq "one dues_duplicate alert" 1 "$(alerts_of_kind dues_duplicate)"
hq alerts
expect_out "A-0001"

# HQ's sales report: the dues in the tenders and `due`, never in the sales.
hq report --json
[ "$RC" -eq 0 ] || fail "report: $ERR"
expect_eq "HQ report: dues apart from the sales" "200000|0" "$(python3 -c '
import json, sys
days = json.loads(sys.argv[1])["days"]
dues = sum(d["dues"] for d in days)
bad = sum(d["net"] - (d["due"] - d["dues"] - d["refunds"]) for d in days)
print(f"{dues}|{bad}")' "$OUT")"

# --- the next pull: each till's standing is HQ's, to the rupiah.
for term in K01 K02; do
	agent "$term" once
	expect_rc 0
done
# Counted at HQ: June (K01), July (K01), pokok (K01), sukarela 20.000 (K02);
# K02's June is the duplicate. Owed: August and September.
expect_eq "HQ's arrears after the pushes" "2|60000|0|?" "$(hq_figure A-0001)"
expect_eq "K01 after the pull" "2|60000|0|20000" "$(member_figure K01 M000001)"
expect_eq "K02 after the pull" "2|60000|0|20000" "$(member_figure K02 M000001)"
# K02's standing counts its own sale (HQ said so with acked_seq): the
# till adds nothing of its own on top.
expect_eq "K02's sale is inside HQ's standing" 1 \
	"$(sql "$T/K02.db" "SELECT (SELECT max(journal_seq) FROM sales) <= dues_seq FROM members WHERE number = 'A-0001'")"

# journal verify on both tills.
for term in K01 K02; do
	"$COOPMART" --db "$T/$term.db" journal verify >/dev/null 2>&1 || fail "journal verify $term"
done
done_ok
