/* Returns, deliveries and stock adjustments in the store database
 * (schema/store/005_returns_receiving.sql).
 *
 * Like the rest of the store layer, functions that write assume the caller
 * holds a transaction; the message for a person is in store_errmsg(). */
#ifndef STORE_RETURNS_H
#define STORE_RETURNS_H

#include "store/store.h"

/* ---- returns ---- */

/* Next return id (return numbers are built from it); in a transaction. */
enum cm_rc store_return_next_id(struct store *st, int64_t *id);
/* Quantity of line line_no of sale sale_id already returned, over every
 * earlier return. */
enum cm_rc store_returned_qty(struct store *st, int64_t sale_id, int32_t line_no, cm_qty *out);
/* Amount already refunded from sale sale_id to tender kind with ref. */
enum cm_rc store_refunded(struct store *st, int64_t sale_id, enum tender_kind kind,
                          const char *ref, cm_money *out);
/* Writes the return with its lines, tax rows, tenders and stock movements
 * ('return' +qty per line; a damaged line also 'damaged' -qty into the
 * bin). CM_CONFLICT when a line would bring back more than was sold (the
 * database refuses it too). Inside a transaction. */
enum cm_rc store_return_insert(struct store *st, const struct return_rec *r,
                               const struct return_line_rec *lines, size_t nlines,
                               const struct tender_rec *tenders, size_t ntenders);
/* Loads a return by id, or by number when return_no is not NULL (arrays
 * malloc'd, the caller frees them). */
enum cm_rc store_return_load(struct store *st, int64_t id, const char *return_no,
                             struct return_rec *r,
                             struct return_line_rec **lines, size_t *nlines,
                             struct tender_rec **tenders, size_t *ntenders);
typedef void (*store_return_fn)(const struct return_rec *r, void *ctx);
/* Returns of sale_id (0: of business dates [from, to]), oldest first. */
enum cm_rc store_return_each(struct store *st, int64_t sale_id, int32_t from, int32_t to,
                             store_return_fn fn, void *ctx);
/* Cash paid out by returns journaled after after_seq and up to upto_seq
 * (0 = no upper bound): what left the drawer, for a shift's expected
 * cash (a shift is a journal range). */
enum cm_rc store_return_cash_between(struct store *st, int64_t after_seq, int64_t upto_seq,
                                     cm_money *out);

/* ---- deliveries ---- */

/* The supplier called name (any case), CM_NOTFOUND when none. */
enum cm_rc store_supplier_find(struct store *st, const char *name, int64_t *id,
                               char *canonical, size_t n);
typedef void (*store_supplier_fn)(int64_t id, const char *name, void *ctx);
enum cm_rc store_supplier_each(struct store *st, store_supplier_fn fn, void *ctx);
/* An open purchase order by number: its id and supplier. */
enum cm_rc store_po_find(struct store *st, const char *po_no, int64_t *id, int64_t *supplier_id);

/* A line of a purchase order, with its item. */
struct po_line_rec {
	int32_t line_no;
	int64_t item_id;
	char sku[32];
	char name[96];
	char unit[9];
	cm_qty qty;             /* ordered, thousandths (pieces or kg) */
	cm_money unit_cost;
};
/* An open purchase order of a supplier, for the person receiving. */
struct po_rec {
	int64_t id;
	char po_no[32];
	int64_t ordered_at;
	int64_t lines;
};
/* The open purchase orders of supplier_id, oldest first (*out malloc'd,
 * the caller frees it). */
enum cm_rc store_po_open(struct store *st, int64_t supplier_id, struct po_rec **out, size_t *n);
/* The lines of purchase order po_id in order (*out malloc'd, the caller
 * frees it). */
enum cm_rc store_po_lines(struct store *st, int64_t po_id, struct po_line_rec **out, size_t *n);

enum cm_rc store_delivery_create(struct store *st, const struct delivery_rec *d, int64_t *id);
/* Appends a line (line_no = last + 1, written back into l). */
enum cm_rc store_delivery_add_line(struct store *st, int64_t id, struct delivery_line_rec *l);
enum cm_rc store_delivery_park(struct store *st, int64_t id, struct parked_rec *p);
/* Loads a delivery with its lines and parked barcodes (arrays malloc'd,
 * caller frees). */
enum cm_rc store_delivery_load(struct store *st, int64_t id, struct delivery_rec *d,
                               struct delivery_line_rec **lines, size_t *nlines,
                               struct parked_rec **parked, size_t *nparked);
typedef void (*store_delivery_fn)(const struct delivery_rec *d, size_t nlines,
                                  size_t nparked, void *ctx);
/* Deliveries, newest first; drafts only when drafts is set. */
enum cm_rc store_delivery_each(struct store *st, bool drafts, store_delivery_fn fn, void *ctx);
/* Marks the draft posted and writes one 'receive' movement per line
 * (ref "D<id>"), at journal_seq. CM_STATE when already posted. */
enum cm_rc store_delivery_post(struct store *st, int64_t id, int64_t user_id, int64_t at,
                               int64_t journal_seq);

/* ---- adjustments ---- */

/* One stock movement of kind ('adjust' or 'damaged') with ref. */
enum cm_rc store_stock_move(struct store *st, int64_t item_id, cm_qty qty, const char *kind,
                            const char *ref, int64_t journal_seq, int64_t at);
/* Quantity in the damaged bin. */
cm_qty store_damaged_level(struct store *st, int64_t item_id);

#endif
