/* barcode.c against GS1 arithmetic written apart from it, in Python
 * (gtin_outside.py next to this file): check digits and catalogue keys of
 * 20,000 random GTIN-length numbers (a third with a wrong check digit),
 * price/weight verifiers, and verified price labels with misreads where
 * two price digits swapped places. python-stdnum is not available here;
 * the script follows the GS1 General Specifications instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/barcode.h"

static const struct scale_format label_fmt = { "23", "PPIIIIVRRRRRC" };

static void check_gtin(const char *in, const char *want, unsigned long *n)
{
	struct barcode b;
	enum cm_rc rc = barcode_parse(in, &label_fmt, 1, &b);
	if (strcmp(want, "-") == 0) {
		if (rc != CM_INVALID || b.fault != BC_FAULT_CHECK)
			fail_msg("%s: accepted, GS1 says the check digit is wrong", in);
	} else if (rc != CM_OK || strcmp(b.code, want) != 0 || b.kind == BC_TEXT) {
		fail_msg("%s: key \"%s\" (rc %d), GS1 says %s", in, b.code, rc, want);
	}
	n[0]++;
}

static void check_verifier(const char *digits, const char *want, unsigned long *n)
{
	int v = barcode_value_verifier(digits, strlen(digits));
	if (v != atoi(want))
		fail_msg("verifier of %s: %d, GS1 says %s", digits, v, want);
	n[1]++;
}

static void check_label(const char *label, const char *want, unsigned long *n)
{
	struct barcode b;
	enum cm_rc rc = barcode_parse(label, &label_fmt, 1, &b);
	if (strcmp(want, "-") == 0) {
		if (rc != CM_INVALID || b.fault != BC_FAULT_VERIFIER)
			fail_msg("%s: read (price %lld), its verifier is wrong", label,
			         (long long)b.price);
		n[3]++;
	} else if (rc != CM_OK || b.kind != BC_SCALE || b.price != atoll(want)) {
		fail_msg("%s: rc %d price %lld, GS1 says %s", label, rc, (long long)b.price, want);
	}
	n[2]++;
}

static void test_against_independent_gs1(void **state)
{
	(void)state;
	char cmd[2048], dir[1024];
	snprintf(dir, sizeof dir, "%s", __FILE__);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	snprintf(cmd, sizeof cmd, "python3 '%s/gtin_outside.py' 17 20000", slash ? dir : ".");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[128], kind[4], a[64], b[64];
	unsigned long n[4] = { 0 };
	while (fgets(line, sizeof line, p)) {
		if (sscanf(line, "%3s %63s %63s", kind, a, b) != 3)
			fail_msg("bad line from the script: %s", line);
		if (kind[0] == 'G')
			check_gtin(a, b, n);
		else if (kind[0] == 'V')
			check_verifier(a, b, n);
		else
			check_label(a, b, n);
	}
	assert_int_equal(pclose(p), 0);
	/* the script ran and its cases were many of each kind */
	assert_true(n[0] > 19000);
	assert_int_equal(n[1], 5000);
	assert_int_equal(n[2], 5000);
	assert_true(n[3] > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_independent_gs1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
