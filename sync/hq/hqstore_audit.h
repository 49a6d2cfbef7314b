/* The exceptions audit (issue 19): per store and per person (cashier,
 * supervisor: a user of one terminal), how often each thing a dishonest
 * official would do happened in a period, in counts and rupiah, from the
 * events HQ holds; whoever is far above their peers is flagged. Computed
 * here as records, so that the command line (`coopmart-hq audit`) and the
 * web console only format them. */
#ifndef HQSTORE_AUDIT_H
#define HQSTORE_AUDIT_H

#include "hqstore.h"

enum hq_audit_metric {
	AUD_VOID_AFTER_SUBTOTAL,   /* line_voided after subtotal; rupiah: the lines' amount */
	AUD_CANCELLED,             /* ticket_aborted */
	AUD_PRICE_OVERRIDE,        /* price_override; rupiah: (list - new price) x qty */
	AUD_DISCOUNT_OVER_LIMIT,   /* a discount approved over the limit; rupiah: amount ones */
	AUD_NO_SALE,               /* no_sale: the drawer opened without a sale */
	AUD_RETURN_RECEIPT,        /* return of a sale; rupiah: refund */
	AUD_RETURN_NO_RECEIPT,     /* return without a receipt; rupiah: refund */
	AUD_REPRINT,               /* receipt_reprinted */
	AUD_CASH_VARIANCE,         /* shift_closed with counted != expected; rupiah: |difference| */
	AUD_FAILED_LOGIN,          /* login_failed */
	AUD_LOCKOUT,               /* user_locked_out */
	AUD_APPROVALS,             /* approvals given (as supervisor); rupiah: what they let through */
	AUD_METRICS
};

/* The metric's name in reports and JSON ("void_after_subtotal" ...). */
extern const char *const hq_audit_metric_names[AUD_METRICS];

struct hq_audit_row {
	char store[32];
	char terminal[16];
	int64_t user_id;              /* the terminal's user id (0: unknown user) */
	char number[16];              /* from the user's user_added event, "" if unseen */
	char name[64];
	char role[16];                /* cashier, supervisor, admin, or "" */
	int64_t count[AUD_METRICS];
	int64_t rupiah[AUD_METRICS];
	uint32_t flagged;             /* bit (1 << metric): far above the peers */
};

struct hq_audit {
	struct hq_audit_row *rows;    /* by store, terminal, user id; owned */
	size_t n;
};

/* A person is flagged for a metric when their count is at least
 * AUDIT_FLAG_MIN and more than AUDIT_FLAG_TIMES times the mean of the
 * others of the same store who have any event in the period (or any at
 * all when they are alone with it). */
#define AUDIT_FLAG_MIN 3
#define AUDIT_FLAG_TIMES 2

/* Events with from_at <= at < to_at (unix seconds); store NULL: every
 * store. Free with hqstore_audit_free. */
enum cm_rc hqstore_audit(struct hqstore *st, const char *store, int64_t from_at, int64_t to_at,
                         struct hq_audit *out);
void hqstore_audit_free(struct hq_audit *a);

/* ---- the drill-down ---- */

/* One event a person's metric counted. */
struct hq_audit_event {
	int64_t seq, at, rupiah;
	char type[32];
	int64_t ticket;               /* the till's ticket, 0 none */
	char receipt[32];             /* the receipt it is about ("" none: an aborted ticket) */
	char ret[32];                 /* a return's number */
};

/* The events of store's terminal with from_at <= at < to_at that count
 * for metric of user (AUD_APPROVALS: that user approved), in sequence
 * order; a ticket's receipt from the terminal's sale of that ticket.
 * *out malloc'd, caller frees. */
enum cm_rc hqstore_audit_events(struct hqstore *st, const char *store, const char *terminal,
                                int64_t user, enum hq_audit_metric metric, int64_t from_at,
                                int64_t to_at, struct hq_audit_event **out, size_t *n);
/* The metric of hq_audit_metric_names[], -1 when none is. */
int hq_audit_metric_of(const char *name);

#endif
