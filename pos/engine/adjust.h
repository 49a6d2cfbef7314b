/* Stock adjustments (ACT_ADJUST, supervisors): a quantity of an item with
 * a reason from a fixed list, journaled "stock_adjusted" with one stock
 * movement: 'damaged' moves it from the shelf into the damaged bin,
 * expired, lost and own_use take it out of stock, found puts it back. */
#ifndef ADJUST_H
#define ADJUST_H

#include "engine/auth.h"

enum adjust_reason {
	ADJ_DAMAGED = 0, ADJ_EXPIRED, ADJ_LOST, ADJ_OWN_USE, ADJ_FOUND, ADJ_COUNT
};
/* "damaged", "expired", "lost", "own_use", "found" */
const char *adjust_reason_code(enum adjust_reason r);
const char *adjust_reason_label(enum adjust_reason r);
enum cm_rc adjust_reason_parse(const char *s, enum adjust_reason *out);

/* Adjusts stock of the item with barcode or SKU code by qty (> 0; the
 * reason gives the direction). note: free text, may be NULL. */
enum cm_rc adjust_stock(struct till *t, const char *code, cm_qty qty, enum adjust_reason reason,
                        const char *note);

#endif
