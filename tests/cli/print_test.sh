# coopmart print-test: the test page on the printer the settings name, and
# clear exits when there is none (8) or it is absent (9). Also the printer
# settings' checks.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
set_printer() { run --stdin "$A"$'\n' --db "$DB" --user 1 setting set "$@"; }

run --db "$DB" print-test --help
expect_rc 0; expect_out "usage: coopmart print-test"

# No printer set: the receipts go to the text spool; nothing to test.
run --db "$DB" print-test
expect_rc 8; expect_err "no receipt printer is set up"

# A file printer: the ESC/POS page lands in the file.
set_printer printer "file:$T/page.bin"
expect_rc 0
set_printer printer_profile 80
expect_rc 0
run --db "$DB" print-test
expect_rc 0; expect_out "test page printed"; expect_out "profile 80"
expect_out "status: unknown"
[ -s "$T/page.bin" ] || fail "no page in $T/page.bin"
head -c 2 "$T/page.bin" | od -An -tx1 | grep -q "1b 40" || fail "the page does not start with ESC @"
grep -qa "123456789012345678901234567890123456789012345678" "$T/page.bin" ||
	fail "the page lacks the 48-column ruler"
grep -qa "Profil: 80 (48 kolom)" "$T/page.bin" || fail "the page does not name its profile"

# A network printer nobody answers for: exit 9 with the reason.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
set_printer printer "tcp:127.0.0.1:$port"
expect_rc 0
run --db "$DB" print-test
expect_rc 9; expect_err "the printer cannot be opened"; expect_err "refused"

# A USB printer that is not plugged in.
set_printer printer "usb:04b8:0e15"
expect_rc 0
run --db "$DB" print-test
expect_rc 9; expect_err "the printer cannot be opened"

# Bad values are refused (3) and not journaled.
n=$(events "$DB" setting_changed)
for kv in "printer usb:4b8" "printer serial:/dev/ttyS0" "printer tcp:host:70000" \
	"printer_profile 76" "drawer yes"; do
	# shellcheck disable=SC2086
	set_printer $kv
	expect_rc 3
done
expect_eq "setting_changed events" "$n" "$(events "$DB" setting_changed)"
set_printer printer none
expect_rc 0
run --db "$DB" print-test
expect_rc 8
done_ok
