# coopmart-hq against hostile clients, on loopback, with its default
# limits: idle and slow-loris connections from many addresses while
# /v1/health must still answer, the per-address limit, the header deadline,
# a body refused before it is read when the token is bad, strict JSON, and
# paths with encoded control characters. The hostile clients are
# tests/sync/hostile.py; every loop in it is bounded.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
HOSTILE="python3 $SRCDIR/tests/sync/hostile.py"
STORE=KMB-SMG

hq enroll --store "$STORE" --terminal K01
expect_rc 0
TOK=$OUT
hq_start
expect_eq "limits logged" 1 "$(grep -c 'msg="limits" max_connections=1024 max_per_address=32' "$T/hq.log")"

# pyval JSON EXPR: a value out of a JSON text, e.g. pyval "$J" '["health"]["errors"]'
pyval() {
	python3 -c 'import json,sys; print(eval("json.loads(sys.argv[1])"+sys.argv[2]))' "$1" "$2"
}

# --- 150 idle TCP and 150 slow-loris TLS connections, 15 + 15 from each of
# 127.0.0.2-127.0.0.11 (under the per-address limit), all held open while
# 40 health checks come from 127.0.0.1: every one answers, none slowly.
# (Before: 256 connections in all, and health waited behind them.)
J=$($HOSTILE siege "$HQ_PORT" "$CA" --idle 150 --slow 150 --from 127.0.0.2-127.0.0.11 \
	--seconds 4 --health 40 --timeout 5)
CMD="hostile.py siege"; OUT=$J
expect_eq "idle connections held" 150 "$(pyval "$J" '["attack"]["open_at_start"]["idle"]')"
expect_eq "slow connections held" 150 "$(pyval "$J" '["attack"]["open_at_start"]["slow"]')"
expect_eq "health checks answered" 40 "$(pyval "$J" '["health"]["requests"]')"
expect_eq "health errors" 0 "$(pyval "$J" '["health"]["errors"]')"
expect_eq "slowest health check under 2 s" True "$(pyval "$J" '["health"]["max_ms"] < 2000')"

# --- one address gets 32 connections, no more; another still gets in.
J=$($HOSTILE perip "$HQ_PORT" --from 127.0.0.30 --count 40)
OUT=$J
expect_eq "kept from one address" 32 "$(pyval "$J" '["kept"]')"
expect_eq "closed beyond the limit" 8 "$(pyval "$J" '["closed"]')"
api GET /v1/health -
expect_status 200

# --- slow loris: a header line every second resets an idle time-out; the
# header deadline (10 s from the connection's start) does not move.
# (Before: the connection lived as long as the client liked.)
LIVED=$($HOSTILE slowloris "$HQ_PORT" "$CA" --every 1 --max 25)
expect_eq "slow loris closed at its deadline (lived $LIVED s)" True \
	"$(python3 -c "print(5 <= $LIVED <= 16)")"
grep -q 'msg="connections past their deadline closed"' "$T/hq.log" \
	|| fail "the deadline closing is not logged"
CHECKS=$((CHECKS + 1))

# --- a bad token is answered as soon as the headers are in, the 4 MiB
# body never sent (before: HQ waited for the body and buffered it).
read -r ST SECS _ < <($HOSTILE early "$HQ_PORT" "$CA" --length 4194304 --token not-a-token --wait 5)
expect_eq "bad token, body announced" 401 "$ST"
expect_eq "answered at once ($SECS s)" True "$(python3 -c "print($SECS < 1)")"
read -r ST SECS _ < <($HOSTILE early "$HQ_PORT" "$CA" --length 4194304 --wait 5)
expect_eq "no token, body announced" 401 "$ST"
# a good token, a body larger than HQ takes: 413 before it is sent
read -r ST SECS _ < <($HOSTILE early "$HQ_PORT" "$CA" --length 5000000 --token="$TOK" --wait 5)
expect_eq "too large, announced" 413 "$ST"
expect_eq "413 at once ($SECS s)" True "$(python3 -c "print($SECS < 1)")"
# 30 uploads of 4 MiB at once with bad tokens: each is refused without
# its body being read, and HQ's memory stays put. (A client that keeps
# sending after the 401 may see the connection reset before it reads the
# 401: HQ closes with the rest of the body unread. The log counts.)
HWM0=$(awk '/^VmHWM/ {print $2}' "/proc/$HQ_PID/status")
REFUSED0=$(grep -c 'path=/v1/events status=401' "$T/hq.log")
UPLOADS=()
for i in $(seq 1 30); do
	$HOSTILE early "$HQ_PORT" "$CA" --length 4194304 --token "bad-$i" --send-body --wait 10 \
		>"$T/up.$i" &
	UPLOADS+=($!)
done
wait "${UPLOADS[@]}"     # not a bare wait: HQ is a child of this shell too
HWM1=$(awk '/^VmHWM/ {print $2}' "/proc/$HQ_PID/status")
expect_eq "uploads refused (log)" 30 \
	"$(($(grep -c 'path=/v1/events status=401' "$T/hq.log") - REFUSED0))"
expect_eq "uploads answered otherwise, or sent whole" 0 \
	"$(cat "$T"/up.* | awk '($1 != 401 && $1 != "none") || $3 >= 4194304' | wc -l)"
# (30 bodies buffered would be 120 MB; TLS sessions and, in a sanitizer
# build, ASan's bookkeeping take some)
expect_eq "peak RSS grew by $(((HWM1 - HWM0) / 1024)) MB (< 64)" True \
	"$(python3 -c "print($HWM1 - $HWM0 < 65536)")"

# --- strict JSON: an empty push is fine; the same with text after it, or
# with \u0000 in a string, is refused with the reason.
printf '{"store":"%s","terminal":"K01","events":[]}\n' "$STORE" >"$T/empty.json"
push "$TOK" "$T/empty.json"
expect_status 200
printf '{"store":"%s","terminal":"K01","events":[]} {"store":"X"}' "$STORE" >"$T/trailing.json"
push "$TOK" "$T/trailing.json"
expect_status 400; expect_body '"code":"bad_request"'; expect_body 'text follows the JSON value'
printf '{"store":"%s","terminal":"K01\\u0000X","events":[]}' "$STORE" >"$T/nul.json"
push "$TOK" "$T/nul.json"
expect_status 400; expect_body '"code":"bad_request"'; expect_body 'u0000 (a NUL character)'
printf '{"store":"%s","terminal":"K01\001","events":[]}' "$STORE" >"$T/ctl.json"
push "$TOK" "$T/ctl.json"
expect_status 400; expect_body 'raw control character 0x01'

# --- paths: %00 and other encoded control characters are no route's; an
# ordinary escape still decodes. (Before: /v1/terminal%00 was served.)
api GET /v1/terminal "$TOK"
expect_status 200
api GET '/v1/terminal%00' "$TOK"
expect_status 404; expect_body '"code":"not_found"'
api GET '/v1/health%00' -
expect_status 404
api GET '/v1/health%0a' -
expect_status 404
api GET '/v1/%74erminal' "$TOK"
expect_status 200
grep -q 'path=/v1/terminal%00 status=404' "$T/hq.log" || fail "the request log lacks the %00 path"
CHECKS=$((CHECKS + 1))

hq_stop
done_ok
