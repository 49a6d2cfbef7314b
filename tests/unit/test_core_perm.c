/* The permission matrix, spelled out again on purpose: a change to
 * pos/core/perm.c must come with a change here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/perm.h"

struct row {
	enum action act;
	const char *name;
	enum perm cashier, supervisor, admin;
};

#define A PERM_ALLOW
#define O PERM_OVERRIDE
#define D PERM_DENY

static const struct row matrix[] = {
	{ ACT_SELL,                "sell",                A, A, A },
	{ ACT_VOID_LINE,           "void_line",           A, A, A },
	{ ACT_VOID_AFTER_SUBTOTAL, "void_after_subtotal", O, A, A },
	{ ACT_PRICE_OVERRIDE,      "price_override",      O, A, A },
	{ ACT_DISCOUNT,            "discount",            A, A, A },
	{ ACT_DISCOUNT_OVER_LIMIT, "discount_over_limit", O, A, A },
	{ ACT_CANCEL_EMPTY,        "cancel_empty",        A, A, A },
	{ ACT_CANCEL_TICKET,       "cancel_ticket",       O, A, A },
	{ ACT_NO_SALE,             "no_sale",             O, A, A },
	{ ACT_ABORT_RECOVERED,     "abort_recovered",     O, A, A },
	{ ACT_REPRINT,             "reprint",             A, A, A },
	{ ACT_REPORT,              "report",              D, A, A },
	{ ACT_MANAGE_USERS,        "manage_users",        D, D, A },
	{ ACT_MANAGE_CATALOGUE,    "manage_catalogue",    D, D, A },
	{ ACT_SHIFT_OPEN,          "shift_open",          A, A, A },
	{ ACT_CASH_IN,             "cash_in",             A, A, A },
	{ ACT_CASH_OUT,            "cash_out",            O, A, A },
	{ ACT_SHIFT_CLOSE,         "shift_close",         A, A, A },
	{ ACT_CLOSE_APPROVE,       "close_approve",       O, A, A },
	{ ACT_X_REPORT,            "x_report",            O, A, A },
	{ ACT_Z_REPORT,            "z_report",            D, A, A },
	{ ACT_RETURN,              "return",              O, A, A },
	{ ACT_RETURN_NO_RECEIPT,   "return_no_receipt",   D, A, A },
	{ ACT_RECEIVE,             "receive",             D, A, A },
	{ ACT_ADJUST,              "adjust",              D, A, A },
	{ ACT_COUNT_START,         "count_start",         D, A, A },
	{ ACT_STOCK_COUNT,         "stock_count",         A, A, A },
	{ ACT_COUNT_POST,          "count_post",          D, A, A },
	{ ACT_STOCK_REPORT,        "stock_report",        D, A, A },
	{ ACT_CREDIT_EXCESS,       "credit_excess",       O, A, A },
	{ ACT_WEB_PIN,             "web_pin",             O, A, A },
};

#undef A
#undef O
#undef D

static void test_matrix(void **state)
{
	(void)state;
	assert_int_equal(sizeof matrix / sizeof matrix[0], ACT_COUNT);
	for (size_t i = 0; i < ACT_COUNT; i++) {
		const struct row *r = &matrix[i];

		assert_int_equal(r->act, (enum action)i);
		assert_int_equal(perm_check(ROLE_CASHIER, r->act), r->cashier);
		assert_int_equal(perm_check(ROLE_SUPERVISOR, r->act), r->supervisor);
		assert_int_equal(perm_check(ROLE_ADMIN, r->act), r->admin);
	}
}

/* Every OVERRIDE must have someone who can approve it (a role with ALLOW). */
static void test_every_override_has_an_approver(void **state)
{
	(void)state;
	for (int a = 0; a < ACT_COUNT; a++) {
		bool override = false, approver = false;

		for (int r = 0; r < ROLE_COUNT; r++) {
			enum perm p = perm_check((enum role)r, (enum action)a);

			override |= p == PERM_OVERRIDE;
			approver |= p == PERM_ALLOW;
		}
		assert_true(!override || approver);
	}
}

static void test_out_of_range_denied(void **state)
{
	(void)state;
	assert_int_equal(perm_check(ROLE_COUNT, ACT_SELL), PERM_DENY);
	assert_int_equal(perm_check(ROLE_ADMIN, ACT_COUNT), PERM_DENY);
	assert_int_equal(perm_check((enum role)-1, ACT_SELL), PERM_DENY);
	assert_int_equal(perm_check(ROLE_ADMIN, (enum action)-1), PERM_DENY);
}

static void test_action_names(void **state)
{
	(void)state;
	for (int a = 0; a < ACT_COUNT; a++) {
		const char *n = perm_action_name((enum action)a);

		assert_non_null(n);
		assert_string_equal(n, matrix[a].name);
		for (int b = 0; b < a; b++)
			assert_string_not_equal(n, perm_action_name((enum action)b));
	}
	assert_non_null(perm_action_name(ACT_COUNT));
}

static void test_role_names(void **state)
{
	(void)state;
	assert_string_equal(role_name(ROLE_CASHIER), "cashier");
	assert_string_equal(role_name(ROLE_SUPERVISOR), "supervisor");
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_non_null(role_name(ROLE_COUNT));
}

static void test_role_parse(void **state)
{
	static const struct { const char *s; enum role r; } ok[] = {
		{ "cashier", ROLE_CASHIER }, { "Cashier", ROLE_CASHIER },
		{ "kasir", ROLE_CASHIER }, { "KASIR", ROLE_CASHIER },
		{ "supervisor", ROLE_SUPERVISOR }, { "SuperVisor", ROLE_SUPERVISOR },
		{ "admin", ROLE_ADMIN }, { "ADMIN", ROLE_ADMIN },
	};
	static const char *const bad[] = {
		"", "cash", "admins", " admin", "admin ", "root", "manager",
	};
	enum role r;

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		r = ROLE_COUNT;
		assert_int_equal(role_parse(ok[i].s, &r), CM_OK);
		assert_int_equal(r, ok[i].r);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(role_parse(bad[i], &r), CM_INVALID);
	assert_int_equal(role_parse(NULL, &r), CM_INVALID);
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), CM_OK);
		assert_int_equal(r, (enum role)i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_every_override_has_an_approver),
		cmocka_unit_test(test_out_of_range_denied),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_role_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
