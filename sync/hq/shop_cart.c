/* The cart and checkout (shop_web.h).
 *
 * The cart lives at HQ with the member's session (shop_sessions.cart),
 * not in the browser: the pages work without JavaScript, a cookie could
 * not hold 40 lines, and what the member sees on a second device or after
 * a reload is the same. Its text: the store's code on the first line,
 * then "SKU<TAB>QTY" per line (qty in thousandths). A cart of another
 * store reads as empty here. Nothing in it is trusted: every line is
 * checked again when it is put and at checkout.
 *
 * Checkout renders a random client key into the form; placing the order
 * with a key the member used already returns that order (hqstore_shop.c),
 * so a retried or doubled submit makes one order. */
#include "shop_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORDER_BURST 30                  /* cart changes and checkouts per member */
#define ORDER_PER_S 10
#define SLOTS_SHOWN 200

struct cart {
	size_t n;
	struct { char sku[64]; int64_t qty; } l[SHOP_MAX_LINES];
};

static void cart_parse(const char *text, const char *store, struct cart *c)
{
	c->n = 0;
	size_t k = strcspn(text, "\n");
	if (k != strlen(store) || strncmp(text, store, k) != 0 || !text[k])
		return;
	for (const char *p = text + k + 1; *p && c->n < SHOP_MAX_LINES;) {
		size_t len = strcspn(p, "\n"), tab = strcspn(p, "\t");
		if (tab < len && tab > 0 && tab < sizeof c->l[0].sku) {
			memcpy(c->l[c->n].sku, p, tab);
			c->l[c->n].sku[tab] = '\0';
			c->l[c->n].qty = strtoll(p + tab + 1, NULL, 10);
			if (c->l[c->n].qty > 0)
				c->n++;
		}
		p += len + (p[len] == '\n');
	}
}

static enum cm_rc cart_load(struct shop *s, struct cart *c)
{
	char text[SHOP_CART_MAX];
	enum cm_rc rc = hqstore_shop_cart_get(s->w.st, s->sess, text, sizeof text);
	cart_parse(rc == CM_OK ? text : "", s->store, c);
	return rc;
}

static enum cm_rc cart_save(struct shop *s, const struct cart *c)
{
	char text[SHOP_CART_MAX];
	size_t w = (size_t)snprintf(text, sizeof text, "%s\n", s->store);
	for (size_t i = 0; i < c->n && w < sizeof text; i++)
		w += (size_t)snprintf(text + w, sizeof text - w, "%s\t%lld\n", c->l[i].sku,
		                      (long long)c->l[i].qty);
	return hqstore_shop_cart_put(s->w.st, s->sess, c->n ? text : "");
}

/* ---- the cart's page ---- */

static void line_row(struct shop *s, const struct shop_item *it, int64_t qty, int64_t *total)
{
	struct html *h = &s->w.h;
	char q[32];
	int64_t amount = shop_line_amount(qty, it->member_price);
	*total += amount;
	html_f(h, "<tr data-sku=\"%s\"><td>%s<br>", it->sku, it->name);
	shop_avail_badge(s, it);
	html_raw(h, "</td><td>");
	shop_form_open(s, "/cart");
	html_f(h, "<input type=\"hidden\" name=\"op\" value=\"set\"><input type=\"hidden\" "
	       "name=\"sku\" value=\"%s\"><input class=\"qty\" name=\"qty\" value=\"%s\" "
	       "inputmode=\"decimal\" maxlength=\"9\" aria-label=\"%s\"> <button type=\"submit\">"
	       "%s</button></form></td><td class=\"n\">", it->sku, shop_qty_text(qty, q, sizeof q),
	       _("Quantity"), _("Update"));
	html_money(h, it->member_price);
	html_raw(h, "</td><td class=\"n\">");
	html_money(h, amount);
	html_raw(h, "</td><td>");
	shop_form_open(s, "/cart");
	html_f(h, "<input type=\"hidden\" name=\"op\" value=\"set\"><input type=\"hidden\" "
	       "name=\"sku\" value=\"%s\"><input type=\"hidden\" name=\"qty\" value=\"0\">"
	       "<button type=\"submit\">%s</button></form></td></tr>", it->sku, _("Remove"));
}

static void checkout_form(struct shop *s)
{
	struct html *h = &s->w.h;
	int64_t slots[SLOTS_SHOWN];
	char key[65], text[64];
	size_t n = s->open ? shop_slots(&s->set, s->now, slots, SLOTS_SHOWN) : 0;
	if (!s->open)
		return;
	if (n == 0 || auth_random_hex(key) != CM_OK) {
		html_f(h, "<p class=\"msg\">%s</p>", _("No pickup time can be chosen now."));
		return;
	}
	shop_form_open(s, "/checkout");
	html_f(h, "<input type=\"hidden\" name=\"client_key\" value=\"%s\">"
	       "<p><label for=\"slot\">%s</label> <select name=\"slot\" id=\"slot\">", key,
	       _("Pick up at"));
	for (size_t i = 0; i < n; i++) {
		shop_slot_text(&s->set, slots[i], slots[i] + s->set.slot_min * 60, text, sizeof text);
		html_raw(h, "<option value=\"");
		html_int(h, slots[i]);
		html_f(h, "\">%s</option>", text);
	}
	html_f(h, "</select></p><p class=\"muted\">%s</p><p><button type=\"submit\" id=\"place\">"
	       "%s</button></p></form>",
	       _("You pay at the store's counter when you pick the order up (cash, debit, QRIS "
	         "or member credit)."), _("Place the order"));
}

static void cart_render(struct shop *s, const struct cart *c, const char *msg, int status)
{
	struct html *h = &s->w.h;
	free(h->buf);
	*h = (struct html){ 0 };
	shop_begin(s, _("Cart"));
	if (msg)
		html_f(h, "<p class=\"msg err\" id=\"msg\">%s</p>", msg);
	if (c->n == 0) {
		html_f(h, "<p class=\"msg\" id=\"empty\">%s</p>", _("The cart is empty."));
		shop_end(s);
		web_send(&s->w, status);
		return;
	}
	html_f(h, "<div class=\"scroll\"><table id=\"cart\"><tr><th>%s</th><th>%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">%s</th><th></th></tr>", _("Item"),
	       _("Quantity"), _("Member price"), _("Amount"));
	int64_t total = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct shop_item it;
		enum cm_rc rc = hqstore_shop_item(s->w.st, s->store, c->l[i].sku, &it);
		if (rc == CM_OK)
			line_row(s, &it, c->l[i].qty, &total);
		else if (rc == CM_NOTFOUND)
			html_f(h, "<tr><td colspan=\"5\">%s: %s</td></tr>", c->l[i].sku,
			       _("not sold any more"));
		else {
			shop_fail_store(s, rc);
			return;
		}
	}
	html_f(h, "<tr><th colspan=\"3\">%s</th><th class=\"n\" id=\"total\">", _("Total"));
	html_money(h, total);
	html_raw(h, "</th><th></th></tr></table></div>");
	checkout_form(s);
	shop_end(s);
	web_send(&s->w, status);
}

void shop_cart_page(struct shop *s)
{
	struct cart c;
	enum cm_rc rc = cart_load(s, &c);
	if (rc != CM_OK)
		shop_fail_store(s, rc);
	else
		cart_render(s, &c, NULL, 200);
}

/* ---- changing the cart ---- */

static void refuse(struct shop *s, const struct cart *c, enum shop_why why, const char *sku,
                   int64_t n)
{
	struct shop_verdict v = { .why = why, .n = n };
	char msg[300];
	snprintf(v.sku, sizeof v.sku, "%s", sku);
	shop_verdict_text(&v, msg, sizeof msg);
	cart_render(s, c, msg, why == SHOP_NO_ITEM ? 404 : 400);
}

/* The line's new quantity checked against the item and the shop. */
static bool line_ok(struct shop *s, const struct cart *c, const struct shop_item *it,
                    int64_t qty)
{
	if (!s->open)
		refuse(s, c, SHOP_CLOSED, it->sku, 0);
	else if (qty <= 0 || (!it->weighed && qty % CM_QTY_ONE))
		refuse(s, c, SHOP_BAD_QTY, it->sku, 0);
	else if (qty > s->set.max_line_qty)
		refuse(s, c, SHOP_LINE_LIMIT, it->sku, s->set.max_line_qty);
	else if (qty > it->available)
		refuse(s, c, SHOP_NOT_AVAILABLE, it->sku, it->available);
	else
		return true;
	return false;
}

/* Puts qty (add: more of it) of it into c; false when refused (answered). */
static bool cart_change(struct shop *s, struct cart *c, const struct shop_item *it, bool add,
                        int64_t qty)
{
	size_t i = 0;
	while (i < c->n && strcmp(c->l[i].sku, it->sku) != 0)
		i++;
	int64_t now = i < c->n ? c->l[i].qty : 0, want = add ? now + qty : qty;
	if (!add && qty == 0) {
		if (i < c->n)
			memmove(&c->l[i], &c->l[i + 1], (c->n - i - 1) * sizeof c->l[0]);
		c->n -= i < c->n;
		return true;
	}
	if ((add && qty <= 0) || !line_ok(s, c, it, want)) {
		if (add && qty <= 0)
			refuse(s, c, SHOP_BAD_QTY, it->sku, 0);
		return false;
	}
	if (i == c->n && c->n == SHOP_MAX_LINES) {
		refuse(s, c, SHOP_TOO_MANY_LINES, it->sku, SHOP_MAX_LINES);
		return false;
	}
	if (i == c->n)
		snprintf(c->l[c->n++].sku, sizeof c->l[0].sku, "%s", it->sku);
	c->l[i].qty = want;
	return true;
}

void shop_cart_post(struct shop *s)
{
	char op[8] = "", sku[64] = "", qtext[16] = "";
	int64_t qty = 0;
	struct cart c;
	struct shop_item it;
	if (!shop_limit(s, "order member", s->m.number, ORDER_BURST, ORDER_PER_S))
		return;
	enum cm_rc rc = cart_load(s, &c);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	form_field(s->w.body, s->w.len, "op", op, sizeof op);
	bool add = strcmp(op, "add") == 0;
	if ((!add && strcmp(op, "set") != 0) ||
	    !form_field(s->w.body, s->w.len, "sku", sku, sizeof sku) || !shop_text_ok(sku, 63) ||
	    !form_field(s->w.body, s->w.len, "qty", qtext, sizeof qtext) ||
	    !shop_qty_parse(qtext, &qty)) {
		cart_render(s, &c, _("The quantity must be a number such as 1, 2 or 0,5 (at most "
		                     "999999)."), 400);
		return;
	}
	rc = hqstore_shop_item(s->w.st, s->store, sku, &it);
	if (rc == CM_NOTFOUND) {
		refuse(s, &c, SHOP_NO_ITEM, sku, 0);
		return;
	}
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	if (!cart_change(s, &c, &it, add, qty))
		return;
	if ((rc = cart_save(s, &c)) != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	shop_redirect(s, "/cart");
}

/* ---- checkout ---- */

static bool checkout_fields(struct shop *s, char key[65], int64_t *slot)
{
	char text[24];
	char *end;
	if (!form_field(s->w.body, s->w.len, "client_key", key, 65) || strlen(key) != 64 ||
	    strspn(key, "0123456789abcdef") != 64 ||
	    !form_field(s->w.body, s->w.len, "slot", text, sizeof text))
		return false;
	*slot = strtoll(text, &end, 10);
	return *text && !*end;
}

void shop_checkout(struct shop *s)
{
	char key[65];
	struct cart c;
	struct shop_request rq = { .store = s->store, .member = s->m.number, .client_key = key };
	if (!shop_limit(s, "order member", s->m.number, ORDER_BURST, ORDER_PER_S))
		return;
	enum cm_rc rc = cart_load(s, &c);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	if (!checkout_fields(s, key, &rq.slot_start)) {
		cart_render(s, &c, _("The order form is incomplete: open the cart again."), 400);
		return;
	}
	for (size_t i = 0; i < c.n; i++) {
		snprintf(rq.lines[i].sku, sizeof rq.lines[i].sku, "%s", c.l[i].sku);
		rq.lines[i].qty = c.l[i].qty;
	}
	rq.nlines = c.n;
	struct shop_order *o = malloc(sizeof *o);
	struct shop_verdict v;
	bool again = false;
	if (!o) {
		shop_fail_store(s, CM_NOMEM);
		return;
	}
	rc = hqstore_shop_place(s->w.st, &rq, s->now, o, &again, &v);
	if (rc != CM_OK && v.why != SHOP_FINE) {
		char msg[300];
		shop_verdict_text(&v, msg, sizeof msg);
		cart_render(s, &c, msg, 409);
	} else if (rc != CM_OK) {
		shop_fail_store(s, rc);
	} else {
		if (!again) {
			web_audit(&s->w, s->m.number, "shop_order", "%s %s total %lld", o->id, s->store,
			          (long long)o->total);
			c.n = 0;
			rc = cart_save(s, &c);
		}
		char to[64];
		snprintf(to, sizeof to, "/order?id=%s", o->id);
		if (rc == CM_OK)
			shop_redirect(s, to);
		else
			shop_fail_store(s, rc);
	}
	free(o);
}
