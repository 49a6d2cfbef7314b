/* The shop's shelves (shop_web.h): the store's page with search,
 * categories and items; an item's page with its schema.org Product in
 * JSON-LD; and the local-inventory feed, feed.tsv. Prices are the
 * store's (store prices first); a logged-in member sees member prices.
 * Availability is HQ's stock of the store less its open orders' lines. */
#include "shop_web.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_ITEMS 24
#define SEARCH_MAX 60

/* ---- the store's page ---- */

static void price(struct shop *s, const struct shop_item *it)
{
	struct html *h = &s->w.h;
	html_raw(h, "<div class=\"price\">");
	html_money(h, s->in ? it->member_price : it->price);
	if (s->in && it->member_price != it->price) {
		html_raw(h, "<span class=\"shelf\">");
		html_money(h, it->price);
		html_raw(h, "</span>");
	}
	html_f(h, " <span class=\"muted\">/ %s</span></div>", it->unit);
	if (!s->in && it->member_price < it->price)
		html_f(h, "<div class=\"muted\">%s</div>", _("Members pay less: log in"));
}

static void add_form(struct shop *s, const struct shop_item *it)
{
	struct html *h = &s->w.h;
	if (!s->in || !s->open || shop_avail_of(it->available) == SHOP_OUT)
		return;
	shop_form_open(s, "/cart");
	html_f(h, "<input type=\"hidden\" name=\"op\" value=\"add\">"
	       "<input type=\"hidden\" name=\"sku\" value=\"%s\">"
	       "<input class=\"qty\" name=\"qty\" value=\"1\" inputmode=\"decimal\" maxlength=\"9\" "
	       "aria-label=\"%s\"> <button type=\"submit\" class=\"add\">%s</button></form>",
	       it->sku, _("Quantity"), _("Add to cart"));
}

static enum cm_rc item_card(const struct shop_item *it, void *ctx)
{
	struct shop *s = ctx;
	struct html *h = &s->w.h;
	html_f(h, "<div class=\"card item\" data-sku=\"%s\"><a href=\"%s/item?sku=", it->sku,
	       s->base);
	shop_url(h, it->sku);
	html_f(h, "\" class=\"name\">%s</a>", it->name);
	price(s, it);
	shop_avail_badge(s, it);
	add_form(s, it);
	html_raw(h, "</div>");
	return CM_OK;
}

static enum cm_rc category_link(const char *category, int64_t items, void *ctx)
{
	struct shop *s = ctx;
	html_f(&s->w.h, "<a href=\"%s/?cat=", s->base);
	shop_url(&s->w.h, category);
	html_f(&s->w.h, "\">%s</a> <span class=\"muted\">(", category);
	html_int(&s->w.h, items);
	html_raw(&s->w.h, ")</span> ");
	return CM_OK;
}

/* Counts the rows of a page query (one more than a page: a next page). */
struct counted {
	struct shop *s;
	int64_t n;
};

static enum cm_rc count_card(const struct shop_item *it, void *ctx)
{
	struct counted *c = ctx;
	if (++c->n > PAGE_ITEMS)
		return CM_OK;
	return item_card(it, c->s);
}

static bool page_arg(struct shop *s, int64_t *page)
{
	const char *p = shop_arg(s, "page");
	char *end;
	long v = *p ? strtol(p, &end, 10) : 0;
	if (*p && (*end || v < 0 || v > 10000))
		return false;
	*page = v;
	return true;
}

static void pager(struct shop *s, const char *q, const char *cat, int64_t page, bool more)
{
	struct html *h = &s->w.h;
	if (!more && page == 0)
		return;
	html_raw(h, "<p>");
	for (int d = -1; d <= 1; d += 2) {
		if ((d < 0 && page == 0) || (d > 0 && !more))
			continue;
		html_f(h, "<a id=\"%s\" href=\"%s/?q=", d < 0 ? "prev" : "next", s->base);
		shop_url(h, q);
		html_raw(h, "&amp;cat=");
		shop_url(h, cat);
		html_raw(h, "&amp;page=");
		html_int(h, page + d);
		html_f(h, "\">%s</a> ", d < 0 ? _("Previous page") : _("Next page"));
	}
	html_raw(h, "</p>");
}

/* One store of the front page's list; *ctx's rows counts them. */
static enum cm_rc store_row(const struct shop_settings *set, void *ctx)
{
	struct shop *s = ctx;
	struct html *h = &s->w.h;
	char slot[64];
	int64_t first;
	html_f(h, "<li class=\"card store\" data-store=\"%s\"><a href=\"/shop/%s/\"><b>%s</b></a>",
	       set->store, set->store, set->store);
	if (shop_slots(set, s->now, &first, 1) == 1) {
		shop_slot_text(set, first, first + set->slot_min * 60, slot, sizeof slot);
		html_f(h, "<br><span class=\"muted\">%s %s</span>", _("Order now, pick up from"), slot);
	}
	html_raw(h, "</li>");
	s->stores++;
	return CM_OK;
}

void shop_stores_page(struct shop *s)
{
	struct html *h = &s->w.h;
	shop_begin(s, _("Choose your store"));
	html_f(h, "<p>%s</p>", _("Order from your store's shelves at member prices and pick the "
	                         "order up at its counter."));
	html_raw(h, "<ul class=\"stores\" id=\"stores\">");
	enum cm_rc rc = hqstore_shop_stores(s->w.st, store_row, s);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	html_raw(h, "</ul>");
	if (!s->stores)
		html_f(h, "<p class=\"msg\" id=\"none\">%s</p>", _("No store has an online shop yet."));
	shop_end(s);
	web_send(&s->w, 200);
}

void shop_home(struct shop *s)
{
	const char *q = shop_arg(s, "q"), *cat = shop_arg(s, "cat");
	int64_t page;
	if (!shop_text_ok(q, SEARCH_MAX) || !shop_text_ok(cat, 63) || !page_arg(s, &page)) {
		shop_error(s, 400, _("The search must be text of at most 60 characters."));
		return;
	}
	struct html *h = &s->w.h;
	shop_begin(s, *q ? _("Search") : *cat ? cat : _("Online shop"));
	if (s->open) {
		char slot[64];
		int64_t first;
		if (shop_slots(&s->set, s->now, &first, 1) == 1) {
			shop_slot_text(&s->set, first, first + s->set.slot_min * 60, slot, sizeof slot);
			html_f(h, "<p class=\"muted\">%s %s</p>", _("Order now, pick up from"), slot);
		}
	}
	html_raw(h, "<nav class=\"cats\" id=\"categories\">");
	html_f(h, "<a href=\"%s/\">%s</a> ", s->base, _("All"));
	enum cm_rc rc = hqstore_shop_categories(s->w.st, category_link, s);
	html_raw(h, "</nav>");
	if (*q)
		html_f(h, "<p id=\"searched\">%s <b>%s</b></p>", _("Names starting with"), q);
	html_raw(h, "<div class=\"items\" id=\"items\">");
	struct counted c = { s, 0 };
	if (rc == CM_OK)
		rc = hqstore_shop_items(s->w.st, s->store, q, cat, page * PAGE_ITEMS, PAGE_ITEMS + 1,
		                        count_card, &c);
	html_raw(h, "</div>");
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	if (c.n == 0)
		html_f(h, "<p class=\"msg\" id=\"none\">%s</p>", _("Nothing found."));
	pager(s, q, cat, page, c.n > PAGE_ITEMS);
	shop_end(s);
	web_send(&s->w, 200);
}

/* ---- an item's page ---- */

static const char *schema_availability(enum shop_avail a)
{
	return a == SHOP_IN_STOCK ? "https://schema.org/InStock"
	       : a == SHOP_LIMITED ? "https://schema.org/LimitedAvailability"
	                           : "https://schema.org/OutOfStock";
}

/* The Product as JSON-LD: the price the page shows. '<' is written as
 * \u003c so that no name can close the script element. */
static bool json_ld(struct shop *s, const struct shop_item *it)
{
	cJSON *p = cJSON_CreateObject(), *o = cJSON_CreateObject(), *seller = cJSON_CreateObject();
	char price[32];
	snprintf(price, sizeof price, "%lld", (long long)(s->in ? it->member_price : it->price));
	cJSON_AddStringToObject(p, "@context", "https://schema.org");
	cJSON_AddStringToObject(p, "@type", "Product");
	cJSON_AddStringToObject(p, "name", it->name);
	cJSON_AddStringToObject(p, "sku", it->sku);
	if (strlen(it->gtin) == 13)
		cJSON_AddStringToObject(p, "gtin13", it->gtin);
	if (it->category[0])
		cJSON_AddStringToObject(p, "category", it->category);
	cJSON_AddStringToObject(o, "@type", "Offer");
	cJSON_AddStringToObject(o, "price", price);
	cJSON_AddStringToObject(o, "priceCurrency", "IDR");
	cJSON_AddStringToObject(o, "availability", schema_availability(shop_avail_of(it->available)));
	cJSON_AddStringToObject(seller, "@type", "Organization");
	cJSON_AddStringToObject(seller, "name", s->store);
	cJSON_AddItemToObject(o, "seller", seller);
	cJSON_AddItemToObject(p, "offers", o);
	char *text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	if (!text)
		return false;
	html_raw(&s->w.h, "<script type=\"application/ld+json\" id=\"product-ld\">");
	for (char *a = text, *b; *a; a = b) {
		b = a + strcspn(a, "<>&");
		char c = *b;
		*b = '\0';
		html_raw(&s->w.h, a);
		if (c)
			html_raw(&s->w.h, c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : "\\u0026");
		b += c != '\0';
	}
	html_raw(&s->w.h, "</script>");
	free(text);
	return true;
}

void shop_item_page(struct shop *s)
{
	const char *sku = shop_arg(s, "sku");
	struct shop_item it;
	enum cm_rc rc = shop_text_ok(sku, 63) && *sku
	                ? hqstore_shop_item(s->w.st, s->store, sku, &it) : CM_NOTFOUND;
	if (rc == CM_NOTFOUND) {
		shop_error(s, 404, _("There is no such item in this shop."));
		return;
	}
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	struct html *h = &s->w.h;
	shop_begin(s, it.name);
	if (!json_ld(s, &it))
		h->oom = true;
	html_raw(h, "<div class=\"card\" id=\"item\">");
	price(s, &it);
	shop_avail_badge(s, &it);
	html_f(h, "<p class=\"muted\">%s: %s", _("Item code"), it.sku);
	if (it.gtin[0])
		html_f(h, " &middot; %s: <span id=\"gtin\">%s</span>", _("Barcode"), it.gtin);
	if (it.category[0])
		html_f(h, " &middot; %s: %s", _("Category"), it.category);
	html_raw(h, "</p>");
	add_form(s, &it);
	if (!s->in)
		html_f(h, "<p><a href=\"%s/login\">%s</a></p>", s->base, _("Log in to order"));
	html_raw(h, "</div>");
	shop_end(s);
	web_send(&s->w, 200);
}

/* ---- the local-inventory feed ---- */

/* A field of the feed: tabs and line ends would break a row. */
static void tsv_field(struct html *h, const char *v)
{
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, "\t\r\n");
		char part[128];
		while (n) {
			size_t k = n < sizeof part - 1 ? n : sizeof part - 1;
			memcpy(part, p, k);
			part[k] = '\0';
			html_raw(h, part);
			p += k;
			n -= k;
		}
		if (*p) {
			html_raw(h, " ");
			p++;
		}
	}
}

static enum cm_rc feed_row(const struct shop_item *it, void *ctx)
{
	static const char *const words[] = { "in_stock", "limited_availability", "out_of_stock" };
	struct shop *s = ctx;
	struct html *h = &s->w.h;
	tsv_field(h, s->store);
	html_raw(h, "\t");
	tsv_field(h, it->sku);
	html_raw(h, "\t");
	tsv_field(h, it->gtin);
	html_raw(h, "\t");
	html_int(h, it->price);
	html_raw(h, "\t");
	html_int(h, it->available / CM_QTY_ONE);
	html_raw(h, "\t");
	html_raw(h, words[shop_avail_of(it->available)]);
	html_raw(h, "\n");
	return h->oom ? CM_NOMEM : CM_OK;
}

void shop_feed(struct shop *s)
{
	if (!s->open) {
		shop_error(s, 404, _("This store's online shop is closed."));
		return;
	}
	struct html *h = &s->w.h;
	html_raw(h, "store_code\tid\tgtin\tprice\tquantity\tavailability\n");
	enum cm_rc rc = hqstore_shop_items(s->w.st, s->store, "", "", 0, -1, feed_row, s);
	if (rc != CM_OK) {
		free(h->buf);
		*h = (struct html){ 0 };
		shop_fail_store(s, rc);
		return;
	}
	if (h->oom) {
		req_fail(s->w.r, 500, "server_error", -1, -1, "out of memory building the feed");
		return;
	}
	req_set_header(s->w.r, "X-Content-Type-Options", "nosniff");
	req_reply_typed(s->w.r, 200, "text/tab-separated-values; charset=utf-8", h->buf);
	*h = (struct html){ 0 };
}
