/* Stock counts (README "Stock counts and stock reports").
 *
 * A manager (ACT_COUNT_START) starts a count of the whole store, a
 * category or a shelf zone: every item in scope is snapshotted with its
 * level and the movement mark, and sales go on. Counters (ACT_STOCK_COUNT,
 * several at once, each naming the zone they count) scan an item and type
 * what they see; a second entry for the same item adds to the line or
 * replaces it. The counting calls never return the expected quantity.
 * The count lives in the database: it may be paused, the till restarted,
 * and resumed. The review (ACT_COUNT_POST) lists the items that differ,
 * largest value at cost first, and the items expected but never counted
 * separately (posting leaves those alone; recount one to 0 to zero it).
 * Posting is one transaction: a 'count' stock movement for every
 * variance, journaled as "count_posted" (the summary) followed by
 * "stock_counted" events of at most COUNT_EVENT_LINES lines each (HQ folds
 * them into its stock ledger). Abandoning is journaled and moves nothing. */
#ifndef COUNT_H
#define COUNT_H

#include "core/stockcount.h"
#include "engine/till.h"
#include "store/store_stock.h"

/* Lines per "stock_counted" event: keeps one event far below the sync
 * protocol's 4 MiB request limit (a line is about 100 bytes). */
#define COUNT_EVENT_LINES 500

enum count_scope { SCOPE_ALL = 0, SCOPE_CATEGORY, SCOPE_ZONE };
enum count_status { COUNT_OPEN = 0, COUNT_PAUSED, COUNT_POSTED, COUNT_ABANDONED };

struct count_info {
	int64_t id;
	enum count_scope scope;
	char scope_value[48];
	enum count_status status;
	int64_t started_at;
	int64_t started_by;
	int64_t ended_at;        /* 0 while unfinished */
	int64_t journal_seq;     /* the count_posted / count_abandoned event */
	int64_t items;           /* in scope */
	int64_t counted;         /* items counted so far */
};

/* "all", "category", "zone" and back. */
const char *count_scope_name(enum count_scope s);
enum cm_rc count_scope_parse(const char *s, enum count_scope *out);
/* "open", "paused", "posted", "abandoned" (stable, in the database). */
const char *count_status_name(enum count_status s);

/* Starts a count; value names the category or zone ("" for all). Refused
 * (CM_CONFLICT) when an unfinished count already holds one of the items,
 * CM_NOTFOUND when the scope holds no item. Journaled "count_started". */
enum cm_rc count_start(struct till *t, enum count_scope scope, const char *value, int64_t *id);
enum cm_rc count_get(struct till *t, int64_t id, struct count_info *out);
/* The shelf zones a count may take, by name, with their items and
 * whether an unfinished count holds some of them (*out malloc'd, the
 * caller frees it). */
enum cm_rc count_zones(struct till *t, struct zone_rec **out, size_t *n);
/* Counts newest first (unfinished: open and paused only); *out malloc'd,
 * the caller frees it. */
enum cm_rc count_list(struct till *t, bool unfinished, struct count_info **out, size_t *n);

/* Finds what a counter scanned or typed: a barcode, a scale label (by its
 * PLU) or a SKU. The item must be in the count's scope. *so_far: the
 * line's total counted so far (0 and *counted false when not yet): the
 * counter sees their own count, never the expected quantity. */
enum cm_rc count_find(struct till *t, int64_t id, const char *code, struct item_rec *item,
                      cm_qty *so_far, bool *counted);
/* Records an entry of qty (thousandths; weighed items in kg) for item in
 * mode; zone: the zone the counter is counting ("" when the count's own).
 * *total gets the line's new total. Needs ACT_STOCK_COUNT and an open
 * count. */
enum cm_rc count_enter(struct till *t, int64_t id, int64_t item_id, const char *zone,
                       enum count_mode mode, cm_qty qty, cm_qty *total);

/* Pause and resume (ACT_COUNT_START), journaled. */
enum cm_rc count_pause(struct till *t, int64_t id);
enum cm_rc count_resume(struct till *t, int64_t id);

struct count_review {
	struct count_info info;
	struct stock_row *variances;  /* counted, counted != expected; by value */
	size_t nvariances;
	struct stock_row *uncounted;  /* expected != 0, never counted; by value */
	size_t nuncounted;
	cm_money variance_value;      /* sum of the variances at cost */
	cm_money uncounted_value;     /* sum of the uncounted expected at cost */
};
/* The review (ACT_COUNT_POST: it shows expected quantities): live figures
 * while the count runs, the frozen ones once posted. Free with
 * count_review_free. */
enum cm_rc count_review(struct till *t, int64_t id, struct count_review *out);
void count_review_free(struct count_review *r);
/* Replaces a line from the review (ACT_COUNT_POST), kept in its history
 * as a 'recount'. Works on a paused count too. */
enum cm_rc count_recount(struct till *t, int64_t id, int64_t item_id, cm_qty qty);

struct count_post_result {
	int64_t movements;        /* variance lines posted */
	cm_money value;           /* their sum at cost */
	int64_t events;           /* journal events written */
	int64_t first_seq;        /* the count_posted event */
};
/* Posts (ACT_COUNT_POST) an open or paused count; see above. */
enum cm_rc count_post(struct till *t, int64_t id, struct count_post_result *out);
/* Abandons (ACT_COUNT_POST) an open or paused count: journaled, no
 * movement. */
enum cm_rc count_abandon(struct till *t, int64_t id);

#endif
