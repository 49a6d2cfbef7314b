/* Online orders of the members' shop at the till (schema/store/
 * 019_shop_orders.sql, sync/PROTOCOL.md "Online orders"): pulled from HQ
 * by the agent, picked and collected here.
 *
 * Like the rest of the store layer the message for a person is in
 * store_errmsg(); functions that write say whether they run their own
 * transaction. Arrays of lines are malloc'd: shop_order_free frees them. */
#ifndef STORE_SHOP_H
#define STORE_SHOP_H

#include "store/store.h"

#define SHOP_MAX_LINES 100

struct shop_line_rec {
	int64_t line;
	char sku[32];
	char gtin[16];
	char name[80];
	char zone[24];               /* the item's shelf zone here, "" = none */
	int64_t qty;                 /* thousandths, as ordered */
	int64_t price;               /* member price as ordered, per piece or kg */
	char pick_status[16];        /* "" until picked; picked, short, substituted */
	int64_t picked_qty;
	char sub_sku[32];            /* substituted: the item given instead */
	int64_t sub_price;           /* its member price */
};

struct shop_order_rec {
	char id[24];                 /* "OL-000123" */
	char status[16];             /* placed ready collected expired cancelled */
	char member_no[24];
	char member_name[64];
	int64_t placed_at, slot_start, slot_end, expires_at;
	int64_t total;
	int64_t picked_total;        /* when has_picked */
	bool has_picked;
	int64_t version;
	struct shop_line_rec *lines;
	size_t nlines;
};

void shop_order_free(struct shop_order_rec *o);

struct shop_pull_result {
	int64_t added;               /* orders new to this terminal */
	int64_t updated;             /* orders HQ changed */
	int64_t kept;                /* HQ's older view: this terminal's picking or
	                              * collection stands */
};

/* In one transaction, journaled ("shop_orders_pulled"): takes the orders
 * by id (the rule in the migration's comment) and upto as the shop
 * version. */
enum cm_rc store_shop_pull_apply(struct store *st, const struct shop_order_rec *o, size_t n,
                                 int64_t upto, int64_t now, struct shop_pull_result *out);
enum cm_rc store_shop_version(struct store *st, int64_t *out);

/* Orders to show at the till: placed and ready ones, and those of the
 * last day in any state, by slot; heads only (no lines). *out malloc'd. */
enum cm_rc store_shop_list(struct store *st, int64_t now, struct shop_order_rec **out,
                           size_t *n);
/* One order with its lines (shelf zones filled in). CM_NOTFOUND when this
 * terminal has no order id. */
enum cm_rc store_shop_get(struct store *st, const char *id, struct shop_order_rec *out);

/* Inside the caller's transaction: records the picking of o (its lines'
 * pick_status, picked_qty, sub_sku, sub_price and o->picked_total); the
 * order becomes ready. CM_STATE when it is not placed any more. */
enum cm_rc store_shop_picked(struct store *st, const struct shop_order_rec *o);
/* *found: an open ticket other than except (a held one, say) collects
 * order id already. */
enum cm_rc store_shop_on_ticket(struct store *st, const char *id, int64_t except, bool *found);
/* Inside the caller's transaction: the sale collected order id. CM_STATE
 * when the order is not ready. */
enum cm_rc store_shop_collected(struct store *st, const char *id, int64_t sale_id);

#endif
