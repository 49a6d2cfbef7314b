/* Internals of the sale engine shared by sale.c, sale_calc.c and
 * sale_pay.c. Nothing else includes this. */
#ifndef SALE_INT_H
#define SALE_INT_H

#include "engine/sale.h"
#include "core/dues.h"

struct sale {
	struct till *t;
	struct ticket_rec tk;
	struct line_rec *lines;
	struct sale_line_amounts *amounts; /* parallel to lines */
	size_t nlines, cap;
	struct tender_rec *tenders;
	size_t ntenders, tcap;
	struct dues_line *dues;          /* members' dues, in order */
	size_t ndues;
	struct sale_totals totals;
	struct member_rec member;
	bool has_member;
	bool scanned_member; /* the last sale_scan attached a member */
	char err[320];
};

void sale_seterr(struct sale *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies the till's (or store's) message; returns rc. */
enum cm_rc sale_till_fail(struct sale *s, enum cm_rc rc);
enum cm_rc sale_store_fail(struct sale *s, enum cm_rc rc);

/* Adds qty of it as a line at price (an online order's price as ordered),
 * saved like any line. */
enum cm_rc sale_add_priced(struct sale *s, const struct item_rec *it, cm_qty qty, cm_money price);

/* Recomputes every line amount and the totals from lines and tenders. */
void sale_recalc(struct sale *s);

/* Amount paid by non-cash tenders, and whether any cash is tendered. */
cm_money sale_noncash_paid(const struct sale *s);

/* sale_approve.c: may the user do this action on these figures? CM_OK,
 * or CM_NEED_OVERRIDE with the subject and the text for the supervisor
 * recorded (auth_need), or another refusal; the message on s. i is the
 * line's index in s->lines (-1: the ticket's discount). */
enum cm_rc sale_approve_void(struct sale *s, size_t i, const struct approval *ap);
enum cm_rc sale_approve_qty(struct sale *s, size_t i, cm_qty qty, const struct approval *ap);
enum cm_rc sale_approve_price(struct sale *s, size_t i, cm_money price, const struct approval *ap);
enum cm_rc sale_approve_discount(struct sale *s, int i, enum disc_kind kind, int64_t value,
                                 cm_money base, const struct approval *ap);
enum cm_rc sale_approve_abort(struct sale *s, enum action act, const struct approval *ap);
/* what: the credit figures for a person. */
enum cm_rc sale_approve_credit(struct sale *s, cm_money amount, cm_money owed, cm_money limit,
                               const char *what, const struct approval *ap);

#endif
