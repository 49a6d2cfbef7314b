/* Stock counts (pos/engine/count.c) and stock information and reports
 * (pos/engine/stock.c) on a real store: expected quantities with sales
 * during the count, add and replace, hidden expected, pause and resume
 * across a restart, the review, posting, abandoning and permissions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "engine/count.h"
#include "engine/stock.h"
#include "store/store_stock.h"

/* Zones: A1 holds the two noodles, B1 the oil, C1 the apples (weighed).
 * Costs: noodles 2.800 and 2.700, oil 30.000, apples 32.000/kg. Stock at
 * the start (a snapshot as HQ would send): 50 Goreng, 20 Soto, 10 oil,
 * 4,5 kg apples. Nobody logged in afterwards. */
static int setup(void **state)
{
	struct fx *f = fx_new("count");
	fx_login(f, "100");
	static const struct { const char *sku, *zone; cm_qty reorder; cm_money cost; cm_qty qty; } s[] = {
		{ FX_MIE, "A1", 60000, 2800, 50000 },
		{ FX_SOTO, "A1", 10000, 2700, 20000 },
		{ FX_MINYAK, "B1", 12000, 30000, 10000 },
		{ FX_APEL, "C1", 2000, 32000, 4500 },
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		struct stock_info si = { .reorder_level = s[i].reorder, .cost = s[i].cost };
		strcpy(si.zone, s[i].zone);
		enum cm_rc rc = stock_info_set(f->t, s[i].sku, &si);
		if (rc != CM_OK)
			fail_msg("stock_info_set: %s", till_errmsg(f->t));
	}
	assert_int_equal(store_begin(f->st), CM_OK);
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		assert_int_equal(store_stock_snapshot_put(f->st, fx_item_id(f, s[i].sku), s[i].qty, f->now), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	assert_int_equal(auth_logout(f->t), CM_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void as(struct fx *f, const char *number)
{
	if (till_user(f->t))
		assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, number);
}

static int64_t start(struct fx *f, enum count_scope scope, const char *value)
{
	int64_t id = 0;
	enum cm_rc rc = count_start(f->t, scope, value, &id);
	if (rc != CM_OK)
		fail_msg("count_start: %s (%s)", cm_rc_name(rc), till_errmsg(f->t));
	return id;
}

/* Counts code: find, then enter qty in mode; returns the line's total. */
static cm_qty count(struct fx *f, int64_t id, const char *code, enum count_mode mode, cm_qty qty)
{
	struct item_rec it;
	cm_qty so_far, total = 0;
	bool counted;
	enum cm_rc rc = count_find(f->t, id, code, &it, &so_far, &counted);
	if (rc == CM_OK)
		rc = count_enter(f->t, id, it.id, "", mode, qty, &total);
	if (rc != CM_OK)
		fail_msg("count %s: %s (%s)", code, cm_rc_name(rc), till_errmsg(f->t));
	return total;
}

/* A cash sale of qty (thousandths) of code by the logged-in user. */
static void sell(struct fx *f, const char *code, cm_qty qty)
{
	struct sale *s = NULL;
	struct sale_result r;
	enum cm_rc rc = sale_open(f->t, &s);
	if (rc == CM_OK && (rc = sale_scan(s, code, qty)) == CM_OK &&
	    (rc = sale_add_tender(s, TENDER_CASH, 10000000, NULL)) == CM_OK)
		rc = sale_complete(s, &r);
	if (rc != CM_OK)
		fail_msg("sale of %s: %s (%s)", code, cm_rc_name(rc), s ? sale_errmsg(s) : till_errmsg(f->t));
	sale_free(s);
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
}

static const struct stock_row *find_row(const struct stock_row *r, size_t n, const char *sku)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].sku, sku) == 0)
			return &r[i];
	return NULL;
}

/* The variance is snapshot + movements since the start - counted, to the
 * unit, with sales rung up while the count runs; posting makes the level
 * what was counted; one count_posted and one stock_counted event. */
static void test_zone_count_with_sales(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "a1"); /* zones ignore case */
	struct count_info ci;
	assert_int_equal(count_get(f->t, id, &ci), CM_OK);
	assert_int_equal(ci.items, 2);
	assert_int_equal(ci.status, COUNT_OPEN);
	assert_int_equal(fx_count_type(f, "count_started"), 1);

	as(f, "300");
	sell(f, FX_MIE_EAN, 3000);           /* 50 - 3 = 47 expected */
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 30000), 30000);
	sell(f, FX_MIE_EAN, 0);              /* one more while counting: 46 */
	assert_int_equal(count(f, id, FX_MIE, COUNT_ADD, 14000), 44000);
	sell(f, FX_MINYAK_EAN, 0);           /* outside the zone */

	as(f, "200");
	struct count_review r;
	assert_int_equal(count_review(f->t, id, &r), CM_OK);
	assert_int_equal(r.nvariances, 1);
	assert_string_equal(r.variances[0].sku, FX_MIE);
	assert_int_equal(r.variances[0].expected, 46000);
	assert_int_equal(r.variances[0].qty, 44000);
	assert_int_equal(r.variances[0].variance, -2000);
	assert_int_equal(r.variances[0].value, -5600);
	assert_int_equal(r.nuncounted, 1);
	assert_string_equal(r.uncounted[0].sku, FX_SOTO);
	assert_int_equal(r.uncounted[0].expected, 20000);
	assert_int_equal(r.variance_value, -5600);
	count_review_free(&r);

	/* A sale between review and post is counted in too: 45 expected. */
	as(f, "300");
	sell(f, FX_MIE_EAN, 0);
	as(f, "200");
	int64_t head = fx_head_seq(f);
	struct count_post_result res;
	assert_int_equal(count_post(f->t, id, &res), CM_OK);
	assert_int_equal(res.movements, 1);
	assert_int_equal(res.value, -2800);
	assert_int_equal(res.events, 2);
	assert_int_equal(fx_head_seq(f), head + 2);
	assert_int_equal(res.first_seq, head + 1);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_MIE)), 44000);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_SOTO)), 20000);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_MINYAK)), 9000);
	char *p = fx_last_payload(f, "stock_counted");
	assert_non_null(p);
	assert_string_equal(p, "{\"count\":1,\"part\":1,\"parts\":1,\"lines\":[{\"sku\":\"IND-001\","
	                       "\"qty\":-1000,\"expected\":45000,\"counted\":44000,\"cost\":2800}]}");
	free(p);
	p = fx_last_payload(f, "count_posted");
	assert_non_null(strstr(p, "\"variances\":1"));
	free(p);
	assert_int_equal(count_get(f->t, id, &ci), CM_OK);
	assert_int_equal(ci.status, COUNT_POSTED);
	assert_int_equal(ci.journal_seq, head + 1);

	/* The posted count's variance report keeps the figures of the post. */
	as(f, "300");
	sell(f, FX_MIE_EAN, 0);
	as(f, "200");
	assert_int_equal(count_review(f->t, id, &r), CM_OK);
	assert_int_equal(r.nvariances, 1);
	assert_int_equal(r.variances[0].expected, 45000);
	assert_int_equal(r.variances[0].variance, -1000);
	count_review_free(&r);
	/* Nothing of a posted count changes again. */
	assert_int_equal(count_post(f->t, id, &res), CM_STATE);
	assert_int_equal(count_abandon(f->t, id), CM_STATE);
	assert_int_equal(count_recount(f->t, id, fx_item_id(f, FX_MIE), 1000), CM_STATE);
	verify_ok(f);
}

static void test_add_replace_and_weighed(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ALL, "");
	as(f, "301");
	assert_int_equal(count(f, id, FX_SOTO_EAN, COUNT_ADD, 10000), 10000);
	assert_int_equal(count(f, id, FX_SOTO_EAN, COUNT_ADD, 5000), 15000);
	assert_int_equal(count(f, id, FX_SOTO_EAN, COUNT_REPLACE, 7000), 7000);
	/* A scale label finds the item by its PLU; the weight is typed. */
	assert_int_equal(count(f, id, FX_APEL, COUNT_ADD, 1250), 1250);
	assert_int_equal(count(f, id, FX_APEL, COUNT_ADD, 3000), 4250);
	cm_qty q;
	assert_int_equal(count_qty_parse("1,5", false, &q), CM_INVALID);
	/* Negative entries and nonsense codes are refused, nothing changes. */
	cm_qty total;
	assert_int_equal(count_enter(f->t, id, fx_item_id(f, FX_SOTO), "", COUNT_ADD, -1000, &total),
	                 CM_INVALID);
	struct item_rec it;
	bool counted;
	assert_int_equal(count_find(f->t, id, "NO-SUCH", &it, &q, &counted), CM_NOTFOUND);
	assert_int_equal(count_find(f->t, id, FX_SOTO, &it, &q, &counted), CM_OK);
	assert_true(counted);
	assert_int_equal(q, 7000);
	as(f, "200");
	struct count_review r;
	assert_int_equal(count_review(f->t, id, &r), CM_OK);
	const struct stock_row *soto = find_row(r.variances, r.nvariances, FX_SOTO);
	const struct stock_row *apel = find_row(r.variances, r.nvariances, FX_APEL);
	assert_non_null(soto);
	assert_non_null(apel);
	assert_int_equal(soto->variance, -13000);
	assert_int_equal(apel->variance, -250);          /* 4,25 of 4,5 kg */
	assert_int_equal(apel->value, -8000);
	/* By value: oil and noodles never counted are in the other list. */
	assert_string_equal(r.variances[0].sku, FX_SOTO); /* -35.100 before -8.000 */
	assert_non_null(find_row(r.uncounted, r.nuncounted, FX_MINYAK));
	assert_null(find_row(r.uncounted, r.nuncounted, FX_SOTO));
	/* Oil: 10 x 30.000 = 300.000 missing before noodles 50 x 2.800. */
	assert_string_equal(r.uncounted[0].sku, FX_MINYAK);
	assert_string_equal(r.uncounted[1].sku, FX_MIE);
	count_review_free(&r);
}

/* Counting never shows the expected quantity: what comes back is the
 * counter's own total; the review is for managers. */
static void test_expected_hidden_while_counting(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "A1");
	as(f, "300");
	struct item_rec it;
	cm_qty so_far = -1;
	bool counted = true;
	assert_int_equal(count_find(f->t, id, FX_MIE_EAN, &it, &so_far, &counted), CM_OK);
	assert_false(counted);
	assert_int_equal(so_far, 0);            /* not the 50 expected */
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 12000), 12000);
	assert_int_equal(count_find(f->t, id, FX_MIE_EAN, &it, &so_far, &counted), CM_OK);
	assert_int_equal(so_far, 12000);
	struct count_review r;
	assert_int_equal(count_review(f->t, id, &r), CM_DENIED);
	assert_null(r.variances);
	/* Items of other zones are not part of this count. */
	assert_int_equal(count_find(f->t, id, FX_MINYAK_EAN, &it, &so_far, &counted), CM_NOTFOUND);
	assert_non_null(strstr(till_errmsg(f->t), "Minyak"));
}

static void test_pause_resume_across_restart(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "A1");
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 20000), 20000);
	assert_int_equal(count_pause(f->t, id), CM_OK);
	cm_qty total;
	assert_int_equal(count_enter(f->t, id, fx_item_id(f, FX_MIE), "", COUNT_ADD, 1000, &total), CM_STATE);
	fx_reopen(f);
	as(f, "300");
	assert_int_equal(count_resume(f->t, id), CM_DENIED);
	as(f, "201");
	struct count_info *v;
	size_t n;
	assert_int_equal(count_list(f->t, true, &v, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].status, COUNT_PAUSED);
	assert_int_equal(v[0].counted, 1);
	free(v);
	assert_int_equal(count_resume(f->t, id), CM_OK);
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 25000), 45000);
	assert_int_equal(fx_count_type(f, "count_paused"), 1);
	assert_int_equal(fx_count_type(f, "count_resumed"), 1);
	assert_int_equal(count_resume(f->t, id), CM_STATE);
}

/* Recount from the review replaces the line; zero variance moves nothing;
 * an uncounted item recounted to 0 is zeroed by the post. */
static void test_recount_and_zero_variance(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "A1");
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 49000), 49000);
	assert_int_equal(count_recount(f->t, id, fx_item_id(f, FX_MIE), 50000), CM_OK);
	assert_int_equal(count_recount(f->t, id, fx_item_id(f, FX_SOTO), 0), CM_OK);
	assert_int_equal(count_recount(f->t, id, fx_item_id(f, FX_MINYAK), 0), CM_NOTFOUND);
	struct count_review r;
	assert_int_equal(count_review(f->t, id, &r), CM_OK);
	assert_int_equal(r.nvariances, 1);
	assert_string_equal(r.variances[0].sku, FX_SOTO);
	assert_int_equal(r.nuncounted, 0);
	count_review_free(&r);
	struct count_post_result res;
	assert_int_equal(count_post(f->t, id, &res), CM_OK);
	assert_int_equal(res.movements, 1);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_MIE)), 50000);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_SOTO)), 0);
	verify_ok(f);
}

static void test_abandon_moves_nothing(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "A1");
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 1000), 1000);
	as(f, "300");
	assert_int_equal(count_abandon(f->t, id), CM_DENIED);
	as(f, "200");
	int64_t head = fx_head_seq(f);
	assert_int_equal(count_abandon(f->t, id), CM_OK);
	assert_int_equal(fx_head_seq(f), head + 1);
	assert_int_equal(fx_count_type(f, "count_abandoned"), 1);
	assert_int_equal(fx_count_type(f, "stock_counted"), 0);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_MIE)), 50000);
	cm_qty total;
	assert_int_equal(count_enter(f->t, id, fx_item_id(f, FX_MIE), "", COUNT_ADD, 1000, &total), CM_STATE);
	assert_int_equal(count_post(f->t, id, NULL), CM_STATE);
	/* The zone is free again. */
	int64_t again = start(f, SCOPE_ZONE, "A1");
	assert_true(again > id);
	/* The database itself refuses to change an abandoned count. */
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "UPDATE stock_counts SET status = 'open' WHERE id = 1"), 0);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM stock_count_lines"), 0);
	fx_open(f);
}

static void test_permissions_and_scope(void **state)
{
	struct fx *f = *state;
	int64_t id = 0;
	assert_int_equal(count_start(f->t, SCOPE_ALL, "", &id), CM_STATE);
	as(f, "300");
	assert_int_equal(count_start(f->t, SCOPE_ALL, "", &id), CM_DENIED);
	as(f, "200");
	assert_int_equal(count_start(f->t, SCOPE_ZONE, "", &id), CM_INVALID);
	int64_t head = fx_head_seq(f);
	assert_int_equal(count_start(f->t, SCOPE_ZONE, "Z9", &id), CM_NOTFOUND);
	assert_int_equal(count_start(f->t, SCOPE_CATEGORY, "No Such", &id), CM_NOTFOUND);
	assert_int_equal(fx_head_seq(f), head);
	id = start(f, SCOPE_CATEGORY, "Segar");
	struct count_info ci;
	assert_int_equal(count_get(f->t, id, &ci), CM_OK);
	assert_int_equal(ci.items, 2);                  /* apples and beef */
	/* Overlapping counts would post the same variance twice. */
	int64_t other;
	assert_int_equal(count_start(f->t, SCOPE_ALL, "", &other), CM_CONFLICT);
	assert_int_equal(count_start(f->t, SCOPE_ZONE, "C1", &other), CM_CONFLICT);
	assert_int_equal(fx_head_seq(f), head + 1);
	other = start(f, SCOPE_ZONE, "A1");             /* disjoint: fine */
	as(f, "301");
	assert_int_equal(count(f, other, FX_MIE_EAN, COUNT_ADD, 1000), 1000);
	assert_int_equal(count_pause(f->t, other), CM_DENIED);
	struct count_post_result res;
	assert_int_equal(count_post(f->t, other, &res), CM_DENIED);
	assert_int_equal(count_recount(f->t, other, fx_item_id(f, FX_MIE), 0), CM_DENIED);
}

/* 1.001 variance lines: three stock_counted events (500, 500, 1) after
 * the summary, all in one transaction. */
static void test_post_splits_large_counts(void **state)
{
	struct fx *f = *state;
	as(f, "100");
	assert_int_equal(store_begin(f->st), CM_OK);
	for (int i = 0; i < 1001; i++) {
		struct item_rec it = { .price = 1000, .tax = TAX_STANDARD, .active = true };
		snprintf(it.sku, sizeof it.sku, "BULK-%04d", i);
		snprintf(it.name, sizeof it.name, "Bulk item %d", i);
		strcpy(it.receipt_name, "Bulk");
		strcpy(it.unit, "pcs");
		strcpy(it.category, "Bulk");
		int64_t iid;
		bool created;
		assert_int_equal(store_item_upsert(f->st, &it, NULL, 0, &iid, &created), CM_OK);
	}
	assert_int_equal(store_commit(f->st), CM_OK);
	as(f, "200");
	int64_t id = start(f, SCOPE_CATEGORY, "Bulk");
	assert_int_equal(store_begin(f->st), CM_OK);
	for (int i = 0; i < 1001; i++)
		assert_int_equal(store_count_line_put(f->st, id, fx_item_id(f, "BULK-0000") + i, 2000,
		                                      "add", 2000, 1, "", f->now), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	int64_t head = fx_head_seq(f);
	struct count_post_result res;
	assert_int_equal(count_post(f->t, id, &res), CM_OK);
	assert_int_equal(res.movements, 1001);
	assert_int_equal(res.value, 0);                  /* no cost known */
	assert_int_equal(res.events, 4);
	assert_int_equal(fx_head_seq(f), head + 4);
	assert_int_equal(fx_count_type(f, "stock_counted"), 3);
	char *p = fx_last_payload(f, "stock_counted");
	assert_non_null(strstr(p, "\"part\":3,\"parts\":3"));
	free(p);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, "BULK-1000")), 2000);
	verify_ok(f);
}

/* journal verify holds a posted count to its events: a forged count
 * movement or a count's status changed behind the triggers is found. */
static void test_verify_catches_count_edits(void **state)
{
	struct fx *f = *state;
	as(f, "200");
	int64_t id = start(f, SCOPE_ZONE, "A1");
	assert_int_equal(count(f, id, FX_MIE_EAN, COUNT_ADD, 40000), 40000);
	assert_int_equal(count_post(f->t, id, NULL), CM_OK);
	int64_t abandoned = start(f, SCOPE_ZONE, "B1");
	assert_int_equal(count_abandon(f->t, abandoned), CM_OK);
	verify_ok(f);
	int64_t seq = fx_head_seq(f) - 2;              /* the stock_counted event */
	char path[1300], sql[400];
	snprintf(path, sizeof path, "%s.orig", f->path);
	fx_close(f);
	assert_int_equal(fx_copy(f->path, path), 0);
	/* One movement more than the event has lines. */
	snprintf(sql, sizeof sql, "INSERT INTO stock_movements(item_id, qty, kind, ref, journal_seq, at) "
	         "SELECT item_id, -1000, 'count', ref, journal_seq, at FROM stock_movements "
	         "WHERE kind = 'count' AND journal_seq = %lld", (long long)seq);
	assert_int_equal(fx_sql(f->path, sql), 0);
	fx_open(f);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, seq);
	/* An abandoned count made open again. */
	fx_close(f);
	assert_int_equal(fx_copy(path, f->path), 0);
	assert_int_equal(fx_sql(f->path, "DROP TRIGGER stock_counts_final; "
	                                  "UPDATE stock_counts SET status = 'posted' WHERE id = 2"), 0);
	fx_open(f);
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	assert_non_null(strstr(c.why, "count 2"));
}

static void test_stock_info_import(void **state)
{
	struct fx *f = *state;
	static const char good[] = "sku;zone;cost\n" FX_MINYAK ";B2;31.000\n" FX_BERAS ";B2;60000\n";
	static const char bad[] = "sku,zone,reorder_level\n" FX_MIE ",Q1,12\nNOPE,Q1,1\n" FX_SOTO ",Q1,x\n";
	struct stock_import_report rep;
	as(f, "200");
	assert_int_equal(stock_info_import(f->t, good, strlen(good), &rep), CM_DENIED);
	stock_import_report_free(&rep);
	as(f, "100");
	assert_int_equal(stock_info_import(f->t, bad, strlen(bad), &rep), CM_INVALID);
	assert_int_equal(rep.nerrors, 2);
	assert_non_null(strstr(rep.errors[0], "NOPE"));
	stock_import_report_free(&rep);
	struct stock_info si;
	assert_int_equal(store_stock_info_get(f->st, fx_item_id(f, FX_MIE), &si), CM_OK);
	assert_string_equal(si.zone, "A1");                 /* nothing written */
	assert_int_equal(stock_info_import(f->t, good, strlen(good), &rep), CM_OK);
	assert_int_equal(rep.rows, 2);
	stock_import_report_free(&rep);
	assert_int_equal(store_stock_info_get(f->st, fx_item_id(f, FX_MINYAK), &si), CM_OK);
	assert_string_equal(si.zone, "B2");
	assert_int_equal(si.cost, 31000);
	assert_int_equal(si.reorder_level, 12000);          /* column left out: kept */
	assert_int_equal(fx_count_type(f, "stock_info_import"), 1);
}

struct collect {
	struct stock_row r[64];
	size_t n;
};

static enum cm_rc collect_row(const struct stock_row *r, void *ctx)
{
	struct collect *c = ctx;
	if (c->n < 64)
		c->r[c->n++] = *r;
	return CM_OK;
}

static void test_reports(void **state)
{
	struct fx *f = *state;
	as(f, "300");
	sell(f, FX_MINYAK_EAN, 0);
	struct collect c = { .n = 0 };
	assert_int_equal(stock_report_run(f->t, REPORT_STOCK_VALUE, 0, 0, 0, collect_row, &c), CM_OK);
	assert_int_equal(c.n, 4);
	const struct stock_row *oil = find_row(c.r, c.n, FX_MINYAK);
	assert_int_equal(oil->qty, 9000);
	assert_int_equal(oil->value, 270000);
	c.n = 0;
	assert_int_equal(stock_report_run(f->t, REPORT_LOW_STOCK, 0, 0, 0, collect_row, &c), CM_OK);
	assert_int_equal(c.n, 2);                          /* noodles 50 < 60, oil 9 < 12 */
	assert_string_equal(c.r[0].sku, FX_MINYAK);       /* 75% of its level before 83% */
	assert_int_equal(c.r[0].variance, 3000);
	c.n = 0;
	assert_int_equal(stock_report_run(f->t, REPORT_SLOW_MOVERS, 0, 30, 2, collect_row, &c), CM_OK);
	assert_int_equal(c.n, 2);
	assert_null(find_row(c.r, c.n, FX_MINYAK));        /* it sold */
	assert_int_equal(c.r[0].sold, 0);
	assert_int_equal(c.r[0].last_sale, 0);
	c.n = 0;
	assert_int_equal(stock_report_run(f->t, REPORT_SLOW_MOVERS, 0, 30, 0, collect_row, &c), CM_OK);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.r[3].sku, FX_MINYAK);
	assert_int_equal(c.r[3].sold, 1000);
	assert_int_equal(c.r[3].last_sale, f->now);
	assert_int_equal(stock_report_run(f->t, REPORT_VARIANCE, 99, 0, 0, collect_row, &c), CM_NOTFOUND);
}

/* The zones a new count may take: by name, with their items, and marked
 * while an unfinished count holds them. */
static void test_zone_list(void **state)
{
	struct fx *f = *state;
	struct zone_rec *z;
	size_t n;
	fx_login(f, "200");
	assert_int_equal(count_zones(f->t, &z, &n), CM_OK);
	assert_int_equal(n, 3);
	assert_string_equal(z[0].zone, "A1");
	assert_int_equal(z[0].items, 2);
	assert_false(z[0].counting);
	assert_string_equal(z[2].zone, "C1");
	assert_int_equal(z[2].items, 1);
	free(z);
	int64_t id = start(f, SCOPE_ZONE, "A1");
	assert_int_equal(count_zones(f->t, &z, &n), CM_OK);
	assert_true(z[0].counting);
	assert_false(z[1].counting);
	free(z);
	assert_int_equal(count_abandon(f->t, id), CM_OK);
	assert_int_equal(count_zones(f->t, &z, &n), CM_OK);
	assert_false(z[0].counting);
	free(z);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_zone_count_with_sales),
		T(test_add_replace_and_weighed),
		T(test_expected_hidden_while_counting),
		T(test_pause_resume_across_restart),
		T(test_recount_and_zero_variance),
		T(test_abandon_moves_nothing),
		T(test_permissions_and_scope),
		T(test_post_splits_large_counts),
		T(test_verify_catches_count_edits),
		T(test_stock_info_import),
		T(test_reports),
		T(test_zone_list),
	};
#undef T
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
