/* coopmart member show CARD|NUMBER: a member's dues standing as the till
 * sees it (HQ's as of the last sync, with what this terminal took since):
 * what the member panel shows, for the office and for scripts. */
#include "cli/cli.h"
#include "core/money.h"
#include "engine/standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart member show CARD|NUMBER\n"
	"\n"
	"A member's dues: status, wajib paid through which month, months and\n"
	"rupiah owed with each month, pokok owed, the sukarela balance (with\n"
	"what this terminal took since the last sync) and as of when HQ's\n"
	"figures are. Reads only.\n");

static void month_text(int32_t m, char *buf, size_t n)
{
	if (m)
		dues_month_format(m, buf, n);
	else
		snprintf(buf, n, "-");
}

static int show(struct cli *c, const char *code)
{
	struct member_rec m;
	enum cm_rc rc = store_member_find(c->st, code, &m);
	if (rc == CM_NOTFOUND)
		return cli_fail(rc, _("no member with that card or number"));
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	struct standing *st = malloc(sizeof *st);
	if (!st)
		return cli_fail(CM_NOMEM, _("out of memory"));
	if ((rc = standing_get(c->till, &m, NULL, 0, st)) != CM_OK) {
		free(st);
		return cli_fail(rc, till_errmsg(c->till));
	}
	char a[32], b[32], mo[16];
	printf(_("member %s  %s  type %s  status %s\n"), m.number, m.name,
	       m.type[0] ? m.type : "-", m.status);
	if (!st->known) {
		printf("%s\n", _("HQ has not sent this member's dues yet."));
		free(st);
		return EX_DONE;
	}
	month_text(st->through, mo, sizeof mo);
	printf(_("wajib paid through: %s\n"), mo);
	money_format(st->arrears, NULL, a, sizeof a);
	printf(_("arrears: %d month(s), %s%s\n"), st->months, a,
	       st->inactive ? _("  INACTIVE FOR DUES") : "");
	for (size_t i = 0; i < st->nowed; i++) {
		dues_month_format(st->owed[i].month, mo, sizeof mo);
		money_format(st->owed[i].amount, NULL, a, sizeof a);
		printf("  %s %12s\n", mo, a);
	}
	money_format(st->pokok_owed, NULL, a, sizeof a);
	printf(_("pokok owed: %s\n"), a);
	money_format(st->sukarela, NULL, a, sizeof a);
	money_format(st->sukarela_here, NULL, b, sizeof b);
	printf(_("sukarela: %s (taken here since the sync: %s)\n"), a, b);
	month_text(st->hq_month, mo, sizeof mo);
	printf(_("HQ figures as of: %s\n"), mo);
	free(st);
	return EX_DONE;
}

int cmd_member(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	if (strcmp(c->argv[0], "show") == 0 && c->argc == 2)
		return show(c, c->argv[1]);
	return cli_usage(help);
}
