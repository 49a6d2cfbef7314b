/* The dues reports for people and as CSV (hqdues.h): the figures are
 * hqdues.c's, this file only lays them out. */
#include "hqdues.h"
#include "core/csvout.h"
#include "core/money.h"
#include "core/utf8.h"

#include <string.h>

static const char *rp(cm_money v, char *buf, size_t n)
{
	money_format(v, NULL, buf, n);
	return buf;
}

static const char *month_text(int32_t m, char *buf, size_t n)
{
	if (m)
		dues_month_format(m, buf, n);
	else
		snprintf(buf, n, "-");
	return buf;
}

static const char *date_text(int32_t d, char *buf, size_t n)
{
	if (d)
		snprintf(buf, n, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
	else
		snprintf(buf, n, "-");
	return buf;
}

/* A member's status in the reader's language; CSV keeps the codes. */
static const char *status_text(const char *status)
{
	if (strcmp(status, "active") == 0)
		return _("active");
	if (strcmp(status, "left") == 0)
		return _("left");
	if (strcmp(status, "blocked") == 0)
		return _("blocked");
	return status;
}

static void csv_row(FILE *f, struct csvout *o)
{
	fprintf(f, "%s\n", o->buf);
}

static void arrears_csv(FILE *f, const struct hqdues_arrear *a, size_t n)
{
	static const char *const head[] = { "number", "name", "type", "status", "store", "months",
	                                    "wajib", "pokok", "rupiah", "oldest", "inactive", NULL };
	char line[1024], m[16];
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, head);
	csv_row(f, &o);
	for (size_t i = 0; i < n; i++) {
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, a[i].number);
		csvout_text(&o, a[i].name);
		csvout_text(&o, a[i].type);
		csvout_text(&o, a[i].status);
		csvout_text(&o, a[i].store);
		csvout_int(&o, a[i].months);
		csvout_money(&o, a[i].wajib);
		csvout_money(&o, a[i].pokok);
		csvout_money(&o, a[i].wajib + a[i].pokok);
		csvout_text(&o, a[i].oldest ? month_text(a[i].oldest, m, sizeof m) : "");
		csvout_text(&o, a[i].inactive ? "yes" : "no");
		csv_row(f, &o);
	}
}

void hqdues_arrears_print(FILE *f, const struct hqdues_arrear *a, size_t n, int32_t month,
                          bool csv)
{
	char m[16], r1[32], r2[32], r3[32], name[128];
	cm_money total = 0;
	if (csv) {
		arrears_csv(f, a, n);
		return;
	}
	fprintf(f, _("Dues arrears as of %s, oldest first\n"), month_text(month, m, sizeof m));
	fprintf(f, "%-12s %s %-10s %-8s %6s %14s %12s %8s\n", _("Number"),
	        utf8_fit(_("Name"), 24, name, sizeof name), _("Type"), _("Status"), _("Months"),
	        _("Wajib"), _("Pokok"), _("Oldest"));
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%-12s %s %-10s %-8s %6d %14s %12s %8s%s\n", a[i].number,
		        utf8_fit(a[i].name, 24, name, sizeof name), a[i].type, status_text(a[i].status),
		        a[i].months, rp(a[i].wajib, r1, sizeof r1), rp(a[i].pokok, r2, sizeof r2),
		        month_text(a[i].oldest, m, sizeof m), a[i].inactive ? _("  inactive for dues") : "");
		total += a[i].wajib + a[i].pokok;
	}
	fprintf(f, _("%zu member(s) owe %s in all\n"), n, rp(total, r3, sizeof r3));
}

static void statement_csv(FILE *f, const struct hqdues_statement *s)
{
	static const char *const head[] = { "date", "kind", "month", "amount", "channel", "store",
	                                    "terminal", "receipt", "counted", NULL };
	char line[1024], m[16];
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, head);
	csv_row(f, &o);
	for (size_t i = 0; i < s->npays; i++) {
		const struct hq_dues_pay *p = &s->pays[i];
		csvout_begin(&o, line, sizeof line);
		csvout_text(&o, date_text(p->date, m, sizeof m));
		csvout_text(&o, dues_kind_name(p->kind));
		csvout_text(&o, p->month ? month_text(p->month, m, sizeof m) : "");
		csvout_money(&o, p->amount);
		csvout_text(&o, p->payroll ? "payroll" : "till");
		csvout_text(&o, p->store);
		csvout_text(&o, p->terminal);
		csvout_text(&o, p->receipt);
		csvout_text(&o, p->counted ? "yes" : "no");
		csv_row(f, &o);
	}
}

static void statement_head(FILE *f, const struct hqdues_statement *s)
{
	char d[16], y[16];
	fprintf(f, _("Savings statement of member %s %s (%s, %s), joined %s"), s->m.number,
	        s->m.name, s->m.type, status_text(s->m.status), date_text(s->m.join_date, d, sizeof d));
	if (s->m.left_date)
		fprintf(f, _(", left %s"), date_text(s->m.left_date, d, sizeof d));
	if (s->year)
		snprintf(y, sizeof y, "%d", s->year);
	fprintf(f, "\n%s\n", s->year ? y : _("every year"));
	fprintf(f, "%-10s %-8s %-7s %12s %-7s %-10s %-8s %s\n", _("Date"), _("Kind"), _("Month"),
	        _("Amount"), _("Channel"), _("Store"), _("Terminal"), _("Receipt"));
}

static void statement_rows(FILE *f, const struct hqdues_statement *s)
{
	char d[16], m[16], r[32];
	for (size_t i = 0; i < s->npays; i++) {
		const struct hq_dues_pay *p = &s->pays[i];
		fprintf(f, "%-10s %-8s %-7s %12s %-7s %-10s %-8s %s%s\n",
		        date_text(p->date, d, sizeof d), dues_kind_name(p->kind),
		        month_text(p->month, m, sizeof m), rp(p->amount, r, sizeof r),
		        p->payroll ? _("payroll") : _("till"), p->store[0] ? p->store : "-",
		        p->terminal[0] ? p->terminal : "-", p->receipt[0] ? p->receipt : "-",
		        p->counted ? "" : _("  NOT COUNTED (paid already: refund or sukarela)"));
	}
}

static void statement_totals(FILE *f, const struct hqdues_statement *s)
{
	char a[32], b[32], c[32], d[32], m[16];
	const struct hqdues_standing *sd = &s->standing;
	fprintf(f, _("Counted: pokok %s, wajib %s, sukarela %s; not counted %s\n"),
	        rp(s->counted[DUES_POKOK], a, sizeof a), rp(s->counted[DUES_WAJIB], b, sizeof b),
	        rp(s->counted[DUES_SUKARELA], c, sizeof c), rp(s->uncounted, d, sizeof d));
	fprintf(f, _("As of %s: pokok owed %s; wajib %d month(s) owed, %s"),
	        month_text(s->month, m, sizeof m), rp(sd->pokok_owed, a, sizeof a),
	        sd->wajib.months, rp(sd->wajib.arrears, b, sizeof b));
	if (sd->wajib.oldest)
		fprintf(f, _(" (oldest %s)"), month_text(sd->wajib.oldest, m, sizeof m));
	fprintf(f, _("; paid through %s; sukarela balance %s\n"),
	        month_text(sd->wajib.through, m, sizeof m), rp(sd->sukarela, c, sizeof c));
	if (sd->inactive)
		fprintf(f, "%s\n", _("Inactive for dues."));
}

void hqdues_statement_print(FILE *f, const struct hqdues_statement *s, bool csv)
{
	if (csv) {
		statement_csv(f, s);
		return;
	}
	statement_head(f, s);
	statement_rows(f, s);
	statement_totals(f, s);
}
