/* POST /v1/alerts: a terminal reports what it found wrong with its own
 * journal (verify failure, fork, older database). HQ keeps the report as
 * an alert naming store, terminal and sequence until an operator
 * acknowledges it (`coopmart-hq alerts ack`); nothing a terminal sends
 * clears one. */
#include "route.h"

#include <stdio.h>
#include <string.h>

void route_alerts(struct req *r)
{
	struct proto_report in;
	char err[256], detail[300];
	if (r->term->operator) {
		req_fail(r, 403, "forbidden", -1, -1, "an operator token does not report alerts");
		return;
	}
	if (proto_report_decode(r->body, r->len, &in, err, sizeof err) != CM_OK) {
		req_fail(r, 400, "bad_request", -1, -1, "%s", err);
		return;
	}
	if (strcmp(in.store, r->term->store) != 0 || strcmp(in.terminal, r->term->terminal) != 0) {
		req_fail(r, 403, "forbidden", -1, -1, "this token belongs to %s/%s, not %s/%s",
		         r->term->store, r->term->terminal, in.store, in.terminal);
		return;
	}
	snprintf(detail, sizeof detail, "the terminal reports at sequence %lld: %s",
	         (long long)in.seq, in.detail);
	enum cm_rc rc = hqstore_alert_seq(r->st, in.store, in.terminal, in.kind, in.seq, detail);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	req_reply(r, 200, strdup("{\"recorded\":true}"));
}
