/* The members' online store in HQ's database (hqstore_shop.c): a store's
 * shop settings, the shelves as the shop shows them (prices, HQ's stock
 * less open orders), members' web PINs and shop sessions, and placing,
 * listing and cancelling online orders (sync/PROTOCOL.md "Online
 * orders"; schema/hq/sqlite/011_shop.sql). Same conventions as hqstore.h. */
#ifndef HQSTORE_SHOP_H
#define HQSTORE_SHOP_H

#include "hqstore.h"

/* A store's shop (shop_settings); times in minutes after local midnight,
 * tz_min the store's offset from UTC in minutes. */
struct shop_settings {
	char store[32];
	int64_t tz_min, open_min, close_min, slot_min, cutoff_min, expire_min;
	int64_t max_open_orders, max_line_qty;    /* max_line_qty in thousandths */
};
/* The defaults of a new row (the migration's; shop_rules.c). */
void shop_settings_default(struct shop_settings *s, const char *store);
/* CM_NOTFOUND (message: the shop is closed) when the store has no row. */
enum cm_rc hqstore_shop_settings_get(struct hqstore *st, const char *store,
                                     struct shop_settings *out);
/* Upserts; CM_NOTFOUND when HQ does not know the store. */
enum cm_rc hqstore_shop_settings_put(struct hqstore *st, const struct shop_settings *s);
/* Closes the store's shop (its row goes; orders stay). */
enum cm_rc hqstore_shop_settings_delete(struct hqstore *st, const char *store);
/* Each store whose shop is open (it has a row), by code; stops at the
 * first result of fn that is not CM_OK and returns it. */
typedef enum cm_rc (*shop_store_fn)(const struct shop_settings *s, void *ctx);
enum cm_rc hqstore_shop_stores(struct hqstore *st, shop_store_fn fn, void *ctx);

/* ---- the shelves ---- */

/* Availability from the quantity a store can still promise (thousandths):
 * above 5 pieces, 1 to 5, none (shop_rules.c). */
enum shop_avail { SHOP_IN_STOCK, SHOP_LIMITED, SHOP_OUT };
enum shop_avail shop_avail_of(int64_t available);

struct shop_item {
	char sku[64], name[128], unit[16], category[64], gtin[16];
	bool weighed;
	int64_t price, member_price;      /* the store's, rupiah per piece or kg */
	int64_t stock;                    /* HQ's stock of the store, thousandths */
	int64_t reserved;                 /* its open orders' lines */
	int64_t available;                /* stock - reserved, never below 0 */
};
typedef enum cm_rc (*shop_item_fn)(const struct shop_item *it, void *ctx);
/* The store's live, active items whose name (or a word of it) or SKU
 * starts with search ("" all) and, when category is not "", of that
 * category; by name, from offset, at most limit (limit < 0: all). */
enum cm_rc hqstore_shop_items(struct hqstore *st, const char *store, const char *search,
                              const char *category, int64_t offset, int64_t limit,
                              shop_item_fn fn, void *ctx);
/* One item; CM_NOTFOUND when not live and active. */
enum cm_rc hqstore_shop_item(struct hqstore *st, const char *store, const char *sku,
                             struct shop_item *out);
/* The categories of live, active items, by name. */
typedef enum cm_rc (*shop_category_fn)(const char *category, int64_t items, void *ctx);
enum cm_rc hqstore_shop_categories(struct hqstore *st, shop_category_fn fn, void *ctx);

/* ---- members: web PINs and sessions ---- */

struct shop_member {
	char number[24], name[128], status[16];   /* status: active, left, blocked */
	char pinhash[128];                        /* "" when no web PIN is set */
	int64_t failed, locked_until;
};
/* CM_NOTFOUND when HQ has no such (undeleted) member. */
enum cm_rc hqstore_shop_member(struct hqstore *st, const char *number, struct shop_member *out);
/* Sets the member's web PIN (Argon2id text) and clears its lockout. */
enum cm_rc hqstore_web_pin_put(struct hqstore *st, const char *member, const char *pinhash,
                               const char *set_by);
enum cm_rc hqstore_web_pin_failures(struct hqstore *st, const char *member, int64_t failed,
                                    int64_t locked_until);
enum cm_rc hqstore_shop_session_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                    const char *member, const char *csrf, int64_t expires_at);
/* The session's member (only while active: a member who left or was
 * blocked loses it) and form token; CM_NOTFOUND when none. */
enum cm_rc hqstore_shop_session_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                    int64_t now, struct shop_member *m, char csrf[65]);
enum cm_rc hqstore_shop_session_delete(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN]);
/* The session's cart as text (shop_cart.c's format), into buf. */
#define SHOP_CART_MAX 4096
enum cm_rc hqstore_shop_cart_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                 char *buf, size_t n);
enum cm_rc hqstore_shop_cart_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                 const char *cart);

/* ---- orders ---- */

#define SHOP_MAX_LINES 40

struct shop_line {
	int64_t line;
	char sku[64], name[128], unit[16];
	int64_t qty, price;               /* thousandths; rupiah per piece or kg */
	char pick_status[16];             /* "" until picked */
	int64_t picked_qty;
	char sub_sku[64], sub_name[128];
};
struct shop_order {
	char id[16], store[32], member[24], status[16];
	int64_t slot_start, slot_end, expires_at, placed_at, updated_at, version;
	int64_t total, picked_total;      /* picked_total -1 until picked */
	int64_t collected_total, collected_at;   /* -1 / 0 until collected */
	char sale_receipt[32];
	size_t nlines;
	struct shop_line lines[SHOP_MAX_LINES];
};
/* What a member asks for: the lines' sku and qty only (prices are HQ's). */
struct shop_request {
	const char *store, *member, *client_key;
	int64_t slot_start;
	size_t nlines;
	struct { char sku[64]; int64_t qty; } lines[SHOP_MAX_LINES];
};
struct shop_verdict;
/* Places the order, or finds the one the member's client_key placed
 * already (*again true; a retried submit never makes two). A refusal
 * returns CM_STATE (the shop closed, too many open orders, the slot's
 * cut-off past), CM_DENIED (the member is not active), CM_NOTFOUND (an
 * item not sold) or CM_INVALID (no lines, too many, a bad quantity, a
 * line above the store's limit or above what is available), and *v says
 * which (shop_rules.h, for the member's words). out: the order stored. */
enum cm_rc hqstore_shop_place(struct hqstore *st, const struct shop_request *rq, int64_t now,
                              struct shop_order *out, bool *again, struct shop_verdict *v);
/* The member's order id (with its lines); CM_NOTFOUND when there is no
 * such order of that member (another member's order is not found). */
enum cm_rc hqstore_shop_order(struct hqstore *st, const char *member, const char *id,
                              struct shop_order *out);
/* The member's orders, newest first, at most limit (lines not read). */
typedef enum cm_rc (*shop_order_fn)(const struct shop_order *o, void *ctx);
enum cm_rc hqstore_shop_orders(struct hqstore *st, const char *member, int64_t limit,
                               shop_order_fn fn, void *ctx);
/* The member cancels an order not yet picked: CM_NOTFOUND (not theirs),
 * CM_STATE (picked, collected, expired or cancelled already). */
enum cm_rc hqstore_shop_cancel(struct hqstore *st, const char *member, const char *id,
                               int64_t now);
/* Open orders (placed or ready, not past expires_at) of the member. */
enum cm_rc hqstore_shop_open_count(struct hqstore *st, const char *member, int64_t now,
                                   int64_t *n);

#endif
