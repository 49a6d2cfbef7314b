# HQ's secrets (issue 19): its SQLite database is made owner-only and
# refused, saying what to chmod, when every user of the computer can read
# it; `serve` refuses a TLS key every user can read.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

make_pki
hq alerts
expect_rc 0
if [ -z "${COOPMART_TEST_PG:-}" ]; then
	expect_eq "HQ database mode" 600 "$(stat -c %a "$HQDB")"
	chmod 644 "$HQDB"
	hq alerts
	expect_rc 6     # the database cannot be opened
	expect_err "the HQ database $HQDB can be read by every user of this computer (mode 0644): run chmod 600 $HQDB $HQDB-wal $HQDB-shm"
	chmod 600 "$HQDB"
	hq alerts
	expect_rc 0
fi
chmod 644 "$T/pki/server.key"
capture "$COOPMART_HQ" --db "$HQDB" serve --listen "127.0.0.1:$(free_port)" \
	--cert "$T/pki/server.pem" --key "$T/pki/server.key"
expect_rc 4
expect_err "the TLS key $T/pki/server.key can be read by every user of this computer (mode 0644): run chmod 600 $T/pki/server.key"
chmod 600 "$T/pki/server.key"
hq_start
expect_eq "HQ answers" ok "$(curl -s --cacert "$T/pki/ca.pem" "$HQ_URL/v1/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
done_ok
