#!/bin/bash
# The counter's guards at 80x24, as a cashier meets them: the held-ticket
# list shows what a ticket comes to after its discount; F9 asks before a
# whole ticket goes; letters in the cash amount are refused with a word
# and Enter then never takes exact cash; a wrong entry keeps what was
# typed (an empty cash-in reason keeps the amount, a mistyped receipt
# number keeps the text); a Z report asks
# first.
set -eu
. "$(dirname "$0")/lib.sh.inc"

MILK=8991085004811

new_demo_db
till_start
login 101 111111
wait_for F10

# 2 x milk (Rp23.000), 5% off the line: Rp21.850. Held, the list says so.
scan $MILK
scan $MILK
wait_big 23.000
key F4
wait_for "Line discount"
type_in "5%"
key Enter
wait_big 21.850
key F6
wait_for "Name (optional):"
type_in "bu ani"
key Enter
wait_for "Ticket on hold."
key F7
wait_for "Tickets on hold"
expect_screen_re '^  bu ani .* 1 line +Rp21\.850$'
expect_no_screen "Rp23.000"
key Enter
wait_for "Ticket resumed."
wait_big 21.850

# F9 asks first, saying what goes; Esc keeps the ticket.
key F9
wait_for "Cancel the whole ticket?"
expect_screen "The ticket's 1 line (Rp21.850) is cancelled"
key Escape
wait_for "Nothing changed."
wait_big 21.850
expect_eq "ticket kept" 1 "$(sql "SELECT count(*) FROM open_ticket_lines WHERE voided = 0")"
expect_eq "not journaled" 0 "$(events ticket_aborted)"
# Yes: the supervisor approves (a cashier's ticket with lines).
key F9
wait_for "Cancel the whole ticket?"
key Enter
wait_for "Supervisor approval"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_for "Ticket cancelled."
wait_big 0
expect_eq "journaled once" 1 "$(events ticket_aborted)"

# Payment: a letter in the amount is refused there and then; Enter does
# not take exact cash, the text stays to be mended.
scan $MILK
wait_big 11.500
key F10
wait_for "TOTAL TO PAY"
type_in "5O000"
wait_for "Only digits in the amount"
expect_screen "Cash received: 5O000_"
key Enter
wait_for "That is not an amount in rupiah"
expect_screen "Cash received: 5O000_"
expect_eq "no sale" 0 "$(sql "SELECT count(*) FROM sales")"
key BSpace BSpace BSpace BSpace
wait_for "Cash received: 5_"
type_in "0000"
key Enter
wait_for "Sale K01-000001 saved."
expect_eq "sale" "11500|50000|38500" "$(sql "SELECT total, paid, change FROM sales")"
key Enter
wait_for F10

# Cash in with no reason: the reason is asked again, the amount kept.
key C-o
wait_for "Manager menu"
key 2
wait_for "Amount:"
type_in 25000
key Enter
wait_for "Reason:"
key Enter
wait_for "Reason:"
expect_screen_re '│ Reason: +│$'
type_in "uang receh"
key Enter
wait_for "Cash in Rp25.000 recorded."
expect_eq "cash_in" "25000|uang receh" \
	"$(sql "SELECT json_extract(payload, '\$.amount'), json_extract(payload, '\$.reason') FROM journal WHERE type = 'cash_in'")"

# A return: no approval before the lines are chosen (the supervisor
# approves them at the end); a mistyped receipt number stays in the field
# to be mended.
key 7
wait_for "Receipt number:"
expect_no_screen "Supervisor approval"
type_in K01-00001
key Enter
wait_for "K01-00001"
wait_for_re '│ Receipt number: K01-00001 +│$'
expect_no_screen "Supervisor approval"
key BSpace
type_in 01
key Enter
wait_for "Return of sale K01-000001"
expect_no_screen "Supervisor approval"
key Escape
wait_gone "Return of sale"

done_ok
