/* Returns of goods, with or without a receipt. */
#include "engine/returns.h"
#include "engine/history.h"
#include "engine/resolve.h"
#include "engine/shift.h"
#include "core/chain.h"
#include "core/checkcode.h"
#include "core/money.h"
#include "core/receipt.h"
#include "store/store_returns.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ret {
	struct till *t;
	bool has_sale;
	struct sale_record sale;     /* with a receipt */
	cm_qty *returned;            /* per sale line: earlier returns */
	cm_qty *qty;                 /* per sale line: this return */
	struct return_line_rec *items; /* without a receipt */
	size_t nitems, cap;
	char err[320];
};

static const struct {
	const char *code;
	const char *label;
	const char *printed;   /* on the receipt: always Bahasa Indonesia */
} reasons[RR_COUNT] = {
	[RR_UNWANTED] = { "unwanted", N_("not wanted"), "Tidak jadi" },
	[RR_WRONG_ITEM] = { "wrong_item", N_("wrong item"), "Salah barang" },
	[RR_DAMAGED] = { "damaged", N_("damaged or defective"), "Rusak" },
	[RR_EXPIRED] = { "expired", N_("expired"), "Kedaluwarsa" },
};

const char *return_reason_code(enum return_reason r)
{
	return (unsigned)r < RR_COUNT ? reasons[r].code : "unknown";
}

const char *return_reason_label(enum return_reason r)
{
	return (unsigned)r < RR_COUNT ? _(reasons[r].label) : "?";
}

enum cm_rc return_reason_parse(const char *s, enum return_reason *out)
{
	for (int i = 0; s && i < RR_COUNT; i++) {
		if (strcmp(s, reasons[i].code) == 0) {
			*out = (enum return_reason)i;
			return CM_OK;
		}
	}
	return CM_INVALID;
}

static const char *reason_printed(const char *code)
{
	for (int i = 0; i < RR_COUNT; i++)
		if (strcmp(code, reasons[i].code) == 0)
			return reasons[i].printed;
	return code;
}

static void seterr(struct ret *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seterr(struct ret *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
}

static enum cm_rc till_fail(struct ret *r, enum cm_rc rc)
{
	seterr(r, "%s", till_errmsg(r->t));
	return rc;
}

static enum cm_rc store_failed(struct ret *r, enum cm_rc rc)
{
	seterr(r, "%s", store_errmsg(till_store(r->t)));
	return rc;
}

const char *return_errmsg(const struct ret *r)
{
	return r->err;
}

/* May the logged-in user start a return of this kind at all? A cashier
 * may start one with a receipt; the approval is asked for at the end. */
static enum cm_rc may_start(struct till *t, enum action act)
{
	enum cm_rc rc = auth_require(t, act, NULL);
	return rc == CM_NEED_OVERRIDE ? CM_OK : rc;
}

static struct ret *ret_new(struct till *t)
{
	struct ret *r = calloc(1, sizeof *r);
	if (r)
		r->t = t;
	else
		till_seterr(t, "%s", _("out of memory"));
	return r;
}

static enum cm_rc load_returned(struct ret *r)
{
	struct store *st = till_store(r->t);
	for (size_t i = 0; i < r->sale.nlines; i++) {
		enum cm_rc rc = store_returned_qty(st, r->sale.h.id, r->sale.lines[i].line_no,
		                                   &r->returned[i]);
		if (rc != CM_OK)
			return store_failed(r, rc);
	}
	return CM_OK;
}

enum cm_rc return_open(struct till *t, const char *receipt_no, struct ret **out)
{
	*out = NULL;
	enum cm_rc rc = may_start(t, ACT_RETURN);
	if (rc != CM_OK)
		return rc;
	char no[32];
	snprintf(no, sizeof no, "%s", receipt_no ? receipt_no : "");
	no[strcspn(no, " \t\r\n")] = '\0';
	if (!no[0]) {
		till_seterr(t, "%s", _("scan the receipt's barcode or type its number"));
		return CM_INVALID;
	}
	struct ret *r = ret_new(t);
	if (!r)
		return CM_NOMEM;
	if ((rc = history_load(t, 0, no, &r->sale)) != CM_OK) {
		free(r);
		return rc;
	}
	r->has_sale = true;
	r->returned = calloc(r->sale.nlines + 1, sizeof *r->returned);
	r->qty = calloc(r->sale.nlines + 1, sizeof *r->qty);
	if (!r->returned || !r->qty) {
		return_free(r);
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	if ((rc = load_returned(r)) != CM_OK) {
		till_seterr(t, "%s", r->err);
		return_free(r);
		return rc;
	}
	*out = r;
	return CM_OK;
}

enum cm_rc return_open_no_receipt(struct till *t, struct ret **out)
{
	*out = NULL;
	enum cm_rc rc = auth_require(t, ACT_RETURN_NO_RECEIPT, NULL);
	if (rc == CM_NEED_OVERRIDE || rc == CM_DENIED) {
		till_seterr(t, "%s", _("a return without a receipt is for a supervisor only"));
		return CM_DENIED;
	}
	if (rc != CM_OK)
		return rc;
	struct ret *r = ret_new(t);
	if (!r)
		return CM_NOMEM;
	*out = r;
	return CM_OK;
}

void return_free(struct ret *r)
{
	if (!r)
		return;
	history_free(&r->sale);
	free(r->returned);
	free(r->qty);
	free(r->items);
	free(r);
}

size_t return_line_count(const struct ret *r)
{
	return r->has_sale ? r->sale.nlines : r->nitems;
}

const struct line_rec *return_sale_line(const struct ret *r, size_t i)
{
	return r->has_sale && i < r->sale.nlines ? &r->sale.lines[i] : NULL;
}

const struct sale_line_amounts *return_sale_amounts(const struct ret *r, size_t i)
{
	return r->has_sale && i < r->sale.nlines ? &r->sale.amounts[i] : NULL;
}

cm_qty return_left(const struct ret *r, size_t i)
{
	if (!r->has_sale || i >= r->sale.nlines || r->sale.lines[i].voided)
		return 0;
	return r->sale.lines[i].qty - r->returned[i];
}

const struct return_line_rec *return_item(const struct ret *r, size_t i)
{
	return !r->has_sale && i < r->nitems ? &r->items[i] : NULL;
}

cm_qty return_qty(const struct ret *r, size_t i)
{
	if (r->has_sale)
		return i < r->sale.nlines ? r->qty[i] : 0;
	return i < r->nitems ? r->items[i].qty : 0;
}

const char *return_sale_receipt(const struct ret *r)
{
	return r->has_sale ? r->sale.h.receipt_no : NULL;
}

static bool find_line(struct ret *r, int32_t line_no, size_t *idx)
{
	for (size_t i = 0; i < r->sale.nlines; i++) {
		if (r->sale.lines[i].line_no == line_no && !r->sale.lines[i].voided) {
			*idx = i;
			return true;
		}
	}
	seterr(r, _("sale %s has no line %d"), r->sale.h.receipt_no, line_no);
	return false;
}

/* The message names what is left, so the clerk knows what may still go
 * back. */
static enum cm_rc too_many(struct ret *r, size_t i)
{
	const struct line_rec *l = &r->sale.lines[i];
	char left[32], sold[32];
	qty_format(return_left(r, i), left, sizeof left);
	qty_format(l->qty, sold, sizeof sold);
	if (return_left(r, i) <= 0)
		seterr(r, _("line %d (%s): everything sold (%s) has already been returned"),
		       l->line_no, l->name, sold);
	else
		seterr(r, _("line %d (%s): only %s of the %s sold may still be returned"),
		       l->line_no, l->name, left, sold);
	return CM_INVALID;
}

enum cm_rc return_set_qty(struct ret *r, int32_t line_no, cm_qty qty)
{
	size_t i;
	if (!r->has_sale) {
		seterr(r, "%s", _("this return has no receipt: add items by barcode"));
		return CM_STATE;
	}
	if (!find_line(r, line_no, &i))
		return CM_NOTFOUND;
	if (qty < 0) {
		seterr(r, "%s", _("a quantity cannot be negative"));
		return CM_INVALID;
	}
	if (!r->sale.lines[i].weighed && qty % CM_QTY_ONE != 0) {
		seterr(r, _("%s is sold by the piece: return whole pieces"), r->sale.lines[i].name);
		return CM_INVALID;
	}
	if (qty > return_left(r, i))
		return too_many(r, i);
	r->qty[i] = qty;
	return CM_OK;
}

static enum cm_rc find_item(struct ret *r, const char *code, struct item_rec *it)
{
	struct resolved res;
	enum cm_rc rc = resolve_code(r->t, code, 0, &res);
	if (rc != CM_OK)
		return till_fail(r, rc);
	*it = res.item;
	return CM_OK;
}

enum cm_rc return_add_item(struct ret *r, const char *code, cm_qty qty)
{
	struct item_rec it;
	if (r->has_sale) {
		seterr(r, "%s", _("choose lines of the sale instead"));
		return CM_STATE;
	}
	if (qty <= 0 || qty > 99999 * CM_QTY_ONE) {
		seterr(r, "%s", _("enter a quantity above zero"));
		return CM_INVALID;
	}
	enum cm_rc rc = find_item(r, code, &it);
	if (rc != CM_OK)
		return rc;
	if (!it.weighed && qty % CM_QTY_ONE != 0) {
		seterr(r, _("%s is sold by the piece: return whole pieces"), it.name);
		return CM_INVALID;
	}
	cm_money amount;
	if (money_line_amount(it.price, qty, &amount) != CM_OK) {
		seterr(r, "%s", _("the amount is too large"));
		return CM_INVALID;
	}
	if (r->nitems == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct return_line_rec *p = realloc(r->items, cap * sizeof *p);
		if (!p) {
			seterr(r, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		r->items = p;
		r->cap = cap;
	}
	struct return_line_rec *l = &r->items[r->nitems++];
	memset(l, 0, sizeof *l);
	l->item_id = it.id;
	snprintf(l->sku, sizeof l->sku, "%s", it.sku);
	snprintf(l->name, sizeof l->name, "%s", it.name);
	snprintf(l->receipt_name, sizeof l->receipt_name, "%s", it.receipt_name);
	snprintf(l->unit, sizeof l->unit, "%s", it.unit);
	l->weighed = it.weighed;
	l->tax = it.tax;
	l->unit_price = it.price;
	l->qty = qty;
	l->amount = amount;
	return CM_OK;
}

/* round(net * part / whole), half away from zero, without overflow. */
static cm_money share(cm_money net, cm_qty part, cm_qty whole)
{
	if (whole <= 0)
		return 0;
	__int128 v = (__int128)net * part;
	__int128 q = v / whole, rem = v % whole;
	if (2 * (rem < 0 ? -rem : rem) >= whole)
		q += v < 0 ? -1 : 1;
	return (cm_money)q;
}

/* The refund of this return's part of sale line i (see returns.h). */
static cm_money line_refund(const struct ret *r, size_t i)
{
	cm_money net = r->sale.amounts[i].net;
	cm_qty sold = r->sale.lines[i].qty;
	return share(net, r->returned[i] + r->qty[i], sold) - share(net, r->returned[i], sold);
}

cm_money return_total(const struct ret *r)
{
	cm_money total = 0;
	if (!r->has_sale) {
		for (size_t i = 0; i < r->nitems; i++)
			total += r->items[i].amount;
		return total;
	}
	for (size_t i = 0; i < r->sale.nlines; i++)
		if (r->qty[i] > 0)
			total += line_refund(r, i);
	return total;
}

/* ---- completing ---- */

struct plan {
	struct return_rec h;
	struct return_line_rec *lines;  /* owned unless it is r->items */
	size_t nlines;
	struct tender_rec tenders[TENDER_KIND_COUNT + 8];
	size_t ntenders;
};

static void line_from_sale(const struct ret *r, size_t i, bool damaged, struct return_line_rec *l)
{
	const struct line_rec *s = &r->sale.lines[i];
	memset(l, 0, sizeof *l);
	l->sale_line = s->line_no;
	l->item_id = s->item_id;
	memcpy(l->sku, s->sku, sizeof l->sku);
	memcpy(l->name, s->name, sizeof l->name);
	memcpy(l->receipt_name, s->receipt_name, sizeof l->receipt_name);
	memcpy(l->unit, s->unit, sizeof l->unit);
	l->weighed = s->weighed;
	l->tax = s->tax;
	l->unit_price = s->unit_price;
	l->qty = r->qty[i];
	l->amount = line_refund(r, i);
	l->damaged = damaged;
}

/* Re-reads earlier returns inside the transaction (the command line may
 * have returned some of the sale meanwhile) and builds the lines. */
static enum cm_rc plan_lines(struct ret *r, bool damaged, struct plan *p)
{
	if (!r->has_sale) {
		for (size_t i = 0; i < r->nitems; i++) {
			r->items[i].n = (int32_t)i + 1;
			r->items[i].damaged = damaged;
		}
		p->lines = r->items;
		p->nlines = r->nitems;
		return CM_OK;
	}
	enum cm_rc rc = load_returned(r);
	if (rc != CM_OK)
		return rc;
	p->lines = calloc(r->sale.nlines + 1, sizeof *p->lines);
	if (!p->lines) {
		seterr(r, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	for (size_t i = 0; i < r->sale.nlines; i++) {
		if (r->qty[i] <= 0)
			continue;
		if (r->qty[i] > return_left(r, i))
			return too_many(r, i);
		line_from_sale(r, i, damaged, &p->lines[p->nlines]);
		p->lines[p->nlines].n = (int32_t)p->nlines + 1;
		p->nlines++;
	}
	return CM_OK;
}

static void plan_taxes(struct ret *r, struct plan *p)
{
	const struct till_config *c = till_config(r->t);
	for (size_t i = 0; i < p->nlines; i++)
		p->h.class_total[p->lines[i].tax] += p->lines[i].amount;
	for (int k = 0; k < TAX_CLASS_COUNT; k++) {
		if (!c->pkp || !p->h.class_total[k])
			continue;
		const struct tax_rate *rate = r->has_sale ? &r->sale.h.rates[k]
			: till_tax_rate(r->t, (enum tax_class)k, p->h.business_date);
		p->h.class_tax[k] = tax_extract(p->h.class_total[k], rate);
	}
}

static enum cm_rc add_tender(struct ret *r, struct plan *p, enum tender_kind kind,
                             cm_money amount, const char *ref)
{
	if (amount <= 0)
		return CM_OK;
	if (p->ntenders == sizeof p->tenders / sizeof p->tenders[0]) {
		seterr(r, "%s", _("the sale has too many payments to refund them one by one; refund in cash"));
		return CM_INVALID;
	}
	struct tender_rec *t = &p->tenders[p->ntenders++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->amount = amount;
	snprintf(t->ref, sizeof t->ref, "%s", ref ? ref : "");
	return CM_OK;
}

/* Member credit of the sale goes back to the member's account first,
 * whatever the refund how (credit is never paid out in cash); then card
 * and QRIS payments get back what they paid less what earlier returns
 * gave them; the rest is cash, rounded to the step. */
static enum cm_rc plan_tenders(struct ret *r, enum refund_how how, struct plan *p)
{
	struct store *st = till_store(r->t);
	cm_money rest = p->h.total;
	enum cm_rc rc = CM_OK;
	for (size_t k = 0; k < 2 * (r->has_sale ? r->sale.ntenders : 0) && rest > 0; k++) {
		size_t i = k % r->sale.ntenders;
		const struct tender_rec *t = &r->sale.tenders[i];
		bool credit_pass = k < r->sale.ntenders;
		if (t->kind == TENDER_CASH || credit_pass != (t->kind == TENDER_CREDIT))
			continue;
		if (t->kind != TENDER_CREDIT && how != REFUND_ORIGINAL)
			continue;
		cm_money done = 0;
		if ((rc = store_refunded(st, r->sale.h.id, t->kind, t->ref, &done)) != CM_OK)
			return store_failed(r, rc);
		cm_money take = t->amount - done < rest ? t->amount - done : rest;
		if (take > 0 && (rc = add_tender(r, p, t->kind, take, t->ref)) != CM_OK)
			return rc;
		if (take > 0)
			rest -= take;
	}
	cm_money cash = money_round_step(rest, till_config(r->t)->round_step);
	p->h.rounding = cash - rest;
	p->h.refund = p->h.total + p->h.rounding;
	return add_tender(r, p, TENDER_CASH, cash, "");
}

static const char *tender_name(enum tender_kind k)
{
	static const char *const names[TENDER_KIND_COUNT] = { "cash", "debit", "qris", "credit" };
	return (unsigned)k < TENDER_KIND_COUNT ? names[k] : "other";
}

static char *payload(const struct ret *r, const struct plan *p, const struct approval *ap)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "return", p->h.return_no);
	if (r->has_sale)
		canon_str(c, "sale", r->sale.h.receipt_no);
	/* The sale's member: credit paid back goes to their account at HQ. */
	struct member_rec m;
	if (r->has_sale && r->sale.h.member_id &&
	    store_member_by_id(till_store(r->t), r->sale.h.member_id, &m) == CM_OK)
		canon_str(c, "member_no", m.number);
	canon_str(c, "reason", p->h.reason);
	canon_int(c, "cashier", p->h.cashier_id);
	canon_int(c, "approved_by", p->h.approver_id);
	if (ap)
		canon_str(c, "approval_reason", ap->reason);
	if (ap && ap->subject[0])
		canon_str(c, "approved", ap->subject);
	canon_int(c, "date", p->h.business_date);
	canon_arr_begin(c, "lines");
	for (size_t i = 0; i < p->nlines; i++) {
		const struct return_line_rec *l = &p->lines[i];
		canon_obj_begin(c, NULL);
		canon_int(c, "n", l->n);
		if (l->sale_line)
			canon_int(c, "line", l->sale_line);
		canon_str(c, "sku", l->sku);
		canon_int(c, "qty", l->qty);
		canon_int(c, "price", l->unit_price);
		canon_int(c, "amount", l->amount);
		canon_bool(c, "damaged", l->damaged);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_int(c, "total", p->h.total);
	canon_int(c, "rounding", p->h.rounding);
	canon_int(c, "refund", p->h.refund);
	canon_arr_begin(c, "taxes");
	for (int k = 0; k < TAX_CLASS_COUNT; k++) {
		if (!p->h.class_total[k])
			continue;
		canon_obj_begin(c, NULL);
		canon_str(c, "class", tax_class_name((enum tax_class)k));
		canon_int(c, "total", p->h.class_total[k]);
		canon_int(c, "tax", p->h.class_tax[k]);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_arr_begin(c, "tenders");
	for (size_t i = 0; i < p->ntenders; i++) {
		canon_obj_begin(c, NULL);
		canon_str(c, "kind", tender_name(p->tenders[i].kind));
		canon_int(c, "amount", p->tenders[i].amount);
		if (p->tenders[i].ref[0])
			canon_str(c, "ref", p->tenders[i].ref);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_obj_end(c);
	return canon_take(c);
}

/* A supervisor approves these lines, these quantities, this refund and
 * this reason for this receipt: the subject lists them, the text shows
 * them; a change to any of them asks again. */
static enum cm_rc approve(struct ret *r, enum return_reason reason, const struct approval *ap)
{
	enum action act = r->has_sale ? ACT_RETURN : ACT_RETURN_NO_RECEIPT;
	char subject[AUTH_SUBJECT_MAX], what[AUTH_WHAT_MAX], total[32];
	money_format(return_total(r), NULL, total, sizeof total);
	size_t sn = (size_t)snprintf(subject, sizeof subject, "receipt=%s reason=%s refund=%lld lines=",
	                             r->has_sale ? r->sale.h.receipt_no : "-",
	                             return_reason_code(reason), (long long)return_total(r));
	size_t wn = (size_t)snprintf(what, sizeof what, _("Receipt %s, reason: %s\nRefund %s for:"),
	                             r->has_sale ? r->sale.h.receipt_no : _("none"),
	                             return_reason_label(reason), total);
	for (size_t i = 0; i < return_line_count(r); i++) {
		cm_qty q = return_qty(r, i);
		if (q <= 0)
			continue;
		const char *name = r->has_sale ? r->sale.lines[i].name : r->items[i].name;
		const char *sku = r->has_sale ? r->sale.lines[i].sku : r->items[i].sku;
		char qt[24];
		qty_format(q, qt, sizeof qt);
		if (sn < sizeof subject)
			sn += (size_t)snprintf(subject + sn, sizeof subject - sn, "%s%s:%lld",
			                       sn && subject[sn - 1] != '=' ? "," : "", sku, (long long)q);
		if (wn < sizeof what)
			wn += (size_t)snprintf(what + wn, sizeof what - wn, "\n  %s x %s", qt, name);
	}
	if (sn >= sizeof subject) {
		/* Too many lines to name: a refund this large is approved one
		 * receipt part at a time rather than on a truncated subject. */
		seterr(r, "%s", _("too many lines for one approval: return them in two parts"));
		return CM_INVALID;
	}
	enum cm_rc rc = auth_require_for(r->t, act, subject, what, ap);
	return rc == CM_OK ? CM_OK : till_fail(r, rc);
}

static enum cm_rc ready(struct ret *r, enum return_reason reason, const struct approval *ap)
{
	if ((unsigned)reason >= RR_COUNT) {
		seterr(r, "%s", _("choose a reason for the return"));
		return CM_INVALID;
	}
	enum cm_rc rc = shift_require_open(r->t); /* the refund comes out of its drawer */
	if (rc != CM_OK)
		return till_fail(r, rc);
	bool any = false;
	for (size_t i = 0; i < return_line_count(r); i++)
		any = any || return_qty(r, i) > 0;
	if (!any) {
		seterr(r, "%s", _("nothing to return: choose the lines and quantities first"));
		return CM_STATE;
	}
	if (return_total(r) <= 0) {
		seterr(r, "%s", _("these lines refund nothing (they were fully discounted)"));
		return CM_STATE;
	}
	return approve(r, reason, ap);
}

enum cm_rc return_check(struct ret *r, enum return_reason reason, const struct approval *ap)
{
	return ready(r, reason, ap);
}

static void fill_header(struct ret *r, struct plan *p, int64_t id, enum return_reason reason,
                        const struct approval *ap)
{
	const struct user_rec *u = till_user(r->t);
	int64_t now = till_now(r->t);
	p->h.id = id;
	snprintf(p->h.return_no, sizeof p->h.return_no, "%s-R%06lld",
	         till_config(r->t)->terminal, (long long)id);
	p->h.sale_id = r->has_sale ? r->sale.h.id : 0;
	if (r->has_sale)
		snprintf(p->h.sale_receipt, sizeof p->h.sale_receipt, "%s", r->sale.h.receipt_no);
	p->h.cashier_id = u->id;
	p->h.approver_id = ap ? ap->approver_id : u->id;
	snprintf(p->h.reason, sizeof p->h.reason, "%s", return_reason_code(reason));
	p->h.at = now;
	p->h.business_date = till_local_date(now);
}

enum cm_rc return_complete(struct ret *r, enum return_reason reason, enum refund_how how,
                           const struct approval *ap, struct return_result *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = ready(r, reason, ap);
	if (rc != CM_OK)
		return rc;
	if (!r->has_sale)
		how = REFUND_CASH;
	struct store *st = till_store(r->t);
	struct plan p = { 0 };
	struct journal_entry je;
	int64_t id = 0;
	if ((rc = store_begin(st)) != CM_OK)
		return store_failed(r, rc);
	if ((rc = store_return_next_id(st, &id)) != CM_OK) {
		store_failed(r, rc);
		goto out;
	}
	fill_header(r, &p, id, reason, ap);
	if ((rc = plan_lines(r, reason == RR_DAMAGED || reason == RR_EXPIRED, &p)) != CM_OK)
		goto out;
	for (size_t i = 0; i < p.nlines; i++)
		p.h.total += p.lines[i].amount;
	plan_taxes(r, &p);
	if ((rc = plan_tenders(r, how, &p)) != CM_OK)
		goto out;
	if ((rc = till_journal(r->t, "return", 0, payload(r, &p, ap), &je)) != CM_OK) {
		till_fail(r, rc);
		goto out;
	}
	p.h.journal_seq = je.seq;
	rc = store_return_insert(st, &p.h, p.lines, p.nlines, p.tenders, p.ntenders);
	if (rc == CM_OK) {
		struct receipt_head head;

		history_head_now(r->t, &head);
		rc = store_return_head_put(st, id, &head);
	}
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK)
		store_failed(r, rc);
out:
	if (rc != CM_OK)
		store_rollback(st);
	if (rc == CM_OK) {
		out->id = id;
		snprintf(out->return_no, sizeof out->return_no, "%s", p.h.return_no);
		out->journal_seq = je.seq;
		chain_hex(je.hash, CHAIN_HASH_LEN, out->hash_hex);
		out->refund = p.h.refund;
		for (size_t i = 0; i < p.ntenders; i++)
			if (p.tenders[i].kind == TENDER_CASH)
				out->cash += p.tenders[i].amount;
		if (r->has_sale) {
			load_returned(r);
			memset(r->qty, 0, r->sale.nlines * sizeof *r->qty);
		} else {
			r->nitems = 0;
		}
	}
	if (p.lines != r->items)
		free(p.lines);
	return rc;
}

/* ---- completed returns ---- */

static void user_label(struct store *st, int64_t id, char *buf, size_t n)
{
	struct user_rec u;
	if (store_user_by_id(st, id, &u) == CM_OK)
		snprintf(buf, n, "%s %s", u.number, u.name);
	else
		snprintf(buf, n, "#%lld", (long long)id);
}

enum cm_rc return_load(struct till *t, int64_t id, const char *return_no,
                       struct return_record *r)
{
	memset(r, 0, sizeof *r);
	struct store *st = till_store(t);
	enum cm_rc rc = store_return_load(st, id, return_no, &r->h, &r->lines, &r->nlines,
	                                  &r->tenders, &r->ntenders);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	struct journal_entry je;
	if ((rc = journal_get(st, r->h.journal_seq, &je)) != CM_OK) {
		return_record_free(r);
		return till_store_fail(t, rc);
	}
	chain_hex(je.hash, CHAIN_HASH_LEN, r->hash_hex);
	user_label(st, r->h.cashier_id, r->cashier, sizeof r->cashier);
	user_label(st, r->h.approver_id, r->approver, sizeof r->approver);
	rc = store_return_head_get(st, r->h.id, &r->head);
	if (rc == CM_NOTFOUND)
		history_head_now(t, &r->head);     /* a return from before version 10 */
	else if (rc != CM_OK) {
		return_record_free(r);
		return till_store_fail(t, rc);
	}
	return CM_OK;
}

void return_record_free(struct return_record *r)
{
	free(r->lines);
	free(r->tenders);
	memset(r, 0, sizeof *r);
}

char *return_receipt(struct till *t, const struct return_record *r, int columns, bool reprint)
{
	const struct till_config *c = till_config(t);
	const struct receipt_head *hd = &r->head;
	struct receipt_store rs = {
		.name = hd->store_name, .address = hd->address, .npwp = hd->npwp,
		.pkp = hd->pkp, .terminal = hd->terminal,
		.footer = hd->footer[0] ? hd->footer : NULL,
	};
	struct receipt_return rr = {
		.h = &r->h, .cashier = r->cashier, .approver = r->approver,
		.reason = reason_printed(r->h.reason), .lines = r->lines, .nlines = r->nlines,
		.tenders = r->tenders, .ntenders = r->ntenders, .hash_hex = r->hash_hex,
		.reprint = reprint,
	};
	char code[CHECKCODE_MAX];
	history_check_code(t, hd->terminal, r->h.return_no, r->h.journal_seq, r->hash_hex,
	                   r->h.refund, code, sizeof code);
	rr.check_code = code;
	return receipt_render_return(&rr, &rs, columns ? columns : c->receipt_columns);
}
