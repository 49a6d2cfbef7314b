/* The ticket being rung up: opening, restoring, lines, discounts, member,
 * suspend and cancel. Tenders and completion are in sale_pay.c, totals in
 * sale_calc.c. */
#include "engine/sale_int.h"
#include "engine/resolve.h"
#include "engine/shift.h"
#include "engine/standing.h"
#include "store/store_dues.h"
#include "core/chain.h"
#include "core/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 2000

void sale_seterr(struct sale *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
}

const char *sale_errmsg(const struct sale *s)
{
	return s->err;
}

enum cm_rc sale_till_fail(struct sale *s, enum cm_rc rc)
{
	snprintf(s->err, sizeof s->err, "%s", till_errmsg(s->t));
	return rc;
}

enum cm_rc sale_store_fail(struct sale *s, enum cm_rc rc)
{
	snprintf(s->err, sizeof s->err, "%s", store_errmsg(till_store(s->t)));
	return rc;
}

static struct sale *sale_new(struct till *t)
{
	struct sale *s = calloc(1, sizeof *s);
	if (s)
		s->t = t;
	return s;
}

void sale_free(struct sale *s)
{
	if (!s)
		return;
	free(s->lines);
	free(s->amounts);
	free(s->tenders);
	free(s->dues);
	free(s);
}

static enum cm_rc grow_lines(struct sale *s)
{
	if (s->nlines < s->cap)
		return CM_OK;
	if (s->nlines >= MAX_LINES) {
		sale_seterr(s, _("a ticket can hold at most %d lines; pay this one and start another"), MAX_LINES);
		return CM_STATE;
	}
	size_t cap = s->cap ? s->cap * 2 : 32;
	struct line_rec *l = realloc(s->lines, cap * sizeof *l);
	if (l)
		s->lines = l;
	struct sale_line_amounts *a = realloc(s->amounts, cap * sizeof *a);
	if (a)
		s->amounts = a;
	if (!l || !a) {
		sale_seterr(s, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	s->cap = cap;
	return CM_OK;
}

static enum cm_rc need_user(struct sale *s, struct till *t)
{
	enum cm_rc rc = auth_require(t, ACT_SELL, NULL);
	return rc == CM_OK ? CM_OK : sale_till_fail(s, rc);
}

static void load_member(struct sale *s)
{
	s->has_member = s->tk.member_id &&
		store_member_by_id(till_store(s->t), s->tk.member_id, &s->member) == CM_OK;
}

/* Takes ownership of the loaded arrays. */
static enum cm_rc adopt(struct sale *s, struct line_rec *lines, size_t n,
                        struct tender_rec *tenders, size_t nt)
{
	s->lines = lines;
	s->nlines = s->cap = n;
	s->tenders = tenders;
	s->ntenders = s->tcap = nt;
	s->amounts = calloc(n ? n : 1, sizeof *s->amounts);
	if (!s->amounts) {
		sale_seterr(s, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	load_member(s);
	enum cm_rc rc = store_ticket_load_dues(till_store(s->t), s->tk.id, &s->dues, &s->ndues);
	if (rc != CM_OK)
		return sale_store_fail(s, rc);
	sale_recalc(s);
	return CM_OK;
}

/* Loads ticket id into a new sale, makes it active under the logged-in
 * user and saves that. */
static enum cm_rc load_ticket(struct till *t, int64_t id, bool want_suspended,
                              struct sale **out)
{
	struct sale *s = sale_new(t);
	if (!s)
		return CM_NOMEM;
	struct store *st = till_store(t);
	struct line_rec *lines;
	struct tender_rec *tenders;
	size_t n, nt;
	enum cm_rc rc = need_user(s, t);
	if (rc == CM_OK && (rc = store_ticket_load(st, id, &s->tk, &lines, &n, &tenders, &nt)) != CM_OK)
		sale_store_fail(s, rc);
	if (rc == CM_OK)
		rc = adopt(s, lines, n, tenders, nt);
	if (rc == CM_OK && want_suspended != (s->tk.state == TICKET_SUSPENDED)) {
		sale_seterr(s, "%s", _("that ticket is not suspended"));
		rc = CM_STATE;
	}
	if (rc == CM_OK) {
		s->tk.state = TICKET_ACTIVE;
		s->tk.cashier_id = till_user(t)->id;
		if ((rc = store_begin_relaxed(st)) == CM_OK &&
		    (rc = store_ticket_save(st, &s->tk, till_now(t))) == CM_OK)
			rc = store_commit(st);
		if (rc != CM_OK) {
			sale_store_fail(s, rc);
			store_rollback(st);
		}
	}
	if (rc != CM_OK) {
		till_seterr(t, "%s", s->err);
		sale_free(s);
		return rc;
	}
	*out = s;
	return CM_OK;
}

enum cm_rc sale_open(struct till *t, struct sale **out)
{
	*out = NULL;
	struct store *st = till_store(t);
	enum cm_rc rc = auth_require(t, ACT_SELL, NULL);
	if (rc == CM_OK)
		rc = shift_require_open(t);
	if (rc == CM_OK)
		rc = till_drawer_closed(t);
	if (rc != CM_OK)
		return rc;
	int64_t existing;
	if ((rc = store_ticket_active(st, &existing)) == CM_OK) {
		till_seterr(t, "%s", _("a ticket is still open from before; restore it first"));
		return CM_STATE;
	}
	if (rc != CM_NOTFOUND)
		return till_store_fail(t, rc);
	struct sale *s = sale_new(t);
	if (!s)
		return CM_NOMEM;
	s->tk.cashier_id = till_user(t)->id;
	s->tk.opened_at = till_now(t);
	if ((rc = store_begin_relaxed(st)) == CM_OK &&
	    (rc = store_ticket_create(st, &s->tk, s->tk.opened_at)) == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
		store_rollback(st);
		sale_free(s);
		return rc;
	}
	sale_recalc(s);
	*out = s;
	return CM_OK;
}

enum cm_rc sale_restore(struct till *t, struct sale **out)
{
	*out = NULL;
	int64_t id;
	enum cm_rc rc = store_ticket_active(till_store(t), &id);
	if (rc == CM_NOTFOUND) {
		till_seterr(t, "%s", _("no ticket to restore"));
		return rc;
	}
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	return load_ticket(t, id, false, out);
}

enum cm_rc sale_resume(struct till *t, int64_t ticket_id, struct sale **out)
{
	*out = NULL;
	int64_t active;
	enum cm_rc rc = store_ticket_active(till_store(t), &active);
	if (rc == CM_OK) {
		till_seterr(t, "%s", _("finish or suspend the current ticket first"));
		return CM_STATE;
	}
	if (rc != CM_NOTFOUND)
		return till_store_fail(t, rc);
	return load_ticket(t, ticket_id, true, out);
}

/* ---- saving ---- */

/* Ends the caller's transaction: journals type/payload in it when type is
 * given, then commits; rolls back when anything failed (rc on entry
 * included). payload is consumed. */
static enum cm_rc end_tx(struct sale *s, enum cm_rc rc, const char *type, char *payload)
{
	if (rc != CM_OK)
		return till_end_tx(s->t, rc, NULL, 0, payload); /* message set already */
	rc = till_end_tx(s->t, rc, type, 0, payload);
	return rc == CM_OK ? CM_OK : sale_till_fail(s, rc);
}

/* Saves line i (and the header when header is set) in a relaxed
 * transaction, journaling type/payload in the same transaction when type
 * is given (then durably). payload is consumed. */
static enum cm_rc save(struct sale *s, const struct line_rec *line, bool header,
                       const char *type, char *payload)
{
	struct store *st = till_store(s->t);
	enum cm_rc rc = type ? store_begin(st) : store_begin_relaxed(st);
	if (rc != CM_OK) {
		free(payload);
		return sale_store_fail(s, rc);
	}
	if (line)
		rc = store_ticket_put_line(st, s->tk.id, line);
	if (rc == CM_OK && header)
		rc = store_ticket_save(st, &s->tk, till_now(s->t));
	if (rc != CM_OK)
		sale_store_fail(s, rc);
	return end_tx(s, rc, type, payload);
}

/* Starts a journal payload naming the ticket (and the line when given). */
static struct canon *event(const struct sale *s, const struct line_rec *l)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "ticket", s->tk.id);
	if (l) {
		canon_int(c, "line", l->line_no);
		canon_str(c, "sku", l->sku);
		canon_int(c, "qty", l->qty);
		canon_int(c, "price", l->unit_price);
	}
	return c;
}

static char *event_end(struct canon *c, const struct approval *ap)
{
	auth_approval_payload(c, ap);
	canon_obj_end(c);
	return canon_take(c);
}

/* ---- lines ---- */

static struct line_rec *find_line(struct sale *s, int32_t line_no, size_t *idx)
{
	for (size_t i = 0; i < s->nlines; i++) {
		if (s->lines[i].line_no == line_no && !s->lines[i].voided) {
			if (idx)
				*idx = i;
			return &s->lines[i];
		}
	}
	sale_seterr(s, _("there is no line %d on this ticket"), line_no);
	return NULL;
}

static enum cm_rc editable(struct sale *s)
{
	if (s->ntenders) {
		sale_seterr(s, "%s", _("payment has started; remove the payments first"));
		return CM_STATE;
	}
	return CM_OK;
}

static cm_money price_for(const struct sale *s, const struct item_rec *it)
{
	if (s->has_member)
		return money_member_price(it->price, it->member_price);
	return it->price;
}

static enum cm_rc check_qty(struct sale *s, const char *name, bool weighed, cm_qty qty)
{
	if (qty <= 0 || qty > 99999 * CM_QTY_ONE) {
		sale_seterr(s, "%s", _("the quantity must be more than 0 and at most 99999"));
		return CM_INVALID;
	}
	if (!weighed && qty % CM_QTY_ONE) {
		sale_seterr(s, _("%s is sold by the piece; the quantity must be whole"), name);
		return CM_INVALID;
	}
	return CM_OK;
}

static enum cm_rc check_amount(struct sale *s, cm_money price, cm_qty qty)
{
	cm_money a;
	if (money_line_amount(price, qty, &a) != CM_OK || a > (cm_money)1000000000000) {
		sale_seterr(s, "%s", _("the amount is too large"));
		return CM_INVALID;
	}
	return CM_OK;
}

/* Adds qty of it at price as a new line, or to the last line when it is
 * the same plain item at the same price. */
static enum cm_rc add_line_at(struct sale *s, const struct item_rec *it, cm_qty qty,
                              const char *barcode, cm_money fixed_amount, cm_money price)
{
	enum cm_rc rc = need_user(s, s->t);
	if (rc != CM_OK)
		return rc;
	rc = editable(s);
	if (rc != CM_OK)
		return rc;
	if (!it->active) {
		sale_seterr(s, _("%s is no longer sold (inactive item)"), it->name);
		return CM_INVALID;
	}
	if ((rc = check_qty(s, it->name, it->weighed, qty)) != CM_OK)
		return rc;
	struct line_rec *last = s->nlines ? &s->lines[s->nlines - 1] : NULL;
	if (last && !last->voided && last->item_id == it->id && !it->weighed &&
	    !fixed_amount && !last->fixed_amount && last->unit_price == price &&
	    last->disc_kind == DISC_NONE && !last->price_override_by) {
		if ((rc = check_amount(s, price, last->qty + qty)) != CM_OK)
			return rc;
		last->qty += qty;
		rc = save(s, last, false, NULL, NULL);
		if (rc != CM_OK)
			last->qty -= qty;
		sale_recalc(s);
		return rc;
	}
	if ((rc = check_amount(s, price, qty)) != CM_OK || (rc = grow_lines(s)) != CM_OK)
		return rc;
	struct line_rec *l = &s->lines[s->nlines];
	memset(l, 0, sizeof *l);
	l->line_no = s->nlines ? s->lines[s->nlines - 1].line_no + 1 : 1;
	l->item_id = it->id;
	snprintf(l->sku, sizeof l->sku, "%s", it->sku);
	snprintf(l->barcode, sizeof l->barcode, "%s", barcode ? barcode : "");
	snprintf(l->name, sizeof l->name, "%s", it->name);
	snprintf(l->receipt_name, sizeof l->receipt_name, "%s", it->receipt_name);
	snprintf(l->unit, sizeof l->unit, "%s", it->unit);
	l->weighed = it->weighed;
	l->tax = it->tax;
	l->unit_price = price;
	l->list_price = it->price;
	l->qty = qty;
	l->fixed_amount = fixed_amount;
	if ((rc = save(s, l, false, NULL, NULL)) != CM_OK)
		return rc;
	s->nlines++;
	sale_recalc(s);
	return CM_OK;
}

static enum cm_rc add_line(struct sale *s, const struct item_rec *it, cm_qty qty,
                           const char *barcode, cm_money fixed_amount)
{
	return add_line_at(s, it, qty, barcode, fixed_amount, price_for(s, it));
}

enum cm_rc sale_add_priced(struct sale *s, const struct item_rec *it, cm_qty qty, cm_money price)
{
	return add_line_at(s, it, qty, "", 0, price);
}

static enum cm_rc lookup_fail(struct sale *s, enum cm_rc rc, const char *what)
{
	if (rc == CM_NOTFOUND) {
		sale_seterr(s, _("unknown code %s: not in the catalogue"), what);
		return CM_NOTFOUND;
	}
	return sale_store_fail(s, rc);
}

/* A scale label: weight or price embedded, item found by its PLU. */
static enum cm_rc scan_scale(struct sale *s, const struct item_rec *it, const struct barcode *bc)
{
	if (bc->has_weight)
		return add_line(s, it, bc->qty, bc->code, 0);
	if (it->price <= 0) {
		sale_seterr(s, _("%s has no price per kg; the label cannot be read"), it->name);
		return CM_INVALID;
	}
	/* Price label: the amount is what the label says; the weight is
	 * derived for stock, rounded to the gram, at least one gram. */
	cm_qty q = (cm_qty)(((__int128)bc->price * CM_QTY_ONE + it->price / 2) / it->price);
	return add_line(s, it, q > 0 ? q : 1, bc->code, bc->price);
}

static enum cm_rc scan_item(struct sale *s, const struct item_rec *it, cm_qty pack,
                            cm_qty mult, const char *code)
{
	if (it->weighed && !mult) {
		sale_seterr(s, _("%s is sold by weight: type the weight, '*', then scan"), it->name);
		return CM_INVALID;
	}
	cm_qty qty = mult ? mult : CM_QTY_ONE;
	if (!it->weighed && pack != CM_QTY_ONE)
		qty = (cm_qty)((__int128)qty * pack / CM_QTY_ONE);
	return add_line(s, it, qty, code, 0);
}

static enum cm_rc attach_member(struct sale *s, const struct member_rec *m);

enum cm_rc sale_scan(struct sale *s, const char *code, cm_qty mult)
{
	struct resolved r;
	s->scanned_member = false;
	enum cm_rc rc = resolve_code(s->t, code, RESOLVE_LABELS | RESOLVE_MEMBERS, &r);
	if (rc != CM_OK)
		return sale_till_fail(s, rc);
	switch (r.kind) {
	case RESOLVED_LABEL:
		return scan_scale(s, &r.item, &r.bc);
	case RESOLVED_MEMBER:
		rc = attach_member(s, &r.member);
		s->scanned_member = rc == CM_OK;
		return rc;
	case RESOLVED_ITEM:
	default:
		/* The line keeps the GTIN it was rung up by; a typed SKU or PLU none. */
		return scan_item(s, &r.item, r.pack, mult, r.via == VIA_GTIN ? r.bc.code : "");
	}
}

bool sale_scan_was_member(const struct sale *s)
{
	return s->scanned_member;
}

enum cm_rc sale_add_item(struct sale *s, int64_t item_id, cm_qty qty)
{
	struct item_rec it;
	enum cm_rc rc = store_item_by_id(till_store(s->t), item_id, &it);
	if (rc != CM_OK)
		return lookup_fail(s, rc, "?");
	return scan_item(s, &it, CM_QTY_ONE, qty, NULL); /* weighed items need qty */
}

/* Discount in basis points of base, for comparing with the limit; an
 * amount is rounded up so that a rupiah over the limit is over it. */
static int64_t discount_bp(enum disc_kind kind, int64_t value, cm_money base)
{
	if (kind == DISC_PERCENT)
		return value;
	return base > 0 ? (int64_t)(((__int128)value * 10000 + base - 1) / base) : 10001;
}

/* After a change that makes amounts smaller (fewer pieces, a voided
 * line), a discount in rupiah given within the limit may be over it:
 * Rp3.500 off ten packets is 10%, off one packet 100%. Unless the user may
 * give such discounts, the change is refused (CM_STATE: no approval of the
 * change would make the discount right) until the discount is changed.
 * Run on recalculated totals. */
static enum cm_rc amount_discounts_ok(struct sale *s)
{
	if (auth_may(s->t, ACT_DISCOUNT_OVER_LIMIT))
		return CM_OK;
	int32_t limit = till_config(s->t)->discount_limit_bp;
	for (size_t i = 0; i < s->nlines; i++) {
		const struct line_rec *l = &s->lines[i];
		if (l->voided || l->disc_kind != DISC_AMOUNT ||
		    discount_bp(DISC_AMOUNT, l->disc_value, s->amounts[i].amount) <= limit)
			continue;
		sale_seterr(s, _("the discount on line %d would be over the limit; change the discount first or ask a supervisor"),
		            l->line_no);
		return CM_STATE;
	}
	cm_money base = s->totals.gross - s->totals.line_discounts;
	if (s->tk.disc_kind == DISC_AMOUNT && sale_live_lines(s) &&
	    discount_bp(DISC_AMOUNT, s->tk.disc_value, base) > limit) {
		sale_seterr(s, "%s", _("the ticket discount would be over the limit; change the discount first or ask a supervisor"));
		return CM_STATE;
	}
	return CM_OK;
}

static enum cm_rc require(struct sale *s, enum action act, const struct approval *ap)
{
	enum cm_rc rc = auth_require(s->t, act, ap);
	return rc == CM_OK ? CM_OK : sale_till_fail(s, rc);
}

enum cm_rc sale_void_line(struct sale *s, int32_t line_no, const struct approval *ap)
{
	size_t i;
	struct line_rec *l = find_line(s, line_no, &i);
	if (!l)
		return CM_NOTFOUND;
	enum cm_rc rc = editable(s);
	bool after = s->tk.subtotaled;
	if (rc == CM_OK)
		rc = after ? sale_approve_void(s, i, ap) : require(s, ACT_VOID_LINE, NULL);
	if (rc != CM_OK)
		return rc;
	l->voided = true;
	sale_recalc(s);
	rc = amount_discounts_ok(s);
	l->voided = false;
	sale_recalc(s);
	if (rc != CM_OK)
		return rc;
	struct canon *c = event(s, l);
	canon_int(c, "amount", s->amounts[i].amount);
	canon_bool(c, "after_subtotal", after);
	l->voided = true;
	rc = save(s, l, false, "line_voided", event_end(c, after ? ap : NULL));
	if (rc != CM_OK)
		l->voided = false;
	sale_recalc(s);
	return rc;
}

enum cm_rc sale_set_qty(struct sale *s, int32_t line_no, cm_qty qty, const struct approval *ap)
{
	size_t i;
	struct line_rec *l = find_line(s, line_no, &i);
	if (!l)
		return CM_NOTFOUND;
	enum cm_rc rc = editable(s);
	if (rc == CM_OK && l->fixed_amount) {
		sale_seterr(s, "%s", _("the quantity of a scale label cannot be changed; void the line instead"));
		rc = CM_STATE;
	}
	if (rc == CM_OK)
		rc = check_qty(s, l->name, l->weighed, qty);
	if (rc == CM_OK)
		rc = check_amount(s, l->unit_price, qty);
	bool reduce = s->tk.subtotaled && qty < l->qty;
	if (rc == CM_OK && reduce)
		rc = sale_approve_qty(s, i, qty, ap);
	if (rc != CM_OK)
		return rc;
	cm_qty old = l->qty;
	l->qty = qty;
	sale_recalc(s);
	rc = qty < old ? amount_discounts_ok(s) : CM_OK;
	l->qty = old;
	sale_recalc(s);
	if (rc != CM_OK)
		return rc;
	char *payload = NULL;
	if (reduce) {
		struct canon *c = event(s, l);
		canon_int(c, "new_qty", qty);
		payload = event_end(c, ap);
	}
	l->qty = qty;
	rc = save(s, l, false, reduce ? "qty_reduced" : NULL, payload);
	if (rc != CM_OK)
		l->qty = old;
	sale_recalc(s);
	return rc;
}

static enum cm_rc check_discount(struct sale *s, int i, enum disc_kind kind, int64_t value,
                                 cm_money base, const struct approval *ap)
{
	if (kind == DISC_NONE)
		return CM_OK;
	if ((kind == DISC_PERCENT && (value <= 0 || value > 10000)) ||
	    (kind == DISC_AMOUNT && (value <= 0 || value > base))) {
		sale_seterr(s, "%s", _("a discount must be more than 0 and at most the amount (100%)"));
		return CM_INVALID;
	}
	bool over = discount_bp(kind, value, base) > till_config(s->t)->discount_limit_bp;
	return over ? sale_approve_discount(s, i, kind, value, base, ap)
	            : require(s, ACT_DISCOUNT, NULL);
}

static void discount_payload(struct canon *c, enum disc_kind kind, int64_t value)
{
	canon_str(c, "kind", kind == DISC_PERCENT ? "percent" : kind == DISC_AMOUNT ? "amount" : "none");
	canon_int(c, "value", value);
}

enum cm_rc sale_line_discount(struct sale *s, int32_t line_no, enum disc_kind kind,
                              int64_t value, const struct approval *ap)
{
	size_t i;
	struct line_rec *l = find_line(s, line_no, &i);
	if (!l)
		return CM_NOTFOUND;
	enum cm_rc rc = editable(s);
	if (rc == CM_OK)
		rc = check_discount(s, (int)i, kind, value, s->amounts[i].amount, ap);
	if (rc != CM_OK)
		return rc;
	struct line_rec old = *l;
	struct canon *c = event(s, l);
	discount_payload(c, kind, value);
	l->disc_kind = kind;
	l->disc_value = kind == DISC_NONE ? 0 : value;
	rc = save(s, l, false, "line_discount", event_end(c, ap));
	if (rc != CM_OK)
		*l = old;
	sale_recalc(s);
	return rc;
}

enum cm_rc sale_ticket_discount(struct sale *s, enum disc_kind kind, int64_t value,
                                const struct approval *ap)
{
	enum cm_rc rc = editable(s);
	cm_money base = s->totals.gross - s->totals.line_discounts;
	if (rc == CM_OK)
		rc = check_discount(s, -1, kind, value, base, ap);
	if (rc != CM_OK)
		return rc;
	struct ticket_rec old = s->tk;
	struct canon *c = event(s, NULL);
	discount_payload(c, kind, value);
	s->tk.disc_kind = kind;
	s->tk.disc_value = kind == DISC_NONE ? 0 : value;
	rc = save(s, NULL, true, "ticket_discount", event_end(c, ap));
	if (rc != CM_OK)
		s->tk = old;
	sale_recalc(s);
	return rc;
}

enum cm_rc sale_price_override(struct sale *s, int32_t line_no, cm_money price,
                               const struct approval *ap)
{
	size_t i;
	struct line_rec *l = find_line(s, line_no, &i);
	if (!l)
		return CM_NOTFOUND;
	enum cm_rc rc = editable(s);
	if (rc == CM_OK && (price < 0 || l->fixed_amount)) {
		sale_seterr(s, "%s", _("this price cannot be overridden"));
		rc = CM_INVALID;
	}
	if (rc == CM_OK && price > MONEY_PRICE_MAX) {
		char max[32];
		money_format(MONEY_PRICE_MAX, NULL, max, sizeof max);
		sale_seterr(s, _("a price above %s is not accepted"), max);
		rc = CM_INVALID;
	}
	if (rc == CM_OK)
		rc = check_amount(s, price, l->qty);
	if (rc == CM_OK)
		rc = sale_approve_price(s, i, price, ap);
	if (rc != CM_OK)
		return rc;
	struct line_rec old = *l;
	struct canon *c = event(s, l);
	canon_int(c, "new_price", price);
	canon_int(c, "list_price", l->list_price);
	l->unit_price = price;
	l->price_override_by = ap ? ap->approver_id : till_user(s->t)->id;
	rc = save(s, l, false, "price_override", event_end(c, ap));
	if (rc != CM_OK)
		*l = old;
	sale_recalc(s);
	return rc;
}

/* Member prices for every line not overridden; saves changed lines. */
static enum cm_rc reprice(struct sale *s)
{
	struct store *st = till_store(s->t);
	enum cm_rc rc = store_begin_relaxed(st);
	for (size_t i = 0; rc == CM_OK && i < s->nlines; i++) {
		struct line_rec *l = &s->lines[i];
		struct item_rec it;
		if (l->voided || l->price_override_by || l->fixed_amount ||
		    store_item_by_id(st, l->item_id, &it) != CM_OK)
			continue;
		cm_money p = price_for(s, &it);
		if (p != l->unit_price) {
			l->unit_price = p;
			rc = store_ticket_put_line(st, s->tk.id, l);
		}
	}
	if (rc == CM_OK)
		rc = store_ticket_save(st, &s->tk, till_now(s->t));
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		sale_store_fail(s, rc);
		store_rollback(st);
	}
	sale_recalc(s);
	return rc;
}

static enum cm_rc attach_member(struct sale *s, const struct member_rec *m)
{
	enum cm_rc rc = editable(s);
	if (rc != CM_OK)
		return rc;
	if (s->ndues && s->has_member && s->member.id != m->id) {
		sale_seterr(s, _("the ticket holds dues of member %s: remove them before attaching another member"),
		            s->member.number);
		return CM_STATE;
	}
	/* An online order's lines keep the prices the member ordered at. */
	if (s->tk.shop_order[0] && s->has_member) {
		if (s->member.id == m->id)
			return CM_OK;
		sale_seterr(s, _("this ticket collects online order %s of member %s: no other member"),
		            s->tk.shop_order, s->member.number);
		return CM_STATE;
	}
	if (strcmp(m->status, "blocked") == 0) {
		sale_seterr(s, _("member card blocked: %s %s; ask a supervisor"),
		            m->number, m->name);
		return CM_INVALID;
	}
	if (strcmp(m->status, "active") != 0) {
		sale_seterr(s, _("member %s %s is not active (%s)"), m->number, m->name, m->status);
		return CM_INVALID;
	}
	s->member = *m;
	s->has_member = true;
	s->tk.member_id = m->id;
	return reprice(s);
}

enum cm_rc sale_attach_member(struct sale *s, const char *code)
{
	struct member_rec m;
	enum cm_rc rc = store_member_find(till_store(s->t), code, &m);
	if (rc == CM_NOTFOUND) {
		sale_seterr(s, _("no member with card or number %s"), code);
		return rc;
	}
	if (rc != CM_OK)
		return sale_store_fail(s, rc);
	return attach_member(s, &m);
}

enum cm_rc sale_subtotal(struct sale *s)
{
	if (!sale_has_content(s)) {
		sale_seterr(s, "%s", _("nothing on the ticket yet"));
		return CM_STATE;
	}
	if (s->tk.subtotaled)
		return CM_OK;
	s->tk.subtotaled = true;
	enum cm_rc rc = save(s, NULL, true, NULL, NULL);
	if (rc != CM_OK)
		s->tk.subtotaled = false;
	return rc;
}

enum cm_rc sale_suspend(struct sale *s, const char *label)
{
	enum cm_rc rc = editable(s);
	if (rc != CM_OK)
		return rc;
	if (!sale_has_content(s)) {
		sale_seterr(s, "%s", _("an empty ticket cannot be suspended"));
		return CM_STATE;
	}
	struct ticket_rec old = s->tk;
	s->tk.state = TICKET_SUSPENDED;
	snprintf(s->tk.label, sizeof s->tk.label, "%s", label ? label : "");
	rc = save(s, NULL, true, NULL, NULL);
	if (rc != CM_OK)
		s->tk = old;
	return rc;
}

static enum cm_rc abort_ticket(struct sale *s, enum action act, const struct approval *ap,
                               const char *why)
{
	enum cm_rc rc = act == ACT_CANCEL_EMPTY ? require(s, act, NULL)
	                                        : sale_approve_abort(s, act, ap);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(s->t);
	char *payload = NULL;
	if (s->nlines || s->ndues) {
		struct canon *c = event(s, NULL);
		canon_str(c, "why", why);
		canon_int(c, "lines", (int64_t)sale_live_lines(s));
		canon_int(c, "total", s->totals.total);
		if (s->ndues)
			canon_int(c, "dues_total", s->totals.dues);
		canon_arr_begin(c, "items");
		for (size_t i = 0; i < s->nlines; i++) {
			if (s->lines[i].voided)
				continue;
			canon_obj_begin(c, NULL);
			canon_str(c, "sku", s->lines[i].sku);
			canon_int(c, "qty", s->lines[i].qty);
			canon_int(c, "amount", s->amounts[i].amount);
			canon_obj_end(c);
		}
		canon_arr_end(c);
		payload = event_end(c, ap);
	}
	if ((rc = store_begin(st)) != CM_OK) {
		free(payload);
		return sale_store_fail(s, rc);
	}
	rc = store_ticket_delete(st, s->tk.id);
	if (rc != CM_OK)
		sale_store_fail(s, rc);
	return end_tx(s, rc, payload ? "ticket_aborted" : NULL, payload);
}

enum cm_rc sale_cancel(struct sale *s, const struct approval *ap)
{
	enum cm_rc rc = editable(s);
	if (rc != CM_OK)
		return rc;
	bool live = sale_has_content(s);
	return abort_ticket(s, live ? ACT_CANCEL_TICKET : ACT_CANCEL_EMPTY,
	                    live ? ap : NULL, "cancelled");
}

enum cm_rc sale_abort_recovered(struct sale *s, const struct approval *ap)
{
	return abort_ticket(s, ACT_ABORT_RECOVERED, ap, "recovered");
}

/* ---- views ---- */

size_t sale_line_count(const struct sale *s) { return s->nlines; }
const struct line_rec *sale_line(const struct sale *s, size_t i) { return &s->lines[i]; }
const struct sale_line_amounts *sale_line_amounts(const struct sale *s, size_t i) { return &s->amounts[i]; }
const struct sale_totals *sale_totals(const struct sale *s) { return &s->totals; }
size_t sale_tender_count(const struct sale *s) { return s->ntenders; }
const struct tender_rec *sale_tender(const struct sale *s, size_t i) { return &s->tenders[i]; }
const struct ticket_rec *sale_ticket(const struct sale *s) { return &s->tk; }
const struct member_rec *sale_member(const struct sale *s) { return s->has_member ? &s->member : NULL; }

bool sale_has_content(const struct sale *s)
{
	return sale_live_lines(s) > 0 || s->ndues > 0;
}

size_t sale_dues_count(const struct sale *s) { return s->ndues; }
const struct dues_line *sale_dues(const struct sale *s, size_t i) { return &s->dues[i]; }

/* ---- members' dues ---- */

#define MAX_DUES_MONTHS 120

static enum cm_rc dues_member(struct sale *s)
{
	if (!s->has_member) {
		sale_seterr(s, "%s", _("scan the member's card first: dues are paid for a member"));
		return CM_STATE;
	}
	return editable(s);
}

enum cm_rc sale_standing(struct sale *s, bool with_ticket, struct standing *out)
{
	if (!s->has_member) {
		sale_seterr(s, "%s", _("no member on this ticket"));
		return CM_STATE;
	}
	enum cm_rc rc = store_member_by_id(till_store(s->t), s->member.id, &s->member);
	if (rc != CM_OK)
		return sale_store_fail(s, rc);
	rc = standing_get(s->t, &s->member, with_ticket ? s->dues : NULL,
	                  with_ticket ? s->ndues : 0, out);
	return rc == CM_OK ? CM_OK : sale_till_fail(s, rc);
}

/* Saves the ticket's dues (replaced whole) in a relaxed transaction. */
static enum cm_rc save_dues(struct sale *s, struct dues_line *d, size_t n)
{
	struct store *st = till_store(s->t);
	for (size_t i = 0; i < n; i++)
		d[i].n = (int32_t)i + 1;
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc != CM_OK) {
		free(d);
		return sale_store_fail(s, rc);
	}
	rc = store_ticket_put_dues(st, s->tk.id, d, n);
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		sale_store_fail(s, rc);
		store_rollback(st);
		free(d);
		return rc;
	}
	free(s->dues);
	s->dues = d;
	s->ndues = n;
	sale_recalc(s);
	return CM_OK;
}

/* The ticket's dues without those of kind, in a new array with room for
 * extra more; NULL when out of memory. */
static struct dues_line *dues_without(struct sale *s, enum dues_kind kind, size_t extra,
                                      size_t *n)
{
	struct dues_line *d = calloc(s->ndues + extra + 1, sizeof *d);
	*n = 0;
	if (!d) {
		sale_seterr(s, "%s", _("out of memory"));
		return NULL;
	}
	for (size_t i = 0; i < s->ndues; i++)
		if (s->dues[i].kind != kind)
			d[(*n)++] = s->dues[i];
	return d;
}

static enum cm_rc add_wajib(struct sale *s, const struct standing *sg, int months,
                            struct dues_line *d, size_t *n)
{
	struct dues_owed next[MAX_DUES_MONTHS];
	if (months < 1 || months > MAX_DUES_MONTHS) {
		sale_seterr(s, _("the number of months must be 1 to %d"), MAX_DUES_MONTHS);
		return CM_INVALID;
	}
	size_t k = standing_next_months(s->t, &s->member, sg, months, next, MAX_DUES_MONTHS);
	if ((int)k < months) {
		char m[16];
		dues_month_format(k ? dues_month_add(next[k - 1].month, 1) : sg->month, m, sizeof m);
		sale_seterr(s, _("no simpanan wajib rate for member type \"%s\" from %s: ask the office to set it at HQ"),
		            s->member.type, m);
		return CM_STATE;
	}
	for (size_t i = 0; i < k; i++)
		d[(*n)++] = (struct dues_line){ .member_id = s->member.id, .kind = DUES_WAJIB,
		                                .month = next[i].month, .amount = next[i].amount };
	return CM_OK;
}

enum cm_rc sale_add_dues(struct sale *s, enum dues_kind kind, int months, cm_money amount)
{
	enum cm_rc rc = dues_member(s);
	if (rc != CM_OK)
		return rc;
	struct standing *sg = malloc(sizeof *sg);
	size_t n;
	struct dues_line *d = dues_without(s, kind, MAX_DUES_MONTHS, &n);
	if (!sg || !d) {
		free(sg);
		free(d);
		sale_seterr(s, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	/* The standing counts the ticket's other dues, not those replaced. */
	if ((rc = standing_get(s->t, &s->member, d, n, sg)) != CM_OK) {
		sale_till_fail(s, rc);
	} else if (kind != DUES_SUKARELA && !sg->known) {
		sale_seterr(s, _("HQ has not sent the dues of member %s yet: take sukarela only, or sync first"),
		            s->member.number);
		rc = CM_STATE;
	} else if (kind == DUES_WAJIB) {
		rc = add_wajib(s, sg, months, d, &n);
	} else if (kind == DUES_POKOK) {
		if (sg->pokok_owed <= 0) {
			sale_seterr(s, _("member %s owes no simpanan pokok"), s->member.number);
			rc = CM_STATE;
		} else {
			d[n++] = (struct dues_line){ .member_id = s->member.id, .kind = DUES_POKOK,
			                             .amount = sg->pokok_owed };
		}
	} else if (amount <= 0 || amount > MONEY_PRICE_MAX) {
		sale_seterr(s, "%s", _("the simpanan sukarela amount must be more than zero and at most Rp1.000.000.000"));
		rc = CM_INVALID;
	} else {
		d[n++] = (struct dues_line){ .member_id = s->member.id, .kind = DUES_SUKARELA,
		                             .amount = amount };
	}
	free(sg);
	if (rc == CM_OK)
		return save_dues(s, d, n);   /* takes d */
	free(d);
	return rc;
}

enum cm_rc sale_remove_dues(struct sale *s, enum dues_kind kind)
{
	enum cm_rc rc = editable(s);
	if (rc != CM_OK)
		return rc;
	size_t n;
	struct dues_line *d = dues_without(s, kind, 0, &n);
	if (!d)
		return CM_NOMEM;
	if (n == s->ndues) {
		free(d);
		sale_seterr(s, _("no simpanan %s on this ticket"), dues_kind_name(kind));
		return CM_NOTFOUND;
	}
	return save_dues(s, d, n);
}

size_t sale_live_lines(const struct sale *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nlines; i++)
		n += !s->lines[i].voided;
	return n;
}

struct suspended_ctx {
	struct till *t;
	sale_suspended_fn fn;
	void *ctx;
	enum cm_rc rc;
};

/* What a held ticket will cost: its lines computed as the sale computes
 * them, after line and ticket discounts and member prices (the sum of
 * its lines' shelf amounts is not what the customer pays). */
static enum cm_rc held_total(struct till *t, int64_t id, cm_money *total)
{
	struct sale *s = sale_new(t);
	struct line_rec *lines;
	struct tender_rec *tenders;
	size_t n, nt;
	if (!s)
		return CM_NOMEM;
	enum cm_rc rc = store_ticket_load(till_store(t), id, &s->tk, &lines, &n, &tenders, &nt);
	if (rc == CM_OK && (rc = adopt(s, lines, n, tenders, nt)) == CM_OK)
		*total = s->totals.total + s->totals.dues;
	sale_free(s);
	return rc;
}

static void each_suspended(const struct ticket_rec *t, size_t n, cm_money gross, void *ctx)
{
	struct suspended_ctx *c = ctx;
	cm_money total = gross;
	if (c->rc == CM_OK)
		c->rc = held_total(c->t, t->id, &total);
	if (c->rc == CM_OK)
		c->fn(t, n, total, c->ctx);
}

enum cm_rc sale_list_suspended(struct till *t, sale_suspended_fn fn, void *ctx)
{
	struct suspended_ctx c = { t, fn, ctx, CM_OK };
	enum cm_rc rc = store_ticket_each_suspended(till_store(t), each_suspended, &c);
	if (rc == CM_OK)
		rc = c.rc;
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}
