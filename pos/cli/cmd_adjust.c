/* coopmart adjust ITEM QTY --reason R */
#include "cli/cli.h"
#include "core/money.h"
#include "engine/adjust.h"

#include <stdio.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart --user N adjust ITEM QTY --reason R [--note TEXT]\n"
	"\n"
	"Adjusts the stock of ITEM (barcode or SKU) by QTY (above zero; 0,75 for\n"
	"weighed goods). R is damaged (into the damaged bin), expired, lost,\n"
	"own_use (these take stock out) or found (puts stock back). Journaled.\n"
	"Needs a supervisor; your PIN is read from standard input.\n");

int cmd_adjust(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	const char *item = NULL, *qty_text = NULL, *reason_text = NULL, *note = NULL;
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--reason") == 0 && i + 1 < c->argc)
			reason_text = c->argv[++i];
		else if (strcmp(c->argv[i], "--note") == 0 && i + 1 < c->argc)
			note = c->argv[++i];
		else if (c->argv[i][0] != '-' && !item)
			item = c->argv[i];
		else if (c->argv[i][0] != '-' && !qty_text)
			qty_text = c->argv[i];
		else
			return cli_usage(help);
	}
	if (!item || !qty_text || !reason_text)
		return cli_usage(help);
	enum adjust_reason reason;
	if (adjust_reason_parse(reason_text, &reason) != CM_OK)
		return cli_fail(CM_INVALID, _("--reason is damaged, expired, lost, own_use or found"));
	cm_qty qty;
	if (qty_parse(qty_text, true, &qty) != CM_OK)
		return cli_fail(CM_INVALID, _("QTY is a quantity such as 12 or 0,75"));
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = adjust_stock(c->till, item, qty, reason, note);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	char q[32];
	qty_format(qty, q, sizeof q);
	printf(_("stock of %s adjusted: %s %s\n"), item, adjust_reason_code(reason), q);
	return EX_DONE;
}
