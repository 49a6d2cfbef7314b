#!/bin/bash
# bench_hq.sh: the regional server under the load of many terminals, on
# SQLite and on PostgreSQL, over HTTPS on loopback. A benchmark, not a
# test: it prints figures beside their targets and exits 0 unless
# something failed to run.
#
#   tests/bench/bench_hq.sh BUILD_DIR [sqlite|pg|both] [push|pull|all]
#
#   push   BENCH_HQ_TERMINALS (500) terminals push BENCH_HQ_EVENTS (200)
#          events each in batches of BENCH_HQ_BATCH (50), all at once
#          (bench_hq.c): events/s (target >= 50,000/s on PostgreSQL),
#          p99 of a push, p99 of /v1/health meanwhile (target < 100 ms)
#   pull   a BENCH_HQ_ITEMS (1,000,000) item catalogue served to
#          BENCH_HQ_PULLERS (20) terminals pulling every page at once:
#          wall time, MiB/s, p99 of a page, p99 of /v1/health meanwhile
#
# The raw limit beside the push figure: PostgreSQL itself (pgbench) doing
# the same inserts per event (an event row and a sale row) over the same
# socket, in the same run. HQ serves with --threads BENCH_HQ_THREADS (8).
# The PostgreSQL cluster is durable (fsync on), as SQLite's synchronous=FULL.
# Scratch under $TEST_TMPDIR (default /tmp/coopmart-bench), removed after.
set -euo pipefail

BUILD=${1:?usage: bench_hq.sh BUILD_DIR [sqlite|pg|both] [push|pull|all]}
BACKENDS=${2:-both}
WHAT=${3:-all}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART=$BUILD/coopmart COOPMART_HQ=$BUILD/sync/coopmart-hq
BENCH=$BUILD/tests/bench_hq
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
for f in "$COOPMART_HQ" "$BENCH"; do
	[ -x "$f" ] || { echo "bench_hq: $f is not built" >&2; exit 1; }
done
TERMS=${BENCH_HQ_TERMINALS:-500}
EVENTS=${BENCH_HQ_EVENTS:-200}
BATCH=${BENCH_HQ_BATCH:-50}
ITEMS=${BENCH_HQ_ITEMS:-1000000}
PULLERS=${BENCH_HQ_PULLERS:-20}
THREADS=${BENCH_HQ_THREADS:-8}
[ "$BACKENDS" = both ] && BACKENDS="sqlite pg"
PGDIR=""

source "$SRCDIR/tests/sync/hq_lib.sh.inc"
bench_cleanup() {
	[ -n "${HQ_PID:-}" ] && kill "$HQ_PID" 2>/dev/null || true
	[ -n "$PGDIR" ] && bash "$SRCDIR/tests/pg/cluster.sh" stop "$PGDIR" || true
	rm -rf "$T"
}
trap bench_cleanup EXIT

serve() {
	[ -n "${CA:-}" ] || make_certs
	"$COOPMART_HQ" --db "$HQDB" serve --listen 127.0.0.1:0 --threads "$THREADS" \
		--cert "$T/tls/server.pem" --key "$T/tls/server.key" >>"$T/hq.out" 2>>"$T/hq.log" &
	HQ_PID=$!
	local i port=""
	for i in $(seq 1 400); do
		port=$(grep -o 'msg="listening" addr=127.0.0.1:[0-9]*' "$T/hq.log" 2>/dev/null | tail -1 | sed 's/.*://' || true)
		[ -n "$port" ] && break
		sleep 0.05
	done
	[ -n "$port" ] || fail "coopmart-hq did not start: $(tail -3 "$T/hq.log")"
	HQ_URL="https://127.0.0.1:$port"
}

unserve() {
	kill -TERM "$HQ_PID" && wait "$HQ_PID" || true
	HQ_PID=""
	: >"$T/hq.log"
}

# fresh_db BACKEND: HQDB is a new, empty database.
fresh_db() {
	if [ "$1" = pg ]; then
		HQDB=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$PGDIR" "bench_$RANDOM")
		export COOPMART_TEST_PG=$PGDIR     # sql() reads HQDB with psql
	else
		unset COOPMART_TEST_PG
		rm -f "$T/hq.db" "$T/hq.db-wal" "$T/hq.db-shm"
		HQDB="$T/hq.db"
	fi
}

# enroll N STORE_PREFIX FILE: N terminals, ten a store, tokens into FILE.
enroll() {
	local n=$1 prefix=$2 file=$3 i
	: >"$file"
	for i in $(seq 1 "$n"); do
		local store term tok
		store=$(printf '%s%03d' "$prefix" $(( (i - 1) / 10 )))
		term=$(printf 'K%02d' $(( (i - 1) % 10 + 1 )))
		tok=$("$COOPMART_HQ" --db "$HQDB" enroll --store "$store" --terminal "$term" 2>/dev/null)
		echo "$store $term $tok" >>"$file"
	done
}

val() { grep "^$1 " "$2" | cut -d' ' -f2; }
met() { if [ "$1" = 1 ]; then echo MET; else echo "NOT MET"; fi; }

# The raw limit: pgbench inserting the rows HQ inserts per event (the
# event, and for 3 of 4 a sale with one tax row, one tender and two stock
# movements), into copies of HQ's tables without triggers, in transactions
# of BATCH events, from as many clients as HQ has workers, for 15 s.
raw_pg() {
	local db=$1 t
	for t in events sales sale_taxes sale_tenders stock_moves; do
		psql -X -q -d "$db" -c "CREATE TABLE raw_$t (LIKE $t INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY)" >/dev/null
	done
	psql -X -q -d "$db" -c "CREATE SEQUENCE raw_seq" >/dev/null
	{
		echo '\set t random(1, 1000000000)'
		echo 'BEGIN;'
		for i in $(seq 1 "$BATCH"); do
			echo "INSERT INTO raw_events VALUES ('S', :t, nextval('raw_seq'), 'sale', 1, 101, '{\"receipt\":\"K01-00000001\",\"date\":20261206,\"total\":16000,\"rounding\":0,\"due\":16000,\"taxes\":[],\"tenders\":[],\"lines\":[]}', decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'), 1);"
			[ $((i % 4)) = 0 ] && continue
			echo "INSERT INTO raw_sales VALUES ('S', :t, currval('raw_seq'), 'K01-1', 20261206, NULL, 16000, 0, 16000);"
			echo "INSERT INTO raw_sale_taxes VALUES ('S', :t, currval('raw_seq'), 'standard', 16000, 1586);"
			echo "INSERT INTO raw_sale_tenders VALUES ('S', :t, currval('raw_seq'), 1, 'cash', 16000);"
			echo "INSERT INTO raw_stock_moves(store, sku, qty, kind, terminal, seq, at) VALUES ('S', 'B-1', -1000, 'sale', :t, currval('raw_seq'), 1);"
			echo "INSERT INTO raw_stock_moves(store, sku, qty, kind, terminal, seq, at) VALUES ('S', 'B-7', -1000, 'sale', :t, currval('raw_seq'), 1);"
		done
		echo 'COMMIT;'
	} >"$T/raw.sql"
	pgbench -n -M prepared -c "$THREADS" -j 2 -T 15 -f "$T/raw.sql" "$db" 2>"$T/raw.err" |
		awk -v b="$BATCH" '/^tps/ { printf "%.0f\n", $3 * b }'
}

bench_push() {
	local be=$1
	echo "== push on $be: $TERMS terminals x $EVENTS events, batches of $BATCH =="
	fresh_db "$be"
	enroll "$TERMS" S "$T/tokens"
	serve
	"$BENCH" push "$HQ_URL" "$CA" "$T/tokens" "$EVENTS" "$BATCH" >"$T/push.out" ||
		echo "bench_hq reported errors"
	unserve
	cat "$T/push.out"
	local rate p99 held
	rate=$(val events_per_s "$T/push.out")
	p99=$(val health_p99_ms "$T/push.out")
	held=$(sql "$HQDB" "SELECT count(*) FROM events")
	echo "held at HQ: $held of $((TERMS * EVENTS)) events"
	[ "$held" = $((TERMS * EVENTS)) ] || echo "NOT ALL EVENTS HELD"
	if [ "$be" = pg ]; then
		echo "push rate: $rate events/s (target >= 50,000 on PostgreSQL): $(met "$(echo "$rate >= 50000" | bc)")"
		echo "raw limit: pgbench, the same rows per event, $THREADS clients, one round trip a statement: $(raw_pg "$HQDB") events/s"
	else
		echo "push rate: $rate events/s (SQLite, beside the PostgreSQL figure)"
	fi
	echo "health p99 during the push: $p99 ms (target < 100 ms): $(met "$(echo "$p99 < 100" | bc)")"
}

bench_pull() {
	local be=$1
	echo "== pull on $be: $ITEMS items to $PULLERS terminals at once =="
	fresh_db "$be"
	enroll "$PULLERS" P "$T/pullers"
	# (short rows: HQ's import takes files up to 64 MB)
	python3 - "$ITEMS" >"$T/items.csv" <<-'PY'
	import sys
	n = int(sys.argv[1])
	print("sku,name,price,member_price,tax_class,category,barcodes")
	for i in range(n):
	    print(f"B-{i},Barang {i} 500 g,{1000 + i % 90000},{900 + i % 90000},standard,K{i % 40},")
	PY
	local t0 t1
	t0=$(date +%s.%N)
	"$COOPMART_HQ" --db "$HQDB" import catalogue "$T/items.csv" >/dev/null 2>"$T/import.err" ||
		fail "import: $(cat "$T/import.err")"
	t1=$(date +%s.%N)
	printf 'import of %d items at HQ: %.1f s\n' "$ITEMS" "$(echo "$t1 - $t0" | bc -l)"
	serve
	"$BENCH" pull "$HQ_URL" "$CA" "$T/pullers" >"$T/pull.out" || echo "bench_hq reported errors"
	unserve
	cat "$T/pull.out"
	local p99
	p99=$(val health_p99_ms "$T/pull.out")
	echo "health p99 during the pull: $p99 ms (target < 100 ms): $(met "$(echo "$p99 < 100" | bc)")"
}

for be in $BACKENDS; do
	if [ "$be" = pg ] && [ -z "$PGDIR" ]; then
		PGDIR="$T/pg"
		COOPMART_PG_DURABLE=1 bash "$SRCDIR/tests/pg/cluster.sh" start "$PGDIR" >/dev/null
	fi
	case $WHAT in
	push) bench_push "$be" ;;
	pull) bench_pull "$be" ;;
	*) bench_push "$be"; bench_pull "$be" ;;
	esac
done
