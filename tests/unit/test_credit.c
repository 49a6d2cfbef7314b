/* Member credit at the till: the limit with this terminal's unsynced
 * credit, the refusal with its figures, a supervisor's excess up to the
 * store's cap, a split with cash, what is journaled, the member's copy to
 * sign, credit back on a return (never cash), and X/Z. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/money.h"
#include "engine/returns.h"
#include "store/store_dues.h"
#include "store/store_print.h"

/* Sari (M100, card MC0100): limit Rp500.000; HQ says she owes Rp350.000
 * as of journal sequence 0 of this terminal. */
static int setup(void **state)
{
	struct fx *f = fx_new("credit");
	struct member_rec m = { .status = "active", .join_date = 20241105 };
	snprintf(m.number, sizeof m.number, "M100");
	snprintf(m.name, sizeof m.name, "Sari");
	snprintf(m.card_code, sizeof m.card_code, "MC0100");
	snprintf(m.type, sizeof m.type, "biasa");
	struct member_standing h = { .credit_limit = 500000, .credit_balance = 350000,
	                             .month = 202503, .seq = 0 };
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_member_add(f->st, &m, NULL), CM_OK);
	assert_int_equal(store_member_standing_put(f->st, "M100", &h, NULL, 0), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	fx_login(f, "300");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static struct sale *sale_with(struct fx *f, const char *card, const char *code, int n)
{
	struct sale *s = NULL;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	if (card)
		assert_int_equal(sale_scan(s, card, 0), CM_OK);
	for (int i = 0; i < n; i++)
		if (sale_scan(s, code, 0) != CM_OK)
			fail_msg("scan: %s", sale_errmsg(s));
	return s;
}

/* A setting changed as an admin changes it: journaled (journal verify
 * checks settings against their events). The cashier is back after. */
static void set_setting(struct fx *f, const char *key, const char *value)
{
	fx_login(f, "100");
	if (till_setting_set(f->t, key, value) != CM_OK)
		fail_msg("setting %s: %s", key, till_errmsg(f->t));
	fx_login(f, "300");
}

/* Drops an unfinished ticket (a supervisor approves the cancel). */
static void drop(struct fx *f, struct sale *s)
{
	if (sale_cancel(s, NULL) != CM_NEED_OVERRIDE)
		fail_msg("cancel without approval: %s", sale_errmsg(s));
	struct approval ap = fx_approve(f, ACT_CANCEL_TICKET, "200");
	if (sale_cancel(s, &ap) != CM_OK)
		fail_msg("cancel: %s", sale_errmsg(s));
	sale_free(s);
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
}

static cm_money goods(struct sale *s)
{
	return sale_totals(s)->total;
}

/* Within the limit: the whole sale on credit; then the next sale sees
 * this terminal's unsynced credit on top of HQ's balance. */
static void test_within_limit_then_unsynced_counts(void **state)
{
	struct fx *f = *state;
	struct sale *s = sale_with(f, "MC0100", FX_MINYAK_EAN, 2);     /* 2 x 36.000 */
	cm_money g = goods(s);
	struct credit_view v;
	assert_int_equal(sale_credit_view(s, &v), CM_OK);
	assert_true(v.known);
	assert_int_equal(v.limit, 500000);
	assert_int_equal(v.outstanding, 350000);
	assert_int_equal(v.available, 150000);
	assert_int_equal(sale_add_credit(s, g, NULL), CM_OK);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_OK);
	assert_false(r.open_drawer);        /* credit is not cash */
	sale_free(s);
	verify_ok(f);

	s = sale_with(f, "MC0100", FX_BERAS_EAN, 1);
	assert_int_equal(sale_credit_view(s, &v), CM_OK);
	assert_int_equal(v.outstanding, 350000 + g);
	assert_int_equal(v.available, 500000 - 350000 - g);
	drop(f, s);
}

/* Over the limit: refused with the three figures; with the cap at 0 no
 * supervisor can approve; with a cap, a supervisor approves and the sale
 * journals both the figures and the approver. */
static void test_over_the_limit(void **state)
{
	struct fx *f = *state;
	struct sale *s = sale_with(f, "MC0100", FX_RICE_EAN, 2);       /* 222.000 */
	cm_money g = goods(s);
	assert_true(g > 150000);
	assert_int_equal(sale_add_credit(s, g, NULL), CM_DENIED);
	assert_non_null(strstr(sale_errmsg(s), "limit Rp500.000"));
	assert_non_null(strstr(sale_errmsg(s), "owed Rp350.000"));
	assert_non_null(strstr(sale_errmsg(s), "at most Rp0 over"));
	drop(f, s);

	set_setting(f, SET_CREDIT_EXCESS, "100000");
	s = sale_with(f, "MC0100", FX_RICE_EAN, 2);
	assert_int_equal(sale_add_credit(s, g, NULL), CM_NEED_OVERRIDE);
	assert_non_null(strstr(sale_errmsg(s), "a supervisor may approve"));
	struct approval ap = fx_approve(f, ACT_CREDIT_EXCESS, "200");
	assert_int_equal(sale_add_credit(s, g, &ap), CM_OK);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	char *p = fx_last_payload(f, "sale");
	assert_non_null(strstr(p, "\"approved_by\":"));
	assert_non_null(strstr(p, "\"limit\":500000"));
	assert_non_null(strstr(p, "\"outstanding\":350000"));
	assert_non_null(strstr(p, "\"kind\":\"credit\""));
	free(p);
	verify_ok(f);
}

/* Split: part credit, the rest cash; cash rounding only on the cash part;
 * only the cash is in the drawer; the member's copy is queued. */
static void test_split_and_copy(void **state)
{
	struct fx *f = *state;
	char printer[1300];
	snprintf(printer, sizeof printer, "file:%s/receipts.bin", f->dir);
	set_setting(f, SET_PRINTER, printer);
	struct sale *s = sale_with(f, "MC0100", FX_MINYAK_EAN, 3);
	cm_money g = goods(s);
	assert_int_equal(sale_add_credit(s, 100000, NULL), CM_OK);
	assert_int_equal(sale_cash_due(s), money_round_step(g - 100000, 100));
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 50000, NULL), CM_OK);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	struct print_job j;
	int64_t after = 0;
	int copies = 0, receipts = 0;
	while (store_print_next(f->st, after, &j) == CM_OK) {
		after = j.id;
		if (j.kind == PRINT_RECEIPT && j.sale_id == r.sale_id) {
			receipts++;
			copies += j.payload && strcmp(j.payload, "member_copy") == 0;
		}
		store_print_job_free(&j);
	}
	assert_int_equal(receipts, 2);
	assert_int_equal(copies, 1);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	rec.member_copy = true;
	char *text = history_receipt(f->t, &rec, 42, false);
	assert_non_null(strstr(text, "Kredit anggota"));
	assert_non_null(strstr(text, "Tanda tangan anggota"));
	assert_non_null(strstr(text, "Rp100.000"));
	assert_non_null(strstr(text, "dipotong dari"));
	assert_non_null(strstr(text, "Tanda tangan anggota:\n\n\n"));
	free(text);
	history_free(&rec);
	struct xz_figures xf;
	assert_int_equal(store_xz_figures(f->st, 0, 0, &xf), CM_OK);
	assert_int_equal(xf.tendered[TENDER_CREDIT], 100000);
	assert_int_equal(xf.tendered[TENDER_CASH], 50000);
}

/* Refused without a member, for a member with no credit, and for a member
 * HQ has not sent credit for. */
static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct sale *s = sale_with(f, NULL, FX_MIE_EAN, 1);
	assert_int_equal(sale_add_credit(s, 1000, NULL), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "needs a member"));
	assert_int_equal(sale_add_tender(s, TENDER_CREDIT, 1000, NULL), CM_STATE);
	assert_int_equal(sale_scan(s, "MC0001", 0), CM_OK);          /* Budi: no HQ data */
	assert_int_equal(sale_add_credit(s, 1000, NULL), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "HQ has not sent"));
	drop(f, s);
	/* More than is due. */
	s = sale_with(f, "MC0100", FX_MIE_EAN, 1);
	assert_int_equal(sale_add_credit(s, goods(s) + 1000, NULL), CM_INVALID);
	drop(f, s);
}

/* A return of a credit sale pays back to the account, even when the
 * cashier asks for cash; the account's local figure goes down again. */
static void test_return_goes_back_to_credit(void **state)
{
	struct fx *f = *state;
	struct sale *s = sale_with(f, "MC0100", FX_MINYAK_EAN, 2);
	cm_money g = goods(s);
	assert_int_equal(sale_add_credit(s, g, NULL), CM_OK);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	fx_login(f, "200");
	struct ret *rt;
	assert_int_equal(return_open(f->t, r.receipt_no, &rt), CM_OK);
	assert_int_equal(return_set_qty(rt, 1, 1000), CM_OK);
	struct return_result rr;
	assert_int_equal(return_complete(rt, RR_UNWANTED, REFUND_CASH, NULL, &rr), CM_OK);
	assert_int_equal(rr.cash, 0);
	return_free(rt);
	cm_money here;
	struct member_rec m;
	assert_int_equal(store_member_find(f->st, "M100", &m), CM_OK);
	assert_int_equal(store_member_credit_since(f->st, m.id, 0, &here), CM_OK);
	assert_int_equal(here, g - rr.refund);
	char *p = fx_last_payload(f, "return");
	assert_non_null(strstr(p, "\"kind\":\"credit\""));
	assert_non_null(strstr(p, "\"member_no\":\"M100\""));
	free(p);
	verify_ok(f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_within_limit_then_unsynced_counts),
		T(test_over_the_limit),
		T(test_split_and_copy),
		T(test_refusals),
		T(test_return_goes_back_to_credit),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
