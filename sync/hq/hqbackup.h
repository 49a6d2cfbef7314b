/* coopmart-hq backup FILE / restore FILE, for HQ on SQLite (PostgreSQL:
 * pg_dump and pg_restore, see sync/README.md). Messages go to stderr,
 * the result to stdout; the functions return what went wrong as cm_rc.
 *
 * Every coopmart-hq command holds DB.lock shared while it runs (serve for
 * its whole life: hqbackup_lock); restore takes it exclusively, so it
 * refuses while the server or another command has the database open. */
#ifndef HQBACKUP_H
#define HQBACKUP_H

#include "hqstore.h"

/* The shared lock of a command on the SQLite database path db: a file
 * descriptor to close at the end, -1 when there is no lock file to take
 * (PostgreSQL, a folder the user may not write). CM_BUSY when a restore
 * holds it. */
enum cm_rc hqbackup_lock(const char *db, int *fd);

/* An online copy of the open database into the new file `file`, checked
 * (integrity, every terminal's event chain) before it takes that name. */
enum cm_rc hqbackup_backup(struct hqstore *st, const char *db, const char *file);

/* Replaces the database at db with the backup `file`, after checking a
 * copy of it (an older backup is upgraded then); the replaced database is
 * kept as DB.before-restore-TIME, the new one gets its owner and mode. */
enum cm_rc hqbackup_restore(const char *db, const char *file);

#endif
