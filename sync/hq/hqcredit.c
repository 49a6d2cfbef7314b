/* Member credit at HQ: the rules (hqcredit.h). */
#include "hqcredit.h"
#include "hqdues.h"
#include "hqstore_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the statement month ---- */

static int days_in(int32_t month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = month / 100, m = month % 100;
	bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return m == 2 && leap ? 29 : days[m - 1];
}

int32_t hqcredit_month_last(int32_t month, int cutoff)
{
	int d = cutoff < days_in(month) ? cutoff : days_in(month);
	return month * 100 + d;
}

int32_t hqcredit_month_first(int32_t month, int cutoff)
{
	int32_t prev = dues_month_add(month, -1);
	int32_t last = hqcredit_month_last(prev, cutoff);
	return last % 100 < days_in(prev) ? last + 1 : month * 100 + 1;
}

int32_t hqcredit_month_of(int32_t date, int cutoff)
{
	int32_t month = date / 100;
	return date <= hqcredit_month_last(month, cutoff) ? month : dues_month_add(month, 1);
}

/* ---- settings and limits ---- */

enum cm_rc hqcredit_settings(struct hqstore *st, int64_t *share, int64_t *cutoff)
{
	*share = 0;
	*cutoff = 25;
	enum cm_rc rc = hqstore_setting(st, HQCREDIT_SHARE, share);
	if (rc == CM_NOTFOUND)
		rc = CM_OK;
	if (rc == CM_OK && (rc = hqstore_setting(st, HQCREDIT_CUTOFF, cutoff)) == CM_NOTFOUND)
		rc = CM_OK;
	return rc;
}

enum cm_rc hqcredit_setting_put(struct hqstore *st, const char *name, int64_t value, bool *changed)
{
	int64_t v, moved = 0;
	*changed = false;
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_members_version_lock(st, &v);
	if (rc == CM_OK)
		rc = hqstore_setting_set(st, name, value, changed);
	if (rc == CM_OK && *changed && strcmp(name, HQCREDIT_SHARE) == 0)
		rc = hqstore_credit_limits_recompute(st, value, v + 1, &moved);
	if (rc == CM_OK && moved)
		rc = hqstore_version_set(st, HQ_MEMBERS, v + 1);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		*changed = false;
		return rc;
	}
	return hqstore_commit(st);
}

enum cm_rc hqcredit_limit_set(struct hqstore *st, const char *number, int64_t amount,
                              struct hq_member *out)
{
	int64_t v, share, cutoff;
	bool changed = false;
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_members_version_lock(st, &v);
	if (rc == CM_OK)
		rc = hqcredit_settings(st, &share, &cutoff);
	if (rc == CM_OK && (rc = hqstore_member_get(st, number, true, out)) == CM_NOTFOUND)
		db_fail(CM_NOTFOUND, _("member %s is not known at HQ"), number);
	if (rc == CM_OK)
		rc = hqstore_credit_terms_set(st, number, amount, -1, share, v + 1, &changed);
	if (rc == CM_OK && changed)
		rc = hqstore_version_set(st, HQ_MEMBERS, v + 1);
	if (rc == CM_OK)
		rc = hqstore_member_get(st, number, false, out);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		return rc;
	}
	return hqstore_commit(st);
}

/* ---- folding ---- */

static enum cm_rc alert_over(struct hqstore *st, const struct hq_credit_row *r,
                             const struct hq_member *m, cm_money balance)
{
	int64_t share, cutoff;
	char stores[200], detail[600];
	enum cm_rc rc = hqcredit_settings(st, &share, &cutoff);
	int32_t month = hqcredit_month_of(r->date, (int)cutoff);
	if (rc == CM_OK)
		rc = hqstore_credit_stores(st, r->member_no, hqcredit_month_first(month, (int)cutoff),
		                           hqcredit_month_last(month, (int)cutoff), stores,
		                           sizeof stores);
	if (rc != CM_OK)
		return rc;
	snprintf(detail, sizeof detail, "member %s (%s): credit balance %lld is over the limit "
	         "%lld after receipt %s; charged this month at store(s) %s", m->number, m->name,
	         (long long)balance, (long long)m->credit_limit, r->receipt, stores);
	return hqstore_alert(st, r->store, r->terminal, "credit_over_limit", detail);
}

enum cm_rc hqcredit_fold(struct hqstore *st, const struct hq_credit_row *r)
{
	struct hq_member m;
	int64_t v;
	char detail[300];
	enum cm_rc rc = hqstore_members_version_lock(st, &v);
	if (rc == CM_OK)
		rc = hqstore_member_get(st, r->member_no, true, &m);
	if (rc == CM_NOTFOUND) {
		rc = hqstore_credit_insert(st, r, v);
		snprintf(detail, sizeof detail, "member %s is not known at HQ: credit %s of %lld "
		         "kept (store %s, terminal %s, receipt %s)", r->member_no,
		         hq_credit_kind_name(r->kind), (long long)r->amount, r->store, r->terminal,
		         r->receipt);
		return rc == CM_OK ? hqstore_alert(st, r->store, r->terminal, "credit_unknown_member",
		                                   detail)
		                   : rc;
	}
	if (rc == CM_OK)
		rc = hqstore_credit_insert(st, r, v + 1);
	if (rc == CM_OK)
		rc = hqstore_version_set(st, HQ_MEMBERS, v + 1);
	cm_money after = m.credit_balance + r->amount;
	if (rc == CM_OK && r->kind == HQ_CREDIT_CHARGE && m.credit_balance <= m.credit_limit &&
	    after > m.credit_limit)
		rc = alert_over(st, r, &m, after);
	return rc;
}

/* ---- the statement ---- */

struct stmt_build {
	struct hqcredit_statement *s;
	size_t cap;
};

static cm_money signed_amount(const struct hq_credit_row *r)
{
	return r->kind == HQ_CREDIT_CHARGE ? r->amount : -r->amount;
}

static enum cm_rc on_row(const struct hq_credit_row *r, void *ctx)
{
	struct stmt_build *b = ctx;
	struct hqcredit_statement *s = b->s;
	if (r->kind == HQ_CREDIT_PAYMENT && r->period == s->month)
		s->settled += r->amount;
	if (r->date > s->last)
		return CM_OK;
	if (r->date < s->first) {
		s->opening += signed_amount(r);
		return CM_OK;
	}
	if (s->nrows == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		void *p = realloc(s->rows, cap * sizeof *s->rows);
		if (!p)
			return CM_NOMEM;
		s->rows = p;
		b->cap = cap;
	}
	s->rows[s->nrows++] = *r;
	cm_money *sum = r->kind == HQ_CREDIT_CHARGE ? &s->charges
	              : r->kind == HQ_CREDIT_REFUND ? &s->refunds : &s->payments;
	*sum += r->amount;
	return CM_OK;
}

enum cm_rc hqcredit_statement(struct hqstore *st, const char *number, int32_t month,
                              struct hqcredit_statement *out)
{
	int64_t share, cutoff;
	struct stmt_build b = { .s = out };
	memset(out, 0, sizeof *out);
	out->month = month;
	enum cm_rc rc = hqstore_member_get(st, number, false, &out->m);
	if (rc == CM_NOTFOUND)
		return db_fail(CM_NOTFOUND, _("member %s is not known at HQ"), number);
	if (rc != CM_OK || (rc = hqcredit_settings(st, &share, &cutoff)) != CM_OK)
		return rc;
	out->first = hqcredit_month_first(month, (int)cutoff);
	out->last = hqcredit_month_last(month, (int)cutoff);
	rc = hqstore_credit_each(st, number, on_row, &b);
	if (rc != CM_OK) {
		hqcredit_statement_free(out);
		return rc;
	}
	out->closing = out->opening + out->charges - out->refunds - out->payments;
	out->due = out->closing > 0 ? out->closing : 0;
	return CM_OK;
}

void hqcredit_statement_free(struct hqcredit_statement *s)
{
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

/* ---- payroll ---- */

enum cm_rc hqcredit_payroll_due(struct hqstore *st, const char *number, int32_t month,
                                cm_money *wajib, cm_money *credit, struct hqdues_standing *owed)
{
	struct hqdues_statement *ds = calloc(1, sizeof *ds);
	struct hqcredit_statement cs;
	if (!ds)
		return CM_NOMEM;
	enum cm_rc rc = hqdues_statement(st, number, 0, month, ds);
	if (rc == CM_OK) {
		*wajib = ds->standing.wajib.arrears;
		if (owed)
			*owed = ds->standing;
		hqdues_statement_free(ds);
		rc = hqcredit_statement(st, number, month, &cs);
	}
	free(ds);
	if (rc == CM_OK) {
		*credit = cs.due > cs.settled ? cs.due - cs.settled : 0;
		hqcredit_statement_free(&cs);
	}
	return rc;
}

enum cm_rc hqcredit_payroll_export(struct hqstore *st, const char *employer, int32_t month,
                                   struct hqcredit_payroll_line **out, size_t *n)
{
	struct hq_member *m;
	size_t nm;
	*out = NULL;
	*n = 0;
	enum cm_rc rc = hqstore_members_of_employer(st, employer, &m, &nm);
	if (rc != CM_OK)
		return rc;
	if (!nm)
		return db_fail(CM_NOTFOUND, _("employer %s has no member at HQ"), employer);
	*out = calloc(nm, sizeof **out);
	if (!*out) {
		free(m);
		return CM_NOMEM;
	}
	for (size_t i = 0; rc == CM_OK && i < nm; i++) {
		struct hqcredit_payroll_line *l = &(*out)[i];
		snprintf(l->employee_no, sizeof l->employee_no, "%s", m[i].employee_no);
		snprintf(l->number, sizeof l->number, "%s", m[i].number);
		snprintf(l->name, sizeof l->name, "%s", m[i].name);
		snprintf(l->department, sizeof l->department, "%s", m[i].department);
		rc = hqcredit_payroll_due(st, m[i].number, month, &l->wajib, &l->credit, NULL);
	}
	free(m);
	if (rc != CM_OK) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*n = nm;
	return CM_OK;
}
