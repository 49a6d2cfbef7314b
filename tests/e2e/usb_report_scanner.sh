#!/bin/bash
# The real till with an emulated USB keyboard-mode scanner that starts in
# report protocol with report id 2 (tests/drivers/usbfake_preload.c), as
# HID devices do after reset: the till sets the boot protocol first, so
# digits and letters come out as scanned. Before, the id byte was read as
# the modifiers (2 = left shift): "8991085004811" arrived as
# "*((!)*%))$*!!" and "AbC-123" as "ABC_!@#".
set -eu
. "$(dirname "$0")/lib.sh.inc"
. "$(dirname "$0")/usbemu.sh.inc"

new_demo_db
printf '999999\n' | "$COOPMART" --db "$DB" --user 1 setting set scanner usb:0c2e:0b61 ||
	fail "could not set the scanner"
till_start LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$U" \
	USBFAKE_NO_PRINTER=1 USBFAKE_SCANNER_REPORT_ID=2
for _ in $(seq 50); do [ -e "$U/ready" ] && break; sleep 0.1; done
[ -e "$U/ready" ] || fail "the emulated devices never came up"

login 101 111111
wait_for F10
wait_for "Scanner: ready"

ctl scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_big 11.500
ctl scan AbC-123
wait_for "unknown code AbC-123: not in the catalogue"
expect_eq "lines in the store" 1 "$(sql "SELECT count(*) FROM open_ticket_lines")"

done_ok
