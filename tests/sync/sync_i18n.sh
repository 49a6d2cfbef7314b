# coopmart-sync speaks Bahasa Indonesia by default (usage, config errors,
# status, what it logs) and English when asked. HQ is not running: the
# agent's "cannot connect" path is part of what is checked.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"
unset COOPMART_LANG LANGUAGE LC_MESSAGES
HQ_URL="https://127.0.0.1:$(free_port)"   # nothing listens there

capture "$COOPMART_SYNC" --help
expect_rc 0; expect_out "pemakaian: coopmart-sync [--config FILE] COMMAND"
capture "$COOPMART_SYNC" --frob
expect_rc 1; expect_err "pemakaian: coopmart-sync"
capture "$COOPMART_SYNC" --config "$T/none.conf" status
expect_rc 1; expect_err "coopmart-sync: berkas konfigurasi $T/none.conf tidak bisa dibaca: "

new_terminal KMB-SMG K01
printf 'frob = 1\n' >>"$T/K01.conf"
agent K01 status
expect_rc 1; expect_err "K01.conf, baris 13: pengaturan 'frob' tidak dikenal"
COOPMART_LANG=en agent K01 status
expect_rc 1; expect_err "K01.conf, line 13: unknown setting 'frob'"
sed -i '/^frob/d' "$T/K01.conf"

agent K01 status
expect_rc 0
expect_out "Terminal K01 toko KMB-SMG, HQ $HQ_URL"
expect_out "Catatan menunggu: "
expect_out "Peringatan: tidak ada"
expect_out "Percobaan terakhir: belum pernah"
chmod 644 "$T/K01.token"
agent K01 once
expect_rc 1; expect_err "bisa dibaca atau diubah pengguna lain (mode 0644); tidak dipakai"
chmod 600 "$T/K01.token"
agent K01 once
expect_rc 4
expect_err "tidak bisa tersambung ke HQ di $HQ_URL"
expect_err "menyerah setelah 3 kali coba"
COOPMART_LANG=en agent K01 once
expect_rc 4; expect_err "could not connect to HQ at $HQ_URL"
done_ok
