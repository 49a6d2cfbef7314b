#!/bin/bash
# The terminal changes size under the till (a window resized, a console
# switched): every screen is drawn again for the new size, with the header
# on the first row, the key bar on the last and the total in big digits.
set -eu
. "$(dirname "$0")/lib.sh.inc"

# resize COLS ROWS: resizes the window and waits until tmux has it.
resize() {
	tm resize-window -t "$E2E_SESSION" -x "$1" -y "$2" || fail "resize-window $1x$2"
	local i=0
	while [ "$(tm display-message -p -t "$E2E_SESSION" '#{window_width}x#{window_height}')" != "$1x$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the window did not become $1x$2"
		sleep 0.1
	done
}

# row N: line N (1-based) of the screen, trailing blanks trimmed.
row() {
	screen | sed -n "${1}p"
}

# wait_row N REGEX: polls until row N matches REGEX. After a resize the
# last row shows the key bar only once the till has drawn the new size.
wait_row() {
	local i=0
	while ! row "$1" | grep -qE -- "$2"; do
		i=$((i + 1))
		[ $i -lt $((E2E_WAIT * 10)) ] || fail "row $1 never matched: $2"
		sleep 0.1
	done
}

# sale_screen_ok COLS ROWS: the sale screen fits COLS x ROWS.
sale_screen_ok() {
	local cols=$1 rows=$2
	expect_eq "screen height" "$rows" "$(screen | wc -l)"
	# Header: store at the left, the clock at the right edge.
	check
	row 1 | grep -qE "^ KOPERASI DEMO SEJAHTERA \| K01 .*Fri 02/01/2026 09:30 *$" ||
		fail "header at ${cols}x$rows: $(row 1)"
	check
	[ "$(row 1 | grep -o 'Fri 02/01/2026 09:30 *$' | wc -c)" -le 23 ] ||
		fail "the clock is not at the right edge at ${cols}x$rows"
	# The column titles under it, the three lines under them.
	expect_eq "column titles" 1 "$(row 2 | grep -cE '^ +No Item +Qty +Price +Amount$')"
	expect_eq "line 1" 1 "$(row 3 | grep -cE '^ +1 Susu Greenfields UHT Coklat sedang +1 +Rp11\.500 +Rp11\.500$')"
	expect_eq "line 2" 1 "$(row 4 | grep -cE '^ +2 Ikan Kembung +0,75 kg +Rp45\.000 +Rp33\.750$')"
	expect_eq "line 3" 1 "$(row 5 | grep -cE '^ +3 Indomie Goreng 1 bks +1 +Rp3\.300 +Rp3\.300$')"
	# Status bar, total block, input line, key bar at the bottom.
	expect_eq "status bar" 1 "$(row $((rows - 8)) | grep -c '^ Member: -')"
	expect_eq "TOTAL" 1 "$(row $((rows - 7)) | grep -c '^ TOTAL ')"
	expect_eq "Lines" 1 "$(row $((rows - 6)) | grep -c '^ Lines: 3 ')"
	expect_eq "input line" " Code: _" "$(row $((rows - 1)))"
	expect_eq "key bar" 1 "$(row "$rows" | grep -c '^F1Help \?F2Find \?F3Qty \?.*F10Pay')"
	expect_eq "big total" 48.550 "$(big_number)"
	# Nothing wider than the screen.
	check
	[ "$(screen | wc -L)" -le "$cols" ] ||
		fail "a row is wider than $cols columns"
}

new_demo_db
till_start
login 101 111111
wait_for F10
scan 8991085004811
scan "$(scale_label 105 750)"
scan 8991030001629
wait_for "Indomie Goreng 1 bks"
wait_big 48.550
sale_screen_ok 80 24
expect_no_screen F11

resize 120 40
# At 120 columns the whole key bar fits, with spaces.
wait_row 40 'F10Pay Ctrl-POnline F11Member F12Reprint$'
sale_screen_ok 120 40

resize 80 24
wait_row 24 'F10PayCtrl-POnline$'
expect_no_screen F11
sale_screen_ok 80 24

# Smaller than a till's screen: still drawn, total still readable.
resize 60 20
wait_row 20 '^F1HelpF2Find'
expect_no_screen F10
wait_big 48.550
expect_screen "KOPERASI DEMO SEJAHTERA"

# Below 60x20 the till says so instead of drawing its parts over each
# other, and draws everything again when the window grows.
resize 50 15
wait_for "The window is too small (50x15); the till needs at"
expect_no_screen "KOPERASI DEMO SEJAHTERA"

resize 80 24
wait_row 24 'F10PayCtrl-POnline$'
sale_screen_ok 80 24

# The payment screen and a dialog over it follow the size too.
key F10
wait_for "TOTAL TO PAY"
wait_big 48.550
resize 120 40
wait_row 40 '^F1Exact .*F8Del pay F9Credit EscBack$'
expect_eq "pay header" 1 "$(row 1 | grep -c 'Fri 02/01/2026 09:30 *$')"
expect_eq "cash input" 1 "$(row 37 | grep -cE '^ +Cash received: _$')"
wait_big 48.550
key F6
wait_for "Approval code:"
resize 80 24
wait_row 24 '^F1Exact '
expect_eq "cash input" 1 "$(row 21 | grep -cE '^ +Cash received: _$')"
expect_screen "Approval code:"
key Escape
wait_gone "Approval code:"
key Escape
wait_row 24 'F10PayCtrl-POnline$'
sale_screen_ok 80 24

# The help overlay at both sizes.
key F1
wait_for "Keys (any key closes)"
resize 120 40
wait_row 40 'F11Member F12Reprint$'
expect_screen "Keys (any key closes)"
expect_screen "find an item by name"
key Escape
wait_gone "Keys (any key closes)"
sale_screen_ok 120 40

expect_eq "still running" 1 "$(till_pid | wc -l)"
done_ok
