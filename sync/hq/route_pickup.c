/* GET /v1/shop/orders?since=V: the online orders of the token's store above
 * version V, oldest first (PROTOCOL.md "Online orders"). The store's
 * overdue orders expire first, in the same transaction, so an answer never
 * offers a till an order it must no longer hand out. */
#include "route.h"
#include "hqstore_pickup.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

static bool since_arg(struct req *r, int64_t *since)
{
	const char *arg = req_arg(r, "since");
	char *end;
	*since = 0;
	if (!arg)
		return true;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < 0) {
		req_fail(r, 400, "bad_request", -1, -1, "since must be a whole number of 0 or more");
		return false;
	}
	*since = v;
	return true;
}

void route_shop_orders(struct req *r)
{
	int64_t since;
	if (!since_arg(r, &since))
		return;
	struct proto_shop_orders o;
	enum cm_rc rc = hqstore_begin(r->st);
	if (rc == CM_OK)
		rc = hqstore_shop_expire(r->st, r->term->store, (int64_t)time(NULL), NULL);
	if (rc == CM_OK)
		rc = hqstore_commit(r->st);
	else
		hqstore_rollback(r->st);
	if (rc == CM_OK)
		rc = hqstore_shop_orders_since(r->st, r->term->store, since, PROTO_MAX_SHOP_ORDERS, &o);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	req_reply(r, 200, proto_shop_orders_encode(&o));
	proto_shop_orders_free(&o);
}
