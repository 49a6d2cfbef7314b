/* Shifts and cash: denomination totals, the gate, expected cash, the blind
 * close, cash in/out, X reports, Z numbering and the perpetual grand
 * total, and what the schema refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/money.h"

#include <sqlite3.h>

#define OK(f, call) do { \
	enum cm_rc rc_ = (call); \
	if (rc_ != CM_OK) \
		fail_msg("%s: %s (%s)", #call, cm_rc_name(rc_), till_errmsg((f)->t)); \
} while (0)

/* Pieces for a whole amount: as many of each denomination, largest
 * first, as fit. */
static void pieces_for(cm_money v, int64_t pieces[CASH_DENOMS])
{
	for (int i = CASH_DENOMS - 1; i >= 0; i--) {
		pieces[i] = v / cash_denoms[i];
		v -= pieces[i] * cash_denoms[i];
	}
	assert_int_equal(v, 0);
}

/* Closes the open shift as supervisor 200, counting exactly counted. */
static struct shift_close_result close_as_200(struct fx *f, cm_money counted)
{
	int64_t pieces[CASH_DENOMS];
	struct shift_close_result res;
	pieces_for(counted, pieces);
	fx_login(f, "200");
	OK(f, shift_close(f->t, pieces, NULL, &res));
	OK(f, auth_logout(f->t));
	return res;
}

/* The template's shift closed (float 500.000, nothing sold): every test
 * starts with no shift open and nobody logged in. */
static int setup(void **state)
{
	struct fx *f = fx_new("shift");
	close_as_200(f, FX_FLOAT);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* Sells one item for cash (tendered) or, when tendered is 0, by debit. */
static struct sale_result sell(struct fx *f, const char *sku, cm_money tendered)
{
	struct sale *s;
	struct sale_result r;
	OK(f, sale_open(f->t, &s));
	assert_int_equal(sale_scan(s, sku, 0), CM_OK);
	enum cm_rc rc = tendered ? sale_add_tender(s, TENDER_CASH, tendered, NULL)
		: sale_add_tender(s, TENDER_DEBIT, sale_totals(s)->due, "APPR01");
	assert_int_equal(rc, CM_OK);
	if ((rc = sale_complete(s, &r)) != CM_OK)
		fail_msg("complete: %s (%s)", cm_rc_name(rc), sale_errmsg(s));
	sale_free(s);
	return r;
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	if (journal_verify(f->st, &c) != CM_OK)
		fail_msg("journal: %s at %lld", c.why, (long long)c.bad_seq);
}

static int64_t count_sql(struct fx *f, const char *sql)
{
	fx_close(f);
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	fx_open(f);
	return v;
}

static void test_denomination_totals(void **state)
{
	(void)state;
	int64_t p[CASH_DENOMS] = { 0 };
	cm_money total = -1;
	assert_int_equal(cashcount_total(p, &total), CM_OK);
	assert_int_equal(total, 0);
	for (int i = 0; i < CASH_DENOMS; i++)
		p[i] = 1;
	assert_int_equal(cashcount_total(p, &total), CM_OK);
	assert_int_equal(total, 100 + 200 + 500 + 1000 + 2000 + 5000 + 10000 + 20000 + 50000 + 100000);
	int64_t q[CASH_DENOMS] = { 3, 0, 7, 2, 0, 1, 4, 0, 9, 12 };
	assert_int_equal(cashcount_total(q, &total), CM_OK);
	assert_int_equal(total, 300 + 3500 + 2000 + 5000 + 40000 + 450000 + 1200000);
	q[4] = -1;
	assert_int_equal(cashcount_total(q, &total), CM_INVALID);
	q[4] = 1000001;
	assert_int_equal(cashcount_total(q, &total), CM_INVALID);
	q[4] = 1000000;
	assert_int_equal(cashcount_total(q, &total), CM_OK);
	assert_int_equal(cash_denoms[0], 100);
	assert_int_equal(cash_denoms[CASH_DENOMS - 1], 100000);
}

static void test_expected_formula(void **state)
{
	(void)state;
	struct shift_cash c = { .float_amount = 200000, .cash_tendered = 60000, .change = 8200,
		.cash_in = 50000, .cash_out = 20000, .cash_refunds = 3000 };
	assert_int_equal(cashcount_expected(&c), 200000 + 60000 - 8200 + 50000 - 20000 - 3000);
}

static void test_gate(void **state)
{
	struct fx *f = *state;
	fx_login(f, "300");
	struct sale *s = NULL;
	assert_int_equal(sale_open(f->t, &s), CM_STATE);
	assert_null(s);
	assert_non_null(strstr(till_errmsg(f->t), "no shift is open"));
	assert_int_equal(shift_require_open(f->t), CM_STATE);

	/* A ticket rung up in one shift cannot complete once it is closed. */
	OK(f, shift_open(f->t, 0, NULL));
	OK(f, sale_open(f->t, &s));
	assert_int_equal(sale_scan(s, FX_MIE, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 5000, NULL), CM_OK);
	OK(f, auth_logout(f->t));
	close_as_200(f, 0);
	fx_login(f, "300");
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "no shift is open"));
	assert_int_equal(fx_count_type(f, "sale"), 0);
	OK(f, shift_open(f->t, 0, NULL));
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	assert_int_equal(fx_count_type(f, "sale"), 1);
	verify_ok(f);
}

static void test_open_refusals(void **state)
{
	struct fx *f = *state;
	assert_int_equal(shift_open(f->t, 0, NULL), CM_STATE); /* nobody logged in */
	fx_login(f, "300");
	assert_int_equal(shift_open(f->t, -1, NULL), CM_INVALID);
	assert_int_equal(shift_open(f->t, 10000001, NULL), CM_INVALID);
	struct shift_rec r, cur;
	OK(f, shift_open(f->t, 250000, &r));
	assert_true(r.open);
	assert_int_equal(r.float_amount, 250000);
	assert_int_equal(shift_open(f->t, 250000, NULL), CM_STATE);
	OK(f, shift_current(f->t, &cur));
	assert_int_equal(cur.id, r.id);
	assert_int_equal(cur.open_seq, fx_head_seq(f));
	char *p = fx_last_payload(f, "shift_opened");
	assert_string_equal(p, "{\"float\":250000}");
	free(p);
	assert_int_equal(fx_count_type(f, "shift_opened"), 2);
}

static void test_cash_moves(void **state)
{
	struct fx *f = *state;
	fx_login(f, "300");
	assert_int_equal(shift_cash_move(f->t, CASH_IN, 1000, "modal", NULL), CM_STATE);
	OK(f, shift_open(f->t, 100000, NULL));
	assert_int_equal(shift_cash_move(f->t, CASH_IN, 0, "modal", NULL), CM_INVALID);
	assert_int_equal(shift_cash_move(f->t, CASH_IN, 1000, "", NULL), CM_INVALID);
	assert_int_equal(shift_cash_move(f->t, CASH_IN, 1000, "   ", NULL), CM_INVALID);
	assert_int_equal(shift_cash_move(f->t, CASH_IN, 1000, "a\tb", NULL), CM_INVALID);
	OK(f, shift_cash_move(f->t, CASH_IN, 50000, "tambah uang kecil", NULL));
	/* A cashier's cash out always needs a supervisor. */
	assert_int_equal(shift_cash_move(f->t, CASH_OUT, 20000, "setor ke brankas", NULL),
	                 CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_CASH_OUT, "200");
	OK(f, shift_cash_move(f->t, CASH_OUT, 20000, "setor ke brankas", &ap));
	char *p = fx_last_payload(f, "cash_out");
	assert_non_null(strstr(p, "\"amount\":20000"));
	assert_non_null(strstr(p, "\"reason\":\"setor ke brankas\""));
	assert_non_null(strstr(p, "\"approver\":\"200\""));
	free(p);
	assert_int_equal(fx_count_type(f, "cash_in"), 1);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM cash_moves"), 2);
	assert_int_equal(count_sql(f, "SELECT sum(dir * amount) FROM cash_moves"), 30000);
	verify_ok(f);
}

/* A cash out is approved for its amount: the supervisor's text shows it
 * before the PIN, another amount asks again, and the event names the
 * amount approved and the supervisor's reason beside the cashier's note. */
static void test_cash_out_bound_to_amount(void **state)
{
	struct fx *f = *state;
	fx_login(f, "300");
	struct shift_rec sh;
	OK(f, shift_open(f->t, 100000, &sh));
	assert_int_equal(shift_cash_move(f->t, CASH_OUT, 25000, "gas elpiji", NULL), CM_NEED_OVERRIDE);
	const struct approval_need *n = auth_need(f->t);
	assert_int_equal(n->act, ACT_CASH_OUT);
	assert_non_null(strstr(n->what, "Rp25.000"));
	assert_non_null(strstr(n->what, "gas elpiji"));
	struct approval ap = fx_approve(f, ACT_CASH_OUT, "200");
	int64_t head = fx_head_seq(f);
	assert_int_equal(shift_cash_move(f->t, CASH_OUT, 250000, "gas elpiji", &ap), CM_NEED_OVERRIDE);
	assert_non_null(strstr(till_errmsg(f->t), "approve it again"));
	assert_non_null(strstr(auth_need(f->t)->what, "Rp250.000"));
	/* Approved before the amount existed: no figures, no cash out. */
	struct approval blind;
	assert_int_equal(auth_approve(f->t, ACT_CASH_OUT, "200", fx_pin("200"), "x", &blind), CM_OK);
	assert_int_equal(shift_cash_move(f->t, CASH_OUT, 25000, "gas elpiji", &blind), CM_NEED_OVERRIDE);
	assert_int_equal(fx_head_seq(f), head);
	OK(f, shift_cash_move(f->t, CASH_OUT, 25000, "gas elpiji", &ap));
	char *p = fx_last_payload(f, "cash_out");
	char want[80];
	snprintf(want, sizeof want, "\"approved\":\"amount=25000 shift=%lld\"", (long long)sh.id);
	assert_non_null(strstr(p, want));
	assert_non_null(strstr(p, "\"reason\":\"gas elpiji\""));
	assert_non_null(strstr(p, "\"approval_reason\":\"test\""));
	free(p);
	verify_ok(f);
}

/* A full shift: float, two sales (one with change), cash in, cash out,
 * the blind count short by Rp500, closed with a supervisor's approval. */
static void test_blind_close(void **state)
{
	struct fx *f = *state;
	fx_login(f, "300");
	struct shift_rec sh;
	OK(f, shift_open(f->t, 200000, &sh));
	struct sale_result r1 = sell(f, FX_MIE, 10000);   /* 3.500, change 6.500 */
	assert_int_equal(r1.change, 6500);
	sell(f, FX_MINYAK, 0);                            /* 36.000 by debit */
	OK(f, shift_cash_move(f->t, CASH_IN, 50000, "uang kecil", NULL));
	assert_int_equal(shift_cash_move(f->t, CASH_OUT, 20000, "setor", NULL), CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_CASH_OUT, "200");
	OK(f, shift_cash_move(f->t, CASH_OUT, 20000, "setor", &ap));
	cm_money expected = 200000 + 10000 - 6500 + 50000 - 20000;

	/* The cashier cannot see the expected cash, nor close alone. */
	struct shift_cash cash;
	assert_int_equal(shift_expected(f->t, NULL, &cash), CM_NEED_OVERRIDE);
	int64_t pieces[CASH_DENOMS];
	pieces_for(expected - 500, pieces);
	struct shift_close_result res;
	assert_int_equal(shift_close(f->t, pieces, NULL, &res), CM_NEED_OVERRIDE);
	struct approval wrong = fx_approve(f, ACT_CASH_OUT, "200");
	assert_int_equal(shift_close(f->t, pieces, &wrong, &res), CM_NEED_OVERRIDE);
	int64_t bad[CASH_DENOMS] = { 0 };
	bad[3] = -2;
	struct approval ok = fx_approve(f, ACT_CLOSE_APPROVE, "201");
	assert_int_equal(shift_close(f->t, bad, &ok, &res), CM_INVALID);

	OK(f, shift_expected(f->t, &ok, &cash));
	assert_int_equal(cash.float_amount, 200000);
	assert_int_equal(cash.sales, 2);
	assert_int_equal(cash.cash_tendered, 10000);
	assert_int_equal(cash.change, 6500);
	assert_int_equal(cash.cash_in, 50000);
	assert_int_equal(cash.cash_out, 20000);
	assert_int_equal(cashcount_expected(&cash), expected);

	/* The approval is of this count: another count is asked again. */
	int64_t other[CASH_DENOMS];
	pieces_for(expected, other);
	assert_int_equal(shift_close(f->t, other, &ok, &res), CM_NEED_OVERRIDE);
	assert_non_null(strstr(till_errmsg(f->t), "approve it again"));
	OK(f, shift_close(f->t, pieces, &ok, &res));
	char *cp = fx_last_payload(f, "shift_closed");
	char want[80];
	snprintf(want, sizeof want, "\"approved\":\"shift=%lld counted=%lld\"", (long long)sh.id,
	         (long long)(expected - 500));
	assert_non_null(strstr(cp, want));
	free(cp);
	assert_int_equal(res.shift_id, sh.id);
	assert_int_equal(res.expected, expected);
	assert_int_equal(res.counted, expected - 500);
	assert_int_equal(res.difference, -500);
	assert_int_equal(res.journal_seq, fx_head_seq(f));
	assert_int_equal(shift_require_open(f->t), CM_STATE);

	struct shift_rec closed;
	OK(f, store_shift_by_id(f->st, sh.id, &closed));
	assert_false(closed.open);
	assert_int_equal(closed.expected, expected);
	assert_int_equal(closed.counted, expected - 500);
	assert_int_equal(closed.closed_by, 4);      /* 300 */
	assert_int_equal(closed.approved_by, 3);    /* 201 */
	assert_int_equal(closed.close_seq, res.journal_seq);
	int64_t back[CASH_DENOMS];
	OK(f, store_shift_pieces(f->st, sh.id, back));
	assert_memory_equal(back, pieces, sizeof back);
	char *p = fx_last_payload(f, "shift_closed");
	assert_non_null(strstr(p, "\"difference\":-500"));
	assert_non_null(strstr(p, "\"pieces\":[{\"denom\":100,"));
	assert_non_null(strstr(p, "\"approver\":\"201\""));
	free(p);
	/* Closing again: there is nothing open. */
	assert_int_equal(shift_close(f->t, pieces, &ok, &res), CM_STATE);
	verify_ok(f);

	/* A closed shift is as final as a completed sale. */
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "UPDATE shifts SET counted = 1 WHERE id = 2"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM shifts"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE cash_moves SET amount = 1"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "INSERT INTO shift_counts VALUES (2, 300, 1)"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "INSERT INTO cash_moves(shift_id, dir, amount, reason, "
	                     "user_id, at, journal_seq) VALUES (2, 1, 5, 'x', 1, 0, 9999)"), SQLITE_OK);
	/* Two open shifts on one terminal cannot be. */
	assert_int_equal(fx_sql(f->path, "INSERT INTO shifts(terminal_id, opened_by, opened_at, "
	                 "open_seq, float) VALUES ('T01', 1, 0, 9998, 0)"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "INSERT INTO shifts(terminal_id, opened_by, opened_at, "
	                     "open_seq, float) VALUES ('T01', 1, 0, 9999, 0)"), SQLITE_OK);
	fx_open(f);
}

/* A supervisor closing their own drawer needs nobody else. */
static void test_supervisor_closes_alone(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	OK(f, shift_open(f->t, 100000, NULL));
	sell(f, FX_SOTO, 5000);                        /* 3.400, change 1.600 */
	struct shift_cash cash;
	OK(f, shift_expected(f->t, NULL, &cash));
	assert_int_equal(cashcount_expected(&cash), 103400);
	int64_t pieces[CASH_DENOMS];
	pieces_for(103500, pieces);
	struct shift_close_result res;
	OK(f, shift_close(f->t, pieces, NULL, &res));
	assert_int_equal(res.difference, 100);
	struct shift_rec closed;
	OK(f, store_shift_by_id(f->st, res.shift_id, &closed));
	assert_int_equal(closed.approved_by, 0);
}

static void test_x_report(void **state)
{
	struct fx *f = *state;
	fx_login(f, "300");
	OK(f, shift_open(f->t, 100000, NULL));
	sell(f, FX_MIE, 4000);
	struct shift_report rep;
	assert_int_equal(shift_x_report(f->t, NULL, 0, &rep), CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_X_REPORT, "200");
	OK(f, shift_x_report(f->t, &ap, 0, &rep));
	assert_true(rep.r.shift_open);
	assert_int_equal(rep.r.f.sales, 1);
	assert_int_equal(rep.r.f.net_sales, 3500);
	assert_int_equal(cashcount_expected(&rep.r.shift), 103500);
	assert_non_null(strstr(rep.text, "LAPORAN X"));
	assert_non_null(strstr(rep.text, "Tunai seharusnya"));
	assert_non_null(strstr(rep.text, "103.500"));
	assert_int_equal(rep.journal_seq, fx_head_seq(f));
	shift_report_free(&rep);
	/* Nothing reset: a second X sees the same sale. */
	OK(f, shift_x_report(f->t, &ap, 42, &rep));
	assert_int_equal(rep.r.f.sales, 1);
	for (const char *p = rep.text, *e; (e = strchr(p, '\n')); p = e + 1)
		assert_true(e - p <= 42);
	shift_report_free(&rep);
	assert_int_equal(fx_count_type(f, "x_report"), 2);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM z_reports"), 0);
}

static struct shift_report z_as_200(struct fx *f)
{
	struct shift_report rep;
	fx_login(f, "200");
	OK(f, shift_z_report(f->t, 0, &rep));
	OK(f, auth_logout(f->t));
	return rep;
}

/* Z numbers 1, 2, 3 without gaps; each covers what came after the
 * previous one; the grand total carries on, an empty day included. */
static void test_z_numbering_and_grand_total(void **state)
{
	struct fx *f = *state;
	/* The template's closed shift counts in the first Z (nothing sold). */
	fx_login(f, "300");
	struct shift_report rep;
	assert_int_equal(shift_z_report(f->t, 0, &rep), CM_DENIED);
	OK(f, shift_open(f->t, 100000, NULL));
	sell(f, FX_MIE, 3500);
	sell(f, FX_MINYAK, 0);
	OK(f, auth_logout(f->t));
	fx_login(f, "200");
	assert_int_equal(shift_z_report(f->t, 0, &rep), CM_STATE);   /* a shift is open */
	assert_non_null(strstr(till_errmsg(f->t), "still open"));
	OK(f, auth_logout(f->t));
	close_as_200(f, 103500);

	struct shift_report z1 = z_as_200(f);
	assert_int_equal(z1.r.z_no, 1);
	assert_int_equal(z1.r.f.sales, 2);
	assert_int_equal(z1.r.f.net_sales, 39500);
	assert_int_equal(z1.r.f.tendered[TENDER_CASH], 3500);
	assert_int_equal(z1.r.f.tendered[TENDER_DEBIT], 36000);
	assert_int_equal(z1.r.f.shifts_closed, 2);
	assert_int_equal(z1.r.f.expected, 500000 + 103500);
	assert_int_equal(z1.r.f.counted, 500000 + 103500);
	assert_int_equal(z1.r.grand_before, 0);
	assert_int_equal(z1.r.grand_total, 39500);
	assert_int_equal(z1.r.from_seq, 0);
	assert_non_null(strstr(z1.text, "LAPORAN Z No. 1"));
	assert_non_null(strstr(z1.text, "GRAND TOTAL"));
	assert_non_null(strstr(z1.text, "39.500"));
	char *p = fx_last_payload(f, "z_report");
	assert_non_null(strstr(p, "\"z\":1"));
	assert_non_null(strstr(p, "\"grand_total\":39500"));
	free(p);

	fx_login(f, "301");
	OK(f, shift_open(f->t, 0, NULL));
	sell(f, FX_BERAS, 100000);
	OK(f, auth_logout(f->t));
	close_as_200(f, 75000);
	struct shift_report z2 = z_as_200(f);
	assert_int_equal(z2.r.z_no, 2);
	assert_int_equal(z2.r.from_seq, z1.journal_seq);
	assert_int_equal(z2.r.f.sales, 1);
	assert_int_equal(z2.r.f.net_sales, 75000);
	assert_int_equal(z2.r.f.shifts_closed, 1);
	assert_int_equal(z2.r.grand_before, 39500);
	assert_int_equal(z2.r.grand_total, 114500);

	struct shift_report z3 = z_as_200(f);  /* a day with nothing sold */
	assert_int_equal(z3.r.z_no, 3);
	assert_int_equal(z3.r.f.sales, 0);
	assert_int_equal(z3.r.f.net_sales, 0);
	assert_int_equal(z3.r.grand_total, 114500);
	shift_report_free(&z1);
	shift_report_free(&z2);
	shift_report_free(&z3);
	assert_int_equal(fx_count_type(f, "z_report"), 3);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM z_reports WHERE terminal_id = 'T01' "
	                              "AND z_no BETWEEN 1 AND 3"), 3);
	assert_int_equal(count_sql(f, "SELECT grand_total FROM z_reports WHERE z_no = 2"), 114500);
	assert_int_equal(count_sql(f, "SELECT from_seq FROM z_reports WHERE z_no = 3"), z2.journal_seq);
	verify_ok(f);

	/* The schema keeps the numbering and the grand total honest. */
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "INSERT INTO z_reports VALUES "
	                     "('T01', 5, 0, 1, 0, 99990, 0, 0, 114500)"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "INSERT INTO z_reports VALUES "
	                     "('T01', 4, 0, 1, 0, 99991, 1, 100, 99)"), SQLITE_OK);
	assert_int_equal(fx_sql(f->path, "INSERT INTO z_reports VALUES "
	                 "('T01', 4, 0, 1, 0, 99992, 1, 100, 114600)"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "UPDATE z_reports SET grand_total = 0"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM z_reports WHERE z_no = 4"), SQLITE_OK);
	fx_open(f);
}

static void expect_corrupt(struct fx *f, const char *sql, const char *why)
{
	fx_close(f);
	assert_int_equal(fx_sql(f->path, sql), SQLITE_OK);
	fx_open(f);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	if (!strstr(c.why, why))
		fail_msg("journal_verify said '%s', not '%s'", c.why, why);
	assert_true(c.bad_seq > 0);
}

/* Rows changed behind the triggers' back no longer match their events. */
static void test_verify_catches_edits(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	OK(f, shift_open(f->t, 100000, NULL));
	OK(f, shift_cash_move(f->t, CASH_IN, 20000, "uang kecil", NULL));
	OK(f, auth_logout(f->t));
	close_as_200(f, 120000);
	struct shift_report z = z_as_200(f);
	shift_report_free(&z);
	verify_ok(f);
	/* Each edit is undone before the next, so each is caught alone. */
	expect_corrupt(f, "DROP TRIGGER cash_moves_no_update; "
	                  "UPDATE cash_moves SET amount = 2000", "cash movement 1 does not match");
	assert_int_equal(fx_sql(f->path, "UPDATE cash_moves SET amount = 20000"), SQLITE_OK);
	expect_corrupt(f, "DROP TRIGGER shifts_closed_once; "
	                  "UPDATE shifts SET counted = 130000 WHERE id = 2", "shift 2 does not match");
	assert_int_equal(fx_sql(f->path, "UPDATE shifts SET counted = 120000 WHERE id = 2"), SQLITE_OK);
	expect_corrupt(f, "DROP TRIGGER shift_counts_no_update; "
	                  "UPDATE shift_counts SET pieces = pieces + 1 WHERE shift_id = 2 AND denom = 100",
	               "shift 2 does not match");
	assert_int_equal(fx_sql(f->path, "UPDATE shift_counts SET pieces = pieces - 1 "
	                 "WHERE shift_id = 2 AND denom = 100"), SQLITE_OK);
	expect_corrupt(f, "DROP TRIGGER z_reports_no_update; "
	                  "UPDATE z_reports SET grand_total = 1", "Z report 1 does not match");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_denomination_totals),
		cmocka_unit_test(test_expected_formula),
		T(test_gate),
		T(test_open_refusals),
		T(test_cash_moves),
		T(test_cash_out_bound_to_amount),
		T(test_blind_close),
		T(test_supervisor_closes_alone),
		T(test_x_report),
		T(test_z_numbering_and_grand_total),
		T(test_verify_catches_edits),
	};
#undef T
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
