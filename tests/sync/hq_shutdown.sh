# coopmart-hq: SIGTERM while two terminals push loses no acknowledged
# event. Each terminal pushes one event per request in a loop and writes
# down every acked_seq it is answered; HQ is stopped mid-stream (it must
# exit 0), restarted on the same database, and must hold every sequence
# it acknowledged, contiguously, with the right hashes.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

EVENTS=150
for k in K01 K02; do
	hq enroll --store KMB-SMG --terminal $k
	expect_rc 0
	echo "$OUT" >"$T/$k.token"
	new_till "$T/$k.db" $k
	$CHAIN import "$T/$k.db" >"$T/$k.chain"
	$CHAIN sales "$T/$k.chain" $EVENTS 20261129
done
hq_start

# pusher TERMINAL: pushes seq 1, 2, ... one request each, resending after
# a failure from what HQ acknowledged; appends each acked_seq to a file.
pusher() {
	local k=$1 tok url seq=1 last body ack
	tok=$(cat "$T/$k.token")
	local n
	n=$(wc -l <"$T/$k.chain")
	python3 - "$T/$k.chain" KMB-SMG "$T/$k.batch" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
for e in events:
    ev = {k: e[k] for k in ("seq", "type", "at", "user", "payload", "prev_hash", "hash")}
    with open(f"{sys.argv[3]}.{e['seq']}", "w") as f:
        json.dump({"store": sys.argv[2], "terminal": e["terminal"], "local_head": e["seq"],
                   "events": [ev]}, f)
PY
	while [ "$seq" -le "$n" ]; do
		url=$(cat "$T/url")
		body=$(curl -s --cacert "$CA" --max-time 5 -H "Authorization: Bearer $tok" \
			--data-binary "@$T/$k.batch.$seq" "$url/v1/events" 2>/dev/null) || { sleep 0.05; continue; }
		ack=$(sed -n 's/^{"acked_seq":\([0-9]*\),.*/\1/p' <<<"$body")
		if [ -n "$ack" ]; then
			echo "$ack" >>"$T/$k.acked"
			seq=$((ack + 1))
		else
			sleep 0.05
		fi
	done
}

echo "$HQ_URL" >"$T/url"
pusher K01 & P1=$!
pusher K02 & P2=$!

# Stop HQ once both terminals have had some events acknowledged.
for i in $(seq 1 400); do
	[ -s "$T/K01.acked" ] && [ -s "$T/K02.acked" ] &&
		[ "$(wc -l <"$T/K01.acked")" -ge 20 ] && [ "$(wc -l <"$T/K02.acked")" -ge 20 ] && break
	sleep 0.05
done
kill -TERM "$HQ_PID"
set +e
wait "$HQ_PID"
HQRC=$?
set -e
HQ_PID=""
expect_eq "coopmart-hq exit code after SIGTERM" 0 "$HQRC"
grep -q 'msg="stopped"' "$T/hq.log" || fail "no clean stop in the log"

# Every sequence acknowledged so far is held after a restart.
unfinished=0
for k in K01 K02; do
	max=$(sort -n "$T/$k.acked" | tail -1)
	[ "$max" -lt "$(wc -l <"$T/$k.chain")" ] && unfinished=$((unfinished + 1))
	held=$(held_events KMB-SMG $k)
	[ "$held" -ge "$max" ] || fail "$k: HQ acknowledged $max but holds $held events"
	expect_eq "$k contiguous" "$held" "$(sql "$HQDB" "SELECT max(seq) FROM events e JOIN terminals t ON t.id = e.terminal WHERE t.terminal = '$k'")"
done
[ "$unfinished" -gt 0 ] || fail "the pushes were over before HQ stopped: nothing was tested"
expect_eq "integrity" ok "$(hq_integrity)"
hq_start
echo "$HQ_URL" >"$T/url"

# The pushers carry on against the restarted server and finish.
wait "$P1"
wait "$P2"
for k in K01 K02; do
	n=$(wc -l <"$T/$k.chain")
	expect_eq "$k all held" "$n" "$(held_events KMB-SMG $k)"
	expect_eq "$k head" "$(chain_hash "$T/$k.chain" "$n")" \
		"$(sql "$HQDB" "SELECT $(hq_hex h.hash) FROM heads h JOIN terminals t ON t.id = h.terminal WHERE t.terminal = '$k'")"
	# acked_seq never went backwards.
	expect_eq "$k acks monotonic" "$(cat "$T/$k.acked")" "$(sort -n "$T/$k.acked")"
done
expect_eq "alerts" 0 "$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind <> 'gap'")"
done_ok
