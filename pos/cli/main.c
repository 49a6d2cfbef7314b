/* coopmart: the store's admin command line. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/secret.h"
#include "drivers/printer.h"
#include "drivers/scanner.h"
#include "ui/ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DB "/var/lib/coopmart/store.db"

static const char *const usage_text = N_(
	"usage: coopmart [--db PATH] [--user NUMBER] COMMAND ...\n"
	"\n"
	"Commands:\n"
	"  till              open the checkout screen\n"
	"  demo              create (first time) and open the demo store\n"
	"  init              create a new store database\n"
	"  import items F    import the catalogue from a CSV file\n"
	"  import stock-info F   shelf zones, reorder levels, costs (CSV)\n"
	"  user add|list|lock|unlock|pin   manage users\n"
	"  member show CARD|NUMBER         a member's dues standing\n"
	"  sale list|show    list sales, show a receipt\n"
	"  shift open|cash-in|cash-out|close|status|list   shifts and cash\n"
	"  report day|x|z    day totals; X (mid-shift) and Z (end of day) reports\n"
	"  report stock-value|low-stock|slow-movers|variance   stock reports\n"
	"  count start|scan|set|review|post|...   stock counts\n"
	"  journal verify|list   check or list the journal\n"
	"  setting get|set   read or change a store setting\n"
	"  devices           list USB scanners and printers, and the ones in use\n"
	"  return ...        return goods of a sale (or without a receipt)\n"
	"  receive start|add|park|post|list|show   receive a delivery\n"
	"  adjust ITEM QTY   adjust stock with a reason\n"
	"  print-test        print a test page on the receipt printer\n"
	"  backup FILE       a verified copy of the database, while the till sells\n"
	"  restore FILE      replace the database with a backup (till closed)\n"
	"\n"
	"Options:\n"
	"  --db PATH         the store database (default $COOPMART_DB or\n"
	"                    /var/lib/coopmart/store.db)\n"
	"  --user NUMBER     who is doing this; the PIN is read from standard input\n"
	"\n"
	"'coopmart COMMAND --help' describes each command. Exit codes: 0 done,\n"
	"1 usage, 2 not found, 3 invalid input, 4 not allowed, 5 database busy,\n"
	"6 cannot write, 7 damaged, 8 wrong state, 9 device absent.\n");

int cli_exit_code(enum cm_rc rc)
{
	switch (rc) {
	case CM_OK: return EX_DONE;
	case CM_NOTFOUND: return EX_NOTFOUND;
	case CM_INVALID: return EX_INVALID;
	case CM_DENIED: case CM_NEED_OVERRIDE: case CM_LOCKED: return EX_DENIED;
	case CM_BUSY: return EX_BUSY;
	case CM_CORRUPT: return EX_DAMAGED;
	case CM_STATE: case CM_CONFLICT: return EX_STATE;
	default: return EX_WRITE;
	}
}

int cli_fail(enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "coopmart: %s\n", msg);
	return cli_exit_code(rc);
}

int cli_usage(const char *text)
{
	fputs(_(text), stderr);
	return EX_USAGE;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static bool scanner_spec_valid(const char *spec)
{
	struct scanner_spec s;

	return scanner_parse_spec(spec, &s) == SCANNER_E_NONE;
}

/* The drivers' checks of the device settings, for the engine. */
static const struct till_devices devices = {
	.printer_spec_valid = printer_spec_valid, .scanner_spec_valid = scanner_spec_valid,
};

int cli_lock(const char *db, const char *suffix, int op)
{
	char path[4200];
	snprintf(path, sizeof path, "%s%s", db, suffix);
	/* A user who may open the database but not create files beside it
	 * still takes the lock on an existing file, read-only. */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
	if (fd < 0 && errno != ENOENT)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	/* Made by root (a restore, an admin's command): the lock file belongs
	 * to whoever owns the database, or the till's user could not lock it. */
	struct stat dbs;
	if (geteuid() == 0 && stat(db, &dbs) == 0 && fchown(fd, dbs.st_uid, dbs.st_gid) != 0) {
		/* best effort: a lock file root keeps still locks for root */
	}
	if (flock(fd, op | LOCK_NB) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int cli_open(struct cli *c, bool create)
{
	char err[400];
	/* Without a lock file (a folder the user may not write) the database
	 * still opens: the lock only keeps a restore away. A file without any
	 * write bit is an auditor's read-only copy: nothing is written beside
	 * it, not even the lock (root could). */
	struct stat sb;
	c->lock_fd = create || (stat(c->db, &sb) == 0 && (sb.st_mode & 0222))
	             ? cli_lock(c->db, ".lock", LOCK_SH) : -1;
	if (c->lock_fd < 0 && errno == EWOULDBLOCK) {
		fprintf(stderr, "coopmart: %s: %s\n", c->db,
		        _("a restore is replacing this database; try again when it has finished"));
		return EX_BUSY;
	}
	int flags = (create ? STORE_CREATE : 0) | (c->read_only_ok ? STORE_READONLY_OK : 0);
	enum cm_rc rc = store_open(c->db, flags, 0, &c->st, err, sizeof err);
	if (rc != CM_OK)
		return cli_fail(rc, err);
	rc = till_open(c->st, &c->till, err, sizeof err);
	if (rc != CM_OK) {
		store_close(c->st);
		c->st = NULL;
		return cli_fail(rc, err);
	}
	till_set_devices(c->till, &devices);
	return EX_DONE;
}

void cli_close(struct cli *c)
{
	till_free(c->till);
	store_close(c->st);
	c->till = NULL;
	c->st = NULL;
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	c->lock_fd = -1;
}

int cli_read_secret(const char *prompt, const char *what, char *buf, size_t n)
{
	char msg[200];
	if (secret_read(prompt, what, buf, n, msg, sizeof msg) != CM_OK) {
		fprintf(stderr, "coopmart: %s\n", msg);
		return EX_INVALID;
	}
	return EX_DONE;
}

int cli_read_pin(const char *prompt, char *buf, size_t n)
{
	return cli_read_secret(prompt, _("PIN"), buf, n);
}

int cli_login(struct cli *c)
{
	if (!c->user) {
		fprintf(stderr, "coopmart: %s\n", _("this command changes the store: say who you are with --user NUMBER"));
		return EX_USAGE;
	}
	char pin[64];
	int ex = cli_read_pin(_("PIN: "), pin, sizeof pin);
	if (ex != EX_DONE)
		return ex;
	enum cm_rc rc = auth_login(c->till, c->user, pin);
	memset(pin, 0, sizeof pin);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, till_errmsg(c->till));
}

int32_t cli_parse_date(const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
	    (strlen(s) != 8 || sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) != 3))
		return 0;
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return y * 10000 + m * 100 + d;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *c);
	bool opens;     /* the command opens an existing store itself? */
	bool reads;     /* works on a read-only copy (its writing subcommands fail there) */
} commands[] = {
	{ "init", cmd_init, false, false },
	{ "import", cmd_import, true, false },
	{ "user", cmd_user, true, false },
	{ "member", cmd_member, true, true },
	{ "sale", cmd_sale, true, true },
	{ "report", cmd_report, true, true },
	{ "count", cmd_count, true, false },
	{ "shift", cmd_shift, true, false },
	{ "journal", cmd_journal, true, true },
	{ "setting", cmd_setting, true, false },
	{ "key", cmd_key, true, false },
	{ "recover", cmd_recover, true, false },
	{ "till", cmd_till, false, false },
	{ "demo", cmd_demo, false, false },
	{ "devices", cmd_devices, true, false },
	{ "return", cmd_return, true, false },
	{ "receive", cmd_receive, true, false },
	{ "adjust", cmd_adjust, true, false },
	{ "print-test", cmd_printtest, true, false },
	{ "backup", cmd_backup, true, false },
	{ "restore", cmd_restore, false, false },
};

int main(int argc, char **argv)
{
	i18n_init();
	struct cli c = { .db = getenv("COOPMART_DB"), .lock_fd = -1 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			c.db = argv[++i];
		else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
			c.user = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(usage_text), stdout);
			return EX_DONE;
		} else
			return cli_usage(usage_text);
	}
	if (!c.db || !*c.db)
		c.db = DEFAULT_DB;
	if (i >= argc)
		return cli_usage(usage_text);
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		c.argc = argc - i - 1;
		c.argv = argv + i + 1;
		c.read_only_ok = commands[k].reads;
		if (commands[k].opens && !cli_wants_help(c.argc, c.argv)) {
			int ex = cli_open(&c, false);
			if (ex != EX_DONE)
				return ex;
		}
		int ex = commands[k].fn(&c);
		if (c.till && till_user(c.till))
			auth_logout(c.till);
		cli_close(&c);
		return ex;
	}
	fprintf(stderr, _("coopmart: unknown command '%s'\n\n"), argv[i]);
	return cli_usage(usage_text);
}
