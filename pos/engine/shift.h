/* Shifts and cash: opening a drawer with its float, cash in and out, the
 * blind close, and the X and Z reports. Plain C, no curses, no SQL.
 *
 * One shift at a time per terminal (its drawer); whoever is logged in
 * sells into it. No sale opens or completes without an open shift (the
 * gate, shift_require_open). A shift's figures are the journal range
 * between its shift_opened and shift_closed events; the drawer should
 * hold cashcount_expected(): float + cash tendered - change + cash in
 * - cash out - cash refunds.
 *
 * Every change is journaled in its own transaction: shift_opened,
 * cash_in, cash_out, shift_closed (with the pieces counted), x_report,
 * z_report. Messages for a person in till_errmsg(). */
#ifndef SHIFT_H
#define SHIFT_H

#include "engine/auth.h"
#include "core/cashcount.h"
#include "core/xzreport.h"

/* The open shift of this terminal; CM_NOTFOUND (with a message) when none. */
enum cm_rc shift_current(struct till *t, struct shift_rec *out);
/* The gate: CM_OK when a shift is open, CM_STATE with a message saying
 * to open one otherwise. */
enum cm_rc shift_require_open(struct till *t);

/* Opens a shift with the float counted into the drawer (0 allowed, up to
 * the store's cash ceiling). ACT_SHIFT_OPEN; CM_STATE when one is open. */
enum cm_rc shift_open(struct till *t, cm_money float_amount, struct shift_rec *out);

enum cash_dir { CASH_IN = 1, CASH_OUT = -1 };
/* Cash into or out of the drawer with a reason (1-63 characters).
 * ACT_CASH_IN / ACT_CASH_OUT (a cashier needs ap for a cash out). */
enum cm_rc shift_cash_move(struct till *t, enum cash_dir dir, cm_money amount,
                           const char *reason, const struct approval *ap);

/* The open shift's drawer, for the supervisor confirming a close:
 * ACT_CLOSE_APPROVE (ap for a cashier). Never show it before the count. */
enum cm_rc shift_expected(struct till *t, const struct approval *ap, struct shift_cash *out);

struct shift_close_result {
	int64_t shift_id;
	int64_t journal_seq;
	cm_money expected;
	cm_money counted;
	cm_money difference;     /* counted - expected: negative = short */
};
/* May the logged-in user close the open shift with this count? CM_OK;
 * CM_NEED_OVERRIDE with auth_need filled in (the shift and the counted
 * total) when a supervisor must approve it (again); CM_INVALID for a bad
 * count. */
enum cm_rc shift_close_check(struct till *t, const int64_t pieces[CASH_DENOMS],
                             const struct approval *ap);
/* Closes the open shift with the blind count (pieces per denomination of
 * cash_denoms). ACT_SHIFT_CLOSE and ACT_CLOSE_APPROVE (ap for a
 * cashier). */
enum cm_rc shift_close(struct till *t, const int64_t pieces[CASH_DENOMS],
                       const struct approval *ap, struct shift_close_result *out);

/* A report and its text. r's string pointers point into this struct and
 * into the till's settings: do not copy it. */
struct shift_report {
	struct xz_report r;
	char user[96];
	int64_t journal_seq;     /* the x_report / z_report event */
	char *text;              /* xzreport_render, owned: shift_report_free */
};
/* X report: the figures since the last Z and the open drawer, nothing
 * reset. ACT_X_REPORT (ap for a cashier); journaled as x_report.
 * columns: 32, 42 or 48 (0 = the store's receipt width). */
enum cm_rc shift_x_report(struct till *t, const struct approval *ap, int columns,
                          struct shift_report *out);
/* Z report: numbered, covers everything since the previous Z, carries the
 * grand total on. ACT_Z_REPORT; CM_STATE while a shift is open (close it
 * first: the Z must count every drawer). Journaled as z_report. */
enum cm_rc shift_z_report(struct till *t, int columns, struct shift_report *out);
void shift_report_free(struct shift_report *r);

#endif
