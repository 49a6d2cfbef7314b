#!/bin/bash
# Receiving against a purchase order at 80x24: the order's lines are on
# the screen with what has come so far; more than ordered, or an item not
# on the order, is said and needs a yes (Esc leaves the delivery as it
# was); posting is asked first, with how the delivery stands against the
# order.
set -eu
. "$(dirname "$0")/lib.sh.inc"

RICE1=8991000000003    # D00001 Beras Cap Bunga Premium 1 kg
RICE2=8991000000010    # D00002 Beras Cap Bunga Premium 2 kg
MILK=8991085004811     # not on the order

new_demo_db
# The order as the sync agent leaves it (purchase orders come from HQ).
sql "INSERT INTO purchase_orders(id, po_no, supplier_id, ordered_at)
       SELECT 7, 'PO-7', id, $E2E_TIME FROM suppliers WHERE name = 'Cap Bunga';
     INSERT INTO purchase_order_lines(po_id, line_no, item_id, qty, unit_cost)
       SELECT 7, 1, id, 10000, 11600 FROM items WHERE sku = 'D00001';
     INSERT INTO purchase_order_lines(po_id, line_no, item_id, qty, unit_cost)
       SELECT 7, 2, id, 5000, 22000 FROM items WHERE sku = 'D00002';"
till_start
login 201 222222
wait_for F10
key C-o
wait_for "Manager menu"
key 9
wait_for "Supplier:"
type_in "cap bunga"
key Enter
wait_for "Purchase order:"
# The supplier's open orders are offered.
expect_screen "Open orders from HQ:"
expect_screen_re "│   PO-7  02/01/2026, 2 lines +│"
type_in PO-7
key Enter
wait_for "Delivery 1 from Cap Bunga, PO PO-7"
expect_screen "-- Purchase order PO-7: SKU, item, ordered, received --"
expect_screen_re '^    D00001 +Beras Cap Bunga Premium 1 kg +10 +0  short$'
expect_screen_re '^    D00002 +Beras Cap Bunga Premium 2 kg +5 +0  short$'

add() { # CODE QTY: F2, the code, the quantity
	key F2
	wait_for "Barcode or SKU:"
	scan "$1"
	wait_for "Quantity:"
	expect_screen "In stock now:"    # the item and its stock, after the scan
	type_in "$2"
	key Enter
}
cost() {
	wait_for "Unit cost:"
	expect_screen "In stock now:"
	type_in "$1"
	key Enter
	wait_gone "Unit cost:"
}

# 4 of 10: as ordered, no question.
add $RICE1 4
cost 11600
wait_for_re '^    D00001 +Beras Cap Bunga Premium 1 kg +10 +4  short$'

# 7 more would be 11 of 10: said, and Esc keeps the delivery as it was.
add $RICE1 7
wait_for "Not as ordered"
expect_screen "Beras Cap Bunga Premium 1 kg: 10 pcs ordered, 11 with this one: more"
key Escape
wait_for "Nothing changed."
expect_eq "lines" 1 "$(sql "SELECT count(*) FROM delivery_lines")"
# 6 more: exactly the order.
add $RICE1 6
cost 11600
wait_for_re '^    D00001 +Beras Cap Bunga Premium 1 kg +10 +10 *$'

# Milk is not on the order: said; yes receives it, marked on the screen.
add $MILK 2
wait_for "Not as ordered"
expect_screen "Susu Greenfields UHT Coklat sedang is not on purchase order PO-7."
key Enter
cost 9500
wait_for "NOT ORDERED"
expect_eq "lines" 3 "$(sql "SELECT count(*) FROM delivery_lines")"

# Posting is asked first, with the order's gaps: D00002 never came.
key F10
wait_for "Post delivery 1?"
expect_screen "Against order PO-7: short 1, over 0, not ordered 1 (lines)."
key Escape
wait_for "Nothing changed."
expect_eq "still a draft" 0 "$(sql "SELECT state FROM deliveries WHERE id = 1")"
expect_eq "nothing journaled" 0 "$(events stock_received)"
key F10
wait_for "Post delivery 1?"
key Enter
wait_for "Delivery 1 posted into stock"
expect_eq "posted" 1 "$(sql "SELECT state FROM deliveries WHERE id = 1")"
expect_eq "stock_received" "PO-7|3" \
	"$(sql "SELECT json_extract(payload, '\$.po'), json_array_length(payload, '\$.lines') FROM journal WHERE type = 'stock_received'")"

done_ok
