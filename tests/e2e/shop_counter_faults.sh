#!/bin/bash
# Online orders at the counter when things go wrong (tests/e2e/shop_orders.sh
# is the happy path): no orders yet; the pick list asked of a dead printer
# (the picker is told plainly, the printer's state is on the screen, the
# list waits in the queue, the picking goes on).
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
expect_screen "Printer: offline, 1 receipt waiting"
expect_no_screen "sent to the printer"
expect_eq "the pick list waits in the queue" 1 \
	"$(sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL")"
scan 8991000000003
wait_for "picked 2"
check
done_ok
