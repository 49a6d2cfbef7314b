#!/bin/bash
# bench_hq_members.sh: the members pull (GET /v1/members) of BENCH_MEMBERS
# (50,000) members, each with BENCH_MONTHS (6) wajib months paid by
# payroll, so every member's standing is computed on every page (HQ
# reads the page's members and the sums of their ledger, then runs
# pos/core/dues.h per member). A benchmark, not a test: it prints figures
# and exits 0 unless something failed to run.
#
#   tests/bench/bench_hq_members.sh BUILD_DIR [sqlite|pg|both]
#
# Prints: the imports' times (members, payroll), then per backend the
# whole pull in pages of 5000 over HTTPS (wall time, slowest page), and
# the raw figure beside it: the database alone running the same two
# queries per page (sqlite3's / psql's own timer), without HTTP, JSON or
# the arithmetic. Scratch under $TEST_TMPDIR (default /tmp/coopmart-bench).
set -euo pipefail

BUILD=${1:?usage: bench_hq_members.sh BUILD_DIR [sqlite|pg|both]}
BACKENDS=${2:-sqlite}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART_HQ=$BUILD/sync/coopmart-hq
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
MEMBERS=${BENCH_MEMBERS:-50000}
MONTHS=${BENCH_MONTHS:-6}
LIMIT=5000
[ "$BACKENDS" = both ] && BACKENDS="sqlite pg"
PGDIR=""

source "$SRCDIR/tests/sync/hq_lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400      # 2026-09-15: months 2026-01..09 owed
bench_cleanup() {
	[ -n "${HQ_PID:-}" ] && kill "$HQ_PID" 2>/dev/null || true
	[ -n "$PGDIR" ] && bash "$SRCDIR/tests/pg/cluster.sh" stop "$PGDIR" || true
	rm -rf "$T"
}
trap bench_cleanup EXIT

ms() { date +%s%3N; }

make_files() {
	awk -v n="$MEMBERS" 'BEGIN {
		print "number,name,card_code,status,type,join_date"
		for (i = 1; i <= n; i++) printf "A-%06d,Anggota %d,M%07d,active,biasa,2026-01-%02d\n", i, i, i, i % 28 + 1
	}' >"$T/members.csv"
	awk -v n="$MEMBERS" -v m="$MONTHS" 'BEGIN {
		print "member,kind,period,amount,date"
		for (i = 1; i <= n; i++) for (k = 1; k <= m; k++)
			printf "A-%06d,wajib,2026-%02d,25000,2026-%02d-25\n", i, k, k
	}' >"$T/payroll.csv"
	printf 'type,kind,from,amount\nbiasa,pokok,2020-01,100000\nbiasa,wajib,2026-01,25000\nbiasa,wajib,2026-07,30000\n' >"$T/rates.csv"
}

fresh_db() {
	if [ "$1" = pg ]; then
		[ -n "$PGDIR" ] || { PGDIR="$T/pg"; bash "$SRCDIR/tests/pg/cluster.sh" start "$PGDIR" >/dev/null; }
		HQDB=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$PGDIR" "bench_$RANDOM")
		export COOPMART_TEST_PG=$PGDIR
	else
		unset COOPMART_TEST_PG
		rm -f "$T/hq.db" "$T/hq.db-wal" "$T/hq.db-shm"
		HQDB="$T/hq.db"
	fi
}

# The two queries HQ runs per page (sync/hq/hqstore_dues.c), timed by the
# database's own client over every page.
raw_pages() {
	local be=$1 PLUS=""
	[ "$be" = sqlite ] && PLUS="+"
	local sums="SELECT member_no, kind, month, amount FROM dues_ledger WHERE counted = 1 AND member_no IN (SELECT number FROM members WHERE ${PLUS}version > 0 AND version <= 999999999 AND (version, number) > (VV, 'KK') ORDER BY version, number LIMIT $LIMIT);"
	local mem="SELECT number, name, card_code, status, type, join_date, left_date, employer, department, employee_no, store, version, deleted FROM members WHERE ${PLUS}version > 0 AND version <= 999999999 AND (version, number) > (VV, 'KK') ORDER BY version, number LIMIT $LIMIT;"
	: >"$T/raw.sql"
	# The cursors of the pages, as HQ's "next" gives them.
	while read -r v n; do
		echo "${sums//VV/$v}" | sed "s/KK/$n/" >>"$T/raw.sql"
		echo "${mem//VV/$v}" | sed "s/KK/$n/" >>"$T/raw.sql"
	done <"$T/cursors"
	if [ "$be" = pg ]; then
		{ echo '\timing on'; cat "$T/raw.sql"; } | psql -X -q -d "$HQDB" |
			awk '/^Time:/ { s += $2 } END { printf "%.0f\n", s }'
	else
		{ echo '.timer on'; cat "$T/raw.sql"; } | sqlite3 "$HQDB" |
			awk '/^Run Time:/ { s += $4 } END { printf "%.0f\n", s * 1000 }'
	fi
}

bench() {
	local be=$1 t0 t1
	echo "== members pull on $be: $MEMBERS members, $MONTHS paid months each =="
	fresh_db "$be"
	"$COOPMART_HQ" --db "$HQDB" enroll --store KMB-SMG --terminal K01 >"$T/tok" 2>/dev/null
	"$COOPMART_HQ" --db "$HQDB" import dues-rates "$T/rates.csv" >/dev/null
	t0=$(ms); "$COOPMART_HQ" --db "$HQDB" import members "$T/members.csv" >/dev/null; t1=$(ms)
	echo "import members:  $((t1 - t0)) ms"
	t0=$(ms); "$COOPMART_HQ" --db "$HQDB" import dues-payroll "$T/payroll.csv" >/dev/null; t1=$(ms)
	echo "import payroll:  $((t1 - t0)) ms ($((MEMBERS * MONTHS)) lines)"
	hq_start
	local tok next="" page=0 slow=0 p0 p1 pages_ms=0
	tok=$(cat "$T/tok")
	: >"$T/cursors"
	echo "0 " >>"$T/cursors"
	while :; do
		local q="since=0&limit=$LIMIT"
		[ -n "$next" ] && q="$q&upto=$UPTO&after=$next"
		p0=$(ms)
		curl -sS --cacert "$CA" -H "Authorization: Bearer $tok" "$HQ_URL/v1/members?$q" -o "$T/page.json"
		p1=$(ms)
		[ $((p1 - p0)) -gt "$slow" ] && slow=$((p1 - p0))
		pages_ms=$((pages_ms + p1 - p0))
		page=$((page + 1))
		UPTO=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["upto"])' "$T/page.json")
		next=$(python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["next"]; print(n or "")' "$T/page.json")
		[ "$page" = 1 ] && cp "$T/page.json" "$T/first.json"
		[ -n "$next" ] || break
		echo "${next%%:*} ${next#*:}" >>"$T/cursors"
	done
	python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["members"][-1]; assert m["wajib_months"] == 3 and m["wajib_arrears"] == 90000, m' "$T/first.json" ||
		echo "bench_hq_members: the last page's standing is not the expected one"
	hq_stop
	echo "pull over HTTPS: $pages_ms ms for $page pages of $LIMIT (slowest page $slow ms; curl's wall time)"
	if [ "$be" = pg ]; then
		echo "raw PostgreSQL:  $(raw_pages pg) ms for the same queries (psql \\timing)"
	else
		echo "raw SQLite:      $(raw_pages sqlite) ms for the same queries (sqlite3 .timer)"
	fi
}

make_files
for be in $BACKENDS; do bench "$be"; done
