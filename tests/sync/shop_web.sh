# The members' online shop at HQ in a real browser (shop_web.py: Debian's
# chromium through chromedriver and python3-selenium), on SQLite and on
# PostgreSQL: browse and search a store's shelves (Bahasa Indonesia first,
# English by the switch), the item page's schema.org Product parses as
# JSON with the shelf price, a member logs in with a web PIN and sees
# member prices, fills the cart and orders for a pickup slot; a retried
# submit makes one order; limits (quantity per line, open orders, stock)
# are refused with a message; a POST without the CSRF token is refused;
# another member cannot see the order; the order's barcode (Code 128,
# inline SVG) scans back to its number (zbarimg); a member who left cannot
# log in; wrong PINs lock out. Then with curl: hostile search and
# quantities refused with a message, the login rate limit per address, and
# the local-inventory feed: valid TSV whose quantities equal HQ's stock of
# the store less its open orders' lines, read from the database.
# Skips (77) only when the browser is absent, and never under CI.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
	! command -v zbarimg >/dev/null || ! "$PY" -c 'import selenium' 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "CI must have chromium, chromium-driver, python3-selenium and zbar-tools (.ci/packages)"
	fi
	echo "SKIP: chromium, chromium-driver, python3-selenium or zbar-tools is not installed"
	exit 77
fi

hq enroll --store TOKO-A --terminal K01
TOK_A=$OUT
hq enroll --store TOKO-B --terminal K01
printf '%s\n' "sku,name,price,member_price,category,barcodes,weighed,unit" \
	"GULA-1,Gula Pasir 1 kg,17500,16500,Sembako,8991234567891,0,pcs" \
	"GULA-5,Gula Aren 500 g,12000,11000,Sembako,,0,pcs" \
	"TEH-25,Teh Celup isi 25,6500,6000,Minuman,8991234567907,0,pcs" \
	"KOPI-1,Kopi Bubuk 200 g,9500,9000,Minuman,,0,pcs" \
	"KUE-1,Kue <Lapis> & Bolu,15000,14000,Kue,,0,pcs" \
	"BERAS-K,Beras Curah,13000,12500,Sembako,,1,kg" >"$T/items.csv"
hq import catalogue "$T/items.csv"
expect_rc 0
printf '%s\n' "sku,price,member_price" "KOPI-1,9800,8800" >"$T/prices.csv"
hq import prices --store TOKO-A "$T/prices.csv"
expect_rc 0
printf '%s\n' "number,name,card_code,status,left_date" "A-0001,Sri Wahyuni,M0001,active," \
	"A-0002,Joko Susilo,M0002,active," "A-0003,Rina Lestari,M0003,left,2026-01-31" >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0
for m in A-0001:480516 A-0002:739251 A-0003:615243; do
	printf '%s\n' "${m#*:}" | "$COOPMART_HQ" --db "$HQDB" member web-pin "${m%%:*}" 2>"$T/.err" ||
		fail "web-pin $m: $(cat "$T/.err")"
done

# HQ's stock of TOKO-A: 12 bags of sugar, 3 of palm sugar, 4 boxes of
# tea, 8 of coffee, no cake, 25,5 kg of rice.
new_till "$T/a.db" K01
$CHAIN import "$T/a.db" >"$T/a.chain"
$CHAIN append "$T/a.chain" stock_opening '{"as_of":1764403200,"lines":[{"qty":12000,"sku":"GULA-1"},{"qty":3000,"sku":"GULA-5"},{"qty":4000,"sku":"TEH-25"},{"qty":8000,"sku":"KOPI-1"},{"qty":25500,"sku":"BERAS-K"}],"part":1,"parts":1}'
$CHAIN push "$T/a.chain" TOKO-A 1 "$(wc -l <"$T/a.chain")" >"$T/a.json"
hq shop settings TOKO-A --open 00:00 --close 24:00 --slot 60 --cutoff 0 --max-open 2 --max-qty 6
expect_rc 0
COOPMART_LANG=id hq_start
push "$TOK_A" "$T/a.json"
expect_status 200

cat >"$T/facts.json" <<-JSON
	{"store": "TOKO-A", "closed": "TOKO-B",
	 "member": "A-0001", "pin": "480516", "other": "A-0002", "other_pin": "739251",
	 "left": "A-0003", "left_pin": "615243"}
JSON
set +e
SCREENSHOTS="${WEB_SCREENSHOTS:-}" "$PY" "$SRCDIR/tests/sync/shop_web.py" "$HQ_URL" "$T" \
	>"$T/browser.out" 2>&1
rc=$?
set -e
cat "$T/browser.out"
[ "$rc" -eq 0 ] || fail "the browser test failed (above)"
CHECKS=$((CHECKS + $(grep -o 'browser: [0-9]*' "$T/browser.out" | grep -o '[0-9]*')))

# --- what the browser did, as HQ stored it.
expect_eq "one order per submitted form (the retry made none)" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM shop_orders WHERE member = 'A-0001' AND status = 'placed'")"
expect_eq "the order's lines at member prices (the store's first)" "GULA-1|2000|16500 KOPI-1|1000|8800" \
	"$(sql "$HQDB" "SELECT l.sku, l.qty, l.price FROM shop_order_lines l JOIN shop_orders o ON o.id = l.order_id WHERE o.member = 'A-0001' AND o.status = 'placed' ORDER BY l.line" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the cancelled order took a new version" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM shop_orders WHERE status = 'cancelled' AND version = (SELECT value FROM versions WHERE name = 'shop_orders')")"
expect_eq "only hashes of shop sessions are kept" 0 \
	"$(sql "$HQDB" "SELECT count(*) FROM shop_sessions WHERE length(token_hash) <> 32")"
expect_eq "the refused CSRF-less POST is in the log" 1 \
	"$(sql "$HQDB" "SELECT count(*) > 0 FROM web_audit WHERE action = 'shop_csrf_refused'" | sed 's/^t$/1/')"
expect_eq "Joko locked out after wrong PINs" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM member_web_pins WHERE member = 'A-0002' AND locked_until > 0")"

# --- the feed: valid TSV, quantities = HQ's stock less open orders' lines.
api GET /shop/TOKO-A/feed.tsv -
expect_status 200
expect_header "Content-Type: text/tab-separated-values"
printf '%s\n' "$BODY" >"$T/feed.tsv"
sql "$HQDB" "SELECT i.sku, coalesce((SELECT sum(m.qty) FROM stock_moves m WHERE m.store = 'TOKO-A' AND m.sku = i.sku), 0) - coalesce((SELECT sum(l.qty) FROM shop_order_lines l JOIN shop_orders o ON o.id = l.order_id WHERE o.store = 'TOKO-A' AND l.sku = i.sku AND o.status IN ('placed', 'ready')), 0), coalesce((SELECT p.price FROM store_prices p WHERE p.store = 'TOKO-A' AND p.sku = i.sku), i.price) FROM items i WHERE i.deleted = 0 AND i.active = 1 ORDER BY i.sku" >"$T/expected.txt"
"$PY" - "$T/feed.tsv" "$T/expected.txt" <<-'PYEOF' || fail "the feed does not match HQ's stock (above)"
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
	head, rows = rows[0], [r for r in rows[1:] if r]
	assert head == ["store_code", "id", "gtin", "price", "quantity", "availability"], head
	assert all(len(r) == 6 for r in rows), rows
	feed = {r[1]: r for r in rows}
	expected = [l.split("|") for l in open(sys.argv[2]).read().split("\n") if l]
	assert sorted(feed) == sorted(e[0] for e in expected), (sorted(feed), expected)
	words = lambda q: "in_stock" if q > 5000 else "limited_availability" if q >= 1000 else "out_of_stock"
	for sku, avail, price in expected:
	    r, avail = feed[sku], max(int(avail), 0)
	    assert r[0] == "TOKO-A" and int(r[3]) == int(price), r
	    assert int(r[4]) == avail // 1000, (sku, r, avail)
	    assert r[5] == words(avail), (sku, r, avail)
	assert feed["GULA-1"][2] == "8991234567891", feed["GULA-1"]
	assert int(feed["GULA-1"][4]) == 10, feed["GULA-1"]   # 12 less the order's 2
	print("feed: %d rows match" % len(rows))
PYEOF
CHECKS=$((CHECKS + 1))
api GET /shop/TOKO-B/feed.tsv -
expect_status 404

# --- hostile input without a browser.
api GET "/shop/TOKO-A/?q=$(printf 'a%.0s' $(seq 1 200))" -
expect_status 400
expect_body "paling banyak 60 karakter"
api GET "/shop/TOKO-A/?q=%ff%fe" -
expect_status 400
api GET "/shop/TOKO-A/?q=%c0%af" -
expect_status 400
api GET "/shop/NOPE/" -
expect_status 404
api GET "/shop/TOKO-A/item?sku=NOPE" -
expect_status 404
api POST /shop/TOKO-A/cart - -d "op=add&sku=GULA-1&qty=1"
expect_status 403
# The login limit per address: the 21st try within a minute is refused.
api GET /shop/TOKO-A/login - -c "$T/jar"
PRE=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$BODY" | head -1 | grep -o '[0-9a-f]\{64\}')
limited=0
for i in $(seq 1 25); do
	api POST /shop/TOKO-A/login - -b "$T/jar" -d "csrf=$PRE&member=B-$i&pin=111111"
	if [ "$STATUS" = 429 ]; then limited=$i; break; fi
done
expect_eq "logins from one address are limited" yes "$([ "$limited" -gt 1 ] && echo yes || echo "no ($limited)")"
expect_body "Terlalu banyak permintaan"
hq_stop
done_ok
