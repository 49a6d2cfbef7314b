# coopmart-hq: the store's side of the online orders (PROTOCOL.md "Online
# orders"). GET /v1/shop/orders answers the token's store's orders above a
# version, expiring overdue ones first (one new version, once); a
# terminal's shop_picked makes an order ready with its picking, a sale
# carrying shop_order collects it, web_pin sets the member's web PIN; a
# malformed or unknown one folds into nothing with the alert payload (a
# sale whose order is unknown still folds: it happened). Orders are put
# in with SQL until the shop places them.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

hq enroll --store KMB-SMG --terminal K01
TOK=$OUT
hq enroll --store KMB-SLO --terminal K02
TOK2=$OUT
hq import catalogue "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
printf 'number,name,card_code\nA-0001,Siti Aminah,M000001\nA-0002,Budi Santoso,M000002\n' >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0

NOW=$(date +%s)
# order ID STORE MEMBER STATUS EXPIRES_AT VERSION: two lines,
# 5 x MIE-GRG @ 3.400 and 1 x BRS-PRM-5 @ 76.000.
order() {
	sql "$HQDB" "INSERT INTO shop_orders(id, store, member, client_key, slot_start, slot_end, expires_at, status, total, placed_at, updated_at, version) VALUES ('$1', '$2', '$3', 'k-$1', $((NOW + 3600)), $((NOW + 7200)), $5, '$4', 93000, $NOW, $NOW, $6)"
	sql "$HQDB" "INSERT INTO shop_order_lines(order_id, line, sku, qty, price) VALUES ('$1', 1, 'MIE-GRG', 5000, 3400), ('$1', 2, 'BRS-PRM-5', 1000, 76000)"
}
order OL-000001 KMB-SMG A-0001 placed $((NOW + 86400)) 1
order OL-000002 KMB-SMG A-0002 placed $((NOW - 60)) 2
order OL-000003 KMB-SLO A-0001 placed $((NOW + 86400)) 3
order OL-000004 KMB-SMG A-0002 collected $((NOW - 60)) 3
sql "$HQDB" "UPDATE versions SET value = 3 WHERE name = 'shop_orders'"
status_of() { sql "$HQDB" "SELECT status FROM shop_orders WHERE id = '$1'"; }

hq_start

# --- the pull: the overdue placed order expires (version 4), the
# collected one past its time does not; another store's order is not sent.
api GET "/v1/shop/orders?since=0" "$TOK"
expect_status 200
expect_eq "the store's orders, by version" "OL-000001 placed 1|OL-000004 collected 3|OL-000002 expired 4" \
	"$(jget '["orders"]' | python3 -c 'import json,sys; print("|".join("%s %s %d" % (o["id"], o["status"], o["version"]) for o in json.load(sys.stdin)))')"
expect_eq "upto" 4 "$(jget '["upto"]')"
expect_eq "more" false "$(jget '["more"]')"
expect_eq "a line as the till needs it" '{"line": 1, "sku": "MIE-GRG", "gtin": "0089686010947", "name": "Indomie Goreng 85 g", "qty": 5000, "price": 3400}' \
	"$(jget '["orders"][0]["lines"][0]')"
expect_eq "member and name" "A-0001 Siti Aminah 93000 null" \
	"$(jget '["orders"][0]' | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["member"], o["member_name"], o["total"], json.dumps(o["picked"]))')"
expect_eq "expired at HQ" expired "$(status_of OL-000002)"
expect_eq "collected stays" collected "$(status_of OL-000004)"
expect_eq "the other store's order untouched" "placed|3" \
	"$(sql "$HQDB" "SELECT status, version FROM shop_orders WHERE id = 'OL-000003'")"
# Again from the answer's version: nothing; the sweep takes no version.
api GET "/v1/shop/orders?since=4" "$TOK"
expect_eq "nothing new" '{"upto":4,"more":false,"orders":[]}' "$BODY"
expect_eq "no version for a sweep that found nothing" 4 \
	"$(sql "$HQDB" "SELECT value FROM versions WHERE name = 'shop_orders'")"
api GET "/v1/shop/orders?since=0" "$TOK2"
expect_eq "the other store sees only its own" "OL-000003" \
	"$(jget '["orders"]' | python3 -c 'import json,sys; print(",".join(o["id"] for o in json.load(sys.stdin)))')"
api GET "/v1/shop/orders?since=-1" "$TOK"
expect_status 400
api GET "/v1/shop/orders?since=0" -
expect_status 401

# --- events of the till.
new_till "$T/k01.db" K01
$CHAIN import "$T/k01.db" >"$T/k01.chain"
push_all() {
	$CHAIN push "$T/k01.chain" KMB-SMG 1 "$(wc -l <"$T/k01.chain")" >"$T/push.json"
	push "$TOK" "$T/push.json"
	expect_status 200
}
payload_alerts() { sql "$HQDB" "SELECT coalesce(sum(count), 0) FROM alerts WHERE kind = 'payload'"; }

# Malformed (one push each: a push raises one payload alert): unknown order, a line the order lacks, an unknown status, a
# substitute without a price, an order of another store. Kept, folded
# into nothing.
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-999999","lines":[{"line":1,"status":"picked","qty":5000}],"total":17000}'
push_all
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000001","lines":[{"line":7,"status":"picked","qty":5000}],"total":17000}'
push_all
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000001","lines":[{"line":1,"status":"lost","qty":5000}],"total":17000}'
push_all
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000001","lines":[{"line":1,"status":"substituted","qty":5000,"sku":"MIE-GRG"}],"total":17000}'
push_all
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000003","lines":[{"line":1,"status":"picked","qty":5000}],"total":17000}'
push_all
$CHAIN append "$T/k01.chain" web_pin '{"member":"Z-9999","hash":"$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"}'
push_all
$CHAIN append "$T/k01.chain" web_pin '{"member":"A-0001","hash":"123456"}'
push_all
expect_eq "seven payload alerts" 7 "$(payload_alerts)"
expect_eq "the order unchanged" "placed|1|" \
	"$(sql "$HQDB" "SELECT status, version, coalesce(picked_total, -1) FROM shop_orders WHERE id = 'OL-000001'" | sed 's/-1$//')"
expect_eq "no line picked" 0 "$(sql "$HQDB" "SELECT count(*) FROM shop_order_lines WHERE pick_status IS NOT NULL")"
expect_eq "no web PIN" 0 "$(sql "$HQDB" "SELECT count(*) FROM member_web_pins")"
expect_eq "the events are kept" "$(wc -l <"$T/k01.chain")" "$(held_events KMB-SMG K01)"

# Picked: line 1 short (3 of 5 found), line 2 substituted by MIE-GRG.
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000001","lines":[{"line":1,"status":"short","qty":3000},{"line":2,"status":"substituted","qty":1000,"sku":"MIE-GRG","price":3400}],"total":13600}'
push_all
expect_eq "no new alert" 7 "$(payload_alerts)"
expect_eq "ready with its picked total, a new version" "ready|13600|5" \
	"$(sql "$HQDB" "SELECT status, picked_total, version FROM shop_orders WHERE id = 'OL-000001'")"
expect_eq "the lines' picking" "1|short|3000|
2|substituted|1000|MIE-GRG" \
	"$(sql "$HQDB" "SELECT line, pick_status, picked_qty, coalesce(sub_sku, '') FROM shop_order_lines WHERE order_id = 'OL-000001' ORDER BY line")"
api GET "/v1/shop/orders?since=4" "$TOK"
expect_eq "the pull carries the picking" '{"lines": [{"line": 1, "status": "short", "qty": 3000}, {"line": 2, "status": "substituted", "qty": 1000, "sku": "MIE-GRG", "price": 3400}], "total": 13600}' \
	"$(jget '["orders"][0]["picked"]')"
expect_eq "ready in the pull" "ready 5" "$(jget '["orders"][0]' | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["status"], o["version"])')"

# Collected by a sale; a sale naming an unknown order still folds.
SEQ=$(( $(wc -l <"$T/k01.chain") + 1 ))
$CHAIN append "$T/k01.chain" sale '{"receipt":"K01-000007","date":20261206,"member_no":"A-0001","shop_order":"OL-000001","lines":[{"sku":"MIE-GRG","qty":4000}],"total":13600,"rounding":0,"due":13600,"change":400,"taxes":[{"class":"standard","total":13600,"tax":1348}],"tenders":[{"kind":"cash","amount":14000}]}'
$CHAIN append "$T/k01.chain" sale '{"receipt":"K01-000008","date":20261206,"shop_order":"OL-424242","lines":[],"total":0,"rounding":0,"due":0,"change":0,"taxes":[],"tenders":[]}'
push_all
expect_eq "collected by the sale" "collected|K01|$SEQ|K01-000007|13600|6" \
	"$(sql "$HQDB" "SELECT status, sale_terminal, sale_seq, sale_receipt, collected_total, version FROM shop_orders WHERE id = 'OL-000001'")"
expect_eq "both sales folded" 2 "$(sql "$HQDB" "SELECT count(*) FROM sales WHERE receipt IN ('K01-000007', 'K01-000008')")"
expect_eq "the unknown order is an alert" 8 "$(payload_alerts)"
expect_eq "the alert names it" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind = 'payload' AND last_detail LIKE '%OL-424242%'")"

# A collected order past its expiry stays collected at the next sweep.
sql "$HQDB" "UPDATE shop_orders SET expires_at = $((NOW - 10)) WHERE id = 'OL-000001'"
api GET "/v1/shop/orders?since=6" "$TOK"
expect_eq "nothing expired" '{"upto":6,"more":false,"orders":[]}' "$BODY"

# Collected again by another sale (two tills both held it ready): the
# sale folds, the first collection stays, the alert names both receipts.
$CHAIN append "$T/k01.chain" sale '{"receipt":"K01-000009","date":20261206,"member_no":"A-0001","shop_order":"OL-000001","lines":[{"sku":"MIE-GRG","qty":4000}],"total":13600,"rounding":0,"due":13600,"change":0,"taxes":[{"class":"standard","total":13600,"tax":1348}],"tenders":[{"kind":"cash","amount":13600}]}'
push_all
expect_eq "the first collection stays" "collected|K01|$SEQ|K01-000007|13600|6" \
	"$(sql "$HQDB" "SELECT status, sale_terminal, sale_seq, sale_receipt, collected_total, version FROM shop_orders WHERE id = 'OL-000001'")"
expect_eq "the second sale folded" 1 "$(sql "$HQDB" "SELECT count(*) FROM sales WHERE receipt = 'K01-000009'")"
expect_eq "collected twice is an alert" 9 "$(payload_alerts)"
expect_eq "the alert names both sales" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind = 'payload' AND last_detail LIKE '%OL-000001%K01-000007%K01-000009%'")"

# Picked after the member cancelled it (the till had not pulled the
# cancellation yet): it stays cancelled, its picking is not kept, the
# alert says to put the goods back.
order OL-000005 KMB-SMG A-0002 cancelled $((NOW + 86400)) 0
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000005","lines":[{"line":1,"status":"picked","qty":5000},{"line":2,"status":"picked","qty":1000}],"total":93000}'
push_all
expect_eq "still cancelled, no picking" "cancelled|0|-1|0" \
	"$(sql "$HQDB" "SELECT status, version, coalesce(picked_total, -1), (SELECT count(*) FROM shop_order_lines WHERE order_id = 'OL-000005' AND pick_status IS NOT NULL) FROM shop_orders WHERE id = 'OL-000005'")"
expect_eq "picked after cancel is an alert" 10 "$(payload_alerts)"
expect_eq "the alert names it" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind = 'payload' AND last_detail LIKE '%OL-000005%'")"

# A substitute dearer than the line it replaces (a till before the rule
# in PROTOCOL.md "A substitute's price"): 5 noodles (Rp17.000) given as a
# 5 kg sack of rice at Rp76.000. Kept at Rp17.000, the total less the
# difference, the order ready, an alert naming the line.
order OL-000006 KMB-SMG A-0001 placed $((NOW + 86400)) 0
$CHAIN append "$T/k01.chain" shop_picked '{"order":"OL-000006","lines":[{"line":1,"status":"substituted","qty":1000,"sku":"BRS-PRM-5","price":76000},{"line":2,"status":"picked","qty":1000}],"total":152000}'
push_all
expect_eq "ready at the ordered line's price" "ready|93000" \
	"$(sql "$HQDB" "SELECT status, picked_total FROM shop_orders WHERE id = 'OL-000006'")"
expect_eq "the substitute's price lowered" "1|substituted|1000|BRS-PRM-5|17000" \
	"$(sql "$HQDB" "SELECT line, pick_status, picked_qty, sub_sku, sub_price FROM shop_order_lines WHERE order_id = 'OL-000006' AND line = 1")"
expect_eq "a dearer substitute is an alert" 11 "$(payload_alerts)"
expect_eq "the alert names the line" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind = 'payload' AND last_detail LIKE '%OL-000006 line 1%BRS-PRM-5%76000%17000%'")"
api GET "/v1/shop/orders?since=6" "$TOK"
expect_eq "another till collects at the lowered price" '{"lines": [{"line": 1, "status": "substituted", "qty": 1000, "sku": "BRS-PRM-5", "price": 17000}, {"line": 2, "status": "picked", "qty": 1000}], "total": 93000}' \
	"$(jget '["orders"][0]["picked"]')"

# Web PIN set at the till, twice: the second replaces the first.
$CHAIN append "$T/k01.chain" web_pin '{"member":"A-0001","hash":"$argon2id$v=19$m=65536,t=2,p=1$c2FsdDE$aGFzaDE"}'
$CHAIN append "$T/k01.chain" web_pin '{"member":"A-0001","hash":"$argon2id$v=19$m=65536,t=2,p=1$c2FsdDI$aGFzaDI"}'
push_all
expect_eq "the web PIN" 'A-0001|$argon2id$v=19$m=65536,t=2,p=1$c2FsdDI$aGFzaDI|till:KMB-SMG/K01|0' \
	"$(sql "$HQDB" "SELECT member, pinhash, set_by, failed FROM member_web_pins")"
expect_eq "no new alert" 11 "$(payload_alerts)"
hq_stop
done_ok
