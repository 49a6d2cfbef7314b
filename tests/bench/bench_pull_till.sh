#!/bin/bash
# bench_pull_till.sh: a till ringing a sale every 250 ms while its agent
# pulls a big catalogue from the real coopmart-hq on loopback. A benchmark,
# not a test (tests/sync/sync_pull_till.sh is the test at 20,000 items).
#
#   tests/bench/bench_pull_till.sh BUILD_DIR [ITEMS]      (ITEMS: 1000000)
#
# Catalogues from gen_catalogue.py (realistic names, valid EAN-13). Two
# pulls are measured: the first (every item new) and a second in which HQ
# changed every price. During each, sync_probe rings a two-line sale every
# 250 ms and reports its worst wait; beside each pull's time is the raw
# figure from the same run, the limit of issue 16: HQ's very JSON pages of
# that pull (fetched once, saved) parsed with cJSON and their rows inserted
# with prepared statements in one transaction into the same tables (items,
# barcodes, categories, suppliers), the FTS5 name index rebuilt, WAL and
# synchronous=FULL as the till runs (bench_pull_raw); and the sqlite3 shell
# loading the same rows from the CSV (.import) the same way.
set -euo pipefail

BUILD=${1:?usage: bench_pull_till.sh BUILD_DIR [ITEMS]}
ITEMS=${2:-1000000}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART=$BUILD/coopmart COOPMART_HQ=$BUILD/sync/coopmart-hq COOPMART_SYNC=$BUILD/sync/coopmart-sync
PROBE=$BUILD/tests/sync_probe
RAWJSON=$BUILD/tests/bench_pull_raw
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
for f in "$COOPMART" "$COOPMART_HQ" "$COOPMART_SYNC" "$PROBE" "$RAWJSON"; do
	[ -x "$f" ] || { echo "bench_pull_till: $f is not built" >&2; exit 1; }
done
source "$SRCDIR/tests/sync/lib.sh.inc"
NEW=1000000    # second version: every price at least this
CHUNK=400000   # rows per HQ import file (HQ takes files up to 64 MB)

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

# hq_import CSV: imports CSV at HQ in files of CHUNK rows.
hq_import() {
	rm -f "$T"/part.*
	tail -n +2 "$1" | split -l "$CHUNK" - "$T/part."
	local p
	for p in "$T"/part.*; do
		{ head -1 "$1"; cat "$p"; } >"$p.csv"
		hq import catalogue "$p.csv"
		[ "$RC" = 0 ] || fail "HQ import: $(printf '%s\n' "$ERR" | tail -3)"
	done
}

# raw CSV: seconds for the sqlite3 shell to load CSV into the till's tables.
raw() {
	rm -f "$T/raw.db"*
	local t0 t1
	t0=$(now)
	sqlite3 "$T/raw.db" >/dev/null <<-EOF
	PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
	CREATE TABLE categories(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
	CREATE TABLE items(id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
		receipt_name TEXT NOT NULL, unit TEXT NOT NULL DEFAULT 'pcs',
		weighed INTEGER NOT NULL DEFAULT 0, price INTEGER NOT NULL,
		member_price INTEGER NOT NULL DEFAULT 0, tax_class INTEGER NOT NULL DEFAULT 1,
		category_id INTEGER REFERENCES categories(id), supplier_id INTEGER, plu INTEGER UNIQUE,
		active INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);
	CREATE TABLE barcodes(code TEXT PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id),
		pack_qty INTEGER NOT NULL DEFAULT 1000, UNIQUE (item_id, code)) WITHOUT ROWID;
	CREATE VIRTUAL TABLE items_fts USING fts5(name, sku, content = 'items', content_rowid = 'id',
		tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
	CREATE TEMP TABLE csv(sku, name, price, barcodes, category);
	.import --csv --skip 1 $1 csv
	BEGIN;
	INSERT INTO categories(name) SELECT DISTINCT category FROM csv;
	INSERT INTO items(sku, name, receipt_name, price, category_id, updated_at)
		SELECT sku, name, name, price, (SELECT id FROM categories c WHERE c.name = category), 0
		FROM csv;
	INSERT INTO barcodes(code, item_id) SELECT c.barcodes, i.id FROM csv c JOIN items i USING (sku);
	INSERT INTO items_fts(items_fts) VALUES ('rebuild');
	COMMIT;
	EOF
	t1=$(now)
	secs "$t0" "$t1"
}

# save_pages SINCE DIR: HQ's catalogue pages since SINCE, as the agent asks
# for them (1,000 items, gzip), saved as DIR/page-NNNNN.json; prints how
# long HQ took a page (request sent to the last byte read, one at a time).
save_pages() {
	rm -rf "$2"
	mkdir -p "$2"
	python3 - "$HQ_URL" "$T/K01.token" "$T/pki/ca.pem" "$1" "$2" <<-'EOF'
	import gzip, http.client, json, ssl, sys, time, urllib.parse
	url, token, ca, since, out = sys.argv[1:]
	host, port = urllib.parse.urlsplit(url).netloc.split(":")
	conn = http.client.HTTPSConnection(host, int(port), context=ssl.create_default_context(cafile=ca))
	head = {"Authorization": "Bearer " + open(token).read().strip(),
	        "Accept": "application/json", "Accept-Encoding": "gzip"}
	path, n, ms = f"/v1/catalogue?since={since}&limit=1000", 0, []
	while path:
	    t0 = time.monotonic()
	    conn.request("GET", path, headers=head)
	    r = conn.getresponse()
	    body = r.read()
	    ms.append((time.monotonic() - t0) * 1000)
	    if r.status != 200:
	        sys.exit(f"save_pages: HQ answered {r.status}")
	    if r.getheader("Content-Encoding") == "gzip":
	        body = gzip.decompress(body)
	    n += 1
	    open(f"{out}/page-{n:05d}.json", "wb").write(body)
	    page = json.loads(body)
	    nxt = page.get("next")
	    path = (f"/v1/catalogue?since={since}&upto={page['upto']}&after="
	            f"{urllib.parse.quote(nxt, safe='')}&limit=1000") if nxt else None
	ms.sort()
	print(f"  HQ served {n} pages of 1,000 items: p50 {ms[len(ms) // 2]:.1f} ms, mean "
	      f"{sum(ms) / len(ms):.1f} ms a page (request to last byte, gzip)")
	EOF
}

# raw_json DIR: "WALL CPU" seconds of bench_pull_raw on the saved pages.
raw_json() {
	local out
	out=$("$RAWJSON" "$T/rawjson.db" "$1"/page-*.json) || fail "bench_pull_raw failed"
	rm -f "$T/rawjson.db"*
	set -- $out
	echo "$7 $9"
}

# limit_line: the pull beside both raw figures of the same rows.
limit_line() {
	local w c
	read -r w c <<<"$RAW_JSON"
	printf '  limit (HQ pages parsed with cJSON, inserted, indexed raw): %.1f s (CPU %.1f s); the pull is %.2fx\n' \
		"$w" "$c" "$(echo "$PULL_S / $w" | bc -l)"
	printf '  raw: the sqlite3 shell loading the same rows from CSV: %.1f s; the pull is %.2fx\n' "$RAW" \
		"$(echo "$PULL_S / $RAW" | bc -l)"
}

# pull_with_probe WHAT NEW_PRICE SKU_A SKU_B: one timed agent run while the
# probe rings sales of SKU_A and SKU_B.
pull_with_probe() {
	local what=$1 t0 t1 rss
	rm -f "$T/stop"
	"$PROBE" "$T/K01.db" 1 "$ADMIN_PIN" 250 "$T/stop" "$2" "$3" "$4" >"$T/probe.out" 2>"$T/probe.err" &
	local probe=$!
	sleep 1
	t0=$(now)
	python3 - "$T/rss" "$COOPMART_SYNC" --config "$T/K01.conf" once <<-'EOF' 2> >(
		while IFS= read -r l; do printf '%s %s\n' "$(now)" "$l"; done >"$T/agent.log")
	import resource, subprocess, sys
	r = subprocess.run(sys.argv[2:])
	u = resource.getrusage(resource.RUSAGE_CHILDREN)
	open(sys.argv[1], "w").write(f"{r.returncode} {u.ru_maxrss} {u.ru_utime + u.ru_stime:.1f}\n")
	EOF
	t1=$(now)
	sleep 1
	touch "$T/stop"
	wait "$probe" || true
	read -r rc rss cpu <"$T/rss"
	[ "$rc" = 0 ] || fail "the agent exited with $rc: $(tail -3 "$T/agent.log")"
	PULL_S=$(secs "$t0" "$t1")
	sleep 0.2
	local applying
	applying=$(grep -m1 'catalogue: .* applying' "$T/agent.log" | cut -d' ' -f1)
	printf '%s: %.1f s, agent CPU %s s (pages fetched and written in %.1f s, then built and switched in), agent peak RSS %d MiB, load %s\n' \
		"$what" "$PULL_S" "$cpu" "$(secs "$t0" "${applying:-$t0}")" $((rss / 1024)) \
		"$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "  till during it: $(cat "$T/probe.out")"
	[ ! -s "$T/probe.err" ] || echo "  probe errors: $(head -3 "$T/probe.err")"
}

echo "== bench_pull_till: $ITEMS items, a sale every 250 ms during the pull =="
python3 "$SRCDIR/tests/bench/gen_catalogue.py" "$ITEMS" "$T/v1.csv"
python3 "$SRCDIR/tests/bench/gen_catalogue.py" "$ITEMS" "$T/v2.csv" --price-base "$NEW"
hq_start
new_terminal KMB-SMG K01
t0=$(now)
hq_import "$T/v1.csv"
printf 'HQ import of %d items: %.1f s\n' "$ITEMS" "$(secs "$t0" "$(now)")"
echo "saving HQ's pages of the first pull (load $(cut -d' ' -f1-3 /proc/loadavg))"
save_pages 0 "$T/pages1"
RAW=$(raw "$T/v1.csv")
RAW_JSON=$(raw_json "$T/pages1")
pull_with_probe "first pull" "$NEW" MIE-GRG BRS-PRM-5
limit_line
RAW_JSON=$(raw_json "$T/pages1")
echo "  limit again after the pull: $RAW_JSON (wall, CPU s)"
hq_import "$T/v2.csv"
echo "saving HQ's pages of the second pull (load $(cut -d' ' -f1-3 /proc/loadavg))"
save_pages "$(sql "$T/K01.db" "SELECT catalogue_version FROM sync_state")" "$T/pages2"
RAW_JSON=$(raw_json "$T/pages2")
last=$(printf 'C%07d' $((ITEMS - 1)))
pull_with_probe "second pull (every price changed)" "$NEW" C0000000 "$last"
limit_line
echo "new prices at the till: $(sql "$T/K01.db" "SELECT count(*) FROM items WHERE price >= $NEW") of $ITEMS"
echo "bench_pull_till: done"
