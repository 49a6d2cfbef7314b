# coopmart backup / restore: backups taken while another process sells
# are consistent (every sale whole, the journal verifies) and restore; a
# restore refuses while the till or the sync agent has the database open,
# refuses a damaged or tampered backup leaving the database as it was, and
# keeps the replaced database and its owner and mode.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell program}"

DB="$T/store.db"
new_store "$DB"
run --stdin "$ADMIN_PIN"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0

# sales_ok DB: the sales table and the journal's sale events agree.
sales_ok() {
	local sales events
	sales=$(sql "$1" "SELECT count(*) FROM sales")
	events=$(sql "$1" "SELECT count(*) FROM journal WHERE type = 'sale'")
	expect_eq "sales and their events in $1" "$sales" "$events"
}

# ---- backups while a writer process sells ----
"$SYNC_SELL" "$DB" 1 "$ADMIN_PIN" 400 BRS-PRM-5 MIE-GRG >"$T/sales.log" 2>&1 &
SELLER=$!
trap 'kill $SELLER 2>/dev/null || true' EXIT
for n in 1 2 3; do
	# wait for sales to be going on, so the copy is taken mid-stream
	for _ in $(seq 1 200); do
		[ "$(sql "$DB" "SELECT count(*) FROM sales")" -ge $((n * 30)) ] && break
		sleep 0.05
	done
	run --db "$DB" backup "$T/b$n.db"
	expect_rc 0
	expect_out "written to $T/b$n.db"
	expect_out "checked (database integrity and journal)"
	CHECKS=$((CHECKS + 1))
	[ ! -e "$T/b$n.db-wal" ] && [ ! -e "$T/b$n.db.part" ] || fail "backup $n left files beside it"
done
wait $SELLER || fail "the seller failed: $(tail -3 "$T/sales.log")"
trap - EXIT
LIVE_SALES=$(sql "$DB" "SELECT count(*) FROM sales")
expect_eq "sales made" 400 "$LIVE_SALES"
B2_SALES=$(sql "$T/b2.db" "SELECT count(*) FROM sales")
CHECKS=$((CHECKS + 1))
[ "$B2_SALES" -gt 0 ] && [ "$B2_SALES" -lt 400 ] || fail "backup 2 holds $B2_SALES sales: not taken mid-stream"
sales_ok "$T/b2.db"

# Restored to a new place: verifies, and holds what the backup held.
run --db "$T/restored.db" restore "$T/b2.db"
expect_rc 0
expect_out "restored from $T/b2.db"
run --db "$T/restored.db" journal verify
expect_rc 0
expect_eq "sales restored" "$B2_SALES" "$(sql "$T/restored.db" "SELECT count(*) FROM sales")"
sales_ok "$T/restored.db"

# A backup never overwrites.
run --db "$DB" backup "$T/b1.db"
expect_rc 8
expect_err "already exists"

# ---- restore refuses while the database is open ----
tm() { tmux -L "cm-backup-$$" -f /dev/null "$@"; }
tm new-session -d -x 80 -y 24 "COOPMART_LANG=en $COOPMART --db '$DB' till"
trap 'tm kill-server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	tm capture-pane -p | grep PIN >/dev/null && break
	sleep 0.1
done
run --db "$DB" restore "$T/b1.db"
expect_rc 5
expect_err "the till or another coopmart command has the database open: close it first"
# ... and a backup is fine meanwhile (shared).
run --db "$DB" backup "$T/b4.db"
expect_rc 0
tm kill-server
trap - EXIT
for _ in $(seq 1 100); do
	flock -n "$DB.lock" true && break
	sleep 0.05
done
# The agent's lock, held the way coopmart-sync holds it (flock, exclusive).
(exec 9>>"$DB.sync-lock" && flock 9 && exec sleep 30) &
HOLDER=$!
trap 'kill $HOLDER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	flock -n "$DB.sync-lock" true || break
	sleep 0.05
done
run --db "$DB" restore "$T/b1.db"
expect_rc 5
expect_err "coopmart-sync is working on the database: stop it first"
kill $HOLDER
wait $HOLDER 2>/dev/null || true
trap - EXIT
expect_eq "untouched" "$LIVE_SALES" "$(sql "$DB" "SELECT count(*) FROM sales")"

# ---- damaged and tampered backups are refused, the database unchanged ----
head -c 4096 "$T/b1.db" >"$T/cut.db"
printf 'not a database at all' >"$T/text.db"
for bad in cut text; do
	run --db "$DB" restore "$T/$bad.db"
	expect_rc 7
	expect_eq "untouched" "$LIVE_SALES" "$(sql "$DB" "SELECT count(*) FROM sales")"
done
cp "$T/b1.db" "$T/tampered.db"
sql "$T/tampered.db" "DROP TRIGGER IF EXISTS journal_no_update;
	UPDATE journal SET payload = replace(payload, '\"total\":', '\"total\":1') WHERE seq = (SELECT min(seq) FROM journal WHERE type = 'sale')" ||
	fail "could not tamper with the copy"
run --db "$DB" restore "$T/tampered.db"
expect_rc 7
expect_err "the journal is broken at sequence"
expect_err "is not a sound backup; $DB is unchanged"
CHECKS=$((CHECKS + 1))
[ ! -e "$DB.restoring" ] || fail "a refused restore left its copy"

# ---- a restore as root keeps the owner and mode, and the old database ----
if [ "$(id -u)" = 0 ]; then
	chown nobody:nogroup "$DB"
	chmod 660 "$DB"
	run --db "$DB" restore "$T/b1.db"
	expect_rc 0
	expect_out "the database it replaced is kept as $DB.before-restore-"
	expect_eq "owner and mode" "nobody:nogroup 660" "$(stat -c '%U:%G %a' "$DB")"
	expect_eq "lock file owner" "nobody" "$(stat -c '%U' "$DB.sync-lock")"
	KEPT=$(ls "$DB".before-restore-* | head -1)
	expect_eq "old database kept" "$LIVE_SALES" "$(sql "$KEPT" "SELECT count(*) FROM sales")"
	expect_eq "restored" "$(sql "$T/b1.db" "SELECT count(*) FROM sales")" "$(sql "$DB" "SELECT count(*) FROM sales")"
	run --db "$DB" journal verify
	expect_rc 0
fi
run --db "$DB" backup --help
expect_out "usage: coopmart [--db PATH] backup FILE"
done_ok
