# coopmart journal verify/list, tampering found on copies of the database;
# report day and sale list/show on a store without sales. (Sales are made
# by tests/crash/crash_sales.c, which checks report/sale on them.)
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set cash_round_step 500
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set receipt_footer "Terima kasih"
expect_rc 0

N=$(sql "$DB" "SELECT count(*) FROM journal")
HEAD=$(sql "$DB" "SELECT lower(hex(hash)) FROM journal ORDER BY seq DESC LIMIT 1")

# --- verify: OK, names the count and the head hash.
run --db "$DB" journal verify
expect_rc 0; expect_out_exact "journal OK: $N events, head $HEAD"; expect_no_err

# --- list: one line per event, in order, with the payload.
run --db "$DB" journal list
expect_rc 0
expect_eq "listed events" "$N" "$(wc -l <<<"$OUT")"
expect_eq "first line" "1" "$(head -1 <<<"$OUT" | awk '{print $1}')"
expect_eq "sequence column" "$(seq 1 "$N" | tr '\n' ' ')" "$(awk '{printf "%s ", $1}' <<<"$OUT")"
line=$(grep -F '{"key":"cash_round_step","value":"500"}' <<<"$OUT") || fail "setting change not listed"
seq_round=$(awk '{print $1}' <<<"$line")
hash8=$(sql "$DB" "SELECT lower(hex(substr(hash, 1, 8))) FROM journal WHERE seq = $seq_round")
grep -qE "^ *$seq_round [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} setting_changed +user 1 +$hash8 " <<<"$line" \
	|| fail "journal list line format: $line"
# --from: only the tail.
run --db "$DB" journal list --from "$seq_round"
expect_rc 0
expect_eq "events from $seq_round" $((N - seq_round + 1)) "$(wc -l <<<"$OUT")"
run --db "$DB" journal list --from
expect_rc 1
run --db "$DB" journal frob
expect_rc 1; expect_err "usage: coopmart journal verify"
run --db "$DB" journal
expect_rc 1

# --- the triggers refuse changes to the journal in place.
if sqlite3 "$DB" "UPDATE journal SET payload = '{}' WHERE seq = 1" 2>"$T/trig.err"; then
	fail "the journal accepted an UPDATE"
fi
grep -q "journal is append-only" "$T/trig.err" || fail "trigger message: $(cat "$T/trig.err")"
if sqlite3 "$DB" "DELETE FROM journal WHERE seq = 1" 2>/dev/null; then
	fail "the journal accepted a DELETE"
fi
run --db "$DB" journal verify
expect_rc 0

# --- tampering with a COPY: altered payload -> exit 7 naming the sequence.
cp "$DB" "$T/altered.db"
sqlite3 "$T/altered.db" "DROP TRIGGER journal_no_update;
	UPDATE journal SET payload = '{\"key\":\"cash_round_step\",\"value\":\"100\"}' WHERE seq = $seq_round;"
run --db "$T/altered.db" journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $seq_round: event content does not match its hash (altered) ($((seq_round - 1)) events checked before it)"
# The original is untouched and still fine.
run --db "$DB" journal verify
expect_rc 0

# Altered time, user or type: all covered by the hash.
for change in "at = at + 1" "user_id = 101" "type = 'login'"; do
	cp "$DB" "$T/altered2.db"
	sqlite3 "$T/altered2.db" "DROP TRIGGER journal_no_update; UPDATE journal SET $change WHERE seq = 3;"
	run --db "$T/altered2.db" journal verify
	expect_rc 7; expect_out "journal BROKEN at sequence 3:"
done

# An event removed from the middle: the gap is named.
cp "$DB" "$T/gap.db"
sqlite3 "$T/gap.db" "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 4;"
run --db "$T/gap.db" journal verify
expect_rc 7; expect_out "journal BROKEN at sequence 4: sequence number 4 is missing"

# An event rewritten with a recomputed-looking but wrong hash, and the
# following link broken: a forged replacement of seq 2 by copying seq 3's hash.
cp "$DB" "$T/link.db"
sqlite3 "$T/link.db" "DROP TRIGGER journal_no_update;
	UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 5;"
run --db "$T/link.db" journal verify
expect_rc 7; expect_out "journal BROKEN at sequence 5: previous-hash link is broken"

# --- users and settings against their journaled changes (issue 19): the
# rows an official would edit with the sqlite3 shell to give himself rights
# or change what the till does, without any journal event.
seq_siti=$(sql "$DB" "SELECT seq FROM journal WHERE type = 'user_added' AND json_extract(payload, '$.number') = '101'")
tamper_verify() { # NAME SQL: on a copy, then verify (RC/OUT)
	cp "$DB" "$T/$1.db"
	sqlite3 "$T/$1.db" "$2"
	run --db "$T/$1.db" journal verify
}
tamper_verify role "UPDATE users SET role = 2 WHERE number = '101'"
expect_rc 7
expect_out "journal BROKEN at sequence $seq_siti: user 101 is not as its user_added event says (number, name or role changed)"
tamper_verify rename "UPDATE users SET name = 'Budi' WHERE number = '101'"
expect_rc 7; expect_out "journal BROKEN at sequence $seq_siti: user 101 is not as its user_added event says"
tamper_verify newuser "INSERT INTO users(number, name, role, pin_hash, created_at) SELECT '999', 'Eve', 2, pin_hash, 0 FROM users WHERE number = '1'"
expect_rc 7; expect_out "journal BROKEN at sequence $((N + 1)): user 999 was never journaled as added"
tamper_verify gone "DELETE FROM users WHERE number = '101'"
expect_rc 7; expect_out "journal BROKEN at sequence $seq_siti: user 101 was journaled as added but is gone"
tamper_verify setting "UPDATE settings SET value = '5000' WHERE key = 'cash_round_step'"
expect_rc 7; expect_out "journal BROKEN at sequence $seq_round: setting cash_round_step is not what the journal last set it to"
tamper_verify nosetting "DELETE FROM settings WHERE key = 'receipt_footer'"
expect_rc 7; expect_out "setting receipt_footer is not what the journal last set it to"
tamper_verify newsetting "INSERT INTO settings VALUES ('discount_limit_bp', '10000')"
expect_rc 7; expect_out "journal BROKEN at sequence $((N + 1)): setting discount_limit_bp is not what the journal last set it to"

# --- report day and sales on a store without sales.
run --db "$DB" report day --date 2026-01-15
expect_rc 0
expect_out "Day report 2026-01-15  Koperasi Maju Bersama  terminal K01"
expect_out "Sales: 0   total Rp0   cash rounding Rp0   discounts Rp0"
expect_out "Aborted tickets: 0   voided lines: 0"
run --db "$DB" report day
expect_rc 0; expect_out "Day report $(date +%Y-%m-%d)"
run --db "$DB" report day --date 2026-02-30x
expect_rc 3; expect_err "dates are written YYYY-MM-DD"
run --db "$DB" report day --date
expect_rc 1
run --db "$DB" report week
expect_rc 1; expect_err "usage: coopmart report day"
run --db "$DB" sale list
expect_rc 0; expect_no_out; expect_no_err
run --db "$DB" sale list --from 2026-01-01 --to 2026-12-31
expect_rc 0; expect_no_out
run --db "$DB" sale list --date 1-2-3
expect_rc 3; expect_err "dates are written YYYY-MM-DD"
run --db "$DB" sale show K01-000001
expect_rc 2; expect_err "no sale with receipt number K01-000001"
run --db "$DB" sale show K01-000001 --columns 44
expect_rc 3; expect_err "--columns must be 32, 40, 42 or 48"
run --db "$DB" sale show
expect_rc 1
run --db "$DB" sale
expect_rc 1; expect_err "usage: coopmart sale list"

# Reading never writes: the journal is as it was (no login events).
expect_eq "journal length after reads" "$N" "$(sql "$DB" "SELECT count(*) FROM journal")"
done_ok
