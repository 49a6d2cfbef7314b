#!/bin/bash
# A return at the till that tries to take back more than was sold: ring
# and pay a sale of 3 cartons of milk, open the return screen from the
# manager menu (a cashier, so a supervisor approves the line), return 1 for cash,
# then try to return 3 more: refused with a clear message, nothing
# written. The store rows, the journal and 'coopmart journal verify'.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start -x 120 -y 30
login 101 111111
wait_for F10

# The sale: 3 x Susu Greenfields UHT Coklat (Rp11.500), cash Rp50.000.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
scan 8991085004811
scan 8991085004811
wait_big 34.500
key F10
wait_gone "Susu Greenfields"
type_in 50000
key Enter
wait_for "K01-000001"
key Enter
wait_for F10
expect_eq "sale" "K01-000001|3000" "$(sql "SELECT s.receipt_no, l.qty FROM sales s JOIN sale_lines l ON l.sale_id = s.id")"
MILK=$(sql "SELECT qty FROM stock_levels WHERE item_id = (SELECT item_id FROM sale_lines)")

# Manager menu (Ctrl-O), "Return with the receipt": the cashier types (or
# scans) the receipt number; the supervisor approves the lines at the end.
open_return() {
	key C-o
	wait_for "Manager menu"
	expect_screen "Return with the receipt"
	key 7
	wait_for "Receipt number:"
	scan K01-000001
	wait_for "Return of sale K01-000001"
}

# 1. Return 1 of the 3, reason 1 (not wanted), refund 2 (cash).
open_return
expect_screen_re '^ +1 +Susu Greenfields UHT Coklat se +3 +3 +Rp34\.500$'
key Enter
wait_for "Quantity to return"
type_in 1
key Enter
wait_for "Refund: Rp11.500"
key F10
wait_for "Reason (1-4):"
type_in 1
key Enter
wait_for "Supervisor approval"
expect_screen "Susu Greenfields UHT Coklat"
expect_screen "Refund Rp11.500"
approve
wait_for "Refund (1 or 2):"
type_in 2
key Enter
wait_for "RETUR BARANG"
expect_screen "K01-R000001"
expect_screen "Return K01-R000001 done: refund Rp11.500, pay out Rp11.500 in cash."
expect_eq "first return" "K01-R000001|11500|11500|unwanted" \
	"$(sql "SELECT return_no, total, refund, reason FROM returns")"
expect_eq "returned line" "1|1000|11500|0" \
	"$(sql "SELECT sale_line, qty, amount, damaged FROM return_lines")"
expect_eq "refund tender" "0|11500" "$(sql "SELECT kind, amount FROM return_tenders")"
expect_eq "milk back on the shelf" $((MILK + 1000)) \
	"$(sql "SELECT qty FROM stock_levels WHERE item_id = (SELECT item_id FROM sale_lines)")"
expect_eq "return event" "K01-R000001|K01-000001|3|11500" \
	"$(sql "SELECT json_extract(payload, '\$.return'), json_extract(payload, '\$.sale'),
	               json_extract(payload, '\$.approved_by'), json_extract(payload, '\$.refund')
	        FROM journal WHERE type = 'return'")"
check
grep -qF "RETUR BARANG" "$SPOOL" || fail "the return receipt was not spooled"
key Enter
wait_for "Manager menu"
key Escape
wait_for F10

# 2. The same sale again: 2 are left; asking for 3 is refused, and so is
# refunding with nothing chosen. Nothing is written.
HEAD=$(sql "SELECT max(seq) FROM journal")
open_return
expect_screen_re '^ +1 +Susu Greenfields UHT Coklat se +3 +2 +Rp34\.500$'
key Enter
wait_for "Quantity to return"
type_in 3
key Enter
wait_for "only 2 of the 3 sold may still be returned"
expect_screen "Refund: Rp0"
# The dialog stays with what was typed, to be mended; Esc leaves it.
expect_screen_re '│ Return of line 1: 3 +│'
key Escape
wait_gone "Quantity to return"
key F10
wait_for "Choose what comes back first."
expect_eq "returns after the refusal" 1 "$(sql "SELECT count(*) FROM returns")"
expect_eq "return events after the refusal" 1 "$(events return)"
expect_eq "journal after the refusal" "$HEAD" "$(sql "SELECT max(seq) FROM journal")"
expect_eq "milk after the refusal" $((MILK + 1000)) \
	"$(sql "SELECT qty FROM stock_levels WHERE item_id = (SELECT item_id FROM sale_lines)")"
key Escape
wait_for "Manager menu"
key Escape
wait_for F10

check
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "journal verify failed"; }
done_ok
