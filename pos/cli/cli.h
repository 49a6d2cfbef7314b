/* The admin command line: shared helpers of the cmd_*.c files.
 *
 * Exit codes scripts can rely on (also in README.md):
 *   0 done                     1 usage error (bad command or option)
 *   2 not found                3 invalid input (bad CSV row, PIN, amount)
 *   4 not allowed (role, locked user, approval needed)
 *   5 database busy (another program holds the lock)
 *   6 cannot write (read-only, disk full, I/O error)
 *   7 journal or database damaged (verification failed)
 *   8 wrong state (e.g. store already initialised)
 *   9 device absent or not working (print-test) */
#ifndef CLI_H
#define CLI_H

#include "engine/till.h"
#include "engine/auth.h"

enum cli_exit {
	EX_DONE = 0, EX_USAGE = 1, EX_NOTFOUND = 2, EX_INVALID = 3, EX_DENIED = 4,
	EX_BUSY = 5, EX_WRITE = 6, EX_DAMAGED = 7, EX_STATE = 8, EX_DEVICE = 9,
};

struct cli {
	const char *db;        /* --db, $COOPMART_DB, or the default path */
	const char *user;      /* --user NUMBER, for commands that change things */
	bool read_only_ok;     /* the command reads: a read-only copy will do */
	struct store *st;
	struct till *till;
	int argc;              /* the command's own arguments */
	char **argv;
	int lock_fd;           /* DB.lock, held shared while open; -1 = none */
};

int cli_exit_code(enum cm_rc rc);
/* Prints "coopmart: msg" to stderr and returns the exit code for rc. */
int cli_fail(enum cm_rc rc, const char *msg);
/* Prints the (untranslated, N_-marked) usage text in the user's language
 * to stderr; returns EX_USAGE. */
int cli_usage(const char *text);

/* Opens the store and the till. create: STORE_CREATE. Holds a shared
 * lock (flock) on the file DB.lock while open, so that `restore` can tell
 * that the till or another command has the database open. */
int cli_open(struct cli *c, bool create);
void cli_close(struct cli *c);
/* Reads one secret line from stdin (without echo on a terminal); what
 * names it in the message when stdin ends first ("recovery code"). */
int cli_read_secret(const char *prompt, const char *what, char *buf, size_t n);
/* The same for a PIN. */
int cli_read_pin(const char *prompt, char *buf, size_t n);
/* Logs in --user with a PIN from stdin; needed by commands that change
 * the store so that the journal names who did it. */
int cli_login(struct cli *c);

/* "2026-11-29" or "20261129" -> 20261129; 0 when malformed. */
int32_t cli_parse_date(const char *s);
/* True when argv[i] is "--help" or "-h". */
bool cli_wants_help(int argc, char **argv);

int cmd_init(struct cli *c);
int cmd_import(struct cli *c);
int cmd_user(struct cli *c);
int cmd_member(struct cli *c);
int cmd_sale(struct cli *c);
int cmd_report(struct cli *c);
int cmd_journal(struct cli *c);
int cmd_setting(struct cli *c);
int cmd_key(struct cli *c);
int cmd_recover(struct cli *c);
int cmd_till(struct cli *c);
int cmd_shift(struct cli *c);
int cmd_demo(struct cli *c);
int cmd_devices(struct cli *c);
int cmd_return(struct cli *c);
int cmd_receive(struct cli *c);
int cmd_adjust(struct cli *c);
int cmd_count(struct cli *c);
int cmd_printtest(struct cli *c);
int cmd_backup(struct cli *c);
int cmd_restore(struct cli *c);

/* The lock file beside the database named db, with suffix (".lock",
 * ".sync-lock"), locked with op (LOCK_SH or LOCK_EX, never waiting). The
 * descriptor, -1 with errno EWOULDBLOCK when another process holds it, or
 * -1 with another errno when the file cannot be opened. */
int cli_lock(const char *db, const char *suffix, int op);

#endif
