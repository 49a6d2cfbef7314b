/* GET /v1/report/sales?from=YYYYMMDD&to=YYYYMMDD, for operator tokens:
 * the sales part of `coopmart-hq report --json`, of the operator's own
 * store unless it was enrolled for all stores (enroll --all-stores). */
#include "hqreport.h"
#include "route.h"

#include <stdlib.h>
#include <string.h>

static bool parse_date(const char *s, int32_t *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (strlen(s) != 8 || *end || v < 20000101 || v > 29991231 || v % 100 < 1 ||
	    v % 100 > 31 || v / 100 % 100 < 1 || v / 100 % 100 > 12)
		return false;
	*out = (int32_t)v;
	return true;
}

void route_report_sales(struct req *r)
{
	const char *from = req_arg(r, "from"), *to = req_arg(r, "to");
	int32_t f = 19000101, t = 29991231;
	char *json;
	if (!r->term->operator) {
		req_fail(r, 403, "forbidden", -1, -1, "reports are for operator tokens only");
		return;
	}
	if ((from && !parse_date(from, &f)) || (to && !parse_date(to, &t))) {
		req_fail(r, 400, "bad_request", -1, -1, "from and to must be dates written YYYYMMDD");
		return;
	}
	enum cm_rc rc = hqreport_json(r->st, r->term->all_stores ? NULL : r->term->store, f, t,
	                              REPORT_SALES, &json);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	req_reply(r, 200, json);
}
