/* Tenders and completing the sale in one durable transaction. */
#include "engine/sale_int.h"
#include "engine/shift.h"
#include "core/chain.h"
#include "core/money.h"
#include "engine/history.h"
#include "engine/printq.h"
#include "store/store_dues.h"
#include "store/store_shop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cm_money sale_noncash_due(const struct sale *s)
{
	cm_money left = s->totals.total + s->totals.dues - s->totals.paid;
	return left > 0 ? left : 0;
}

cm_money sale_cash_due(const struct sale *s)
{
	const struct sale_totals *t = &s->totals;
	cm_money cash_paid = t->paid - sale_noncash_paid(s);
	cm_money part = t->total + t->dues - sale_noncash_paid(s);
	cm_money due = money_round_step(part, till_config(s->t)->round_step) - cash_paid;
	return due > 0 ? due : 0;
}

static bool printable_ref(const char *ref)
{
	size_t n = strlen(ref);
	if (n == 0 || n >= sizeof ((struct tender_rec *)0)->ref)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)ref[i] < 0x20 || (unsigned char)ref[i] > 0x7e)
			return false;
	return true;
}

static enum cm_rc check_tender(struct sale *s, enum tender_kind kind, cm_money amount,
                               const char *ref)
{
	char a[32], b[32];
	if (!sale_has_content(s)) {
		sale_seterr(s, "%s", _("nothing to pay for"));
		return CM_STATE;
	}
	if (amount <= 0) {
		sale_seterr(s, "%s", _("the amount must be more than zero"));
		return CM_INVALID;
	}
	if (kind == TENDER_CASH) {
		cm_money ceiling = till_config(s->t)->cash_ceiling;
		if (amount > ceiling) {
			money_format(amount, NULL, a, sizeof a);
			money_format(ceiling, NULL, b, sizeof b);
			sale_seterr(s, _("%s is more than the cash limit of %s: was a barcode scanned into the amount? Type it again"), a, b);
			return CM_INVALID;
		}
		if (sale_cash_due(s) == 0) {
			sale_seterr(s, "%s", _("the ticket is already paid"));
			return CM_STATE;
		}
		return CM_OK;
	}
	if (kind == TENDER_CREDIT) {
		if (amount > sale_noncash_due(s)) {
			money_format(sale_noncash_due(s), NULL, a, sizeof a);
			sale_seterr(s, _("member credit cannot be more than what is due (%s)"), a);
			return CM_INVALID;
		}
		return CM_OK;
	}
	if (kind != TENDER_DEBIT && kind != TENDER_QRIS) {
		sale_seterr(s, "%s", _("unknown kind of payment"));
		return CM_INVALID;
	}
	if (!ref || !printable_ref(ref)) {
		sale_seterr(s, "%s", kind == TENDER_DEBIT
			? _("enter the approval code from the card terminal")
			: _("enter the QRIS payment reference"));
		return CM_INVALID;
	}
	if (amount > sale_noncash_due(s)) {
		money_format(sale_noncash_due(s), NULL, a, sizeof a);
		sale_seterr(s, _("a card or QRIS payment cannot be more than what is due (%s)"), a);
		return CM_INVALID;
	}
	return CM_OK;
}

static enum cm_rc save_tenders(struct sale *s)
{
	struct store *st = till_store(s->t);
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc == CM_OK)
		rc = store_ticket_put_tenders(st, s->tk.id, s->tenders, s->ntenders);
	if (rc == CM_OK)
		rc = store_ticket_save(st, &s->tk, till_now(s->t));
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		sale_store_fail(s, rc);
		store_rollback(st);
	}
	return rc;
}

static enum cm_rc add_tender(struct sale *s, enum tender_kind kind, cm_money amount,
                             const char *ref);

/* ---- member credit ---- */

enum cm_rc sale_credit_view(struct sale *s, struct credit_view *out)
{
	memset(out, 0, sizeof *out);
	if (!s->has_member) {
		sale_seterr(s, "%s", _("member credit needs a member: scan the member's card first"));
		return CM_STATE;
	}
	struct store *st = till_store(s->t);
	enum cm_rc rc = store_member_by_id(st, s->member.id, &s->member);
	cm_money here = 0;
	if (rc == CM_OK)
		rc = store_member_credit_since(st, s->member.id, s->member.hq.seq, &here);
	if (rc != CM_OK)
		return sale_store_fail(s, rc);
	out->known = s->member.hq.month != 0;
	out->limit = s->member.hq.credit_limit;
	out->outstanding = s->member.hq.credit_balance + here;
	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind == TENDER_CREDIT)
			out->outstanding += s->tenders[i].amount;
	out->available = out->limit > out->outstanding ? out->limit - out->outstanding : 0;
	out->excess_max = till_config(s->t)->credit_excess_max;
	return CM_OK;
}

/* Within the limit; or over it by at most the store's cap with a
 * supervisor's approval, the three figures said either way. */
static enum cm_rc credit_allowed(struct sale *s, cm_money amount, const struct approval *ap)
{
	struct credit_view v;
	char l[32], o[32], a[32], x[32], m[32];
	enum cm_rc rc = sale_credit_view(s, &v);
	if (rc != CM_OK)
		return rc;
	if (strcmp(s->member.status, "active") != 0) {
		sale_seterr(s, _("member %s is not active: no credit"), s->member.number);
		return CM_DENIED;
	}
	if (!v.known) {
		sale_seterr(s, _("HQ has not sent member %s's credit yet: no credit until a sync"),
		            s->member.number);
		return CM_STATE;
	}
	if (v.limit <= 0) {
		sale_seterr(s, _("member %s has no credit at the coop"), s->member.number);
		return CM_DENIED;
	}
	if (v.outstanding + amount <= v.limit)
		return CM_OK;
	cm_money excess = v.outstanding + amount - v.limit;
	money_format(v.limit, NULL, l, sizeof l);
	money_format(v.outstanding, NULL, o, sizeof o);
	money_format(amount, NULL, a, sizeof a);
	money_format(excess, NULL, x, sizeof x);
	money_format(v.excess_max, NULL, m, sizeof m);
	if (excess > v.excess_max) {
		sale_seterr(s, _("over the credit limit: limit %s, owed %s, this sale %s (%s over); "
		                 "the store lets a supervisor approve at most %s over"), l, o, a, x, m);
		return CM_DENIED;
	}
	char what[320];
	snprintf(what, sizeof what, _("over the credit limit: limit %s, owed %s, this sale %s (%s over): "
	                              "a supervisor may approve"), l, o, a, x);
	rc = sale_approve_credit(s, amount, v.outstanding, v.limit, what, ap);
	if (rc == CM_NEED_OVERRIDE) {
		if (!ap)
			sale_seterr(s, "%s", what);
		return CM_NEED_OVERRIDE;
	}
	if (rc != CM_OK)
		return rc;
	s->tk.credit_approved_by = ap->approver_id;
	return CM_OK;
}

enum cm_rc sale_add_credit(struct sale *s, cm_money amount, const struct approval *ap)
{
	enum cm_rc rc = check_tender(s, TENDER_CREDIT, amount, NULL);
	if (rc == CM_OK)
		rc = credit_allowed(s, amount, ap);
	if (rc != CM_OK)
		return rc;
	return add_tender(s, TENDER_CREDIT, amount, NULL);
}

enum cm_rc sale_add_tender(struct sale *s, enum tender_kind kind, cm_money amount,
                           const char *ref)
{
	if (kind == TENDER_CREDIT)
		return sale_add_credit(s, amount, NULL);
	enum cm_rc rc = check_tender(s, kind, amount, ref);
	if (rc != CM_OK)
		return rc;
	return add_tender(s, kind, amount, ref);
}

static enum cm_rc add_tender(struct sale *s, enum tender_kind kind, cm_money amount,
                             const char *ref)
{
	enum cm_rc rc;
	if (s->ntenders == s->tcap) {
		size_t cap = s->tcap ? s->tcap * 2 : 4;
		struct tender_rec *p = realloc(s->tenders, cap * sizeof *p);
		if (!p) {
			sale_seterr(s, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		s->tenders = p;
		s->tcap = cap;
	}
	struct tender_rec *t = &s->tenders[s->ntenders++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->amount = amount;
	if (kind != TENDER_CASH && ref)
		snprintf(t->ref, sizeof t->ref, "%s", ref);
	bool was = s->tk.subtotaled;
	s->tk.subtotaled = true;
	if ((rc = save_tenders(s)) != CM_OK) {
		s->ntenders--;
		s->tk.subtotaled = was;
	}
	sale_recalc(s);
	return rc;
}

enum cm_rc sale_remove_tender(struct sale *s, size_t index)
{
	if (index >= s->ntenders) {
		sale_seterr(s, "%s", _("no such payment"));
		return CM_NOTFOUND;
	}
	struct tender_rec keep = s->tenders[index];
	memmove(&s->tenders[index], &s->tenders[index + 1],
	        (s->ntenders - index - 1) * sizeof *s->tenders);
	s->ntenders--;
	int64_t approved = s->tk.credit_approved_by;
	if (keep.kind == TENDER_CREDIT)
		s->tk.credit_approved_by = 0;
	enum cm_rc rc = save_tenders(s);
	if (rc != CM_OK) {
		s->tk.credit_approved_by = approved;
		memmove(&s->tenders[index + 1], &s->tenders[index],
		        (s->ntenders - index) * sizeof *s->tenders);
		s->tenders[index] = keep;
		s->ntenders++;
	}
	sale_recalc(s);
	return rc;
}

static const char *tender_code(enum tender_kind k)
{
	switch (k) {
	case TENDER_CASH: return "cash";
	case TENDER_DEBIT: return "debit";
	case TENDER_QRIS: return "qris";
	case TENDER_CREDIT: return "credit";
	default: return "?";
	}
}

static void payload_lines(const struct sale *s, struct canon *c)
{
	canon_arr_begin(c, "lines");
	for (size_t i = 0; i < s->nlines; i++) {
		const struct line_rec *l = &s->lines[i];
		const struct sale_line_amounts *a = &s->amounts[i];
		canon_obj_begin(c, NULL);
		canon_int(c, "line", l->line_no);
		canon_int(c, "item", l->item_id);
		canon_str(c, "sku", l->sku);
		canon_int(c, "qty", l->qty);
		canon_int(c, "price", l->unit_price);
		canon_int(c, "list_price", l->list_price);
		canon_int(c, "amount", a->amount);
		canon_int(c, "discount", a->line_discount + a->ticket_discount);
		canon_int(c, "net", a->net);
		canon_str(c, "tax", tax_class_name(l->tax));
		if (l->voided)
			canon_bool(c, "voided", true);
		if (l->price_override_by)
			canon_int(c, "override_by", l->price_override_by);
		canon_obj_end(c);
	}
	canon_arr_end(c);
}

static void payload_money(const struct sale *s, struct canon *c)
{
	const struct sale_totals *t = &s->totals;
	canon_int(c, "gross", t->gross);
	canon_int(c, "discount", t->line_discounts + t->ticket_discount);
	canon_int(c, "total", t->total);
	canon_int(c, "rounding", t->rounding);
	canon_int(c, "due", t->due);
	canon_int(c, "paid", t->paid);
	canon_int(c, "change", t->change);
	canon_arr_begin(c, "taxes");
	for (int k = 0; k < TAX_CLASS_COUNT; k++) {
		if (!t->class_total[k])
			continue;
		canon_obj_begin(c, NULL);
		canon_str(c, "class", tax_class_name((enum tax_class)k));
		canon_int(c, "total", t->class_total[k]);
		canon_int(c, "tax", t->class_tax[k]);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_arr_begin(c, "tenders");
	for (size_t i = 0; i < s->ntenders; i++) {
		canon_obj_begin(c, NULL);
		canon_str(c, "kind", tender_code(s->tenders[i].kind));
		canon_int(c, "amount", s->tenders[i].amount);
		if (s->tenders[i].ref[0])
			canon_str(c, "ref", s->tenders[i].ref);
		canon_obj_end(c);
	}
	canon_arr_end(c);
}

/* Dues: savings of the sale's member, one row per month (sync/PROTOCOL.md). */
static void payload_dues(const struct sale *s, struct canon *c)
{
	if (!s->ndues)
		return;
	canon_arr_begin(c, "dues");
	for (size_t i = 0; i < s->ndues; i++) {
		canon_obj_begin(c, NULL);
		canon_str(c, "member_no", s->member.number);
		canon_str(c, "kind", dues_kind_name(s->dues[i].kind));
		canon_int(c, "month", s->dues[i].month);
		canon_int(c, "amount", s->dues[i].amount);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_int(c, "dues_total", s->totals.dues);
}

/* What the till saw when it gave credit (sync/PROTOCOL.md). */
static void payload_credit(struct sale *s, struct canon *c)
{
	cm_money credit = 0;
	struct credit_view v;
	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind == TENDER_CREDIT)
			credit += s->tenders[i].amount;
	if (!credit || sale_credit_view(s, &v) != CM_OK)
		return;
	canon_obj_begin(c, "credit");
	canon_int(c, "limit", v.limit);
	canon_int(c, "outstanding", v.outstanding - credit);
	if (s->tk.credit_approved_by)
		canon_int(c, "approved_by", s->tk.credit_approved_by);
	canon_obj_end(c);
}

/* The journal event of a sale: everything needed to rebuild it at HQ.
 * verify_sales() in the store checks receipt, total and due against the
 * sales table. */
static char *sale_payload(struct sale *s, const struct sale_header *h)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "receipt", h->receipt_no);
	canon_int(c, "ticket", s->tk.id);
	canon_int(c, "cashier", h->cashier_id);
	if (s->has_member) {
		canon_int(c, "member", s->member.id);
		canon_str(c, "member_no", s->member.number);
	}
	if (s->tk.shop_order[0])
		canon_str(c, "shop_order", s->tk.shop_order);
	canon_int(c, "opened", h->opened_at);
	canon_int(c, "date", h->business_date);
	payload_lines(s, c);
	payload_dues(s, c);
	payload_money(s, c);
	payload_credit(s, c);
	canon_obj_end(c);
	return canon_take(c);
}

static void fill_header(struct sale *s, struct sale_header *h, int64_t id, int64_t now)
{
	memset(h, 0, sizeof *h);
	h->id = id;
	snprintf(h->receipt_no, sizeof h->receipt_no, "%s-%06lld",
	         till_config(s->t)->terminal, (long long)id);
	h->cashier_id = till_user(s->t)->id;
	h->member_id = s->has_member ? s->member.id : 0;
	h->opened_at = s->tk.opened_at;
	h->completed_at = now;
	h->business_date = till_local_date(now);
	h->totals = s->totals;
	for (int c = 0; c < TAX_CLASS_COUNT; c++) {
		const struct tax_rate *r = till_tax_rate(s->t, (enum tax_class)c, h->business_date);
		h->rates[c] = r ? *r : (struct tax_rate){ .cls = (enum tax_class)c, .base_num = 1, .base_den = 1 };
	}
}

static bool paid_cash(const struct sale *s)
{
	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind == TENDER_CASH && s->tenders[i].amount > 0)
			return true;
	return false;
}

static bool paid_credit(const struct sale *s)
{
	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind == TENDER_CREDIT)
			return true;
	return false;
}

static enum cm_rc ready_to_complete(struct sale *s)
{
	if (!till_user(s->t)) {
		sale_seterr(s, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (!sale_has_content(s)) {
		sale_seterr(s, "%s", _("nothing to pay for"));
		return CM_STATE;
	}
	enum cm_rc rc = shift_require_open(s->t);
	if (rc != CM_OK)
		return sale_till_fail(s, rc);
	if (s->totals.paid < s->totals.due) {
		char a[32];
		money_format(s->totals.due - s->totals.paid, NULL, a, sizeof a);
		sale_seterr(s, _("%s is still to be paid"), a);
		return CM_STATE;
	}
	return CM_OK;
}

enum cm_rc sale_complete(struct sale *s, struct sale_result *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = ready_to_complete(s);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(s->t);
	int64_t now = till_now(s->t), id = 0;
	struct sale_header h;
	struct journal_entry je;
	if ((rc = store_begin(st)) != CM_OK)
		return sale_store_fail(s, rc);
	if ((rc = store_sale_next_id(st, &id)) != CM_OK) {
		sale_store_fail(s, rc);
		goto out;
	}
	fill_header(s, &h, id, now);
	if ((rc = till_journal(s->t, "sale", 0, sale_payload(s, &h), &je)) != CM_OK) {
		sale_till_fail(s, rc);
		goto out;
	}
	h.journal_seq = je.seq;
	rc = store_sale_insert(st, &h, s->lines, s->amounts, s->nlines, s->tenders, s->ntenders);
	if (rc == CM_OK && s->ndues)
		rc = store_sale_dues_insert(st, id, s->dues, s->ndues);
	if (rc == CM_OK && s->tk.shop_order[0])
		rc = store_shop_collected(st, s->tk.shop_order, id);
	if (rc == CM_OK) {
		struct receipt_head head;

		history_head_now(s->t, &head);
		rc = store_sale_head_put(st, id, &head);
	}
	if (rc == CM_OK)
		rc = store_ticket_delete(st, s->tk.id);
	/* The receipt is queued with the sale: whatever the printer does
	 * later, a committed sale has its receipt waiting. */
	if (rc == CM_OK && (rc = printq_enqueue_sale(s->t, id)) != CM_OK) {
		sale_till_fail(s, rc);
		goto out;
	}
	if (rc == CM_OK && paid_credit(s) && till_config(s->t)->credit_copy &&
	    (rc = printq_enqueue_member_copy(s->t, id)) != CM_OK) {
		sale_till_fail(s, rc);
		goto out;
	}
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK)
		sale_store_fail(s, rc);
out:
	if (rc != CM_OK) {
		store_rollback(st);
		return rc;
	}
	out->sale_id = id;
	snprintf(out->receipt_no, sizeof out->receipt_no, "%s", h.receipt_no);
	out->journal_seq = je.seq;
	chain_hex(je.hash, CHAIN_HASH_LEN, out->hash_hex);
	out->change = s->totals.change;
	out->open_drawer = paid_cash(s) && printq_has_drawer(s->t);
	return CM_OK;
}
