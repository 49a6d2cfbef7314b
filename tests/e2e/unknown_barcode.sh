#!/bin/bash
# Codes the till cannot sell: an unknown EAN-13, a misread check digit, an
# unknown item code, a scale label for a PLU the store does not have.
# Each says so on the message line and adds nothing; the next good scan
# works as usual. Keys for the chosen line say so when there is none.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
login 101 111111
wait_for F10

lines() {
	sql "SELECT count(*) FROM open_ticket_lines"
}

# F3 (quantity), F4 (discount), F5 (price), F8 (void) with no line: the
# message shows at once (not at the next redraw of the clock).
for k in F3 F4 F5 F8; do
	key "$k"
	wait_for "Choose a line first (arrow keys)." 5
	key Escape
	wait_gone "Choose a line first"
done

# A well-formed EAN-13 the catalogue does not know.
UNKNOWN=$(ean13 899999900001)
scan "$UNKNOWN"
wait_for "unknown code $UNKNOWN: not in the catalogue"
expect_screen "Scan an item or type its code and press Enter."
expect_screen_re '^ Code: _$'
expect_screen "Lines: 0"
expect_eq "big total" 0 "$(big_number)"
expect_eq "lines in the store" 0 "$(lines)"

# Esc clears the message.
key Escape
wait_gone "unknown code"

# A real barcode (Susu Greenfields, 8991085004811) with its last digit
# misread.
scan 8991085004812
wait_for "barcode 8991085004812 is misread (wrong check digit); scan it again"
expect_screen "Lines: 0"
expect_eq "lines in the store" 0 "$(lines)"

# The search (F2) starts without the sale screen's old message.
key F2
wait_for "Name: _"
expect_no_screen "misread"
key Escape
wait_for F10

# Typed item codes: an unknown one, and a scale label whose PLU is unknown.
scan NOSUCH-1
wait_for "unknown code NOSUCH-1: not in the catalogue"
BADPLU=$(scale_label 99999 500)
scan "$BADPLU"
wait_for "unknown code $BADPLU: not in the catalogue"
expect_screen "Lines: 0"
expect_eq "lines in the store" 0 "$(lines)"

# The right scan goes through and clears the message.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_gone "unknown code"
expect_screen "Lines: 1"
wait_big 11.500
expect_eq "lines in the store" 1 "$(lines)"

# An unknown code after a line leaves the line alone.
scan "$UNKNOWN"
wait_for "unknown code $UNKNOWN"
expect_screen "Lines: 1"
expect_eq "big total" 11.500 "$(big_number)"
expect_eq "lines in the store" 1 "$(lines)"
expect_eq "no sales" 0 "$(sql "SELECT count(*) FROM sales")"

done_ok
