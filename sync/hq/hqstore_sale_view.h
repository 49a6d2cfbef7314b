/* One sale as HQ holds it (issue 14, the console's receipt page): the
 * sales tables' row (date, member, totals, taxes, tenders) with what
 * only the pushed sale event says (lines, voided ones too, the cashier,
 * gross, discount, paid, change), and the approvals given on its ticket
 * (voids, quantity cuts, price overrides, discounts: who approved, why,
 * what; sync/PROTOCOL.md "Approvals in events"). Records, so that any
 * caller (the console, a command) only formats them. */
#ifndef HQSTORE_SALE_VIEW_H
#define HQSTORE_SALE_VIEW_H

#include "hqstore.h"

struct hq_sale_line {
	int64_t line, qty, price, list_price, amount, discount, net;  /* qty in thousandths */
	char sku[32];
	char tax[16];
	bool voided;
	int64_t override_by;              /* the user who approved a price override, 0 none */
};

/* An event on the sale's ticket that changed it. */
struct hq_sale_note {
	int64_t seq, at;
	char type[32];                    /* line_voided, qty_reduced, price_override ... */
	int64_t line;                     /* 0: the whole ticket */
	char sku[32];
	int64_t user_id;                  /* who did it */
	char user[80];                    /* "2 Ani (cashier)", or "" when unseen */
	int64_t approved_by;              /* 0: no approval needed */
	char approver[80];                /* as user, or the event's approver number */
	char reason[64];
	char approved[200];               /* the subject, key=value */
};

struct hq_sale_view {
	char store[32], terminal[16], receipt[32];
	int64_t seq, at, opened, ticket;
	int32_t date;
	int64_t cashier;
	char cashier_name[80];            /* "2 Ani (cashier)", "" when unseen */
	char member_no[24], member_name[64];
	int64_t gross, discount, total, rounding, due, paid, change;
	struct { char cls[16]; int64_t total, tax; } taxes[TAX_CLASS_COUNT];
	size_t ntaxes;
	/* as handed over: cash before the change (the payload's; HQ's
	 * sale_tenders when the payload has none) */
	struct { char kind[16]; int64_t amount; } tenders[HQ_MAX_TENDERS];
	size_t ntenders;
	struct hq_sale_line *lines;       /* owned */
	size_t nlines;
	struct hq_sale_note *notes;       /* owned, in sequence order */
	size_t nnotes;
};

/* The sale with receipt number receipt of store. CM_NOTFOUND when HQ
 * holds none. Free with hqstore_sale_view_free. */
enum cm_rc hqstore_sale_view(struct hqstore *st, const char *store, const char *receipt,
                             struct hq_sale_view *out);
void hqstore_sale_view_free(struct hq_sale_view *v);

#endif
