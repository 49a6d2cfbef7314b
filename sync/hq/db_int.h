/* Inside the HQ database interface (db.h): what db.c shares with the
 * backends db_sqlite.c and db_pg.c. Not for the hqstore files. */
#ifndef HQ_DB_INT_H
#define HQ_DB_INT_H

#include "db.h"

#define DB_MAX_PARAMS 16
#define DB_STMT_CACHE 96

struct db_param {
	char kind;                        /* 'i', 't' or 'h' (db.h) */
	int64_t i;
	const char *t;
	const uint8_t *h;
};

/* The start of every backend's query and connection. */
struct db_q {
	struct db *db;
	const char *what;
	enum cm_rc rc;
};

struct db {
	const struct db_ops *ops;
	bool in_tx;
};

struct db_ops {
	enum cm_rc (*open)(const char *target, struct db **out);
	void (*close)(struct db *db);
	enum cm_rc (*script)(struct db *db, const char *sql, const char *what);
	enum cm_rc (*exec)(struct db *db, const char *sql, const char *what);
	enum cm_rc (*version)(struct db *db, int *out);
	enum cm_rc (*version_set)(struct db *db, int v);
	const char *begin_sql;
	const char *migrate_lock_sql;     /* run after begin when migrating, or NULL */
	/* Prepares (or finds) the statement, binds, runs it as far as the
	 * first row; NULL only when out of memory before a query exists. */
	struct db_q *(*query)(struct db *db, const struct db_sql *sql, const char *what,
	                      const struct db_param *p, int n);
	bool (*row)(struct db_q *q);
	const char *(*str)(struct db_q *q, int col);
	int64_t (*num)(struct db_q *q, int col);
	bool (*blob)(struct db_q *q, int col, uint8_t out[CHAIN_HASH_LEN]);
	int64_t (*changes)(struct db_q *q);
	void (*end)(struct db_q *q);
	/* db_add inside a transaction; NULL: run it as a query. */
	enum cm_rc (*add)(struct db *db, const struct db_sql *sql, const char *what,
	                  const struct db_param *p, int n);
	/* Forgets what add queued (rollback). */
	void (*drop)(struct db *db);
	/* db_copy_* */
	enum cm_rc (*copy_begin)(struct db *db, const char *table, const char *const *cols,
	                         int ncols, const char *tail, const char *what);
	enum cm_rc (*copy_row)(struct db *db, const char *const *vals, int n);
	enum cm_rc (*copy_end)(struct db *db, int64_t *rows);
	/* db_backup and db_integrity_check; NULL: the backend has its own tools. */
	enum cm_rc (*backup)(struct db *db, const char *dest);
	enum cm_rc (*integrity)(struct db *db);
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
