# coopmart-hq: member credit from crafted pushes. A credit tender without
# a member or with an amount not above 0 folds into nothing (alert
# payload); a member HQ does not know keeps the row (alert
# credit_unknown_member); two terminals pushing charges for one member at
# once take turns (the balance is the sum, one credit_over_limit alert);
# a return's credit refund credits back; the members page carries the
# limit and balance.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400

hq enroll --store KMB-SMG --terminal K01
TOK=$OUT
hq enroll --store KMB-SLO --terminal K02
TOK2=$OUT
printf 'number,name,card_code,credit_limit\nA-0001,Sari Lestari,M000001,100000\n' >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0
balance() { sql "$HQDB" "SELECT credit_balance FROM members WHERE number = 'A-0001'"; }
rows() { sql "$HQDB" "SELECT count(*) FROM credit_ledger"; }

hq_start
new_till "$T/k01.db" K01
new_till "$T/k02.db" K02
$CHAIN import "$T/k01.db" >"$T/k01.chain"
$CHAIN import "$T/k02.db" >"$T/k02.chain"
credit_sale() {   # CHAIN RECEIPT MEMBER-JSON AMOUNT
	$CHAIN append "$1" sale "{\"receipt\":\"$2\",\"date\":20260915,$3\"lines\":[],\"total\":$4,\"rounding\":0,\"due\":$4,\"change\":0,\"taxes\":[],\"tenders\":[{\"kind\":\"credit\",\"amount\":$4}],\"credit\":{\"limit\":100000,\"outstanding\":0}}"
}
push_all() {   # CHAIN STORE TOKEN
	$CHAIN push "$1" "$2" 1 "$(wc -l <"$1")" >"$T/push.json"
	push "$3" "$T/push.json"
	expect_status 200
}

# --- malformed: no member; an amount of 0. Stored, folded into nothing.
SALES=$(sql "$HQDB" "SELECT count(*) FROM sales")
credit_sale "$T/k01.chain" K01-000001 "" 30000
push_all "$T/k01.chain" KMB-SMG "$TOK"
credit_sale "$T/k01.chain" K01-000002 '"member_no":"A-0001",' 0
push_all "$T/k01.chain" KMB-SMG "$TOK"
expect_eq "payload alerts" 2 "$(sql "$HQDB" "SELECT sum(count) FROM alerts WHERE kind = 'payload'")"
expect_eq "no sale of a malformed payload" "$SALES" "$(sql "$HQDB" "SELECT count(*) FROM sales")"
expect_eq "no credit row of a malformed payload" 0 "$(rows)"
expect_body '"acked_seq":'"$(wc -l <"$T/k01.chain")"

# --- a member HQ does not know: kept, alert.
credit_sale "$T/k01.chain" K01-000003 '"member_no":"B-0404",' 12000
push_all "$T/k01.chain" KMB-SMG "$TOK"
expect_eq "unknown member's charge kept" "B-0404|charge|12000|K01-000003" \
	"$(sql "$HQDB" "SELECT member_no, kind, amount, receipt FROM credit_ledger")"
expect_eq "credit_unknown_member alerts" 1 "$(alerts_of_kind credit_unknown_member)"

# --- concurrent charges for one member from two stores: 3 x 2 x 20.000
# against a limit of 100.000: the balance is the sum, one alert.
V=$(sql "$HQDB" "SELECT version FROM members WHERE number = 'A-0001'")
for k in 1 2 3; do
	credit_sale "$T/k01.chain" "K01-10$k" '"member_no":"A-0001",' 20000
	credit_sale "$T/k02.chain" "K02-10$k" '"member_no":"A-0001",' 20000
	$CHAIN push "$T/k01.chain" KMB-SMG 1 "$(wc -l <"$T/k01.chain")" >"$T/c1.json"
	$CHAIN push "$T/k02.chain" KMB-SLO 1 "$(wc -l <"$T/k02.chain")" >"$T/c2.json"
	curl -sS --cacert "$CA" -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
		--data-binary "@$T/c1.json" -o "$T/c1.out" -w '%{http_code}\n' "$HQ_URL/v1/events" >"$T/c1.status" &
	P1=$!
	curl -sS --cacert "$CA" -H "Authorization: Bearer $TOK2" -H 'Content-Type: application/json' \
		--data-binary "@$T/c2.json" -o "$T/c2.out" -w '%{http_code}\n' "$HQ_URL/v1/events" >"$T/c2.status" &
	P2=$!
	wait "$P1" "$P2"
	expect_eq "concurrent pushes answered" "200 200" "$(cat "$T/c1.status") $(cat "$T/c2.status")"
done
expect_eq "the balance is every charge" 120000 "$(balance)"
expect_eq "the ledger holds them" "6|120000" \
	"$(sql "$HQDB" "SELECT count(*) || '|' || sum(amount) FROM credit_ledger WHERE member_no = 'A-0001'")"
expect_eq "one credit_over_limit alert" 1 "$(alerts_of_kind credit_over_limit)"
DETAIL=$(sql "$HQDB" "SELECT detail FROM alerts WHERE kind = 'credit_over_limit'")
for want in A-0001 "limit 100000" "balance 120000" KMB-SMG KMB-SLO; do
	grep -F -- "$want" <<<"$DETAIL" >/dev/null || fail "the alert lacks $want: $DETAIL"
done
V2=$(sql "$HQDB" "SELECT version FROM members WHERE number = 'A-0001'")
[ "$V2" -gt "$V" ] || fail "the member kept version $V after charges"

# --- a return's credit refund credits the account back.
$CHAIN append "$T/k01.chain" return '{"return":"K01-R1","sale":"K01-101","member_no":"A-0001","date":20260916,"lines":[],"total":20000,"rounding":0,"refund":20000,"taxes":[],"tenders":[{"kind":"credit","amount":20000}]}'
push_all "$T/k01.chain" KMB-SMG "$TOK"
expect_eq "balance after the return" 100000 "$(balance)"

# --- the members page.
api GET "/v1/members?since=0" "$TOK"
expect_status 200
expect_body '"credit_limit":100000,"credit_balance":100000'

# --- the statement month and its cut-off day: 25 by default; a day past
# the month's end is its last day.
month_span() {   # PERIOD
	hq credit statement A-0001 --period "$1"
	expect_rc 0
	grep -Eo 'from [0-9-]+ to [0-9-]+' <<<"$OUT"
}
expect_eq "October by default" "from 2026-09-26 to 2026-10-25" "$(month_span 2026-10)"
expect_eq "January across the year" "from 2025-12-26 to 2026-01-25" "$(month_span 2026-01)"
hq credit setting cutoff-day 0
expect_rc 3
hq credit setting cutoff-day 30
expect_rc 0
expect_eq "February ends on its last day" "from 2026-01-31 to 2026-02-28" "$(month_span 2026-02)"
expect_eq "March begins on the 1st" "from 2026-03-01 to 2026-03-30" "$(month_span 2026-03)"
expect_eq "April" "from 2026-03-31 to 2026-04-30" "$(month_span 2026-04)"
hq credit setting cutoff-day 31
expect_eq "calendar months" "from 2026-09-01 to 2026-09-30" "$(month_span 2026-09)"
# The September statement (cut-off 31): 6 charges, one credited back.
hq credit statement A-0001 --period 2026-09 --csv
expect_out "2026-09-30;closing;;;100000;100000"
done_ok
