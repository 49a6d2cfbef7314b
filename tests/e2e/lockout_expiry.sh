#!/bin/bash
# Lockouts end by themselves (issue 19): five wrong PINs lock cashier 101
# for lockout_minutes (5); the till restarted a second before the end
# still refuses the right PIN and says until when; at the end the next try
# ends the lockout (journaled) and counts again; a second lockout in a row
# lasts twice as long; then the right PIN opens the till.
set -eu
. "$(dirname "$0")/lib.sh.inc"

hhmm() { date -d "@$1" +%H:%M; }
# restart_at TIME: the till closed at its login screen (C-x) and started
# again with its clock at TIME.
restart_at() {
	key C-x
	wait_exit
	till_start COOPMART_FAKE_TIME="$1"
}
wrong5() {
	type_in 101
	key Enter
	for i in 1 2 3 4 5; do
		type_in 000000
		key Enter
		[ $i -eq 5 ] || wait_for "wrong PIN ($((5 - i)) tr"
	done
}

new_demo_db
till_start
wrong5
wait_for "user 101 is now locked until $(hhmm $((E2E_TIME + 300))); a supervisor can unlock sooner"
expect_eq "locked until" "1|$((E2E_TIME + 300))|1" \
	"$(sql "SELECT locked || '|' || locked_until || '|' || lockouts FROM users WHERE number = '101'")"

# A second before the end: still locked, even with the right PIN.
restart_at $((E2E_TIME + 299))
login 101 111111
wait_for "user 101 is locked until $(hhmm $((E2E_TIME + 300))) (wrong PINs)"
expect_no_screen F10

# At the end: the lockout is over, but five more wrong PINs lock again,
# now for twice as long (10 minutes).
restart_at $((E2E_TIME + 300))
wrong5
wait_for "user 101 is now locked until $(hhmm $((E2E_TIME + 900)))"
expect_eq "lockout ended" 1 "$(sql "SELECT count(*) FROM journal WHERE type = 'user_lockout_ended'")"
expect_eq "second lockout" "$((E2E_TIME + 900))|2" \
	"$(sql "SELECT locked_until || '|' || lockouts FROM users WHERE number = '101'")"

restart_at $((E2E_TIME + 900))
login 101 111111
wait_for F10
expect_screen "Cashier: 101 Siti Kasir"
expect_eq "after a good PIN" "0|0|0" \
	"$(sql "SELECT locked || '|' || failed_logins || '|' || lockouts FROM users WHERE number = '101'")"
expect_eq "lockouts journaled" "2|2" \
	"$(sql "SELECT (SELECT count(*) FROM journal WHERE type = 'user_locked_out') || '|' || (SELECT count(*) FROM journal WHERE type = 'user_lockout_ended')")"
"$COOPMART" --db "$DB" journal verify >/dev/null || fail "journal verify failed"
check
done_ok
