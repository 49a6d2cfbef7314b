# The store code at the till: set at init (--store-code) or later by an
# admin while HQ holds nothing under it (tests/sync/sync_store_code.sh has
# the agent's side); only what HQ's enrolment accepts, journaled.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

run --stdin "$ADMIN_PIN"$'\n' --db "$T/a.db" init --store-name "Koperasi Maju Bersama" \
	--terminal K01 --store-code KMB-SMG --admin-number 1 --admin-name "Bu Ani"
expect_rc 0
run --db "$T/a.db" setting get store_code
expect_rc 0
expect_out_exact KMB-SMG

# Not a code HQ would enrol: refused, and nothing is left behind.
run --stdin "$ADMIN_PIN"$'\n' --db "$T/b.db" init --store-name "Koperasi" \
	--terminal K01 --store-code "KMB SMG" --admin-number 1 --admin-name "Bu Ani"
expect_rc 3
expect_err "store_code: 'KMB SMG' is not a store code (letters, digits, '-', '_' and '.'"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/b.db" ] || fail "a failed init left $T/b.db behind"
run --stdin "$ADMIN_PIN"$'\n' --db "$T/a.db" --user 1 setting set store_code "KMB/SMG"
expect_rc 3
expect_err "is not a store code"

# A typo mended before the first sync: journaled like any setting.
run --stdin "$ADMIN_PIN"$'\n' --db "$T/a.db" --user 1 setting set store_code KMB-SLO
expect_rc 0
run --db "$T/a.db" setting get store_code
expect_out_exact KMB-SLO
expect_eq "journaled" 1 "$(sql "$T/a.db" "SELECT count(*) FROM journal WHERE type = 'setting_changed' AND payload LIKE '%KMB-SLO%'")"
run --db "$T/a.db" init --help
expect_out "--store-code: the code HQ knows the store by"
done_ok
