# coopmart-hq: members' savings (simpanan). The strict members import
# (each bad case refused by line, nothing imported), the dues schedule by
# command and file, payroll deductions imported twice, sales with dues
# pushed by two terminals (the same month paid twice: one counted, one
# alert; an unknown member; a malformed row; concurrent pushes), the
# members pull carrying each member's standing, and the arrears and
# statement reports against hand-computed figures. HQ's month is fixed:
# COOPMART_FAKE_TIME is 2026-09-15 12:00 in Asia/Jakarta.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400

members_count() { sql "$HQDB" "SELECT count(*) FROM members"; }
members_version() { sql "$HQDB" "SELECT value FROM versions WHERE name = 'members'"; }
ledger() { sql "$HQDB" "SELECT kind, month, amount, terminal, receipt, counted FROM dues_ledger WHERE member_no = '$1' ORDER BY id"; }

hq enroll --store KMB-SMG --terminal K01
TOK=$OUT
hq enroll --store KMB-SMG --terminal K02
TOK2=$OUT
hq enroll --store KMB-SLO --terminal K01
expect_rc 0

# --- the schedule: by command, listed, by file (a bad row refuses it).
hq dues rate set biasa pokok 2020-01 100.000
expect_rc 0
hq dues rate set biasa wajib 2026-01 25000
expect_rc 0
hq dues rate set biasa sukarela 2026-01 5000
expect_rc 3
hq dues rate set biasa wajib 2026-13 5000
expect_rc 3
printf 'type,kind,from,amount\nbiasa,wajib,2026-07,30.000\nkaryawan,wajib,2026-01,50000\nkaryawan,wajib,2026-01,60000\n' >"$T/rates-dup.csv"
hq import dues-rates "$T/rates-dup.csv"
expect_rc 3
expect_err "line 4: the rate of karyawan wajib from 2026-01 is given twice"
expect_err "nothing imported"
printf 'type,kind,from,amount\nbiasa,wajib,2026-07,abc\n' >"$T/rates-bad.csv"
hq import dues-rates "$T/rates-bad.csv"
expect_rc 3
expect_err 'line 2: amount "abc"'
expect_eq "rates after refused files" 2 "$(sql "$HQDB" "SELECT count(*) FROM dues_rates")"
printf 'type,kind,from,amount\nbiasa,wajib,2026-07,30.000\nkaryawan,wajib,2026-01,50000\n' >"$T/rates.csv"
hq import dues-rates "$T/rates.csv"
expect_rc 0
expect_out "2 changed"
hq dues rates
expect_rc 0
expect_out "inactive for dues after 3 month(s) owed"
expect_out "biasa                    wajib  2026-07 Rp30.000"
expect_out "karyawan                 wajib  2026-01 Rp50.000"

# --- members: every bad case refused by its line, nothing imported.
MV=$(members_version)
HEAD='number,name,card_code,status,type,join_date,left_date,employer,department,employee_no,store'
refused() {   # FILE-CONTENT EXPECTED-MESSAGE
	printf '%s\n' "$HEAD" "A-0009,Sah Saja,M000009,,biasa,2026-01-02,,,,," "$1" >"$T/bad.csv"
	hq import members "$T/bad.csv"
	expect_rc 3
	expect_err "$T/bad.csv: line 3: $2"
	expect_err "nothing imported"
	expect_eq "members after a refused file ($2)" 0 "$(members_count)"
	expect_eq "members version after a refused file" "$MV" "$(members_version)"
}
refused "A-0009,Dua Kali,M000010,,biasa,2026-01-02,,,,," "member number A-0009 is on line 2 already"
refused "A-0010,Kartu Sama,M000009,,biasa,2026-01-02,,,,," "card code M000009 is on line 2 already"
refused "$(printf 'A-0010,Bad \xff Byte,M000010,,biasa,2026-01-02,,,,,')" "name is not UTF-8 text on one line"
refused "A-0010,\"Dua
Baris\",M000010,,biasa,2026-01-02,,,,," "name is not UTF-8 text on one line"
refused "$(printf 'A-0010,Tab\there,M000010,,biasa,2026-01-02,,,,,')" "name is not UTF-8 text on one line"
refused "A-0010,Tanggal,M000010,,biasa,2026-02-30,,,,," 'join_date "2026-02-30" is not a date YYYY-MM-DD'
refused "A-0010,Keluar,M000010,left,biasa,2026-01-02,,,,," "a member who left needs a left_date"
refused "A-0010,Aktif,M000010,active,biasa,2026-01-02,2026-05-01,,,," "a left_date is for a member who left"
refused "A-0010,Mundur,M000010,left,biasa,2026-05-02,2026-05-01,,,," "left_date is before join_date"
refused "A-0010,Toko,M000010,,biasa,2026-01-02,,,,,NOWHERE" "store NOWHERE is not known at HQ"
refused "A-0010,Tanpa Tanggal,M000010,,biasa,,,,,," "join_date is needed: members of type biasa pay dues"
refused "A-0010,Status,M000010,gone,biasa,2026-01-02,,,,," 'status "gone" is not active, left or blocked'

cat >"$T/members.csv" <<'EOF'
number,name,card_code,status,type,join_date,left_date,employer,department,employee_no,store
A-0001,Budi Santoso,M000001,,biasa,2026-04-10,,PT Maju Jaya,Gudang,K-0077,KMB-SMG
A-0002,Sri Wahyuni,M000002,left,biasa,2026-01-05,2026-06-30,,,,
A-0003,Joko Susilo,,blocked,karyawan,2026-08-01,,PT Maju Jaya,Kantor,K-0100,KMB-SLO
EOF
hq import members "$T/members.csv"
expect_rc 0
expect_out "3 rows, 3 changed"
expect_eq "member as stored" "A-0001|biasa|20260410|0|PT Maju Jaya|Gudang|K-0077|KMB-SMG|active" \
	"$(sql "$HQDB" "SELECT number, type, join_date, left_date, employer, department, employee_no, store, status FROM members WHERE number = 'A-0001'")"
# A card another member has at HQ: the till would move it between members.
printf 'number,name,card_code\nA-0005,Ani,M000001\n' >"$T/steal.csv"
hq import members "$T/steal.csv"
expect_rc 3
expect_err "line 2: card code M000001 belongs to member A-0001 at HQ"
expect_eq "members after the card refusal" 3 "$(members_count)"
# An old four-column file still imports, and keeps what it does not name.
printf 'number,name,card_code,status\nA-0001,Budi Santoso,M000001,blocked\n' >"$T/old.csv"
hq import members "$T/old.csv"
expect_rc 0
expect_out "1 rows, 1 changed"
expect_eq "old file keeps the new columns" "blocked|biasa|20260410|KMB-SMG|PT Maju Jaya" \
	"$(sql "$HQDB" "SELECT status, type, join_date, store, employer FROM members WHERE number = 'A-0001'")"
# ...but a new member of a type that pays dues needs a join date.
printf 'number,name,card_code,status\nA-0004,Dewi Lestari,M000004,active\n' >"$T/old-new.csv"
hq import members "$T/old-new.csv"
expect_rc 3
expect_err "line 2: join_date is needed: members of type biasa pay dues"
hq import members "$T/members.csv"
expect_rc 0
expect_out "3 rows, 1 changed"

# --- a schedule change gives every member a new version; the same again none.
V=$(members_version)
hq dues rate set biasa wajib 2026-07 30000
expect_err "that rate is set already"
expect_eq "version after no change" "$V" "$(members_version)"
hq dues setting inactive-after 4
expect_rc 0
expect_eq "version after a setting change" $((V + 1)) "$(members_version)"
expect_eq "every member took it" 3 "$(sql "$HQDB" "SELECT count(*) FROM members WHERE version = $((V + 1))")"
hq dues setting inactive-after 3
hq dues setting inactive-after 0
expect_rc 3

# --- payroll: counted once; the same file again counts nothing.
cat >"$T/payroll.csv" <<'EOF'
member,kind,period,amount,date
A-0001,pokok,2026-04,100.000,2026-04-10
A-0001,wajib,2026-04,25000,2026-04-25
A-0001,wajib,2026-05,25000,2026-05-25
EOF
hq import dues-payroll "$T/payroll.csv"
expect_rc 0
expect_out "3 lines, 3 counted, 0 paid already"
hq import dues-payroll "$T/payroll.csv"
expect_rc 0
expect_out "3 lines, 0 counted, 0 paid already (kept uncounted, see the alerts), 3 imported before"
expect_eq "ledger after two imports" 3 "$(sql "$HQDB" "SELECT count(*) FROM dues_ledger")"
printf 'member,kind,period,amount,date\nA-0001,wajib,2026-06,25000,2026-06-25\nA-0099,wajib,2026-06,25000,2026-06-25\nA-0001,wajib,2026-6,25000,2026-06-25\n' >"$T/payroll-bad.csv"
hq import dues-payroll "$T/payroll-bad.csv"
expect_rc 3
expect_err "line 3: member A-0099 is not known at HQ"
expect_err 'line 4: period "2026-6" is not a month YYYY-MM'
expect_err "nothing imported"
expect_eq "ledger after a refused payroll file" 3 "$(sql "$HQDB" "SELECT count(*) FROM dues_ledger")"

# --- sales with dues from two terminals of KMB-SMG.
hq_start
new_till "$T/k01.db" K01
new_till "$T/k02.db" K02
$CHAIN import "$T/k01.db" >"$T/k01.chain"
$CHAIN import "$T/k02.db" >"$T/k02.chain"
dues_sale() {   # CHAIN RECEIPT DATE DUES-JSON TOTAL
	$CHAIN append "$1" sale "{\"receipt\":\"$2\",\"date\":$3,\"member_no\":\"A-0001\",\"lines\":[],\"total\":0,\"rounding\":0,\"due\":$5,\"change\":0,\"taxes\":[],\"tenders\":[{\"kind\":\"cash\",\"amount\":$5}],\"dues\":$4,\"dues_total\":$5}"
}
push_all() {   # CHAIN TOKEN
	$CHAIN push "$1" KMB-SMG 1 "$(wc -l <"$1")" >"$T/push.json"
	push "$2" "$T/push.json"
	expect_status 200
}
dues_sale "$T/k01.chain" K01-000001 20260620 '[{"member_no":"A-0001","kind":"wajib","month":202606,"amount":25000},{"member_no":"A-0001","kind":"sukarela","month":0,"amount":20000}]' 45000
V=$(members_version)
push_all "$T/k01.chain" "$TOK"
expect_eq "members version after a folded payment" $((V + 1)) "$(members_version)"
expect_eq "the member took it" $((V + 1)) "$(sql "$HQDB" "SELECT version FROM members WHERE number = 'A-0001'")"
# The same month paid at K02 while offline: kept uncounted, one alert.
dues_sale "$T/k02.chain" K02-000001 20260621 '[{"member_no":"A-0001","kind":"wajib","month":202606,"amount":25000}]' 25000
push_all "$T/k02.chain" "$TOK2"
expect_eq "A-0001 ledger" "pokok|0|100000|||1
wajib|202604|25000|||1
wajib|202605|25000|||1
wajib|202606|25000|K01|K01-000001|1
sukarela|0|20000|K01|K01-000001|1
wajib|202606|25000|K02|K02-000001|0" "$(ledger A-0001)"
expect_eq "dues_duplicate alerts" 1 "$(alerts_of_kind dues_duplicate)"
expect_eq "the alert names member, month, store, terminal, receipt" \
	"KMB-SMG|K02|member A-0001: wajib 2026-06 is paid already; 25000 kept uncounted for a refund or sukarela (store KMB-SMG, terminal K02, receipt K02-000001)" \
	"$(sql "$HQDB" "SELECT store, terminal, detail FROM alerts WHERE kind = 'dues_duplicate'")"
# Payroll for a month the till took: kept uncounted, alert.
printf 'member,kind,period,amount,date\nA-0001,wajib,2026-06,25000,2026-06-25\n' >"$T/payroll-jun.csv"
hq import dues-payroll "$T/payroll-jun.csv"
expect_rc 0
expect_out "1 lines, 0 counted, 1 paid already"
expect_eq "dues_duplicate alerts" 2 "$(alerts_of_kind dues_duplicate)"
# A member HQ does not know: kept uncounted, never lost, alert.
dues_sale "$T/k01.chain" K01-000002 20260622 '[{"member_no":"B-0404","kind":"sukarela","month":0,"amount":10000}]' 10000
push_all "$T/k01.chain" "$TOK"
expect_eq "unknown member's payment kept" "sukarela|0|10000|K01|K01-000002|0" "$(ledger B-0404)"
expect_eq "dues_unknown_member alerts" 1 "$(alerts_of_kind dues_unknown_member)"
expect_eq "the alert says what was kept" \
	"member B-0404 is not known at HQ: sukarela of 10000 kept uncounted (store KMB-SMG, terminal K01, receipt K01-000002)" \
	"$(sql "$HQDB" "SELECT detail FROM alerts WHERE kind = 'dues_unknown_member'")"
# A malformed dues row: the event is stored, folds into nothing, alert payload.
SALES=$(sql "$HQDB" "SELECT count(*) FROM sales")
ROWS=$(sql "$HQDB" "SELECT count(*) FROM dues_ledger")
dues_sale "$T/k01.chain" K01-000003 20260622 '[{"member_no":"A-0001","kind":"wajib","month":202613,"amount":30000}]' 30000
push_all "$T/k01.chain" "$TOK"
dues_sale "$T/k01.chain" K01-000004 20260622 '[{"member_no":"A-0001","kind":"wajib","month":202607,"amount":30000}]' 99
push_all "$T/k01.chain" "$TOK"
expect_eq "payload alerts" 2 "$(sql "$HQDB" "SELECT sum(count) FROM alerts WHERE kind = 'payload'")"
expect_body '"acked_seq":'"$(wc -l <"$T/k01.chain")"
expect_eq "no sale of a malformed payload" "$SALES" "$(sql "$HQDB" "SELECT count(*) FROM sales")"
expect_eq "no ledger row of a malformed payload" "$ROWS" "$(sql "$HQDB" "SELECT count(*) FROM dues_ledger")"

# --- concurrent pushes paying the same months: each month counted once.
for m in 202610 202611 202612; do
	dues_sale "$T/k01.chain" "K01-1$m" 20260623 "[{\"member_no\":\"A-0003\",\"kind\":\"wajib\",\"month\":$m,\"amount\":50000}]" 50000
	dues_sale "$T/k02.chain" "K02-1$m" 20260623 "[{\"member_no\":\"A-0003\",\"kind\":\"wajib\",\"month\":$m,\"amount\":50000}]" 50000
	$CHAIN push "$T/k01.chain" KMB-SMG 1 "$(wc -l <"$T/k01.chain")" >"$T/c1.json"
	$CHAIN push "$T/k02.chain" KMB-SMG 1 "$(wc -l <"$T/k02.chain")" >"$T/c2.json"
	curl -sS --cacert "$CA" -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
		--data-binary "@$T/c1.json" -o "$T/c1.out" -w '%{http_code}\n' "$HQ_URL/v1/events" >"$T/c1.status" &
	P1=$!
	curl -sS --cacert "$CA" -H "Authorization: Bearer $TOK2" -H 'Content-Type: application/json' \
		--data-binary "@$T/c2.json" -o "$T/c2.out" -w '%{http_code}\n' "$HQ_URL/v1/events" >"$T/c2.status" &
	P2=$!
	wait "$P1" "$P2"
	expect_eq "concurrent pushes answered" "200 200" "$(cat "$T/c1.status") $(cat "$T/c2.status")"
	expect_eq "month $m counted once" "1|1" \
		"$(sql "$HQDB" "SELECT sum(counted), count(*) - sum(counted) FROM dues_ledger WHERE member_no = 'A-0003' AND month = $m")"
done
# Those months were paid ahead; take them out of the golden figures below.
sql "$HQDB" "DELETE FROM dues_ledger WHERE member_no = 'A-0003'" >/dev/null

# --- the members pull: schedule, month, acked_seq and each standing.
api GET "/v1/members?since=0" "$TOK"
expect_status 200
expect_eq "month" 202609 "$(jget '["month"]')"
expect_eq "acked_seq" "$(wc -l <"$T/k01.chain")" "$(jget '["acked_seq"]')"
expect_eq "dues" '{"inactive_after": 3, "rates": [{"type": "biasa", "kind": "pokok", "from": 202001, "amount": 100000}, {"type": "biasa", "kind": "wajib", "from": 202601, "amount": 25000}, {"type": "biasa", "kind": "wajib", "from": 202607, "amount": 30000}, {"type": "karyawan", "kind": "wajib", "from": 202601, "amount": 50000}]}' \
	"$(jget '["dues"]')"
member_json() { python3 -c 'import json,sys; m=[x for x in json.load(sys.stdin)["members"] if x["number"]==sys.argv[1]][0]; del m["version"]; print(json.dumps(m, sort_keys=True))' "$1" <<<"$BODY"; }
expect_eq "A-0001's standing" '{"card_code": "M000001", "credit_balance": 0, "credit_limit": 0, "join_date": 20260410, "left_date": 0, "name": "Budi Santoso", "number": "A-0001", "pokok_owed": 0, "status": "active", "sukarela": 20000, "type": "biasa", "wajib_arrears": 90000, "wajib_months": 3, "wajib_owed": [[202607, 30000], [202608, 30000], [202609, 30000]], "wajib_paid_until": 202606, "wajib_through": 202606}' \
	"$(member_json A-0001)"
expect_eq "A-0002's standing (left in June)" '{"card_code": "M000002", "credit_balance": 0, "credit_limit": 0, "join_date": 20260105, "left_date": 20260630, "name": "Sri Wahyuni", "number": "A-0002", "pokok_owed": 100000, "status": "left", "sukarela": 0, "type": "biasa", "wajib_arrears": 150000, "wajib_months": 6, "wajib_owed": [[202601, 25000], [202602, 25000], [202603, 25000], [202604, 25000], [202605, 25000], [202606, 25000]], "wajib_paid_until": 0, "wajib_through": 0}' \
	"$(member_json A-0002)"
# A folded payment sends only that member again.
V=$(members_version)
dues_sale "$T/k01.chain" K01-000005 20260915 '[{"member_no":"A-0001","kind":"wajib","month":202607,"amount":30000}]' 30000
push_all "$T/k01.chain" "$TOK"
api GET "/v1/members?since=$V" "$TOK"
expect_status 200
expect_eq "delta after a payment" '["A-0001"]' "$(jget '["members"]' | python3 -c 'import json,sys; print(json.dumps([m["number"] for m in json.load(sys.stdin)]))')"
expect_eq "its arrears" 60000 "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["members"][0]["wajib_arrears"])' <<<"$BODY")"
hq_stop

# --- the reports, hand-computed for September 2026.
hq dues arrears --csv
expect_rc 0
expect_eq "arrears (csv)" "number;name;type;status;store;months;wajib;pokok;rupiah;oldest;inactive
A-0002;Sri Wahyuni;biasa;left;;6;150000;100000;250000;2026-01;yes
A-0001;Budi Santoso;biasa;active;KMB-SMG;2;60000;0;60000;2026-08;no
A-0003;Joko Susilo;karyawan;blocked;KMB-SLO;2;100000;0;100000;2026-08;no" "$OUT"
hq dues arrears --store KMB-SMG
expect_rc 0
expect_out "Dues arrears as of 2026-09, oldest first"
expect_out "A-0001       Budi Santoso             biasa      active        2       Rp60.000          Rp0  2026-08"
expect_out "1 member(s) owe Rp60.000 in all"
# Bahasa Indonesia unless LANG says English.
COOPMART_LANG=id hq dues arrears --store KMB-SMG
expect_out "Tunggakan simpanan per 2026-09, yang tertua dahulu"
expect_out "1 anggota menunggak Rp60.000 seluruhnya"
hq dues arrears --store NOWHERE
expect_rc 2
hq member statement A-0001 --csv
expect_rc 0
expect_eq "statement (csv)" "date;kind;month;amount;channel;store;terminal;receipt;counted
2026-04-10;pokok;;100000;payroll;;;;yes
2026-04-25;wajib;2026-04;25000;payroll;;;;yes
2026-05-25;wajib;2026-05;25000;payroll;;;;yes
2026-06-20;wajib;2026-06;25000;till;KMB-SMG;K01;K01-000001;yes
2026-06-20;sukarela;;20000;till;KMB-SMG;K01;K01-000001;yes
2026-06-21;wajib;2026-06;25000;till;KMB-SMG;K02;K02-000001;no
2026-06-25;wajib;2026-06;25000;payroll;;;;no
2026-09-15;wajib;2026-07;30000;till;KMB-SMG;K01;K01-000005;yes" "$OUT"
hq member statement A-0001 --year 2026
expect_rc 0
expect_out "Savings statement of member A-0001 Budi Santoso (biasa, active), joined 2026-04-10"
expect_out "2026-06-21 wajib    2026-06     Rp25.000 till    KMB-SMG    K02      K02-000001  NOT COUNTED (paid already: refund or sukarela)"
expect_out "Counted: pokok Rp100.000, wajib Rp105.000, sukarela Rp20.000; not counted Rp50.000"
expect_out "As of 2026-09: pokok owed Rp0; wajib 2 month(s) owed, Rp60.000 (oldest 2026-08); paid through 2026-07; sukarela balance Rp20.000"
hq member statement A-0001 --year 2025
expect_rc 0
expect_out "Counted: pokok Rp0, wajib Rp0, sukarela Rp0; not counted Rp0"
expect_out "wajib 2 month(s) owed"
hq member statement NOBODY
expect_rc 2
expect_err "member NOBODY is not known at HQ"

# --- a type without rates needs no join date; rates set later say who
# cannot owe anything yet.
printf 'number,name,type\nL-0001,Pak Lurah,luar biasa\n' >"$T/lb.csv"
hq import members "$T/lb.csv"
expect_rc 0
hq dues rate set "luar biasa" wajib 2026-01 10000
expect_rc 0
expect_err "1 member(s) of type luar biasa have no join_date and owe nothing until one is imported"
done_ok
