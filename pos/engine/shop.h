/* Online orders of the members' shop at the till (sync/PROTOCOL.md
 * "Online orders"): the orders the agent pulled, the pick list, the
 * picking (journaled "shop_picked"), and a member's web PIN set at the
 * till (journaled "web_pin"). Collecting an order is a sale:
 * sale_shop_collect (sale.h). No curses, no SQL. */
#ifndef SHOP_H
#define SHOP_H

#include "engine/auth.h"
#include "engine/till.h"
#include "store/store_shop.h"

/* "OL-000123" from what was typed or scanned: the id itself (any case),
 * or its number alone ("123", "000123"). False when it is neither. */
bool shop_id_parse(const char *typed, char *id, size_t n);

/* The orders to show (store_shop_list); *out malloc'd, caller frees. */
enum cm_rc shop_list(struct till *t, struct shop_order_rec **out, size_t *n);
/* One order with its lines; free with shop_order_free. CM_NOTFOUND with
 * a message when this till has not got it. */
enum cm_rc shop_get(struct till *t, const char *id, struct shop_order_rec *out);

/* Queues the pick list of o on the receipt printer: order, member, slot,
 * each line (qty, name, shelf zone), and the order's id as a CODE128
 * barcode (text where the printer has none). */
enum cm_rc shop_print_pick_list(struct till *t, const struct shop_order_rec *o);

/* Marks line i of o (in memory; shop_pick_finish saves): picked qty
 * (below the order's: short with what was found; 0: short, none found),
 * or substituted by the item scanned or typed as code, qty of it, at its
 * member price lowered so that the line costs the member no more than
 * the ordered line (money_substitute_price). *own (may be NULL) gets the
 * substitute's member price before that: above the line's sub_price when
 * it was lowered, for the picker to be told. */
enum cm_rc shop_mark(struct till *t, struct shop_order_rec *o, size_t i, int64_t qty);
enum cm_rc shop_substitute(struct till *t, struct shop_order_rec *o, size_t i,
                           const char *code, int64_t qty, cm_money *own);
/* Whether code can substitute line i (a known, active item; the order
 * still to pick), asked before its quantity; the message on the till. */
enum cm_rc shop_substitute_check(struct till *t, const struct shop_order_rec *o, size_t i,
                                 const char *code);
/* What the lines picked so far cost (line amounts as the sale computes
 * them). */
int64_t shop_picked_total(const struct shop_order_rec *o);
/* Every line marked: the order becomes ready, journaled "shop_picked" in
 * the same transaction. CM_STATE when a line is not marked yet or the
 * order is not waiting to be picked. */
enum cm_rc shop_pick_finish(struct till *t, struct shop_order_rec *o);

/* Whether the logged-in user may set the web PIN of member member_no
 * (ACT_WEB_PIN: a web PIN opens the member's orders at HQ's shop). A
 * cashier needs a supervisor's approval bound to the member
 * ("member=A-0001"): CM_NEED_OVERRIDE (auth_need: the member's number and
 * name) without ap. CM_NOTFOUND when there is no such member. Asked
 * before the member types the PIN. */
enum cm_rc shop_web_pin_allowed(struct till *t, const char *member_no,
                                const struct approval *ap);
/* A member's web PIN, typed twice (pin, again): same PIN, 6-12 digits,
 * not trivial (auth_pin_acceptable); shop_web_pin_allowed first; hashed
 * here (Argon2id), the PIN never leaves the till: journaled "web_pin"
 * {"member", "hash"}, with the approval (auth_approval_payload) when a
 * supervisor gave one. */
enum cm_rc shop_web_pin(struct till *t, const char *member_no, const char *pin,
                        const char *again, const struct approval *ap);

#endif
