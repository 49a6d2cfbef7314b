/* Returns: partial and cumulative limits, refunds of discounted sales, the
 * damaged bin, refund tenders, approvals, the no-receipt path, the journal
 * and the return receipt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/money.h"
#include "engine/returns.h"
#include "engine/shift.h"
#include "store/store_returns.h"

static int setup(void **state)
{
	*state = fx_new("returns");
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

/* Cashier 300 sells: each code scanned with its quantity (pieces), then
 * the tenders (debit first when given), and logs out. */
struct sold {
	const char *code;
	int pieces;
};
static void sell(struct fx *f, const struct sold *items, size_t n, int32_t ticket_disc_bp,
                 cm_money debit, struct sale_result *r)
{
	struct sale *s = NULL;
	fx_login(f, "300");
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	for (size_t i = 0; i < n; i++) {
		enum cm_rc rc = sale_scan(s, items[i].code, items[i].pieces * CM_QTY_ONE);
		if (rc != CM_OK)
			fail_msg("scan %s: %s", items[i].code, sale_errmsg(s));
	}
	if (ticket_disc_bp)
		assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, ticket_disc_bp, NULL), CM_OK);
	if (debit)
		assert_int_equal(sale_add_tender(s, TENDER_DEBIT, debit, "APR123"), CM_OK);
	if (sale_cash_due(s) > 0)
		assert_int_equal(sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL), CM_OK);
	enum cm_rc rc = sale_complete(s, r);
	if (rc != CM_OK)
		fail_msg("complete: %s", sale_errmsg(s));
	sale_free(s);
	assert_int_equal(auth_logout(f->t), CM_OK);
}

static struct ret *open_return(struct fx *f, const char *receipt)
{
	struct ret *r = NULL;
	enum cm_rc rc = return_open(f->t, receipt, &r);
	if (rc != CM_OK)
		fail_msg("return_open %s: %s (%s)", receipt, cm_rc_name(rc), till_errmsg(f->t));
	return r;
}

static void complete(struct ret *r, enum return_reason why, enum refund_how how,
                     const struct approval *ap, struct return_result *out)
{
	enum cm_rc rc = return_complete(r, why, how, ap, out);
	if (rc != CM_OK)
		fail_msg("return_complete: %s (%s)", cm_rc_name(rc), return_errmsg(r));
}

static int64_t count(struct fx *f, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	/* Through a raw connection: the store has no generic count. */
	fx_close(f);
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	fx_open(f);
	return n;
}

/* Three returns of one line: 1, then 3 refused (2 left), 2, then any more
 * refused; nothing is written by a refusal. */
static void test_partial_and_cumulative_limit(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 3 }, { FX_MINYAK, 1 } }, 2, 0, 0, &sr);
	int64_t mie = fx_item_id(f, FX_MIE);
	cm_qty level = store_stock_level(f->st, mie);
	fx_login(f, "200");

	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_line_count(r), 2);
	assert_int_equal(return_left(r, 0), 3000);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	assert_int_equal(return_total(r), 3500);
	struct return_result rr;
	complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	assert_string_equal(rr.return_no, "T01-R000001");
	assert_int_equal(rr.refund, 3500);
	assert_int_equal(rr.cash, 3500);
	assert_int_equal(return_left(r, 0), 2000);
	return_free(r);
	assert_int_equal(store_stock_level(f->st, mie), level + 1000);

	/* A second return of the same sale sees the first. */
	int64_t head = fx_head_seq(f);
	r = open_return(f, sr.receipt_no);
	assert_int_equal(return_left(r, 0), 2000);
	assert_int_equal(return_set_qty(r, 1, 3000), CM_INVALID);
	assert_non_null(strstr(return_errmsg(r), "only 2 of the 3 sold may still be returned"));
	assert_int_equal(return_set_qty(r, 1, 2000), CM_OK);
	complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	assert_string_equal(rr.return_no, "T01-R000002");
	assert_int_equal(rr.refund, 7000);
	assert_int_equal(fx_head_seq(f), head + 1);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_INVALID);
	assert_non_null(strstr(return_errmsg(r), "everything sold (3) has already been returned"));
	/* Completing with nothing chosen writes nothing. */
	head = fx_head_seq(f);
	assert_int_equal(return_complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr), CM_STATE);
	assert_int_equal(fx_head_seq(f), head);
	return_free(r);
	assert_int_equal(store_stock_level(f->st, mie), level + 3000);
	assert_int_equal(count(f, "returns"), 2);
	assert_int_equal(fx_count_type(f, "return"), 2);
	verify_ok(f);
}

/* Two returns prepared side by side (the till and the command line): the
 * second to complete sees the first inside its transaction and is refused. */
static void test_concurrent_returns_refused(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 2 } }, 1, 0, 0, &sr);
	fx_login(f, "200");
	struct ret *a = open_return(f, sr.receipt_no), *b = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(a, 1, 2000), CM_OK);
	assert_int_equal(return_set_qty(b, 1, 1000), CM_OK);
	struct return_result rr;
	complete(a, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	int64_t head = fx_head_seq(f);
	assert_int_equal(return_complete(b, RR_UNWANTED, REFUND_CASH, NULL, &rr), CM_INVALID);
	assert_non_null(strstr(return_errmsg(b), "already been returned"));
	assert_int_equal(fx_head_seq(f), head);
	return_free(a);
	return_free(b);
	assert_int_equal(count(f, "returns"), 1);
}

/* The database refuses more than was sold even when the engine is
 * bypassed. */
static void test_store_guard(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 1 } }, 1, 0, 0, &sr);
	struct return_rec h = { .id = 1, .return_no = "T01-R000001", .sale_id = sr.sale_id,
	                        .cashier_id = 1, .approver_id = 2, .reason = "unwanted",
	                        .at = f->now, .business_date = 20250310, .total = 7000,
	                        .refund = 7000, .journal_seq = 999 };
	struct return_line_rec l = { .n = 1, .sale_line = 1, .item_id = fx_item_id(f, FX_MIE),
	                             .sku = FX_MIE, .qty = 2000, .amount = 7000 };
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_return_insert(f->st, &h, &l, 1, NULL, 0), CM_CONFLICT);
	assert_non_null(strstr(store_errmsg(f->st), "more than is left to return"));
	store_rollback(f->st);
	assert_int_equal(count(f, "returns"), 0);
}

/* A sale with a line discount and a ticket discount: the refunds of all
 * its returns add up exactly to the sale's total, whatever the split. */
static void test_discounted_refunds_add_up(void **state)
{
	struct fx *f = *state;
	struct sale *s = NULL;
	struct sale_result sr;
	fx_login(f, "300");
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, FX_MIE, 3 * CM_QTY_ONE), CM_OK);
	assert_int_equal(sale_scan(s, FX_MINYAK, 0), CM_OK);
	assert_int_equal(sale_scan(s, FX_R451, 0), CM_OK);
	assert_int_equal(sale_line_discount(s, 2, DISC_AMOUNT, 1333, NULL), CM_OK);
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 700, NULL), CM_OK);
	cm_money total = sale_totals(s)->total;
	assert_int_equal(sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL), CM_OK);
	assert_int_equal(sale_complete(s, &sr), CM_OK);
	sale_free(s);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");

	cm_money refunded = 0;
	struct return_result rr;
	const int32_t steps[][2] = { { 1, 1000 }, { 3, 1000 }, { 1, 1000 }, { 2, 1000 }, { 1, 1000 } };
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		struct ret *r = open_return(f, sr.receipt_no);
		assert_int_equal(return_set_qty(r, steps[k][0], steps[k][1]), CM_OK);
		cm_money shown = return_total(r);
		complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
		refunded += shown;
		return_free(r);
	}
	assert_int_equal(refunded, total);
	/* The stored lines agree, and per line they add up to its net. */
	struct return_record rec;
	cm_money stored = 0;
	for (int64_t id = 1; id <= 5; id++) {
		assert_int_equal(return_load(f->t, id, NULL, &rec), CM_OK);
		stored += rec.h.total;
		assert_int_equal(rec.h.class_total[0] + rec.h.class_total[1] + rec.h.class_total[2],
		                 rec.h.total);
		return_record_free(&rec);
	}
	assert_int_equal(stored, total);
	verify_ok(f);
}

/* PPN of the returned part at the sale's rate, PKP store. */
static void test_ppn_reported(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MINYAK, 1 }, { FX_BERAS, 1 } }, 2, 0, 0, &sr);
	fx_login(f, "200");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	assert_int_equal(return_set_qty(r, 2, 1000), CM_OK);
	struct return_result rr;
	complete(r, RR_WRONG_ITEM, REFUND_CASH, NULL, &rr);
	return_free(r);
	struct return_record rec;
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	assert_int_equal(rec.h.class_total[TAX_STANDARD], 36000);
	/* 36.000 at 12% on 11/12: 36000 * 0.11 / 1.11 = 3567.57 -> 3568 */
	assert_int_equal(rec.h.class_tax[TAX_STANDARD], 3568);
	assert_int_equal(rec.h.class_total[TAX_EXEMPT], 75000);
	assert_int_equal(rec.h.class_tax[TAX_EXEMPT], 0);
	return_record_free(&rec);
}

/* Damaged goods go to the damaged bin, not back on the shelf. */
static void test_damaged_bin(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_RICE, 2 } }, 1, 0, 0, &sr);
	int64_t rice = fx_item_id(f, FX_RICE);
	cm_qty level = store_stock_level(f->st, rice);
	fx_login(f, "200");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	struct return_result rr;
	complete(r, RR_DAMAGED, REFUND_CASH, NULL, &rr);
	assert_int_equal(store_stock_level(f->st, rice), level);
	assert_int_equal(store_damaged_level(f->st, rice), 1000);
	/* The other piece comes back unwanted: on the shelf. */
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	assert_int_equal(store_stock_level(f->st, rice), level + 1000);
	assert_int_equal(store_damaged_level(f->st, rice), 1000);
	return_free(r);
	char *p = fx_last_payload(f, "return");
	assert_non_null(strstr(p, "\"damaged\":false"));
	free(p);
}

/* Refund by the original tender: the debit part back to the card (up to
 * what it paid, across returns), the rest in cash rounded to the step. */
static void test_refund_tenders(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	/* 3 x 12.451 = 37.353 paid 20.000 by debit, 17.353 -> 17.400 cash. */
	sell(f, (struct sold[]){ { FX_R451, 3 } }, 1, 0, 20000, &sr);
	fx_login(f, "200");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	struct return_result rr;
	complete(r, RR_UNWANTED, REFUND_ORIGINAL, NULL, &rr);
	assert_int_equal(rr.refund, 12451);
	assert_int_equal(rr.cash, 0);
	struct return_record rec;
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	assert_int_equal(rec.ntenders, 1);
	assert_int_equal(rec.tenders[0].kind, TENDER_DEBIT);
	assert_string_equal(rec.tenders[0].ref, "APR123");
	return_record_free(&rec);

	/* 7.549 left on the card, then cash: 12.451 - 7.549 = 4.902 -> 4.900. */
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	complete(r, RR_UNWANTED, REFUND_ORIGINAL, NULL, &rr);
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	assert_int_equal(rec.ntenders, 2);
	assert_int_equal(rec.tenders[0].kind, TENDER_DEBIT);
	assert_int_equal(rec.tenders[0].amount, 7549);
	assert_int_equal(rec.tenders[1].kind, TENDER_CASH);
	assert_int_equal(rec.tenders[1].amount, 4900);
	assert_int_equal(rec.h.rounding, -2);
	assert_int_equal(rec.h.refund, 12449);
	return_record_free(&rec);

	/* Asked for cash: all cash even though the sale had a card. */
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	assert_int_equal(rr.cash, 12500);
	assert_int_equal(rr.refund, 12500);
	return_free(r);

	/* The shift's hook: cash refunds between two times. */
	cm_money cash = 0;
	assert_int_equal(store_return_cash_between(f->st, 0, 0, &cash), CM_OK);
	assert_int_equal(cash, 4900 + 12500);
	assert_int_equal(store_return_cash_between(f->st, 0, rr.journal_seq - 1, &cash), CM_OK);
	assert_int_equal(cash, 4900);

	/* The drawer the supervisor sees at the close, and the X report: cash
	 * refunds come out of the expected cash, every refund out of net
	 * sales. */
	struct shift_cash sc;
	assert_int_equal(shift_expected(f->t, NULL, &sc), CM_OK);
	assert_int_equal(sc.cash_refunds, 4900 + 12500);
	assert_int_equal(cashcount_expected(&sc), sc.float_amount + sc.cash_tendered - sc.change +
	                 sc.cash_in - sc.cash_out - (4900 + 12500));
	struct shift_report xr;
	assert_int_equal(shift_x_report(f->t, NULL, 0, &xr), CM_OK);
	assert_int_equal(xr.r.f.refunds, 12451 + 12449 + 12500);
	assert_int_equal(xr.r.f.net_sales + xr.r.f.refunds, 3 * 12451); /* the one sale */
	assert_int_equal(xr.r.shift.cash_refunds, 4900 + 12500);
	shift_report_free(&xr);
	verify_ok(f);
}

/* A cashier needs a supervisor's approval; nobody approves themself and a
 * cashier cannot approve. */
static void test_approvals(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 2 } }, 1, 0, 0, &sr);
	fx_login(f, "300");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	struct return_result rr;
	int64_t head = fx_head_seq(f);
	assert_int_equal(return_complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr), CM_NEED_OVERRIDE);
	assert_int_equal(fx_head_seq(f), head);

	struct approval ap;
	assert_int_equal(auth_approve(f->t, ACT_RETURN, "300", fx_pin("300"), "x", &ap), CM_DENIED);
	assert_int_equal(auth_approve(f->t, ACT_RETURN, "301", fx_pin("301"), "x", &ap), CM_DENIED);
	/* An approval of another action does not do. */
	struct approval other = fx_approve(f, ACT_NO_SALE, "200");
	assert_int_equal(return_complete(r, RR_UNWANTED, REFUND_CASH, &other, &rr), CM_NEED_OVERRIDE);

	ap = fx_approve(f, ACT_RETURN, "201");
	complete(r, RR_UNWANTED, REFUND_CASH, &ap, &rr);
	return_free(r);
	struct return_record rec;
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	struct user_rec u;
	assert_int_equal(store_user_by_id(f->st, rec.h.approver_id, &u), CM_OK);
	assert_string_equal(u.number, "201");
	assert_int_equal(store_user_by_id(f->st, rec.h.cashier_id, &u), CM_OK);
	assert_string_equal(u.number, "300");
	return_record_free(&rec);
	char *p = fx_last_payload(f, "return");
	assert_non_null(strstr(p, "\"approval_reason\":\"test\""));
	free(p);
}

/* The approval of a return is for its lines, quantities, refund and
 * reason: the supervisor's text lists them, and a change asks again. */
static void test_approval_bound_to_lines(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 3 } }, 1, 0, 0, &sr);
	fx_login(f, "300");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	assert_int_equal(return_check(r, RR_DAMAGED, NULL), CM_NEED_OVERRIDE);
	const struct approval_need *n = auth_need(f->t);
	assert_int_equal(n->act, ACT_RETURN);
	assert_non_null(strstr(n->what, sr.receipt_no));
	assert_non_null(strstr(n->what, "Indomie Goreng"));
	assert_non_null(strstr(n->what, "Rp3.500"));
	struct approval ap = fx_approve(f, ACT_RETURN, "200");
	assert_int_equal(return_check(r, RR_DAMAGED, &ap), CM_OK);
	/* Two pieces now, or another reason: not what was approved. */
	assert_int_equal(return_set_qty(r, 1, 2000), CM_OK);
	struct return_result rr;
	int64_t head = fx_head_seq(f);
	assert_int_equal(return_complete(r, RR_DAMAGED, REFUND_CASH, &ap, &rr), CM_NEED_OVERRIDE);
	assert_non_null(strstr(return_errmsg(r), "approve it again"));
	assert_non_null(strstr(auth_need(f->t)->what, "Rp7.000"));
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	assert_int_equal(return_complete(r, RR_UNWANTED, REFUND_CASH, &ap, &rr), CM_NEED_OVERRIDE);
	assert_int_equal(fx_head_seq(f), head);
	complete(r, RR_DAMAGED, REFUND_CASH, &ap, &rr);
	return_free(r);
	char *p = fx_last_payload(f, "return");
	char want[160];
	snprintf(want, sizeof want, "\"approved\":\"receipt=%s reason=damaged refund=3500 lines=IND-001:1000\"",
	         sr.receipt_no);
	assert_non_null(strstr(p, want));
	free(p);
}

/* Without a receipt: supervisors only, catalogue price, cash only. */
static void test_no_receipt(void **state)
{
	struct fx *f = *state;
	struct ret *r = NULL;
	fx_login(f, "300");
	assert_int_equal(return_open_no_receipt(f->t, &r), CM_DENIED);
	assert_null(r);
	assert_int_equal(auth_logout(f->t), CM_OK);

	fx_login(f, "200");
	assert_int_equal(return_open_no_receipt(f->t, &r), CM_OK);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_STATE);
	assert_int_equal(return_add_item(r, "NOPE-1", 1000), CM_NOTFOUND);
	assert_int_equal(return_add_item(r, FX_MIE_EAN, 1500), CM_INVALID);
	assert_int_equal(return_add_item(r, FX_MIE_EAN, 2000), CM_OK);
	assert_int_equal(return_add_item(r, FX_APEL, 750), CM_OK);
	assert_int_equal(return_total(r), 7000 + 30000);
	struct return_result rr;
	complete(r, RR_EXPIRED, REFUND_ORIGINAL, NULL, &rr);
	assert_int_equal(rr.cash, 37000);
	return_free(r);
	struct return_record rec;
	assert_int_equal(return_load(f->t, 0, rr.return_no, &rec), CM_OK);
	assert_int_equal(rec.h.sale_id, 0);
	assert_string_equal(rec.h.reason, "expired");
	assert_int_equal(rec.nlines, 2);
	assert_int_equal(rec.lines[0].sale_line, 0);
	assert_true(rec.lines[0].damaged);
	assert_int_equal(store_damaged_level(f->st, fx_item_id(f, FX_APEL)), 750);
	return_record_free(&rec);
	verify_ok(f);
}

/* Unknown receipt numbers, voided lines, the return receipt text and its
 * number series across a restart. */
static void test_receipt_and_numbers(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_COLA, 2 } }, 1, 0, 0, &sr);
	fx_login(f, "200");
	struct ret *r = NULL;
	assert_int_equal(return_open(f->t, "T01-999999", &r), CM_NOTFOUND);
	assert_int_equal(return_open(f->t, "  ", &r), CM_INVALID);
	/* A scanned receipt barcode may carry a trailing newline. */
	char scanned[64];
	snprintf(scanned, sizeof scanned, "%s\n", sr.receipt_no);
	r = open_return(f, scanned);
	assert_string_equal(return_sale_receipt(r), sr.receipt_no);
	assert_int_equal(return_set_qty(r, 7, 1000), CM_NOTFOUND);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	struct return_result rr;
	complete(r, RR_WRONG_ITEM, REFUND_CASH, NULL, &rr);
	return_free(r);

	struct return_record rec;
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	char *text = return_receipt(f->t, &rec, 32, false);
	assert_non_null(text);
	assert_non_null(strstr(text, "*** RETUR BARANG ***"));
	assert_non_null(strstr(text, rr.return_no));
	assert_non_null(strstr(text, sr.receipt_no));
	assert_non_null(strstr(text, "Salah barang"));
	assert_non_null(strstr(text, "TOTAL RETUR"));
	assert_non_null(strstr(text, "PPN termasuk"));
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 32);
		line = nl + 1;
	}
	free(text);
	return_record_free(&rec);

	/* The store renamed later: the return receipt shows the heading it
	 * printed; at 40 columns (the dot-matrix profile) no line is wider. */
	fx_set(f, SET_STORE_NAME, "Koperasi Baru Bersatu");
	assert_int_equal(return_load(f->t, rr.id, NULL, &rec), CM_OK);
	text = return_receipt(f->t, &rec, 40, true);
	assert_non_null(text);
	assert_non_null(strstr(text, "Koperasi Uji"));
	assert_null(strstr(text, "Koperasi Baru"));
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 40);
		line = nl + 1;
	}
	free(text);
	return_record_free(&rec);

	fx_reopen(f);
	fx_login(f, "200");
	r = open_return(f, sr.receipt_no);
	assert_int_equal(return_left(r, 0), 1000);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	complete(r, RR_WRONG_ITEM, REFUND_CASH, NULL, &rr);
	assert_string_equal(rr.return_no, "T01-R000002");
	return_free(r);
	/* Completed returns cannot be changed. */
	fx_close(f);
	assert_int_not_equal(fx_sql(f->path, "UPDATE returns SET total = 1"), SQLITE_OK);
	assert_int_not_equal(fx_sql(f->path, "DELETE FROM return_lines"), SQLITE_OK);
	fx_open(f);
}

/* No open shift, no refund: the money would leave a drawer nobody counts. */
static void test_needs_open_shift(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 1 } }, 1, 0, 0, &sr);
	fx_login(f, "200");
	int64_t pieces[CASH_DENOMS] = { 0 };
	struct shift_close_result sc;
	assert_int_equal(shift_close(f->t, pieces, NULL, &sc), CM_OK);
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 1000), CM_OK);
	struct return_result rr;
	int64_t head = fx_head_seq(f);
	assert_int_equal(return_complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr), CM_STATE);
	assert_non_null(strstr(return_errmsg(r), "shift"));
	assert_int_equal(fx_head_seq(f), head);
	return_free(r);
	assert_int_equal(count(f, "returns"), 0);
}

/* journal verify compares every return with its event. */
static void test_verify_catches_altered_return(void **state)
{
	struct fx *f = *state;
	struct sale_result sr;
	sell(f, (struct sold[]){ { FX_MIE, 2 } }, 1, 0, 0, &sr);
	fx_login(f, "200");
	struct ret *r = open_return(f, sr.receipt_no);
	assert_int_equal(return_set_qty(r, 1, 2000), CM_OK);
	struct return_result rr;
	complete(r, RR_UNWANTED, REFUND_CASH, NULL, &rr);
	return_free(r);
	verify_ok(f);
	fx_close(f);
	assert_int_equal(fx_sql(f->path, "DROP TRIGGER return_lines_no_update;"
	                                 "UPDATE return_lines SET qty = 1000"), SQLITE_OK);
	fx_open(f);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, rr.journal_seq);
	assert_non_null(strstr(c.why, rr.return_no));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partial_and_cumulative_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_returns_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discounted_refunds_add_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ppn_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_bin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refund_tenders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approvals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approval_bound_to_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_and_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_needs_open_shift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_catches_altered_return, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
