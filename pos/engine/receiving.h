/* Receiving deliveries, and stock adjustments.
 *
 * A delivery starts as a draft for one supplier (and optionally a purchase
 * order HQ sent for that supplier). Lines are added by scanning or typing
 * a barcode or SKU with a quantity and a unit cost; a barcode the
 * catalogue does not know is parked with the delivery for HQ, never made
 * up as a local item. The draft is saved as it changes and survives a
 * restart. Posting writes one 'receive' stock movement per line and
 * journals "stock_received" (lines, costs, parked barcodes) in one durable
 * transaction; a posted delivery never changes. ACT_RECEIVE. */
#ifndef RECEIVING_H
#define RECEIVING_H

#include "engine/auth.h"
#include "store/store_returns.h"

/* The open purchase orders HQ sent for the supplier called name, oldest
 * first, to offer when a delivery starts (*out malloc'd, the caller frees
 * it). */
enum cm_rc receive_open_orders(struct till *t, const char *supplier, struct po_rec **out,
                               size_t *n);
enum cm_rc receive_start(struct till *t, const char *supplier, const char *po_no,
                         const char *note, int64_t *id);
/* Adds a line. CM_NOTFOUND (with a message saying to park it) when code
 * is not in the catalogue. unit_cost is per piece (or per kg). */
enum cm_rc receive_add(struct till *t, int64_t id, const char *code, cm_qty qty,
                       cm_money unit_cost);
enum cm_rc receive_park(struct till *t, int64_t id, const char *barcode,
                        const char *description, cm_qty qty, cm_money unit_cost);
/* Posts the draft; *seq gets the journal sequence (may be NULL). */
enum cm_rc receive_post(struct till *t, int64_t id, int64_t *seq);

/* A delivery with its lines and parked barcodes. */
struct delivery {
	struct delivery_rec d;
	struct delivery_line_rec *lines;   /* owned */
	size_t nlines;
	struct parked_rec *parked;         /* owned */
	size_t nparked;
	cm_money cost;                     /* sum of qty x unit cost of the lines */
	/* Against a purchase order (d.po_id): its lines, and for each what
	 * this delivery brings of its item so far. */
	struct po_line_rec *order;         /* owned */
	cm_qty *received;                  /* owned, parallel to order */
	size_t norder;
};

/* How a delivery stands against its purchase order: lines ordered and
 * not yet delivered in full, lines over what was ordered, delivery lines
 * whose item is not on the order. All 0 without an order. */
struct order_gaps {
	size_t short_lines, over_lines, not_ordered;
};
void receive_order_gaps(const struct delivery *d, struct order_gaps *out);
/* Before receive_add on a delivery against a purchase order: CM_CONFLICT
 * with a message (till_errmsg) saying so when qty of code is not on the
 * order or brings more than was ordered of it; the cashier confirms and
 * receive_add then takes it. CM_OK otherwise (no order, within it, or a
 * code receive_add will report on). */
enum cm_rc receive_check_order(struct till *t, int64_t id, const char *code, cm_qty qty);
enum cm_rc receive_load(struct till *t, int64_t id, struct delivery *out);
void receive_free(struct delivery *d);

#endif
