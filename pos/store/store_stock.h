/* Stock counts, item stock attributes (zone, reorder level, cost) and the
 * stock reports: the SQL side (schema/store/007_stock_counts.sql). Same
 * conventions as store.h: writes run inside the caller's transaction,
 * messages in store_errmsg(). */
#ifndef STORE_STOCK_H
#define STORE_STOCK_H

#include "store/store.h"
#include "core/stockcount.h"

/* ---- item stock attributes ---- */

struct stock_info {
	char zone[24];          /* shelf zone, "" = none */
	cm_qty reorder_level;   /* thousandths, 0 = none */
	cm_money cost;          /* per piece or kg, 0 = unknown */
};
/* Zero values (and CM_OK) for an item that has none. */
enum cm_rc store_stock_info_get(struct store *st, int64_t item_id, struct stock_info *out);
enum cm_rc store_stock_info_set(struct store *st, int64_t item_id, const struct stock_info *si,
                                int64_t now);

/* Sets an item's stock snapshot (the store's level as of as_of, as HQ
 * would send it; the demo store uses it). */
enum cm_rc store_stock_snapshot_put(struct store *st, int64_t item_id, cm_qty qty, int64_t as_of);
/* Journals the store's opening stock for HQ ("stock_opening" events,
 * store_opening.c) unless the journal has it already (*added says).
 * Runs its own transaction. */
enum cm_rc store_stock_opening(struct store *st, int64_t now, bool *added);

/* ---- counts ---- */

struct store_count {
	int64_t id;
	char scope[12];          /* "all", "category", "zone" */
	char scope_value[48];
	char status[12];         /* "open", "paused", "posted", "abandoned" */
	int64_t started_at;
	int64_t started_by;
	int64_t mark;            /* stock_movements.id high-water mark at start */
	int64_t ended_at;        /* 0 while unfinished */
	int64_t ended_by;
	int64_t journal_seq;     /* posting or abandoning event, 0 = none */
	int64_t items;           /* items in scope (the snapshot) */
	int64_t counted;         /* items counted */
};

/* Creates an open count and its snapshot of every item in scope (active
 * items, and inactive ones that still have stock): their level now and
 * the current movement mark. *id gets the count; CM_NOTFOUND (nothing
 * written but the rolled-back caller's transaction) when the scope holds
 * no item. */
/* A shelf zone and how many items it holds. */
struct zone_rec {
	char zone[24];
	int64_t items;
	bool counting;          /* an unfinished count holds some of its items */
};
/* The zones named in item_stock_info, by name (*out malloc'd, the caller
 * frees it). */
enum cm_rc store_stock_zones(struct store *st, struct zone_rec **out, size_t *n);

enum cm_rc store_count_create(struct store *st, const char *scope, const char *value,
                              int64_t now, int64_t user_id, int64_t *id);
/* Another unfinished count that shares an item with count id: *other gets
 * its id, 0 when none. */
enum cm_rc store_count_overlap(struct store *st, int64_t id, int64_t *other);
enum cm_rc store_count_get(struct store *st, int64_t id, struct store_count *out);
typedef void (*store_count_fn)(const struct store_count *c, void *ctx);
/* Newest first; unfinished: open and paused only. */
enum cm_rc store_count_each(struct store *st, bool unfinished, store_count_fn fn, void *ctx);
/* Changes status; ended/journal_seq are recorded for posted/abandoned. */
enum cm_rc store_count_set_status(struct store *st, int64_t id, const char *status,
                                  int64_t now, int64_t user_id, int64_t journal_seq);

/* Is the item in the count's snapshot? */
enum cm_rc store_count_has_item(struct store *st, int64_t id, int64_t item_id, bool *in);
/* The item's counted total so far; *counted false when never counted. */
enum cm_rc store_count_line_get(struct store *st, int64_t id, int64_t item_id,
                                cm_qty *qty, bool *counted);
/* Sets the line's total and appends the entry to its history. mode:
 * "add", "replace" or "recount"; entered: what was typed. */
enum cm_rc store_count_line_put(struct store *st, int64_t id, int64_t item_id, cm_qty total,
                                const char *mode, cm_qty entered, int64_t user_id,
                                const char *zone, int64_t now);

/* The count's review rows, one call of fn per item that differs: counted
 * with counted != expected (row->counted true), and expected but never
 * counted (expected != 0, row->counted false). Rows carry expected,
 * counted (qty), variance, cost and value at cost; ordered by item id.
 * For a posted count the figures frozen when it was posted. fn returning
 * anything but CM_OK stops the walk with that code. */
typedef enum cm_rc (*store_row_fn)(const struct stock_row *r, void *ctx);
enum cm_rc store_count_variance(struct store *st, int64_t id, store_row_fn fn, void *ctx);
/* Freezes expected (snapshot + movements since the mark) and counted
 * (NULL when never counted) for every item of the count; the posting
 * transaction does it first, then walks store_count_variance. */
enum cm_rc store_count_freeze(struct store *st, int64_t id);
/* A stock movement of kind 'count' (ref "COUNT-id") for the posting. */
enum cm_rc store_count_movement(struct store *st, int64_t id, int64_t item_id, cm_qty qty,
                                int64_t journal_seq, int64_t now);

/* ---- reports; fn is called per row ---- */

/* Every item with stock (level != 0): level, cost and value at cost;
 * ordered by category, then SKU. */
enum cm_rc store_stock_value(struct store *st, store_row_fn fn, void *ctx);
/* Active items with a reorder level whose level is below it: qty the
 * level, expected the reorder level, variance the shortfall; biggest
 * shortfall relative to the level first. */
enum cm_rc store_low_stock(struct store *st, store_row_fn fn, void *ctx);
/* Active items in stock (level > 0), fewest sold since `since` first
 * (never-sold and longest-unsold before the others), at most limit rows:
 * qty the level, sold in the period, last_sale, value of the stock. */
enum cm_rc store_slow_movers(struct store *st, int64_t since, int64_t limit,
                             store_row_fn fn, void *ctx);

#endif
