#!/bin/bash
# A member in arrears at the counter: the card scanned shows the member
# panel (months and rupiah owed, inactive for dues), three months of
# simpanan wajib go on the ticket with an item, the whole is paid in cash;
# the receipt prints the dues as savings with the months they pay, the
# store holds one row per month journaled with the sale, journal verify
# agrees, and the day report and the Z report show the dues in their own
# block. Unhappy paths first: dues without a member, letters for months.
set -eu
. "$(dirname "$0")/lib.sh.inc"

# 86500 -> 86.500
dots() {
	echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/.&/;ta'
}

new_demo_db
till_start
login 101 111111
wait_for F10

# No member yet: F11 asks for one; there is nothing to pay dues for.
key F11
wait_for "Member no. or card:"
key Escape
wait_gone "Member no. or card:"

# The demo's Budi (card M000001) joined in January 2024 and paid through
# September 2025; the clock says January 2026: four months of Rp25.000.
scan M000001
wait_for "Member A-0001"
expect_screen "Budi Santoso (biasa)"
expect_screen_re "Wajib paid through: +2025-09"
expect_screen_re "Arrears: +4 months, Rp100.000 \(since 2025-10\)"
expect_screen "INACTIVE FOR DUES (3 months or more owed)"
expect_screen_re "Sukarela balance: +Rp150.000"
expect_screen_re "On this ticket: +-"

# Letters for the months are refused with a message, and so is 0;
# nothing is added.
key F2
wait_for "Months of wajib (Enter: 4):"
type_in "t"
wait_for "Only digits here."
type_in 0
key Enter
wait_for "Type the number of months, 1 to 120"
expect_eq "no dues on a refused prompt" 0 "$(sql "SELECT count(*) FROM open_ticket_dues")"
# The prompt kept what was typed: clear it and pay three months.
key BSpace
type_in 3
key Enter
wait_for "3 months of simpanan wajib added to the ticket."
wait_for_re "On this ticket: +wajib 3 mo Rp75.000"
wait_for_re "After this ticket: +1 month, Rp25.000 still owed"
expect_screen_re "Arrears: +4 months, Rp100.000"
wait_sql "SELECT group_concat(month || ':' || amount, ' ') FROM open_ticket_dues" \
	"202510:25000 202511:25000 202512:25000"

# With the panel open, a wedge scanner's code rings the item up on the
# same ticket and closes the panel (its digits are never commands).
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_gone "Wajib paid through"
expect_screen "Dues Rp75.000"
GOODS=$(sql "SELECT sum(unit_price) FROM open_ticket_lines")
wait_big "$(dots $((75000 + GOODS)))"

# Pay in cash: 100.000.
key F10
wait_for "TOTAL TO PAY"
type_in 100000
key Enter
wait_sql "SELECT count(*) FROM sales" 1
wait_sql "SELECT dues || '|' || total || '|' || due || '|' || paid FROM sales" \
	"75000|$GOODS|$((75000 + GOODS))|100000"
expect_eq "dues rows of the sale" "202510:25000 202511:25000 202512:25000" \
	"$(sql "SELECT group_concat(month || ':' || amount, ' ') FROM sale_dues")"
expect_eq "dues journaled with the sale" "3|75000" \
	"$(sql "SELECT json_array_length(payload, '\$.dues') || '|' || json_extract(payload, '\$.dues_total') FROM journal WHERE type = 'sale'")"
expect_eq "goods total is sales only" "$GOODS" "$(sql "SELECT total FROM sales")"

# The receipt: the dues in their own block, months as a run.
for _ in $(seq 50); do grep -qF "SIMPANAN ANGGOTA" "$SPOOL" 2>/dev/null && break; sleep 0.1; done
grep -qF "SIMPANAN ANGGOTA (bukan belanja)" "$SPOOL" || fail "no dues block on the receipt"
grep -qF "2025-10 s/d 2025-12 (3 bln)" "$SPOOL" || fail "the months are not on the receipt"
grep -qE "^Total simpanan +75\.000$" "$SPOOL" || fail "no dues total on the receipt"
grep -qE "^TOTAL +Rp$(dots $((75000 + GOODS)))$" "$SPOOL" || fail "the receipt's TOTAL is not goods + dues"
check

# Journal verify agrees with the store.
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 || { cat "$T/verify.out"; fail "journal verify"; }
check

# The panel again: the three months are paid here, one is left.
key Enter 2>/dev/null || true
scan M000001
wait_for "Member A-0001"
wait_for_re "Arrears: +1 month, Rp25.000"
wait_for_re "Wajib paid through: +2025-12"
key Escape
wait_gone "Wajib paid through"

# The X report: the dues in a block of their own, not in the sales.
key C-o
wait_for "Manager menu"
key 5
# A cashier's X report needs a supervisor.
wait_for "Supervisor no.:"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_for "LAPORAN X"
for _ in $(seq 12); do key Down; done
wait_for_re "Simpanan wajib \(3 bln\) +75\.000"
expect_screen_re "TOTAL SIMPANAN +75\.000"
expect_screen "Simpanan anggota: 1 anggota"
key Escape
wait_for "X report printed; nothing was reset."
key Escape
wait_for F10

# The day report's dues block.
TZ=Asia/Jakarta COOPMART_LANG=en "$COOPMART" --db "$DB" report day --date 2026-01-02 >"$T/day.txt"
grep -qE "simpanan wajib \(months\) +3 +Rp75.000" "$T/day.txt" || { cat "$T/day.txt"; fail "day report"; }
check

done_ok
