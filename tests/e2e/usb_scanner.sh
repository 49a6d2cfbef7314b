#!/bin/bash
# The real till with an emulated USB scanner (umockdev and
# tests/drivers/usbfake_preload.c): the store setting selects it by
# VID:PID, the till detaches the keyboard driver and reads it through
# libusb, a scan rings up the item even while something is being typed,
# a scan never lands in a quantity's field, unplugging shows in the status
# bar and replugging recovers without a restart.
set -eu
. "$(dirname "$0")/lib.sh.inc"
. "$(dirname "$0")/usbemu.sh.inc"

new_demo_db
printf '999999\n' | "$COOPMART" --db "$DB" --user 1 setting set scanner usb:0c2e:0b61 ||
	fail "could not set the scanner"
expect_eq "setting" usb:0c2e:0b61 "$(sql "SELECT value FROM settings WHERE key = 'scanner'")"
# A bad value is refused and leaves the setting alone.
if printf '999999\n' | COOPMART_LANG=en "$COOPMART" --db "$DB" --user 1 setting set scanner usb:0c2e 2>"$T/bad.err"; then
	fail "a bad scanner setting was accepted"
fi
grep -q "is not a scanner" "$T/bad.err" || fail "no message for a bad scanner setting"

till_start LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$U" \
	USBFAKE_NO_PRINTER=1
for _ in $(seq 50); do [ -e "$U/ready" ] && break; sleep 0.1; done
[ -e "$U/ready" ] || fail "the emulated devices never came up"

# At the login screen a scan is refused, not typed into the PIN field.
ctl scan 8991085004811
wait_for "Scan 8991085004811 ignored: log in and open the sale screen first."

login 101 111111
wait_for F10
wait_for "Scanner: ready"

# A scan rings up the item.
ctl scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_big 11.500
expect_eq "lines in the store" 1 "$(sql "SELECT count(*) FROM open_ticket_lines")"

# A quantity typed before it applies (the same item adds to its line).
type_in "3*"
ctl scan 8991085004811
wait_big 46.000
expect_eq "quantity in the store" 4 "$(sql "SELECT sum(qty) / 1000 FROM open_ticket_lines")"

# Half-typed text stays in the code field: the scan goes to the sale.
type_in "89910"
ctl scan 8991085004811
wait_big 57.500
expect_screen_re '^ Code: 89910_'
key Escape

# With a dialog open that asks for a quantity (F3) the scan is refused
# with a message and does not land in the dialog's field (dialogs that
# ask for a code take it: tests/e2e/device_scans.sh).
key F3
wait_for "New quantity:"
ctl scan 8991085004811
wait_for "Scan 8991085004811 ignored: finish this entry first (Enter or Esc)."
expect_screen_re '│ New quantity: +│$'
key Escape
wait_gone "New quantity:"
expect_eq "quantity in the store" 5 "$(sql "SELECT sum(qty) / 1000 FROM open_ticket_lines")"

# Unplugged: the status bar and the message line say so; typing still works.
ctl unplug scanner
wait_for "Scanner: unplugged"
wait_for "The scanner was unplugged."
scan 8991085004811
wait_big 69.000

# Plugged back in: recovered without a restart, scans ring up again.
ctl plug scanner
wait_for "Scanner: ready"
ctl scan 8991085004811
wait_big 80.500
expect_eq "quantity in the store" 7 "$(sql "SELECT sum(qty) / 1000 FROM open_ticket_lines")"
[ -n "$(till_pid)" ] || fail "the till is not running"

# Where libusb has no hotplug the till re-scans once a second: the same
# unplug and replug with that fallback forced (COOPMART_USB_POLL). The
# ticket goes on hold first.
key F6
wait_for_re '│ .*: +│'
key Enter
wait_for "Ticket on hold. F7 resumes it."
key C-x
wait_gone F10
key C-x
wait_exit
expect_eq "exit code" 0 "$(cat "$T/till.rc")"
U="$T/usb2"
NCMD=0
till_start LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$U" \
	USBFAKE_NO_PRINTER=1 COOPMART_USB_POLL=1
for _ in $(seq 50); do [ -e "$U/ready" ] && break; sleep 0.1; done
login 101 111111
wait_for "Scanner: ready"
ctl unplug scanner
wait_for "Scanner: unplugged"
ctl plug scanner
wait_for "Scanner: ready"
ctl scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_big 11.500

done_ok
