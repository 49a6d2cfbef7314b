/* Member credit for people and as CSV, and the `credit` and `payroll`
 * commands (hqcredit.h): the figures are hqcredit.c's, this file only
 * reads the command line and lays them out. */
#include "hqcredit.h"
#include "hqstore_int.h"
#include "core/csvout.h"
#include "core/money.h"

#include <stdlib.h>
#include <string.h>

static const char *rp(cm_money v, char *buf, size_t n)
{
	money_format(v, NULL, buf, n);
	return buf;
}

static const char *date_text(int32_t d, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
	return buf;
}

static void csv_row(FILE *f, struct csvout *o)
{
	fprintf(f, "%s\n", o->buf);
}

/* ---- the statement ---- */

static const char *kind_text(enum hq_credit_kind k)
{
	return k == HQ_CREDIT_CHARGE ? _("purchase") : k == HQ_CREDIT_REFUND ? _("return credited")
	                                                                      : _("payroll deduction");
}

static void statement_csv(FILE *f, const struct hqcredit_statement *s)
{
	static const char *const head[] = { "date", "kind", "store", "receipt", "amount", "balance",
	                                    NULL };
	char line[512], d[16];
	struct csvout o;
	cm_money bal = s->opening;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, head);
	csv_row(f, &o);
	csvout_begin(&o, line, sizeof line);
	csvout_text(&o, date_text(s->first, d, sizeof d));
	csvout_text(&o, "opening");
	csvout_text(&o, "");
	csvout_text(&o, "");
	csvout_money(&o, s->opening);
	csvout_money(&o, bal);
	csv_row(f, &o);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct hq_credit_row *r = &s->rows[i];
		cm_money a = r->kind == HQ_CREDIT_CHARGE ? r->amount : -r->amount;
		char per[16] = "";
		bal += a;
		if (r->period)
			dues_month_format(r->period, per, sizeof per);
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, date_text(r->date, d, sizeof d));
		csvout_text(&o, hq_credit_kind_name(r->kind));
		csvout_text(&o, r->store);
		csvout_text(&o, r->period ? per : r->receipt);
		csvout_money(&o, a);
		csvout_money(&o, bal);
		csv_row(f, &o);
	}
	static const char *const tail[] = { "charges", "refunds", "payments", "closing", "due" };
	const cm_money v[] = { s->charges, -s->refunds, -s->payments, s->closing, s->due };
	for (size_t i = 0; i < 5; i++) {
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, date_text(s->last, d, sizeof d));
		csvout_text(&o, tail[i]);
		csvout_text(&o, "");
		csvout_text(&o, "");
		csvout_money(&o, v[i]);
		if (i >= 3)
			csvout_money(&o, v[i]);
		else
			csvout_text(&o, "");
		csv_row(f, &o);
	}
}

void hqcredit_statement_print(FILE *f, const struct hqcredit_statement *s, bool csv)
{
	char m[16], d1[16], d2[16], r1[32], r2[32];
	if (csv) {
		statement_csv(f, s);
		return;
	}
	dues_month_format(s->month, m, sizeof m);
	fprintf(f, _("Credit statement (potong gaji) %s: member %s, %s\n"), m, s->m.number, s->m.name);
	fprintf(f, _("from %s to %s; credit limit %s\n"), date_text(s->first, d1, sizeof d1),
	        date_text(s->last, d2, sizeof d2), rp(s->m.credit_limit, r1, sizeof r1));
	fprintf(f, "  %-40s %14s\n", _("opening balance"), rp(s->opening, r1, sizeof r1));
	for (size_t i = 0; i < s->nrows; i++) {
		const struct hq_credit_row *r = &s->rows[i];
		char what[120], per[16];
		if (r->period) {
			dues_month_format(r->period, per, sizeof per);
			snprintf(what, sizeof what, "%s %s", kind_text(r->kind), per);
		} else {
			snprintf(what, sizeof what, "%s %s %s", kind_text(r->kind), r->store, r->receipt);
		}
		fprintf(f, "  %s %-29s %14s\n", date_text(r->date, d1, sizeof d1), what,
		        rp(r->kind == HQ_CREDIT_CHARGE ? r->amount : -r->amount, r2, sizeof r2));
	}
	fprintf(f, "  %-40s %14s\n", _("purchases"), rp(s->charges, r1, sizeof r1));
	fprintf(f, "  %-40s %14s\n", _("returns credited"), rp(-s->refunds, r1, sizeof r1));
	fprintf(f, "  %-40s %14s\n", _("payments and deductions"), rp(-s->payments, r1, sizeof r1));
	fprintf(f, "  %-40s %14s\n", _("closing balance"), rp(s->closing, r1, sizeof r1));
	fprintf(f, "  %-40s %14s\n", _("amount due"), rp(s->due, r1, sizeof r1));
}

/* ---- payroll ---- */

void hqcredit_payroll_print(FILE *f, const struct hqcredit_payroll_line *l, size_t n,
                            const char *employer, int32_t month, bool csv)
{
	static const char *const head[] = { "employee_no", "member", "name", "department", "period",
	                                    "wajib", "credit", "total", NULL };
	char line[1024], m[16], r1[32], r2[32], r3[32];
	struct csvout o;
	dues_month_format(month, m, sizeof m);
	if (csv) {
		csvout_begin(&o, line, sizeof line);
		csvout_header(&o, head);
		csv_row(f, &o);
	} else {
		fprintf(f, _("Payroll deductions %s, %s\n"), m, employer);
		fprintf(f, "%-12s %-10s %-24s %-14s %12s %12s %12s\n", _("employee"), _("member"),
		        _("name"), _("department"), "wajib", _("credit"), _("total"));
	}
	cm_money tw = 0, tc = 0;
	for (size_t i = 0; i < n; i++) {
		tw += l[i].wajib;
		tc += l[i].credit;
		if (!csv) {
			fprintf(f, "%-12s %-10s %-24.24s %-14.14s %12s %12s %12s\n", l[i].employee_no,
			        l[i].number, l[i].name, l[i].department, rp(l[i].wajib, r1, sizeof r1),
			        rp(l[i].credit, r2, sizeof r2), rp(l[i].wajib + l[i].credit, r3, sizeof r3));
			continue;
		}
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, l[i].employee_no);
		csvout_text(&o, l[i].number);
		csvout_text(&o, l[i].name);
		csvout_text(&o, l[i].department);
		csvout_text(&o, m);
		csvout_money(&o, l[i].wajib);
		csvout_money(&o, l[i].credit);
		csvout_money(&o, l[i].wajib + l[i].credit);
		csv_row(f, &o);
	}
	if (!csv)
		fprintf(f, "%-64s %12s %12s %12s\n", _("total"), rp(tw, r1, sizeof r1),
		        rp(tc, r2, sizeof r2), rp(tw + tc, r3, sizeof r3));
}

void hqcredit_payroll_result_print(FILE *f, const struct hqcredit_payroll_result *r)
{
	char m[16], r1[32], r2[32], r3[32], r4[32];
	fprintf(f, _("%zu deduction(s) applied, %zu imported already (nothing changed)\n"),
	        r->applied, r->already);
	for (size_t i = 0; i < r->nshort; i++) {
		const struct hqcredit_deduction *d = &r->shortfall[i];
		dues_month_format(d->month, m, sizeof m);
		if (d->missing)
			fprintf(f, _("MISSING %s %s %s: wajib due %s, credit due %s; left outstanding\n"),
			        d->number, d->name, m, rp(d->wajib_due, r1, sizeof r1),
			        rp(d->credit_due, r2, sizeof r2));
		else
			fprintf(f, _("SHORT %s %s %s: wajib %s of %s, credit %s of %s; the rest left "
			             "outstanding\n"), d->number, d->name, m, rp(d->wajib_paid, r1, sizeof r1),
			        rp(d->wajib_due, r2, sizeof r2), rp(d->credit_paid, r3, sizeof r3),
			        rp(d->credit_due, r4, sizeof r4));
	}
}

/* ---- the commands ---- */

enum { EX_DONE = 0, EX_USAGE = 1, EX_NOTFOUND = 2, EX_INVALID = 3, EX_DENIED = 4, EX_BUSY = 5,
       EX_WRITE = 6, EX_DAMAGED = 7, EX_STATE = 8 };

static int exit_of(enum cm_rc rc)
{
	switch (rc) {
	case CM_OK: return EX_DONE;
	case CM_NOTFOUND: return EX_NOTFOUND;
	case CM_INVALID: return EX_INVALID;
	case CM_DENIED: case CM_NEED_OVERRIDE: case CM_LOCKED: return EX_DENIED;
	case CM_BUSY: return EX_BUSY;
	case CM_CORRUPT: return EX_DAMAGED;
	case CM_STATE: case CM_CONFLICT: return EX_STATE;
	default: return EX_WRITE;
	}
}

static int fail(enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "coopmart-hq: %s\n", msg);
	return exit_of(rc);
}

static int usage(void)
{
	fputs(_("usage: coopmart-hq credit limit set MEMBER AMOUNT|share\n"
	        "       coopmart-hq credit setting share PERCENT | cutoff-day DAY\n"
	        "       coopmart-hq credit statement MEMBER --period YYYY-MM [--csv]\n"
	        "       coopmart-hq payroll export --employer E --period YYYY-MM [--csv]\n"
	        "       coopmart-hq payroll import FILE\n"), stderr);
	return EX_USAGE;
}

/* The command's words and options: --csv, and --period/--employer with
 * a value; anything else is a usage error. */
struct args {
	const char *word[5];
	int nword;
	const char *period, *employer;
	bool csv;
};

static bool args_read(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];
		const char **val = strcmp(s, "--period") == 0 ? &a->period
		                 : strcmp(s, "--employer") == 0 ? &a->employer : NULL;
		if (val) {
			if (i + 1 >= argc)
				return false;
			*val = argv[++i];
		} else if (strcmp(s, "--csv") == 0) {
			a->csv = true;
		} else if (s[0] == '-' && s[1]) {
			fprintf(stderr, _("coopmart-hq: unknown option %s\n"), s);
			return false;
		} else if (a->nword < 5) {
			a->word[a->nword++] = s;
		} else {
			return false;
		}
	}
	return true;
}

static bool period_arg(const char *s, int32_t *out)
{
	return s && dues_month_parse(s, out) == CM_OK;
}

static int credit_limit(struct hqstore *st, const struct args *a)
{
	cm_money amount = -1;
	struct hq_member m;
	char r1[32], r2[32];
	if (a->nword != 4 || strcmp(a->word[1], "set") != 0 || a->period || a->employer || a->csv)
		return usage();
	if (strcmp(a->word[3], "share") != 0 &&
	    (money_parse(a->word[3], &amount) != CM_OK || amount < 0 || amount > MONEY_PRICE_MAX))
		return fail(CM_INVALID, _("the credit limit is an amount in rupiah, or \"share\" for "
		                          "the share of the salary"));
	enum cm_rc rc = hqcredit_limit_set(st, a->word[2], amount, &m);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	printf(_("member %s: credit limit %s, owes %s\n"), m.number, rp(m.credit_limit, r1, sizeof r1),
	       rp(m.credit_balance, r2, sizeof r2));
	return EX_DONE;
}

static int credit_setting(struct hqstore *st, const struct args *a)
{
	char *end;
	bool changed;
	if (a->nword != 3 || a->period || a->employer || a->csv)
		return usage();
	long v = strtol(a->word[2], &end, 10);
	bool share = strcmp(a->word[1], "share") == 0;
	if (!share && strcmp(a->word[1], "cutoff-day") != 0)
		return usage();
	if (*end || end == a->word[2] || v < (share ? 0 : 1) || v > (share ? 100 : 31))
		return fail(CM_INVALID, share ? _("share is a percent of the salary from 0 to 100")
		                              : _("cutoff-day is a day of the month from 1 to 31"));
	enum cm_rc rc = hqcredit_setting_put(st, share ? HQCREDIT_SHARE : HQCREDIT_CUTOFF, v, &changed);
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int credit_statement(struct hqstore *st, const struct args *a)
{
	struct hqcredit_statement s;
	int32_t month;
	if (a->nword != 2 || a->employer)
		return usage();
	if (!period_arg(a->period, &month))
		return fail(CM_INVALID, _("--period is a month YYYY-MM"));
	enum cm_rc rc = hqcredit_statement(st, a->word[1], month, &s);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	hqcredit_statement_print(stdout, &s, a->csv);
	hqcredit_statement_free(&s);
	return EX_DONE;
}

int hqcredit_cmd_credit(struct hqstore *st, int argc, char **argv)
{
	struct args a;
	if (!args_read(argc, argv, &a) || !a.nword)
		return usage();
	if (strcmp(a.word[0], "limit") == 0)
		return credit_limit(st, &a);
	if (strcmp(a.word[0], "setting") == 0)
		return credit_setting(st, &a);
	if (strcmp(a.word[0], "statement") == 0)
		return credit_statement(st, &a);
	return usage();
}

int hqcredit_cmd_payroll(struct hqstore *st, int argc, char **argv)
{
	struct args a;
	if (!args_read(argc, argv, &a) || !a.nword)
		return usage();
	if (strcmp(a.word[0], "export") == 0 && a.nword == 1) {
		struct hqcredit_payroll_line *l;
		size_t n;
		int32_t month;
		if (!a.employer)
			return usage();
		if (!period_arg(a.period, &month))
			return fail(CM_INVALID, _("--period is a month YYYY-MM"));
		enum cm_rc rc = hqcredit_payroll_export(st, a.employer, month, &l, &n);
		if (rc != CM_OK)
			return fail(rc, hqstore_errmsg());
		hqcredit_payroll_print(stdout, l, n, a.employer, month, a.csv);
		free(l);
		return EX_DONE;
	}
	if (strcmp(a.word[0], "import") == 0 && a.nword == 2 && !a.period && !a.employer && !a.csv) {
		struct hqcredit_payroll_result r;
		enum cm_rc rc = hqcredit_payroll_import(st, a.word[1], stderr, &r);
		/* The file's own errors are on stderr already. */
		if (rc == CM_INVALID || rc == CM_NOTFOUND)
			return exit_of(rc);
		if (rc != CM_OK)
			return fail(rc, hqstore_errmsg());
		hqcredit_payroll_result_print(stdout, &r);
		free(r.shortfall);
		return EX_DONE;
	}
	return usage();
}
