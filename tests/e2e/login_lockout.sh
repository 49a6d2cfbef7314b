#!/bin/bash
# Five wrong PINs lock the cashier out; every try is journaled; the right
# PIN is then refused until a supervisor unlocks the user.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start

type_in 101
key Enter
for left in 4 3 2 1; do
	type_in 000000
	key Enter
	if [ $left -eq 1 ]; then
		wait_for "wrong PIN (1 try left)"
	else
		wait_for "wrong PIN ($left tries left)"
	fi
	# The number stays; the PIN field is empty again.
	expect_screen_re 'Cashier no\.: +101 *│'
	expect_screen_re 'PIN: +│'
done
type_in 000000
key Enter
wait_for "user 101 is now locked"
expect_screen_re 'Cashier no\.: +│'
expect_eq "login_failed" 5 "$(events login_failed)"
expect_eq "user_locked_out" 1 "$(events user_locked_out)"
expect_eq "locked out" '101|5' \
	"$(sql "SELECT json_extract(payload, '\$.number'), json_extract(payload, '\$.failed')
	        FROM journal WHERE type = 'user_locked_out'")"
expect_eq "users row" '5|1' "$(sql "SELECT failed_logins, locked FROM users WHERE number = '101'")"

# The right PIN no longer opens the till.
login 101 111111
wait_for "user 101 is locked until"
expect_no_screen F10
expect_screen "Cashier no.:"
wait_sql "SELECT count(*) FROM journal WHERE type = 'login_failed'
          AND json_extract(payload, '\$.reason') = 'locked'" 1
expect_eq "no login" 0 "$(sql "SELECT count(*) FROM journal WHERE type = 'login' AND user_id = 2")"

# Another user is not affected.
login 201 222222
wait_for F10
expect_screen "Cashier: 201 Pak Darto"
key C-x
wait_gone F10

# A supervisor unlocks 101 (command line); the right PIN works again.
check
printf '222222\n' | "$COOPMART" --db "$DB" --user 201 user unlock 101 >"$T/unlock.out" 2>&1 ||
	{ cat "$T/unlock.out" >&2; fail "unlock failed"; }
login 101 111111
wait_for F10
expect_screen "Cashier: 101 Siti Kasir"
expect_eq "users row after unlock and login" '0|0' \
	"$(sql "SELECT failed_logins, locked FROM users WHERE number = '101'")"
"$COOPMART" --db "$DB" journal verify >/dev/null || fail "journal verify failed"
check

done_ok
