#!/bin/bash
# Member credit (potong gaji) at the counter, as a cashier rings it up:
# a sale within the limit paid on credit (the pay screen says what is
# left; a second copy for the member to sign is printed), a sale over the
# limit refused with the three figures, then approved by a supervisor up
# to the store's cap (journaled with both names), and a split: part on
# credit, the rest in cash.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
login 101 111111
wait_for F10

# --- Sri (M000002): limit Rp2.000.000, owes Rp450.000.
scan M000002
wait_for "Member A-0002"
key Escape
wait_gone "Sukarela balance"
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
key F10
wait_for "TOTAL TO PAY"
wait_for "Member credit (F9): Rp1.550.000 left of Rp2.000.000"
key F9
wait_sql "SELECT count(*) FROM sales" 1
expect_eq "paid on credit" "3|11500" "$(sql "SELECT kind || '|' || amount FROM sale_tenders")"
expect_eq "the credit journaled" "2000000|450000" \
	"$(sql "SELECT json_extract(payload, '\$.credit.limit') || '|' || json_extract(payload, '\$.credit.outstanding') FROM journal WHERE type = 'sale'")"
for _ in $(seq 50); do grep -qF "SALINAN KOPERASI: KREDIT" "$SPOOL" 2>/dev/null && break; sleep 0.1; done
grep -qF "SALINAN KOPERASI: KREDIT" "$SPOOL" || fail "no copy for the member to sign"
grep -qF "Tanda tangan anggota:" "$SPOOL" || fail "no signature line"
expect_eq "two receipts: the customer's and the member's copy" 2 "$(grep -c '^No. struk: K01-000001' "$SPOOL")"
check
key Enter 2>/dev/null || true
wait_for F10

# --- Budi (M000001): limit Rp1.000.000, owes Rp950.000; 3 x Rp35.000.
scan M000001
wait_for "Member A-0001"
key Escape
wait_gone "Sukarela balance"
type_in "3*"
scan 8991010000970
wait_for "Minyak Goreng Bimoli Pouch 2 L"
key F10
wait_for "Member credit (F9): Rp50.000 left of Rp1.000.000"
key F9
# The three figures, and a supervisor is asked.
wait_for "Supervisor no.:"
# (in the dialog, before the supervisor types anything)
expect_screen "limit Rp1.000.000, owed Rp950.000,"
expect_screen "this sale Rp105.000 (Rp55.000 over)"
# Esc: nothing is paid.
key Escape
wait_gone "Supervisor no.:"
expect_eq "no credit without approval" 0 "$(sql "SELECT count(*) FROM open_ticket_tenders")"
# Again, and the supervisor approves.
key F9
wait_for "Supervisor no.:"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_sql "SELECT count(*) FROM sales" 2
expect_eq "approved over the limit, journaled with the approver" "105000|3" \
	"$(sql "SELECT json_extract(payload, '\$.tenders[0].amount') || '|' || json_extract(payload, '\$.credit.approved_by') FROM journal WHERE type = 'sale' ORDER BY seq DESC LIMIT 1")"
key Enter 2>/dev/null || true
wait_for F10

# --- A split: Sri again, Rp5.000 on credit, the rest in cash.
scan M000002
wait_for "Member A-0002"
key Escape
wait_gone "Sukarela balance"
scan 8991010000970
wait_for "Minyak Goreng Bimoli Pouch 2 L"
key F10
wait_for "Member credit (F9)"
type_in 5000
key F9
wait_for_re "1\. Member credit +Rp5\.000"
key Enter
wait_sql "SELECT count(*) FROM sales" 3
expect_eq "split credit + cash" "3:5000,0:30000" \
	"$(sql "SELECT group_concat(kind || ':' || amount, ',') FROM (SELECT kind, amount FROM sale_tenders t JOIN sales s ON s.id = t.sale_id WHERE s.id = 3 ORDER BY n)")"
# Only the cash counts in the drawer.
COOPMART_LANG=en "$COOPMART" --db "$DB" report day --date 2026-01-02 >"$T/day.txt"
grep -qE "member credit +3 +Rp121\.500" "$T/day.txt" || { cat "$T/day.txt"; fail "credit in the day report"; }
check
"$COOPMART" --db "$DB" journal verify >/dev/null 2>&1 || fail "journal verify"
check
done_ok
