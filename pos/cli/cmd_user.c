/* coopmart user add|list|lock|unlock|pin */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart --user N user add NUMBER NAME ROLE\n"
	"       coopmart user list\n"
	"       coopmart --user N user lock|unlock NUMBER\n"
	"       coopmart --user N user pin NUMBER\n"
	"\n"
	"ROLE is cashier, supervisor or admin. Standard input gives your PIN on\n"
	"the first line and, for add and pin, the new PIN (6-12 digits) on the\n"
	"second. Adding users needs an admin; lock and unlock a supervisor.\n");

static void print_user(const struct user_rec *u, void *ctx)
{
	(void)ctx;
	printf("%-8s %-24s %-10s %s\n", u->number, u->name, role_name(u->role),
	       !u->active ? _("inactive") : u->locked ? _("LOCKED") : _("active"));
}

static int add(struct cli *c)
{
	enum role role;
	if (c->argc != 4 || role_parse(c->argv[3], &role) != CM_OK)
		return cli_usage(help);
	int ex = cli_login(c);
	char pin[64];
	if (ex == EX_DONE)
		ex = cli_read_pin(_("new user's PIN: "), pin, sizeof pin);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = auth_user_add(c->till, c->argv[1], c->argv[2], role, pin, NULL);
	memset(pin, 0, sizeof pin);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	printf(_("user %s added\n"), c->argv[1]);
	return EX_DONE;
}

static int set_pin(struct cli *c)
{
	if (c->argc != 2)
		return cli_usage(help);
	int ex = cli_login(c);
	char pin[64];
	if (ex == EX_DONE)
		ex = cli_read_pin(_("new PIN: "), pin, sizeof pin);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = auth_user_set_pin(c->till, c->argv[1], NULL, pin);
	memset(pin, 0, sizeof pin);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, till_errmsg(c->till));
}

int cmd_user(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	const char *sub = c->argv[0];
	if (strcmp(sub, "add") == 0)
		return add(c);
	if (strcmp(sub, "pin") == 0)
		return set_pin(c);
	if (strcmp(sub, "list") == 0 && c->argc == 1) {
		enum cm_rc rc = store_user_each(c->st, print_user, NULL);
		return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
	}
	if ((strcmp(sub, "lock") == 0 || strcmp(sub, "unlock") == 0) && c->argc == 2) {
		int ex = cli_login(c);
		if (ex != EX_DONE)
			return ex;
		enum cm_rc rc = auth_user_set_locked(c->till, c->argv[1], sub[0] == 'l');
		return rc == CM_OK ? EX_DONE : cli_fail(rc, till_errmsg(c->till));
	}
	return cli_usage(help);
}
