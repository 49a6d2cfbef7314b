#!/bin/bash
# A USB scanner (emulated: umockdev and tests/drivers/usbfake_preload.c)
# serves whatever screen is on top, as a keyboard-wedge scanner does:
# receiving, a stock adjustment, a stock count and its review, a return
# (the receipt's number, then an item of it), the member dialog, the
# screen after a sale; a dialog that asks for a quantity refuses the scan
# with a message and keeps its field.
set -eu
. "$(dirname "$0")/lib.sh.inc"
. "$(dirname "$0")/usbemu.sh.inc"
MILK=8991085004811
RICE1=8991000000003

new_demo_db
printf '999999\n' | "$COOPMART" --db "$DB" --user 1 setting set scanner usb:0c2e:0b61 ||
	fail "could not set the scanner"
till_start LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$U" \
	USBFAKE_NO_PRINTER=1
for _ in $(seq 50); do [ -e "$U/ready" ] && break; sleep 0.1; done
[ -e "$U/ready" ] || fail "the emulated devices never came up"
login 201 222222
wait_for F10
wait_for "Scanner: ready"

# The member dialog takes a member card from the scanner.
key F11
wait_for "Member no. or card:"
ctl scan M000002
wait_for "Member A-0002 Sri Wahyuni attached"

# A sale, paid; on the receipt screen the next customer's first scan
# starts the next sale.
ctl scan $MILK
wait_big 11.500
key F10
wait_for "TOTAL TO PAY"
key Enter
wait_for "Sale K01-000001 saved."
ctl scan $MILK
wait_gone "Sale K01-000001 saved."
wait_for "Susu Greenfields UHT Coklat sedang"
wait_sql "SELECT count(*) FROM open_ticket_lines" 1
# Over the help screen a scan closes it and rings up (2 of the milk now).
key F1
wait_for "Keys (any key closes)"
ctl scan $MILK
wait_gone "Keys (any key closes)"
wait_sql "SELECT sum(qty) FROM open_ticket_lines" 2000
# A dialog asking for a quantity refuses a scan: not typed into it.
key F3
wait_for "New quantity:"
ctl scan $MILK
wait_for "ignored: finish this entry first"
expect_screen_re '│ New quantity: +│$'
key Escape
wait_gone "New quantity:"
key F6
wait_for "Name (optional):"
key Enter
wait_for "Ticket on hold."

# Receiving: the scan opens the item's quantity, as F2 and typing would.
key C-o
wait_for "Manager menu"
key 9
wait_for "Supplier:"
type_in "pasar induk"
key Enter
wait_for "Purchase order:"
key Enter
wait_for "Delivery 1 from Pasar Induk"
ctl scan $MILK
wait_for "Quantity:"
type_in 24
key Enter
wait_for "Unit cost:"
type_in 9500
key Enter
wait_for_re '^ +1 +D[0-9]+ +Susu Greenfields UHT'
key Escape
wait_for "The delivery is kept as a draft."

# A stock adjustment: the scan fills the item's code.
key 0
wait_for "Barcode or SKU:"
ctl scan $MILK
wait_for "Quantity:"
expect_screen "Susu Greenfields UHT Coklat sedang"
key Escape
wait_gone "Quantity:"

# A return: the receipt's number from the scanner, then the item.
key 7
wait_for "Receipt number:"
ctl scan K01-000001
wait_for "Return of sale K01-000001"
ctl scan $MILK
wait_for "Return of line 1:"
type_in 1
key Enter
wait_for_re '^ +1 +Susu Greenfields.* 1 +1 +1 '
key Escape
wait_gone "Return of sale"

# A stock count of zone R01: the scan asks the quantity counted.
key a
wait_for "No count is running"
key F2
wait_for "1. A shelf zone"
key 1
wait_for "Zone:"
type_in R01
key Enter
wait_for "Scan or type an item:"
ctl scan $RICE1
wait_for "Quantity (pcs):"
type_in 30
key Enter
wait_for "Beras Cap Bunga Premium 1 kg: 30 pcs counted."
wait_sql "SELECT qty FROM stock_count_lines WHERE count_id = 1" 30000
# The review: the scan chooses the item's line and asks the recount.
key Escape
wait_for "1/96 counted"
key F4
wait_for "Review 1: zone R01"
ctl scan $RICE1
wait_for_re "│ Quantity: +│"
type_in 31
key Enter
wait_for "Beras Cap Bunga Premium 1 kg recounted: 31 pcs."
wait_sql "SELECT qty FROM stock_count_lines WHERE count_id = 1" 31000

done_ok
