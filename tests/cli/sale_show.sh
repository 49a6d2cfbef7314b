# coopmart sale show: the receipt as it was printed. The store's name,
# address and NPWP change afterwards; the old sale still shows the
# heading it printed, a new sale the new one. --columns takes every width
# a page is laid out for (40: the dot-matrix profile) and no other; no
# line is wider than asked. A long catalogue name is kept whole and
# wrapped.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell helper (tests/CMakeLists.txt)}"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
C=135790   # cashier 101
run --stdin "$A"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
printf 'sku,name,price,barcodes\nGUL-1,Gula Pasir Cap Dua Gajah Putih Kemasan Ekonomis 1 kg,17.500,\n' >"$T/items.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/items.csv"
expect_rc 0
expect_eq "the name kept whole at import" "Gula Pasir Cap Dua Gajah Putih Kemasan Ekonomis 1 kg" \
	"$(sql "$DB" "SELECT receipt_name FROM items WHERE sku = 'GUL-1'")"

"$SYNC_SELL" "$DB" 101 "$C" 1 GUL-1 >"$T/sales"
OLD=$(sed -n 1p "$T/sales" | cut -d' ' -f1)
[ -n "$OLD" ] || fail "no sale made"

widest() { awk '{ if (length($0) > w) w = length($0) } END { print w }' <<<"$OUT"; }

for cols in 32 40 42 48; do
	run --db "$DB" sale show "$OLD" --columns "$cols"
	expect_rc 0
	expect_eq "widest line at $cols columns" "$cols" "$(widest)"
	expect_out "Koperasi Maju Bersama"
	expect_out "1 kg"
done
run --db "$DB" sale show "$OLD" --columns 44
expect_rc 3; expect_err "--columns must be 32, 40, 42 or 48"

# The store moves and changes its name: the old receipt does not.
for kv in "store_name=Koperasi Maju Jaya" "store_address=Jl. Pindahan 99, Bandung"; do
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting set "${kv%%=*}" "${kv#*=}"
	expect_rc 0
done
run --db "$DB" sale show "$OLD"
expect_rc 0
expect_out "Koperasi Maju Bersama"
[[ $OUT != *"Maju Jaya"* && $OUT != *Pindahan* ]] || fail "the old receipt shows today's heading"

"$SYNC_SELL" "$DB" 101 "$C" 1 GUL-1 >"$T/sales2"
NEW=$(sed -n 1p "$T/sales2" | cut -d' ' -f1)
run --db "$DB" sale show "$NEW"
expect_rc 0
expect_out "Koperasi Maju Jaya"
expect_out "Jl. Pindahan 99"

# The heading kept with a sale is never changed.
run --db "$DB" journal verify
expect_rc 0
if sqlite3 -batch "$DB" "UPDATE sale_receipt_heads SET store_name = 'X'" 2>/dev/null; then
	fail "a kept receipt heading could be changed"
fi
done_ok
