/* coopmart count start|scan|set|pause|resume|review|post|abandon|list */
#include "cli/cli.h"
#include "core/csvout.h"
#include "core/money.h"
#include "engine/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart count list [--all]\n"
	"       coopmart --user N count start all | category NAME | zone NAME\n"
	"       coopmart --user N count scan COUNT CODE QTY [--zone Z]\n"
	"       coopmart --user N count set COUNT CODE QTY [--zone Z]\n"
	"       coopmart --user N count scan|set COUNT --batch [--zone Z]\n"
	"       coopmart --user N count pause|resume|review|post|abandon COUNT [--csv]\n"
	"\n"
	"Stock counts. start snapshots every item in scope (sales go on); scan\n"
	"adds QTY to what was counted of the item (a barcode, scale label or\n"
	"SKU), set replaces it; weighed items in kg (\"1,25\"). --batch reads\n"
	"\"CODE QTY\" lines from standard input after the PIN. review lists the\n"
	"items that differ, largest value at cost first, and the items never\n"
	"counted; post moves stock by every variance in one journaled\n"
	"transaction; abandon posts nothing. list shows unfinished counts (all\n"
	"with --all). Starting, pausing and resuming need a supervisor; review,\n"
	"post and abandon too; anyone may count. The PIN is read from standard\n"
	"input.\n");

static int fail_till(struct cli *c, enum cm_rc rc)
{
	return cli_fail(rc, till_errmsg(c->till));
}

static bool parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

static void when(int64_t at, char *buf, size_t n)
{
	time_t tt = (time_t)at;
	struct tm tm;
	if (!at || !localtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, n, "-");
}

static int list(struct cli *c, bool all)
{
	struct count_info *v;
	size_t n;
	enum cm_rc rc = count_list(c->till, !all, &v, &n);
	if (rc != CM_OK)
		return fail_till(c, rc);
	for (size_t i = 0; i < n; i++) {
		char at[32];
		when(v[i].started_at, at, sizeof at);
		printf("%lld\t%s\t%s %s\t%s\t%lld/%lld\n", (long long)v[i].id,
		       count_status_name(v[i].status), count_scope_name(v[i].scope),
		       v[i].scope_value, at, (long long)v[i].counted, (long long)v[i].items);
	}
	free(v);
	return EX_DONE;
}

static int start(struct cli *c, int argc, char **argv)
{
	enum count_scope scope;
	if (argc < 1 || count_scope_parse(argv[0], &scope) != CM_OK ||
	    argc != (scope == SCOPE_ALL ? 1 : 2))
		return cli_usage(help);
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	int64_t id;
	enum cm_rc rc = count_start(c->till, scope, argc > 1 ? argv[1] : "", &id);
	if (rc != CM_OK)
		return fail_till(c, rc);
	struct count_info ci;
	if ((rc = count_get(c->till, id, &ci)) != CM_OK)
		return fail_till(c, rc);
	printf(_("count %lld started: %lld items\n"), (long long)id, (long long)ci.items);
	return EX_DONE;
}

/* One "CODE QTY" entry; prints the line's new total. */
static int entry(struct cli *c, int64_t id, const char *code, const char *qty_text,
                 const char *zone, enum count_mode mode)
{
	struct item_rec it;
	cm_qty so_far, qty, total;
	bool counted;
	enum cm_rc rc = count_find(c->till, id, code, &it, &so_far, &counted);
	if (rc != CM_OK)
		return fail_till(c, rc);
	if (count_qty_parse(qty_text, it.weighed, &qty) != CM_OK) {
		char msg[200];
		snprintf(msg, sizeof msg, it.weighed ? _("%s: '%s' is not a weight in kg")
		                                     : _("%s: '%s' is not a whole number"),
		         it.sku, qty_text);
		return cli_fail(CM_INVALID, msg);
	}
	if ((rc = count_enter(c->till, id, it.id, zone, mode, qty, &total)) != CM_OK)
		return fail_till(c, rc);
	char q[32];
	qty_format(total, q, sizeof q);
	printf("%s\t%s\t%s %s\n", it.sku, it.name, q, it.unit);
	return EX_DONE;
}

static int batch(struct cli *c, int64_t id, const char *zone, enum count_mode mode)
{
	char line[256];
	int worst = EX_DONE;
	while (fgets(line, sizeof line, stdin)) {
		char code[64], qty[32], tail;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%63s %31s %c", code, qty, &tail) != 2) {
			fprintf(stderr, "coopmart: %s: %s", _("expected CODE QTY"), line);
			worst = EX_INVALID;
			continue;
		}
		int ex = entry(c, id, code, qty, zone, mode);
		if (ex != EX_DONE)
			worst = ex;
	}
	return worst;
}

static int scan(struct cli *c, int argc, char **argv, enum count_mode mode)
{
	int64_t id;
	const char *zone = "", *pos[3];
	int npos = 0;
	bool use_batch = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc)
			zone = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0)
			use_batch = true;
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return cli_usage(help);
	}
	if (npos < 1 || !parse_id(pos[0], &id) || npos != (use_batch ? 1 : 3))
		return cli_usage(help);
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	return use_batch ? batch(c, id, zone, mode) : entry(c, id, pos[1], pos[2], zone, mode);
}

static void section(const char *title, const struct stock_row *r, size_t n, bool csv,
                    const char *tag)
{
	char line[512];
	if (!csv) {
		printf("\n%s\n", title);
		stock_report_header(REPORT_VARIANCE, false, line, sizeof line);
		printf("%s\n", line);
	}
	for (size_t i = 0; i < n; i++) {
		stock_report_line(REPORT_VARIANCE, &r[i], csv, line, sizeof line);
		if (csv)
			printf("%s%c", tag, CSVOUT_SEP);
		printf("%s\n", line);
	}
	if (!csv && !n)
		printf("  -\n");
}

static int review(struct cli *c, int64_t id, bool csv)
{
	struct count_review r;
	enum cm_rc rc = count_review(c->till, id, &r);
	if (rc != CM_OK)
		return fail_till(c, rc);
	if (csv) {
		char h[256];
		stock_report_header(REPORT_VARIANCE, true, h, sizeof h);
		printf("section%c%s\n", CSVOUT_SEP, h);
	} else {
		char v[32], u[32];
		money_format(r.variance_value, NULL, v, sizeof v);
		money_format(r.uncounted_value, NULL, u, sizeof u);
		printf(_("Count %lld (%s %s, %s): %lld items, %lld counted\n"), (long long)id,
		       count_scope_name(r.info.scope), r.info.scope_value,
		       count_status_name(r.info.status), (long long)r.info.items,
		       (long long)r.info.counted);
		printf(_("Variances: %zu lines, %s at cost. Never counted: %zu items, %s at cost.\n"),
		       r.nvariances, v, r.nuncounted, u);
	}
	section(_("Variances, largest value first:"), r.variances, r.nvariances, csv, "variance");
	section(_("Expected but never counted (posting leaves them as they are):"),
	        r.uncounted, r.nuncounted, csv, "uncounted");
	count_review_free(&r);
	return EX_DONE;
}

static int one(struct cli *c, const char *verb, int argc, char **argv)
{
	int64_t id;
	bool csv = argc == 2 && strcmp(argv[1], "--csv") == 0 && strcmp(verb, "review") == 0;
	if ((argc != 1 && !csv) || !parse_id(argv[0], &id))
		return cli_usage(help);
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc;
	if (strcmp(verb, "review") == 0)
		return review(c, id, csv);
	if (strcmp(verb, "post") == 0) {
		struct count_post_result res;
		if ((rc = count_post(c->till, id, &res)) != CM_OK)
			return fail_till(c, rc);
		char v[32];
		money_format(res.value, NULL, v, sizeof v);
		printf(_("count %lld posted: %lld stock movements, %s at cost, journal %lld\n"),
		       (long long)id, (long long)res.movements, v, (long long)res.first_seq);
		return EX_DONE;
	}
	if (strcmp(verb, "pause") == 0)
		rc = count_pause(c->till, id);
	else if (strcmp(verb, "resume") == 0)
		rc = count_resume(c->till, id);
	else
		rc = count_abandon(c->till, id);
	if (rc != CM_OK)
		return fail_till(c, rc);
	printf(_("count %lld: %s\n"), (long long)id,
	       strcmp(verb, "pause") == 0 ? _("paused") :
	       strcmp(verb, "resume") == 0 ? _("resumed") : _("abandoned"));
	return EX_DONE;
}

int cmd_count(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		bool asked = c->argc >= 1;
		fputs(_(help), asked ? stdout : stderr);
		return asked ? EX_DONE : EX_USAGE;
	}
	const char *verb = c->argv[0];
	int argc = c->argc - 1;
	char **argv = c->argv + 1;
	if (strcmp(verb, "list") == 0) {
		bool all = argc == 1 && strcmp(argv[0], "--all") == 0;
		if (argc > 1 || (argc == 1 && !all))
			return cli_usage(help);
		return list(c, all);
	}
	if (strcmp(verb, "start") == 0)
		return start(c, argc, argv);
	if (strcmp(verb, "scan") == 0)
		return scan(c, argc, argv, COUNT_ADD);
	if (strcmp(verb, "set") == 0)
		return scan(c, argc, argv, COUNT_REPLACE);
	if (argc >= 1 && (strcmp(verb, "pause") == 0 || strcmp(verb, "resume") == 0 ||
	                  strcmp(verb, "review") == 0 || strcmp(verb, "post") == 0 ||
	                  strcmp(verb, "abandon") == 0))
		return one(c, verb, argc, argv);
	return cli_usage(help);
}
