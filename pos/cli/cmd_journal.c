/* coopmart journal verify|list */
#include "cli/cli.h"
#include "core/csvout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart journal verify\n"
	"       coopmart journal list [--from SEQ] [--csv]\n"
	"\n"
	"verify recomputes the whole hash chain and checks every sale against its\n"
	"journal event; it names the first bad sequence number and exits with 7\n"
	"when anything was altered, removed or inserted.\n"
	"list prints events: sequence, time, type, user, hash prefix, payload;\n"
	"--csv: one row per event for a spreadsheet (';' between fields, the\n"
	"whole hash, the payload as JSON text; see README, CSV exports).\n");

static void print_event(const struct journal_entry *e, const char *payload, void *ctx)
{
	(void)ctx;
	char hex[17], tm[32];
	chain_hex(e->hash, 8, hex);
	time_t t = (time_t)e->at;
	struct tm lt;
	localtime_r(&t, &lt);
	strftime(tm, sizeof tm, "%Y-%m-%d %H:%M:%S", &lt);
	printf(_("%6lld %s %-22s user %-4lld %s %s\n"), (long long)e->seq, tm, e->type,
	       (long long)e->user_id, hex, payload);
}

/* One event as a CSV row (core/csvout.h): seq;time;type;user;hash;payload. */
static void print_event_csv(const struct journal_entry *e, const char *payload, void *ctx)
{
	(void)ctx;
	char hex[2 * CHAIN_HASH_LEN + 1];
	chain_hex(e->hash, CHAIN_HASH_LEN, hex);
	/* Every '"' of the JSON payload doubles inside the quoted field. */
	size_t n = 2 * strlen(payload) + 256;
	char *line = malloc(n);
	if (!line) {
		fprintf(stderr, "coopmart: %s\n", _("out of memory"));
		return;
	}
	struct csvout o;
	csvout_begin(&o, line, n);
	csvout_int(&o, e->seq);
	csvout_time(&o, e->at);
	csvout_text(&o, e->type);
	csvout_int(&o, e->user_id);
	csvout_text(&o, hex);
	csvout_text(&o, payload);
	printf("%s\n", line);
	free(line);
}

int cmd_journal(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
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
		bool csv = false;
		for (int i = 1; i < c->argc; i++) {
			if (strcmp(c->argv[i], "--csv") == 0)
				csv = true;
			else if (strcmp(c->argv[i], "--from") == 0 && i + 1 < c->argc)
				from = strtoll(c->argv[++i], NULL, 10);
			else
				return cli_usage(help);
		}
		if (csv) {
			static const char *const cols[] = { "seq", "time", "type", "user", "hash",
			                                    "payload", NULL };
			char line[128];
			struct csvout o;
			csvout_begin(&o, line, sizeof line);
			csvout_header(&o, cols);
			printf("%s\n", line);
		}
		enum cm_rc rc = journal_each(c->st, from, csv ? print_event_csv : print_event, NULL);
		return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
	}
	return cli_usage(help);
}
