#!/bin/bash
# Approvals show what is approved (issue 19): "a supervisor approved a cash
# out before the amount existed". For each action a cashier needs a
# supervisor for, the cashier types the amount or chooses the lines first;
# the supervisor's dialog shows them (action, cashier, items, quantities,
# rupiah, ticket or receipt) before any PIN is typed, with reasons that fit
# the action; the approval holds for exactly that (a return changed after
# its approval is asked again); the journal event names what was approved,
# by whom, and why (read back with `coopmart journal list`).
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
login 101 111111
wait_for F10
SUPER=$(sql "SELECT id FROM users WHERE number = '201'")
SHIFT=$(sql "SELECT id FROM shifts WHERE closed_at IS NULL")

# last TYPE FIELD: a field of the newest TYPE event's payload.
last() {
	sql "SELECT json_extract(payload, '\$.$2') FROM journal WHERE type = '$1' ORDER BY seq DESC LIMIT 1"
}

# --- 1. Cash out. The amount first; letters are refused out loud.
key C-o
wait_for "Manager menu"
key 3
wait_for "Amount:"
expect_no_screen "Supervisor no.:"
type_in 25rb
wait_for "Only digits here: the amount in rupiah"
type_in 000
key Enter
wait_for "Note (what for, to whom):"
expect_screen "Amount: Rp25.000"
type_in "gas elpiji"
key Enter
wait_for "Supervisor approval"
expect_screen "take cash out of the drawer, asked by cashier 101"
expect_screen "Cash out: Rp25.000"
expect_screen "Note: gas elpiji"
expect_screen "Shift $SHIFT"
# Reasons for a cash out, not for a void.
expect_screen "Pay a supplier"
expect_screen "Operating expense"
expect_no_screen "Wrong scan"
expect_eq "no cash out before the PIN" 0 "$(events cash_out)"
# A letter in the supervisor's number is refused out loud.
type_in x
wait_for "Only digits here."
approve 1
wait_for "Cash out Rp25.000 recorded."
expect_eq "cash out approved" "25000|gas elpiji|$SUPER|amount=25000 shift=$SHIFT|Operating expense" \
	"$(sql "SELECT json_extract(payload, '\$.amount') || '|' || json_extract(payload, '\$.reason') || '|'
	               || json_extract(payload, '\$.approved_by') || '|' || json_extract(payload, '\$.approved')
	               || '|' || json_extract(payload, '\$.approval_reason') FROM journal WHERE type = 'cash_out'")"
key Escape
wait_for F10

# --- 2. A ticket: 2 x Susu Greenfields (Rp11.500) and Ikan Kembung 750 g.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
scan 8991085004811
scan "$(scale_label 105 750)"
wait_for "Ikan Kembung"
wait_big 56.750
TICKET=$(sql "SELECT id FROM open_tickets")

# Price override on the milk: the new price is typed, then approved.
key Up
key F5
wait_for_re "[Pp]rice"
type_in 10000
key Enter
wait_for "Supervisor approval"
expect_screen "price override, asked by cashier 101"
expect_screen "Ticket $TICKET, line 1:"
expect_screen "Susu Greenfields UHT Coklat sedang: 2 x Rp11.500 = Rp23.000"
expect_screen "New price: Rp10.000 each, the line Rp20.000."
expect_screen "Wrong shelf price"
approve 0
wait_big 53.750
expect_eq "price override approved" "10000|Wrong shelf price" \
	"$(last price_override new_price)|$(last price_override reason)"
last price_override approved | grep -F "line=1 sku=" >/dev/null || fail "price override: approved names no line"
last price_override approved | grep -F "new_price=10000" >/dev/null || fail "price override: approved names no price"

# A discount over the limit (10%): 50% on the milk.
key F4
wait_for "10% or 5.000:"
type_in 50%
key Enter
wait_for "Supervisor approval"
expect_screen "discount above the limit"
expect_screen "Discount on the line: 50,00% of Rp20.000."
expect_screen "Damaged packaging"
approve 1
wait_big 43.750
expect_eq "discount approved" "Damaged packaging" "$(last line_discount reason)"
last line_discount approved | grep -F "discount=percent:5000 base=20000" >/dev/null ||
	fail "discount: approved is $(last line_discount approved)"

# Subtotal, then void the fish: the dialog names it and its amount.
key F10
wait_gone "Ikan Kembung"
key Escape
wait_for "Ikan Kembung"
key Down
key F8
wait_for "Supervisor approval"
expect_screen "void after subtotal"
expect_screen "Ikan Kembung"
expect_screen "Rp33.750"
expect_screen "Void this line."
expect_eq "no void before the PIN" 0 "$(events line_voided)"
approve 0
wait_big 10.000
expect_eq "void approved" "Wrong scan|$SUPER" "$(last line_voided reason)|$(last line_voided approved_by)"
last line_voided approved | grep -F "line=2 " >/dev/null || fail "void: approved is $(last line_voided approved)"

# Paid exactly in cash.
key F10
wait_gone "Susu Greenfields"
key Enter
wait_for "K01-000001"
key Enter
wait_for F10

# --- 3. A return of one carton: approved for Rp5.000; the cashier goes
# back and makes it two: asked again, for Rp10.000.
key C-o
wait_for "Manager menu"
key 7
wait_for "Receipt number:"
expect_no_screen "Supervisor no.:"
scan K01-000001
wait_for "Return of sale K01-000001"
key Enter
wait_for "Quantity to return"
type_in 1
key Enter
wait_for "Refund: Rp5.000"
key F10
wait_for "Reason (1-4):"
type_in 1
key Enter
wait_for "Supervisor approval"
expect_screen "return goods and refund, asked by cashier 101"
expect_screen "Receipt K01-000001"
expect_screen "Refund Rp5.000 for:"
expect_screen "1 x Susu Greenfields UHT Coklat sedang"
expect_screen "Goods and receipt checked"
approve 3
wait_for "Refund (1 or 2):"
key Escape
wait_gone "Refund (1 or 2):"
key Enter
wait_for "Quantity to return"
key BSpace
type_in 2
key Enter
wait_for "Refund: Rp10.000"
key F10
wait_for "Reason (1-4):"
type_in 1
key Enter
wait_for "Supervisor approval"
expect_screen "Refund Rp10.000 for:"
expect_screen "2 x Susu Greenfields UHT Coklat sedang"
expect_screen "approve it again"
expect_eq "no return before the second approval" 0 "$(events return)"
approve 3
wait_for "Refund (1 or 2):"
type_in 2
key Enter
wait_for "RETUR BARANG"
expect_eq "return approved" "10000|Goods and receipt checked" \
	"$(last return refund)|$(last return approval_reason)"
last return approved | grep -F "receipt=K01-000001 reason=unwanted refund=10000 lines=" >/dev/null ||
	fail "return: approved is $(last return approved)"
last return approved | grep -E ":2000$" >/dev/null || fail "return: approved is $(last return approved)"
key Enter
wait_for "Manager menu"
key Escape
wait_for F10

# --- 4. Cancel a ticket: the supervisor sees its lines and total.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
key F9
wait_for "Cancel the whole ticket?"
key Enter
wait_for "Supervisor approval"
expect_screen "cancel the ticket"
expect_screen "Ticket $(sql "SELECT id FROM open_tickets"), 1 line, Rp11.500:"
expect_screen "1 x Susu Greenfields UHT Coklat sedang = Rp11.500"
expect_screen "Customer short of money"
approve 1
wait_for "Ticket cancelled."
expect_eq "cancel approved" "Customer short of money" "$(last ticket_aborted reason)"
last ticket_aborted approved | grep -F "lines=1 total=11500" >/dev/null ||
	fail "cancel: approved is $(last ticket_aborted approved)"

# What was approved is in the journal as the auditor reads it.
"$COOPMART" --db "$DB" journal list --csv >"$T/journal.csv" 2>&1 || fail "journal list failed"
grep -F "amount=25000 shift=$SHIFT" "$T/journal.csv" >/dev/null || fail "journal list: no approved cash out"
grep -F "refund=10000" "$T/journal.csv" >/dev/null || fail "journal list: no approved return"
check
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "journal verify failed"; }
done_ok
