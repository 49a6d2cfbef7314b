# The online shop's orders at HQ from the command line, on SQLite and on
# PostgreSQL: `coopmart-hq shop settings` opens a store's shop (absent =
# closed), `shop order` places an order as the shop's checkout does (member
# prices, store prices first; ids OL-000001... from 'shop_seq'; each order
# takes a 'shop_orders' version), a retried submit (same client key)
# returns the same order and never makes two, and the limits refuse with
# a message: open orders per member, quantity per line, what the store's
# stock less open orders can promise, the slot's cut-off, a slot that is
# not the store's, a member who left, an item not sold. `member web-pin`
# takes the PIN on standard input, refuses a trivial one, keeps an
# Argon2id hash and journals the change.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

hq enroll --store TOKO-A --terminal K01
TOK_A=$OUT
printf '%s\n' "sku,name,price,member_price,category,barcodes" \
	"GULA-1,Gula Pasir 1 kg,17500,16500,Sembako,8991234567891" \
	"TEH-25,Teh Celup isi 25,6500,6000,Minuman,8991234567907" \
	"KOPI-1,Kopi Bubuk 200 g,9500,9000,Minuman," \
	"SABUN-1,Sabun Mandi 85 g,4000,,Toiletries," >"$T/items.csv"
hq import catalogue "$T/items.csv"
expect_rc 0
printf '%s\n' "sku,price,member_price" "KOPI-1,9800,8800" >"$T/prices.csv"
hq import prices --store TOKO-A "$T/prices.csv"
expect_rc 0
printf '%s\n' "number,name,card_code,status,left_date" "A-0001,Sri Wahyuni,M0001,active," \
	"A-0002,Joko Susilo,M0002,left,2026-01-31" "A-0003,Budi Santoso,M0003,active," \
	>"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0

# HQ's stock of the store: 12 bags of sugar, 4 boxes of tea, 3 of coffee, 5 soaps.
new_till "$T/a.db" K01
$CHAIN import "$T/a.db" >"$T/a.chain"
$CHAIN append "$T/a.chain" stock_opening '{"as_of":1764403200,"lines":[{"qty":12000,"sku":"GULA-1"},{"qty":4000,"sku":"TEH-25"},{"qty":3000,"sku":"KOPI-1"},{"qty":5000,"sku":"SABUN-1"}],"part":1,"parts":1}'
$CHAIN push "$T/a.chain" TOKO-A 1 "$(wc -l <"$T/a.chain")" >"$T/a.json"
hq_start
push "$TOK_A" "$T/a.json"
expect_status 200

# No settings row: the shop is closed.
hq shop order TOKO-A --member A-0001 --slot next GULA-1=1
expect_rc 8
expect_err "online shop is closed"
hq shop settings TOKO-Z
expect_rc 2
hq shop settings TOKO-A --open 07:00 --close 06:00
expect_rc 3
hq shop settings TOKO-A --open 00:00 --close 24:00 --slot 60 --cutoff 0 --max-open 2 --max-qty 11
expect_rc 0
expect_out "at most 2 open orders per member and 11 per line"
expect_eq "the settings' change is in the log" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM web_audit WHERE action = 'shop_settings' AND detail = 'TOKO-A'")"

hq shop order TOKO-A --member A-0001 --slot next --key k1 GULA-1=2 KOPI-1=1 TEH-25=1
expect_rc 0
read -r ID STATUS TOTAL _ <<<"$OUT"
expect_eq "the first order's id" OL-000001 "$ID"
expect_eq "its status" placed "$STATUS"
expect_eq "member prices, the store's first" $((2 * 16500 + 8800 + 6000)) "$TOTAL"
# The retried submit: the same order, not a second one.
hq shop order TOKO-A --member A-0001 --slot next --key k1 GULA-1=2 KOPI-1=1 TEH-25=1
expect_rc 0
expect_eq "a retried submit returns the same order" "OL-000001 again" \
	"$(awk '{print $1, $6}' <<<"$OUT")"
expect_eq "one order stored" 1 "$(sql "$HQDB" "SELECT count(*) FROM shop_orders")"
expect_eq "versions after one order" "1|1" \
	"$(sql "$HQDB" "SELECT (SELECT value FROM versions WHERE name = 'shop_seq'), (SELECT value FROM versions WHERE name = 'shop_orders')")"
expect_eq "the order's lines" "1|GULA-1|2000|16500 2|KOPI-1|1000|8800 3|TEH-25|1000|6000" \
	"$(sql "$HQDB" "SELECT line, sku, qty, price FROM shop_order_lines WHERE order_id = 'OL-000001' ORDER BY line" | tr '\n' ' ' | sed 's/ $//')"

# Limits, each refused with its message, nothing stored.
hq shop order TOKO-A --member A-0001 --slot next GULA-1=12
expect_rc 3
expect_err "At most 11 of GULA-1 per order"
hq shop order TOKO-A --member A-0001 --slot next GULA-1=11
expect_rc 3
expect_err "Only 10 of GULA-1 are available"
hq shop order TOKO-A --member A-0001 --slot next GULA-1=1.5
expect_rc 3
expect_err "must be a positive number"
hq shop order TOKO-A --member A-0001 --slot next GULA-1=-1
expect_rc 1
hq shop order TOKO-A --member A-0001 --slot next ROTI-9=1
expect_rc 2
expect_err "Item ROTI-9 is not sold"
hq shop order TOKO-A --member A-0002 --slot next GULA-1=1
expect_rc 4
expect_err "Only active members may order"
hq shop order TOKO-A --member A-0001 --slot "$(date -d '+1 day' '+%Y-%m-%d') 10:30" GULA-1=1
expect_rc 3
expect_err "not one of the store's"
hq shop settings TOKO-A --cutoff 120
expect_rc 0
hq shop order TOKO-A --member A-0001 --slot "$(date -d '+1 hour' '+%Y-%m-%d %H'):00" GULA-1=1
expect_rc 8
expect_err "closed 120 minutes before it"
hq shop order TOKO-A --member A-0001 --slot next --key k2 GULA-1=10
expect_rc 0
expect_out "OL-000002 placed"
hq shop order TOKO-A --member A-0001 --slot next --key k3 TEH-25=1
expect_rc 8
expect_err "You have 2 open orders already"
expect_eq "two orders stored, versions 1 and 2" "OL-000001|1 OL-000002|2" \
	"$(sql "$HQDB" "SELECT id, version FROM shop_orders ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the second's slot honours the cut-off" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM shop_orders WHERE id = 'OL-000002' AND slot_start >= placed_at + 7200 AND slot_end = slot_start + 3600 AND expires_at = slot_end + 86400")"

# An item without a member price costs a member its shelf price (not Rp0).
# The placement also expires the store's overdue orders first.
sql "$HQDB" "UPDATE shop_orders SET expires_at = $(($(date +%s) - 10)) WHERE id = 'OL-000001'"
hq shop order TOKO-A --member A-0003 --slot next --key k4 SABUN-1=2
expect_rc 0
expect_eq "the overdue order expired with a new version, before the new order's" "expired|3 placed|4" \
	"$(sql "$HQDB" "SELECT status, version FROM shop_orders WHERE id IN ('OL-000001', 'OL-000003') ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no member price: the shelf price" "OL-000003|4000|8000" \
	"$(sql "$HQDB" "SELECT o.id, l.price, o.total FROM shop_orders o JOIN shop_order_lines l ON l.order_id = o.id WHERE o.member = 'A-0003'")"

# Web PINs: on standard input, never trivial, kept as Argon2id.
printf '123456\n' | "$COOPMART_HQ" --db "$HQDB" member web-pin A-0001 2>"$T/pin.err" && fail "a trivial PIN was taken"
grep -F "too easy to guess" "$T/pin.err" >/dev/null || fail "the trivial PIN's message: $(cat "$T/pin.err")"
printf '48051\n' | "$COOPMART_HQ" --db "$HQDB" member web-pin A-0001 2>"$T/pin.err" && fail "a 5-digit PIN was taken"
printf '480516\n' | "$COOPMART_HQ" --db "$HQDB" member web-pin A-0009 2>"$T/pin.err" && fail "an unknown member got a PIN"
printf '480516\n' | "$COOPMART_HQ" --db "$HQDB" member web-pin A-0001 2>"$T/pin.err" || fail "member web-pin: $(cat "$T/pin.err")"
expect_eq "the PIN kept as an Argon2id hash, set at HQ" "1|hq:cli" \
	"$(sql "$HQDB" "SELECT pinhash LIKE '\$argon2id\$%', set_by FROM member_web_pins WHERE member = 'A-0001'" | sed 's/^t|/1|/')"
expect_eq "the PIN change is in the log" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM web_audit WHERE action = 'member_web_pin' AND detail = 'A-0001'")"

# Two checkouts at once (PostgreSQL, where a transaction reads what
# others committed): while another transaction holds the order numbers
# and places the last 3 soaps for A-0003, A-0003's checkout waits for it
# and then sees both its open orders and no soap: refused, not oversold.
if [ -n "${COOPMART_TEST_PG:-}" ]; then
	NOW=$(date +%s)
	psql -X -q -v ON_ERROR_STOP=1 -d "$HQDB" -c "BEGIN;
		UPDATE versions SET value = value + 1 WHERE name = 'shop_seq';
		INSERT INTO shop_orders(id, store, member, client_key, slot_start, slot_end, expires_at, status, total, placed_at, updated_at, version) VALUES ('OL-000900', 'TOKO-A', 'A-0003', 'k-race', $((NOW + 7200)), $((NOW + 10800)), $((NOW + 96400)), 'placed', 12000, $NOW, $NOW, 900);
		INSERT INTO shop_order_lines(order_id, line, sku, qty, price) VALUES ('OL-000900', 1, 'SABUN-1', 3000, 4000);
		SELECT pg_sleep(3); COMMIT;" >/dev/null 2>"$T/race.err" &
	RACE=$!
	sleep 1
	hq shop order TOKO-A --member A-0003 --slot next --key k5 SABUN-1=1
	wait "$RACE" || fail "the other transaction failed: $(cat "$T/race.err")"
	[ "$RC" -ne 0 ] || fail "the checkout that waited was not refused: $OUT"
	expect_eq "A-0003 within its 2 open orders, the soap within its 5" "2|5000" \
		"$(sql "$HQDB" "SELECT count(DISTINCT o.id), sum(l.qty) FROM shop_orders o JOIN shop_order_lines l ON l.order_id = o.id WHERE o.status = 'placed' AND l.sku = 'SABUN-1'")"
fi

hq shop settings TOKO-A --off
expect_rc 0
hq shop order TOKO-A --member A-0001 --slot next GULA-1=1
expect_rc 8
expect_err "online shop is closed"
hq_stop
done_ok
