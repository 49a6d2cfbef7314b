/* coopmart report day | stock-value | low-stock | slow-movers | variance */
#include "cli/cli.h"
#include "core/money.h"
#include "engine/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: coopmart report day [--date YYYY-MM-DD]\n"
	"       coopmart report stock-value [--csv]\n"
	"       coopmart report low-stock [--csv]\n"
	"       coopmart report slow-movers [--days N] [--limit N] [--csv]\n"
	"       coopmart report variance COUNT [--csv]\n"
	"\n"
	"day: the day's sales: count and totals by tender (cash net of change), by\n"
	"tax class (with PPN when the store is PKP) and by cashier; aborted tickets\n"
	"and voided lines. Today when no date is given.\n"
	"stock-value: every item in stock at its cost price, with the total.\n"
	"low-stock: items below their reorder level.\n"
	"slow-movers: items in stock that sold least in the last N days (30),\n"
	"never-sold first; at most --limit rows (50, 0 = all).\n"
	"variance: a stock count's items that differ (counted or not).\n"
	"--csv: comma-separated values with a header row, for scripts.\n";

static void rows(const char *title, const struct day_report_row *r, size_t n, bool tax)
{
	char a[32], t[32];
	printf("\n%s\n", title);
	for (size_t i = 0; i < n; i++) {
		money_format(r[i].amount, NULL, a, sizeof a);
		if (tax) {
			money_format(r[i].tax, NULL, t, sizeof t);
			printf("  %-24s %6lld %16s  PPN %12s\n", r[i].key, (long long)r[i].count, a, t);
		} else {
			printf("  %-24s %6lld %16s\n", r[i].key, (long long)r[i].count, a);
		}
	}
	if (!n)
		printf("  -\n");
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
		printf("%s,", r->counted ? o->tag : "uncounted");
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
		printf("section,%s\n", line);
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
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv) || strcmp(c->argv[0], "day") != 0) {
		bool asked = c->argc >= 1 && cli_wants_help(c->argc, c->argv);
		fputs(help, asked ? stdout : stderr);
		return asked ? EX_DONE : EX_USAGE;
	}
	int32_t date = till_local_date(till_now(c->till));
	if (c->argc == 3 && strcmp(c->argv[1], "--date") == 0) {
		if (!(date = cli_parse_date(c->argv[2])))
			return cli_fail(CM_INVALID, _("dates are written YYYY-MM-DD"));
	} else if (c->argc != 1) {
		return cli_usage(help);
	}
	struct day_report r;
	enum cm_rc rc = store_day_report(c->st, date, &r);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	const struct till_config *cfg = till_config(c->till);
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
	printf(_("\nAborted tickets: %lld   voided lines: %lld\n"),
	       (long long)r.aborted_tickets, (long long)r.voided_lines);
	store_day_report_free(&r);
	return EX_DONE;
}
