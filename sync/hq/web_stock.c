/* A store's stock as HQ folds it (the opening snapshot, when the store
 * sent one, plus every terminal's movements since), with search and a
 * low-stock filter, and the variances the store's counts posted. */
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS_MAX 500
#define COUNTS_MAX 100

struct picker {
	struct html *h;
	const char *current;
};

static enum cm_rc store_option(const char *store, const char *coop, void *ctx)
{
	struct picker *p = ctx;
	(void)coop;
	html_f(p->h, "<option%s>%s</option>", strcmp(store, p->current) == 0 ? " selected" : "",
	       store);
	return CM_OK;
}

static enum cm_rc stock_row(const struct hq_stock_row *s, void *ctx)
{
	struct html *h = ctx;
	html_f(h, "<tr><td>%s</td><td>%s</td><td class=\"n%s\">", s->sku, s->name,
	       s->qty < 0 ? " down" : "");
	html_qty(h, s->qty);
	html_raw(h, "</td></tr>");
	return CM_OK;
}

static enum cm_rc count_row(const struct hq_stock_row *s, void *ctx)
{
	struct html *h = ctx;
	html_raw(h, "<tr><td>");
	html_time(h, s->at);
	html_f(h, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n%s\">", s->terminal, s->sku,
	       s->name, s->qty < 0 ? " down" : " up");
	if (s->qty > 0)
		html_raw(h, "+");
	html_qty(h, s->qty);
	html_raw(h, "</td></tr>");
	return CM_OK;
}

static enum cm_rc search_form(struct web *w, const char *store, const char *q, const char *low)
{
	struct html *h = &w->h;
	struct picker p = { h, store };
	html_f(h, "<form method=\"get\" action=\"/web/stock\" class=\"noprint\"><label>%s "
	       "<select name=\"store\">", _("Store"));
	enum cm_rc rc = hqstore_stores_each(w->st, &w->scope, store_option, &p);
	html_f(h, "</select></label> <label>%s <input name=\"q\" value=\"%s\"></label> "
	       "<label>%s <input name=\"low\" type=\"number\" min=\"0\" value=\"%s\"></label> "
	       "<button type=\"submit\">%s</button></form>", _("Search"), q, _("At most (pieces)"),
	       low, _("Show"));
	return rc;
}

static enum cm_rc as_of(struct web *w, const char *store)
{
	int64_t at;
	enum cm_rc rc = hqstore_stock_opening_at(w->st, store, &at);
	if (rc != CM_OK)
		return rc;
	html_f(&w->h, "<p id=\"as-of\">%s ", _("Stock as of"));
	html_time(&w->h, (int64_t)time(NULL));
	if (at) {
		html_f(&w->h, ", %s ", _("counted from the store's opening stock of"));
		html_time(&w->h, at);
		html_raw(&w->h, "</p>");
	} else {
		html_f(&w->h, ". <span class=\"muted\">%s</span></p>",
		       _("The store sent no opening stock (it had no snapshot): this is every "
		         "movement its terminals journaled."));
	}
	return CM_OK;
}

static enum cm_rc tables(struct web *w, const char *store, const char *q, int64_t max_qty)
{
	struct html *h = &w->h;
	enum cm_rc rc = as_of(w, store);
	if (rc != CM_OK)
		return rc;
	html_f(h, "<div class=\"scroll\"><table id=\"stock\"><tr><th>SKU</th><th>%s</th>"
	       "<th class=\"n\">%s</th></tr>", _("Name"), _("Stock"));
	rc = hqstore_stock_search(w->st, store, q, max_qty, ROWS_MAX, stock_row, h);
	if (rc != CM_OK)
		return rc;
	html_f(h, "</table></div><h2>%s</h2><div class=\"scroll\"><table id=\"counts\"><tr>"
	       "<th>%s</th><th>%s</th><th>SKU</th><th>%s</th><th class=\"n\">%s</th></tr>",
	       _("Variances posted by stock counts"), _("When"), _("Terminal"), _("Name"),
	       _("Variance"));
	rc = hqstore_count_variances(w->st, store, COUNTS_MAX, count_row, h);
	html_raw(h, "</table></div>");
	return rc;
}

void web_stock(struct web *w)
{
	const char *store = web_store_arg(w, NULL);
	if (!store)
		return;  /* refused, answered */
	const char *q = web_arg(w, "q"), *low = web_arg(w, "low");
	int64_t max_qty = INT64_MAX;
	if (*low) {
		char *end;
		long long n = strtoll(low, &end, 10);
		if (*end || n < 0 || n > 1000000000) {
			web_error(w, 400, _("The low-stock limit is a whole number of pieces."));
			return;
		}
		max_qty = n * 1000;
	}
	web_begin(w, _("Stock"));
	enum cm_rc rc = search_form(w, store, q, low);
	if (rc == CM_OK && *store)
		rc = tables(w, store, q, max_qty);
	else if (rc == CM_OK)
		html_f(&w->h, "<p>%s</p>", _("Choose a store."));
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	web_end(w);
	web_send(w, 200);
}
