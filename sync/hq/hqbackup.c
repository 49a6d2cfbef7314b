/* coopmart-hq backup and restore on SQLite (hqbackup.h). The same steps
 * as the till's (pos/cli/cmd_backup.c): copy beside the target, open the
 * copy as HQ would, check it, only then give it its name. */
#include "hqbackup.h"
#include "db.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const suffixes[] = { "", "-wal", "-shm" };

static void remove_files(const char *db)
{
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", db, suffixes[i]);
		unlink(p);
	}
}

static int lock_file(const char *db, int op)
{
	char path[4200];
	struct stat dbs;
	snprintf(path, sizeof path, "%s.lock", db);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno != ENOENT)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	/* Made by root: it belongs to the database's owner (coopmart-hq). */
	if (geteuid() == 0 && stat(db, &dbs) == 0 && fchown(fd, dbs.st_uid, dbs.st_gid) != 0) {
		/* best effort */
	}
	if (flock(fd, op | LOCK_NB) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

enum cm_rc hqbackup_lock(const char *db, int *fd)
{
	*fd = -1;
	if (db_backend_of(db) != DB_SQLITE)
		return CM_OK;
	*fd = lock_file(db, LOCK_SH);
	if (*fd < 0 && errno == EWOULDBLOCK) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", db,
		        _("a restore is replacing this database; try again when it has finished"));
		return CM_BUSY;
	}
	return CM_OK;
}

/* Opens path as HQ does (upgrading an older schema) and checks it. */
static enum cm_rc check_copy(const char *path, const char *shown, int64_t *events)
{
	struct hqstore *st = NULL;
	char err[500];
	enum cm_rc rc = hqstore_open(path, &st, err, sizeof err);
	if (rc != CM_OK) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", shown, err);
		return rc;
	}
	if ((rc = hqstore_check(st, events)) != CM_OK)
		fprintf(stderr, "coopmart-hq: %s: %s\n", shown, hqstore_errmsg());
	hqstore_close(st);
	return rc;
}

enum cm_rc hqbackup_backup(struct hqstore *st, const char *db, const char *file)
{
	char part[4200];
	struct stat sb;
	int64_t events = 0;
	if (stat(file, &sb) == 0) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", file,
		        _("already exists; a backup never overwrites a file (choose another name)"));
		return CM_STATE;
	}
	snprintf(part, sizeof part, "%s.part", file);
	remove_files(part);
	enum cm_rc rc = hqstore_backup(st, part);
	if (rc != CM_OK) {
		fprintf(stderr, "coopmart-hq: %s\n", hqstore_errmsg());
		return rc;
	}
	if ((rc = check_copy(part, file, &events)) == CM_OK && (rc = db_sqlite_seal(part)) != CM_OK)
		fprintf(stderr, "coopmart-hq: %s\n", db_errmsg());
	if (rc == CM_OK && rename(part, file) != 0) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", file, strerror(errno));
		rc = CM_IO;
	}
	if (rc != CM_OK) {
		remove_files(part);
		fprintf(stderr, _("coopmart-hq: no backup written: %s is not a sound copy\n"), file);
		return rc;
	}
	printf(_("Backup of %s written to %s: %lld events, checked (database integrity and "
	         "every terminal's chain).\n"), db, file, (long long)events);
	return CM_OK;
}

static enum cm_rc keep_old(const char *db, char *kept, size_t n)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(kept, n, "%s.before-restore-%s", db, stamp);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char from[4200], to[4300];
		snprintf(from, sizeof from, "%s%s", db, suffixes[i]);
		snprintf(to, sizeof to, "%s%s", kept, suffixes[i]);
		if (rename(from, to) != 0 && errno != ENOENT) {
			fprintf(stderr, "coopmart-hq: %s: %s\n", from, strerror(errno));
			return CM_IO;
		}
	}
	return CM_OK;
}

/* The checked copy takes the database's place, owner and mode. */
static enum cm_rc install(const char *copy, const char *db, char *kept, size_t n)
{
	struct stat old;
	bool had = stat(db, &old) == 0;
	kept[0] = '\0';
	if (had && (chown(copy, old.st_uid, old.st_gid) != 0 ||
	            chmod(copy, old.st_mode & 07777) != 0)) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", copy, strerror(errno));
		return CM_IO;
	}
	enum cm_rc rc = had ? keep_old(db, kept, n) : CM_OK;
	if (rc == CM_OK && rename(copy, db) != 0) {
		fprintf(stderr, "coopmart-hq: %s: %s\n", db, strerror(errno));
		rc = CM_IO;
	}
	return rc;
}

enum cm_rc hqbackup_restore(const char *db, const char *file)
{
	char copy[4200], kept[4300];
	int64_t events = 0;
	if (db_backend_of(db) != DB_SQLITE) {
		fprintf(stderr, "coopmart-hq: %s\n", _("a PostgreSQL HQ database is restored with "
		                                       "pg_restore (see sync/README.md)"));
		return CM_STATE;
	}
	int fd = lock_file(db, LOCK_EX);
	if (fd < 0) {
		int e = errno;
		fprintf(stderr, "coopmart-hq: %s: %s\n", db, e == EWOULDBLOCK
		        ? _("the server or another coopmart-hq command has the database open: "
		            "stop it first (systemctl stop coopmart-hq)")
		        : strerror(e));
		return e == EWOULDBLOCK ? CM_BUSY : CM_IO;
	}
	snprintf(copy, sizeof copy, "%s.restoring", db);
	remove_files(copy);
	enum cm_rc rc = db_sqlite_copy_file(file, copy);
	if (rc != CM_OK)
		fprintf(stderr, "coopmart-hq: %s\n", db_errmsg());
	else
		rc = check_copy(copy, file, &events);
	if (rc == CM_CORRUPT)
		fprintf(stderr, _("coopmart-hq: %s is not a sound backup; %s is unchanged\n"), file, db);
	if (rc == CM_OK)
		rc = install(copy, db, kept, sizeof kept);
	if (rc != CM_OK)
		remove_files(copy);
	else if (kept[0])
		printf(_("%s restored from %s (%lld events, checked); the database it replaced is "
		         "kept as %s.\n"), db, file, (long long)events, kept);
	else
		printf(_("%s restored from %s (%lld events, checked).\n"), db, file, (long long)events);
	close(fd);
	return rc;
}
