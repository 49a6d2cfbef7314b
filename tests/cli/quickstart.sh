# The README's quick start: its two commands are ./quickstart.sh (demo) and
# ./quickstart.sh test, .ci/run runs the README's test command word for word,
# and the script asks apt only for the packages that are missing, after an
# apt-get update, through sudo only when not root (a dry run prints what it
# would run; the real install is what .ci/run does on a fresh machine).
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

QS="$SRCDIR/quickstart.sh"

# The commands of the README's "Quick start" section's sh blocks.
quick_start_commands() {
	awk '/^## Quick start/ { on = 1; next } /^## / { on = 0 }
	     on && /^```sh/ { code = 1; next } on && /^```/ { code = 0; next }
	     on && code' "$SRCDIR/README.md"
}
COMMANDS=$(quick_start_commands)
expect_eq "quick start commands" $'./quickstart.sh\n./quickstart.sh test' "$COMMANDS"
TEST_CMD=$(sed -n 2p <<<"$COMMANDS")
CHECKS=$((CHECKS + 1))
grep -qxF -- "$TEST_CMD" "$SRCDIR/.ci/run" || fail ".ci/run does not run the README's test command '$TEST_CMD'"
CHECKS=$((CHECKS + 1))
[ -x "$QS" ] || fail "quickstart.sh is not executable"

# qs ARGS...: the script (RC/OUT/ERR), environment from the caller.
qs() {
	CMD="quickstart.sh $*"
	set +e
	"$QS" "$@" </dev/null >"$T/.out" 2>"$T/.err"
	RC=$?
	set -e
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# Everything installed: nothing asked of apt.
printf '# installed ones\nbash\ncoreutils   # a trailing comment\n\n' >"$T/have"
QUICKSTART_PACKAGES="$T/have" QUICKSTART_DRY_RUN=1 qs deps
expect_rc 0
expect_no_out
expect_err "every package of $T/have is installed"

# One missing: apt-get update first, then only the missing one.
printf 'bash\ncoopmart-no-such-package\ncoreutils\n' >"$T/some"
QUICKSTART_PACKAGES="$T/some" QUICKSTART_DRY_RUN=1 qs deps
expect_rc 0
expect_eq "as root" "env DEBIAN_FRONTEND=noninteractive apt-get update
env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends coopmart-no-such-package" "$OUT"
expect_err "installing: coopmart-no-such-package"

# Not root: through sudo.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	# nobody must reach the list: the scratch folder's parents may be 0700.
	PUB=$(mktemp -d /tmp/coopmart-qs.XXXXXX)
	chmod 755 "$PUB"
	cp "$T/some" "$PUB/some"
	chmod 644 "$PUB/some"
	set +e
	OUT=$(runuser -u nobody -- env QUICKSTART_PACKAGES="$PUB/some" QUICKSTART_DRY_RUN=1 "$QS" deps 2>/dev/null)
	RC=$?
	set -e
	rm -rf "$PUB"
	expect_rc 0
	expect_eq "not root" "sudo env DEBIAN_FRONTEND=noninteractive apt-get update
sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends coopmart-no-such-package" "$OUT"
fi

# A list that cannot be read, a command that does not exist.
QUICKSTART_PACKAGES="$T/none" qs deps
expect_rc 1
expect_err "cannot read the package list $T/none"
qs frobnicate
expect_rc 1
expect_err "unknown command 'frobnicate'"
qs --help
expect_rc 0
expect_out "./quickstart.sh test"
done_ok
