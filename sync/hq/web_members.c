/* The members list: number, name and status from HQ's members, with each
 * member's dues standing (months and rupiah owed, inactive for dues) and
 * a link to the member's statement; the statement page, one member a
 * page, printable for the members' meeting (RAT). Figures from the same
 * hqdues functions as `coopmart-hq dues arrears` and `member statement`. */
#include "web.h"
#include "hqdues.h"

#include <stdlib.h>
#include <string.h>

#define MEMBERS_MAX 1000

struct members_page {
	struct web *w;
	struct hqdues_arrear *owing;      /* sorted by number */
	size_t nowing;
};

static int by_number(const void *a, const void *b)
{
	return strcmp(((const struct hqdues_arrear *)a)->number,
	              ((const struct hqdues_arrear *)b)->number);
}

static void member_headings(struct web *w)
{
	html_f(&w->h, "<th>%s</th><th>%s</th><th>%s</th><th class=\"noprint\"></th>",
	       _("Months owed"), _("Owed (wajib + pokok)"), _("Oldest month"));
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
	html_f(&w->h, "<td class=\"noprint\"><a href=\"/web/members/statement?m=%s\">%s</a></td>",
	       m->number, _("statement"));
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
	html_f(&w->h, "<tr><td class=\"nw\">%s</td><td class=\"nw\">%s</td><td class=\"%s\">%s</td>",
	       m->number, m->name,
	       strcmp(m->status, "active") == 0 ? "" : "down", status_label(m->status));
	member_cells(p, m);
	html_raw(&w->h, "</tr>");
	return CM_OK;
}

void web_members(struct web *w)
{
	struct html *h = &w->h;
	const char *q = web_arg(w, "q");
	struct members_page p = { .w = w };
	int32_t month = hqdues_month_now();
	enum cm_rc rc = hqdues_arrears(w->st, NULL, month, &p.owing, &p.nowing);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	if (p.nowing)
		qsort(p.owing, p.nowing, sizeof *p.owing, by_number);
	web_begin(w, _("Members"));
	html_f(h, "<form method=\"get\" action=\"/web/members\" class=\"noprint\"><label>%s "
	       "<input name=\"q\" value=\"%s\"></label> <button type=\"submit\">%s</button></form>",
	       _("Number or name"), q, _("Search"));
	char mo[16];
	dues_month_format(month, mo, sizeof mo);
	html_f(h, "<p>%s %s; %s</p>", _("Dues standing as of"), mo,
	       _("! = inactive for dues (HQ's setting)"));
	html_f(h, "<div class=\"scroll\"><table id=\"members\"><tr><th>%s</th><th>%s</th>"
	       "<th>%s</th>", _("Number"), _("Name"), _("Status"));
	member_headings(w);
	html_raw(h, "</tr>");
	rc = hqstore_members_list(w->st, q, MEMBERS_MAX, member_row, &p);
	free(p.owing);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}

static const char *kind_label(enum dues_kind k)
{
	return k == DUES_POKOK ? _("pokok") : k == DUES_WAJIB ? _("wajib") : _("sukarela");
}

/* One member's savings: totals, every payment, what is owed. */
void web_member_statement(struct web *w)
{
	struct html *h = &w->h;
	const char *number = web_arg(w, "m");
	struct hqdues_statement s;
	enum cm_rc rc = hqdues_statement(w->st, number, 0, hqdues_month_now(), &s);
	if (rc == CM_NOTFOUND) {
		web_error(w, 404, _("HQ does not know that member"));
		return;
	}
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	char title[160], mo[16];
	snprintf(title, sizeof title, "%s %s %s", _("Statement of savings"), s.m.number, s.m.name);
	web_begin(w, title);
	dues_month_format(s.month, mo, sizeof mo);
	html_f(h, "<p>%s %s</p><table><tr><th>%s</th><th>%s</th></tr>", _("As of"), mo,
	       _("Kind"), _("Counted"));
	for (int k = 0; k < DUES_KIND_COUNT; k++) {
		html_f(h, "<tr><td>%s</td><td class=\"n\">", kind_label((enum dues_kind)k));
		html_money(h, s.counted[k]);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
	html_f(h, "<h2>%s</h2><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th></tr>", _("Payments"), _("Date"), _("Kind"), _("Month"),
	       _("Amount"), _("Channel"), _("Store"), _("Receipt"));
	for (size_t i = 0; i < s.npays; i++) {
		const struct hq_dues_pay *py = &s.pays[i];
		html_raw(h, "<tr><td>");
		html_date(h, py->date);
		dues_month_format(py->month, mo, sizeof mo);
		html_f(h, "</td><td>%s</td><td>%s</td><td class=\"n\">", kind_label(py->kind),
		       py->month ? mo : "-");
		html_money(h, py->amount);
		html_f(h, "</td><td>%s</td><td>%s</td><td>%s</td></tr>",
		       py->payroll ? _("payroll") : _("till"), py->store, py->receipt);
	}
	html_raw(h, "</table>");
	const struct hqdues_standing *st = &s.standing;
	html_f(h, "<h2>%s</h2><p>", _("Owed"));
	html_f(h, "%s: ", _("wajib"));
	html_int(h, st->wajib.months);
	html_f(h, " %s, ", _("month(s)"));
	html_money(h, st->wajib.arrears);
	html_f(h, "; %s: ", _("pokok"));
	html_money(h, st->pokok_owed);
	html_f(h, "; %s: ", _("sukarela balance"));
	html_money(h, st->sukarela);
	html_f(h, "%s</p>", st->inactive ? _(" (inactive for dues)") : "");
	hqdues_statement_free(&s);
	web_end(w);
	web_send(w, 200);
}
