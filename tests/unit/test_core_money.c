/* money.c: display, parsing what a cashier types, and the rounding rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/money.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_format(void **state)
{
	static const struct money_fmt spaced = { NULL, true };
	static const struct money_fmt idr = { "IDR", true };
	static const struct {
		cm_money v;
		const struct money_fmt *fmt;
		const char *want;
	} cases[] = {
		{ 0, NULL, "Rp0" },
		{ 999, NULL, "Rp999" },
		{ 1000, NULL, "Rp1.000" },
		{ 12500, NULL, "Rp12.500" },
		{ 1250000, NULL, "Rp1.250.000" },
		{ -500, NULL, "-Rp500" },
		{ -12500, NULL, "-Rp12.500" },
		{ 12500, &spaced, "Rp 12.500" },
		{ -500, &spaced, "-Rp 500" },
		{ 12500, &idr, "IDR 12.500" },
		{ INT64_MAX, NULL, "Rp9.223.372.036.854.775.807" },
		{ INT64_MIN, NULL, "-Rp9.223.372.036.854.775.808" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		size_t n = money_format(cases[i].v, cases[i].fmt, buf, sizeof buf);

		assert_string_equal(buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
	}
}

static void test_format_truncates(void **state)
{
	char buf[5] = "xxxx";

	(void)state;
	assert_int_equal(money_format(12500, NULL, buf, sizeof buf), 8);
	assert_string_equal(buf, "Rp12");
	assert_int_equal(money_format(12500, NULL, buf, 1), 8);
	assert_string_equal(buf, "");
	assert_int_equal(money_format(12500, NULL, NULL, 0), 8);
}

static void test_parse_accepts(void **state)
{
	static const struct {
		const char *in;
		cm_money want;
	} cases[] = {
		{ "0", 0 },
		{ "500", 500 },
		{ "12500", 12500 },
		{ "12.500", 12500 },
		{ "1.250.000", 1250000 },
		{ "Rp12.500", 12500 },
		{ "Rp 12.500", 12500 },
		{ "rp500", 500 },
		{ "RP 1.000", 1000 },
		{ "Rp. 12.500", 12500 },
		{ "Rp.12.500", 12500 },
		{ "Rp  500", 500 },
		{ " 500", 500 },
		{ "500 ", 500 },
		{ "  Rp. 1.250.000  ", 1250000 },
		{ "007", 7 },
		{ "1.000.000.000.000.000", 1000000000000000LL },
		{ "1000000000000000", 1000000000000000LL },
	};
	cm_money v;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		v = -1;
		assert_int_equal(money_parse(cases[i].in, &v), CM_OK);
		assert_int_equal(v, cases[i].want);
	}
}

static void test_parse_rejects(void **state)
{
	static const char *const cases[] = {
		"", "-5", "+5", "12,5", "12.50", "1.2345", "12,5rb", "1..000",
		".500", "12.500.", "0.500", "012.500", "12.500,00", "1 000",
		"Rp", "Rp ", "Rp.", "Rp. ", " ", "Rp..500", "Rp.-500", "Rp-500", "IDR 500",
		"12500rb", "1.000.000.000.000.001", "1000000000000001",
		"99999999999999999999999999", "9.999.999.999.999.999.999",
		"1e5", "0x10",
	};
	cm_money v = 42;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		if (money_parse(cases[i], &v) != CM_INVALID)
			fail_msg("money_parse accepted \"%s\"", cases[i]);
		assert_int_equal(v, 42);
	}
	assert_int_equal(money_parse(NULL, &v), CM_INVALID);
}

static void test_line_amount(void **state)
{
	static const struct {
		cm_money price;
		cm_qty qty;
		cm_money want;
	} cases[] = {
		{ 12500, 1000, 12500 },
		{ 12500, 3000, 37500 },
		{ 12345, 333, 4111 },   /* 4110.885 */
		{ 12345, 500, 6173 },   /* 6172.5: half away from zero */
		{ 12345, -500, -6173 }, /* a return mirrors the sale */
		{ -12345, 500, -6173 },
		{ 1, 499, 0 },
		{ 1, 500, 1 },
		{ 1, -500, -1 },
		{ 89900, 1250, 112375 },
		{ 0, 5000, 0 },
	};
	cm_money v;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(money_line_amount(cases[i].price, cases[i].qty, &v),
				 CM_OK);
		assert_int_equal(v, cases[i].want);
	}
	assert_int_equal(money_line_amount(INT64_MAX, 2000, &v), CM_INVALID);
	assert_int_equal(money_line_amount(INT64_MIN, -1, &v), CM_INVALID);
	assert_int_equal(money_line_amount(4000000000000000LL, 4000, &v),
			 CM_INVALID);
	assert_int_equal(money_line_amount(INT64_MAX, 1, &v), CM_OK);
	assert_int_equal(v, INT64_MAX / 1000 + 1); /* ...807 / 1000 rounds up */
}

static void test_percent(void **state)
{
	static const struct {
		cm_money v;
		int32_t bp;
		cm_money want;
	} cases[] = {
		{ 12500, 1000, 1250 },
		{ 12345, 550, 679 },    /* 678.975 */
		{ -12345, 550, -679 },
		{ 5, 1000, 1 },         /* 0.5 away from zero */
		{ -5, 1000, -1 },
		{ 4, 1000, 0 },
		{ 12500, 0, 0 },
		{ 12500, 10000, 12500 },
		{ INT64_MAX, 10000, INT64_MAX },
		{ INT64_MAX, 20000, INT64_MAX }, /* saturates */
		{ INT64_MIN, 20000, INT64_MIN },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(money_percent(cases[i].v, cases[i].bp),
				 cases[i].want);
}

static void test_round_step(void **state)
{
	static const struct {
		cm_money v, step, want;
	} cases[] = {
		{ 12549, 100, 12500 },
		{ 12550, 100, 12500 }, /* exact half goes down */
		{ 12551, 100, 12600 },
		{ 12500, 100, 12500 },
		{ 12599, 100, 12600 },
		{ -12550, 100, -12500 },
		{ -12551, 100, -12600 },
		{ 12750, 500, 12500 },
		{ 12751, 500, 13000 },
		{ 49, 100, 0 },
		{ 50, 100, 0 },
		{ 51, 100, 100 },
		{ 12345, 1, 12345 },
		{ 12345, 0, 12345 },
		{ 12345, -100, 12345 },
		{ 25, 50, 0 },
		{ 75, 50, 50 },
		{ INT64_MAX, 100, INT64_MAX - 7 }, /* ...807: rounds down */
		{ INT64_MAX, 1000, INT64_MAX - 807 }, /* up would overflow */
		{ INT64_MIN, 100, INT64_MIN + 8 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		cm_money got = money_round_step(cases[i].v, cases[i].step);

		if (got != cases[i].want)
			fail_msg("round_step(%lld, %lld) = %lld, want %lld",
				 (long long)cases[i].v, (long long)cases[i].step,
				 (long long)got, (long long)cases[i].want);
	}
}

static void test_qty_format(void **state)
{
	static const struct {
		cm_qty q;
		const char *want;
	} cases[] = {
		{ 0, "0" },
		{ 1000, "1" },
		{ 2000, "2" },
		{ 750, "0,75" },
		{ 1250, "1,25" },
		{ 1, "0,001" },
		{ 100, "0,1" },
		{ 1050, "1,05" },
		{ 99999000, "99999" },
		{ -500, "-0,5" },
		{ -3000, "-3" },
	};
	char buf[32], small[4];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(qty_format(cases[i].q, buf, sizeof buf),
				 strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
	}
	assert_int_equal(qty_format(1250, small, sizeof small), 4);
	assert_string_equal(small, "1,2");
}

static void test_qty_parse(void **state)
{
	static const struct {
		const char *in;
		bool frac;
		enum cm_rc rc;
		cm_qty want;
	} cases[] = {
		{ "3", true, CM_OK, 3000 },
		{ "3", false, CM_OK, 3000 },
		{ "0,75", true, CM_OK, 750 },
		{ "0.75", true, CM_OK, 750 },
		{ "1,250", true, CM_OK, 1250 },
		{ "1,25", true, CM_OK, 1250 },
		{ "0,001", true, CM_OK, 1 },
		{ "2,000", false, CM_OK, 2000 },
		{ "007", false, CM_OK, 7000 },
		{ "99999", false, CM_OK, 99999000 },
		{ "0,75", false, CM_INVALID, 0 },
		{ "1,5", false, CM_INVALID, 0 },
		{ "", true, CM_INVALID, 0 },
		{ "0", true, CM_INVALID, 0 },
		{ "0,000", true, CM_INVALID, 0 },
		{ "1,2345", true, CM_INVALID, 0 },
		{ ",5", true, CM_INVALID, 0 },
		{ "1,", true, CM_INVALID, 0 },
		{ "100000", true, CM_INVALID, 0 },
		{ "99999,001", true, CM_INVALID, 0 },
		{ "-1", true, CM_INVALID, 0 },
		{ "1,5kg", true, CM_INVALID, 0 },
		{ " 1", true, CM_INVALID, 0 },
		{ "1.2.3", true, CM_INVALID, 0 },
		{ "1.000.000", true, CM_INVALID, 0 },
		{ "00000000000001", true, CM_INVALID, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		cm_qty q = 0;
		enum cm_rc rc = qty_parse(cases[i].in, cases[i].frac, &q);

		if (rc != cases[i].rc)
			fail_msg("qty_parse(\"%s\", %d) = %d", cases[i].in,
				 cases[i].frac, rc);
		assert_int_equal(q, cases[i].want);
	}
	assert_int_equal(qty_parse(NULL, true, &(cm_qty){ 0 }), CM_INVALID);
}

/* What the till shows must read back as the same value. */
static void test_round_trips(void **state)
{
	static const cm_money amounts[] = { 0, 1, 999, 1000, 12500, 1250000,
					    1000000000000000LL };
	static const cm_qty qtys[] = { 1, 10, 100, 750, 1000, 1250, 99999000 };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < N(amounts); i++) {
		cm_money v = -1;

		money_format(amounts[i], NULL, buf, sizeof buf);
		assert_int_equal(money_parse(buf, &v), CM_OK);
		assert_int_equal(v, amounts[i]);
	}
	for (size_t i = 0; i < N(qtys); i++) {
		cm_qty q = -1;

		qty_format(qtys[i], buf, sizeof buf);
		assert_int_equal(qty_parse(buf, true, &q), CM_OK);
		assert_int_equal(q, qtys[i]);
	}
}

/* None (0) or not below the shelf price: the shelf price, never Rp0. */
static void test_member_price(void **state)
{
	(void)state;
	assert_int_equal(money_member_price(17500, 16500), 16500);
	assert_int_equal(money_member_price(4000, 0), 4000);
	assert_int_equal(money_member_price(4000, 4000), 4000);
	assert_int_equal(money_member_price(4000, 4500), 4000);
	assert_int_equal(money_member_price(0, 0), 0);
}

/* A substitute never costs the member more than the line it replaces:
 * 2 kg rice at 14.300 is Rp28.600, so 0,75 kg beef at 140.000 sells at
 * the highest price that keeps 0,75 kg at Rp28.600. */
static void test_substitute_price_capped_at_ordered_line(void **state)
{
	(void)state;
	cm_money a;
	/* cheaper or equal: its own price */
	assert_int_equal(money_substitute_price(14300, 2000, 15700, 1000), 15700);
	assert_int_equal(money_substitute_price(3400, 5000, 17000, 1000), 17000);
	/* dearer: lowered to the ordered line's amount, never above it */
	cm_money p = money_substitute_price(14300, 2000, 140000, 750);
	assert_int_equal(p, 38133);
	assert_int_equal(money_line_amount(p, 750, &a), CM_OK);
	assert_int_equal(a, 28600);
	assert_int_equal(money_line_amount(p + 1, 750, &a), CM_OK);
	assert_true(a > 28600);
	/* more pieces of a cheaper item can still cost more than the line */
	p = money_substitute_price(76000, 1000, 3400, 30000);
	assert_int_equal(money_line_amount(p, 30000, &a), CM_OK);
	assert_true(a <= 76000);
	assert_int_equal(money_line_amount(p + 1, 30000, &a), CM_OK);
	assert_true(a > 76000);
	/* an ordered line of Rp0 gives the substitute away */
	assert_int_equal(money_substitute_price(0, 1000, 5000, 1000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_line_amount),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_round_step),
		cmocka_unit_test(test_qty_format),
		cmocka_unit_test(test_qty_parse),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_member_price),
		cmocka_unit_test(test_substitute_price_capped_at_ordered_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
