/* SHU arithmetic (shu.h): pools, shares by largest remainder, the rules. */
#include "core/shu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pool * weight needs more than 64 bits: Rp10 trillion times a weight of
 * up to 10^17. */
__extension__ typedef unsigned __int128 u128;

enum cm_rc shu_percent_parse(const char *s, int32_t *bp)
{
	size_t len = strlen(s);
	char *end;
	if (len > 2 && strcmp(s + len - 2, "bp") == 0) {
		long v = strtol(s, &end, 10);
		if (end != s + len - 2 || end == s || s[0] < '0' || s[0] > '9' || v > SHU_WHOLE_BP)
			return CM_INVALID;
		*bp = (int32_t)v;
		return CM_OK;
	}
	int64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (!digits)
		return CM_INVALID;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9' && fdigits < 3; p++, fdigits++)
			frac = frac * 10 + (*p - '0');
		if (!fdigits || fdigits > 2)
			return CM_INVALID;
		if (fdigits == 1)
			frac *= 10;
	}
	if (*p == '%')
		p++;
	if (*p || whole * 100 + frac > SHU_WHOLE_BP)
		return CM_INVALID;
	*bp = (int32_t)(whole * 100 + frac);
	return CM_OK;
}

void shu_percent_format(int32_t bp, char *buf, size_t n)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d%%", (int)(bp / 100));
	else if (bp % 10 == 0)
		snprintf(buf, n, "%d,%d%%", (int)(bp / 100), (int)(bp / 10 % 10));
	else
		snprintf(buf, n, "%d,%02d%%", (int)(bp / 100), (int)(bp % 100));
}

bool shu_pool_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= SHU_POOL_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-'))
			return false;
	return true;
}

int shu_pool_member(const char *name)
{
	if (strcmp(name, SHU_POOL_USAHA) == 0)
		return SHU_USAHA;
	if (strcmp(name, SHU_POOL_MODAL) == 0)
		return SHU_MODAL;
	return -1;
}

/* ---- largest remainder ---- */

struct rem {
	u128 r;
	size_t i;
};

/* Larger remainder first; ties: the one listed first. */
static int rem_cmp(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;
	if (x->r != y->r)
		return x->r > y->r ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* out[i] = pool * w[i] / sum rounded down, then one rupiah more to the
 * largest remainders until the pool is spent. */
static enum cm_rc largest_remainder(cm_money pool, const int64_t *w, size_t n, cm_money *out)
{
	u128 sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < 0)
			return CM_INVALID;
		sum += (u128)w[i];
	}
	memset(out, 0, n * sizeof *out);
	if (pool <= 0 || sum == 0 || n == 0)
		return pool < 0 ? CM_INVALID : CM_OK;
	if (sum > (u128)INT64_MAX)
		return CM_INVALID;
	struct rem *rs = malloc(n * sizeof *rs);
	if (!rs)
		return CM_NOMEM;
	cm_money given = 0;
	for (size_t i = 0; i < n; i++) {
		u128 x = (u128)pool * (u128)w[i];
		out[i] = (cm_money)(x / sum);
		given += out[i];
		rs[i] = (struct rem){ x % sum, i };
	}
	qsort(rs, n, sizeof *rs, rem_cmp);
	for (size_t k = 0; given < pool && k < n; k++, given++)
		out[rs[k].i]++;
	free(rs);
	return CM_OK;
}

enum cm_rc shu_pools_split(cm_money amount, struct shu_pool *p, size_t n, int64_t *sum)
{
	int64_t w[SHU_MAX_POOLS];
	cm_money out[SHU_MAX_POOLS];
	*sum = 0;
	if (n > SHU_MAX_POOLS)
		return CM_INVALID;
	for (size_t i = 0; i < n; i++) {
		w[i] = p[i].bp;
		*sum += p[i].bp;
	}
	if (*sum != SHU_WHOLE_BP || amount < 0)
		return CM_INVALID;
	enum cm_rc rc = largest_remainder(amount, w, n, out);
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		p[i].amount = out[i];
	return rc;
}

enum cm_rc shu_share_out(cm_money pool, const int64_t *w, size_t n, int64_t rest,
                         cm_money *out, cm_money *rest_out)
{
	int64_t *all = malloc((n + 1) * sizeof *all);
	cm_money *got = malloc((n + 1) * sizeof *got);
	enum cm_rc rc = CM_NOMEM;
	if (all && got) {
		memcpy(all, w, n * sizeof *all);
		all[n] = rest;
		rc = largest_remainder(pool, all, n + 1, got);
	}
	if (rc == CM_OK) {
		memcpy(out, got, n * sizeof *out);
		*rest_out = got[n];
	}
	free(all);
	free(got);
	return rc;
}

/* ---- the rules ---- */

const char *const shu_rule_names[] = { "denominator", "savings", "sukarela", "inactive", NULL };

void shu_rules_default(struct shu_rules *r)
{
	*r = (struct shu_rules){ SHU_DENOM_MEMBERS, SHU_SAVINGS_YEAR_END, false,
	                         SHU_INACTIVE_INCLUDE, 100 };
}

static enum cm_rc inactive_set(struct shu_rules *r, const char *v)
{
	char *end;
	if (strcmp(v, "include") == 0 || strcmp(v, "exclude") == 0) {
		r->inactive = v[0] == 'i' ? SHU_INACTIVE_INCLUDE : SHU_INACTIVE_EXCLUDE;
		r->reduce_pct = v[0] == 'i' ? 100 : 0;
		return CM_OK;
	}
	if (strncmp(v, "reduce:", 7) != 0 || v[7] < '0' || v[7] > '9')
		return CM_INVALID;
	long p = strtol(v + 7, &end, 10);
	if (*end || p < 1 || p > 99)
		return CM_INVALID;
	r->inactive = SHU_INACTIVE_REDUCE;
	r->reduce_pct = (int)p;
	return CM_OK;
}

/* One of two words sets *field to 0 or 1. */
static enum cm_rc either(const char *v, const char *w0, const char *w1, int *field)
{
	if (strcmp(v, w0) == 0 || strcmp(v, w1) == 0) {
		*field = strcmp(v, w1) == 0;
		return CM_OK;
	}
	return CM_INVALID;
}

enum cm_rc shu_rule_set(struct shu_rules *r, const char *name, const char *value)
{
	int x;
	enum cm_rc rc;
	if (strcmp(name, "denominator") == 0) {
		if ((rc = either(value, "members", "turnover", &x)) == CM_OK)
			r->denominator = x ? SHU_DENOM_TURNOVER : SHU_DENOM_MEMBERS;
		return rc;
	}
	if (strcmp(name, "savings") == 0) {
		if ((rc = either(value, "year-end", "monthly-average", &x)) == CM_OK)
			r->savings = x ? SHU_SAVINGS_MONTHLY : SHU_SAVINGS_YEAR_END;
		return rc;
	}
	if (strcmp(name, "sukarela") == 0) {
		if ((rc = either(value, "no", "yes", &x)) == CM_OK)
			r->sukarela = x;
		return rc;
	}
	if (strcmp(name, "inactive") == 0)
		return inactive_set(r, value);
	return CM_NOTFOUND;
}

void shu_rule_value(const struct shu_rules *r, const char *name, char *buf, size_t n)
{
	if (strcmp(name, "denominator") == 0)
		snprintf(buf, n, "%s", r->denominator == SHU_DENOM_TURNOVER ? "turnover" : "members");
	else if (strcmp(name, "savings") == 0)
		snprintf(buf, n, "%s", r->savings == SHU_SAVINGS_MONTHLY ? "monthly-average" : "year-end");
	else if (strcmp(name, "sukarela") == 0)
		snprintf(buf, n, "%s", r->sukarela ? "yes" : "no");
	else if (strcmp(name, "inactive") == 0 && r->inactive == SHU_INACTIVE_REDUCE)
		snprintf(buf, n, "reduce:%d", r->reduce_pct);
	else if (strcmp(name, "inactive") == 0)
		snprintf(buf, n, "%s", r->inactive == SHU_INACTIVE_EXCLUDE ? "exclude" : "include");
	else
		snprintf(buf, n, "?");
}

/* ---- members ---- */

bool shu_in_year(int year, int32_t business_date)
{
	return business_date / 10000 == year;
}

bool shu_member_add(struct shu_member *m, int year, int32_t business_date, cm_money amount,
                    bool ret)
{
	if (!shu_in_year(year, business_date))
		return false;
	if (ret)
		m->returned += amount;
	else
		m->bought += amount;
	return true;
}

/* A member's figures and weights under the rules. */
static void member_weigh(const struct shu_rules *r, struct shu_member *m)
{
	int64_t sum = 0;
	m->pct = m->inactive ? (r->inactive == SHU_INACTIVE_INCLUDE ? 100 : r->reduce_pct) : 100;
	m->purchases = m->bought > m->returned ? m->bought - m->returned : 0;
	for (int i = 0; i < 12; i++)
		sum += m->balance[i];
	int64_t saved = r->savings == SHU_SAVINGS_MONTHLY ? sum : m->balance[11];
	m->savings = r->savings == SHU_SAVINGS_MONTHLY ? sum / 12 : saved;
	m->usaha_w = m->purchases * m->pct;
	m->modal_w = saved * m->pct;
}

/* Shares one member pool out: weights from the members, non-members'
 * part (turnover) as the rest. */
static enum cm_rc pool_share(struct shu_member *m, size_t n, int pool, cm_money amount,
                             int64_t rest, struct shu_totals *t)
{
	int64_t *w = calloc(n ? n : 1, sizeof *w);
	cm_money *out = calloc(n ? n : 1, sizeof *out);
	enum cm_rc rc = w && out ? CM_OK : CM_NOMEM;
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		w[i] = pool == SHU_USAHA ? m[i].usaha_w : m[i].modal_w;
	if (rc == CM_OK)
		rc = shu_share_out(amount, w, n, rest, out, &t->unshared[pool]);
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		m[i].share[pool] = out[i];
		t->paid[pool] += out[i];
	}
	/* Nobody to share with (no weight at all): the pool stays unshared. */
	t->unshared[pool] = amount - t->paid[pool];
	free(w);
	free(out);
	return rc;
}

enum cm_rc shu_compute(struct shu_year *y, struct shu_member *m, size_t n, cm_money turnover,
                       struct shu_totals *t, char *err, size_t errlen)
{
	int64_t sum;
	char pct[16];
	memset(t, 0, sizeof *t);
	t->turnover = turnover;
	t->members = n;
	if (shu_pools_split(y->amount, y->pools, y->npools, &sum) != CM_OK) {
		shu_percent_format((int32_t)(sum > SHU_WHOLE_BP * 10 ? SHU_WHOLE_BP * 10 : sum), pct,
		                   sizeof pct);
		snprintf(err, errlen, _("the pools of %d add up to %s, not 100%%"), y->year, pct);
		return CM_INVALID;
	}
	for (size_t i = 0; i < y->npools; i++) {
		int k = shu_pool_member(y->pools[i].name);
		if (k >= 0)
			t->pool[k] = y->pools[i].amount;
	}
	for (size_t i = 0; i < n; i++) {
		memset(m[i].share, 0, sizeof m[i].share);
		member_weigh(&y->rules, &m[i]);
		t->purchases += m[i].purchases;
		t->savings += m[i].savings;
		t->usaha_w += m[i].usaha_w;
		t->modal_w += m[i].modal_w;
	}
	int64_t rest = 0;
	if (y->rules.denominator == SHU_DENOM_TURNOVER && turnover > t->purchases)
		rest = (turnover - t->purchases) * 100;
	t->usaha_w += rest;
	enum cm_rc rc = pool_share(m, n, SHU_USAHA, t->pool[SHU_USAHA], rest, t);
	if (rc == CM_OK)
		rc = pool_share(m, n, SHU_MODAL, t->pool[SHU_MODAL], 0, t);
	if (rc == CM_INVALID)
		snprintf(err, errlen, "%s", _("the year's figures are too large to share out"));
	return rc;
}
