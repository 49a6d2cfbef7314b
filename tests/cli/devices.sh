# coopmart devices: USB scanners and printers, emulated by umockdev with
# tests/drivers/usbfake_preload.c, and the ones the settings select.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

: "${USBFAKE_PRELOAD:?USBFAKE_PRELOAD must name libusbfake_preload.so}"
command -v umockdev-wrapper >/dev/null || fail "umockdev is not installed"
DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"

# usb ARGS...: run with the emulated scanner (0c2e:0b61) and printer
# (04b8:0202), preloaded into coopmart alone (through a wrapper script).
cat >"$T/coopmart-usb" <<WRAP
#!/bin/sh
rm -rf "$T/usb"
exec env LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$T/usb" "$COOPMART" "\$@"
WRAP
chmod +x "$T/coopmart-usb"
usb() {
	COOPMART="$T/coopmart-usb" run "$@"
}

usb --db "$DB" devices --help
expect_rc 0; expect_out "usage: coopmart devices"
usb --db "$DB" devices --bogus
expect_rc 1; expect_err "usage: coopmart devices"

usb --db "$DB" devices
expect_rc 0
expect_out "  0c2e:0b61  001/002  scanner (HID keyboard)   class 3/1  Coopmart Test / Emulated Barcode Scanner"
expect_out "  04b8:0202  001/003  printer                  class 7/1  Coopmart Test / Emulated Receipt Printer"
expect_out "      device id: MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;"
expect_out "Setting scanner: keyboard"
expect_out "Setting printer: (not set)"

run --stdin "$A"$'\n' --db "$DB" --user 1 setting set scanner usb:0c2e:0b61
expect_rc 0
usb --db "$DB" devices
expect_rc 0
expect_out "* 0c2e:0b61  001/002  scanner (HID keyboard)"
expect_out "  04b8:0202"
expect_out "Setting scanner: usb:0c2e:0b61 (attached)"

# Configured but not plugged in: said, and exit 2.
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set scanner usb:1234:5678
expect_rc 0
usb --db "$DB" devices
expect_rc 2
expect_out "Setting scanner: usb:1234:5678 (not attached)"
expect_out "  0c2e:0b61"

# The scanner alone: no printer listed.
USBFAKE_NO_PRINTER=1 usb --db "$DB" devices
expect_rc 2
[ "$(grep -c '^[ *] [0-9a-f]\{4\}:' <<<"$OUT")" = 1 ] || fail "expected one device listed"

done_ok
