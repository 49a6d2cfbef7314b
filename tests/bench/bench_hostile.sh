#!/bin/bash
# bench_hostile.sh: /v1/health latency of the real coopmart-hq on loopback
# while hostile clients hold connections open. A benchmark, not a test: it
# prints figures and whether each target is MET or NOT MET, and exits 0
# unless something failed to run.
#
#   tests/bench/bench_hostile.sh BUILD_DIR [steady|spread|perip|uploads|all]
#
#   steady   300 idle TCP + 300 slow-loris TLS connections (a header line
#            every 4 s), 30 per source address over 127.0.0.2-127.0.0.21,
#            all held open while 200 GET /v1/health come from 127.0.0.1
#            within 7 s (before HQ's 10-s header deadline closes the
#            attackers): p50/p99/max, target p99 < 100 ms and no error
#   spread   the same attackers (under the per-address limit: the global
#            limit's headroom and the header deadline are what is
#            measured), reopened whenever HQ closes one, as a real attacker
#            would; meanwhile BENCH_HEALTH (300) GET /v1/health over
#            BENCH_SECONDS (30): the same figures. Each 10 s HQ closes the
#            whole cohort and the attackers reopen it at once: a burst of
#            300 TLS handshakes on both sides, on the same machine
#   perip    the same 600 (reopened) from only 2 source addresses (the per-address
#            limit refuses most of them): the same figures
#   uploads  60 POST /v1/events at once, 4 MiB bodies sent with a bad token:
#            HQ's peak RSS before and after (target: +< 20 MB) and the slowest
#            401 (target < 1 s; HQ reads none of the bodies)
#
# HQ runs with its defaults (BENCH_HQ_ARGS adds serve options, e.g.
# "--threads 8"). The attackers and the health checks run on the same
# machine as HQ: on a loaded one, the figures are the machine's too.
# Loopback only; scratch under $TEST_TMPDIR (default /tmp/coopmart-bench),
# removed afterwards.
set -euo pipefail

BUILD=${1:?usage: bench_hostile.sh BUILD_DIR [steady|spread|perip|uploads|all]}
WHAT=${2:-all}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART_HQ=$BUILD/sync/coopmart-hq
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
[ -x "$COOPMART_HQ" ] || { echo "bench_hostile: $COOPMART_HQ is not built" >&2; exit 1; }
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

HOSTILE="python3 $SRCDIR/tests/sync/hostile.py"
HEALTH=${BENCH_HEALTH:-300}
SECS=${BENCH_SECONDS:-30}

met() { if [ "$1" = 1 ]; then echo MET; else echo "NOT MET"; fi; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$HQ_PID/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$HQ_PID/status"; }

# siege LABEL SOURCES HEALTH SECONDS [--reconnect]: one run, figures printed.
siege() {
	local label=$1 from=$2 health=$3 secs=$4 out
	shift 4
	echo "== $label: 300 idle + 300 slow-loris from $from, $health health checks in $secs s $* =="
	local before; before=$(rss_kib)
	out=$($HOSTILE siege "$HQ_PORT" "$CA" --idle 300 --slow 300 --from "$from" \
		--seconds "$secs" --health "$health" "$@")
	echo "$out" | python3 -c '
import json, sys
o = json.load(sys.stdin)
a, h = o["attack"], o["health"]
print("attackers open at start: idle %d, slow %d (closed at once: idle %d, slow %d; "
      "could not connect: %d; %.1f s to open)" % (a["open_at_start"]["idle"], a["open_at_start"]["slow"],
      a["closed_at_once"]["idle"], a["closed_at_once"]["slow"],
      a["connect_failed"]["idle"] + a["connect_failed"]["slow"], a["open_seconds"]))
print("attackers open at end:   idle %d, slow %d (closed by HQ meanwhile: idle %d, slow %d)" %
      (a["open_at_end"]["idle"], a["open_at_end"]["slow"], a["closed_later"]["idle"],
       a["closed_later"]["slow"]))
print("health: %d requests, %d errors, p50 %.1f ms, p99 %.1f ms, max %.1f ms" %
      (h["requests"], h["errors"], h["p50_ms"], h["p99_ms"], h["max_ms"]))
print("RESULT p99 %.1f %d" % (h["p99_ms"], h["errors"]))' >"$T/siege.txt"
	grep -v '^RESULT' "$T/siege.txt"
	local p99 errs
	read -r _ _ p99 errs < <(grep '^RESULT' "$T/siege.txt")
	echo "HQ RSS: $((before / 1024)) MB before, $(($(rss_kib) / 1024)) MB after"
	echo "target p99 < 100 ms, no error: $(met "$(python3 -c "print(int($p99 < 100 and $errs == 0))")")"
}

uploads() {
	echo "== uploads: 60 POST /v1/events announcing 4 MiB each, bad token, at once =="
	local before after slowest=0 i
	before=$(hwm_kib)
	local pids=()
	for i in $(seq 1 60); do
		$HOSTILE early "$HQ_PORT" "$CA" --length 4194304 --token "bad-$i" --send-body \
			--wait 10 >"$T/up.$i" &
		pids+=($!)
	done
	wait "${pids[@]}"     # not a bare wait: HQ is a child of this shell too
	after=$(hwm_kib)
	# "none": the connection was reset (closed with the body unread) before
	# the client read the 401
	local not401 whole
	not401=$(cat "$T"/up.* | awk '$1 != "401" && $1 != "none"' | wc -l)
	whole=$(cat "$T"/up.* | awk '$3 >= 4194304' | wc -l)
	slowest=$(cat "$T"/up.* | awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}')
	echo "401 read: $(cat "$T"/up.* | awk '$1 == "401"' | wc -l), reset before reading it:" \
		"$(cat "$T"/up.* | awk '$1 == "none"' | wc -l), other answers: $not401;" \
		"bodies sent whole: $whole; slowest end ${slowest} s"
	echo "HQ peak RSS: $((before / 1024)) MB before, $((after / 1024)) MB after"
	echo "target: refused, no body read whole, slowest < 1 s, RSS +< 20 MB: $(met "$(python3 -c \
		"print(int($not401 == 0 and $whole == 0 and $slowest < 1 and $after - $before < 20480))")")"
}

# shellcheck disable=SC2086 # BENCH_HQ_ARGS: serve options, e.g. "--threads 8"
hq_start ${BENCH_HQ_ARGS:-}
steady() { siege steady 127.0.0.2-127.0.0.21 200 7; }
spread() { siege spread 127.0.0.2-127.0.0.21 "$HEALTH" "$SECS" --reconnect; }
perip() { siege perip 127.0.0.2-127.0.0.3 "$HEALTH" "$SECS" --reconnect; }
case $WHAT in
steady | spread | perip | uploads) $WHAT ;;
all)
	steady
	sleep 12   # HQ's deadline closes what is left of the attackers
	spread
	perip
	uploads
	;;
*) echo "bench_hostile: unknown part $WHAT" >&2; exit 1 ;;
esac
hq_stop
