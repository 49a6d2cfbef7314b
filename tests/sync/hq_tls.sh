# coopmart-hq tls init: a private CA and a server certificate for a name
# and an address (SANs, serverAuth, signed by the CA, keys 0600), the pin
# it prints is the server key's (as openssl computes it), and the agent
# syncs over HTTPS on loopback trusting only that CA and pin; a wrong pin
# is refused (exit 5). Existing files are never replaced; bad names and
# addresses are refused.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

mkdir -p "$T/pki"
capture "$COOPMART_HQ" tls init --name localhost --ip 127.0.0.1 --ip ::1 --dir "$T/pki"
expect_rc 0
expect_out "On every till: copy $T/pki/ca.pem to /etc/coopmart/hq-ca.pem"
expect_out "ca_file = /etc/coopmart/hq-ca.pem"
PIN=$(sed -n 's/^pin = //p' <<<"$OUT")
WANT="sha256//$(openssl x509 -in "$T/pki/server.pem" -pubkey -noout |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
expect_eq "the printed pin" "$WANT" "$PIN"
expect_eq "key modes" "600 600" "$(stat -c %a "$T/pki/ca.key" "$T/pki/server.key" | paste -sd ' ')"
TEXT=$(openssl x509 -in "$T/pki/server.pem" -noout -text)
OUT=$TEXT
expect_out "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"
expect_out "TLS Web Server Authentication"
expect_out "CA:FALSE"
CHECKS=$((CHECKS + 1))
openssl verify -CAfile "$T/pki/ca.pem" "$T/pki/server.pem" >/dev/null || fail "not signed by the CA"
OUT=$(openssl x509 -in "$T/pki/ca.pem" -noout -text)
expect_out "CA:TRUE"

# HQ serves with it (hq_start takes $T/pki/server.pem); the agent trusts
# the CA and the pin.
hq_start
new_terminal KMB-SMG K01
conf_set K01 pin "$PIN"
sell K01 2 BRS-PRM-5
agent K01 once
expect_rc 0
expect_eq "events at HQ" "$(journal_head K01)" "$(held_events KMB-SMG K01)"
# By name too (the DNS SAN).
conf_set K01 url "https://localhost:$HQ_PORT"
agent K01 once
expect_rc 0
# Another key's pin: not trusted.
conf_set K01 pin "sha256//$(head -c 32 /dev/urandom | base64)"
agent K01 once
expect_rc 5

# Never over existing files; bad input refused.
capture "$COOPMART_HQ" tls init --name localhost --dir "$T/pki"
expect_rc 8
expect_err "$T/pki/ca.pem exists: HQ's CA is made once"
mkdir -p "$T/pki2"
capture "$COOPMART_HQ" tls init --name "bad name" --dir "$T/pki2"
expect_rc 3
expect_err "is not a host name"
capture "$COOPMART_HQ" tls init --name hq --ip 300.1.1.1 --dir "$T/pki2"
expect_rc 3
expect_err "--ip 300.1.1.1 is not an IPv4 or IPv6 address"
capture "$COOPMART_HQ" tls init --name hq --dir "$T/none"
expect_rc 2
expect_eq "nothing made" "" "$(ls "$T/pki2")"
done_ok
