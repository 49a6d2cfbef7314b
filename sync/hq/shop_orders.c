/* A member's orders (shop_web.h): the list, one order with its lines,
 * the picking once the store picked it, its number as text and as a
 * Code 128 barcode for the cashier's scanner, and cancelling before the
 * store picks. Only the member's own orders are found: another member's
 * order id is "not found", never "not yours". The status columns are
 * written by the till's events (fold.c); these pages only read them. */
#include "shop_code128.h"
#include "shop_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORDERS_SHOWN 50

/* What the member reads: an open order past expires_at has expired even
 * before HQ's sweep marks it. */
static const char *status_word(const struct shop_order *o, int64_t now)
{
	bool open = strcmp(o->status, "placed") == 0 || strcmp(o->status, "ready") == 0;
	if (strcmp(o->status, "expired") == 0 || (open && now >= o->expires_at))
		return _("expired");
	if (strcmp(o->status, "cancelled") == 0)
		return _("cancelled");
	if (strcmp(o->status, "collected") == 0)
		return _("collected");
	if (strcmp(o->status, "ready") == 0)
		return _("ready for pickup");
	return _("ordered");
}

static bool id_ok(const char *id)
{
	size_t n = strlen(id);
	return n >= 9 && n < 16 && strncmp(id, "OL-", 3) == 0 && strspn(id + 3, "0123456789") == n - 3;
}

/* The settings that place the order's times: its store's (the page's),
 * or the defaults when that shop has closed since. */
static void order_slot(struct shop *s, const struct shop_order *o, char *buf, size_t n)
{
	struct shop_settings set;
	if (s->open)
		set = s->set;
	else
		shop_settings_default(&set, s->store);
	shop_slot_text(&set, o->slot_start, o->slot_end, buf, n);
}

/* ---- the list ---- */

static enum cm_rc order_row(const struct shop_order *o, void *ctx)
{
	struct shop *s = ctx;
	struct html *h = &s->w.h;
	char slot[64];
	order_slot(s, o, slot, sizeof slot);
	html_f(h, "<tr><td><a href=\"/shop/%s/order?id=%s\" class=\"order\">%s</a></td>"
	       "<td>%s</td><td>%s</td><td class=\"status\">%s</td><td class=\"n\">", o->store,
	       o->id, o->id, o->store, slot, status_word(o, s->now));
	html_money(h, o->collected_total >= 0 ? o->collected_total : o->total);
	html_raw(h, "</td></tr>");
	return CM_OK;
}

void shop_orders_page(struct shop *s)
{
	struct html *h = &s->w.h;
	shop_begin(s, _("My orders"));
	html_f(h, "<div class=\"scroll\"><table id=\"orders\"><tr><th>%s</th><th>%s</th><th>%s</th>"
	       "<th>%s</th><th class=\"n\">%s</th></tr>", _("Order"), _("Store"), _("Pick up at"),
	       _("Status"), _("Total"));
	enum cm_rc rc = hqstore_shop_orders(s->w.st, s->m.number, ORDERS_SHOWN, order_row, s);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	html_raw(h, "</table></div>");
	shop_end(s);
	web_send(&s->w, 200);
}

/* ---- one order ---- */

static void pick_cell(struct shop *s, const struct shop_line *l)
{
	struct html *h = &s->w.h;
	char q[32];
	if (!l->pick_status[0]) {
		html_raw(h, "<td></td>");
		return;
	}
	shop_qty_text(l->picked_qty, q, sizeof q);
	if (strcmp(l->pick_status, "substituted") == 0)
		html_f(h, "<td class=\"pick sub\">%s: %s &times; %s</td>", _("replaced by"),
		       q, l->sub_name[0] ? l->sub_name : l->sub_sku);
	else if (strcmp(l->pick_status, "short") == 0)
		html_f(h, "<td class=\"pick short\">%s: %s</td>", _("short, found"), q);
	else
		html_f(h, "<td class=\"pick ok\">%s: %s</td>", _("picked"), q);
}

static void lines_table(struct shop *s, const struct shop_order *o)
{
	struct html *h = &s->w.h;
	char q[32];
	bool picked = o->picked_total >= 0;
	html_f(h, "<div class=\"scroll\"><table id=\"lines\"><tr><th>%s</th><th class=\"n\">%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">%s</th>%s%s%s</tr>", _("Item"),
	       _("Quantity"), _("Member price"), _("Amount"), picked ? "<th>" : "",
	       picked ? _("Picked") : "", picked ? "</th>" : "");
	for (size_t i = 0; i < o->nlines; i++) {
		const struct shop_line *l = &o->lines[i];
		html_f(h, "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">",
		       l->name[0] ? l->name : l->sku, shop_qty_text(l->qty, q, sizeof q));
		html_money(h, l->price);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, shop_line_amount(l->qty, l->price));
		html_raw(h, "</td>");
		if (picked)
			pick_cell(s, l);
		html_raw(h, "</tr>");
	}
	html_f(h, "<tr><th colspan=\"3\">%s</th><th class=\"n\" id=\"total\">", _("Total ordered"));
	html_money(h, o->total);
	html_f(h, "</th>%s</tr></table></div>", picked ? "<th></th>" : "");
}

static void totals(struct shop *s, const struct shop_order *o)
{
	struct html *h = &s->w.h;
	if (o->picked_total >= 0) {
		html_f(h, "<p>%s: <b id=\"picked-total\">", _("Total of what was picked"));
		html_money(h, o->picked_total);
		html_raw(h, "</b></p>");
	}
	if (o->collected_total >= 0) {
		html_f(h, "<p>%s: <b id=\"collected-total\">", _("Paid at the counter"));
		html_money(h, o->collected_total);
		html_raw(h, "</b>");
		if (o->sale_receipt[0])
			html_f(h, " <span class=\"muted\">(%s %s)</span>", _("receipt"), o->sale_receipt);
		html_raw(h, "</p>");
	}
}

static void order_body(struct shop *s, const struct shop_order *o)
{
	struct html *h = &s->w.h;
	char slot[64];
	order_slot(s, o, slot, sizeof slot);
	html_f(h, "<div class=\"card\"><p>%s: <b id=\"status\" data-status=\"%s\">%s</b></p>"
	       "<p>%s: <b id=\"slot\">%s</b> &middot; %s</p>", _("Status"), o->status,
	       status_word(o, s->now), _("Pick up at"), slot, s->store);
	html_f(h, "<p>%s</p><p class=\"code\" id=\"order-id\">%s</p>",
	       _("Show this at the counter; the cashier scans it or types the number:"), o->id);
	code128_svg(h, o->id, 2, 64);
	html_raw(h, "</div>");
	lines_table(s, o);
	totals(s, o);
	if (strcmp(o->status, "placed") == 0 && s->now < o->expires_at) {
		shop_form_open(s, "/cancel");
		html_f(h, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\" "
		       "id=\"cancel\">%s</button></form>", o->id, _("Cancel the order"));
	}
}

void shop_order_page(struct shop *s)
{
	const char *id = shop_arg(s, "id");
	struct shop_order *o = malloc(sizeof *o);
	if (!o) {
		shop_fail_store(s, CM_NOMEM);
		return;
	}
	enum cm_rc rc = id_ok(id) ? hqstore_shop_order(s->w.st, s->m.number, id, o) : CM_NOTFOUND;
	if (rc == CM_OK && strcmp(o->store, s->store) != 0) {
		char to[80];
		snprintf(to, sizeof to, "/shop/%s/order?id=%s", o->store, o->id);
		web_redirect(&s->w, to);
	} else if (rc == CM_NOTFOUND) {
		shop_error(s, 404, _("There is no such order."));
	} else if (rc != CM_OK) {
		shop_fail_store(s, rc);
	} else {
		char title[64];
		snprintf(title, sizeof title, _("Order %s"), o->id);
		shop_begin(s, title);
		order_body(s, o);
		shop_end(s);
		web_send(&s->w, 200);
	}
	free(o);
}

void shop_cancel(struct shop *s)
{
	char id[16] = "", to[48];
	if (!form_field(s->w.body, s->w.len, "id", id, sizeof id) || !id_ok(id)) {
		shop_error(s, 404, _("There is no such order."));
		return;
	}
	enum cm_rc rc = hqstore_shop_cancel(s->w.st, s->m.number, id, s->now);
	if (rc == CM_NOTFOUND) {
		shop_error(s, 404, _("There is no such order."));
	} else if (rc == CM_STATE) {
		shop_error(s, 409, _("This order cannot be cancelled any more: the store is picking "
		                     "it, or it is over."));
	} else if (rc != CM_OK) {
		shop_fail_store(s, rc);
	} else {
		web_audit(&s->w, s->m.number, "shop_order_cancelled", "%s", id);
		snprintf(to, sizeof to, "/order?id=%s", id);
		shop_redirect(s, to);
	}
}
