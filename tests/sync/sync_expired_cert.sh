# An expired server certificate, though signed by the CA the agent trusts,
# is refused: the agent says so (curl's "certificate has expired" in its
# message), exits 5 (HQ untrusted) and pushes nothing; once HQ has a valid
# certificate again, the same agent pushes.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

hq_start
new_terminal KMB-SMG K01
agent K01 once
expect_rc 0

# The same key and CA; the certificate's notAfter is yesterday (OpenSSL 3
# takes a negative -days).
(
	cd "$T/pki"
	cp server.pem valid.pem
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days -1 -extfile server.ext -out expired.pem 2>/dev/null
) || fail "openssl could not make the expired certificate"
openssl x509 -in "$T/pki/expired.pem" -noout -checkend 0 >/dev/null &&
	fail "the test certificate has not expired"
CHECKS=$((CHECKS + 1))

# hq_start checks /v1/health with certificate verification, which an
# expired certificate fails: this start waits with curl -k instead.
hq_stop
cp "$T/pki/expired.pem" "$T/pki/server.pem"
"$COOPMART_HQ" --db "$HQDB" serve --listen "127.0.0.1:$HQ_PORT" \
	--cert "$T/pki/server.pem" --key "$T/pki/server.key" >>"$T/hq.log" 2>&1 &
HQ_PID=$!
bg_add "$HQ_PID"
wait_for "coopmart-hq with the expired certificate" 10 \
	curl -sfk "$HQ_URL/v1/health"
curl -sf --cacert "$T/pki/ca.pem" "$HQ_URL/v1/health" >/dev/null 2>&1 &&
	fail "curl accepted the expired certificate"
CHECKS=$((CHECKS + 1))

sell K01 1 MIE-GRG
acked=$(acked_seq K01)
agent K01 once
expect_rc 5
expect_err "certificate has expired"
expect_err "check this terminal's date and time"
expect_not_err "is ca_file"
expect_eq "nothing pushed to a server with an expired certificate" "$acked" "$(acked_seq K01)"
expect_eq "no event of the sale at HQ" "$acked" "$(held_events KMB-SMG K01)"

hq_stop
cp "$T/pki/valid.pem" "$T/pki/server.pem"
hq_start
agent K01 once
expect_rc 0
expect_eq "pushed once the certificate is valid" "$(journal_head K01)" "$(acked_seq K01)"

done_ok
