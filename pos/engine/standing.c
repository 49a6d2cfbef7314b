/* A member's dues standing at the counter (standing.h). */
#include "engine/standing.h"
#include "store/store_dues.h"

#include <stdlib.h>
#include <string.h>

/* The month after which nothing more is owed: the month of leaving. */
static int32_t last_month(const struct member_rec *m, int32_t month)
{
	if (m->left_date && dues_month_of_date(m->left_date) < month)
		return dues_month_of_date(m->left_date);
	return month;
}

/* Takes amount off month in the owed list; a month paid in full leaves it.
 * Returns what was left over (a month not owed, or paid beyond it). */
static cm_money pay_month(struct standing *st, int32_t month, cm_money amount)
{
	for (size_t i = 0; i < st->nowed; i++) {
		if (st->owed[i].month != month)
			continue;
		cm_money take = amount < st->owed[i].amount ? amount : st->owed[i].amount;
		st->owed[i].amount -= take;
		if (st->owed[i].amount == 0) {
			memmove(&st->owed[i], &st->owed[i + 1], (st->nowed - i - 1) * sizeof st->owed[0]);
			st->nowed--;
		}
		return amount - take;
	}
	return amount;
}

static void apply(struct standing *st, const struct dues_line *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (d[i].kind) {
		case DUES_POKOK:
			st->pokok_owed = d[i].amount >= st->pokok_owed ? 0 : st->pokok_owed - d[i].amount;
			break;
		case DUES_WAJIB:
			pay_month(st, d[i].month, d[i].amount);
			if (d[i].month > st->paid_until)
				st->paid_until = d[i].month;
			break;
		default:
			st->sukarela += d[i].amount;
			st->sukarela_here += d[i].amount;
			break;
		}
	}
}

/* HQ's months owed, then the months since HQ's month (and past what was
 * paid ahead) at the rate in force. */
static enum cm_rc owed_at_hq(struct till *t, const struct member_rec *m,
                             const struct dues_rates *rs, struct standing *st)
{
	enum cm_rc rc = store_member_owed(till_store(t), m->id, st->owed, STANDING_MAX_MONTHS,
	                                  &st->nowed);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	int32_t from = m->hq.month > m->hq.wajib_paid_until ? m->hq.month : m->hq.wajib_paid_until;
	int32_t last = last_month(m, st->month);
	for (int32_t mo = dues_month_add(from, 1); mo <= last && st->nowed < STANDING_MAX_MONTHS;
	     mo = dues_month_add(mo, 1)) {
		cm_money rate = dues_rate(rs, m->type, DUES_WAJIB, mo);
		if (rate > 0)
			st->owed[st->nowed++] = (struct dues_owed){ mo, rate };
	}
	return CM_OK;
}

static void sum_up(struct standing *st)
{
	st->months = 0;
	st->arrears = 0;
	st->oldest = st->nowed ? st->owed[0].month : 0;
	for (size_t i = 0; i < st->nowed; i++) {
		st->months++;
		st->arrears += st->owed[i].amount;
	}
	if (st->nowed)
		st->through = dues_month_add(st->owed[0].month, -1);
	else
		st->through = st->paid_until > st->month ? st->paid_until : st->month;
	st->inactive = st->months >= st->inactive_after;
}

void standing_add(struct standing *st, const struct dues_line *d, size_t n)
{
	if (!st->known)
		return;
	apply(st, d, n);
	sum_up(st);
}

enum cm_rc standing_get(struct till *t, const struct member_rec *m,
                        const struct dues_line *pending, size_t npending, struct standing *out)
{
	memset(out, 0, sizeof *out);
	struct store *s = till_store(t);
	out->month = dues_month_of_date(till_local_date(till_now(t)));
	out->inactive_after = store_dues_inactive_after(s);
	out->known = m->hq.month != 0;
	if (!out->known)
		return CM_OK;
	out->hq_month = m->hq.month;
	out->pokok_owed = m->hq.pokok_owed;
	out->sukarela = m->hq.sukarela;
	out->paid_until = m->hq.wajib_paid_until;
	struct dues_rate *rates = NULL;
	size_t nrates = 0;
	struct dues_line *here = NULL;
	size_t nhere = 0;
	enum cm_rc rc = store_dues_rates(s, &rates, &nrates);
	if (rc != CM_OK) {
		free(rates);
		return till_store_fail(t, rc);
	}
	struct dues_rates rs = { rates, nrates };
	rc = owed_at_hq(t, m, &rs, out);
	if (rc == CM_OK && (rc = store_member_dues_since(s, m->id, m->hq.seq, &here, &nhere)) != CM_OK)
		till_store_fail(t, rc);
	if (rc == CM_OK) {
		apply(out, here, nhere);
		if (pending)
			apply(out, pending, npending);
		sum_up(out);
	}
	free(here);
	free(rates);
	return rc;
}

size_t standing_next_months(struct till *t, const struct member_rec *m,
                            const struct standing *st, int n, struct dues_owed *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < st->nowed && k < max && (int)k < n; i++)
		out[k++] = st->owed[i];
	if ((int)k >= n || k >= max)
		return k;
	struct dues_rate *rates = NULL;
	size_t nrates = 0;
	if (store_dues_rates(till_store(t), &rates, &nrates) != CM_OK) {
		free(rates);
		return k;
	}
	struct dues_rates rs = { rates, nrates };
	int32_t mo = st->paid_until > st->month ? st->paid_until : st->month;
	if (k)
		mo = out[k - 1].month > mo ? out[k - 1].month : mo;
	int32_t last = m->left_date ? dues_month_of_date(m->left_date) : 299912;
	for (mo = dues_month_add(mo, 1); (int)k < n && k < max && mo <= last;
	     mo = dues_month_add(mo, 1)) {
		cm_money rate = dues_rate(&rs, m->type, DUES_WAJIB, mo);
		if (rate <= 0)
			break;
		out[k++] = (struct dues_owed){ mo, rate };
	}
	free(rates);
	return k;
}
