/* coopmart backup FILE / coopmart restore FILE.
 *
 * backup copies the open database with SQLite's online backup API while
 * the till may be selling (one read transaction: every committed sale or
 * none of it), into FILE.part, checks the copy (integrity_check and the
 * whole journal, as `journal verify`), makes it one self-contained file
 * (rollback-journal mode) and only then renames it to FILE.
 *
 * restore refuses while anything has the database open: the till and
 * every coopmart command hold DB.lock shared (cli_open), the sync agent
 * holds DB.sync-lock; restore takes both exclusively for its whole run. It
 * copies FILE beside the database, opens that copy as the till would
 * (an older backup is upgraded here), checks it like backup does, keeps
 * the database it replaces as DB.before-restore-TIME (with its -wal), and
 * renames the copy into place with the old file's owner and mode. */
#include "cli/cli.h"
#include "store/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const backup_help = N_(
	"usage: coopmart [--db PATH] backup FILE\n"
	"\n"
	"Writes a copy of the store database to FILE (which must not exist) while\n"
	"the till may go on selling, then checks the copy: SQLite's integrity check\n"
	"and the whole journal, as 'journal verify'. FILE appears only when the\n"
	"copy is sound; exit 7 when it is not.\n");

static const char *const restore_help = N_(
	"usage: coopmart [--db PATH] restore FILE\n"
	"\n"
	"Replaces the store database with the backup FILE, after checking it like\n"
	"'backup' does. The till, every other coopmart command and coopmart-sync\n"
	"must be stopped first (exit 5 while one has the database open). The\n"
	"replaced database is kept beside it as PATH.before-restore-TIME. Events\n"
	"made after the backup are lost to the till; when HQ already holds them,\n"
	"the sync agent raises an alert instead of pushing.\n");

static const char *const db_suffixes[] = { "", "-wal", "-shm" };

static void remove_db_files(const char *db)
{
	for (size_t i = 0; i < sizeof db_suffixes / sizeof db_suffixes[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", db, db_suffixes[i]);
		unlink(p);
	}
}

/* Opens path as the till would (migrating an older schema), then checks
 * it; prints nothing on success. events: how many the journal holds. */
static int check_copy(const char *path, const char *shown, int64_t *events)
{
	struct store *st = NULL;
	char err[400];
	struct journal_check jc = {0};
	enum cm_rc rc = store_open(path, 0, 0, &st, err, sizeof err);
	if (rc != CM_OK) {
		fprintf(stderr, "coopmart: %s: %s\n", shown, err);
		return rc == CM_NOTFOUND ? EX_NOTFOUND : EX_DAMAGED;
	}
	rc = store_integrity_check(st);
	if (rc == CM_OK && (rc = journal_verify(st, &jc)) == CM_CORRUPT)
		fprintf(stderr, _("coopmart: %s: the journal is broken at sequence %lld: %s\n"), shown,
		        (long long)jc.bad_seq, jc.why);
	else if (rc != CM_OK)
		fprintf(stderr, "coopmart: %s: %s\n", shown, store_errmsg(st));
	*events = jc.events;
	store_close(st);
	return rc == CM_OK ? EX_DONE : rc == CM_CORRUPT ? EX_DAMAGED : cli_exit_code(rc);
}

int cmd_backup(struct cli *c)
{
	if (cli_wants_help(c->argc, c->argv)) {
		fputs(_(backup_help), stdout);
		return EX_DONE;
	}
	if (c->argc != 1)
		return cli_usage(backup_help);
	const char *file = c->argv[0];
	char part[4200];
	struct stat sb;
	int64_t events = 0;
	snprintf(part, sizeof part, "%s.part", file);
	if (stat(file, &sb) == 0) {
		fprintf(stderr, "coopmart: %s: %s\n", file,
		        _("already exists; a backup never overwrites a file (choose another name)"));
		return EX_STATE;
	}
	remove_db_files(part);   /* what an interrupted backup left */
	enum cm_rc rc = store_backup(c->st, part);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	/* As private as the store (SQLite makes it 0644 whatever the umask). */
	chmod(part, 0640);
	char err[600];
	int ex = check_copy(part, file, &events);
	if (ex == EX_DONE && (rc = store_backup_seal(part, err, sizeof err)) != CM_OK)
		ex = cli_fail(rc, err);
	if (ex == EX_DONE && rename(part, file) != 0) {
		fprintf(stderr, "coopmart: %s: %s\n", file, strerror(errno));
		ex = EX_WRITE;
	}
	if (ex != EX_DONE) {
		remove_db_files(part);
		fprintf(stderr, _("coopmart: no backup written: %s is not a sound copy\n"), file);
		return ex;
	}
	printf(_("Backup of %s written to %s: %lld journal events, checked (database "
	         "integrity and journal).\n"), c->db, file, (long long)events);
	return EX_DONE;
}

/* Both locks, exclusively: nothing else may have the database open. */
static int take_locks(const char *db, int fds[2])
{
	static const char *const suffix[2] = { ".lock", ".sync-lock" };
	const char *const holder[2] = {
		_("the till or another coopmart command has the database open: close it first"),
		_("coopmart-sync is working on the database: stop it first "
		  "(systemctl stop coopmart-sync)"),
	};
	for (int i = 0; i < 2; i++) {
		fds[i] = cli_lock(db, suffix[i], LOCK_EX);
		if (fds[i] >= 0)
			continue;
		int e = errno;
		fprintf(stderr, "coopmart: %s: ", db);
		if (e == EWOULDBLOCK)
			fputs(holder[i], stderr);
		else
			fprintf(stderr, _("cannot create the lock file %s: %s"), suffix[i], strerror(e));
		fputc('\n', stderr);
		return e == EWOULDBLOCK ? EX_BUSY : EX_WRITE;
	}
	return EX_DONE;
}

/* Moves the database (and its WAL, which belongs with it) aside. */
static int keep_old(const char *db, char *kept, size_t n)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(kept, n, "%s.before-restore-%s", db, stamp);
	for (size_t i = 0; i < sizeof db_suffixes / sizeof db_suffixes[0]; i++) {
		char from[4200], to[4300];
		snprintf(from, sizeof from, "%s%s", db, db_suffixes[i]);
		snprintf(to, sizeof to, "%s%s", kept, db_suffixes[i]);
		if (rename(from, to) != 0 && errno != ENOENT) {
			fprintf(stderr, "coopmart: %s: %s\n", from, strerror(errno));
			return EX_WRITE;
		}
	}
	return EX_DONE;
}

static int install(const char *copy, const char *db, char *kept, size_t n)
{
	struct stat old;
	bool had = stat(db, &old) == 0;
	kept[0] = '\0';
	/* The till runs as the cashier's login: a restore run as root must
	 * not leave a database only root can write. */
	if (had && (chown(copy, old.st_uid, old.st_gid) != 0 ||
	            chmod(copy, old.st_mode & 07777) != 0)) {
		fprintf(stderr, "coopmart: %s: %s\n", copy, strerror(errno));
		return EX_WRITE;
	}
	int ex = had ? keep_old(db, kept, n) : EX_DONE;
	if (ex == EX_DONE && rename(copy, db) != 0) {
		fprintf(stderr, "coopmart: %s: %s\n", db, strerror(errno));
		ex = EX_WRITE;
	}
	return ex;
}

int cmd_restore(struct cli *c)
{
	if (cli_wants_help(c->argc, c->argv)) {
		fputs(_(restore_help), stdout);
		return EX_DONE;
	}
	if (c->argc != 1)
		return cli_usage(restore_help);
	const char *file = c->argv[0];
	char copy[4200], err[600], kept[4300];
	int fds[2] = { -1, -1 };
	int64_t events = 0;
	int ex = take_locks(c->db, fds);
	snprintf(copy, sizeof copy, "%s.restoring", c->db);
	if (ex == EX_DONE) {
		remove_db_files(copy);
		enum cm_rc rc = store_backup_copy_file(file, copy, err, sizeof err);
		if (rc != CM_OK) {
			ex = cli_fail(rc, err);
		} else {
			chmod(copy, 0640);   /* install() gives it the old file's mode after */
			ex = check_copy(copy, file, &events);
		}
		if (ex == EX_DAMAGED)
			fprintf(stderr, _("coopmart: %s is not a sound backup; %s is unchanged\n"), file,
			        c->db);
	}
	if (ex == EX_DONE)
		ex = install(copy, c->db, kept, sizeof kept);
	if (ex != EX_DONE)
		remove_db_files(copy);
	else if (kept[0])
		printf(_("%s restored from %s (%lld journal events, checked); the database it "
		         "replaced is kept as %s.\n"), c->db, file, (long long)events, kept);
	else
		printf(_("%s restored from %s (%lld journal events, checked).\n"), c->db, file,
		       (long long)events);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ex;
}
