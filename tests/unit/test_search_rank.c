/* Name search at catalogue scale: the items this till sells most come
 * first, counted by the sales themselves (item_sales, kept by a trigger on
 * sale lines; voided lines do not count) and found in the index of sold
 * items (selling_fts), which follows renames, also those of a big
 * catalogue build switched in; the rest of the screen is filled with
 * other matches, each item once, ranked by text when they are few. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"

#include "store/store_catgen.h"
#include "store/store_sync.h"

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

static void test_few_matches_sold_first_then_text_ranking(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	/* "37" is 37 and 370-379: eleven matches; the one sold first, then
	 * the others ranked by text (bm25) */
	sell(f, "KS-377", 1);
	assert_int_equal(store_item_search(f->st, "kop sus rasa 37", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-377");
	assert_string_equal(v[1].sku, "KS-370");
}

static void rename_item(struct store *st, const char *sku, const char *name)
{
	struct item_rec it;
	int64_t id;
	bool created;
	assert_int_equal(store_item_by_sku(st, sku, &it), CM_OK);
	snprintf(it.name, sizeof it.name, "%s", name);
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_item_upsert(st, &it, NULL, 0, &id, &created), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
}

static bool first_is(struct store *st, const char *query, const char *sku)
{
	struct item_rec v[10];
	size_t n;
	assert_int_equal(store_item_search(st, query, v, 10, &n), CM_OK);
	return n > 0 && strcmp(v[0].sku, sku) == 0;
}

static void test_sold_item_renamed_is_found_by_its_new_name(void **state)
{
	struct fx *f = *state;
	sell(f, "KS-123", 1);
	assert_true(first_is(f->st, "kop sus", "KS-123"));
	rename_item(f->st, "KS-123", "Teh Melati Wangi 1 kg");
	assert_true(first_is(f->st, "teh mel", "KS-123"));
	/* not by its old name any more: the first of "kop sus" is another item */
	assert_false(first_is(f->st, "kop sus", "KS-123"));
}

static void test_sold_item_made_inactive_is_not_shown(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10], it;
	size_t n;
	int64_t id;
	bool created;
	sell(f, "KS-200", 2);
	sell(f, "KS-201", 1);
	assert_true(first_is(f->st, "kop sus", "KS-200"));
	assert_int_equal(store_item_by_sku(f->st, "KS-200", &it), CM_OK);
	it.active = false;
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_item_upsert(f->st, &it, NULL, 0, &id, &created), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	assert_int_equal(store_item_search(f->st, "kop sus", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-201");
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(v[i].sku, "KS-200");
}

static enum cm_rc no_finish(struct store *st, const struct catgen_result *r, void *ctx)
{
	(void)st;
	(void)r;
	(void)ctx;
	return CM_OK;
}

static void test_sold_item_renamed_by_a_big_build_is_found_by_its_new_name(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	struct item_rec it;
	struct catgen_result r;
	sell(f, "KS-321", 1);
	assert_true(first_is(st, "kop sus", "KS-321"));
	/* staged and built beside the live catalogue, then switched in: no
	 * trigger on items sees the new name */
	assert_int_equal(store_import_begin(st), CM_OK);
	assert_int_equal(store_item_by_sku(st, "KS-321", &it), CM_OK);
	snprintf(it.name, sizeof it.name, "%s", "Gula Pasir Lokal 1 kg");
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_sync_stage_item(st, STORE_IMPORT_UPTO, &it, NULL, 0, 1), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	assert_int_equal(store_catgen_apply(st, STORE_IMPORT_UPTO, no_finish, NULL, &r), CM_OK);
	store_import_end(st);
	assert_int_equal(r.upserted, 1);
	assert_true(first_is(st, "gul pas", "KS-321"));
	assert_false(first_is(st, "kop sus", "KS-321"));
	/* a sale after the switch counts on the new catalogue */
	sell(f, "KS-321", 1);
	assert_true(first_is(st, "gula", "KS-321"));
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
		cmocka_unit_test_setup_teardown(test_few_matches_sold_first_then_text_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sold_item_renamed_is_found_by_its_new_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sold_item_made_inactive_is_not_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sold_item_renamed_by_a_big_build_is_found_by_its_new_name,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_sold_fills_the_screen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
