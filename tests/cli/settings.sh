# coopmart setting get/set/scale.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
changes() { events "$DB" setting_changed; }

# --- get.
run --db "$DB" setting get store_name
expect_rc 0; expect_out_exact "Koperasi Maju Bersama"; expect_no_err
run --db "$DB" setting get terminal_id
expect_rc 0; expect_out_exact "K01"
run --db "$DB" setting get npwp
expect_rc 2; expect_err "npwp is not set"; expect_no_out
run --db "$DB" setting get
expect_rc 1; expect_err "usage: coopmart setting get KEY"

# --- set: journaled, read back.
n=$(changes)
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set cash_round_step 500
expect_rc 0; expect_no_err
run --db "$DB" setting get cash_round_step
expect_out_exact 500
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set receipt_footer "Terima kasih, sampai jumpa"
expect_rc 0
run --db "$DB" setting get receipt_footer
expect_out_exact "Terima kasih, sampai jumpa"
expect_eq "setting_changed events" $((n + 2)) "$(changes)"
run --db "$DB" journal list
expect_out '{"key":"cash_round_step","value":"500"}'

# --- set: bad values (3), unknown keys (2), nothing journaled.
n=$(changes)
for kv in "cash_round_step abc" "cash_round_step 0" "cash_round_step -100" \
	"pkp 2" "receipt_columns 40" "lockout_after x" "discount_limit_bp 10.5"; do
	# shellcheck disable=SC2086
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting set $kv
	expect_rc 3
	expect_err "${kv%% *}"
done
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set receipt_columns 40
expect_err "32, 42 or 48"
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set colour red
expect_rc 2; expect_err "unknown setting colour"
expect_eq "setting_changed after refused values" "$n" "$(changes)"
run --db "$DB" setting get cash_round_step
expect_out_exact 500
# The terminal id names the journal chain: it cannot change.
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set terminal_id K02
expect_rc 8; expect_err "terminal id cannot change"
run --db "$DB" setting get terminal_id
expect_out_exact K01

# --- who may: a cashier may not (4); nobody at all is a usage error.
run --stdin "135790"$'\n' --db "$DB" --user 101 setting set cash_round_step 100
expect_rc 4; expect_err "only an admin may change store settings"
run --db "$DB" setting set cash_round_step 100
expect_rc 1; expect_err "--user NUMBER"
run --stdin "000000"$'\n' --db "$DB" --user 1 setting set cash_round_step 100
expect_rc 3; expect_err "wrong PIN"
expect_eq "setting_changed after refusals" "$n" "$(changes)"
run --db "$DB" setting get cash_round_step
expect_out_exact 500

# --- scale label formats.
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 20 PPIIIIIWWWWWC
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 22 PPIIIIRRRRRRC
expect_rc 0
expect_eq "scale formats" "20|PPIIIIIWWWWWC 22|PPIIIIRRRRRRC" \
	"$(sql "$DB" "SELECT prefix || '|' || template FROM scale_formats ORDER BY prefix" | tr '\n' ' ' | sed 's/ $//')"
# Replacing one.
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 20 PPIIIIWWWWWWC
expect_rc 0
expect_eq "replaced" PPIIIIWWWWWWC "$(sql "$DB" "SELECT template FROM scale_formats WHERE prefix = '20'")"
expect_eq "scale_format_changed events" 3 "$(events "$DB" scale_format_changed)"
for bad in "30 PPIIIIIWWWWWC" "19 PPIIIIIWWWWWC" "21 PPIII" "21 PPIIIIIWWWWWX" "21 PPIIIIIQQQQQC"; do
	# shellcheck disable=SC2086
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale $bad
	expect_rc 3; expect_err "scale format ${bad} is not valid"
done
expect_eq "scale formats after bad ones" 2 "$(sql "$DB" "SELECT count(*) FROM scale_formats")"
run --stdin "135790"$'\n' --db "$DB" --user 101 setting scale 21 PPIIIIIWWWWWC
expect_rc 4
# The UPC-A random-weight prefix 02, a verified price (V before a 4- or
# 5-digit run) and weights in 10 g units (D); a verifier elsewhere is not.
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 02 PPIIIIIVRRRRC
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 23 PPIIIIVRRRRRC
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale 24 PPIIIIIDDDDDC
expect_rc 0
for bad in "03 PPIIIIIWWWWWC" "25 PPIIIVIRRRRRC" "25 PPIIIVRRRRRRC"; do
	# shellcheck disable=SC2086
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting scale $bad
	expect_rc 3; expect_err "scale format ${bad} is not valid"
done
expect_eq "scale formats with 02, V and D" "02 20 22 23 24" \
	"$(sql "$DB" "SELECT prefix FROM scale_formats ORDER BY prefix" | tr '\n' ' ' | sed 's/ $//')"

# --- NPWP: 15 or 16 digits (separators as written); anything else refused,
# nothing stored or journaled.
n=$(changes)
for bad in 12345 "01.234.567.8-901.00" "01.234.567.8-901.000.12" "NPWP 0123456789012345" \
	"01.234.567.8/901.000"; do
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting set npwp "$bad"
	expect_rc 3; expect_err "is not an NPWP (15 or 16 digits"
done
run --db "$DB" setting get npwp
expect_rc 2
expect_eq "setting_changed after bad NPWPs" "$n" "$(changes)"
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set npwp 01.234.567.8-901.000
expect_rc 0; expect_no_err
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set npwp 3174012345678901
expect_rc 0
run --db "$DB" setting get npwp
expect_out_exact 3174012345678901
# init checks it the same way, before anything is created.
run --stdin "$A"$'\n' --db "$T/other.db" init --store-name X --terminal K09 \
	--admin-number 1 --admin-name Ani --pkp --npwp 1234
expect_rc 3; expect_err "is not an NPWP"
expect_eq "no store made with a bad NPWP" "" "$(ls "$T" | grep '^other.db$' || true)"

# --- a file: printer only inside the store's data directory ($T here).
n=$(changes)
mkdir -p "$T/sub" "$T/../settings-outside-$$"
ln -sf /etc/passwd "$T/link-out"
ln -sf "$T/../settings-dangling-$$.bin" "$T/link-dangling"
ln -sfn "$T/../settings-outside-$$" "$T/dir-out"
for bad in "file:/tmp/receipts.bin" "file:$T/../receipts.bin" "file:receipts.bin" \
	"file:$T/sub/../../receipts.bin" "file:$T/link-out" "file:$T/dir-out/r.bin" "file:$T/link-dangling" \
	"file:$T" "file:$T/" "file:$T/no-such-dir/r.bin"; do
	run --stdin "$A"$'\n' --db "$DB" --user 1 setting set printer "$bad"
	expect_rc 3; expect_err "a file: printer must be a file in the store's data directory"
done
rmdir "$T/../settings-outside-$$"
expect_eq "setting_changed after outside files" "$n" "$(changes)"
run --db "$DB" setting get printer
expect_rc 2
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set printer "file:$T/receipts.bin"
expect_rc 0; expect_no_err
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set printer "file:$T/sub/receipts.bin"
expect_rc 0
run --db "$DB" setting get printer
expect_out_exact "file:$T/sub/receipts.bin"
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set printer none
expect_rc 0

# --- prices above Rp1.000.000.000 a unit are refused wherever a price or
# cost is typed: the catalogue import, stock-info costs, receiving.
cat >"$T/mahal.csv" <<'CSV'
sku,name,price,member_price
MAHAL-1,Emas Batangan 1 kg,1.000.000.000,
MAHAL-2,Salah Ketik,1.000.000.001,
MAHAL-3,Harga Anggota Salah,5000,10000000000
CSV
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/mahal.csv"
expect_rc 3
expect_err 'line 3: price "1.000.000.001" is above the highest price the store accepts (Rp1.000.000.000)'
expect_err 'line 4: member_price "10000000000" is above the highest price'
expect_eq "no item imported" 0 "$(sql "$DB" "SELECT count(*) FROM items WHERE sku LIKE 'MAHAL-%'")"
sed -i '/MAHAL-[23]/d' "$T/mahal.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/mahal.csv"
expect_rc 0
expect_eq "the ceiling itself is a price" 1000000000 "$(sql "$DB" "SELECT price FROM items WHERE sku = 'MAHAL-1'")"
printf 'sku,cost\nMAHAL-1,1.000.000.001\n' >"$T/cost.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import stock-info "$T/cost.csv"
expect_rc 3; expect_err "above the highest price"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 receive start indofood
expect_rc 0
id=$(sql "$DB" "SELECT max(id) FROM deliveries")
run --stdin "$A"$'\n' --db "$DB" --user 1 receive add "$id" 089686010947 40 1.000.000.001
expect_rc 3; expect_err "a unit cost above Rp1.000.000.000 is not accepted"
expect_eq "no delivery line" 0 "$(sql "$DB" "SELECT count(*) FROM delivery_lines")"

# --- usage.
run --db "$DB" setting
expect_rc 1; expect_err "usage: coopmart setting get KEY"
run --db "$DB" setting frob x
expect_rc 1
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set store_name
expect_rc 1

run --db "$DB" journal verify
expect_rc 0
done_ok
