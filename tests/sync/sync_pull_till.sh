# The till never waits for a catalogue pull, and the pull is all or
# nothing as the till sees it. A till rings a sale every 100 ms (sync_probe)
# while a 20,000-item pull that changes every price runs, is killed -9 at
# random moments while it works (at least one before it ended) and is run
# again: no sale is ever refused ("database in
# use"), no ticket holds one old and one new price, after every kill the
# catalogue is wholly old or wholly new, and the last run finishes it and
# leaves no build behind.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

ITEMS=${SYNC_PULL_TILL_ITEMS:-20000}
NEW=500000          # every new price is at least this, every old one below
: "${SYNC_PROBE:?SYNC_PROBE must name the sync_probe program}"

catalogue() { # FILE BASE_PRICE
	python3 - "$1" "$ITEMS" "$2" <<'EOF'
import sys
path, n, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def ean13(body):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
with open(path, "w") as f:
    f.write("sku,name,price,barcodes,tax_class,category,supplier\n")
    for i in range(n):
        f.write(f"GEN-{i:06d},Barang Umum Nomor {i} Kemasan {i % 97} g,{base + i % 5000},"
                f"{ean13('899' + f'{i:09d}')},standard,Kategori {i % 50},Pemasok {i % 20}\n")
EOF
}

# new_prices: how many pulled items carry a new price; 0 or all, never between.
new_prices() { sql "$T/K01.db" "SELECT count(*) FROM items WHERE sku LIKE 'GEN-%' AND price >= $NEW"; }
pulled() { sql "$T/K01.db" "SELECT count(*) FROM items WHERE sku LIKE 'GEN-%'"; }

now_ms() { date +%s%3N; }

# pulling: the agent has begun staging or building the catalogue.
pulling() {
	[ "$(sql "$T/K01.db" "SELECT (SELECT count(*) FROM sync_pull WHERE kind = 'catalogue')
		+ (SELECT count(*) FROM catalogue_build)")" -gt 0 ]
}

# kill_rounds N CHECK: N runs of the agent killed -9 at a random moment
# after it began working on the catalogue (within PULL_MS, a whole pull's
# time); after each CHECK answers 0 or ITEMS. At least one kill must land
# before the pull ended.
kill_rounds() {
	local rounds=$1 check=$2 i v ms k cut=0
	for i in $(seq 1 "$rounds"); do
		agent_bg K01 once
		for k in $(seq 1 1500); do
			pulling 2>/dev/null && break
			kill -0 "$AGENT_PID" 2>/dev/null || break
			sleep 0.02
		done
		# The first kill lands as soon as the pull is seen working (on a
		# quiet machine the pull may end before a random moment comes, and
		# a finished pull leaves the later rounds nothing to cut); the
		# others at a random moment.
		if [ "$i" -eq 1 ]; then ms=0; else ms=$((RANDOM % PULL_MS)); fi
		sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
		kill -9 "$AGENT_PID" 2>/dev/null || true
		agent_wait
		v=$($check)
		echo "kill $i: $v of $ITEMS changed; build: $(sql "$T/K01.db" "SELECT 'phase ' || phase ||
			' at ' || cursor FROM catalogue_build")"
		CHECKS=$((CHECKS + 1))
		[ "$v" -eq 0 ] || [ "$v" -eq "$ITEMS" ] ||
			fail "after kill $i the till sees $v of $ITEMS items changed: a mix"
		[ "$v" -eq "$ITEMS" ] || cut=$((cut + 1))
		expect_eq "database sound after kill $i" ok "$(sql "$T/K01.db" "PRAGMA quick_check")"
	done
	CHECKS=$((CHECKS + 1))
	[ "$cut" -gt 0 ] || fail "no kill landed during the pull"
}

hq_start
new_terminal KMB-SMG K01
catalogue "$T/v1.csv" 1000
catalogue "$T/v2.csv" "$NEW"
hq import catalogue "$T/v1.csv"
expect_rc 0

# The first pull, whole, to know how long one takes.
start=$(now_ms)
agent K01 once
expect_rc 0
PULL_MS=$(($(now_ms) - start))
[ "$PULL_MS" -lt 30000 ] || PULL_MS=30000
expect_eq "first pull" "$ITEMS" "$(pulled)"
echo "a whole pull of $ITEMS items: $PULL_MS ms"

hq import catalogue "$T/v2.csv"
expect_rc 0
rm -f "$T/stop"
"$SYNC_PROBE" "$T/K01.db" 1 "$ADMIN_PIN" 100 "$T/stop" "$NEW" GEN-000000 \
	"GEN-$(printf '%06d' $((ITEMS - 1)))" >"$T/probe.out" 2>"$T/probe.err" &
PROBE=$!
bg_add "$PROBE"
kill_rounds 6 new_prices
agent K01 once
expect_rc 0
expect_eq "every price new" "$ITEMS" "$(new_prices)"
sleep 1
touch "$T/stop"
set +e
wait "$PROBE"
probe_rc=$?
set -e
bg_forget "$PROBE"
echo "probe: $(cat "$T/probe.out")"
[ ! -s "$T/probe.err" ] || cat "$T/probe.err" >&2
expect_eq "probe: no sale refused, no ticket mixed" 0 "$probe_rc"
read -r _ sales _ failed _ mixed _ <"$T/probe.out"
CHECKS=$((CHECKS + 1))
[ "$sales" -gt 10 ] || fail "the probe rang only $sales sales"
expect_eq "refused sales" 0 "$failed"
expect_eq "mixed tickets" 0 "$mixed"

# Nothing of the builds is left, the search and the barcodes are the new
# catalogue's, and foreign keys still hold.
expect_eq "build finished" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_build")"
expect_eq "no build tables" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM sqlite_schema
	WHERE name LIKE '%\_next%' ESCAPE '\' OR name LIKE '%\_old%' ESCAPE '\'")"
expect_eq "staging emptied" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_staging")"
expect_eq "foreign keys" "" "$(sql "$T/K01.db" "PRAGMA foreign_key_check")"
expect_eq "search index integrity" "" "$(sql "$T/K01.db" "INSERT INTO items_fts(items_fts, rank)
	VALUES ('integrity-check', 1)")"
expect_eq "name search" "GEN-$(printf '%06d' $((ITEMS - 1)))" "$(sql "$T/K01.db" "SELECT i.sku
	FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH 'nomor $((ITEMS - 1))'")"
expect_eq "barcode" "GEN-000007" "$(sql "$T/K01.db" "SELECT i.sku FROM barcodes b
	JOIN items i ON i.id = b.item_id WHERE b.code = '8990000000075'")"
expect_eq "the local catalogue stays" 1 "$(sql "$T/K01.db" "SELECT count(*) FROM items
	WHERE sku = 'MIE-GRG' AND price = 3500")"
expect_eq "search triggers" 3 "$(sql "$T/K01.db" "SELECT count(*) FROM sqlite_schema
	WHERE type = 'trigger' AND name LIKE 'items_fts_%'")"
agent K01 once
expect_rc 0
expect_err "catalogue: up to date"
"$COOPMART" --db "$T/K01.db" journal verify >/dev/null || fail "journal verify"

done_ok
