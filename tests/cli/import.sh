# coopmart import items: good file, bad rows, --skip-bad, malformed CSV,
# missing file, permissions.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
run --stdin "$A"$'\n'"135790"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
items() { sql "$DB" "SELECT count(*) FROM items"; }
imports() { events "$DB" catalogue_import; }

# --- a good file: counts printed, items, barcodes, categories stored.
cat >"$T/good.csv" <<'CSV'
sku,name,price,barcodes,member_price,tax_class,unit,weighed,plu,category,supplier
BRS-PRM-5,Beras Premium Cap Bunga 5 kg,78.500,8991234567891,76000,exempt,pcs,0,,Beras,PT Sumber Pangan
MIE-GRG,Indomie Goreng 85 g,3.500,089686010947,,standard,pcs,0,,Mie Instan,Indofood
DGG-SPI,Daging Sapi Has Dalam,135000,,,exempt,kg,1,101,Daging,
"SBN-LIFE","Sabun ""Lifebuoy"", 75 g",Rp4.200,8991234567808 | 12345670,,luxury,,,,,
CSV
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/good.csv"
expect_rc 0
expect_out_exact "4 rows: 4 new, 0 updated, 0 bad rows skipped"
expect_no_err
expect_eq "items" 4 "$(items)"
expect_eq "rice" "Beras Premium Cap Bunga 5 kg|78500|76000|0|0" \
	"$(sql "$DB" "SELECT name, price, member_price, tax_class, weighed FROM items WHERE sku = 'BRS-PRM-5'")"
expect_eq "weighed meat" "1|101|kg" "$(sql "$DB" "SELECT weighed, plu, unit FROM items WHERE sku = 'DGG-SPI'")"
expect_eq "quoted name" 'Sabun "Lifebuoy", 75 g|4200|2' \
	"$(sql "$DB" "SELECT name, price, tax_class FROM items WHERE sku = 'SBN-LIFE'")"
# Barcodes are stored under their 13-digit key: UPC-A and EAN-8 with leading zeros.
expect_eq "barcodes" "0000012345670|0089686010947|8991234567808|8991234567891" \
	"$(sql "$DB" "SELECT group_concat(code, '|') FROM (SELECT code FROM barcodes ORDER BY code)")"
expect_eq "categories" 3 "$(sql "$DB" "SELECT count(*) FROM categories")"
expect_eq "import events" 1 "$(imports)"
expect_out_has_event=$(sql "$DB" "SELECT payload FROM journal WHERE type = 'catalogue_import'")
case "$expect_out_has_event" in
*'"rows":4,"created":4,"updated":0,"skipped":0'*) ;;
*) fail "catalogue_import payload: $expect_out_has_event" ;;
esac

# --- the same file again: every row is an update.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/good.csv"
expect_rc 0; expect_out_exact "4 rows: 0 new, 4 updated, 0 bad rows skipped"
expect_eq "items" 4 "$(items)"

# --- a file with bad rows: every bad row on stderr as "FILE: line N: ...",
# exit 3, nothing imported (not even the good rows, not the price change).
cat >"$T/bad.csv" <<'CSV'
sku,name,price,barcodes
GULA-1,Gula Pasir 1 kg,15000,
MIE-GRG,Indomie Goreng 85 g,3.900,
TEH-1,,12000,
KOPI-1,Kopi Bubuk,abc,
SUSU-1,Susu UHT,-5,
AIR-1,Air Mineral,3000,8991234567890
GULA-1,Gula lagi,100,
CSV
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/bad.csv"
expect_rc 3
expect_no_out
expect_err "$T/bad.csv: line 4: name is empty"
expect_err "$T/bad.csv: line 5: price \"abc\""
expect_err "$T/bad.csv: line 6: "
expect_err "$T/bad.csv: line 7: barcode \"8991234567890\" has a wrong check digit"
expect_err "$T/bad.csv: line 8: sku \"GULA-1\" already appears on line 2"
expect_err "nothing was imported"
for good in 2 3; do
	grep -q "line $good:" <<<"$ERR" && fail "good line $good reported as bad"
done
expect_eq "bad-row lines reported" 5 "$(grep -c ': line [0-9]*: ' <<<"$ERR")"
expect_eq "items after a refused import" 4 "$(items)"
expect_eq "GULA-1 not imported" 0 "$(sql "$DB" "SELECT count(*) FROM items WHERE sku = 'GULA-1'")"
expect_eq "MIE-GRG price unchanged" 3500 "$(sql "$DB" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "import events after a refused import" 2 "$(imports)"
run --db "$DB" journal list
expect_rc 0
expect_eq "journaled imports listed" 2 "$(grep -c catalogue_import <<<"$OUT")"

# A barcode that belongs to another SKU in the database is a bad row too.
cat >"$T/clash.csv" <<'CSV'
sku,name,price,barcodes
KECAP-1,Kecap Manis,9000,089686010947
CSV
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/clash.csv"
expect_rc 3; expect_err "$T/clash.csv: line 2: "; expect_err "MIE-GRG"
expect_eq "items after a clash" 4 "$(items)"

# --- --skip-bad: the good rows go in, the bad ones are reported.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/bad.csv" --skip-bad
expect_rc 0
expect_out_exact "7 rows: 1 new, 1 updated, 5 bad rows skipped"
expect_err "$T/bad.csv: line 4: name is empty"
expect_eq "bad-row lines reported" 5 "$(grep -c ': line [0-9]*: ' <<<"$ERR")"
expect_eq "items after --skip-bad" 5 "$(items)"
expect_eq "GULA-1 from line 2" "Gula Pasir 1 kg" "$(sql "$DB" "SELECT name FROM items WHERE sku = 'GULA-1'")"
expect_eq "MIE-GRG new price" 3900 "$(sql "$DB" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "import events" 3 "$(imports)"

# --- malformed CSV (an unterminated quote): exit 3, nothing imported.
printf 'sku,name,price\nA-1,"Teh Botol,4000\nA-2,Kopi,5000\n' >"$T/mal.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/mal.csv"
expect_rc 3; expect_err "line 2: quoted field is never closed"
expect_eq "items after a malformed file" 5 "$(items)"
# ... even with --skip-bad: the file cannot be read as a table at all.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/mal.csv" --skip-bad
expect_rc 3; expect_err "quoted field is never closed"
expect_eq "items after a malformed file" 5 "$(items)"
# A header without a required column, an unknown column, an empty file.
printf 'sku,name\nA-1,Teh\n' >"$T/nohdr.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/nohdr.csv"
expect_rc 3; expect_err "price"
printf 'sku,name,price,colour\nA-1,Teh,100,red\n' >"$T/unk.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/unk.csv"
expect_rc 3; expect_err "colour"
: >"$T/empty.csv"
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/empty.csv"
expect_rc 3
expect_eq "items after unreadable files" 5 "$(items)"
expect_eq "import events" 3 "$(imports)"

# --- a missing file: exit 2, no login needed to find that out.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T/nope.csv"
expect_rc 2; expect_err "cannot open $T/nope.csv"
# A directory is not a catalogue file either.
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$T"
[ "$RC" -eq 2 ] || [ "$RC" -eq 3 ] || fail "importing a directory: exit $RC"

# --- who may import: a cashier may not (4); a wrong PIN is 3.
run --stdin "135790"$'\n' --db "$DB" --user 101 import items "$T/good.csv"
expect_rc 4
run --stdin "000000"$'\n' --db "$DB" --user 1 import items "$T/good.csv"
expect_rc 3; expect_err "wrong PIN"
run --db "$DB" import items "$T/good.csv"
expect_rc 1; expect_err "--user NUMBER"
expect_eq "import events" 3 "$(imports)"

# --- usage.
run --db "$DB" import
expect_rc 1; expect_err "usage: coopmart --user N import items FILE.csv"
run --db "$DB" import stuff "$T/good.csv"
expect_rc 1
run --db "$DB" import items "$T/good.csv" extra.csv
expect_rc 1

run --db "$DB" journal verify
expect_rc 0
done_ok
