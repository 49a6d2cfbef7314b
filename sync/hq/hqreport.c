/* The HQ report as JSON (cJSON) or text; figures from hqstore. */
#include "hqreport.h"
#include "core/money.h"

#include <cjson/cJSON.h>
#include <string.h>
#include <time.h>

static void put_int(cJSON *o, const char *name, int64_t v)
{
	cJSON_AddNumberToObject(o, name, (double)v);
}

static enum cm_rc day_json(const struct hq_day *d, void *ctx)
{
	cJSON *arr = ctx, *o = cJSON_CreateObject();
	if (!o)
		return CM_NOMEM;
	cJSON_AddItemToArray(arr, o);
	cJSON_AddStringToObject(o, "store", d->store);
	put_int(o, "date", d->date);
	put_int(o, "count", d->count);
	put_int(o, "total", d->total);
	put_int(o, "rounding", d->rounding);
	put_int(o, "due", d->due);
	cJSON *ppn = cJSON_AddObjectToObject(o, "ppn");
	for (int c = 0; ppn && c < TAX_CLASS_COUNT; c++) {
		cJSON *k = cJSON_AddObjectToObject(ppn, tax_class_name((enum tax_class)c));
		if (k) {
			put_int(k, "total", d->class_total[c]);
			put_int(k, "tax", d->class_tax[c]);
		}
	}
	cJSON *t = cJSON_AddObjectToObject(o, "tenders");
	for (int i = 0; t && i < HQ_TENDER_KINDS; i++)
		put_int(t, hq_tender_kinds[i], d->tender[i]);
	/* Members' dues paid with the sales: savings, in the tenders, not in
	 * the sales (due = total + dues + rounding). */
	int64_t dues = d->due - d->total - d->rounding;
	put_int(o, "dues", dues);
	put_int(o, "returns", d->returns);
	put_int(o, "refunds", d->refunds);
	put_int(o, "net", d->due - dues - d->refunds);
	cJSON *rt = cJSON_AddObjectToObject(o, "refund_tenders");
	for (int i = 0; rt && i < HQ_TENDER_KINDS; i++)
		put_int(rt, hq_tender_kinds[i], d->refund_tender[i]);
	return CM_OK;
}

static enum cm_rc stock_json(const char *store, const char *sku, int64_t qty, void *ctx)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return CM_NOMEM;
	cJSON_AddItemToArray(ctx, o);
	cJSON_AddStringToObject(o, "store", store);
	cJSON_AddStringToObject(o, "sku", sku);
	put_int(o, "qty", qty);
	return CM_OK;
}

static enum cm_rc alert_json(const struct hq_alert *a, void *ctx)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return CM_NOMEM;
	cJSON_AddItemToArray(ctx, o);
	put_int(o, "id", a->id);
	put_int(o, "at", a->at);
	cJSON_AddStringToObject(o, "store", a->store);
	cJSON_AddStringToObject(o, "terminal", a->terminal);
	cJSON_AddStringToObject(o, "kind", a->kind);
	cJSON_AddStringToObject(o, "detail", a->detail);
	put_int(o, "count", a->count);
	put_int(o, "last_at", a->last_at);
	cJSON_AddStringToObject(o, "last_detail", a->last_detail);
	put_int(o, "seq", a->seq);
	put_int(o, "acked_at", a->acked_at);
	cJSON_AddStringToObject(o, "acked_by", a->acked_by);
	cJSON_AddStringToObject(o, "ack_note", a->ack_note);
	return CM_OK;
}

enum cm_rc hqreport_json(struct hqstore *st, const char *store, int32_t from, int32_t to,
                         int parts, char **out)
{
	enum cm_rc rc = CM_NOMEM;
	*out = NULL;
	cJSON *root = cJSON_CreateObject(), *a;
	if (!root)
		return CM_NOMEM;
	put_int(root, "from", from);
	put_int(root, "to", to);
	rc = CM_OK;
	if ((parts & REPORT_SALES) && rc == CM_OK)
		rc = (a = cJSON_AddArrayToObject(root, "days"))
		             ? hqstore_sales_days(st, store, from, to, day_json, a) : CM_NOMEM;
	if ((parts & REPORT_STOCK) && rc == CM_OK)
		rc = (a = cJSON_AddArrayToObject(root, "stock"))
		             ? hqstore_stock_each(st, store, stock_json, a) : CM_NOMEM;
	if ((parts & REPORT_ALERTS) && rc == CM_OK)
		rc = (a = cJSON_AddArrayToObject(root, "alerts"))
		             ? hqstore_alerts_each(st, store, alert_json, a) : CM_NOMEM;
	if (rc == CM_OK && !(*out = cJSON_PrintUnformatted(root)))
		rc = CM_NOMEM;
	cJSON_Delete(root);
	return rc;
}

static enum cm_rc day_text(const struct hq_day *d, void *ctx)
{
	FILE *f = ctx;
	fprintf(f, _("%-12s %08d  sales %lld  total %lld  rounding %lld  due %lld\n"), d->store,
	        d->date, (long long)d->count, (long long)d->total, (long long)d->rounding,
	        (long long)d->due);
	fprintf(f, "  PPN");
	for (int c = 0; c < TAX_CLASS_COUNT; c++)
		fprintf(f, _("  %s %lld (tax %lld)"), tax_class_name((enum tax_class)c),
		        (long long)d->class_total[c], (long long)d->class_tax[c]);
	fprintf(f, "\n  %s", _("tenders"));
	for (int i = 0; i < HQ_TENDER_KINDS; i++)
		fprintf(f, "  %s %lld", hq_tender_kinds[i], (long long)d->tender[i]);
	int64_t dues = d->due - d->total - d->rounding;
	if (dues)
		fprintf(f, _("\n  members' dues %lld (savings: in the tenders, not in the sales)"),
		        (long long)dues);
	fprintf(f, _("\n  returns %lld  refunds %lld  net %lld  refunded"),
	        (long long)d->returns, (long long)d->refunds, (long long)(d->due - dues - d->refunds));
	for (int i = 0; i < HQ_TENDER_KINDS; i++)
		fprintf(f, "  %s %lld", hq_tender_kinds[i], (long long)d->refund_tender[i]);
	fprintf(f, "\n");
	return CM_OK;
}

static enum cm_rc stock_text(const char *store, const char *sku, int64_t qty, void *ctx)
{
	char q[40];
	qty_format(qty, q, sizeof q);
	fprintf(ctx, "%-12s %-24s %s\n", store, sku, q);
	return CM_OK;
}

static void utc(int64_t at, char when[32])
{
	struct tm tm;
	time_t t = (time_t)at;
	gmtime_r(&t, &tm);
	strftime(when, 32, "%Y-%m-%d %H:%M:%SZ", &tm);
}

static enum cm_rc alert_text(const struct hq_alert *a, void *ctx)
{
	struct { FILE *f; size_t n; } *c = ctx;
	char when[32];
	utc(a->at, when);
	fprintf(c->f, "%lld %s %s/%s %s: %s\n", (long long)a->id, when, a->store, a->terminal,
	        a->kind, a->detail);
	if (a->count > 1) {
		utc(a->last_at, when);
		fprintf(c->f, _("    raised %lld times, last %s: %s\n"), (long long)a->count, when,
		        a->last_detail);
	}
	if (a->acked_at) {
		utc(a->acked_at, when);
		fprintf(c->f, _("    acknowledged by %s at %s%s%s\n"), a->acked_by, when,
		        a->ack_note[0] ? ": " : "", a->ack_note);
	}
	c->n++;
	return CM_OK;
}

enum cm_rc hqreport_alerts(struct hqstore *st, FILE *f, bool all, size_t *count)
{
	struct { FILE *f; size_t n; } c = { f, 0 };
	enum cm_rc rc = all ? hqstore_alerts_each(st, NULL, alert_text, &c)
	                    : hqstore_alerts_open_each(st, NULL, alert_text, &c);
	*count = c.n;
	return rc;
}

enum cm_rc hqreport_text(struct hqstore *st, int32_t from, int32_t to, int parts, FILE *f)
{
	enum cm_rc rc = CM_OK;
	size_t n;
	if (parts & REPORT_SALES) {
		fprintf(f, _("Sales %08d to %08d\n"), from, to);
		rc = hqstore_sales_days(st, NULL, from, to, day_text, f);
	}
	if ((parts & REPORT_STOCK) && rc == CM_OK) {
		fprintf(f, "\n%s\n", _("Stock"));
		rc = hqstore_stock_each(st, NULL, stock_text, f);
	}
	if ((parts & REPORT_ALERTS) && rc == CM_OK) {
		fprintf(f, "\n%s\n", _("Alerts"));
		rc = hqreport_alerts(st, f, true, &n);
	}
	return rc;
}
