# coopmart-hq: catalogue, price list and member imports, and the pulls
# GET /v1/catalogue and GET /v1/members: versions, paging, ETag/304, a
# store's own prices, deletions, gzip answers; reports from pushed sales.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

# --- a catalogue with two bad rows: each reported by line, nothing imported.
cat >"$T/bad.csv" <<'EOF'
sku,name,price,barcodes,member_price,tax_class
A-1,Teh Botol 350 ml,4.000,,,standard
A-2,Kopi Kapal Api 165 g,,,,standard
A-3,Gula Pasir 1 kg,17.500,,,sweet
EOF
hq import catalogue "$T/bad.csv"
expect_rc 3
expect_err "$T/bad.csv: line 3: "
expect_err "$T/bad.csv: line 4: "
expect_err "nothing imported"
expect_eq "items after a refused import" 0 "$(sql "$HQDB" "SELECT count(*) FROM items")"
expect_eq "version after a refused import" 0 "$(sql "$HQDB" "SELECT value FROM versions WHERE name = 'catalogue'")"
hq import catalogue "$T/bad.csv" --skip-bad
expect_rc 0
expect_out "catalogue: 3 rows, 1 changed"
expect_eq "items with --skip-bad" "A-1" "$(sql "$HQDB" "SELECT $(hq_agg sku ,) FROM items")"
hq import catalogue "$T/missing.csv"
expect_rc 2

# --- the real catalogue file of the till tests, then 12 more items.
hq import catalogue "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
expect_out "version 2"
{
	echo "sku,name,price,barcodes,tax_class"
	for i in $(seq -w 1 12); do echo "B-$i,Barang $i,1.${i}0,,standard"; done
} >"$T/more.csv"
hq import catalogue "$T/more.csv"
expect_rc 0
expect_out "version 3"
# The same file again changes nothing and takes no version.
hq import catalogue "$T/more.csv"
expect_rc 0
expect_out "0 changed"; expect_out "version 3"
TOTAL=$(sql "$HQDB" "SELECT count(*) FROM items")

# --- JSON catalogue: the protocol's item shape.
cat >"$T/items.json" <<'EOF'
[{"sku": "J-1", "name": "Sabun Mandi 90 g", "price": 4500, "member_price": 4300,
  "tax_class": "standard", "barcodes": ["8991234567907", "40123455"], "unit": "pcs", "category": "Sabun"},
 {"sku": "J-2", "name": "Telur Ayam", "price": 28000, "tax_class": "exempt", "weighed": true,
  "plu": 205}]
EOF
hq import catalogue "$T/items.json"
expect_rc 0
expect_out "2 changed"; expect_out "version 4"
printf '[{"sku": "J-3", "name": "x", "price": 100, "tax_class": "nope"}]' >"$T/badjson.json"
hq import catalogue "$T/badjson.json"
expect_rc 3
expect_err "$T/badjson.json: "; expect_err 'unknown tax class'
# A PLU beyond 32 bits must not wrap into a valid one (2^32 + 5 is not 5).
printf '[{"sku": "J-3", "name": "x", "price": 100, "tax_class": "standard", "plu": 4294967301}]' >"$T/bigplu.json"
hq import catalogue "$T/bigplu.json"
expect_rc 3
expect_err 'bad PLU'
# A barcode or PLU already on another item: the whole file is refused,
# naming both SKUs (a terminal could not apply such a catalogue).
printf '[{"sku": "J-3", "name": "x", "price": 100, "tax_class": "standard", "barcodes": ["8991234567891"]},
 {"sku": "J-4", "name": "y", "price": 100, "tax_class": "exempt", "weighed": true, "plu": 205}]' >"$T/dup.json"
hq import catalogue "$T/dup.json"
expect_rc 3
expect_err "barcode 8991234567891 is on more than one item: "; expect_err "BRS-PRM-5"
expect_err "PLU 205 is on more than one item: "
expect_err "nothing imported"
expect_eq "nothing of the refused file" 0 "$(sql "$HQDB" "SELECT count(*) FROM items WHERE sku IN ('J-3', 'J-4')")"
# A barcode with a wrong check digit: refused like a CSV row.
printf '[{"sku": "J-3", "name": "x", "price": 100, "tax_class": "standard", "barcodes": ["40123454"]}]' >"$T/badean.json"
hq import catalogue "$T/badean.json"
expect_rc 3
expect_err 'item J-3: barcode "40123454" is not an EAN-13, EAN-8, UPC-A or GTIN-14 number with a correct check digit'
printf '[{"sku": "J-3", "name": ' >"$T/cut.json"
hq import catalogue "$T/cut.json"
expect_rc 3
TOTAL=$((TOTAL + 2))

# --- terminals of two stores; HQ serves.
hq enroll --store KMB-SMG --terminal K01
TOK=$OUT
hq enroll --store KMB-SLO --terminal K01
TOKB=$OUT
hq_start

# --- the first page fixes upto and carries the ETag.
api GET "/v1/catalogue?since=0&limit=5" "$TOK"
expect_status 200
expect_header 'ETag: "cat-4"'
expect_eq "upto" 4 "$(jget '["upto"]')"
expect_eq "items on page 1" 5 "$(jget '["items"].__len__()')"
# --- every page, small limit, until next is null: all items once, in
# (version, sku) order.
: >"$T/seen"
NEXT=$(jget '["next"]')
jget '["items"]' | python3 -c 'import json,sys; [print(i["version"], i["sku"]) for i in json.load(sys.stdin)]' >>"$T/seen"
PAGES=1
while [ "$NEXT" != "null" ]; do
	api GET "/v1/catalogue?since=0&upto=4&limit=5&after=$NEXT" "$TOK"
	expect_status 200
	jget '["items"]' | python3 -c 'import json,sys; [print(i["version"], i["sku"]) for i in json.load(sys.stdin)]' >>"$T/seen"
	NEXT=$(jget '["next"]')
	PAGES=$((PAGES + 1))
	[ "$PAGES" -lt 50 ] || fail "paging does not end"
done
expect_eq "items pulled" "$TOTAL" "$(wc -l <"$T/seen")"
expect_eq "no item twice" "$TOTAL" "$(sort -u "$T/seen" | wc -l)"
expect_eq "order" "$(sort -k1,1n -k2,2 "$T/seen")" "$(cat "$T/seen")"
expect_eq "pages" $(( (TOTAL + 4) / 5 + (TOTAL % 5 == 0 ? 1 : 0) )) "$PAGES"
# An item as the protocol shapes it.
api GET "/v1/catalogue?since=3" "$TOK"
# EAN-8 under its 13-digit key, as every terminal looks it up.
expect_body '"sku":"J-1"'; expect_body '"barcodes":["8991234567907","0000040123455"]'; expect_body '"member_price":4300'
expect_body '"weighed":true'; expect_body '"plu":205'; expect_body '"tax_class":"exempt"'
expect_body '"receipt_name":"Telur Ayam","unit":"kg"'; expect_body '"receipt_name":"Sabun Mandi 90 g"'

# --- nothing changed: 304 with no body.
api GET "/v1/catalogue?since=4" "$TOK" -H 'If-None-Match: "cat-4"'
expect_status 304
expect_eq "304 body" "" "$BODY"
api GET "/v1/catalogue?since=3" "$TOK" -H 'If-None-Match: "cat-3"'
expect_status 200

# --- bad paging arguments.
api GET "/v1/catalogue?since=x" "$TOK"
expect_status 400; expect_body '"code":"bad_request"'
api GET "/v1/catalogue?upto=99" "$TOK"
expect_status 400
api GET "/v1/catalogue?after=nonsense" "$TOK"
expect_status 400

# --- a price list for KMB-SMG: a new version; only that store's terminals
# see new prices in the delta.
printf 'sku,price,member_price\nMIE-GRG,3.600,3.450\nB-01,1.100,\n' >"$T/prices.csv"
hq import prices --store KMB-SMG "$T/prices.csv"
expect_rc 0
expect_out "2 changed"; expect_out "version 5"
api GET "/v1/catalogue?since=4" "$TOK"
expect_status 200
expect_header 'ETag: "cat-5"'
expect_eq "delta items" "B-01 MIE-GRG" "$(jget '["items"]' | python3 -c 'import json,sys; print(" ".join(i["sku"] for i in json.load(sys.stdin)))')"
expect_body '"price":3600'; expect_body '"member_price":3450'
api GET "/v1/catalogue?since=4" "$TOKB"
expect_status 200
expect_eq "other store's delta" 0 "$(jget '["items"].__len__()')"
api GET "/v1/catalogue?since=0&limit=5000" "$TOKB"
expect_body '"sku":"MIE-GRG"'
python3 -c 'import json,sys; i=[x for x in json.load(sys.stdin)["items"] if x["sku"]=="MIE-GRG"][0]; sys.exit(i["price"]!=3500)' <<<"$BODY" \
	|| fail "KMB-SLO must keep the catalogue price"
# The same list again: no change, no version.
hq import prices --store KMB-SMG "$T/prices.csv"
expect_out "0 changed"; expect_out "version 5"
printf 'sku,price\nNOPE,1000\nMIE-GRG,abc\n' >"$T/badprices.csv"
hq import prices --store KMB-SMG "$T/badprices.csv"
expect_rc 3
expect_err "line 3: price"
printf 'sku,price\nNOPE,1000\n' >"$T/unknown.csv"
hq import prices --store KMB-SMG "$T/unknown.csv"
expect_rc 3
expect_err "line 2: SKU NOPE is not in the catalogue"
hq import prices --store NOWHERE "$T/prices.csv"
expect_rc 2

# --- a full catalogue import deletes the items it lacks.
hq import catalogue "$T/more.csv" --full
expect_rc 0
api GET "/v1/catalogue?since=5" "$TOK"
expect_status 200
expect_body '"deleted":['
expect_body '"MIE-GRG"'; expect_body '"J-1"'
expect_eq "no live items in the deletion delta" 0 "$(jget '["items"].__len__()')"

# --- gzip answers when asked for.
api GET "/v1/catalogue?since=0" "$TOK" -H 'Accept-Encoding: gzip'
expect_status 200
expect_header 'Content-Encoding: gzip'
gzip -dc "$T/.body" | grep -F '"sku":"B-01"' >/dev/null || fail "the gzip answer does not inflate to the page"

# --- members.
cat >"$T/members.csv" <<'EOF'
number,name,card_code,status
A-0001,Budi Santoso,M000001,active
A-0002,Sri Wahyuni,M000002,left
A-0003,Joko,,blocked
EOF
hq import members "$T/members.csv"
expect_rc 0
expect_out "3 changed"
printf 'number,name,status\nA-0004,,active\nA-0005,Ani,gone\n' >"$T/badmembers.csv"
hq import members "$T/badmembers.csv"
expect_rc 3
expect_err "line 2: "; expect_err "line 3: status"
api GET "/v1/members?since=0&limit=2" "$TOK"
expect_status 200
expect_header 'ETag: "mem-1"'
expect_eq "members page 1" 2 "$(jget '["members"].__len__()')"
NEXT=$(jget '["next"]')
api GET "/v1/members?since=0&upto=1&limit=2&after=$NEXT" "$TOK"
expect_body '"number":"A-0003"'; expect_body '"status":"blocked"'
expect_eq "members next" null "$(jget '["next"]')"
api GET "/v1/terminal" "$TOK"
expect_eq "catalogue_version" 6 "$(jget '["catalogue_version"]')"
expect_eq "members_version" 1 "$(jget '["members_version"]')"

# --- sales pushed by two terminals fold into the report.
new_till "$T/k01.db" K01
$CHAIN import "$T/k01.db" >"$T/k01.chain"
$CHAIN sales "$T/k01.chain" 4 20261129
$CHAIN sales "$T/k01.chain" 1 20261130
N=$(wc -l <"$T/k01.chain")
$CHAIN push "$T/k01.chain" KMB-SMG 1 "$N" >"$T/push.json"
push "$TOK" "$T/push.json"
expect_status 200
hq report --json
expect_rc 0
BODY=$OUT
expect_eq "days" 2 "$(jget '["days"].__len__()')"
expect_eq "sales on 29th" 4 "$(jget '["days"][0]["count"]')"
expect_eq "total on 29th" 28000 "$(jget '["days"][0]["total"]')"
expect_eq "PPN standard" 2776 "$(jget '["days"][0]["ppn"]["standard"]["tax"]')"
expect_eq "cash net of change" 28000 "$(jget '["days"][0]["tenders"]["cash"]')"
expect_eq "stock of SKU-1 (voided lines move nothing)" \
	'[{"store": "KMB-SMG", "sku": "SKU-1", "qty": -10000}]' "$(jget '["stock"]')"
hq report --from 2026-11-30 --to 2026-11-30
expect_rc 0
expect_out "KMB-SMG      20261130  sales 1  total 7000"
hq report --from 2026-13-01
expect_rc 3
hq enroll --store KMB-SMG --terminal OPS --operator
OPS=$OUT
api GET "/v1/report/sales?from=20261129&to=20261129" "$OPS"
expect_status 200
expect_eq "report over HTTPS" 4 "$(jget '["days"][0]["count"]')"
api GET "/v1/report/sales" "$TOK"
expect_status 403
api GET "/v1/report/sales?from=2026" "$OPS"
expect_status 400
done_ok
