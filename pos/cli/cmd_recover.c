/* coopmart recover NUMBER: the one-time recovery code (engine/recovery.h). */
#include "cli/cli.h"
#include "engine/recovery.h"

#include <stdio.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart recover NUMBER\n"
	"\n"
	"When every admin is locked out or has forgotten the PIN: reads the\n"
	"one-time recovery code (printed by 'coopmart init' or by the last\n"
	"recovery) and a new PIN for admin NUMBER from standard input, one a line.\n"
	"Sets that PIN, unlocks the admin, journals it and prints the next code:\n"
	"write it down and seal it; the old one no longer works.\n");

int cmd_recover(struct cli *c)
{
	if (c->argc != 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc != 1 ? stderr : stdout);
		return c->argc != 1 ? EX_USAGE : EX_DONE;
	}
	char code[64], pin[64], next[RECOVERY_CODE_LEN];
	int ex = cli_read_secret(_("Recovery code: "), _("recovery code"), code, sizeof code);
	if (ex == EX_DONE)
		ex = cli_read_pin(_("New PIN: "), pin, sizeof pin);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = recovery_use(c->till, c->argv[0], code, pin, next);
	memset(code, 0, sizeof code);
	memset(pin, 0, sizeof pin);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	printf("%s\n", next);
	fprintf(stderr, _("coopmart: admin %s unlocked with a new PIN; the recovery code above "
	        "replaces the one used: write it down and seal it\n"), c->argv[0]);
	return EX_DONE;
}
