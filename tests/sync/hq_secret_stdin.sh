# coopmart-hq reads a secret (an operator's password, a member's web PIN)
# one way (pos/core/secret.c): a line from standard input, or typed at a
# terminal without echo after a prompt; standard input that ends first is
# said in words, and a line longer than the buffer is refused, never
# kept cut short.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

printf 'number,name,card_code\nA-0001,Siti Aminah,M000001\n' >"$T/members.csv"
hq import members "$T/members.csv"
expect_rc 0

# Standard input empty (hq runs with </dev/null): the message says so.
hq operator add rina --role council
[ "$RC" -ne 0 ] || fail "an operator was added without a password"
expect_err "no password: standard input ended before a line was read"
hq member web-pin A-0001
[ "$RC" -ne 0 ] || fail "a web PIN was set from nothing"
expect_err "no web PIN: standard input ended before a line was read"
expect_eq "nobody added" 0 "$(sql "$HQDB" "SELECT count(*) FROM operators")"

# A password longer than the reader takes: refused, not cut to fit.
long=$(printf 'k%.0s' $(seq 300))
set +e
printf '%s\n' "$long" | "$COOPMART_HQ" --db "$HQDB" operator add rina --role council 2>"$T/long.err"
RC=$?
set -e
[ "$RC" -ne 0 ] || fail "a 300-character password was taken"
grep -F "the password is longer than 255 characters" "$T/long.err" >/dev/null ||
	fail "the long password's message: $(cat "$T/long.err")"
expect_eq "still nobody" 0 "$(sql "$HQDB" "SELECT count(*) FROM operators")"

# Piped, without a line end: taken as it is.
printf 'kopi-tubruk-88' | "$COOPMART_HQ" --db "$HQDB" operator add rina --role council 2>"$T/ok.err" ||
	fail "operator add from a pipe: $(cat "$T/ok.err")"
expect_eq "added" 1 "$(sql "$HQDB" "SELECT count(*) FROM operators WHERE name = 'rina'")"

# At a terminal (tmux): the prompt, nothing echoed, the secret taken.
tm() { tmux -L "cm-secret-$$" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true; hq_cleanup' EXIT
typed_at_tty() {   # PROMPT SECRET COMMAND...
	local prompt=$1 secret=$2
	shift 2
	tm kill-server 2>/dev/null || true
	tm new-session -d -x 100 -y 10 \
		"COOPMART_LANG=en $COOPMART_HQ --db '$HQDB' $* 2>&1; echo \"rc=\$?\"; sleep 30"
	for _ in $(seq 100); do tm capture-pane -p | grep -F "$prompt" >/dev/null && break; sleep 0.1; done
	tm capture-pane -p | grep -F "$prompt" >/dev/null || fail "no prompt '$prompt' at the terminal"
	tm send-keys -l "$secret"
	sleep 0.2
	tm capture-pane -p | grep -F "$secret" >/dev/null && fail "the secret was echoed"
	tm send-keys Enter
	for _ in $(seq 100); do tm capture-pane -p | grep -F "rc=" >/dev/null && break; sleep 0.1; done
	SCREEN=$(tm capture-pane -p)
	grep -F "$secret" <<<"$SCREEN" >/dev/null && fail "the secret is on the screen: $SCREEN"
	tm kill-server
	CHECKS=$((CHECKS + 2))
}
typed_at_tty "Password: " "teh-manis-2026" operator add dewi --role council
grep -F "rc=0" <<<"$SCREEN" >/dev/null || fail "operator add at a terminal: $SCREEN"
expect_eq "dewi added" 1 "$(sql "$HQDB" "SELECT count(*) FROM operators WHERE name = 'dewi'")"
typed_at_tty "Web PIN: " "480516" member web-pin A-0001
grep -F "rc=0" <<<"$SCREEN" >/dev/null || fail "member web-pin at a terminal: $SCREEN"
expect_eq "the web PIN set" 1 "$(sql "$HQDB" "SELECT count(*) FROM member_web_pins WHERE member = 'A-0001'")"
done_ok
