/* coopmart-sync: the terminal's sync agent. Shared by its files:
 * agent.c (command line, modes), push.c, pull.c, daemon.c, status.c,
 * report.c.
 *
 * Exit codes (also in README.md, "Sync"):
 *   0 done (including: nothing to do)
 *   1 usage or configuration error (bad config line, token file readable
 *     by others, database of another terminal)
 *   2 another coopmart-sync is already working on this database
 *   3 HQ refused: pushing is parked and an alert is recorded (also when an
 *     earlier alert is still open); `status` exits 3 while an alert is open
 *   4 HQ unavailable: network error, timeout or HQ trouble after retries
 *   5 HQ's certificate or public key is not trusted (CA file, pin)
 *   6 local database error */
#ifndef AGENT_H
#define AGENT_H

#include "sync/agent/config.h"
#include "sync/agent/http.h"
#include "store/store.h"
#include "store/store_sync.h"

enum agent_exit {
	AX_OK = 0,
	AX_USAGE = 1,
	AX_RUNNING = 2,
	AX_REFUSED = 3,
	AX_UNAVAILABLE = 4,
	AX_UNTRUSTED = 5,
	AX_LOCAL = 6,
};

struct agent {
	struct config cfg;
	struct store *st;
	struct http *http;
	bool terminal_checked;    /* GET /v1/terminal done since start/park */
	bool pulled;              /* a pull succeeded in this run */
	int64_t verified_at;      /* when the whole journal last verified (0: not in this run) */
	char msg[512];            /* why the last step failed, for a person */
};

/* Messages: "coopmart-sync: ..." on standard error (the journal under
 * systemd). Never given the token. */
void agent_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t agent_now(void);
/* The worse of two exit codes (local > refused > untrusted > unavailable). */
enum agent_exit agent_worse(enum agent_exit a, enum agent_exit b);
/* Records an alert for the operator and logs it; returns AX_REFUSED (or
 * AX_LOCAL when it cannot be recorded). Parks pushing until cleared. */
enum agent_exit agent_alert(struct agent *ag, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for what is wrong with this terminal's own journal (code one
 * of proto_report_kinds, seq the sequence concerned): the alert is also
 * reported to HQ, which keeps it until an operator there acknowledges it;
 * clearing it here does not clear it there. */
enum agent_exit agent_alert_hq(struct agent *ag, const char *code, int64_t seq,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* report.c: sends HQ every alert marked for it that it has not taken yet
 * (POST /v1/alerts), oldest first; stops at the first failure, logged
 * (tried again on the next run). Never raises an alert itself. */
void report_pending(struct agent *ag);
/* Logs a store error with what was being done; returns AX_LOCAL. */
enum agent_exit agent_store_fail(struct agent *ag, const char *doing);

/* One request with retries (network errors, 408, 429, 5xx; backoff and
 * Retry-After). On HTTP_DONE r holds a non-retryable answer; otherwise
 * ag->msg says why and the exit code is returned in *ax. json NULL: GET. */
bool agent_request(struct agent *ag, const char *path, const char *if_none_match,
                   const char *json, size_t len, struct http_response *r,
                   enum agent_exit *ax);
/* The exit code and alert for an answer the agent does not accept
 * (4xx other than those handled by the caller): parks with an alert. */
enum agent_exit agent_refused(struct agent *ag, const char *what,
                              const struct http_response *r);

/* push.c: sends every waiting event. */
enum agent_exit push_run(struct agent *ag);
/* pull.c: pulls the catalogue, then members. */
enum agent_exit pull_run(struct agent *ag);
/* agent.c: push, pull, and push again what the pull journaled. */
enum agent_exit agent_sync_once(struct agent *ag);
/* daemon.c: runs until SIGTERM. */
enum agent_exit daemon_run(struct agent *ag);
/* status.c */
enum agent_exit status_show(struct agent *ag);
enum agent_exit status_clear_alert(struct agent *ag, const char *id);

#endif
