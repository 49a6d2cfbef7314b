/* The members list: number, name, status and home store from HQ's
 * members in the operator's scope (a manager the store's, an office its
 * coop's, the council every member), with each member's dues standing
 * (months and rupiah owed, inactive for dues), credit (limit, balance,
 * over the limit) and SHU share, and a link to the member's statement
 * (web_statement.c). Figures from the same functions as the command
 * line: hqdues_arrears (`dues arrears`), the members' credit columns
 * hqcredit keeps (`credit statement`), hqshu's run (`shu slip`). */
#include "web.h"
#include "hqdues.h"
#include "hqshu.h"

#include <stdlib.h>
#include <string.h>

#define MEMBERS_MAX 1000

struct members_page {
	struct web *w;
	struct hqdues_arrear *owing;      /* sorted by number */
	size_t nowing;
	struct hqshu_run shu;
	bool have_shu;
};

static int by_number(const void *a, const void *b)
{
	return strcmp(((const struct hqdues_arrear *)a)->number,
	              ((const struct hqdues_arrear *)b)->number);
}

static void member_headings(struct members_page *p)
{
	struct web *w = p->w;
	html_f(&w->h, "<th>%s</th><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">SHU %d</th><th class=\"noprint\"></th>",
	       _("Months owed"), _("Owed (wajib + pokok)"), _("Oldest month"), _("Credit limit"),
	       _("Credit owed"), p->shu.y.year);
}

/* Credit: limit and balance, "!" when the balance is over the limit. */
static void credit_cells(struct web *w, const struct hq_member_row *m)
{
	bool over = m->credit_balance > m->credit_limit;
	html_raw(&w->h, "<td class=\"n\">");
	html_money(&w->h, m->credit_limit);
	html_raw(&w->h, over ? "</td><td class=\"n down credit-over\">" : "</td><td class=\"n\">");
	html_money(&w->h, m->credit_balance);
	html_raw(&w->h, over ? " !</td>" : "</td>");
}

static void shu_cell(struct members_page *p, const struct hq_member_row *m)
{
	struct web *w = p->w;
	long i = p->have_shu ? hqshu_member_find(&p->shu, m->number) : -1;
	html_raw(&w->h, "<td class=\"n\">");
	if (i >= 0)
		html_money(&w->h, p->shu.m[i].share[SHU_USAHA] + p->shu.m[i].share[SHU_MODAL]);
	else
		html_raw(&w->h, "-");
	html_raw(&w->h, "</td>");
}

static void member_cells(struct members_page *p, const struct hq_member_row *m)
{
	struct web *w = p->w;
	struct hqdues_arrear key;
	snprintf(key.number, sizeof key.number, "%s", m->number);
	const struct hqdues_arrear *a = p->nowing
		? bsearch(&key, p->owing, p->nowing, sizeof *p->owing, by_number) : NULL;
	if (a) {
		char mo[16];
		dues_month_format(a->oldest, mo, sizeof mo);
		html_f(&w->h, "<td class=\"n%s\">", a->inactive ? " down" : "");
		html_int(&w->h, a->months);
		html_raw(&w->h, a->inactive ? " !</td><td class=\"n\">" : "</td><td class=\"n\">");
		html_money(&w->h, a->wajib + a->pokok);
		html_f(&w->h, "</td><td>%s</td>", a->oldest ? mo : "-");
	} else {
		html_raw(&w->h, "<td class=\"n\">0</td><td class=\"n\">-</td><td>-</td>");
	}
	credit_cells(w, m);
	shu_cell(p, m);
	html_f(&w->h, "<td class=\"noprint\"><a href=\"/web/members/statement?m=%s&amp;year=%d\">"
	       "%s</a></td>", m->number, p->shu.y.year, _("statement"));
}

static const char *status_label(const char *status)
{
	if (strcmp(status, "active") == 0)
		return _("active");
	if (strcmp(status, "left") == 0)
		return _("left");
	if (strcmp(status, "blocked") == 0)
		return _("blocked");
	return status;
}

static enum cm_rc member_row(const struct hq_member_row *m, void *ctx)
{
	struct members_page *p = ctx;
	struct web *w = p->w;
	html_f(&w->h, "<tr id=\"m-%s\"><td class=\"nw\">%s</td><td class=\"nw\">%s</td>"
	       "<td class=\"%s\">%s</td><td class=\"nw\">%s</td>", m->number, m->number, m->name,
	       strcmp(m->status, "active") == 0 ? "" : "down", status_label(m->status),
	       m->store[0] ? m->store : "-");
	member_cells(p, m);
	html_raw(&w->h, "</tr>");
	return CM_OK;
}

void web_members(struct web *w)
{
	struct html *h = &w->h;
	const char *q = web_arg(w, "q");
	struct members_page p = { .w = w };
	char why[300] = "";
	int32_t month = hqdues_month_now();
	if (!web_shu_run(w, &p.shu, &p.have_shu, why, sizeof why))
		return;
	enum cm_rc rc = hqdues_arrears(w->st, NULL, month, &p.owing, &p.nowing);
	if (rc != CM_OK) {
		hqshu_run_free(&p.shu);
		web_fail_store(w, rc);
		return;
	}
	if (p.nowing)
		qsort(p.owing, p.nowing, sizeof *p.owing, by_number);
	web_begin(w, _("Members"));
	html_f(h, "<form method=\"get\" action=\"/web/members\" class=\"noprint\"><label>%s "
	       "<input name=\"q\" value=\"%s\"></label> <label>%s <input name=\"year\" "
	       "type=\"number\" min=\"1900\" max=\"2999\" value=\"%d\"></label> "
	       "<button type=\"submit\">%s</button></form>", _("Number or name"), q, _("SHU year"),
	       p.shu.y.year, _("Search"));
	html_f(h, "<p class=\"noprint\"><a href=\"/web/shu?year=%d\">%s</a> &middot; "
	       "<a id=\"rat-link\" href=\"/web/members/rat?year=%d\">%s</a></p>", p.shu.y.year,
	       _("SHU runs"), p.shu.y.year, _("Print every member's sheet for the RAT"));
	char mo[16];
	dues_month_format(month, mo, sizeof mo);
	html_f(h, "<p>%s %s; %s; %s</p>", _("Dues standing as of"), mo,
	       _("! = inactive for dues (HQ's setting)"), _("credit ! = over the limit"));
	web_shu_heading(w, &p.shu, p.have_shu, why);
	html_f(h, "<div class=\"scroll\"><table id=\"members\" class=\"wide\"><tr><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th>", _("Number"), _("Name"), _("Status"), _("Home store"));
	member_headings(&p);
	html_raw(h, "</tr>");
	rc = hqstore_members_list(w->st, &w->scope, q, MEMBERS_MAX, member_row, &p);
	free(p.owing);
	hqshu_run_free(&p.shu);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}
