# coopmart-hq's web console in a real browser (web_console.py: Debian's
# chromium through chromedriver and python3-selenium), on SQLite and on
# PostgreSQL: log in (Bahasa Indonesia first, English by the switch), the
# overview's chart has one bar per day and compares today with the same
# weekday a week before, a POST without the CSRF token is refused, an alert
# is acknowledged with who and when, a store manager is refused another
# store's page, an upload with bad lines shows every one and imports
# nothing, wrong passwords lock an operator out, a POST without a session
# is refused before its body is read, and a page prints to PDF
# with `chromium --print-to-pdf` (its text read with pdftotext).
# Members: credit (limit, balance, over the limit) and SHU on the members
# page and the statement are the CLI's figures (`credit statement`, `shu
# slip`), a manager sees the store's members only, the statement and the
# RAT print go to PDF with the member's figures, the RAT print a page per
# member (pdfinfo). The exceptions audit flags three voids after subtotal
# and drills down to their receipts, and a receipt opens as pushed (lines,
# the void's approval, taxes, tenders, total), not for another store's
# manager; import lines are in the page's language; a manager uploads the
# own store's prices only. On a server started in English, an Indonesian
# reader's pages are in Bahasa Indonesia.
# Skips (77) only when the browser is absent, and never under CI.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

PY=/usr/bin/python3
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
	! command -v pdftotext >/dev/null || ! "$PY" -c 'import selenium' 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		fail "CI must have chromium, chromium-driver, python3-selenium and poppler-utils (.ci/packages)"
	fi
	echo "SKIP: chromium, chromium-driver, python3-selenium or poppler-utils is not installed"
	exit 77
fi

PW=kata-sandi-rahasia
hq enroll --store TOKO-A --terminal K01
TOK_A=$OUT
hq enroll --store TOKO-B --terminal K01
TOK_B=$OUT
hq coop KMB TOKO-A TOKO-B
expect_rc 0
for op in "dewan --role council" "budi --role manager --store TOKO-A" "siti --role office --coop KMB"; do
	# shellcheck disable=SC2086
	"$COOPMART_HQ" --db "$HQDB" operator add $op <<<"$PW" 2>"$T/.err" || fail "operator add $op: $(cat "$T/.err")"
done
hq operator add rudi --role manager
expect_rc 3
expect_err "a manager --store"
hq operator add rudi --role manager --store TOKO-Z
expect_rc 2

printf '%s\n' "number,name,card_code,status,store,credit_limit" \
	"A-0001,Sri Wahyuni,M0001,active,TOKO-A,100000" "A-0002,Joko Susilo,M0002,left,TOKO-A," \
	"A-0003,Budi Santoso,M0003,active,TOKO-B,50000" >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0

# --- sales: a day d days ago has 8 - d sales of Rp7.000, today 8.
new_till "$T/a.db" K01
$CHAIN import "$T/a.db" >"$T/a.chain"
for d in 7 6 5 4 3 2 1 0; do
	$CHAIN sales "$T/a.chain" $((8 - d)) "$(date -d "-$d days" +%Y%m%d)"
done
$CHAIN append "$T/a.chain" stock_opening '{"as_of":1764403200,"lines":[{"qty":100000,"sku":"SKU-1"}],"part":1,"parts":1}'
$CHAIN append "$T/a.chain" stock_counted '{"count":1,"lines":[{"sku":"SKU-1","qty":-3000}]}'
# Members' money, 20 days ago (outside the overview's week): Sri buys
# Rp120.000 on credit against a limit of Rp100.000 (over it) and pays her
# sukarela with a cash sale; Budi (home store TOKO-B) buys too.
MDAY=$(date -d "-20 days" +%Y%m%d)
YEAR=${MDAY:0:4}
msale() {   # CHAIN RECEIPT MEMBER TOTAL TENDER [DUES-JSON DUES-TOTAL]
	local credit="" dues="${6:-}" dsum="${7:-0}"
	[ "$5" = credit ] && credit=',"credit":{"limit":100000,"outstanding":0}'
	$CHAIN append "$1" sale "{\"receipt\":\"$2\",\"date\":$MDAY,\"member_no\":\"$3\",\"lines\":[],\"total\":$4,\"rounding\":0,\"due\":$(($4 + dsum)),\"change\":0,\"taxes\":[],\"tenders\":[{\"kind\":\"$5\",\"amount\":$(($4 + dsum))}],\"dues\":[$dues],\"dues_total\":$dsum$credit}"
}
# The exceptions audit: user 2 voids a line after subtotal on three
# tickets (the sales K01-000001..3 above), the first with supervisor
# 201's approval (sync/PROTOCOL.md "Approvals in events").
for k in 1 2 3; do
	approval=""
	[ "$k" = 1 ] && approval=',"approved_by":3,"approver":"201","reason":"Wrong scan","approved":"ticket=1 line=1 sku=SKU-1 qty=1000 price=3500 amount=3500 void"'
	$CHAIN append "$T/a.chain" line_voided "{\"ticket\":$k,\"line\":1,\"sku\":\"SKU-1\",\"qty\":1000,\"price\":3500,\"amount\":3500,\"after_subtotal\":true$approval}" "" 2
done
msale "$T/a.chain" K01-900001 A-0001 120000 credit
msale "$T/a.chain" K01-900002 A-0001 30000 cash '{"member_no":"A-0001","kind":"sukarela","month":0,"amount":100000}' 100000
n=$(wc -l <"$T/a.chain")
$CHAIN push "$T/a.chain" TOKO-A 1 "$n" --local-head $((n + 2)) >"$T/a.json"
# The server in Bahasa Indonesia (a page's language is its reader's).
COOPMART_LANG=id hq_start
push "$TOK_A" "$T/a.json" -A coopmart-sync/1
expect_status 200
# A tampered push makes the alert to acknowledge.
$CHAIN push "$T/a.chain" TOKO-A "$n" "$n" --tamper "$n" >"$T/t.json"
push "$TOK_A" "$T/t.json"
expect_status 422
new_till "$T/b.db" K01
$CHAIN import "$T/b.db" >"$T/b.chain"
$CHAIN sales "$T/b.chain" 1 "$(date +%Y%m%d)"
msale "$T/b.chain" K01-900003 A-0003 50000 cash
$CHAIN push "$T/b.chain" TOKO-B 1 "$(wc -l <"$T/b.chain")" >"$T/b.json"
push "$TOK_B" "$T/b.json"
expect_status 200

# One truth: the CLI's report says today's sales are what the page shows.
hq report --from "$(date +%F)" --to "$(date +%F)" --json
expect_eq "today's net sales of TOKO-A (CLI)" 56000 \
	"$(python3 -c 'import json,sys; print(sum(d["net"] for d in json.load(sys.stdin)["days"] if d["store"] == "TOKO-A"))' <<<"$OUT")"


printf '%s\n' "sku,name,price,tax_class" "GULA-1,Gula Pasir 1 kg,17500,standard" \
	"TEH-25,Teh Celup,abc,standard" "KOPI-1,Kopi Bubuk,9000,standard" \
	"MINYAK-2,Minyak Goreng 2 L,-5,standard" >"$T/bad.csv"
printf '%s\n' "sku,name,price,tax_class" "GULA-1,Gula Pasir 1 kg,17500,standard" \
	"TEH-25,Teh Celup,6500,standard" "KOPI-1,Kopi Bubuk,9000,standard" >"$T/good.csv"
# SHU of the members' year, posted; the CLI's figures for the browser to
# find on the pages (one truth).
hq shu year set "$YEAR" --amount 1.000.000
hq shu pool set "$YEAR" jasa-usaha 60
hq shu pool set "$YEAR" jasa-modal 40
hq shu post --year "$YEAR"
expect_rc 0
hq shu slip --year "$YEAR" A-0001
expect_rc 0
SHU_SRI=$(sed -n 's/^\(SHU of the member\|SHU anggota\)[^:]*: //p' <<<"$OUT")
[ -n "$SHU_SRI" ] || fail "no SHU in the slip: $OUT"
# The credit statement month of today (cut-off day 25, HQ's default).
if [ "$(date +%-d)" -gt 25 ]; then PERIOD=$(date -d "$(date +%Y-%m-01) +1 month" +%Y-%m); else PERIOD=$(date +%Y-%m); fi
if [ "${MDAY:6:2}" -gt 25 ]; then MPERIOD=$(date -d "${MDAY:0:4}-${MDAY:4:2}-01 +1 month" +%Y-%m); else MPERIOD=${MDAY:0:4}-${MDAY:4:2}; fi
hq credit statement A-0001 --period "$PERIOD"
expect_rc 0
CREDIT_SRI=$(sed -n 's/^ *\(closing balance\|saldo akhir\) *//p' <<<"$OUT")
expect_eq "Sri's credit balance (CLI)" Rp120.000 "$CREDIT_SRI"
printf '%s\n' "sku,price,member_price" "GULA-1,18000,17500" "NOPE-1,100,90" >"$T/prices-bad.csv"
printf '%s\n' "sku,price,member_price" "GULA-1,18000,17500" >"$T/prices.csv"
# The sale K01-000001 as it was pushed, for the receipt page to match.
SALE1=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "sale" and json.loads(e["payload"])["receipt"] == "K01-000001":
        print(e["payload"]); break' "$T/a.chain")
[ -n "$SALE1" ] || fail "no sale K01-000001 in the scene"
SALE_B=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "sale": print(json.loads(e["payload"])["receipt"]); break' "$T/b.chain")
cat >"$T/facts.json" <<-JSON
	{"password": "$PW", "store": "TOKO-A", "other": "TOKO-B",
	 "sale1": $SALE1, "other_receipt": "$SALE_B",
	 "today": "Rp56.000", "week_before": "Rp7.000",
	 "year": $YEAR, "shu_sri": "$SHU_SRI", "credit_sri": "$CREDIT_SRI", "purchase_period": "$MPERIOD", "limit_sri": "Rp100.000"}
JSON

set +e
SCREENSHOTS="${WEB_SCREENSHOTS:-}" "$PY" "$SRCDIR/tests/sync/web_console.py" "$HQ_URL" "$T" \
	>"$T/browser.out" 2>&1
rc=$?
set -e
cat "$T/browser.out"
[ "$rc" -eq 0 ] || fail "the browser test failed (above)"
CHECKS=$((CHECKS + $(grep -o 'browser: [0-9]*' "$T/browser.out" | grep -o '[0-9]*')))
expect_eq "items after one refused and one good upload" 3 \
	"$(sql "$HQDB" "SELECT count(*) FROM items")"
expect_eq "the store's price, and none of another store's" "TOKO-A|GULA-1|18000|17500" \
	"$(sql "$HQDB" "SELECT store, sku, price, member_price FROM store_prices")"
expect_eq "the acknowledgement kept" "dewan" \
	"$(sql "$HQDB" "SELECT acked_by FROM alerts WHERE acked_at IS NOT NULL")"
expect_eq "siti locked out" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM operators WHERE name = 'siti' AND locked_until > 0")"
expect_eq "the manager's login and logout are in the log" "login logout" \
	"$(sql "$HQDB" "SELECT action FROM web_audit WHERE operator = 'budi' AND action IN ('login', 'logout') ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "only hashes of sessions are kept" 0 \
	"$(sql "$HQDB" "SELECT count(*) FROM web_sessions WHERE length(token_hash) <> 32")"

# --- curl: the same refusals without a browser.
api POST /web/alerts/ack - -d id=1
expect_status 403
# A POST without a session is refused on its headers, its body unread;
# the login form's body is small.
HOSTILE="python3 $SRCDIR/tests/sync/hostile.py"
read -r ST SECS _ < <($HOSTILE early "$HQ_PORT" "$CA" --length 1000000 --path /web/catalogue)
expect_eq "a POST without a session" 403 "$ST"
expect_eq "refused at once ($SECS s)" True "$(python3 -c "print($SECS < 2)")"
read -r ST SECS _ < <($HOSTILE early "$HQ_PORT" "$CA" --length 100000 --path /web/login)
expect_eq "a login form of 100 kB" 413 "$ST"
api GET /web/members -
expect_status 303
expect_header "Location: /web/login"

# --- a page printed to PDF by chromium itself, logged in through the
# profile the browser test left.
chromium --headless=new --no-sandbox --disable-gpu --ignore-certificate-errors \
	--password-store=basic --user-data-dir="$T/profile" --no-pdf-header-footer \
	--print-to-pdf="$T/members.pdf" "$HQ_URL/web/members" >"$T/pdf.log" 2>&1 ||
	fail "chromium --print-to-pdf: $(tail -3 "$T/pdf.log")"
pdftotext -layout "$T/members.pdf" "$T/members.txt"
grep -F "Sri Wahyuni" "$T/members.txt" >/dev/null || fail "the PDF lacks the member: $(cat "$T/members.txt")"
grep -F "A-0002" "$T/members.txt" >/dev/null || fail "the PDF lacks the second member"
# Each member's dues standing (the same figures as `dues arrears`).
grep -F "Status simpanan per" "$T/members.txt" >/dev/null || fail "the PDF lacks the dues standing"
grep -E "^ *A-0001 +Sri Wahyuni +aktif +TOKO-A +0 " "$T/members.txt" >/dev/null ||
	fail "the PDF lacks Sri's months owed: $(cat "$T/members.txt")"
CHECKS=$((CHECKS + 4))
if grep -E "Log out|Keluar|Ringkasan" "$T/members.txt" >/dev/null; then
	fail "the printed page carries the menu (print CSS)"
fi

# --- a member's statement and the RAT print on paper: the member's
# figures (the CLI's), one printed page per member.
print_pdf() {   # PATH-AND-QUERY NAME
	chromium --headless=new --no-sandbox --disable-gpu --ignore-certificate-errors \
		--password-store=basic --user-data-dir="$T/profile" --no-pdf-header-footer \
		--print-to-pdf="$T/$2.pdf" "$HQ_URL$1" >"$T/pdf.log" 2>&1 ||
		fail "chromium --print-to-pdf $1: $(tail -3 "$T/pdf.log")"
	pdftotext -layout "$T/$2.pdf" "$T/$2.txt"
	PAGES=$(pdfinfo "$T/$2.pdf" | sed -n 's/^Pages: *//p')
}
has() {   # FILE TEXT WHAT
	CHECKS=$((CHECKS + 1))
	grep -F -- "$2" "$T/$1.txt" >/dev/null || fail "$3: $2 not in $1.pdf: $(cat "$T/$1.txt")"
}
print_pdf "/web/members/statement?m=A-0001" statement
has statement "A-0001 Sri Wahyuni" "the statement names the member"
has statement "$CREDIT_SRI" "the statement's credit balance (credit statement)"
has statement "$SHU_SRI" "the statement's SHU (shu slip)"
has statement "Rp100.000" "the statement's pokok and credit limit"
print_pdf "/web/members/rat?store=TOKO-A" rat
expect_eq "the RAT print of TOKO-A: one page per member" 2 "$PAGES"
has rat "A-0001 Sri Wahyuni" "Sri's sheet"
has rat "A-0002 Joko Susilo" "Joko's sheet"
has rat "$SHU_SRI" "Sri's SHU on the RAT print"
has rat "$CREDIT_SRI" "Sri's credit on the RAT print"
# Each page holds one member: Sri on the first, Joko on the second.
pdftotext -f 2 -l 2 -layout "$T/rat.pdf" "$T/rat2.txt"
expect_eq "the second page is Joko's alone" "0 1" \
	"$(grep -c "A-0001 Sri" "$T/rat2.txt" || true) $(grep -c "A-0002 Joko" "$T/rat2.txt" || true)"
print_pdf "/web/members/rat" rat-all
expect_eq "the council's RAT print: one page per member" 3 "$PAGES"
if grep -E "Log out|Keluar|Ringkasan" "$T/rat.txt" >/dev/null; then
	fail "the RAT print carries the menu (print CSS)"
fi

# --- a receipt on paper: its lines and total, without the menu.
print_pdf "/web/receipt?store=TOKO-A&receipt=K01-000001" receipt
has receipt "K01-000001" "the printed receipt names itself"
has receipt "SKU-1" "the printed receipt's line"
has receipt "Rp10.000" "the printed receipt's cash handed over"
has receipt "Rp694" "the printed receipt's PPN"
if grep -E "Log out|Keluar|Ringkasan|Overview" "$T/receipt.txt" >/dev/null; then
	fail "the printed receipt carries the menu (print CSS)"
fi

# --- a server started in English: its pages are their readers'
# language all the same (the Indonesian page above all).
hq_stop
COOPMART_LANG=en hq_start
set +e
"$PY" "$SRCDIR/tests/sync/web_console.py" "$HQ_URL" "$T" english-server >"$T/browser.out" 2>&1
rc=$?
set -e
cat "$T/browser.out"
[ "$rc" -eq 0 ] || fail "the browser test on an English server failed (above)"
CHECKS=$((CHECKS + $(grep -o 'browser: [0-9]*' "$T/browser.out" | grep -o '[0-9]*')))

hq_stop
done_ok
