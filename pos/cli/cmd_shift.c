/* coopmart shift open|cash-in|cash-out|close|status|list */
#include "cli/cli.h"
#include "core/money.h"
#include "engine/shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart --user N shift open --float AMOUNT\n"
	"       coopmart --user N shift cash-in AMOUNT --reason TEXT\n"
	"       coopmart --user N shift cash-out AMOUNT --reason TEXT\n"
	"       coopmart --user N shift close --count DENOM=PIECES ...\n"
	"       coopmart shift status\n"
	"       coopmart shift list\n"
	"\n"
	"open: opens this terminal's shift with the float counted into the drawer.\n"
	"cash-in, cash-out: cash into or out of the drawer that is not a sale;\n"
	"a cash out needs a supervisor or an admin as --user.\n"
	"close: closes the open shift with the count of the drawer, one --count per\n"
	"denomination (100 200 500 1000 2000 5000 10000 20000 50000 100000; those\n"
	"not given count 0), then prints expected, counted and the difference.\n"
	"At the command line there is no blind count: --user must be a supervisor\n"
	"or an admin.\n"
	"status: the open shift (exit 8 when none is open). list: every shift of\n"
	"this terminal.\n"
	"Amounts in rupiah (500000 or 500.000). Standard input gives your PIN.\n");

static void when_text(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

static int parse_amount(const char *s, cm_money *v)
{
	if (money_parse(s, v) != CM_OK)
		return cli_fail(CM_INVALID, _("amounts are written in rupiah, e.g. 500000 or 500.000"));
	return EX_DONE;
}

static int open_shift(struct cli *c)
{
	cm_money v;
	if (c->argc != 3 || strcmp(c->argv[1], "--float") != 0)
		return cli_usage(help);
	int ex = parse_amount(c->argv[2], &v);
	if (ex == EX_DONE)
		ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	struct shift_rec r;
	enum cm_rc rc = shift_open(c->till, v, &r);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	printf(_("shift %lld opened\n"), (long long)r.id);
	return EX_DONE;
}

static int cash(struct cli *c, enum cash_dir dir)
{
	cm_money v;
	if (c->argc != 4 || strcmp(c->argv[2], "--reason") != 0)
		return cli_usage(help);
	int ex = parse_amount(c->argv[1], &v);
	if (ex == EX_DONE)
		ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = shift_cash_move(c->till, dir, v, c->argv[3], NULL);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	char a[32];
	money_format(v, NULL, a, sizeof a);
	printf(dir == CASH_IN ? _("cash in %s recorded\n") : _("cash out %s recorded\n"), a);
	return EX_DONE;
}

/* "50000=3" or "50.000=3" into pieces[]. */
static bool parse_count(const char *arg, int64_t pieces[CASH_DENOMS])
{
	char denom[32];
	const char *eq = strchr(arg, '=');
	if (!eq || (size_t)(eq - arg) >= sizeof denom)
		return false;
	snprintf(denom, sizeof denom, "%.*s", (int)(eq - arg), arg);
	cm_money d;
	char *end;
	long long n = strtoll(eq + 1, &end, 10);
	if (money_parse(denom, &d) != CM_OK || !eq[1] || *end || n < 0)
		return false;
	for (int i = 0; i < CASH_DENOMS; i++) {
		if (cash_denoms[i] == d) {
			pieces[i] = n;
			return true;
		}
	}
	return false;
}

static int close_shift(struct cli *c)
{
	int64_t pieces[CASH_DENOMS] = { 0 };
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--count") != 0 || i + 1 >= c->argc)
			return cli_usage(help);
		if (!parse_count(c->argv[++i], pieces))
			return cli_fail(CM_INVALID, _("--count takes DENOMINATION=PIECES, e.g. 50000=3; denominations are 100 200 500 1000 2000 5000 10000 20000 50000 100000"));
	}
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	struct shift_close_result res;
	enum cm_rc rc = shift_close(c->till, pieces, NULL, &res);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	char e[32], n[32], d[32];
	money_format(res.expected, NULL, e, sizeof e);
	money_format(res.counted, NULL, n, sizeof n);
	money_format(res.difference, NULL, d, sizeof d);
	printf(_("shift %lld closed\nexpected   %s\ncounted    %s\ndifference %s\n"),
	       (long long)res.shift_id, e, n, d);
	return EX_DONE;
}

static void print_shift(const struct shift_rec *r, void *ctx)
{
	struct cli *c = ctx;
	char opened[32], closed[32], fl[32], e[32], n[32], d[32];
	struct user_rec u = { 0 };
	store_user_by_id(c->st, r->opened_by, &u);
	when_text(r->opened_at, opened, sizeof opened);
	money_format(r->float_amount, NULL, fl, sizeof fl);
	if (r->open) {
		printf("%-5lld %s  %-8s %12s  %s\n", (long long)r->id, opened, u.number, fl, _("open"));
		return;
	}
	when_text(r->closed_at, closed, sizeof closed);
	money_format(r->expected, NULL, e, sizeof e);
	money_format(r->counted, NULL, n, sizeof n);
	money_format(r->counted - r->expected, NULL, d, sizeof d);
	printf("%-5lld %s  %-8s %12s  %s  %14s %14s %12s\n", (long long)r->id, opened, u.number,
	       fl, closed, e, n, d);
}

static int list(struct cli *c)
{
	if (c->argc != 1)
		return cli_usage(help);
	printf("%-5s %-16s  %-8s %12s  %-16s  %14s %14s %12s\n", _("shift"), _("opened"), _("by"),
	       _("float"), _("closed"), _("expected"), _("counted"), _("difference"));
	enum cm_rc rc = store_shift_each(c->st, print_shift, c);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
}

/* The open shift without the expected cash: anyone may run this, and the
 * close count is blind. */
static int status(struct cli *c)
{
	if (c->argc != 1)
		return cli_usage(help);
	struct shift_rec r;
	enum cm_rc rc = store_shift_current(c->st, &r);
	if (rc == CM_NOTFOUND) {
		printf("%s\n", _("no shift is open"));
		return EX_STATE;
	}
	struct shift_cash cash;
	if (rc == CM_OK)
		rc = store_shift_cash(c->st, &r, &cash);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	char opened[32], fl[32], in[32], out[32];
	struct user_rec u = { 0 };
	store_user_by_id(c->st, r.opened_by, &u);
	when_text(r.opened_at, opened, sizeof opened);
	money_format(r.float_amount, NULL, fl, sizeof fl);
	money_format(cash.cash_in, NULL, in, sizeof in);
	money_format(cash.cash_out, NULL, out, sizeof out);
	printf(_("shift %lld open since %s by %s %s\nfloat %s   sales %lld   cash in %s   cash out %s\n"),
	       (long long)r.id, opened, u.number, u.name, fl, (long long)cash.sales, in, out);
	return EX_DONE;
}

int cmd_shift(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	const char *sub = c->argv[0];
	if (strcmp(sub, "open") == 0)
		return open_shift(c);
	if (strcmp(sub, "cash-in") == 0)
		return cash(c, CASH_IN);
	if (strcmp(sub, "cash-out") == 0)
		return cash(c, CASH_OUT);
	if (strcmp(sub, "close") == 0)
		return close_shift(c);
	if (strcmp(sub, "status") == 0)
		return status(c);
	if (strcmp(sub, "list") == 0)
		return list(c);
	return cli_usage(help);
}
