/* Login, lockout, PIN rules, approvals and the permission checks of the
 * engine (engine/auth.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/perm.h"
#include "engine/recovery.h"

static int setup(void **state)
{
	*state = fx_new("auth");
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static struct user_rec user(struct fx *f, const char *number)
{
	struct user_rec u;
	assert_int_equal(store_user_by_number(f->st, number, &u, NULL, 0), CM_OK);
	return u;
}

/* Counts events of type whose payload contains part (NULL: any). */
struct count_ctx {
	const char *type, *part;
	int64_t user_id; /* -1: any */
	int n;
};

static void count_fn(const struct journal_entry *e, const char *payload, void *ctx)
{
	struct count_ctx *c = ctx;
	if (strcmp(e->type, c->type) == 0 && (!c->part || strstr(payload, c->part)) &&
	    (c->user_id < 0 || c->user_id == e->user_id))
		c->n++;
}

static int count(struct fx *f, const char *type, const char *part, int64_t user_id)
{
	struct count_ctx c = { type, part, user_id, 0 };
	assert_int_equal(journal_each(f->st, 1, count_fn, &c), CM_OK);
	return c.n;
}

static void set_lockout(struct fx *f, const char *n)
{
	fx_login(f, "100");
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_AFTER, n), CM_OK);
	assert_int_equal(auth_logout(f->t), CM_OK);
}

static void test_login_ok(void **state)
{
	struct fx *f = *state;
	assert_null(till_user(f->t));
	int64_t id = user(f, "300").id;
	int before = count(f, "login", NULL, id);
	assert_int_equal(auth_login(f->t, "300", fx_pin("300")), CM_OK);
	const struct user_rec *u = till_user(f->t);
	assert_non_null(u);
	assert_string_equal(u->number, "300");
	assert_string_equal(u->name, "Siti Kasir");
	assert_int_equal(u->role, ROLE_CASHIER);
	assert_int_equal(u->id, id);
	assert_int_equal(count(f, "login", "\"300\"", id), before + 1);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_null(till_user(f->t));
	assert_int_equal(count(f, "logout", "\"300\"", id), 1);
	/* Logging out twice is harmless and journals nothing. */
	int64_t head = fx_head_seq(f);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_int_equal(fx_head_seq(f), head);
}

static void test_login_unknown(void **state)
{
	struct fx *f = *state;
	assert_int_equal(auth_login(f->t, "999", "135246"), CM_NOTFOUND);
	assert_null(till_user(f->t));
	assert_non_null(strstr(till_errmsg(f->t), "999"));
	assert_int_equal(count(f, "login_failed", "unknown_user", 0), 1);
	assert_int_equal(count(f, "login_failed", "\"999\"", -1), 1);
}

static void test_login_wrong_pin(void **state)
{
	struct fx *f = *state;
	int64_t id = user(f, "300").id;
	assert_int_equal(auth_login(f->t, "300", "999999"), CM_INVALID);
	assert_null(till_user(f->t));
	assert_non_null(strstr(till_errmsg(f->t), "4"));
	assert_int_equal(user(f, "300").failed_logins, 1);
	assert_int_equal(count(f, "login_failed", "wrong_pin", id), 1);
	assert_int_equal(auth_login(f->t, "300", "99999"), CM_INVALID); /* too short: wrong too */
	assert_int_equal(user(f, "300").failed_logins, 2);
	assert_int_equal(auth_login(f->t, "300", ""), CM_INVALID);
	assert_int_equal(user(f, "300").failed_logins, 3);
	/* The right PIN resets the count. */
	fx_login(f, "300");
	assert_int_equal(user(f, "300").failed_logins, 0);
	assert_int_equal(till_user(f->t)->failed_logins, 0);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

static void test_lockout(void **state)
{
	struct fx *f = *state;
	set_lockout(f, "3");
	assert_int_equal(till_config(f->t)->lockout_after, 3);
	int64_t id = user(f, "300").id;
	assert_int_equal(auth_login(f->t, "300", "000001"), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "2"));
	assert_int_equal(auth_login(f->t, "300", "000002"), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "1"));
	assert_int_equal(auth_login(f->t, "300", "000003"), CM_LOCKED);
	assert_true(user(f, "300").locked);
	assert_int_equal(count(f, "user_locked_out", "\"300\"", id), 1);
	/* Even the right PIN is refused now, and that is journaled. */
	assert_int_equal(auth_login(f->t, "300", fx_pin("300")), CM_LOCKED);
	assert_null(till_user(f->t));
	assert_int_equal(count(f, "login_failed", "wrong_pin", id), 3);
	assert_int_equal(count(f, "login_failed", "locked", id), 1);
	assert_int_equal(count(f, "login", NULL, id), 0);
	/* Other users are not affected. */
	fx_login(f, "301");
	/* A cashier cannot unlock. */
	assert_int_equal(auth_user_set_locked(f->t, "300", false), CM_DENIED);
	assert_true(user(f, "300").locked);
	assert_int_equal(auth_logout(f->t), CM_OK);
	/* A supervisor can. */
	fx_login(f, "200");
	assert_int_equal(auth_user_set_locked(f->t, "300", false), CM_OK);
	assert_int_equal(auth_user_set_locked(f->t, "999", false), CM_NOTFOUND);
	/* ... but not an admin: nobody locks a role above their own. */
	assert_int_equal(auth_user_set_locked(f->t, "100", true), CM_DENIED);
	assert_false(user(f, "100").locked);
	assert_int_equal(count(f, "user_unlocked", "\"300\"", user(f, "200").id), 1);
	struct user_rec u = user(f, "300");
	assert_false(u.locked);
	assert_int_equal(u.failed_logins, 0);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "300");
	assert_int_equal(auth_logout(f->t), CM_OK);
	/* After an unlock the count starts again from zero. */
	assert_int_equal(auth_login(f->t, "300", "000004"), CM_INVALID);
	assert_int_equal(auth_login(f->t, "300", "000005"), CM_INVALID);
	fx_login(f, "300");
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

static void test_lock_by_supervisor(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	assert_int_equal(auth_user_set_locked(f->t, "301", true), CM_OK);
	assert_int_equal(count(f, "user_locked", "\"301\"", -1), 1);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_int_equal(auth_login(f->t, "301", fx_pin("301")), CM_LOCKED);
	/* Nobody logged in cannot lock or unlock. */
	assert_int_equal(auth_user_set_locked(f->t, "301", false), CM_STATE);
}

static void test_pin_rules(void **state)
{
	struct fx *f = *state;
	const char *bad[] = { "", "12345", "12345a", "abcdef", "1234567890123", " 123456",
	                      "123456 ", "12 3456", "١٢٣٤٥٦", "-123456", "+123456" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (auth_pin_check(f->t, bad[i]) != CM_INVALID)
			fail_msg("PIN '%s' accepted", bad[i]);
		assert_true(strlen(till_errmsg(f->t)) > 0);
	}
	assert_int_equal(auth_pin_check(f->t, "135246"), CM_OK);
	assert_int_equal(auth_pin_check(f->t, "000000"), CM_OK);
	assert_int_equal(auth_pin_check(f->t, "123456789012"), CM_OK);
	/* A user is not added with a bad PIN. */
	fx_login(f, "100");
	int64_t users = store_user_count(f->st);
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "12345", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "1234567890123", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "12345x", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "", "Baru", ROLE_CASHIER, "135246", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "400", "", ROLE_CASHIER, "135246", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "1234567890123456", "Baru", ROLE_CASHIER, "135246", NULL), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "400", "Baru", (enum role)7, "135246", NULL), CM_INVALID);
	assert_int_equal(store_user_count(f->st), users);
}

static void test_user_management(void **state)
{
	struct fx *f = *state;
	/* Nobody logged in in a store that has users. */
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "135246", NULL), CM_STATE);
	fx_login(f, "300");
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "135246", NULL), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "135246", NULL), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "100");
	int64_t id = 0;
	assert_int_equal(auth_user_add(f->t, "400", "Baru", ROLE_CASHIER, "135246", &id), CM_OK);
	assert_true(id > 0);
	assert_int_equal(count(f, "user_added", "\"400\"", user(f, "100").id), 1);
	assert_int_equal(auth_user_add(f->t, "400", "Lagi", ROLE_CASHIER, "135246", NULL), CM_CONFLICT);
	assert_non_null(strstr(till_errmsg(f->t), "400"));
	assert_int_equal(count(f, "user_added", "\"400\"", -1), 1);
	/* The admin sets another user's PIN without the old one. */
	assert_int_equal(auth_user_set_pin(f->t, "400", NULL, "642531"), CM_OK);
	assert_int_equal(auth_user_set_pin(f->t, "400", NULL, "6543"), CM_INVALID);
	assert_int_equal(auth_user_set_pin(f->t, "999", NULL, "642531"), CM_NOTFOUND);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_int_equal(auth_login(f->t, "400", "135246"), CM_INVALID);
	assert_int_equal(auth_login(f->t, "400", "642531"), CM_OK);
	/* A cashier changes their own PIN with the old one only. */
	assert_int_equal(auth_user_set_pin(f->t, "400", NULL, "111222"), CM_INVALID);
	assert_int_equal(auth_user_set_pin(f->t, "400", "000000", "111222"), CM_INVALID);
	assert_int_equal(user(f, "400").failed_logins, 1);
	assert_int_equal(auth_user_set_pin(f->t, "400", "642531", "111222"), CM_OK);
	assert_int_equal(user(f, "400").failed_logins, 0);
	/* ... and nobody else's. */
	assert_int_equal(auth_user_set_pin(f->t, "300", NULL, "111222"), CM_DENIED);
	assert_int_equal(auth_user_set_pin(f->t, "300", "358147", "111222"), CM_DENIED);
	assert_int_equal(count(f, "pin_changed", NULL, -1), 2);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_int_equal(auth_login(f->t, "400", "111222"), CM_OK);
}

static void test_first_user_must_be_admin(void **state)
{
	(void)state;
	char path[1200], err[320];
	snprintf(path, sizeof path, "%s/new.db", tu_tmpdir("firstuser"));
	struct store *st;
	struct till *t;
	assert_int_equal(store_open(path, STORE_CREATE, 0, &st, err, sizeof err), CM_OK);
	assert_int_equal(till_open(st, &t, err, sizeof err), CM_OK);
	assert_int_equal(auth_user_add(t, "1", "Kasir", ROLE_CASHIER, "135246", NULL), CM_DENIED);
	assert_int_equal(auth_user_add(t, "1", "Spv", ROLE_SUPERVISOR, "135246", NULL), CM_DENIED);
	assert_int_equal(store_user_count(st), 0);
	/* Settings may be made before the first user exists. */
	assert_int_equal(till_setting_set(t, SET_STORE_NAME, "Baru"), CM_OK);
	assert_int_equal(auth_require(t, ACT_SELL, NULL), CM_STATE);
	till_free(t);
	store_close(st);
}

static void test_approve(void **state)
{
	struct fx *f = *state;
	struct approval ap;
	/* Nobody logged in. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", fx_pin("200"), "x", &ap), CM_STATE);
	fx_login(f, "300");
	/* Not by oneself, even with the right PIN; no PIN is checked. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "300", fx_pin("300"), "x", &ap), CM_DENIED);
	/* Not by another cashier. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "301", fx_pin("301"), "x", &ap), CM_DENIED);
	assert_int_equal(ap.approver_id, 0);
	/* A reason is required. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", fx_pin("200"), "", &ap), CM_INVALID);
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", fx_pin("200"), NULL, &ap), CM_INVALID);
	/* Unknown approver. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "999", "135246", "x", &ap), CM_NOTFOUND);
	/* A supervisor may not approve what only an admin does. */
	assert_int_equal(auth_approve(f->t, ACT_MANAGE_USERS, "200", fx_pin("200"), "x", &ap), CM_DENIED);
	/* The good case. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", fx_pin("200"), "pelanggan batal", &ap), CM_OK);
	struct user_rec sup = user(f, "200");
	assert_int_equal(ap.act, ACT_CANCEL_TICKET);
	assert_int_equal(ap.approver_id, sup.id);
	assert_string_equal(ap.approver_number, "200");
	assert_string_equal(ap.approver_name, "Sari Supervisor");
	assert_string_equal(ap.reason, "pelanggan batal");
	/* The cashier is still the one logged in. */
	assert_string_equal(till_user(f->t)->number, "300");
	/* An admin may approve too. */
	assert_int_equal(auth_approve(f->t, ACT_PRICE_OVERRIDE, "100", fx_pin("100"), "x", &ap), CM_OK);
}

/* An approval is for one subject: the engine records what waits
 * (auth_need), an approval of it counts for that subject only, and an
 * approval with no subject counts for no subject. A supervisor's own
 * action needs nobody and records nothing. */
static void test_approval_bound_to_subject(void **state)
{
	struct fx *f = *state;
	struct approval ap;
	fx_login(f, "300");
	assert_int_equal(auth_need(f->t)->act, ACT_COUNT);
	assert_int_equal(auth_approve_need(f->t, auth_need(f->t), "200", fx_pin("200"), "x", &ap),
	                 CM_STATE);
	assert_int_equal(auth_require_for(f->t, ACT_CASH_OUT, "amount=5000", "Rp5.000", NULL),
	                 CM_NEED_OVERRIDE);
	const struct approval_need *n = auth_need(f->t);
	assert_int_equal(n->act, ACT_CASH_OUT);
	assert_string_equal(n->subject, "amount=5000");
	assert_string_equal(n->what, "Rp5.000");
	assert_int_equal(auth_approve_need(f->t, n, "200", fx_pin("200"), "Pay a supplier", &ap), CM_OK);
	assert_string_equal(ap.subject, "amount=5000");
	assert_int_equal(auth_require_for(f->t, ACT_CASH_OUT, "amount=5000", "", &ap), CM_OK);
	assert_int_equal(auth_require_for(f->t, ACT_CASH_OUT, "amount=50000", "Rp50.000", &ap),
	                 CM_NEED_OVERRIDE);
	assert_non_null(strstr(till_errmsg(f->t), "approve it again"));
	assert_string_equal(auth_need(f->t)->subject, "amount=50000");
	/* The same subject for another action does not do either. */
	assert_int_equal(auth_require_for(f->t, ACT_PRICE_OVERRIDE, "amount=5000", "", &ap),
	                 CM_NEED_OVERRIDE);
	/* No subject: neither for a subject, nor the other way round. */
	struct approval blind;
	assert_int_equal(auth_approve(f->t, ACT_CASH_OUT, "200", fx_pin("200"), "x", &blind), CM_OK);
	assert_string_equal(blind.subject, "");
	assert_int_equal(auth_require_for(f->t, ACT_CASH_OUT, "amount=5000", "", &blind),
	                 CM_NEED_OVERRIDE);
	assert_int_equal(auth_require(f->t, ACT_CASH_OUT, &ap), CM_NEED_OVERRIDE);
	assert_int_equal(auth_require(f->t, ACT_CASH_OUT, &blind), CM_OK);
	/* A supervisor: allowed, nothing recorded. */
	fx_login(f, "200");
	assert_true(auth_may(f->t, ACT_CASH_OUT));
	assert_int_equal(auth_require_for(f->t, ACT_CASH_OUT, "amount=7000", "", NULL), CM_OK);
	assert_string_equal(auth_need(f->t)->subject, ""); /* the cashier's last, unchanged */
}

static void test_approve_wrong_pin_counts(void **state)
{
	struct fx *f = *state;
	set_lockout(f, "3");
	fx_login(f, "300");
	struct approval ap;
	int64_t sup = user(f, "200").id;
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000000", "x", &ap), CM_INVALID);
	assert_int_equal(user(f, "200").failed_logins, 1);
	assert_int_equal(count(f, "login_failed", "override", sup), 1);
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000001", "x", &ap), CM_INVALID);
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000002", "x", &ap), CM_LOCKED);
	assert_true(user(f, "200").locked);
	assert_int_equal(count(f, "user_locked_out", "\"200\"", sup), 1);
	/* Locked: the right PIN no longer approves. */
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", fx_pin("200"), "x", &ap), CM_LOCKED);
	assert_int_equal(ap.approver_id, 0);
	/* The cashier's own count is untouched. */
	assert_int_equal(user(f, "300").failed_logins, 0);
	/* Another supervisor still approves. */
	fx_approve(f, ACT_CANCEL_TICKET, "201");
}

static void test_approve_success_resets_count(void **state)
{
	struct fx *f = *state;
	set_lockout(f, "3");
	fx_login(f, "300");
	struct approval ap;
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000000", "x", &ap), CM_INVALID);
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000001", "x", &ap), CM_INVALID);
	fx_approve(f, ACT_CANCEL_TICKET, "200");
	/* "lockout_after wrong PINs in a row": the right one broke the row. */
	assert_int_equal(user(f, "200").failed_logins, 0);
	assert_int_equal(auth_approve(f->t, ACT_CANCEL_TICKET, "200", "000002", "x", &ap), CM_INVALID);
	assert_false(user(f, "200").locked);
}

static void test_require_matrix_cashier(void **state)
{
	struct fx *f = *state;
	assert_int_equal(auth_require(f->t, ACT_SELL, NULL), CM_STATE);
	fx_login(f, "300");
	struct user_rec cashier = user(f, "300");
	for (int a = 0; a < ACT_COUNT; a++) {
		enum action act = (enum action)a;
		enum perm p = perm_check(ROLE_CASHIER, act);
		enum cm_rc want = p == PERM_ALLOW ? CM_OK : p == PERM_OVERRIDE ? CM_NEED_OVERRIDE : CM_DENIED;
		enum cm_rc rc = auth_require(f->t, act, NULL);
		if (rc != want)
			fail_msg("%s without approval: %s", perm_action_name(act), cm_rc_name(rc));
		/* With a supervisor's approval for this very action. */
		struct approval ap;
		enum cm_rc arc = auth_approve(f->t, act, "200", fx_pin("200"), "x", &ap);
		if (perm_check(ROLE_SUPERVISOR, act) != PERM_ALLOW) {
			assert_int_equal(arc, CM_DENIED);
			continue;
		}
		assert_int_equal(arc, CM_OK);
		want = p == PERM_DENY ? CM_DENIED : CM_OK;
		rc = auth_require(f->t, act, &ap);
		if (rc != want)
			fail_msg("%s with approval: %s", perm_action_name(act), cm_rc_name(rc));
		/* An approval for another action does not count. */
		if (p == PERM_OVERRIDE) {
			ap.act = act == ACT_PRICE_OVERRIDE ? ACT_CANCEL_TICKET : ACT_PRICE_OVERRIDE;
			assert_int_equal(auth_require(f->t, act, &ap), CM_NEED_OVERRIDE);
			/* Nor one claiming to be by the cashier. */
			ap.act = act;
			ap.approver_id = cashier.id;
			assert_int_equal(auth_require(f->t, act, &ap), CM_NEED_OVERRIDE);
		}
	}
	/* A supervisor needs no approval for overrides; an admin has it all. */
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(auth_require(f->t, ACT_VOID_AFTER_SUBTOTAL, NULL), CM_OK);
	assert_int_equal(auth_require(f->t, ACT_MANAGE_USERS, NULL), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "100");
	for (int a = 0; a < ACT_COUNT; a++)
		assert_int_equal(auth_require(f->t, (enum action)a, NULL), CM_OK);
}

static void test_everything_journaled_and_verifies(void **state)
{
	struct fx *f = *state;
	set_lockout(f, "2");
	assert_int_equal(auth_login(f->t, "301", "000000"), CM_INVALID);
	assert_int_equal(auth_login(f->t, "301", "000000"), CM_LOCKED);
	assert_int_equal(auth_login(f->t, "999", "000000"), CM_NOTFOUND);
	fx_login(f, "300");
	assert_int_equal(count(f, "login_failed", NULL, -1), 3);
	assert_int_equal(count(f, "user_locked_out", NULL, -1), 1);
	assert_int_equal(count(f, "login", "\"300\"", -1), 1);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

/* Lockouts end by themselves, each one in a row twice as long as the last
 * (lockout_minutes, at most lockout_max_minutes); the end is journaled and
 * a good PIN resets the series. */
static void test_lockout_expires_growing(void **state)
{
	struct fx *f = *state;
	fx_login(f, "100");
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_AFTER, "2"), CM_OK);
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_MINUTES, "5"), CM_OK);
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_MAX, "15"), CM_OK);
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_MAX, "0"), CM_INVALID);
	assert_int_equal(auth_logout(f->t), CM_OK);
	int64_t id = user(f, "300").id;
	int64_t expect[] = { 5 * 60, 10 * 60, 15 * 60, 15 * 60 };
	for (int n = 0; n < 4; n++) {
		assert_int_equal(auth_login(f->t, "300", "000001"), CM_INVALID);
		assert_int_equal(auth_login(f->t, "300", "000002"), CM_LOCKED);
		assert_non_null(strstr(till_errmsg(f->t), "locked until"));
		struct user_rec u = user(f, "300");
		assert_true(u.locked);
		assert_int_equal(u.lockouts, n + 1);
		assert_int_equal(u.locked_until, f->now + expect[n]);
		/* Still locked a second before the end, even with the right PIN. */
		f->now += expect[n] - 1;
		assert_int_equal(auth_login(f->t, "300", fx_pin("300")), CM_LOCKED);
		assert_non_null(strstr(till_errmsg(f->t), "a supervisor can unlock sooner"));
		f->now += 1;
		if (n < 3)
			continue;
		/* Over: the right PIN opens, and the series starts again. */
		fx_login(f, "300");
		assert_int_equal(user(f, "300").lockouts, 0);
		assert_int_equal(auth_logout(f->t), CM_OK);
	}
	assert_int_equal(count(f, "user_locked_out", "\"300\"", id), 4);
	assert_int_equal(count(f, "user_lockout_ended", "\"300\"", id), 4);
	/* A wrong PIN after a lockout ended starts a new count, the next lockout
	 * is the first of a new series. */
	assert_int_equal(auth_login(f->t, "300", "000001"), CM_INVALID);
	assert_int_equal(auth_login(f->t, "300", "000002"), CM_LOCKED);
	assert_int_equal(user(f, "300").locked_until, f->now + 5 * 60);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

/* Nobody locks out every admin for good: an admin unlocks another admin,
 * and when all are locked the one-time recovery code does. */
static void test_admin_unlock_and_recovery(void **state)
{
	struct fx *f = *state;
	char code[RECOVERY_CODE_LEN], next[RECOVERY_CODE_LEN];
	fx_login(f, "100");
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_AFTER, "2"), CM_OK);
	assert_int_equal(auth_user_add(f->t, "110", "Budi Admin", ROLE_ADMIN, "314159", NULL), CM_OK);
	assert_int_equal(recovery_new(f->t, user(f, "100").id, code), CM_OK);
	assert_int_equal(strlen(code), 19);
	assert_int_equal(auth_logout(f->t), CM_OK);
	for (int i = 0; i < 2; i++)
		auth_login(f->t, "100", "000001");
	assert_true(user(f, "100").locked);
	/* Another admin unlocks him. */
	assert_int_equal(auth_login(f->t, "110", "314159"), CM_OK);
	assert_int_equal(auth_user_set_locked(f->t, "100", false), CM_OK);
	assert_false(user(f, "100").locked);
	assert_int_equal(auth_logout(f->t), CM_OK);
	/* Both locked: the recovery code, only for an admin, only when right. */
	for (int i = 0; i < 2; i++) {
		auth_login(f->t, "100", "000001");
		auth_login(f->t, "110", "000001");
	}
	assert_true(user(f, "100").locked && user(f, "110").locked);
	assert_int_equal(recovery_use(f->t, "100", "AAAA-AAAA-AAAA-AAAA", "271828", next), CM_INVALID);
	assert_int_equal(count(f, "login_failed", "wrong_code", -1), 1);
	assert_int_equal(recovery_use(f->t, "300", code, "271828", next), CM_DENIED);
	assert_int_equal(recovery_use(f->t, "100", code, "111111", next), CM_INVALID);
	char lower[RECOVERY_CODE_LEN];
	for (size_t i = 0; i <= strlen(code); i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	assert_int_equal(recovery_use(f->t, "100", lower, "271828", next), CM_OK);
	assert_string_not_equal(next, code);
	assert_false(user(f, "100").locked);
	assert_int_equal(count(f, "recovery_used", "\"100\"", user(f, "100").id), 1);
	assert_int_equal(auth_login(f->t, "100", "271828"), CM_OK);
	assert_int_equal(auth_logout(f->t), CM_OK);
	/* Used once: the old code no longer works, the new one does. */
	assert_int_equal(recovery_use(f->t, "110", code, "161803", next), CM_INVALID);
	char again[RECOVERY_CODE_LEN];
	assert_int_equal(recovery_use(f->t, "110", next, "161803", again), CM_OK);
	assert_int_equal(auth_login(f->t, "110", "161803"), CM_OK);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

/* PINs anyone would try first are refused for a new user and a new PIN. */
static void test_trivial_pins_refused(void **state)
{
	struct fx *f = *state;
	const char *trivial[] = { "000000", "999999999", "123456", "3456789", "987654", "6543210",
	                          "401401", "401401401" };
	fx_login(f, "100");
	for (size_t i = 0; i < sizeof trivial / sizeof trivial[0]; i++) {
		if (auth_user_add(f->t, "401", "Baru", ROLE_CASHIER, trivial[i], NULL) != CM_INVALID)
			fail_msg("trivial PIN '%s' accepted", trivial[i]);
		assert_non_null(strstr(till_errmsg(f->t), "too easy to guess"));
		if (i < 6 && auth_user_set_pin(f->t, "300", NULL, trivial[i]) != CM_INVALID)
			fail_msg("trivial new PIN '%s' accepted", trivial[i]);
	}
	assert_int_equal(auth_user_set_pin(f->t, "300", NULL, "300300"), CM_INVALID);
	assert_int_equal(auth_user_add(f->t, "401", "Baru", ROLE_CASHIER, "121212", NULL), CM_OK);
	assert_int_equal(auth_user_set_pin(f->t, "300", NULL, "135799"), CM_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_login_ok),
		T(test_approval_bound_to_subject),
		T(test_login_unknown),
		T(test_login_wrong_pin),
		T(test_lockout),
		T(test_lock_by_supervisor),
		T(test_lockout_expires_growing),
		T(test_admin_unlock_and_recovery),
		T(test_trivial_pins_refused),
		T(test_pin_rules),
		T(test_user_management),
		T(test_first_user_must_be_admin),
		T(test_approve),
		T(test_approve_wrong_pin_counts),
		T(test_approve_success_resets_count),
		T(test_require_matrix_cashier),
		T(test_everything_journaled_and_verifies),
	};
#undef T
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
