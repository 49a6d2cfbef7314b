#!/bin/sh
# The README's quick start on Debian 12, as root or as a user with sudo:
#
#   ./quickstart.sh          install what is missing, build, open the demo till
#   ./quickstart.sh test     install what is missing, build, run every test
#   ./quickstart.sh deps     only install what is missing
#
# The packages are the ones in .ci/packages (one a line, '#' comments); only
# those not yet installed are asked for, after an apt-get update. sudo is
# used only when not running as root. .ci/run calls `./quickstart.sh test`,
# the README's test command, so CI and the README cannot part ways.
#
# Environment: BUILD_DIR (default build), JOBS (default 2),
# QUICKSTART_PACKAGES (another package list, for tests),
# QUICKSTART_DRY_RUN=1 (print the apt-get commands instead of running them).
set -eu
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}
PACKAGES=${QUICKSTART_PACKAGES:-.ci/packages}

say() { printf 'quickstart: %s\n' "$*" >&2; }

# The packages of the list that dpkg does not know as installed.
missing_packages() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' "$PACKAGES" | grep -v '^$' | while read -r p; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case $status in
		*" installed") ;;
		*) echo "$p" ;;
		esac
	done
}

# as_root CMD...: runs CMD as root: directly when root, else through sudo.
as_root() {
	if [ "${QUICKSTART_DRY_RUN:-0}" = 1 ]; then
		if [ "$(id -u)" = 0 ]; then echo "$*"; else echo "sudo $*"; fi
		return 0
	fi
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		say "not root and no sudo: run this as root (su -), or install sudo first"
		exit 1
	fi
}

install_deps() {
	[ -r "$PACKAGES" ] || { say "cannot read the package list $PACKAGES"; exit 1; }
	command -v dpkg-query >/dev/null 2>&1 || {
		say "dpkg-query not found: this script is for Debian 12 (see .ci/packages)"; exit 1; }
	missing=$(missing_packages | paste -sd ' ' -)
	if [ -z "$missing" ]; then
		say "every package of $PACKAGES is installed"
		return 0
	fi
	say "installing: $missing"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

build() {
	cmake -S . -B "$BUILD_DIR" && cmake --build "$BUILD_DIR" -j"$JOBS"
}

case ${1:-demo} in
demo)
	install_deps
	build
	exec "$BUILD_DIR"/coopmart demo
	;;
test)
	install_deps
	build
	ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS"
	;;
deps)
	install_deps
	;;
-h | --help)
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	say "unknown command '$1' (demo, test, deps)"
	exit 1
	;;
esac
