/* coopmart init: a new store database with its settings and first admin. */
#include "cli/cli.h"
#include "store/store_sign.h"
#include "engine/recovery.h"

#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const help = N_(
	"usage: coopmart [--db PATH] init --store-name NAME --terminal ID\n"
	"         [--store-code CODE] [--address TEXT] [--npwp NUMBER --pkp]\n"
	"         [--round-step RUPIAH] [--columns 32|42|48]\n"
	"         --admin-number N --admin-name NAME\n"
	"\n"
	"Creates the store database at --db and its first user, an admin.\n"
	"--store-code: the code HQ knows the store by (coopmart-hq enroll --store),\n"
	"the sync agent's 'store ='; left out, the agent's first sync sets it.\n"
	"The admin's PIN (6-12 digits) is read from standard input.\n"
	"--pkp marks a VAT-registered store: receipts then show NPWP and PPN.\n");

struct init_opts {
	const char *settings[16][2];
	int n;
	const char *admin_number, *admin_name;
};

static bool put(struct init_opts *o, const char *key, const char *value)
{
	if (o->n >= 16)
		return false;
	o->settings[o->n][0] = key;
	o->settings[o->n][1] = value;
	o->n++;
	return true;
}

static int parse(int argc, char **argv, struct init_opts *o)
{
	static const struct { const char *opt, *key; } map[] = {
		{ "--terminal", SET_TERMINAL }, /* first: it names the journal chain */
		{ "--store-name", SET_STORE_NAME }, { "--address", SET_STORE_ADDRESS },
		{ "--npwp", SET_NPWP }, { "--round-step", SET_ROUND_STEP },
		{ "--columns", SET_RECEIPT_COLS }, { "--footer", SET_RECEIPT_FOOTER },
		{ "--store-code", SET_STORE_CODE },
	};
	const char *vals[sizeof map / sizeof map[0]] = {0};
	bool pkp = false;
	for (int i = 0; i < argc; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof map / sizeof map[0] && !known; k++)
			if (strcmp(argv[i], map[k].opt) == 0 && i + 1 < argc) {
				vals[k] = argv[++i];
				known = true;
			}
		if (known)
			continue;
		if (strcmp(argv[i], "--pkp") == 0)
			pkp = true;
		else if (strcmp(argv[i], "--admin-number") == 0 && i + 1 < argc)
			o->admin_number = argv[++i];
		else if (strcmp(argv[i], "--admin-name") == 0 && i + 1 < argc)
			o->admin_name = argv[++i];
		else
			return cli_usage(help);
	}
	if (!vals[0] || !vals[1] || !o->admin_number || !o->admin_name)
		return cli_usage(help);
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (vals[k])
			put(o, map[k].key, vals[k]);
	put(o, SET_PKP, pkp ? "1" : "0");
	return EX_DONE;
}

/* A failed init removes the file it created, so that nothing half made
 * stays behind (settings without an admin, a journal with a terminal id)
 * and init can simply be run again. */
static int undo(struct cli *c, bool existed, int ex)
{
	if (existed)
		return ex;
	cli_close(c);
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal", ".lock" };
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", c->db, suffix[i]);
		unlink(p);
	}
	return ex;
}

int cmd_init(struct cli *c)
{
	if (cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), stdout);
		return EX_DONE;
	}
	struct init_opts o = {0};
	int ex = parse(c->argc, c->argv, &o);
	if (ex != EX_DONE)
		return ex;
	char pin[64];
	if ((ex = cli_read_pin(_("PIN for the admin: "), pin, sizeof pin)) != EX_DONE)
		return ex;
	struct stat sb;
	bool existed = stat(c->db, &sb) == 0;
	/* SQLite would make the file 0644 whatever the umask; made here first
	 * (an empty file is an empty database) it gets 0660 less the umask:
	 * never readable by every user (it holds PIN hashes and members), and
	 * `umask 007` gives the till's group, and with it the sync agent,
	 * write access (docs/ADMIN.md). */
	int fd = existed ? -1 : open(c->db, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd >= 0)
		close(fd);
	if ((ex = cli_open(c, true)) != EX_DONE)
		return undo(c, existed, ex);
	if (store_user_count(c->st) != 0) {
		fprintf(stderr, "coopmart: %s: %s\n", c->db, _("this store is already initialised"));
		return EX_STATE;
	}
	enum cm_rc rc = auth_pin_acceptable(c->till, o.admin_number, pin);
	for (int i = 0; rc == CM_OK && i < o.n; i++)
		rc = till_setting_set(c->till, o.settings[i][0], o.settings[i][1]);
	if (rc == CM_OK)
		rc = auth_user_add(c->till, o.admin_number, o.admin_name, ROLE_ADMIN, pin, NULL);
	memset(pin, 0, sizeof pin);
	if (rc != CM_OK)
		return undo(c, existed, cli_fail(rc, till_errmsg(c->till)));
	struct store_sign_info key;
	char line[128];
	if ((rc = store_sign_create(c->st, till_now(c->till), 0, &key)) != CM_OK)
		return undo(c, existed, cli_fail(rc, store_errmsg(c->st)));
	char code[RECOVERY_CODE_LEN];
	if ((rc = recovery_new(c->till, 0, code)) != CM_OK)
		return undo(c, existed, cli_fail(rc, till_errmsg(c->till)));
	store_sign_enrolment(&key, line, sizeof line);
	printf(_("Store '%s' (terminal %s) created in %s; admin %s.\n"),
	       till_config(c->till)->store_name, till_config(c->till)->terminal,
	       c->db, o.admin_number);
	fprintf(stderr, _("coopmart: one-time recovery code, for when every admin is locked out "
	        "(coopmart recover NUMBER): %s\nWrite it down and seal it; it is not shown "
	        "again.\n"), code);
	fprintf(stderr, _("coopmart: signing key %s.key made (mode 0640, for the till's and the "
	        "sync agent's group); register it with HQ: --signing-key %s\n"), c->db, line);
	return EX_DONE;
}
