/* HQ's private CA and server certificate (tlsinit.h), with GnuTLS. */
#include "tlsinit.h"
#include "core/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CA_DAYS (20 * 365)
#define MAX_DAYS (20 * 365)

static const char *const names[4] = { "ca.pem", "ca.key", "server.pem", "server.key" };

struct pki {
	gnutls_x509_privkey_t ca_key, key;
	gnutls_x509_crt_t ca, crt;
	char *err;
	size_t errlen;
};

static enum cm_rc tls_fail(struct pki *p, int rc, const char *doing)
{
	snprintf(p->err, p->errlen, "%s: %s", doing, gnutls_strerror(rc));
	return CM_IO;
}

static int new_key(gnutls_x509_privkey_t *k)
{
	int rc = gnutls_x509_privkey_init(k);
	if (rc == 0)
		rc = gnutls_x509_privkey_generate(*k, GNUTLS_PK_ECDSA,
		                                  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	return rc;
}

/* The fields both certificates share: version, a random serial, the
 * validity from an hour ago (clocks of tills drift), subject CN, key. */
static int common_fields(gnutls_x509_crt_t c, gnutls_x509_privkey_t k, const char *cn, int days)
{
	unsigned char serial[16];
	randombytes_buf(serial, sizeof serial);
	serial[0] &= 0x7f;   /* a positive INTEGER */
	time_t now = time(NULL);
	int rc = gnutls_x509_crt_set_version(c, 3);
	if (rc == 0)
		rc = gnutls_x509_crt_set_serial(c, serial, sizeof serial);
	if (rc == 0)
		rc = gnutls_x509_crt_set_activation_time(c, now - 3600);
	if (rc == 0)
		rc = gnutls_x509_crt_set_expiration_time(c, now + (time_t)days * 86400);
	if (rc == 0)
		rc = gnutls_x509_crt_set_dn_by_oid(c, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn));
	if (rc == 0)
		rc = gnutls_x509_crt_set_key(c, k);
	return rc;
}

static enum cm_rc make_ca(struct pki *p, const char *name)
{
	char cn[300];
	unsigned char id[64];
	size_t idlen = sizeof id;
	snprintf(cn, sizeof cn, "coopmart HQ CA (%s)", name);
	int rc = new_key(&p->ca_key);
	if (rc == 0)
		rc = gnutls_x509_crt_init(&p->ca);
	if (rc == 0)
		rc = common_fields(p->ca, p->ca_key, cn, CA_DAYS);
	if (rc == 0)
		rc = gnutls_x509_crt_set_basic_constraints(p->ca, 1, 0);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_usage(p->ca, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	if (rc == 0)
		rc = gnutls_x509_crt_get_key_id(p->ca, 0, id, &idlen);
	if (rc == 0)
		rc = gnutls_x509_crt_set_subject_key_id(p->ca, id, idlen);
	if (rc == 0)
		rc = gnutls_x509_crt_sign2(p->ca, p->ca, p->ca_key, GNUTLS_DIG_SHA256, 0);
	return rc == 0 ? CM_OK : tls_fail(p, rc, _("making the CA certificate"));
}

/* An address in its binary form for the IP SAN: 4 or 16 bytes. */
static int ip_bytes(const char *ip, unsigned char out[16])
{
	if (inet_pton(AF_INET, ip, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, ip, out) == 1)
		return 16;
	return 0;
}

static int server_sans(gnutls_x509_crt_t c, const struct tlsinit_opts *o)
{
	int rc = gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_DNSNAME, o->name,
	                                              (unsigned)strlen(o->name), GNUTLS_FSAN_APPEND);
	for (int i = 0; rc == 0 && i < o->nips; i++) {
		unsigned char b[16];
		int n = ip_bytes(o->ips[i], b);
		rc = gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, b, (unsigned)n,
		                                          GNUTLS_FSAN_APPEND);
	}
	return rc;
}

static enum cm_rc make_server(struct pki *p, const struct tlsinit_opts *o)
{
	unsigned char id[64];
	size_t idlen = sizeof id;
	int rc = new_key(&p->key);
	if (rc == 0)
		rc = gnutls_x509_crt_init(&p->crt);
	if (rc == 0)
		rc = common_fields(p->crt, p->key, o->name, o->days);
	if (rc == 0)
		rc = server_sans(p->crt, o);
	if (rc == 0)
		rc = gnutls_x509_crt_set_basic_constraints(p->crt, 0, -1);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_usage(p->crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_purpose_oid(p->crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (rc == 0)
		rc = gnutls_x509_crt_get_key_id(p->crt, 0, id, &idlen);
	if (rc == 0)
		rc = gnutls_x509_crt_set_subject_key_id(p->crt, id, idlen);
	idlen = sizeof id;
	if (rc == 0)
		rc = gnutls_x509_crt_get_subject_key_id(p->ca, id, &idlen, NULL);
	if (rc == 0)
		rc = gnutls_x509_crt_set_authority_key_id(p->crt, id, idlen);
	if (rc == 0)
		rc = gnutls_x509_crt_sign2(p->crt, p->ca, p->ca_key, GNUTLS_DIG_SHA256, 0);
	return rc == 0 ? CM_OK : tls_fail(p, rc, _("making the server certificate"));
}

/* curl's pin: sha256// + base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
static enum cm_rc pin_of(struct pki *p, char *pin, size_t n)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t der = { NULL, 0 };
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
	                                   sodium_base64_VARIANT_ORIGINAL)];
	int rc = gnutls_pubkey_init(&pub);
	if (rc == 0)
		rc = gnutls_pubkey_import_x509(pub, p->crt, 0);
	if (rc == 0)
		rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der);
	if (rc == 0) {
		crypto_hash_sha256(h, der.data, der.size);
		sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
		snprintf(pin, n, "sha256//%s", b64);
	}
	gnutls_free(der.data);
	gnutls_pubkey_deinit(pub);
	return rc == 0 ? CM_OK : tls_fail(p, rc, _("computing the pin"));
}

/* Writes one new file (never over an existing one) with mode. */
static enum cm_rc write_new(struct pki *p, const char *dir, const char *name,
                            const gnutls_datum_t *d, mode_t mode)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	bool ok = fd >= 0 && write(fd, d->data, d->size) == (ssize_t)d->size && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		snprintf(p->err, p->errlen, _("writing %s: %s"), path, strerror(e));
		return CM_IO;
	}
	return CM_OK;
}

static enum cm_rc write_all(struct pki *p, const char *dir)
{
	gnutls_datum_t d[4] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	static const mode_t modes[4] = { 0644, 0600, 0644, 0600 };
	int rc = gnutls_x509_crt_export2(p->ca, GNUTLS_X509_FMT_PEM, &d[0]);
	if (rc == 0)
		rc = gnutls_x509_privkey_export2_pkcs8(p->ca_key, GNUTLS_X509_FMT_PEM, NULL,
		                                       GNUTLS_PKCS_PLAIN, &d[1]);
	if (rc == 0)
		rc = gnutls_x509_crt_export2(p->crt, GNUTLS_X509_FMT_PEM, &d[2]);
	if (rc == 0)
		rc = gnutls_x509_privkey_export2_pkcs8(p->key, GNUTLS_X509_FMT_PEM, NULL,
		                                       GNUTLS_PKCS_PLAIN, &d[3]);
	enum cm_rc out = rc == 0 ? CM_OK : tls_fail(p, rc, _("encoding the certificates"));
	int written = 0;
	for (; out == CM_OK && written < 4; written++)
		out = write_new(p, dir, names[written], &d[written], modes[written]);
	if (out != CM_OK) {
		/* the file that failed may exist half-written: it was new too */
		for (int i = 0; i < written; i++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			unlink(path);
		}
	}
	for (int i = 0; i < 4; i++) {
		if (d[i].data && (i == 1 || i == 3))
			sodium_memzero(d[i].data, d[i].size);
		gnutls_free(d[i].data);
	}
	return out;
}

static enum cm_rc check_opts(const struct tlsinit_opts *o, char *err, size_t errlen)
{
	unsigned char b[16];
	for (const char *c = o->name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '-' || *c == '.')) {
			snprintf(err, errlen, _("--name %s is not a host name (letters, digits, '-' and "
			                        "'.'); give an address with --ip"), o->name);
			return CM_INVALID;
		}
	for (int i = 0; i < o->nips; i++)
		if (!ip_bytes(o->ips[i], b)) {
			snprintf(err, errlen, _("--ip %s is not an IPv4 or IPv6 address"), o->ips[i]);
			return CM_INVALID;
		}
	for (int i = 0; i < 4; i++) {
		char path[4200];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", o->dir, names[i]);
		if (stat(path, &sb) == 0) {
			snprintf(err, errlen, _("%s exists: HQ's CA is made once (a new one would stop "
			                        "every till from trusting HQ); move the old files away "
			                        "first if you really mean to start again"), path);
			return CM_STATE;
		}
	}
	struct stat sb;
	if (stat(o->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, _("%s is not a folder (make it first: install -d -m 700 %s)"),
		         o->dir, o->dir);
		return CM_NOTFOUND;
	}
	return CM_OK;
}

static void report(const struct tlsinit_opts *o, const char *pin)
{
	printf(_("HQ's certificate authority and server certificate are in %s:\n"
	         "  ca.pem, ca.key (keep the key safe and offline if you can),\n"
	         "  server.pem, server.key (for coopmart-hq serve --cert/--key)\n"
	         "The server certificate names %s"), o->dir, o->name);
	for (int i = 0; i < o->nips; i++)
		printf(", %s", o->ips[i]);
	printf(_(" and is valid for %d days.\n\nOn every till: copy %s/ca.pem to "
	         "/etc/coopmart/hq-ca.pem and put in /etc/coopmart/sync.conf:\n"), o->days, o->dir);
	printf("ca_file = /etc/coopmart/hq-ca.pem\npin = %s\n", pin);
}

enum cm_rc tlsinit_run(const struct tlsinit_opts *o, char *err, size_t errlen)
{
	struct pki p = { .err = err, .errlen = errlen };
	char pin[128];
	enum cm_rc rc = check_opts(o, err, errlen);
	if (rc == CM_OK && (sodium_init() < 0 || gnutls_global_init() < 0)) {
		snprintf(err, errlen, "%s", _("cannot initialise the crypto libraries"));
		return CM_IO;
	}
	if (rc == CM_OK)
		rc = make_ca(&p, o->name);
	if (rc == CM_OK)
		rc = make_server(&p, o);
	if (rc == CM_OK)
		rc = pin_of(&p, pin, sizeof pin);
	if (rc == CM_OK)
		rc = write_all(&p, o->dir);
	if (rc == CM_OK)
		report(o, pin);
	gnutls_x509_crt_deinit(p.crt);
	gnutls_x509_crt_deinit(p.ca);
	gnutls_x509_privkey_deinit(p.key);
	gnutls_x509_privkey_deinit(p.ca_key);
	return rc;
}
