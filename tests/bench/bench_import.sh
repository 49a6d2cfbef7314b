#!/bin/bash
# bench_import.sh: `coopmart import items` and `coopmart-hq import
# catalogue` of a big generated catalogue (gen_catalogue.py: realistic
# names, valid EAN-13), each beside the raw figure from the same run: the
# sqlite3 shell loading the same rows into the till's tables (items,
# barcodes, categories, the FTS5 name index) in one transaction, WAL and
# synchronous=FULL. A benchmark, not a test.
#
#   tests/bench/bench_import.sh BUILD_DIR [ITEMS]      (ITEMS: 1000000)
#
# Memory: the peak resident set sampled every 50 ms (VmRSS) and the
# kernel's high-water mark (VmHWM). The till's VmHWM includes the 64 MiB
# Argon2id check of the admin's PIN before the import starts.
set -euo pipefail

BUILD=${1:?usage: bench_import.sh BUILD_DIR [ITEMS]}
ITEMS=${2:-1000000}
BUILD=$(cd "$BUILD" && pwd)
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
COOPMART=$BUILD/coopmart
COOPMART_HQ=$BUILD/sync/coopmart-hq
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bench-import.XXXXXX")
trap 'rm -rf "$T"' EXIT
PIN=246810
export COOPMART_LANG=en

now() { date +%s.%N; }

# measure OUT IN CMD...: runs CMD (standard input from IN, output in
# $T/out and $T/err) sampling its memory; OUT gets
# "EXIT SECONDS PEAK_RSS_KB HWM_KB".
measure() {
	local out=$1 in=$2 t0 pid peak=0 hwm=0 r h rc
	shift 2
	t0=$(now)
	"$@" <"$in" >"$T/out" 2>"$T/err" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		r=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		[ "${r:-0}" -gt "$peak" ] && peak=$r
		[ "${h:-0}" -gt "$hwm" ] && hwm=$h
		sleep 0.05
	done
	set +e
	wait "$pid"
	rc=$?
	set -e
	echo "$rc $(echo "$(now) - $t0" | bc -l) $peak $hwm" >"$out"
}

raw() { # CSV: seconds
	local t0
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
	echo "$(now) - $t0" | bc -l
}

line() { # WHAT FILE RAW
	local rc dt peak hwm
	read -r rc dt peak hwm <"$2"
	[ "$rc" = 0 ] || { echo "$1: exit $rc: $(tail -3 "$T/err")"; return; }
	printf '%s: %.1f s, peak RSS %d MiB (sampled), VmHWM %d MiB; raw sqlite3 %.1f s; %.2fx raw\n' \
		"$1" "$dt" $((peak / 1024)) $((hwm / 1024)) "$3" "$(echo "$dt / $3" | bc -l)"
}

echo "== bench_import: $ITEMS items; load average $(cut -d' ' -f1-3 /proc/loadavg) =="
python3 "$SRCDIR/tests/bench/gen_catalogue.py" "$ITEMS" "$T/c.csv"
printf 'file: %d MB\n' $(($(stat -c %s "$T/c.csv") / 1000000))
RAW=$(raw "$T/c.csv")
printf '%s\n' "$PIN" | "$COOPMART" --db "$T/till.db" init --store-name Bench --terminal T01 \
	--admin-number 1 --admin-name Admin >/dev/null 2>&1
printf '%s\n' "$PIN" >"$T/pin"
measure "$T/till.m" "$T/pin" "$COOPMART" --db "$T/till.db" --user 1 import items "$T/c.csv"
line "coopmart import items (empty till)" "$T/till.m" "$RAW"
cat "$T/out"
measure "$T/till2.m" "$T/pin" "$COOPMART" --db "$T/till.db" --user 1 import items "$T/c.csv"
line "coopmart import items again (every row an update)" "$T/till2.m" "$RAW"
measure "$T/hq.m" /dev/null "$COOPMART_HQ" --db "$T/hq.db" import catalogue "$T/c.csv"
line "coopmart-hq import catalogue (SQLite)" "$T/hq.m" "$RAW"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
