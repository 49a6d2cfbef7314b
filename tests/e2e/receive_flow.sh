#!/bin/bash
# Receiving a delivery and adjusting stock at the till, as a supervisor,
# from the manager menu: supplier, items scanned with quantity and unit
# cost, an unknown barcode parked for HQ, the draft left and taken up
# again, posted into stock; then an adjustment with a reason.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start -x 120 -y 30
login 201 222222
wait_for F10
MILK_ID=$(sql "SELECT item_id FROM barcodes WHERE code = '8991085004811'")
milk() { sql "SELECT COALESCE((SELECT qty FROM stock_levels WHERE item_id = $MILK_ID), (SELECT qty FROM stock_snapshot WHERE item_id = $MILK_ID), 0)"; }
MILK=$(milk)

key C-o
wait_for "Manager menu"
key 9
wait_for "Supplier:"
type_in "pasar induk"
key Enter
wait_for "Purchase order:"
key Enter
wait_for "Delivery 1 from Pasar Induk"
expect_screen "Nothing received yet"

# 24 cartons of milk at Rp9.500.
key F2
wait_for "Barcode or SKU:"
scan 8991085004811
wait_for "Quantity:"
type_in 24
key Enter
wait_for "Unit cost:"
type_in 9500
key Enter
wait_for_re '^ +1 +D[0-9]+ +Susu Greenfields UHT Coklat se +24 x Rp9\.500$'
expect_screen "cost: Rp228.000"

# A barcode the catalogue does not know: parked for HQ with a description.
key F2
wait_for "Barcode or SKU:"
scan 8990000000013
wait_for "Quantity:"
type_in 12
key Enter
wait_for "Unit cost:"
type_in 5000
key Enter
wait_for "Description:"
type_in "Kecap Manis 600 ml"
key Enter
wait_for "8990000000013 parked for HQ."
expect_screen_re '^ +HQ +8990000000013 +Kecap Manis 600 ml +12 x Rp5\.000$'

# Leave: the draft is kept (nothing in stock, nothing journaled), and the
# menu takes it up again.
key Escape
wait_for "The delivery is kept as a draft."
expect_eq "draft lines" "0|1|1" "$(sql "SELECT state, (SELECT count(*) FROM delivery_lines), (SELECT count(*) FROM delivery_parked) FROM deliveries")"
expect_eq "milk before posting" "$MILK" "$(milk)"
expect_eq "nothing journaled yet" 0 "$(events stock_received)"
key 9
wait_for "Delivery 1 was not posted yet"
expect_screen "Kecap Manis 600 ml"
key F10
wait_for "Post delivery 1?"
expect_screen "Lines into stock: 1, cost Rp228.000. Parked for HQ: 1."
key Enter
wait_for "Delivery 1 posted into stock"
expect_eq "milk after posting" $((MILK + 24000)) "$(milk)"
expect_eq "posted" 1 "$(sql "SELECT state FROM deliveries")"
expect_eq "stock_received event" "Pasar Induk|1|8990000000013" \
	"$(sql "SELECT json_extract(payload, '\$.supplier'), json_array_length(payload, '\$.lines'),
	               json_extract(payload, '\$.parked[0].barcode') FROM journal WHERE type = 'stock_received'")"
expect_eq "no item invented" 0 "$(sql "SELECT count(*) FROM barcodes WHERE code = '8990000000013'")"

# Adjustment, the entry after "Receive a delivery" (still selected): 2
# cartons damaged.
key Down
key Enter
wait_for "Barcode or SKU:"
scan 8991085004811
wait_for "Quantity:"
type_in 2
key Enter
wait_for "Reason (1-5):"
expect_screen "1. damaged (to the damaged bin)"
type_in 1
key Enter
wait_for "Stock of 8991085004811 adjusted"
expect_eq "milk after the adjustment" $((MILK + 22000)) "$(milk)"
expect_eq "damaged bin" 2000 "$(sql "SELECT qty FROM damaged_stock WHERE item_id = $MILK_ID")"
expect_eq "adjust event" "damaged|-2000" \
	"$(sql "SELECT json_extract(payload, '\$.reason'), json_extract(payload, '\$.lines[0].qty') FROM journal WHERE type = 'stock_adjusted'")"
key Escape
wait_for F10

check
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "journal verify failed"; }
done_ok
