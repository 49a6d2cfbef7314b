/* coopmart receive start|add|park|post|list|show */
#include "cli/cli.h"
#include "core/money.h"
#include "engine/receiving.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart --user N receive start SUPPLIER [--po PO_NO] [--note NOTE]\n"
	"       coopmart --user N receive add ID CODE QTY COST\n"
	"       coopmart --user N receive park ID BARCODE QTY COST DESCRIPTION\n"
	"       coopmart --user N receive post ID\n"
	"       coopmart receive list [--drafts]\n"
	"       coopmart receive show ID\n"
	"\n"
	"Receives a delivery: start a draft for a supplier (and the purchase\n"
	"order HQ sent, if any); add items by barcode or SKU with the quantity\n"
	"(0,75 for weighed goods; a carton barcode counts cartons) and the unit\n"
	"cost in rupiah; park barcodes the catalogue does not know, with a\n"
	"description for HQ; post to put the goods into stock. A draft is kept\n"
	"until it is posted. Needs a supervisor; your PIN is read from standard\n"
	"input. start prints the delivery ID.\n");

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return cli_fail(CM_INVALID, _("a delivery ID is a number (see 'coopmart receive list')"));
	*id = v;
	return EX_DONE;
}

static int parse_qty_cost(const char *q, const char *c, cm_qty *qty, cm_money *cost)
{
	if (qty_parse(q, true, qty) != CM_OK)
		return cli_fail(CM_INVALID, _("QTY is a quantity such as 12 or 0,75"));
	if (money_parse(c, cost) != CM_OK)
		return cli_fail(CM_INVALID, _("COST is an amount in rupiah such as 2900 or 2.900"));
	return EX_DONE;
}

static int start(struct cli *c)
{
	const char *supplier = NULL, *po = NULL, *note = NULL;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--po") == 0 && i + 1 < c->argc)
			po = c->argv[++i];
		else if (strcmp(c->argv[i], "--note") == 0 && i + 1 < c->argc)
			note = c->argv[++i];
		else if (c->argv[i][0] != '-' && !supplier)
			supplier = c->argv[i];
		else
			return cli_usage(help);
	}
	if (!supplier)
		return cli_usage(help);
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	int64_t id;
	enum cm_rc rc = receive_start(c->till, supplier, po, note, &id);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	printf(_("delivery %lld started\n"), (long long)id);
	return EX_DONE;
}

static int add_or_park(struct cli *c, bool park)
{
	int64_t id;
	cm_qty qty;
	cm_money cost;
	if (c->argc != (park ? 6 : 5))
		return cli_usage(help);
	int ex = parse_id(c->argv[1], &id);
	if (ex == EX_DONE)
		ex = parse_qty_cost(c->argv[3], c->argv[4], &qty, &cost);
	if (ex == EX_DONE)
		ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = park ? receive_park(c->till, id, c->argv[2], c->argv[5], qty, cost)
	                     : receive_add(c->till, id, c->argv[2], qty, cost);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, till_errmsg(c->till));
}

static int post(struct cli *c)
{
	int64_t id, seq = 0;
	if (c->argc != 2)
		return cli_usage(help);
	int ex = parse_id(c->argv[1], &id);
	if (ex == EX_DONE)
		ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = receive_post(c->till, id, &seq);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	printf(_("delivery %lld posted (journal %lld)\n"), (long long)id, (long long)seq);
	return EX_DONE;
}

static void print_delivery(const struct delivery_rec *d, size_t nlines, size_t nparked, void *ctx)
{
	(void)ctx;
	char tm[32];
	time_t t = (time_t)d->created_at;
	struct tm lt;
	localtime_r(&t, &lt);
	strftime(tm, sizeof tm, "%Y-%m-%d %H:%M", &lt);
	printf("%-6lld %-6s %s  %-24s %-10s %3zu %3zu\n", (long long)d->id,
	       d->posted ? "posted" : "draft", tm, d->supplier, d->po_no[0] ? d->po_no : "-",
	       nlines, nparked);
}

static int list(struct cli *c)
{
	bool drafts = c->argc == 2 && strcmp(c->argv[1], "--drafts") == 0;
	if (c->argc > 2 || (c->argc == 2 && !drafts))
		return cli_usage(help);
	enum cm_rc rc = store_delivery_each(c->st, drafts, print_delivery, NULL);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
}

static int show(struct cli *c)
{
	int64_t id;
	if (c->argc != 2)
		return cli_usage(help);
	int ex = parse_id(c->argv[1], &id);
	if (ex != EX_DONE)
		return ex;
	struct delivery d;
	enum cm_rc rc = receive_load(c->till, id, &d);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	char qty[32], cost[32];
	printf("%s %lld  %s  %s%s%s  %s\n", _("delivery"), (long long)d.d.id, d.d.supplier,
	       d.d.po_no[0] ? "PO " : "", d.d.po_no, d.d.po_no[0] ? "  " : "",
	       d.d.posted ? _("posted") : _("draft"));
	for (size_t i = 0; i < d.nlines; i++) {
		qty_format(d.lines[i].qty, qty, sizeof qty);
		money_format(d.lines[i].unit_cost, NULL, cost, sizeof cost);
		printf("%3d  %-12s %-32.32s %8s x %s\n", d.lines[i].line_no, d.lines[i].sku,
		       d.lines[i].name, qty, cost);
	}
	for (size_t i = 0; i < d.nparked; i++) {
		qty_format(d.parked[i].qty, qty, sizeof qty);
		money_format(d.parked[i].unit_cost, NULL, cost, sizeof cost);
		printf("%s  %-13s %-31.31s %8s x %s\n", _("HQ"), d.parked[i].barcode,
		       d.parked[i].description, qty, cost);
	}
	money_format(d.cost, NULL, cost, sizeof cost);
	printf("%s %s\n", _("cost:"), cost);
	receive_free(&d);
	return EX_DONE;
}

int cmd_receive(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	const char *sub = c->argv[0];
	if (strcmp(sub, "start") == 0)
		return start(c);
	if (strcmp(sub, "add") == 0)
		return add_or_park(c, false);
	if (strcmp(sub, "park") == 0)
		return add_or_park(c, true);
	if (strcmp(sub, "post") == 0)
		return post(c);
	if (strcmp(sub, "list") == 0)
		return list(c);
	if (strcmp(sub, "show") == 0)
		return show(c);
	return cli_usage(help);
}
