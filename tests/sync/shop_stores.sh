# The members' shop without a store in the address (/shop): a page
# listing the stores whose online shop is open, each linking to its
# shelves with its next pickup slot, in Bahasa Indonesia first and in
# English by the page's switch, fitting a phone (shop_stores.py, Debian's
# chromium). A store without a shop is not listed; with none open the
# page says so; an unknown store's page points back to the list. Skips
# (77) only when the browser is absent, and never under CI.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
	! "$PY" -c 'import selenium' 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "CI must have chromium, chromium-driver and python3-selenium (.ci/packages)"
	fi
	echo "SKIP: chromium, chromium-driver or python3-selenium is not installed"
	exit 77
fi

for st in TOKO-A TOKO-B TOKO-C; do
	hq enroll --store "$st" --terminal K01
	expect_rc 0
done
printf '%s\n' "sku,name,price,member_price,category,barcodes,weighed,unit" \
	"GULA-1,Gula Pasir 1 kg,17500,16500,Sembako,8991234567891,0,pcs" >"$T/items.csv"
hq import catalogue "$T/items.csv"
expect_rc 0
hq shop settings TOKO-A --open 00:00 --close 24:00 --slot 60 --cutoff 0
expect_rc 0
hq shop settings TOKO-C --open 00:00 --close 24:00 --slot 120 --cutoff 0
expect_rc 0
COOPMART_LANG=id hq_start

# The answer itself: 200, HTML, both spellings of the address.
for path in /shop /shop/; do
	STATUS=$(curl -s -o "$T/front.html" -w '%{http_code}' --cacert "$CA" "$HQ_URL$path")
	expect_eq "GET $path" 200 "$STATUS"
	grep -F 'data-store="TOKO-A"' "$T/front.html" >/dev/null || fail "$path does not list TOKO-A"
	CHECKS=$((CHECKS + 1))
done
STATUS=$(curl -s -o "$T/nope.html" -w '%{http_code}' --cacert "$CA" "$HQ_URL/shop/NOPE/")
expect_eq "an unknown store" 404 "$STATUS"
grep -F 'href="/shop/"' "$T/nope.html" >/dev/null || fail "the unknown store's page has no way back to the list"
CHECKS=$((CHECKS + 1))

set +e
"$PY" "$SRCDIR/tests/sync/shop_stores.py" "$HQ_URL" >"$T/browser.out" 2>&1
rc=$?
set -e
cat "$T/browser.out"
[ "$rc" -eq 0 ] || fail "the browser test failed (above)"
CHECKS=$((CHECKS + $(grep -o 'browser: [0-9]*' "$T/browser.out" | grep -o '[0-9]*')))

# Every shop closed: the page says so.
hq shop settings TOKO-A --off
expect_rc 0
hq shop settings TOKO-C --off
expect_rc 0
STATUS=$(curl -s -o "$T/none.html" -w '%{http_code}' --cacert "$CA" "$HQ_URL/shop/")
expect_eq "no shop open: still a page" 200 "$STATUS"
grep -F 'Belum ada toko yang membuka toko daring.' "$T/none.html" >/dev/null ||
	fail "no shop open: $(cat "$T/none.html")"
CHECKS=$((CHECKS + 1))
hq_stop
done_ok
