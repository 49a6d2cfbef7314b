# A 200,000-item catalogue pulls page by page in bounded memory: the
# agent's peak RSS stays below 64 MB (pages are staged in the database, not
# kept), every item arrives, and a second run has nothing to do.
# Not meaningful under AddressSanitizer (its shadow memory is the RSS).
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

ITEMS=${SYNC_BIG_ITEMS:-200000}
LIMIT_KB=$((64 * 1024))

# (grep reads all of nm's output: with pipefail, grep -q quitting early
# would fail the pipeline by nm's SIGPIPE.)
if [ "$(nm "$COOPMART_SYNC" 2>/dev/null | grep -c __asan_init)" -gt 0 ] ||
	[ "$(ldd "$COOPMART_SYNC" 2>/dev/null | grep -c libasan)" -gt 0 ]; then
	echo "skipped: coopmart-sync is built with AddressSanitizer"
	exit 0
fi

hq_start
new_terminal KMB-SMG K01
python3 - "$T/big.csv" "$ITEMS" <<'EOF'
import sys
n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("sku,name,price,tax_class,category,supplier\n")
    for i in range(n):
        f.write(f"GEN-{i:06d},Barang Umum Nomor {i} Kemasan {i % 97} g,{1000 + i % 5000},"
                f"standard,Kategori {i % 50},Pemasok {i % 20}\n")
EOF
hq import catalogue "$T/big.csv"
expect_rc 0

# Peak RSS of the agent alone (ru_maxrss of the waited-for child, in KiB).
python3 - "$T/rss" "$COOPMART_SYNC" --config "$T/K01.conf" once <<'EOF' 2>"$T/agent.log"
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:])
open(sys.argv[1], "w").write(f"{r.returncode} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
EOF
read -r rc rss <"$T/rss"
expect_eq "exit code" 0 "$rc"
CHECKS=$((CHECKS + 1))
[ "$rss" -lt "$LIMIT_KB" ] || fail "peak RSS ${rss} KiB, over ${LIMIT_KB} KiB"
echo "peak RSS of the pull: $((rss / 1024)) MiB for $ITEMS items"
expect_eq "items" $((ITEMS + 3)) "$(sql "$T/K01.db" "SELECT count(*) FROM items")"
expect_eq "staging emptied" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_staging")"
# A pull this large rebuilds the name search after the apply: the index
# finds pulled items and its triggers are back.
expect_eq "search triggers" 3 "$(sql "$T/K01.db" "SELECT count(*) FROM sqlite_schema
	WHERE type = 'trigger' AND name LIKE 'items_fts_%'")"
expect_eq "name search" "GEN-$(printf '%06d' $((ITEMS - 1)))" "$(sql "$T/K01.db" "SELECT i.sku
	FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH 'nomor $((ITEMS - 1))'")"
expect_eq "search index integrity" "" "$(sql "$T/K01.db" "INSERT INTO items_fts(items_fts, rank)
	VALUES ('integrity-check', 1)")"
agent K01 once
expect_rc 0
expect_err "catalogue: up to date"

done_ok
