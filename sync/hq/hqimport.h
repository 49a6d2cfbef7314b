/* Imports at HQ: the catalogue (CSV in the till's format, core/itemcsv.h,
 * or JSON: an array of items in the protocol's item shape, "version"
 * optional), a store's own price list (CSV sku,price,member_price), the
 * members, the dues schedule and payroll deductions of dues.
 *
 * Every bad row is reported on `errs` as "FILE: line N: reason" (JSON:
 * "FILE: reason"), in file order. Nothing is imported when a row is bad,
 * unless skip_bad. One import is one transaction and at most one new
 * version: rows that change take it; an import that changes nothing
 * leaves the version alone. */
#ifndef HQIMPORT_H
#define HQIMPORT_H

#include <stdio.h>

#include "hqstore.h"

struct hqimport_opts {
	bool skip_bad;
	bool full;        /* catalogue: items missing from the file are deleted */
	FILE *errs;
};

struct hqimport_result {
	size_t rows;      /* rows read (good and bad) */
	size_t bad;
	size_t changed;
	int64_t deleted;
	int64_t version;  /* the version after the import */
	/* dues-payroll: lines counted, kept uncounted (paid already: alert
	 * dues_duplicate), and identical to a line imported before */
	size_t counted, duplicates, seen;
};

enum cm_rc hqimport_catalogue(struct hqstore *st, const char *path,
                              const struct hqimport_opts *o, struct hqimport_result *res);
enum cm_rc hqimport_prices(struct hqstore *st, const char *store, const char *path,
                           const struct hqimport_opts *o, struct hqimport_result *res);
/* Purchase orders for a store, CSV: po,supplier,date,sku,qty[,cost]; one
 * row a line, an order's rows agreeing on supplier and date; at most
 * PROTO_MAX_ORDERS orders a file; all or nothing. */
enum cm_rc hqimport_orders(struct hqstore *st, const char *store, const char *path,
                           const struct hqimport_opts *o, struct hqimport_result *res);
/* Members, CSV number,name[,card_code,status,type,join_date,left_date,
 * employer,department,employee_no,store] (sync/README.md "Members"). */
enum cm_rc hqimport_members(struct hqstore *st, const char *path,
                            const struct hqimport_opts *o, struct hqimport_result *res);
/* The dues schedule, CSV type,kind,from,amount (kind pokok or wajib, from
 * YYYY-MM); all or nothing. A change takes a new members version for
 * every member. */
enum cm_rc hqimport_dues_rates(struct hqstore *st, const char *path,
                               const struct hqimport_opts *o, struct hqimport_result *res);
/* Payroll deductions, CSV member,kind,period,amount,date, folded by the
 * rule of payments (hqdues_fold); a line identical to one imported before
 * is not counted again. A bad line or an unknown member refuses the file
 * (with skip_bad: that line only). */
enum cm_rc hqimport_dues_payroll(struct hqstore *st, const char *path,
                                 const struct hqimport_opts *o, struct hqimport_result *res);

#endif
