/* Users, PINs, login, lockout and manager override. */
#include "engine/auth.h"
#include "core/chain.h"
#include "core/pin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum cm_rc auth_pin_check(struct till *t, const char *pin)
{
	size_t n = strlen(pin);
	bool digits = n > 0;
	for (size_t i = 0; i < n; i++)
		digits = digits && pin[i] >= '0' && pin[i] <= '9';
	if (!digits || n < AUTH_PIN_MIN || n > AUTH_PIN_MAX) {
		till_seterr(t, _("a PIN must be %d to %d digits"), AUTH_PIN_MIN, AUTH_PIN_MAX);
		return CM_INVALID;
	}
	return CM_OK;
}

enum cm_rc auth_pin_acceptable(struct till *t, const char *number, const char *pin)
{
	enum cm_rc rc = auth_pin_check(t, pin);
	if (rc != CM_OK)
		return rc;
	/* The demo store's well-known PINs are the point of a demo. */
	if (store_setting_int(till_store(t), SET_DEMO, 0) == 1)
		return CM_OK;
	if (pin_trivial(number, pin)) {
		till_seterr(t, "%s", _("this PIN is too easy to guess (one digit repeated, a run like "
		            "123456 or 987654, or the user's own number): choose another"));
		return CM_INVALID;
	}
	return CM_OK;
}

static enum cm_rc hash_pin(struct till *t, const char *pin, char out[crypto_pwhash_STRBYTES])
{
	if (sodium_init() < 0) {
		till_seterr(t, "%s", _("the cryptography library failed to start"));
		return CM_IO;
	}
	if (crypto_pwhash_str(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		till_seterr(t, "%s", _("out of memory while protecting the PIN"));
		return CM_NOMEM;
	}
	return CM_OK;
}

static bool pin_matches(const char *hash, const char *pin)
{
	if (sodium_init() < 0)
		return false;
	return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

/* Runs one journaled change in its own durable transaction. */
static enum cm_rc journal_only(struct till *t, const char *type, int64_t user_id,
                               struct canon *c)
{
	enum cm_rc rc = store_begin(till_store(t));
	if (rc != CM_OK) {
		canon_free(c);
		return till_store_fail(t, rc);
	}
	return till_end_tx(t, rc, type, user_id, canon_take(c));
}

/* The journal payload naming a user: {"user_id": .., "number": ..}. */
static char *user_payload(const struct user_rec *u)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "user_id", u->id);
	canon_str(c, "number", u->number);
	canon_obj_end(c);
	return canon_take(c);
}

enum cm_rc auth_require(struct till *t, enum action act, const struct approval *ap)
{
	const struct user_rec *u = till_user(t);
	if (!u) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	enum perm p = perm_check(u->role, act);
	if (p == PERM_ALLOW)
		return CM_OK;
	if (p == PERM_OVERRIDE && ap && ap->act == act && ap->approver_id != u->id)
		return CM_OK;
	if (p == PERM_OVERRIDE) {
		till_seterr(t, _("this needs a supervisor's approval (%s)"), perm_action_name(act));
		return CM_NEED_OVERRIDE;
	}
	till_seterr(t, _("your role may not do this (%s)"), perm_action_name(act));
	return CM_DENIED;
}

static bool store_has_users(struct till *t)
{
	return store_user_count(till_store(t)) != 0;
}

static enum cm_rc check_new_user(struct till *t, const char *number, const char *name,
                                 enum role role, const char *pin)
{
	if (!number[0] || strlen(number) >= sizeof ((struct user_rec *)0)->number) {
		till_seterr(t, "%s", _("a user number must be 1 to 15 characters"));
		return CM_INVALID;
	}
	if (!name[0] || strlen(name) >= sizeof ((struct user_rec *)0)->name) {
		till_seterr(t, "%s", _("a user name must be 1 to 63 characters"));
		return CM_INVALID;
	}
	if (role < 0 || role >= ROLE_COUNT) {
		till_seterr(t, "%s", _("unknown role"));
		return CM_INVALID;
	}
	return auth_pin_acceptable(t, number, pin);
}

enum cm_rc auth_user_add(struct till *t, const char *number, const char *name,
                         enum role role, const char *pin, int64_t *id)
{
	enum cm_rc rc = check_new_user(t, number, name, role, pin);
	if (rc != CM_OK)
		return rc;
	bool bootstrap = !till_user(t) && !store_has_users(t);
	if (bootstrap && role != ROLE_ADMIN) {
		till_seterr(t, "%s", _("the first user of a store must be an admin"));
		return CM_DENIED;
	}
	if (!bootstrap && (rc = auth_require(t, ACT_MANAGE_USERS, NULL)) != CM_OK)
		return rc;
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = hash_pin(t, pin, hash)) != CM_OK)
		return rc;
	struct user_rec u = { .role = role, .active = true };
	snprintf(u.number, sizeof u.number, "%s", number);
	snprintf(u.name, sizeof u.name, "%s", name);
	struct store *st = till_store(t);
	int64_t newid = 0;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_add(st, &u, hash, &newid)) != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "user_id", newid);
	canon_str(c, "number", number);
	canon_str(c, "name", name);
	canon_str(c, "role", role_name(role));
	canon_bool(c, "bootstrap", bootstrap);
	canon_obj_end(c);
	rc = till_end_tx(t, rc, "user_added", 0, canon_take(c));
	if (rc == CM_OK && id)
		*id = newid;
	sodium_memzero(hash, sizeof hash);
	return rc;
}

static enum cm_rc find_user(struct till *t, const char *number, struct user_rec *u,
                            char *hash, size_t hlen)
{
	enum cm_rc rc = store_user_by_number(till_store(t), number, u, hash, hlen);
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("no user with number %s"), number);
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	return rc;
}

enum cm_rc auth_user_set_locked(struct till *t, const char *number, bool locked)
{
	enum cm_rc rc = auth_require(t, ACT_REPORT, NULL); /* supervisors and admins */
	if (rc == CM_DENIED || rc == CM_NEED_OVERRIDE) {
		till_seterr(t, "%s", _("only a supervisor or an admin may lock or unlock users"));
		return CM_DENIED;
	}
	if (rc != CM_OK)
		return rc;
	struct user_rec u;
	if ((rc = find_user(t, number, &u, NULL, 0)) != CM_OK)
		return rc;
	if (u.role > till_user(t)->role) {
		till_seterr(t, _("a %s may not lock or unlock a %s"), role_name(till_user(t)->role),
		            role_name(u.role));
		return CM_DENIED;
	}
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_set_failed(st, u.id, 0, locked)) != CM_OK)
		till_store_fail(t, rc);
	return till_end_tx(t, rc, locked ? "user_locked" : "user_unlocked", 0, user_payload(&u));
}

/* How long the nth lockout in a row lasts: lockout_minutes, doubled for
 * each before it, at most lockout_max_minutes. */
static int64_t lockout_seconds(const struct till_config *c, int32_t nth)
{
	int64_t m = c->lockout_minutes;
	for (int32_t i = 1; i < nth && m < c->lockout_max_minutes; i++)
		m *= 2;
	return (m > c->lockout_max_minutes ? c->lockout_max_minutes : m) * 60;
}

/* "10:35", or "2026-12-07 10:35" when not today. */
static void when_text(int64_t now, int64_t at, char *buf, size_t n)
{
	time_t a = (time_t)at, b = (time_t)now;
	struct tm ta, tb;
	localtime_r(&a, &ta);
	localtime_r(&b, &tb);
	bool today = ta.tm_year == tb.tm_year && ta.tm_yday == tb.tm_yday;
	strftime(buf, n, today ? "%H:%M" : "%Y-%m-%d %H:%M", &ta);
}

static char *locked_out_payload(const struct user_rec *u)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", u->number);
	canon_int(c, "failed", u->failed_logins);
	canon_int(c, "lockouts", u->lockouts);
	canon_int(c, "until", u->locked_until);
	canon_obj_end(c);
	return canon_take(c);
}

/* Records a wrong PIN: counts it, locks at the threshold for a while that
 * grows with each lockout in a row, journals both. */
static enum cm_rc wrong_pin(struct till *t, const struct user_rec *u, const char *context)
{
	struct user_rec n = *u;
	int32_t limit = till_config(t)->lockout_after;
	int64_t now = till_now(t);
	n.failed_logins = u->failed_logins + 1;
	bool lock = n.failed_logins >= limit;
	if (lock) {
		n.locked = true;
		n.lockouts = u->lockouts + 1;
		n.locked_until = now + lockout_seconds(till_config(t), n.lockouts);
	}
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	rc = store_user_set_lock(st, &n);
	if (rc != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", u->number);
	canon_str(c, "context", context);
	canon_str(c, "reason", "wrong_pin");
	canon_int(c, "failed", n.failed_logins);
	canon_obj_end(c);
	if (rc == CM_OK)
		rc = till_journal(t, "login_failed", u->id, canon_take(c), NULL);
	else
		canon_free(c);
	if ((rc = till_end_tx(t, rc, lock ? "user_locked_out" : NULL, u->id,
	                      lock ? locked_out_payload(&n) : NULL)) != CM_OK)
		return rc;
	if (lock) {
		char until[32];
		when_text(now, n.locked_until, until, sizeof until);
		till_seterr(t, _("wrong PIN; user %s is now locked until %s; a supervisor can unlock "
		            "sooner"), u->number, until);
		return CM_LOCKED;
	}
	till_seterr(t, ngettext("wrong PIN (%d try left)", "wrong PIN (%d tries left)",
	                        (unsigned long)(limit - n.failed_logins)), limit - n.failed_logins);
	return CM_INVALID;
}

/* A lockout whose time is up ends at the next try, journaled; the count
 * of lockouts in a row stays until a good PIN, so the next one is
 * longer. */
static enum cm_rc lockout_end(struct till *t, struct user_rec *u)
{
	struct user_rec n = *u;
	n.locked = false;
	n.failed_logins = 0;
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_set_lock(st, &n)) != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", u->number);
	canon_int(c, "lockouts", u->lockouts);
	canon_int(c, "until", u->locked_until);
	canon_obj_end(c);
	if ((rc = till_end_tx(t, rc, "user_lockout_ended", u->id, canon_take(c))) != CM_OK)
		return rc;
	*u = n;
	return CM_OK;
}

static enum cm_rc unknown_or_locked(struct till *t, const char *number, int64_t uid,
                                    const char *context, const char *reason)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", number);
	canon_str(c, "context", context);
	canon_str(c, "reason", reason);
	canon_obj_end(c);
	char keep[sizeof ((struct till_config *)0)->store_name + 256];
	snprintf(keep, sizeof keep, "%s", till_errmsg(t));
	enum cm_rc rc = journal_only(t, "login_failed", uid, c);
	if (rc != CM_OK)
		return rc;
	till_seterr(t, "%s", keep);
	return CM_OK;
}

/* A right PIN ends a run of wrong ones: lockout counts wrong PINs in a row.
 * (auth_login does this itself, in the transaction that journals the
 * login.) */
static enum cm_rc clear_failures(struct till *t, struct user_rec *u)
{
	if (u->failed_logins == 0)
		return CM_OK;
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc == CM_OK && (rc = store_user_set_failed(st, u->id, 0, false)) == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
		store_rollback(st);
		return rc;
	}
	u->failed_logins = 0;
	return CM_OK;
}

/* Looks up number and checks pin; on any failure journals it. */
static enum cm_rc check_credentials(struct till *t, const char *number, const char *pin,
                                    const char *context, struct user_rec *u)
{
	char hash[crypto_pwhash_STRBYTES];
	enum cm_rc rc = find_user(t, number, u, hash, sizeof hash);
	if (rc == CM_NOTFOUND || (rc == CM_OK && !u->active)) {
		till_seterr(t, _("no user with number %s"), number);
		enum cm_rc jr = unknown_or_locked(t, number, 0, context, "unknown_user");
		return jr == CM_OK ? CM_NOTFOUND : jr;
	}
	if (rc != CM_OK)
		return rc;
	if (u->locked && u->locked_until > 0 && till_now(t) >= u->locked_until &&
	    (rc = lockout_end(t, u)) != CM_OK)
		return rc;
	if (u->locked && u->locked_until > 0) {
		char until[32];
		when_text(till_now(t), u->locked_until, until, sizeof until);
		till_seterr(t, _("user %s is locked until %s (wrong PINs); a supervisor can unlock "
		            "sooner"), number, until);
		enum cm_rc jr = unknown_or_locked(t, number, u->id, context, "locked");
		return jr == CM_OK ? CM_LOCKED : jr;
	}
	if (u->locked) {
		till_seterr(t, _("user %s is locked; a supervisor must unlock"), number);
		enum cm_rc jr = unknown_or_locked(t, number, u->id, context, "locked");
		return jr == CM_OK ? CM_LOCKED : jr;
	}
	if (!pin_matches(hash, pin))
		return wrong_pin(t, u, context);
	return CM_OK;
}

enum cm_rc auth_login(struct till *t, const char *number, const char *pin)
{
	struct user_rec u;
	enum cm_rc rc = check_credentials(t, number, pin, "login", &u);
	if (rc != CM_OK)
		return rc;
	/* A new login ends the previous user's session in the journal too. */
	if (till_user(t) && (rc = auth_logout(t)) != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_set_failed(st, u.id, 0, false)) != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", u.number);
	canon_str(c, "role", role_name(u.role));
	canon_obj_end(c);
	if ((rc = till_end_tx(t, rc, "login", u.id, canon_take(c))) != CM_OK)
		return rc;
	u.failed_logins = 0;
	till_set_user(t, &u);
	return CM_OK;
}

enum cm_rc auth_logout(struct till *t)
{
	const struct user_rec *u = till_user(t);
	if (!u)
		return CM_OK;
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "number", u->number);
	canon_obj_end(c);
	enum cm_rc rc = journal_only(t, "logout", 0, c);
	if (rc == CM_OK)
		till_set_user(t, NULL);
	return rc;
}

enum cm_rc auth_approve(struct till *t, enum action act, const char *number,
                        const char *pin, const char *reason, struct approval *out)
{
	memset(out, 0, sizeof *out);
	const struct user_rec *cur = till_user(t);
	if (!cur) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (!reason || !reason[0]) {
		till_seterr(t, "%s", _("choose a reason for the approval"));
		return CM_INVALID;
	}
	if (strcmp(number, cur->number) == 0) {
		till_seterr(t, "%s", _("nobody can approve their own action; call a supervisor"));
		return CM_DENIED;
	}
	struct user_rec u;
	enum cm_rc rc = check_credentials(t, number, pin, "override", &u);
	if (rc == CM_OK)
		rc = clear_failures(t, &u);
	if (rc != CM_OK)
		return rc;
	if (perm_check(u.role, act) != PERM_ALLOW) {
		till_seterr(t, _("%s may not approve this"), u.name);
		return CM_DENIED;
	}
	out->act = act;
	out->approver_id = u.id;
	snprintf(out->approver_number, sizeof out->approver_number, "%s", u.number);
	snprintf(out->approver_name, sizeof out->approver_name, "%s", u.name);
	snprintf(out->reason, sizeof out->reason, "%s", reason);
	return CM_OK;
}

void auth_approval_payload(struct canon *c, const struct approval *ap)
{
	if (!ap)
		return;
	canon_int(c, "approved_by", ap->approver_id);
	canon_str(c, "approver", ap->approver_number);
	canon_str(c, "reason", ap->reason);
}

enum cm_rc auth_user_set_pin(struct till *t, const char *number, const char *old_pin,
                             const char *new_pin)
{
	const struct user_rec *cur = till_user(t);
	enum cm_rc rc;
	if (!cur) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	bool self = strcmp(cur->number, number) == 0;
	if (!self && (rc = auth_require(t, ACT_MANAGE_USERS, NULL)) != CM_OK)
		return rc;
	struct user_rec u;
	if (self && old_pin) {
		if ((rc = check_credentials(t, number, old_pin, "change_pin", &u)) != CM_OK ||
		    (rc = clear_failures(t, &u)) != CM_OK)
			return rc;
	} else if (self && cur->role != ROLE_ADMIN) {
		till_seterr(t, "%s", _("enter your current PIN"));
		return CM_INVALID;
	} else if ((rc = find_user(t, number, &u, NULL, 0)) != CM_OK) {
		return rc;
	}
	if ((rc = auth_pin_acceptable(t, u.number, new_pin)) != CM_OK)
		return rc;
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = hash_pin(t, new_pin, hash)) != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_user_set_pin(st, u.id, hash)) != CM_OK)
		till_store_fail(t, rc);
	rc = till_end_tx(t, rc, "pin_changed", 0, user_payload(&u));
	sodium_memzero(hash, sizeof hash);
	return rc;
}
