/* The one-time recovery code (recovery.h). */
#include "engine/recovery.h"
#include "engine/auth.h"
#include "core/chain.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* No 0/O, 1/I: read off paper by someone in a hurry. */
static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void make_code(char code[RECOVERY_CODE_LEN])
{
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			code[o++] = '-';
		code[o++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	}
	code[o] = '\0';
}

/* The code as hashed: its 16 characters, upper case, without separators.
 * false when it cannot be one. */
static bool normalise(const char *in, char out[17])
{
	size_t n = 0;
	for (; *in; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (n == 16)
			return false;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n == 16;
}

static enum cm_rc hash_code(struct till *t, const char *code, char out[crypto_pwhash_STRBYTES])
{
	char plain[17];
	if (!normalise(code, plain) ||
	    crypto_pwhash_str(out, plain, 16, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		till_seterr(t, "%s", _("out of memory while protecting the recovery code"));
		return CM_NOMEM;
	}
	sodium_memzero(plain, sizeof plain);
	return CM_OK;
}

/* Inside the caller's transaction: the next code, journaled. */
static enum cm_rc add_code(struct till *t, int64_t user_id, char code[RECOVERY_CODE_LEN])
{
	char hash[crypto_pwhash_STRBYTES];
	make_code(code);
	enum cm_rc rc = hash_code(t, code, hash);
	if (rc == CM_OK && (rc = store_recovery_add(till_store(t), hash, till_now(t))) != CM_OK)
		till_store_fail(t, rc);
	if (rc != CM_OK)
		return rc;
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "note", "a new one-time recovery code was made");
	canon_obj_end(c);
	return till_journal(t, "recovery_code_made", user_id, canon_take(c), NULL);
}

enum cm_rc recovery_new(struct till *t, int64_t user_id, char code[RECOVERY_CODE_LEN])
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	int64_t id;
	char old[crypto_pwhash_STRBYTES];
	rc = store_recovery_current(st, &id, old, sizeof old);
	if (rc == CM_OK)
		rc = store_recovery_use(st, id, till_now(t), "");   /* replaced, unused */
	else if (rc == CM_NOTFOUND)
		rc = CM_OK;
	if (rc != CM_OK)
		till_store_fail(t, rc);
	if (rc == CM_OK)
		rc = add_code(t, user_id, code);
	return till_end_tx(t, rc, NULL, 0, NULL);
}

/* A wrong code is journaled like a wrong PIN (no lockout: 80 bits are not
 * guessed). */
static enum cm_rc wrong_code(struct till *t, const char *number)
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", number);
	canon_str(c, "context", "recovery");
	canon_str(c, "reason", "wrong_code");
	canon_obj_end(c);
	if ((rc = till_end_tx(t, rc, "login_failed", 0, canon_take(c))) != CM_OK)
		return rc;
	till_seterr(t, "%s", _("wrong recovery code"));
	return CM_INVALID;
}

static enum cm_rc unlock_with_code(struct till *t, const struct user_rec *u, int64_t code_id,
                                   const char *new_pin, char next[RECOVERY_CODE_LEN])
{
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, new_pin, strlen(new_pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		till_seterr(t, "%s", _("out of memory while protecting the PIN"));
		return CM_NOMEM;
	}
	struct store *st = till_store(t);
	struct user_rec n = *u;
	n.locked = false;
	n.failed_logins = 0;
	n.lockouts = 0;
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_set_pin(st, u->id, hash)) != CM_OK ||
	    (rc = store_user_set_lock(st, &n)) != CM_OK ||
	    (rc = store_recovery_use(st, code_id, till_now(t), u->number)) != CM_OK)
		till_store_fail(t, rc);
	sodium_memzero(hash, sizeof hash);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "user_id", u->id);
	canon_str(c, "number", u->number);
	canon_bool(c, "was_locked", u->locked);
	canon_obj_end(c);
	if (rc == CM_OK)
		rc = till_journal(t, "recovery_used", u->id, canon_take(c), NULL);
	else
		canon_free(c);
	if (rc == CM_OK)
		rc = add_code(t, u->id, next);
	return till_end_tx(t, rc, NULL, 0, NULL);
}

enum cm_rc recovery_use(struct till *t, const char *number, const char *code,
                        const char *new_pin, char next_code[RECOVERY_CODE_LEN])
{
	struct store *st = till_store(t);
	struct user_rec u;
	char hash[crypto_pwhash_STRBYTES], plain[17];
	int64_t id = 0;
	enum cm_rc rc = store_recovery_current(st, &id, hash, sizeof hash);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	bool ok = normalise(code, plain) && crypto_pwhash_str_verify(hash, plain, 16) == 0;
	sodium_memzero(plain, sizeof plain);
	if (!ok)
		return wrong_code(t, number);
	if ((rc = store_user_by_number(st, number, &u, NULL, 0)) != CM_OK)
		return till_store_fail(t, rc);
	if (u.role != ROLE_ADMIN || !u.active) {
		till_seterr(t, _("the recovery code is for admins; %s is not one"), number);
		return CM_DENIED;
	}
	if ((rc = auth_pin_acceptable(t, number, new_pin)) != CM_OK)
		return rc;
	return unlock_with_code(t, &u, id, new_pin, next_code);
}
