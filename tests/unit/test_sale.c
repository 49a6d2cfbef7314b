/* The sale engine: scanning, lines, discounts, tax, tenders, completion,
 * voids, overrides, cancel, suspend/resume, crash recovery, members and
 * receipts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/money.h"

/* Each test starts with cashier 300 logged in on a copy of the template. */
static int setup(void **state)
{
	struct fx *f = fx_new("sale");
	fx_login(f, "300");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static struct sale *open_sale(struct fx *f)
{
	struct sale *s = NULL;
	enum cm_rc rc = sale_open(f->t, &s);
	if (rc != CM_OK)
		fail_msg("sale_open: %s (%s)", cm_rc_name(rc), till_errmsg(f->t));
	return s;
}

static void scan(struct sale *s, const char *code, cm_qty mult)
{
	enum cm_rc rc = sale_scan(s, code, mult);
	if (rc != CM_OK)
		fail_msg("scan %s: %s (%s)", code, cm_rc_name(rc), sale_errmsg(s));
}

static void tender(struct sale *s, enum tender_kind k, cm_money amount, const char *ref)
{
	enum cm_rc rc = sale_add_tender(s, k, amount, ref);
	if (rc != CM_OK)
		fail_msg("tender %lld: %s (%s)", (long long)amount, cm_rc_name(rc), sale_errmsg(s));
}

static void complete(struct sale *s, struct sale_result *r)
{
	enum cm_rc rc = sale_complete(s, r);
	if (rc != CM_OK)
		fail_msg("complete: %s (%s)", cm_rc_name(rc), sale_errmsg(s));
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
}

/* Lines of the ticket as the store has them (what a crash would keep). */
static size_t stored_lines(struct fx *f, struct sale *s)
{
	struct ticket_rec tk;
	struct line_rec *l;
	struct tender_rec *t;
	size_t n, nt;
	assert_int_equal(store_ticket_load(f->st, sale_ticket(s)->id, &tk, &l, &n, &t, &nt), CM_OK);
	size_t live = 0;
	for (size_t i = 0; i < n; i++)
		live += !l[i].voided;
	free(l);
	free(t);
	return live;
}

struct susp {
	int n;
	int64_t id[4];
	size_t nlines[4];
	cm_money total[4];
	char label[4][33];
};

static void susp_fn(const struct ticket_rec *t, size_t nlines, cm_money total, void *ctx)
{
	struct susp *c = ctx;
	if (c->n >= 4)
		return;
	c->id[c->n] = t->id;
	c->nlines[c->n] = nlines;
	c->total[c->n] = total;
	snprintf(c->label[c->n], sizeof c->label[0], "%s", t->label);
	c->n++;
}

/* ---- scanning ---- */

static void test_scan_ean13(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	assert_int_equal(sale_line_count(s), 1);
	const struct line_rec *l = sale_line(s, 0);
	assert_int_equal(l->line_no, 1);
	assert_string_equal(l->sku, FX_MIE);
	assert_string_equal(l->barcode, FX_MIE_EAN);
	assert_string_equal(l->name, "Indomie Goreng");
	assert_int_equal(l->qty, 1000);
	assert_int_equal(l->unit_price, 3500);
	assert_int_equal(l->list_price, 3500);
	assert_int_equal(l->tax, TAX_STANDARD);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 3500);
	assert_int_equal(sale_totals(s)->gross, 3500);
	assert_int_equal(sale_totals(s)->total, 3500);
	assert_int_equal(stored_lines(f, s), 1);
	sale_free(s);
}

static void test_scan_upca(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_COLA_UPC, 0);
	assert_int_equal(sale_line_count(s), 1);
	assert_string_equal(sale_line(s, 0)->sku, FX_COLA);
	assert_string_equal(sale_line(s, 0)->barcode, FX_COLA_EAN);
	/* The EAN-13 form scans the same item. */
	scan(s, FX_COLA_EAN, 0);
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 2000);
	sale_free(s);
}

static void test_scan_sku(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_BERAS, 0);
	assert_int_equal(sale_line_count(s), 1);
	assert_string_equal(sale_line(s, 0)->sku, FX_BERAS);
	assert_string_equal(sale_line(s, 0)->barcode, "");
	assert_int_equal(sale_totals(s)->gross, 75000);
	/* sale_add_item, as from a search. */
	assert_int_equal(sale_add_item(s, fx_item_id(f, FX_SOTO), 2000), CM_OK);
	assert_int_equal(sale_line_count(s), 2);
	assert_int_equal(sale_line(s, 1)->qty, 2000);
	assert_int_equal(sale_add_item(s, 987654, 0), CM_NOTFOUND);
	/* A weighed item from the search needs its weight too. */
	assert_int_equal(sale_add_item(s, fx_item_id(f, FX_APEL), 0), CM_INVALID);
	assert_int_equal(sale_line_count(s), 2);
	assert_int_equal(sale_add_item(s, fx_item_id(f, FX_APEL), 500), CM_OK);
	assert_int_equal(sale_line(s, 2)->qty, 500);
	assert_string_equal(sale_line(s, 2)->barcode, "");
	sale_free(s);
}

static void test_scan_unknown_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	int64_t head = fx_head_seq(f);
	struct sale_totals before = *sale_totals(s);
	const char *unknown[] = { "8991000000096", "ZZZ-404", "12345",
	                          "8991000000102" };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		enum cm_rc rc = sale_scan(s, unknown[i], 0);
		if (rc != CM_NOTFOUND)
			fail_msg("scan %s: %s", unknown[i], cm_rc_name(rc));
		assert_non_null(strstr(sale_errmsg(s), unknown[i]));
	}
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 1000);
	assert_memory_equal(&before, sale_totals(s), sizeof before);
	assert_int_equal(stored_lines(f, s), 1);
	assert_int_equal(fx_head_seq(f), head);
	sale_free(s);
}

static void test_scan_bad_check_digit(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	const char *bad[] = { "8998866200579", "049000006347", "89910000", "0049000006340" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum cm_rc rc = sale_scan(s, bad[i], 0);
		if (rc != CM_INVALID)
			fail_msg("scan %s: %s", bad[i], cm_rc_name(rc));
		assert_true(strlen(sale_errmsg(s)) > 0);
	}
	/* Not a code at all. */
	assert_int_equal(sale_scan(s, "", 0), CM_INVALID);
	assert_int_equal(sale_scan(s, "a b", 0), CM_INVALID);
	assert_null(strstr(sale_errmsg(s), "check digit"));
	assert_int_equal(sale_scan(s, "tab\there", 0), CM_INVALID);
	assert_int_equal(sale_line_count(s), 0);
	assert_int_equal(stored_lines(f, s), 0);
	sale_free(s);
}

static void test_scan_inactive_refused(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	assert_int_equal(sale_scan(s, FX_OLD_EAN, 0), CM_INVALID);
	assert_int_equal(sale_scan(s, FX_OLD, 0), CM_INVALID);
	assert_int_equal(sale_line_count(s), 0);
	sale_free(s);
}

static void test_weighed_needs_weight(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	assert_int_equal(sale_scan(s, FX_APEL, 0), CM_INVALID);
	assert_non_null(strstr(sale_errmsg(s), "Apel"));
	assert_int_equal(sale_line_count(s), 0);
	scan(s, FX_APEL, 750);
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 750);
	assert_true(sale_line(s, 0)->weighed);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 30000);
	/* Weighed lines do not merge. */
	scan(s, FX_APEL, 250);
	assert_int_equal(sale_line_count(s), 2);
	assert_int_equal(sale_totals(s)->gross, 40000);
	/* 1 gram of Daging Sapi at 130.000/kg is Rp130. */
	scan(s, FX_DAGING, 1);
	assert_int_equal(sale_line_amounts(s, 2)->amount, 130);
	sale_free(s);
}

static void test_multiplier(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 3000);
	assert_int_equal(sale_line(s, 0)->qty, 3000);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 10500);
	/* A piece item cannot be sold by the fraction. */
	assert_int_equal(sale_scan(s, FX_SOTO_EAN, 1500), CM_INVALID);
	assert_int_equal(sale_scan(s, FX_SOTO_EAN, -1000), CM_INVALID);
	assert_int_equal(sale_scan(s, FX_SOTO_EAN, 100000000), CM_INVALID);
	assert_int_equal(sale_line_count(s), 1);
	/* Merged with the multiplier. */
	scan(s, FX_MIE_EAN, 2000);
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 5000);
	sale_free(s);
}

static void test_same_item_merges(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	scan(s, FX_MIE_EAN, 0);
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 2000);
	assert_int_equal(sale_totals(s)->gross, 7000);
	/* By SKU too. */
	scan(s, FX_MIE, 0);
	assert_int_equal(sale_line_count(s), 1);
	assert_int_equal(sale_line(s, 0)->qty, 3000);
	/* Only with the last line. */
	scan(s, FX_SOTO_EAN, 0);
	scan(s, FX_MIE_EAN, 0);
	assert_int_equal(sale_line_count(s), 3);
	assert_int_equal(sale_line(s, 2)->line_no, 3);
	/* The store has the merged quantity. */
	struct ticket_rec tk;
	struct line_rec *l;
	struct tender_rec *t;
	size_t n, nt;
	assert_int_equal(store_ticket_load(f->st, sale_ticket(s)->id, &tk, &l, &n, &t, &nt), CM_OK);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].qty, 3000);
	free(l);
	free(t);
	sale_free(s);
}

static void set_scale_formats(struct fx *f)
{
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "100");
	assert_int_equal(till_scale_format_set(f->t, "20", "PPIIIIIWWWWWC"), CM_OK);
	assert_int_equal(till_scale_format_set(f->t, "21", "PPIIIIXRRRRRC"), CM_OK);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "300");
}

static void test_scale_weight_label(void **state)
{
	struct fx *f = *state;
	set_scale_formats(f);
	struct scale_format fmt = { "20", "PPIIIIIWWWWWC" };
	char label[14];
	assert_int_equal(scale_format_make(&fmt, FX_APEL_PLU, 1234, label), CM_OK);
	struct sale *s = open_sale(f);
	scan(s, label, 0);
	assert_int_equal(sale_line_count(s), 1);
	const struct line_rec *l = sale_line(s, 0);
	assert_string_equal(l->sku, FX_APEL);
	assert_string_equal(l->barcode, label);
	assert_true(l->weighed);
	assert_int_equal(l->qty, 1234);
	assert_int_equal(l->fixed_amount, 0);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 49360);
	/* A label for an unknown PLU. */
	assert_int_equal(scale_format_make(&fmt, 999, 500, label), CM_OK);
	assert_int_equal(sale_scan(s, label, 0), CM_NOTFOUND);
	/* A zero weight. */
	assert_int_equal(scale_format_make(&fmt, FX_APEL_PLU, 0, label), CM_OK);
	assert_int_equal(sale_scan(s, label, 0), CM_INVALID);
	assert_int_equal(sale_line_count(s), 1);
	sale_free(s);
}

static void test_scale_price_label(void **state)
{
	struct fx *f = *state;
	set_scale_formats(f);
	struct scale_format fmt = { "21", "PPIIIIXRRRRRC" };
	char label[14];
	assert_int_equal(scale_format_make(&fmt, FX_DAGING_PLU, 25000, label), CM_OK);
	struct sale *s = open_sale(f);
	scan(s, label, 0);
	const struct line_rec *l = sale_line(s, 0);
	assert_string_equal(l->sku, FX_DAGING);
	assert_int_equal(l->fixed_amount, 25000);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 25000);
	/* 25.000 / 130.000 per kg = 0,1923 kg -> 192 g for stock. */
	assert_int_equal(l->qty, 192);
	/* Its quantity and price cannot be changed, it can be voided. */
	assert_int_equal(sale_set_qty(s, 1, 1000, NULL), CM_STATE);
	struct approval ap = fx_approve(f, ACT_PRICE_OVERRIDE, "200");
	assert_int_equal(sale_price_override(s, 1, 1000, &ap), CM_INVALID);
	assert_int_equal(sale_line_amounts(s, 0)->amount, 25000);
	/* Two labels of the same price are two lines. */
	scan(s, label, 0);
	assert_int_equal(sale_line_count(s), 2);
	assert_int_equal(sale_totals(s)->gross, 50000);
	/* The list of suspended tickets shows the label amounts. */
	assert_int_equal(sale_suspend(s, "daging"), CM_OK);
	sale_free(s);
	struct susp c = { 0 };
	assert_int_equal(sale_list_suspended(f->t, susp_fn, &c), CM_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.nlines[0], 2);
	assert_int_equal(c.total[0], 50000);
}

/* ---- discounts and tax ---- */

static void test_line_discount_limit(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);       /* 3.500 */
	scan(s, FX_MINYAK_EAN, 0);    /* 36.000 */
	int64_t head = fx_head_seq(f);
	/* 10% is the cashier's limit. */
	assert_int_equal(sale_line_discount(s, 1, DISC_PERCENT, 1000, NULL), CM_OK);
	assert_int_equal(sale_line_amounts(s, 0)->line_discount, 350);
	assert_int_equal(sale_line_amounts(s, 0)->net, 3150);
	assert_int_equal(fx_head_seq(f), head + 1);
	/* 15% needs a supervisor. */
	assert_int_equal(sale_line_discount(s, 1, DISC_PERCENT, 1500, NULL), CM_NEED_OVERRIDE);
	assert_int_equal(sale_line_amounts(s, 0)->line_discount, 350);
	struct approval wrong = fx_approve(f, ACT_PRICE_OVERRIDE, "200");
	assert_int_equal(sale_line_discount(s, 1, DISC_PERCENT, 1500, &wrong), CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_DISCOUNT_OVER_LIMIT, "200");
	assert_int_equal(sale_line_discount(s, 1, DISC_PERCENT, 1500, &ap), CM_OK);
	assert_int_equal(sale_line_amounts(s, 0)->line_discount, 525);
	char *p = fx_last_payload(f, "line_discount");
	char want[64];
	snprintf(want, sizeof want, "\"approved_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	free(p);
	/* Amounts: 3.600 of 36.000 is 10%, 3.601 is more. */
	assert_int_equal(sale_line_discount(s, 2, DISC_AMOUNT, 3600, NULL), CM_OK);
	assert_int_equal(sale_line_amounts(s, 1)->line_discount, 3600);
	assert_int_equal(sale_line_discount(s, 2, DISC_AMOUNT, 3601, NULL), CM_NEED_OVERRIDE);
	/* Impossible discounts. */
	assert_int_equal(sale_line_discount(s, 2, DISC_AMOUNT, 36001, &ap), CM_INVALID);
	assert_int_equal(sale_line_discount(s, 2, DISC_AMOUNT, 0, NULL), CM_INVALID);
	assert_int_equal(sale_line_discount(s, 2, DISC_PERCENT, 10001, &ap), CM_INVALID);
	assert_int_equal(sale_line_discount(s, 2, DISC_PERCENT, -5, NULL), CM_INVALID);
	assert_int_equal(sale_line_discount(s, 9, DISC_PERCENT, 500, NULL), CM_NOTFOUND);
	/* Removing a discount. */
	assert_int_equal(sale_line_discount(s, 2, DISC_NONE, 0, NULL), CM_OK);
	assert_int_equal(sale_line_amounts(s, 1)->line_discount, 0);
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->gross, 39500);
	assert_int_equal(t->line_discounts, 525);
	assert_int_equal(t->total, 38975);
	sale_free(s);
}

static void test_ticket_discount_spread(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);     /* 3.500 standard */
	scan(s, FX_SOTO_EAN, 0);    /* 3.400 standard */
	scan(s, FX_MINYAK_EAN, 0);  /* 36.000 standard */
	scan(s, FX_BERAS_EAN, 0);   /* 75.000 exempt */
	assert_int_equal(sale_totals(s)->gross, 117900);
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 1000, NULL), CM_OK);
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->ticket_discount, 1000);
	assert_int_equal(t->total, 116900);
	cm_money sum = 0;
	for (size_t i = 0; i < sale_line_count(s); i++) {
		const struct sale_line_amounts *a = sale_line_amounts(s, i);
		sum += a->ticket_discount;
		/* Within one rupiah of the exact proportional share. */
		double exact = 1000.0 * (double)a->amount / 117900.0;
		assert_true((double)a->ticket_discount > exact - 1.0);
		assert_true((double)a->ticket_discount < exact + 1.0);
		assert_int_equal(a->net, a->amount - a->line_discount - a->ticket_discount);
	}
	assert_int_equal(sum, 1000);
	/* Largest remainders: 29,68 and 28,83 are rounded up, 305,34 and
	 * 636,13 down. */
	assert_int_equal(sale_line_amounts(s, 0)->ticket_discount, 30);
	assert_int_equal(sale_line_amounts(s, 1)->ticket_discount, 29);
	assert_int_equal(sale_line_amounts(s, 2)->ticket_discount, 305);
	assert_int_equal(sale_line_amounts(s, 3)->ticket_discount, 636);
	assert_int_equal(t->class_total[TAX_STANDARD], 42900 - 364);
	assert_int_equal(t->class_total[TAX_EXEMPT], 75000 - 636);
	assert_int_equal(t->class_total[TAX_LUXURY], 0);
	assert_int_equal(t->class_total[TAX_STANDARD] + t->class_total[TAX_EXEMPT], t->total);
	/* PPN per class from the class total: 42.536 x 11/111 = 4.215,28. */
	assert_int_equal(t->class_tax[TAX_STANDARD], 4215);
	assert_int_equal(t->class_tax[TAX_EXEMPT], 0);
	assert_int_equal(t->class_tax[TAX_LUXURY], 0);

	/* 5% in percent, with a line discount underneath. */
	assert_int_equal(sale_line_discount(s, 3, DISC_AMOUNT, 5000, NULL), CM_NEED_OVERRIDE);
	assert_int_equal(sale_line_discount(s, 4, DISC_AMOUNT, 5000, NULL), CM_OK);
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 500, NULL), CM_OK);
	t = sale_totals(s);
	assert_int_equal(t->line_discounts, 5000);
	assert_int_equal(t->ticket_discount, 5645); /* 5% of 112.900 */
	sum = 0;
	cm_money classes = 0;
	for (size_t i = 0; i < sale_line_count(s); i++)
		sum += sale_line_amounts(s, i)->ticket_discount;
	for (int c = 0; c < TAX_CLASS_COUNT; c++)
		classes += t->class_total[c];
	assert_int_equal(sum, 5645);
	assert_int_equal(classes, t->total);
	assert_int_equal(t->total, 112900 - 5645);
	/* Over the limit needs approval; a voided line takes no share. */
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 2000, NULL), CM_NEED_OVERRIDE);
	assert_int_equal(sale_void_line(s, 1, NULL), CM_OK);
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 7, NULL), CM_OK);
	assert_int_equal(sale_line_amounts(s, 0)->ticket_discount, 0);
	sum = 0;
	for (size_t i = 0; i < sale_line_count(s); i++)
		sum += sale_line_amounts(s, i)->ticket_discount;
	assert_int_equal(sum, 7);
	/* Persisted with the ticket. */
	struct ticket_rec tk;
	struct line_rec *l;
	struct tender_rec *tt;
	size_t n, nt;
	assert_int_equal(store_ticket_load(f->st, sale_ticket(s)->id, &tk, &l, &n, &tt, &nt), CM_OK);
	assert_int_equal(tk.disc_kind, DISC_AMOUNT);
	assert_int_equal(tk.disc_value, 7);
	free(l);
	free(tt);
	sale_free(s);
}

static void test_ticket_discount_many_small_lines(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	/* Seven equal lines and a discount that does not divide: ties go to
	 * the earlier lines. */
	const char *codes[] = { FX_MIE, FX_SOTO, FX_MIE, FX_SOTO, FX_MIE, FX_SOTO, FX_MIE };
	for (size_t i = 0; i < 7; i++)
		scan(s, codes[i], 0);
	assert_int_equal(sale_line_count(s), 7);
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 10, NULL), CM_OK);
	cm_money sum = 0;
	for (size_t i = 0; i < 7; i++)
		sum += sale_line_amounts(s, i)->ticket_discount;
	assert_int_equal(sum, 10);
	/* A 100% discount over the limit, approved: everything is free. */
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 10000, NULL), CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_DISCOUNT_OVER_LIMIT, "200");
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 10000, &ap), CM_OK);
	assert_int_equal(sale_totals(s)->total, 0);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(sale_line_amounts(s, i)->net, 0);
	sale_free(s);
}

static void test_ppn_pkp_2025_and_2024(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_RICE_EAN, 0);   /* 111.000 standard */
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->class_total[TAX_STANDARD], 111000);
	assert_int_equal(t->class_tax[TAX_STANDARD], 11000); /* 12% of 11/12 */
	scan(s, FX_PARFUM_EAN, 0); /* 240.000 luxury: full 12% */
	t = sale_totals(s);
	assert_int_equal(t->class_tax[TAX_LUXURY], 25714);
	scan(s, FX_BERAS_EAN, 0);
	t = sale_totals(s);
	assert_int_equal(t->class_tax[TAX_EXEMPT], 0);
	tender(s, TENDER_CASH, 500000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	/* The tax rows are stored with the rate in force. */
	struct sale_header h;
	struct line_rec *l;
	struct sale_line_amounts *a;
	struct tender_rec *tt;
	size_t n, nt;
	assert_int_equal(store_sale_load(f->st, r.sale_id, NULL, &h, &l, &a, &n, &tt, &nt), CM_OK);
	assert_int_equal(h.totals.class_tax[TAX_STANDARD], 11000);
	assert_int_equal(h.totals.class_tax[TAX_LUXURY], 25714);
	assert_int_equal(h.totals.class_total[TAX_EXEMPT], 75000);
	assert_int_equal(h.rates[TAX_STANDARD].rate_bp, 1200);
	assert_int_equal(h.rates[TAX_STANDARD].base_num, 11);
	assert_int_equal(h.rates[TAX_STANDARD].base_den, 12);
	assert_int_equal(h.rates[TAX_LUXURY].base_num, 1);
	assert_int_equal(h.business_date, 20250310);
	free(l);
	free(a);
	free(tt);

	/* In 2024 the rate is 11% on the whole price for both classes. */
	f->now = FX_T2024;
	s = open_sale(f);
	scan(s, FX_RICE_EAN, 0);
	scan(s, FX_PARFUM_EAN, 0);
	t = sale_totals(s);
	assert_int_equal(t->class_tax[TAX_STANDARD], 11000);
	assert_int_equal(t->class_tax[TAX_LUXURY], 23784);
	sale_free(s);
}

static void test_ppn_not_pkp(void **state)
{
	struct fx *f = *state;
	fx_set(f, SET_PKP, "0");
	struct sale *s = open_sale(f);
	scan(s, FX_RICE_EAN, 0);
	scan(s, FX_PARFUM_EAN, 0);
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->class_total[TAX_STANDARD], 111000);
	for (int c = 0; c < TAX_CLASS_COUNT; c++)
		assert_int_equal(t->class_tax[c], 0);
	tender(s, TENDER_CASH, 351000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	for (int c = 0; c < TAX_CLASS_COUNT; c++)
		assert_int_equal(rec.h.totals.class_tax[c], 0);
	char *text = history_receipt(f->t, &rec, 0, false);
	assert_non_null(text);
	assert_null(strstr(text, "PPN"));
	assert_null(strstr(text, "NPWP"));
	free(text);
	history_free(&rec);
}

/* ---- tenders ---- */

static void test_cash_rounding_halves_down(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_R450, 0);
	const struct sale_totals *t = sale_totals(s);
	/* No cash yet: no rounding. */
	assert_int_equal(t->total, 12450);
	assert_int_equal(t->rounding, 0);
	assert_int_equal(t->due, 12450);
	assert_int_equal(sale_cash_due(s), 12400);
	assert_int_equal(sale_noncash_due(s), 12450);
	tender(s, TENDER_CASH, 12400, NULL);
	t = sale_totals(s);
	assert_int_equal(t->rounding, -50);
	assert_int_equal(t->due, 12400);
	assert_int_equal(t->change, 0);
	assert_int_equal(sale_cash_due(s), 0);
	/* Paid: no more cash. */
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 1000, NULL), CM_STATE);
	struct sale_result r;
	complete(s, &r);
	assert_int_equal(r.change, 0);
	sale_free(s);

	s = open_sale(f);
	scan(s, FX_R451, 0);
	assert_int_equal(sale_cash_due(s), 12500);
	/* Not enough. */
	tender(s, TENDER_CASH, 12000, NULL);
	assert_int_equal(sale_cash_due(s), 500);
	assert_int_equal(sale_complete(s, &r), CM_STATE);
	tender(s, TENDER_CASH, 1000, NULL);
	t = sale_totals(s);
	assert_int_equal(t->rounding, 49);
	assert_int_equal(t->due, 12500);
	assert_int_equal(t->paid, 13000);
	assert_int_equal(t->change, 500);
	complete(s, &r);
	assert_int_equal(r.change, 500);
	sale_free(s);

	struct sale_header h;
	struct line_rec *l;
	struct sale_line_amounts *a;
	struct tender_rec *tt;
	size_t n, nt;
	assert_int_equal(store_sale_load(f->st, 0, r.receipt_no, &h, &l, &a, &n, &tt, &nt), CM_OK);
	assert_int_equal(h.totals.total, 12451);
	assert_int_equal(h.totals.rounding, 49);
	assert_int_equal(h.totals.due, 12500);
	assert_int_equal(h.totals.change, 500);
	assert_int_equal(nt, 2);
	free(l);
	free(a);
	free(tt);
	/* Other steps. */
	fx_set(f, SET_ROUND_STEP, "500");
	s = open_sale(f);
	scan(s, FX_R451, 0);
	assert_int_equal(sale_cash_due(s), 12500);
	sale_free(s);
}

static void test_no_rounding_without_cash(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_R450, 0);
	tender(s, TENDER_DEBIT, 12450, "APPR01");
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->rounding, 0);
	assert_int_equal(t->due, 12450);
	assert_int_equal(t->change, 0);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_int_equal(rec.h.totals.rounding, 0);
	assert_int_equal(rec.ntenders, 1);
	assert_int_equal(rec.tenders[0].kind, TENDER_DEBIT);
	assert_string_equal(rec.tenders[0].ref, "APPR01");
	history_free(&rec);
}

static void test_split_tender(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MINYAK_EAN, 0);
	scan(s, FX_R450, 0);
	assert_int_equal(sale_totals(s)->total, 48450);
	tender(s, TENDER_DEBIT, 30000, "APPR01");
	assert_int_equal(sale_noncash_due(s), 18450);
	assert_int_equal(sale_cash_due(s), 18400);
	tender(s, TENDER_CASH, 20000, NULL);
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->rounding, -50);
	assert_int_equal(t->due, 48400);
	assert_int_equal(t->paid, 50000);
	assert_int_equal(t->change, 1600);
	/* Removing a payment and adding it again. */
	assert_int_equal(sale_remove_tender(s, 5), CM_NOTFOUND);
	assert_int_equal(sale_remove_tender(s, 1), CM_OK);
	assert_int_equal(sale_tender_count(s), 1);
	assert_int_equal(sale_totals(s)->rounding, 0);
	tender(s, TENDER_CASH, 20000, NULL);
	struct sale_result r;
	complete(s, &r);
	assert_int_equal(r.change, 1600);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_int_equal(rec.ntenders, 2);
	assert_int_equal(rec.tenders[0].kind, TENDER_DEBIT);
	assert_int_equal(rec.tenders[0].amount, 30000);
	assert_int_equal(rec.tenders[1].kind, TENDER_CASH);
	assert_int_equal(rec.tenders[1].amount, 20000);
	assert_int_equal(rec.h.totals.change, 1600);
	history_free(&rec);
	/* The day report counts the cash that stays in the drawer. */
	struct day_report dr;
	assert_int_equal(store_day_report(f->st, 20250310, &dr), CM_OK);
	assert_int_equal(dr.sales, 1);
	assert_int_equal(dr.total, 48450);
	assert_int_equal(dr.rounding, -50);
	assert_int_equal(dr.ntender, 2);
	assert_string_equal(dr.by_tender[0].key, "cash");
	assert_int_equal(dr.by_tender[0].amount, 18400);
	assert_string_equal(dr.by_tender[1].key, "debit");
	assert_int_equal(dr.by_tender[1].amount, 30000);
	store_day_report_free(&dr);
}

static void test_cash_first_then_debit(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MINYAK_EAN, 0);
	scan(s, FX_R450, 0);
	tender(s, TENDER_CASH, 10000, NULL);
	assert_int_equal(sale_noncash_due(s), 38450);
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 38451, "A1"), CM_INVALID);
	tender(s, TENDER_DEBIT, 38450, "A1");
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->rounding, 0);
	assert_int_equal(t->due, 48450);
	assert_int_equal(t->change, 0);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
}

static void test_cash_remainder_that_rounds_to_nothing(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_R450, 0);                  /* 12.450 */
	tender(s, TENDER_DEBIT, 12400, "D1");
	/* Rp50 is left; in cash it rounds (halves down) to nothing. */
	assert_int_equal(sale_cash_due(s), 0);
	const struct sale_totals *t = sale_totals(s);
	assert_int_equal(t->rounding, -50);
	assert_int_equal(t->due, 12400);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	/* Rp51 is not nothing: Rp100 in cash. */
	s = open_sale(f);
	scan(s, FX_R451, 0);
	tender(s, TENDER_DEBIT, 12400, "D2");
	assert_int_equal(sale_cash_due(s), 100);
	assert_int_equal(sale_complete(s, &r), CM_STATE);
	tender(s, TENDER_CASH, 100, NULL);
	assert_int_equal(sale_totals(s)->rounding, 49);
	complete(s, &r);
	sale_free(s);
	verify_ok(f);
}

static void test_discount_limit_not_bypassed(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 10000);           /* 35.000 */
	assert_int_equal(sale_line_discount(s, 1, DISC_AMOUNT, 3500, NULL), CM_OK); /* 10% */
	/* Nine packets back on the shelf would make it 100%: no approval of
	 * the quantity makes that discount right, the discount changes first. */
	assert_int_equal(sale_set_qty(s, 1, 1000, NULL), CM_STATE);
	assert_int_equal(sale_line(s, 0)->qty, 10000);
	assert_int_equal(sale_totals(s)->total, 31500);
	assert_int_equal(stored_lines(f, s), 1);
	/* More packets are fine, so is dropping the discount first. */
	assert_int_equal(sale_set_qty(s, 1, 12000, NULL), CM_OK);
	assert_int_equal(sale_line_discount(s, 1, DISC_NONE, 0, NULL), CM_OK);
	assert_int_equal(sale_set_qty(s, 1, 1000, NULL), CM_OK);
	/* A ticket discount in rupiah and a voided line. */
	scan(s, FX_MINYAK_EAN, 0);            /* 36.000 */
	scan(s, FX_BERAS_EAN, 0);             /* 75.000 */
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 11450, NULL), CM_OK); /* 10% of 114.500 */
	assert_int_equal(sale_void_line(s, 3, NULL), CM_STATE);
	assert_false(sale_line(s, 2)->voided);
	assert_int_equal(sale_totals(s)->ticket_discount, 11450);
	/* Percentages scale with the amount: no approval needed. */
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 1000, NULL), CM_OK);
	assert_int_equal(sale_void_line(s, 3, NULL), CM_OK);
	/* A supervisor may. */
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 3950, NULL), CM_OK); /* 10% of 39.500 */
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(sale_void_line(s, 2, NULL), CM_OK);
	assert_int_equal(sale_totals(s)->total, 0);
	sale_free(s);
}

static void test_tender_checks(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	/* Nothing to pay for. */
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 1000, NULL), CM_STATE);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_STATE);
	scan(s, FX_R450, 0);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 0, NULL), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, -100, NULL), CM_INVALID);
	/* Debit over the due, without a reference, with junk in it. */
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 12451, "APPR01"), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 12450, NULL), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 12450, ""), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 12450, "AB\n12"), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_QRIS, 12451, "QR1"), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_QRIS, 100, NULL), CM_INVALID);
	char longref[64];
	memset(longref, '7', sizeof longref - 1);
	longref[sizeof longref - 1] = '\0';
	assert_int_equal(sale_add_tender(s, TENDER_QRIS, 100, longref), CM_INVALID);
	assert_int_equal(sale_add_tender(s, (enum tender_kind)9, 100, "X"), CM_INVALID);
	/* Cash above the ceiling: a barcode typed into the amount. */
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 8998866200578, NULL), CM_INVALID);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 10000001, NULL), CM_INVALID);
	assert_non_null(strstr(sale_errmsg(s), "10.000.000"));
	assert_int_equal(sale_tender_count(s), 0);
	/* At the ceiling it is fine (change is paid out). */
	tender(s, TENDER_CASH, 10000000, NULL);
	assert_int_equal(sale_totals(s)->change, 10000000 - 12400);
	/* Lines cannot change once payment started. */
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 0), CM_STATE);
	assert_int_equal(sale_void_line(s, 1, NULL), CM_STATE);
	assert_int_equal(sale_line_discount(s, 1, DISC_PERCENT, 500, NULL), CM_STATE);
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 500, NULL), CM_STATE);
	assert_int_equal(sale_attach_member(s, "MC0001"), CM_STATE);
	assert_int_equal(sale_cancel(s, NULL), CM_STATE);
	assert_int_equal(sale_suspend(s, "x"), CM_STATE);
	assert_int_equal(sale_line_count(s), 1);
	/* A debit after the cash covered it all is refused. */
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, 1, "A"), CM_INVALID);
	sale_free(s);
}

static void test_complete_records_everything(void **state)
{
	struct fx *f = *state;
	int64_t mie = fx_item_id(f, FX_MIE), beras = fx_item_id(f, FX_BERAS);
	int64_t soto = fx_item_id(f, FX_SOTO);
	struct sale *s = open_sale(f);
	int64_t ticket = sale_ticket(s)->id;
	scan(s, FX_MIE_EAN, 2000);
	scan(s, FX_BERAS_EAN, 0);
	scan(s, FX_SOTO_EAN, 0);
	assert_int_equal(sale_void_line(s, 3, NULL), CM_OK);
	assert_int_equal(sale_totals(s)->total, 82000);
	tender(s, TENDER_CASH, 100000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	assert_int_equal(r.sale_id, 1);
	assert_string_equal(r.receipt_no, "T01-000001");
	assert_int_equal(r.change, 18000);
	assert_int_equal(r.journal_seq, fx_head_seq(f));
	assert_int_equal(strlen(r.hash_hex), 64);
	/* The ticket is gone and a new one may open. */
	int64_t active;
	assert_int_equal(store_ticket_active(f->st, &active), CM_NOTFOUND);
	struct ticket_rec tk;
	struct line_rec *l;
	struct tender_rec *tt;
	size_t n, nt;
	assert_int_equal(store_ticket_load(f->st, ticket, &tk, &l, &n, &tt, &nt), CM_NOTFOUND);
	/* The sale as stored. */
	struct sale_header h;
	struct sale_line_amounts *a;
	assert_int_equal(store_sale_load(f->st, r.sale_id, NULL, &h, &l, &a, &n, &tt, &nt), CM_OK);
	assert_string_equal(h.receipt_no, "T01-000001");
	assert_int_equal(h.cashier_id, till_user(f->t)->id);
	assert_int_equal(h.member_id, 0);
	assert_int_equal(h.journal_seq, r.journal_seq);
	assert_int_equal(h.completed_at, f->now);
	assert_int_equal(h.totals.gross, 82000); /* voided lines do not count */
	assert_int_equal(h.totals.total, 82000);
	assert_int_equal(h.totals.due, 82000);
	assert_int_equal(h.totals.paid, 100000);
	assert_int_equal(h.totals.change, 18000);
	assert_int_equal(h.totals.class_total[TAX_STANDARD], 7000);
	assert_int_equal(h.totals.class_total[TAX_EXEMPT], 75000);
	assert_int_equal(h.totals.class_tax[TAX_STANDARD], 694); /* 7.000 x 11/111 */
	assert_int_equal(n, 3);
	assert_string_equal(l[0].sku, FX_MIE);
	assert_int_equal(l[0].qty, 2000);
	assert_int_equal(a[0].amount, 7000);
	assert_int_equal(a[0].net, 7000);
	assert_true(l[2].voided);
	assert_int_equal(a[2].amount, 0);
	assert_int_equal(nt, 1);
	assert_int_equal(tt[0].kind, TENDER_CASH);
	assert_int_equal(tt[0].amount, 100000);
	free(l);
	free(a);
	free(tt);
	/* Stock: sold lines only. */
	assert_int_equal(store_stock_level(f->st, mie), -2000);
	assert_int_equal(store_stock_level(f->st, beras), -1000);
	assert_int_equal(store_stock_level(f->st, soto), 0);
	/* The journal event. */
	char *p = fx_last_payload(f, "sale");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"receipt\":\"T01-000001\""));
	assert_non_null(strstr(p, "\"total\":82000"));
	assert_non_null(strstr(p, "\"due\":82000"));
	free(p);
	struct journal_entry je;
	assert_int_equal(journal_get(f->st, r.journal_seq, &je), CM_OK);
	assert_string_equal(je.type, "sale");
	char hex[65];
	chain_hex(je.hash, CHAIN_HASH_LEN, hex);
	assert_string_equal(hex, r.hash_hex);
	verify_ok(f);
	/* The next one is numbered on. */
	s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	tender(s, TENDER_CASH, 3500, NULL);
	complete(s, &r);
	assert_string_equal(r.receipt_no, "T01-000002");
	/* A completed sale cannot be completed again. */
	assert_int_equal(store_stock_level(f->st, mie), -3000);
	sale_free(s);
	verify_ok(f);
}

/* ---- voids, overrides, cancel ---- */

static void test_void_before_and_after_subtotal(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	scan(s, FX_SOTO_EAN, 0);
	scan(s, FX_MINYAK_EAN, 0);
	assert_int_equal(sale_void_line(s, 1, NULL), CM_OK);
	assert_true(sale_line(s, 0)->voided);
	assert_int_equal(sale_live_lines(s), 2);
	assert_int_equal(sale_totals(s)->gross, 39400);
	assert_int_equal(sale_void_line(s, 1, NULL), CM_NOTFOUND);
	assert_int_equal(sale_void_line(s, 7, NULL), CM_NOTFOUND);
	char *p = fx_last_payload(f, "line_voided");
	assert_non_null(strstr(p, "\"after_subtotal\":false"));
	free(p);
	assert_int_equal(stored_lines(f, s), 2);

	assert_int_equal(sale_subtotal(s), CM_OK);
	assert_true(sale_ticket(s)->subtotaled);
	int64_t head = fx_head_seq(f);
	assert_int_equal(sale_void_line(s, 2, NULL), CM_NEED_OVERRIDE);
	assert_false(sale_line(s, 1)->voided);
	struct approval wrong = fx_approve(f, ACT_CANCEL_TICKET, "200");
	assert_int_equal(sale_void_line(s, 2, &wrong), CM_NEED_OVERRIDE);
	assert_int_equal(fx_head_seq(f), head);
	struct approval ap = fx_approve(f, ACT_VOID_AFTER_SUBTOTAL, "200");
	assert_int_equal(sale_void_line(s, 2, &ap), CM_OK);
	assert_true(sale_line(s, 1)->voided);
	assert_int_equal(sale_totals(s)->gross, 36000);
	p = fx_last_payload(f, "line_voided");
	char want[64];
	snprintf(want, sizeof want, "\"approved_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	assert_non_null(strstr(p, "\"after_subtotal\":true"));
	assert_non_null(strstr(p, "\"sku\":\"" FX_SOTO "\""));
	free(p);
	/* Reducing a quantity after subtotal is a void too. */
	assert_int_equal(sale_set_qty(s, 3, 3000, NULL), CM_OK);
	assert_int_equal(sale_set_qty(s, 3, 2000, NULL), CM_NEED_OVERRIDE);
	ap = fx_approve(f, ACT_VOID_AFTER_SUBTOTAL, "201");
	assert_int_equal(sale_set_qty(s, 3, 2000, &ap), CM_OK);
	assert_int_equal(sale_line(s, 2)->qty, 2000);
	assert_int_equal(fx_count_type(f, "qty_reduced"), 1);
	assert_int_equal(sale_set_qty(s, 3, 0, &ap), CM_INVALID);
	assert_int_equal(sale_set_qty(s, 3, 1500, &ap), CM_INVALID);
	/* A supervisor voids after subtotal without anyone's approval. */
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(sale_void_line(s, 3, NULL), CM_OK);
	assert_int_equal(sale_live_lines(s), 0);
	/* Nothing left: nothing to subtotal or pay. */
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 100, NULL), CM_STATE);
	assert_int_equal(sale_subtotal(s), CM_STATE);
	sale_free(s);
	verify_ok(f);
	/* The day report counts the voids. */
	struct day_report dr;
	assert_int_equal(store_day_report(f->st, 20250310, &dr), CM_OK);
	assert_int_equal(dr.voided_lines, 3);
	store_day_report_free(&dr);
}

/* What a supervisor approves is what happens: the dialog's text names the
 * item, the quantities and the rupiah before any PIN, and an approval for
 * one price, line or discount does nothing for another. The event carries
 * what was approved. */
static void test_approval_bound_to_figures(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 2000);
	scan(s, FX_SOTO, 0);
	int64_t head = fx_head_seq(f);
	assert_int_equal(sale_price_override(s, 1, 3000, NULL), CM_NEED_OVERRIDE);
	const struct approval_need *n = auth_need(f->t);
	assert_int_equal(n->act, ACT_PRICE_OVERRIDE);
	assert_non_null(strstr(n->what, "Indomie Goreng"));
	assert_non_null(strstr(n->what, "Rp3.500"));
	assert_non_null(strstr(n->what, "Rp7.000"));  /* the line as it is */
	assert_non_null(strstr(n->what, "Rp3.000"));  /* the new price */
	assert_non_null(strstr(n->what, "Rp6.000"));  /* the line after */
	struct approval ap = fx_approve(f, ACT_PRICE_OVERRIDE, "200");
	/* Another price, or another line, with that approval: asked again. */
	assert_int_equal(sale_price_override(s, 1, 2500, &ap), CM_NEED_OVERRIDE);
	assert_non_null(strstr(sale_errmsg(s), "approve it again"));
	assert_non_null(strstr(auth_need(f->t)->what, "Rp2.500"));
	assert_int_equal(sale_price_override(s, 2, 3000, &ap), CM_NEED_OVERRIDE);
	/* An approval with no figures (given before any were known) neither. */
	struct approval blind;
	assert_int_equal(auth_approve(f->t, ACT_PRICE_OVERRIDE, "200", fx_pin("200"), "x", &blind),
	                 CM_OK);
	assert_int_equal(sale_price_override(s, 1, 3000, &blind), CM_NEED_OVERRIDE);
	assert_int_equal(fx_head_seq(f), head);
	assert_int_equal(sale_line(s, 0)->unit_price, 3500);
	assert_int_equal(sale_price_override(s, 1, 3000, &ap), CM_OK);
	char *p = fx_last_payload(f, "price_override");
	assert_non_null(strstr(p, "\"approved\":\"ticket="));
	assert_non_null(strstr(p, "new_price=3000\""));
	assert_non_null(strstr(p, "\"reason\":\"test\""));
	free(p);

	/* Voids after the subtotal: the approval names its line. */
	assert_int_equal(sale_subtotal(s), CM_OK);
	assert_int_equal(sale_void_line(s, 2, NULL), CM_NEED_OVERRIDE);
	assert_non_null(strstr(auth_need(f->t)->what, "Indomie Soto"));
	struct approval v = fx_approve(f, ACT_VOID_AFTER_SUBTOTAL, "200");
	assert_int_equal(sale_void_line(s, 1, &v), CM_NEED_OVERRIDE);
	assert_false(sale_line(s, 0)->voided);
	assert_int_equal(sale_void_line(s, 2, &v), CM_OK);
	p = fx_last_payload(f, "line_voided");
	assert_non_null(strstr(p, "sku=IND-002"));
	free(p);

	/* A ticket discount approved at 50% is not one of 60%. */
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 5000, NULL), CM_NEED_OVERRIDE);
	assert_non_null(strstr(auth_need(f->t)->what, "50,00%"));
	struct approval d = fx_approve(f, ACT_DISCOUNT_OVER_LIMIT, "200");
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 6000, &d), CM_NEED_OVERRIDE);
	assert_int_equal(sale_ticket_discount(s, DISC_PERCENT, 5000, &d), CM_OK);

	/* A cancel approved for the ticket as it was is not one for more lines. */
	assert_int_equal(sale_cancel(s, NULL), CM_NEED_OVERRIDE);
	assert_non_null(strstr(auth_need(f->t)->what, "Indomie Goreng"));
	struct approval c = fx_approve(f, ACT_CANCEL_TICKET, "200");
	assert_int_equal(sale_set_qty(s, 1, 3000, NULL), CM_OK);
	assert_int_equal(sale_cancel(s, &c), CM_NEED_OVERRIDE);
	c = fx_approve(f, ACT_CANCEL_TICKET, "200");
	assert_int_equal(sale_cancel(s, &c), CM_OK);
	sale_free(s);
}

static void test_price_override(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 2000);
	assert_int_equal(sale_price_override(s, 1, 3000, NULL), CM_NEED_OVERRIDE);
	assert_int_equal(sale_line(s, 0)->unit_price, 3500);
	struct approval ap = fx_approve(f, ACT_PRICE_OVERRIDE, "200");
	assert_int_equal(sale_price_override(s, 1, -1, &ap), CM_INVALID);
	assert_int_equal(sale_price_override(s, 1, MONEY_PRICE_MAX + 1, &ap), CM_INVALID);
	assert_non_null(strstr(sale_errmsg(s), "Rp1.000.000.000"));
	assert_int_equal(sale_price_override(s, 4, 3000, &ap), CM_NOTFOUND);
	assert_int_equal(sale_price_override(s, 1, 3000, &ap), CM_OK);
	assert_int_equal(sale_line(s, 0)->unit_price, 3000);
	assert_int_equal(sale_line(s, 0)->list_price, 3500);
	assert_int_equal(sale_line(s, 0)->price_override_by, ap.approver_id);
	assert_int_equal(sale_totals(s)->gross, 6000);
	char *p = fx_last_payload(f, "price_override");
	assert_non_null(strstr(p, "\"new_price\":3000"));
	assert_non_null(strstr(p, "\"list_price\":3500"));
	char want[64];
	snprintf(want, sizeof want, "\"approved_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	free(p);
	/* An overridden line is not merged with nor repriced for a member. */
	scan(s, FX_MIE_EAN, 0);
	assert_int_equal(sale_line_count(s), 2);
	assert_int_equal(sale_line(s, 1)->unit_price, 3500);
	assert_int_equal(sale_attach_member(s, "MC0001"), CM_OK);
	assert_int_equal(sale_line(s, 0)->unit_price, 3000);
	assert_int_equal(sale_line(s, 1)->unit_price, 3200);
	tender(s, TENDER_CASH, 10000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_int_equal(rec.lines[0].price_override_by, ap.approver_id);
	assert_int_equal(rec.lines[0].unit_price, 3000);
	history_free(&rec);
	p = fx_last_payload(f, "sale");
	snprintf(want, sizeof want, "\"override_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	free(p);
}

static void test_cancel(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	/* An empty ticket is cancelled freely, without an event. */
	int64_t head = fx_head_seq(f);
	assert_int_equal(sale_cancel(s, NULL), CM_OK);
	assert_int_equal(fx_head_seq(f), head);
	sale_free(s);

	s = open_sale(f);
	scan(s, FX_MIE_EAN, 0);
	scan(s, FX_MINYAK_EAN, 0);
	assert_int_equal(sale_cancel(s, NULL), CM_NEED_OVERRIDE);
	assert_int_equal(stored_lines(f, s), 2);
	struct approval ap = fx_approve(f, ACT_CANCEL_TICKET, "200");
	assert_int_equal(sale_cancel(s, &ap), CM_OK);
	int64_t active;
	assert_int_equal(store_ticket_active(f->st, &active), CM_NOTFOUND);
	assert_int_equal(fx_count_type(f, "ticket_aborted"), 1);
	char *p = fx_last_payload(f, "ticket_aborted");
	assert_non_null(strstr(p, "\"why\":\"cancelled\""));
	assert_non_null(strstr(p, "\"total\":39500"));
	assert_non_null(strstr(p, "\"sku\":\"" FX_MINYAK "\""));
	char want[64];
	snprintf(want, sizeof want, "\"approved_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	free(p);
	sale_free(s);
	/* Nothing was sold. */
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_MIE)), 0);
	s = open_sale(f);
	sale_free(s);
	verify_ok(f);
	struct day_report dr;
	assert_int_equal(store_day_report(f->st, 20250310, &dr), CM_OK);
	assert_int_equal(dr.aborted_tickets, 1);
	assert_int_equal(dr.sales, 0);
	store_day_report_free(&dr);
}

/* ---- suspend, resume, recovery ---- */

static void test_suspend_resume(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	assert_int_equal(sale_suspend(s, "kosong"), CM_STATE);
	scan(s, FX_MIE_EAN, 2000);
	scan(s, FX_BERAS_EAN, 0);
	assert_int_equal(sale_line_discount(s, 2, DISC_PERCENT, 500, NULL), CM_OK);
	int64_t id = sale_ticket(s)->id;
	assert_int_equal(sale_suspend(s, "Ibu baju merah"), CM_OK);
	sale_free(s);
	struct susp c = { 0 };
	assert_int_equal(sale_list_suspended(f->t, susp_fn, &c), CM_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.id[0], id);
	assert_int_equal(c.nlines[0], 2);
	/* The list shows what the ticket comes to: after the line discount. */
	assert_int_equal(c.total[0], 82000 - 3750);
	assert_string_equal(c.label[0], "Ibu baju merah");
	/* Another customer meanwhile. */
	s = open_sale(f);
	struct sale *r = NULL;
	assert_int_equal(sale_resume(f->t, id, &r), CM_STATE);
	assert_null(r);
	scan(s, FX_SOTO_EAN, 0);
	tender(s, TENDER_CASH, 3400, NULL);
	struct sale_result res;
	complete(s, &res);
	sale_free(s);
	/* Resume the first. */
	assert_int_equal(sale_resume(f->t, 424242, &r), CM_NOTFOUND);
	assert_int_equal(sale_resume(f->t, id, &r), CM_OK);
	assert_int_equal(sale_ticket(r)->id, id);
	assert_int_equal(sale_ticket(r)->state, TICKET_ACTIVE);
	assert_int_equal(sale_line_count(r), 2);
	assert_int_equal(sale_line(r, 0)->qty, 2000);
	assert_int_equal(sale_line(r, 1)->disc_kind, DISC_PERCENT);
	assert_int_equal(sale_totals(r)->total, 82000 - 3750);
	c.n = 0;
	assert_int_equal(sale_list_suspended(f->t, susp_fn, &c), CM_OK);
	assert_int_equal(c.n, 0);
	/* It is the active ticket now. */
	struct sale *other;
	assert_int_equal(sale_open(f->t, &other), CM_STATE);
	/* Resuming an active ticket is not possible. */
	assert_int_equal(sale_resume(f->t, id, &other), CM_STATE);
	tender(r, TENDER_CASH, 80000, NULL);
	complete(r, &res);
	sale_free(r);
	verify_ok(f);
}

static void test_crash_recovery(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	int64_t id = sale_ticket(s)->id;
	scan(s, FX_MIE_EAN, 3000);
	scan(s, FX_APEL, 750);
	scan(s, FX_MINYAK_EAN, 0);
	assert_int_equal(sale_void_line(s, 3, NULL), CM_OK);
	assert_int_equal(sale_attach_member(s, "MC0001"), CM_OK);
	assert_int_equal(sale_ticket_discount(s, DISC_AMOUNT, 500, NULL), CM_OK);
	struct sale_totals before = *sale_totals(s);
	/* The program dies: memory only is freed, nothing completes. */
	sale_free(s);
	fx_reopen(f);
	assert_null(till_user(f->t));
	fx_login(f, "301");
	assert_int_equal(sale_open(f->t, &s), CM_STATE);
	assert_null(s);
	assert_true(strlen(till_errmsg(f->t)) > 0);
	assert_int_equal(sale_restore(f->t, &s), CM_OK);
	assert_int_equal(sale_ticket(s)->id, id);
	assert_int_equal(sale_ticket(s)->cashier_id, till_user(f->t)->id);
	assert_int_equal(sale_line_count(s), 3);
	assert_string_equal(sale_line(s, 0)->sku, FX_MIE);
	assert_int_equal(sale_line(s, 0)->qty, 3000);
	assert_int_equal(sale_line(s, 0)->unit_price, 3200);
	assert_string_equal(sale_line(s, 1)->sku, FX_APEL);
	assert_int_equal(sale_line(s, 1)->qty, 750);
	assert_true(sale_line(s, 2)->voided);
	assert_non_null(sale_member(s));
	assert_string_equal(sale_member(s)->number, "M001");
	assert_memory_equal(&before, sale_totals(s), sizeof before);
	/* Aborting a recovered ticket needs a supervisor. */
	assert_int_equal(sale_abort_recovered(s, NULL), CM_NEED_OVERRIDE);
	struct approval ap = fx_approve(f, ACT_ABORT_RECOVERED, "200");
	assert_int_equal(sale_abort_recovered(s, &ap), CM_OK);
	sale_free(s);
	char *p = fx_last_payload(f, "ticket_aborted");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"why\":\"recovered\""));
	char want[64];
	snprintf(want, sizeof want, "\"approved_by\":%lld", (long long)ap.approver_id);
	assert_non_null(strstr(p, want));
	free(p);
	assert_int_equal(sale_restore(f->t, &s), CM_NOTFOUND);
	s = open_sale(f);
	sale_free(s);
	verify_ok(f);
}

static void test_crash_recovery_then_complete(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_BERAS_EAN, 0);
	tender(s, TENDER_DEBIT, 50000, "D1");
	sale_free(s);
	fx_reopen(f);
	fx_login(f, "300");
	assert_int_equal(sale_restore(f->t, &s), CM_OK);
	assert_int_equal(sale_tender_count(s), 1);
	assert_int_equal(sale_noncash_due(s), 25000);
	assert_true(sale_ticket(s)->subtotaled);
	tender(s, TENDER_CASH, 25000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	assert_int_equal(store_stock_level(f->st, fx_item_id(f, FX_BERAS)), -1000);
	verify_ok(f);
}

/* ---- members ---- */

static void test_member_prices(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 2000);
	scan(s, FX_SOTO_EAN, 0);   /* no member price */
	assert_null(sale_member(s));
	assert_int_equal(sale_attach_member(s, "MC0002"), CM_INVALID); /* blocked */
	assert_non_null(strstr(sale_errmsg(s), "blocked"));
	assert_null(sale_member(s));
	assert_int_equal(sale_attach_member(s, "NOPE"), CM_NOTFOUND);
	assert_int_equal(sale_line(s, 0)->unit_price, 3500);
	assert_int_equal(sale_attach_member(s, "MC0001"), CM_OK);
	assert_non_null(sale_member(s));
	assert_string_equal(sale_member(s)->name, "Budi");
	assert_int_equal(sale_line(s, 0)->unit_price, 3200);
	assert_int_equal(sale_line(s, 0)->list_price, 3500);
	assert_int_equal(sale_line(s, 1)->unit_price, 3400);
	/* Items scanned afterwards get member prices too, and merge. */
	scan(s, FX_BERAS_EAN, 0);
	assert_int_equal(sale_line(s, 2)->unit_price, 72000);
	scan(s, FX_BERAS_EAN, 0);
	assert_int_equal(sale_line_count(s), 3);
	assert_int_equal(sale_totals(s)->gross, 6400 + 3400 + 144000);
	/* By member number too. */
	assert_int_equal(sale_attach_member(s, "M001"), CM_OK);
	tender(s, TENDER_CASH, 200000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_true(rec.h.member_id > 0);
	assert_string_equal(rec.member, "M001 Budi");
	history_free(&rec);
	char *p = fx_last_payload(f, "sale");
	assert_non_null(strstr(p, "\"member_no\":\"M001\""));
	free(p);
}

/* ---- history and receipts ---- */

static void test_history_receipt(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	scan(s, FX_MIE_EAN, 2000);
	scan(s, FX_RICE_EAN, 0);
	tender(s, TENDER_CASH, 120000, NULL);
	struct sale_result r;
	complete(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, 0, r.receipt_no, &rec), CM_OK);
	assert_int_equal(rec.h.id, r.sale_id);
	assert_string_equal(rec.cashier, "300 Siti Kasir");
	assert_string_equal(rec.member, "");
	assert_string_equal(rec.hash_hex, r.hash_hex);
	assert_int_equal(rec.nlines, 2);
	char *text = history_receipt(f->t, &rec, 0, false);
	assert_non_null(text);
	assert_non_null(strstr(text, r.receipt_no));
	assert_non_null(strstr(text, "TOTAL"));
	assert_non_null(strstr(text, "Koperasi Uji"));
	assert_non_null(strstr(text, "NPWP"));
	assert_non_null(strstr(text, "PPN"));
	assert_null(strstr(text, "CETAK ULANG"));
	/* Lines no longer than the width. */
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 32);
		line = nl + 1;
	}
	free(text);
	text = history_receipt(f->t, &rec, 48, true);
	assert_non_null(text);
	assert_non_null(strstr(text, "CETAK ULANG"));
	free(text);
	assert_null(history_receipt(f->t, &rec, 44, false));
	history_free(&rec);
	assert_int_equal(history_load(f->t, 99, NULL, &rec), CM_NOTFOUND);
	assert_int_equal(history_load(f->t, 0, "T01-999999", &rec), CM_NOTFOUND);
	assert_non_null(strstr(till_errmsg(f->t), "T01-999999"));
}

/* ---- sessions ---- */

static void test_needs_login_and_one_ticket(void **state)
{
	struct fx *f = *state;
	struct sale *s = open_sale(f);
	struct sale *s2 = NULL;
	assert_int_equal(sale_open(f->t, &s2), CM_STATE);
	assert_null(s2);
	scan(s, FX_MIE_EAN, 0);
	tender(s, TENDER_CASH, 5000, NULL);
	/* Logged out mid-sale: it cannot complete. */
	assert_int_equal(auth_logout(f->t), CM_OK);
	struct sale_result r;
	assert_int_equal(sale_complete(s, &r), CM_STATE);
	sale_free(s);
	assert_int_equal(sale_open(f->t, &s2), CM_STATE);
	assert_int_equal(sale_restore(f->t, &s2), CM_STATE);
	fx_login(f, "300");
	assert_int_equal(sale_restore(f->t, &s2), CM_OK);
	complete(s2, &r);
	sale_free(s2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_scan_ean13),
		T(test_scan_upca),
		T(test_scan_sku),
		T(test_scan_unknown_changes_nothing),
		T(test_scan_bad_check_digit),
		T(test_scan_inactive_refused),
		T(test_weighed_needs_weight),
		T(test_multiplier),
		T(test_same_item_merges),
		T(test_scale_weight_label),
		T(test_scale_price_label),
		T(test_line_discount_limit),
		T(test_ticket_discount_spread),
		T(test_ticket_discount_many_small_lines),
		T(test_approval_bound_to_figures),
		T(test_ppn_pkp_2025_and_2024),
		T(test_ppn_not_pkp),
		T(test_cash_rounding_halves_down),
		T(test_no_rounding_without_cash),
		T(test_split_tender),
		T(test_cash_first_then_debit),
		T(test_cash_remainder_that_rounds_to_nothing),
		T(test_discount_limit_not_bypassed),
		T(test_tender_checks),
		T(test_complete_records_everything),
		T(test_void_before_and_after_subtotal),
		T(test_price_override),
		T(test_cancel),
		T(test_suspend_resume),
		T(test_crash_recovery),
		T(test_crash_recovery_then_complete),
		T(test_member_prices),
		T(test_history_receipt),
		T(test_needs_login_and_one_ticket),
	};
#undef T
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
