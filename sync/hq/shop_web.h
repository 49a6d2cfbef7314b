/* Inside the members' shop pages: what their files share. shop_web.c
 * routes every path under /shop/<store>/ (language, rate limits, the
 * member's session, CSRF) and draws the frame; shop_browse.c the
 * shelves, item pages and the feed; shop_cart.c the cart and checkout;
 * shop_orders.c a member's orders. They reuse the console's request
 * (struct web: the page buffer, language, answers) but not its sessions:
 * a member is not an operator.
 *
 * Cookies (Secure, HttpOnly, SameSite=Strict, Path=/shop):
 *   cm_shop      32 random bytes as hex; HQ keeps its BLAKE2b-256 hash
 *                (shop_sessions) with the member, the form token, the cart;
 *   cm_shop_pre  the login form's CSRF token, before there is a session;
 *   cm_lang      "en" or "id" once the switch was used. */
#ifndef SHOP_WEB_H
#define SHOP_WEB_H

#include "hqstore_shop.h"
#include "shop_rules.h"
#include "web.h"

struct shop {
	struct web w;                     /* w.csrf: the session's form token */
	char store[32];
	char base[48];                    /* "/shop/<store>" */
	const char *sub;                  /* the path after base: "/", "/item" ... */
	bool front;                       /* no store in the path: /shop itself */
	int stores;                       /* the front page: stores listed */
	bool open;                        /* the store has a shop (settings row) */
	struct shop_settings set;
	bool in;                          /* a member is logged in */
	struct shop_member m;
	uint8_t sess[CHAIN_HASH_LEN];     /* the session's hash */
	int64_t now;
};

/* The frame: head, styles, the store's header (search, cart, orders,
 * log in or out, language; on the front page only the language); then
 * the page, then shop_end. */
void shop_begin(struct shop *s, const char *title);
void shop_end(struct shop *s);
/* A page with a message only (status 400, 403, 404, 429 ...). */
void shop_error(struct shop *s, int status, const char *msg);
/* A storage failure (busy: 503). */
void shop_fail_store(struct shop *s, enum cm_rc rc);
/* <form method=post action=base+path> with the CSRF token. */
void shop_form_open(struct shop *s, const char *path);
/* A 303 to base + path. */
void shop_redirect(struct shop *s, const char *path);
/* A query argument ("" when absent). */
const char *shop_arg(struct shop *s, const char *name);
/* True when s may act for key now (rate limit "what who"); else answers
 * 429 with a message and returns false. */
bool shop_limit(struct shop *s, const char *what, const char *who, int burst, int per_s);
/* s percent-encoded for a URL's query (safe in an attribute too). */
void shop_url(struct html *h, const char *s);
/* The availability of it in words, as a badge. */
void shop_avail_badge(struct shop *s, const struct shop_item *it);

/* ---- pages ---- */

/* /shop: the stores whose shop is open, to choose from. */
void shop_stores_page(struct shop *s);
void shop_home(struct shop *s);
void shop_item_page(struct shop *s);
void shop_feed(struct shop *s);
void shop_cart_page(struct shop *s);
void shop_cart_post(struct shop *s);
void shop_checkout(struct shop *s);
void shop_orders_page(struct shop *s);
void shop_order_page(struct shop *s);
void shop_cancel(struct shop *s);

#endif
