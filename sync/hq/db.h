/* HQ's database connection, behind a table of function pointers: one
 * implementation per backend (db_sqlite.c, db_pg.c), the way SQLite hides
 * the OS behind its VFS. Only those two files include a database library's
 * header; the hqstore_*.c files speak through this interface and so write
 * every query once for both backends.
 *
 * SQL is written with numbered parameters ?1, ?2 ... (SQLite's form; the
 * PostgreSQL backend turns them into $1, $2 ...) in the common dialect of
 * SQLite >= 3.39 and PostgreSQL >= 13: ON CONFLICT, RETURNING, row values,
 * IS DISTINCT FROM. Where the two must differ a query is a struct db_sql
 * with both texts.
 *
 * A connection belongs to one thread at a time. Statements are prepared
 * once per connection and kept, keyed by the address of their text: every
 * query must be a string literal or a static array.
 *
 * Errors: functions return enum cm_rc; the message for a person is
 * db_errmsg(), kept per thread. */
#ifndef HQ_DB_H
#define HQ_DB_H

#include "core/chain.h"
#include "core/cm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_ops;

/* The same query in each backend's dialect (pg NULL: the same text). */
struct db_sql {
	const char *lite;
	const char *pg;
};

/* A query in progress: its parameters are bound, its rows read with
 * db_row(), and it ends with db_end(). At most one per connection. */
struct db_q;

enum db_backend { DB_SQLITE, DB_PG };

/* target: a file path (SQLite), or postgresql://... / postgres://... or a
 * libpq conninfo ("host=/tmp dbname=hq") for PostgreSQL. */
enum db_backend db_backend_of(const char *target);
enum cm_rc db_open(const char *target, struct db **out);
void db_close(struct db *db);
enum db_backend db_backend(const struct db *db);
const char *db_errmsg(void);
/* Sets the calling thread's message (printf format); returns rc. */
enum cm_rc db_fail(enum cm_rc rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A script of several statements, without parameters (migrations). */
enum cm_rc db_script(struct db *db, const char *sql, const char *what);
/* The schema version stored in the database (0 when new), and setting it
 * inside the migration's transaction. */
enum cm_rc db_schema_version(struct db *db, int *out);
enum cm_rc db_schema_version_set(struct db *db, int v);
/* Begins a write transaction (SQLite: IMMEDIATE; PostgreSQL: also takes
 * the migration lock when migrating is true). */
enum cm_rc db_begin(struct db *db, bool migrating);
enum cm_rc db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_tx(const struct db *db);

/* Parameter kinds for the spec string of db_run()/db_query():
 *   'i' int64_t   't' const char * (NULL binds NULL)   'h' hash, 32 bytes
 * Pass exactly those C types: the arguments are read with va_arg. */
struct db_q *db_query(struct db *db, const struct db_sql *sql, const char *what,
                      const char *spec, ...);
/* The next row: true while there is one; false at the end or on error
 * (then db_end returns the error). */
bool db_row(struct db_q *q);
int64_t db_int(struct db_q *q, int col);
/* Copies the text of a column into buf (truncated, always terminated). */
void db_text(struct db_q *q, int col, char *buf, size_t n);
/* The column's text, valid until the next db_row() or db_end(). */
const char *db_str(struct db_q *q, int col);
void db_hash(struct db_q *q, int col, uint8_t out[CHAIN_HASH_LEN]);
/* Rows the statement changed (INSERT/UPDATE/DELETE). */
int64_t db_changes(struct db_q *q);
/* Ends the query; returns its error, if it had one, else CM_OK. */
enum cm_rc db_end(struct db_q *q);

/* A statement without rows: db_query + db_end. *changes may be NULL. */
enum cm_rc db_run(struct db *db, const struct db_sql *sql, const char *what, int64_t *changes,
                  const char *spec, ...);

/* A statement whose outcome matters only at commit: a row added inside a
 * transaction, nobody reading its result. SQLite runs it at once;
 * PostgreSQL queues it and sends the queue in one round trip (libpq's
 * pipeline mode) before the next query or the commit, whose error it then
 * becomes: the transaction fails whole either way. Outside a transaction
 * it is db_run. */
enum cm_rc db_add(struct db *db, const struct db_sql *sql, const char *what, const char *spec,
                  ...);

/* Rows loaded in bulk into table(cols), inside a transaction:
 * PostgreSQL's COPY ... FROM STDIN (text format, sent from a thread of
 * its own); SQLite: INSERTs of many rows each, ending with tail when not
 * NULL (an ON CONFLICT clause; PostgreSQL's COPY takes none: CM_STATE).
 * db_copy_begin, then a db_copy_row of ncols text values (NULL: a null;
 * SQLite gives each its column's affinity) for each row, then
 * db_copy_end, always, with the rows written (SQLite with a tail: those
 * inserted or updated): a row's error may come from a later db_copy_row
 * or from db_copy_end. Nothing else runs on the connection meanwhile.
 * cols: at most DB_COPY_COLS. */
#define DB_COPY_COLS 16
enum cm_rc db_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols,
                         const char *tail, const char *what);
enum cm_rc db_copy_row(struct db *db, const char *const *vals, int n);
enum cm_rc db_copy_end(struct db *db, int64_t *rows);

/* ---- backups (SQLite; PostgreSQL has pg_dump: CM_STATE saying so) ---- */

/* Copies the database into the new file dest with SQLite's online backup
 * API in one step (one read transaction: a consistent snapshot while
 * pushes go on committing), synchronous=FULL. */
enum cm_rc db_backup(struct db *db, const char *dest);
/* PRAGMA integrity_check; CM_CORRUPT naming the first problem. */
enum cm_rc db_integrity_check(struct db *db);
/* Copies the SQLite file src (read-only) into the new file dest (restore). */
enum cm_rc db_sqlite_copy_file(const char *src, const char *dest);
/* Makes the closed SQLite file at path self-contained (rollback-journal
 * mode: no -wal or -shm needed beside it); HQ turns WAL on again on open. */
enum cm_rc db_sqlite_seal(const char *path);

/* A query in the common dialect: DB_SQL("SELECT ...") */
#define DB_SQL(text) (&(const struct db_sql){ (text), NULL })

#endif
