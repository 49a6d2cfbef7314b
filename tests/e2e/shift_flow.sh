#!/bin/bash
# A full shift at the till: no sale before the float; the float typed after
# login; two sales (one cash with change); a cash out approved by a
# supervisor; the blind close by denomination (the cashier never sees what
# the drawer should hold); the supervisor sees expected vs counted and
# confirms; the Z report on screen. Rows, journal events and the journal
# chain are checked.
set -eu
. "$(dirname "$0")/lib.sh.inc"

new_demo_db
till_start
expect_eq "no shift in the demo store" 0 "$(sql "SELECT count(*) FROM shifts")"

# --- 1. Login: the till asks for the float. Esc: no sale is possible.
login 101 111111 -
wait_for "Float in the drawer:"
expect_screen "No shift is open: count the float into the drawer and type it"
key Escape
wait_gone "Float in the drawer:"
scan 8991030001629
wait_for "no shift is open on this terminal: open a shift with its float first"
expect_eq "no ticket without a shift" 0 "$(sql "SELECT count(*) FROM open_tickets")"

# The manager menu (Ctrl-O) opens the shift: 500.000 in the drawer.
key C-o
wait_for "Manager menu"
expect_screen "1. Open shift (float)"
expect_screen_re '3\. Cash out +\(supervisor approval\)'
expect_screen_re '6\. Z report \(end of day\) +\(not allowed\)'
expect_screen "No shift is open on this terminal."
key 1
wait_for "Float in the drawer:"
type_in 500.000
key Enter
wait_for "Shift 1 opened with a float of Rp500.000."
expect_screen_re "Shift 1 open since .*, float Rp500\.000"
wait_sql "SELECT float || '|' || (closed_at IS NULL) FROM shifts WHERE id = 1" "500000|1"
key Escape
wait_for F10

# --- 2. Two sales: Indomie Goreng 1 bks (Rp3.300) paid with 10.000, change
# 6.700; then another paid exactly (Enter alone on the payment screen).
scan 8991030001629
wait_big 3.300
key F10
wait_for "Cash received:"
type_in 10000
key Enter
wait_for "Sale K01-000001 saved."
wait_big 6.700
key Enter
wait_for F10
scan 8991030001629
wait_big 3.300
key F10
wait_for "Cash received:"
key Enter
wait_for "Sale K01-000002 saved."
key Enter
wait_for F10

# --- 3. Cash out Rp100.000 with a reason: the cashier needs a supervisor.
key C-o
wait_for "Manager menu"
key 3
wait_for "Amount:"
type_in 100000
key Enter
wait_for "Note"
type_in "setor ke brankas"
key Enter
wait_for "Supervisor approval"
expect_screen "take cash out of the drawer"
expect_screen "Rp100.000"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_for "Cash out Rp100.000 recorded."
wait_sql "SELECT dir || '|' || amount || '|' || reason || '|' || approved_by FROM cash_moves" \
	"-1|100000|setor ke brankas|$(sql "SELECT id FROM users WHERE number = '201'")"

# An X report mid-shift: a supervisor approves; nothing is reset.
key 5
wait_for "Supervisor approval"
expect_screen "X report (shows the drawer's cash)"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_for "LAPORAN X (SEMENTARA)"
expect_screen "X report printed; nothing was reset."
expect_screen_re "Transaksi penjualan: 2"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do key Down; done
wait_for_re "Tunai seharusnya +406\.600"
expect_eq "x_report event" "2|406600" \
	"$(sql "SELECT json_extract(payload, '\$.sales') || '|' || json_extract(payload, '\$.drawer_expected')
	        FROM journal WHERE type = 'x_report'")"
key Escape
wait_for "Manager menu"

# --- 4. The blind close. The drawer should hold 500.000 + 3.300 + 3.300
# - 100.000 = 406.600; the cashier counts 406.500 (Rp100 short):
# 4 x 100.000, 1 x 5.000, 1 x 1.000, 1 x 500.
key 4
wait_for "Close shift: blind count"
expect_screen "Count the notes and coins in the drawer"
type_in 4
key Enter        # 50.000
key Enter        # 20.000
key Enter        # 10.000
key Enter        # 5.000
type_in 1
key Enter        # 2.000
key Enter        # 1.000
type_in 1
key Enter        # 500
type_in 1
key Enter        # 200
key Enter        # 100
wait_for_re "Counted +Rp406\.500"
expect_screen_re "Rp100\.000  x +4  = +Rp400\.000"
expect_screen_re "Rp500  x +1  = +Rp500"
# Nothing on the cashier's screen tells what the drawer should hold.
expect_no_screen "406.600"
expect_no_screen "Expected"
expect_no_screen "Difference"
key F10
wait_for "Supervisor approval"
expect_screen "check the count and close the shift"
expect_screen "Shift 1, counted blind: Rp406.500"
expect_no_screen "406.600"
type_in 201
key Enter
type_in 222222
key Enter
key Enter
# The supervisor sees expected vs counted and the difference.
wait_for "Shift 1: expected and counted"
expect_screen_re "Expected in the drawer +Rp406\.600"
expect_screen_re "Counted +Rp406\.500"
expect_screen_re "Difference \(short\) +-Rp100"
expect_screen "Approved by 201 Pak Darto"
expect_eq "still open before the confirmation" 1 "$(sql "SELECT count(*) FROM shifts WHERE closed_at IS NULL")"
key Enter
wait_for "Shift 1 closed: counted Rp406.500, expected Rp406.600, difference -Rp100."
expect_eq "closed shift" "406600|406500|$(sql "SELECT id FROM users WHERE number = '201'")" \
	"$(sql "SELECT expected || '|' || counted || '|' || approved_by FROM shifts WHERE id = 1")"
expect_eq "pieces counted" "100:0,200:0,500:1,1000:1,2000:0,5000:1,10000:0,20000:0,50000:0,100000:4" \
	"$(sql "SELECT group_concat(denom || ':' || pieces, ',') FROM
	        (SELECT denom, pieces FROM shift_counts WHERE shift_id = 1 ORDER BY denom)")"
expect_eq "shift_closed event" "406600|406500|-100|201" \
	"$(sql "SELECT json_extract(payload, '\$.expected') || '|' || json_extract(payload, '\$.counted')
	        || '|' || json_extract(payload, '\$.difference') || '|' || json_extract(payload, '\$.approver')
	        FROM journal WHERE type = 'shift_closed'")"

# A cashier may not take the Z report.
key 6
wait_for "Z report (end of day): not allowed for the role cashier."
expect_eq "no Z by a cashier" 0 "$(sql "SELECT count(*) FROM z_reports")"
key Escape
wait_for F10
key C-x
wait_for "Cashier login"

# --- 5. The supervisor takes the Z report (no shift to open for that).
login 201 222222 -
wait_for "Float in the drawer:"
key Escape
key C-o
wait_for "Manager menu"
key 6
wait_for "Z report: end of the business day?"
expect_screen "start again from zero."
key Escape
wait_for "Nothing changed."
expect_eq "no Z on Esc" 0 "$(events z_report)"
key 6
wait_for "Z report: end of the business day?"
key Enter
wait_for "LAPORAN Z No. 1"
expect_screen "Z report 1 printed and journaled; the day's totals start again."
expect_screen_re "Transaksi penjualan: 2"
expect_screen_re "PENJUALAN BERSIH +6\.600"
# Scroll to the end: the grand total.
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do key Down; done
wait_for_re "GRAND TOTAL +6\.600"
expect_screen_re "Selisih +-100"
expect_eq "z row" "1|2|6600|6600" \
	"$(sql "SELECT z_no || '|' || sales || '|' || net_sales || '|' || grand_total FROM z_reports")"
grep -qF "LAPORAN Z No. 1" "$SPOOL" || fail "the Z report did not reach the printer spool"
check
key Enter
wait_for "Manager menu"

expect_eq "events" "1|1|2|1|1|1" "$(sql "SELECT
	(SELECT count(*) FROM journal WHERE type = 'x_report'),
	(SELECT count(*) FROM journal WHERE type = 'shift_opened'),
	(SELECT count(*) FROM journal WHERE type = 'sale'),
	(SELECT count(*) FROM journal WHERE type = 'cash_out'),
	(SELECT count(*) FROM journal WHERE type = 'shift_closed'),
	(SELECT count(*) FROM journal WHERE type = 'z_report')")"
expect_eq "z_report event" "1|2|6600|6600" \
	"$(sql "SELECT json_extract(payload, '\$.z') || '|' || json_extract(payload, '\$.sales') || '|'
	        || json_extract(payload, '\$.net_sales') || '|' || json_extract(payload, '\$.grand_total')
	        FROM journal WHERE type = 'z_report'")"
"$COOPMART" --db "$DB" journal verify >/dev/null || fail "journal verify failed"
check

done_ok
