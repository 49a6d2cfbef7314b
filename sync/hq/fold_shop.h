/* Folding the till's online-order events (PROTOCOL.md "Online orders"):
 *   shop_picked: {"order", "lines": [{"line", "status", "qty", "sku"?,
 *                "price"?}], "total"}  the order becomes ready
 *   sale with "shop_order": the order becomes collected by that sale
 *   web_pin:     {"member", "hash"}  the member's web PIN (Argon2id)
 * Like fold_event: CM_INVALID with why for a payload that cannot be read
 * or names an order, line or member HQ does not have; nothing is written
 * then. */
#ifndef FOLD_SHOP_H
#define FOLD_SHOP_H

#include "hqstore.h"

struct cJSON;

enum cm_rc fold_shop_picked(struct hqstore *st, const struct hq_terminal *t,
                            const struct hq_event *e, const struct cJSON *root, char *why,
                            size_t whylen);
/* After the sale folded; CM_OK at once when it carries no shop_order. */
enum cm_rc fold_shop_collected(struct hqstore *st, const struct hq_terminal *t,
                               const struct hq_event *e, const struct cJSON *root, char *why,
                               size_t whylen);
enum cm_rc fold_web_pin(struct hqstore *st, const struct hq_terminal *t,
                        const struct hq_event *e, const struct cJSON *root, char *why,
                        size_t whylen);

#endif
