# The agent's own rules, against the real server: the config file is read
# strictly (line numbers), a token others can read is refused and the token
# never printed, a database of another terminal is refused; HQ refusing the
# token parks pushing with one alert (status exits 3) until clear-alert; a
# database older than HQ's copy raises an alert before anything is pushed;
# one agent per database (exit 2); the daemon pushes and stops on SIGTERM.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
TOKEN=$(cat "$T/K01.token")

# ---- the config file ----

cp "$T/K01.conf" "$T/good.conf"
printf 'tiemout = 30\n' >>"$T/K01.conf"
agent K01 status
expect_rc 1
expect_err "line $(wc -l <"$T/K01.conf"): unknown setting 'tiemout'"
cp "$T/good.conf" "$T/K01.conf"
conf_set K01 url "http://127.0.0.1:$HQ_PORT"
agent K01 once
expect_rc 1
expect_err "'url' must start with https://"
cp "$T/good.conf" "$T/K01.conf"
conf_set K01 nightly_at 25:00
agent K01 once
expect_rc 1
expect_err "'nightly_at' must be a time like 02:30"
cp "$T/good.conf" "$T/K01.conf"
conf_set K01 batch_events 5000
agent K01 once
expect_rc 1
expect_err "'batch_events' must be between 1 and 1000"
grep -v '^store = ' "$T/good.conf" >"$T/K01.conf"
agent K01 once
expect_rc 1
expect_err "'store' is not set (it is required)"
cp "$T/good.conf" "$T/K01.conf"
printf 'db = /elsewhere.db\n' >>"$T/K01.conf"
agent K01 once
expect_rc 1
expect_err "'db' is set twice"
cp "$T/good.conf" "$T/K01.conf"
capture "$COOPMART_SYNC" --config "$T/missing.conf" once
expect_rc 1
expect_err "cannot read the config file"
capture "$COOPMART_SYNC" --config "$T/K01.conf" frobnicate
expect_rc 1
expect_err "usage: coopmart-sync"

# ---- the token file ----

chmod 644 "$T/K01.token"
agent K01 once
expect_rc 1
expect_err "can be read or changed by other users (mode 0644)"
expect_err "chmod 600"
expect_eq "nothing pushed without a private token" 0 "$(acked_seq K01)"
chmod 600 "$T/K01.token"

# ---- a database of another terminal ----

conf_set K01 terminal K09
agent K01 once
expect_rc 1
expect_err "belongs to terminal K01, the config says K09"
cp "$T/good.conf" "$T/K01.conf"

# ---- a first push; the token never appears in anything printed ----

sell K01 2 MIE-GRG
agent K01 once
expect_rc 0
expect_not_err "$TOKEN"
grep -qF "$TOKEN" "$T/hq.log" && fail "the token appears in HQ's log"
cp "$T/K01.db" "$T/K01-old.db"   # a backup, for later

# ---- HQ refuses the token: one alert, pushing parked until cleared ----

(umask 077 && printf 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n' >"$T/K01.token")
sell K01 1 MIE-GRG
agent K01 once
expect_rc 3
expect_err "HQ refused"
expect_err "401 unauthorized"
expect_eq "alerts" 1 "$(sql "$T/K01.db" "SELECT count(*) FROM sync_alerts WHERE cleared_at IS NULL")"
ALERT=$(sql "$T/K01.db" "SELECT id FROM sync_alerts WHERE cleared_at IS NULL")
agent K01 status
expect_rc 3
expect_out "alert $ALERT,"
expect_out "unauthorized"
expect_out "Events waiting: 3"
# The right token again, but the alert is still open: still parked.
(umask 077 && printf '%s\n' "$TOKEN" >"$T/K01.token")
agent K01 once
expect_rc 3
expect_err "pushing is parked: 1 alert(s) open"
expect_eq "still parked" 3 "$(( $(journal_head K01) - $(acked_seq K01) ))"
expect_eq "no second copy of the alert" 1 "$(sql "$T/K01.db" "SELECT count(*) FROM sync_alerts")"
agent K01 clear-alert 999
expect_rc 1
expect_err "there is no open alert number 999"
agent K01 clear-alert "$ALERT"
expect_rc 0
agent K01 once
expect_rc 0
expect_eq "pushed after clearing" "$(journal_head K01)" "$(acked_seq K01)"
agent K01 status
expect_rc 0
expect_out "Alerts: none"

# ---- a database older than HQ's copy ----

cp "$T/K01-old.db" "$T/K01.db"
rm -f "$T/K01.db-wal" "$T/K01.db-shm"
agent K01 once
expect_rc 3
expect_err "this database is older than HQ's copy"
expect_eq "older_database alert" 1 \
	"$(sql "$T/K01.db" "SELECT count(*) FROM sync_alerts WHERE code = 'older_database' AND cleared_at IS NULL")"

# ---- one agent per database; the daemon pushes, SIGTERM stops it ----

new_terminal "$STORE" K02
sell K02 3 BRS-PRM-5
conf_set K02 push_every 1
agent_bg K02 daemon
acked_all() { [ "$(acked_seq K02)" = "$(journal_head K02)" ]; }
wait_for "the daemon's first push" 30 acked_all
agent K02 once
expect_rc 2
expect_err "another coopmart-sync is already working on"
kill -TERM "$AGENT_PID"
agent_wait
expect_eq "daemon exit code on SIGTERM" 0 "$RC"
grep -q "stopping (signal)" "$T/K02.agent.log" || fail "the daemon did not say it stopped"
agent K02 once
expect_rc 0

done_ok
