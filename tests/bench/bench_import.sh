#!/bin/bash
# bench_import.sh: `coopmart import items` and `coopmart-hq import
# catalogue` of a big generated catalogue (gen_catalogue.py: realistic
# names, valid EAN-13), each beside the raw figure from the same run: the
# sqlite3 shell loading the same rows into the till's tables (items,
# barcodes, categories, the FTS5 name index) in one transaction, WAL and
# synchronous=FULL (HQ's import on SQLite: the shell loading HQ's own
# items table the same way). A benchmark, not a test.
#
#   tests/bench/bench_import.sh BUILD_DIR [ITEMS]      (ITEMS: 1000000)
#
# Each figure: wall time and CPU time (user + sys; on a shared machine
# the steadier one), the peak resident set sampled every 50 ms (VmRSS)
# and the kernel's high-water mark (VmHWM, GNU time's maximum RSS). The
# till's VmHWM includes the 64 MiB Argon2id check of the admin's PIN
# before the import starts. The raw load runs again between the
# engine's runs (ROUNDS=N repeats the whole, alternating).
# BENCH_IMPORT_PG=1 also imports into HQ on a throwaway PostgreSQL
# cluster (durable: fsync on), beside psql doing the same rows raw (COPY,
# then one INSERT ... SELECT into HQ's items table), with the server's
# CPU of each (the cluster's processes, after a checkpoint);
# BENCH_IMPORT_PG=only runs that alone.
# The second till import is a second version of the catalogue where every
# price changed (gen_catalogue.py --price-base), with a till (sync_probe)
# ringing a sale every 250 ms meanwhile: its worst wait, and whether any
# ticket saw old and new prices mixed.
set -euo pipefail

BUILD=${1:?usage: bench_import.sh BUILD_DIR [ITEMS]}
ITEMS=${2:-1000000}
BUILD=$(cd "$BUILD" && pwd)
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
COOPMART=$BUILD/coopmart
COOPMART_HQ=$BUILD/sync/coopmart-hq
PROBE=$BUILD/tests/sync_probe
NEW=1000000    # the second version's prices are at least this
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bench-import.XXXXXX")
PGDIR=""
cleanup() {
	[ -n "$PGDIR" ] && bash "$SRCDIR/tests/pg/cluster.sh" stop "$PGDIR" || true
	rm -rf "$T"
}
trap cleanup EXIT
ROUNDS=${ROUNDS:-1}
PIN=246810
export COOPMART_LANG=en

now() { date +%s.%N; }

# measure OUT IN CMD...: runs CMD (standard input from IN, output in
# $T/out and $T/err) under GNU time, sampling its memory; OUT gets
# "EXIT WALL USER SYS HWM_KB PEAK_RSS_KB PEAK_AFTER_KB": the last, the
# peak after the resident set first fell below half its peak (the till:
# after the PIN check's 64 MiB are freed; 0 when it never fell).
measure() {
	local out=$1 in=$2 pid child="" peak=0 after=0 fell=0 r rc
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$T/time" "$@" <"$in" >"$T/out" 2>"$T/err" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		[ -n "$child" ] || child=$(pgrep -P "$pid" | head -1 || true)
		if [ -n "$child" ]; then
			r=$(awk '/^VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)
			[ "${r:-0}" -gt "$peak" ] && peak=$r
			[ "$fell" = 0 ] && [ "${r:-0}" -gt 0 ] && [ $((2 * r)) -lt "$peak" ] && fell=1
			[ "$fell" = 1 ] && [ "${r:-0}" -gt "$after" ] && after=$r
		fi
		sleep 0.05
	done
	set +e
	wait "$pid"
	rc=$?
	set -e
	echo "$rc $(tail -1 "$T/time") $peak $after" >"$out"
}

raw_sql() { # CSV DB
	cat <<-EOF
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
}

raw() { # CSV OUT: the sqlite3 shell loading the rows, measured as measure does
	rm -f "$T/raw.db" "$T/raw.db-wal" "$T/raw.db-shm"
	raw_sql "$1" >"$T/raw.sql"
	measure "$2" "$T/raw.sql" sqlite3 "$T/raw.db"
}

raw_hq() { # CSV OUT: the sqlite3 shell loading the rows into HQ's items table (its own SQL)
	rm -f "$T/rawhq.db" "$T/rawhq.db-wal" "$T/rawhq.db-shm"
	cat >"$T/rawhq.sql" <<-EOF
	PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
	$(sed -n '/^CREATE TABLE items (/,/^CREATE INDEX items_version/p' "$SRCDIR/schema/hq/sqlite/001_init.sql")
	CREATE TEMP TABLE csv(sku, name, price, barcodes, category);
	.import --csv --skip 1 $1 csv
	BEGIN;
	INSERT INTO items SELECT sku, name, name, 'pcs', 0, price, 0, 'standard', category, '', 0, 1,
		barcodes, 1, 0 FROM csv;
	COMMIT;
	EOF
	measure "$2" "$T/rawhq.sql" sqlite3 "$T/rawhq.db"
}

raw_hq_again() { # CSV OUT: the shell writing a second version into raw_hq's table
	cat >"$T/rawhq2.sql" <<-EOF
	PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
	CREATE TEMP TABLE csv(sku, name, price, barcodes, category);
	.import --csv --skip 1 $1 csv
	BEGIN;
	INSERT INTO items SELECT sku, name, name, 'pcs', 0, price, 0, 'standard', category, '', 0, 1,
		barcodes, 2, 0 FROM csv WHERE true
		ON CONFLICT (sku) DO UPDATE SET name = excluded.name, receipt_name = excluded.name,
		price = excluded.price, barcodes = excluded.barcodes, category = excluded.category,
		version = 2;
	COMMIT;
	EOF
	measure "$2" "$T/rawhq2.sql" sqlite3 "$T/rawhq.db"
}

raw_pg() { # CSV DB OUT: psql loading the rows into HQ's items table
	cat >"$T/rawpg.sql" <<-EOF
	CREATE TABLE items (sku text COLLATE "C" PRIMARY KEY, name text NOT NULL,
		receipt_name text NOT NULL, unit text NOT NULL, weighed integer NOT NULL,
		price bigint NOT NULL, member_price bigint NOT NULL, tax_class text NOT NULL,
		category text NOT NULL, supplier text NOT NULL, plu bigint NOT NULL,
		active integer NOT NULL, barcodes text NOT NULL, version bigint NOT NULL,
		deleted integer NOT NULL DEFAULT 0);
	CREATE INDEX items_version ON items(version, sku);
	BEGIN;
	CREATE TEMP TABLE csv(sku text, name text, price bigint, barcodes text, category text);
	\copy csv FROM '$1' WITH (FORMAT csv, HEADER true)
	INSERT INTO items SELECT sku, name, name, 'pcs', 0, price, 0, 'standard', category, '', 0, 1,
		barcodes, 1, 0 FROM csv;
	COMMIT;
	EOF
	pg_measure "$3" "$2" "$T/rawpg.sql" psql -X -q -v ON_ERROR_STOP=1 -d "$2"
}

raw_pg_again() { # CSV DB OUT: psql writing a second version into raw_pg's table
	cat >"$T/rawpg2.sql" <<-EOF
	BEGIN;
	CREATE TEMP TABLE csv(sku text, name text, price bigint, barcodes text, category text);
	\copy csv FROM '$1' WITH (FORMAT csv, HEADER true)
	INSERT INTO items SELECT sku, name, name, 'pcs', 0, price, 0, 'standard', category, '', 0, 1,
		barcodes, 2, 0 FROM csv
		ON CONFLICT (sku) DO UPDATE SET name = excluded.name, receipt_name = excluded.name,
		price = excluded.price, barcodes = excluded.barcodes, category = excluded.category,
		version = 2;
	COMMIT;
	EOF
	pg_measure "$3" "$2" "$T/rawpg2.sql" psql -X -q -v ON_ERROR_STOP=1 -d "$2"
}

# pg_line TITLE HQ.m RAW.m: line, then client + server CPU of both.
pg_line() {
	local s tck rs rtck u sy ru rsy
	line "$1" "$2" "$3"
	read -r s tck <"$2.srv"
	read -r rs rtck <"$3.srv"
	read -r _ _ u sy _ <"$2"
	read -r _ _ ru rsy _ <"$3"
	printf '  (CPU above: the client only) server CPU %.1f s, raw %.1f s; client + server %.1f s, raw %.1f s: %.2fx\n' \
		"$(echo "$s / $tck" | bc -l)" "$(echo "$rs / $rtck" | bc -l)" \
		"$(echo "$u + $sy + $s / $tck" | bc -l)" "$(echo "$ru + $rsy + $rs / $rtck" | bc -l)" \
		"$(echo "($u + $sy + $s / $tck) / ($ru + $rsy + $rs / $rtck)" | bc -l)"
}

# pg_cpu: CPU time (ticks) the cluster has used: its postmaster, the
# live children and, in the postmaster's child times, those it reaped
# (each connection's backend).
pg_cpu() {
	local pm t=0 p
	pm=$(head -1 "$PGDIR/data/postmaster.pid")
	for p in $pm $(pgrep -P "$pm"); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo $((t + $(awk '{print $16 + $17}' "/proc/$pm/stat")))
}

# pg_measure OUT DB CMD...: measure, with the server's CPU seconds in OUT.srv.
pg_measure() {
	local out=$1 db=$2 c0
	shift 2
	psql -X -q -d "$db" -c CHECKPOINT
	c0=$(pg_cpu)
	measure "$out" "$@"
	echo "$(($(pg_cpu) - c0)) $(getconf CLK_TCK)" >"$out.srv"
}

# line WHAT FILE RAWFILE: the figure beside the raw one, wall and CPU.
line() {
	local rc wall user sys hwm peak after rrc rwall ruser rsys rest
	read -r rc wall user sys hwm peak after <"$2"
	read -r rrc rwall ruser rsys rest <"$3"
	[ "$rc" = 0 ] || { echo "$1: exit $rc: $(tail -3 "$T/err")"; return; }
	printf '%s: wall %.1f s, CPU %.1f s; raw wall %.1f s, CPU %.1f s; %.2fx raw wall, %.2fx raw CPU; peak RSS %d MiB (sampled), VmHWM %d MiB; load %s\n' \
		"$1" "$wall" "$(echo "$user + $sys" | bc -l)" "$rwall" "$(echo "$ruser + $rsys" | bc -l)" \
		"$(echo "$wall / $rwall" | bc -l)" "$(echo "($user + $sys) / ($ruser + $rsys)" | bc -l)" \
		$((peak / 1024)) $((hwm / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
	[ "$after" = 0 ] || [ "${1#coopmart import}" = "$1" ] || printf '  peak RSS after the PIN check (sampled): %d MiB\n' $((after / 1024))
}

echo "== bench_import: $ITEMS items; load average $(cut -d' ' -f1-3 /proc/loadavg) =="
python3 "$SRCDIR/tests/bench/gen_catalogue.py" "$ITEMS" "$T/c.csv"
python3 "$SRCDIR/tests/bench/gen_catalogue.py" "$ITEMS" "$T/c2.csv" --price-base "$NEW"
printf 'file: %d MB\n' $(($(stat -c %s "$T/c.csv") / 1000000))
printf '%s\n' "$PIN" >"$T/pin"
if [ "${BENCH_IMPORT_PG:-0}" != 0 ]; then
	PGDIR="${TMPDIR:-/tmp}/bench-import-pg.$$"   # not in $T: the cluster's owner must reach it
	COOPMART_PG_DURABLE=1 bash "$SRCDIR/tests/pg/cluster.sh" start "$PGDIR" >/dev/null
fi
for round in $(seq "$ROUNDS"); do
	if [ "${BENCH_IMPORT_PG:-0}" != only ]; then
		rm -f "$T"/till.db* "$T"/hq.db*
		raw "$T/c.csv" "$T/raw.m"
		printf '%s\n' "$PIN" | "$COOPMART" --db "$T/till.db" init --store-name Bench --terminal T01 \
			--admin-number 1 --admin-name Admin >/dev/null 2>&1
		measure "$T/till.m" "$T/pin" "$COOPMART" --db "$T/till.db" --user 1 import items "$T/c.csv"
		line "coopmart import items (empty till)" "$T/till.m" "$T/raw.m"
		cat "$T/out"
		raw "$T/c2.csv" "$T/raw.m"
		rm -f "$T/stop"
		"$PROBE" "$T/till.db" 1 "$PIN" 250 "$T/stop" "$NEW" C0000000 \
			"$(printf 'C%07d' $((ITEMS - 1)))" >"$T/probe.out" 2>"$T/probe.err" &
		probe=$!
		sleep 1
		measure "$T/till2.m" "$T/pin" "$COOPMART" --db "$T/till.db" --user 1 import items "$T/c2.csv"
		sleep 1
		touch "$T/stop"
		wait "$probe" || true
		line "coopmart import items again (every price changed)" "$T/till2.m" "$T/raw.m"
		echo "  till during it: $(cat "$T/probe.out")"
		[ ! -s "$T/probe.err" ] || echo "  probe errors: $(head -3 "$T/probe.err")"
		raw_hq "$T/c.csv" "$T/rawhq.m"
		measure "$T/hq.m" /dev/null "$COOPMART_HQ" --db "$T/hq.db" import catalogue "$T/c.csv"
		line "coopmart-hq import catalogue (SQLite; raw: the sqlite3 shell loading HQ's items table)" \
			"$T/hq.m" "$T/rawhq.m"
		raw_hq_again "$T/c2.csv" "$T/rawhq2.m"
		measure "$T/hq2.m" /dev/null "$COOPMART_HQ" --db "$T/hq.db" import catalogue "$T/c2.csv"
		line "coopmart-hq import catalogue again, every price changed (SQLite; raw: the shell's INSERT ... ON CONFLICT DO UPDATE)" \
			"$T/hq2.m" "$T/rawhq2.m"
	fi
	if [ -n "$PGDIR" ]; then
		rawdb=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$PGDIR" "raw_$round")
		raw_pg "$T/c.csv" "$rawdb" "$T/rawpg.m"
		db=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$PGDIR" "hq_$round")
		pg_measure "$T/hqpg.m" "$db" /dev/null "$COOPMART_HQ" --db "$db" import catalogue "$T/c.csv"
		pg_line "coopmart-hq import catalogue (PostgreSQL; raw: psql COPY + INSERT ... SELECT)" \
			"$T/hqpg.m" "$T/rawpg.m"
		raw_pg_again "$T/c2.csv" "$rawdb" "$T/rawpg2.m"
		pg_measure "$T/hqpg2.m" "$db" /dev/null "$COOPMART_HQ" --db "$db" import catalogue "$T/c2.csv"
		pg_line "coopmart-hq import catalogue again, every price changed (PostgreSQL; raw: psql COPY + INSERT ... ON CONFLICT DO UPDATE)" \
			"$T/hqpg2.m" "$T/rawpg2.m"
	fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
