# The agent's config file as a sysadmin writes it: the README's sample,
# copied as it stands, is valid (`check`), and with this machine's paths
# and HQ put into its lines (comments kept) it syncs for real; comments
# after a value and blank lines anywhere are ignored, a '#' inside a value
# stays, and an unknown key or a bad value names its line.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

# The first code block of the README's "## Sync" section.
readme_sample() {
	awk '/^## Sync/ { on = 1; next } /^## / { on = 0 }
	     on && /^```/ { if (code) exit; code = 1; next } on && code' "$SRCDIR/README.md"
}
readme_sample >"$T/sample.conf"
CHECKS=$((CHECKS + 1))
grep '^token_file = .*#' "$T/sample.conf" >/dev/null ||
	fail "the README's sample lost its trailing comments (this test checks them)"

capture "$COOPMART_SYNC" --config "$T/sample.conf" check
expect_rc 0
expect_out "$T/sample.conf: valid. Store KMB-SMG, terminal K01, HQ https://hq.koperasi.example:8443"
expect_out "token file /etc/coopmart/sync.token"
expect_not_err "token file /etc/coopmart/sync.token "

# The sample with this test's database, HQ, token and CA: it syncs.
STORE=$(sed -n 's/^store = \([^ ]*\).*/\1/p' "$T/sample.conf")
TERM_ID=$(sed -n 's/^terminal = \([^ ]*\).*/\1/p' "$T/sample.conf")
hq_start
new_terminal "$STORE" "$TERM_ID"
sell "$TERM_ID" 2 BRS-PRM-5
# put KEY VALUE: replaces the value of the sample's line KEY, keeping its comment.
put() {
	sed -i "s|^$1 = [^ ]*|$1 = $2|" "$T/sample.conf"
}
put db "$T/$TERM_ID.db"
put url "$HQ_URL"
put token_file "$T/$TERM_ID.token"
put ca_file "$T/pki/ca.pem"
CHECKS=$((CHECKS + 1))
grep "^ca_file = $T/pki/ca.pem  *# " "$T/sample.conf" >/dev/null || fail "the comment was not kept"
capture "$COOPMART_SYNC" --config "$T/sample.conf" once
expect_rc 0
expect_eq "events at HQ" "$(journal_head "$TERM_ID")" "$(held_events "$STORE" "$TERM_ID")"

# Comments and blank lines anywhere; a '#' inside a value is part of it.
mkdir -p "$T/toko#2"
cp "$T/$TERM_ID.db" "$T/toko#2/store.db"
cat >"$T/k.conf" <<EOF

	# leading blank line, indented comment
db = $T/toko#2/store.db	# a tab before this comment
url = $HQ_URL   # HQ

store = $STORE #
terminal = $TERM_ID
token_file = $T/$TERM_ID.token
ca_file = $T/pki/ca.pem
timeout = 300         # seconds
connect_timeout = 5 # seconds

EOF
capture "$COOPMART_SYNC" --config "$T/k.conf" check
expect_rc 0
expect_out "database $T/toko#2/store.db,"
capture "$COOPMART_SYNC" --config "$T/k.conf" status
expect_rc 0

# An unknown key, after comments and blank lines, is named with its line.
printf '\n# more\ntiemout = 30  # typo\n' >>"$T/k.conf"
capture "$COOPMART_SYNC" --config "$T/k.conf" check
expect_rc 1
expect_err "$T/k.conf, line $(wc -l <"$T/k.conf"): unknown setting 'tiemout'"
# A value that is only a comment is no value.
sed -i '$d' "$T/k.conf"
printf 'proxy = # none\nbatch_events = # none\n' >>"$T/k.conf"
capture "$COOPMART_SYNC" --config "$T/k.conf" check
expect_rc 1
expect_err "$T/k.conf, line $(wc -l <"$T/k.conf"): 'batch_events' has no value"
done_ok
