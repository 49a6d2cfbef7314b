# A big catalogue pull writes its pages straight into the new catalogue
# (store_catgen_pull_*, no staging), and keeps every promise of the staged
# pull: a delta of changed prices, new items, deletions (HQ's --full
# import) and barcodes moved between items, killed -9 while its pages are
# written and at random moments after, leaves the old catalogue whole
# after each kill and carries on where it stopped: the end state is HQ's,
# and the journal's catalogue_pulled event counts each row exactly once
# (a row written twice after a kill would count twice). Then a local
# import made while a pull's build is under way: the build is dropped at
# the switch and the pull made again from the live catalogue, which keeps
# the local change.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

N=12000             # items of the first version
GONE=1000           # the last GONE of them deleted by the second
ADDED=500           # new items in the second
NEW=500000          # every changed price is at least this

ean13() { # NUMBER: the EAN-13 of GEN item NUMBER
	python3 -c "
b = '899' + '%09d' % $1
s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(b))
print(b + str((10 - s % 10) % 10))"
}

catalogue() { # FILE BASE_PRICE FIRST LAST(exclusive) VERSION
	python3 - "$@" <<'EOF'
import sys
path, base, first, last, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def ean13(i):
    body = '899' + f'{i:09d}'
    s = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    return body + str((10 - s % 10) % 10)
with open(path, "w") as f:
    f.write("sku,name,price,barcodes,tax_class,category,supplier\n")
    for i in range(first, last):
        codes = [ean13(i)]
        if version >= 2:
            # GEN-000001 takes GEN-000002's code (a later item), GEN-000009
            # takes GEN-000003's (an earlier one); 2 and 3 keep none.
            if i == 1: codes.append(ean13(2))
            if i == 9: codes.append(ean13(3))
            if i in (2, 3): codes = []
        f.write(f"GEN-{i:06d},Barang Umum Nomor {i} Kemasan {i % 97} g,{base + i % 5000},"
                f"{' '.join(codes)},standard,Kategori {i % 50},Pemasok {i % 20}\n")
EOF
}

without_gone() { # FILE: the last GONE items of the first version taken out
	python3 - "$1" "$N" "$GONE" <<'EOF'
import sys
path, n, gone = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path).read().splitlines(True)
keep = [l for l in lines if not (l.startswith("GEN-") and n - gone <= int(l[4:10]) < n)]
open(path, "w").writelines(keep)
EOF
}

name_index_whole() { # WHAT: items_fts holds every item's name and SKU, a new one's too
	# (a pull changing few names starts its index from the live one)
	expect_eq "$1: the name index matches the items (FTS5 integrity-check)" ok \
		"$(sql "$T/K01.db" "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1);
			SELECT 'ok'")"
	expect_eq "$1: a new item found by its name" "GEN-$(printf '%06d' $((N + 7)))" \
		"$(sql "$T/K01.db" "SELECT i.sku FROM items_fts JOIN items i ON i.id = items_fts.rowid
			WHERE items_fts MATCH 'nomor $((N + 7))'")"
}

pulling() { # the agent has written at least $1 rows of a pull, pages to come
	[ "$(sql "$T/K01.db" "SELECT COALESCE((SELECT rows FROM sync_pull WHERE kind = 'catalogue'
		AND next <> ''), 0)")" -ge "$1" ]
}
version() { sql "$T/K01.db" "SELECT catalogue_version FROM sync_state"; }
inactive() { sql "$T/K01.db" "SELECT count(*) FROM items WHERE sku LIKE 'GEN-%' AND active = 0"; }
changed() { sql "$T/K01.db" "SELECT count(*) FROM items WHERE sku LIKE 'GEN-%' AND price >= $NEW"; }
owner() { sql "$T/K01.db" "SELECT i.sku FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = '$1'"; }
pulled_event() { # FIELD of the newest catalogue_pulled event
	sql "$T/K01.db" "SELECT json_extract(payload, '\$.$1') FROM journal
		WHERE type = 'catalogue_pulled' ORDER BY seq DESC LIMIT 1"
}
the_old_catalogue() { # WHAT: after a kill, nothing of the second version shows
	expect_eq "version ($1)" "$V1" "$(version)"
	expect_eq "no item deleted ($1)" 0 "$(inactive)"
	expect_eq "no price changed ($1)" 0 "$(changed)"
	expect_eq "barcode in place ($1)" GEN-000002 "$(owner "$(ean13 2)")"
	expect_eq "database sound ($1)" ok "$(sql "$T/K01.db" "PRAGMA quick_check")"
}
no_build_left() {
	expect_eq "build finished" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_build")"
	expect_eq "no build tables" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM sqlite_schema
		WHERE name LIKE '%\_next%' ESCAPE '\' OR name LIKE '%\_old%' ESCAPE '\'")"
	expect_eq "nothing staged" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM catalogue_staging")"
	expect_eq "foreign keys" "" "$(sql "$T/K01.db" "PRAGMA foreign_key_check")"
	expect_eq "search index integrity" "" "$(sql "$T/K01.db" "INSERT INTO items_fts(items_fts, rank)
		VALUES ('integrity-check', 1)")"
}

hq_start
new_terminal KMB-SMG K01
catalogue "$T/v1.csv" 1000 0 "$N" 1
catalogue "$T/v2.csv" "$NEW" 0 $((N + ADDED)) 2
without_gone "$T/v2.csv"
hq import catalogue "$T/v1.csv"
expect_rc 0

# The first pull, whole: written straight into the new catalogue.
start=$(date +%s%3N)
agent K01 once
expect_rc 0
PULL_MS=$(($(date +%s%3N) - start))
expect_err "is written straight into a new catalogue"
expect_eq "first pull" "$N" "$(sql "$T/K01.db" "SELECT count(*) FROM items WHERE sku LIKE 'GEN-%'")"
expect_eq "first pull counted once" "$N" "$(pulled_event count)"
V1=$(version)
no_build_left

# The second version: changes, additions, deletions, moved barcodes.
hq import catalogue "$T/v2.csv" --full
expect_rc 0
agent_bg K01 once
wait_for "pages written" 60 pulling 3000
kill -KILL "$AGENT_PID"
agent_wait
the_old_catalogue "killed while writing pages"
written=$(sql "$T/K01.db" "SELECT rows FROM sync_pull WHERE kind = 'catalogue'")
# The next run carries on after the pages written, not from the start.
agent_bg K01 once
wait_for "the pull carried on" 60 grep -q "carrying on with the" "$T/K01.agent.log"
kill -KILL "$AGENT_PID" 2>/dev/null || true
agent_wait
resumed=$(grep -Eo "carrying on with the [0-9]+ rows written" "$T/K01.agent.log" | grep -Eo "[0-9]+")
CHECKS=$((CHECKS + 1))
[ "$resumed" -ge "$written" ] || fail "carried on with $resumed rows, $written were written"
[ "$(version)" != "$V1" ] || the_old_catalogue "killed after carrying on"
for i in 1 2 3; do
	[ "$(version)" = "$V1" ] || break    # an earlier run ended before its kill
	agent_bg K01 once
	ms=$((RANDOM % PULL_MS))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	kill -KILL "$AGENT_PID" 2>/dev/null || true
	agent_wait
	[ "$(version)" = "$V1" ] && the_old_catalogue "kill $i"
done
# The last run finishes the pull (or, when a kill came after the switch,
# clears what the switch left: the next run does that first).
agent K01 once
expect_rc 0
expect_eq "deleted at HQ: inactive" "$GONE" "$(inactive)"
expect_eq "every kept price changed" $((N - GONE + ADDED)) "$(changed)"
expect_eq "new items" "$ADDED" "$(sql "$T/K01.db" "SELECT count(*) FROM items
	WHERE sku >= 'GEN-$(printf '%06d' "$N")' AND sku LIKE 'GEN-%'")"
expect_eq "a code moved to a later item" GEN-000001 "$(owner "$(ean13 2)")"
expect_eq "a code moved to an earlier item" GEN-000009 "$(owner "$(ean13 3)")"
expect_eq "an item left without codes" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM barcodes b
	JOIN items i ON i.id = b.item_id WHERE i.sku IN ('GEN-000002', 'GEN-000003')")"
expect_eq "rows counted once whatever the kills" $((N - GONE + ADDED)) "$(pulled_event count)"
expect_eq "deletions counted once" "$GONE" "$(pulled_event deleted)"
expect_eq "one event per pull" 2 "$(sql "$T/K01.db" "SELECT count(*) FROM journal
	WHERE type = 'catalogue_pulled'")"
name_index_whole "second pull"
no_build_left
echo "second pull: $written rows written before the first kill, $resumed when carried on"

# A local import while a pull's build is under way: the pull starts again
# from the live catalogue, which keeps the local price.
catalogue "$T/v3.csv" $((NEW * 2)) 0 $((N + ADDED)) 2
without_gone "$T/v3.csv"
hq import catalogue "$T/v3.csv"
expect_rc 0
agent_bg K01 once
wait_for "pages written" 60 pulling 2000
kill -KILL "$AGENT_PID"
agent_wait
printf 'sku,name,price\nMIE-GRG,Indomie Goreng 85 g,3600\n' >"$T/local.csv"
printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$T/K01.db" --user 1 import items "$T/local.csv" \
	>/dev/null 2>&1 || fail "the local import failed"
agent K01 once
expect_rc 0
expect_err "it is pulled again"
expect_eq "the local change kept" 3600 "$(sql "$T/K01.db" "SELECT price FROM items WHERE sku = 'MIE-GRG'")"
expect_eq "third version whole" $((N - GONE + ADDED)) "$(sql "$T/K01.db" "SELECT count(*)
	FROM items WHERE sku LIKE 'GEN-%' AND price >= $((NEW * 2))")"
expect_eq "one event per pull" 3 "$(sql "$T/K01.db" "SELECT count(*) FROM journal
	WHERE type = 'catalogue_pulled'")"
name_index_whole "third pull"
no_build_left
"$COOPMART" --db "$T/K01.db" journal verify >/dev/null || fail "journal verify"
agent K01 once
expect_rc 0
expect_err "catalogue: up to date"

done_ok
