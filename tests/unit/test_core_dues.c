/* dues.c: months, the dated rate schedule, and what a member owes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/dues.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Two types; wajib for "biasa" rises from Rp25.000 to Rp30.000 in July
 * 2026. Not in order: the table comes from the database. */
static const struct dues_rate table[] = {
	{ "biasa", DUES_WAJIB, 202607, 30000 },
	{ "biasa", DUES_POKOK, 202001, 100000 },
	{ "biasa", DUES_WAJIB, 202001, 25000 },
	{ "karyawan", DUES_WAJIB, 202001, 50000 },
	{ "biasa", DUES_POKOK, 202601, 250000 },
};
static const struct dues_rates rates = { table, N(table) };

static void test_kinds_and_months(void **state)
{
	(void)state;
	enum dues_kind k;
	int32_t m;
	char buf[16];
	assert_int_equal(dues_kind_parse("Wajib", &k), CM_OK);
	assert_int_equal(k, DUES_WAJIB);
	assert_int_equal(dues_kind_parse("sukarela", &k), CM_OK);
	assert_int_equal(k, DUES_SUKARELA);
	assert_int_equal(dues_kind_parse("pokok ", &k), CM_INVALID);
	assert_string_equal(dues_kind_name(DUES_POKOK), "pokok");

	assert_int_equal(dues_month_parse("2026-09", &m), CM_OK);
	assert_int_equal(m, 202609);
	assert_int_equal(dues_month_parse("202612", &m), CM_OK);
	assert_int_equal(m, 202612);
	static const char *const bad[] = { "", "2026-13", "2026-00", "2026-9", "26-09",
		                           "2026/09", "20260901", "abcd-09", "2026-0x", "1899-12" };
	for (size_t i = 0; i < N(bad); i++)
		assert_int_equal(dues_month_parse(bad[i], &m), CM_INVALID);

	assert_int_equal(dues_month_add(202611, 1), 202612);
	assert_int_equal(dues_month_add(202612, 1), 202701);
	assert_int_equal(dues_month_add(202701, -1), 202612);
	assert_int_equal(dues_month_add(202601, 25), 202802);
	assert_int_equal(dues_month_diff(202611, 202702), 3);
	assert_int_equal(dues_month_diff(202702, 202611), -3);
	assert_int_equal(dues_month_of_date(20261231), 202612);
	dues_month_format(202609, buf, sizeof buf);
	assert_string_equal(buf, "2026-09");
}

static void test_rate_in_force(void **state)
{
	(void)state;
	assert_int_equal(dues_rate(&rates, "biasa", DUES_WAJIB, 202606), 25000);
	assert_int_equal(dues_rate(&rates, "biasa", DUES_WAJIB, 202607), 30000);
	assert_int_equal(dues_rate(&rates, "biasa", DUES_WAJIB, 203001), 30000);
	assert_int_equal(dues_rate(&rates, "biasa", DUES_WAJIB, 201912), 0);
	assert_int_equal(dues_rate(&rates, "karyawan", DUES_WAJIB, 202607), 50000);
	assert_int_equal(dues_rate(&rates, "luar biasa", DUES_WAJIB, 202607), 0);
	assert_int_equal(dues_rate(&rates, "biasa", DUES_SUKARELA, 202607), 0);
}

/* Joined in April 2026, paid April and May; now September: June at the
 * old rate, July to September at the new one. */
static void test_arrears_across_a_rate_change(void **state)
{
	(void)state;
	struct dues_member m = { "biasa", 20260410, 0 };
	struct dues_paid paid[] = { { 202605, 25000 }, { 202604, 25000 } };
	struct dues_owed owed[8];
	struct dues_standing st;
	size_t n = dues_owed(&rates, &m, paid, N(paid), 202609, owed, N(owed), &st);
	assert_int_equal(n, 4);
	assert_int_equal(st.months, 4);
	assert_int_equal(st.arrears, 25000 + 3 * 30000);
	assert_int_equal(st.oldest, 202606);
	assert_int_equal(st.through, 202605);
	assert_int_equal(st.paid_until, 202605);
	assert_int_equal(owed[0].month, 202606);
	assert_int_equal(owed[0].amount, 25000);
	assert_int_equal(owed[1].month, 202607);
	assert_int_equal(owed[1].amount, 30000);
	assert_int_equal(owed[3].month, 202609);
	/* Only what fits is written; the count and totals cover all. */
	n = dues_owed(&rates, &m, paid, N(paid), 202609, owed, 2, &st);
	assert_int_equal(n, 4);
	assert_int_equal(st.arrears, 115000);
	n = dues_owed(&rates, &m, paid, N(paid), 202609, NULL, 0, &st);
	assert_int_equal(n, 4);
}

/* A member who joins on the 28th owes that month; pokok is the rate of
 * the month of joining. */
static void test_joined_mid_month(void **state)
{
	(void)state;
	struct dues_member m = { "biasa", 20260928, 0 };
	struct dues_standing st;
	struct dues_owed owed[4];
	size_t n = dues_owed(&rates, &m, NULL, 0, 202609, owed, N(owed), &st);
	assert_int_equal(n, 1);
	assert_int_equal(owed[0].month, 202609);
	assert_int_equal(owed[0].amount, 30000);
	assert_int_equal(st.through, 0);
	/* Before joining nothing is owed. */
	n = dues_owed(&rates, &m, NULL, 0, 202608, owed, N(owed), &st);
	assert_int_equal(n, 0);
	assert_int_equal(st.months, 0);
	assert_int_equal(dues_pokok_owed(&rates, &m, 0), 250000);
	assert_int_equal(dues_pokok_owed(&rates, &m, 100000), 150000);
	assert_int_equal(dues_pokok_owed(&rates, &m, 300000), 0);
	struct dues_member old = { "biasa", 20250301, 0 };
	assert_int_equal(dues_pokok_owed(&rates, &old, 0), 100000);
}

/* A member who left in June owes through June and nothing after. */
static void test_left_member(void **state)
{
	(void)state;
	struct dues_member m = { "biasa", 20260101, 20260615 };
	struct dues_paid paid[] = { { 202601, 25000 }, { 202602, 25000 }, { 202603, 25000 } };
	struct dues_standing st;
	size_t n = dues_owed(&rates, &m, paid, N(paid), 202612, NULL, 0, &st);
	assert_int_equal(n, 3);
	assert_int_equal(st.arrears, 75000);
	assert_int_equal(st.through, 202603);
	/* Paid up to leaving: nothing owed, ever. */
	struct dues_paid all[] = { { 202601, 25000 }, { 202602, 25000 }, { 202603, 25000 },
		                   { 202604, 25000 }, { 202605, 25000 }, { 202606, 25000 } };
	n = dues_owed(&rates, &m, all, N(all), 202612, NULL, 0, &st);
	assert_int_equal(n, 0);
	assert_int_equal(st.arrears, 0);
	assert_int_equal(st.through, 202606);
}

/* A short month owes the difference; two part payments of one month add;
 * a gap stops "through"; months paid ahead extend it. */
static void test_short_gaps_and_ahead(void **state)
{
	(void)state;
	struct dues_member m = { "karyawan", 20260801, 0 };
	struct dues_paid paid[] = { { 202608, 50000 }, { 202609, 20000 }, { 202610, 50000 },
		                    { 202609, 10000 } };
	struct dues_owed owed[4];
	struct dues_standing st;
	size_t n = dues_owed(&rates, &m, paid, N(paid), 202611, owed, N(owed), &st);
	assert_int_equal(n, 2);
	assert_int_equal(owed[0].month, 202609);
	assert_int_equal(owed[0].amount, 20000);
	assert_int_equal(owed[1].month, 202611);
	assert_int_equal(st.arrears, 70000);
	assert_int_equal(st.through, 202608);
	assert_int_equal(st.paid_until, 202610);

	struct dues_paid ahead[] = { { 202608, 50000 }, { 202609, 50000 }, { 202610, 50000 },
		                     { 202611, 50000 }, { 202612, 50000 }, { 202701, 50000 },
		                     { 202703, 50000 } };
	n = dues_owed(&rates, &m, ahead, N(ahead), 202611, owed, N(owed), &st);
	assert_int_equal(n, 0);
	assert_int_equal(st.through, 202701);
	assert_int_equal(st.paid_until, 202703);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_and_months),
		cmocka_unit_test(test_rate_in_force),
		cmocka_unit_test(test_arrears_across_a_rate_change),
		cmocka_unit_test(test_joined_mid_month),
		cmocka_unit_test(test_left_member),
		cmocka_unit_test(test_short_gaps_and_ahead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
