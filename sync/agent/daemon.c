/* `coopmart-sync daemon`: one process, one thread, sleeping between jobs.
 *
 *   - every push_every minutes: a push, when events wait and no alert is
 *     open (a cheap look at the database, no network otherwise);
 *   - every night at nightly_at plus a random 0..nightly_jitter minutes
 *     (drawn afresh each night, so a region's terminals do not all call
 *     HQ in the same second): push, pull, push.
 *
 * SIGTERM and SIGINT end it between requests (backoff.c); the exit code is
 * then 0. Failures are logged and tried again at the next turn. */
#include "sync/agent/agent.h"
#include "sync/agent/backoff.h"

#include <sodium.h>
#include <time.h>

/* The next nightly run strictly after now, in local time. */
static int64_t next_nightly(const struct config *c, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = c->nightly_hour;
	tm.tm_min = c->nightly_minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	int64_t at = (int64_t)mktime(&tm);
	if (at <= now) {
		tm.tm_mday++;
		tm.tm_isdst = -1;
		at = (int64_t)mktime(&tm);
	}
	if (c->nightly_jitter > 0)
		at += (int64_t)randombytes_uniform((uint32_t)c->nightly_jitter * 60 + 1);
	return at;
}

static void push_if_waiting(struct agent *ag)
{
	int64_t waiting = 0, open = 0;
	if (store_sync_waiting(ag->st, &waiting) != CM_OK ||
	    store_sync_alert_open_count(ag->st, &open) != CM_OK) {
		agent_store_fail(ag, _("reading the sync state"));
		return;
	}
	if (!waiting || open)
		return;
	ag->msg[0] = '\0';
	enum agent_exit ax = push_run(ag);
	if (store_sync_set_attempt(ag->st, agent_now(), ax == AX_OK ? "" : ag->msg, false) != CM_OK)
		agent_store_fail(ag, _("saving the sync state"));
}

enum agent_exit daemon_run(struct agent *ag)
{
	int64_t now = agent_now();
	int64_t nightly = next_nightly(&ag->cfg, now);
	int64_t every = (int64_t)ag->cfg.push_every * 60;
	int64_t push_at = now;   /* a push at start when events wait */
	time_t tn = (time_t)nightly;
	struct tm tm;
	localtime_r(&tn, &tm);
	agent_log(_("daemon started: nightly sync next at %02d:%02d, push every %ld min"),
	          tm.tm_hour, tm.tm_min, ag->cfg.push_every);
	while (!backoff_stopping()) {
		now = agent_now();
		if (now >= nightly) {
			agent_log(_("nightly sync"));
			enum agent_exit ax = agent_sync_once(ag);
			if (ax != AX_OK)
				agent_log(_("nightly sync not finished: %s"), ag->msg);
			nightly = next_nightly(&ag->cfg, agent_now());
			push_at = agent_now() + every;
			continue;
		}
		if (every > 0 && now >= push_at) {
			push_if_waiting(ag);
			push_at = agent_now() + every;
			continue;
		}
		int64_t wake = every > 0 && push_at < nightly ? push_at : nightly;
		if (!backoff_sleep((wake - now) * 1000))
			break;
	}
	agent_log(_("stopping (signal)"));
	return AX_OK;
}
