#!/bin/bash
# The till is killed (kill -9: a crash, a power cut) in the middle of a
# ticket. Started again, the cashier's login offers the ticket back:
# Enter continues it with the same lines (and it can be paid), or F9 with
# a supervisor aborts it, journaled.
set -eu
. "$(dirname "$0")/lib.sh.inc"

# ring_three: scans three items (Rp48.550) and waits until they are saved.
ring_three() {
	scan 8991085004811                 # Susu Greenfields, Rp11.500
	scan "$(scale_label 105 750)"      # Ikan Kembung 0,75 kg, Rp33.750
	scan 8991030001629                 # Indomie Goreng 1 bks, Rp3.300
	wait_for "Indomie Goreng 1 bks"
	wait_big 48.550
	wait_sql "SELECT count(*) FROM open_ticket_lines" 3
}

# crash: kill -9 the till working on $DB and wait until it is gone.
crash() {
	local pid
	pid=$(till_pid)
	[ -n "$pid" ] || fail "no coopmart process for $DB"
	check
	[ "$(echo "$pid" | wc -l)" -eq 1 ] || fail "more than one till on $DB: $pid"
	kill -9 "$pid"
	wait_exit
	expect_eq "exit code of the killed till" 137 "$(cat "$T/till.rc")"
}

new_demo_db

# --- 1. Continue the ticket after the crash, then sell it.
till_start
login 101 111111
wait_for F10
ring_three
crash
expect_eq "ticket kept" '1|0|3' \
	"$(sql "SELECT count(*), min(state), (SELECT count(*) FROM open_ticket_lines) FROM open_tickets")"

till_start
login 101 111111
wait_for "A ticket was still open when the till stopped."
expect_screen "3 lines, total Rp48.550."
key Enter
wait_for "Ticket restored: carry on."
wait_for F10
expect_screen_re '^ +1 Susu Greenfields UHT Coklat sedang +1 +Rp11\.500 +Rp11\.500$'
expect_screen_re '^ +2 Ikan Kembung +0,75 kg +Rp45\.000 +Rp33\.750$'
expect_screen_re '^ +3 Indomie Goreng 1 bks +1 +Rp3\.300 +Rp3\.300$'
expect_screen "Lines: 3"
wait_big 48.550
# The restored ticket carries on: one more item, then paid in cash.
scan 8991030001629
wait_for_re '^ +3 Indomie Goreng 1 bks +2 +Rp3\.300 +Rp6\.600$'
wait_big 51.850
key F10
wait_gone "Indomie Goreng 1 bks"
type_in 60000
key Enter
wait_for "Sale K01-000001 saved."
wait_big 8.200
expect_eq "sale" 'K01-000001|51850|51800|60000|8200|3' \
	"$(sql "SELECT receipt_no, total, due, paid, change,
	               (SELECT count(*) FROM sale_lines WHERE sale_id = sales.id) FROM sales")"
expect_eq "the sale is the ticket opened before the crash" 1 \
	"$(sql "SELECT json_extract(payload, '\$.ticket') FROM journal WHERE type = 'sale'")"
expect_eq "open tickets" 0 "$(sql "SELECT count(*) FROM open_tickets")"
key Enter
wait_for F10

# --- 2. Abort the ticket after the crash: a supervisor approves.
ring_three
crash

till_start
login 101 111111
wait_for "3 lines, total Rp48.550."
key F9
wait_for "Supervisor approval"
expect_screen "abort the unfinished ticket"
type_in 201
key Enter
type_in 222222
key Enter
key Enter         # the first reason
wait_for "The unfinished ticket was aborted and journaled."
expect_screen "Lines: 0"
expect_screen "Scan an item or type its code and press Enter."
wait_big 0
expect_eq "open tickets" 0 "$(sql "SELECT count(*) FROM open_tickets")"
expect_eq "ticket_aborted" '1|3|48550|3|201' \
	"$(sql "SELECT count(*), json_extract(payload, '\$.lines'), json_extract(payload, '\$.total'),
	               json_extract(payload, '\$.approved_by'), json_extract(payload, '\$.approver')
	        FROM journal WHERE type = 'ticket_aborted'")"
expect_eq "sales" 1 "$(sql "SELECT count(*) FROM sales")"

# A new ticket after the abort starts clean and gets a new number.
scan 8991085004811
wait_big 11.500
wait_sql "SELECT count(*) FROM open_ticket_lines" 1
check
[ "$(sql "SELECT id FROM open_tickets")" -gt 2 ] || fail "ticket number reused"

# Put it on hold, log out and close the till the ordinary way.
key F6
wait_for_re '│ .*: +│'
key Enter
wait_for "Ticket on hold. F7 resumes it."
key C-x
wait_gone F10
key C-x
wait_exit
expect_eq "exit code" 0 "$(cat "$T/till.rc")"
"$COOPMART" --db "$DB" journal verify >/dev/null || fail "journal verify failed"
check

done_ok
