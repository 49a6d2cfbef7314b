/* Totals of a ticket: line amounts, discounts, ticket-discount shares,
 * tax per class, cash rounding and change. Pure arithmetic on the ticket;
 * the rules are written down in sale.h. */
#include "engine/sale_int.h"
#include "core/money.h"

#include <string.h>

static cm_money line_amount(const struct line_rec *l)
{
	if (l->fixed_amount)
		return l->fixed_amount;
	cm_money a = 0;
	/* Overflow was refused when the line was made; 0 is a safe floor. */
	if (money_line_amount(l->unit_price, l->qty, &a) != CM_OK)
		return 0;
	return a;
}

static cm_money discount_of(enum disc_kind kind, int64_t value, cm_money base)
{
	cm_money d = 0;
	if (kind == DISC_PERCENT)
		d = money_percent(base, (int32_t)value);
	else if (kind == DISC_AMOUNT)
		d = value;
	if (d > base)
		d = base;
	return d < 0 ? 0 : d;
}

/* Spreads td over the live lines in proportion to their amount after line
 * discounts, by largest remainder so that the shares add up to td exactly;
 * ties go to the earlier line. A line already given its extra rupiah is
 * recognised by a share above its floor. */
static void spread_ticket_discount(struct sale *s, cm_money td, cm_money base)
{
	if (td <= 0 || base <= 0)
		return;
	cm_money given = 0;
	for (size_t i = 0; i < s->nlines; i++) {
		struct sale_line_amounts *a = &s->amounts[i];
		if (s->lines[i].voided)
			continue;
		cm_money part = a->amount - a->line_discount;
		a->ticket_discount = (cm_money)((__int128)td * part / base);
		given += a->ticket_discount;
	}
	for (; given < td; given++) {
		size_t best = s->nlines;
		__int128 best_rem = -1;
		for (size_t i = 0; i < s->nlines; i++) {
			struct sale_line_amounts *a = &s->amounts[i];
			cm_money part = a->amount - a->line_discount;
			__int128 prod = (__int128)td * part;
			if (s->lines[i].voided || a->ticket_discount > (cm_money)(prod / base))
				continue;
			if (prod % base > best_rem) {
				best_rem = prod % base;
				best = i;
			}
		}
		if (best == s->nlines)
			break;
		s->amounts[best].ticket_discount++;
	}
}

static void class_taxes(struct sale *s)
{
	struct sale_totals *t = &s->totals;
	bool pkp = till_config(s->t)->pkp;
	int32_t date = till_local_date(till_now(s->t));
	for (int c = 0; c < TAX_CLASS_COUNT; c++) {
		const struct tax_rate *r = till_tax_rate(s->t, (enum tax_class)c, date);
		t->class_tax[c] = pkp ? tax_extract(t->class_total[c], r) : 0;
	}
}

cm_money sale_noncash_paid(const struct sale *s)
{
	cm_money v = 0;
	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind != TENDER_CASH)
			v += s->tenders[i].amount;
	return v;
}

static void payment(struct sale *s)
{
	struct sale_totals *t = &s->totals;
	bool cash = false;
	t->paid = 0;
	for (size_t i = 0; i < s->ntenders; i++) {
		t->paid += s->tenders[i].amount;
		cash = cash || s->tenders[i].kind == TENDER_CASH;
	}
	/* Rounding applies to the part paid in cash. A remainder that rounds
	 * to nothing (Rp50 left after a card payment) is the cash part too,
	 * though no cash can be tendered for it. */
	t->rounding = 0;
	cm_money part = t->total + t->dues - sale_noncash_paid(s);
	cm_money rounded = money_round_step(part, till_config(s->t)->round_step);
	if (cash || (part > 0 && rounded == 0))
		t->rounding = rounded - part;
	t->due = t->total + t->dues + t->rounding;
	t->change = t->paid > t->due ? t->paid - t->due : 0;
}

void sale_recalc(struct sale *s)
{
	struct sale_totals *t = &s->totals;
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < s->nlines; i++) {
		const struct line_rec *l = &s->lines[i];
		struct sale_line_amounts *a = &s->amounts[i];
		memset(a, 0, sizeof *a);
		if (l->voided)
			continue;
		a->amount = line_amount(l);
		a->line_discount = discount_of(l->disc_kind, l->disc_value, a->amount);
		t->gross += a->amount;
		t->line_discounts += a->line_discount;
	}
	cm_money base = t->gross - t->line_discounts;
	t->ticket_discount = discount_of(s->tk.disc_kind, s->tk.disc_value, base);
	spread_ticket_discount(s, t->ticket_discount, base);
	for (size_t i = 0; i < s->nlines; i++) {
		struct sale_line_amounts *a = &s->amounts[i];
		if (s->lines[i].voided)
			continue;
		a->net = a->amount - a->line_discount - a->ticket_discount;
		t->class_total[s->lines[i].tax] += a->net;
	}
	t->total = base - t->ticket_discount;
	for (size_t i = 0; i < s->ndues; i++)
		t->dues += s->dues[i].amount;
	class_taxes(s);
	payment(s);
}
