#!/bin/bash
# bench_web.sh: the web console's overview of BENCH_WEB_STORES (200) stores
# over BENCH_WEB_DAYS (365) days (a bar a store a day: 73,000 bars and 200
# trend lines), rendered by coopmart-hq on SQLite and on PostgreSQL. A
# benchmark, not a test: it prints figures beside the target (< 200 ms of
# server time on SQLite) and exits 0 unless something failed to run.
#
#   tests/bench/bench_web.sh BUILD_DIR [sqlite|pg|both]
#
# The day totals are written straight into sales_days, the table the
# folding's triggers keep (one row a store a day) and the overview reads;
# folding 73,000 days of sales first would only make the run long. Server
# time is the request log's ms (headers in to answer sent, gzip included
# when asked), over BENCH_WEB_RUNS (10) requests after one to warm up;
# beside it the page's own CPU time (Server-Timing: queries and HTML, no
# gzip), which waiting for a core on a busy machine does not inflate.
set -euo pipefail

BUILD=${1:?usage: bench_web.sh BUILD_DIR [sqlite|pg|both]}
BACKENDS=${2:-both}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART_HQ=$BUILD/sync/coopmart-hq
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
[ -x "$COOPMART_HQ" ] || { echo "bench_web: $COOPMART_HQ is not built" >&2; exit 1; }
STORES=${BENCH_WEB_STORES:-200}
DAYS=${BENCH_WEB_DAYS:-365}
RUNS=${BENCH_WEB_RUNS:-10}
TO=2026-12-31
[ "$BACKENDS" = both ] && BACKENDS="sqlite pg"
PGDIR=""

source "$SRCDIR/tests/sync/hq_lib.sh.inc"
bench_cleanup() {
	[ -n "${HQ_PID:-}" ] && kill "$HQ_PID" 2>/dev/null || true
	[ -n "$PGDIR" ] && bash "$SRCDIR/tests/pg/cluster.sh" stop "$PGDIR" || true
	rm -rf "$T"
}
trap bench_cleanup EXIT

fresh_db() {
	if [ "$1" = pg ]; then
		HQDB=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$PGDIR" "bench_$RANDOM")
		export COOPMART_TEST_PG=$PGDIR
	else
		unset COOPMART_TEST_PG
		rm -f "$T/hq.db" "$T/hq.db-wal" "$T/hq.db-shm"
		HQDB="$T/hq.db"
	fi
	"$COOPMART_HQ" --db "$HQDB" alerts >/dev/null 2>&1 || true   # creates the schema
}

# STORES stores in coops of 20, and DAYS days of totals each (50-89
# sales a day, their net a little different every day).
fill() {
	if [ "$1" = pg ]; then
		sql "$HQDB" "INSERT INTO coops SELECT 'KOP-' || c, 0 FROM generate_series(0, ($STORES - 1) / 20) c;
			INSERT INTO stores(code, created_at, coop) SELECT 'TOKO-' || lpad(i::text, 3, '0'), 0,
				'KOP-' || (i / 20) FROM generate_series(0, $STORES - 1) i;
			INSERT INTO sales_days SELECT 'TOKO-' || lpad(i::text, 3, '0'),
				to_char(date '$TO' - d, 'YYYYMMDD')::int, 50 + (i * 7 + d * 13) % 40,
				(50 + (i * 7 + d * 13) % 40) * 35000 + ((i * 31 + d * 17) % 100) * 1000
				FROM generate_series(0, $STORES - 1) i, generate_series(0, $DAYS - 1) d;
			ANALYZE" >/dev/null
	else
		sql "$HQDB" "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $STORES - 1)
			INSERT INTO coops SELECT DISTINCT 'KOP-' || (i / 20), 0 FROM s;
			WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $STORES - 1)
			INSERT INTO stores(code, created_at, coop) SELECT printf('TOKO-%03d', i), 0, 'KOP-' || (i / 20) FROM s;
			WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $STORES - 1),
				d(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM d WHERE d < $DAYS - 1)
			INSERT INTO sales_days SELECT printf('TOKO-%03d', i),
				CAST(strftime('%Y%m%d', '$TO', '-' || d || ' days') AS INTEGER), 50 + (i * 7 + d * 13) % 40,
				(50 + (i * 7 + d * 13) % 40) * 35000 + ((i * 31 + d * 17) % 100) * 1000 FROM s, d;
			ANALYZE"
	fi
	"$COOPMART_HQ" --db "$HQDB" operator add dewan --role council <<<"bench-password" 2>/dev/null
}

login() {
	local jar=$T/jar csrf
	rm -f "$jar"
	csrf=$(curl -sS --cacert "$CA" -c "$jar" -b "$jar" "$HQ_URL/web/login" |
		grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')
	curl -sS --cacert "$CA" -c "$jar" -b "$jar" -o /dev/null \
		--data-urlencode "csrf=$csrf" -d name=dewan -d password=bench-password "$HQ_URL/web/login"
}

# times WHAT CURL_ARGS...: RUNS requests of the overview; prints the
# server's median and worst ms and the bytes sent.
times() {
	local what=$1 bytes i
	shift
	local url="$HQ_URL/web/?days=$DAYS&to=$TO"
	curl -sS --cacert "$CA" -b "$T/jar" -o /dev/null "$@" "$url"   # warm-up
	local from=$(($(wc -l <"$T/hq.log") + 1))
	: >"$T/cpu"
	for i in $(seq 1 "$RUNS"); do
		bytes=$(curl -sS --cacert "$CA" -b "$T/jar" -o "$T/page" -D "$T/hdr" -w '%{size_download}' "$@" "$url")
		grep -i '^Server-Timing:' "$T/hdr" | grep -o 'dur=[0-9.]*' | cut -d= -f2 >>"$T/cpu"
	done
	tail -n +"$from" "$T/hq.log" | grep -F 'path=/web/ status=200' | grep -o 'ms=[0-9]*' | cut -d= -f2 | sort -n >"$T/ms"
	[ "$(wc -l <"$T/ms")" -eq "$RUNS" ] || fail "expected $RUNS overview requests in the log"
	local med max bars
	med=$(sed -n "$(( (RUNS + 1) / 2 ))p" "$T/ms")
	max=$(tail -1 "$T/ms")
	local cpu
	cpu=$(sort -n "$T/cpu" | sed -n "$(( (RUNS + 1) / 2 ))p")
	echo "$what: median $med ms, worst $max ms of server time (the page's own CPU: median $cpu ms); $bytes bytes sent"
	MED=$med
}

for be in $BACKENDS; do
	if [ "$be" = pg ] && [ -z "$PGDIR" ]; then
		PGDIR="$T/pg"
		COOPMART_PG_DURABLE=1 bash "$SRCDIR/tests/pg/cluster.sh" start "$PGDIR" >/dev/null
	fi
	fresh_db "$be"
	fill "$be"
	hq_start --threads 4
	login
	curl -sS --cacert "$CA" -b "$T/jar" -o "$T/page" "$HQ_URL/web/?days=$DAYS&to=$TO"
	# a bar is a rect, or in a long period one stroke ("m10...") of a path
	bars=$(($( { grep -o '<rect ' "$T/page" || true; } | wc -l) + $( { grep -o 'm10' "$T/page" || true; } | wc -l)))
	[ "$bars" -eq $((STORES * DAYS)) ] || fail "the page has $bars bars, not $((STORES * DAYS))"
	echo "== $be: overview of $STORES stores x $DAYS days ($bars bars), $RUNS requests"
	times "$be, gzip (a browser)" --compressed
	gz=$MED
	times "$be, plain" -H 'Accept-Encoding: identity'
	if [ "$be" = sqlite ]; then
		verdict=NOT; [ "$gz" -lt 200 ] && verdict=""
		echo "target < 200 ms on SQLite (gzip, as a browser asks): ${verdict:+NOT }MET"
	fi
	hq_stop
done
