/* Payroll deductions at HQ: `coopmart-hq payroll import` (hqcredit.h). */
#include "hqcredit.h"
#include "hqdues.h"
#include "hqstore_int.h"

#include "core/csv.h"
#include "core/money.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (16L * 1024 * 1024)

struct line {
	size_t line;
	char member[24], employee_no[32];
	int32_t month;
	cm_money wajib, credit;
};

enum { COL_MEMBER, COL_EMPLOYEE, COL_PERIOD, COL_WAJIB, COL_CREDIT, COL_COUNT };
static const char *const cols[COL_COUNT] = { "member", "employee_no", "period", "wajib",
	                                         "credit" };

struct reader {
	const char *path;
	FILE *errs;
	int index[COL_COUNT];
	struct line *l;
	size_t n, cap, bad;
	bool header;
};

static void bad(struct reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad(struct reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;
	fprintf(r->errs, "%s: ", r->path);
	fprintf(r->errs, _("line %zu: "), line);
	va_start(ap, fmt);
	vfprintf(r->errs, fmt, ap);
	va_end(ap);
	fputc('\n', r->errs);
	r->bad++;
}

static enum cm_rc on_header(struct reader *r, const struct csv_row *row)
{
	for (size_t k = 0; k < COL_COUNT; k++) {
		r->index[k] = -1;
		for (size_t i = 0; i < row->nfields; i++)
			if (strcmp(row->fields[i], cols[k]) == 0)
				r->index[k] = (int)i;
	}
	if ((r->index[COL_MEMBER] < 0 && r->index[COL_EMPLOYEE] < 0) || r->index[COL_PERIOD] < 0 ||
	    (r->index[COL_WAJIB] < 0 && r->index[COL_CREDIT] < 0)) {
		fprintf(r->errs, "%s: %s\n", r->path,
		        _("the header needs member or employee_no, period, and wajib and/or credit"));
		return CM_INVALID;
	}
	return CM_OK;
}

static const char *field(const struct reader *r, const struct csv_row *row, int k)
{
	return r->index[k] >= 0 && (size_t)r->index[k] < row->nfields ? row->fields[r->index[k]] : "";
}

static bool amount(struct reader *r, size_t line, const char *v, cm_money *out)
{
	*out = 0;
	if (!*v)
		return true;
	if (money_parse(v, out) != CM_OK || *out < 0 || *out > MONEY_PRICE_MAX) {
		bad(r, line, _("\"%s\" is not an amount in rupiah"), v);
		return false;
	}
	return true;
}

static enum cm_rc on_row(const struct csv_row *row, void *ctx)
{
	struct reader *r = ctx;
	if (!r->header) {
		r->header = true;
		return on_header(r, row);
	}
	struct line l = { .line = row->line };
	const char *member = field(r, row, COL_MEMBER), *emp = field(r, row, COL_EMPLOYEE);
	if (strlen(member) >= sizeof l.member || strlen(emp) >= sizeof l.employee_no ||
	    (!*member && !*emp)) {
		bad(r, row->line, "%s", _("a line needs a member number or an employee number"));
		return CM_OK;
	}
	snprintf(l.member, sizeof l.member, "%s", member);
	snprintf(l.employee_no, sizeof l.employee_no, "%s", emp);
	if (dues_month_parse(field(r, row, COL_PERIOD), &l.month) != CM_OK) {
		bad(r, row->line, _("period \"%s\" is not a month YYYY-MM"), field(r, row, COL_PERIOD));
		return CM_OK;
	}
	if (!amount(r, row->line, field(r, row, COL_WAJIB), &l.wajib) ||
	    !amount(r, row->line, field(r, row, COL_CREDIT), &l.credit))
		return CM_OK;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		void *p = realloc(r->l, cap * sizeof *r->l);
		if (!p)
			return CM_NOMEM;
		r->l = p;
		r->cap = cap;
	}
	r->l[r->n++] = l;
	return CM_OK;
}

static enum cm_rc read_file(struct reader *r)
{
	FILE *f = fopen(r->path, "rb");
	char err[200];
	if (!f) {
		fprintf(r->errs, "%s: %s\n", r->path, strerror(errno));
		return CM_NOTFOUND;
	}
	char *buf = malloc((size_t)MAX_FILE + 1);
	size_t len = buf ? fread(buf, 1, (size_t)MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!buf)
		return CM_NOMEM;
	if (len > (size_t)MAX_FILE) {
		free(buf);
		fprintf(r->errs, "%s: %s\n", r->path, _("too large (at most 16 MB)"));
		return CM_INVALID;
	}
	buf[len] = '\0';
	enum cm_rc rc = csv_parse(buf, len, on_row, r, err, sizeof err);
	free(buf);
	if (rc == CM_INVALID && err[0])
		fprintf(r->errs, "%s: %s\n", r->path, err);
	return rc;
}

/* ---- applying ---- */

struct apply {
	struct hqstore *st;
	struct hqdues_schedule sch;
	int64_t version, cutoff;
	struct hqcredit_payroll_result *res;
	size_t cap;
	struct hqdues_standing sd;        /* scratch: large */
};

static enum cm_rc note_short(struct apply *a, const struct hq_member *m, int32_t month,
                             cm_money wd, cm_money wp, cm_money cd, cm_money cp, bool missing)
{
	struct hqcredit_payroll_result *res = a->res;
	if (res->nshort == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *p = realloc(res->shortfall, cap * sizeof *res->shortfall);
		if (!p)
			return CM_NOMEM;
		res->shortfall = p;
		a->cap = cap;
	}
	struct hqcredit_deduction *d = &res->shortfall[res->nshort++];
	memset(d, 0, sizeof *d);
	snprintf(d->number, sizeof d->number, "%s", m->number);
	snprintf(d->name, sizeof d->name, "%s", m->name);
	d->month = month;
	d->wajib_due = wd;
	d->wajib_paid = wp;
	d->credit_due = cd;
	d->credit_paid = cp;
	d->missing = missing;
	return CM_OK;
}

/* wajib: month by month, oldest owed first, by the dues rule; what is
 * left over is sukarela. */
static enum cm_rc fold_pay(struct apply *a, const struct hq_member *m, int32_t month,
                           int32_t date, enum dues_kind k, int32_t owed_month, cm_money amount)
{
	struct hq_dues_pay p = { .payroll = true, .date = date, .kind = k, .month = owed_month,
	                         .amount = amount };
	enum hqdues_outcome o;
	snprintf(p.member_no, sizeof p.member_no, "%s", m->number);
	snprintf(p.store, sizeof p.store, "%s", m->store);
	snprintf(p.source, sizeof p.source, "payroll-deduction:%s:%ld:%ld", m->number, (long)month,
	         (long)owed_month);
	return hqdues_fold(a->st, &a->sch, &p, NULL, a->version, &o);
}

static enum cm_rc apply_wajib(struct apply *a, const struct hq_member *m, int32_t month,
                              int32_t date, cm_money paid)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && paid > 0 && i < a->sd.nowed &&
	                   a->sd.owed[i].month <= month; i++) {
		cm_money take = paid < a->sd.owed[i].amount ? paid : a->sd.owed[i].amount;
		paid -= take;
		rc = fold_pay(a, m, month, date, DUES_WAJIB, a->sd.owed[i].month, take);
	}
	if (rc == CM_OK && paid > 0)
		rc = fold_pay(a, m, month, date, DUES_SUKARELA, 0, paid);
	return rc;
}

static enum cm_rc apply_line(struct apply *a, const struct line *l, const struct hq_member *m)
{
	cm_money wajib_due, credit_due;
	enum cm_rc rc = hqstore_payroll_seen(a->st, m->number, l->month);
	if (rc == CM_OK) {
		a->res->already++;
		return CM_OK;
	}
	if (rc != CM_NOTFOUND)
		return rc;
	rc = hqstore_payroll_insert(a->st, m->number, l->month, l->wajib, l->credit);
	/* What was due, before this deduction is applied. */
	struct hqdues_standing *sd = &a->sd;
	if (rc == CM_OK)
		rc = hqcredit_payroll_due(a->st, m->number, l->month, &wajib_due, &credit_due, sd);
	if (rc != CM_OK)
		return rc;
	int32_t date = hqcredit_month_first(dues_month_add(l->month, 1), (int)a->cutoff);
	if (l->wajib)
		rc = apply_wajib(a, m, l->month, date, l->wajib);
	if (rc == CM_OK && l->credit) {
		struct hq_credit_row r = { .kind = HQ_CREDIT_PAYMENT, .amount = l->credit, .date = date,
		                           .period = l->month };
		snprintf(r.member_no, sizeof r.member_no, "%s", m->number);
		snprintf(r.store, sizeof r.store, "%s", m->store[0] ? m->store : "HQ");
		snprintf(r.terminal, sizeof r.terminal, "payroll");
		rc = hqcredit_fold(a->st, &r);
	}
	if (rc == CM_OK)
		rc = hqstore_member_version_set(a->st, m->number, a->version);
	a->res->applied++;
	if (rc == CM_OK && (l->wajib < wajib_due || l->credit < credit_due))
		rc = note_short(a, m, l->month, wajib_due, l->wajib, credit_due, l->credit, false);
	return rc;
}

/* Members of the employers in the file who owed for a month in it and
 * have no deduction for it: missing. */
static enum cm_rc find_missing(struct apply *a, const struct line *l, size_t n,
                               const struct hq_member *ms)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = !(l[j].month == l[i].month && strcmp(ms[j].employer, ms[i].employer) == 0);
		if (!first || !ms[i].employer[0])
			continue;
		struct hq_member *em;
		size_t ne;
		if ((rc = hqstore_members_of_employer(a->st, ms[i].employer, &em, &ne)) != CM_OK)
			return rc;
		for (size_t k = 0; rc == CM_OK && k < ne; k++) {
			cm_money wd, cd;
			if ((rc = hqstore_payroll_seen(a->st, em[k].number, l[i].month)) == CM_OK)
				continue;
			if (rc != CM_NOTFOUND)
				break;
			rc = hqcredit_payroll_due(a->st, em[k].number, l[i].month, &wd, &cd, NULL);
			if (rc == CM_OK && (wd || cd))
				rc = note_short(a, &em[k], l[i].month, wd, 0, cd, 0, true);
		}
		free(em);
	}
	return rc;
}

static enum cm_rc resolve(struct apply *a, struct reader *r, struct hq_member *ms)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct line *l = &r->l[i];
		enum cm_rc rc = l->member[0] ? hqstore_member_get(a->st, l->member, false, &ms[i])
		                             : hqstore_member_by_employee(a->st, l->employee_no, &ms[i]);
		if (rc == CM_NOTFOUND)
			bad(r, l->line, _("member \"%s\" is not known at HQ"),
			    l->member[0] ? l->member : l->employee_no);
		else if (rc != CM_OK)
			return rc;
		for (size_t j = 0; rc == CM_OK && j < i; j++)
			if (l->month == r->l[j].month && strcmp(ms[i].number, ms[j].number) == 0) {
				bad(r, l->line, _("member %s has two lines for one period"), ms[i].number);
				break;
			}
	}
	return CM_OK;
}

static enum cm_rc apply_all(struct apply *a, struct reader *r)
{
	struct hq_member *ms = calloc(r->n ? r->n : 1, sizeof *ms);
	if (!ms)
		return CM_NOMEM;
	enum cm_rc rc = hqstore_members_version_lock(a->st, &a->version);
	int64_t share;
	if (rc == CM_OK)
		rc = hqcredit_settings(a->st, &share, &a->cutoff);
	if (rc == CM_OK)
		rc = hqdues_schedule_load(a->st, &a->sch);
	a->version++;
	if (rc == CM_OK)
		rc = resolve(a, r, ms);
	if (rc == CM_OK && r->bad) {
		fprintf(r->errs, "%s: ", r->path);
		fprintf(r->errs, _("%zu bad line(s): nothing imported\n"), r->bad);
		rc = CM_INVALID;
	}
	for (size_t i = 0; rc == CM_OK && i < r->n; i++)
		rc = apply_line(a, &r->l[i], &ms[i]);
	if (rc == CM_OK && a->res->applied)
		rc = hqstore_version_set(a->st, HQ_MEMBERS, a->version);
	if (rc == CM_OK)
		rc = find_missing(a, r->l, r->n, ms);
	hqdues_schedule_free(&a->sch);
	free(ms);
	return rc;
}

enum cm_rc hqcredit_payroll_import(struct hqstore *st, const char *path, FILE *errs,
                                   struct hqcredit_payroll_result *out)
{
	struct reader r = { .path = path, .errs = errs };
	memset(out, 0, sizeof *out);
	enum cm_rc rc = read_file(&r);
	out->bad = r.bad;
	if (rc == CM_OK && r.bad) {
		fprintf(errs, "%s: ", path);
		fprintf(errs, _("%zu bad line(s): nothing imported\n"), r.bad);
		rc = CM_INVALID;
	}
	struct apply *a = rc == CM_OK ? calloc(1, sizeof *a) : NULL;
	if (rc == CM_OK && !a)
		rc = CM_NOMEM;
	if (rc == CM_OK && (rc = hqstore_begin(st)) == CM_OK) {
		a->st = st;
		a->res = out;
		rc = apply_all(a, &r);
		out->bad = r.bad;
		if (rc == CM_OK)
			rc = hqstore_commit(st);
		else
			hqstore_rollback(st);
	}
	if (rc != CM_OK) {
		free(out->shortfall);
		out->shortfall = NULL;
		out->nshort = out->applied = 0;
	}
	free(a);
	free(r.l);
	return rc;
}
