/* coopmart setting get|set|scale */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart setting get KEY\n"
	"       coopmart --user N setting set KEY VALUE\n"
	"       coopmart --user N setting scale PREFIX TEMPLATE\n"
	"\n"
	"Keys: store_name, store_address, npwp, pkp (0/1), terminal_id,\n"
	"cash_round_step, cash_ceiling, discount_limit_bp, lockout_after,\n"
	"lockout_minutes, lockout_max_minutes,\n"
	"receipt_columns (32/42/48), receipt_footer, printer (usb:VVVV:PPPP,\n"
	"lp:PATH, tcp:HOST[:PORT], file:PATH or none), printer_profile (58, 80,\n"
	"80-42, dotmatrix), drawer (printer or none), scanner (keyboard,\n"
	"usb:VVVV:PPPP, usbpos:VVVV:PPPP or tty:/dev/NAME[:BAUD]; see\n"
	"'coopmart devices').\n"
	"scale: an in-store scale label format, e.g. 20 PPIIIIIWWWWWC\n"
	"(P prefix, I item PLU, W grams, D 10 g units, R rupiah, V price/weight check\n"
	"digit of the run after it, X ignored, C check digit; prefixes 20-29 and 02).\n"
	"Changes need an admin (PIN on standard input) and are journaled.\n");

int cmd_setting(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	const char *sub = c->argv[0];
	if (strcmp(sub, "get") == 0 && c->argc == 2) {
		char v[256];
		enum cm_rc rc = store_setting_get(c->st, c->argv[1], v, sizeof v);
		if (rc != CM_OK)
			return cli_fail(rc, store_errmsg(c->st));
		printf("%s\n", v);
		return EX_DONE;
	}
	bool set = strcmp(sub, "set") == 0, scale = strcmp(sub, "scale") == 0;
	if ((!set && !scale) || c->argc != 3)
		return cli_usage(help);
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = set ? till_setting_set(c->till, c->argv[1], c->argv[2])
	                    : till_scale_format_set(c->till, c->argv[1], c->argv[2]);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, till_errmsg(c->till));
}
