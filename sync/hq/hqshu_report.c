/* The SHU reports for people and as CSV (hqshu.h): the figures are
 * hqshu.c's and pos/core/shu.c's, this file only lays them out. */
#include "hqshu.h"
#include "core/csvout.h"
#include "core/money.h"
#include "core/utf8.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *rp(cm_money v, char *buf, size_t n)
{
	money_format(v, NULL, buf, n);
	return buf;
}

/* A weight in hundredths of a rupiah (figure x percent), as a figure:
 * "3.000.000.000", or "1.234.567,50" when a reduced share leaves cents. */
static const char *weight_text(int64_t w, int64_t unit, char *buf, size_t n)
{
	struct money_fmt plain = { "", false };
	char whole[40];
	money_format(w / unit, &plain, whole, sizeof whole);
	int64_t cents = w % unit * 100 / unit;
	if (cents)
		snprintf(buf, n, "%s,%02lld", whole, (long long)cents);
	else
		snprintf(buf, n, "%s", whole);
	return buf;
}

/* The unit of the savings weights: 100 (percent), x12 for the monthly
 * average (the sum of the twelve month-end balances). */
static int64_t savings_unit(const struct hqshu_run *r)
{
	return r->y.rules.savings == SHU_SAVINGS_MONTHLY ? 1200 : 100;
}

/* A weight as a CSV quantity: "4794446,5" (a decimal comma, no
 * separators; thousandths rounded down for the monthly average). */
static void csv_weight(struct csvout *o, int64_t w, int64_t unit)
{
	csvout_qty(o, (cm_qty)(w / unit * 1000 + w % unit * 1000 / unit));
}

static void csv_row(FILE *f, struct csvout *o)
{
	fprintf(f, "%s\n", o->buf);
}

static void run_head(FILE *f, const struct hqshu_run *r)
{
	char hex[2 * CHAIN_HASH_LEN + 1], when[32], a[32], rules[200];
	sodium_bin2hex(hex, sizeof hex, r->hash, CHAIN_HASH_LEN);
	if (r->posted) {
		time_t t = (time_t)r->posted_at;
		struct tm tm;
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
		fprintf(f, _("SHU %d, posted %s\n"), r->y.year, when);
	} else {
		fprintf(f, _("SHU %d, preview (not posted)\n"), r->y.year);
	}
	fprintf(f, _("Hash (BLAKE2b): %s\n"), hex);
	fprintf(f, _("SHU amount: %s\n"), rp(r->y.amount, a, sizeof a));
	hqshu_rules_text(&r->y.rules, rules, sizeof rules);
	fprintf(f, _("Rules: %s\n"), rules);
	fprintf(f, "%s\n", _("  purchases: the member's sales net of returns, dues excluded, credit "
	                     "sales included; the business date decides the year; a return counts "
	                     "in the year of the return, also for an earlier year's sale"));
}

static void pools_print(FILE *f, const struct hqshu_run *r)
{
	char p[16], a[48], b[32], c[32], d[48];
	fprintf(f, "%-26s %8s %18s %18s %18s\n", _("Pool"), _("Percent"), _("Amount"),
	        _("To members"), _("Not shared"));
	for (size_t i = 0; i < r->y.npools; i++) {
		const struct shu_pool *pl = &r->y.pools[i];
		int k = shu_pool_member(pl->name);
		shu_percent_format(pl->bp, p, sizeof p);
		if (k < 0)
			fprintf(f, "%-26s %8s %18s\n", pl->name, p, rp(pl->amount, a, sizeof a));
		else
			fprintf(f, "%-26s %8s %18s %18s %18s\n", pl->name, p, rp(pl->amount, a, sizeof a),
			        rp(r->t.paid[k], b, sizeof b), rp(r->t.unshared[k], c, sizeof c));
	}
	fprintf(f, _("Denominators: purchases %s (members' purchases %s, turnover %s); "
	             "savings %s\n"),
	        weight_text(r->t.usaha_w, 100, a, sizeof a), rp(r->t.purchases, b, sizeof b),
	        rp(r->t.turnover, c, sizeof c), weight_text(r->t.modal_w, savings_unit(r), d, sizeof d));
}

struct store_sum {
	char store[32];
	size_t members;
	cm_money purchases, savings, share[SHU_MEMBER_POOLS];
};

static void stores_print(FILE *f, const struct hqshu_run *r)
{
	struct store_sum *s = NULL;
	size_t n = 0;
	char a[32], b[32], c[32], d[32], e[32];
	for (size_t i = 0; i < r->n; i++) {
		size_t k = 0;
		while (k < n && strcmp(s[k].store, r->m[i].store) != 0)
			k++;
		if (k == n) {
			struct store_sum *t = realloc(s, (n + 1) * sizeof *s);
			if (!t)
				break;
			s = t;
			memset(&s[n], 0, sizeof s[n]);
			snprintf(s[n++].store, sizeof s->store, "%s", r->m[i].store);
		}
		s[k].members++;
		s[k].purchases += r->m[i].purchases;
		s[k].savings += r->m[i].savings;
		s[k].share[SHU_USAHA] += r->m[i].share[SHU_USAHA];
		s[k].share[SHU_MODAL] += r->m[i].share[SHU_MODAL];
	}
	fprintf(f, "%s\n", _("Per home store:"));
	fprintf(f, "%-12s %7s %18s %16s %14s %14s %14s\n", _("Store"), _("Members"), _("Purchases"),
	        _("Savings"), SHU_POOL_USAHA, SHU_POOL_MODAL, _("Total"));
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%-12s %7zu %18s %16s %14s %14s %14s\n", s[k].store[0] ? s[k].store : "-",
		        s[k].members, rp(s[k].purchases, a, sizeof a), rp(s[k].savings, b, sizeof b),
		        rp(s[k].share[SHU_USAHA], c, sizeof c), rp(s[k].share[SHU_MODAL], d, sizeof d),
		        rp(s[k].share[SHU_USAHA] + s[k].share[SHU_MODAL], e, sizeof e));
	free(s);
}

static const struct hqshu_run *sort_run;

/* Largest total first; ties by member number. */
static int share_cmp(const void *a, const void *b)
{
	const struct shu_member *x = &sort_run->m[*(const size_t *)a];
	const struct shu_member *y = &sort_run->m[*(const size_t *)b];
	cm_money tx = x->share[SHU_USAHA] + x->share[SHU_MODAL];
	cm_money ty = y->share[SHU_USAHA] + y->share[SHU_MODAL];
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(x->number, y->number);
}

static void largest_print(FILE *f, const struct hqshu_run *r, size_t top)
{
	size_t *ix = malloc((r->n ? r->n : 1) * sizeof *ix);
	char name[128], a[32], b[32], c[32], d[32], e[32];
	if (!ix)
		return;
	for (size_t i = 0; i < r->n; i++)
		ix[i] = i;
	sort_run = r;
	qsort(ix, r->n, sizeof *ix, share_cmp);
	fprintf(f, _("The %zu largest shares:\n"), top < r->n ? top : r->n);
	fprintf(f, "%-12s %s %16s %14s %12s %12s %12s\n", _("Number"),
	        utf8_fit(_("Name"), 24, name, sizeof name), _("Purchases"), _("Savings"),
	        SHU_POOL_USAHA, SHU_POOL_MODAL, _("Total"));
	for (size_t k = 0; k < r->n && k < top; k++) {
		const struct shu_member *m = &r->m[ix[k]];
		fprintf(f, "%-12s %s %16s %14s %12s %12s %12s\n", m->number,
		        utf8_fit(m->name, 24, name, sizeof name), rp(m->purchases, a, sizeof a),
		        rp(m->savings, b, sizeof b), rp(m->share[SHU_USAHA], c, sizeof c),
		        rp(m->share[SHU_MODAL], d, sizeof d),
		        rp(m->share[SHU_USAHA] + m->share[SHU_MODAL], e, sizeof e));
	}
	free(ix);
}

static void diff_print(FILE *f, const struct hqshu_diff *d, size_t nd,
                       const struct hqshu_run *r, const struct hqshu_run *now)
{
	char a[32], b[32], c[32], e[32];
	if (!now)
		return;
	if (!nd && now->t.turnover == r->t.turnover) {
		fprintf(f, "%s\n", _("No event since posting changes the year's figures."));
		return;
	}
	fprintf(f, _("DIFFERENCE: events of %d that HQ learnt of after posting, not folded into "
	             "the posted run (%zu member(s)); turnover posted %s, now %s\n"),
	        r->y.year, nd, rp(r->t.turnover, a, sizeof a), rp(now->t.turnover, b, sizeof b));
	fprintf(f, "%-12s %16s %16s %14s %14s\n", _("Number"), _("Purchases"), _("now"),
	        _("Savings"), _("now"));
	for (size_t i = 0; i < nd; i++)
		fprintf(f, "%-12s %16s %16s %14s %14s%s\n", d[i].number,
		        rp(d[i].purchases[0], a, sizeof a), rp(d[i].purchases[1], b, sizeof b),
		        rp(d[i].savings[0], c, sizeof c), rp(d[i].savings[1], e, sizeof e),
		        d[i].inactive[0] != d[i].inactive[1] ? _("  inactive for dues changed") : "");
}

static void members_csv(FILE *f, const struct hqshu_run *r)
{
	static const char *const head[] = { "number", "name", "store", "inactive", "pct", "bought",
	                                    "returned", "purchases", "savings", "jasa_usaha",
	                                    "jasa_modal", "total", NULL };
	char line[1024];
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, head);
	csv_row(f, &o);
	for (size_t i = 0; i < r->n; i++) {
		const struct shu_member *m = &r->m[i];
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, m->number);
		csvout_text(&o, m->name);
		csvout_text(&o, m->store);
		csvout_text(&o, m->inactive ? "yes" : "no");
		csvout_int(&o, m->pct);
		csvout_money(&o, m->bought);
		csvout_money(&o, m->returned);
		csvout_money(&o, m->purchases);
		csvout_money(&o, m->savings);
		csvout_money(&o, m->share[SHU_USAHA]);
		csvout_money(&o, m->share[SHU_MODAL]);
		csvout_money(&o, m->share[SHU_USAHA] + m->share[SHU_MODAL]);
		csv_row(f, &o);
	}
}

void hqshu_preview_print(FILE *f, const struct hqshu_run *r, size_t top,
                         const struct hqshu_diff *d, size_t nd, const struct hqshu_run *now,
                         bool csv)
{
	if (csv) {
		members_csv(f, r);
		return;
	}
	run_head(f, r);
	pools_print(f, r);
	stores_print(f, r);
	largest_print(f, r, top);
	diff_print(f, d, nd, r, now);
}

/* ---- the slip ---- */

static const char *savings_what(const struct shu_rules *ru)
{
	if (ru->savings == SHU_SAVINGS_MONTHLY)
		return ru->sukarela ? _("pokok + wajib + sukarela, average of the 12 month-end balances")
		                    : _("pokok + wajib, average of the 12 month-end balances");
	return ru->sukarela ? _("pokok + wajib + sukarela at the year's end")
	                    : _("pokok + wajib at the year's end");
}

/* "jasa-usaha: Rp70.000.000 x 12.000.000 / 3.000.000.000 = Rp280.000" */
static void formula(FILE *f, const struct hqshu_run *r, const struct shu_member *m, int k,
                    const char *name)
{
	char a[32], b[48], c[48], d[32];
	int64_t unit = k == SHU_USAHA ? 100 : savings_unit(r);
	int64_t w = k == SHU_USAHA ? m->usaha_w : m->modal_w;
	int64_t all = k == SHU_USAHA ? r->t.usaha_w : r->t.modal_w;
	fprintf(f, "%s: %s x %s / %s = %s\n", name, rp(r->t.pool[k], a, sizeof a),
	        weight_text(w, unit, b, sizeof b), weight_text(all, unit, c, sizeof c),
	        rp(m->share[k], d, sizeof d));
}

static void slip_csv(FILE *f, const struct hqshu_run *r, const struct shu_member *m)
{
	static const char *const head[] = { "year", "number", "name", "store", "bought", "returned",
	                                    "purchases", "savings", "inactive", "pct",
	                                    "jasa_usaha_pool", "purchases_all", "jasa_usaha",
	                                    "jasa_modal_pool", "savings_all", "jasa_modal", "total",
	                                    "posted", "hash", NULL };
	char line[1024], hex[2 * CHAIN_HASH_LEN + 1];
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, head);
	csv_row(f, &o);
	csvout_begin(&o, line, sizeof line);
	csvout_int(&o, r->y.year);
	csvout_text(&o, m->number);
	csvout_text(&o, m->name);
	csvout_text(&o, m->store);
	csvout_money(&o, m->bought);
	csvout_money(&o, m->returned);
	csvout_money(&o, m->purchases);
	csvout_money(&o, m->savings);
	csvout_text(&o, m->inactive ? "yes" : "no");
	csvout_int(&o, m->pct);
	csvout_money(&o, r->t.pool[SHU_USAHA]);
	csv_weight(&o, r->t.usaha_w, 100);
	csvout_money(&o, m->share[SHU_USAHA]);
	csvout_money(&o, r->t.pool[SHU_MODAL]);
	csv_weight(&o, r->t.modal_w, savings_unit(r));
	csvout_money(&o, m->share[SHU_MODAL]);
	csvout_money(&o, m->share[SHU_USAHA] + m->share[SHU_MODAL]);
	csvout_text(&o, r->posted ? "yes" : "no");
	sodium_bin2hex(hex, sizeof hex, r->hash, CHAIN_HASH_LEN);
	csvout_text(&o, hex);
	csv_row(f, &o);
}

void hqshu_slip_print(FILE *f, const struct hqshu_run *r, size_t i, bool csv)
{
	const struct shu_member *m = &r->m[i];
	char a[32], b[32], c[32], rules[200];
	if (csv) {
		slip_csv(f, r, m);
		return;
	}
	fprintf(f, _("SHU slip %d: member %s %s (home store %s), %s\n"), r->y.year, m->number,
	        m->name, m->store[0] ? m->store : "-",
	        r->posted ? _("posted") : _("preview, not posted"));
	fprintf(f, _("Purchases: bought %s less returns %s = %s\n"), rp(m->bought, a, sizeof a),
	        rp(m->returned, b, sizeof b), rp(m->purchases, c, sizeof c));
	fprintf(f, _("Savings (%s): %s\n"), savings_what(&r->y.rules), rp(m->savings, a, sizeof a));
	if (m->pct != 100)
		fprintf(f, _("Inactive for dues at the year's end: purchases and savings count at %d%%\n"),
		        m->pct);
	formula(f, r, m, SHU_USAHA, SHU_POOL_USAHA);
	formula(f, r, m, SHU_MODAL, SHU_POOL_MODAL);
	fprintf(f, _("SHU of the member: %s\n"),
	        rp(m->share[SHU_USAHA] + m->share[SHU_MODAL], a, sizeof a));
	fprintf(f, "%s\n", _("Each share is rounded down; the rupiah left in a pool go to the "
	                     "largest remainders, ties by member number."));
	hqshu_rules_text(&r->y.rules, rules, sizeof rules);
	fprintf(f, _("Rules: %s\n"), rules);
}
