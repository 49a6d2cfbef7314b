# coopmart-hq import catalogue: a barcode or scale PLU may belong to one
# live item only, whichever way a file brings it to a second one: two lines
# of a whole catalogue (in chunks of the streamed reader that are read apart), a line
# and an item the file leaves alone, a deleted item brought back. A code
# moved from one item to another in the same file is no clash, in a whole
# catalogue, in a file of a few lines and with --full. Two imports at once
# go one after the other, each under its own catalogue version.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

ROWS=12000
# gen FILE [I:SPEC...]: a catalogue of ROWS items C00000... (item I on
# line I + 2), each with its own EAN-13 (code I). SPEC: code=J (item J's
# code instead), codes=J,K (both), plu=N (weighed, scale code N), skip
# (the line left out), price=P; only=I,J,... keeps those lines alone.
gen() {
	python3 - "$ROWS" "$@" <<'EOF'
import sys
n, path, specs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def ean13(i):
    body = "899" + f"{i:09d}"
    s = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
only, mod = None, {}
for s in specs:
    if s.startswith("only="):
        only = {int(x) for x in s[5:].split(",")}
        continue
    i, kv = s.split(":", 1)
    k, _, v = kv.partition("=")
    mod.setdefault(int(i), {})[k] = v
with open(path, "w") as f:
    f.write("sku,name,price,barcodes,category,weighed,plu\n")
    for i in range(n):
        m = mod.get(i, {})
        if "skip" in m or (only is not None and i not in only):
            continue
        codes = [ean13(i)]
        if "code" in m: codes = [ean13(int(m["code"]))]
        if "codes" in m: codes = [ean13(int(j)) for j in m["codes"].split(",")]
        weighed, plu = ("1", m["plu"]) if "plu" in m else ("0", "")
        price = m.get("price", str(1000 + i))
        f.write(f'C{i:05d},"Gula Pasir Rasa {i}, 1 kg",{price},{" ".join(codes)},Sembako,'
                f'{weighed},{plu}\n')
EOF
}
code() { python3 -c "
b = '899' + f'{$1:09d}'
print(b + str((10 - sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(b)) % 10) % 10))"; }
items() { sql "$HQDB" "SELECT count(*) FROM items WHERE deleted = 0"; }
version() { sql "$HQDB" "SELECT value FROM versions WHERE name = 'catalogue'"; }
codes_of() { sql "$HQDB" "SELECT barcodes FROM items WHERE sku = '$1'"; }

# --- a whole catalogue into an empty HQ: the same barcode, or PLU, on a
# line of the first chunk and one of the last is named with both SKUs.
gen "$T/twice.csv" 11990:code=1
[ "$(stat -c %s "$T/twice.csv")" -gt 600000 ] || fail "the file is not bigger than two chunks"
hq import catalogue "$T/twice.csv"
expect_rc 3
expect_err "barcode $(code 1) is on more than one item: C00001, C11990"
expect_err "1 barcode(s) or PLU(s) would belong to two items: nothing imported"
expect_eq "nothing imported" 0 "$(items)"
expect_eq "version unchanged" 0 "$(version)"

gen "$T/plu.csv" 2:plu=120 11995:plu=120
hq import catalogue "$T/plu.csv"
expect_rc 3
expect_err "PLU 120 is on more than one item: C00002, C11995"
expect_eq "nothing imported" 0 "$(items)"

gen "$T/whole.csv" 2:plu=120
hq import catalogue "$T/whole.csv"
expect_rc 0
expect_out "catalogue: $ROWS rows, $ROWS changed, 0 deleted"
expect_eq "items" "$ROWS" "$(items)"
expect_eq "version" 1 "$(version)"

# --- the whole catalogue again, a code moved from one item to another
# (and a new code for the first), two items' codes swapped: no clash.
gen "$T/moved.csv" 2:plu=120 10:code=20000 11000:codes=11000,10 20:code=11020 11020:code=20
hq import catalogue "$T/moved.csv"
expect_rc 0
expect_out "catalogue: $ROWS rows, 4 changed, 0 deleted"
expect_eq "the moved code's new item" "$(code 11000) $(code 10)" "$(codes_of C11000)"
expect_eq "its old item's new code" "$(code 20000)" "$(codes_of C00010)"
expect_eq "swapped" "$(code 11020)|$(code 20)" "$(codes_of C00020)|$(codes_of C11020)"
expect_eq "version" 2 "$(version)"

# --- a file of two lines: a code moved between them is no clash...
gen "$T/move2.csv" only=30,31 30:code=20001 31:codes=31,30
hq import catalogue "$T/move2.csv"
expect_rc 0
expect_out "catalogue: 2 rows, 2 changed"
expect_eq "moved in a small file" "$(code 31) $(code 30)" "$(codes_of C00031)"
expect_eq "version" 3 "$(version)"

# ...but a code taken from an item the file leaves alone, or a PLU
# another item has, refuses the file, naming both items.
gen "$T/steal.csv" only=40,50 40:code=41 50:plu=120
hq import catalogue "$T/steal.csv"
expect_rc 3
expect_err "barcode $(code 41) is on more than one item: C00040, C00041"
expect_err "PLU 120 is on more than one item: C00002, C00050"
expect_err "2 barcode(s) or PLU(s) would belong to two items: nothing imported"
expect_eq "nothing of it" "$(code 40)" "$(codes_of C00040)"
expect_eq "version unchanged" 3 "$(version)"

# --- --full: an item left out is deleted, so its code is free for
# another item of the same file.
gen "$T/full.csv" 2:plu=120 10:code=20000 11000:codes=11000,10 20:code=11020 11020:code=20 \
	30:code=20001 31:codes=31,30 60:skip 61:codes=61,60
hq import catalogue "$T/full.csv" --full
expect_rc 0
expect_out "catalogue: $((ROWS - 1)) rows, 1 changed, 1 deleted"
expect_eq "items" $((ROWS - 1)) "$(items)"
expect_eq "the deleted item's code" "$(code 61) $(code 60)" "$(codes_of C00061)"
expect_eq "version" 4 "$(version)"

# A deleted item brought back with its old code, now another's: refused.
gen "$T/back.csv" only=60
hq import catalogue "$T/back.csv"
expect_rc 3
expect_err "barcode $(code 60) is on more than one item: C00060, C00061"
expect_eq "still deleted" 1 "$(sql "$HQDB" "SELECT deleted FROM items WHERE sku = 'C00060'")"

# --- two imports at once: one waits for the other; each has a version
# of its own, so a terminal that pulled between them still gets the
# second one's changes.
gen "$T/p1.csv" 2:plu=120 10:code=20000 11000:codes=11000,10 20:code=11020 11020:code=20 \
	30:code=20001 31:codes=31,30 60:skip 61:codes=61,60 100:price=7001
gen "$T/p2.csv" 2:plu=120 10:code=20000 11000:codes=11000,10 20:code=11020 11020:code=20 \
	30:code=20001 31:codes=31,30 60:skip 61:codes=61,60 100:price=7002 101:price=7002
"$COOPMART_HQ" --db "$HQDB" import catalogue "$T/p1.csv" >"$T/p1.out" 2>&1 &
p1=$!
"$COOPMART_HQ" --db "$HQDB" import catalogue "$T/p2.csv" >"$T/p2.out" 2>&1 &
p2=$!
wait "$p1" || fail "the first of two imports at once failed: $(cat "$T/p1.out")"
wait "$p2" || fail "the second of two imports at once failed: $(cat "$T/p2.out")"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/p1.out" "$T/p2.out" | grep -o 'version [0-9]*' | sort | tr '\n' ' ')" = \
	"version 5 version 6 " ] || fail "two imports at once: $(cat "$T/p1.out" "$T/p2.out")"
expect_eq "version" 6 "$(version)"

# A name with a backslash and a quote reaches HQ as written (PostgreSQL:
# COPY's text format escapes the backslash).
printf 'sku,name,price\nESC-1,"Kopi \\ Susu ""Asli"" \\",1000\n' >"$T/esc.csv"
hq import catalogue "$T/esc.csv"
expect_rc 0
expect_eq "the name" 'Kopi \ Susu "Asli" \' "$(sql "$HQDB" "SELECT name FROM items WHERE sku = 'ESC-1'")"

done_ok
