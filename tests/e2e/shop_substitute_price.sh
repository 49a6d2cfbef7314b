#!/bin/bash
# A substitute costs the member no more than the line it replaces
# (sync/PROTOCOL.md "A substitute's price"): 2 kg rice ordered at Rp14.300
# (Rp28.600) given as 0,75 kg beef at Rp140.000 is Rp28.600 for the
# member, not Rp105.000; the picker is told; the journaled picking, the
# picked total and the collected ticket all carry the lowered price. A
# cheaper substitute keeps its own member price.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
SLOT=$((E2E_TIME + 1800))
sqlite3 -batch "$DB" "INSERT INTO shop_orders(id, status, member_no, member_name, placed_at, slot_start, slot_end, expires_at, total, version) VALUES ('OL-000200', 'placed', 'A-0001', 'Budi Santoso', $((E2E_TIME - 7200)), $SLOT, $((SLOT + 3600)), $((E2E_TIME + 86400)), 63600, 1);
	INSERT INTO shop_order_lines(order_id, line, sku, gtin, name, qty, price) VALUES
	('OL-000200', 1, 'D00001', '8991000000003', 'Beras Cap Bunga Premium 1 kg', 2000, 14300),
	('OL-000200', 2, 'D00098', '8991010000970', 'Minyak Goreng Bimoli Pouch 2 L', 1000, 35000)"

till_start
login 101 111111
wait_for F10
key C-p
wait_for "OL-000200 to pick"
key Enter
wait_for "Picking OL-000200"

# Line 1: the rice, given as 0,75 kg beef (F001, Rp140.000 a kg).
key F4
wait_for "Scan or type the item given:"
type_in F001
key Enter
wait_for "Quantity given:"
type_in 0,75
key Enter
wait_for "subst. F001 0,75"
wait_for "Substitute dearer than ordered: the member pays Rp28.600, not Rp105.000."
# Line 2: the oil, given as Rojolele rice (member price Rp15.700): cheaper,
# its own price.
key F4
wait_for "Scan or type the item given:"
type_in D00013
key Enter
wait_for "Quantity given:"
type_in 1
key Enter
wait_for "subst. D00013 1"
expect_no_screen "Substitute dearer"
wait_for "Picked so far: Rp44.300"
key F10
wait_for "Order OL-000200 is ready for pickup: Rp44.300."
expect_eq "shop_picked at the lowered price" '{"order":"OL-000200","lines":[{"line":1,"status":"substituted","qty":750,"sku":"F001","price":38133},{"line":2,"status":"substituted","qty":1000,"sku":"D00013","price":15700}],"total":44300}' \
	"$(sql "SELECT payload FROM journal WHERE type = 'shop_picked'")"

# Collected: the beef line costs what the rice line did.
key Escape
wait_gone "Online orders"
type_in OL-200
key Enter
wait_for "Online order OL-000200 of A-0001 Budi Santoso is on the ticket: F10 to pay."
expect_eq "the ticket's lines" "F001|750|38133
D00013|1000|15700" "$(sql "SELECT sku, qty, unit_price FROM open_ticket_lines ORDER BY line_no")"
key F10
wait_for "TOTAL TO PAY"
type_in 50000
key Enter
wait_sql "SELECT count(*) FROM sales" 1
expect_eq "the member paid the ordered amounts" 44300 \
	"$(sql "SELECT json_extract(payload, '\$.due') FROM journal WHERE type = 'sale'")"
check
done_ok
