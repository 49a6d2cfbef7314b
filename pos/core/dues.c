/* Members' savings arithmetic (dues.h). */
#include "core/dues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[DUES_KIND_COUNT] = { "pokok", "wajib", "sukarela" };

const char *dues_kind_name(enum dues_kind k)
{
	return (unsigned)k < DUES_KIND_COUNT ? kind_names[k] : "?";
}

enum cm_rc dues_kind_parse(const char *s, enum dues_kind *out)
{
	for (int k = 0; k < DUES_KIND_COUNT; k++) {
		if (strcasecmp(s, kind_names[k]) == 0) {
			*out = (enum dues_kind)k;
			return CM_OK;
		}
	}
	return CM_INVALID;
}

bool dues_month_valid(int32_t m)
{
	return m / 100 >= 1900 && m / 100 <= 2999 && m % 100 >= 1 && m % 100 <= 12;
}

int32_t dues_month_of_date(int32_t yyyymmdd)
{
	return yyyymmdd / 100;
}

/* Months counted from year 0: months differ by plain subtraction. */
static int64_t serial(int32_t m)
{
	return (int64_t)(m / 100) * 12 + (m % 100 - 1);
}

int32_t dues_month_add(int32_t m, int n)
{
	int64_t s = serial(m) + n;
	return (int32_t)((s / 12) * 100 + s % 12 + 1);
}

int dues_month_diff(int32_t a, int32_t b)
{
	return (int)(serial(b) - serial(a));
}

enum cm_rc dues_month_parse(const char *s, int32_t *out)
{
	int y, mo;
	char tail;
	size_t n = strlen(s);
	if (n == 7 && s[4] == '-') {
		if (sscanf(s, "%4d-%2d%c", &y, &mo, &tail) != 2)
			return CM_INVALID;
	} else if (n == 6 && strspn(s, "0123456789") == 6) {
		y = atoi(s) / 100;
		mo = atoi(s) % 100;
	} else {
		return CM_INVALID;
	}
	for (size_t i = 0; i < n; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return CM_INVALID;
	int32_t m = y * 100 + mo;
	if (!dues_month_valid(m))
		return CM_INVALID;
	*out = m;
	return CM_OK;
}

void dues_month_format(int32_t m, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", (int)(m / 100), (int)(m % 100));
}

cm_money dues_rate(const struct dues_rates *rs, const char *type, enum dues_kind k, int32_t m)
{
	const struct dues_rate *best = NULL;
	for (size_t i = 0; i < rs->n; i++) {
		const struct dues_rate *r = &rs->r[i];
		if (r->kind != k || r->from > m || strcmp(r->type, type) != 0)
			continue;
		if (!best || r->from > best->from)
			best = r;
	}
	return best ? best->amount : 0;
}

static cm_money counted(const struct dues_paid *paid, size_t npaid, int32_t month)
{
	cm_money sum = 0;
	for (size_t i = 0; i < npaid; i++)
		if (paid[i].month == month)
			sum += paid[i].amount;
	return sum;
}

size_t dues_owed(const struct dues_rates *rs, const struct dues_member *m,
                 const struct dues_paid *paid, size_t npaid, int32_t upto,
                 struct dues_owed *owed, size_t max, struct dues_standing *st)
{
	size_t n = 0;
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < npaid; i++)
		if (paid[i].amount > 0 && paid[i].month > st->paid_until)
			st->paid_until = paid[i].month;
	int32_t first = dues_month_of_date(m->join_date);
	int32_t last = upto;
	if (m->left_date && dues_month_of_date(m->left_date) < last)
		last = dues_month_of_date(m->left_date);
	if (!dues_month_valid(first) || !dues_month_valid(last))
		return 0;
	bool gap = false;
	/* paid is short (a member's months), so a scan per month is cheap and
	 * needs no sorting of the caller's array. */
	for (int32_t mo = first; mo <= last; mo = dues_month_add(mo, 1)) {
		cm_money rate = dues_rate(rs, m->type, DUES_WAJIB, mo);
		cm_money left = rate - counted(paid, npaid, mo);
		if (left <= 0) {
			if (!gap)
				st->through = mo;
			continue;
		}
		gap = true;
		if (!st->oldest)
			st->oldest = mo;
		st->months++;
		st->arrears += left;
		if (n < max)
			owed[n] = (struct dues_owed){ .month = mo, .amount = left };
		n++;
	}
	/* Months paid ahead continue the unbroken run. */
	if (!gap && st->paid_until > last) {
		int32_t mo = dues_month_add(last, 1);
		while (mo <= st->paid_until &&
		       counted(paid, npaid, mo) >= dues_rate(rs, m->type, DUES_WAJIB, mo)) {
			st->through = mo;
			mo = dues_month_add(mo, 1);
		}
	}
	return n;
}

cm_money dues_pokok_owed(const struct dues_rates *rs, const struct dues_member *m,
                         cm_money pokok_paid)
{
	cm_money rate = dues_rate(rs, m->type, DUES_POKOK, dues_month_of_date(m->join_date));
	return rate > pokok_paid ? rate - pokok_paid : 0;
}
