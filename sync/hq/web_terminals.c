/* The terminals page (last push and pull, events HQ has not got yet, the
 * agent's version, open alerts), the alerts page with acknowledging (who
 * and when are kept), and the log of logins and changes. */
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ALERTS_MAX 500
#define AUDIT_MAX 300

static enum cm_rc term_row(const struct hq_term_status *t, void *ctx)
{
	struct html *h = ctx;
	int64_t behind = t->local_head > t->head ? t->local_head - t->head : 0;
	html_f(h, "<tr><td>%s</td><td>%s%s</td><td>", t->store, t->terminal,
	       t->revoked ? _(" (revoked)") : "");
	html_time(h, t->last_push_at);
	html_raw(h, "</td><td>");
	html_time(h, t->last_pull_at);
	html_f(h, "</td><td class=\"n\">%lld</td><td class=\"n%s\">%lld</td><td>%s</td>"
	       "<td class=\"n\">", (long long)t->head, behind ? " down" : "", (long long)behind,
	       t->agent[0] ? t->agent : "-");
	if (t->open_alerts)
		html_f(h, "<a class=\"down\" href=\"/web/alerts\">%lld</a>", (long long)t->open_alerts);
	else
		html_raw(h, "0");
	html_raw(h, "</td></tr>");
	return CM_OK;
}

void web_terminals(struct web *w)
{
	struct html *h = &w->h;
	web_begin(w, _("Terminals"));
	html_f(h, "<div class=\"scroll\"><table id=\"terminals\"><tr><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th>"
	       "<th class=\"n\">%s</th></tr>", _("Store"), _("Terminal"), _("Last push"),
	       _("Last pull"), _("Events at HQ"), _("Events behind"), _("Version"),
	       _("Open alerts"));
	enum cm_rc rc = hqstore_terminals_each(w->st, &w->scope, term_row, h);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}

/* ---- alerts ---- */

static enum cm_rc alert_row(const struct hq_alert *a, void *ctx)
{
	struct web *w = ctx;
	struct html *h = &w->h;
	html_f(h, "<tr id=\"alert-%lld\"><td>", (long long)a->id);
	html_time(h, a->last_at ? a->last_at : a->at);
	html_f(h, "</td><td>%s/%s</td><td>%s</td><td>%s", a->store, a->terminal, a->kind,
	       a->last_detail[0] ? a->last_detail : a->detail);
	if (a->count > 1)
		html_f(h, " <span class=\"muted\">(%lld&times;)</span>", (long long)a->count);
	html_raw(h, "</td><td>");
	if (a->acked_at) {
		html_f(h, "%s, ", a->acked_by);
		html_time(h, a->acked_at);
	} else {
		web_form_open(w, "/web/alerts/ack", " class=\"inline\"");
		html_f(h, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><button type=\"submit\">%s"
		       "</button></form>", (long long)a->id, _("Acknowledge"));
	}
	html_raw(h, "</td></tr>");
	return CM_OK;
}

void web_alerts(struct web *w)
{
	struct html *h = &w->h;
	web_begin(w, _("Alerts"));
	const char *done = web_arg(w, "acked");
	if (*done)
		html_f(h, "<p class=\"msg ok\">%s %s</p>", _("Acknowledged:"), done);
	html_f(h, "<div class=\"scroll\"><table id=\"alerts\"><tr><th>%s</th><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th></tr>", _("When"), _("Terminal"), _("Kind"), _("Detail"),
	       _("Acknowledged"));
	enum cm_rc rc = hqstore_alerts_scope(w->st, &w->scope, ALERTS_MAX, alert_row, w);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}

void web_alert_ack(struct web *w)
{
	char id[24] = "", *end;
	form_field(w->body, w->len, "id", id, sizeof id);
	long long n = strtoll(id, &end, 10);
	if (!id[0] || *end || n <= 0) {
		web_error(w, 400, _("Which alert? The form lacks its number."));
		return;
	}
	enum cm_rc rc = hqstore_alert_ack_scoped(w->st, &w->scope, n, w->op.name);
	if (rc == CM_NOTFOUND) {
		web_audit(w, NULL, "refused", "acknowledge alert %lld", n);
		web_error(w, 404, _("There is no such alert among your stores'."));
	} else if (rc == CM_STATE) {
		web_error(w, 409, _("That alert was acknowledged already."));
	} else if (rc != CM_OK) {
		web_fail_store(w, rc);
	} else {
		char to[64];
		web_audit(w, NULL, "alert_ack", "alert %lld", n);
		snprintf(to, sizeof to, "/web/alerts?acked=%lld", n);
		web_redirect(w, to);
	}
}

/* ---- the log ---- */

static enum cm_rc audit_row(const struct hq_oplog *a, void *ctx)
{
	struct html *h = ctx;
	html_raw(h, "<tr><td>");
	html_time(h, a->at);
	html_f(h, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", a->operator, a->action,
	       a->detail, a->address);
	return CM_OK;
}

void web_audit_page(struct web *w)
{
	struct html *h = &w->h;
	web_begin(w, _("Log of logins and changes"));
	if (w->op.role != HQ_COUNCIL)
		html_f(h, "<p class=\"muted\">%s</p>", _("Your own logins and changes."));
	html_f(h, "<div class=\"scroll\"><table id=\"audit\"><tr><th>%s</th><th>%s</th><th>%s</th>"
	       "<th>%s</th><th>%s</th></tr>", _("When"), _("Operator"), _("What"), _("Detail"),
	       _("Address"));
	enum cm_rc rc = hqstore_oplog_each(w->st, w->op.role == HQ_COUNCIL ? NULL : w->op.name,
	                                   AUDIT_MAX, audit_row, h);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	html_raw(h, "</table></div>");
	web_end(w);
	web_send(w, 200);
}
