# The agent against the real server, the everyday way round: two terminals
# of one store sell (through the engine: sync_sell), push; HQ's report
# equals the terminals' own day reports to the rupiah; a price change and a
# deletion at HQ reach both tills by pull, the next sale uses the new price,
# and the pull itself is journaled and pushed.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
new_terminal "$STORE" K02

# rupiah TEXT: the digits of "Rp492.000" -> 492000
rupiah() { tr -dc '0-9' <<<"$1"; }

# day_total TERM FIELD: a figure of `coopmart report day` (English):
#   count | total | rounding | cash
day_figure() {
	local rep
	rep=$(COOPMART_LANG=en "$COOPMART" --db "$T/$1.db" report day)
	case $2 in
	count) sed -n 's/^Sales: \([0-9]*\) .*/\1/p' <<<"$rep" ;;
	total) rupiah "$(sed -n 's/^Sales: .* total \(Rp[0-9.]*\) .*/\1/p' <<<"$rep")" ;;
	rounding) rupiah "$(sed -n 's/.* cash rounding \(-\{0,1\}Rp[0-9.]*\) .*/\1/p' <<<"$rep")" ;;
	cash) rupiah "$(awk '$1 == "cash" { print $3; exit }' <<<"$rep")" ;;
	esac
}

# hq_day FIELD: HQ's figure for the store today (report --json).
hq_day() {
	hq report --json
	[ "$RC" -eq 0 ] || fail "coopmart-hq report failed"
	python3 -c '
import json, sys
r = json.loads(sys.argv[1])
days = [d for d in r["days"] if d["store"] == sys.argv[2]]
assert len(days) == 1, days
d = days[0]
f = sys.argv[3]
print(d["tenders"]["cash"] if f == "cash" else d[f])' "$OUT" "$STORE" "$1"
}

# --- sales on both terminals, then a push each.
sell K01 5 MIE-GRG BRS-PRM-5
sell K02 4 BRS-PRM-5
agent K01 once
expect_rc 0
expect_err "pushed: HQ holds events up to $(journal_head K01)"
agent K02 once
expect_rc 0
for term in K01 K02; do
	expect_eq "$term acked_seq" "$(journal_head $term)" "$(acked_seq $term)"
	expect_eq "$term events at HQ" "$(journal_head $term)" "$(held_events "$STORE" $term)"
done

# --- HQ's figures are the sum of the terminals' own, to the rupiah.
for f in count total rounding cash; do
	sum=$(( $(day_figure K01 $f) + $(day_figure K02 $f) ))
	expect_eq "HQ $f = K01 + K02" "$sum" "$(hq_day $f)"
done
expect_eq "sales count" 9 "$(hq_day count)"

# --- status says what happened.
agent K01 status
expect_rc 0
expect_out "Events waiting: 0"
expect_out "Alerts: none"
expect_out "HQ holds events up to $(journal_head K01) of $(journal_head K01)"

# --- nothing new: a second run is quick and changes nothing.
before=$(journal_head K01)
agent K01 once
expect_rc 0
expect_err "nothing to push"
expect_err "catalogue: up to date"
expect_eq "journal unchanged by an idle sync" "$before" "$(journal_head K01)"

# --- a price change and a new item at HQ reach the tills.
sed 's/^MIE-GRG,Indomie Goreng 85 g,3.500,/MIE-GRG,Indomie Goreng 85 g,4.000,/' \
	"$SRCDIR/tests/data/katalog.csv" >"$T/prices.csv"
echo 'TEH-BTL,Teh Botol Sosro 450 ml,5.500,,,standard,btl,0,,Minuman,Sinar Sosro' >>"$T/prices.csv"
grep -q '^MIE-GRG,.*4.000' "$T/prices.csv" || fail "the test's price change did not apply"
hq import catalogue "$T/prices.csv"
expect_rc 0
old_price=$(sql "$T/K01.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")
expect_eq "price before the pull" 3500 "$old_price"
agent K01 once
expect_rc 0
expect_err "catalogue: now at version"
expect_eq "new price at K01" 4000 "$(sql "$T/K01.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "new item at K01" "Teh Botol Sosro 450 ml" \
	"$(sql "$T/K01.db" "SELECT name FROM items WHERE sku = 'TEH-BTL'")"
expect_eq "barcode kept" MIE-GRG \
	"$(sql "$T/K01.db" "SELECT i.sku FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = '0089686010947'")"
expect_eq "staging emptied" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_staging")"
version=$(sql "$T/K01.db" "SELECT catalogue_version FROM sync_state")
[ "$version" -gt 0 ] || fail "catalogue_version not set after a pull"
# The pull is journaled, and pushed in the same run.
expect_eq "catalogue_pulled events" 1 \
	"$(sql "$T/K01.db" "SELECT count(*) FROM journal WHERE type = 'catalogue_pulled'")"
expect_eq "upto in the event" "$version" \
	"$(sql "$T/K01.db" "SELECT json_extract(payload, '$.upto') FROM journal WHERE type = 'catalogue_pulled'")"
expect_eq "the pull's event is at HQ" "$(journal_head K01)" "$(acked_seq K01)"

# --- a sale after the pull uses the new price.
sell K01 1 MIE-GRG
expect_eq "unit price of the new sale" 4000 \
	"$(sql "$T/K01.db" "SELECT l.unit_price FROM sale_lines l JOIN sales s ON s.id = l.sale_id ORDER BY s.id DESC LIMIT 1")"
expect_eq "an older sale keeps its price" 3500 \
	"$(sql "$T/K01.db" "SELECT l.unit_price FROM sale_lines l WHERE l.sale_id = 1 AND l.sku = 'MIE-GRG'")"
agent K01 once
expect_rc 0
agent K02 once
expect_rc 0
expect_eq "new price at K02" 4000 "$(sql "$T/K02.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "both at one version" "$version" "$(sql "$T/K02.db" "SELECT catalogue_version FROM sync_state")"
for f in count total cash; do
	sum=$(( $(day_figure K01 $f) + $(day_figure K02 $f) ))
	expect_eq "HQ $f = K01 + K02 after the price change" "$sum" "$(hq_day $f)"
done

# --- a deletion at HQ (a full catalogue without DGG-SPI): inactive at the
# till, its row (and any sales) kept.
grep -v '^DGG-SPI,' "$T/prices.csv" >"$T/full.csv"
hq import catalogue "$T/full.csv" --full
expect_rc 0
agent K01 once
expect_rc 0
expect_eq "deleted item inactive" 0 "$(sql "$T/K01.db" "SELECT active FROM items WHERE sku = 'DGG-SPI'")"
expect_err "1 removed"
expect_eq "other items active" 1 "$(sql "$T/K01.db" "SELECT active FROM items WHERE sku = 'BRS-PRM-5'")"
expect_eq "pull events" 2 \
	"$(sql "$T/K01.db" "SELECT count(*) FROM journal WHERE type = 'catalogue_pulled'")"
# --- members from HQ.
printf '%s\n' "number,name,card_code,status" "A-0001,Budi Santoso,M000001,active" \
	"A-0002,Siti Aminah,M000002,blocked" >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0
agent K01 once
expect_rc 0
expect_err "members: now at version"
expect_eq "members at K01" "Budi Santoso|M000001|active,Siti Aminah|M000002|blocked" \
	"$(sql "$T/K01.db" "SELECT group_concat(name || '|' || card_code || '|' || status, ',') FROM (SELECT * FROM members ORDER BY number)")"
expect_eq "members_pulled journaled" 1 \
	"$(sql "$T/K01.db" "SELECT count(*) FROM journal WHERE type = 'members_pulled'")"
expect_eq "the journal verifies" 0 "$("$COOPMART" --db "$T/K01.db" journal verify >/dev/null 2>&1; echo $?)"

done_ok
