# Trust you can check (issue 19): the agent never pushes a journal that
# fails verification, and reports what it finds to HQ, which keeps the
# alert until an operator acknowledges it; clearing it at the store does
# not. Each scenario tampers with a terminal's database the way a person
# with the sqlite3 shell would (tests/sync/tamper.py drops the triggers
# and recomputes the chain with the till's hash) and asserts the exact
# outcome at the till, in the agent's words, and at HQ:
#  K01 sale rows edited behind the journal (unsynced): verify_failed;
#  K02 the newest events deleted after a sync: verify_failed, then with
#      sync_state edited too, older_database; new sales reusing the
#      sequence numbers: fork, and HQ never takes the reused numbers;
#  K03 an old sale rewritten and the whole chain recomputed: verify_failed
#      (against the acknowledged head), then with sync_state edited too
#      (verify passes locally), fork;
#  K04 a sale deleted and the journal renumbered: fork.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
TAMPER="python3 $SRCDIR/tests/sync/tamper.py"
hq_start

till() { # TERM ARGS...: the coopmart command line on TERM's database
	local term=$1
	shift
	capture "$COOPMART" --db "$T/$term.db" "$@"
}
# hq_alert TERM KIND: "seq|count|acked_by" of the terminal's newest alert
# of that kind at HQ.
hq_alert() {
	sql "$HQDB" "SELECT seq || '|' || count || '|' || acked_by FROM alerts WHERE store = '$STORE' AND terminal = '$1' AND kind = '$2' ORDER BY id DESC LIMIT 1"
}
hq_alert_id() {
	sql "$HQDB" "SELECT id FROM alerts WHERE store = '$STORE' AND terminal = '$1' AND kind = '$2' ORDER BY id DESC LIMIT 1"
}
local_alert_id() { sql "$T/$1.db" "SELECT id FROM sync_alerts WHERE cleared_at IS NULL ORDER BY id DESC LIMIT 1"; }
hq_sales() {
	sql "$HQDB" "SELECT count(*) || ' ' || COALESCE(sum(s.total), 0) FROM sales s JOIN terminals t ON t.id = s.terminal WHERE t.terminal = '$1'"
}
seq_of_receipt() { sql "$T/$1.db" "SELECT journal_seq FROM sales WHERE receipt_no = '$2'"; }

# ---------------------------------------------------------------------------
# K01: sale rows edited with the triggers dropped, before they were synced.
new_terminal "$STORE" K01
sell K01 3 MIE-GRG
agent K01 once
expect_rc 0
before=$(hq_sales K01)
sell K01 2 MIE-GRG
S=$(seq_of_receipt K01 K01-000005)
sqlite3 "$T/K01.db" "DROP TRIGGER sales_no_update; UPDATE sales SET total = total - 1000, due = due - 1000 WHERE receipt_no = 'K01-000005'"
till K01 journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $S: sale K01-000005 does not match its journal event"
agent K01 once
expect_rc 3
expect_err "the journal does not verify at sequence $S: sale K01-000005 does not match its journal event. Nothing is pushed; HQ is told"
expect_err "reported to HQ, which keeps it until an operator there acknowledges it"
expect_eq "K01: HQ holds nothing of the tampered journal" "$before" "$(hq_sales K01)"
expect_eq "K01: HQ's alert names the sequence" "$S|1|" "$(hq_alert K01 verify_failed)"
hq alerts
expect_rc 0
expect_out "KMB-SMG/K01 verify_failed: the terminal reports at sequence $S: the journal does not verify at sequence $S: sale K01-000005 does not match its journal event"

# The store clears its own alert: pushing is tried again, refused again,
# and HQ's alert is still open (counted once more), never cleared.
agent K01 clear-alert "$(local_alert_id K01)"
expect_rc 0
agent K01 once
expect_rc 3
expect_err "the journal does not verify at sequence $S"
expect_eq "K01: HQ's alert counted again, still open" "$S|2|" "$(hq_alert K01 verify_failed)"
expect_eq "K01: still nothing pushed" "$before" "$(hq_sales K01)"

# Only an operator at HQ acknowledges it: who and when are kept.
ID=$(hq_alert_id K01 verify_failed)
hq alerts ack "$ID"
expect_rc 3
expect_err "say who acknowledges the alert: --by NAME"
hq alerts ack 999999 --by "Pak Budi"
expect_rc 2
expect_err "there is no alert 999999"
hq alerts ack "$ID" --by "Pak Budi" --note "store visited, DB seized"
expect_rc 0
expect_err "alert $ID acknowledged by Pak Budi"
hq alerts ack "$ID" --by "Bu Sri"
expect_rc 8
expect_err "alert $ID was acknowledged already, by Pak Budi at"
expect_eq "K01: acknowledged by" "$S|2|Pak Budi" "$(hq_alert K01 verify_failed)"
[ "$(sql "$HQDB" "SELECT acked_at FROM alerts WHERE id = $ID")" -gt 0 ] || fail "no acked_at"
hq alerts
expect_rc 0
grep -F "KMB-SMG/K01 verify_failed" <<<"$OUT" >/dev/null && fail "an acknowledged alert is still listed as open"
hq alerts --all
expect_rc 0
expect_out "KMB-SMG/K01 verify_failed"
expect_out "acknowledged by Pak Budi at "
expect_out ": store visited, DB seized"
# The same fault met again after the acknowledgement is a new alert.
agent K01 clear-alert "$(local_alert_id K01)"
agent K01 once
expect_rc 3
expect_eq "K01: a new alert after the acknowledgement" "$S|1|" "$(hq_alert K01 verify_failed)"

# A terminal's token cannot report another terminal's alert, nor a kind
# HQ does not know; an operator token reports nothing.
new_terminal "$STORE" K09
post_alert() { # TOKEN BODY: RC = HTTP status
	RC=$(curl -s -o "$T/.body" -w '%{http_code}' --cacert "$T/pki/ca.pem" \
		-H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		--data-binary "$2" "$HQ_URL/v1/alerts")
	OUT=$(cat "$T/.body")
}
post_alert "$(cat "$T/K09.token")" '{"store":"KMB-SMG","terminal":"K01","kind":"fork","seq":1,"detail":"x"}'
expect_eq "another terminal's report" 403 "$RC"
post_alert "$(cat "$T/K09.token")" '{"store":"KMB-SMG","terminal":"K09","kind":"all_clear","seq":1,"detail":"x"}'
expect_eq "an unknown kind" 400 "$RC"
expect_out "is not a kind of report"
post_alert "$(cat "$T/K09.token")" '{"store":"KMB-SMG","terminal":"K09","kind":"fork","seq":-1,"detail":"x"}'
expect_eq "a negative sequence" 400 "$RC"

# ---------------------------------------------------------------------------
# K02: the newest events deleted after a sync.
new_terminal "$STORE" K02
sell K02 4 MIE-GRG
agent K02 once
expect_rc 0
N=$(journal_head K02)
expect_eq "K02: all acknowledged" "$N" "$(acked_seq K02)"
held=$(held_events "$STORE" K02)
$TAMPER "$T/K02.db" truncate $((N - 2))
till K02 journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $((N - 1)): HQ acknowledged events up to $N but the journal ends at $((N - 2)): the newest events were removed"
agent K02 once
expect_rc 3
expect_err "the journal does not verify at sequence $((N - 1)): HQ acknowledged events up to $N"
expect_eq "K02: HQ's alert" "$((N - 1))|1|" "$(hq_alert K02 verify_failed)"

# The same, with what HQ acknowledged edited to match: the till's own
# check passes, HQ's copy does not.
$TAMPER "$T/K02.db" truncate $((N - 2)) --sync-state
till K02 journal verify
expect_rc 0
agent K02 clear-alert "$(local_alert_id K02)"
agent K02 once
expect_rc 3
expect_err "this database is older than HQ's copy: HQ holds events up to $N, this terminal's journal ends at $((N - 2))"
expect_eq "K02: HQ's older_database alert" "$((N - 1))|1|" "$(hq_alert K02 older_database)"

# New sales reuse the removed sequence numbers: a fork, reported, and HQ
# never takes the reused numbers.
agent K02 clear-alert "$(local_alert_id K02)"
sell K02 3 MIE-GRG
agent K02 once
expect_rc 3
expect_err "HQ's event $N differs from this terminal's"
expect_err "the journals have forked. Pushing stops"
expect_eq "K02: HQ's fork alert" "$N|1|" "$(hq_alert K02 fork)"
expect_eq "K02: HQ holds what it held" "$held" "$(held_events "$STORE" K02)"

# ---------------------------------------------------------------------------
# K03: an old sale rewritten (Rp1.000 skimmed) and the chain recomputed.
new_terminal "$STORE" K03
sell K03 4 MIE-GRG
agent K03 once
expect_rc 0
N=$(journal_head K03)
S=$(seq_of_receipt K03 K03-000001)
hq_before=$(hq_sales K03)
$TAMPER "$T/K03.db" rewrite "$S" ':3500' ':2500'
sqlite3 "$T/K03.db" <<-SQL
	UPDATE sales SET gross = 2500, total = 2500, due = 2500, paid = 2500 WHERE journal_seq = $S;
	UPDATE sale_lines SET unit_price = 2500, list_price = 2500, amount = 2500, net = 2500
	  WHERE sale_id = (SELECT id FROM sales WHERE journal_seq = $S);
	UPDATE sale_tenders SET amount = 2500 WHERE sale_id = (SELECT id FROM sales WHERE journal_seq = $S);
	UPDATE sale_taxes SET total = 2500 WHERE sale_id = (SELECT id FROM sales WHERE journal_seq = $S);
SQL
till K03 journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $N: event $N is not the one HQ acknowledged (HQ "
expect_out "): the journal was rewritten"
agent K03 once
expect_rc 3
expect_eq "K03: HQ's verify_failed alert" "$N|1|" "$(hq_alert K03 verify_failed)"
# With sync_state edited too, no check at the till can tell (no key would
# either: the local root holds it); HQ's copy of the head does.
$TAMPER "$T/K03.db" rewrite "$S" ':2500' ':2500' --sync-state
till K03 journal verify
expect_rc 0
expect_out "journal OK: $N events"
agent K03 clear-alert "$(local_alert_id K03)"
agent K03 once
expect_rc 3
expect_err "HQ's event $N differs from this terminal's"
expect_eq "K03: HQ's fork alert" "$N|1|" "$(hq_alert K03 fork)"
expect_eq "K03: HQ keeps the sales as sold" "$hq_before" "$(hq_sales K03)"

# ---------------------------------------------------------------------------
# K04: a sale deleted and the journal renumbered, then one more sale so
# that the journal is at least as long as HQ's copy again.
new_terminal "$STORE" K04
sell K04 4 MIE-GRG
agent K04 once
expect_rc 0
N=$(journal_head K04)
S=$(seq_of_receipt K04 K04-000002)
$TAMPER "$T/K04.db" drop "$S" --sync-state
till K04 journal verify
expect_rc 0
sell K04 1 MIE-GRG
[ "$(journal_head K04)" -ge "$N" ] || fail "K04: the journal is shorter than HQ's copy"
agent K04 once
expect_rc 3
expect_err "HQ's event $N differs from this terminal's"
expect_eq "K04: HQ's fork alert" "$N|1|" "$(hq_alert K04 fork)"
expect_eq "K04: HQ still holds the deleted sale" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM sales WHERE receipt = 'K04-000002'")"

# Every report was taken by HQ: nothing is left to send.
for term in K01 K02 K03 K04; do
	expect_eq "$term: reports sent" 0 \
		"$(sql "$T/$term.db" "SELECT count(*) FROM sync_alerts WHERE report = 1 AND reported_at IS NULL")"
done
done_ok
