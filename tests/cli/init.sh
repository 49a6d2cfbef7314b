# coopmart init, --help on every command, usage errors.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"

# --- --help: exit 0, usage on standard output, nothing on standard error.
run --help
expect_rc 0; expect_out "usage: coopmart [--db PATH] [--user NUMBER] COMMAND"; expect_no_err
for cmd in init "import" user sale report journal setting; do
	for h in --help -h; do
		run "$cmd" "$h"
		expect_rc 0
		expect_out "usage: coopmart"
		expect_no_err
	done
done
# Subcommand help needs no database: none exists at the default path here.
run --db "$T/none.db" user list --help
expect_rc 0; expect_out "user add NUMBER NAME ROLE"
run --db "$T/none.db" import items x.csv --help
expect_rc 0; expect_out "--skip-bad"
[ ! -e "$T/none.db" ] || fail "--help created a database"

# --- usage errors: exit 1, usage on standard error.
run
expect_rc 1; expect_err "usage: coopmart"; expect_no_out
run --db "$DB" frobnicate
expect_rc 1; expect_err "unknown command 'frobnicate'"
run --bogus-option init
expect_rc 1; expect_err "usage: coopmart"

# --- init: missing options.
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init
expect_rc 1; expect_err "usage: coopmart [--db PATH] init --store-name NAME --terminal ID"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name X --terminal K01 --admin-number 1
expect_rc 1; expect_err "--admin-name NAME"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name X --admin-number 1 --admin-name A
expect_rc 1
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name X --terminal K01 --admin-number 1 --admin-name A --frob
expect_rc 1
[ ! -e "$DB" ] || fail "a usage error created the database"

# --- init: bad PINs (exit 3) create nothing.
for pin in 12345 1234567890123 12a456 "" "123 456"; do
	run --stdin "$pin"$'\n' --db "$DB" init --store-name X --terminal K01 \
		--admin-number 1 --admin-name A
	expect_rc 3
	expect_err "coopmart: a PIN must be 6 to 12 digits"
	[ ! -e "$DB" ] || fail "init with the bad PIN '$pin' left a database file behind"
done
# No PIN at all on standard input.
run --db "$DB" init --store-name X --terminal K01 --admin-number 1 --admin-name A
expect_rc 3; expect_err "no PIN: standard input ended before a line was read"
[ ! -e "$DB" ] || fail "init without a PIN left a database file behind"

# --- init: a bad setting fails (exit 3) and leaves nothing half made, so
# that init can simply be run again.
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name X --terminal K01 \
	--admin-number 1 --admin-name A --columns 40
expect_rc 3; expect_err "receipt_columns"
[ ! -e "$DB" ] || fail "a failed init left a half-made database"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name X --terminal K01 \
	--admin-number 1 --admin-name A --round-step abc
expect_rc 3; expect_err "cash_round_step"
[ ! -e "$DB" ] || fail "a failed init left a half-made database"

# --- init: good.
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name "Koperasi Maju Bersama" \
	--address "Jl. Merdeka 1, Bandung" --terminal K01 --pkp --npwp 01.234.567.8-901.000 \
	--round-step 100 --columns 42 --admin-number 1 --admin-name "Bu Ani"
expect_rc 0
expect_out_exact "Store 'Koperasi Maju Bersama' (terminal K01) created in $DB; admin 1."
# The terminal's signing key: secret half beside the database, owner and
# group only; the public half journaled, and every event from it signed.
expect_err "coopmart: signing key $DB.key made (mode 0640"
expect_eq "key file mode" 640 "$(stat -c %a "$DB.key")"
expect_eq "key file size" 129 "$(stat -c %s "$DB.key")"
ks=$(sql "$DB" "SELECT seq FROM journal WHERE type = 'signing_key'")
expect_err "register it with HQ: --signing-key ed25519:$ks:"
expect_eq "signed from the key event on" "0|0" \
	"$(sql "$DB" "SELECT sum(seq < $ks AND sig IS NOT NULL) || '|' || sum(seq >= $ks AND length(sig) IS NOT 64) FROM journal")"
run --db "$DB" key show
expect_rc 0; expect_out_exact "ed25519:$ks:$(sql "$DB" "SELECT json_extract(payload, '$.public_key') FROM journal WHERE type = 'signing_key'")"
expect_eq "user count" 1 "$(sql "$DB" "SELECT count(*) FROM users")"
expect_eq "admin role" "1|Bu Ani|2|0" "$(sql "$DB" "SELECT number, name, role, locked FROM users")"
expect_eq "journal mode" wal "$(sql "$DB" "PRAGMA journal_mode")"
run --db "$DB" setting get pkp
expect_rc 0; expect_out_exact 1
run --db "$DB" setting get receipt_columns
expect_rc 0; expect_out_exact 42
run --db "$DB" setting get store_address
expect_rc 0; expect_out_exact "Jl. Merdeka 1, Bandung"
# The PIN is stored hashed, never in clear.
expect_eq "PIN in clear" 0 "$(sql "$DB" "SELECT count(*) FROM users WHERE pin_hash LIKE '%$ADMIN_PIN%'")"
expect_eq "Argon2id hash" 1 "$(sql "$DB" "SELECT count(*) FROM users WHERE pin_hash LIKE '\$argon2id\$%'")"
run --db "$DB" journal verify
expect_rc 0; expect_out "journal OK: "
expect_eq "user_added events" 1 "$(events "$DB" user_added)"
# The PIN is read from standard input, so it never shows up in the journal.
expect_eq "PIN in journal" 0 "$(sql "$DB" "SELECT count(*) FROM journal WHERE payload LIKE '%$ADMIN_PIN%'")"

# --- second init: exit 8, nothing changed.
before=$(sql "$DB" "SELECT count(*) FROM journal")
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" init --store-name Lain --terminal K01 \
	--admin-number 9 --admin-name Z
expect_rc 8; expect_err "this store is already initialised"
expect_eq "journal after second init" "$before" "$(sql "$DB" "SELECT count(*) FROM journal")"
expect_eq "store name after second init" "Koperasi Maju Bersama" \
	"$(sql "$DB" "SELECT value FROM settings WHERE key = 'store_name'")"

# --- COOPMART_DB names the database when --db is not given.
COOPMART_DB="$DB" run setting get store_name
expect_rc 0; expect_out_exact "Koperasi Maju Bersama"

# --- a missing database: exit 2 with advice; nothing created.
run --db "$T/missing.db" user list
expect_rc 2; expect_err "no store database at $T/missing.db (run 'coopmart init' first)"
[ ! -e "$T/missing.db" ] || fail "a read command created a database"

# --- init in a folder that does not exist: cannot write (6), plain words.
run --stdin "$ADMIN_PIN"$'\n' --db "$T/no/such/dir/s.db" init --store-name X --terminal K01 \
	--admin-number 1 --admin-name A
expect_rc 6; expect_err "$T/no/such/dir"

# --- a file that is not a database: damaged (7).
head -c 8192 /dev/zero | tr '\0' 'x' >"$T/junk.db"
chmod 640 "$T/junk.db"
run --db "$T/junk.db" journal verify
expect_rc 7; expect_err "damaged"

done_ok
