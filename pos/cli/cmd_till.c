/* coopmart till / coopmart demo: the checkout screen. */
#include "cli/cli.h"
#include "engine/demo.h"
#include "ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const till_help = N_(
	"usage: coopmart [--db PATH] till\n"
	"\n"
	"Opens the checkout screen on the store database. Keys: F1 in the till.\n");

/* The demo's help names its users (engine/demo.h). */
static void demo_usage(FILE *f)
{
	fprintf(f, _("usage: coopmart demo [--reset] [--items N]\n"
	             "\n"
	             "Creates (first time) and opens the demo store: about 2,000 grocery items,\n"
	             "cashier %s PIN %s, supervisor %s PIN %s, admin %s PIN %s.\n"
	             "The demo lives in $COOPMART_DEMO_DB, else ~/.local/share/coopmart/demo.db,\n"
	             "and never opens a real store's database.\n"),
	        DEMO_CASHIER, DEMO_CASHIER_PIN, DEMO_SUPERVISOR, DEMO_SUPERVISOR_PIN, DEMO_ADMIN,
	        DEMO_ADMIN_PIN);
}

static int run_till(struct cli *c, bool demo)
{
	int ex = cli_open(c, false);
	if (ex != EX_DONE)
		return ex;
	struct ui_options opt = { .db_path = c->db, .demo = demo };
	return ui_run(c->till, &opt);
}

int cmd_till(struct cli *c)
{
	if (cli_wants_help(c->argc, c->argv)) {
		fputs(_(till_help), stdout);
		return EX_DONE;
	}
	if (c->argc)
		return cli_usage(till_help);
	return run_till(c, false);
}

/* $COOPMART_DEMO_DB, else ~/.local/share/coopmart/demo.db with the folders
 * made as needed (a fresh account has no ~/.local yet). */
static void demo_path(char *buf, size_t n)
{
	const char *env = getenv("COOPMART_DEMO_DB");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	const char *home = getenv("HOME");
	static const char *const parts[] = { "/.local", "/share", "/coopmart" };
	snprintf(buf, n, "%s", home && *home ? home : "/tmp");
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s", parts[i]);
		mkdir(buf, i + 1 < sizeof parts / sizeof parts[0] ? 0755 : 0700);
	}
	size_t len = strlen(buf);
	snprintf(buf + len, n - len, "/demo.db");
}

static void remove_demo(const char *path)
{
	char side[1100];
	remove(path);
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
	snprintf(side, sizeof side, "%s-receipts.txt", path);
	remove(side);
}

int cmd_demo(struct cli *c)
{
	bool reset = false;
	size_t items = 2000;
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--help") == 0 || strcmp(c->argv[i], "-h") == 0) {
			demo_usage(stdout);
			return EX_DONE;
		} else if (strcmp(c->argv[i], "--reset") == 0)
			reset = true;
		else if (strcmp(c->argv[i], "--items") == 0 && i + 1 < c->argc)
			items = (size_t)strtoul(c->argv[++i], NULL, 10);
		else {
			demo_usage(stderr);
			return EX_USAGE;
		}
	}
	static char path[1100];
	demo_path(path, sizeof path);
	char err[400];
	enum cm_rc rc = demo_check(path, err, sizeof err);
	if (rc == CM_OK && reset) {
		remove_demo(path);
		rc = CM_NOTFOUND;
	}
	if (rc == CM_NOTFOUND) {
		fprintf(stderr, "%s %s ...\n", _("Creating the demo store in"), path);
		rc = demo_create(path, items ? items : 2000, err, sizeof err);
	}
	if (rc != CM_OK)
		return cli_fail(rc, err);
	c->db = path;
	return run_till(c, true);
}
