/* coopmart return SALE_NO ... | return --no-receipt ... | return show|list */
#include "cli/cli.h"
#include "core/receipt.h"
#include "core/money.h"
#include "engine/returns.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart --user N return RECEIPT_NO --line LINE:QTY... --reason R\n"
	"                [--tender original|cash] [--approver NUMBER]\n"
	"       coopmart --user N return --no-receipt --item CODE:QTY... --reason R\n"
	"       coopmart return show RETURN_NO [--columns 32|40|42|48]\n"
	"       coopmart return list [--sale RECEIPT_NO | --date YYYY-MM-DD]\n"
	"\n"
	"Returns goods of a completed sale: LINE is the line number on the sale\n"
	"(see 'coopmart sale show'), QTY what comes back (0,75 for weighed goods).\n"
	"Never more than was sold, counting earlier returns. R is unwanted,\n"
	"wrong_item, damaged or expired (damaged and expired go to the damaged\n"
	"bin). --tender original (default) refunds card and QRIS payments to\n"
	"them and the rest in cash; cash refunds all in cash.\n"
	"A cashier needs a supervisor's approval: --approver NUMBER, whose PIN is\n"
	"the second line of standard input (yours is the first). A return\n"
	"without a receipt is for a supervisor only: items by barcode or SKU at\n"
	"the catalogue price, refunded in cash.\n"
	"Prints the return number, the refund and how it is paid out.\n");

struct args {
	const char *sale;
	bool no_receipt;
	const char *reason;
	const char *tender;
	const char *approver;
	char **pairs;        /* LINE:QTY or CODE:QTY */
	int npairs;
};

static int parse(struct cli *c, struct args *a)
{
	a->pairs = calloc((size_t)c->argc + 1, sizeof *a->pairs);
	if (!a->pairs)
		return cli_fail(CM_NOMEM, _("out of memory"));
	for (int i = 0; i < c->argc; i++) {
		const char *o = c->argv[i];
		bool more = i + 1 < c->argc;
		if (strcmp(o, "--no-receipt") == 0)
			a->no_receipt = true;
		else if ((strcmp(o, "--line") == 0 || strcmp(o, "--item") == 0) && more)
			a->pairs[a->npairs++] = c->argv[++i];
		else if (strcmp(o, "--reason") == 0 && more)
			a->reason = c->argv[++i];
		else if (strcmp(o, "--tender") == 0 && more)
			a->tender = c->argv[++i];
		else if (strcmp(o, "--approver") == 0 && more)
			a->approver = c->argv[++i];
		else if (o[0] != '-' && !a->sale)
			a->sale = o;
		else
			return cli_usage(help);
	}
	if (a->no_receipt == (a->sale != NULL) || !a->npairs || !a->reason)
		return cli_usage(help);
	return EX_DONE;
}

/* "3:2" -> 3 and 2000; "CODE:0,75" -> CODE and 750. */
static bool split_pair(char *pair, char **left, cm_qty *qty)
{
	char *colon = strrchr(pair, ':');
	if (!colon || colon == pair)
		return false;
	*colon = '\0';
	*left = pair;
	return qty_parse(colon + 1, true, qty) == CM_OK;
}

static int add_lines(struct ret *r, const struct args *a)
{
	for (int i = 0; i < a->npairs; i++) {
		char *left, *end;
		cm_qty qty;
		if (!split_pair(a->pairs[i], &left, &qty))
			return cli_fail(CM_INVALID, _("write lines as LINE:QTY and items as CODE:QTY"));
		enum cm_rc rc;
		if (a->no_receipt) {
			rc = return_add_item(r, left, qty);
		} else {
			long n = strtol(left, &end, 10);
			if (*end || n <= 0 || n > 100000)
				return cli_fail(CM_INVALID, _("write lines as LINE:QTY and items as CODE:QTY"));
			rc = return_set_qty(r, (int32_t)n, qty);
		}
		if (rc != CM_OK)
			return cli_fail(rc, return_errmsg(r));
	}
	return EX_DONE;
}

/* A cashier's return is approved once its lines are known, for exactly
 * those: the approver reads them (on stderr) before the PIN is asked. */
static int approve(struct cli *c, const struct args *a, struct ret *r, enum return_reason reason,
                   struct approval *ap, bool *have)
{
	*have = false;
	enum cm_rc rc = return_check(r, reason, NULL);
	if (rc != CM_NEED_OVERRIDE || !a->approver)
		return EX_DONE; /* return_complete says what is wrong */
	const struct approval_need *need = auth_need(c->till);
	fprintf(stderr, "%s\n%s\n", _("To approve:"), need->what);
	char pin[64];
	int ex = cli_read_pin(_("approver's PIN: "), pin, sizeof pin);
	if (ex != EX_DONE)
		return ex;
	rc = auth_approve_need(c->till, need, a->approver, pin, a->reason, ap);
	memset(pin, 0, sizeof pin);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	*have = true;
	return EX_DONE;
}

static void print_result(const struct return_result *res)
{
	char refund[32], cash[32];
	money_format(res->refund, NULL, refund, sizeof refund);
	money_format(res->cash, NULL, cash, sizeof cash);
	printf(_("return %s: refund %s, of it in cash %s (journal %lld)\n"), res->return_no,
	       refund, cash, (long long)res->journal_seq);
}

static int make(struct cli *c)
{
	struct args a = { 0 };
	struct ret *r = NULL;
	enum return_reason reason;
	enum refund_how how = REFUND_ORIGINAL;
	struct approval ap;
	bool have_ap = false;
	int ex = parse(c, &a);
	if (ex != EX_DONE)
		goto out;
	if (return_reason_parse(a.reason, &reason) != CM_OK) {
		ex = cli_fail(CM_INVALID, _("--reason is unwanted, wrong_item, damaged or expired"));
		goto out;
	}
	if (a.tender && strcmp(a.tender, "cash") == 0) {
		how = REFUND_CASH;
	} else if (a.tender && strcmp(a.tender, "original") != 0) {
		ex = cli_usage(help);
		goto out;
	}
	if ((ex = cli_login(c)) != EX_DONE)
		goto out;
	enum cm_rc rc = a.no_receipt ? return_open_no_receipt(c->till, &r)
	                             : return_open(c->till, a.sale, &r);
	if (rc != CM_OK) {
		ex = cli_fail(rc, till_errmsg(c->till));
		goto out;
	}
	if ((ex = add_lines(r, &a)) != EX_DONE || (ex = approve(c, &a, r, reason, &ap, &have_ap)) != EX_DONE)
		goto out;
	struct return_result res;
	rc = return_complete(r, reason, how, have_ap ? &ap : NULL, &res);
	if (rc != CM_OK) {
		ex = cli_fail(rc, return_errmsg(r));
		goto out;
	}
	print_result(&res);
out:
	return_free(r);
	free(a.pairs);
	return ex;
}

static int show(struct cli *c)
{
	const char *no = NULL;
	int columns = 0;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--columns") == 0 && i + 1 < c->argc)
			columns = atoi(c->argv[++i]);
		else if (!no)
			no = c->argv[i];
		else
			return cli_usage(help);
	}
	if (!no)
		return cli_usage(help);
	if (columns && !receipt_width_ok(columns))
		return cli_fail(CM_INVALID, _("--columns must be 32, 40, 42 or 48"));
	struct return_record r;
	enum cm_rc rc = return_load(c->till, 0, no, &r);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	char *text = return_receipt(c->till, &r, columns, false);
	return_record_free(&r);
	if (!text)
		return cli_fail(CM_NOMEM, _("out of memory"));
	fputs(text, stdout);
	free(text);
	return EX_DONE;
}

static void print_return(const struct return_rec *r, void *ctx)
{
	(void)ctx;
	char refund[32], tm[32];
	money_format(r->refund, NULL, refund, sizeof refund);
	time_t t = (time_t)r->at;
	struct tm lt;
	localtime_r(&t, &lt);
	strftime(tm, sizeof tm, "%Y-%m-%d %H:%M", &lt);
	printf(_("%-14s %-14s %s  %14s  %-10s seq %lld\n"), r->return_no,
	       r->sale_receipt[0] ? r->sale_receipt : "-", tm, refund, r->reason,
	       (long long)r->journal_seq);
}

static int list(struct cli *c)
{
	int32_t date = 0;
	int64_t sale_id = 0;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--date") == 0 && i + 1 < c->argc) {
			if (!(date = cli_parse_date(c->argv[++i])))
				return cli_fail(CM_INVALID, _("dates are written YYYY-MM-DD"));
		} else if (strcmp(c->argv[i], "--sale") == 0 && i + 1 < c->argc) {
			struct sale_header h;
			struct line_rec *l;
			struct sale_line_amounts *am;
			struct tender_rec *t;
			size_t nl, nt;
			enum cm_rc rc = store_sale_load(c->st, 0, c->argv[++i], &h, &l, &am, &nl, &t, &nt);
			if (rc != CM_OK)
				return cli_fail(rc, store_errmsg(c->st));
			free(l);
			free(am);
			free(t);
			sale_id = h.id;
		} else {
			return cli_usage(help);
		}
	}
	if (!date)
		date = till_local_date(till_now(c->till));
	enum cm_rc rc = store_return_each(c->st, sale_id, date, date, print_return, NULL);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
}

int cmd_return(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	if (strcmp(c->argv[0], "show") == 0)
		return show(c);
	if (strcmp(c->argv[0], "list") == 0)
		return list(c);
	return make(c);
}
