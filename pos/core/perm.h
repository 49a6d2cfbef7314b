/* Who may do what: one table of action x role.
 *
 * PERM_ALLOW: the role does it. PERM_OVERRIDE: the role may do it only with
 * a supervisor's (or admin's) approval given by PIN, and the approver must
 * be another person whose own role is PERM_ALLOW. PERM_DENY: never. */
#ifndef PERM_H
#define PERM_H

#include "core/records.h"

enum action {
	ACT_SELL = 0,            /* ring up, pay, suspend, resume */
	ACT_VOID_LINE,           /* void a line before subtotal */
	ACT_VOID_AFTER_SUBTOTAL,
	ACT_PRICE_OVERRIDE,
	ACT_DISCOUNT,            /* discount within the store's limit */
	ACT_DISCOUNT_OVER_LIMIT,
	ACT_CANCEL_EMPTY,        /* cancel a ticket with no live lines */
	ACT_CANCEL_TICKET,       /* cancel a ticket with lines */
	ACT_NO_SALE,             /* open the drawer without a sale */
	ACT_ABORT_RECOVERED,     /* abort a ticket restored after a crash */
	ACT_REPRINT,
	ACT_REPORT,              /* day report, sale list */
	ACT_MANAGE_USERS,
	ACT_MANAGE_CATALOGUE,    /* import items, settings, item stock info */
	ACT_SHIFT_OPEN,          /* open a shift with its float */
	ACT_CASH_IN,             /* put cash into the drawer, not a sale */
	ACT_CASH_OUT,            /* take cash out of the drawer, not a sale */
	ACT_SHIFT_CLOSE,         /* the blind count at the close */
	ACT_CLOSE_APPROVE,       /* see expected vs counted, confirm the close */
	ACT_X_REPORT,            /* mid-shift report: shows the drawer's cash */
	ACT_Z_REPORT,            /* end of day: numbered, journaled */
	ACT_RETURN,              /* return goods against a receipt */
	ACT_RETURN_NO_RECEIPT,   /* return goods without a receipt */
	ACT_RECEIVE,             /* receive a delivery */
	ACT_ADJUST,              /* stock adjustment with a reason */
	ACT_COUNT_START,         /* start, pause, resume a stock count */
	ACT_STOCK_COUNT,         /* count items in an open stock count */
	ACT_COUNT_POST,          /* review (sees expected), recount, post, abandon */
	ACT_STOCK_REPORT,        /* stock value, low stock, slow movers, variance */
	ACT_CREDIT_EXCESS,       /* member credit beyond the limit, up to the store's cap */
	ACT_WEB_PIN,             /* set a member's web PIN for the online shop */
	ACT_COUNT
};

enum perm { PERM_DENY = 0, PERM_OVERRIDE = 1, PERM_ALLOW = 2 };

enum perm perm_check(enum role role, enum action act);
/* "void_after_subtotal" ... stable names used in journal payloads. */
const char *perm_action_name(enum action act);
/* "cashier", "supervisor", "admin" */
const char *role_name(enum role r);
enum cm_rc role_parse(const char *s, enum role *out);

#endif
