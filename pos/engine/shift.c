/* Shifts, cash movements, the blind close, X and Z reports. */
#include "engine/shift.h"
#include "core/chain.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cm_rc shift_current(struct till *t, struct shift_rec *out)
{
	enum cm_rc rc = store_shift_current(till_store(t), out);
	if (rc == CM_NOTFOUND)
		till_seterr(t, "%s", _("no shift is open on this terminal: open a shift with its float first"));
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	return rc;
}

enum cm_rc shift_require_open(struct till *t)
{
	struct shift_rec r;
	enum cm_rc rc = shift_current(t, &r);
	return rc == CM_NOTFOUND ? CM_STATE : rc;
}

/* Amounts a person types: above the store's cash ceiling is most likely a
 * barcode scanned into the amount field. */
static enum cm_rc check_amount(struct till *t, cm_money v, bool zero_ok)
{
	cm_money ceiling = till_config(t)->cash_ceiling;
	if (v < 0 || (v == 0 && !zero_ok)) {
		till_seterr(t, "%s", zero_ok ? _("the amount cannot be negative")
		                             : _("the amount must be more than zero"));
		return CM_INVALID;
	}
	if (v > ceiling) {
		char a[32], b[32];
		money_format(v, NULL, a, sizeof a);
		money_format(ceiling, NULL, b, sizeof b);
		till_seterr(t, _("%s is more than the cash limit of %s: was a barcode scanned into the amount? Type it again"), a, b);
		return CM_INVALID;
	}
	return CM_OK;
}

enum cm_rc shift_open(struct till *t, cm_money float_amount, struct shift_rec *out)
{
	enum cm_rc rc = auth_require(t, ACT_SHIFT_OPEN, NULL);
	if (rc != CM_OK)
		return rc;
	if ((rc = check_amount(t, float_amount, true)) != CM_OK)
		return rc;
	struct store *st = till_store(t);
	struct shift_rec r = { 0 };
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_shift_current(st, &r)) == CM_OK) {
		till_seterr(t, _("shift %lld is still open: close it before opening another"),
		            (long long)r.id);
		rc = CM_STATE;
		goto out;
	}
	if (rc != CM_NOTFOUND) {
		till_store_fail(t, rc);
		goto out;
	}
	memset(&r, 0, sizeof r);
	r.opened_by = till_user(t)->id;
	r.opened_at = till_now(t);
	r.float_amount = float_amount;
	r.open = true;
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "float", float_amount);
	canon_obj_end(c);
	struct journal_entry je;
	if ((rc = till_journal(t, "shift_opened", 0, canon_take(c), &je)) != CM_OK)
		goto out;
	r.open_seq = je.seq;
	if ((rc = store_shift_insert(st, &r, &r.id)) != CM_OK)
		till_store_fail(t, rc);
out:
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) == CM_OK && out)
		*out = r;
	return rc;
}

static enum cm_rc check_reason(struct till *t, const char *reason)
{
	size_t n = reason ? strlen(reason) : 0;
	bool blank = true;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)reason[i] < 0x20) {
			till_seterr(t, "%s", _("the reason may not contain control characters"));
			return CM_INVALID;
		}
		blank = blank && reason[i] == ' ';
	}
	if (blank || n > 63) {
		till_seterr(t, "%s", _("give a reason of 1 to 63 characters"));
		return CM_INVALID;
	}
	return CM_OK;
}

/* A cash out is approved for its amount from this shift's drawer: the
 * supervisor sees both (and the note) before giving a PIN. */
static enum cm_rc cash_allowed(struct till *t, enum cash_dir dir, cm_money amount,
                               const char *note, const struct approval *ap)
{
	if (dir == CASH_IN)
		return auth_require(t, ACT_CASH_IN, NULL);
	struct shift_rec r;
	enum cm_rc rc = shift_current(t, &r);
	if (rc != CM_OK)
		return rc == CM_NOTFOUND ? CM_STATE : rc;
	char subject[AUTH_SUBJECT_MAX], what[AUTH_WHAT_MAX], a[32];
	money_format(amount, NULL, a, sizeof a);
	snprintf(subject, sizeof subject, "amount=%lld shift=%lld", (long long)amount,
	         (long long)r.id);
	snprintf(what, sizeof what, _("Cash out: %s\nNote: %s\nShift %lld"), a, note,
	         (long long)r.id);
	return auth_require_for(t, ACT_CASH_OUT, subject, what, ap);
}

enum cm_rc shift_cash_move(struct till *t, enum cash_dir dir, cm_money amount,
                           const char *reason, const struct approval *ap)
{
	if (dir != CASH_IN && dir != CASH_OUT) {
		till_seterr(t, "%s", _("cash moves in or out"));
		return CM_INVALID;
	}
	enum cm_rc rc = check_amount(t, amount, false);
	if (rc == CM_OK)
		rc = check_reason(t, reason);
	if (rc == CM_OK)
		rc = cash_allowed(t, dir, amount, reason, ap);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	struct shift_rec r;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = shift_current(t, &r)) != CM_OK)
		return till_end_tx(t, rc == CM_NOTFOUND ? CM_STATE : rc, NULL, 0, NULL);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "shift", r.id);
	canon_int(c, "amount", amount);
	canon_str(c, "reason", reason);
	if (dir == CASH_OUT && ap && perm_check(till_user(t)->role, ACT_CASH_OUT) != PERM_ALLOW)
		auth_approval_payload_as(c, ap, "approval_reason");
	canon_obj_end(c);
	struct journal_entry je;
	rc = till_journal(t, dir == CASH_IN ? "cash_in" : "cash_out", 0, canon_take(c), &je);
	if (rc == CM_OK &&
	    (rc = store_cash_move_insert(st, r.id, dir, amount, reason, till_user(t)->id,
	                                 dir == CASH_OUT && ap ? ap->approver_id : 0,
	                                 till_now(t), je.seq)) != CM_OK)
		till_store_fail(t, rc);
	return till_end_tx(t, rc, NULL, 0, NULL);
}

enum cm_rc shift_expected(struct till *t, const struct approval *ap, struct shift_cash *out)
{
	/* Any approval of this close will do (bound to the count: shift_close
	 * checks it): this only reads. */
	enum cm_rc rc = auth_require_for(t, ACT_CLOSE_APPROVE, ap ? ap->subject : "", "", ap);
	struct shift_rec r;
	if (rc == CM_OK && (rc = shift_current(t, &r)) != CM_OK)
		return rc == CM_NOTFOUND ? CM_STATE : rc;
	if (rc == CM_OK && (rc = store_shift_cash(till_store(t), &r, out)) != CM_OK)
		till_store_fail(t, rc);
	return rc;
}

static char *close_payload(const struct shift_rec *r, const struct shift_cash *cash,
                           const int64_t pieces[CASH_DENOMS], const struct approval *ap)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "shift", r->id);
	canon_int(c, "float", cash->float_amount);
	canon_int(c, "sales", cash->sales);
	canon_int(c, "cash_tendered", cash->cash_tendered);
	canon_int(c, "change", cash->change);
	canon_int(c, "cash_in", cash->cash_in);
	canon_int(c, "cash_out", cash->cash_out);
	canon_int(c, "cash_refunds", cash->cash_refunds);
	canon_int(c, "expected", r->expected);
	canon_int(c, "counted", r->counted);
	canon_int(c, "difference", r->counted - r->expected);
	canon_arr_begin(c, "pieces");
	for (int i = 0; i < CASH_DENOMS; i++) {
		canon_obj_begin(c, NULL);
		canon_int(c, "denom", cash_denoms[i]);
		canon_int(c, "pieces", pieces[i]);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	auth_approval_payload(c, ap);
	canon_obj_end(c);
	return canon_take(c);
}

/* The supervisor approves this count of this shift: what they confirm is
 * the blind count the cashier typed (they see the expected cash only
 * after approving, shift_expected). */
enum cm_rc shift_close_check(struct till *t, const int64_t pieces[CASH_DENOMS],
                             const struct approval *ap)
{
	enum cm_rc rc = auth_require(t, ACT_SHIFT_CLOSE, NULL);
	if (rc != CM_OK)
		return rc;
	cm_money counted;
	if (cashcount_total(pieces, &counted) != CM_OK) {
		till_seterr(t, "%s", _("a count must be 0 to 1.000.000 pieces"));
		return CM_INVALID;
	}
	struct shift_rec r;
	if ((rc = shift_current(t, &r)) != CM_OK)
		return rc == CM_NOTFOUND ? CM_STATE : rc;
	char subject[AUTH_SUBJECT_MAX], what[AUTH_WHAT_MAX], c[32];
	money_format(counted, NULL, c, sizeof c);
	snprintf(subject, sizeof subject, "shift=%lld counted=%lld", (long long)r.id,
	         (long long)counted);
	snprintf(what, sizeof what, _("Shift %lld, counted blind: %s"), (long long)r.id, c);
	return auth_require_for(t, ACT_CLOSE_APPROVE, subject, what, ap);
}

enum cm_rc shift_close(struct till *t, const int64_t pieces[CASH_DENOMS],
                       const struct approval *ap, struct shift_close_result *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = shift_close_check(t, pieces, ap);
	if (rc != CM_OK)
		return rc;
	cm_money counted;
	cashcount_total(pieces, &counted);
	if (perm_check(till_user(t)->role, ACT_CLOSE_APPROVE) == PERM_ALLOW)
		ap = NULL; /* a supervisor closing needs nobody else */
	struct store *st = till_store(t);
	struct shift_rec r;
	struct shift_cash cash;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = shift_current(t, &r)) != CM_OK)
		return till_end_tx(t, rc == CM_NOTFOUND ? CM_STATE : rc, NULL, 0, NULL);
	if ((rc = store_shift_cash(st, &r, &cash)) != CM_OK)
		return till_end_tx(t, till_store_fail(t, rc), NULL, 0, NULL);
	r.expected = cashcount_expected(&cash);
	r.counted = counted;
	r.closed_by = till_user(t)->id;
	r.approved_by = ap ? ap->approver_id : 0;
	r.closed_at = till_now(t);
	struct journal_entry je = { 0 };
	rc = till_journal(t, "shift_closed", 0, close_payload(&r, &cash, pieces, ap), &je);
	r.close_seq = je.seq;
	if (rc == CM_OK && (rc = store_shift_close(st, &r, pieces)) != CM_OK)
		till_store_fail(t, rc);
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) != CM_OK)
		return rc;
	*out = (struct shift_close_result){ .shift_id = r.id, .journal_seq = je.seq,
		.expected = r.expected, .counted = counted, .difference = counted - r.expected };
	return CM_OK;
}

/* ---- X and Z ---- */

static void report_payload(struct canon *c, const struct xz_figures *f)
{
	canon_int(c, "sales", f->sales);
	canon_int(c, "gross", f->gross);
	canon_int(c, "discounts", f->discounts);
	canon_int(c, "total", f->total);
	canon_int(c, "rounding", f->rounding);
	canon_int(c, "tax", f->tax);
	canon_int(c, "refunds", f->refunds);
	canon_int(c, "net_sales", f->net_sales);
	canon_int(c, "cash", f->tendered[TENDER_CASH]);
	canon_int(c, "change", f->change);
	canon_int(c, "debit", f->tendered[TENDER_DEBIT]);
	canon_int(c, "qris", f->tendered[TENDER_QRIS]);
	canon_int(c, "credit", f->tendered[TENDER_CREDIT]);
	canon_int(c, "cash_in", f->cash_in);
	canon_int(c, "cash_out", f->cash_out);
	canon_int(c, "shifts", f->shifts_closed);
	canon_int(c, "expected", f->expected);
	canon_int(c, "counted", f->counted);
	/* members' dues: savings taken with the sales (in cash and tenders) */
	canon_int(c, "dues_pokok", f->dues[DUES_POKOK]);
	canon_int(c, "dues_wajib", f->dues[DUES_WAJIB]);
	canon_int(c, "dues_wajib_months", f->dues_count[DUES_WAJIB]);
	canon_int(c, "dues_sukarela", f->dues[DUES_SUKARELA]);
}

static void report_init(struct till *t, struct shift_report *out, bool z)
{
	memset(out, 0, sizeof *out);
	const struct user_rec *u = till_user(t);
	snprintf(out->user, sizeof out->user, "%s %s", u->number, u->name);
	out->r.z = z;
	out->r.store_name = till_config(t)->store_name;
	out->r.terminal = till_config(t)->terminal;
	out->r.user = out->user;
	out->r.at = (time_t)till_now(t);
}

static enum cm_rc render(struct till *t, struct shift_report *out, int columns)
{
	out->text = xzreport_render(&out->r, columns ? columns : till_config(t)->receipt_columns);
	if (!out->text) {
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	return CM_OK;
}

/* The figures since the last Z, read inside the caller's transaction. */
static enum cm_rc since_last_z(struct till *t, struct shift_report *out)
{
	struct store *st = till_store(t);
	int64_t z_no, seq;
	cm_money grand;
	struct journal_entry head;
	enum cm_rc rc = store_z_last(st, &z_no, &grand, &seq);
	if (rc == CM_OK)
		rc = journal_head(st, &head);
	if (rc == CM_OK)
		rc = store_xz_figures(st, seq, 0, &out->r.f);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	out->r.z_no = z_no + 1;
	out->r.from_seq = seq;
	out->r.to_seq = head.seq + 1; /* the report's own event */
	out->r.grand_before = grand;
	out->r.grand_total = grand + out->r.f.net_sales;
	return CM_OK;
}

enum cm_rc shift_x_report(struct till *t, const struct approval *ap, int columns,
                          struct shift_report *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = auth_require(t, ACT_X_REPORT, ap);
	if (rc != CM_OK)
		return rc;
	report_init(t, out, false);
	struct store *st = till_store(t);
	struct shift_rec r;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	rc = since_last_z(t, out);
	if (rc == CM_OK && (rc = store_shift_current(st, &r)) == CM_OK) {
		out->r.shift_open = true;
		if ((rc = store_shift_cash(st, &r, &out->r.shift)) != CM_OK)
			till_store_fail(t, rc);
	} else if (rc == CM_NOTFOUND) {
		rc = CM_OK;
	} else if (rc != CM_OK) {
		till_store_fail(t, rc);
	}
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "from_seq", out->r.from_seq);
	report_payload(c, &out->r.f);
	if (out->r.shift_open)
		canon_int(c, "drawer_expected", cashcount_expected(&out->r.shift));
	auth_approval_payload(c, perm_check(till_user(t)->role, ACT_X_REPORT) == PERM_ALLOW ? NULL : ap);
	canon_obj_end(c);
	struct journal_entry je = { 0 };
	if (rc == CM_OK)
		rc = till_journal(t, "x_report", 0, canon_take(c), &je);
	else
		canon_free(c);
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) != CM_OK)
		return rc;
	out->journal_seq = je.seq;
	out->r.to_seq = je.seq;
	return render(t, out, columns);
}

enum cm_rc shift_z_report(struct till *t, int columns, struct shift_report *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = auth_require(t, ACT_Z_REPORT, NULL);
	if (rc != CM_OK)
		return rc;
	report_init(t, out, true);
	struct store *st = till_store(t);
	struct shift_rec r;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_shift_current(st, &r)) == CM_OK) {
		till_seterr(t, _("shift %lld is still open: close it (blind count) before the Z report"),
		            (long long)r.id);
		return till_end_tx(t, CM_STATE, NULL, 0, NULL);
	}
	if (rc != CM_NOTFOUND)
		return till_end_tx(t, till_store_fail(t, rc), NULL, 0, NULL);
	if ((rc = since_last_z(t, out)) != CM_OK)
		return till_end_tx(t, rc, NULL, 0, NULL);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "z", out->r.z_no);
	canon_int(c, "from_seq", out->r.from_seq);
	report_payload(c, &out->r.f);
	canon_int(c, "grand_before", out->r.grand_before);
	canon_int(c, "grand_total", out->r.grand_total);
	canon_obj_end(c);
	struct journal_entry je;
	if ((rc = till_journal(t, "z_report", 0, canon_take(c), &je)) == CM_OK &&
	    (rc = store_z_insert(st, out->r.z_no, out->r.at, till_user(t)->id, out->r.from_seq,
	                         je.seq, &out->r.f, out->r.grand_total)) != CM_OK)
		till_store_fail(t, rc);
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) != CM_OK)
		return rc;
	out->journal_seq = je.seq;
	out->r.to_seq = je.seq;
	return render(t, out, columns);
}

void shift_report_free(struct shift_report *r)
{
	free(r->text);
	r->text = NULL;
}
