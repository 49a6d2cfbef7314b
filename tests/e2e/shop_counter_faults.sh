#!/bin/bash
# Online orders at the counter when things go wrong (tests/e2e/shop_orders.sh
# is the happy path): no orders yet; the pick list asked of a dead printer
# (the picker is told plainly, the printer's state is on the screen, the
# list waits in the queue, the picking goes on); a substitute not in the
# catalogue told before its quantity is asked; Esc half-way asks before
# the marks are forgotten; an order on a held ticket
# scanned again onto a new one; its barcode scanned on the pay screen; an
# order past its expiry shown expired and not picked; its code typed by
# a keyboard-wedge scanner while a question is open (not a yes).
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
# A printer that is not there (unplugged).
sqlite3 -batch "$DB" "INSERT OR REPLACE INTO settings(key, value) VALUES ('printer', 'file:$T/gone/printer.bin')"
SLOT=$((E2E_TIME + 1800))
order() {   # ID STATUS MEMBER NAME EXPIRES_AT
	sqlite3 -batch "$DB" "INSERT INTO shop_orders(id, status, member_no, member_name, placed_at, slot_start, slot_end, expires_at, total, version) VALUES ('$1', '$2', '$3', '$4', $((E2E_TIME - 7200)), $SLOT, $((SLOT + 3600)), $5, 63600, 1);
		INSERT INTO shop_order_lines(order_id, line, sku, gtin, name, qty, price) VALUES
		('$1', 1, 'D00001', '8991000000003', 'Beras Cap Bunga Premium 1 kg', 2000, 14300),
		('$1', 2, 'D00098', '8991010000970', 'Minyak Goreng Bimoli Pouch 2 L', 1000, 35000)"
}
DAY=86400

till_start
login 101 111111
wait_for F10

# --- no orders yet: said so, and how they come.
key C-p
wait_for "No online orders. The sync agent brings them from HQ."
key Escape
wait_gone "Online orders"

# --- the pick list on a dead printer: told plainly, the printer's state
# shown, the list queued, the picking goes on.
order OL-000123 placed A-0001 "Budi Santoso" $((E2E_TIME + DAY))
key C-p
wait_for "OL-000123 to pick"
wait_for "Printer: offline"
key Enter
wait_for "Picking OL-000123"
key F6
wait_for "Printer not ready: OL-000123's pick list prints later; pick from this screen."
# (the print worker reports the queue a moment later)
wait_for "Printer: offline, 1 receipt waiting"
expect_no_screen "sent to the printer"
expect_eq "the pick list waits in the queue" 1 \
	"$(sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL")"
# A substitute that is not in the catalogue is told before its quantity.
key F4
wait_for "Scan or type the item given:"
scan 9999999999994
wait_for "unknown code 9999999999994"
expect_screen "Scan or type the item given: 9999999999994"
expect_no_screen "Quantity given:"
key Escape
wait_gone "Scan or type the item given:"
scan 8991000000003
wait_for "picked 2"
# Esc half-way asks before the marks are forgotten; "no" keeps them.
key Escape
wait_for "Leave the picking?"
expect_screen "1 of 2 lines are marked. Leaving forgets the marks:"
key Escape
wait_gone "Leave the picking?"
expect_screen "picked 2"
expect_screen "Picking OL-000123"
key Escape
wait_for "Leave the picking?"
key Enter
wait_for "Picking left: nothing was saved."
expect_eq "still to pick" placed "$(sql "SELECT status FROM shop_orders WHERE id = 'OL-000123'")"
key Escape
wait_gone "Online orders"

# --- an order on a ticket put on hold cannot be collected onto a second
# ticket (that one could only fail at payment, the cash taken); resumed,
# it is paid, the dead printer notwithstanding.
order OL-000124 ready A-0002 "Sri Wahyuni" $((E2E_TIME + DAY))
sql "UPDATE shop_order_lines SET pick_status = 'picked', picked_qty = qty WHERE order_id = 'OL-000124';
	UPDATE shop_orders SET picked_total = 63600 WHERE id = 'OL-000124'" >/dev/null
scan OL-000124
wait_for "Online order OL-000124 of A-0002 Sri Wahyuni is on the ticket"
# Scanned again while a question is open: the scanner's Enter is no yes.
key F9
wait_for "Cancel the whole ticket?"
scan OL-000124
wait_for "Scan OL-000124 ignored: answer the question first"
expect_screen "Cancel the whole ticket?"
key Escape
wait_for "Nothing changed."
expect_screen "Minyak Goreng"
key F6
wait_for "Hold ticket"
key Enter
wait_for "Ticket on hold."
scan OL-000124
wait_for "online order OL-000124 is on a ticket on hold already: resume it (F7)"
expect_no_screen "Minyak Goreng"
key F7
wait_for "Tickets on hold"
key Enter
wait_for "Ticket resumed."
expect_screen "Member: A-0002 Sri Wahyuni"
key F10
wait_for "TOTAL TO PAY"
# Its barcode scanned again on the pay screen: said what it is, no cash.
scan OL-000124
wait_for "OL-000124 is an online order: collect it at the sale screen (Esc)."
expect_eq "nothing paid" 0 "$(sql "SELECT count(*) FROM sales")"
for _ in $(seq 9); do key BSpace; done
type_in 70000
key Enter
wait_sql "SELECT count(*) FROM sales" 1
expect_eq "collected once, by the sale" "collected|1" \
	"$(sql "SELECT status, sale_id FROM shop_orders WHERE id = 'OL-000124'")"
expect_eq "its receipt waits for the printer" 1 \
	"$(sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL AND kind = 'receipt'")"

# --- an order to pick past its expiry (HQ has released its stock): the
# list says expired, and it is not picked.
key Enter
wait_for F10
order OL-000125 placed A-0003 "Agus Salim" $((E2E_TIME - 60))
key C-p
wait_for "OL-000125 expired"
key Down
key Down
key Enter
wait_for "Picking OL-000125"
scan 8991000000003
wait_for "online order OL-000125 expired: it is not picked any more"
expect_no_screen "picked 2"
check
done_ok
