# Files and their modes (issue 19): the store database and the signing key
# are made owner and group only; a store whose database or key every user
# of the computer can read is refused, saying what to chmod; an auditor's
# copy (a 0444 file in a read-only folder, evidence on read-only media) is
# read with journal verify, sale list and report day, and nothing is
# written beside it.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

mode() { stat -c %a "$1"; }
DB="$T/store.db"
new_store "$DB"
expect_eq "database mode" 640 "$(mode "$DB")"
expect_eq "key mode" 640 "$(mode "$DB.key")"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 setting set receipt_footer "Terima kasih"
expect_rc 0
for f in "$DB-wal" "$DB-shm"; do
	[ ! -e "$f" ] || expect_eq "$(basename "$f") mode" 640 "$(mode "$f")"
done
if [ -n "${SYNC_SELL:-}" ]; then
	printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 import items \
		"$SRCDIR/tests/data/katalog.csv" >/dev/null 2>&1 || fail "import failed"
	"$SYNC_SELL" "$DB" 1 "$ADMIN_PIN" 3 MIE-GRG >/dev/null || fail "sync_sell failed"
fi

# --- a database every user can read: refused, for reading too, with the fix.
chmod 644 "$DB"
run --db "$DB" journal verify
expect_rc 4
expect_err "the store database $DB can be read by every user of this computer (mode 0644)"
expect_err "run chmod o-rwx $DB $DB-wal $DB-shm"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 setting set receipt_footer X
expect_rc 4
chmod 640 "$DB"
chmod 644 "$DB.key"
run --db "$DB" sale list
expect_rc 4
expect_err "the signing key $DB.key can be read by every user of this computer (mode 0644): run chmod 640 $DB.key"
chmod 640 "$DB.key"
run --db "$DB" journal verify
expect_rc 0

# --- the auditor's copy: a consistent copy, made read-only, in a read-only
# folder.
mkdir "$T/evidence"
sqlite3 "$DB" ".backup '$T/evidence/copy.db'"
chmod 444 "$T/evidence/copy.db"
chmod 555 "$T/evidence"
run --db "$DB" journal verify
want=$OUT
run --db "$T/evidence/copy.db" journal verify
expect_rc 0
expect_eq "the copy verifies like the store" "$want" "$OUT"
run --db "$DB" sale list
want=$OUT
run --db "$T/evidence/copy.db" sale list
expect_rc 0
expect_eq "sale list of the copy" "$want" "$OUT"
[ -z "${SYNC_SELL:-}" ] || expect_out "K01-000003"
run --db "$DB" report day
want=$OUT
run --db "$T/evidence/copy.db" report day
expect_rc 0
expect_eq "report day of the copy" "$want" "$OUT"
run --db "$T/evidence/copy.db" journal list
expect_rc 0
# Nothing can be changed on it, and nothing was written beside it.
run --stdin "$ADMIN_PIN"$'\n' --db "$T/evidence/copy.db" --user 1 setting set receipt_footer X
expect_rc 6
expect_eq "files in the evidence folder" "copy.db" "$(ls "$T/evidence")"
# A copy with a write-ahead log not yet in the file would show less than
# it holds: refused, saying how to copy.
chmod 755 "$T/evidence"
mkdir "$T/ro2"
cp "$DB" "$T/ro2/live.db"
printf 'x' >"$T/ro2/live.db-wal"
chmod 444 "$T/ro2/live.db"
chmod 555 "$T/ro2"
run --db "$T/ro2/live.db" journal verify
expect_rc 6
expect_err "has a write-ahead log ($T/ro2/live.db-wal) not yet in the file: copy it with sqlite3"
chmod 755 "$T/ro2"
done_ok
