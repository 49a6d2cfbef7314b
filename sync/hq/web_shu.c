/* SHU in the console: which run the members pages show (the year asked
 * for, else the newest posted one, else last year's preview), and the SHU
 * page: every posted run (year, amount, members, hash) and the chosen
 * year's pools. The runs are hqshu.c's, as `coopmart-hq shu preview` and
 * `shu slip` read them: the posted run when the year is posted, else
 * today's figures under the year's settings. */
#include "web.h"
#include "hqdues.h"
#include "hqshu.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static enum cm_rc newest_year(const struct hq_shu_run *r, void *ctx)
{
	int *year = ctx;
	if (!*year)
		*year = r->year;
	return CM_OK;
}

/* ?year=, else the newest posted year, else last year; 0 (answered 400)
 * for a year that is not one. */
static int shu_year_arg(struct web *w, enum cm_rc *rc)
{
	const char *ys = web_arg(w, "year");
	int year = 0;
	*rc = CM_OK;
	if (*ys) {
		char *end;
		long y = strtol(ys, &end, 10);
		if (*end || y < 1900 || y > 2999) {
			web_error(w, 400, _("The year is a year such as 2026."));
			return 0;
		}
		return (int)y;
	}
	if ((*rc = hqstore_shu_runs_each(w->st, newest_year, &year)) != CM_OK) {
		web_fail_store(w, *rc);
		return 0;
	}
	return year ? year : hqdues_month_now() / 100 - 1;
}

bool web_shu_run(struct web *w, struct hqshu_run *r, bool *have, char *why, size_t why_n)
{
	enum cm_rc rc;
	memset(r, 0, sizeof *r);
	*have = false;
	int year = shu_year_arg(w, &rc);
	if (!year)
		return false;
	r->y.year = year;
	rc = hqshu_posted(w->st, year, r);
	if (rc == CM_NOTFOUND)
		rc = hqshu_compute(w->st, year, r);
	if (rc == CM_OK) {
		*have = true;
		return true;
	}
	r->y.year = year;
	/* No amount set for the year, or pools that do not add up: nothing
	 * to share yet, which the page says. */
	if (rc == CM_NOTFOUND || rc == CM_INVALID) {
		snprintf(why, why_n, "%s", hqstore_errmsg());
		return true;
	}
	web_fail_store(w, rc);
	return false;
}

void web_shu_heading(struct web *w, const struct hqshu_run *r, bool have, const char *why)
{
	struct html *h = &w->h;
	html_f(h, "<p id=\"shu-run\">SHU %d: ", r->y.year);
	if (!have) {
		html_f(h, "%s (%s)</p>", _("nothing to share yet"), why);
		return;
	}
	if (r->posted) {
		html_f(h, "%s ", _("posted"));
		html_time(h, r->posted_at);
	} else {
		html_text(h, _("preview from today's figures, not posted"));
	}
	html_f(h, "; %s ", _("amount"));
	html_money(h, r->y.amount);
	html_raw(h, "</p>");
}

/* ---- the SHU page ---- */

static enum cm_rc run_row(const struct hq_shu_run *r, void *ctx)
{
	struct html *h = ctx;
	char hex[2 * CHAIN_HASH_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, r->hash, CHAIN_HASH_LEN);
	html_f(h, "<tr><td><a href=\"/web/shu?year=%d\">%d</a></td><td>", r->year, r->year);
	html_time(h, r->posted_at);
	html_raw(h, "</td><td class=\"n\">");
	html_money(h, r->amount);
	html_raw(h, "</td><td class=\"n\">");
	html_int(h, r->members);
	hex[16] = '\0';                  /* enough to tell runs apart; the CLI prints it whole */
	html_f(h, "</td><td><code>%s</code></td></tr>", hex);
	return CM_OK;
}

static void pools_table(struct web *w, const struct hqshu_run *r)
{
	struct html *h = &w->h;
	char p[16];
	html_f(h, "<table id=\"pools\"><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr>", _("Pool"), _("Percent"),
	       _("Amount"), _("To members"), _("Not shared"));
	for (size_t i = 0; i < r->y.npools; i++) {
		const struct shu_pool *pl = &r->y.pools[i];
		int k = shu_pool_member(pl->name);
		shu_percent_format(pl->bp, p, sizeof p);
		html_f(h, "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">", pl->name, p);
		html_money(h, pl->amount);
		html_raw(h, "</td><td class=\"n\">");
		if (k >= 0)
			html_money(h, r->t.paid[k]);
		html_raw(h, "</td><td class=\"n\">");
		if (k >= 0)
			html_money(h, r->t.unshared[k]);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
}

void web_shu(struct web *w)
{
	struct html *h = &w->h;
	struct hqshu_run r;
	bool have;
	char why[300] = "";
	if (!web_shu_run(w, &r, &have, why, sizeof why))
		return;
	web_begin(w, _("SHU"));
	html_f(h, "<h2>%s</h2><div class=\"scroll\"><table id=\"runs\"><tr><th>%s</th><th>%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th></tr>", _("Posted runs"),
	       _("Year"), _("Posted"), _("Amount"), _("Members"), _("Hash (BLAKE2b)"));
	enum cm_rc rc = hqstore_shu_runs_each(w->st, run_row, h);
	if (rc != CM_OK) {
		hqshu_run_free(&r);
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	html_f(h, "<h2>SHU %d</h2>", r.y.year);
	web_shu_heading(w, &r, have, why);
	if (have) {
		pools_table(w, &r);
		html_f(h, "<p><a href=\"/web/members?year=%d\">%s</a> &middot; "
		       "<a href=\"/web/members/rat?year=%d\">%s</a></p>", r.y.year,
		       _("Each member's share"), r.y.year, _("Print every member's sheet for the RAT"));
	}
	hqshu_run_free(&r);
	web_end(w);
	web_send(w, 200);
}
