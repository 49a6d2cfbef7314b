/* The receipt check code (core/checkcode.h): written and read back, read
 * as a member would type it, and refused when it is not one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/checkcode.h"

static const struct checkcode sample = {
	.store = "KMB-SMG", .terminal = "K01", .receipt = "K01-000412", .seq = 1207,
	.hash = "9c1f2a3b4c5d6e7f", .due = 57500,
};

static void test_format_is_the_documented_form(void **state)
{
	char buf[CHECKCODE_MAX];

	(void)state;
	assert_true(checkcode_format(&sample, buf, sizeof buf));
	assert_string_equal(buf, "CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500");
}

static void test_round_trip(void **state)
{
	char buf[CHECKCODE_MAX];
	struct checkcode c;

	(void)state;
	assert_true(checkcode_format(&sample, buf, sizeof buf));
	assert_true(checkcode_parse(buf, &c));
	assert_memory_equal(&c, &sample, sizeof c);
}

/* Only the first 16 hex digits of a full hash go in, in lower case. */
static void test_format_takes_a_hash_prefix(void **state)
{
	struct checkcode c = sample;
	char buf[CHECKCODE_MAX];

	(void)state;
	snprintf(c.hash, sizeof c.hash, "%s", "ABCDEF0123456789");
	assert_true(checkcode_format(&c, buf, sizeof buf));
	assert_non_null(strstr(buf, ":abcdef0123456789:"));
}

static void test_format_refuses_what_cannot_be_read_back(void **state)
{
	char buf[CHECKCODE_MAX];
	struct checkcode c;

	(void)state;
	c = sample, c.store[0] = '\0';
	assert_false(checkcode_format(&c, buf, sizeof buf));
	assert_string_equal(buf, "");
	c = sample, snprintf(c.terminal, sizeof c.terminal, "K:1");
	assert_false(checkcode_format(&c, buf, sizeof buf));
	c = sample, snprintf(c.receipt, sizeof c.receipt, "K01 000412");
	assert_false(checkcode_format(&c, buf, sizeof buf));
	c = sample, c.seq = 0;
	assert_false(checkcode_format(&c, buf, sizeof buf));
	c = sample, c.due = -1;
	assert_false(checkcode_format(&c, buf, sizeof buf));
	c = sample, snprintf(c.hash, sizeof c.hash, "9c1f");
	assert_false(checkcode_format(&c, buf, sizeof buf));
	c = sample, c.hash[3] = 'g';
	assert_false(checkcode_format(&c, buf, sizeof buf));
	/* A buffer too small: nothing half-written. */
	assert_false(checkcode_format(&sample, buf, 20));
	assert_string_equal(buf, "");
}

/* Typed from a receipt that wrapped the code over lines, in the wrong
 * case for the letters that have no case that matters. */
static void test_parse_as_typed(void **state)
{
	struct checkcode c;

	(void)state;
	assert_true(checkcode_parse("  cm1:KMB-SMG:K01:K01-000412:1207:\n 9C1F2A3B4C5D6E7F:57500\r\n",
	                            &c));
	assert_memory_equal(&c, &sample, sizeof c);
	assert_true(checkcode_parse("CM1:S:T:R:1:0000000000000000:0", &c));
	assert_int_equal(c.seq, 1);
	assert_int_equal(c.due, 0);
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"CM1",
		"CM2:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500",
		"CMX:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500:1",
		"CM1::K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB/SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K0123456789ABCDEF:K01-000412:1207:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K01:K01-000412:0:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K01:K01-000412:01207:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K01:K01-000412:-5:9c1f2a3b4c5d6e7f:57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7:57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f0:57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7x:57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:-57500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57.500",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:1234567890123456789",
		"CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:",
	};
	struct checkcode c;
	char longer[400];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&c, 0x55, sizeof c);
		if (checkcode_parse(bad[i], &c))
			fail_msg("took %s", bad[i]);
		assert_int_equal(c.seq, 0);
	}
	assert_false(checkcode_parse(NULL, &c));
	memset(longer, 'A', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "CM1:", 4);
	assert_false(checkcode_parse(longer, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_is_the_documented_form),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format_takes_a_hash_prefix),
		cmocka_unit_test(test_format_refuses_what_cannot_be_read_back),
		cmocka_unit_test(test_parse_as_typed),
		cmocka_unit_test(test_parse_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
