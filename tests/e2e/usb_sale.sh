#!/bin/bash
# A sale from end to end on USB devices: the real till with an emulated
# USB scanner AND an emulated USB receipt printer (umockdev and
# tests/drivers/usbfake_preload.c) in the same process. Two scans ring up
# two items; a cash sale with change is saved and its receipt printed; the
# printer gets exactly the bytes the till's own renderer makes for the
# committed sale (coopmart sale show --escpos), with the structure checked
# on its own too: ESC @, the receipt number as CODE128, a partial cut, the
# total, ASCII only; the drawer kick comes at the sale, before the receipt
# and apart from it. A drawer left open (its switch read through DLE EOT 1)
# holds the next sale until it is closed, and the journal says so. Out of
# paper, the next receipt waits while its sale is saved (the drawer cannot
# open, and the cashier is told); paper back, it prints once, with no kick.
set -eu
. "$(dirname "$0")/lib.sh.inc"
. "$(dirname "$0")/usbemu.sh.inc"
command -v python3 >/dev/null || fail "python3 is not installed"
# The machine may be loaded (and the till built with sanitizers): the
# waits poll, with room to spare.
E2E_WAIT=30
OUT="$U/printer.out"

# out_size: bytes the printer has received so far.
out_size() {
	stat -c %s "$OUT" 2>/dev/null || echo 0
}

# slice FROM FILE: what the printer got from byte FROM on, without the
# status questions (DLE EOT n, 10 04 01..04) the print worker asks before
# and after a job. What came before the receipt's ESC @ (a drawer kick at
# the sale) goes, without its status questions, to FILE.pre.
slice() {
	python3 - "$OUT" "$1" "$2" <<'PY' || fail "could not read $OUT"
import sys
data = open(sys.argv[1], "rb").read()[int(sys.argv[2]):]
def is_ask(b):
    return len(b) == 3 and b[0] == 0x10 and b[1] == 0x04 and 1 <= b[2] <= 4
while is_ask(data[:3]):
    data = data[3:]
while is_ask(data[-3:]):
    data = data[:-3]
start = data.find(b"\x1b\x40")
pre, data = (data[:start], data[start:]) if start > 0 else (b"", data)
kept = b""
while pre:
    if is_ask(pre[:3]):
        pre = pre[3:]
    else:
        kept, pre = kept + pre[:1], pre[1:]
open(sys.argv[3], "wb").write(data)
open(sys.argv[3] + ".pre", "wb").write(kept)
PY
}

# structure FILE RECEIPT_NO TOTAL: the receipt's bytes read on their own,
# not through the renderer.
structure() {
	python3 - "$1" "$2" "$3" <<'PY' || fail "the receipt in $1 is not shaped as it should be"
import sys
data = open(sys.argv[1], "rb").read()
no, total = sys.argv[2].encode(), sys.argv[3].encode()
def need(ok, what):
    if not ok:
        print("receipt: " + what, file=sys.stderr)
        sys.exit(1)
need(data[:2] == b"\x1b\x40", "does not start with ESC @")
need(all(b < 0x80 for b in data), "has bytes >= 0x80")
bc = data.find(b"\x1d\x6b\x49")
need(bc >= 0, "no CODE128 barcode (GS k 73)")
n = data[bc + 3]
need(data[bc + 4:bc + 4 + n].endswith(no), "the barcode is not the receipt number")
cut = data.find(b"\x1d\x56", bc)
need(cut > bc and data[cut + 2] in (1, 49, 66), "no partial cut after the barcode")
need(data.find(b"\x1b\x70") < 0, "a drawer kick in the receipt (it opens at the sale)")
need(no in data[:bc], "the receipt number is not printed")
need(b"TOTAL" in data and total in data, "no total " + sys.argv[3])
PY
	check
}

new_demo_db
for s in scanner=usb:0c2e:0b61 printer=usb:04b8:0202 printer_profile=80 drawer=printer; do
	printf '999999\n' | "$COOPMART" --db "$DB" --user 1 setting set "${s%%=*}" "${s#*=}" \
		>/dev/null || fail "could not set $s"
done
expect_eq "settings" $'drawer|printer\nprinter|usb:04b8:0202\nprinter_profile|80\nscanner|usb:0c2e:0b61' \
	"$(sql "SELECT key, value FROM settings WHERE key IN ('scanner', 'printer', 'printer_profile', 'drawer') ORDER BY key")"
check
"$COOPMART" sale --help | grep -q -- "--escpos" || fail "sale --help does not explain --escpos"

till_start -x 120 LD_PRELOAD="libumockdev-preload.so.0:$USBFAKE_PRELOAD" USBFAKE_DIR="$U"
for _ in $(seq 300); do [ -e "$U/ready" ] && break; sleep 0.1; done
[ -e "$U/ready" ] || fail "the emulated devices never came up"

login 101 111111
wait_for F10
wait_for "Scanner: ready"
wait_for "Printer: ready"

# Two scans through the emulated scanner: the milk (Rp11.500), then
# Indomie Goreng 1 bks (Rp3.300).
ctl scan 8991085004811
wait_for "Susu Greenfields UHT Coklat sedang"
wait_big 11.500
ctl scan 8991030001629
wait_for "Indomie Goreng 1 bks"
wait_big 14.800
wait_sql "SELECT line_no || ':' || sku || ':' || qty FROM open_ticket_lines WHERE voided = 0 ORDER BY line_no" \
	$'1:D00482:1000\n2:D00163:1000'

# Cash with change: Rp20.000 for Rp14.800.
BEFORE=$(out_size)
key F10
wait_for "Cash received:"
type_in 20000
key Enter
wait_for "Sale K01-000001 saved."
wait_big 5.200
expect_eq "the sale" "K01-000001|14800|14800|20000|5200" \
	"$(sql "SELECT receipt_no, total, due, paid, change FROM sales")"
expect_eq "sale lines" $'1|D00482|1000|11500\n2|D00163|1000|3300' \
	"$(sql "SELECT line_no, sku, qty, net FROM sale_lines ORDER BY line_no")"
expect_eq "open tickets left" 0 "$(sql "SELECT count(*) FROM open_tickets")"
expect_eq "the receipt job (no kick queued)" "1|0" \
	"$(sql "SELECT count(*), kick FROM print_jobs WHERE kind = 'receipt' AND sale_id = (SELECT id FROM sales)")"

# The receipt prints: nothing waits, the printer got it.
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
key Enter
wait_for F10
wait_for "Printer: ready"
expect_no_screen "receipt waiting"
check
[ "$(out_size)" -gt "$BEFORE" ] || fail "the printer got nothing"

# Exactly the till's own rendering of the committed sale.
COOPMART_LANG=$TILL_LANG "$COOPMART" --db "$DB" sale show K01-000001 --escpos >"$T/want1.bin" ||
	fail "sale show --escpos failed"
slice "$BEFORE" "$T/got1.bin"
check
cmp "$T/want1.bin" "$T/got1.bin" || fail "the printer did not get the receipt's bytes"
structure "$T/got1.bin" K01-000001 14.800
expect_eq "the drawer kick at the cash sale, before the receipt" "1b 70 00 32 32" \
	"$(od -An -tx1 "$T/got1.bin.pre" | xargs)"
for want in "Susu Greenfields UHT Coklat" "Indomie Goreng 1 bks" "Kembalian"; do
	check
	grep -qaF -- "$want" "$T/got1.bin" || fail "the printed receipt lacks $want"
done

# The drawer left open (its switch, DLE EOT 1 bit 2): the next sale waits
# until it is closed, and the journal has it once; closed, the scan rings
# up the second sale's Indomie.
echo draweropen >"$U/printer.state"
sleep 2.5   # the worker asks the printer every second while a drawer hangs on it
ctl scan 8991030001629
wait_for "cash drawer is open"
wait_sql "SELECT count(*) FROM journal WHERE type = 'drawer_left_open'" 1
expect_eq "no ticket while the drawer is open" 0 "$(sql "SELECT count(*) FROM open_ticket_lines")"
echo online >"$U/printer.state"
sleep 3     # a second or two for the worker to read the switch closed
ctl scan 8991030001629
wait_big 3.300
expect_eq "drawer_left_open journaled once" 1 \
	"$(sql "SELECT count(*) FROM journal WHERE type = 'drawer_left_open'")"

# Out of paper: the status bar says so.
echo paperout >"$U/printer.state"
wait_for "Printer: paper out"
AT_PAPEROUT=$(out_size)

# The second sale (the Indomie rung up above, paid exactly in cash):
# saved, its receipt waits.
key F10
wait_for "Cash received:"
key Enter
wait_for "cash drawer could not be opened"
wait_sql "SELECT count(*) FROM sales" 2
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL AND sale_id = (SELECT id FROM sales WHERE receipt_no = 'K01-000002')" 1
key Enter
wait_for F10
wait_for "Printer: paper out, 1 receipt waiting"
wait_sql "SELECT last_error FROM print_jobs WHERE printed_at IS NULL" "paper out"
slice "$AT_PAPEROUT" "$T/none.bin"
expect_eq "bytes printed while out of paper" 0 "$(stat -c %s "$T/none.bin")"

# Paper back: it prints, once.
echo online >"$U/printer.state"
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
wait_for "Printer: ready"
expect_no_screen "receipt waiting"
COOPMART_LANG=$TILL_LANG "$COOPMART" --db "$DB" sale show K01-000002 --escpos >"$T/want2.bin" ||
	fail "sale show --escpos failed"
slice "$AT_PAPEROUT" "$T/got2.bin"
check
cmp "$T/want2.bin" "$T/got2.bin" || fail "the printer did not get the second receipt's bytes (once)"
expect_eq "no drawer kick when the paper came back" 0 "$(stat -c %s "$T/got2.bin.pre")"
structure "$T/got2.bin" K01-000002 3.300
expect_eq "print jobs" "2|2" "$(sql "SELECT count(*), sum(printed_at IS NOT NULL) FROM print_jobs")"
check
cmp -s "$T/want1.bin" "$T/want2.bin" && fail "both receipts rendered alike"

# Unplugged while the till runs: the status bar says so, a sale made
# meanwhile is saved and its receipt waits; plugged back (a new USB
# address): the printer is opened again and the receipt prints, once.
ctl unplug printer
wait_for "Printer: offline"
ctl scan 8991030001629
wait_big 3.300
key F10
wait_for "Cash received:"
key Enter
wait_for "cash drawer could not be opened"
wait_sql "SELECT count(*) FROM sales" 3
key Enter
wait_for F10
wait_for "Printer: offline, 1 receipt waiting"
AT_REPLUG=$(out_size)
ctl plug printer
wait_sql "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL" 0
wait_for "Printer: ready"
COOPMART_LANG=$TILL_LANG "$COOPMART" --db "$DB" sale show K01-000003 --escpos >"$T/want3.bin" ||
	fail "sale show --escpos failed"
slice "$AT_REPLUG" "$T/got3.bin"
check
cmp "$T/want3.bin" "$T/got3.bin" || fail "the replugged printer did not get the third receipt (once)"
expect_eq "no drawer kick when the printer came back" 0 "$(stat -c %s "$T/got3.bin.pre")"

key C-x
wait_gone F10
key C-x
wait_exit
expect_eq "till exit code" 0 "$(cat "$T/till.rc")"
check
"$COOPMART" --db "$DB" journal verify >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "journal verify failed"; }

# sale show --escpos: an unknown receipt is an error (exit 2) with nothing
# on the standard output; it does not go with --columns (exit 1).
rc=0
"$COOPMART" --db "$DB" sale show K01-999999 --escpos >"$T/none.out" 2>"$T/none.err" || rc=$?
expect_eq "sale show --escpos of an unknown receipt" "2|0" "$rc|$(stat -c %s "$T/none.out")"
check
[ -s "$T/none.err" ] || fail "no message for an unknown receipt"
rc=0
"$COOPMART" --db "$DB" sale show K01-000001 --escpos --columns 42 >/dev/null 2>&1 || rc=$?
expect_eq "sale show --escpos --columns" 1 "$rc"

done_ok
