#!/bin/bash
# Golden screens: the till at 80x24, clock frozen, English, demo store,
# compared character for character with tests/e2e/golden/NAME.txt.
#
# After a deliberate change to a screen, regenerate and review the diff:
#   GOLDEN_UPDATE=1 ctest --test-dir BUILD -R e2e.golden
#   git diff tests/e2e/golden
set -eu
. "$(dirname "$0")/lib.sh.inc"
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
GOLDEN="$SRCDIR/tests/e2e/golden"
UPDATED=0

# golden NAME: the screen must equal golden/NAME.txt. The screen is read
# again for a while when it differs (the till may still be drawing).
golden() {
	local want="$GOLDEN/$1.txt" got="$T/$1.txt" i=0
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		# Two equal reads in a row: the drawing is finished.
		screen >"$got"
		while sleep 0.3; screen >"$got.2"; ! cmp -s "$got" "$got.2"; do
			mv "$got.2" "$got"
			i=$((i + 1))
			[ $i -lt 30 ] || fail "the screen never settled for $1"
		done
		mkdir -p "$GOLDEN"
		cp "$got" "$want"
		UPDATED=$((UPDATED + 1))
		echo "updated $want"
		return 0
	fi
	check
	[ -f "$want" ] || fail "no golden screen $want (GOLDEN_UPDATE=1 makes it)"
	while :; do
		screen >"$got"
		cmp -s "$want" "$got" && return 0
		i=$((i + 1))
		[ $i -lt $((E2E_WAIT * 10)) ] || break
		sleep 0.1
	done
	diff -u "$want" "$got" >&2 || true
	fail "the screen differs from $want (GOLDEN_UPDATE=1 regenerates it)"
}

new_demo_db
till_start

# 1. The login screen, nothing typed.
wait_for "Cashier login"
golden login

# 2. The sale screen with three lines.
login 101 111111
wait_for F10
scan 8991085004811
scan "$(scale_label 105 750)"
key F2
wait_for "Name: _"
type_in "ind gor"
wait_for "D00163"
key Enter
wait_for "Indomie Goreng 1 bks"
wait_big 48.550
golden sale

# 3. The help overlay over it.
key F1
wait_for "Keys (any key closes)"
golden help
key Escape
wait_gone "Keys (any key closes)"

# 4. The payment screen, after a debit payment of Rp20.000.
key F10
wait_for "TOTAL TO PAY"
type_in 20000
key F6
wait_for "Approval code:"
type_in 123456
key Enter
wait_for "Debit 123456"
golden payment

# 5. The receipt, cash Rp50.000 given.
type_in 50000
key Enter
wait_for "Sale K01-000001 saved."
wait_big 21.500
golden receipt

if [ $UPDATED -gt 0 ]; then
	echo "$UPDATED golden screens written; review them with git diff $GOLDEN"
	check
fi
done_ok
