/* The retry policy of PROTOCOL.md ("Errors"), shared by push and pull:
 * network errors, 408, 429 and 5xx are retried after a full-jitter
 * exponential backoff (Retry-After wins when longer) up to `attempts`
 * tries; every other answer goes back to the caller. */
#include "sync/agent/agent.h"
#include "sync/agent/backoff.h"
#include "sync/proto.h"

#include <stdio.h>
#include <string.h>

static bool retryable(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

/* "503 unavailable: HQ is restarting" from an error answer, or the bare
 * status when the body is not the protocol's error object. */
static void describe(const struct http_response *r, char *buf, size_t n)
{
	struct proto_error e;
	char why[200];
	if (r->body && proto_error_decode(r->body, r->len, &e, why, sizeof why) == CM_OK)
		snprintf(buf, n, "%ld %s%s%s", r->status, e.code, e.message[0] ? ": " : "",
		         e.message);
	else
		snprintf(buf, n, _("HTTP status %ld"), r->status);
}

bool agent_request(struct agent *ag, const char *path, const char *if_none_match,
                   const char *json, size_t len, struct http_response *r,
                   enum agent_exit *ax)
{
	for (int attempt = 0;; attempt++) {
		char why[400];
		long retry_after = 0;
		enum http_rc hr = json
			? http_post_json(ag->http, path, json, len, r, why, sizeof why)
			: http_get(ag->http, path, if_none_match, r, why, sizeof why);
		if (hr == HTTP_UNTRUSTED || hr == HTTP_LOCAL) {
			snprintf(ag->msg, sizeof ag->msg, "%s", why);
			*ax = hr == HTTP_UNTRUSTED ? AX_UNTRUSTED : AX_USAGE;
			return false;
		}
		if (hr == HTTP_DONE && !retryable(r->status))
			return true;
		if (hr == HTTP_DONE) {
			describe(r, why, sizeof why);
			retry_after = r->retry_after;
			http_response_free(r);
		}
		snprintf(ag->msg, sizeof ag->msg, "%s", why);
		*ax = AX_UNAVAILABLE;
		if (attempt + 1 >= ag->cfg.attempts) {
			agent_log(_("%s; gave up after %d tries"), why, attempt + 1);
			return false;
		}
		int64_t ms = backoff_delay_ms(attempt, ag->cfg.backoff_cap, retry_after);
		agent_log(_("%s; trying again in %lld.%01lld s%s"), why, (long long)(ms / 1000),
		          (long long)(ms % 1000 / 100), retry_after ? " (HQ's Retry-After)" : "");
		if (!backoff_sleep(ms)) {
			snprintf(ag->msg, sizeof ag->msg, _("stopped by a signal while waiting to retry"));
			return false;
		}
	}
}

enum agent_exit agent_refused(struct agent *ag, const char *what,
                              const struct http_response *r)
{
	char why[400];
	struct proto_error e;
	describe(r, why, sizeof why);
	bool coded = r->body && proto_error_decode(r->body, r->len, &e, NULL, 0) == CM_OK;
	const char *code = coded ? e.code
	                 : r->status == 401 ? "unauthorized"
	                 : r->status == 403 ? "forbidden"
	                 : r->status == 404 ? "not_found"
	                 : r->status == 409 ? "conflict"
	                 : r->status == 422 ? "invalid_chain" : "refused";
	const char *hint = r->status == 401 ? _(" (token refused: enrol the terminal again)")
	                 : r->status == 403 ? _(" (the token belongs to another terminal)")
	                 : r->status == 422 ? _(" (HQ says the journal does not verify)") : "";
	return agent_alert(ag, code, _("HQ refused %s: %s%s"), what, why, hint);
}
