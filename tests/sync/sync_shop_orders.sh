# Online orders from HQ to the till (PROTOCOL.md "Online orders"): the
# agent pulls GET /v1/shop/orders into the till's shop_orders in one
# transaction journaled as shop_orders_pulled; a re-pulled order never
# makes two; HQ's expiry reaches the till; a pulled order never undoes the
# till's own picking or collection not yet at HQ. Orders are put in at
# HQ with SQL until the shop places them.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
DB="$T/K01.db"
hq import catalogue "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
printf 'number,name,card_code\nA-0001,Siti Aminah,M000001\nA-0002,Budi Santoso,M000002\n' >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0

NOW=$(date +%s)
bump() { sql "$HQDB" "UPDATE versions SET value = value + 1 WHERE name = 'shop_orders' RETURNING value"; }
order() {   # ID MEMBER EXPIRES_AT
	local v
	v=$(bump)
	sql "$HQDB" "INSERT INTO shop_orders(id, store, member, client_key, slot_start, slot_end, expires_at, status, total, placed_at, updated_at, version) VALUES ('$1', '$STORE', '$2', 'k-$1', $((NOW + 3600)), $((NOW + 7200)), $3, 'placed', 93000, $NOW, $NOW, $v)"
	sql "$HQDB" "INSERT INTO shop_order_lines(order_id, line, sku, qty, price) VALUES ('$1', 1, 'MIE-GRG', 5000, 3400), ('$1', 2, 'BRS-PRM-5', 1000, 76000)"
}
order OL-000001 A-0001 $((NOW + 86400))
order OL-000002 A-0002 $((NOW + 86400))
order OL-000003 A-0002 $((NOW + 86400))
till_orders() { sql "$DB" "SELECT id || ' ' || status FROM shop_orders ORDER BY id" | paste -sd, -; }
pulled_events() { sql "$DB" "SELECT count(*) FROM journal WHERE type = 'shop_orders_pulled'"; }

agent K01 once
expect_rc 0
expect_err "online orders: now at version 3 (3 new, 0 changed, 0 kept"
expect_eq "the till's orders" "OL-000001 placed,OL-000002 placed,OL-000003 placed" "$(till_orders)"
expect_eq "lines with name and GTIN" "1|MIE-GRG|0089686010947|Indomie Goreng 85 g|5000|3400
2|BRS-PRM-5|8991234567891|Beras Premium Cap Bunga 5 kg|1000|76000" \
	"$(sql "$DB" "SELECT line, sku, gtin, name, qty, price FROM shop_order_lines WHERE order_id = 'OL-000001' ORDER BY line")"
expect_eq "member" "A-0001|Siti Aminah|93000" \
	"$(sql "$DB" "SELECT member_no, member_name, total FROM shop_orders WHERE id = 'OL-000001'")"
expect_eq "one shop_orders_pulled" 1 "$(pulled_events)"
expect_eq "the pulled version" 3 "$(sql "$DB" "SELECT shop_version FROM sync_state")"
expect_eq "the event" '{"upto":3,"added":3,"updated":0,"kept":0,"orders":["OL-000001","OL-000002","OL-000003"]}' \
	"$(sql "$DB" "SELECT payload FROM journal WHERE type = 'shop_orders_pulled'")"

# --- nothing new: nothing journaled.
agent K01 once
expect_rc 0
expect_err "online orders: up to date (version 3)"
expect_eq "still one event" 1 "$(pulled_events)"

# --- re-pulled from 0 (a restored terminal): no order twice.
sql "$DB" "UPDATE sync_state SET shop_version = 0"
agent K01 once
expect_rc 0
expect_eq "three orders, three times three lines" "3|6" \
	"$(sql "$DB" "SELECT (SELECT count(*) FROM shop_orders), (SELECT count(*) FROM shop_order_lines)")"

# --- this terminal picked OL-000001 and collected OL-000002 (not yet
# pushed); HQ meanwhile expires OL-000002 and OL-000003 and names
# OL-000001 again as placed (a member's new slot): the till's picking and
# collection stand, OL-000003 expires.
sql "$DB" "UPDATE shop_orders SET status = 'ready', picked_total = 17000 WHERE id = 'OL-000001'"
sql "$DB" "UPDATE shop_order_lines SET pick_status = 'picked', picked_qty = qty WHERE order_id = 'OL-000001'"
sql "$DB" "UPDATE shop_orders SET status = 'collected' WHERE id = 'OL-000002'"
V=$(bump)
sql "$HQDB" "UPDATE shop_orders SET version = $V, slot_start = slot_start + 3600 WHERE id = 'OL-000001'"
sql "$HQDB" "UPDATE shop_orders SET expires_at = $((NOW - 5)) WHERE id IN ('OL-000002', 'OL-000003')"
agent K01 once
expect_rc 0
expect_err "(0 new, 1 changed, 2 kept"
expect_eq "picking and collection stand, expiry applies" \
	"OL-000001 ready,OL-000002 collected,OL-000003 expired" "$(till_orders)"
expect_eq "the picking is kept" "picked|picked" \
	"$(sql "$DB" "SELECT group_concat(pick_status, '|') FROM shop_order_lines WHERE order_id = 'OL-000001'")"
expect_eq "HQ expired both" "expired|expired" \
	"$(sql "$HQDB" "SELECT status FROM shop_orders WHERE id IN ('OL-000002', 'OL-000003') ORDER BY id" | paste -sd'|' -)"

# --- a picking HQ holds from another terminal arrives as ready.
V=$(bump)
order OL-000004 A-0001 $((NOW + 86400))
V=$(bump)
sql "$HQDB" "UPDATE shop_order_lines SET pick_status = 'short', picked_qty = 2000 WHERE order_id = 'OL-000004' AND line = 1"
sql "$HQDB" "UPDATE shop_order_lines SET pick_status = 'substituted', picked_qty = 1000, sub_sku = 'MIE-GRG', sub_price = 3400 WHERE order_id = 'OL-000004' AND line = 2"
sql "$HQDB" "UPDATE shop_orders SET status = 'ready', picked_total = 10200, version = $V WHERE id = 'OL-000004'"
agent K01 once
expect_rc 0
expect_eq "ready with its picking" "ready|10200" \
	"$(sql "$DB" "SELECT status, picked_total FROM shop_orders WHERE id = 'OL-000004'")"
expect_eq "the lines' picking" "1|short|2000||
2|substituted|1000|MIE-GRG|3400" \
	"$(sql "$DB" "SELECT line, pick_status, picked_qty, sub_sku, sub_price FROM shop_order_lines WHERE order_id = 'OL-000004' ORDER BY line")"

# --- the journal still verifies.
"$COOPMART" --db "$DB" journal verify >/dev/null 2>"$T/verify.err" || fail "journal verify: $(cat "$T/verify.err")"
CHECKS=$((CHECKS + 1))
done_ok
