/* Backups of the store database: SQLite's online backup API, and the
 * checks a copy must pass before anyone relies on it. The command line's
 * `backup` and `restore` (pos/cli/cmd_backup.c) are built on these. */
#ifndef STORE_BACKUP_H
#define STORE_BACKUP_H

#include "store/store.h"

/* Copies st's database into the new file dest in one step of the backup
 * API, that is inside one read transaction: a consistent snapshot of every
 * committed transaction while the till and the agent go on writing (in WAL
 * mode readers never block writers, nor writers readers). dest is written
 * with synchronous=FULL. CM_STATE when dest exists. The message is on st. */
enum cm_rc store_backup(struct store *st, const char *dest);

/* Copies the database file src, opened read-only, into the new file dest
 * (the backup API again: a database file with its WAL, as SQLite reads
 * it). For restores; nothing may have dest open. */
enum cm_rc store_backup_copy_file(const char *src, const char *dest, char *err, size_t errlen);

/* Turns the file at path (closed by everyone) into one self-contained file
 * in rollback-journal mode: a backup opened read-only later, or copied
 * elsewhere, needs no -wal or -shm beside it. The till's store_open turns
 * WAL mode on again when a restored copy is opened. */
enum cm_rc store_backup_seal(const char *path, char *err, size_t errlen);

/* PRAGMA integrity_check: CM_CORRUPT with the first problem SQLite names
 * as the message on st. */
enum cm_rc store_integrity_check(struct store *st);

#endif
