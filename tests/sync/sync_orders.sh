# Purchase orders from HQ to the store: `coopmart-hq import orders` (CSV,
# all or nothing, bad rows named by line), GET /v1/orders, the agent's pull
# into the till's purchase orders (journaled, once even when HQ answers
# again), and a delivery received against the order.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
DB="$T/K01.db"
hq import catalogue "$SRCDIR/tests/data/katalog.csv"
expect_rc 0

# --- bad files: nothing imported, every bad row named.
cat >"$T/bad.csv" <<'EOF'
po,supplier,date,sku,qty,cost
PO-1,Indofood,2026-11-28,MIE-GRG,40,2.900
PO-1,Wings,2026-11-28,BRS-PRM-5,5,71.000
PO-2,Indofood,28/11/2026,MIE-GRG,1,1
PO-3,Indofood,2026-11-28,MIE-GRG,-2,1
EOF
hq import orders --store "$STORE" "$T/bad.csv"
expect_rc 3
expect_err "line 3: order PO-1 has another supplier or date"
expect_err "line 4: date \"28/11/2026\" is not YYYY-MM-DD"
expect_err "line 5: quantity \"-2\""
expect_err "nothing imported"
printf 'po,supplier,date,sku,qty\nPO-9,Indofood,2026-11-28,NO-SUCH,1\n' >"$T/unknown.csv"
hq import orders --store "$STORE" "$T/unknown.csv"
expect_rc 3
expect_err "SKU NO-SUCH is not in the catalogue"
hq import orders --store NOWHERE "$T/unknown.csv"
expect_rc 2
expect_eq "no order at HQ" 0 "$(sql "$HQDB" "SELECT count(*) FROM purchase_orders")"

# --- two orders, pulled by the terminal.
cat >"$T/orders.csv" <<'EOF'
po,supplier,date,sku,qty,cost
PO-1,PT Indofood,2026-11-28,MIE-GRG,40,2.900
PO-1,PT Indofood,2026-11-28,BRS-PRM-5,5,71.000
PO-2,PT Sumber Pangan,2026-11-29,BRS-PRM-5,"2,5",70.000
EOF
hq import orders --store "$STORE" "$T/orders.csv"
expect_rc 0
expect_out "2 changed"; expect_out "version 1"
hq import orders --store "$STORE" "$T/orders.csv"
expect_rc 3
expect_err "purchase order PO-1 of $STORE is there already"

agent K01 once
expect_rc 0
expect_err "purchase orders: now at version 1 (2 new, 0 known, 0 lines"
expect_eq "orders at the till" "PO-1|PT Indofood|open|2
PO-2|PT Sumber Pangan|open|1" \
	"$(sql "$DB" "SELECT o.po_no, s.name, o.status, (SELECT count(*) FROM purchase_order_lines l WHERE l.po_id = o.id) FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id ORDER BY o.po_no")"
expect_eq "PO-1 lines" "MIE-GRG|40000|2900
BRS-PRM-5|5000|71000" \
	"$(sql "$DB" "SELECT i.sku, l.qty, l.unit_cost FROM purchase_order_lines l JOIN items i ON i.id = l.item_id JOIN purchase_orders o ON o.id = l.po_id WHERE o.po_no = 'PO-1' ORDER BY l.line_no")"
expect_eq "orders_pulled journaled" 1 \
	"$(sql "$DB" "SELECT count(*) FROM journal WHERE type = 'orders_pulled'")"
expect_eq "orders version" 1 "$(sql "$DB" "SELECT orders_version FROM sync_state")"

# --- nothing new: quick, nothing journaled.
agent K01 once
expect_rc 0
expect_err "purchase orders: up to date (version 1)"
expect_eq "still one orders_pulled" 1 \
	"$(sql "$DB" "SELECT count(*) FROM journal WHERE type = 'orders_pulled'")"

# --- HQ answers again from an older version (a terminal restored from a
# backup): the orders it has are not added twice.
sql "$DB" "UPDATE sync_state SET orders_version = 0"
agent K01 once
expect_rc 0
expect_err "(0 new, 2 known"
expect_eq "still two orders" 2 "$(sql "$DB" "SELECT count(*) FROM purchase_orders")"

# --- a delivery against the order, and HQ's event for it.
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 receive start "PT Indofood" --po PO-1 \
	>"$T/recv.out" 2>"$T/recv.err" || fail "receive start --po PO-1: $(cat "$T/recv.err")"
expect_eq "the delivery names the order" "PO-1" \
	"$(sql "$DB" "SELECT o.po_no FROM deliveries d JOIN purchase_orders o ON o.id = d.po_id")"
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 receive add 1 MIE-GRG 40 2.900 \
	>/dev/null 2>"$T/recv.err" || fail "receive add: $(cat "$T/recv.err")"
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 receive post 1 \
	>/dev/null 2>"$T/recv.err" || fail "receive post: $(cat "$T/recv.err")"
agent K01 once
expect_rc 0
expect_eq "HQ holds the journal" "$(journal_head K01)" "$(held_events "$STORE" K01)"
expect_eq "HQ stock from the delivery" 40000 \
	"$(sql "$HQDB" "SELECT sum(qty) FROM stock_moves WHERE sku = 'MIE-GRG' AND kind = 'received'")"

# --- a token of another store sees none of this store's orders; a bad
# version is a 400. (Malformed answers to the agent: tests/fuzz/fuzz_proto.)
hq enroll --store OTHER --terminal X01
expect_rc 0
TOK=$(printf '%s\n' "$OUT" | grep -Eo '[A-Za-z0-9_-]{43}' | head -1)
body=$(curl -sf --cacert "$T/pki/ca.pem" -H "Authorization: Bearer $TOK" "$HQ_URL/v1/orders?since=0")
expect_eq "another store's answer" '{"upto":0,"more":false,"orders":[]}' "$body"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/pki/ca.pem" -H "Authorization: Bearer $TOK" "$HQ_URL/v1/orders?since=x")
expect_eq "a bad since" 400 "$code"
done_ok
