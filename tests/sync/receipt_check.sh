# A member checks a receipt at HQ. The real till (in tmux) sells at the
# counter and prints to a file printer; the test reads the ESC/POS bytes
# the printer got with its own parser, takes the QR code's data out of
# GS ( k (model 2, store data), also renders that data with qrencode and
# reads the picture back with zbarimg (a valid QR code), and finds the same
# code printed as text under it; a reprint carries the same code. Then HQ:
#   - before the push: not synced yet; after it: a match, showing only the
#     receipt's date and amount (command line, JSON and the page, in
#     Bahasa Indonesia and English);
#   - the amount or the hash changed: differs, and an alert
#     receipt_mismatch naming store, terminal and sequence stays open;
#   - a later sale not pushed yet: not synced yet;
#   - a return receipt's code (text): not synced, then a match;
#   - a store HQ does not know: not known, the same as an unknown terminal;
#   - not a code: 400; too many checks from one address: 429 with
#     Retry-After, in JSON and on the page.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

for tool in tmux qrencode zbarimg; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (.ci/packages)"; exit 77; }
done

LIMIT=25
HQ_SERVE_ARGS="--checks-per-minute $LIMIT"
# HQ speaks as it does in production (Bahasa Indonesia unless a page asks
# for English); the commands below stay in English (lib.sh.inc).
COOPMART_LANG=id hq_start
new_terminal KMB-SMG K01
DB="$T/K01.db"
GOT="$T/printer.bin"
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 setting set printer "file:$GOT" \
	>/dev/null 2>&1 || fail "cannot set the printer"

# ---- the till, in tmux (as tests/e2e/lib.sh.inc drives it) ----
SOCK="coopmart-sync-rc-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
till_stop() { tm kill-server 2>/dev/null || true; }
trap 'rc=$?; till_stop; (exit $rc); sync_cleanup' EXIT
screen() { tm capture-pane -p -t till 2>/dev/null; }
key() { tm send-keys -t till "$@"; }
type_in() { tm send-keys -t till -l -- "$1"; }
seen() { screen | grep -F -- "$1" >/dev/null; }
wait_screen() {
	local i
	for i in $(seq 1 400); do seen "$1" && return 0; sleep 0.05; done
	screen >&2
	fail "the till never showed: $1"
}
tm new-session -d -s till -x 80 -y 24 \
	"env COOPMART_LANG=en LANG=C.UTF-8 TZ=$TZ $(printf '%q' "$COOPMART") --db $(printf '%q' "$DB") till 2>>$(printf '%q' "$T/till.err")"
wait_screen "Koperasi Maju Bersama"
type_in 1; key Enter; type_in "$ADMIN_PIN"; key Enter
wait_screen "Float in the drawer"
type_in 500000; key Enter
wait_screen F10

sales_above() { [ "$(sql "$DB" "SELECT count(*) FROM sales")" -gt "$1" ]; }
all_printed() { [ "$(sql "$DB" "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL")" = 0 ]; }
qrs_printed() { [ "$(qr_codes | wc -l)" = "$1" ]; }

# sell BARCODE: one item paid with the exact cash; waits for the receipt.
sell_one() {
	local n
	n=$(sql "$DB" "SELECT count(*) FROM sales")
	type_in "$1"; key Enter
	wait_screen "Indomie"
	key F10
	key Enter
	wait_for "the sale" 20 sales_above "$n"
	wait_for "the receipt printed" 20 all_printed
	key Enter
	wait_screen F10
}

# ---- what the printer got, read with our own parser ----
# qr_codes: the data of every QR code (GS ( k cn 49 fn 80 m 48), one a
# line; fails on a QR code that is not model 2 or has no print command.
qr_codes() {
	python3 - "$GOT" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i, model, pending = 0, None, None
while True:
    i = b.find(b"\x1d(k", i)
    if i < 0:
        break
    n = b[i + 3] | b[i + 4] << 8
    cn, fn, param = b[i + 5], b[i + 6], b[i + 7:i + 5 + n]
    assert cn == 0x31, "GS ( k for a symbol other than QR"
    if fn == 0x41:
        model = param[0]
    elif fn == 0x50:
        assert param[0] == 0x30, "store data with m != 48"
        assert model == 0x32, "QR code not in model 2"
        pending = param[1:].decode("ascii")
    elif fn == 0x51:
        assert pending is not None, "QR print without data"
        print(pending)
        pending = None
    i += 5 + n
PY
}
# code_texts: the code printed as text under each label, one a line.
code_texts() {
	python3 - "$GOT" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"Kode cek struk \(cek di HQ\):\n([^\x1b\x1d]*)", b):
    print(m.group(1).replace(b"\n", b"").decode("ascii"))
PY
}

sell_one 089686010947
CODE=$(qr_codes | tail -1)
[ -n "$CODE" ] || fail "the receipt has no QR code"
SEQ=$(sql "$DB" "SELECT journal_seq FROM sales WHERE receipt_no = 'K01-000001'")
HASH=$(sql "$DB" "SELECT lower(hex(hash)) FROM journal WHERE seq = $SEQ")
DUE=$(sql "$DB" "SELECT due FROM sales WHERE receipt_no = 'K01-000001'")
DATE=$(sql "$DB" "SELECT business_date FROM sales WHERE receipt_no = 'K01-000001'")
DATE="${DATE:0:4}-${DATE:4:2}-${DATE:6:2}"
expect_eq "the QR code's data" "CM1:KMB-SMG:K01:K01-000001:$SEQ:${HASH:0:16}:$DUE" "$CODE"
expect_eq "the code under the QR code" "$CODE" "$(code_texts | tail -1)"
qrencode -l M -o "$T/qr.png" -- "$CODE" || fail "qrencode refused the data"
expect_eq "the QR code read back by zbarimg" "$CODE" "$(zbarimg -q --raw "$T/qr.png" 2>/dev/null)"

# F12: the reprint carries the same code.
key F12
wait_screen "CETAK ULANG"
wait_for "the reprint" 20 qrs_printed 2
expect_eq "the reprint's QR code" "$CODE" "$(qr_codes | tail -1)"
key Escape
wait_screen F10

# ---- at HQ ----
chk() { curl -s --cacert "$T/pki/ca.pem" -o "$T/body" -D "$T/head" -w '%{http_code}' "$@"; }
json() { chk -H 'Accept: application/json' "$HQ_URL/check?c=$1"; }
CHECKS_SENT=0

hq check "$CODE"
expect_rc 8
expect_out "not synced yet"
CHECKS_SENT=$((CHECKS_SENT + 1))
expect_eq "status before the push" 200 "$(json "$CODE")"
expect_eq "answer before the push" '{"result":"not_synced"}' "$(cat "$T/body")"

agent K01 once
expect_rc 0
hq check "$CODE"
expect_rc 0
expect_out "match: HQ holds receipt K01-000001 of $DATE, Rp3.500"
hq check "$CODE" --json
expect_rc 0
expect_eq "the command's JSON" "{\"result\":\"match\",\"date\":\"$DATE\",\"due\":$DUE}" "$OUT"
CHECKS_SENT=$((CHECKS_SENT + 1))
expect_eq "status of a match" 200 "$(json "$CODE")"
expect_eq "a match: the date and the amount, nothing else" \
	"{\"result\":\"match\",\"date\":\"$DATE\",\"due\":$DUE}" "$(cat "$T/body")"
grep -i '^Content-Type: application/json' "$T/head" >/dev/null || fail "the answer is not JSON"
# The page: Bahasa Indonesia unless asked, the code as typed (wrapped, in
# upper case) is read, and nothing of the sale beyond date and amount.
TYPED=$(printf '%s' "$CODE" | sed 's/^CM1/cm1/; s/:\([0-9a-f]\{16\}\):/:\n\U\1:/' | tr '\n' ' ')
CHECKS_SENT=$((CHECKS_SENT + 1))
expect_eq "status of the page" 200 "$(chk -G --data-urlencode "c=$TYPED" "$HQ_URL/check")"
grep -F 'data-result="match"' "$T/body" >/dev/null || fail "the page does not say match"
grep -F "Cocok" "$T/body" >/dev/null || fail "the page is not in Bahasa Indonesia"
grep -F "Rp3.500" "$T/body" >/dev/null || fail "the page lacks the amount"
grep -F "$DATE" "$T/body" >/dev/null || fail "the page lacks the date"
for secret in Indomie "Bu Ani" "$HASH"; do
	grep -F -- "$secret" "$T/body" >/dev/null && fail "the page shows $secret"
done
CHECKS_SENT=$((CHECKS_SENT + 1))
expect_eq "status of the English page" 200 "$(chk "$HQ_URL/check?c=$CODE&lang=en")"
grep -F "Match: HQ holds this receipt." "$T/body" >/dev/null || fail "the page is not in English"
grep -F "?c=$CODE&amp;lang=id" "$T/body" >/dev/null || fail "the language switch loses the code"

# The amount or the hash changed: differs, and an alert that stays.
FORGED="${CODE%:*}:$((DUE + 1000))"
hq check "$FORGED"
expect_rc 7
expect_out "differs"
CHECKS_SENT=$((CHECKS_SENT + 1))
json "$FORGED" >/dev/null
expect_eq "a changed amount" '{"result":"differs"}' "$(cat "$T/body")"
expect_eq "alerts about the changed amount" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE kind = 'receipt_mismatch' AND store = 'KMB-SMG' AND terminal = 'K01' AND seq = $SEQ AND acked_at IS NULL")"
sql "$HQDB" "SELECT detail FROM alerts WHERE kind = 'receipt_mismatch'" | grep -F "KMB-SMG/K01 sequence $SEQ: amount $((DUE + 1000)), HQ holds $DUE" >/dev/null ||
	fail "the alert does not say what differs"
OTHERHASH=$(printf '%s' "${HASH:0:16}" | tr '0-9a-f' '1-9a-f0')
CHECKS_SENT=$((CHECKS_SENT + 1))
json "CM1:KMB-SMG:K01:K01-000001:$SEQ:$OTHERHASH:$DUE" >/dev/null
expect_eq "a changed hash" '{"result":"differs"}' "$(cat "$T/body")"
CHECKS_SENT=$((CHECKS_SENT + 1))
json "CM1:KMB-SMG:K01:K01-000009:$SEQ:${HASH:0:16}:$DUE" >/dev/null
expect_eq "a changed receipt number" '{"result":"differs"}' "$(cat "$T/body")"
hq alerts
expect_out "receipt_mismatch"

# A sale HQ has not received yet.
sell_one 089686010947
CODE2=$(qr_codes | tail -1)
[ "$CODE2" != "$CODE" ] || fail "the second sale printed the first one's code"
hq check "$CODE2"
expect_rc 8
CHECKS_SENT=$((CHECKS_SENT + 1))
json "$CODE2" >/dev/null
expect_eq "a sale not pushed" '{"result":"not_synced"}' "$(cat "$T/body")"

# A return's receipt carries its code as text; once pushed it matches.
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 return K01-000001 --line 1:1 \
	--reason unwanted --tender cash >"$T/return.out" 2>&1 || fail "the return failed: $(cat "$T/return.out")"
capture "$COOPMART" --db "$DB" return show K01-R000001
expect_rc 0
RCODE=$(printf '%s\n' "$OUT" | sed -n '/^Kode cek struk (cek di HQ):$/,$p' | sed 1d | tr -d '\n' | grep -o '^CM1:[^ ]*:3500')
RSEQ=$(sql "$DB" "SELECT journal_seq FROM returns WHERE return_no = 'K01-R000001'")
RHASH=$(sql "$DB" "SELECT lower(hex(hash)) FROM journal WHERE seq = $RSEQ")
expect_eq "the return's code" "CM1:KMB-SMG:K01:K01-R000001:$RSEQ:${RHASH:0:16}:3500" "$RCODE"
hq check "$RCODE"
expect_rc 8
agent K01 once
expect_rc 0
hq check "$RCODE"
expect_rc 0
RDATE=$(sql "$DB" "SELECT business_date FROM returns WHERE return_no = 'K01-R000001'")
expect_out "match: HQ holds receipt K01-R000001 of ${RDATE:0:4}-${RDATE:4:2}-${RDATE:6:2}, Rp3.500"

# Unknown store or terminal: one answer, whatever exists.
hq check "${CODE/KMB-SMG/KMB-XXX}"
expect_rc 2
expect_out "not known"
CHECKS_SENT=$((CHECKS_SENT + 1))
json "${CODE/KMB-SMG/KMB-XXX}" >/dev/null
UNKNOWN_STORE=$(cat "$T/body")
CHECKS_SENT=$((CHECKS_SENT + 1))
json "${CODE/:K01:/:K09:}" >/dev/null
expect_eq "an unknown store" '{"result":"unknown"}' "$UNKNOWN_STORE"
expect_eq "an unknown terminal" "$UNKNOWN_STORE" "$(cat "$T/body")"

# Not a code.
hq check "CM1:KMB-SMG:K01"
expect_rc 3
CHECKS_SENT=$((CHECKS_SENT + 1))
expect_eq "status of a bad code" 400 "$(chk -H 'Accept: application/json' "$HQ_URL/check?c=hello")"
grep -F '"bad_request"' "$T/body" >/dev/null || fail "a bad code is not bad_request"
expect_eq "no code in JSON" 400 "$(chk -H 'Accept: application/json' "$HQ_URL/check")"
expect_eq "the empty form" 200 "$(chk "$HQ_URL/check")"
grep -F 'name="c"' "$T/body" >/dev/null || fail "no form on the check page"

# Too many checks from one address: 429, JSON and page, with Retry-After.
# The limit lets LIMIT through at once, then one every 60/LIMIT seconds.
START=$(date +%s)
status=200
while [ "$status" = 200 ] && [ "$CHECKS_SENT" -le $((LIMIT * 3)) ]; do
	status=$(json "$CODE")
	[ "$status" = 200 ] && CHECKS_SENT=$((CHECKS_SENT + 1))
done
expect_eq "status past the limit" 429 "$status"
ELAPSED=$(($(date +%s) - START + 60))     # the first check came within a minute of START
[ "$CHECKS_SENT" -ge "$LIMIT" ] || fail "refused after $CHECKS_SENT checks, below the limit $LIMIT"
[ "$CHECKS_SENT" -le $((LIMIT + ELAPSED * LIMIT / 60 + 1)) ] || fail "$CHECKS_SENT checks went through"
grep -F '"code":"busy"' "$T/body" >/dev/null || fail "429 without the busy code"
grep -F "too many receipt checks from this address" "$T/body" >/dev/null || fail "429 without a message"
grep -i '^Retry-After: [1-9]' "$T/head" >/dev/null || fail "429 without Retry-After"
# (A check may come free again every 60/LIMIT seconds: a few tries at most.)
for _ in 1 2 3; do
	status=$(chk "$HQ_URL/check?c=$CODE&lang=en")
	[ "$status" = 429 ] && break
done
expect_eq "the page past the limit" 429 "$status"
grep -F "Too many checks from your address: try again in" "$T/body" >/dev/null ||
	fail "the 429 page does not say why"
# The command line is HQ's own: no limit.
hq check "$CODE"
expect_rc 0

till_stop
done_ok
