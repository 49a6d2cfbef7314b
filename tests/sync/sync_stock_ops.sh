# Receiving, adjustments, returns and stock counts reach HQ's ledgers: a
# delivery posted and stock adjusted on a terminal (command line), a sale, a
# push; HQ folds the stock_received and stock_adjusted events into
# movements whose sum per SKU equals the terminal's own stock, and raises
# no alert. Then a return (one piece back, one to the damaged bin) and a
# posted stock count: HQ's stock still equals the terminal's, and its day
# report shows the refund next to the sales and the net.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
DB="$T/K01.db"
as_admin() { printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 "$@" >/dev/null 2>"$T/cmd.err" ||
	{ cat "$T/cmd.err" >&2; fail "coopmart $* failed"; }; }

as_admin receive start Indofood --note SJ-1
as_admin receive add 1 MIE-GRG 24 2.900
as_admin receive add 1 BRS-PRM-5 5 71.000
as_admin receive park 1 8990000000013 12 5.000 "Kecap Manis 600 ml"
as_admin receive post 1
as_admin adjust MIE-GRG 2 --reason lost
as_admin adjust MIE-GRG 1 --reason damaged
as_admin adjust BRS-PRM-5 1 --reason found
sell K01 1 MIE-GRG

agent K01 once
expect_rc 0
expect_eq "events at HQ" "$(journal_head K01)" "$(held_events "$STORE" K01)"
expect_eq "no alerts" 0 "$(sql "$HQDB" "SELECT count(*) FROM alerts")"

local_stock() { sql "$DB" "SELECT qty FROM stock_levels WHERE item_id = (SELECT id FROM items WHERE sku = '$1')"; }
hq_stock() { sql "$HQDB" "SELECT COALESCE(sum(qty), 0) FROM stock_moves WHERE store = '$STORE' AND sku = '$1'"; }
expect_eq "K01 noodles" 20000 "$(local_stock MIE-GRG)"
expect_eq "K01 rice" 6000 "$(local_stock BRS-PRM-5)"
for sku in MIE-GRG BRS-PRM-5; do
	expect_eq "HQ $sku = K01" "$(local_stock $sku)" "$(hq_stock $sku)"
done
expect_eq "HQ movement kinds" "received:24000|adjusted:-2000|adjusted:-1000|sale:-1000" \
	"$(sql "$HQDB" "SELECT $(hq_agg "kind || ':' || qty" '|' id) FROM (SELECT kind, qty, id FROM stock_moves WHERE sku = 'MIE-GRG' ORDER BY id) AS x")"

# --- a return and a stock count.
sell K01 1 MIE-GRG MIE-GRG BRS-PRM-5
RECEIPT=$(sql "$DB" "SELECT receipt_no FROM sales ORDER BY id DESC LIMIT 1")
LINE=$(sql "$DB" "SELECT l.line_no FROM sale_lines l JOIN sales s ON s.id = l.sale_id JOIN items i ON i.id = l.item_id WHERE s.receipt_no = '$RECEIPT' AND i.sku = 'MIE-GRG' LIMIT 1")
as_admin return "$RECEIPT" --line "$LINE:1" --reason unwanted --tender cash
as_admin return "$RECEIPT" --line "$LINE:1" --reason damaged --tender cash
REFUNDS=$(sql "$DB" "SELECT sum(refund) FROM returns")
[ "${REFUNDS:-0}" -gt 0 ] || fail "no refund recorded at the terminal"
as_admin count start all
COUNT=$(sql "$DB" "SELECT max(id) FROM stock_counts")
as_admin count set "$COUNT" MIE-GRG 17
as_admin count set "$COUNT" BRS-PRM-5 6
as_admin count post "$COUNT"
agent K01 once
expect_rc 0
expect_eq "events at HQ after the return and the count" "$(journal_head K01)" "$(held_events "$STORE" K01)"
expect_eq "still no alerts" 0 "$(sql "$HQDB" "SELECT count(*) FROM alerts")"
expect_eq "K01 noodles counted" 17000 "$(local_stock MIE-GRG)"
for sku in MIE-GRG BRS-PRM-5; do
	expect_eq "HQ $sku = K01 after the return and the count" "$(local_stock $sku)" "$(hq_stock $sku)"
done
expect_eq "HQ damaged bin movements" "-1000" \
	"$(sql "$HQDB" "SELECT sum(qty) FROM stock_moves WHERE sku = 'MIE-GRG' AND kind = 'damaged'")"
hq report --json
expect_rc 0
expect_eq "HQ returns, refunds, net" \
	"2 $REFUNDS $(( $(sql "$DB" "SELECT sum(due) FROM sales") - REFUNDS ))" \
	"$(python3 -c 'import json,sys; d=json.loads(sys.argv[1])["days"]; print(sum(x["returns"] for x in d), sum(x["refunds"] for x in d), sum(x["net"] for x in d))' "$OUT")"
expect_eq "HQ refunds paid in cash" "$REFUNDS" \
	"$(python3 -c 'import json,sys; print(sum(x["refund_tenders"]["cash"] for x in json.loads(sys.argv[1])["days"]))' "$OUT")"
done_ok
