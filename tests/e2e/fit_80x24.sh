#!/bin/bash
# Everything fits at 80x24 in the till's own language (Bahasa Indonesia,
# longer than English): the status bar keeps the scanner's state whole
# with a member attached; the five adjustment reasons, the four return
# reasons and both refund choices are in their dialogs, not cut off a
# message line; a confirmation wraps inside its box; the help screen's
# rows end inside the box.
set -eu
TILL_LANG=id
. "$(dirname "$0")/lib.sh.inc"

MILK=8991085004811
# box_row TEXT: the screen has a dialog row "│ TEXT ... │" (nothing cut).
box_row() {
	check
	screen | grep -qE "│ $1 +│" || fail "no whole dialog row: $1"
}

new_demo_db
printf '999999\n' | "$COOPMART" --db "$DB" --user 1 setting set scanner tty:/dev/coopmart-e2e-none ||
	fail "could not set the scanner"
till_start
login 201 222222
wait_for F10
key F11
wait_for "No./kartu anggota:"
type_in A-0002
key Enter
wait_for "Anggota A-0002 Sri Wahyuni"
# The member panel opens over the sale; Esc closes it.
wait_for "Saldo sukarela:"
key Escape
wait_gone "Saldo sukarela:"
# The status bar: the member first, the scanner's state whole at the end.
wait_for_re '^ Anggota: A-0002 Sri Wahyuni .*\| Scanner: tidak terpasang$'

# A sale to return later; F9 on the next ticket asks, wrapped in its box.
scan $MILK
wait_big 11.500
key F10
wait_for "TOTAL BAYAR"
key Enter
wait_for "K01-000001"
key Enter
wait_for F10
scan $MILK
scan $MILK
wait_big 23.000
key F9
wait_for "Batalkan seluruh transaksi?"
box_row "1 baris transaksi \(Rp23\.000\) dibatalkan dan pelanggan tidak"
box_row "membayar apa pun\. Dijurnal; tidak dapat dibatalkan\."
key Escape
wait_gone "Batalkan seluruh transaksi?"

# The key bar in Bahasa Indonesia: F1 to F10 and Ctrl-P (online orders)
# within 80 columns, packed (the labels' colour shows where each ends).
expect_eq "key bar" "F1BantuF2CariF3QtyF4DiskF5HargaF6TundaF7LanjutF8HapusF9BatalF10BayarCtrl-POnline" \
	"$(screen | tail -n 1)"
check
[ "$(screen | tail -n 1 | wc -L)" -le 80 ] || fail "the key bar is wider than 80 columns"

# The help: every row ends inside the box.
key F1
wait_for "Tombol (tekan tombol apa saja untuk menutup)"
box_row "F10 +bayar: tunai, kartu debit atau QRIS, atau gabungan"
box_row "F9 +batalkan seluruh transaksi \(ditanya dulu; supervisor\)"
key Escape
key F6
wait_for "Nama (boleh kosong):"
key Enter
wait_for "Transaksi ditunda."

# Adjustment: the item, its stock and all five reasons in the dialog.
key C-o
wait_for "Menu manajer"
key 0
wait_for "Barcode atau SKU:"
scan $MILK
wait_for "Jumlah:"
box_row "Susu Greenfields UHT Coklat sedang \(D00482\)"
box_row "Stok sekarang: [0-9]+ pcs"
type_in 1
key Enter
wait_for "Alasan (1-5):"
box_row "1\. rusak \(ke gudang barang rusak\)"
box_row "5\. ditemukan"
key Escape
wait_gone "Alasan (1-5):"

# A return: the four reasons, then both ways to refund.
key 7
wait_for "Nomor struk:"
type_in K01-000001
key Enter
wait_for "K01-000001"
key Enter
wait_for_re "│ .*: +│"
type_in 1
key Enter
wait_for "Rp11.500"
key F10
wait_for "Alasan (1-4):"
box_row "1\. tidak jadi"
box_row "4\. kedaluwarsa"
type_in 1
key Enter
wait_for "Pengembalian (1 atau 2):"
box_row "1\. Seperti pembayarannya \(kartu dan QRIS dikembalikan ke sana\)"
box_row "2\. Semua tunai"
key Escape
wait_gone "Pengembalian (1 atau 2):"
key Escape
wait_gone "Retur penjualan"

# A message longer than a row takes two, whole; the counting line stays.
key a
wait_for "F2"
key F2
wait_for "1."
key 1
wait_for "R01"
key Enter
wait_for "Pindai atau ketik barang:"
scan $MILK
wait_for_re "^ Susu Greenfields UHT Coklat sedang bukan bagian"
expect_screen_re "^ R01\): hitung bersama kelompoknya sendiri *$"
# What was typed stays on the counting line, above the message.
expect_screen_re "^  Pindai atau ketik barang: $MILK *$"

# The blind count's instruction, whole.
key Escape
wait_for "Stok opname"
key Escape
wait_for "Menu manajer"
key 4
wait_for "Tutup shift: hitung buta"
expect_screen "Hitung uang kertas dan logam di laci; ketik lembar/keping tiap pecahan."
done_ok
