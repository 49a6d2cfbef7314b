# coopmart user add/list/lock/unlock/pin, wrong PINs and lockout.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
# init printed the one-time recovery code (used at the end).
RCODE=$(grep -Eo '[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}' <<<"$ERR") ||
	fail "init printed no recovery code"
expect_err "coopmart: one-time recovery code, for when every admin is locked out"

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
expect_rc 3; expect_err "no PIN: standard input ended before a line was read"
expect_eq "users after failed adds" 3 "$(sql "$DB" "SELECT count(*) FROM users")"

# --- a cashier may not add users (exit 4), and nobody is added.
run --stdin "135790"$'\n'"192837"$'\n' --db "$DB" --user 101 user add 102 Dewi cashier
expect_rc 4; expect_err "your role may not do this"
# A supervisor may not either.
run --stdin "975310"$'\n'"192837"$'\n' --db "$DB" --user 201 user add 102 Dewi cashier
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
expect_out '{"number":"101","failed":5,"lockouts":1,"until":'
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

# --- lockouts end by themselves, each one in a row longer (issue 19); the
# clock is COOPMART_FAKE_TIME.
T0=2000000000
export COOPMART_FAKE_TIME=$T0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set lockout_after 2
expect_rc 0
for i in 1 2; do run --stdin "000000"$'\n' --db "$DB" --user 101 user lock 201; done
expect_rc 4
expect_err "wrong PIN; user 101 is now locked until $(date -d "@$((T0 + 300))" +%H:%M); a supervisor can unlock sooner"
expect_eq "locked until" "1|$((T0 + 300))|1" \
	"$(sql "$DB" "SELECT locked || '|' || locked_until || '|' || lockouts FROM users WHERE number = '101'")"
export COOPMART_FAKE_TIME=$((T0 + 299))
run --stdin "424242"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "user 101 is locked until $(date -d "@$((T0 + 300))" +%H:%M) (wrong PINs)"
export COOPMART_FAKE_TIME=$((T0 + 300))
run --stdin "424242"$'\n' --db "$DB" --user 101 user lock 201
expect_rc 4; expect_err "only a supervisor or an admin"   # logged in: the lockout is over
expect_eq "lockout ended, journaled" 1 "$(events "$DB" user_lockout_ended)"
# Two lockouts in a row: the second lasts twice as long (10 minutes).
for i in 1 2; do run --stdin "000000"$'\n' --db "$DB" --user 201 user lock 101; done
export COOPMART_FAKE_TIME=$((T0 + 600))
for i in 1 2; do run --stdin "000000"$'\n' --db "$DB" --user 201 user lock 101; done
expect_rc 4
expect_eq "second lockout" "$((T0 + 600 + 600))|2" \
	"$(sql "$DB" "SELECT locked_until || '|' || lockouts FROM users WHERE number = '201'")"
unset COOPMART_FAKE_TIME

# --- PINs anyone would guess first are refused.
for pin in 123456 000000 987654 105105; do
	run --stdin "$A"$'\n'"$pin"$'\n' --db "$DB" --user 1 user add 105 Joko cashier
	expect_rc 3; expect_err "this PIN is too easy to guess"
done
run --stdin "$A"$'\n'"111111"$'\n' --db "$DB" --user 1 user pin 101
expect_rc 3; expect_err "this PIN is too easy to guess"

# --- an admin unlocks another admin; when every admin is locked, the
# one-time recovery code unlocks one (new PIN), once, and a new code comes.
run --stdin "$A"$'\n'"314159"$'\n' --db "$DB" --user 1 user add 2 "Pak Admin" admin
expect_rc 0
for i in 1 2; do run --stdin "000000"$'\n' --db "$DB" --user 1 user lock 101; done
expect_rc 4; expect_err "user 1 is now locked"
run --stdin "314159"$'\n' --db "$DB" --user 2 user unlock 1
expect_rc 0
expect_eq "admin 1 unlocked by admin 2" 0 "$(sql "$DB" "SELECT locked FROM users WHERE number = '1'")"
for who in 1 2; do
	for i in 1 2; do run --stdin "000000"$'\n' --db "$DB" --user $who user lock 101; done
done
expect_eq "every admin locked" "1|1" "$(sql "$DB" "SELECT group_concat(locked, '|') FROM users WHERE role = 2")"
run --stdin "" --db "$DB" recover 1
expect_rc 3; expect_err "no recovery code: standard input ended"
run --stdin "AAAA-BBBB-CCCC-DDDD"$'\n'"271828"$'\n' --db "$DB" recover 1
expect_rc 3; expect_err "wrong recovery code"
run --stdin "$RCODE"$'\n'"271828"$'\n' --db "$DB" recover 101
expect_rc 4; expect_err "the recovery code is for admins; 101 is not one"
run --stdin "$RCODE"$'\n'"271828"$'\n' --db "$DB" recover 1
expect_rc 0
NEXT=$(grep -Eo '^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$' <<<"$OUT") || fail "no next code"
[ "$NEXT" != "$RCODE" ] || fail "the next recovery code is the old one"
expect_err "admin 1 unlocked with a new PIN"
expect_eq "recovery journaled" 1 "$(events "$DB" recovery_used)"
run --stdin "271828"$'\n' --db "$DB" --user 1 user unlock 2
expect_rc 0
run --stdin "$RCODE"$'\n'"161803"$'\n' --db "$DB" recover 2
expect_rc 3; expect_err "wrong recovery code"      # used once
expect_eq "the code is never stored in clear" 0 \
	"$(sql "$DB" "SELECT count(*) FROM recovery_codes WHERE code_hash LIKE '%${RCODE:0:4}%'")"
run --db "$DB" recover
expect_rc 1; expect_err "usage: coopmart recover NUMBER"

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
