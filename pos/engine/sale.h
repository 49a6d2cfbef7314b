/* The ticket being rung up: lines, discounts, member, tenders, totals and
 * completion. No curses, no SQL: every call either succeeds or returns an
 * error code with a message for the cashier in sale_errmsg().
 *
 * Every change is saved to the store as it happens (see store_begin_relaxed)
 * so a crash loses nothing scanned; changes that need an audit trail (voids,
 * price overrides, discounts, cancelling) are journaled in the same
 * transaction. Completing the sale writes the sale, its lines, tenders, tax
 * rows, stock movements and the journal event in one durable transaction.
 *
 * Line arithmetic (money.h): amount = unit price x qty / 1000, half away
 * from zero; line discount from the amount; the ticket discount is spread
 * over the live lines in proportion to their amount after line discounts
 * (largest remainder, so the shares add up exactly); PPN is extracted per
 * tax class from the class total after all discounts (tax.h). Cash rounding
 * applies to the part paid in cash, to the nearest step, halves down. */
#ifndef SALE_H
#define SALE_H

#include "core/dues.h"
#include "engine/auth.h"

struct sale;

/* Opens a new ticket for the logged-in user. CM_STATE when an active
 * ticket already exists (restore it with sale_restore first). */
enum cm_rc sale_open(struct till *t, struct sale **out);
/* The active ticket left by a crash or power cut, CM_NOTFOUND when none.
 * It continues under the logged-in user. */
enum cm_rc sale_restore(struct till *t, struct sale **out);
/* Resumes a suspended ticket (no other ticket may be active). */
enum cm_rc sale_resume(struct till *t, int64_t ticket_id, struct sale **out);
/* Frees memory only: the ticket stays in the store. */
void sale_free(struct sale *s);
const char *sale_errmsg(const struct sale *s);

/* Scanned or typed code, found by the till's one resolver (engine/resolve.h):
 * a GTIN, scale label, SKU, typed PLU, or a member card, which attaches
 * the member (sale_scan_was_member() then says so). mult is the quantity
 * typed before '*' in thousandths (0 = one). Weighed items need a weight:
 * a scale label or mult. Scanning the item of the last line again adds to
 * that line. */
enum cm_rc sale_scan(struct sale *s, const char *code, cm_qty mult);
bool sale_scan_was_member(const struct sale *s);
/* Adds an item chosen from a search. */
enum cm_rc sale_add_item(struct sale *s, int64_t item_id, cm_qty qty);
enum cm_rc sale_set_qty(struct sale *s, int32_t line_no, cm_qty qty, const struct approval *ap);
enum cm_rc sale_void_line(struct sale *s, int32_t line_no, const struct approval *ap);
enum cm_rc sale_line_discount(struct sale *s, int32_t line_no, enum disc_kind kind,
                              int64_t value, const struct approval *ap);
enum cm_rc sale_ticket_discount(struct sale *s, enum disc_kind kind, int64_t value,
                                const struct approval *ap);
enum cm_rc sale_price_override(struct sale *s, int32_t line_no, cm_money price,
                               const struct approval *ap);
/* Attaches a member by card code or member number; lines are repriced at
 * member prices (except overridden ones). */
enum cm_rc sale_attach_member(struct sale *s, const char *card_or_number);
/* Marks the ticket subtotaled: from now on voids need approval. */
enum cm_rc sale_subtotal(struct sale *s);

/* Suspends (parks) the ticket under a label; the caller then frees it. */
enum cm_rc sale_suspend(struct sale *s, const char *label);
/* Cancels the ticket (journaled as aborted when it has lines). A ticket
 * with live lines needs ACT_CANCEL_TICKET. */
enum cm_rc sale_cancel(struct sale *s, const struct approval *ap);
/* Aborts a ticket restored after a crash: ACT_ABORT_RECOVERED, journaled. */
enum cm_rc sale_abort_recovered(struct sale *s, const struct approval *ap);

/* Tenders. Cash above the store's cash ceiling is refused as a likely
 * scanned barcode; debit and QRIS need a reference and may not exceed what
 * is still due. */
enum cm_rc sale_add_tender(struct sale *s, enum tender_kind kind, cm_money amount,
                           const char *ref);
enum cm_rc sale_remove_tender(struct sale *s, size_t index);

/* Member credit (potong gaji, TENDER_CREDIT): for the attached, active
 * member HQ has sent a limit for; allowed while what the member owes (HQ's
 * balance at the last pull + this terminal's credit since + this ticket's)
 * plus amount stays within the limit. Over it: CM_NEED_OVERRIDE with the
 * three figures in the message, and with ap (ACT_CREDIT_EXCESS) allowed up
 * to the store's credit_excess_max over, journaled with the approver;
 * beyond that CM_DENIED. sale_add_tender(TENDER_CREDIT) is this without
 * approval. Credit is not cash: no rounding, no drawer. */
struct credit_view {
	bool known;              /* HQ has sent the member's credit */
	cm_money limit, outstanding, available, excess_max;
};
enum cm_rc sale_credit_view(struct sale *s, struct credit_view *out);
enum cm_rc sale_add_credit(struct sale *s, cm_money amount, const struct approval *ap);
/* What is still to pay: in cash (rounded to the step) and by card/QRIS. */
cm_money sale_cash_due(const struct sale *s);
cm_money sale_noncash_due(const struct sale *s);

struct sale_result {
	int64_t sale_id;
	char receipt_no[32];
	int64_t journal_seq;
	char hash_hex[2 * CHAIN_HASH_LEN + 1];
	cm_money change;
	bool open_drawer;     /* paid in cash with a drawer on the printer: open
	                       * it now (PRINTQ_REQ_DRAWER), never later */
};
/* Completes the sale durably. CM_STATE when nothing is sold or not paid
 * in full. After CM_OK the ticket is gone; free the sale. */
enum cm_rc sale_complete(struct sale *s, struct sale_result *out);

/* Views for the screen. Index i in 0..sale_line_count-1. */
size_t sale_line_count(const struct sale *s);
const struct line_rec *sale_line(const struct sale *s, size_t i);
const struct sale_line_amounts *sale_line_amounts(const struct sale *s, size_t i);
const struct sale_totals *sale_totals(const struct sale *s);
size_t sale_tender_count(const struct sale *s);
const struct tender_rec *sale_tender(const struct sale *s, size_t i);
const struct ticket_rec *sale_ticket(const struct sale *s);
/* The member attached, or NULL. */
const struct member_rec *sale_member(const struct sale *s);
/* Live (not voided) lines. */
size_t sale_live_lines(const struct sale *s);
/* Live lines or dues: something to pay for. */
bool sale_has_content(const struct sale *s);

/* Members' dues (simpanan) on the ticket, for the attached member: savings,
 * not goods: no PPN, no stock, their own total (sale_totals.dues) and their
 * own block on the receipt and in reports. Adding a kind replaces what the
 * ticket held of it. wajib: `months` months, the months owed oldest first,
 * then months ahead at the schedule's rate; pokok: what the member owes;
 * sukarela: `amount`. Withdrawals are not done at the till. */
enum cm_rc sale_add_dues(struct sale *s, enum dues_kind kind, int months, cm_money amount);
enum cm_rc sale_remove_dues(struct sale *s, enum dues_kind kind);
size_t sale_dues_count(const struct sale *s);
const struct dues_line *sale_dues(const struct sale *s, size_t i);
/* The attached member's standing (engine/standing.h), fresh from the
 * store, counting this ticket's dues when with_ticket. */
struct standing;
enum cm_rc sale_standing(struct sale *s, bool with_ticket, struct standing *out);

/* Online orders (sale_shop.c, PROTOCOL.md "Online orders"): on an empty
 * ticket, attaches the order's member and fills the ticket with its
 * picked lines at the prices ordered (a substitute at the member price
 * the picker gave); the sale's journal event then carries the order and
 * completing it marks the order collected. id: "OL-000123", or the
 * number alone ("123"). Refused with a message: no such order here,
 * not picked yet, collected already, expired (or past its expiry time),
 * cancelled, a member or item this till does not have. */
enum cm_rc sale_shop_collect(struct sale *s, const char *id);

/* Suspended tickets, for the resume list: total is what the ticket
 * comes to after line and ticket discounts (before cash rounding). */
typedef void (*sale_suspended_fn)(const struct ticket_rec *t, size_t nlines,
                                  cm_money total, void *ctx);
enum cm_rc sale_list_suspended(struct till *t, sale_suspended_fn fn, void *ctx);

#endif
