# coopmart user add/list/lock/unlock/pin, wrong PINs and lockout.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"

# --- add: admin adds a cashier and a supervisor.
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 101 "Siti Aminah" cashier
expect_rc 0; expect_out_exact "user 101 added"
run --stdin "$A"$'\n'"975310"$'\n' --db "$DB" --user 1 user add 201 "Pak Budi" supervisor
expect_rc 0; expect_out_exact "user 201 added"

run --db "$DB" user list
expect_rc 0
expect_out_exact "$(printf '%-8s %-24s %-10s %s\n%-8s %-24s %-10s %s\n%-8s %-24s %-10s %s' \
	1 "Bu Ani" admin active 101 "Siti Aminah" cashier active 201 "Pak Budi" supervisor active)"

# add: usage errors (bad role, missing arguments) and no --user.
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 102 Dewi boss
expect_rc 1; expect_err "ROLE is cashier, supervisor or admin"
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 102 Dewi
expect_rc 1
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" user add 102 Dewi cashier
expect_rc 1; expect_err "say who you are with --user NUMBER"
# add: a duplicate number, a bad new PIN, no new PIN.
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 101 Lain cashier
expect_rc 8; expect_err "101"
run --stdin "$A"$'\n'"12"$'\n' --db "$DB" --user 1 user add 103 Dewi cashier
expect_rc 3; expect_err "a PIN must be 6 to 12 digits"
run --stdin "$A"$'\n' --db "$DB" --user 1 user add 103 Dewi cashier
expect_rc 3; expect_err "no PIN given on standard input"
expect_eq "users after failed adds" 3 "$(sql "$DB" "SELECT count(*) FROM users")"

# --- a cashier may not add users (exit 4), and nobody is added.
run --stdin "135790"$'\n'"111111"$'\n' --db "$DB" --user 101 user add 102 Dewi cashier
expect_rc 4; expect_err "your role may not do this"
# A supervisor may not either.
run --stdin "975310"$'\n'"111111"$'\n' --db "$DB" --user 201 user add 102 Dewi cashier
expect_rc 4
expect_eq "users after denied adds" 3 "$(sql "$DB" "SELECT count(*) FROM users")"

# --- unknown user: exit 2.
run --stdin "$A"$'\n' --db "$DB" --user 999 user lock 101
expect_rc 2; expect_err "no user with number 999"
run --stdin "$A"$'\n' --db "$DB" --user 1 user lock 999
expect_rc 2; expect_err "999"

# --- a wrong PIN: exit 3, says how many tries are left, journaled.
run --stdin "000000"$'\n' --db "$DB" --user 1 user lock 101
expect_rc 3; expect_err "wrong PIN (4 tries left)"
expect_eq "failed logins of admin" 1 "$(sql "$DB" "SELECT failed_logins FROM users WHERE number = '1'")"
# A good login resets the count.
run --stdin "$A"$'\n' --db "$DB" --user 1 user unlock 101
expect_rc 0
expect_eq "failed logins after a good PIN" 0 "$(sql "$DB" "SELECT failed_logins FROM users WHERE number = '1'")"
# An empty or malformed PIN is just a wrong PIN.
run --stdin $'\n' --db "$DB" --user 1 user lock 101
expect_rc 3

# --- lock/unlock by a supervisor; a cashier may not.
run --stdin "135790"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "only a supervisor or an admin may lock or unlock users"
run --stdin "975310"$'\n' --db "$DB" --user 201 user lock 101
expect_rc 0; expect_no_err
run --db "$DB" user list
expect_out "$(printf '%-8s %-24s %-10s %s' 101 "Siti Aminah" cashier LOCKED)"
# A locked user cannot log in, even with the right PIN.
run --stdin "135790"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "locked"
run --stdin "975310"$'\n' --db "$DB" --user 201 user unlock 101
expect_rc 0
run --db "$DB" user list
expect_out "$(printf '%-8s %-24s %-10s %s' 101 "Siti Aminah" cashier active)"
expect_eq "user_locked events" 1 "$(events "$DB" user_locked)"
expect_eq "user_unlocked events" 2 "$(events "$DB" user_unlocked)"

# --- pin: the admin sets a new PIN; the old one stops working.
run --stdin "$A"$'\n'"424242"$'\n' --db "$DB" --user 1 user pin 101
expect_rc 0
expect_eq "pin_changed events" 1 "$(events "$DB" pin_changed)"
run --stdin "135790"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 3; expect_err "wrong PIN"
run --stdin "$A"$'\n'"42"$'\n' --db "$DB" --user 1 user pin 101
expect_rc 3; expect_err "a PIN must be 6 to 12 digits"
run --stdin "$A"$'\n'"424242"$'\n' --db "$DB" --user 1 user pin 999
expect_rc 2
# A cashier may not set someone else's PIN.
run --stdin "424242"$'\n'"111111"$'\n' --db "$DB" --user 101 user pin 1
expect_rc 4

# --- lockout: five wrong PINs in a row lock the user (exit 4 on the
# fifth), and the journal names each failure and the lockout.
run --stdin "$A"$'\n' --db "$DB" --user 1 user unlock 101   # clear the count
expect_rc 0
before_failed=$(events "$DB" login_failed)
for i in 1 2 3 4; do
	run --stdin "000000"$'\n' --db "$DB" --user 101 user lock 201
	expect_rc 3
	if [ $i -eq 4 ]; then expect_err "wrong PIN (1 try left)"; else expect_err "wrong PIN ($((5 - i)) tries left)"; fi
done
run --stdin "000000"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "user 101 is now locked"
# The right PIN does not help now.
run --stdin "424242"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "user 101 is locked"
expect_eq "locked flag" 1 "$(sql "$DB" "SELECT locked FROM users WHERE number = '101'")"
expect_eq "login_failed events" $((before_failed + 6)) "$(events "$DB" login_failed)"
expect_eq "user_locked_out events" 1 "$(events "$DB" user_locked_out)"
run --db "$DB" journal list
expect_rc 0
expect_out "login_failed"
expect_out '{"number":"101","context":"login","reason":"wrong_pin","failed":5}'
expect_out "user_locked_out"
expect_out '{"number":"101","failed":5}'
# user_locked_out comes right after the fifth failure.
seq5=$(sql "$DB" "SELECT seq FROM journal WHERE type = 'login_failed' AND json_extract(payload, '\$.failed') = 5 ORDER BY seq DESC LIMIT 1")
expect_eq "lockout event follows" user_locked_out "$(sql "$DB" "SELECT type FROM journal WHERE seq = $((seq5 + 1))")"
run --db "$DB" user list
expect_out "$(printf '%-8s %-24s %-10s %s' 101 "Siti Aminah" cashier LOCKED)"

# Unlocking clears the count: the user logs in again.
run --stdin "975310"$'\n' --db "$DB" --user 201 user unlock 101
expect_rc 0
expect_eq "failed logins after unlock" 0 "$(sql "$DB" "SELECT failed_logins FROM users WHERE number = '101'")"
run --stdin "424242"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "only a supervisor or an admin"   # logged in, but a cashier

# --- usage.
run --db "$DB" user
expect_rc 1; expect_err "usage: coopmart --user N user add"
run --db "$DB" user frob
expect_rc 1
run --db "$DB" user list extra
expect_rc 1

run --db "$DB" journal verify
expect_rc 0; expect_out "journal OK"
done_ok
