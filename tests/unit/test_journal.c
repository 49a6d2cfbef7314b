/* The journal: chain, verification, tamper detection, append-only
 * triggers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "store/store_sync.h"

#include <sodium.h>

static int setup(void **state)
{
	*state = fx_new("journal");
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void append(struct fx *f, const char *type, const char *payload, struct journal_entry *e)
{
	assert_int_equal(store_begin(f->st), CM_OK);
	enum cm_rc rc = journal_append(f->st, type, f->now, 7, payload, e);
	if (rc != CM_OK)
		fail_msg("append: %s", store_errmsg(f->st));
	assert_int_equal(store_commit(f->st), CM_OK);
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
	assert_int_equal(c.bad_seq, 0);
	assert_int_equal(c.events, fx_head_seq(f));
}

static void tamper(struct fx *f, const char *sql)
{
	fx_close(f);
	int rc = fx_sql(f->path, sql);
	if (rc != SQLITE_OK)
		fail_msg("sql %s: %d", sql, rc);
	fx_open(f);
}

static void expect_corrupt(struct fx *f, int64_t seq, const char *why_part)
{
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	if (c.bad_seq != seq)
		fail_msg("bad_seq %lld, expected %lld (%s)", (long long)c.bad_seq, (long long)seq, c.why);
	assert_true(strlen(c.why) > 0);
	if (why_part && !strstr(c.why, why_part))
		fail_msg("why '%s' does not mention '%s'", c.why, why_part);
}

/* One cash sale by cashier 300; returns its journal seq. */
static int64_t quick_sale(struct fx *f, struct sale_result *res)
{
	fx_login(f, "300");
	struct sale *s;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 0), CM_OK);
	assert_int_equal(sale_scan(s, FX_BERAS_EAN, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 100000, NULL), CM_OK);
	enum cm_rc rc = sale_complete(s, res);
	if (rc != CM_OK)
		fail_msg("complete: %s", sale_errmsg(s));
	sale_free(s);
	return res->journal_seq;
}

static void test_template_chain_verifies(void **state)
{
	struct fx *f = *state;
	int64_t head = fx_head_seq(f);
	/* 9 settings, 5 users, a login and a logout at least. */
	assert_true(head >= 16);
	assert_int_equal(fx_count_type(f, "setting_changed"), 9);
	assert_int_equal(fx_count_type(f, "user_added"), 5);
	verify_ok(f);
}

static void test_append_links(void **state)
{
	struct fx *f = *state;
	struct journal_entry head, e1, e2, got;
	assert_int_equal(journal_head(f->st, &head), CM_OK);
	append(f, "test", "{\"n\":1}", &e1);
	assert_int_equal(e1.seq, head.seq + 1);
	assert_memory_equal(e1.prev_hash, head.hash, CHAIN_HASH_LEN);
	assert_string_equal(e1.type, "test");
	assert_int_equal(e1.user_id, 7);
	append(f, "test", "{\"n\":2}", &e2);
	assert_int_equal(e2.seq, e1.seq + 1);
	assert_memory_equal(e2.prev_hash, e1.hash, CHAIN_HASH_LEN);
	assert_memory_not_equal(e2.hash, e1.hash, CHAIN_HASH_LEN);
	/* What was stored is what was returned. */
	assert_int_equal(journal_get(f->st, e1.seq, &got), CM_OK);
	assert_memory_equal(got.hash, e1.hash, CHAIN_HASH_LEN);
	assert_memory_equal(got.prev_hash, e1.prev_hash, CHAIN_HASH_LEN);
	assert_int_equal(got.at, f->now);
	assert_int_equal(journal_head(f->st, &got), CM_OK);
	assert_int_equal(got.seq, e2.seq);
	assert_memory_equal(got.hash, e2.hash, CHAIN_HASH_LEN);
	/* The hash is the documented one (core/chain.h). */
	struct chain_event ev = { .terminal = "T01", .seq = e2.seq, .type = "test",
	                          .time = f->now, .user_id = 7, .payload = "{\"n\":2}" };
	uint8_t h[CHAIN_HASH_LEN];
	assert_int_equal(chain_hash(e1.hash, &ev, h), CM_OK);
	assert_memory_equal(h, e2.hash, CHAIN_HASH_LEN);
	assert_int_equal(journal_get(f->st, e2.seq + 1, &got), CM_NOTFOUND);
	/* The first event links to zeros. */
	uint8_t zero[CHAIN_HASH_LEN] = { 0 };
	assert_int_equal(journal_get(f->st, 1, &got), CM_OK);
	assert_memory_equal(got.prev_hash, zero, CHAIN_HASH_LEN);
	verify_ok(f);
	/* journal_each from a sequence number. */
	assert_int_equal(fx_count_type(f, "test"), 2);
	char *p = fx_last_payload(f, "test");
	assert_string_equal(p, "{\"n\":2}");
	free(p);
}

static void test_rolled_back_append_leaves_no_trace(void **state)
{
	struct fx *f = *state;
	int64_t head = fx_head_seq(f);
	struct journal_entry e;
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(journal_append(f->st, "gone", f->now, 0, "{}", &e), CM_OK);
	store_rollback(f->st);
	assert_int_equal(fx_head_seq(f), head);
	append(f, "kept", "{}", &e);
	assert_int_equal(e.seq, head + 1);
	verify_ok(f);
}

static void test_tampered_payload(void **state)
{
	struct fx *f = *state;
	verify_ok(f);
	tamper(f, "DROP TRIGGER journal_no_update;"
	          "UPDATE journal SET payload = '{\"key\":\"pkp\",\"value\":\"0\"}' WHERE seq = 3");
	expect_corrupt(f, 3, NULL);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	assert_int_equal(c.events, 2);
}

static void test_tampered_time_user_type(void **state)
{
	struct fx *f = *state;
	tamper(f, "DROP TRIGGER journal_no_update; UPDATE journal SET at = at + 1 WHERE seq = 4");
	expect_corrupt(f, 4, NULL);
	tamper(f, "UPDATE journal SET at = at - 1 WHERE seq = 4;"
	          "UPDATE journal SET user_id = 99 WHERE seq = 6");
	expect_corrupt(f, 6, NULL);
	tamper(f, "UPDATE journal SET user_id = (SELECT user_id FROM journal WHERE seq = 7) WHERE seq = 6;");
	/* (seq 6 and 7 are both by the same user in the template: setting
	 * changes before any user existed, user 0.) */
	verify_ok(f);
	tamper(f, "UPDATE journal SET type = 'sale' WHERE seq = 8");
	expect_corrupt(f, 8, NULL);
}

static void test_broken_link(void **state)
{
	struct fx *f = *state;
	tamper(f, "DROP TRIGGER journal_no_update;"
	          "UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 5");
	expect_corrupt(f, 5, NULL);
}

static void test_missing_event(void **state)
{
	struct fx *f = *state;
	int64_t head = fx_head_seq(f);
	char sql[200];
	snprintf(sql, sizeof sql,
	         "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = %lld",
	         (long long)(head - 1));
	tamper(f, sql);
	char seqtxt[32];
	snprintf(seqtxt, sizeof seqtxt, "%lld", (long long)(head - 1));
	expect_corrupt(f, head - 1, seqtxt);
}

static void test_first_event_missing(void **state)
{
	struct fx *f = *state;
	tamper(f, "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 1");
	expect_corrupt(f, 1, NULL);
}

static void test_sale_total_edited(void **state)
{
	struct fx *f = *state;
	struct sale_result res;
	int64_t seq = quick_sale(f, &res);
	/* More events after the sale. */
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "301");
	verify_ok(f);
	char sql[300];
	snprintf(sql, sizeof sql,
	         "DROP TRIGGER sales_no_update; UPDATE sales SET total = total - 1000 WHERE id = %lld",
	         (long long)res.sale_id);
	tamper(f, sql);
	expect_corrupt(f, seq, res.receipt_no);
}

static void test_sale_due_or_receipt_edited(void **state)
{
	struct fx *f = *state;
	struct sale_result res;
	int64_t seq = quick_sale(f, &res);
	tamper(f, "DROP TRIGGER sales_no_update; UPDATE sales SET due = due + 100");
	expect_corrupt(f, seq, NULL);
	tamper(f, "UPDATE sales SET due = due - 100, receipt_no = 'T01-999999'");
	expect_corrupt(f, seq, NULL);
	tamper(f, "UPDATE sales SET receipt_no = (SELECT json_extract(payload, '$.receipt') "
	          "FROM journal WHERE type = 'sale')");
	verify_ok(f);
	/* A sale row pointing at an event that is not a sale. */
	tamper(f, "UPDATE sales SET journal_seq = 2");
	expect_corrupt(f, 2, NULL);
}

static void test_sale_lines_tenders_taxes_edited(void **state)
{
	struct fx *f = *state;
	struct sale_result res;
	int64_t seq = quick_sale(f, &res);
	verify_ok(f);
	/* A line quietly reduced, then restored: named, then fine again. */
	tamper(f, "DROP TRIGGER sale_lines_no_update; UPDATE sale_lines SET qty = qty - 1 WHERE line_no = 1");
	expect_corrupt(f, seq, res.receipt_no);
	tamper(f, "UPDATE sale_lines SET qty = qty + 1 WHERE line_no = 1");
	verify_ok(f);
	/* A line removed from the sale. */
	tamper(f, "CREATE TABLE keep AS SELECT * FROM sale_lines WHERE line_no = 2;"
	          "DROP TRIGGER sale_lines_no_delete; DELETE FROM sale_lines WHERE line_no = 2");
	expect_corrupt(f, seq, res.receipt_no);
	tamper(f, "INSERT INTO sale_lines SELECT * FROM keep; DROP TABLE keep");
	verify_ok(f);
	/* A tender turned from cash into debit with a smaller amount. */
	tamper(f, "DROP TRIGGER sale_tenders_no_update; UPDATE sale_tenders SET amount = amount - 500");
	expect_corrupt(f, seq, res.receipt_no);
	tamper(f, "UPDATE sale_tenders SET amount = amount + 500");
	verify_ok(f);
	/* PPN rows edited. */
	tamper(f, "DROP TRIGGER sale_taxes_no_update; UPDATE sale_taxes SET tax = tax + 1");
	expect_corrupt(f, seq, res.receipt_no);
}

static void test_terminal_id_edited(void **state)
{
	struct fx *f = *state;
	int64_t first = 1;
	/* Renaming the terminal in the settings would leave the real chain
	 * unchecked ("0 events, OK"); verify names it instead. */
	tamper(f, "UPDATE settings SET value = 'ZZ9' WHERE key = 'terminal_id'");
	expect_corrupt(f, first, "terminal");
}

static void test_append_only_triggers(void **state)
{
	struct fx *f = *state;
	struct sale_result res;
	quick_sale(f, &res);
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "UPDATE journal SET payload = '{}' WHERE seq = 3"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE journal SET type = 'x'"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM journal WHERE seq = 3"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM journal"), SQLITE_OK);
	/* An insert that does not continue the chain. */
	assert_int_not_equal(fx_sql(f->path,
		"INSERT INTO journal SELECT terminal_id, seq + 2, type, at, user_id, payload, hash, hash "
		"FROM journal WHERE seq = (SELECT max(seq) FROM journal)"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path,
		"INSERT INTO journal SELECT terminal_id, seq + 1, type, at, user_id, payload, prev_hash, hash "
		"FROM journal WHERE seq = (SELECT max(seq) FROM journal)"), SQLITE_OK);
	/* Completed sales and stock movements are append-only too. */
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM stock_movements"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE stock_movements SET qty = 0"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM sales"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE sale_lines SET qty = 0"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM sale_tenders"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE sale_taxes SET tax = 0"), SQLITE_OK);
	fx_open(f);
	verify_ok(f);
}

static void test_terminal_id_frozen(void **state)
{
	struct fx *f = *state;
	fx_login(f, "100");
	assert_int_equal(till_setting_set(f->t, SET_TERMINAL, "T02"), CM_STATE);
	assert_true(strlen(till_errmsg(f->t)) > 0);
	char buf[16];
	assert_int_equal(store_setting_get(f->st, SET_TERMINAL, buf, sizeof buf), CM_OK);
	assert_string_equal(buf, "T01");
	/* Other settings are journaled as they change. */
	int before = fx_count_type(f, "setting_changed");
	assert_int_equal(till_setting_set(f->t, SET_STORE_NAME, "KSU Baru"), CM_OK);
	assert_int_equal(fx_count_type(f, "setting_changed"), before + 1);
	char *p = fx_last_payload(f, "setting_changed");
	assert_non_null(strstr(p, "KSU Baru"));
	free(p);
	assert_string_equal(till_config(f->t)->store_name, "KSU Baru");
	verify_ok(f);
}

static void test_settings_checked(void **state)
{
	struct fx *f = *state;
	/* Nobody logged in in a store with users. */
	assert_int_equal(till_setting_set(f->t, SET_PKP, "0"), CM_STATE);
	fx_login(f, "200");
	assert_int_equal(till_setting_set(f->t, SET_PKP, "0"), CM_DENIED);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "100");
	int64_t head = fx_head_seq(f);
	assert_int_equal(till_setting_set(f->t, "no_such_key", "1"), CM_NOTFOUND);
	assert_int_equal(till_setting_set(f->t, SET_PKP, "2"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PKP, "1x"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PKP, ""), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_RECEIPT_COLS, "40"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_ROUND_STEP, "0"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_LOCKOUT_AFTER, "0"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_STORE_NAME, ""), CM_INVALID);
	assert_int_equal(fx_head_seq(f), head);
	assert_int_equal(till_setting_set(f->t, SET_RECEIPT_COLS, "48"), CM_OK);
	assert_int_equal(till_config(f->t)->receipt_columns, 48);
	assert_int_equal(till_scale_format_set(f->t, "20", "PPIIIIIWWWWWC"), CM_OK);
	assert_int_equal(till_scale_format_set(f->t, "30", "PPIIIIIWWWWWC"), CM_INVALID);
	assert_int_equal(till_scale_format_set(f->t, "21", "PPIIIIIWWWRRC"), CM_INVALID);
	assert_int_equal(fx_count_type(f, "scale_format_changed"), 1);
	verify_ok(f);
}

/* journal_verify_since, as the agent calls it between whole checks: from
 * what HQ acknowledged on. A sale HQ already holds is not read again; a
 * tampered event after the acknowledgement is found; so is a chain
 * rewritten below it (its hash no longer HQ's). */
static void test_verify_since_acked(void **state)
{
	struct fx *f = *state;
	struct sale_result r1, r2;
	int64_t old_sale = quick_sale(f, &r1);
	struct journal_entry acked;
	assert_int_equal(journal_head(f->st, &acked), CM_OK);
	char hex[2 * CHAIN_HASH_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, acked.hash, CHAIN_HASH_LEN);
	assert_int_equal(store_sync_set_acked(f->st, acked.seq, hex, f->now), CM_OK);
	int64_t new_sale = quick_sale(f, &r2);
	struct journal_check c;
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_OK);
	assert_int_equal(c.events, fx_head_seq(f) - acked.seq);

	/* the old sale's rows edited: HQ holds its event, so only the whole
	 * check (at the agent's start and daily) names it */
	tamper(f, "DROP TRIGGER IF EXISTS sales_no_update; UPDATE sales SET total = total - 1000 "
	          "WHERE receipt_no = (SELECT receipt_no FROM sales ORDER BY id LIMIT 1)");
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_OK);
	expect_corrupt(f, old_sale, NULL);
	tamper(f, "UPDATE sales SET total = total + 1000 "
	          "WHERE receipt_no = (SELECT receipt_no FROM sales ORDER BY id LIMIT 1)");

	/* the unsynced sale's rows edited: found from the acknowledgement on */
	tamper(f, "UPDATE sales SET total = total - 1000 "
	          "WHERE receipt_no = (SELECT receipt_no FROM sales ORDER BY id DESC LIMIT 1)");
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, new_sale);
	tamper(f, "UPDATE sales SET total = total + 1000 "
	          "WHERE receipt_no = (SELECT receipt_no FROM sales ORDER BY id DESC LIMIT 1)");
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_OK);

	/* an unsynced event altered */
	tamper(f, "DROP TRIGGER journal_no_update; UPDATE journal SET at = at + 1 WHERE seq = "
	          "(SELECT max(seq) FROM journal)");
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, fx_head_seq(f));
	tamper(f, "UPDATE journal SET at = at - 1 WHERE seq = (SELECT max(seq) FROM journal)");

	/* the acknowledged event itself rewritten (a recomputed chain below
	 * HQ's head): its hash is no longer the one HQ holds */
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE journal SET hash = zeroblob(32) WHERE seq = %lld",
	         (long long)acked.seq);
	tamper(f, sql);
	assert_int_equal(journal_verify_since(f->st, acked.seq, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, acked.seq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_template_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rolled_back_append_leaves_no_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_time_user_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_event_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sale_total_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sale_due_or_receipt_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sale_lines_tenders_taxes_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminal_id_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminal_id_frozen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_since_acked, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
