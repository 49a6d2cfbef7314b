# cmake --install puts every file where it belongs (GNUInstallDirs under
# the build's prefix): the three programs, the units naming the installed
# binaries, the sysusers file, the udev rule, the man pages (no groff
# warnings), the documentation and messages, and the sample sync.conf,
# whose every key the agent knows. The units pass systemd-analyze verify.
# (The Debian packages are built, installed and checked by
# packaging/check-debs.sh, which .ci/run runs as root.)
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${BINARY_DIR:?BINARY_DIR must name the build directory}"

PREFIX=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BINARY_DIR/CMakeCache.txt")
R="$T/root"
DESTDIR="$R" cmake --install "$BINARY_DIR" >"$T/install.log" 2>&1 || fail "cmake --install failed: $(tail -3 "$T/install.log")"
P="$R$PREFIX"
for f in bin/coopmart bin/coopmart-sync bin/coopmart-hq \
	lib/systemd/system/coopmart-sync.service lib/systemd/system/coopmart-sync-once.service \
	lib/systemd/system/coopmart-sync.timer lib/systemd/system/coopmart-hq.service \
	lib/sysusers.d/coopmart-hq.conf lib/udev/rules.d/60-coopmart-devices.rules \
	share/man/man1/coopmart.1 share/man/man8/coopmart-sync.8 share/man/man8/coopmart-hq.8 \
	share/doc/coopmart/README.md share/doc/coopmart/sync/README.md \
	share/doc/coopmart/sync/PROTOCOL.md share/doc/coopmart/sync.conf.example share/doc/coopmart/ADMIN.md \
	share/locale/id/LC_MESSAGES/coopmart.mo; do
	CHECKS=$((CHECKS + 1))
	[ -f "$P/$f" ] || fail "$PREFIX/$f is not installed"
done
CHECKS=$((CHECKS + 1))
[ -x "$P/bin/coopmart" ] || fail "coopmart is not executable"

# The units run the binaries where they were installed.
expect_eq "sync ExecStart" "$PREFIX/bin/coopmart-sync --config /etc/coopmart/sync.conf daemon" \
	"$(sed -n 's/^ExecStart=//p' "$P/lib/systemd/system/coopmart-sync.service")"
CHECKS=$((CHECKS + 1))
grep "^ExecStart=$PREFIX/bin/coopmart-hq " "$P/lib/systemd/system/coopmart-hq.service" >/dev/null ||
	fail "coopmart-hq.service does not run $PREFIX/bin/coopmart-hq"
CHECKS=$((CHECKS + 1))
grep "^Documentation=file://$PREFIX/share/doc/coopmart/" "$P/lib/systemd/system/coopmart-sync.service" >/dev/null ||
	fail "the unit's documentation is not where it is installed"

# systemd-analyze verify, with the binaries' paths under the test's root
# (the users coopmart and coopmart-hq need not exist on this machine).
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$T/units"
	for u in coopmart-sync.service coopmart-sync-once.service coopmart-sync.timer coopmart-hq.service; do
		sed -e "s#=$PREFIX/bin/#=$P/bin/#" -e 's/^User=.*/User=root/' -e 's/^Group=.*/Group=root/' \
			"$P/lib/systemd/system/$u" >"$T/units/$u"
	done
	set +e
	ERR=$(cd "$T/units" && systemd-analyze verify ./coopmart-sync.service ./coopmart-sync-once.service \
		./coopmart-sync.timer ./coopmart-hq.service 2>&1 | grep -v -e 'ReadWritePaths' -e 'ReadOnlyPaths' \
		-e 'LoadCredential')
	set -e
	expect_eq "systemd-analyze verify says" "" "$ERR"
fi

# Man pages: groff finds nothing to warn about.
for m in man1/coopmart.1 man8/coopmart-sync.8 man8/coopmart-hq.8; do
	W=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$P/share/man/$m" 2>&1 >/dev/null)
	expect_eq "warnings of $m" "" "$W"
done
CHECKS=$((CHECKS + 1))
LC_ALL=C.UTF-8 MANWIDTH=80 man -E UTF-8 -l "$P/share/man/man1/coopmart.1" 2>/dev/null | grep 'restore FILE' >/dev/null ||
	fail "coopmart(1) does not describe restore"

# The sample config: all comments, so nothing is set; uncommented, every
# key in it is one the agent knows and every value one it accepts.
: "${COOPMART_SYNC:=$BINARY_DIR/sync/coopmart-sync}"
EX="$P/share/doc/coopmart/sync.conf.example"
set +e
ERR=$("$COOPMART_SYNC" --config "$EX" check 2>&1)
RC=$?
set -e
expect_rc 1
expect_eq "the sample as installed" "coopmart-sync: $EX: 'db' is not set (it is required)" "$ERR"
sed -E 's/^# ([a-z_]+ = )/\1/' "$EX" >"$T/all.conf"
expect_eq "keys in the sample (every key of sync/agent/config.c)" 19 "$(grep -cE '^[a-z_]+ = ' "$T/all.conf")"
set +e
OUT=$("$COOPMART_SYNC" --config "$T/all.conf" check 2>&1)
RC=$?
set -e
expect_rc 0
expect_eq "check" "$T/all.conf: valid. Store KMB-SMG, terminal K01, HQ https://hq.koperasi.example:8443, database /var/lib/coopmart/store.db, token file /etc/coopmart/sync.token" "$OUT"
done_ok
