# CSV exports (--csv) of sales, day totals, the journal and the stock
# reports, read back the way a spreadsheet in Indonesian locale reads them:
# ';' between fields, ',' the decimal separator, '.' a thousands separator.
# Every number must come out as the figure the store has ("35" pieces, never
# "35.000", which such a spreadsheet reads as 35000), and the files must
# agree with the database and with each other.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell helper (tests/CMakeLists.txt)}"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
C=135790
run --stdin "$A"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 setting set pkp 1
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
printf 'sku;cost\nBRS-PRM-5;62.000\nMIE-GRG;2.800\nDGG-SPI;110.000\n' >"$T/info.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import stock-info "$T/info.csv"
expect_rc 0
# 35 noodles and 3,5 kg of beef as HQ last sent them; a name with ';' and '"'.
sql "$DB" "INSERT INTO stock_snapshot(item_id, qty, as_of) SELECT id, CASE sku
	WHEN 'MIE-GRG' THEN 35000 ELSE 3500 END, 0 FROM items WHERE sku IN ('MIE-GRG', 'DGG-SPI')"
sql "$DB" "UPDATE items SET name = 'Daging Sapi \"Has\"; Dalam' WHERE sku = 'DGG-SPI'"

"$SYNC_SELL" "$DB" 101 "$C" 4 BRS-PRM-5 MIE-GRG >"$T/sales"
[ "$(wc -l <"$T/sales")" -eq 4 ] || fail "sync_sell made no sales"
TODAY=$(sql "$DB" "SELECT business_date FROM sales LIMIT 1")
DAY="${TODAY:0:4}-${TODAY:4:2}-${TODAY:6:2}"

# check_csv FILE SCRIPT: parses FILE as an Indonesian-locale spreadsheet
# would and runs the python SCRIPT with `rows` (header first) and num().
check_csv() {
	CHECKS=$((CHECKS + 1))
	python3 - "$1" "$2" <<'PY' || fail "CSV check failed on $1"
import csv, json, re, sys
path, script = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=";"))
assert rows, "empty file"
width = len(rows[0])
for r in rows:
    assert len(r) == width, "row of %d fields, header has %d: %r" % (len(r), width, r)

def num(s):
    # What id-ID spreadsheet locale makes of a cell: '.' groups thousands,
    # ',' is the decimal separator. The export must never rely on grouping.
    assert re.fullmatch(r"-?[0-9]+(,[0-9]+)?", s), "not a plain number: %r" % s
    return float(s.replace(",", ".")) if "," in s else int(s)

exec(script)
PY
}

# --- sale list --csv: one row per sale, totals as the database has them.
run --db "$DB" sale list --date "$DAY" --csv
expect_rc 0; expect_no_err
printf '%s\n' "$OUT" >"$T/sales.csv"
expect_eq "sales header" "receipt_no;business_date;completed_at;gross;discounts;total;rounding;due;paid;change;tax;journal_seq" "$(head -1 "$T/sales.csv")"
DUE=$(sql "$DB" "SELECT group_concat(receipt_no || '=' || due, ' ') FROM (SELECT receipt_no, total + rounding AS due FROM sales ORDER BY id)")
check_csv "$T/sales.csv" "
h = rows[0]; body = rows[1:]
assert len(body) == 4, body
got = ' '.join('%s=%d' % (r[0], num(r[h.index('due')])) for r in body)
assert got == '$DUE', (got, '$DUE')
for r in body:
    assert r[1] == '$DAY', r
    assert re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d', r[2]), r
    d = dict(zip(h, r))
    assert num(d['due']) == num(d['total']) + num(d['rounding']), d
    assert num(d['paid']) - num(d['change']) == num(d['due']), d
"

# --- report day --csv: the same day's figures, agreeing with the sales.
run --db "$DB" report day --date "$DAY" --csv
expect_rc 0; expect_no_err
printf '%s\n' "$OUT" >"$T/day.csv"
expect_eq "day header" "date;section;key;count;amount;tax" "$(head -1 "$T/day.csv")"
TOTAL=$(sql "$DB" "SELECT sum(total) FROM sales")
TAX=$(sql "$DB" "SELECT sum(tax) FROM sale_taxes")
check_csv "$T/day.csv" "
d = {(r[1], r[2]): r for r in rows[1:]}
assert all(r[0] == '$DAY' for r in rows[1:])
assert num(d[('total', 'sales')][3]) == 4
assert num(d[('total', 'sales')][4]) == $TOTAL
assert sum(num(r[5]) for r in rows[1:] if r[1] == 'tax_class') == $TAX
assert sum(num(r[4]) for r in rows[1:] if r[1] == 'tender') == num(d[('total', 'sales')][4]) + num(d[('total', 'rounding')][4])
assert num(d[('cashier', '101 Siti')][3]) == 4
sales = list(csv.reader(open('$T/sales.csv', encoding='utf-8'), delimiter=';'))
assert sum(num(r[5]) for r in sales[1:]) == $TOTAL
assert d[('total', 'voided_lines')][4] == ''
"
run --db "$DB" report day --csv --date 2026-13-01
expect_rc 3

# --- journal list --csv: every event, payload and hash as stored.
run --db "$DB" journal list --csv
expect_rc 0; expect_no_err
printf '%s\n' "$OUT" >"$T/journal.csv"
sql "$DB" "SELECT seq || ' ' || hex(hash) FROM journal ORDER BY seq" >"$T/hashes"
sql "$DB" "SELECT payload FROM journal ORDER BY seq" >"$T/payloads"
check_csv "$T/journal.csv" "
assert rows[0] == ['seq', 'time', 'type', 'user', 'hash', 'payload'], rows[0]
hashes = open('$T/hashes').read().split('\n')[:-1]
got = ['%d %s' % (num(r[0]), r[4].upper()) for r in rows[1:]]
assert got == hashes, (got[:3], hashes[:3])
payloads = open('$T/payloads', encoding='utf-8').read().split('\n')[:-1]
assert [r[5] for r in rows[1:]] == payloads
for r in rows[1:]:
    json.loads(r[5])
assert sum(1 for r in rows[1:] if r[2] == 'sale') == 4
"
run --db "$DB" journal list --from 3 --csv
expect_rc 0
expect_eq "from 3: first row" 3 "$(sed -n 2p <<<"$OUT" | cut -d';' -f1)"

# --- stock reports: 35 pieces read as 35, 3,5 kg as 3.5, names intact.
run --db "$DB" report stock-value --csv
expect_rc 0
printf '%s\n' "$OUT" >"$T/value.csv"
check_csv "$T/value.csv" "
h = rows[0]
assert h == ['sku', 'name', 'category', 'qty', 'cost', 'value'], h
d = {r[0]: dict(zip(h, r)) for r in rows[1:]}
assert d['DGG-SPI']['name'] == 'Daging Sapi \"Has\"; Dalam', d['DGG-SPI']
assert num(d['DGG-SPI']['qty']) == 3.5, d['DGG-SPI']
assert num(d['DGG-SPI']['value']) == 385000
# 35 noodles less the 1+2+3+1 the four sales took.
assert num(d['MIE-GRG']['qty']) == 28, d['MIE-GRG']
assert num(d['MIE-GRG']['value']) == 28 * 2800
"
done_ok
