/* GET /v1/health (no token) and GET /v1/terminal: where HQ is for the
 * token's terminal. */
#include "route.h"

#include <stdio.h>
#include <string.h>

void route_health(struct req *r)
{
	char body[64];
	snprintf(body, sizeof body, "{\"status\":\"ok\",\"protocol\":%d}", PROTO_VERSION);
	req_reply(r, 200, strdup(body));
}

void route_terminal(struct req *r)
{
	struct proto_terminal t = { 0 };
	struct hq_head h;
	enum cm_rc rc = hqstore_head(r->st, r->term, &h);
	if (rc == CM_OK)
		rc = hqstore_version(r->st, HQ_CATALOGUE, &t.catalogue_version);
	if (rc == CM_OK)
		rc = hqstore_version(r->st, HQ_MEMBERS, &t.members_version);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	snprintf(t.store, sizeof t.store, "%s", r->term->store);
	snprintf(t.terminal, sizeof t.terminal, "%s", r->term->terminal);
	t.acked_seq = h.seq;
	if (h.seq > 0)
		chain_hex(h.hash, CHAIN_HASH_LEN, t.head_hash);
	req_reply(r, 200, proto_terminal_encode(&t));
}
