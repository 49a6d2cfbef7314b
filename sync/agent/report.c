/* Reports to HQ what the agent found wrong with this terminal's own
 * journal (POST /v1/alerts, PROTOCOL.md): a journal that does not verify,
 * a fork from HQ's copy, a database older than HQ's. Such an alert is
 * marked in sync_alerts when raised and sent until HQ has taken it, even
 * after someone here cleared it: the store can silence its own till, not
 * HQ. */
#include "sync/agent/agent.h"
#include "sync/proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORTS_PER_RUN 8

struct pending {
	struct sync_alert a[REPORTS_PER_RUN];
	size_t n;
};

static void collect(const struct sync_alert *a, void *ctx)
{
	struct pending *p = ctx;
	if (p->n < REPORTS_PER_RUN)
		p->a[p->n++] = *a;
}

/* true when HQ took the report. */
static bool send_one(struct agent *ag, const struct sync_alert *a)
{
	struct proto_report r = { .seq = a->seq };
	struct http_response resp;
	enum agent_exit ax;
	snprintf(r.store, sizeof r.store, "%s", ag->cfg.store);
	snprintf(r.terminal, sizeof r.terminal, "%s", ag->cfg.terminal);
	snprintf(r.kind, sizeof r.kind, "%s", a->code);
	snprintf(r.detail, sizeof r.detail, "%s", a->message);
	char *json = proto_report_encode(&r);
	if (!json) {
		agent_log(_("out of memory"));
		return false;
	}
	char msg[sizeof ag->msg];
	snprintf(msg, sizeof msg, "%s", ag->msg);   /* the alert's own message stays */
	bool answered = agent_request(ag, "/v1/alerts", NULL, json, strlen(json), &resp, &ax);
	free(json);
	bool ok = answered && resp.status == 200;
	if (answered && !ok)
		agent_log(_("HQ did not take the report of alert %lld (HTTP status %ld); it is "
		          "sent again on the next run"), (long long)a->id, resp.status);
	else if (!answered)
		agent_log(_("could not report alert %lld to HQ (%s); it is sent again on the next "
		          "run"), (long long)a->id, ag->msg);
	if (answered)
		http_response_free(&resp);
	snprintf(ag->msg, sizeof ag->msg, "%s", msg);
	if (ok && store_sync_alert_reported(ag->st, a->id, agent_now()) != CM_OK) {
		agent_log(_("HQ took the report of alert %lld, but recording that failed: %s"),
		          (long long)a->id, store_errmsg(ag->st));
		return false;
	}
	if (ok)
		agent_log(_("alert %lld reported to HQ, which keeps it until an operator there "
		          "acknowledges it"), (long long)a->id);
	return ok;
}

void report_pending(struct agent *ag)
{
	struct pending p = { .n = 0 };
	if (!ag->http)
		return;
	if (store_sync_alert_unreported(ag->st, collect, &p) != CM_OK) {
		agent_log(_("reading sync alerts: %s"), store_errmsg(ag->st));
		return;
	}
	for (size_t i = 0; i < p.n; i++)
		if (!send_one(ag, &p.a[i]))
			return;
}
