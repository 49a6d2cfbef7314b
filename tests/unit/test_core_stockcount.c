/* Stock count arithmetic and report rows (pos/core/stockcount.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/stockcount.h"

static void test_expected_is_snapshot_plus_movements(void **state)
{
	(void)state;
	cm_qty e;
	/* 50 at the start; two sales of 3 and 1, a delivery of 24 during
	 * the count. */
	const cm_qty moves[] = { -3000, -1000, 24000 };
	assert_int_equal(count_expected(50000, moves, 3, &e), CM_OK);
	assert_int_equal(e, 70000);
	assert_int_equal(count_expected(50000, NULL, 0, &e), CM_OK);
	assert_int_equal(e, 50000);
	/* Weighed: 2,5 kg at the start, 0,75 kg and 1,125 kg sold. */
	const cm_qty kg[] = { -750, -1125 };
	assert_int_equal(count_expected(2500, kg, 2, &e), CM_OK);
	assert_int_equal(e, 625);
	/* Oversold during the count: expected goes negative, as the ledger. */
	const cm_qty over[] = { -4000 };
	assert_int_equal(count_expected(3000, over, 1, &e), CM_OK);
	assert_int_equal(e, -1000);
	const cm_qty big[] = { INT64_MAX };
	assert_int_equal(count_expected(1, big, 1, &e), CM_INVALID);
}

static void test_add_and_replace(void **state)
{
	(void)state;
	cm_qty t;
	assert_int_equal(count_apply(COUNT_ADD, 0, 12000, &t), CM_OK);
	assert_int_equal(t, 12000);
	assert_int_equal(count_apply(COUNT_ADD, t, 6000, &t), CM_OK);
	assert_int_equal(t, 18000);
	assert_int_equal(count_apply(COUNT_REPLACE, t, 17000, &t), CM_OK);
	assert_int_equal(t, 17000);
	assert_int_equal(count_apply(COUNT_REPLACE, t, 0, &t), CM_OK);
	assert_int_equal(t, 0);
	assert_int_equal(count_apply(COUNT_ADD, 0, -1000, &t), CM_INVALID);
	assert_int_equal(count_apply(COUNT_ADD, COUNT_QTY_MAX, 1, &t), CM_INVALID);
	assert_int_equal(count_apply(COUNT_REPLACE, COUNT_QTY_MAX, COUNT_QTY_MAX, &t), CM_OK);
}

static void test_qty_parse(void **state)
{
	(void)state;
	cm_qty q;
	assert_int_equal(count_qty_parse("0", false, &q), CM_OK);
	assert_int_equal(q, 0);
	assert_int_equal(count_qty_parse("0,000", true, &q), CM_OK);
	assert_int_equal(q, 0);
	assert_int_equal(count_qty_parse("24", false, &q), CM_OK);
	assert_int_equal(q, 24000);
	assert_int_equal(count_qty_parse("1,25", true, &q), CM_OK);
	assert_int_equal(q, 1250);
	assert_int_equal(count_qty_parse("0.5", true, &q), CM_OK);
	assert_int_equal(q, 500);
	assert_int_equal(count_qty_parse("1,5", false, &q), CM_INVALID);
	assert_int_equal(count_qty_parse("-2", false, &q), CM_INVALID);
	assert_int_equal(count_qty_parse("", false, &q), CM_INVALID);
	assert_int_equal(count_qty_parse("0,", true, &q), CM_INVALID);
	assert_int_equal(count_qty_parse("0,0001", true, &q), CM_INVALID);
	assert_int_equal(count_qty_parse("abc", false, &q), CM_INVALID);
}

static void test_value_at_cost(void **state)
{
	(void)state;
	assert_int_equal(stock_value(-2000, 2800), -5600);
	assert_int_equal(stock_value(750, 45000), 33750);
	/* half away from zero: 0,001 kg x Rp500 = 0,5 -> 1 */
	assert_int_equal(stock_value(1, 500), 1);
	assert_int_equal(stock_value(-1, 500), -1);
	assert_int_equal(stock_value(INT64_MAX, 1000000), INT64_MAX);
	assert_int_equal(stock_value(INT64_MIN + 1, 1000000), INT64_MIN);
}

static void row(struct stock_row *r, const char *sku, cm_qty variance, cm_money cost)
{
	memset(r, 0, sizeof *r);
	strcpy(r->sku, sku);
	r->variance = variance;
	r->cost = cost;
	r->value = stock_value(variance, cost);
}

static void test_sort_by_absolute_value(void **state)
{
	(void)state;
	struct stock_row r[5];
	row(&r[0], "A", -1000, 1000);    /* -1.000 */
	row(&r[1], "B", 3000, 5000);     /* 15.000 */
	row(&r[2], "C", -2000, 10000);   /* -20.000 */
	row(&r[3], "D", 5000, 0);        /* 0, 5 units */
	row(&r[4], "E", 1000, 0);        /* 0, 1 unit */
	stock_rows_sort_by_value(r, 5);
	assert_string_equal(r[0].sku, "C");
	assert_string_equal(r[1].sku, "B");
	assert_string_equal(r[2].sku, "A");
	assert_string_equal(r[3].sku, "D");
	assert_string_equal(r[4].sku, "E");
}

static void test_csv_rows(void **state)
{
	(void)state;
	char buf[256];
	struct stock_row r;
	row(&r, "IND-001", -2000, 2800);
	strcpy(r.name, "Indomie \"Goreng\", 85 g");
	strcpy(r.unit, "pcs");
	r.expected = 47000;
	r.qty = 45000;
	r.counted = true;
	stock_report_header(REPORT_VARIANCE, true, buf, sizeof buf);
	assert_string_equal(buf, "sku;name;unit;expected;counted;variance;cost;value");
	stock_report_line(REPORT_VARIANCE, &r, true, buf, sizeof buf);
	assert_string_equal(buf, "IND-001;\"Indomie \"\"Goreng\"\", 85 g\";pcs;47;45;-2;2800;-5600");
	r.counted = false;
	r.qty = 0;
	r.variance = -750;
	r.value = stock_value(r.variance, r.cost);
	stock_report_line(REPORT_VARIANCE, &r, true, buf, sizeof buf);
	assert_string_equal(buf, "IND-001;\"Indomie \"\"Goreng\"\", 85 g\";pcs;47;;-0,75;2800;-2100");
	/* Text: fixed columns, cut names, display quantities. */
	strcpy(r.name, "A very long item name that will not fit in the column");
	size_t len = stock_report_line(REPORT_VARIANCE, &r, false, buf, sizeof buf);
	assert_int_equal(len, strlen(buf));
	assert_int_equal(strncmp(buf, "IND-001    A very long~the column ", 34), 0); /* no initials fit */
	assert_null(strstr(buf, "that"));
	assert_true(len <= 78);
	assert_non_null(strstr(buf, "-0,75"));
	/* Small buffers are never overrun. */
	char small[8];
	size_t need = stock_report_line(REPORT_VARIANCE, &r, true, small, sizeof small);
	assert_true(need > sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
}

/* A cut name keeps what tells items apart: two sizes or two variants of
 * one product must not look alike in the review (characters are counted,
 * not bytes). */
static void test_text_names_keep_their_size(void **state)
{
	(void)state;
	char a[256], b[256];
	struct stock_row r;
	row(&r, "D00001", -1000, 11600);
	strcpy(r.unit, "pcs");
	strcpy(r.name, "Beras Cap Bunga Premium 1 kg");
	stock_report_line(REPORT_VARIANCE, &r, false, a, sizeof a);
	strcpy(r.name, "Beras Cap Bunga Premium 500 g");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(a, "D00001     B.C.B. Premium 1 kg    ", 34), 0);
	assert_int_equal(strncmp(b, "D00001     B.C.B. Premium 500 g   ", 34), 0);
	assert_int_equal(strlen(a), strlen(b));
	/* Variants: only as many first words shrink as must. */
	strcpy(r.name, "Beras Cap Bunga Pandan Wangi 10 kg");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     B.C.B.P. Wangi 10 kg   ", 34), 0);
	strcpy(r.name, "Beras Maknyuss Medium 10 kg");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     B.M. Medium 10 kg      ", 34), 0);
	/* UTF-8: an initial of two bytes, the columns still line up. */
	strcpy(r.name, "\xc3\x89" "clair Kapal Api Spesial Mix 10 x 25 g");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     \xc3\x89.K.A.S. Mix 10 x 25 g ", 35), 0);
	assert_int_equal(strlen(b), strlen(a) + 1);
	/* A name that fits is left alone; when initials are not enough the
	 * middle goes, and a single long word keeps its last characters. */
	strcpy(r.name, "Gula Pasir 1 kg");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     Gula Pasir 1 kg        ", 34), 0);
	strcpy(r.name, "Susu Kental Manis Frisian Flag Kaleng Gold Premium Besar 370 g");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     Susu Kental Mani~370 g ", 34), 0);
	strcpy(r.name, "Minyakgorengkemasansederhana");
	stock_report_line(REPORT_VARIANCE, &r, false, b, sizeof b);
	assert_int_equal(strncmp(b, "D00001     Minyakgore~ansederhana ", 34), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_is_snapshot_plus_movements),
		cmocka_unit_test(test_add_and_replace),
		cmocka_unit_test(test_qty_parse),
		cmocka_unit_test(test_value_at_cost),
		cmocka_unit_test(test_sort_by_absolute_value),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_text_names_keep_their_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
