# coopmart-hq import catalogue with a CSV far larger than one chunk
# (256 KiB): read a chunk at a time, written as it comes in one
# transaction. Bad rows and a SKU repeated in a later chunk are reported
# on their own lines and nothing is imported; --skip-bad imports the
# others; a clean file then changes every item under one new version; a
# barcode on two items in different chunks refuses the file.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

ROWS=${ROWS:-12000}
gen() { # FILE [LINE:KIND...]
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
        sku, code, price = f"H{i:06d}", ean13("899" + f"{i:09d}"), 1000 + i
        kind = bad.get(str(line))
        if kind == "price": price = "abc"
        if kind == "dupsku": sku = "H000003"
        if kind == "dupcode": code = ean13("899" + f"{5:09d}")
        if kind and kind.startswith("skuof"): sku = f"H{int(kind[5:]) - 2:06d}"
        f.write(f'{sku},"Teh Botol Sosro Rasa {i}, 350 ml",{price},{code},Minuman\n')
EOF
}
items() { sql "$HQDB" "SELECT count(*) FROM items"; }
version() { sql "$HQDB" "SELECT value FROM versions WHERE name = 'catalogue'"; }

gen "$T/bad.csv" 11000:price 11500:dupsku
[ "$(stat -c %s "$T/bad.csv")" -gt 300000 ] || fail "the file is not bigger than one chunk"
hq import catalogue "$T/bad.csv"
expect_rc 3
expect_err "$T/bad.csv: line 11000: "
expect_err "$T/bad.csv: line 11500: SKU H000003 appears twice in the file"
expect_err "2 bad row(s): nothing imported"
expect_eq "nothing imported" 0 "$(items)"
expect_eq "version unchanged" 0 "$(version)"

# a repeat within a later chunk names the file's line, not the chunk's
gen "$T/again.csv" 11000:skuof10990
hq import catalogue "$T/again.csv"
expect_rc 3
expect_err "line 11000: sku \"H010988\" already appears on line 10990"

# into the empty catalogue (PostgreSQL copies the rows straight into
# items): --full deletes nothing, every row it wrote is live
hq import catalogue "$T/bad.csv" --skip-bad --full
expect_rc 0
expect_out "catalogue: $ROWS rows, $((ROWS - 2)) changed, 0 deleted"
expect_eq "items" $((ROWS - 2)) "$(items)"
expect_eq "live items" $((ROWS - 2)) "$(sql "$HQDB" "SELECT count(*) FROM items WHERE deleted = 0 AND version = 1")"
expect_eq "version" 1 "$(version)"

gen "$T/good.csv"
hq import catalogue "$T/good.csv"
expect_rc 0
# on a terminal: rows read of about how many (from the bytes read)
CHECKS=$((CHECKS + 1))
script -qec "COOPMART_LANG=en $(printf '%q ' "$COOPMART_HQ" --db "$HQDB") import catalogue '$T/good.csv'" \
	/dev/null >"$T/tty.out" 2>&1 || fail "import on a terminal failed"
grep -E 'rows read: [0-9.]+ / [0-9.]+' "$T/tty.out" >/dev/null ||
	fail "no progress with a total on a terminal: $(tr '\r' '\n' <"$T/tty.out" | tail -3)"
expect_eq "items" "$ROWS" "$(items)"
expect_eq "version" 2 "$(version)"
expect_eq "a price" 12999 "$(sql "$HQDB" "SELECT price FROM items WHERE sku = 'H011999'")"

gen "$T/twice.csv" 11900:dupcode
hq import catalogue "$T/twice.csv"
expect_rc 3
expect_err "would belong to two items: nothing imported"
expect_eq "version unchanged" 2 "$(version)"

# Items with several barcodes: a code shared with a one-code item or with
# another item's second code is named with both SKUs (the check splits
# only the lists that have more than one code).
printf 'sku,name,price,barcodes\nK-1,Kopi A,1000,8991234567891 8991234567907\nK-4,Kopi D,1000,8991234567921\n' >"$T/multi1.csv"
hq import catalogue "$T/multi1.csv"
expect_rc 0
printf 'sku,name,price,barcodes\nK-2,Kopi B,1000,8991234567907\nK-3,Kopi C,1000,8991234567914 8991234567891\n' >"$T/multi2.csv"
hq import catalogue "$T/multi2.csv"
expect_rc 3
expect_err "barcode 8991234567891 is on more than one item: K-1, K-3"
expect_err "barcode 8991234567907 is on more than one item: K-1, K-2"
expect_err "2 barcode(s) or PLU(s) would belong to two items: nothing imported"
expect_eq "nothing of the clashing file" 0 "$(sql "$HQDB" "SELECT count(*) FROM items WHERE sku IN ('K-2', 'K-3')")"

# PostgreSQL: the connection lost while the rows are being copied (the
# database server restarted, the network cut), into a catalogue that has
# items and into an empty one (copied straight into items). The rows go
# to the server from a thread of their own: the import must still end,
# say why, and keep nothing.
if [ -n "${COOPMART_TEST_PG:-}" ]; then
	ROWS=300000 gen "$T/huge.csv"
	lost_copy() { # DB
		local pid n=0 killed=0
		set +e
		timeout 60 "$COOPMART_HQ" --db "$1" import catalogue "$T/huge.csv" >"$T/.out" 2>"$T/.err" </dev/null &
		pid=$!
		while [ "$n" -lt 400 ] && kill -0 "$pid" 2>/dev/null; do
			killed=$(psql -X -A -t -q -d "$1" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = current_database() AND query LIKE 'COPY%' AND pid <> pg_backend_pid()")
			[ "$killed" -gt 0 ] && break
			sleep 0.02
			n=$((n + 1))
		done
		wait "$pid"
		RC=$?
		set -e
		ERR=$(cat "$T/.err")
		CMD="coopmart-hq import catalogue huge.csv (connection cut)"
		CHECKS=$((CHECKS + 1))
		[ "$killed" -gt 0 ] || fail "the import's COPY was not seen in time"
		CHECKS=$((CHECKS + 1))
		[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] || fail "expected a failure, not exit code $RC (124: it hung)"
		expect_err "importing the catalogue: "
		CHECKS=$((CHECKS + 1))
		! grep -F "cannot read" <<<"$ERR" >/dev/null || fail "the file blamed for the database: $ERR"
	}
	before=$(items) v=$(version)
	lost_copy "$HQDB"
	expect_eq "items after the cut" "$before" "$(items)"
	expect_eq "version after the cut" "$v" "$(version)"
	EMPTY=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$COOPMART_TEST_PG" "t_hq_import_big_e_$$")
	lost_copy "$EMPTY"
	expect_eq "items after the cut (empty catalogue)" 0 "$(psql -X -A -t -q -d "$EMPTY" -c "SELECT count(*) FROM items")"
fi

done_ok
