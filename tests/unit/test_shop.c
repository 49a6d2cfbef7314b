/* The online shop's pure parts (sync/hq/shop_rules.c, shop_code128.c,
 * shop_limit.c): pickup slots in the store's time with the cut-off,
 * quantities as members type them, refusals in words, Code 128 symbols
 * and their SVG, and the rate limiter's buckets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/money.h"
#include "shop_code128.h"
#include "shop_limit.h"
#include "shop_rules.h"
#include "web.h"

/* The messages as written (the server's web_tr translates them). */
const char *web_tr(const char *msgid)
{
	return msgid;
}

#define DEC6 INT64_C(1796515200)          /* 2026-12-06 00:00 UTC = 07:00 WIB */
#define H 3600

static struct shop_settings wib(void)
{
	struct shop_settings s;
	shop_settings_default(&s, "TOKO-A");
	s.open_min = 8 * 60;
	s.close_min = 11 * 60;
	s.slot_min = 60;
	s.cutoff_min = 30;
	return s;
}

static void test_slots_follow_the_store_clock_and_cut_off(void **state)
{
	(void)state;
	struct shop_settings s = wib();
	int64_t out[40];
	/* 07:45 WIB: the 08:00 slot closed at 07:30; 09:00 and 10:00 today. */
	size_t n = shop_slots(&s, DEC6 + 45 * 60, out, 40);
	assert_int_equal(n, 2 + 3 * (SHOP_SLOT_DAYS - 1));
	assert_int_equal(out[0], DEC6 + 2 * H);
	assert_int_equal(out[1], DEC6 + 3 * H);
	assert_int_equal(out[2], DEC6 + 24 * H + H);
	assert_int_equal(shop_slots(&s, DEC6, out, 1), 1);
	assert_int_equal(out[0], DEC6 + H);
}

static void test_slot_check_refuses_what_is_not_a_slot(void **state)
{
	(void)state;
	struct shop_settings s = wib();
	int64_t end = 0, now = DEC6 + 45 * 60;
	assert_int_equal(shop_slot_check(&s, now, DEC6 + 2 * H, &end), SHOP_FINE);
	assert_int_equal(end, DEC6 + 3 * H);
	assert_int_equal(shop_slot_check(&s, now, DEC6 + H, &end), SHOP_CUTOFF);
	assert_int_equal(shop_slot_check(&s, now, DEC6 + 2 * H + 60, &end), SHOP_BAD_SLOT);
	assert_int_equal(shop_slot_check(&s, now, DEC6 + 4 * H, &end), SHOP_BAD_SLOT);   /* 11:00 */
	assert_int_equal(shop_slot_check(&s, now, DEC6 - 22 * H, &end), SHOP_CUTOFF);    /* yesterday's 09:00 */
	assert_int_equal(shop_slot_check(&s, now, DEC6 + 2 * H + 7 * 24 * H, &end), SHOP_BAD_SLOT);
	assert_int_equal(shop_slot_check(&s, now, DEC6 + 2 * H + 6 * 24 * H, &end), SHOP_FINE);
}

static void test_local_times_read_and_written(void **state)
{
	(void)state;
	struct shop_settings s = wib();
	int64_t t = 0;
	char buf[64];
	assert_true(shop_local_parse(&s, "2026-12-06 09:00", &t));
	assert_int_equal(t, DEC6 + 2 * H);
	assert_false(shop_local_parse(&s, "2026-12-06 9", &t));
	assert_false(shop_local_parse(&s, "2026-13-06 09:00", &t));
	assert_false(shop_local_parse(&s, "2026-12-06 09:00x", &t));
	shop_slot_text(&s, DEC6 + 2 * H, DEC6 + 3 * H, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-06 09:00-10:00");
	s.tz_min = 540;                   /* WIT: the same instant is 11:00 */
	shop_slot_text(&s, DEC6 + 2 * H, DEC6 + 3 * H, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-06 11:00-12:00");
	shop_slot_text(&s, DEC6 - 10 * H, DEC6 - 9 * H, buf, sizeof buf);   /* 23:00 WIT */
	assert_string_equal(buf, "2026-12-05 23:00-24:00");
}

static void test_quantities_as_typed(void **state)
{
	(void)state;
	int64_t q = 0;
	assert_true(shop_qty_parse("2", &q));
	assert_int_equal(q, 2000);
	assert_true(shop_qty_parse("1,5", &q));
	assert_int_equal(q, 1500);
	assert_true(shop_qty_parse("0.25", &q));
	assert_int_equal(q, 250);
	assert_true(shop_qty_parse("999999", &q));
	assert_int_equal(q, 999999000);
	const char *bad[] = { "", "-1", "+1", " 1", "1 ", "1e3", "1,2345", "9999999", "1,", "abc",
	                      ",5", "1.5.1", "\xc2\xbd" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(shop_qty_parse(bad[i], &q));
	char buf[32];
	assert_string_equal(shop_qty_text(2000, buf, sizeof buf), "2");
	assert_string_equal(shop_qty_text(1500, buf, sizeof buf), "1,5");
	assert_string_equal(shop_qty_text(250, buf, sizeof buf), "0,25");
	assert_string_equal(shop_qty_text(1005, buf, sizeof buf), "1,005");
	/* 19,498.5: half away from zero, as the till rings the line */
	assert_int_equal(shop_line_amount(1500, 12999), 19499);
	assert_int_equal(shop_line_amount(1499, 12999), 19486);   /* 19,485.501 */
	assert_int_equal(shop_line_amount(1, 499), 0);            /* 0.499 */
	cm_money till;
	assert_int_equal(money_line_amount(12999, 1500, &till), CM_OK);
	assert_int_equal(shop_line_amount(1500, 12999), till);
}

static void test_member_text_is_checked(void **state)
{
	(void)state;
	assert_true(shop_text_ok("", 60));
	assert_true(shop_text_ok("gula", 4));
	assert_true(shop_text_ok("Kopi Latt\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\x9a", 60));
	assert_false(shop_text_ok("gulas", 4));
	assert_false(shop_text_ok("\xff\xfe", 60));             /* not UTF-8 */
	assert_false(shop_text_ok("\xc0\xaf", 60));             /* overlong '/' */
	assert_false(shop_text_ok("\xed\xa0\x80", 60));         /* a surrogate */
	assert_false(shop_text_ok("\xf4\x90\x80\x80", 60));     /* beyond U+10FFFF */
	assert_false(shop_text_ok("\xc3", 60));                 /* cut short */
	assert_false(shop_text_ok("a\tb", 60));
	assert_false(shop_text_ok("a\x7f", 60));
}

static void test_refusals_in_words(void **state)
{
	(void)state;
	char buf[300];
	struct shop_verdict v = { .why = SHOP_NOT_AVAILABLE, .sku = "TEH-25", .n = 4000 };
	shop_verdict_text(&v, buf, sizeof buf);
	assert_string_equal(buf, "Only 4 of TEH-25 are available.");
	v = (struct shop_verdict){ .why = SHOP_TOO_MANY, .n = 2 };
	shop_verdict_text(&v, buf, sizeof buf);
	assert_non_null(strstr(buf, "2 open orders"));
	for (int w = SHOP_FINE; w <= SHOP_NOT_AVAILABLE; w++) {
		v = (struct shop_verdict){ .why = (enum shop_why)w, .sku = "X" };
		buf[0] = '\0';
		shop_verdict_text(&v, buf, sizeof buf);
		assert_true(strlen(buf) > 10);
	}
}

static void test_code128_symbols(void **state)
{
	(void)state;
	char w[200];
	assert_true(code128_widths("OL-000123", w, sizeof w));
	/* start B, 9 characters, the check symbol, stop (7 elements). */
	assert_int_equal(strlen(w), 11 * 6 + 7);
	assert_memory_equal(w, "211214", 6);
	assert_string_equal(w + 11 * 6, "2331112");
	for (size_t i = 0; i < 11; i++) {
		int sum = 0;
		for (size_t k = 0; k < 6; k++)
			sum += w[i * 6 + k] - '0';
		assert_int_equal(sum, 11);
	}
	/* 'O' is value 47: 133121. The check: (104 + sum of i * value) % 103. */
	assert_memory_equal(w + 6, "133121", 6);
	int check = 104, i = 1;
	for (const char *p = "OL-000123"; *p; p++, i++)
		check += i * (*p - 32);
	assert_int_equal(check % 103, 25);
	assert_memory_equal(w + 10 * 6, "321122", 6);   /* value 25 */
	assert_false(code128_widths("OL-\n1", w, sizeof w));
	assert_false(code128_widths("Rp\xc3\xa9", w, sizeof w));
	assert_false(code128_widths("OL-000123", w, 40));
}

static void test_code128_svg(void **state)
{
	(void)state;
	struct html h = { 0 };
	code128_svg(&h, "OL-000001", 2, 64);
	assert_non_null(h.buf);
	assert_non_null(strstr(h.buf, "aria-label=\"OL-000001\""));
	/* One background, three bars per symbol, four in stop. */
	size_t rects = 0;
	for (const char *p = h.buf; (p = strstr(p, "<rect")); p++)
		rects++;
	assert_int_equal(rects, 1 + 11 * 3 + 4);
	/* 11 symbols of 11 modules, stop 13, quiet zones 10 each: 154 modules. */
	assert_non_null(strstr(h.buf, "width=\"308\""));
	free(h.buf);
	h = (struct html){ 0 };
	code128_svg(&h, "OL-\x01", 2, 64);
	assert_null(h.buf);
}

static void test_rate_limit_buckets(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		assert_true(shop_limit_take("login addr 10.0.0.7", 3, 10, 1000));
	assert_false(shop_limit_take("login addr 10.0.0.7", 3, 10, 1005));
	assert_true(shop_limit_take("login addr 10.0.0.8", 3, 10, 1005));   /* another key */
	assert_true(shop_limit_take("login addr 10.0.0.7", 3, 10, 1010));   /* one came back */
	assert_false(shop_limit_take("login addr 10.0.0.7", 3, 10, 1011));
	assert_true(shop_limit_take("login addr 10.0.0.7", 3, 10, 2000));   /* full again */
	assert_true(shop_limit_take("login addr 10.0.0.7", 3, 10, 2000));
	assert_true(shop_limit_take("login addr 10.0.0.7", 3, 10, 2000));
	assert_false(shop_limit_take("login addr 10.0.0.7", 3, 10, 2000));
	/* A flood of new keys neither grows the table nor fails. */
	char key[40];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "pages 10.1.%d.%d", i / 256, i % 256);
		assert_true(shop_limit_take(key, 5, 1, 3000));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots_follow_the_store_clock_and_cut_off),
		cmocka_unit_test(test_slot_check_refuses_what_is_not_a_slot),
		cmocka_unit_test(test_local_times_read_and_written),
		cmocka_unit_test(test_quantities_as_typed),
		cmocka_unit_test(test_member_text_is_checked),
		cmocka_unit_test(test_refusals_in_words),
		cmocka_unit_test(test_code128_symbols),
		cmocka_unit_test(test_code128_svg),
		cmocka_unit_test(test_rate_limit_buckets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
