/* A member's dues standing at the counter: HQ's standing as of the last
 * member pull, brought to this month, less what this terminal took since
 * (its sales above the journal sequence HQ's standing counts) and what
 * the current ticket already holds. Arithmetic from core/dues.h; the rules
 * in sync/PROTOCOL.md "Members' dues".
 *
 * Months between HQ's month and its "paid until" are taken as paid (a
 * member paid ahead); months after both are owed at the schedule's rate
 * for the member's type, up to this month or the month of leaving. */
#ifndef STANDING_H
#define STANDING_H

#include "core/dues.h"
#include "engine/till.h"

#define STANDING_MAX_MONTHS 240

struct standing {
	bool known;              /* HQ has sent this member's dues */
	int32_t month;           /* this month, YYYYMM */
	int32_t hq_month;        /* as of which HQ's figures are */
	cm_money pokok_owed;
	int months;              /* wajib months owed through this month */
	cm_money arrears;        /* rupiah for them */
	int32_t oldest;          /* the oldest month owed, 0 none */
	int32_t through;         /* paid without a gap through this month, 0 none */
	int32_t paid_until;      /* the latest month paid, here or at HQ */
	cm_money sukarela;       /* HQ's balance plus what this terminal took since */
	cm_money sukarela_here;  /* the part this terminal took since the pull */
	int32_t inactive_after;
	bool inactive;           /* months >= inactive_after */
	/* the months owed, oldest first (at most STANDING_MAX_MONTHS) */
	struct dues_owed owed[STANDING_MAX_MONTHS];
	size_t nowed;
};

/* The standing of member m, counting the pending dues of a ticket too
 * (pending may be NULL). CM_OK with known = false when HQ has not sent the
 * member's dues yet. */
enum cm_rc standing_get(struct till *t, const struct member_rec *m,
                        const struct dues_line *pending, size_t npending, struct standing *out);

/* The standing with dues lines d counted too (a ticket's), as if they had
 * been passed to standing_get as pending: no store access. */
void standing_add(struct standing *st, const struct dues_line *d, size_t n);

/* The next n wajib months to pay: the months owed, oldest first, then the
 * months ahead at the schedule's rate (none after a member left). Returns
 * how many it wrote to out (at most max; fewer when the schedule has no
 * rate or the member left). */
size_t standing_next_months(struct till *t, const struct member_rec *m,
                            const struct standing *st, int n, struct dues_owed *out, size_t max);

#endif
