/* Receiving deliveries (drafts that survive a restart, parked barcodes,
 * posting) and stock adjustments (reasons, directions, permissions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "engine/adjust.h"
#include "engine/receiving.h"
#include "store/store_returns.h"
#include "store/store_stock.h"

#define UNKNOWN_EAN "8990000000013"

/* The template has no suppliers: two, and an open purchase order for the
 * first. */
static int setup(void **state)
{
	struct fx *f = fx_new("receiving");
	fx_close(f);
	assert_int_equal(fx_sql(f->path,
		"INSERT INTO suppliers(id, name) VALUES (1, 'PT Indofood'), (2, 'CV Sumber Rejeki');"
		"INSERT INTO purchase_orders(id, po_no, supplier_id, ordered_at) "
		"  VALUES (1, 'PO-77', 1, 1741500000);"), SQLITE_OK);
	fx_open(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
}

static void test_draft_survives_and_posts(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	int64_t id = 0;
	assert_int_equal(receive_start(f->t, "pt indofood", "PO-77", "SJ-1001", &id), CM_OK);
	assert_int_equal(receive_add(f->t, id, FX_MIE_EAN, 40 * CM_QTY_ONE, 2900), CM_OK);
	assert_int_equal(receive_add(f->t, id, FX_APEL, 2500, 31000), CM_OK);
	int64_t head = fx_head_seq(f);

	fx_reopen(f);
	fx_login(f, "201");
	struct delivery d;
	assert_int_equal(receive_load(f->t, id, &d), CM_OK);
	assert_false(d.d.posted);
	assert_string_equal(d.d.supplier, "PT Indofood");
	assert_string_equal(d.d.po_no, "PO-77");
	assert_string_equal(d.d.note, "SJ-1001");
	assert_int_equal(d.nlines, 2);
	assert_string_equal(d.lines[0].sku, FX_MIE);
	assert_int_equal(d.lines[0].qty, 40000);
	assert_int_equal(d.cost, 40 * 2900 + 77500);
	receive_free(&d);
	/* Drafts are not journaled; the post is, once. */
	assert_int_equal(fx_head_seq(f), head + 1); /* the login */

	int64_t mie = fx_item_id(f, FX_MIE), apel = fx_item_id(f, FX_APEL);
	cm_qty before = store_stock_level(f->st, mie);
	int64_t seq = 0;
	assert_int_equal(receive_post(f->t, id, &seq), CM_OK);
	assert_int_equal(seq, fx_head_seq(f));
	assert_int_equal(store_stock_level(f->st, mie), before + 40000);
	assert_int_equal(store_stock_level(f->st, apel), 2500);
	/* The delivered unit costs become the items' cost prices. */
	struct stock_info si;
	assert_int_equal(store_stock_info_get(f->st, mie, &si), CM_OK);
	assert_int_equal(si.cost, 2900);
	assert_int_equal(store_stock_info_get(f->st, apel, &si), CM_OK);
	assert_int_equal(si.cost, 31000);
	char *p = fx_last_payload(f, "stock_received");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"supplier\":\"PT Indofood\""));
	assert_non_null(strstr(p, "\"po\":\"PO-77\""));
	assert_non_null(strstr(p, "\"sku\":\"IND-001\""));
	free(p);

	/* Posted: nothing changes any more, not even past the engine. */
	assert_int_equal(receive_add(f->t, id, FX_MIE_EAN, 1000, 2900), CM_STATE);
	assert_int_equal(receive_post(f->t, id, NULL), CM_STATE);
	assert_int_equal(fx_count_type(f, "stock_received"), 1);
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "UPDATE deliveries SET note = 'x'"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM delivery_lines"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path,
		"INSERT INTO delivery_lines VALUES (1, 9, 1, '', 1000, 1)"), SQLITE_OK);
	fx_open(f);
	verify_ok(f);
}

/* Against a purchase order: its lines come with the delivery and what
 * has come of each; more than ordered and items not on it are said
 * (CM_CONFLICT, for the till to ask), within it is quiet. */
static void test_against_the_order(void **state)
{
	struct fx *f = *state;
	fx_close(f);
	assert_int_equal(fx_sql(f->path,
		"INSERT INTO purchase_order_lines(po_id, line_no, item_id, qty, unit_cost) "
		"  SELECT 1, 1, id, 48000, 2900 FROM items WHERE sku = '" FX_MIE "'"), SQLITE_OK);
	fx_open(f);
	fx_login(f, "200");
	int64_t id = 0, plain = 0;
	assert_int_equal(receive_start(f->t, "PT Indofood", "PO-77", NULL, &id), CM_OK);
	assert_int_equal(receive_check_order(f->t, id, FX_MIE_EAN, 40 * CM_QTY_ONE), CM_OK);
	assert_int_equal(receive_add(f->t, id, FX_MIE_EAN, 40 * CM_QTY_ONE, 2900), CM_OK);
	assert_int_equal(receive_check_order(f->t, id, FX_MIE_EAN, 8 * CM_QTY_ONE), CM_OK);
	assert_int_equal(receive_check_order(f->t, id, FX_MIE, 9 * CM_QTY_ONE), CM_CONFLICT);
	assert_non_null(strstr(till_errmsg(f->t), "48 pcs ordered, 49 with this one: more than ordered"));
	assert_int_equal(receive_check_order(f->t, id, FX_APEL, 1000), CM_CONFLICT);
	assert_non_null(strstr(till_errmsg(f->t), "is not on purchase order PO-77"));
	/* A code receive_add will refuse is left to it. */
	assert_int_equal(receive_check_order(f->t, id, UNKNOWN_EAN, 1000), CM_OK);

	struct delivery d;
	struct order_gaps g;
	assert_int_equal(receive_load(f->t, id, &d), CM_OK);
	assert_int_equal(d.norder, 1);
	assert_string_equal(d.order[0].sku, FX_MIE);
	assert_int_equal(d.order[0].qty, 48000);
	assert_int_equal(d.received[0], 40000);
	receive_order_gaps(&d, &g);
	assert_int_equal(g.short_lines, 1);
	assert_int_equal(g.over_lines, 0);
	assert_int_equal(g.not_ordered, 0);
	receive_free(&d);
	/* Taken all the same (the person receiving said yes). */
	assert_int_equal(receive_add(f->t, id, FX_APEL, 2500, 31000), CM_OK);
	assert_int_equal(receive_add(f->t, id, FX_MIE_EAN, 10 * CM_QTY_ONE, 2900), CM_OK);
	assert_int_equal(receive_load(f->t, id, &d), CM_OK);
	receive_order_gaps(&d, &g);
	assert_int_equal(g.short_lines, 0);
	assert_int_equal(g.over_lines, 1);
	assert_int_equal(g.not_ordered, 1);
	receive_free(&d);

	/* Without an order nothing is asked and no order is loaded. */
	assert_int_equal(receive_start(f->t, "PT Indofood", NULL, NULL, &plain), CM_OK);
	assert_int_equal(receive_check_order(f->t, plain, FX_APEL, 1000), CM_OK);
	assert_int_equal(receive_load(f->t, plain, &d), CM_OK);
	assert_int_equal(d.norder, 0);
	receive_order_gaps(&d, &g);
	assert_int_equal(g.short_lines + g.over_lines + g.not_ordered, 0);
	receive_free(&d);
}

static void test_parked_barcodes(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	int64_t id = 0;
	assert_int_equal(receive_start(f->t, "CV Sumber Rejeki", NULL, "", &id), CM_OK);
	assert_int_equal(receive_add(f->t, id, UNKNOWN_EAN, 12000, 5000), CM_NOTFOUND);
	assert_non_null(strstr(till_errmsg(f->t), "park it for HQ"));
	assert_int_equal(receive_park(f->t, id, UNKNOWN_EAN, "", 12000, 5000), CM_INVALID);
	/* A misread barcode (wrong check digit) is not parked. */
	assert_int_equal(receive_park(f->t, id, "8990000000011", "Kecap", 12000, 5000), CM_INVALID);
	assert_int_equal(receive_add(f->t, id, "8990000000011", 12000, 5000), CM_INVALID);
	assert_int_equal(receive_park(f->t, id, FX_MIE_EAN, "Mie", 12000, 5000), CM_CONFLICT);
	assert_int_equal(receive_park(f->t, id, UNKNOWN_EAN, "Kecap Manis 600ml", 12000, 5000), CM_OK);
	/* Not invented locally. */
	struct item_rec it;
	cm_qty pack;
	assert_int_equal(store_item_by_barcode(f->st, UNKNOWN_EAN, &it, &pack), CM_NOTFOUND);
	int64_t items = store_item_count(f->st);
	assert_int_equal(receive_post(f->t, id, NULL), CM_OK);
	assert_int_equal(store_item_count(f->st), items);
	struct delivery d;
	assert_int_equal(receive_load(f->t, id, &d), CM_OK);
	assert_true(d.d.posted);
	assert_int_equal(d.nparked, 1);
	assert_string_equal(d.parked[0].description, "Kecap Manis 600ml");
	receive_free(&d);
	char *p = fx_last_payload(f, "stock_received");
	assert_non_null(strstr(p, "\"parked\":[{\"barcode\":\"" UNKNOWN_EAN "\""));
	free(p);
	assert_int_equal(receive_park(f->t, id, "8990000000020", "Lain", 1000, 1), CM_STATE);
}

static void test_receiving_refusals(void **state)
{
	struct fx *f = *state;
	int64_t id = 0;
	fx_login(f, "300");
	assert_int_equal(receive_start(f->t, "PT Indofood", NULL, NULL, &id), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(receive_start(f->t, "PT Tidak Ada", NULL, NULL, &id), CM_NOTFOUND);
	assert_int_equal(receive_start(f->t, "", NULL, NULL, &id), CM_INVALID);
	assert_int_equal(receive_start(f->t, "CV Sumber Rejeki", "PO-77", NULL, &id), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "another supplier"));
	assert_int_equal(receive_start(f->t, "PT Indofood", "PO-1", NULL, &id), CM_NOTFOUND);
	assert_int_equal(receive_start(f->t, "PT Indofood", NULL, NULL, &id), CM_OK);
	assert_int_equal(receive_add(f->t, id, FX_MIE, 0, 100), CM_INVALID);
	assert_int_equal(receive_add(f->t, id, FX_MIE, 1500, 100), CM_INVALID);
	assert_int_equal(receive_add(f->t, id, FX_MIE, 1000, -1), CM_INVALID);
	assert_int_equal(receive_add(f->t, 99, FX_MIE, 1000, 100), CM_NOTFOUND);
	assert_int_equal(receive_post(f->t, id, NULL), CM_STATE);
	assert_non_null(strstr(till_errmsg(f->t), "nothing to post"));
	assert_int_equal(fx_count_type(f, "stock_received"), 0);
}

static void test_adjustments(void **state)
{
	struct fx *f = *state;
	int64_t mie = fx_item_id(f, FX_MIE);
	fx_login(f, "300");
	assert_int_equal(adjust_stock(f->t, FX_MIE, 1000, ADJ_LOST, NULL), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	cm_qty level = store_stock_level(f->st, mie);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 5000, ADJ_FOUND, "di gudang"), CM_OK);
	assert_int_equal(store_stock_level(f->st, mie), level + 5000);
	assert_int_equal(adjust_stock(f->t, FX_MIE_EAN, 1000, ADJ_LOST, NULL), CM_OK);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 1000, ADJ_EXPIRED, NULL), CM_OK);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 1000, ADJ_OWN_USE, NULL), CM_OK);
	assert_int_equal(store_stock_level(f->st, mie), level + 2000);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 2000, ADJ_DAMAGED, NULL), CM_OK);
	assert_int_equal(store_stock_level(f->st, mie), level);
	assert_int_equal(store_damaged_level(f->st, mie), 2000);
	assert_int_equal(fx_count_type(f, "stock_adjusted"), 5);
	char *p = fx_last_payload(f, "stock_adjusted");
	assert_string_equal(p, "{\"reason\":\"damaged\",\"kind\":\"damaged\","
	                       "\"lines\":[{\"sku\":\"IND-001\",\"qty\":-2000}]}");
	free(p);

	int64_t head = fx_head_seq(f);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 0, ADJ_LOST, NULL), CM_INVALID);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 500, ADJ_LOST, NULL), CM_INVALID);
	assert_int_equal(adjust_stock(f->t, "NOPE", 1000, ADJ_LOST, NULL), CM_NOTFOUND);
	assert_int_equal(adjust_stock(f->t, FX_MIE, 1000, ADJ_COUNT, NULL), CM_INVALID);
	assert_int_equal(adjust_stock(f->t, FX_APEL, 350, ADJ_EXPIRED, NULL), CM_OK);
	assert_int_equal(fx_head_seq(f), head + 1);

	enum adjust_reason r;
	assert_int_equal(adjust_reason_parse("own_use", &r), CM_OK);
	assert_int_equal(r, ADJ_OWN_USE);
	assert_int_equal(adjust_reason_parse("stolen", &r), CM_INVALID);
	for (int i = 0; i < ADJ_COUNT; i++) {
		assert_int_equal(adjust_reason_parse(adjust_reason_code((enum adjust_reason)i), &r), CM_OK);
		assert_int_equal(r, i);
	}
	verify_ok(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_draft_survives_and_posts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parked_barcodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_against_the_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receiving_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adjustments, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
