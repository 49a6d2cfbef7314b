/* Members' dues at the till: the standing brought forward from HQ's, dues
 * on a ticket (wajib months, pokok, sukarela), completion, what the store
 * and the journal hold, receipts, X/Z figures, crash recovery, refusals,
 * and a tampered dues row found by journal verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "core/money.h"
#include "engine/standing.h"
#include "store/store_dues.h"

/* The clock is 2025-03-10. Sari (M100) joined in November 2024; HQ's
 * standing as of February 2025 says she paid November and December and
 * owes January (Rp20.000) and February (Rp25.000, the new rate); she has
 * Rp50.000 of sukarela. */
static const struct dues_rate rates[] = {
	{ "biasa", DUES_POKOK, 202001, 100000 },
	{ "biasa", DUES_WAJIB, 202001, 20000 },
	{ "biasa", DUES_WAJIB, 202502, 25000 },
};

static int setup(void **state)
{
	struct fx *f = fx_new("dues");
	struct member_rec m = { .status = "active", .join_date = 20241105 };
	snprintf(m.number, sizeof m.number, "M100");
	snprintf(m.name, sizeof m.name, "Sari");
	snprintf(m.card_code, sizeof m.card_code, "MC0100");
	snprintf(m.type, sizeof m.type, "biasa");
	struct dues_owed owed[] = { { 202501, 20000 }, { 202502, 25000 } };
	struct member_standing h = { .pokok_owed = 0, .wajib_through = 202412,
	                             .wajib_paid_until = 202412, .wajib_months = 2,
	                             .wajib_arrears = 45000, .sukarela = 50000,
	                             .month = 202502, .seq = 0 };
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_member_add(f->st, &m, NULL), CM_OK);
	assert_int_equal(store_member_standing_put(f->st, "M100", &h, owed, 2), CM_OK);
	assert_int_equal(store_dues_rates_put(f->st, rates, 3, 3), CM_OK);
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

static struct sale *member_sale(struct fx *f, const char *card)
{
	struct sale *s = NULL;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	if (card && sale_scan(s, card, 0) != CM_OK)
		fail_msg("scan %s: %s", card, sale_errmsg(s));
	return s;
}

static void add(struct sale *s, enum dues_kind k, int months, cm_money amount)
{
	if (sale_add_dues(s, k, months, amount) != CM_OK)
		fail_msg("add dues: %s", sale_errmsg(s));
}

static void pay_cash(struct sale *s, struct sale_result *r)
{
	const struct sale_totals *t = sale_totals(s);
	if (sale_add_tender(s, TENDER_CASH, t->total + t->dues + 100, NULL) != CM_OK)
		fail_msg("tender: %s", sale_errmsg(s));
	if (sale_complete(s, r) != CM_OK)
		fail_msg("complete: %s", sale_errmsg(s));
}

static void verify_ok(struct fx *f)
{
	struct journal_check c;
	enum cm_rc rc = journal_verify(f->st, &c);
	if (rc != CM_OK)
		fail_msg("verify: %s at %lld: %s", cm_rc_name(rc), (long long)c.bad_seq, c.why);
}

static struct member_rec member(struct fx *f, const char *number)
{
	struct member_rec m;
	assert_int_equal(store_member_find(f->st, number, &m), CM_OK);
	return m;
}

/* HQ's two months, and March at the rate of March: three months, which
 * makes her inactive for dues. */
static void test_standing_brings_hq_forward(void **state)
{
	struct fx *f = *state;
	struct member_rec m = member(f, "M100");
	struct standing st;
	assert_int_equal(standing_get(f->t, &m, NULL, 0, &st), CM_OK);
	assert_true(st.known);
	assert_int_equal(st.month, 202503);
	assert_int_equal(st.months, 3);
	assert_int_equal(st.arrears, 20000 + 25000 + 25000);
	assert_int_equal(st.oldest, 202501);
	assert_int_equal(st.through, 202412);
	assert_true(st.inactive);
	assert_int_equal(st.sukarela, 50000);
	assert_int_equal(st.sukarela_here, 0);
	/* A member HQ has sent no dues for is unknown, not "owes nothing". */
	struct member_rec budi = member(f, "M001");
	assert_int_equal(standing_get(f->t, &budi, NULL, 0, &st), CM_OK);
	assert_false(st.known);
}

/* Two months and a sukarela amount with a sack of rice, paid in cash: the
 * goods are the sale's total, the dues their own; one row per month, the
 * journal says the same, verify agrees, and the standing counts them. */
static void test_dues_with_a_sale(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, "MC0100");
	add(s, DUES_WAJIB, 2, 0);
	add(s, DUES_SUKARELA, 0, 30000);
	assert_int_equal(sale_scan(s, FX_BERAS_EAN, 0), CM_OK);
	const struct sale_totals *t = sale_totals(s);
	cm_money goods = t->total;       /* the rice at the member price */
	assert_true(goods > 0 && goods <= 75000);
	assert_int_equal(t->dues, 20000 + 25000 + 30000);
	assert_int_equal(t->class_total[TAX_EXEMPT], goods);
	assert_int_equal(t->class_tax[TAX_EXEMPT], 0);
	assert_int_equal(sale_dues_count(s), 3);
	assert_int_equal(sale_dues(s, 0)->month, 202501);
	assert_int_equal(sale_dues(s, 1)->month, 202502);
	assert_int_equal(sale_dues(s, 1)->amount, 25000);
	assert_int_equal(sale_dues(s, 2)->kind, DUES_SUKARELA);
	struct sale_result r;
	pay_cash(s, &r);
	sale_free(s);

	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_int_equal(rec.h.totals.total, goods);
	assert_int_equal(rec.h.totals.dues, 75000);
	assert_int_equal(rec.h.totals.due, goods + 75000);
	assert_int_equal(rec.ndues, 3);
	char *text = history_receipt(f->t, &rec, 42, false);
	assert_non_null(text);
	assert_non_null(strstr(text, "SIMPANAN ANGGOTA (bukan belanja)"));
	assert_non_null(strstr(text, "2025-01 s/d 2025-02 (2 bln)"));
	assert_non_null(strstr(text, "Simpanan sukarela"));
	char want[32];
	money_format(goods + 75000, NULL, want, sizeof want);
	assert_non_null(strstr(text, want));
	free(text);
	history_free(&rec);
	verify_ok(f);

	struct member_rec m = member(f, "M100");
	struct standing st;
	assert_int_equal(standing_get(f->t, &m, NULL, 0, &st), CM_OK);
	assert_int_equal(st.months, 1);
	assert_int_equal(st.oldest, 202503);
	assert_int_equal(st.through, 202502);
	assert_false(st.inactive);
	assert_int_equal(st.sukarela, 80000);
	assert_int_equal(st.sukarela_here, 30000);

	/* X/Z: the dues in their own figures, not in the sales. */
	struct xz_figures xf;
	assert_int_equal(store_xz_figures(f->st, 0, 0, &xf), CM_OK);
	assert_int_equal(xf.total, goods);
	assert_int_equal(xf.dues[DUES_WAJIB], 45000);
	assert_int_equal(xf.dues_count[DUES_WAJIB], 2);
	assert_int_equal(xf.dues[DUES_SUKARELA], 30000);
	assert_int_equal(xf.dues_members, 1);
}

/* Once HQ's newer standing arrives with this terminal's sale counted (its
 * seq at or above the sale's), the sale's dues are not counted twice. */
static void test_pulled_standing_counts_the_sale_once(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, "MC0100");
	add(s, DUES_WAJIB, 1, 0);
	add(s, DUES_SUKARELA, 0, 10000);
	struct sale_result r;
	pay_cash(s, &r);
	sale_free(s);
	struct dues_owed owed[] = { { 202502, 25000 }, { 202503, 25000 } };
	struct member_standing h = { .wajib_through = 202501, .wajib_paid_until = 202501,
	                             .wajib_months = 2, .wajib_arrears = 50000,
	                             .sukarela = 60000, .month = 202503, .seq = r.journal_seq };
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_member_standing_put(f->st, "M100", &h, owed, 2), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	struct member_rec m = member(f, "M100");
	struct standing st;
	assert_int_equal(standing_get(f->t, &m, NULL, 0, &st), CM_OK);
	assert_int_equal(st.months, 2);
	assert_int_equal(st.arrears, 50000);
	assert_int_equal(st.sukarela, 60000);
	assert_int_equal(st.sukarela_here, 0);
}

/* Dues alone: no goods, the receipt's TOTAL is the dues; pokok once. */
static void test_dues_only_ticket_and_pay_ahead(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, "MC0100");
	/* Five months: the three owed, then April and May ahead. */
	add(s, DUES_WAJIB, 5, 0);
	assert_int_equal(sale_dues_count(s), 5);
	assert_int_equal(sale_dues(s, 3)->month, 202504);
	assert_int_equal(sale_dues(s, 4)->month, 202505);
	assert_int_equal(sale_dues(s, 4)->amount, 25000);
	/* Adding wajib again replaces what the ticket held. */
	add(s, DUES_WAJIB, 3, 0);
	assert_int_equal(sale_dues_count(s), 3);
	assert_int_equal(sale_totals(s)->dues, 70000);
	/* She owes no pokok. */
	assert_int_equal(sale_add_dues(s, DUES_POKOK, 0, 0), CM_STATE);
	assert_int_equal(sale_live_lines(s), 0);
	assert_true(sale_has_content(s));
	struct sale_result r;
	pay_cash(s, &r);
	sale_free(s);
	struct sale_record rec;
	assert_int_equal(history_load(f->t, r.sale_id, NULL, &rec), CM_OK);
	assert_int_equal(rec.h.totals.total, 0);
	assert_int_equal(rec.h.totals.dues, 70000);
	char *text = history_receipt(f->t, &rec, 32, false);
	assert_non_null(strstr(text, "Rp70.000"));
	assert_null(strstr(text, "Subtotal"));
	free(text);
	history_free(&rec);
	verify_ok(f);
	struct member_rec m = member(f, "M100");
	struct standing st;
	assert_int_equal(standing_get(f->t, &m, NULL, 0, &st), CM_OK);
	assert_int_equal(st.months, 0);
	assert_int_equal(st.through, 202503);
}

/* What is refused, and says so. */
static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, NULL);
	assert_int_equal(sale_add_dues(s, DUES_SUKARELA, 0, 10000), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "member"));
	assert_int_equal(sale_scan(s, "MC0001", 0), CM_OK);   /* Budi: no HQ dues yet */
	assert_int_equal(sale_add_dues(s, DUES_WAJIB, 1, 0), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "HQ has not sent"));
	add(s, DUES_SUKARELA, 0, 10000);                       /* sukarela is fine */
	assert_int_equal(sale_add_dues(s, DUES_SUKARELA, 0, 0), CM_INVALID);
	assert_int_equal(sale_add_dues(s, DUES_SUKARELA, 0, -5), CM_INVALID);
	/* Another member's card while Budi's dues are on the ticket. */
	assert_int_equal(sale_scan(s, "MC0100", 0), CM_STATE);
	assert_non_null(strstr(sale_errmsg(s), "remove them"));
	assert_int_equal(sale_remove_dues(s, DUES_SUKARELA), CM_OK);
	assert_int_equal(sale_remove_dues(s, DUES_SUKARELA), CM_NOTFOUND);
	assert_int_equal(sale_scan(s, "MC0100", 0), CM_OK);
	assert_int_equal(sale_add_dues(s, DUES_WAJIB, 0, 0), CM_INVALID);
	assert_int_equal(sale_add_dues(s, DUES_WAJIB, 121, 0), CM_INVALID);
	/* Payment started: the dues are fixed. */
	add(s, DUES_WAJIB, 1, 0);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 5000, NULL), CM_OK);
	assert_int_equal(sale_add_dues(s, DUES_SUKARELA, 0, 1000), CM_STATE);
	assert_int_equal(sale_remove_dues(s, DUES_WAJIB), CM_STATE);
	sale_free(s);
}

/* A power cut: the ticket comes back with its dues. */
static void test_dues_survive_a_crash(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, "MC0100");
	add(s, DUES_WAJIB, 2, 0);
	sale_free(s);
	fx_reopen(f);
	fx_login(f, "300");
	assert_int_equal(sale_restore(f->t, &s), CM_OK);
	assert_int_equal(sale_dues_count(s), 2);
	assert_int_equal(sale_totals(s)->dues, 45000);
	assert_non_null(sale_member(s));
	sale_free(s);
}

/* A dues row changed behind the till's back (triggers dropped) is found. */
static void test_tampered_dues_found(void **state)
{
	struct fx *f = *state;
	struct sale *s = member_sale(f, "MC0100");
	add(s, DUES_WAJIB, 2, 0);
	struct sale_result r;
	pay_cash(s, &r);
	sale_free(s);
	verify_ok(f);
	fx_close(f);
	assert_int_equal(fx_sql(f->path, "DROP TRIGGER sale_dues_no_update; "
	                                 "UPDATE sale_dues SET month = 202412 WHERE n = 1"), 0);
	fx_open(f);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_CORRUPT);
	assert_int_equal(c.bad_seq, r.journal_seq);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_standing_brings_hq_forward),
		T(test_dues_with_a_sale),
		T(test_pulled_standing_counts_the_sale_once),
		T(test_dues_only_ticket_and_pay_ahead),
		T(test_refusals),
		T(test_dues_survive_a_crash),
		T(test_tampered_dues_found),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
