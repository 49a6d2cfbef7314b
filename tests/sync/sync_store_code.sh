# The store code: kept in the store database (init --store-code, or the
# agent's first sync when the database has none), and checked against the
# agent's `store =`; a mismatch stops the agent before it talks to HQ,
# with a message naming both codes. Once HQ holds events under the code it
# cannot change at the till.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

hq_start
new_terminal KMB-SMG K01
expect_eq "code from init" KMB-SMG "$(sql "$T/K01.db" "SELECT value FROM settings WHERE key = 'store_code'")"

# The config names another store: refused before any request, both named.
cp "$T/K01.conf" "$T/good.conf"
conf_set K01 store KMB-SLO
agent K01 once
expect_rc 1
expect_err "$T/K01.conf says store = KMB-SLO, but the database $T/K01.db belongs to store KMB-SMG"
expect_eq "nothing at HQ" 0 "$(held_events KMB-SMG K01)"
expect_eq "nothing at HQ" 0 "$(held_events KMB-SLO K01)"
agent K01 status
expect_rc 1
expect_err "belongs to store KMB-SMG"
cp "$T/good.conf" "$T/K01.conf"
agent K01 once
expect_rc 0

# HQ holds the journal: the code is fixed; an unchanged value is fine.
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$T/K01.db" --user 1 setting set store_code KMB-SLO \
	>"$T/.out" 2>"$T/.err" && fail "the store code changed after HQ acknowledged events"
ERR=$(cat "$T/.err")
expect_err "the store code is KMB-SMG and HQ already holds this terminal's journal under it"

# A database without a code (older, or init without --store-code) takes
# the config's on its first sync, journaled and pushed; status only reads.
new_till "$T/K02.db" K02
hq enroll --store KMB-SMG --terminal K02
printf '%s\n' "$(printf '%s\n' "$OUT" | grep -Eo '[A-Za-z0-9_-]{43}' | head -1)" >"$T/K02.token"
chmod 600 "$T/K02.token"
sed -e "s|$T/K01|$T/K02|g" -e 's/^terminal = K01/terminal = K02/' "$T/good.conf" >"$T/K02.conf"
agent K02 status
expect_rc 0
expect_eq "status does not write" "" "$(sql "$T/K02.db" "SELECT value FROM settings WHERE key = 'store_code'")"
agent K02 once
expect_rc 0
expect_err "the database $T/K02.db had no store code; it is now KMB-SMG (from $T/K02.conf)"
expect_eq "adopted" KMB-SMG "$(sql "$T/K02.db" "SELECT value FROM settings WHERE key = 'store_code'")"
expect_eq "journaled" 1 "$(sql "$T/K02.db" "SELECT count(*) FROM journal WHERE type = 'setting_changed' AND payload LIKE '%store_code%KMB-SMG%'")"
expect_eq "pushed" "$(journal_head K02)" "$(held_events KMB-SMG K02)"
capture "$COOPMART" --db "$T/K02.db" journal verify
expect_rc 0
# Now it is checked like any other.
conf_set K02 store KMB-XYZ
agent K02 once
expect_rc 1
expect_err "belongs to store KMB-SMG"
done_ok
