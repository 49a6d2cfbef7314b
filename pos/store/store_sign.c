/* The terminal's signing key: made, read from PATH.key, used to sign each
 * journaled event's hash (store_sign.h). The key file holds the 64-byte
 * Ed25519 secret key (seed and public key, libsodium's layout) as 128
 * lower-case hex digits and a newline. */
#include "store/store_int.h"
#include "store/store_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(crypto_sign_SECRETKEYBYTES == 64, "store_int.h holds a 64-byte secret key");
_Static_assert(crypto_sign_BYTES == STORE_SIG_LEN, "an Ed25519 signature is 64 bytes");

void store_sign_path(const struct store *st, char *buf, size_t n)
{
	snprintf(buf, n, "%s.key", st->path);
}

void store_sign_enrolment(const struct store_sign_info *i, char *buf, size_t n)
{
	snprintf(buf, n, "ed25519:%lld:%s", (long long)i->since_seq, i->public_hex);
}

enum cm_rc store_sign_info(struct store *st, struct store_sign_info *out)
{
	static const char sql[] =
		"SELECT seq, json_extract(payload, '$.public_key') FROM journal "
		"WHERE terminal_id = ?1 AND type = 'signing_key' ORDER BY seq LIMIT 1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->has_key = true;
		out->since_seq = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->public_hex, sizeof out->public_hex);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, _("reading the journal"));
	out->loaded = st->sign_loaded;
	snprintf(out->note, sizeof out->note, "%s", st->sign_note);
	return CM_OK;
}

/* Reads the key file's secret key into sk; false with st->sign_note set. */
static bool read_key(struct store *st, const char *path, unsigned char sk[64])
{
	char hex[2 * 64 + 2] = "";
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == EACCES)
			snprintf(st->sign_note, sizeof st->sign_note,
			         _("the signing key %s cannot be read by this user: it must belong to "
			         "the till's and the sync agent's group (chgrp GROUP %s; chmod 640 %s)"),
			         path, path, path);
		else
			snprintf(st->sign_note, sizeof st->sign_note,
			         _("the signing key %s cannot be opened: %s"), path, strerror(errno));
		return false;
	}
	size_t n = fread(hex, 1, sizeof hex - 1, f);
	fclose(f);
	size_t bin = 0;
	bool ok = n >= 128 && sodium_hex2bin(sk, 64, hex, 128, NULL, &bin, NULL) == 0 && bin == 64;
	sodium_memzero(hex, sizeof hex);
	if (!ok)
		snprintf(st->sign_note, sizeof st->sign_note,
		         _("the signing key %s is damaged (not 128 hex digits)"), path);
	return ok;
}

void store_sign_load(struct store *st)
{
	struct store_sign_info i;
	char path[sizeof st->path + 8], pub[65];
	unsigned char sk[64];
	st->sign_loaded = false;
	st->sign_note[0] = '\0';
	if (store_sign_info(st, &i) != CM_OK || !i.has_key)
		return;
	store_sign_path(st, path, sizeof path);
	if (!read_key(st, path, sk))
		return;
	sodium_bin2hex(pub, sizeof pub, sk + 32, 32);
	if (strcmp(pub, i.public_hex) != 0) {
		snprintf(st->sign_note, sizeof st->sign_note,
		         _("the signing key %s is not this terminal's (its journal names another "
		         "public key)"), path);
	} else {
		memcpy(st->sign_sk, sk, sizeof sk);
		st->sign_loaded = true;
	}
	sodium_memzero(sk, sizeof sk);
}

bool store_sign_hash(struct store *st, const uint8_t hash[CHAIN_HASH_LEN], uint8_t sig[64])
{
	return st->sign_loaded &&
	       crypto_sign_detached(sig, NULL, hash, CHAIN_HASH_LEN, st->sign_sk) == 0;
}

/* Writes the new secret key, readable by the owner and the group only;
 * never over an existing file. */
static enum cm_rc write_key(struct store *st, const char *path, const unsigned char sk[64])
{
	char hex[2 * 64 + 2];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		if (errno == EEXIST) {
			store_seterr(st, _("%s exists already: a terminal's key is not made twice (move "
			             "the file away only if you know it is not in use)"), path);
			return CM_STATE;
		}
		store_seterr(st, _("cannot create the signing key %s: %s"), path, strerror(errno));
		return CM_IO;
	}
	sodium_bin2hex(hex, sizeof hex - 1, sk, 64);
	strcat(hex, "\n");
	bool ok = fchmod(fd, 0640) == 0 && write(fd, hex, 129) == 129 && fsync(fd) == 0;
	int err = errno;
	sodium_memzero(hex, sizeof hex);
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		unlink(path);
		store_seterr(st, _("cannot write the signing key %s: %s"), path, strerror(err));
		return CM_IO;
	}
	return CM_OK;
}

static enum cm_rc journal_key(struct store *st, int64_t now, int64_t user_id,
                              const char *public_hex)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "algorithm", "ed25519");
	canon_str(c, "public_key", public_hex);
	canon_obj_end(c);
	char *payload = canon_take(c);
	if (!payload)
		return CM_NOMEM;
	enum cm_rc rc = store_begin(st);
	if (rc == CM_OK)
		rc = journal_append(st, "signing_key", now, user_id, payload, NULL);
	rc = rc == CM_OK ? store_commit(st) : (store_rollback(st), rc);
	free(payload);
	return rc;
}

enum cm_rc store_sign_create(struct store *st, int64_t now, int64_t user_id,
                             struct store_sign_info *out)
{
	unsigned char pk[32], sk[64];
	char path[sizeof st->path + 8], pub[65];
	enum cm_rc rc = store_sign_info(st, out);
	if (rc != CM_OK)
		return rc;
	if (out->has_key) {
		store_seterr(st, _("this terminal has a signing key already (since sequence %lld)"),
		             (long long)out->since_seq);
		return CM_STATE;
	}
	store_sign_path(st, path, sizeof path);
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(pub, sizeof pub, pk, sizeof pk);
	if ((rc = write_key(st, path, sk)) == CM_OK) {
		memcpy(st->sign_sk, sk, sizeof sk);
		st->sign_loaded = true;     /* the key event is signed by its own key */
		st->sign_note[0] = '\0';
		if ((rc = journal_key(st, now, user_id, pub)) != CM_OK) {
			st->sign_loaded = false;
			unlink(path);
		}
	}
	sodium_memzero(sk, sizeof sk);
	return rc == CM_OK ? store_sign_info(st, out) : rc;
}
