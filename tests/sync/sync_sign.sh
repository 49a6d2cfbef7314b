# Signed journals (issue 19, PROTOCOL.md "Signatures"): init makes a key per
# terminal (the secret half DB.key, mode 0640), registered with HQ at
# enrolment; every event from the 'signing_key' event on is signed by the
# till, and HQ refuses an unsigned or wrongly signed one with an alert
# naming store, terminal and sequence. A forger without the key is caught
# at the till (journal verify) and at HQ; a till whose key file went
# missing keeps selling, unsigned, and says so; a terminal enrolled
# without a key (an older till) pushes as before.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
TAMPER="python3 $SRCDIR/tests/sync/tamper.py"
CHAIN="python3 $SRCDIR/tests/sync/chain.py"
hq_start

till() {
	local term=$1
	shift
	capture "$COOPMART" --db "$T/$term.db" "$@"
}
# post TERM FILE: POSTs the body straight to HQ with TERM's token (what a
# forger holding the token could do); RC = HTTP status, OUT = body.
post() {
	RC=$(curl -s -o "$T/.body" -w '%{http_code}' --cacert "$T/pki/ca.pem" \
		-H "Authorization: Bearer $(cat "$T/$1.token")" -H 'Content-Type: application/json' \
		--data-binary "@$2" "$HQ_URL/v1/events")
	OUT=$(cat "$T/.body")
}
hq_alert() {
	sql "$HQDB" "SELECT seq || '|' || count FROM alerts WHERE store = '$STORE' AND terminal = '$1' AND kind = '$2' ORDER BY id DESC LIMIT 1"
}
key_since() { sql "$T/$1.db" "SELECT seq FROM journal WHERE type = 'signing_key'"; }

# ---- a terminal made by init signs, HQ checks --------------------------
new_terminal "$STORE" K01
expect_eq "the key file's mode" 640 "$(stat -c %a "$T/K01.db.key")"
till K01 key show
expect_rc 0
K=$(key_since K01)
expect_out "ed25519:$K:"
expect_err "signing since sequence $K with $T/K01.db.key"
expect_eq "HQ holds the key" "$(cut -d: -f3 <<<"$OUT")|$K" \
	"$(sql "$HQDB" "SELECT sign_key || '|' || sign_from FROM terminals WHERE terminal = 'K01'")"
till K01 key create </dev/null
expect_rc 1
sell K01 3 MIE-GRG
agent K01 once
expect_rc 0
N=$(journal_head K01)
expect_eq "HQ holds every event" "$N" "$(held_events "$STORE" K01)"
expect_eq "signed at HQ: every event from the key on, none before" "$((N - K + 1))|0" \
	"$(sql "$HQDB" "SELECT sum(CASE WHEN e.seq >= $K AND length(e.sig) = 128 THEN 1 ELSE 0 END) || '|' || sum(CASE WHEN e.seq < $K AND e.sig IS NOT NULL THEN 1 ELSE 0 END) FROM events e JOIN terminals t ON t.id = e.terminal WHERE t.terminal = 'K01'")"

# ---- a forger without the key --------------------------------------------
sell K01 2 MIE-GRG
S=$(sql "$T/K01.db" "SELECT journal_seq FROM sales WHERE receipt_no = 'K01-000005'")
cp "$T/K01.db.key" "$T/K01.key.saved"
$TAMPER "$T/K01.db" rewrite "$S" '"cashier":1' '"cashier":2' --unsigned
till K01 journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $S: event $S is not signed, but this terminal signs every event since it has a key"
agent K01 once
expect_rc 3
expect_err "the journal does not verify at sequence $S: event $S is not signed"
expect_eq "HQ's verify_failed alert" "$S|1" "$(hq_alert K01 verify_failed)"
# Straight to HQ with the token: refused, nothing kept, alert with the seq.
held=$(held_events "$STORE" K01)
$CHAIN import "$T/K01.db" >"$T/K01.chain"
$CHAIN push "$T/K01.chain" "$STORE" $((held + 1)) "$(journal_head K01)" >"$T/forged.json"
post K01 "$T/forged.json"
expect_eq "an unsigned event" 422 "$RC"
expect_out '"code":"bad_signature"'
expect_out "event $S of KMB-SMG/K01 is not signed (the terminal signs every event from $K on)"
expect_eq "HQ's signature alert" "$S|1" "$(hq_alert K01 signature)"
expect_eq "nothing of the batch kept" "$held" "$(held_events "$STORE" K01)"
# The same with a signature, but not the terminal's: another key's.
python3 - "$T/forged.json" "$S" <<-'PY'
	import json, sys
	from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
	body = json.load(open(sys.argv[1]))
	other = Ed25519PrivateKey.generate()
	for e in body["events"]:
	    if e["seq"] == int(sys.argv[2]):
	        e["sig"] = other.sign(bytes.fromhex(e["hash"])).hex()
	json.dump(body, open(sys.argv[1], "w"))
	PY
post K01 "$T/forged.json"
expect_eq "a signature by another key" 422 "$RC"
expect_out "event $S of KMB-SMG/K01: its signature does not verify with the terminal's registered key"
expect_eq "HQ's signature alerts" 2 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE terminal = 'K01' AND kind = 'signature' AND seq = $S")"
expect_eq "still nothing kept" "$held" "$(held_events "$STORE" K01)"

# ---- the key file gone: the till sells on, unsigned, and says so ---------
new_terminal "$STORE" K02
mv "$T/K02.db.key" "$T/K02.key.away"
sell K02 1 MIE-GRG
till K02 key show
expect_rc 0
expect_err "NOT signing: the signing key $T/K02.db.key cannot be opened: No such file or directory"
U=$(sql "$T/K02.db" "SELECT min(seq) FROM journal WHERE seq > $(key_since K02) AND sig IS NULL")
till K02 journal verify
expect_rc 7
expect_out "journal BROKEN at sequence $U: event $U is not signed"
agent K02 once
expect_rc 3
expect_eq "HQ told of K02" "$U|1" "$(hq_alert K02 verify_failed)"
# Another terminal's key file in its place is not used.
cp "$T/K01.key.saved" "$T/K02.db.key"
till K02 key show
expect_err "NOT signing: the signing key $T/K02.db.key is not this terminal's"

# ---- HQ registered another key than the till's ----------------------------
new_till "$T/K03.db" K03
hq enroll --store "$STORE" --terminal K03 --signing-key "ed25519:$(key_since K03):$(sql "$HQDB" "SELECT sign_key FROM terminals WHERE terminal = 'K01'")"
expect_rc 0
TOK=$(grep -Eo '[A-Za-z0-9_-]{43}' <<<"$OUT" | head -1)
(umask 077 && printf '%s\n' "$TOK" >"$T/K03.token")
sed -e "s/K01/K03/g" "$T/K01.conf" >"$T/K03.conf"
agent K03 once
expect_rc 3
expect_err "422 bad_signature: event $(key_since K03) is not the signing key registered for KMB-SMG/K03"
expect_eq "HQ's alert for K03" "$(key_since K03)|1" "$(hq_alert K03 signature)"

# ---- an older till, enrolled without a key: pushes unsigned as before -----
hq enroll --store "$STORE" --terminal K04
expect_rc 0
TOK=$(grep -Eo '[A-Za-z0-9_-]{43}' <<<"$OUT" | head -1)
printf '%s\n' "$TOK" >"$T/K04.token"
python3 - "$SRCDIR/tests/sync" "$T/K04.chain" <<-'PY'
	import sys
	sys.path.insert(0, sys.argv[1])
	import chain
	events = [chain.make([], "K04", "login", '{"number":"1"}', 1764403200)]
	chain.dump(events, open(sys.argv[2], "w"))
	PY
$CHAIN sales "$T/K04.chain" 3 20261129
$CHAIN push "$T/K04.chain" "$STORE" 1 4 >"$T/K04.json"
post K04 "$T/K04.json"
expect_eq "an unsigned terminal's push" 200 "$RC"

# ---- the enrolment's key must be what 'coopmart key show' prints ----------
for bad in "ed25519:0:$(printf 'a%.0s' $(seq 64))" "ed25519:5:ABC" "rsa:5:$(printf 'a%.0s' $(seq 64))"; do
	hq enroll --store "$STORE" --terminal K09 --signing-key "$bad"
	expect_rc 3
	expect_err "--signing-key is a terminal's, as 'coopmart key show' prints it"
done
done_ok
