/* Item stock attributes (shelf zone, reorder level, cost price) and the
 * stock reports.
 *
 * Stock information CSV (coopmart import stock-info): a header row naming
 * the columns, in any order: sku (required) and any of zone,
 * reorder_level (a quantity: "24", "2,5" kg), cost (rupiah per piece or
 * per kg: "12500", "12.500"). A column left out keeps the item's current
 * value; an empty cell sets "" / 0. All or nothing: one bad row (unknown
 * SKU, bad number) and nothing is written; every bad row is reported. */
#ifndef STOCK_H
#define STOCK_H

#include "core/stockcount.h"
#include "engine/till.h"
#include "store/store_stock.h"

/* Sets an item's stock information (ACT_MANAGE_CATALOGUE), journaled
 * "stock_info_changed". */
enum cm_rc stock_info_set(struct till *t, const char *sku, const struct stock_info *si);

struct stock_import_report {
	size_t rows;             /* data rows */
	size_t nerrors;
	char (*errors)[160];     /* owned; "line 4: unknown SKU X" */
};
/* Imports a stock information CSV (ACT_MANAGE_CATALOGUE) in one
 * transaction journaled "stock_info_import" with the row count and the
 * file's BLAKE2b hash. CM_INVALID with the errors when any row is bad. */
enum cm_rc stock_info_import(struct till *t, const char *data, size_t len,
                             struct stock_import_report *rep);
void stock_import_report_free(struct stock_import_report *rep);

/* Runs a report, calling fn per row (see store_stock.h for each):
 * REPORT_VARIANCE for count_id (CM_NOTFOUND when no such count),
 * REPORT_SLOW_MOVERS over the last days days (at most limit rows, 0 = all).
 * The caller checks ACT_STOCK_REPORT where a person asks (the till); the
 * CLI reads like `report day` does. */
enum cm_rc stock_report_run(struct till *t, enum stock_report kind, int64_t count_id,
                            int days, int64_t limit, store_row_fn fn, void *ctx);

#endif
