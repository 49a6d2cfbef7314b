#!/bin/bash
# One key map: README's key table (Cashier's guide) says what the help
# screen (F1) says, row for row, and the key bar shows the function keys
# of the same table. The help is read off the real screen at 80x24, in
# English (the language README is written in).
set -eu
. "$(dirname "$0")/lib.sh.inc"
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

# README: the rows of the first "| key | what it does |" table, as
# "KEY|TEXT" (backticks dropped).
awk '
/^\| key \| what it does \|$/ && !done { t = 1; next }
t && /^\|---/ { next }
t && /^\| / {
	line = $0
	gsub(/`/, "", line)
	sub(/^\| /, "", line); sub(/ \|$/, "", line)
	i = index(line, " | ")
	print substr(line, 1, i - 1) "|" substr(line, i + 3)
	next
}
t { t = 0; done = 1 }
' "$SRCDIR/README.md" >"$T/readme.txt"
check
[ "$(wc -l <"$T/readme.txt")" -ge 10 ] || fail "README's key table was not found"

new_demo_db
till_start
login 101 111111
wait_for F10
key F1
wait_for "Keys (any key closes)"
wait_for "log out"
# The help box: "│ KEY (16 columns) TEXT │" per row.
screen | sed -n 's/^.*│ \(.\{16\}\) \(.*[^ ]\) *│.*$/\1|\2/p' |
	sed 's/ *|/|/' >"$T/help.txt"
check
diff -u "$T/readme.txt" "$T/help.txt" >&2 ||
	fail "README's key table and the help screen differ (fix one, or both)"

# The key bar: the keys of the table with a place on it, F1 to F10 and
# Ctrl-P (online orders) at 80 columns, packed to fit (the labels' colour
# shows where each ends); Ctrl-P there opens the online orders.
key Escape
wait_gone "Keys (any key closes)"
expect_eq "key bar" "F1HelpF2FindF3QtyF4DiscF5PriceF6HoldF7ResumeF8VoidF9CancelF10PayCtrl-POnline" \
	"$(screen | tail -n 1)"
key C-p
wait_for "Online orders"
key Escape
wait_gone "Online orders"
done_ok
