#!/bin/bash
# bench_sync.sh: figures of the sync agent against the real coopmart-hq on
# loopback. A benchmark, not a test: it prints figures and whether each
# target is MET or NOT MET, and exits 0 unless something failed to run.
#
#   tests/bench/bench_sync.sh BUILD_DIR [push|pull|concurrent|all]
#
#   push        100,000 journal events (bench_journal) pushed by one agent:
#               events/s, target >= 10,000/s
#   pull        a 200,000-item catalogue (generated CSV imported at HQ)
#               pulled by one agent: wall time, target < 20 s; the agent's
#               peak RSS (ru_maxrss), target < 64 MB
#   concurrent  50 terminals, each with its own agent, pushing at once for
#               at most one minute: errors (agent exits, HQ answers >= 400;
#               target 0), duplicates at HQ (target 0), events/s
#
# Sizes: BENCH_PUSH_EVENTS (100000), BENCH_PULL_ITEMS (200000),
# BENCH_TERMINALS (50), BENCH_TERMINAL_EVENTS (4000 per terminal),
# BENCH_SECONDS (60). Loopback only; scratch under $TEST_TMPDIR (default
# /tmp/coopmart-bench), removed afterwards.
set -euo pipefail

BUILD=${1:?usage: bench_sync.sh BUILD_DIR [push|pull|concurrent|all]}
WHAT=${2:-all}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART=$BUILD/coopmart COOPMART_HQ=$BUILD/sync/coopmart-hq COOPMART_SYNC=$BUILD/sync/coopmart-sync
BENCH_JOURNAL=$BUILD/tests/bench_journal
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
for f in "$COOPMART" "$COOPMART_HQ" "$COOPMART_SYNC" "$BENCH_JOURNAL"; do
	[ -x "$f" ] || { echo "bench_sync: $f is not built" >&2; exit 1; }
done
source "$SRCDIR/tests/sync/lib.sh.inc"

PUSH_EVENTS=${BENCH_PUSH_EVENTS:-100000}
PULL_ITEMS=${BENCH_PULL_ITEMS:-200000}
TERMINALS=${BENCH_TERMINALS:-50}
TERMINAL_EVENTS=${BENCH_TERMINAL_EVENTS:-4000}
SECONDS_MAX=${BENCH_SECONDS:-60}

now() { date +%s.%N; }
met() { if [ "$1" = 1 ]; then echo MET; else echo "NOT MET"; fi; }

# run_rss OUTFILE CMD...: runs CMD; OUTFILE gets "EXIT MAXRSS_KIB SECONDS".
run_rss() {
	local out=$1
	shift
	python3 - "$out" "$@" <<-'EOF'
	import resource, subprocess, sys, time
	t = time.monotonic()
	r = subprocess.run(sys.argv[2:])
	dt = time.monotonic() - t
	rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
	open(sys.argv[1], "w").write(f"{r.returncode} {rss} {dt:.3f}\n")
	EOF
}

bench_push() {
	echo "== push: $PUSH_EVENTS journal events, one terminal, loopback =="
	new_terminal KMB-SMG P01
	# A first run pulls the catalogue and pushes the setup events: the
	# measured run is then the push (its pull is a 304).
	agent P01 once
	[ "$RC" = 0 ] || fail "first agent run: $ERR"
	local t0 t1
	t0=$(now)
	"$BENCH_JOURNAL" "$T/P01.db" "$PUSH_EVENTS" >/dev/null || fail "bench_journal failed"
	t1=$(now)
	printf 'generated: %d events in %.2f s\n' "$PUSH_EVENTS" "$(echo "$t1 - $t0" | bc -l)"
	local head
	head=$(journal_head P01)
	run_rss "$T/push.rss" "$COOPMART_SYNC" --config "$T/P01.conf" once 2>"$T/push.log"
	local rc rss dt
	read -r rc rss dt <"$T/push.rss"
	[ "$rc" = 0 ] || fail "the agent exited with $rc: $(tail -3 "$T/push.log")"
	local acked held
	acked=$(acked_seq P01)
	held=$(held_events KMB-SMG P01)
	[ "$acked" = "$head" ] || fail "acked $acked of $head"
	local rate
	rate=$(echo "$PUSH_EVENTS / $dt" | bc -l)
	printf 'pushed: %d events (journal head %d, HQ holds %d) in %.2f s (one agent run)\n' \
		"$PUSH_EVENTS" "$head" "$held" "$dt"
	printf 'push rate: %.0f events/s  target >= 10000/s: %s\n' "$rate" \
		"$(met "$(echo "$rate >= 10000" | bc)")"
	printf 'agent peak RSS: %d KiB\n' "$rss"
}

bench_pull() {
	echo "== pull: $PULL_ITEMS-item catalogue, one terminal, loopback =="
	new_terminal KMB-SMG C01
	python3 - "$T/big.csv" "$PULL_ITEMS" <<-'EOF'
	import sys
	n = int(sys.argv[2])
	with open(sys.argv[1], "w") as f:
	    f.write("sku,name,price,tax_class,category,supplier\n")
	    for i in range(n):
	        f.write(f"GEN-{i:06d},Barang Umum Nomor {i} Kemasan {i % 97} g,{1000 + i % 5000},"
	                f"standard,Kategori {i % 50},Pemasok {i % 20}\n")
	EOF
	local t0 t1
	t0=$(now)
	hq import catalogue "$T/big.csv"
	[ "$RC" = 0 ] || fail "import: $ERR"
	t1=$(now)
	printf 'HQ import: %d items in %.2f s\n' "$PULL_ITEMS" "$(echo "$t1 - $t0" | bc -l)"
	local t2
	t2=$(now)
	run_rss "$T/pull.rss" "$COOPMART_SYNC" --config "$T/C01.conf" once 2> >(
		while IFS= read -r l; do printf '%s %s\n' "$(now)" "$l"; done >"$T/pull.log")
	local rc rss dt items applying
	read -r rc rss dt <"$T/pull.rss"
	sleep 0.2
	applying=$(grep -m1 'catalogue: .* applying' "$T/pull.log" | cut -d' ' -f1)
	[ -z "$applying" ] || printf 'pages fetched and staged in %.2f s, then applied\n' \
		"$(echo "$applying - $t2" | bc -l)"
	[ "$rc" = 0 ] || fail "the agent exited with $rc: $(tail -3 "$T/pull.log")"
	items=$(sql "$T/C01.db" "SELECT count(*) FROM items")
	printf 'pulled: %d items at the till in %.2f s  target < 20 s: %s\n' "$items" "$dt" \
		"$(met "$(echo "$dt < 20" | bc)")"
	printf 'agent peak RSS: %.1f MiB  target < 64 MB: %s\n' "$(echo "$rss / 1024" | bc -l)" \
		"$(met "$(echo "$rss < 65536" | bc)")"
}

bench_concurrent() {
	echo "== concurrent: $TERMINALS terminals pushing at once, at most ${SECONDS_MAX} s, loopback =="
	local i term total=0 t0 t1
	for i in $(seq 1 "$TERMINALS"); do
		term=$(printf 'B%02d' "$i")
		new_terminal KMB-SMG "$term"
		# The catalogue is pulled (and the setup events pushed) beforehand:
		# this measures pushes.
		agent "$term" once
		[ "$RC" = 0 ] || fail "first agent run of $term: $ERR"
		"$BENCH_JOURNAL" "$T/$term.db" "$TERMINAL_EVENTS" >/dev/null || fail "bench_journal failed"
		total=$((total + TERMINAL_EVENTS))
	done
	local before acked0=0
	before=$(sql "$HQDB" "SELECT count(*) FROM events")
	for i in $(seq 1 "$TERMINALS"); do
		acked0=$((acked0 + $(acked_seq "$(printf 'B%02d' "$i")")))
	done
	local errors_before
	errors_before=$(grep -c 'status=[45][0-9][0-9]' "$T/hq.log" || true)
	local pids="" errors=0
	t0=$(now)
	for i in $(seq 1 "$TERMINALS"); do
		term=$(printf 'B%02d' "$i")
		timeout "$SECONDS_MAX" "$COOPMART_SYNC" --config "$T/$term.conf" once \
			</dev/null >/dev/null 2>"$T/$term.agent.log" &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || errors=$((errors + 1))
	done
	t1=$(now)
	local dt held dups http_errors acked=0
	dt=$(echo "$t1 - $t0" | bc -l)
	held=$(($(sql "$HQDB" "SELECT count(*) FROM events") - before))
	dups=$(sql "$HQDB" "SELECT count(*) FROM (SELECT terminal, seq FROM events
		GROUP BY terminal, seq HAVING count(*) > 1)")
	for i in $(seq 1 "$TERMINALS"); do
		acked=$((acked + $(acked_seq "$(printf 'B%02d' "$i")")))
	done
	http_errors=$(($(grep -c 'status=[45][0-9][0-9]' "$T/hq.log" || true) - errors_before))
	acked=$((acked - acked0))
	printf 'terminals: %d, events to push: %d, acknowledged: %d, new at HQ: %d, in %.2f s\n' \
		"$TERMINALS" "$total" "$acked" "$held" "$dt"
	printf 'agent errors (non-zero exits, timeouts included): %d  target 0: %s\n' "$errors" \
		"$(met "$([ "$errors" = 0 ] && echo 1 || echo 0)")"
	printf 'HQ answers >= 400: %d  target 0: %s\n' "$http_errors" \
		"$(met "$([ "$http_errors" = 0 ] && echo 1 || echo 0)")"
	printf 'duplicate (terminal, seq) at HQ: %d  target 0: %s\n' "$dups" \
		"$(met "$([ "$dups" = 0 ] && echo 1 || echo 0)")"
	printf 'all acknowledged: %s\n' "$(met "$([ "$acked" = "$total" ] && echo 1 || echo 0)")"
	printf 'aggregate push rate: %.0f events/s\n' "$(echo "$held / $dt" | bc -l)"
}

echo "bench_sync: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, build $BUILD"
hq_start
case $WHAT in
push) bench_push ;;
pull) bench_pull ;;
concurrent) bench_concurrent ;;
all) bench_push; bench_pull; bench_concurrent ;;
*) fail "unknown benchmark $WHAT" ;;
esac
hq_stop
CHECKS=1
