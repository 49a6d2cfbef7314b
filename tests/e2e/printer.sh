#!/bin/bash
# The receipt printer seen from the counter: a network printer (tcp:) that
# is off when the till starts. A cash sale completes anyway, its receipt
# waits in the queue (the status bar says so) and the cashier is told the
# drawer could not be opened; when the printer comes up the receipt prints
# once and the drawer is NOT kicked then (nobody may be at the counter); a
# cash sale with the printer up opens the drawer at once; F12 reprints;
# Ctrl-D with a supervisor's approval opens the drawer without a sale; the
# printer going away again shows as offline.
set -eu
. "$(dirname "$0")/lib.sh.inc"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GOT="$T/printer.bin"
new_demo_db
sqlite3 -batch "$DB" "INSERT OR REPLACE INTO settings(key, value) VALUES ('printer', 'tcp:127.0.0.1:$PORT')"

# A printer on PORT: records what it gets, answers DLE EOT n "ready".
printer_up() {
	python3 - "$PORT" "$GOT" <<'PY' &
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(4)
out = open(sys.argv[2], "ab")
while True:
    c, _ = srv.accept()
    tail = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        out.write(d)
        out.flush()
        seen = tail + d
        c.sendall(b"\x12" * seen.count(b"\x10\x04"))
        tail = seen[-1:]
    c.close()
PY
	PRINTER_PID=$!
}
printer_cleanup() {
	local rc=$?
	if [ -n "${PRINTER_PID:-}" ]; then kill "$PRINTER_PID" 2>/dev/null || true; fi
	(exit $rc)
	e2e_cleanup
}
trap printer_cleanup EXIT
bytes() { od -An -tx1 -v "$GOT" | tr -d '\n'; }

till_start
login 101 111111
wait_for F10
wait_for "Printer: offline"

# A cash sale while the printer is off: saved, receipt queued.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
key F10
wait_gone "Susu Greenfields"
type_in 20000
key Enter
wait_for "K01-000001"
expect_eq "sales" 1 "$(sql "SELECT count(*) FROM sales")"
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL AND kick = 0" 1
wait_for "drawer could not be opened"
key Enter
wait_for F10
wait_for "Printer: offline, 1 receipt waiting"
check
[ "$(sql "SELECT attempts > 0 AND last_error <> '' FROM print_jobs")" = 1 ] ||
	fail "the waiting receipt does not say why"

# The printer comes up: the receipt prints once; the drawer stays shut.
printer_up
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
wait_for "Printer: ready"
check
grep -qa "K01-000001" "$GOT" || fail "the printer did not get the receipt"
check
[ "$(grep -ao 'No\. struk' "$GOT" | wc -l)" = 1 ] || fail "the receipt printed more than once"
check
bytes | grep -q "1d 56 42 03" || fail "no cut after the receipt"
check
bytes | grep -q "1b 70" && fail "the drawer was kicked when the printer came back"

# With the printer up, a cash sale opens the drawer at the sale.
scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
key F10
wait_gone "Susu Greenfields"
type_in 20000
key Enter
wait_for "K01-000002"
for _ in $(seq 100); do bytes | grep -q "1b 70 00 32 32" && break; sleep 0.1; done
check
bytes | grep -q "1b 70 00 32 32" || fail "the drawer did not open at the cash sale"
expect_no_screen "drawer could not be opened"
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
key Enter
wait_for F10

# F12: the reprint is queued (journaled) and printed with its banner.
key F12
wait_for "CETAK ULANG"
wait_sql "SELECT count(*) FROM journal WHERE type = 'receipt_reprinted'" 1
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
check
grep -qa "CETAK ULANG" "$GOT" || fail "the reprint did not reach the printer"
key Escape
wait_for F10

# Ctrl-D: a cashier needs a supervisor to open the drawer without a sale.
key C-d
wait_for_re '│ +> '
type_in 201
key Enter
type_in 222222
key Enter
key Enter
wait_for "Drawer opened"
wait_sql "SELECT count(*) FROM journal WHERE type = 'no_sale' AND json_extract(payload, '\$.approver') = '201'" 1
for _ in $(seq 100); do [ "$(bytes | grep -o "1b 70 00 32 32" | wc -l)" = 2 ] && break; sleep 0.1; done
expect_eq "drawer kicks (the cash sale, Ctrl-D)" 2 "$(bytes | grep -o "1b 70 00 32 32" | wc -l)"
expect_eq "drawer jobs queued" 0 "$(sql "SELECT count(*) FROM print_jobs WHERE kind = 'drawer'")"

# The printer goes away: noticed without a restart.
kill "$PRINTER_PID"
wait "$PRINTER_PID" 2>/dev/null || true
E2E_WAIT=20 wait_for "Printer: offline"

key C-x
wait_gone F10
key C-x
wait_exit
expect_eq "till exit code" 0 "$(cat "$T/till.rc")"
done_ok
