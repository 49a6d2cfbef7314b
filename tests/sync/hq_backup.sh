# coopmart-hq backup / restore (HQ on SQLite): a backup taken while
# terminals push is consistent (integrity, every terminal's chain
# recomputed) and restores; restore refuses while the server runs and
# refuses a tampered backup; after a restore to an older backup the
# terminals' next sync brings HQ back up to date. On PostgreSQL both
# commands say to use pg_dump / pg_restore.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

if [ -n "${COOPMART_TEST_PG:-}" ]; then
	hq backup "$T/hq-copy.db"
	expect_rc 8
	expect_err "a PostgreSQL HQ database is backed up with pg_dump"
	hq restore "$T/hq-copy.db"
	expect_rc 8
	expect_err "restored with pg_restore"
	done_ok
	exit 0
fi

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
new_terminal "$STORE" K02

# Two terminals sell and push in a loop while backups are taken.
pusher() {
	local k=$1 i
	for i in $(seq 1 20); do
		"$SYNC_SELL" "$T/$k.db" 1 "$ADMIN_PIN" 3 BRS-PRM-5 >/dev/null || return 1
		"$COOPMART_SYNC" --config "$T/$k.conf" once 2>>"$T/$k.push.log" || return 1
	done
}
pusher K01 & P1=$!
pusher K02 & P2=$!
bg_add $P1
bg_add $P2
k01_pushed() { [ "$(held_events "$STORE" K01)" -gt 20 ]; }
wait_for "events at HQ" 30 k01_pushed
for n in 1 2; do
	hq backup "$T/b$n.db"
	expect_rc 0
	expect_out "written to $T/b$n.db"
	expect_out "checked (database integrity and every terminal's chain)"
	CHECKS=$((CHECKS + 1))
	[ ! -e "$T/b$n.db-wal" ] || fail "backup $n is not one file"
	sleep 0.3
done
wait $P1 || fail "K01's pusher failed: $(tail -3 "$T/K01.push.log")"
wait $P2 || fail "K02's pusher failed: $(tail -3 "$T/K02.push.log")"
bg_forget $P1
bg_forget $P2
B1=$(sqlite3 "$T/b1.db" "SELECT count(*) FROM events")
ALL=$(sql "$HQDB" "SELECT count(*) FROM events")
CHECKS=$((CHECKS + 1))
[ "$B1" -gt 0 ] && [ "$B1" -lt "$ALL" ] || fail "backup 1 holds $B1 of $ALL events: not mid-stream"

hq backup "$T/b1.db"
expect_rc 8
expect_err "already exists"

# ---- restore: not while serving; not a tampered backup ----
hq restore "$T/b1.db"
expect_rc 5
expect_err "the server or another coopmart-hq command has the database open"
hq_stop
cp "$T/b1.db" "$T/tampered.db"
sqlite3 "$T/tampered.db" "DROP TRIGGER events_no_update;
	UPDATE events SET payload = payload || ' ' WHERE seq = 3" || fail "could not tamper"
hq restore "$T/tampered.db"
expect_rc 7
expect_err "event 3: its hash does not match its content"
expect_err "is not a sound backup; $HQDB is unchanged"
expect_eq "unchanged" "$ALL" "$(sql "$HQDB" "SELECT count(*) FROM events")"

# ---- restore the older backup; the terminals bring HQ up to date ----
hq restore "$T/b1.db"
expect_rc 0
expect_out "the database it replaced is kept as $HQDB.before-restore-"
expect_eq "restored" "$B1" "$(sql "$HQDB" "SELECT count(*) FROM events")"
hq_start
for k in K01 K02; do
	agent $k once
	expect_rc 0
	expect_eq "$k's events at HQ again" "$(journal_head $k)" "$(held_events "$STORE" $k)"
done
hq backup "$T/b3.db"
expect_rc 0
done_ok
