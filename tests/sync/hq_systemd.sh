# sync/systemd/coopmart-hq.service: systemd-analyze verifies the unit (with
# the binary's real path), its hardening rates "OK" or better, the
# sysusers file creates the user the unit runs as, and the unit's own
# ExecStart command line serves (with the test's database, certificate and
# a loopback port). Skipped (77) where systemd's tools are not installed.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
UNITS=$SRCDIR/sync/systemd

if ! command -v systemd-analyze >/dev/null || ! command -v systemd-sysusers >/dev/null; then
	echo "skip: systemd-analyze or systemd-sysusers is not installed"
	exit 77
fi

# --- the unit as installed, but naming the binary under test.
mkdir -p "$T/units"
sed "s#/usr/local/bin/coopmart-hq#$COOPMART_HQ#" "$UNITS/coopmart-hq.service" \
	>"$T/units/coopmart-hq.service"
CMD="systemd-analyze verify coopmart-hq.service"
set +e
ERR=$(cd "$T/units" && systemd-analyze verify ./coopmart-hq.service 2>&1)
RC=$?
set -e
expect_rc 0
expect_eq "systemd-analyze verify says" "" "$ERR"
CMD="systemd-analyze security"
set +e
OUT=$(cd "$T/units" && systemd-analyze security --offline=yes --threshold=20 ./coopmart-hq.service 2>&1)
RC=$?
set -e
expect_rc 0
expect_out "Overall exposure level for coopmart-hq.service: 1."

# --- the user it runs as comes from the sysusers file.
expect_eq "User=" "coopmart-hq" "$(sed -n 's/^User=//p' "$UNITS/coopmart-hq.service")"
CMD="systemd-sysusers --dry-run"
set +e
OUT=$(systemd-sysusers --dry-run "$UNITS/coopmart-hq.sysusers" 2>&1)
RC=$?
set -e
expect_rc 0
if ! getent passwd coopmart-hq >/dev/null; then
	expect_out "Creating user 'coopmart-hq'"
fi

# --- its ExecStart serves: the same options, on this test's files.
make_certs
LINE=$(sed -n 's/^ExecStart=//p' "$T/units/coopmart-hq.service")
LINE=${LINE//0.0.0.0:8443/127.0.0.1:0}
LINE=${LINE//%d/$T\/tls}
read -r -a ARGV <<<"$LINE"
# The database, one argument (on PostgreSQL a conninfo with spaces).
for i in "${!ARGV[@]}"; do
	[ "${ARGV[$i]}" = /var/lib/coopmart-hq/hq.db ] && ARGV[$i]=$HQDB
done
"${ARGV[@]}" 2>"$T/hq.log" &
HQ_PID=$!
PORT=""
for _ in $(seq 1 100); do
	PORT=$(grep -o 'msg="listening" addr=127.0.0.1:[0-9]*' "$T/hq.log" 2>/dev/null | sed 's/.*://' || true)
	[ -n "$PORT" ] && break
	kill -0 "$HQ_PID" 2>/dev/null || fail "the unit's ExecStart exited: $LINE"
	sleep 0.05
done
[ -n "$PORT" ] || fail "the unit's ExecStart did not listen: $LINE"
HQ_URL="https://127.0.0.1:$PORT"
for _ in $(seq 1 50); do
	api GET /v1/health -
	[ "$STATUS" = 200 ] && break
	sleep 0.1
done
expect_status 200
# LimitNOFILE covers what serve asks for by default
NOFILE=$(sed -n 's/^LimitNOFILE=//p' "$UNITS/coopmart-hq.service")
expect_eq "LimitNOFILE >= 1024 connections + spare" True "$(python3 -c "print($NOFILE >= 1024 + 64)")"
hq_stop
done_ok
