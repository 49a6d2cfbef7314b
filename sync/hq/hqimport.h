/* Imports at HQ: the catalogue (CSV in the till's format, core/itemcsv.h,
 * or JSON: an array of items in the protocol's item shape, "version"
 * optional), a store's own price list (CSV sku,price,member_price) and the
 * members (CSV number,name,card_code,status).
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
enum cm_rc hqimport_members(struct hqstore *st, const char *path,
                            const struct hqimport_opts *o, struct hqimport_result *res);

#endif
