/* barcode.c: GS1 check digits, classification, scale label templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/barcode.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct scale_format fmts[] = {
	{ "20", "PPIIIIIWWWWWC" }, /* 5-digit PLU, grams */
	{ "21", "PPIIIIXRRRRRC" }, /* 4-digit PLU, price check digit, price */
};

static void test_check_digit(void **state)
{
	static const struct {
		const char *digits; /* the data digits, without the check digit */
		int want;
	} cases[] = {
		{ "400638133393", 1 },  /* EAN-13 4006381333931 */
		{ "899276111111", 3 },  /* Indonesian 899 prefix */
		{ "899100001234", 1 },
		{ "899888800001", 9 },
		{ "899999900000", 4 },
		{ "590123412345", 7 },  /* GS1's own example 5901234123457 */
		{ "9638507", 4 },       /* EAN-8 96385074 */
		{ "03600029145", 2 },   /* UPC-A 036000291452 */
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(barcode_check_digit(cases[i].digits,
						     strlen(cases[i].digits)),
				 cases[i].want);
	assert_int_equal(barcode_check_digit("12a4", 4), -1);
	assert_int_equal(barcode_check_digit("123456789012345678", 18), -1);
	/* only the first n digits count */
	assert_int_equal(barcode_check_digit("4006381333931", 12), 1);
}

static void test_parse_gtins(void **state)
{
	static const struct {
		const char *in;
		enum barcode_kind kind;
		const char *code;
	} cases[] = {
		{ "4006381333931", BC_EAN13, "4006381333931" },
		{ "8992761111113", BC_EAN13, "8992761111113" },
		{ "8991000012341", BC_EAN13, "8991000012341" },
		{ "8998888000019", BC_EAN13, "8998888000019" },
		{ "96385074", BC_EAN8, "96385074" },
		{ "036000291452", BC_UPCA, "0036000291452" },
		{ "0036000291452", BC_EAN13, "0036000291452" },
		/* a prefix-20 code without a configured format is plain EAN-13 */
		{ "2200012012505", BC_EAN13, "2200012012505" },
	};
	struct barcode b;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(barcode_parse(cases[i].in, fmts, N(fmts), &b), CM_OK);
		assert_int_equal(b.kind, cases[i].kind);
		assert_string_equal(b.code, cases[i].code);
		assert_false(b.has_weight);
		assert_false(b.has_price);
	}
}

static void test_parse_wrong_check_digit(void **state)
{
	static const char *const cases[] = {
		"4006381333932", "8992761111114", "96385075", "036000291453",
		"0036000291453", "2000123012507",
	};
	struct barcode b;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(barcode_parse(cases[i], fmts, N(fmts), &b),
				 CM_INVALID);
		/* still usable as a SKU lookup */
		assert_int_equal(b.kind, BC_TEXT);
		assert_string_equal(b.code, cases[i]);
	}
}

static void test_parse_text(void **state)
{
	static const char *const ok[] = {
		"ABC-123", "12345", "1234567", "123456789", "12345678901234",
		"BERAS5KG", "x", "1234567890123456789012345678901",
	};
	static const char *const bad[] = {
		"", "A B", "ab\tc", "abc\n", "\x7f", " 123",
		"12345678901234567890123456789012", /* 32 characters */
	};
	struct barcode b;

	(void)state;
	for (size_t i = 0; i < N(ok); i++) {
		assert_int_equal(barcode_parse(ok[i], NULL, 0, &b), CM_OK);
		assert_int_equal(b.kind, BC_TEXT);
		assert_string_equal(b.code, ok[i]);
	}
	for (size_t i = 0; i < N(bad); i++) {
		if (barcode_parse(bad[i], NULL, 0, &b) != CM_INVALID)
			fail_msg("barcode_parse accepted \"%s\"", bad[i]);
		assert_int_equal(b.kind, BC_TEXT);
	}
	assert_int_equal(barcode_parse(NULL, NULL, 0, &b), CM_INVALID);
}

static void test_scale_decode(void **state)
{
	struct barcode b;

	(void)state;
	/* 20 | 00123 | 01250 g | check */
	assert_int_equal(barcode_parse("2000123012506", fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_string_equal(b.code, "2000123012506");
	assert_int_equal(b.plu, 123);
	assert_true(b.has_weight);
	assert_int_equal(b.qty, 1250);
	assert_false(b.has_price);

	/* 21 | 0045 | price check (ignored) | Rp37.500 | check */
	assert_int_equal(barcode_parse("2100450375005", fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_int_equal(b.plu, 45);
	assert_true(b.has_price);
	assert_int_equal(b.price, 37500);
	assert_false(b.has_weight);
}

static void test_scale_format_check(void **state)
{
	static const struct {
		const char *prefix, *tmpl;
		enum cm_rc rc;
	} cases[] = {
		{ "20", "PPIIIIIWWWWWC", CM_OK },
		{ "29", "PPIIIIXRRRRRC", CM_OK },
		{ "25", "PPIWWWWWWWWWC", CM_OK },
		{ "22", "PPXIIIIWWWWXC", CM_OK },
		{ "19", "PPIIIIIWWWWWC", CM_INVALID },
		{ "30", "PPIIIIIWWWWWC", CM_INVALID },
		{ "2", "PPIIIIIWWWWWC", CM_INVALID },
		{ "2a", "PPIIIIIWWWWWC", CM_INVALID },
		{ "200", "PPIIIIIWWWWWC", CM_INVALID },
		{ "20", "PPIIIIIWWWWC", CM_INVALID },   /* 12 characters */
		{ "20", "PPIIIIIWWWWWWC", CM_INVALID }, /* 14 characters */
		{ "20", "XPIIIIIWWWWWC", CM_INVALID },
		{ "20", "PPIIIIIWWWWWW", CM_INVALID },  /* no check digit */
		{ "20", "PPIIIICWWWWWC", CM_INVALID },  /* C not last only */
		{ "20", "PPIIPIIWWWWWC", CM_INVALID },
		{ "20", "PPIIIIIWWRRRC", CM_INVALID },  /* both W and R */
		{ "20", "PPIIWWIIWWWXC", CM_INVALID },  /* two W runs */
		{ "20", "PPWWWWWWWWWWC", CM_INVALID },  /* no I */
		{ "20", "PPIIIIIIIIIIC", CM_INVALID },  /* no W or R */
		{ "20", "ppiiiiiwwwwwc", CM_INVALID },
		{ "20", "PPIIIIIQWWWWC", CM_INVALID },
		{ NULL, "PPIIIIIWWWWWC", CM_INVALID },
		{ "20", NULL, CM_INVALID },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		if (scale_format_check(cases[i].prefix, cases[i].tmpl) != cases[i].rc)
			fail_msg("case %zu: %s %s", i,
				 cases[i].prefix ? cases[i].prefix : "NULL",
				 cases[i].tmpl ? cases[i].tmpl : "NULL");
	}
}

static void test_scale_make(void **state)
{
	static const struct scale_format odd = { "27", "PPIIXWWWWIIIC" };
	char buf[14];
	struct barcode b;

	(void)state;
	assert_int_equal(scale_format_make(&fmts[0], 123, 1250, buf), CM_OK);
	assert_string_equal(buf, "2000123012506");
	assert_int_equal(scale_format_make(&fmts[1], 45, 37500, buf), CM_OK);
	assert_string_equal(buf, "2100450375005");
	/* I digits need not be one run: "27" 12 x 3456 345 */
	assert_int_equal(scale_format_make(&odd, 12345, 3456, buf), CM_OK);
	assert_string_equal(buf, "2712034563458");
	assert_int_equal(barcode_parse(buf, &odd, 1, &b), CM_OK);
	assert_int_equal(b.plu, 12345);
	assert_int_equal(b.qty, 3456);

	assert_int_equal(scale_format_make(&fmts[0], 100000, 1, buf), CM_INVALID);
	assert_int_equal(scale_format_make(&fmts[0], -1, 1, buf), CM_INVALID);
	assert_int_equal(scale_format_make(&fmts[0], 1, 100000, buf), CM_INVALID);
	assert_int_equal(scale_format_make(&fmts[0], 1, -1, buf), CM_INVALID);
	assert_int_equal(scale_format_make(&(struct scale_format){ "30",
			 "PPIIIIIWWWWWC" }, 1, 1, buf), CM_INVALID);
	assert_int_equal(scale_format_make(NULL, 1, 1, buf), CM_INVALID);
}

static void test_scale_round_trip(void **state)
{
	static const int32_t plus[] = { 0, 1, 45, 999, 9999 };
	static const int64_t values[] = { 0, 1, 5, 750, 1250, 37500, 99999 };
	char buf[14];
	struct barcode b;

	(void)state;
	for (size_t f = 0; f < N(fmts); f++) {
		for (size_t i = 0; i < N(plus); i++) {
			for (size_t j = 0; j < N(values); j++) {
				assert_int_equal(scale_format_make(&fmts[f], plus[i],
						 values[j], buf), CM_OK);
				assert_int_equal(barcode_parse(buf, fmts, N(fmts), &b),
						 CM_OK);
				assert_int_equal(b.kind, BC_SCALE);
				assert_int_equal(b.plu, plus[i]);
				if (f == 0)
					assert_int_equal(b.qty, values[j]);
				else
					assert_int_equal(b.price, values[j]);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_digit),
		cmocka_unit_test(test_parse_gtins),
		cmocka_unit_test(test_parse_wrong_check_digit),
		cmocka_unit_test(test_parse_text),
		cmocka_unit_test(test_scale_decode),
		cmocka_unit_test(test_scale_format_check),
		cmocka_unit_test(test_scale_make),
		cmocka_unit_test(test_scale_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
