/* The receipt check (hqcheck.h). */
#include "hqcheck.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

const char *hqcheck_result_name(enum hqcheck_result r)
{
	static const char *const names[] = { "match", "not_synced", "differs", "unknown" };
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}

char *hqcheck_json(const struct hqcheck *c)
{
	cJSON *o = cJSON_CreateObject();
	char date[16];
	char *out = NULL;
	if (!o || !cJSON_AddStringToObject(o, "result", hqcheck_result_name(c->result)))
		goto out;
	if (c->result == HQCHECK_MATCH) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", c->date / 10000, c->date / 100 % 100,
		         c->date % 100);
		if (!cJSON_AddStringToObject(o, "date", date) ||
		    !cJSON_AddNumberToObject(o, "due", (double)c->due))
			goto out;
	}
	out = cJSON_PrintUnformatted(o);
out:
	cJSON_Delete(o);
	return out;
}

/* What does not agree, for the alert ("" when all does). Only a sale or a
 * return has a receipt: any other event at that sequence differs. */
static void mismatch(const struct checkcode *c, const struct hq_receipt *h, char *why, size_t n)
{
	char hex[2 * CHAIN_HASH_LEN + 1];
	chain_hex(h->hash, CHAIN_HASH_LEN, hex);
	why[0] = '\0';
	if (strcmp(h->type, "sale") != 0 && strcmp(h->type, "return") != 0)
		snprintf(why, n, "HQ holds a %s event there, not a sale or a return", h->type);
	else if (!h->in_ledger)
		snprintf(why, n, "HQ could not fold that %s event into its ledger", h->type);
	else if (strncmp(hex, c->hash, CHECKCODE_HASH_HEX) != 0)
		snprintf(why, n, "hash %s, HQ holds %.16s", c->hash, hex);
	else if (strcmp(h->receipt, c->receipt) != 0)
		snprintf(why, n, "receipt %s, HQ holds %s", c->receipt, h->receipt);
	else if (h->due != c->due)
		snprintf(why, n, "amount %lld, HQ holds %lld", (long long)c->due, (long long)h->due);
}

enum cm_rc hqcheck_run(struct hqstore *st, const struct checkcode *c, struct hqcheck *out)
{
	struct hq_receipt h;
	char why[200], detail[300];
	memset(out, 0, sizeof *out);
	enum cm_rc rc = hqstore_receipt_get(st, c->store, c->terminal, c->seq, &h);
	if (rc == CM_NOTFOUND) {
		out->result = HQCHECK_UNKNOWN;
		return CM_OK;
	}
	if (rc != CM_OK)
		return rc;
	if (!h.held) {
		out->result = HQCHECK_NOT_SYNCED;
		return CM_OK;
	}
	mismatch(c, &h, why, sizeof why);
	if (!why[0]) {
		out->result = HQCHECK_MATCH;
		out->date = h.date;
		out->due = h.due;
		return CM_OK;
	}
	out->result = HQCHECK_DIFFERS;
	snprintf(detail, sizeof detail, "receipt check: %s/%s sequence %lld: %s", c->store,
	         c->terminal, (long long)c->seq, why);
	return hqstore_alert_seq(st, c->store, c->terminal, "receipt_mismatch", c->seq, detail);
}
