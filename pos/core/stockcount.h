/* Stock count arithmetic and the rows of the stock reports: pure
 * functions, no database.
 *
 * A count compares what is on the shelf with what the terminal expects:
 *   expected = snapshot at the start + every movement of the item since
 * (sales during the count make it smaller, deliveries larger). Posting
 * moves each counted item by variance = counted - expected, so that the
 * level afterwards is exactly what was counted. Values at cost follow the
 * line-amount rule of core/money.h: qty * cost / 1000, half away from zero. */
#ifndef STOCKCOUNT_H
#define STOCKCOUNT_H

#include "core/cm.h"

/* The largest quantity a count line may hold (thousandths): 10^9 pieces. */
#define COUNT_QTY_MAX (INT64_C(1000000000) * CM_QTY_ONE)

/* A second entry for an item already counted adds to its line or replaces
 * it; the counter chooses. */
enum count_mode { COUNT_ADD = 0, COUNT_REPLACE = 1 };

/* snapshot + moves[0..n-1]. CM_INVALID on overflow (corrupt data). */
enum cm_rc count_expected(cm_qty snapshot, const cm_qty *moves, size_t n, cm_qty *out);

/* The line's new total after an entry of qty (>= 0) in mode; current is
 * the line's total so far (0 when not counted yet). CM_INVALID when qty is
 * negative or the total would pass COUNT_QTY_MAX. */
enum cm_rc count_apply(enum count_mode mode, cm_qty current, cm_qty qty, cm_qty *out);

/* Parses a counted quantity as typed: like qty_parse (core/money.h) but 0
 * is a valid count ("none on the shelf"); weighed items are typed in kg
 * with up to three decimals ("1,250"), pieces as whole numbers. */
enum cm_rc count_qty_parse(const char *s, bool weighed, cm_qty *out);

/* qty * cost / 1000, half away from zero; saturates instead of overflowing. */
cm_money stock_value(cm_qty qty, cm_money cost);

/* One row of a stock report or of a count's review. Which fields mean what
 * depends on the report (stock_report_line says); the rest are 0. */
struct stock_row {
	int64_t item_id;
	char sku[32];
	char name[96];
	char unit[9];
	bool weighed;
	char category[48];
	char zone[24];
	cm_qty qty;          /* level; in a count: counted */
	cm_qty expected;     /* count: expected; low stock: the reorder level */
	cm_qty variance;     /* count: counted - expected; low stock: short */
	cm_money cost;       /* per piece or kg */
	cm_money value;      /* qty or variance at cost */
	cm_qty sold;         /* slow movers: sold in the period */
	int64_t last_sale;   /* slow movers: unix time, 0 = never sold */
	bool counted;        /* count: the item was counted */
};

/* Sorts review rows: largest absolute value at cost first, then largest
 * absolute variance, then SKU (a stable order for equal rows). */
void stock_rows_sort_by_value(struct stock_row *rows, size_t n);

enum stock_report {
	REPORT_VARIANCE = 0,  /* sku name unit expected counted variance cost value */
	REPORT_STOCK_VALUE,   /* sku name category qty cost value */
	REPORT_LOW_STOCK,     /* sku name zone qty reorder_level short */
	REPORT_SLOW_MOVERS,   /* sku name qty sold last_sale value */
};

/* The header line of a report as CSV (column names, for scripts) or as
 * text (for people; words through gettext). Returns like snprintf. */
size_t stock_report_header(enum stock_report kind, bool csv, char *buf, size_t n);
/* One row. CSV: one row in core/csvout.h's format (';' between fields,
 * quantities "0,75", rupiah as plain integers, dates yyyy-mm-dd in local
 * time, "" for never). Text: fixed columns, quantities and rupiah as
 * core/money.h displays them; the name is cut to fit. No newline at the
 * end. */
size_t stock_report_line(enum stock_report kind, const struct stock_row *r, bool csv,
                         char *buf, size_t n);

#endif
