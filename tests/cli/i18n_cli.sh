# The command line speaks Bahasa Indonesia by default and English when the
# environment asks (COOPMART_LANG, LANGUAGE, LC_ALL or LANG starting "en"),
# finding its message catalogue in the build tree by itself. What scripts
# read (CSV, JSON, exit codes) is the same in both languages.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell helper (tests/CMakeLists.txt)}"

# The default: no language asked for, the C locale of a minimal install.
unset COOPMART_LANG LANGUAGE LC_MESSAGES
export LANG=C LC_ALL=C
DB="$T/store.db"
C=135790

run --help
expect_rc 0
expect_out "pemakaian: coopmart [--db PATH] [--user NUMBER] COMMAND"
expect_out "Kode keluar: 0 selesai"
run frob
expect_rc 1; expect_err "coopmart: perintah 'frob' tidak dikenal"; expect_err "pemakaian:"
run --db "$DB" sale --help
expect_rc 0; expect_out "satu baris per penjualan selesai"
run --db "$DB" report day
expect_rc 2; expect_err "tidak ada database toko di $DB"

new_store "$DB"
expect_out "dibuat di"
run --stdin "$ADMIN_PIN"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
# Import errors (core CSV checks) and the new price ceiling, in Indonesian.
printf 'sku,name,price\nA-1,Teh,0\nA-2,Kopi,1.000.000.001\nA-3,Gula,"12\n' >"$T/bad.csv"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 import items "$T/bad.csv"
expect_rc 3
expect_err "baris 4: kolom bertanda kutip tidak pernah ditutup"
printf 'sku,name,price\nA-1,Teh,0\nA-2,Kopi,1.000.000.001\n' >"$T/bad.csv"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 import items "$T/bad.csv"
expect_rc 3
expect_err "baris 2: harga 0 (barang tidak bisa dijual gratis)"
expect_err "melebihi harga tertinggi yang diterima toko (Rp1.000.000.000)"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 setting set npwp 123
expect_rc 3; expect_err "npwp: '123' bukan NPWP (15 atau 16 angka"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
# A clash with the live catalogue, named on its line in Indonesian too.
printf 'sku,name,price,barcodes\nBRS-LAIN,Beras Lain,70000,8991234567891\n' >"$T/clash.csv"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 import items "$T/clash.csv"
expect_rc 3
expect_err "baris 2: barcode 8991234567891 sudah dipakai barang BRS-PRM-5"
"$SYNC_SELL" "$DB" 101 "$C" 2 BRS-PRM-5 MIE-GRG >/dev/null
DAY=$(sql "$DB" "SELECT business_date FROM sales LIMIT 1")
DAY="${DAY:0:4}-${DAY:4:2}-${DAY:6:2}"

run --db "$DB" report day --date "$DAY"
expect_rc 0
expect_out "Laporan harian $DAY"
expect_out "Per jenis pembayaran:"
expect_out "  tunai "
expect_out "  bebas PPN "
run --db "$DB" sale list --date "$DAY"
expect_rc 0; expect_out "urutan"
run --db "$DB" journal list
expect_rc 0; expect_out "pengguna"

# Script output does not change with the language.
for args in "report day --date $DAY --csv" "sale list --date $DAY --csv" "journal list --csv" \
	"report stock-value --csv"; do
	# shellcheck disable=SC2086
	run --db "$DB" $args
	expect_rc 0
	id_out=$OUT
	# shellcheck disable=SC2086
	COOPMART_LANG=en run --db "$DB" $args
	expect_eq "$args in both languages" "$id_out" "$OUT"
done
run --db "$DB" report day --date "$DAY" --csv
expect_out "$DAY;tender;cash;"

# English on request, by each variable gettext users set.
check_english() {
	expect_rc 1
	expect_err "coopmart: unknown command 'frob'"
	expect_err "usage: coopmart"
}
COOPMART_LANG=en run frob; check_english
LANGUAGE=en run frob; check_english
LC_ALL=en_US.UTF-8 run frob; check_english
( unset LC_ALL; LANG=en_GB.UTF-8 run frob; check_english )
# LC_ALL outranks LANG, as everywhere: LC_ALL=C keeps the default.
LANG=en_US.UTF-8 run frob
expect_err "perintah 'frob' tidak dikenal"
# COOPMART_LANG outranks the rest.
COOPMART_LANG=id LANGUAGE=en run frob
expect_err "perintah 'frob' tidak dikenal"

# The catalogue is found beside the binary in the build tree; a copy of the
# binary with no catalogue near it falls back to the English in the code.
mkdir -p "$T/bin"
cp "$COOPMART" "$T/bin/coopmart"
set +e
"$T/bin/coopmart" frob 2>"$T/copy.err"
set -e
grep -qF "unknown command 'frob'" "$T/copy.err" || fail "copy without a catalogue: $(cat "$T/copy.err")"
COOPMART_LOCALEDIR="$(dirname "$COOPMART")/locale" "$T/bin/coopmart" frob 2>"$T/copy.err" || true
grep -qF "perintah 'frob' tidak dikenal" "$T/copy.err" || fail "COOPMART_LOCALEDIR: $(cat "$T/copy.err")"
CHECKS=$((CHECKS + 2))
done_ok
