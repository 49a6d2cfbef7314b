/* shu.c: the SHU's pools, each member's share by largest remainder, the
 * year a sale or a return counts in, and the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/shu.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

__extension__ typedef unsigned __int128 u128;

/* The eight pools of a typical AD/ART, adding up to 100%. */
static void year_2026(struct shu_year *y, cm_money amount)
{
	static const struct { const char *name; int32_t bp; } p[] = {
		{ "cadangan", 2500 }, { "jasa-usaha", 3500 }, { "jasa-modal", 2000 },
		{ "pengurus", 500 }, { "karyawan", 500 }, { "pendidikan", 500 },
		{ "sosial", 250 }, { "pembangunan-daerah-kerja", 250 },
	};
	memset(y, 0, sizeof *y);
	y->year = 2026;
	y->amount = amount;
	for (size_t i = 0; i < N(p); i++) {
		strcpy(y->pools[i].name, p[i].name);
		y->pools[i].bp = p[i].bp;
	}
	y->npools = N(p);
	shu_rules_default(&y->rules);
}

static void member(struct shu_member *m, const char *no, cm_money bought, cm_money returned,
                   cm_money saved)
{
	memset(m, 0, sizeof *m);
	strcpy(m->number, no);
	m->bought = bought;
	m->returned = returned;
	for (int i = 0; i < 12; i++)
		m->balance[i] = saved;
}

/* The example: SHU Rp200.000.000, jasa usaha 35%, jasa modal 20%;
 * Sari bought Rp12.500.000 and returned Rp500.000 of all members'
 * Rp3.000.000.000 net, and holds Rp2.400.000 of Rp800.000.000 savings. */
static void test_worked_example(void **state)
{
	(void)state;
	struct shu_year y;
	struct shu_member m[2];
	struct shu_totals t;
	char err[200];
	year_2026(&y, 200000000);
	member(&m[0], "A-0001", 12500000, 500000, 2400000);
	member(&m[1], "A-0002", 2988000000LL, 0, 797600000);
	assert_int_equal(shu_compute(&y, m, 2, 3100000000LL, &t, err, sizeof err), CM_OK);
	assert_int_equal(t.pool[SHU_USAHA], 70000000);
	assert_int_equal(t.pool[SHU_MODAL], 40000000);
	assert_int_equal(t.purchases, 3000000000LL);
	assert_int_equal(t.savings, 800000000);
	assert_int_equal(m[0].purchases, 12000000);
	assert_int_equal(m[0].share[SHU_USAHA], 280000);
	assert_int_equal(m[0].share[SHU_MODAL], 120000);
	assert_int_equal(m[0].share[SHU_USAHA] + m[0].share[SHU_MODAL], 400000);
	assert_int_equal(t.paid[SHU_USAHA], 70000000);
	assert_int_equal(t.paid[SHU_MODAL], 40000000);
	cm_money all = 0;
	for (size_t i = 0; i < y.npools; i++)
		all += y.pools[i].amount;
	assert_int_equal(all, 200000000);
}

static void test_pools_must_add_up_to_100(void **state)
{
	(void)state;
	struct shu_year y;
	struct shu_totals t;
	char err[200];
	year_2026(&y, 200000000);
	y.pools[6].bp = 200;      /* sosial 2% : 99,5% in all */
	assert_int_equal(shu_compute(&y, NULL, 0, 0, &t, err, sizeof err), CM_INVALID);
	assert_non_null(strstr(err, "99,5%"));
	y.pools[6].bp = 350;
	assert_int_equal(shu_compute(&y, NULL, 0, 0, &t, err, sizeof err), CM_INVALID);
	assert_non_null(strstr(err, "101%"));
}

/* Thirds of 100: one rupiah left over twice; the pool listed first gets it. */
static void test_pools_paid_out_exactly(void **state)
{
	(void)state;
	struct shu_pool p[3] = { { "a", 3334, 0 }, { "b", 3333, 0 }, { "c", 3333, 0 } };
	int64_t sum;
	assert_int_equal(shu_pools_split(100, p, 3, &sum), CM_OK);
	assert_int_equal(p[0].amount, 34);
	assert_int_equal(p[1].amount, 33);
	assert_int_equal(p[2].amount, 33);
	struct shu_pool q[3] = { { "a", 3333, 0 }, { "b", 3333, 0 }, { "c", 3334, 0 } };
	assert_int_equal(shu_pools_split(2, q, 3, &sum), CM_OK);
	assert_int_equal(q[0].amount + q[1].amount + q[2].amount, 2);
	assert_int_equal(q[2].amount, 1);   /* the largest remainder */
	assert_int_equal(q[0].amount, 1);   /* a tie: listed first */
}

static void test_ties_go_by_member_number(void **state)
{
	(void)state;
	int64_t w[3] = { 5, 5, 5 };
	cm_money out[3], rest;
	assert_int_equal(shu_share_out(100, w, 3, 0, out, &rest), CM_OK);
	assert_int_equal(out[0], 34);
	assert_int_equal(out[1], 33);
	assert_int_equal(out[2], 33);
	assert_int_equal(rest, 0);
	assert_int_equal(shu_share_out(2, w, 3, 0, out, &rest), CM_OK);
	assert_int_equal(out[0] + out[1] + out[2], 2);
	assert_int_equal(out[2], 0);
}

/* 7919 members with uneven weights and a prime pool: every rupiah paid,
 * each share the exact quotient rounded down or one more, and those with
 * one more are exactly the largest remainders (ties by number). */
static void test_thousands_of_members_exact(void **state)
{
	(void)state;
	enum { M = 7919 };
	const cm_money pool = 1000000007;
	int64_t *w = malloc(M * sizeof *w);
	cm_money *out = malloc(M * sizeof *out), rest;
	u128 sum = 0;
	uint64_t x = 88172645463325252ULL;
	assert_non_null(w);
	assert_non_null(out);
	for (int i = 0; i < M; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		w[i] = (int64_t)(x % 50000000) * (i % 7 ? 100 : 37) + (i % 3 ? 0 : 99);
		if (i % 101 == 0)
			w[i] = 0;
		sum += (u128)w[i];
	}
	assert_int_equal(shu_share_out(pool, w, M, 0, out, &rest), CM_OK);
	cm_money paid = rest;
	u128 min_up = (u128)-1, max_down = 0;
	int ups = 0;
	for (int i = 0; i < M; i++) {
		u128 p = (u128)pool * (u128)w[i];
		cm_money fl = (cm_money)(p / sum);
		u128 r = p % sum;
		paid += out[i];
		assert_true(out[i] == fl || out[i] == fl + 1);
		if (w[i] == 0)
			assert_int_equal(out[i], 0);
		if (out[i] == fl + 1) {
			ups++;
			min_up = r < min_up ? r : min_up;
		} else if (r > max_down) {
			max_down = r;
		}
	}
	assert_int_equal(paid, pool);
	assert_true(ups > 0);
	assert_true(min_up >= max_down);
	free(w);
	free(out);
}

/* Turnover as the denominator: non-members' part of jasa usaha is not
 * shared; jasa modal still goes out whole. */
static void test_turnover_denominator(void **state)
{
	(void)state;
	struct shu_year y;
	struct shu_member m[2];
	struct shu_totals t;
	char err[200];
	year_2026(&y, 200000000);
	assert_int_equal(shu_rule_set(&y.rules, "denominator", "turnover"), CM_OK);
	member(&m[0], "A-0001", 12000000, 0, 2400000);
	member(&m[1], "A-0002", 2988000000LL, 0, 797600000);
	assert_int_equal(shu_compute(&y, m, 2, 6000000000LL, &t, err, sizeof err), CM_OK);
	assert_int_equal(m[0].share[SHU_USAHA], 140000);
	assert_int_equal(t.paid[SHU_USAHA] + t.unshared[SHU_USAHA], 70000000);
	assert_int_equal(t.unshared[SHU_USAHA], 35000000);
	assert_int_equal(t.paid[SHU_MODAL], 40000000);
}

/* A sale rung up on 31 December and paid after midnight carries the
 * business date of the day it was opened under: that year's. */
static void test_sale_across_midnight_counts_by_business_date(void **state)
{
	(void)state;
	struct shu_member m;
	member(&m, "A-0001", 0, 0, 0);
	assert_true(shu_member_add(&m, 2026, 20261231, 150000, false));
	assert_false(shu_member_add(&m, 2027, 20261231, 150000, false));
	assert_true(shu_member_add(&m, 2026, 20260101, 50000, false));
	assert_false(shu_member_add(&m, 2026, 20270101, 70000, false));
	assert_int_equal(m.bought, 200000);
	assert_true(shu_in_year(2027, 20270101));
}

/* A return of last year's sale counts in the year of the return (last
 * year's SHU was shared out at its RAT); purchases never go below 0. */
static void test_return_of_previous_year_counts_in_its_own_year(void **state)
{
	(void)state;
	struct shu_year y;
	struct shu_member m26[2], m27[2];
	struct shu_totals t;
	char err[200];
	year_2026(&y, 1000000);
	member(&m26[0], "A-0001", 0, 0, 0);
	member(&m26[1], "A-0002", 0, 0, 0);
	member(&m27[0], "A-0001", 0, 0, 0);
	member(&m27[1], "A-0002", 0, 0, 0);
	/* A-0001 bought Rp1.000.000 in 2026, returned Rp200.000 of it on
	 * 3 January 2027 and bought Rp300.000 in 2027; A-0002 only returned
	 * Rp100.000 of a 2026 sale in 2027. */
	const struct { int who; int32_t date; cm_money amount; bool ret; } mv[] = {
		{ 0, 20260510, 1000000, false }, { 1, 20261201, 400000, false },
		{ 0, 20270103, 200000, true }, { 0, 20270204, 300000, false },
		{ 1, 20270105, 100000, true },
	};
	for (size_t i = 0; i < N(mv); i++) {
		shu_member_add(&m26[mv[i].who], 2026, mv[i].date, mv[i].amount, mv[i].ret);
		shu_member_add(&m27[mv[i].who], 2027, mv[i].date, mv[i].amount, mv[i].ret);
	}
	assert_int_equal(shu_compute(&y, m26, 2, 1400000, &t, err, sizeof err), CM_OK);
	assert_int_equal(m26[0].purchases, 1000000);
	assert_int_equal(m26[1].purchases, 400000);
	y.year = 2027;
	assert_int_equal(shu_compute(&y, m27, 2, 0, &t, err, sizeof err), CM_OK);
	assert_int_equal(m27[0].purchases, 100000);
	assert_int_equal(m27[1].purchases, 0);
	assert_int_equal(m27[1].share[SHU_USAHA], 0);
	assert_int_equal(m27[0].share[SHU_USAHA], 350000);
}

/* Inactive members: excluded (their part goes to the others) or at a
 * reduced share; monthly average savings. */
static void test_inactive_and_monthly_average(void **state)
{
	(void)state;
	struct shu_year y;
	struct shu_member m[2];
	struct shu_totals t;
	char err[200];
	year_2026(&y, 100000000);      /* jasa usaha Rp35.000.000 */
	member(&m[0], "A-0001", 1000000, 0, 0);
	member(&m[1], "A-0002", 1000000, 0, 0);
	m[1].inactive = true;
	assert_int_equal(shu_rule_set(&y.rules, "inactive", "exclude"), CM_OK);
	assert_int_equal(shu_compute(&y, m, 2, 0, &t, err, sizeof err), CM_OK);
	assert_int_equal(m[0].share[SHU_USAHA], 35000000);
	assert_int_equal(m[1].share[SHU_USAHA], 0);
	assert_int_equal(shu_rule_set(&y.rules, "inactive", "reduce:40"), CM_OK);
	assert_int_equal(shu_compute(&y, m, 2, 0, &t, err, sizeof err), CM_OK);
	assert_int_equal(m[0].share[SHU_USAHA], 25000000);
	assert_int_equal(m[1].share[SHU_USAHA], 10000000);
	/* Savings: Rp1.200.000 paid in July (6 month ends) against
	 * Rp600.000 all year: equal averages. */
	assert_int_equal(shu_rule_set(&y.rules, "savings", "monthly-average"), CM_OK);
	assert_int_equal(shu_rule_set(&y.rules, "inactive", "include"), CM_OK);
	for (int i = 0; i < 12; i++) {
		m[0].balance[i] = i >= 6 ? 1200000 : 0;
		m[1].balance[i] = 600000;
	}
	assert_int_equal(shu_compute(&y, m, 2, 0, &t, err, sizeof err), CM_OK);
	assert_int_equal(m[0].savings, 600000);
	assert_int_equal(m[0].share[SHU_MODAL], 10000000);
	assert_int_equal(m[1].share[SHU_MODAL], 10000000);
}

static void test_percent_and_rules_text(void **state)
{
	(void)state;
	int32_t bp;
	char buf[32];
	const struct { const char *in; int32_t bp; } good[] = {
		{ "35", 3500 }, { "35%", 3500 }, { "12,5", 1250 }, { "12.5%", 1250 },
		{ "0,25", 25 }, { "100", 10000 }, { "3500bp", 3500 }, { "0", 0 },
	};
	for (size_t i = 0; i < N(good); i++) {
		assert_int_equal(shu_percent_parse(good[i].in, &bp), CM_OK);
		assert_int_equal(bp, good[i].bp);
	}
	const char *bad[] = { "", "-5", "100.01", "12.125", "abc", "35%%", "10001bp", "bp",
	                      "1e2", "35 %" };
	for (size_t i = 0; i < N(bad); i++)
		assert_int_equal(shu_percent_parse(bad[i], &bp), CM_INVALID);
	shu_percent_format(1250, buf, sizeof buf);
	assert_string_equal(buf, "12,5%");
	shu_percent_format(25, buf, sizeof buf);
	assert_string_equal(buf, "0,25%");
	struct shu_rules r;
	shu_rules_default(&r);
	for (const char *const *n = shu_rule_names; *n; n++) {
		shu_rule_value(&r, *n, buf, sizeof buf);
		assert_int_equal(shu_rule_set(&r, *n, buf), CM_OK);
	}
	shu_rule_value(&r, "denominator", buf, sizeof buf);
	assert_string_equal(buf, "members");
	assert_int_equal(shu_rule_set(&r, "inactive", "reduce:100"), CM_INVALID);
	assert_int_equal(shu_rule_set(&r, "savings", "average"), CM_INVALID);
	assert_int_equal(shu_rule_set(&r, "colour", "red"), CM_NOTFOUND);
	assert_true(shu_pool_name_valid("pembangunan-daerah-kerja"));
	assert_false(shu_pool_name_valid("Jasa Usaha"));
	assert_int_equal(shu_pool_member("jasa-modal"), SHU_MODAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_pools_must_add_up_to_100),
		cmocka_unit_test(test_pools_paid_out_exactly),
		cmocka_unit_test(test_ties_go_by_member_number),
		cmocka_unit_test(test_thousands_of_members_exact),
		cmocka_unit_test(test_turnover_denominator),
		cmocka_unit_test(test_sale_across_midnight_counts_by_business_date),
		cmocka_unit_test(test_return_of_previous_year_counts_in_its_own_year),
		cmocka_unit_test(test_inactive_and_monthly_average),
		cmocka_unit_test(test_percent_and_rules_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
