/* Folding pushed events into the store's ledgers: a "sale" event becomes a
 * row of the sales ledger (totals, PPN per class, tenders) and one stock
 * movement per live line (-qty); stock events ("stock_received",
 * "stock_adjusted", "stock_counted") become movements of their lines.
 * The payload shapes are the till's (pos/engine/sale_pay.c sale_payload):
 *   sale:  {"receipt", "date", "member_no"?, "lines": [{"sku", "qty",
 *           "voided"?}], "total", "rounding", "due", "change",
 *           "taxes": [{"class", "total", "tax"}], "tenders": [{"kind", "amount"}],
 *           "dues"?: [{"member_no", "kind", "month", "amount"}], "dues_total"?}
 *          dues rows go to the members' savings ledger by hqdues_fold's rule
 *   stock: {"lines": [{"sku", "qty"}]}   qty: the signed change in
 *          thousandths (a count posts its variance, DESIGN.md)
 *   stock_opening: {"as_of", "part", "parts", "lines": [{"sku", "qty"}]}
 *          qty: the snapshot the store's movements started from; added
 *          once per store, from the first terminal that sends it
 * Other event types are kept but not folded. */
#ifndef FOLD_H
#define FOLD_H

#include "hqstore.h"

/* Inside the push's transaction. CM_INVALID when a foldable payload cannot
 * be read (why says how; the event is kept and the caller raises an
 * alert), else the store's result. */
enum cm_rc fold_event(struct hqstore *st, const struct hq_terminal *t,
                      const struct hq_event *e, char *why, size_t whylen);

#endif
