#!/usr/bin/env bash
# Builds the Debian packages, installs them on this machine (as root, with
# apt, so their dependencies come too) and checks what they did: the
# programs run, the users, groups and folders exist with their modes,
# sync.conf is a conffile the agent reads, and systemd-analyze verify
# accepts the installed units. .ci/run calls this on its fresh machine.
#
#   packaging/check-debs.sh [BUILD_DIR]     (default build-deb)
#
# --purge: remove the packages again afterwards (the users stay, as
# Debian leaves system users behind).
set -euo pipefail
cd "$(dirname "$0")/.."
purge=0
if [ "${1:-}" = --purge ]; then purge=1; shift; fi
B=${1:-build-deb}
[ "$(id -u)" = 0 ] || { echo "check-debs: run as root (it installs packages)" >&2; exit 1; }

fail() { echo "check-debs: FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }

cmake -S . -B "$B" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF >/dev/null
cmake --build "$B" -j"${JOBS:-2}" >/dev/null
rm -f "$B"/*.deb
(cd "$B" && cpack -G DEB >/dev/null 2>&1) || fail "cpack failed"
debs=("$B"/coopmart-common_*.deb "$B"/coopmart_*.deb "$B"/coopmart-hq_*.deb)
[ "${#debs[@]}" = 3 ] && [ -f "${debs[0]}" ] || fail "the three packages were not built"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	--reinstall "${debs[@]/#/./}" >/dev/null

# The programs, from PATH, in Bahasa Indonesia from the installed catalogue.
coopmart --help >/dev/null
coopmart-sync --help >/dev/null
coopmart-hq --help >/dev/null
LANG=C COOPMART_LANG=id coopmart --help | grep 'pemakaian: coopmart' >/dev/null ||
	fail "coopmart does not find its installed messages"

# Users, groups, folders and modes.
expect_eq "coopmart's group" coopmart "$(id -gn coopmart)"
expect_eq "coopmart-hq's group" coopmart-hq "$(id -gn coopmart-hq)"
expect_eq /var/lib/coopmart "2770 coopmart coopmart" "$(stat -c '%a %U %G' /var/lib/coopmart)"
expect_eq /var/lib/coopmart-hq "700 coopmart-hq coopmart-hq" "$(stat -c '%a %U %G' /var/lib/coopmart-hq)"
expect_eq /etc/coopmart "750 root coopmart" "$(stat -c '%a %U %G' /etc/coopmart)"
expect_eq /etc/coopmart/sync.conf "640 root coopmart" "$(stat -c '%a %U %G' /etc/coopmart/sync.conf)"
expect_eq /etc/coopmart-hq "700 root" "$(stat -c '%a %U' /etc/coopmart-hq)"
dpkg-query -W -f='${Conffiles}\n' coopmart | grep ' /etc/coopmart/sync.conf ' >/dev/null ||
	fail "/etc/coopmart/sync.conf is not a conffile"
# The agent, as its user, reads the packaged config: every line a comment,
# so it names the first required key that is missing.
out=$(runuser -u coopmart -- env COOPMART_LANG=en coopmart-sync --config /etc/coopmart/sync.conf check 2>&1) &&
	fail "an empty sync.conf was accepted"
grep "'db' is not set" <<<"$out" >/dev/null || fail "coopmart-sync check said: $out"

# The units as installed.
for u in coopmart-sync.service coopmart-sync-once.service coopmart-sync.timer coopmart-hq.service; do
	[ -f /usr/lib/systemd/system/$u ] || fail "$u is not installed"
	grep -q "^ExecStart=/usr/local" /usr/lib/systemd/system/$u && fail "$u runs /usr/local"
done
err=$(systemd-analyze verify /usr/lib/systemd/system/coopmart-sync.service \
	/usr/lib/systemd/system/coopmart-sync-once.service /usr/lib/systemd/system/coopmart-sync.timer \
	/usr/lib/systemd/system/coopmart-hq.service 2>&1) || fail "systemd-analyze verify: $err"
[ -z "$err" ] || fail "systemd-analyze verify says: $err"
[ -f /usr/lib/udev/rules.d/60-coopmart-devices.rules ] || fail "the udev rule is not installed"
for m in coopmart.1 coopmart-sync.8 coopmart-hq.8; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l /usr/share/man/man${m##*.}/$m* 2>&1 >/dev/null)
	[ -z "$w" ] || fail "man page $m: $w"
done

if [ $purge = 1 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq coopmart coopmart-hq coopmart-common >/dev/null
fi
echo "check-debs: the packages install and work"
