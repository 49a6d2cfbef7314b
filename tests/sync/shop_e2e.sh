# The online store end to end, with the real parts (issue 15, "Tests"):
# headless chromium logs a member in at HQ's shop and places an order for
# pickup; the sync agent pulls it into the till; the till (the real binary
# in tmux) prints the pick list on its printer (a file), marks one line
# short, finishes the picking, collects the order by its typed number and
# takes cash; the agent pushes; HQ's database and the member's page show
# the order collected with the total paid. HQ's stock comes from a
# delivery received at the till and pushed. Skips (77) only when the
# browser is absent, and never under CI.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
	! command -v tmux >/dev/null || ! "$PY" -c 'import selenium' 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "CI must have chromium, chromium-driver, python3-selenium and tmux (.ci/packages)"
	fi
	echo "SKIP: chromium, chromium-driver, python3-selenium or tmux is not installed"
	exit 77
fi

STORE=KMB-SMG
DB="$T/K01.db"
GOT="$T/printer.bin"
hq_start
new_terminal "$STORE" K01
# The test catalogue, the noodles with a member price of Rp3.400.
sed 's/^MIE-GRG,Indomie Goreng 85 g,3.500,089686010947,,/MIE-GRG,Indomie Goreng 85 g,3.500,089686010947,3.400,/' \
	"$SRCDIR/tests/data/katalog.csv" >"$T/katalog.csv"
grep -F "3.400" "$T/katalog.csv" >/dev/null || fail "the test catalogue was not made"
hq import catalogue "$T/katalog.csv"
[ "$RC" -eq 0 ] || fail "catalogue import"
printf 'number,name,card_code\nA-0001,Siti Aminah,M000001\n' >"$T/members.csv"
hq import members "$T/members.csv"
[ "$RC" -eq 0 ] || fail "members import"
printf '%s\n' 480516 | "$COOPMART_HQ" --db "$HQDB" member web-pin A-0001 >/dev/null 2>"$T/pin.err" ||
	fail "web-pin: $(cat "$T/pin.err")"
hq shop settings "$STORE" --open 00:00 --close 24:00 --slot 60 --cutoff 0 --max-open 3 --max-qty 10
[ "$RC" -eq 0 ] || fail "shop settings: $ERR"

# The till: a cashier, a file printer, and a delivery (HQ's stock).
printf '%s\n%s\n' "$ADMIN_PIN" 135790 | "$COOPMART" --db "$DB" --user 1 user add 101 Siti cashier \
	>/dev/null 2>"$T/user.err" || fail "user add: $(cat "$T/user.err")"
till_cli() { printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 "$@" >/dev/null 2>"$T/cli.err" ||
	fail "coopmart $*: $(cat "$T/cli.err")"; }
till_cli setting set printer "file:$GOT"
till_cli receive start Indofood
till_cli receive add 1 MIE-GRG 40 2.900
till_cli receive add 1 BRS-PRM-5 10 71.000
till_cli receive post 1
agent K01 once
[ "$RC" -eq 0 ] || fail "the first sync"
CHECKS=$((CHECKS + 1))

# --- the member orders 5 x MIE-GRG and 2 x BRS-PRM-5 at member prices
# (Rp3.400, Rp76.000): Rp169.000.
"$PY" "$SRCDIR/tests/sync/shop_e2e.py" "$HQ_URL" "$STORE" A-0001 480516 place MIE-GRG=5 BRS-PRM-5=2 \
	>"$T/place.out" 2>&1 || fail "placing the order in the browser: $(cat "$T/place.out")"
OID=$(tail -n 1 "$T/place.out")
[[ "$OID" =~ ^OL-[0-9]{6,}$ ]] || fail "no order id from the browser: $(cat "$T/place.out")"
expect_eq "placed at HQ" "placed|169000" "$(sql "$HQDB" "SELECT status, total FROM shop_orders WHERE id = '$OID'")"

# --- the agent brings it to the till.
agent K01 once
[ "$RC" -eq 0 ] || fail "the pull"
expect_eq "at the till" "placed|A-0001|169000" \
	"$(sql "$DB" "SELECT status, member_no, total FROM shop_orders WHERE id = '$OID'")"

# --- the till in tmux.
SOCK="coopmart-shop-e2e-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null || true; }
trap 'rc=$?; tm_cleanup; (exit $rc); sync_cleanup' EXIT
screen() { tm capture-pane -p -t till 2>/dev/null; }
see() {   # TEXT: waits up to 15 s for the screen to show it
	local i
	for i in $(seq 1 150); do
		screen | grep -F -- "$1" >/dev/null && { CHECKS=$((CHECKS + 1)); return 0; }
		sleep 0.1
	done
	echo "--- screen:" >&2; screen >&2
	fail "the till never showed: $1"
}
key() { tm send-keys -t till "$@"; }
typed() { tm send-keys -t till -l -- "$1"; }
tm new-session -d -s till -x 80 -y 24 \
	"env COOPMART_LANG=en TZ=$TZ LANG=C.UTF-8 $COOPMART --db $DB till 2>>$T/till.err" ||
	fail "tmux could not start the till"
see "Koperasi Maju Bersama"
typed 101; key Enter; typed 135790; key Enter
see "Float in the drawer:"
typed 100000; key Enter
see "F10Pay"

key C-p
see "Online orders"
see "$OID to pick"
key Enter
see "Picking $OID"
key F6
see "Pick list of $OID sent to the printer."
for _ in $(seq 100); do grep -aF "$OID" "$GOT" >/dev/null 2>&1 && break; sleep 0.1; done
HEXID=$(printf '%s' "$OID" | od -An -tx1 -v | tr -d ' \n')
od -An -tx1 -v "$GOT" | tr -d ' \n' | grep "1d6b49..7b42$HEXID" >/dev/null ||
	fail "no CODE128 barcode of $OID on the printed pick list"
grep -aF "Indomie Goreng 85 g" "$GOT" >/dev/null || fail "the pick list lacks the noodles"
CHECKS=$((CHECKS + 2))
# Each line in turn: the noodles picked, the rice short (1 of 2 found):
# 5 x 3.400 + 1 x 76.000.
for sku in $(sql "$DB" "SELECT sku FROM shop_order_lines WHERE order_id = '$OID' ORDER BY line"); do
	if [ "$sku" = BRS-PRM-5 ]; then
		key F3; see "Quantity found (0: none):"; typed 1; key Enter; see "short 1"
	else
		key Enter; see "picked 5"
	fi
done
key F10
see "Order $OID is ready for pickup: Rp93.000."
agent K01 once
[ "$RC" -eq 0 ] || fail "the push of the picking"
expect_eq "ready at HQ" "ready|93000" "$(sql "$HQDB" "SELECT status, picked_total FROM shop_orders WHERE id = '$OID'")"

# Collected by its typed number at the sale, paid in cash.
key Escape
see "F10Pay"
typed "$OID"; key Enter
see "Online order $OID of A-0001 Siti Aminah is on the ticket: F10 to pay."
key F10
see "TOTAL TO PAY"
typed 100000; key Enter
for _ in $(seq 100); do [ "$(sql "$DB" "SELECT count(*) FROM sales")" = 1 ] && break; sleep 0.1; done
expect_eq "collected at the till" "collected" "$(sql "$DB" "SELECT status FROM shop_orders WHERE id = '$OID'")"
agent K01 once
[ "$RC" -eq 0 ] || fail "the push of the sale"

# --- HQ and the member's page: collected, Rp93.000 paid.
expect_eq "collected at HQ" "collected|K01|93000" \
	"$(sql "$HQDB" "SELECT status, sale_terminal, collected_total FROM shop_orders WHERE id = '$OID'")"
expect_eq "no payload alert" 0 "$(alerts_of_kind payload)"
"$PY" "$SRCDIR/tests/sync/shop_e2e.py" "$HQ_URL" "$STORE" A-0001 480516 check "$OID" \
	>"$T/check.out" 2>&1 || fail "the member's page: $(cat "$T/check.out")"
expect_eq "the member's page" "collected|Rp93.000" "$(tail -n 1 "$T/check.out" | cut -d'|' -f2,3)"
done_ok
