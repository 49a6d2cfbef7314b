# coopmart-hq: enrolment, tokens, POST /v1/events with the journal of a
# real till store (made with the coopmart CLI) and events hashed like the
# till's: acks, duplicates, conflicts, gaps, tampering, malformed bodies,
# gzip, size limits, regression alerts, the request log.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

STORE=KMB-SMG

# --- enroll prints a token once; HQ keeps only its hash.
hq enroll --store "$STORE" --terminal K01
expect_rc 0
TOK=$OUT
[[ "$TOK" =~ ^[A-Za-z0-9_-]{43}$ ]] || fail "token is not 43 base64url characters: $TOK"
expect_err "shown only once"
hq enroll --store "$STORE" --terminal K02
expect_rc 0
TOK2=$OUT
hq enroll --store "$STORE" --terminal OPS --operator
expect_rc 0
OPS=$OUT
hq enroll --store "bad store" --terminal K01
expect_rc 3
hq enroll --store "$STORE"
expect_rc 1
if hq_dump | grep -F "$TOK" >/dev/null; then fail "the token is stored in clear"; fi
expect_eq "token hash" "$(python3 -c 'import hashlib,sys; print(hashlib.blake2b(sys.argv[1].encode(),digest_size=32).hexdigest())' "$TOK")" \
	"$(sql "$HQDB" "SELECT $(hq_hex token_hash) FROM terminals WHERE terminal = 'K01'")"

hq_start

# --- health needs no token.
api GET /v1/health -
expect_status 200; expect_body '"status":"ok"'; expect_body '"protocol":1'

# --- a real till's journal, and sales hashed the same way.
new_till "$T/k01.db" K01
$CHAIN import "$T/k01.db" >"$T/k01.chain"
$CHAIN sales "$T/k01.chain" 3 20261129
N=$(wc -l <"$T/k01.chain")
[ "$N" -ge 10 ] || fail "expected a journal of 10 events or more, got $N"
HEAD=$(tail -1 "$T/k01.chain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')

# --- tokens: none, unknown, another terminal's.
$CHAIN push "$T/k01.chain" "$STORE" 1 4 >"$T/p1-4.json"
push - "$T/p1-4.json"
expect_status 401; expect_body '"code":"unauthorized"'; expect_body 'Authorization: Bearer'
push "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$T/p1-4.json"
expect_status 401; expect_body 'not known'
push "$TOK2" "$T/p1-4.json"
expect_status 403; expect_body '"code":"forbidden"'; expect_body 'KMB-SMG/K02'
$CHAIN push "$T/k01.chain" OTHER 1 4 >"$T/other.json"
push "$TOK" "$T/other.json"
expect_status 403
push "$OPS" "$T/p1-4.json"
expect_status 403
expect_eq "events after refused pushes" 0 "$(held_events "$STORE" K01)"

# --- a first batch, then the rest: acked_seq and head_hash.
push "$TOK" "$T/p1-4.json"
expect_status 200
expect_eq "acked_seq" 4 "$(jget '["acked_seq"]')"
expect_eq "stored" 4 "$(jget '["stored"]')"
expect_eq "head_hash" "$(sed -n 4p "$T/k01.chain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')" \
	"$(jget '["head_hash"]')"
$CHAIN push "$T/k01.chain" "$STORE" 3 "$N" >"$T/p3-n.json"
push "$TOK" "$T/p3-n.json"
expect_status 200
expect_eq "acked_seq" "$N" "$(jget '["acked_seq"]')"
expect_eq "head_hash" "$HEAD" "$(jget '["head_hash"]')"
expect_eq "stored" $((N - 4)) "$(jget '["stored"]')"
expect_eq "duplicates" 2 "$(jget '["duplicates"]')"
expect_eq "held" "$N" "$(held_events "$STORE" K01)"

# --- a replay of everything is acknowledged again, nothing stored twice.
$CHAIN push "$T/k01.chain" "$STORE" 1 "$N" >"$T/all.json"
push "$TOK" "$T/all.json"
expect_status 200
expect_eq "acked_seq (replay)" "$N" "$(jget '["acked_seq"]')"
expect_eq "stored (replay)" 0 "$(jget '["stored"]')"
expect_eq "duplicates (replay)" "$N" "$(jget '["duplicates"]')"
expect_eq "held after replay" "$N" "$(held_events "$STORE" K01)"

# --- GET /v1/terminal says where HQ is.
api GET /v1/terminal "$TOK"
expect_status 200
expect_eq "terminal acked_seq" "$N" "$(jget '["acked_seq"]')"
expect_eq "terminal head_hash" "$HEAD" "$(jget '["head_hash"]')"
expect_eq "terminal store" "$STORE" "$(jget '["store"]')"

# --- a fork: event 5 with other content (and its chain re-hashed).
$CHAIN fork "$T/k01.chain" 5 >"$T/fork.chain"
$CHAIN push "$T/fork.chain" "$STORE" 5 7 >"$T/fork.json"
push "$TOK" "$T/fork.json"
expect_status 409; expect_body '"code":"conflict"'; expect_body '"seq":5'
expect_eq "acked_seq in conflict" "$N" "$(jget '["error"]["acked_seq"]')"
expect_eq "fork alerts" 1 "$(alerts_of_kind fork)"
# The fork continued past HQ's head: still a conflict at 5, nothing kept.
$CHAIN append "$T/fork.chain" note '{"n":1}'
$CHAIN push "$T/fork.chain" "$STORE" 5 $((N + 1)) >"$T/fork2.json"
push "$TOK" "$T/fork2.json"
expect_status 409; expect_body '"code":"conflict"'
expect_eq "held after forks" "$N" "$(held_events "$STORE" K01)"

# --- new events: N+1 .. N+6.
for i in 1 2 3 4 5 6; do $CHAIN append "$T/k01.chain" note "{\"n\":$i}"; done

# --- tampering: a payload altered after hashing -> 422, alert, nothing kept
# of the batch (N+1 is good, N+2 altered).
$CHAIN push "$T/k01.chain" "$STORE" $((N + 1)) $((N + 2)) --tamper $((N + 2)) >"$T/tamper.json"
push "$TOK" "$T/tamper.json"
expect_status 422; expect_body '"code":"invalid_chain"'; expect_body "\"seq\":$((N + 2))"
expect_body 'does not match its content'
expect_eq "tampered alerts" 1 "$(alerts_of_kind tampered)"
expect_eq "held after tampering" "$N" "$(held_events "$STORE" K01)"
# A prev_hash that does not link to HQ's head.
python3 - "$T/k01.chain" "$STORE" $((N + 1)) >"$T/badlink.json" <<'EOF'
import hashlib, json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
e = next(x for x in events if x["seq"] == int(sys.argv[3]))
prev = "11" * 32
h = hashlib.blake2b(digest_size=32)
h.update(bytes.fromhex(prev))
h.update(f"cm1|{e['terminal']}|{e['seq']}|{e['type']}|{e['at']}|{e['user']}|".encode() + e["payload"].encode())
ev = {k: e[k] for k in ("seq", "type", "at", "user", "payload")}
ev.update(prev_hash=prev, hash=h.hexdigest())
print(json.dumps({"store": sys.argv[2], "terminal": e["terminal"], "local_head": e["seq"], "events": [ev]}))
EOF
push "$TOK" "$T/badlink.json"
expect_status 422; expect_body 'prev_hash'
expect_eq "tampered alerts" 2 "$(alerts_of_kind tampered)"

# --- a gap: 409 with acked_seq; the alert only when the agent insists.
$CHAIN push "$T/k01.chain" "$STORE" $((N + 3)) $((N + 4)) >"$T/gap.json"
push "$TOK" "$T/gap.json"
expect_status 409; expect_body '"code":"gap"'
expect_eq "acked_seq in gap" "$N" "$(jget '["error"]["acked_seq"]')"
expect_eq "gap alerts after one gap" 0 "$(alerts_of_kind gap)"
push "$TOK" "$T/gap.json"
expect_status 409
expect_eq "gap alerts after the same gap twice" 1 "$(alerts_of_kind gap)"

# --- malformed, truncated and incomplete bodies: 400, a clear message,
# nothing stored.
$CHAIN push "$T/k01.chain" "$STORE" $((N + 1)) $((N + 2)) >"$T/next.json"
head -c 100 "$T/next.json" >"$T/truncated.json"
push "$TOK" "$T/truncated.json"
expect_status 400; expect_body '"code":"bad_request"'; expect_body 'not valid JSON'
printf 'hello' >"$T/junk.json"
push "$TOK" "$T/junk.json"
expect_status 400; expect_body 'not valid JSON'
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); del b["events"][0]["hash"]; print(json.dumps(b))' \
	"$T/next.json" >"$T/nohash.json"
push "$TOK" "$T/nohash.json"
expect_status 400; expect_body 'field \"hash\" is missing'
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b["events"][0]["seq"]="x"; print(json.dumps(b))' \
	"$T/next.json" >"$T/badseq.json"
push "$TOK" "$T/badseq.json"
expect_status 400; expect_body 'seq'
expect_eq "held after bad bodies" "$N" "$(held_events "$STORE" K01)"

# --- gzip request bodies.
gzip -c "$T/next.json" >"$T/next.json.gz"
push "$TOK" "$T/next.json.gz" -H 'Content-Encoding: gzip'
expect_status 200
expect_eq "acked_seq (gzip)" $((N + 2)) "$(jget '["acked_seq"]')"
head -c 40 "$T/next.json.gz" >"$T/cut.gz"
push "$TOK" "$T/cut.gz" -H 'Content-Encoding: gzip'
expect_status 400; expect_body 'gzip'
push "$TOK" "$T/next.json" -H 'Content-Encoding: br'
expect_status 400; expect_body 'Content-Encoding'

# --- too large: over 4 MiB as sent, or once inflated.
python3 -c 'import sys; sys.stdout.write("{\"pad\":\"" + "x" * (4*1024*1024 + 10) + "\"}")' >"$T/big.json"
push "$TOK" "$T/big.json"
expect_status 413; expect_body '"code":"too_large"'
gzip -c "$T/big.json" >"$T/big.json.gz"
push "$TOK" "$T/big.json.gz" -H 'Content-Encoding: gzip'
expect_status 413; expect_body 'inflates'
expect_eq "held after too large" $((N + 2)) "$(held_events "$STORE" K01)"

# --- answers are gzip when the client accepts it (a big enough answer).
api GET /v1/terminal "$TOK" --compressed
expect_status 200
expect_eq "terminal over gzip" $((N + 2)) "$(jget '["acked_seq"]')"

# --- regression: a terminal whose journal is behind HQ's head.
$CHAIN push "$T/k01.chain" "$STORE" 1 2 --local-head 2 >"$T/old.json"
push "$TOK" "$T/old.json"
expect_status 200
expect_eq "acked_seq (regression)" $((N + 2)) "$(jget '["acked_seq"]')"
expect_eq "regression alerts" 1 "$(alerts_of_kind regression)"
push "$TOK" "$T/old.json"
expect_eq "regression alert not repeated" 1 "$(alerts_of_kind regression)"

# --- other paths and methods.
api GET /v1/nothing "$TOK"
expect_status 404; expect_body '"code":"not_found"'
api GET /v1/events "$TOK"
expect_status 404

# --- revoked tokens get 401.
hq revoke --terminal "$STORE/K02"
expect_rc 0
api GET /v1/terminal "$TOK2"
expect_status 401; expect_body 'revoked'
# Enrolling again gives a new token; the old one stays refused.
hq enroll --store "$STORE" --terminal K02
expect_rc 0
expect_err "enrolled again"
TOK2B=$OUT
api GET /v1/terminal "$TOK2B"
expect_status 200
api GET /v1/terminal "$TOK2"
expect_status 401
api GET "/v1/no%20such%0Apath" "$TOK2B"
expect_status 404
hq revoke --terminal "$STORE/K99"
expect_rc 2
hq revoke --terminal nonsense
expect_rc 3

# --- the events HQ holds verify as a chain: same hashes as the till's.
expect_eq "HQ's head is the chain's" \
	"$(sed -n "$((N + 2))p" "$T/k01.chain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')" \
	"$(sql "$HQDB" "SELECT $(hq_hex hash) FROM heads h JOIN terminals t ON t.id = h.terminal WHERE t.terminal = 'K01'")"

# --- alerts listed by the command line.
hq alerts
expect_rc 0
expect_out "KMB-SMG/K01 fork:"; expect_out "KMB-SMG/K01 tampered:"; expect_out "regression"

# --- the request log: one key=value line per request, never a token.
hq_stop
LOG=$(cat "$T/hq.log")
grep -qE 'method=POST path=/v1/events status=200 terminal=KMB-SMG/K01 ms=[0-9]+ events=[0-9]+' <<<"$LOG" \
	|| fail "no request line for a push in the log"
grep -qE 'method=GET path=/v1/health status=200 terminal=- ' <<<"$LOG" || fail "no health line"
# (a space is decoded, then made '?'; an encoded control character stays
# encoded: guard_unescape)
grep -qF 'path=/v1/no?such%0Apath status=404' <<<"$LOG" || fail "odd paths are not made safe for the log"
for t in "$TOK" "$TOK2" "$TOK2B" "$OPS"; do
	if grep -qF "$t" <<<"$LOG"; then fail "a token appears in the log"; fi
done
grep -q 'msg="stopped"' <<<"$LOG" || fail "the server did not stop cleanly"
done_ok
