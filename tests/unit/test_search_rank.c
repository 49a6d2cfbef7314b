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

static void add_items(struct store *st, const char *const (*items)[2], size_t n)
{
	assert_int_equal(store_begin(st), CM_OK);
	for (size_t i = 0; i < n; i++)
		fx_item(st, items[i][0], items[i][1], 4000, 0, TAX_STANDARD, false, 0, true, NULL);
	assert_int_equal(store_commit(st), CM_OK);
}

/* The SKUs found for query, in order, one space apart. */
static const char *found(struct store *st, const char *query)
{
	static char out[512];
	struct item_rec v[10];
	size_t n, o = 0;
	out[0] = '\0';
	assert_int_equal(store_item_search(st, query, v, 10, &n), CM_OK);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", v[i].sku);
	return out;
}

static void test_long_prefixes_find_only_the_items_holding_them(void **state)
{
	static const char *const items[][2] = {
		{ "SB-1", "Sabun Mandi Lifebuoy 100 g" },
		{ "SB-2", "Sabut Kelapa Manggis" },
		{ "SB-3", "Sabun Cuci Piring Mama Lemon" },
		{ "SB-4", "Sambal Mandarin Pedas" },
	};
	struct fx *f = *state;
	add_items(f->st, items, 4);
	/* the catalogue's index is asked "sab"* "man"*, which all four hold;
	 * only the items with words starting "sabun" and "mand" are shown */
	assert_string_equal(found(f->st, "sabun mand"), "SB-1");
	assert_string_equal(found(f->st, "SABUN  Mandi"), "SB-1");
	assert_string_equal(found(f->st, "sabu mang"), "SB-2");
	assert_string_equal(found(f->st, "mandi sabun"), "SB-1");
	assert_string_equal(found(f->st, "sabun lemo"), "SB-3");
	assert_string_equal(found(f->st, "sabun mandix"), "");
	/* a word of one letter is checked on the rows the others find */
	assert_string_equal(found(f->st, "l sabun mand"), "SB-1");
	assert_string_equal(found(f->st, "x sabun mand"), "");
	assert_string_equal(found(f->st, "sa m pedas"), "SB-4");
	/* the SKU is searched too, its words whole or cut */
	assert_string_equal(found(f->st, "sb 3"), "SB-3");
	assert_string_equal(found(f->st, "sabun sb"), "SB-1 SB-3");
	/* short words alone still ask the index; the shorter names first */
	assert_string_equal(found(f->st, "sa ma"), "SB-2 SB-4 SB-1 SB-3");
}

static void test_many_matches_the_closest_name_comes_first(void **state)
{
	static const char *const items[][2] = { { "KS-X", "Kopi Susu" } };
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	/* 401 items match "kop sus", none sold: the shortest name, the one
	 * most like what was typed, comes first, not the first in the
	 * catalogue (KS-000) */
	add_items(f->st, items, 1);
	rename_item(f->st, "KS-050", "Kopi Susu 1 l");
	assert_int_equal(store_item_search(f->st, "kop sus", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-050");
}

static void test_best_sellers_answer_a_short_query_and_a_rare_one_is_still_found(void **state)
{
	struct fx *f = *state;
	struct sale *s;
	struct sale_result r;
	struct item_rec v[10];
	size_t n;
	/* 100 items sold once, KS-007 three times; the last one renamed */
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	for (int i = 0; i < 100; i++) {
		char sku[16];
		snprintf(sku, sizeof sku, "KS-%03d", i);
		assert_int_equal(sale_scan(s, sku, 0), CM_OK);
	}
	assert_int_equal(sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL), CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	sell(f, "KS-007", 1);
	sell(f, "KS-007", 1);
	rename_item(f->st, "KS-099", "Teh Melati Wangi 1 kg");
	/* every sold item answers "k": the best sellers, most sold first */
	assert_int_equal(store_item_search(f->st, "k", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].sku, "KS-007");
	assert_string_equal(v[1].sku, "KS-000");
	assert_string_equal(v[8].sku, "KS-008");
	assert_string_equal(v[9].sku, "KS-009");
	/* one sold item answers "teh mel", the last of them in sales order */
	assert_true(first_is(f->st, "teh mel", "KS-099"));
	assert_true(first_is(f->st, "t m", "KS-099"));
}

/* n items named "PREFIX I" (SKU PREFIX-I), each sold sold0 - I times as
 * the sale lines' trigger would count them, written straight into the
 * store (a year of sales rung up one by one would take minutes). */
static void sold_items(struct fx *f, const char *prefix, int n, int sold0)
{
	char sql[800];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
	         "INSERT INTO items(sku, name, receipt_name, price, updated_at) "
	         "SELECT printf('%s-%%04d', i), printf('%s %%d', i), '%s', 1000, 0 FROM k; "
	         "INSERT INTO item_sales(item_id, sold) SELECT id, %d - CAST(substr(sku, %d) AS INTEGER) "
	         "FROM items WHERE sku LIKE '%s-%%'",
	         n, prefix, prefix, prefix, sold0, (int)strlen(prefix) + 2, prefix);
	assert_int_equal(fx_sql(f->path, sql), SQLITE_OK);
}

static void test_a_query_most_sold_items_answer_shows_the_best_sellers(void **state)
{
	struct fx *f = *state;
	struct item_rec v[10];
	size_t n;
	/* 2,000 best sellers "Kopi Hitam", then 1,600 "Teh Susu" */
	sold_items(f, "Kopi Hitam", 2000, 100000);
	sold_items(f, "Teh Susu", 1600, 50000);
	assert_int_equal(store_item_search(f->st, "k", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].name, "Kopi Hitam 1");
	assert_string_equal(v[9].name, "Kopi Hitam 10");
	/* "t": 1,600 sold matches, none among the first 1,000 sellers */
	assert_int_equal(store_item_search(f->st, "t", v, 10, &n), CM_OK);
	assert_int_equal(n, 10);
	assert_string_equal(v[0].name, "Teh Susu 1");
	assert_string_equal(v[9].name, "Teh Susu 10");
	/* and a word few of them hold */
	assert_true(first_is(f->st, "te 1599", "Teh Susu-1599"));
	assert_true(first_is(f->st, "k h 999", "Kopi Hitam-0999"));
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
		cmocka_unit_test_setup_teardown(test_long_prefixes_find_only_the_items_holding_them,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_matches_the_closest_name_comes_first,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_best_sellers_answer_a_short_query_and_a_rare_one_is_still_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_query_most_sold_items_answer_shows_the_best_sellers,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
