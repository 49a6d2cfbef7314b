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
	{ "23", "PPIIIIVRRRRRC" }, /* 4-digit PLU, verified 5-digit price */
	{ "24", "PPIIIIIDDDDDC" }, /* 5-digit PLU, weight in 10 g units */
	{ "02", "PPIIIIIVRRRRC" }, /* UPC-A random weight: verified price */
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
		/* one key for all lengths: 13 digits, or 14 for an indicator 1..9 */
		{ "96385074", BC_EAN8, "0000096385074" },
		{ "40123455", BC_EAN8, "0000040123455" },
		{ "0000040123455", BC_EAN13, "0000040123455" },
		{ "00000040123455", BC_GTIN14, "0000040123455" },
		{ "036000291452", BC_UPCA, "0036000291452" },
		{ "0036000291452", BC_EAN13, "0036000291452" },
		{ "00036000291452", BC_GTIN14, "0036000291452" },
		{ "18991234567898", BC_GTIN14, "18991234567898" },
		{ "08991234567891", BC_GTIN14, "8991234567891" },
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
		"0036000291453", "2000123012507", "40123454", "18991234567891",
		"12345678901234",
	};
	struct barcode b;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(barcode_parse(cases[i], fmts, N(fmts), &b),
				 CM_INVALID);
		/* still usable as a SKU lookup */
		assert_int_equal(b.kind, BC_TEXT);
		assert_int_equal(b.fault, BC_FAULT_CHECK);
		assert_string_equal(b.code, cases[i]);
	}
}

static void test_parse_text(void **state)
{
	static const char *const ok[] = {
		"ABC-123", "12345", "1234567", "123456789", "123456789012345",
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
		assert_int_equal(b.fault, BC_FAULT_NONE);
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

/* GS1 General Specifications 7.9.3/7.9.4 give 2875 -> 9 and 14685 -> 6. */
static void test_value_verifier(void **state)
{
	(void)state;
	assert_int_equal(barcode_value_verifier("2875", 4), 9);
	assert_int_equal(barcode_value_verifier("14685", 5), 6);
	assert_int_equal(barcode_value_verifier("55052", 5), 5);
	assert_int_equal(barcode_value_verifier("50552", 5), 2);
	assert_int_equal(barcode_value_verifier("0000", 4), 0);
	assert_int_equal(barcode_value_verifier("123", 3), -1);
	assert_int_equal(barcode_value_verifier("123456", 6), -1);
	assert_int_equal(barcode_value_verifier("12a4", 4), -1);
	assert_int_equal(barcode_value_verifier(NULL, 4), -1);
}

/* The example: 21 | PLU 3923 | verifier 5 | Rp55.052 | check 8.
 * Two price digits swapped (55052 -> 50552) keep the EAN check digit
 * right, and only the verifier catches it. */
static void test_scale_verifier_refuses_misread(void **state)
{
	static const struct scale_format v = { "21", "PPIIIIVRRRRRC" };
	struct barcode b;

	(void)state;
	assert_int_equal(barcode_parse("2139235550528", &v, 1, &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_int_equal(b.plu, 3923);
	assert_true(b.has_price);
	assert_int_equal(b.price, 55052);

	assert_int_equal(barcode_check_digit("213923550552", 12), 8);
	assert_int_equal(barcode_parse("2139235505528", &v, 1, &b), CM_INVALID);
	assert_int_equal(b.kind, BC_TEXT);
	assert_int_equal(b.fault, BC_FAULT_VERIFIER);
	assert_string_equal(b.code, "2139235505528");
	/* a template that ignores the verifier (X) charges the misread price */
	assert_int_equal(barcode_parse("2139235505528", fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_int_equal(b.price, 50552);
}

/* 10 g units: 1,250 kg is 00125 on the label. */
static void test_scale_weight_units(void **state)
{
	char buf[14];
	struct barcode b;

	(void)state;
	assert_int_equal(scale_format_make(&fmts[3], 777, 125, buf), CM_OK);
	assert_int_equal(barcode_parse(buf, fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_int_equal(b.plu, 777);
	assert_true(b.has_weight);
	assert_int_equal(b.qty, 1250);
}

/* UPC-A number system 2 (random weight): the 12-digit label and its
 * 13-digit key are read alike by the "02" template. */
static void test_scale_upc_02(void **state)
{
	char buf[14];
	struct barcode b;

	(void)state;
	assert_int_equal(scale_format_make(&fmts[4], 12345, 2875, buf), CM_OK);
	assert_string_equal(buf, "0212345928752");
	assert_int_equal(barcode_parse(buf + 1, fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	assert_string_equal(b.code, "0212345928752");
	assert_int_equal(b.plu, 12345);
	assert_int_equal(b.price, 2875);
	assert_int_equal(barcode_parse(buf, fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_SCALE);
	/* a UPC-A of number system 0 is no label */
	assert_int_equal(barcode_parse("036000291452", fmts, N(fmts), &b), CM_OK);
	assert_int_equal(b.kind, BC_UPCA);
	/* the verifier is checked on UPC labels too: 2875 -> 2857 */
	assert_int_equal(barcode_parse("212345928578", fmts, N(fmts), &b), CM_INVALID);
}

static void test_gtin_key(void **state)
{
	char key[16];

	(void)state;
	assert_int_equal(barcode_gtin_key("40123455", key), CM_OK);
	assert_string_equal(key, "0000040123455");
	assert_int_equal(barcode_gtin_key("18991234567898", key), CM_OK);
	assert_string_equal(key, "18991234567898");
	assert_int_equal(barcode_gtin_key("4006381333931", key), CM_OK);
	assert_string_equal(key, "4006381333931");
	assert_int_equal(barcode_gtin_key("4006381333932", key), CM_INVALID);
	assert_string_equal(key, "");
	assert_int_equal(barcode_gtin_key("123456789", key), CM_INVALID);
	assert_int_equal(barcode_gtin_key("400638133393a", key), CM_INVALID);
	assert_int_equal(barcode_gtin_key("400638133393100", key), CM_INVALID);
	assert_int_equal(barcode_gtin_key(NULL, key), CM_INVALID);
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
		{ "02", "PPIIIIIVRRRRC", CM_OK },
		{ "23", "PPIIIIVRRRRRC", CM_OK },
		{ "24", "PPIIIIIDDDDDC", CM_OK },
		{ "24", "PPIIIIVDDDDDC", CM_OK },
		{ "01", "PPIIIIIWWWWWC", CM_INVALID },
		{ "03", "PPIIIIIWWWWWC", CM_INVALID },
		{ "20", "PPIIIIIWWWDDC", CM_INVALID },  /* grams and 10 g */
		{ "20", "PPIIIVIRRRRRC", CM_INVALID },  /* verifier not before the run */
		{ "20", "PPIIIVRRRRRRC", CM_INVALID },  /* 6-digit run has none */
		{ "20", "PPIIIIIVRRRVC", CM_INVALID },  /* two verifiers */
		{ "20", "PPIIIIIIVRRRC", CM_INVALID },  /* 3-digit run has none */
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
	for (size_t f = 0; f < 2; f++) {
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
		cmocka_unit_test(test_value_verifier),
		cmocka_unit_test(test_scale_verifier_refuses_misread),
		cmocka_unit_test(test_scale_weight_units),
		cmocka_unit_test(test_scale_upc_02),
		cmocka_unit_test(test_gtin_key),
		cmocka_unit_test(test_scale_format_check),
		cmocka_unit_test(test_scale_make),
		cmocka_unit_test(test_scale_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
