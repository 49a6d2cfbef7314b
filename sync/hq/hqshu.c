/* SHU at HQ (hqshu.h): settings, a run from the folded figures, posting
 * it frozen and the difference of later events. */
#include "hqshu.h"
#include "hqdues.h"
#include "hqstore_int.h"
#include "core/csv.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void hqshu_run_free(struct hqshu_run *r)
{
	free(r->m);
	memset(r, 0, sizeof *r);
}

/* Unix time: the clock, or COOPMART_FAKE_TIME as the till reads it. */
static int64_t now(void)
{
	const char *fake = getenv("COOPMART_FAKE_TIME");
	return fake && *fake ? strtoll(fake, NULL, 10) : (int64_t)time(NULL);
}

/* ---- settings ---- */

/* CM_STATE (with the message) when the year is posted: its settings are
 * frozen with it. */
static enum cm_rc not_posted(struct hqstore *st, int year)
{
	struct hq_shu_run run;
	enum cm_rc rc = hqstore_shu_run_get(st, year, &run);
	if (rc == CM_OK)
		return db_fail(CM_STATE, _("SHU %d is posted: its settings cannot change"), year);
	return rc == CM_NOTFOUND ? CM_OK : rc;
}

/* Runs fn inside a transaction that first checks the year is not posted. */
static enum cm_rc setting_tx(struct hqstore *st, int year,
                             enum cm_rc (*fn)(struct hqstore *st, int year, const void *arg),
                             const void *arg)
{
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	if ((rc = not_posted(st, year)) == CM_OK)
		rc = fn(st, year, arg);
	if (rc == CM_OK)
		return hqstore_commit(st);
	hqstore_rollback(st);
	return rc;
}

static enum cm_rc amount_put(struct hqstore *st, int year, const void *arg)
{
	return hqstore_shu_amount_set(st, year, *(const cm_money *)arg);
}

enum cm_rc hqshu_amount_set(struct hqstore *st, int year, cm_money amount)
{
	return setting_tx(st, year, amount_put, &amount);
}

/* The year's pools added up (the amount may not be set yet). */
static enum cm_rc pools_sum(struct hqstore *st, int year, int64_t *sum)
{
	struct shu_year y;
	enum cm_rc rc = hqstore_shu_year_get(st, year, &y);
	*sum = 0;
	if (rc != CM_OK && rc != CM_NOTFOUND)
		return rc;
	for (size_t i = 0; i < y.npools; i++)
		*sum += y.pools[i].bp;
	return CM_OK;
}

struct pool_arg {
	struct shu_pool p;
	int64_t sum;
};

static enum cm_rc pool_put(struct hqstore *st, int year, const void *arg)
{
	struct pool_arg *a = (struct pool_arg *)arg;
	enum cm_rc rc = hqstore_shu_pool_set(st, year, a->p.name, a->p.bp);
	return rc == CM_OK ? pools_sum(st, year, &a->sum) : rc;
}

enum cm_rc hqshu_pool_set(struct hqstore *st, int year, const char *name, int32_t bp,
                          int64_t *sum)
{
	struct pool_arg a;
	memset(&a, 0, sizeof a);
	snprintf(a.p.name, sizeof a.p.name, "%s", name);
	a.p.bp = bp;
	enum cm_rc rc = setting_tx(st, year, pool_put, &a);
	*sum = a.sum;
	return rc;
}

struct pools_arg {
	const struct shu_pool *p;
	size_t n;
};

static enum cm_rc pools_replace(struct hqstore *st, int year, const void *arg)
{
	const struct pools_arg *a = arg;
	enum cm_rc rc = hqstore_shu_pools_clear(st, year);
	for (size_t i = 0; rc == CM_OK && i < a->n; i++)
		rc = hqstore_shu_pool_set(st, year, a->p[i].name, a->p[i].bp);
	return rc;
}

enum cm_rc hqshu_pools_put(struct hqstore *st, int year, const struct shu_pool *p, size_t n)
{
	int64_t sum = 0;
	char pct[24];
	for (size_t i = 0; i < n; i++)
		sum += p[i].bp;
	if (sum != SHU_WHOLE_BP) {
		shu_percent_format((int32_t)(sum > 1000000 ? 1000000 : sum), pct, sizeof pct);
		return db_fail(CM_INVALID, _("the pools add up to %s, not 100%%: nothing imported"),
		               pct);
	}
	const struct pools_arg a = { p, n };
	return setting_tx(st, year, pools_replace, &a);
}

struct rule_arg {
	const char *name, *value;
};

static enum cm_rc rule_put(struct hqstore *st, int year, const void *arg)
{
	const struct rule_arg *a = arg;
	return hqstore_shu_rule_set(st, year, a->name, a->value);
}

enum cm_rc hqshu_rule_set(struct hqstore *st, int year, const char *name, const char *value)
{
	struct shu_rules r;
	char v[32];
	shu_rules_default(&r);
	enum cm_rc rc = shu_rule_set(&r, name, value);
	if (rc == CM_NOTFOUND)
		return db_fail(CM_INVALID, _("no SHU rule is called %s (denominator, savings, "
		                             "sukarela, inactive)"), name);
	if (rc != CM_OK)
		return db_fail(CM_INVALID, _("SHU rule %s cannot be %s"), name, value);
	shu_rule_value(&r, name, v, sizeof v);   /* as written in the output */
	const struct rule_arg a = { name, v };
	return setting_tx(st, year, rule_put, &a);
}

enum cm_rc hqshu_settings(struct hqstore *st, int year, struct shu_year *out)
{
	return hqstore_shu_year_get(st, year, out);
}

/* ---- the rules as text ---- */

void hqshu_rules_text(const struct shu_rules *r, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *const *name = shu_rule_names; *name && used < n; name++) {
		char v[32];
		shu_rule_value(r, *name, v, sizeof v);
		used += (size_t)snprintf(buf + used, n - used, "%s%s=%s", used ? ";" : "", *name, v);
	}
}

static void rules_parse(const char *text, struct shu_rules *r)
{
	char buf[200];
	char *save = NULL;
	shu_rules_default(r);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '=');
		if (eq) {
			*eq = '\0';
			(void)shu_rule_set(r, tok, eq + 1);
		}
	}
}

/* ---- a run from today's figures ---- */

/* What a member's dues standing needs, beside the run's figures. */
struct side {
	struct hq_member hm;
	cm_money pokok, sukarela;
	struct dues_paid *wajib;
	size_t nw, cap;
};

struct build {
	struct hqshu_run *r;
	struct side *side;
	size_t cap;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct shu_member *)a)->number, ((const struct shu_member *)b)->number);
}

long hqshu_member_find(const struct hqshu_run *r, const char *number)
{
	struct shu_member key;
	snprintf(key.number, sizeof key.number, "%s", number);
	const struct shu_member *m = r->n ? bsearch(&key, r->m, r->n, sizeof *r->m, member_cmp)
	                                  : NULL;
	return m ? (long)(m - r->m) : -1;
}

static enum cm_rc on_member(const struct hq_member *hm, void *ctx)
{
	struct build *b = ctx;
	struct hqshu_run *r = b->r;
	if (r->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		struct shu_member *m = realloc(r->m, cap * sizeof *m);
		if (m)
			r->m = m;
		struct side *s = realloc(b->side, cap * sizeof *s);
		if (s)
			b->side = s;
		if (!m || !s)
			return db_fail(CM_NOMEM, _("out of memory"));
		b->cap = cap;
	}
	/* Both backends order bytewise (SQLite BINARY, PostgreSQL "C"), as
	 * strcmp does: hqshu_member_find searches by it. */
	if (r->n && strcmp(r->m[r->n - 1].number, hm->number) >= 0)
		return db_fail(CM_CORRUPT, _("the members are not in number order"));
	struct shu_member *m = &r->m[r->n];
	memset(m, 0, sizeof *m);
	snprintf(m->number, sizeof m->number, "%s", hm->number);
	snprintf(m->name, sizeof m->name, "%s", hm->name);
	snprintf(m->store, sizeof m->store, "%s", hm->store);
	memset(&b->side[r->n], 0, sizeof b->side[r->n]);
	b->side[r->n].hm = *hm;
	r->n++;
	return CM_OK;
}

/* A number HQ does not know as a member counts in the turnover only. */
static enum cm_rc on_move(const char *member, int32_t date, cm_money amount, bool ret, void *ctx)
{
	struct build *b = ctx;
	long i = hqshu_member_find(b->r, member);
	if (i >= 0)
		shu_member_add(&b->r->m[i], b->r->y.year, date, amount, ret);
	return CM_OK;
}

static enum cm_rc wajib_add(struct side *s, int32_t month, cm_money amount)
{
	if (s->nw == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct dues_paid *w = realloc(s->wajib, cap * sizeof *w);
		if (!w)
			return db_fail(CM_NOMEM, _("out of memory"));
		s->wajib = w;
		s->cap = cap;
	}
	s->wajib[s->nw++] = (struct dues_paid){ month, amount };
	return CM_OK;
}

/* A payment adds to each month's end balance from the month it was paid
 * in (paid before the year: all twelve). */
static enum cm_rc on_saving(const char *member, enum dues_kind k, int32_t paid_month,
                            int32_t month, cm_money amount, void *ctx)
{
	struct build *b = ctx;
	struct hqshu_run *r = b->r;
	long i = hqshu_member_find(r, member);
	if (i < 0)
		return CM_OK;
	struct side *s = &b->side[i];
	if (k == DUES_POKOK)
		s->pokok += amount;
	else if (k == DUES_SUKARELA)
		s->sukarela += amount;
	else if (wajib_add(s, month, amount) != CM_OK)
		return CM_NOMEM;
	if (k == DUES_SUKARELA && !r->y.rules.sukarela)
		return CM_OK;
	for (int e = 0; e < 12; e++)
		if (paid_month <= r->y.year * 100 + e + 1)
			r->m[i].balance[e] += amount;
	return CM_OK;
}

/* Inactive for dues at the year's end, by what was paid by then
 * (pos/core/dues.h, HQ's inactive-after). */
static enum cm_rc mark_inactive(struct hqstore *st, struct build *b)
{
	struct hqdues_schedule sch;
	struct hqdues_standing *sd = malloc(sizeof *sd);
	enum cm_rc rc = sd ? hqdues_schedule_load(st, &sch) : db_fail(CM_NOMEM, _("out of memory"));
	if (rc != CM_OK) {
		free(sd);
		return rc;
	}
	for (size_t i = 0; i < b->r->n; i++) {
		const struct hq_member_dues md = { b->side[i].hm, b->side[i].pokok, b->side[i].sukarela,
		                                   b->side[i].wajib, b->side[i].nw };
		hqdues_standing(&sch, &md, b->r->y.year * 100 + 12, sd);
		b->r->m[i].inactive = sd->inactive;
	}
	hqdues_schedule_free(&sch);
	free(sd);
	return CM_OK;
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->r->n && b->side; i++)
		free(b->side[i].wajib);
	free(b->side);
}

/* The figures of year y->year under y's settings into r. */
static enum cm_rc run_figures(struct hqstore *st, const struct shu_year *y, struct hqshu_run *r)
{
	struct build b = { r, NULL, 0 };
	int32_t first = y->year * 10000 + 101, last = y->year * 10000 + 1231;
	cm_money turnover = 0;
	char err[200];
	r->y = *y;
	enum cm_rc rc = hqstore_shu_members_each(st, on_member, &b);
	if (rc == CM_OK)
		rc = hqstore_shu_moves_each(st, first, last, on_move, &b);
	if (rc == CM_OK)
		rc = hqstore_shu_turnover(st, first, last, &turnover);
	if (rc == CM_OK)
		rc = hqstore_shu_savings_each(st, last, on_saving, &b);
	if (rc == CM_OK)
		rc = mark_inactive(st, &b);
	build_free(&b);
	if (rc == CM_OK && (rc = shu_compute(&r->y, r->m, r->n, turnover, &r->t, err,
	                                     sizeof err)) != CM_OK)
		return db_fail(rc, "%s", err);
	if (rc == CM_OK)
		hqshu_hash(r, r->hash);
	return rc;
}

/* ---- posted runs ---- */

static enum cm_rc run_member_add(const struct shu_member *m, void *ctx)
{
	struct build *b = ctx;
	struct hqshu_run *r = b->r;
	if (r->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		struct shu_member *mm = realloc(r->m, cap * sizeof *mm);
		if (!mm)
			return db_fail(CM_NOMEM, _("out of memory"));
		r->m = mm;
		b->cap = cap;
	}
	r->m[r->n++] = *m;
	return CM_OK;
}

/* A posted run's totals, from its frozen members and pools. */
static void posted_totals(struct hqshu_run *r, cm_money turnover)
{
	struct shu_totals *t = &r->t;
	memset(t, 0, sizeof *t);
	t->turnover = turnover;
	t->members = r->n;
	for (size_t i = 0; i < r->y.npools; i++) {
		int k = shu_pool_member(r->y.pools[i].name);
		if (k >= 0)
			t->pool[k] = r->y.pools[i].amount;
	}
	for (size_t i = 0; i < r->n; i++) {
		t->purchases += r->m[i].purchases;
		t->savings += r->m[i].savings;
		t->usaha_w += r->m[i].usaha_w;
		t->modal_w += r->m[i].modal_w;
		t->paid[SHU_USAHA] += r->m[i].share[SHU_USAHA];
		t->paid[SHU_MODAL] += r->m[i].share[SHU_MODAL];
	}
	if (r->y.rules.denominator == SHU_DENOM_TURNOVER && turnover > t->purchases)
		t->usaha_w += (turnover - t->purchases) * 100;
	for (int k = 0; k < SHU_MEMBER_POOLS; k++)
		t->unshared[k] = t->pool[k] - t->paid[k];
}

enum cm_rc hqshu_posted(struct hqstore *st, int year, struct hqshu_run *out)
{
	struct hq_shu_run run;
	struct build b = { out, NULL, 0 };
	uint8_t h[CHAIN_HASH_LEN];
	memset(out, 0, sizeof *out);
	enum cm_rc rc = hqstore_shu_run_get(st, year, &run);
	if (rc != CM_OK)
		return rc;
	out->y.year = year;
	out->y.amount = run.amount;
	rules_parse(run.rules, &out->y.rules);
	out->posted = true;
	out->posted_at = run.posted_at;
	memcpy(out->hash, run.hash, sizeof out->hash);
	rc = hqstore_shu_run_pools(st, year, out->y.pools, &out->y.npools);
	if (rc == CM_OK)
		rc = hqstore_shu_run_members_each(st, year, run_member_add, &b);
	if (rc != CM_OK) {
		hqshu_run_free(out);
		return rc;
	}
	posted_totals(out, run.turnover);
	hqshu_hash(out, h);
	if (memcmp(h, out->hash, sizeof h) != 0 || (int64_t)out->n != run.members) {
		hqshu_run_free(out);
		return db_fail(CM_CORRUPT, _("the posted SHU run of %d does not match its hash"), year);
	}
	return CM_OK;
}

enum cm_rc hqshu_compute(struct hqstore *st, int year, struct hqshu_run *out)
{
	struct hqshu_run posted;
	struct shu_year y;
	enum cm_rc rc = hqshu_posted(st, year, &posted);
	memset(out, 0, sizeof *out);
	if (rc == CM_OK) {
		y = posted.y;
		for (size_t i = 0; i < y.npools; i++)
			y.pools[i].amount = 0;
		hqshu_run_free(&posted);
	} else if (rc == CM_NOTFOUND) {
		rc = hqstore_shu_year_get(st, year, &y);
	}
	if (rc == CM_OK)
		rc = run_figures(st, &y, out);
	if (rc != CM_OK)
		hqshu_run_free(out);
	return rc;
}

static enum cm_rc post_tx(struct hqstore *st, int year, struct hqshu_run *out)
{
	struct hq_shu_run run;
	char when[32];
	enum cm_rc rc = hqstore_shu_run_get(st, year, &run);
	if (rc == CM_OK) {
		time_t t = (time_t)run.posted_at;
		struct tm tm;
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
		return db_fail(CM_STATE, _("SHU %d was posted on %s already; a posted run is never "
		                           "posted again"), year, when);
	}
	if (rc != CM_NOTFOUND || (rc = hqshu_compute(st, year, out)) != CM_OK)
		return rc;
	memset(&run, 0, sizeof run);
	run.year = year;
	run.amount = out->y.amount;
	hqshu_rules_text(&out->y.rules, run.rules, sizeof run.rules);
	run.turnover = out->t.turnover;
	run.members = (int64_t)out->n;
	memcpy(run.hash, out->hash, sizeof run.hash);
	run.posted_at = now();
	out->posted = true;
	out->posted_at = run.posted_at;
	return hqstore_shu_run_insert(st, &run, out->y.pools, out->y.npools, out->m, out->n);
}

enum cm_rc hqshu_post(struct hqstore *st, int year, struct hqshu_run *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	if ((rc = post_tx(st, year, out)) == CM_OK)
		rc = hqstore_commit(st);
	else
		hqstore_rollback(st);
	if (rc != CM_OK)
		hqshu_run_free(out);
	return rc;
}

/* ---- the hash ---- */

static void hash_line(crypto_generichash_state *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void hash_line(crypto_generichash_state *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		crypto_generichash_update(h, (const unsigned char *)line,
		                          (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The canonical text, one line each (sync/README.md "SHU"):
 *   coopmart-shu 1 / year Y amount A turnover T / rules R /
 *   pool NAME BP AMOUNT ... /
 *   member NUMBER|NAME|STORE INACTIVE PCT BOUGHT RETURNED PURCHASES
 *          SAVINGS USAHA_W MODAL_W USAHA MODAL ... */
void hqshu_hash(const struct hqshu_run *r, uint8_t out[CHAIN_HASH_LEN])
{
	crypto_generichash_state h;
	char rules[200];
	/* BLAKE2b needs no random source: sodium_init's outcome changes nothing. */
	int ready = sodium_init();
	(void)ready;
	crypto_generichash_init(&h, NULL, 0, CHAIN_HASH_LEN);
	hqshu_rules_text(&r->y.rules, rules, sizeof rules);
	hash_line(&h, "coopmart-shu 1\nyear %d amount %lld turnover %lld\nrules %s\n", r->y.year,
	          (long long)r->y.amount, (long long)r->t.turnover, rules);
	for (size_t i = 0; i < r->y.npools; i++)
		hash_line(&h, "pool %s %d %lld\n", r->y.pools[i].name, (int)r->y.pools[i].bp,
		          (long long)r->y.pools[i].amount);
	for (size_t i = 0; i < r->n; i++) {
		const struct shu_member *m = &r->m[i];
		hash_line(&h, "member %s|%s|%s %d %d %lld %lld %lld %lld %lld %lld %lld %lld\n",
		          m->number, m->name, m->store, (int)m->inactive, m->pct,
		          (long long)m->bought, (long long)m->returned, (long long)m->purchases,
		          (long long)m->savings, (long long)m->usaha_w, (long long)m->modal_w,
		          (long long)m->share[SHU_USAHA], (long long)m->share[SHU_MODAL]);
	}
	crypto_generichash_final(&h, out, CHAIN_HASH_LEN);
}

/* ---- the difference ---- */

static bool differ(const struct shu_member *a, const struct shu_member *b)
{
	return !a || !b || a->purchases != b->purchases || a->savings != b->savings ||
	       a->inactive != b->inactive;
}

enum cm_rc hqshu_diff(const struct hqshu_run *posted, const struct hqshu_run *now,
                      struct hqshu_diff **out, size_t *n)
{
	size_t i = 0, j = 0;
	*n = 0;
	*out = calloc(posted->n + now->n + 1, sizeof **out);
	if (!*out)
		return db_fail(CM_NOMEM, _("out of memory"));
	while (i < posted->n || j < now->n) {
		int c = i == posted->n ? 1 : j == now->n ? -1
		                           : strcmp(posted->m[i].number, now->m[j].number);
		const struct shu_member *a = c <= 0 ? &posted->m[i] : NULL;
		const struct shu_member *b = c >= 0 ? &now->m[j] : NULL;
		i += c <= 0;
		j += c >= 0;
		if (!differ(a, b))
			continue;
		struct hqshu_diff *d = &(*out)[(*n)++];
		const struct shu_member *x = a ? a : b;
		snprintf(d->number, sizeof d->number, "%s", x->number);
		snprintf(d->name, sizeof d->name, "%s", x->name);
		d->purchases[0] = a ? a->purchases : 0;
		d->purchases[1] = b ? b->purchases : 0;
		d->savings[0] = a ? a->savings : 0;
		d->savings[1] = b ? b->savings : 0;
		d->inactive[0] = a && a->inactive;
		d->inactive[1] = b && b->inactive;
	}
	return CM_OK;
}

/* ---- the pools file ---- */

struct pools_file {
	struct shu_pool p[SHU_MAX_POOLS];
	size_t n;
	size_t bad;
	FILE *errs;
	const char *path;
};

/* name,percent; a header row naming them first. */
static enum cm_rc pools_row(const struct csv_row *row, void *ctx)
{
	struct pools_file *pf = ctx;
	int32_t bp;
	if (row->line == 1 && row->nfields >= 1 && strcmp(row->fields[0], "name") == 0)
		return CM_OK;
	const char *name = row->nfields > 0 ? row->fields[0] : "";
	const char *pct = row->nfields > 1 ? row->fields[1] : "";
	if (row->nfields != 2 || !shu_pool_name_valid(name)) {
		fprintf(pf->errs, _("%s: line %zu: a row is name,percent; a pool name is a-z, 0-9 "
		                    "and '-'\n"), pf->path, row->line);
		pf->bad++;
		return CM_OK;
	}
	if (shu_percent_parse(pct, &bp) != CM_OK) {
		fprintf(pf->errs, _("%s: line %zu: percent \"%s\" is not 0 to 100 with at most two "
		                    "decimals\n"), pf->path, row->line, pct);
		pf->bad++;
		return CM_OK;
	}
	for (size_t i = 0; i < pf->n; i++)
		if (strcmp(pf->p[i].name, name) == 0) {
			fprintf(pf->errs, _("%s: line %zu: pool %s is given twice\n"), pf->path, row->line,
			        name);
			pf->bad++;
			return CM_OK;
		}
	if (pf->n == SHU_MAX_POOLS) {
		fprintf(pf->errs, _("%s: line %zu: a year has at most %d SHU pools\n"), pf->path,
		        row->line, SHU_MAX_POOLS);
		pf->bad++;
		return CM_OK;
	}
	snprintf(pf->p[pf->n].name, sizeof pf->p[pf->n].name, "%s", name);
	pf->p[pf->n++].bp = bp;
	return CM_OK;
}

enum cm_rc hqshu_pools_import(struct hqstore *st, int year, const char *path, FILE *errs)
{
	struct pools_file pf = { .errs = errs, .path = path };
	char buf[65536], err[300];
	FILE *f = fopen(path, "rb");
	if (!f)
		return db_fail(CM_NOTFOUND, _("cannot read %s"), path);
	size_t len = fread(buf, 1, sizeof buf, f);
	bool big = !feof(f);
	fclose(f);
	if (big)
		return db_fail(CM_INVALID, _("%s: a pools file is at most 64 KB"), path);
	enum cm_rc rc = csv_parse(buf, len, pools_row, &pf, err, sizeof err);
	if (rc != CM_OK)
		return db_fail(CM_INVALID, "%s: %s", path, err);
	if (pf.bad)
		return db_fail(CM_INVALID, _("%s: %zu bad row(s): nothing imported"), path, pf.bad);
	return hqshu_pools_put(st, year, pf.p, pf.n);
}
