# coopmart-hq speaks Bahasa Indonesia by default (its usage, import
# reports, enrolment, the text report) and English when asked; the JSON
# report is the same in both languages. No server needed.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
unset COOPMART_LANG LANGUAGE LC_MESSAGES

"$COOPMART_HQ" --help >"$T/help" 2>&1 || fail "--help failed"
grep -qF "pemakaian: coopmart-hq --db PATH|postgresql://... COMMAND" "$T/help" || fail "help: $(cat "$T/help")"
grep -qF "daftarkan terminal (atau operator, yang membaca" "$T/help" || fail "help body"
CHECKS=$((CHECKS + 2))
hq frob
expect_rc 1; expect_err "coopmart-hq: perintah 'frob' tidak dikenal"
hq report --frob
expect_rc 1; expect_err "coopmart-hq: pilihan --frob tidak dikenal"
hq report --from 2026-13-01
expect_rc 3; expect_err "tanggal ditulis YYYY-MM-DD atau YYYYMMDD"

# Import reports: the CSV checks of the core and HQ's own, by line.
cat >"$T/bad.csv" <<'CSV'
sku,name,price,barcodes,member_price,tax_class
A-1,Teh Botol 350 ml,4.000,,,standard
A-2,Kopi Kapal Api 165 g,,,,standard
A-3,Gula Pasir 1 kg,17.500,8991234567890,,standard
CSV
hq import catalogue "$T/bad.csv"
expect_rc 3
expect_err "$T/bad.csv: baris 3: harga kosong"
expect_err "$T/bad.csv: baris 4: barcode \"8991234567890\" digit ceknya salah (digit terakhir seharusnya 1)"
expect_err "2 baris salah: tidak ada yang diimpor (--skip-bad mengimpor yang lain)"
hq import catalogue "$T/bad.csv" --skip-bad
expect_rc 0; expect_out "catalogue: 3 baris, 1 berubah, 0 dihapus, 2 dilewati; versi 1"
printf '[{"sku":"E-1","name":"Emas","price":1000000001,"tax_class":"standard"}]\n' >"$T/mahal.json"
hq import catalogue "$T/mahal.json"
expect_rc 3; expect_err "barang E-1: harganya melebihi harga tertinggi yang diterima toko"
printf 'number,name,card_code,status\n1001,Ani,,pensiun\n' >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 3; expect_err "baris 2: status \"pensiun\" bukan active, left atau blocked"

# Enrolment and revocation.
hq enroll --store KMB-SMG --terminal K01
expect_rc 0; expect_err "coopmart-hq: terminal KMB-SMG/K01 didaftarkan; token di atas hanya ditampilkan sekali ini"
printf 'sku,price,member_price\nA-1,2.000.000.000,\nZ-9,1000,\n' >"$T/prices.csv"
hq import prices --store KMB-SMG "$T/prices.csv"
expect_rc 3
expect_err "baris 2: harga \"2.000.000.000\" melebihi harga tertinggi yang diterima toko"
hq enroll --store KMB-SMG --terminal K01
expect_rc 0; expect_err "didaftarkan ulang (token lamanya tidak berlaku lagi)"
hq enroll --store "KMB SMG" --terminal K01
expect_rc 3; expect_err "kode toko (paling banyak 31)"
hq revoke --terminal KMB-SMG/K01
expect_rc 0; expect_err "coopmart-hq: token KMB-SMG/K01 sudah dicabut"

# The text report and the alerts.
hq report
expect_rc 0; expect_out "Penjualan 19000101 sampai 29991231"; expect_out "Peringatan"
hq alerts
expect_rc 0; expect_err "coopmart-hq: tidak ada peringatan"

# English when asked; JSON the same either way.
COOPMART_LANG=en hq frob
expect_rc 1; expect_err "coopmart-hq: unknown command 'frob'"
LANGUAGE=en hq alerts
expect_err "coopmart-hq: no alerts"
hq report --json
id_json=$OUT
COOPMART_LANG=en hq report --json
expect_eq "JSON report in both languages" "$id_json" "$OUT"
done_ok
