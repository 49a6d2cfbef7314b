/* The exceptions audit in the console: per store, terminal and person,
 * how often each thing a dishonest official would do happened in a
 * period (voids after subtotal, cancelled tickets, price overrides, no
 * sales, returns, reprints, cash variances, failed logins, approvals),
 * with those far above their peers flagged, as `coopmart-hq audit`
 * computes it (hqstore_audit); and the drill-down: the events behind one
 * figure, with the receipts they are about (hqstore_audit_events), each
 * a link to the sale (web_receipt.c).
 *
 *   /web/exceptions?from=YYYY-MM-DD&to=YYYY-MM-DD&store=S
 *   /web/exceptions/events?store=S&terminal=T&user=N&metric=NAME&from=..&to=..
 *
 * Scope: a manager the own store, an office its coop's stores, the
 * council every store. */
#include "web.h"
#include "hqdues.h"
#include "hqstore_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAYS_DEFAULT 30
#define STORES_MAX 4096

static const char *const metric_labels[AUD_METRICS] = {
	N_("void after subtotal"), N_("cancelled ticket"), N_("price override"),
	N_("discount over the limit"), N_("drawer opened without a sale"),
	N_("return with a receipt"), N_("return without a receipt"), N_("receipt reprinted"),
	N_("cash variance at shift close"), N_("failed login"), N_("locked out"),
	N_("approvals given"),
};

/* Local midnight of yyyymmdd plus days, as `coopmart-hq audit` counts. */
static int64_t day_start(int32_t date, int days)
{
	struct tm tm = { .tm_year = date / 10000 - 1900, .tm_mon = date / 100 % 100 - 1,
	                 .tm_mday = date % 100 + days, .tm_isdst = -1 };
	return (int64_t)mktime(&tm);
}

static int32_t date_of(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

static int32_t date_arg(const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 2000 || y > 2999 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return 0;
	return y * 10000 + m * 100 + d;
}

/* ?from= and ?to= (the last DAYS_DEFAULT days by default); false when
 * answered (400). */
static bool period(struct web *w, int32_t *from, int32_t *to)
{
	const char *f = web_arg(w, "from"), *t = web_arg(w, "to");
	*to = *t ? date_arg(t) : hqdues_today();
	*from = *f ? date_arg(f) : (*to ? date_of(day_start(*to, 1 - DAYS_DEFAULT)) : 0);
	if (*from && *to && *from <= *to)
		return true;
	web_error(w, 400, _("Dates are written YYYY-MM-DD, from not after to."));
	return false;
}

static void date_text(int32_t d, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

/* ---- the list ---- */

struct scope_stores {
	char (*code)[32];
	size_t n;
};

static enum cm_rc add_store(const char *store, const char *coop, void *ctx)
{
	struct scope_stores *s = ctx;
	(void)coop;
	if (s->n == STORES_MAX)
		return CM_OK;
	char (*p)[32] = realloc(s->code, (s->n + 1) * sizeof *p);
	if (!p)
		return CM_NOMEM;
	s->code = p;
	snprintf(p[s->n++], sizeof *p, "%s", store);
	return CM_OK;
}

static bool in_scope(const struct scope_stores *s, const char *store)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->code[i], store))
			return true;
	return false;
}

static void person(struct html *h, const struct hq_audit_row *r)
{
	html_f(h, "%s %s <span class=\"muted\">(%s)</span>", r->number[0] ? r->number : "?",
	       r->name[0] ? r->name : _("unknown user"), r->role[0] ? r->role : "?");
}

static void row_lines(struct web *w, const struct hq_audit_row *r, const char *from,
                      const char *to)
{
	struct html *h = &w->h;
	for (int m = 0; m < AUD_METRICS; m++) {
		if (!r->count[m])
			continue;
		bool flagged = r->flagged & (1u << m);
		html_raw(h, flagged ? "<tr class=\"flagged\">" : "<tr>");
		html_f(h, "<td>%s</td><td>%s</td><td>", r->store, r->terminal);
		person(h, r);
		html_f(h, "</td><td>%s</td><td class=\"n%s\">", _(metric_labels[m]),
		       flagged ? " down" : "");
		html_int(h, r->count[m]);
		html_raw(h, flagged ? " !</td><td class=\"n\">" : "</td><td class=\"n\">");
		html_money(h, r->rupiah[m]);
		html_f(h, "</td><td class=\"noprint\"><a href=\"/web/exceptions/events?store=%s&amp;"
		       "terminal=%s&amp;user=%lld&amp;metric=%s&amp;from=%s&amp;to=%s\">%s</a></td></tr>",
		       r->store, r->terminal, (long long)r->user_id, hq_audit_metric_names[m], from, to,
		       _("events"));
	}
}

static void filter_form(struct web *w, const char *from, const char *to, const char *store)
{
	html_f(&w->h, "<form method=\"get\" action=\"/web/exceptions\" class=\"noprint\"><label>%s "
	       "<input name=\"from\" type=\"date\" value=\"%s\"></label> <label>%s <input name=\"to\" "
	       "type=\"date\" value=\"%s\"></label> <label>%s <input name=\"store\" value=\"%s\">"
	       "</label> <button type=\"submit\">%s</button></form>", _("From"), from, _("Up to"), to,
	       _("Store"), store, _("Show"));
}

void web_exceptions(struct web *w)
{
	struct html *h = &w->h;
	int32_t f, t;
	char from[16], to[16];
	struct scope_stores sc = { 0 };
	struct hq_audit a;
	const char *store = web_store_arg(w, NULL);
	if (!store || !period(w, &f, &t))
		return;
	enum cm_rc rc = hqstore_stores_each(w->st, &w->scope, add_store, &sc);
	if (rc == CM_OK)
		rc = hqstore_audit(w->st, *store ? store : NULL, day_start(f, 0), day_start(t, 1), &a);
	if (rc != CM_OK) {
		free(sc.code);
		web_fail_store(w, rc);
		return;
	}
	date_text(f, from, sizeof from);
	date_text(t, to, sizeof to);
	web_begin(w, _("Exceptions"));
	filter_form(w, from, to, store);
	html_f(h, "<p>%s %s &ndash; %s. %s</p>", _("Exceptions per person"), from, to,
	       _("! = far above the others of the store (at least 3, and more than twice their "
	         "mean)."));
	html_f(h, "<div class=\"scroll\"><table id=\"exceptions\"><tr><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	       "<th class=\"noprint\"></th></tr>", _("Store"), _("Terminal"), _("Person"),
	       _("Exception"), _("Count"), _("Rupiah"));
	size_t shown = 0;
	for (size_t i = 0; i < a.n; i++) {
		if (w->op.role == HQ_COUNCIL || in_scope(&sc, a.rows[i].store)) {
			row_lines(w, &a.rows[i], from, to);
			shown++;
		}
	}
	html_raw(h, "</table></div>");
	if (!shown)
		html_f(h, "<p class=\"msg ok\">%s</p>", _("No exceptions in this period."));
	hqstore_audit_free(&a);
	free(sc.code);
	web_end(w);
	web_send(w, 200);
}

/* ---- the drill-down ---- */

static void event_rows(struct html *h, const char *store, const struct hq_audit_event *e,
                       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		html_raw(h, "<tr><td>");
		html_time(h, e[i].at);
		html_raw(h, "</td><td class=\"n\">");
		html_int(h, e[i].seq);
		html_f(h, "</td><td>%s</td><td>", e[i].type);
		if (e[i].ticket)
			html_int(h, e[i].ticket);
		html_raw(h, "</td><td class=\"receipt\">");
		web_receipt_link(h, store, e[i].receipt);
		html_f(h, "</td><td>%s</td><td class=\"n\">", e[i].ret);
		html_money(h, e[i].rupiah);
		html_raw(h, "</td></tr>");
	}
}

void web_exception_events(struct web *w)
{
	struct html *h = &w->h;
	const char *terminal = web_arg(w, "terminal"), *mname = web_arg(w, "metric");
	const char *store = web_store_arg(w, NULL);
	int32_t f, t;
	char from[16], to[16], *end;
	long long user = strtoll(web_arg(w, "user"), &end, 10);
	int m = hq_audit_metric_of(mname);
	if (!store || !period(w, &f, &t))
		return;
	if (!*store || !*terminal || m < 0 || *end) {
		web_error(w, 400, _("Which store, terminal, person and exception?"));
		return;
	}
	struct hq_audit_event *ev;
	size_t n;
	enum cm_rc rc = hqstore_audit_events(w->st, store, terminal, user, (enum hq_audit_metric)m,
	                                     day_start(f, 0), day_start(t, 1), &ev, &n);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	date_text(f, from, sizeof from);
	date_text(t, to, sizeof to);
	web_begin(w, _(metric_labels[m]));
	html_f(h, "<p>%s %s, %s %s, %s %lld; %s &ndash; %s</p>", _("Store"), store, _("terminal"),
	       terminal, _("user"), user, from, to);
	html_f(h, "<div class=\"scroll\"><table id=\"events\"><tr><th>%s</th><th class=\"n\">%s</th>"
	       "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th></tr>", _("When"),
	       _("Event"), _("What"), _("Ticket"), _("Receipt"), _("Return"), _("Rupiah"));
	event_rows(h, store, ev, n);
	html_raw(h, "</table></div>");
	free(ev);
	html_f(h, "<p class=\"noprint\"><a href=\"/web/exceptions?store=%s&amp;from=%s&amp;to=%s\">"
	       "%s</a></p>", store, from, to, _("Back to the exceptions"));
	web_end(w);
	web_send(w, 200);
}
