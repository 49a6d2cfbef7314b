#!/bin/bash
# Finding an item by name as a cashier types it, letter by letter, in a
# store that has sold nothing yet (every match comes from the catalogue's
# index): whole words and long beginnings ("indomie gore") find the item
# and only the items holding them; one more letter that no word has
# leaves nothing; a one-letter word narrows what the others found; Enter
# rings up the chosen item.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
login 101 111111
wait_for F10

key F2
wait_for "Name: _"
type_in "indomie gore"
wait_for "D00163"
expect_screen "Indomie Goreng 5 bks"
expect_screen "Indomie Goreng 1 dus 40"
expect_no_screen "Indomie Soto"
expect_no_screen "Indomie Rendang"

# "gorex" is the start of no word: nothing, and the hint.
type_in "x"
wait_for "Nothing found"
expect_no_screen "D00163"
key BSpace
wait_for "D00163"
wait_gone "Nothing found"

# Start again: "i goreng 5" is Indomie Goreng 5 bks alone.
for _ in $(seq 12); do key BSpace; done
wait_for "Name: _"
type_in "i goreng 5"
wait_for "D00164"
expect_no_screen "D00163"
expect_no_screen "D00165"
key Enter
wait_for_re '^ +1 Indomie Goreng 5 bks'
expect_eq "lines on the ticket" 1 "$(sql "SELECT count(*) FROM open_ticket_lines")"

done_ok
