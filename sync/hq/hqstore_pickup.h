/* The store's side of the members' online orders at HQ (PROTOCOL.md
 * "Online orders"): what a store's terminals pull, the expiry sweep, and
 * what their events change (picked, collected, a web PIN set at the
 * till). The shop's pages and order placement have their own files. */
#ifndef HQSTORE_PICKUP_H
#define HQSTORE_PICKUP_H

#include "hqstore.h"

/* Orders of store placed or ready whose expires_at is before now become
 * expired, all with one new shop_orders version; *n how many (may be
 * NULL). Joins a transaction in progress. */
enum cm_rc hqstore_shop_expire(struct hqstore *st, const char *store, int64_t now, int64_t *n);
/* The store's orders with a version above since, oldest version first,
 * at most max (out->more when there are others); free with
 * proto_shop_orders_free. */
enum cm_rc hqstore_shop_orders_since(struct hqstore *st, const char *store, int64_t since,
                                     size_t max, struct proto_shop_orders *out);

/* One line of a till's picking (event shop_picked). */
struct hq_shop_pick {
	int64_t line;
	char status[16];
	int64_t qty;
	char sku[32];                    /* substituted: the item given */
	int64_t price;
};
/* CM_NOTFOUND (message set) when store has no order id, or the order no
 * line of picks, or a substitute SKU is not in the catalogue: nothing is
 * written then. Else the lines take the picking, the order becomes ready
 * (unless collected already) with picked_total, and a new version. A
 * substitute that costs more than the line it replaces is kept at the
 * lowered price (money_substitute_price; picks' price changed, total
 * less the difference) and CM_CONFLICT says so, the picking written. */
enum cm_rc hqstore_shop_picked(struct hqstore *st, const char *store, const char *id,
                               struct hq_shop_pick *picks, size_t n, int64_t total,
                               int64_t now);
/* The sale (terminal, seq, receipt, due) collected the order: collected,
 * a new version. CM_NOTFOUND when store has no order id. */
enum cm_rc hqstore_shop_collected(struct hqstore *st, const char *store, const char *id,
                                  const char *terminal, int64_t seq, const char *receipt,
                                  int64_t due, int64_t now);
/* Replaces the member's web PIN (an Argon2id string); CM_NOTFOUND when HQ
 * has no such member. */
enum cm_rc hqstore_web_pin_set(struct hqstore *st, const char *member, const char *hash,
                               const char *set_by, int64_t now);

#endif
