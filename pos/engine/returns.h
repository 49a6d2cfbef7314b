/* Returns (refunds) of goods: against a receipt, or without one.
 *
 * With a receipt: return_open finds the completed sale by its receipt
 * number (typed, or scanned from the receipt's barcode); the clerk sets
 * a quantity to return on some lines; return_complete writes the return,
 * its lines, tax rows, refund tenders and stock movements and journals
 * the event "return" in one durable transaction.
 *
 * Rules:
 *  - a line may never bring back more than was sold, counting every
 *    earlier return of the sale (checked here and by the database);
 *  - the refund of a line is its share of the sale line's net amount after
 *    line and ticket discounts: returning q of the Q sold, with r already
 *    returned, refunds round(net * (r + q) / Q) - round(net * r / Q), so
 *    the refunds of every return of a sale add up exactly to its total;
 *  - PPN inside the refund is reported per tax class at the sale's rates;
 *  - ACT_RETURN: a cashier needs a supervisor's approval; the approver (or
 *    the supervisor doing it) is recorded;
 *  - like a sale, a return needs an open shift (its drawer pays out);
 *  - refund REFUND_ORIGINAL pays back each card/QRIS tender of the sale up
 *    to what it paid less earlier refunds to it, the rest in cash;
 *    REFUND_CASH pays all in cash; the cash part is rounded to the store's
 *    step like a sale;
 *  - the reason decides where the goods go: "damaged" and "expired" to the
 *    damaged bin, the others back on the shelf.
 *
 * Without a receipt (return_open_no_receipt): ACT_RETURN_NO_RECEIPT
 * (supervisor or admin themselves), items by barcode or SKU at today's
 * catalogue shelf price, a reason, a cash refund. */
#ifndef RETURNS_H
#define RETURNS_H

#include "engine/auth.h"

struct ret;

enum refund_how { REFUND_ORIGINAL = 0, REFUND_CASH = 1 };

/* The fixed list of return reasons (codes are stable, in payloads). */
enum return_reason {
	RR_UNWANTED = 0,     /* changed mind, not needed */
	RR_WRONG_ITEM,       /* wrong item or size */
	RR_DAMAGED,          /* defective or damaged: to the damaged bin */
	RR_EXPIRED,          /* past its date: to the damaged bin */
	RR_COUNT
};
/* "unwanted", "wrong_item", "damaged", "expired" */
const char *return_reason_code(enum return_reason r);
/* A translated label for people. */
const char *return_reason_label(enum return_reason r);
enum cm_rc return_reason_parse(const char *s, enum return_reason *out);

/* Finds the sale by receipt number and prepares a return of nothing yet.
 * CM_NOTFOUND with a message when there is no such sale. */
enum cm_rc return_open(struct till *t, const char *receipt_no, struct ret **out);
/* A return without a receipt: CM_DENIED unless the logged-in user may. */
enum cm_rc return_open_no_receipt(struct till *t, struct ret **out);
void return_free(struct ret *r);
const char *return_errmsg(const struct ret *r);

/* The sale's lines (with a receipt): index i in 0..return_line_count-1. */
size_t return_line_count(const struct ret *r);
const struct line_rec *return_sale_line(const struct ret *r, size_t i);
const struct sale_line_amounts *return_sale_amounts(const struct ret *r, size_t i);
/* Sold less earlier returns (0 for a voided line). */
cm_qty return_left(const struct ret *r, size_t i);
/* Without a receipt: item i added so far (NULL when out of range). */
const struct return_line_rec *return_item(const struct ret *r, size_t i);
/* What this return takes back of line i. */
cm_qty return_qty(const struct ret *r, size_t i);
/* The sale being returned (NULL without a receipt). */
const char *return_sale_receipt(const struct ret *r);

/* Sets the quantity to return on sale line line_no (0 = none). CM_INVALID
 * with a clear message when more than is left to return. */
enum cm_rc return_set_qty(struct ret *r, int32_t line_no, cm_qty qty);
/* Without a receipt: adds an item by barcode or SKU. */
enum cm_rc return_add_item(struct ret *r, const char *code, cm_qty qty);

/* The refund as it stands (before cash rounding). */
cm_money return_total(const struct ret *r);

struct return_result {
	int64_t id;
	char return_no[32];
	int64_t journal_seq;
	char hash_hex[2 * CHAIN_HASH_LEN + 1];
	cm_money refund;
	cm_money cash;          /* paid out of the drawer */
};
/* Is the return ready to complete with this reason: lines chosen, a
 * shift open, and (for a cashier) ap approving exactly these lines,
 * quantities, refund and reason? CM_NEED_OVERRIDE with auth_need filled
 * in when a supervisor must approve (again). Writes nothing. */
enum cm_rc return_check(struct ret *r, enum return_reason reason, const struct approval *ap);
/* Completes the return durably. ap: the supervisor's approval when the
 * logged-in user is a cashier (NULL otherwise). */
enum cm_rc return_complete(struct ret *r, enum return_reason reason, enum refund_how how,
                           const struct approval *ap, struct return_result *out);

/* A completed return as records, and its receipt text. */
struct return_record {
	struct return_rec h;
	struct return_line_rec *lines;  /* owned */
	size_t nlines;
	struct tender_rec *tenders;     /* owned */
	size_t ntenders;
	char cashier[96];
	char approver[96];
	char hash_hex[2 * CHAIN_HASH_LEN + 1];
	struct receipt_head head;       /* the heading its receipt printed */
};
enum cm_rc return_load(struct till *t, int64_t id, const char *return_no,
                       struct return_record *out);
void return_record_free(struct return_record *r);
/* Receipt text (malloc'd, caller frees); columns 0 = the store's. */
char *return_receipt(struct till *t, const struct return_record *r, int columns, bool reprint);

#endif
