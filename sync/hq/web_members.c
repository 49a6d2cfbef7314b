/* The members list: number, name and status from HQ's members, with a
 * search. Printable (one table, no menu on paper).
 *
 * Extension point: member_cells() writes the cells after the status; the
 * dues arrears and statement links (issue 10) go there, and their
 * headings in member_headings(). */
#include "web.h"

#include <string.h>

#define MEMBERS_MAX 1000

static void member_headings(struct web *w)
{
	(void)w;
}

static void member_cells(struct web *w, const struct hq_member_row *m)
{
	(void)w;
	(void)m;
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
	struct web *w = ctx;
	html_f(&w->h, "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td>", m->number, m->name,
	       strcmp(m->status, "active") == 0 ? "" : "down", status_label(m->status));
	member_cells(w, m);
	html_raw(&w->h, "</tr>");
	return CM_OK;
}

void web_members(struct web *w)
{
	struct html *h = &w->h;
	const char *q = web_arg(w, "q");
	web_begin(w, _("Members"));
	html_f(h, "<form method=\"get\" action=\"/web/members\" class=\"noprint\"><label>%s "
	       "<input name=\"q\" value=\"%s\"></label> <button type=\"submit\">%s</button></form>",
	       _("Number or name"), q, _("Search"));
	html_f(h, "<div class=\"scroll\"><table id=\"members\"><tr><th>%s</th><th>%s</th>"
	       "<th>%s</th>", _("Number"), _("Name"), _("Status"));
	member_headings(w);
	html_raw(h, "</tr>");
	enum cm_rc rc = hqstore_members_list(w->st, q, MEMBERS_MAX, member_row, w);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}
