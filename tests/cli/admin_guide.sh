# docs/ADMIN.md, followed: every ```sh block runs in order (a failing
# command fails the test), on this machine, in a scratch root: /etc/, /var/
# and /root/ are moved under it, hq.koperasi.example and 203.0.113.10
# become loopback, HQ's port a free one, and `runuser -u USER --` and
# `install -o USER -g GROUP` lose their users (a test makes no system
# users; the packages' users, folders and modes are checked by
# packaging/check-debs.sh). Blocks marked ```sh root are not run, except
# that "systemctl enable --now coopmart-hq" starts HQ with the unit's own
# command line. What the package puts in place first (the folders, the
# commented sync.conf) is laid out as the postinst does; the guide's
# katalog.csv is the tests' catalogue. At the end the till's journal is
# at HQ, both backups exist and the restored database verifies.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${BINARY_DIR:?BINARY_DIR must name the build directory}"

R="$T/r"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PATH="$BINARY_DIR:$BINARY_DIR/sync:$PATH"
export COOPMART_LANG=en LANG=C
HQ_PID=
trap 'rc=$?; [ -z "$HQ_PID" ] || kill $HQ_PID 2>/dev/null; [ $rc -eq 0 ] && rm -rf "$T"; exit $rc' EXIT

# What the packages make (packaging/debian/*/postinst, packaging/sync.conf).
mkdir -p "$R/etc/coopmart" "$R/var/lib/coopmart" "$R/var/lib/coopmart-hq" "$R/root" "$R/var/backups"
chmod 2770 "$R/var/lib/coopmart"
chmod 700 "$R/var/lib/coopmart-hq"
cp "$SRCDIR/packaging/sync.conf" "$R/etc/coopmart/sync.conf"
cp "$SRCDIR/tests/data/katalog.csv" "$R/root/katalog.csv"

# The guide's blocks: "sh" or "sh root", then its text.
python3 - "$SRCDIR/docs/ADMIN.md" "$T/blocks" <<'PY'
import os, sys
os.makedirs(sys.argv[2])
n, block, kind = 0, None, None
for line in open(sys.argv[1]):
    if block is None and line.startswith("```sh"):
        kind = line[3:].strip()
        block = []
    elif block is not None and line.startswith("```"):
        n += 1
        with open(f"{sys.argv[2]}/{n:02d}.{kind.replace(' ', '-')}", "w") as f:
            f.write("".join(block))
        block = None
    elif block is not None:
        block.append(line)
PY

# localize FILE: the block with this test's root, host and port.
localize() {
	sed -E -e "s#(^|[ '\"=(>])/etc/#\1$R/etc/#g" -e "s#(^|[ '\"=(>])/var/#\1$R/var/#g" \
		-e "s#(^|[ '\"=(>])/root/#\1$R/root/#g" \
		-e "s#hq\.koperasi\.example:8443#localhost:$PORT#g" -e 's#hq\.koperasi\.example#localhost#g' \
		-e 's#203\.0\.113\.10#127.0.0.1#g' -e 's#runuser -u [a-z-]+ -- ##g' \
		-e 's#install (-m [0-7]+ )-o [a-z-]+ -g [a-z-]+ #install \1#g' "$1"
}

# start_hq: what `systemctl enable --now coopmart-hq` runs (the unit's
# ExecStart, its credentials folder being /etc/coopmart-hq).
start_hq() {
	local cmd
	cmd=$(sed -n 's/^ExecStart=//p' "$SRCDIR/sync/systemd/coopmart-hq.service" |
		sed -e "s#/usr/local/bin/coopmart-hq#$BINARY_DIR/sync/coopmart-hq#" \
			-e "s#%d/#$R/etc/coopmart-hq/#g" -e "s#/var/lib/#$R/var/lib/#" \
			-e "s#0\.0\.0\.0:8443#127.0.0.1:$PORT#")
	$cmd >"$T/hq.log" 2>&1 &
	HQ_PID=$!
	for _ in $(seq 1 100); do
		curl -sf --cacert "$R/etc/coopmart-hq/ca.pem" "https://localhost:$PORT/v1/health" >/dev/null && return 0
		sleep 0.1
	done
	fail "HQ did not start: $(tail -3 "$T/hq.log")"
}

RAN=0
for b in "$T"/blocks/*; do
	case $b in
	*.sh)
		# A default path (/etc/coopmart-hq of tls init, /var/lib/coopmart
		# of --db) would escape the scratch root: the guide names them.
		if grep -q 'tls init' "$b" && ! grep -q 'tls init.* --dir ' "$b"; then
			fail "docs/ADMIN.md: tls init without --dir"
		fi
		if grep -Eq 'coopmart (init|backup|restore|journal|user|report|till|setting) ' "$b"; then
			fail "docs/ADMIN.md: a coopmart command without --db"
		fi
		localize "$b" >"$b.run"
		CMD="docs/ADMIN.md block $(basename "$b"): $(head -1 "$b")"
		set +e
		(cd "$R/root" && bash -e "$b.run") >"$T/.out" 2>"$T/.err"
		RC=$?
		set -e
		OUT=$(cat "$T/.out")
		ERR=$(cat "$T/.err")
		expect_rc 0
		RAN=$((RAN + 1))
		;;
	*.sh-root)
		if grep -q 'systemctl enable --now coopmart-hq' "$b"; then start_hq; fi
		;;
	esac
done
CHECKS=$((CHECKS + 1))
[ "$RAN" -ge 7 ] || fail "only $RAN blocks of the guide ran"

# Where the guide leaves things.
DB="$R/var/lib/coopmart/store.db"
HEAD=$(sql "$DB" "SELECT max(seq) FROM journal")
HQ_HEAD=$(sqlite3 "$R/var/lib/coopmart-hq/hq.db" "SELECT h.seq FROM heads h JOIN terminals t ON t.id = h.terminal WHERE t.store = 'KMB-SMG' AND t.terminal = 'K01'")
CHECKS=$((CHECKS + 1))
[ "$HQ_HEAD" -gt 0 ] && [ "$HQ_HEAD" -le "$HEAD" ] || fail "HQ holds $HQ_HEAD of the till's $HEAD events"
expect_eq "store code" KMB-SMG "$(sql "$DB" "SELECT value FROM settings WHERE key = 'store_code'")"
expect_eq "database mode (umask 007)" 660 "$(stat -c %a "$DB")"
expect_eq "token mode" 600 "$(stat -c %a "$R/etc/coopmart/sync.token")"
CHECKS=$((CHECKS + 1))
ls "$R"/var/backups/coopmart/store-*.db "$R"/var/lib/coopmart-hq/hq-*.db >/dev/null || fail "a backup is missing"
CHECKS=$((CHECKS + 1))
ls "$DB".before-restore-* >/dev/null || fail "the restore kept no old database"
CHECKS=$((CHECKS + 1))
[ "$(sql "$DB" "SELECT count(*) FROM items")" -gt 0 ] || fail "the catalogue did not reach the till"
done_ok
