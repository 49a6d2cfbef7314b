/* coopmart report day */
#include "cli/cli.h"
#include "core/money.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: coopmart report day [--date YYYY-MM-DD]\n"
	"\n"
	"The day's sales: count and totals by tender (cash net of change), by tax\n"
	"class (with PPN when the store is PKP) and by cashier; aborted tickets\n"
	"and voided lines. Today when no date is given.\n";

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

int cmd_report(struct cli *c)
{
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
