/* coopmart report day | x | z | stock-value | low-stock | slow-movers | variance */
#include "cli/cli.h"
#include "core/csvout.h"
#include "core/receipt.h"
#include "core/money.h"
#include "engine/shift.h"
#include "engine/stock.h"
#include "store/store_dues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart report day [--date YYYY-MM-DD] [--csv]\n"
	"       coopmart --user N report x|z [--json] [--columns 32|40|42|48]\n"
	"       coopmart report stock-value [--csv]\n"
	"       coopmart report low-stock [--csv]\n"
	"       coopmart report slow-movers [--days N] [--limit N] [--csv]\n"
	"       coopmart report variance COUNT [--csv]\n"
	"\n"
	"day: the day's sales: count and totals by tender (cash net of change), by\n"
	"tax class (with PPN when the store is PKP) and by cashier; aborted tickets\n"
	"and voided lines. Today when no date is given.\n"
	"x: the X report: everything since the last Z and the open drawer; nothing\n"
	"is reset (a supervisor or an admin).\n"
	"z: the Z report closing the day: numbered, covers everything since the\n"
	"previous Z, carries the grand total on; refused (exit 8) while a shift is\n"
	"open (a supervisor or an admin).\n"
	"Both are journaled. The text is the printed report; --json prints the\n"
	"figures as one JSON object instead (money in rupiah).\n"
	"stock-value: every item in stock at its cost price, with the total.\n"
	"low-stock: items below their reorder level.\n"
	"slow-movers: items in stock that sold least in the last N days (30),\n"
	"never-sold first; at most --limit rows (50, 0 = all).\n"
	"variance: a stock count's items that differ (counted or not).\n"
	"--csv: values for a spreadsheet or a script: a header row, ';' between\n"
	"fields, rupiah as whole numbers, quantities with a decimal comma (0,75).\n");

/* The people's words for the machine names the day report keys tender
 * and tax class rows by; cashier rows are "NUMBER NAME" and stay as they
 * are. */
static const char *key_words(const char *key)
{
	static const char *const words[][2] = {
		{ "cash", N_("cash") }, { "debit", N_("debit") }, { "qris", N_("QRIS") },
		{ "credit", N_("member credit") },
		{ "exempt", N_("exempt") }, { "standard", N_("standard") }, { "luxury", N_("luxury") },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(key, words[i][0]) == 0)
			return _(words[i][1]);
	return key;
}

static void rows(const char *title, const struct day_report_row *r, size_t n, bool tax)
{
	char a[32], t[32];
	printf("\n%s\n", title);
	for (size_t i = 0; i < n; i++) {
		money_format(r[i].amount, NULL, a, sizeof a);
		const char *key = key_words(r[i].key);
		if (tax) {
			money_format(r[i].tax, NULL, t, sizeof t);
			printf("  %-24s %6lld %16s  PPN %12s\n", key, (long long)r[i].count, a, t);
		} else {
			printf("  %-24s %6lld %16s\n", key, (long long)r[i].count, a);
		}
	}
	if (!n)
		printf("  -\n");
}

/* One row of the day report's CSV: date;section;key;count;amount;tax, the
 * fields a day has no figure for left empty. */
static void day_csv_row(int32_t date, const char *section, const char *key,
                        const int64_t *count, const cm_money *amount, const cm_money *tax)
{
	char d[16], line[256];
	snprintf(d, sizeof d, "%04d-%02d-%02d", date / 10000, date / 100 % 100, date % 100);
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_text(&o, d);
	csvout_text(&o, section);
	csvout_text(&o, key);
	const int64_t *nums[] = { count, amount, tax };
	for (size_t i = 0; i < 3; i++) {
		if (nums[i])
			csvout_int(&o, *nums[i]);
		else
			csvout_text(&o, "");
	}
	printf("%s\n", line);
}

static void day_csv_rows(int32_t date, const char *section, const struct day_report_row *r,
                         size_t n, bool tax)
{
	for (size_t i = 0; i < n; i++)
		day_csv_row(date, section, r[i].key, &r[i].count, &r[i].amount,
		            tax ? &r[i].tax : NULL);
}

/* Members' dues of the day: savings, so not in the sales above, but in
 * the cash and tenders (paid with the sales). */
static void dues_text(const struct dues_totals *d)
{
	static const char *const names[DUES_KIND_COUNT] = {
		N_("simpanan pokok"), N_("simpanan wajib (months)"), N_("simpanan sukarela")
	};
	char a[32];
	cm_money sum = 0;
	printf("\n%s\n", _("Members' dues (savings, not sales; in the tenders above):"));
	for (int k = 0; k < DUES_KIND_COUNT; k++) {
		money_format(d->amount[k], NULL, a, sizeof a);
		printf("  %-24s %6lld %16s\n", _(names[k]), (long long)d->count[k], a);
		sum += d->amount[k];
	}
	money_format(sum, NULL, a, sizeof a);
	printf("  %-24s %6lld %16s\n", _("total (members)"), (long long)d->members, a);
}

static void dues_csv(int32_t date, const struct dues_totals *d)
{
	for (int k = 0; k < DUES_KIND_COUNT; k++)
		day_csv_row(date, "dues", dues_kind_name((enum dues_kind)k), &d->count[k],
		            &d->amount[k], NULL);
	day_csv_row(date, "dues", "members", &d->members, NULL, NULL);
}

/* The day report for a spreadsheet: the same figures as the text, one per
 * row, machine names for sections and keys (core/csvout.h's format). */
static void day_csv(const struct day_report *r, bool pkp)
{
	static const char *const cols[] = { "date", "section", "key", "count", "amount", "tax", NULL };
	char line[128];
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_header(&o, cols);
	printf("%s\n", line);
	int32_t d = r->date;
	cm_money net = r->total + r->rounding - r->refunds;
	day_csv_row(d, "total", "sales", &r->sales, &r->total, NULL);
	day_csv_row(d, "total", "rounding", NULL, &r->rounding, NULL);
	day_csv_row(d, "total", "discounts", NULL, &r->discounts, NULL);
	day_csv_rows(d, "tender", r->by_tender, r->ntender, false);
	day_csv_rows(d, "tax_class", r->by_class, r->nclass, pkp);
	day_csv_rows(d, "cashier", r->by_cashier, r->ncashier, false);
	day_csv_row(d, "total", "returns", &r->returns, &r->refunds, NULL);
	day_csv_row(d, "total", "cash_refunds", NULL, &r->cash_refunds, NULL);
	day_csv_row(d, "total", "net_sales", NULL, &net, NULL);
	day_csv_row(d, "total", "aborted_tickets", &r->aborted_tickets, NULL, NULL);
	day_csv_row(d, "total", "voided_lines", &r->voided_lines, NULL, NULL);
}

struct stock_out {
	enum stock_report kind;
	bool csv;
	int64_t rows;
	cm_money value;
	const char *tag;          /* CSV: a first column, NULL = none */
};

static enum cm_rc stock_print(const struct stock_row *r, void *ctx)
{
	struct stock_out *o = ctx;
	char line[512];
	stock_report_line(o->kind, r, o->csv, line, sizeof line);
	if (o->csv && o->tag)
		printf("%s%c", r->counted ? o->tag : "uncounted", CSVOUT_SEP);
	printf("%s\n", line);
	o->rows++;
	if (!__builtin_add_overflow(o->value, r->value, &o->value))
		return CM_OK;
	o->value = r->value < 0 ? INT64_MIN : INT64_MAX;
	return CM_OK;
}

static bool parse_num(const char *s, long long min, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > 100000)
		return false;
	*out = v;
	return true;
}

static int stock_report(struct cli *c, enum stock_report kind)
{
	bool csv = false;
	long long days = 30, limit = 50, count = 0;
	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (strcmp(a, "--csv") == 0)
			csv = true;
		else if (kind == REPORT_SLOW_MOVERS && strcmp(a, "--days") == 0 && i + 1 < c->argc &&
		         parse_num(c->argv[i + 1], 1, &days))
			i++;
		else if (kind == REPORT_SLOW_MOVERS && strcmp(a, "--limit") == 0 && i + 1 < c->argc &&
		         parse_num(c->argv[i + 1], 0, &limit))
			i++;
		else if (kind == REPORT_VARIANCE && !count && parse_num(a, 1, &count))
			;
		else
			return cli_usage(help);
	}
	if (kind == REPORT_VARIANCE && !count)
		return cli_usage(help);
	struct stock_out o = { .kind = kind, .csv = csv };
	char line[512];
	stock_report_header(kind, csv, line, sizeof line);
	if (csv && kind == REPORT_VARIANCE) {
		printf("section%c%s\n", CSVOUT_SEP, line);
		o.tag = "variance";
	} else {
		printf("%s\n", line);
	}
	enum cm_rc rc = stock_report_run(c->till, kind, count, (int)days, limit, stock_print, &o);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	if (!csv) {
		char v[40];
		money_format(o.value, NULL, v, sizeof v);
		printf(_("%lld rows, value at cost %s\n"), (long long)o.rows, v);
	}
	return EX_DONE;
}

/* JSON string body: the few characters JSON requires escaped. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_figures(const struct shift_report *rep)
{
	const struct xz_report *r = &rep->r;
	const struct xz_figures *f = &r->f;
	printf("{\"report\":\"%s\",", r->z ? "z" : "x");
	if (r->z)
		printf("\"z\":%lld,", (long long)r->z_no);
	printf("\"terminal\":");
	json_str(r->terminal);
	printf(",\"at\":%lld,\"from_seq\":%lld,\"to_seq\":%lld,\"journal_seq\":%lld,",
	       (long long)r->at, (long long)r->from_seq, (long long)r->to_seq,
	       (long long)rep->journal_seq);
	printf("\"sales\":%lld,\"gross\":%lld,\"discounts\":%lld,\"total\":%lld,"
	       "\"rounding\":%lld,\"tax\":%lld,\"refunds\":%lld,\"net_sales\":%lld,",
	       (long long)f->sales, (long long)f->gross, (long long)f->discounts,
	       (long long)f->total, (long long)f->rounding, (long long)f->tax,
	       (long long)f->refunds, (long long)f->net_sales);
	printf("\"cash\":%lld,\"change\":%lld,\"debit\":%lld,\"qris\":%lld,\"credit\":%lld,"
	       "\"cash_in\":%lld,\"cash_out\":%lld,\"aborted_tickets\":%lld,\"voided_lines\":%lld",
	       (long long)f->tendered[TENDER_CASH], (long long)f->change,
	       (long long)f->tendered[TENDER_DEBIT], (long long)f->tendered[TENDER_QRIS],
	       (long long)f->tendered[TENDER_CREDIT], (long long)f->cash_in, (long long)f->cash_out, (long long)f->aborted_tickets,
	       (long long)f->voided_lines);
	if (r->z)
		printf(",\"shifts\":%lld,\"expected\":%lld,\"counted\":%lld,"
		       "\"grand_before\":%lld,\"grand_total\":%lld",
		       (long long)f->shifts_closed, (long long)f->expected, (long long)f->counted,
		       (long long)r->grand_before, (long long)r->grand_total);
	else if (r->shift_open)
		printf(",\"drawer_expected\":%lld", (long long)cashcount_expected(&r->shift));
	printf("}\n");
}

static int xz(struct cli *c, bool z)
{
	bool json = false;
	int columns = 0;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--json") == 0)
			json = true;
		else if (strcmp(c->argv[i], "--columns") == 0 && i + 1 < c->argc)
			columns = atoi(c->argv[++i]);
		else
			return cli_usage(help);
	}
	if (columns && !receipt_width_ok(columns))
		return cli_fail(CM_INVALID, _("--columns must be 32, 40, 42 or 48"));
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	struct shift_report rep;
	enum cm_rc rc = z ? shift_z_report(c->till, columns, &rep)
	                  : shift_x_report(c->till, NULL, columns, &rep);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	if (json)
		json_figures(&rep);
	else
		fputs(rep.text, stdout);
	shift_report_free(&rep);
	return EX_DONE;
}

int cmd_report(struct cli *c)
{
	static const struct { const char *name; enum stock_report kind; } stock[] = {
		{ "stock-value", REPORT_STOCK_VALUE }, { "low-stock", REPORT_LOW_STOCK },
		{ "slow-movers", REPORT_SLOW_MOVERS }, { "variance", REPORT_VARIANCE },
	};
	for (size_t k = 0; c->argc >= 1 && !cli_wants_help(c->argc, c->argv) &&
	                   k < sizeof stock / sizeof stock[0]; k++)
		if (strcmp(c->argv[0], stock[k].name) == 0)
			return stock_report(c, stock[k].kind);
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		bool asked = c->argc >= 1;
		fputs(_(help), asked ? stdout : stderr);
		return asked ? EX_DONE : EX_USAGE;
	}
	if (strcmp(c->argv[0], "x") == 0 || strcmp(c->argv[0], "z") == 0)
		return xz(c, c->argv[0][0] == 'z');
	if (strcmp(c->argv[0], "day") != 0)
		return cli_usage(help);
	int32_t date = till_local_date(till_now(c->till));
	bool csv = false;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--csv") == 0)
			csv = true;
		else if (strcmp(c->argv[i], "--date") == 0 && i + 1 < c->argc) {
			if (!(date = cli_parse_date(c->argv[++i])))
				return cli_fail(CM_INVALID, _("dates are written YYYY-MM-DD"));
		} else
			return cli_usage(help);
	}
	struct day_report r;
	struct dues_totals dues;
	enum cm_rc rc = store_day_report(c->st, date, &r);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	if ((rc = store_dues_totals_by_date(c->st, date, date, &dues)) != CM_OK) {
		store_day_report_free(&r);
		return cli_fail(rc, store_errmsg(c->st));
	}
	const struct till_config *cfg = till_config(c->till);
	if (csv) {
		day_csv(&r, cfg->pkp);
		dues_csv(date, &dues);
		store_day_report_free(&r);
		return EX_DONE;
	}
	char total[32], rounding[32], disc[32];
	money_format(r.total, NULL, total, sizeof total);
	money_format(r.rounding, NULL, rounding, sizeof rounding);
	money_format(r.discounts, NULL, disc, sizeof disc);
	printf(_("Day report %04d-%02d-%02d  %s  terminal %s\n"), date / 10000, date / 100 % 100,
	       date % 100, cfg->store_name, cfg->terminal);
	printf(_("Sales: %lld   total %s   cash rounding %s   discounts %s\n"),
	       (long long)r.sales, total, rounding, disc);
	rows(_("By tender:"), r.by_tender, r.ntender, false);
	rows(_("By tax class:"), r.by_class, r.nclass, cfg->pkp);
	rows(_("By cashier:"), r.by_cashier, r.ncashier, false);
	char refunds[32], cash_refunds[32], net[32];
	money_format(r.refunds, NULL, refunds, sizeof refunds);
	money_format(r.cash_refunds, NULL, cash_refunds, sizeof cash_refunds);
	money_format(r.total + r.rounding - r.refunds, NULL, net, sizeof net);
	printf(_("\nReturns: %lld   refunded %s (in cash %s)   net sales %s\n"),
	       (long long)r.returns, refunds, cash_refunds, net);
	printf(_("Aborted tickets: %lld   voided lines: %lld\n"),
	       (long long)r.aborted_tickets, (long long)r.voided_lines);
	dues_text(&dues);
	store_day_report_free(&r);
	return EX_DONE;
}
