#!/bin/bash
# One resolver for every code at the counter (engine/resolve.h), through
# the real till: a blocked member's card says so (not "unknown code"), an
# active card attaches the member, a scale PLU typed by hand rings up its
# item, and a verified price label misread by two swapped digits is
# refused while the right one sells at its price.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
sql "UPDATE members SET status = 'blocked' WHERE number = 'A-0002'"
# The demo's prefix 20 weighs; 21 is set here to a verified price label.
sql "INSERT INTO scale_formats(prefix, template) VALUES ('21', 'PPIIIIVRRRRRC')"
read -r PLU NAME <<<"$(sql "SELECT plu || ' ' || name FROM items WHERE plu IS NOT NULL ORDER BY plu LIMIT 1")"
[ -n "$PLU" ] || fail "the demo has no scale items"
till_start
login 101 111111
wait_for F10

lines() {
	sql "SELECT count(*) FROM open_ticket_lines"
}

scan M000002
wait_for "member card blocked: A-0002 Sri Wahyuni"
expect_no_screen "unknown code"
expect_screen "Lines: 0"
key Escape

scan M000001
wait_for "Member A-0001 Budi Santoso attached"

# 0,5 kg of the first scale item by its PLU typed by hand.
type_in "0,5"
key "*"
scan "$PLU"
wait_for "$NAME"
expect_screen "Lines: 1"
expect_eq "lines in the store" 1 "$(lines)"

# 21 | PLU | verifier 5 | Rp55.052 | check 8, and its misread 55052 -> 50552
# (same EAN check digit, wrong verifier).
LABEL=$(ean13 "21$(printf '%04d' "$PLU")555052")
BAD=$(ean13 "21$(printf '%04d' "$PLU")550552")
scan "$BAD"
wait_for "label $BAD is misread"
expect_eq "lines after the misread" 1 "$(lines)"
key Escape
scan "$LABEL"
wait_for "55.052"
expect_eq "lines after the label" 2 "$(lines)"
expect_eq "label amount" 55052 "$(sql "SELECT fixed_amount FROM open_ticket_lines WHERE barcode = '$LABEL'")"

done_ok
