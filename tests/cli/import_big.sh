# coopmart import items with a file larger than one chunk (256 KiB): it is
# streamed straight into a catalogue built beside the live one, switched
# in at the end. The same rules as a small file: all or nothing, bad rows reported
# with their own line numbers (also in later chunks, and a SKU or barcode
# repeated from an earlier chunk), --skip-bad, one journal event with the
# file's hash; the name search finds the new items and nothing of the
# build is left behind.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
ROWS=12000
items() { sql "$DB" "SELECT count(*) FROM items"; }

# gen FILE [BAD...]: ROWS rows of realistic names with valid EAN-13s;
# each BAD is "LINE:KIND" (price, dupsku, dupcode, skuofN: the SKU of
# line N) spoiling that line.
gen() {
	python3 - "$ROWS" "$@" <<'EOF'
import sys
n, path, bad = int(sys.argv[1]), sys.argv[2], dict(b.split(":") for b in sys.argv[3:])
def ean13(body):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
with open(path, "w") as f:
    f.write("sku,name,price,barcodes,category\n")
    for i in range(n):
        line = i + 2
        sku, code, price = f"B{i:06d}", ean13("899" + f"{i:09d}"), 1000 + i
        kind = bad.get(str(line))
        if kind == "price": price = "abc"
        if kind == "dupsku": sku = "B000003"
        if kind == "dupcode": code = ean13("899" + f"{5:09d}")
        if kind and kind.startswith("skuof"): sku = f"B{int(kind[5:]) - 2:06d}"
        f.write(f'{sku},"Indomie Mi Goreng Rasa {i}, 85 g",{price},{code},Mie Instan\n')
EOF
}

# --- bad rows in a late chunk: nothing imported, each reported on its line.
gen "$T/bad.csv" 11000:price 11500:dupsku 11900:dupcode
CHECKS=$((CHECKS + 1))
[ "$(stat -c %s "$T/bad.csv")" -gt 300000 ] || fail "the file is not bigger than one chunk"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/bad.csv"
expect_rc 3
expect_err "line 11000: "
expect_err "line 11500: SKU B000003 appears twice (line 5)"
expect_err "line 11900: barcode 8990000000051 appears twice (line 7)"
expect_err "3 bad rows: nothing was imported"
expect_eq "nothing imported" 0 "$(items)"
expect_eq "no import event" 0 "$(events "$DB" catalogue_import)"
expect_eq "nothing staged" 0 "$(sql "$DB" "SELECT count(*) FROM catalogue_staging")"

# --- --skip-bad: the good rows, one event.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/bad.csv" --skip-bad
expect_rc 0
expect_out_exact "$ROWS rows: $((ROWS - 3)) new, 0 updated, 3 bad rows skipped"
expect_eq "items" $((ROWS - 3)) "$(items)"

# --- a clean file updates every item at once; the event carries the hash.
gen "$T/good.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/good.csv"
expect_rc 0
expect_out_exact "$ROWS rows: 3 new, $((ROWS - 3)) updated, 0 bad rows skipped"
expect_eq "items" "$ROWS" "$(items)"
expect_eq "a price" 12999 "$(sql "$DB" "SELECT price FROM items WHERE sku = 'B011999'")"
expect_eq "a barcode" B000005 "$(sql "$DB" "SELECT i.sku FROM barcodes b JOIN items i ON i.id = b.item_id
	WHERE b.code = '8990000000051'")"
hash=$(b2sum -l 256 "$T/good.csv" | cut -d' ' -f1)
case "$(sql "$DB" "SELECT payload FROM journal WHERE type = 'catalogue_import' ORDER BY seq DESC LIMIT 1")" in
*"\"rows\":$ROWS,\"created\":3,\"updated\":$((ROWS - 3)),\"skipped\":0,\"file_blake2b\":\"$hash\""*) ;;
*) fail "catalogue_import payload" ;;
esac
CHECKS=$((CHECKS + 1))
expect_eq "search" B011999 "$(sql "$DB" "SELECT i.sku FROM items_fts f JOIN items i ON i.id = f.rowid
	WHERE items_fts MATCH 'indo* rasa 11999'")"
expect_eq "search index integrity" "" "$(sql "$DB" "INSERT INTO items_fts(items_fts, rank)
	VALUES ('integrity-check', 1)")"
# the build indexes with a big pending buffer and no merging as it goes;
# the live index keeps FTS5's defaults
expect_eq "index settings of the build left behind" 0 "$(sql "$DB" "SELECT count(*)
	FROM items_fts_config WHERE k IN ('hashsize', 'automerge')")"
expect_eq "no build left" 0 "$(sql "$DB" "SELECT count(*) FROM sqlite_schema
	WHERE name LIKE '%\_next%' ESCAPE '\' OR name LIKE '%\_old%' ESCAPE '\'")"
expect_eq "nothing staged" 0 "$(sql "$DB" "SELECT count(*) FROM catalogue_staging")"
CHECKS=$((CHECKS + 1))
[ ! -e "$DB-catgen" ] || fail "the index scratch file is left"
expect_eq "foreign keys" "" "$(sql "$DB" "PRAGMA foreign_key_check")"
run --db "$DB" journal verify
expect_rc 0

# --- a line refused for its barcode still holds its SKU: a later line
# with that SKU is a repeat of it, in the same chunk (the parser's
# message, naming the file's line, not the chunk's) or a later one (the
# refused line is in no table of the build).
ROWS=20000 gen "$T/refused.csv" 11000:dupcode 11010:skuof11000 19950:skuof11000
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/refused.csv"
expect_rc 3
expect_err "line 11000: barcode 8990000000051 appears twice (line 7)"
expect_err "line 11010: sku \"B010998\" already appears on line 11000"
expect_err "line 19950: SKU B010998 appears twice (line 11000)"
expect_err "3 bad rows: nothing was imported"

# --- the rows go straight into the build, written once: nothing is
# staged while the file is read. A kill -9 then leaves the live catalogue
# as it was, and the next import starts afresh.
ROWS=80000
gen "$T/big.csv"
before=$(sql "$DB" "SELECT group_concat(sku || price, ',') FROM (SELECT sku, price FROM items
	ORDER BY id)")
# building BIN: rows written so far into the build, or staged (either).
building() {
	sqlite3 -batch -noheader -cmd ".timeout 2000" "$DB" "SELECT
		(SELECT count(*) FROM catalogue_staging) || ' ' ||
		COALESCE((SELECT count(*) FROM items_next), 0)" 2>/dev/null || echo "0 0"
}
# waits (up to 60 s) until the running import $1 wrote rows
wait_rows() {
	local i st nx
	for i in $(seq 600); do
		read -r st nx <<<"$(building)"
		[ "$st" -gt 0 ] || [ "${nx:-0}" -gt "$ROWS_BEFORE" ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
ROWS_BEFORE=$(items)
printf '%s\n' "$A" | "$COOPMART" --db "$DB" --user 1 import items "$T/big.csv" >/dev/null 2>&1 &
pid=$!
CHECKS=$((CHECKS + 1))
wait_rows "$pid" || fail "the import wrote nothing to wait for"
read -r st nx <<<"$(building)"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
expect_eq "nothing staged while reading" 0 "$st"
CHECKS=$((CHECKS + 1))
[ "$nx" -gt "$ROWS_BEFORE" ] || fail "no rows in the build while reading ($nx)"
expect_eq "the live catalogue untouched by the killed import" "$before" "$(sql "$DB" "SELECT
	group_concat(sku || price, ',') FROM (SELECT sku, price FROM items ORDER BY id)")"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/big.csv"
expect_rc 0
expect_out_exact "$ROWS rows: $((ROWS - 12000)) new, 12000 updated, 0 bad rows skipped"
expect_eq "items after the import run again" "$ROWS" "$(items)"
expect_eq "no build left after the kill" 0 "$(sql "$DB" "SELECT count(*) FROM sqlite_schema
	WHERE name LIKE '%\_next%' ESCAPE '\' OR name LIKE '%\_old%' ESCAPE '\'")"

# --- the live catalogue changes during the import (a price set at the
# till): the build started from the old catalogue is not switched in; the
# file is read again into a new one, which keeps the change.
sql "$DB" "UPDATE items SET price = 5 WHERE sku = 'B000001'"
python3 - "$T/big.csv" "$T/big2.csv" <<'EOF2'
import sys
rows = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as f:
    f.write(rows[0] + "\n")
    for r in rows[3:]:                       # B000001 not in the file
        f.write(r.replace(",Mie Instan", ",Mi Instan") + "\n")
EOF2
ROWS_BEFORE=$(items)
printf '%s\n' "$A" | "$COOPMART" --db "$DB" --user 1 import items "$T/big2.csv" >"$T/imp.out" 2>"$T/imp.err" &
pid=$!
CHECKS=$((CHECKS + 1))
for i in $(seq 600); do # the file being read into the build (phase 1)
	[ "$(sqlite3 -batch -noheader -cmd ".timeout 2000" "$DB" "SELECT count(*)
		FROM catalogue_build WHERE phase = 1" 2>/dev/null)" = 1 ] && break
	kill -0 "$pid" 2>/dev/null || fail "the import ended before it could be disturbed"
	sleep 0.1
done
sqlite3 -batch -cmd ".timeout 5000" "$DB" "UPDATE items SET price = 7 WHERE sku = 'B000001'"
set +e
wait "$pid"
RC=$?
set -e
expect_rc 0
expect_eq "the till's change kept" 7 "$(sql "$DB" "SELECT price FROM items WHERE sku = 'B000001'")"
expect_eq "the file applied" "Mi Instan" "$(sql "$DB" "SELECT c.name FROM items i
	JOIN categories c ON c.id = i.category_id WHERE i.sku = 'B079999'")"
expect_eq "one event for the import" 1 "$(sql "$DB" "SELECT count(*) FROM journal
	WHERE type = 'catalogue_import' AND payload LIKE '%\"rows\":$((ROWS - 2)),%'")"
expect_eq "search index integrity after the second build" "" "$(sql "$DB" "INSERT INTO
	items_fts(items_fts, rank) VALUES ('integrity-check', 1)")"
run --db "$DB" journal verify
expect_rc 0

# --- few names change (a price list with one item renamed and one new):
# the live index stays, and the switch changes only those rows in it.
python3 - "$T/big2.csv" "$T/rename.csv" <<'EOF4'
import sys
rows = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as f:
    f.write(rows[0] + "\n")
    for r in rows[1:]:
        if r.startswith("B000005,"):
            r = r.replace("Indomie Mi Goreng Rasa 5,", "Sarimi Soto Koya 5,")
        f.write(r.replace(",Mi Instan", ",Mie Instan") + "\n")
    f.write('Z000001,"Kecap Manis Bango 620 ml",24500,8991234567891,Bumbu\n')
EOF4
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/rename.csv"
expect_rc 0
fts() { sql "$DB" "SELECT group_concat(i.sku) FROM items_fts f JOIN items i ON i.id = f.rowid
	WHERE items_fts MATCH '$1'"; }
expect_eq "the new name found" B000005 "$(fts 'sarimi soto')"
expect_eq "the old name gone" "" "$(fts 'indomie rasa 5' | tr ',' '\n' | grep -x B000005 || true)"
expect_eq "an unchanged name found" B011999 "$(fts 'indo* rasa 11999')"
expect_eq "the new item found" Z000001 "$(fts 'kecap bango')"
expect_eq "search index integrity after the few-names build" "" "$(sql "$DB" "INSERT INTO
	items_fts(items_fts, rank) VALUES ('integrity-check', 1)")"

# --- every price changed, two items left out, one item's barcode
# replaced, 1,600 items renamed (more than the switch patches into the
# live name index, see the section above; the index starts from a copy
# of the live one): the build starts empty, each row is written into it
# once with its live item's id, and the live items no row names are
# copied after the file as they are, with their barcodes; stock stays
# with its item.
run --stdin "$A"$'\n' --db "$DB" --user 1 adjust B000007 5 --reason found
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 adjust B000009 3 --reason found
expect_rc 0
python3 - "$T/rename.csv" "$T/prices.csv" <<'EOF5'
import csv, sys
def ean13(body):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        if r[0] in ("B000009", "Z000001"):
            continue                              # left out
        r[2] = str(int(r[2]) + 1000)
        if int(r[0][1:]) % 50 == 25:
            r[1] = r[1].replace("Indomie Mi Goreng Rasa", "Supermi Kari Ayam")
        if r[0] == "B000008":
            r[3] = ean13("897000000008")
        w.writerow(r)
EOF5
ids() { sql "$DB" "SELECT group_concat(id || sku) FROM (SELECT id, sku FROM items ORDER BY id)" |
	md5sum; }
price() { sql "$DB" "SELECT price FROM items WHERE sku = '$1'"; }
owner() { sql "$DB" "SELECT i.sku FROM barcodes b JOIN items i ON i.id = b.item_id
	WHERE b.code = '$1'"; }
stock() { sql "$DB" "SELECT qty FROM stock_levels WHERE item_id = (SELECT id FROM items
	WHERE sku = '$1')"; }
ids_before=$(ids)
p9=$(price B000009)
p10=$(price B000010)
code8=$(sql "$DB" "SELECT code FROM barcodes WHERE item_id = (SELECT id FROM items
	WHERE sku = 'B000008')")
code9=$(sql "$DB" "SELECT code FROM barcodes WHERE item_id = (SELECT id FROM items
	WHERE sku = 'B000009')")
n_prices=$(($(wc -l <"$T/prices.csv") - 1))
# killed while the file is read: the build holds the rows read so far and
# no live item beyond them (it is not a copy of the catalogue first)
printf '%s\n' "$A" | "$COOPMART" --db "$DB" --user 1 import items "$T/prices.csv" >/dev/null 2>&1 &
pid=$!
ROWS_BEFORE=0
CHECKS=$((CHECKS + 1))
wait_rows "$pid" || fail "the re-import wrote nothing to wait for"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
expect_eq "the file's last item not in the build yet" 0 "$(sql "$DB" "SELECT count(*)
	FROM items_next WHERE sku = 'B079999'")"
expect_eq "an item left out not in the build" 0 "$(sql "$DB" "SELECT count(*)
	FROM items_next WHERE sku = 'B000009'")"
expect_eq "the live catalogue untouched by the killed re-import" "$p10" "$(price B000010)"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/prices.csv"
expect_rc 0
expect_out_exact "$n_prices rows: 0 new, $n_prices updated, 0 bad rows skipped"
expect_eq "every item kept its id" "$ids_before" "$(ids)"
expect_eq "a new price" $((p10 + 1000)) "$(price B000010)"
expect_eq "an item left out keeps its price" "$p9" "$(price B000009)"
expect_eq "an item left out keeps its barcode" B000009 "$(owner "$code9")"
expect_eq "an item left out still found by name" Z000001 "$(fts 'kecap bango')"
expect_eq "the replaced barcode gone" "" "$(owner "$code8")"
expect_eq "the new barcode" B000008 "$(owner 8970000000084)"
expect_eq "a renamed item found" B001025 "$(fts 'supermi kari 1025')"
expect_eq "its old name gone" "" "$(fts 'indomie rasa 1025' | tr ',' '\n' | grep -x B001025 || true)"
expect_eq "stock of an item in the file" 5000 "$(stock B000007)"
expect_eq "stock of an item left out" 3000 "$(stock B000009)"
expect_eq "one barcode an item" "$(items)" "$(sql "$DB" "SELECT count(*) FROM barcodes")"
expect_eq "search index integrity after the re-import" "" "$(sql "$DB" "INSERT INTO
	items_fts(items_fts, rank) VALUES ('integrity-check', 1)")"
expect_eq "foreign keys after the re-import" "" "$(sql "$DB" "PRAGMA foreign_key_check")"
expect_eq "no build left after the re-import" 0 "$(sql "$DB" "SELECT count(*) FROM sqlite_schema
	WHERE name LIKE '%\_next%' ESCAPE '\' OR name LIKE '%\_old%' ESCAPE '\'")"

# --- a barcode moved to another item in a re-import: refused on its line
# like any code another item holds; with --skip-bad the refused row's item
# stays as it was (copied as an item no row names) and the code stays put.
code11=$(sql "$DB" "SELECT code FROM barcodes WHERE item_id = (SELECT id FROM items
	WHERE sku = 'B000011')")
code12=$(sql "$DB" "SELECT code FROM barcodes WHERE item_id = (SELECT id FROM items
	WHERE sku = 'B000012')")
p12=$(price B000012)
python3 - "$T/prices.csv" "$T/moved.csv" "$code11" <<'EOF6'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        r[2] = str(int(r[2]) + 1)
        if r[0] == "B000011":
            r[3] = ""                             # gives its code up ...
        if r[0] == "B000012":
            r[3] = sys.argv[3]                    # ... to this one
        w.writerow(r)
EOF6
line12=$(python3 - "$T/moved.csv" <<'EOF7'
import csv, sys
print(next(n for n, r in enumerate(csv.reader(open(sys.argv[1])), start=1) if r[0] == "B000012"))
EOF7
)
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/moved.csv"
expect_rc 3
expect_err "line $line12: barcode $code11 belongs to item B000011 already"
expect_err "1 bad rows: nothing was imported"
expect_eq "nothing imported" $((p10 + 1000)) "$(price B000010)"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/moved.csv" --skip-bad
expect_rc 0
expect_out_exact "$n_prices rows: 0 new, $((n_prices - 1)) updated, 1 bad rows skipped"
expect_eq "the others' new prices" $((p10 + 1001)) "$(price B000010)"
expect_eq "the refused row's item as it was" "$p12" "$(price B000012)"
expect_eq "... with its own barcode" B000012 "$(owner "$code12")"
expect_eq "the code left with no item" "" "$(owner "$code11")"
expect_eq "every item kept its id after the skipped row" "$ids_before" "$(ids)"

# --- several barcodes and scale PLUs in a big file: every code on its
# own item (new items are written 32 rows a statement), and a PLU
# repeated in a later chunk is refused as in the same chunk.
P="$T/plu.db"
new_store "$P"
python3 - "$T/plu.csv" <<'EOF3'
import sys
def ean13(body):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
with open(sys.argv[1], "w") as f:
    f.write("sku,name,price,barcodes,weighed,plu\n")
    for i in range(12000):
        codes = ean13("899" + f"{i:09d}")
        if i % 2 == 0: codes += " " + ean13("898" + f"{i:09d}")
        weighed, plu = ("1", str(i // 50 + 1)) if i % 50 == 0 else ("0", "")
        if i == 10998: weighed, plu = "1", "1"     # line 11000: the PLU of line 2
        f.write(f'P{i:06d},"Beras Pandan Wangi {i}",{1000 + i},{codes},{weighed},{plu}\n')
EOF3
run --stdin "$A"$'\n' --db "$P" --user 1 import items "$T/plu.csv"
expect_rc 3
expect_err "line 11000: scale PLU 1 appears twice (line 2)"
expect_err "1 bad rows: nothing was imported"
run --stdin "$A"$'\n' --db "$P" --user 1 import items "$T/plu.csv" --skip-bad
expect_rc 0
expect_out_exact "12000 rows: 11999 new, 0 updated, 1 bad rows skipped"
expect_eq "barcodes" 17998 "$(sql "$P" "SELECT count(*) FROM barcodes")"
expect_eq "each barcode on its own item" 0 "$(sql "$P" "SELECT count(*) FROM barcodes b
	JOIN items i ON i.id = b.item_id
	WHERE CAST(substr(b.code, 4, 9) AS INTEGER) <> CAST(substr(i.sku, 2) AS INTEGER)")"
expect_eq "PLU 1 stays on the first line's item" P000000 "$(sql "$P" "SELECT sku FROM items
	WHERE plu = 1")"
expect_eq "scale items" 240 "$(sql "$P" "SELECT count(*) FROM items WHERE plu IS NOT NULL")"
expect_eq "foreign keys of the batched rows" "" "$(sql "$P" "PRAGMA foreign_key_check")"

# --- on a terminal the import shows rows read, of about how many, the
# rate and the time left (estimated from the bytes read).
new_store "$T/tty.db"
CHECKS=$((CHECKS + 1))
script -qec "printf '%s\n' '$A' | COOPMART_LANG=en '$COOPMART' --db '$T/tty.db' --user 1 \
	import items '$T/big.csv'" /dev/null >"$T/tty.out" 2>&1 || fail "import on a terminal failed"
grep -E 'rows read: [0-9.]+ / [0-9.]+  [0-9.]+/s  [0-9]+ s left' "$T/tty.out" >/dev/null ||
	fail "no progress of rows with the time left on a terminal: $(tr '\r' '\n' <"$T/tty.out" | tail -3)"

done_ok
