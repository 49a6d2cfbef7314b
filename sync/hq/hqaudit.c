/* Formatting the exceptions audit (hqaudit.h). */
#include "hqaudit.h"
#include "core/i18n.h"

#include <cjson/cJSON.h>

void hqaudit_text(const struct hq_audit *a, int32_t from, int32_t to, FILE *f)
{
	fprintf(f, _("Audit %08d to %08d (! = far above the peers of the store)\n"), from, to);
	for (size_t i = 0; i < a->n; i++) {
		const struct hq_audit_row *r = &a->rows[i];
		fprintf(f, "%s %s  %s %s (%s, user %lld)\n", r->store, r->terminal,
		        r->number[0] ? r->number : "?", r->name[0] ? r->name : _("unknown user"),
		        r->role[0] ? r->role : "?", (long long)r->user_id);
		for (int m = 0; m < AUD_METRICS; m++) {
			if (!r->count[m])
				continue;
			fprintf(f, "  %-24s %5lld  Rp%lld%s\n", hq_audit_metric_names[m],
			        (long long)r->count[m], (long long)r->rupiah[m],
			        (r->flagged & (1u << m)) ? "  !" : "");
		}
	}
	if (!a->n)
		fprintf(f, "%s\n", _("no exceptions in this period"));
}

static cJSON *person(const struct hq_audit_row *r)
{
	cJSON *o = cJSON_CreateObject(), *ms;
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "store", r->store);
	cJSON_AddStringToObject(o, "terminal", r->terminal);
	cJSON_AddNumberToObject(o, "user_id", (double)r->user_id);
	cJSON_AddStringToObject(o, "number", r->number);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "role", r->role);
	if (!(ms = cJSON_AddObjectToObject(o, "metrics")))
		return o;
	for (int m = 0; m < AUD_METRICS; m++) {
		cJSON *x = cJSON_AddObjectToObject(ms, hq_audit_metric_names[m]);
		if (!x)
			continue;
		cJSON_AddNumberToObject(x, "count", (double)r->count[m]);
		cJSON_AddNumberToObject(x, "rupiah", (double)r->rupiah[m]);
		cJSON_AddBoolToObject(x, "flagged", (r->flagged & (1u << m)) != 0);
	}
	return o;
}

char *hqaudit_json(const struct hq_audit *a, int32_t from, int32_t to)
{
	cJSON *root = cJSON_CreateObject(), *rule, *people;
	if (!root)
		return NULL;
	cJSON_AddNumberToObject(root, "from", from);
	cJSON_AddNumberToObject(root, "to", to);
	if ((rule = cJSON_AddObjectToObject(root, "flag_rule"))) {
		cJSON_AddNumberToObject(rule, "min_count", AUDIT_FLAG_MIN);
		cJSON_AddNumberToObject(rule, "times_peer_mean", AUDIT_FLAG_TIMES);
	}
	if ((people = cJSON_AddArrayToObject(root, "people")))
		for (size_t i = 0; i < a->n; i++)
			cJSON_AddItemToArray(people, person(&a->rows[i]));
	char *out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return out;
}
