# The agent when things go wrong, against the real server on loopback:
#   - HQ SIGKILLed in the middle of a long push, restarted: the next run
#     completes and HQ holds every event exactly once;
#   - the answer to a push lost after HQ committed (a TCP proxy cuts the
#     connection; TLS passes through it): the retry is acknowledged as a
#     duplicate, nothing is stored twice;
#   - 503 with Retry-After (a tiny HTTPS stub, for the status code alone):
#     the agent waits as long as HQ asks, even beyond backoff_cap;
#   - a server that stalls mid-request: the low-speed timeout ends it;
#   - an unknown CA, a wrong pin: refused with a clear message, exit 5;
#   - the agent SIGKILLed while writing a big catalogue's pages and while
#     applying it: the old catalogue stays in force, the next run carries
#     on with the pages written (a big pull writes them straight into the
#     new catalogue, store_catgen_pull_*) and completes.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
FAULTS="python3 $SRCDIR/tests/sync/faults.py"
hq_start

# events_once TERM: HQ holds every event of TERM once, none twice.
events_once() {
	local term=$1
	expect_eq "$term events at HQ" "$(journal_head "$term")" "$(held_events "$STORE" "$term")"
	expect_eq "$term distinct events at HQ" "$(journal_head "$term")" \
		"$(sql "$HQDB" "SELECT count(DISTINCT e.seq) FROM events e JOIN terminals t ON t.id = e.terminal WHERE t.terminal = '$term'")"
	expect_eq "$term sales at HQ" "$(sql "$T/$term.db" "SELECT count(*) FROM sales")" \
		"$(sql "$HQDB" "SELECT count(*) FROM sales s JOIN terminals t ON t.id = s.terminal WHERE t.terminal = '$term'")"
}

# start_faults NAME ARGS...: a faults.py process; waits for "ready".
start_faults() {
	local name=$1
	shift
	$FAULTS "$@" >"$T/$name.log" 2>&1 &
	bg_add $!
	FAULT_PID=$!
	wait_for "$name to listen" 10 grep -q ready "$T/$name.log"
}

# ---- HQ killed mid-push, restarted --------------------------------------

new_terminal "$STORE" K01
sell K01 400 MIE-GRG
conf_set K01 batch_events 2
head=$(journal_head K01)
agent_bg K01 once
acked_ge() { [ "$(acked_seq "$1")" -ge "$2" ]; }
wait_for "the first acknowledgements" 60 acked_ge K01 20
hq_stop KILL
agent_wait
expect_eq "exit code with HQ gone" 4 "$RC"
grep -q "could not connect to HQ" "$T/K01.agent.log" || fail "no plain message: $(cat "$T/K01.agent.log")"
acked=$(acked_seq K01)
[ "$acked" -gt 0 ] && [ "$acked" -lt "$head" ] || fail "the push was not cut in the middle (acked $acked of $head)"
hq_start
agent K01 once
expect_rc 0
expect_eq "K01 acked after the restart" "$head" "$(acked_seq K01)"
events_once K01

# ---- the answer lost after HQ committed ------------------------------------

new_terminal "$STORE" K02
sell K02 30 MIE-GRG BRS-PRM-5
PROXY_PORT=$(free_port)
start_faults cut proxy "$PROXY_PORT" "$HQ_PORT" cut
conf_set K02 url "https://127.0.0.1:$PROXY_PORT"
agent K02 once
expect_rc 0
grep -q cut "$T/cut.log" || fail "the proxy never cut an answer"
# The push was sent again (by the agent's retry, or by libcurl itself when
# a reused connection dies before any answer) and HQ took it as a replay.
expect_err "(0 new, $(journal_head K02) again)"
events_once K02
kill "$FAULT_PID"

# ---- 503 with Retry-After: waits as long as HQ asks ------------------------

new_terminal "$STORE" K03
sell K03 2 MIE-GRG
STUB_PORT=$(free_port)
start_faults stub stub "$STUB_PORT" "$T/pki/server.pem" "$T/pki/server.key" 503 2
conf_set K03 url "https://127.0.0.1:$STUB_PORT"
start=$(date +%s.%N)
agent K03 once
elapsed=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
expect_rc 4
expect_err "503 unavailable: stub says wait"
expect_err "(HQ's Retry-After)"
expect_err "gave up after 3 tries"
python3 - "$T/stub.log" "$elapsed" <<'EOF' || fail "Retry-After not honoured: $(cat "$T/stub.log"), elapsed $elapsed"
import sys
times = [float(l.split()[0]) for l in open(sys.argv[1]) if l[0].isdigit()]
assert len(times) == 3, times
gaps = [b - a for a, b in zip(times, times[1:])]
# backoff_cap is 1 s: only Retry-After explains waits of 2 s.
assert all(g >= 1.95 for g in gaps), gaps
assert float(sys.argv[2]) < 15, sys.argv[2]
EOF
CHECKS=$((CHECKS + 1))
kill "$FAULT_PID"

# ---- a stalled server: the low-speed timeout -------------------------------

STALL_PORT=$(free_port)
start_faults stall proxy "$STALL_PORT" "$HQ_PORT" stall
conf_set K03 url "https://127.0.0.1:$STALL_PORT"
conf_set K03 low_speed_time 2
conf_set K03 attempts 1
sell K03 30 MIE-GRG BRS-PRM-5
start=$(date +%s)
agent K03 once
expect_rc 4
expect_err "HQ sent less than 100 bytes a second for 2 s; gave up"
[ $(( $(date +%s) - start )) -lt 15 ] || fail "the stall was not cut short"
kill "$FAULT_PID"
# Through the real server again, everything arrives once.
conf_set K03 url "$HQ_URL"
agent K03 once
expect_rc 0
events_once K03

# ---- trust: unknown CA, wrong pin, right pin -------------------------------

conf_set K03 ca_file "$T/pki/other-ca.pem"
sell K03 1 MIE-GRG
acked=$(acked_seq K03)
agent K03 once
expect_rc 5
expect_err "certificate not trusted"
conf_set K03 ca_file "$T/pki/ca.pem"
conf_set K03 pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
agent K03 once
expect_rc 5
expect_err "public key does not match the pin"
expect_eq "nothing pushed to an untrusted server" "$acked" "$(acked_seq K03)"
conf_set K03 pin "$PIN"
agent K03 once
expect_rc 0
events_once K03

# ---- the agent killed while staging, then while applying -------------------

python3 - "$T/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("sku,name,price,tax_class,category,supplier\n")
    f.write("MIE-GRG,Indomie Goreng 85 g,4000,standard,Mie Instan,Indofood\n")
    for i in range(40000):
        f.write(f"GEN-{i:06d},Barang Umum {i} Kemasan {i % 97} g,{1000 + i % 5000},standard,"
                f"Kategori {i % 50},Pemasok {i % 20}\n")
EOF
hq import catalogue "$T/big.csv"
expect_rc 0
new_terminal "$STORE" K04
items_before=$(sql "$T/K04.db" "SELECT count(*) FROM items")
old_catalogue() {
	expect_eq "K04 items ($1)" "$items_before" "$(sql "$T/K04.db" "SELECT count(*) FROM items")"
	expect_eq "K04 old price ($1)" 3500 "$(sql "$T/K04.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
	expect_eq "K04 version ($1)" 0 "$(sql "$T/K04.db" "SELECT catalogue_version FROM sync_state")"
	expect_eq "K04 no pull journaled ($1)" 0 \
		"$(sql "$T/K04.db" "SELECT count(*) FROM journal WHERE type = 'catalogue_pulled'")"
}
staged_ge() {
	[ "$(sql "$T/K04.db" "SELECT COALESCE((SELECT rows FROM sync_pull WHERE kind = 'catalogue' AND next <> ''), 0)")" -ge "$1" ]
}

agent_bg K04 once
wait_for "a few staged pages" 60 staged_ge 3000
kill -KILL "$AGENT_PID"
agent_wait
old_catalogue "killed while staging"
staged=$(sql "$T/K04.db" "SELECT rows FROM sync_pull WHERE kind = 'catalogue'")
[ "$staged" -lt 40001 ] || fail "everything was staged before the kill"

agent_bg K04 once
wait_for "the apply to start" 60 grep -q "applying" "$T/K04.agent.log"
kill -KILL "$AGENT_PID"
agent_wait
# The pages written whole (sync_pull.rows), and the rows of the next page
# written before the kill: none written again.
resumed=$(grep -Eo "carrying on with the [0-9]+ rows written" "$T/K04.agent.log" | grep -Eo "[0-9]+" || true)
[ -n "$resumed" ] && [ "$resumed" -ge "$staged" ] ||
	fail "the second run did not carry on with the pages written: $(cat "$T/K04.agent.log")"
grep -q "now at version" "$T/K04.agent.log" && fail "the apply finished before the kill (make the catalogue bigger)"
old_catalogue "killed while applying"
expect_eq "journal verifies after the kills" 0 \
	"$("$COOPMART" --db "$T/K04.db" journal verify >/dev/null 2>&1; echo $?)"

agent K04 once
expect_rc 0
expect_err "carrying on with the 40001 rows written"
expect_eq "K04 items after the pull" $((items_before + 40000)) "$(sql "$T/K04.db" "SELECT count(*) FROM items")"
expect_eq "K04 new price" 4000 "$(sql "$T/K04.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "K04 pull journaled once" 1 \
	"$(sql "$T/K04.db" "SELECT count(*) FROM journal WHERE type = 'catalogue_pulled'")"
expect_eq "K04 staging emptied" 0 "$(sql "$T/K04.db" "SELECT count(*) FROM catalogue_staging")"
events_once K04

done_ok
