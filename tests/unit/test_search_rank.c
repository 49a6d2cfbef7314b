/* Name search at catalogue scale: when a query matches more items than
 * are worth ranking by text (over 300), the items this till sells most
 * come first, counted by the sales themselves (item_sales, kept by a
 * trigger on sale lines; voided lines do not count); the rest of the
 * screen is filled with other matches, each item once. A query matching
 * few items keeps its text ranking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"

#define MANY 400

static int setup(void **state)
{
	struct fx *f = fx_new("search_rank");
	struct store *st = f->st;
	assert_int_equal(store_begin(st), CM_OK);
	for (int i = 0; i < MANY; i++) {
		char sku[32], name[96];
		snprintf(sku, sizeof sku, "KS-%03d", i);
		snprintf(name, sizeof name, "Kopi Susu Rasa %d 200 ml", i);
		fx_item(st, sku, name, 5000 + i, 0, TAX_STANDARD, false, 0, true, NULL);
	}
	assert_int_equal(store_commit(st), CM_OK);
	fx_login(f, "300");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void sell(struct fx *f, const char *sku, int times)
{
	struct sale *s;
	struct sale_result r;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	for (int i = 0; i < times; i++)
		assert_int_equal(sale_scan(s, sku, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL), CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
}

static void test_what_sells_comes_first(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	/* three sales of KS-377, one of KS-211: a line per sale */
	for (int i = 0; i < 3; i++)
		sell(f, "KS-377", 1);
	sell(f, "KS-211", 2);
	assert_int_equal(store_item_search(f->st, "kop sus", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-377");
	assert_string_equal(v[1].sku, "KS-211");
	for (size_t i = 2; i < n; i++) {
		assert_string_not_equal(v[i].sku, "KS-377");
		assert_string_not_equal(v[i].sku, "KS-211");
	}
	/* it follows the sales: KS-211 overtakes */
	sell(f, "KS-211", 1);
	sell(f, "KS-211", 1);
	sell(f, "KS-211", 1);
	assert_int_equal(store_item_search(f->st, "kop sus", v, 10, &n), CM_OK);
	assert_string_equal(v[0].sku, "KS-211");
	assert_string_equal(v[1].sku, "KS-377");
}

static void test_few_matches_keep_text_ranking(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	/* "37" is 37 and 370-379: eleven matches, ranked by text (bm25), not
	 * by what sold */
	sell(f, "KS-377", 1);
	assert_int_equal(store_item_search(f->st, "kop sus rasa 37", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-370");
}

static void test_nothing_sold_fills_the_screen(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	assert_int_equal(store_item_search(f->st, "kop sus", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_what_sells_comes_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_few_matches_keep_text_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_sold_fills_the_screen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
