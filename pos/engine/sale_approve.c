/* What a supervisor approves on a ticket: for each action that may need
 * one (void after subtotal, fewer pieces, price override, discount over
 * the limit, cancel, abort), the subject the approval is bound to and the
 * text the dialog shows, both made from the figures the action is about
 * to use. An approval given for other figures does not count
 * (auth_require_for), so a cashier cannot change the amount or the line
 * after the PIN. */
#include "engine/sale_int.h"
#include "core/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct need_buf {
	char subject[AUTH_SUBJECT_MAX];
	char what[AUTH_WHAT_MAX];
};

/* snprintf appending to a fixed buffer; silently stops at its end (the
 * subject never gets there: a few numbers and a SKU). */
static void add(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	if (n + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static void ticket_head(const struct sale *s, struct need_buf *b)
{
	snprintf(b->subject, sizeof b->subject, "ticket=%lld", (long long)s->tk.id);
	snprintf(b->what, sizeof b->what, _("Ticket %lld"), (long long)s->tk.id);
}

/* "Indomie Goreng: 2 x Rp 3.250 = Rp 6.500" for a person, the line's
 * number, SKU, quantity and price for the subject. */
static void line_part(const struct line_rec *l, cm_money amount, struct need_buf *b)
{
	char q[24], p[32], a[32];
	qty_format(l->qty, q, sizeof q);
	money_format(l->unit_price, NULL, p, sizeof p);
	money_format(amount, NULL, a, sizeof a);
	add(b->subject, sizeof b->subject, " line=%d sku=%s qty=%lld price=%lld amount=%lld",
	    (int)l->line_no, l->sku, (long long)l->qty, (long long)l->unit_price, (long long)amount);
	add(b->what, sizeof b->what, _(", line %d:\n%s: %s x %s = %s"), (int)l->line_no, l->name, q,
	    p, a);
}

static enum cm_rc ask(struct sale *s, enum action act, const struct need_buf *b,
                      const struct approval *ap)
{
	enum cm_rc rc = auth_require_for(s->t, act, b->subject, b->what, ap);
	return rc == CM_OK ? CM_OK : sale_till_fail(s, rc);
}

enum cm_rc sale_approve_void(struct sale *s, size_t i, const struct approval *ap)
{
	struct need_buf b;
	ticket_head(s, &b);
	line_part(&s->lines[i], s->amounts[i].amount, &b);
	add(b.subject, sizeof b.subject, " void");
	add(b.what, sizeof b.what, "\n%s", _("Void this line."));
	return ask(s, ACT_VOID_AFTER_SUBTOTAL, &b, ap);
}

enum cm_rc sale_approve_qty(struct sale *s, size_t i, cm_qty qty, const struct approval *ap)
{
	struct need_buf b;
	char q[24];
	qty_format(qty, q, sizeof q);
	ticket_head(s, &b);
	line_part(&s->lines[i], s->amounts[i].amount, &b);
	add(b.subject, sizeof b.subject, " new_qty=%lld", (long long)qty);
	add(b.what, sizeof b.what, "\n");
	add(b.what, sizeof b.what, _("Fewer pieces: %s instead."), q);
	return ask(s, ACT_VOID_AFTER_SUBTOTAL, &b, ap);
}

enum cm_rc sale_approve_price(struct sale *s, size_t i, cm_money price, const struct approval *ap)
{
	struct need_buf b;
	char p[32], a[32];
	cm_money amount = 0;
	if (money_line_amount(price, s->lines[i].qty, &amount) != CM_OK)
		amount = 0; /* checked by the caller before */
	money_format(price, NULL, p, sizeof p);
	money_format(amount, NULL, a, sizeof a);
	ticket_head(s, &b);
	line_part(&s->lines[i], s->amounts[i].amount, &b);
	add(b.subject, sizeof b.subject, " new_price=%lld", (long long)price);
	add(b.what, sizeof b.what, "\n");
	add(b.what, sizeof b.what, _("New price: %s each, the line %s."), p, a);
	return ask(s, ACT_PRICE_OVERRIDE, &b, ap);
}

/* "10%" or "Rp 5.000" */
static void discount_text(enum disc_kind kind, int64_t value, char *buf, size_t n)
{
	if (kind == DISC_PERCENT)
		snprintf(buf, n, "%lld,%02lld%%", (long long)(value / 100), (long long)(value % 100));
	else
		money_format(value, NULL, buf, n);
}

enum cm_rc sale_approve_discount(struct sale *s, int i, enum disc_kind kind, int64_t value,
                                 cm_money base, const struct approval *ap)
{
	struct need_buf b;
	char d[32], on[32];
	discount_text(kind, value, d, sizeof d);
	money_format(base, NULL, on, sizeof on);
	ticket_head(s, &b);
	if (i >= 0)
		line_part(&s->lines[i], s->amounts[i].amount, &b);
	add(b.subject, sizeof b.subject, " discount=%s:%lld base=%lld",
	    kind == DISC_PERCENT ? "percent" : "amount", (long long)value, (long long)base);
	add(b.what, sizeof b.what, "\n");
	add(b.what, sizeof b.what, i >= 0 ? _("Discount on the line: %s of %s.")
	                                  : _("Discount on the ticket: %s of %s."), d, on);
	return ask(s, ACT_DISCOUNT_OVER_LIMIT, &b, ap);
}

/* Every live line, as many as fit, and the total: what leaves the ticket. */
enum cm_rc sale_approve_abort(struct sale *s, enum action act, const struct approval *ap)
{
	struct need_buf b;
	char t[32];
	ticket_head(s, &b);
	add(b.subject, sizeof b.subject, " lines=%zu total=%lld dues=%lld", sale_live_lines(s),
	    (long long)s->totals.total, (long long)s->totals.dues);
	money_format(s->totals.total + s->totals.dues, NULL, t, sizeof t);
	size_t n = sale_live_lines(s);
	add(b.what, sizeof b.what, ngettext(", %zu line, %s:", ", %zu lines, %s:", (unsigned long)n), n, t);
	for (size_t i = 0; i < s->nlines; i++) {
		const struct line_rec *l = &s->lines[i];
		char q[24], a[32];
		if (l->voided)
			continue;
		qty_format(l->qty, q, sizeof q);
		money_format(s->amounts[i].amount, NULL, a, sizeof a);
		add(b.what, sizeof b.what, "\n  %s x %s = %s", q, l->name, a);
	}
	return ask(s, act, &b, ap);
}

enum cm_rc sale_approve_credit(struct sale *s, cm_money amount, cm_money owed, cm_money limit,
                               const char *what, const struct approval *ap)
{
	struct need_buf b;
	ticket_head(s, &b);
	add(b.subject, sizeof b.subject, " member=%s credit=%lld owed=%lld limit=%lld",
	    s->member.number, (long long)amount, (long long)owed, (long long)limit);
	add(b.what, sizeof b.what, ", %s %s:\n%s", _("member"), s->member.number, what);
	enum cm_rc rc = ask(s, ACT_CREDIT_EXCESS, &b, ap);
	if (rc == CM_OK && !ap) {
		/* Over the limit is always a second person's word, a supervisor's
		 * own sale included. */
		struct approval_need *n = till_need(s->t);
		n->act = ACT_CREDIT_EXCESS;
		snprintf(n->subject, sizeof n->subject, "%s", b.subject);
		snprintf(n->what, sizeof n->what, "%s", b.what);
		return CM_NEED_OVERRIDE;
	}
	return rc;
}
