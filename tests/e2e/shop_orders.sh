#!/bin/bash
# Online orders at the counter, as the store works them: the list (Ctrl-P)
# with status, pickup slot, member and total; picking an order (its pick
# list printed with item names, quantities, shelf zones and the order's
# CODE128 barcode; one line picked, one substituted, one short), finished
# as ready and journaled; collected by its typed number onto the ticket
# at the prices ordered with the member attached, and paid; orders that
# cannot be collected refused with the reason; a member's web PIN typed
# twice after a supervisor approved it for that member (a trivial PIN and
# two different PINs refused). The orders are
# put in the till's store as the sync agent leaves them
# (tests/sync/sync_shop_orders.sh tests the pull itself).
set -eu
. "$(dirname "$0")/lib.sh.inc"

GOT="$T/printer.bin"
new_demo_db
sqlite3 -batch "$DB" "INSERT OR REPLACE INTO settings(key, value) VALUES ('printer', 'file:$GOT')"
# E2E_TIME is 2026-01-02 09:30 WIB; slots of one hour from 10:00.
SLOT=$((E2E_TIME + 1800))
order() {   # ID STATUS MEMBER NAME SLOT_OFFSET EXPIRES_AT
	sqlite3 -batch "$DB" "INSERT INTO shop_orders(id, status, member_no, member_name, placed_at, slot_start, slot_end, expires_at, total, version) VALUES ('$1', '$2', '$3', '$4', $((E2E_TIME - 7200)), $((SLOT + $5)), $((SLOT + $5 + 3600)), $6, 98100, 1);
		INSERT INTO shop_order_lines(order_id, line, sku, gtin, name, qty, price) VALUES
		('$1', 1, 'D00001', '8991000000003', 'Beras Cap Bunga Premium 1 kg', 2000, 14300),
		('$1', 2, 'D00098', '8991010000970', 'Minyak Goreng Bimoli Pouch 2 L', 1000, 35000),
		('$1', 3, 'D00482', '8991085004811', 'Susu Greenfields UHT Coklat sedang', 3000, 11500)"
}
DAY=86400
order OL-000123 placed A-0001 "Budi Santoso" 0 $((E2E_TIME + DAY))
order OL-000124 ready A-0002 "Sri Wahyuni" 3600 $((E2E_TIME - 60))
order OL-000125 collected A-0003 "Agus Salim" 3600 $((E2E_TIME + DAY))
order OL-000126 placed A-0002 "Sri Wahyuni" 7200 $((E2E_TIME + DAY))
order OL-000127 cancelled A-0003 "Agus Salim" 7200 $((E2E_TIME + DAY))
bytes() { od -An -tx1 -v "$GOT" 2>/dev/null | tr -d ' \n'; }
hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }

till_start
login 101 111111
wait_for F10

# --- the list.
key C-p
wait_for "Online orders"
wait_for "OL-000123 to pick      02/01 10:00-11:00 A-0001 Budi Santos         Rp98.100"
# (ready, but past its expiry: expired at the counter before HQ says so)
expect_screen "OL-000124 expired"
expect_screen "OL-000125 collected"
expect_screen "OL-000127 cancelled"
expect_screen "F2Collect no."

# --- orders that cannot be collected, by number: each refused, nothing
# on the ticket.
refused() {   # TYPED MESSAGE
	key F2
	wait_for "Order no. (OL-000123 or 123):"
	type_in "$1"
	key Enter
	wait_for "$2"
	key Escape
	wait_gone "Order no. (OL-000123 or 123):"
}
refused 126 "online order OL-000126 is not picked yet"
refused OL-000124 "online order OL-000124 expired (02/01/2026 09:29)"
refused 125 "online order OL-000125 was collected already"
refused ol-127 "online order OL-000127 was cancelled by the member"
refused 999 "online order OL-000999 is not at this till"
refused x12 "x12 is not an online order number"
# An order's barcode scanned in the list (a keyboard-wedge scanner types it).
scan OL-000124
wait_for "online order OL-000124 expired"
expect_eq "nothing on a ticket" 0 "$(sql "SELECT count(*) FROM open_ticket_lines")"

# --- picking OL-000123 (the first row): the pick list first.
key Enter
wait_for "Picking OL-000123"
wait_for "Member: A-0001 Budi Santoso"
expect_screen " 1 Beras Cap Bunga Premium 1 kg          2 R01"
key F6
wait_for "Pick list of OL-000123 sent to the printer."
for _ in $(seq 100); do bytes | grep -q "$(hex OL-000123)" && break; sleep 0.1; done
bytes | grep "1d6b490b7b42$(hex OL-000123)" >/dev/null || fail "no CODE128 barcode of the order on the pick list"
check
# (names longer than the paper wrap: 32 columns on the demo's printer)
for want in "ONLINE ORDER PICK LIST" "Order: OL-000123" "Member: A-0001 Budi Santoso" \
	"Pickup: 02/01 10:00-11:00" " 1 Beras Cap Bunga Premium 1 kg" "[ ] qty 2, shelf R01" \
	" 3 Susu Greenfields UHT Coklat" "[ ] qty 3, shelf R09" "Lines: 3, total Rp98.100"; do
	grep -aF -- "$want" "$GOT" >/dev/null || fail "the pick list lacks: $want"
	check
done
# Finish refused while a line is unmarked.
key F10
wait_for "line 1 (Beras Cap Bunga Premium 1 kg) is not marked yet"
# Line 1 picked in full by its barcode (scanned while line 2 is chosen:
# the code finds the line), line 2 substituted by Beras Rojolele 1 kg
# (member price 15.700), line 3 short: 2 of 3 found.
key Down
scan 8991000000003
wait_for "picked 2"
expect_no_screen "subst."
scan 8991234567891
wait_for "8991234567891 is not on this order"
key F4
wait_for "Scan or type the item given:"
scan D00013
wait_for "Quantity given:"
type_in 1
key Enter
wait_for "subst. D00013 1"
key F3
wait_for "Quantity found (0: none):"
type_in 5
key Enter
wait_for "the quantity found must be between 0 and the 3 ordered"
wait_for "Quantity found (0: none):"
key BSpace
type_in 2
key Enter
wait_for "short 2"
wait_for "Picked so far: Rp67.300"
key F10
wait_for "Order OL-000123 is ready for pickup: Rp67.300."
wait_for "OL-000123 ready"
expect_eq "ready at the till" "ready|67300" "$(sql "SELECT status, picked_total FROM shop_orders WHERE id = 'OL-000123'")"
expect_eq "shop_picked journaled" '{"order":"OL-000123","lines":[{"line":1,"status":"picked","qty":2000},{"line":2,"status":"substituted","qty":1000,"sku":"D00013","price":15700},{"line":3,"status":"short","qty":2000}],"total":67300}' \
	"$(sql "SELECT payload FROM journal WHERE type = 'shop_picked'")"

# --- collected by its typed number at the sale: the lines as picked, at
# the prices ordered, the member attached; paid in cash.
key Escape
wait_gone "Online orders"
type_in OL-123
key Enter
wait_for "Online order OL-000123 of A-0001 Budi Santoso is on the ticket: F10 to pay."
expect_screen "Beras Cap Bunga Premium 1 kg"
expect_screen "Beras Cap Bunga Rojolele 1 kg"
expect_screen "Susu Greenfields UHT Coklat sedang"
expect_screen "Member: A-0001 Budi Santoso |"
expect_eq "the ticket's lines" "D00001|2000|14300
D00013|1000|15700
D00482|2000|11500" "$(sql "SELECT sku, qty, unit_price FROM open_ticket_lines ORDER BY line_no")"
key F10
wait_for "TOTAL TO PAY"
type_in 70000
key Enter
wait_sql "SELECT count(*) FROM sales" 1
expect_eq "collected by the sale" "collected|1" "$(sql "SELECT status, sale_id FROM shop_orders WHERE id = 'OL-000123'")"
expect_eq "the sale carries the order" "OL-000123|67300|A-0001" \
	"$(sql "SELECT json_extract(payload, '\$.shop_order') || '|' || json_extract(payload, '\$.due') || '|' || json_extract(payload, '\$.member_no') FROM journal WHERE type = 'sale'")"
key Enter
wait_for F10
# Once collected, never twice.
type_in OL-000123
key Enter
wait_for "online order OL-000123 was collected already"
expect_eq "one sale" 1 "$(sql "SELECT count(*) FROM sales")"

# --- a member's web PIN, typed twice; this store is no demo for it. A
# cashier needs a supervisor, who sees the member before the PIN is
# typed (a web PIN opens the member's orders at HQ's shop).
sql "UPDATE settings SET value = '0' WHERE key = 'demo'" >/dev/null
pin_member() {   # MEMBER
	key C-p
	wait_for "Online orders"
	key F5
	wait_for "Member no. or card:"
	type_in "$1"
	key Enter
}
web_pin() {   # MEMBER PIN AGAIN MESSAGE
	pin_member "$1"
	wait_for "Supervisor approval"
	expect_screen "set a member's web PIN, asked by cashier 101"
	expect_screen "Member $1 Sri Wahyuni:"
	expect_screen "set their web PIN for the online shop"
	expect_screen "Member's card checked"
	expect_no_screen "Member, type a PIN"
	approve
	wait_for "Member, type a PIN (6-12 digits):"
	type_in "$2"
	key Enter
	wait_for "The same PIN again:"
	type_in "$3"
	expect_no_screen "$3"
	key Enter
	wait_for "$4"
	key Escape
	wait_gone "Online orders"
}
# An unknown member is said at once, before any approval or PIN.
pin_member Z-0404
wait_for "no member with card or number Z-0404"
expect_screen "Member no. or card:"
expect_no_screen "Supervisor approval"
key Escape
key Escape
wait_gone "Online orders"
# Esc at the approval: nothing asked of the member, nothing journaled.
pin_member A-0002
wait_for "Supervisor approval"
key Escape
wait_gone "Supervisor approval"
expect_no_screen "Member, type a PIN"
web_pin A-0002 123456 123456 "this PIN is too easy to guess"
web_pin A-0002 482913 482914 "the two PINs differ"
expect_eq "no web PIN yet" 0 "$(sql "SELECT count(*) FROM journal WHERE type = 'web_pin'")"
web_pin A-0002 482913 482913 "Web PIN of member A-0002 set"
expect_eq "web_pin journaled, Argon2id, with its approval" 'A-0002|$argon2id$|member=A-0002|201|'"Member's card checked" \
	"$(sql "SELECT json_extract(payload, '\$.member') || '|' || substr(json_extract(payload, '\$.hash'), 1, 10) || '|' || json_extract(payload, '\$.approved') || '|' || json_extract(payload, '\$.approver') || '|' || json_extract(payload, '\$.reason') FROM journal WHERE type = 'web_pin'")"
grep -aF 482913 "$DB" "$DB-wal" >/dev/null 2>&1 && fail "the PIN itself is in the store"
check
done_ok
