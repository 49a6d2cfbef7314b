#!/bin/bash
# A whole sale as a cashier rings it up, in the till's own language
# (Bahasa Indonesia), so the checks look at numbers, codes and the store:
# a barcode from a wedge scanner, a scale label, an item found by name,
# subtotal and back, a void after subtotal approved by a supervisor, and a
# split payment (debit card for part, cash with change for the rest).
set -eu
TILL_LANG=id
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
login 101 111111
wait_for F10

# 1. Susu Greenfields UHT Coklat sedang, Rp11.500: the scanner types the
# digits and Enter in one burst.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_big 11.500

# 2. Ikan Kembung (PLU 105, Rp45.000/kg) weighed at 750 g: Rp33.750.
LABEL=$(scale_label 105 750)
expect_eq "scale label" 2000105007506 "$LABEL"
scan "$LABEL"
wait_for "Ikan Kembung"
expect_screen "0,75 kg"
expect_screen "Rp33.750"
wait_big 45.250

# 3. Indomie Goreng 1 bks found by name: F2, "ind gor", Enter on the first.
key F2
wait_gone "Susu Greenfields"
type_in "ind gor"
wait_for "D00163"
expect_screen "Indomie Goreng 5 bks"
key Enter
wait_for "Susu Greenfields"
wait_big 48.550
expect_screen_re '^ +3 Indomie Goreng 1 bks +1 +Rp3\.300 +Rp3\.300$'
# Every line is in the store as soon as it is rung up.
wait_sql "SELECT count(*) FROM open_ticket_lines WHERE voided = 0" 3

# Subtotal (F10 goes to the payment screen), then Esc back to the lines.
key F10
wait_gone "Susu Greenfields"
wait_big 48.550
key Escape
wait_for "Susu Greenfields"
wait_sql "SELECT subtotaled FROM open_tickets" 1

# Void line 1 (the milk): after subtotal a supervisor must approve.
key Up
key Up
key F8
wait_for_re '│ +> '
expect_eq "journal before approval" 0 "$(events line_voided)"
type_in 201
key Enter
type_in 222222
wait_for "******"
key Enter
key Down          # reason 2 of 6: the customer changed their mind
key Enter
wait_gone "******"
wait_big 37.050
wait_sql "SELECT line_no || ':' || voided FROM open_ticket_lines ORDER BY line_no" $'1:1\n2:0\n3:0'

# Pay: Rp20.000 by debit card (amount first, then F6, approval code),
# the rest in cash: Rp17.050 rounds to Rp17.000; Rp20.000 given.
key F10
wait_gone "Ikan Kembung"
type_in 20000
key F6
wait_for_re '│ .*: +│'
type_in 123456
key Enter
wait_for_re '1\. .*123456 +Rp20\.000'
expect_screen "Rp17.000"
type_in 20000
key Enter
wait_for "K01-000001"
wait_big 3.000

# The store: one sale, its three lines (the void kept as void), two tenders.
expect_eq "sales" "K01-000001|37050|-50|37000|40000|3000" \
	"$(sql "SELECT receipt_no, total, rounding, due, paid, change FROM sales")"
expect_eq "sale lines" $'1|D00482|1000|1|0\n2|F005|750|0|33750\n3|D00163|1000|0|3300' \
	"$(sql "SELECT line_no, sku, qty, voided, net FROM sale_lines ORDER BY line_no")"
expect_eq "tenders" $'1|1|20000|123456\n2|0|20000|' \
	"$(sql "SELECT n, kind, amount, ref FROM sale_tenders ORDER BY n")"
expect_eq "open tickets left" 0 "$(sql "SELECT count(*) FROM open_tickets")"
# The journal: the void names the supervisor who approved it, and the sale.
expect_eq "line_voided" '1|3|201|1' \
	"$(sql "SELECT json_extract(payload, '\$.line'), json_extract(payload, '\$.approved_by'),
	               json_extract(payload, '\$.approver'), json_extract(payload, '\$.after_subtotal')
	        FROM journal WHERE type = 'line_voided'")"
expect_eq "approver is the supervisor" 3 "$(sql "SELECT id FROM users WHERE number = '201'")"
expect_eq "sale event" 'K01-000001|37050' \
	"$(sql "SELECT json_extract(payload, '\$.receipt'), json_extract(payload, '\$.total')
	        FROM journal WHERE type = 'sale'")"
expect_eq "sale journal_seq" "$(sql "SELECT seq FROM journal WHERE type = 'sale'")" \
	"$(sql "SELECT journal_seq FROM sales")"
check
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "journal verify failed"; }

# The receipt went to the spool file beside the store.
check
[ -s "$SPOOL" ] || fail "no receipt in $SPOOL"
for want in "K01-000001" "TOTAL" "Rp37.050"; do
	check
	grep -qF -- "$want" "$SPOOL" || fail "the receipt lacks $want"
done
check
grep -qE '^Kembalian +3\.000$' "$SPOOL" || fail "the receipt does not give Rp3.000 change"
check
grep -qE '^Debit \(appr 123456\) +20\.000$' "$SPOOL" || fail "the receipt lacks the debit tender"

# Enter: a new sale, empty; Ctrl-X logs out; Ctrl-X on the login closes.
key Enter
wait_for F10
wait_big 0
key C-x
wait_gone F10
key C-x
wait_exit
expect_eq "till exit code" 0 "$(cat "$T/till.rc")"
expect_eq "logout journaled" 1 "$(sql "SELECT count(*) FROM journal WHERE type = 'logout' AND user_id = 2")"
"$COOPMART" --db "$DB" journal verify >/dev/null || fail "journal verify failed after closing"
check

done_ok
