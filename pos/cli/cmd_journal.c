/* coopmart journal verify|list */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"usage: coopmart journal verify\n"
	"       coopmart journal list [--from SEQ]\n"
	"\n"
	"verify recomputes the whole hash chain and checks every sale against its\n"
	"journal event; it names the first bad sequence number and exits with 7\n"
	"when anything was altered, removed or inserted.\n"
	"list prints events: sequence, time, type, user, hash prefix, payload.\n";

static void print_event(const struct journal_entry *e, const char *payload, void *ctx)
{
	(void)ctx;
	char hex[17], tm[32];
	chain_hex(e->hash, 8, hex);
	time_t t = (time_t)e->at;
	struct tm lt;
	localtime_r(&t, &lt);
	strftime(tm, sizeof tm, "%Y-%m-%d %H:%M:%S", &lt);
	printf("%6lld %s %-22s user %-4lld %s %s\n", (long long)e->seq, tm, e->type,
	       (long long)e->user_id, hex, payload);
}

int cmd_journal(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(help, c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	if (strcmp(c->argv[0], "verify") == 0 && c->argc == 1) {
		struct journal_check chk;
		enum cm_rc rc = journal_verify(c->st, &chk);
		if (rc == CM_CORRUPT) {
			printf(_("journal BROKEN at sequence %lld: %s (%lld events checked before it)\n"),
			       (long long)chk.bad_seq, chk.why, (long long)chk.events);
			return EX_DAMAGED;
		}
		if (rc != CM_OK)
			return cli_fail(rc, store_errmsg(c->st));
		struct journal_entry head;
		char hex[2 * CHAIN_HASH_LEN + 1] = "";
		if (journal_head(c->st, &head) == CM_OK)
			chain_hex(head.hash, CHAIN_HASH_LEN, hex);
		printf(_("journal OK: %lld events, head %s\n"), (long long)chk.events, hex);
		return EX_DONE;
	}
	if (strcmp(c->argv[0], "list") == 0) {
		int64_t from = 1;
		if (c->argc == 3 && strcmp(c->argv[1], "--from") == 0)
			from = strtoll(c->argv[2], NULL, 10);
		else if (c->argc != 1)
			return cli_usage(help);
		enum cm_rc rc = journal_each(c->st, from, print_event, NULL);
		return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
	}
	return cli_usage(help);
}
