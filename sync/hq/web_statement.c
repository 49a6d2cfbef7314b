/* A member's statement: savings (what is counted, the payments, what is
 * owed), credit (the limit, the statement month's ledger and balance) and
 * the SHU slip of a year; and the members' meeting (RAT) print: every
 * member in scope, one sheet a printed page (print CSS: .sheet+.sheet
 * breaks before). Figures from the command line's functions:
 * hqdues_statement (`member statement`), hqcredit_statement (`credit
 * statement`), the SHU run of `shu slip` (web_shu.c).
 *
 * Scope: a member belongs to the home store; a manager sees the store's
 * members, an office its coop's, the council every member. */
#include "web.h"
#include "hqcredit.h"
#include "hqshu.h"

#include <stdlib.h>
#include <string.h>

#define RAT_MAX 5000                   /* members on one RAT print */

/* What every sheet of a request shares. */
struct sheet_ctx {
	struct web *w;
	struct hqshu_run shu;
	bool have_shu;
	char why[300];                    /* no SHU: why */
	int32_t credit_month;             /* YYYYMM */
	int dues_year;                    /* payments listed: of this year, 0 every year */
	bool full;                        /* every credit row (the statement page) */
};

static const char *kind_label(enum dues_kind k)
{
	return k == DUES_POKOK ? _("pokok") : k == DUES_WAJIB ? _("wajib") : _("sukarela");
}

static void money_row(struct html *h, const char *label, cm_money v, const char *cls)
{
	if (cls)
		html_f(h, "<tr class=\"%s\"><td>%s</td><td class=\"n\">", cls, label);
	else
		html_f(h, "<tr><td>%s</td><td class=\"n\">", label);
	html_money(h, v);
	html_raw(h, "</td></tr>");
}

/* ---- savings ---- */

static void savings_payments(struct html *h, const struct hqdues_statement *s)
{
	char mo[16];
	html_f(h, "<table class=\"pays\"><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	       "<th>%s</th><th>%s</th><th>%s</th></tr>", _("Date"), _("Kind"), _("Month"),
	       _("Amount"), _("Channel"), _("Store"), _("Receipt"));
	for (size_t i = 0; i < s->npays; i++) {
		const struct hq_dues_pay *py = &s->pays[i];
		html_raw(h, "<tr><td>");
		html_date(h, py->date);
		dues_month_format(py->month, mo, sizeof mo);
		html_f(h, "</td><td>%s</td><td>%s</td><td class=\"n\">", kind_label(py->kind),
		       py->month ? mo : "-");
		html_money(h, py->amount);
		html_f(h, "</td><td>%s</td><td>%s</td><td>", py->payroll ? _("payroll") : _("till"),
		       py->store);
		if (py->payroll)
			html_text(h, py->receipt);
		else
			web_receipt_link(h, py->store, py->receipt);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
}

static void savings(struct web *w, const struct hqdues_statement *s)
{
	struct html *h = &w->h;
	char mo[16];
	dues_month_format(s->month, mo, sizeof mo);
	html_f(h, "<h2>%s</h2><p>%s %s", _("Savings"), _("As of"), mo);
	if (s->year)
		html_f(h, "; %s %d", _("payments of"), s->year);
	html_f(h, "</p><table class=\"savings\"><tr><th>%s</th><th class=\"n\">%s</th></tr>",
	       _("Kind"), _("Counted"));
	for (int k = 0; k < DUES_KIND_COUNT; k++)
		money_row(h, kind_label((enum dues_kind)k), s->counted[k], NULL);
	html_raw(h, "</table>");
	savings_payments(h, s);
	const struct hqdues_standing *st = &s->standing;
	html_f(h, "<p class=\"owed\"><b>%s</b>: %s ", _("Owed"), _("wajib"));
	html_int(h, st->wajib.months);
	html_f(h, " %s, ", _("month(s)"));
	html_money(h, st->wajib.arrears);
	html_f(h, "; %s: ", _("pokok"));
	html_money(h, st->pokok_owed);
	html_f(h, "; %s: ", _("sukarela balance"));
	html_money(h, st->sukarela);
	html_f(h, "%s</p>", st->inactive ? _(" (inactive for dues)") : "");
}

/* ---- credit ---- */

static const char *credit_kind_label(enum hq_credit_kind k)
{
	return k == HQ_CREDIT_CHARGE ? _("purchase") : k == HQ_CREDIT_REFUND ? _("return credited")
	                                                                      : _("payroll deduction");
}

static void credit_rows(struct html *h, const struct hqcredit_statement *c)
{
	char per[16];
	html_f(h, "<table class=\"credit-rows\"><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	       "<th class=\"n\">%s</th></tr>", _("Date"), _("Kind"), _("Store"), _("Receipt"),
	       _("Amount"));
	for (size_t i = 0; i < c->nrows; i++) {
		const struct hq_credit_row *r = &c->rows[i];
		dues_month_format(r->period, per, sizeof per);
		html_raw(h, "<tr><td>");
		html_date(h, r->date);
		html_f(h, "</td><td>%s</td><td>%s</td><td>", credit_kind_label(r->kind), r->store);
		if (r->kind == HQ_CREDIT_CHARGE && !r->period)
			web_receipt_link(h, r->store, r->receipt);
		else
			html_text(h, r->period ? per : r->receipt);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, r->kind == HQ_CREDIT_CHARGE ? r->amount : -r->amount);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
}

static void credit(struct sheet_ctx *cx, const struct hqcredit_statement *c)
{
	struct html *h = &cx->w->h;
	char mo[16];
	bool over = c->m.credit_balance > c->m.credit_limit;
	dues_month_format(c->month, mo, sizeof mo);
	html_f(h, "<h2>%s</h2><p class=\"credit-standing\">%s ", _("Credit (potong gaji)"),
	       _("credit limit"));
	html_money(h, c->m.credit_limit);
	html_f(h, "; %s ", _("owes now"));
	html_money(h, c->m.credit_balance);
	if (over)
		html_f(h, " <b class=\"down\">%s</b>", _("over the limit"));
	html_f(h, "</p><p>%s %s: ", _("Statement month"), mo);
	html_date(h, c->first);
	html_raw(h, " &ndash; ");
	html_date(h, c->last);
	html_raw(h, "</p>");
	if (cx->full)
		credit_rows(h, c);
	html_raw(h, "<table class=\"credit\">");
	money_row(h, _("opening balance"), c->opening, NULL);
	money_row(h, _("purchases"), c->charges, NULL);
	money_row(h, _("returns credited"), -c->refunds, NULL);
	money_row(h, _("payments and deductions"), -c->payments, NULL);
	money_row(h, _("closing balance"), c->closing, "credit-closing");
	money_row(h, _("amount due"), c->due, NULL);
	html_raw(h, "</table>");
}

/* ---- SHU ---- */

static void shu_slip(struct sheet_ctx *cx, const char *number)
{
	struct html *h = &cx->w->h;
	const struct hqshu_run *r = &cx->shu;
	long i = cx->have_shu ? hqshu_member_find(r, number) : -1;
	html_f(h, "<h2>%s %d</h2>", _("SHU slip"), r->y.year);
	if (i < 0) {
		html_f(h, "<p>%s</p>", cx->have_shu ? _("The member is not in this year's SHU.")
		                                     : cx->why);
		return;
	}
	const struct shu_member *m = &r->m[i];
	html_f(h, "<p>%s</p><table class=\"shu\">", r->posted ? _("posted")
	                                                      : _("preview, not posted"));
	money_row(h, _("bought"), m->bought, NULL);
	money_row(h, _("returns"), -m->returned, NULL);
	money_row(h, _("Purchases"), m->purchases, NULL);
	money_row(h, _("Savings"), m->savings, NULL);
	money_row(h, SHU_POOL_USAHA, m->share[SHU_USAHA], NULL);
	money_row(h, SHU_POOL_MODAL, m->share[SHU_MODAL], NULL);
	money_row(h, _("SHU of the member"), m->share[SHU_USAHA] + m->share[SHU_MODAL], "shu-total");
	html_raw(h, "</table>");
	if (m->pct != 100)
		html_f(h, "<p>%s %d%%</p>", _("Inactive for dues at the year's end: counted at"), m->pct);
}

/* ---- one member's sheet ---- */

/* False when answered (an error). */
static bool sheet(struct sheet_ctx *cx, const struct hqdues_statement *s)
{
	struct web *w = cx->w;
	struct hqcredit_statement c;
	enum cm_rc rc = hqcredit_statement(w->st, s->m.number, cx->credit_month, &c);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return false;
	}
	html_f(&w->h, "<section class=\"sheet\" id=\"sheet-%s\"><h2 class=\"who\">%s %s</h2>"
	       "<p>%s: %s</p>", s->m.number, s->m.number, s->m.name, _("Home store"),
	       s->m.store[0] ? s->m.store : "-");
	savings(w, s);
	html_raw(&w->h, "<div class=\"cols\"><div>");
	credit(cx, &c);
	html_raw(&w->h, "</div><div>");
	shu_slip(cx, s->m.number);
	html_raw(&w->h, "</div></div></section>");
	hqcredit_statement_free(&c);
	return true;
}

/* The scope allows the member's home store; else answered 403. */
static bool member_allowed(struct web *w, const struct hq_member *m)
{
	if (w->op.role == HQ_COUNCIL)
		return true;
	if (m->store[0])
		return web_store_allowed(w, m->store);
	web_audit(w, NULL, "refused", "member %s", m->number);
	web_error(w, 403, _("You may not see this member."));
	return false;
}

/* The credit month: ?period=YYYY-MM, else today's. 0 (answered) when
 * wrong. */
static int32_t credit_month_arg(struct web *w)
{
	const char *p = web_arg(w, "period");
	int32_t month;
	int64_t share, cutoff;
	if (*p) {
		if (dues_month_parse(p, &month) == CM_OK)
			return month;
		web_error(w, 400, _("The period is a month YYYY-MM."));
		return 0;
	}
	enum cm_rc rc = hqcredit_settings(w->st, &share, &cutoff);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return 0;
	}
	return hqcredit_month_of(hqdues_today(), (int)cutoff);
}

static bool ctx_open(struct web *w, struct sheet_ctx *cx)
{
	memset(cx, 0, sizeof *cx);
	cx->w = w;
	if (!(cx->credit_month = credit_month_arg(w)))
		return false;
	return web_shu_run(w, &cx->shu, &cx->have_shu, cx->why, sizeof cx->why);
}

void web_member_statement(struct web *w)
{
	const char *number = web_arg(w, "m");
	struct sheet_ctx cx;
	struct hqdues_statement *s = calloc(1, sizeof *s);
	if (!s) {
		web_fail_store(w, CM_NOMEM);
		return;
	}
	enum cm_rc rc = hqdues_statement(w->st, number, 0, hqdues_month_now(), s);
	if (rc == CM_NOTFOUND)
		web_error(w, 404, _("HQ does not know that member"));
	else if (rc != CM_OK)
		web_fail_store(w, rc);
	if (rc != CM_OK) {
		free(s);
		return;
	}
	if (member_allowed(w, &s->m) && ctx_open(w, &cx)) {
		char title[160];
		cx.full = true;
		snprintf(title, sizeof title, "%s %s %s", _("Statement of member"), s->m.number,
		         s->m.name);
		web_begin(w, title);
		if (sheet(&cx, s)) {
			web_end(w);
			web_send(w, 200);
		}
		hqshu_run_free(&cx.shu);
	}
	hqdues_statement_free(s);
	free(s);
}

/* ---- the RAT print ---- */

struct rat {
	struct sheet_ctx cx;
	char (*numbers)[24];              /* the members in scope, by number */
	size_t n;
};

static enum cm_rc rat_member(const struct hq_member_row *m, void *ctx)
{
	struct rat *rt = ctx;
	/* Collected first: a sheet queries, and the list's query is open. */
	char (*p)[24] = realloc(rt->numbers, (rt->n + 1) * sizeof *p);
	if (!p)
		return CM_NOMEM;
	rt->numbers = p;
	snprintf(p[rt->n++], sizeof *p, "%s", m->number);
	return CM_OK;
}

static void rat_sheets(struct web *w, struct rat *rt)
{
	struct hqdues_statement *s = calloc(1, sizeof *s);
	if (!s) {
		web_fail_store(w, CM_NOMEM);
		return;
	}
	html_raw(&w->h, "<div class=\"sheets\">");
	for (size_t i = 0; i < rt->n; i++) {
		enum cm_rc rc = hqdues_statement(w->st, rt->numbers[i], rt->cx.dues_year,
		                                 hqdues_month_now(), s);
		if (rc != CM_OK) {
			web_fail_store(w, rc);
			free(s);
			return;
		}
		bool ok = sheet(&rt->cx, s);
		hqdues_statement_free(s);
		if (!ok) {
			free(s);
			return;
		}
	}
	free(s);
	html_raw(&w->h, "</div>");
	web_end(w);
	web_send(w, 200);
}

void web_members_rat(struct web *w)
{
	struct rat rt = { 0 };
	struct hq_scope sc = w->scope;
	const char *store = web_store_arg(w, NULL);
	if (!store || !ctx_open(w, &rt.cx))
		return;
	if (*store)
		sc.store = store;
	rt.cx.dues_year = rt.cx.shu.y.year;
	enum cm_rc rc = hqstore_members_list(w->st, &sc, "", RAT_MAX, rat_member, &rt);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
	} else {
		char title[160];
		snprintf(title, sizeof title, _("Members' sheets for the RAT, SHU %d"),
		         rt.cx.shu.y.year);
		web_begin(w, title);
		html_f(&w->h, "<p class=\"noprint\">%s</p>",
		       _("Print this page: each member starts on a new page."));
		html_f(&w->h, "<p>%s: %s; %s: ", _("Stores"), *store ? store
		       : w->op.role == HQ_OFFICE ? w->op.coop : _("all"), _("members"));
		html_int(&w->h, (int64_t)rt.n);
		html_raw(&w->h, "</p>");
		rat_sheets(w, &rt);
	}
	free(rt.numbers);
	hqshu_run_free(&rt.cx.shu);
}
