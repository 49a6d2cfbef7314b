# A store's opening stock reaches HQ: a terminal whose stock starts from a
# snapshot (the shelves as they were) journals it once before its first
# push ("stock_opening"), and HQ adds it to the store's stock, so HQ's
# stock equals the terminal's (35 on the shelf, 6 sold: 29, not -6). A
# second till of the store sends its own opening, and HQ keeps the first
# (the tills start from one snapshot); a till without a snapshot journals
# nothing.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
new_terminal "$STORE" K02
new_terminal KMB-UNG K03
for k in K01 K02; do
	sql "$T/$k.db" "INSERT INTO stock_snapshot(item_id, qty, as_of)
		SELECT id, CASE sku WHEN 'MIE-GRG' THEN 35000 ELSE 10000 END, 1764403200
		FROM items WHERE sku IN ('MIE-GRG', 'BRS-PRM-5')"
done
local_stock() { sql "$T/$1.db" "SELECT COALESCE((SELECT qty FROM stock_levels WHERE item_id = i.id),
	(SELECT qty FROM stock_snapshot WHERE item_id = i.id), 0) FROM items i WHERE sku = '$2'"; }
hq_stock() { sql "$HQDB" "SELECT COALESCE(sum(qty), 0) FROM stock_moves WHERE store = '$STORE' AND sku = '$1'"; }
openings() { sql "$T/$1.db" "SELECT count(*) FROM journal WHERE type = 'stock_opening'"; }

sell K01 3 MIE-GRG
agent K01 once
expect_rc 0
expect_err "opening stock"
k01=$(local_stock K01 MIE-GRG)
[ "$k01" -lt 35000 ] && [ "$k01" -gt 0 ] || fail "K01 sold noodles from its 35: $k01 left"
expect_eq "HQ noodles = K01's" "$k01" "$(hq_stock MIE-GRG)"
expect_eq "HQ rice = K01's" 10000 "$(hq_stock BRS-PRM-5)"
expect_eq "the opening is kept as of its event" "K01" \
	"$(sql "$HQDB" "SELECT terminal FROM stock_openings WHERE store = '$STORE'")"

sell K01 1 MIE-GRG
agent K01 once
expect_rc 0
expect_eq "K01 journals its opening once" 1 "$(openings K01)"
k01=$(local_stock K01 MIE-GRG)
expect_eq "HQ noodles after a second push" "$k01" "$(hq_stock MIE-GRG)"

sell K02 2 MIE-GRG
agent K02 once
expect_rc 0
expect_eq "K02 journals its own opening" 1 "$(openings K02)"
k02_sold=$((35000 - $(local_stock K02 MIE-GRG)))
[ "$k02_sold" -gt 0 ] || fail "K02 sold no noodles"
expect_eq "HQ adds the store's opening once" $((k01 - k02_sold)) "$(hq_stock MIE-GRG)"
expect_eq "no alert" 0 "$(sql "$HQDB" "SELECT count(*) FROM alerts")"

agent K03 once
expect_rc 0
expect_eq "no snapshot, no opening event" 0 "$(openings K03)"

# One truth: the report's stock is the same figure.
hq report --json
expect_rc 0
expect_eq "the report's noodles" $((k01 - k02_sold)) "$(python3 -c 'import json,sys; print(next(s["qty"] for s in json.load(sys.stdin)["stock"] if s["store"] == "KMB-SMG" and s["sku"] == "MIE-GRG"))' <<<"$OUT")"
done_ok
