/* coopmart-hq tls init: HQ's own certificate authority and a server
 * certificate signed by it, so that a coop needs no public CA and no
 * hand-made openssl commands. GnuTLS (which serves HQ's HTTPS through
 * libmicrohttpd already) makes the keys and certificates.
 *
 * In dir (default /etc/coopmart-hq) it writes
 *   ca.pem      the CA certificate: every till's ca_file
 *   ca.key      the CA's key (0600): keep it, it signs the next server
 *               certificate; nothing else needs it
 *   server.pem  the server certificate: CN and SAN DNS = name, SAN IP =
 *               each ip; serverAuth; signed by the CA
 *   server.key  its key (0600)
 * and prints the CA file and the pin (curl's sha256//BASE64 of the server
 * key's SubjectPublicKeyInfo) that each till's sync.conf names. Files that
 * exist are never overwritten: a new CA would strand every till. */
#ifndef TLSINIT_H
#define TLSINIT_H

#include "core/cm.h"

#define TLSINIT_MAX_IPS 4

struct tlsinit_opts {
	const char *dir;
	const char *name;                 /* host name (DNS SAN and CN) */
	const char *ips[TLSINIT_MAX_IPS]; /* IPv4 or IPv6 addresses (IP SANs) */
	int nips;
	int days;                         /* the server certificate's validity */
};

/* Makes the four files and prints what the tills need on stdout. On
 * failure err says why (nothing half-made is left behind). */
enum cm_rc tlsinit_run(const struct tlsinit_opts *o, char *err, size_t errlen);

#endif
