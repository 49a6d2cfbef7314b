/* Online backups of the store database (store_backup.h). */
#include "store/store_int.h"
#include "store/store_backup.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a backup step waits for a lock it cannot take at once (another
 * connection checkpointing, a restore of the destination): 50 ms a try. */
#define BACKUP_TRIES 200

/* One whole backup from src to dst: BUSY and LOCKED are retried, anything
 * else ends it. The SQLite result code of the copy. */
static int copy_all(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int rc, tries = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries >= BACKUP_TRIES)
			break;
		sqlite3_sleep(50);
	}
	int frc = sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? frc : rc;
}

static int open_dest(const char *dest, sqlite3 **dst)
{
	int rc = sqlite3_open_v2(dest, dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	return rc;
}

enum cm_rc store_backup(struct store *st, const char *dest)
{
	struct stat sb;
	if (stat(dest, &sb) == 0) {
		store_seterr(st, _("%s already exists; a backup never overwrites a file"), dest);
		return CM_STATE;
	}
	sqlite3 *dst = NULL;
	int rc = open_dest(dest, &dst);
	if (rc == SQLITE_OK)
		rc = copy_all(dst, st->db);
	if (rc != SQLITE_OK)
		store_seterr(st, _("writing the backup %s: %s"), dest,
		             dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close(dst);
	if (rc != SQLITE_OK) {
		unlink(dest);
		return CM_IO;
	}
	return CM_OK;
}

enum cm_rc store_backup_copy_file(const char *src, const char *dest, char *err, size_t errlen)
{
	sqlite3 *from = NULL, *dst = NULL;
	int rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, _("cannot open %s: %s"), src,
		         from ? sqlite3_errmsg(from) : sqlite3_errstr(rc));
		goto out;
	}
	if ((rc = open_dest(dest, &dst)) == SQLITE_OK)
		rc = copy_all(dst, from);
	if (rc != SQLITE_OK) {
		/* "file is not a database" comes from the source side. */
		snprintf(err, errlen, _("copying %s to %s: %s"), src, dest,
		         sqlite3_errcode(from) != SQLITE_OK ? sqlite3_errmsg(from)
		         : dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	}
out:
	sqlite3_close(dst);
	sqlite3_close(from);
	if (rc != SQLITE_OK && dst)
		unlink(dest);
	return rc == SQLITE_OK ? CM_OK
	       : (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT ? CM_CORRUPT : CM_IO;
}

enum cm_rc store_backup_seal(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, _("finishing the backup %s: %s"), path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close(db);
	return rc == SQLITE_OK ? CM_OK : CM_IO;
}

enum cm_rc store_integrity_check(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check(1)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, _("checking the database"));
	rc = sqlite3_step(s);
	enum cm_rc out = CM_OK;
	if (rc != SQLITE_ROW) {
		out = store_fail(st, rc, _("checking the database"));
	} else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
		store_seterr(st, _("the database is damaged: %s"), (const char *)sqlite3_column_text(s, 0));
		out = CM_CORRUPT;
	}
	sqlite3_finalize(s);
	return out;
}
