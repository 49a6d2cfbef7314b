/* tax.c: class names, the dated rate table, and PPN extraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/tax.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Deliberately not in date order: the table comes from the database. */
static const struct tax_rate rates[] = {
	{ TAX_STANDARD, 20250101, 1200, 11, 12 },
	{ TAX_STANDARD, 20100101, 1000, 1, 1 },
	{ TAX_LUXURY, 20250101, 1200, 1, 1 },
	{ TAX_STANDARD, 20220401, 1100, 1, 1 },
	{ TAX_LUXURY, 20100101, 1000, 1, 1 },
	{ TAX_LUXURY, 20220401, 1100, 1, 1 },
};

static const struct tax_rate std10 = { TAX_STANDARD, 20100101, 1000, 1, 1 };
static const struct tax_rate std11 = { TAX_STANDARD, 20220401, 1100, 1, 1 };
static const struct tax_rate std12 = { TAX_STANDARD, 20250101, 1200, 11, 12 };
static const struct tax_rate lux12 = { TAX_LUXURY, 20250101, 1200, 1, 1 };

static void test_class_names(void **state)
{
	static const struct {
		const char *in;
		enum tax_class want;
	} ok[] = {
		{ "exempt", TAX_EXEMPT }, { "standard", TAX_STANDARD },
		{ "luxury", TAX_LUXURY }, { "STANDARD", TAX_STANDARD },
		{ "Luxury", TAX_LUXURY }, { "E", TAX_EXEMPT }, { "e", TAX_EXEMPT },
		{ "S", TAX_STANDARD }, { "s", TAX_STANDARD }, { "L", TAX_LUXURY },
		{ "l", TAX_LUXURY },
	};
	static const char *const bad[] = { "", "x", "standar", "ES", "exempt ",
					   " S", "SS", "luxury1" };
	enum tax_class c;

	(void)state;
	assert_string_equal(tax_class_name(TAX_EXEMPT), "exempt");
	assert_string_equal(tax_class_name(TAX_STANDARD), "standard");
	assert_string_equal(tax_class_name(TAX_LUXURY), "luxury");
	assert_string_equal(tax_class_name(TAX_CLASS_COUNT), "unknown");
	for (size_t i = 0; i < N(ok); i++) {
		c = TAX_CLASS_COUNT;
		assert_int_equal(tax_class_parse(ok[i].in, &c), CM_OK);
		assert_int_equal(c, ok[i].want);
	}
	for (size_t i = 0; i < N(bad); i++) {
		if (tax_class_parse(bad[i], &c) != CM_INVALID)
			fail_msg("tax_class_parse accepted \"%s\"", bad[i]);
	}
	assert_int_equal(tax_class_parse(NULL, &c), CM_INVALID);
}

static void test_rate_at(void **state)
{
	static const struct {
		enum tax_class cls;
		int32_t date;
		int32_t rate_bp, base_num; /* 0, 0: no row */
	} cases[] = {
		{ TAX_STANDARD, 20091231, 0, 0 },
		{ TAX_STANDARD, 20100101, 1000, 1 },
		{ TAX_STANDARD, 20220331, 1000, 1 },
		{ TAX_STANDARD, 20220401, 1100, 1 },
		{ TAX_STANDARD, 20241231, 1100, 1 },
		{ TAX_STANDARD, 20250101, 1200, 11 },
		{ TAX_STANDARD, 20991231, 1200, 11 },
		{ TAX_LUXURY, 20241231, 1100, 1 },
		{ TAX_LUXURY, 20250101, 1200, 1 },
		{ TAX_EXEMPT, 20250101, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		const struct tax_rate *r = tax_rate_at(rates, N(rates),
						       cases[i].cls, cases[i].date);

		if (!cases[i].rate_bp) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		assert_int_equal(r->cls, cases[i].cls);
		assert_int_equal(r->rate_bp, cases[i].rate_bp);
		assert_int_equal(r->base_num, cases[i].base_num);
	}
	assert_null(tax_rate_at(NULL, 0, TAX_STANDARD, 20250101));
}

static void test_rate_at_same_date_later_row_wins(void **state)
{
	static const struct tax_rate fixed[] = {
		{ TAX_STANDARD, 20250101, 1200, 1, 1 },
		{ TAX_STANDARD, 20250101, 1200, 11, 12 },
	};
	const struct tax_rate *r = tax_rate_at(fixed, 2, TAX_STANDARD, 20250102);

	(void)state;
	assert_ptr_equal(r, &fixed[1]);
}

static void test_extract(void **state)
{
	static const struct {
		cm_money g;
		const struct tax_rate *r;
		cm_money want;
	} cases[] = {
		{ 111000, &std11, 11000 },
		{ 111000, &std12, 11000 },  /* 12% on 11/12: still 11% */
		{ 112000, &lux12, 12000 },
		{ 110000, &std10, 10000 },  /* before 2022-04-01 */
		{ 12500, &std11, 1239 },    /* 1238.74 */
		{ 12500, &std12, 1239 },
		{ 14, &lux12, 2 },          /* 1.5 exactly: half away from zero */
		{ 13, &lux12, 1 },          /* 1.39 */
		{ 1, &std11, 0 },
		{ 0, &std11, 0 },
		{ 111000, NULL, 0 },
		{ -111000, &std11, -11000 },
		{ -14, &lux12, -2 },
		{ -12500, &std12, -1239 },
		{ 1000000000000LL, &std11, 99099099099 }, /* 99099099099.099 */
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		cm_money got = tax_extract(cases[i].g, cases[i].r);

		if (got != cases[i].want)
			fail_msg("case %zu: tax_extract(%lld) = %lld, want %lld",
				 i, (long long)cases[i].g, (long long)got,
				 (long long)cases[i].want);
	}
}

static void test_extract_symmetric_and_extreme(void **state)
{
	static const struct tax_rate zero = { TAX_STANDARD, 20250101, 0, 1, 1 };
	static const struct tax_rate bad_den = { TAX_STANDARD, 20250101, 1200, 1, 0 };
	cm_money big;

	(void)state;
	for (cm_money g = 0; g < 2000; g += 7) {
		assert_int_equal(tax_extract(-g, &std12), -tax_extract(g, &std12));
		assert_int_equal(tax_extract(-g, &lux12), -tax_extract(g, &lux12));
	}
	/* no overflow at the very ends of the range */
	big = tax_extract(INT64_MAX, &std11);
	assert_true(big > 0 && big < INT64_MAX);
	assert_int_equal(tax_extract(-INT64_MAX, &std11), -big);
	assert_true(tax_extract(INT64_MIN, &lux12) < 0);
	assert_int_equal(tax_extract(111000, &zero), 0);
	assert_int_equal(tax_extract(111000, &bad_den), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_rate_at),
		cmocka_unit_test(test_rate_at_same_date_later_row_wins),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_extract_symmetric_and_extreme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
