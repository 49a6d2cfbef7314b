/* `coopmart-sync status` and `coopmart-sync clear-alert ID`: what a store
 * manager or support needs to know, read from the store database alone
 * (no network, no token). */
#include "sync/agent/agent.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void when(int64_t t, char *buf, size_t n)
{
	if (!t) {
		snprintf(buf, n, "%s", _("never"));
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void print_alert(const struct sync_alert *a, void *ctx)
{
	char at[32];
	(void)ctx;
	when(a->at, at, sizeof at);
	printf(_("  alert %lld, %s, %s: %s\n"), (long long)a->id, at, a->code, a->message);
}

enum agent_exit status_show(struct agent *ag)
{
	struct sync_state s;
	struct journal_entry head;
	int64_t waiting, open;
	char push[32], pull[32], attempt[32];
	if (store_sync_state(ag->st, &s) != CM_OK || journal_head(ag->st, &head) != CM_OK ||
	    store_sync_waiting(ag->st, &waiting) != CM_OK ||
	    store_sync_alert_open_count(ag->st, &open) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	when(s.last_push_ok_at, push, sizeof push);
	when(s.last_pull_ok_at, pull, sizeof pull);
	when(s.last_attempt_at, attempt, sizeof attempt);
	printf(_("Terminal %s of store %s, HQ %s\n"), ag->cfg.terminal, ag->cfg.store, ag->cfg.url);
	printf(_("Last successful push: %s (HQ holds events up to %lld of %lld)\n"), push,
	       (long long)s.acked_seq, (long long)head.seq);
	printf(_("Last successful pull: %s (catalogue version %lld, members version %lld)\n"),
	       pull, (long long)s.catalogue_version, (long long)s.members_version);
	printf(_("Events waiting: %lld\n"), (long long)waiting);
	printf(_("Last attempt: %s%s%s\n"), attempt, s.last_error[0] ? ": " : "",
	       s.last_error[0] ? s.last_error : (s.last_attempt_at ? ": ok" : ""));
	if (!open) {
		printf(_("Alerts: none\n"));
		return AX_OK;
	}
	printf(_("Alerts (pushing is parked until they are cleared):\n"));
	if (store_sync_alert_each(ag->st, true, print_alert, NULL) != CM_OK)
		return agent_store_fail(ag, _("reading sync alerts"));
	printf(_("Clear one with: coopmart-sync clear-alert ID\n"));
	return AX_REFUSED;
}

enum agent_exit status_clear_alert(struct agent *ag, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	if (!*arg || *end || id <= 0) {
		agent_log(_("clear-alert needs an alert number (see 'coopmart-sync status'), not '%s'"),
		          arg);
		return AX_USAGE;
	}
	enum cm_rc rc = store_sync_alert_clear(ag->st, id, agent_now());
	if (rc == CM_NOTFOUND) {
		agent_log("%s", store_errmsg(ag->st));
		return AX_USAGE;
	}
	if (rc != CM_OK)
		return agent_store_fail(ag, _("clearing the alert"));
	printf(_("Alert %lld cleared; pushing resumes at the next sync.\n"), id);
	return AX_OK;
}
