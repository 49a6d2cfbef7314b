/* The HQ database interface (db.h): choosing a backend, the per-thread
 * message, parameter lists, transactions. The backends do the rest. */
#include "db_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char errbuf[400];

const char *db_errmsg(void)
{
	return errbuf;
}

enum cm_rc db_fail(enum cm_rc rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
	return rc;
}

/* A libpq conninfo starts with a keyword and '=' ("host=/run dbname=hq");
 * a file path does not. */
static bool looks_like_conninfo(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	return n > 0 && s[n] == '=';
}

enum db_backend db_backend_of(const char *target)
{
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0 ||
	    looks_like_conninfo(target))
		return DB_PG;
	return DB_SQLITE;
}

enum cm_rc db_open(const char *target, struct db **out)
{
	*out = NULL;
	const struct db_ops *ops = db_backend_of(target) == DB_PG ? &db_pg_ops : &db_sqlite_ops;
	enum cm_rc rc = ops->open(target, out);
	if (rc == CM_OK)
		(*out)->ops = ops;
	return rc;
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_backend db_backend(const struct db *db)
{
	return db->ops == &db_pg_ops ? DB_PG : DB_SQLITE;
}

enum cm_rc db_backup(struct db *db, const char *dest)
{
	if (!db->ops->backup)
		return db_fail(CM_STATE, "%s", _("a PostgreSQL HQ database is backed up with pg_dump "
		                                 "(see sync/README.md)"));
	return db->ops->backup(db, dest);
}

enum cm_rc db_integrity_check(struct db *db)
{
	return db->ops->integrity ? db->ops->integrity(db) : CM_OK;
}

enum cm_rc db_copy_begin(struct db *db, const char *table, const char *const *cols, int ncols,
                         const char *tail, const char *what)
{
	if (ncols < 1 || ncols > DB_COPY_COLS)
		return db_fail(CM_IO, _("internal: %s takes %d parameters, given %d"), what,
		               DB_COPY_COLS, ncols);
	return db->ops->copy_begin(db, table, cols, ncols, tail, what);
}

enum cm_rc db_copy_row(struct db *db, const char *const *vals, int n)
{
	return db->ops->copy_row(db, vals, n);
}

enum cm_rc db_copy_end(struct db *db, int64_t *rows)
{
	*rows = 0;
	return db->ops->copy_end(db, rows);
}

enum cm_rc db_script(struct db *db, const char *sql, const char *what)
{
	return db->ops->script(db, sql, what);
}

enum cm_rc db_schema_version(struct db *db, int *out)
{
	return db->ops->version(db, out);
}

enum cm_rc db_schema_version_set(struct db *db, int v)
{
	return db->ops->version_set(db, v);
}

enum cm_rc db_begin(struct db *db, bool migrating)
{
	enum cm_rc rc = db->ops->exec(db, db->ops->begin_sql, N_("starting a transaction"));
	if (rc != CM_OK)
		return rc;
	db->in_tx = true;
	if (migrating && db->ops->migrate_lock_sql &&
	    (rc = db->ops->exec(db, db->ops->migrate_lock_sql, N_("locking the schema"))) != CM_OK)
		db_rollback(db);
	return rc;
}

enum cm_rc db_commit(struct db *db)
{
	enum cm_rc rc = db->ops->exec(db, "COMMIT", N_("saving"));
	if (rc != CM_OK) {
		char keep[sizeof errbuf];
		snprintf(keep, sizeof keep, "%s", errbuf);
		db_rollback(db);
		db_fail(rc, "%s", keep);
	}
	db->in_tx = false;
	return rc;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	if (db->ops->drop)
		db->ops->drop(db);
	char keep[sizeof errbuf];
	snprintf(keep, sizeof keep, "%s", errbuf);
	db->ops->exec(db, "ROLLBACK", N_("rolling back"));
	snprintf(errbuf, sizeof errbuf, "%s", keep);
	db->in_tx = false;
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

static bool collect(const char *spec, va_list ap, struct db_param *p, int *n)
{
	*n = 0;
	for (const char *c = spec; *c; c++) {
		if (*n == DB_MAX_PARAMS)
			return false;
		struct db_param *q = &p[(*n)++];
		q->kind = *c;
		switch (*c) {
		case 'i': q->i = va_arg(ap, int64_t); break;
		case 't': q->t = va_arg(ap, const char *); break;
		case 'h': q->h = va_arg(ap, const uint8_t *); break;
		default: return false;
		}
	}
	return true;
}

static struct db_q *query_v(struct db *db, const struct db_sql *sql, const char *what,
                            const char *spec, va_list ap)
{
	struct db_param p[DB_MAX_PARAMS];
	int n;
	if (!collect(spec, ap, p, &n)) {
		db_fail(CM_IO, _("internal: bad parameter list \"%s\" for %s"), spec, what);
		return NULL;
	}
	return db->ops->query(db, sql, what, p, n);
}

struct db_q *db_query(struct db *db, const struct db_sql *sql, const char *what,
                      const char *spec, ...)
{
	va_list ap;
	va_start(ap, spec);
	struct db_q *q = query_v(db, sql, what, spec, ap);
	va_end(ap);
	return q;
}

bool db_row(struct db_q *q)
{
	return q && q->rc == CM_OK && q->db->ops->row(q);
}

int64_t db_int(struct db_q *q, int col)
{
	return q->db->ops->num(q, col);
}

const char *db_str(struct db_q *q, int col)
{
	const char *s = q->db->ops->str(q, col);
	return s ? s : "";
}

void db_text(struct db_q *q, int col, char *buf, size_t n)
{
	/* Cut to n - 1 bytes as snprintf would, without its cost: pages read
	 * tens of thousands of rows. */
	const char *s = db_str(q, col);
	size_t len = strlen(s);
	if (!n)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

void db_hash(struct db_q *q, int col, uint8_t out[CHAIN_HASH_LEN])
{
	if (!q->db->ops->blob(q, col, out))
		memset(out, 0, CHAIN_HASH_LEN);
}

int64_t db_changes(struct db_q *q)
{
	return q && q->rc == CM_OK ? q->db->ops->changes(q) : 0;
}

enum cm_rc db_end(struct db_q *q)
{
	if (!q)
		return CM_IO;   /* the message was set where it failed */
	enum cm_rc rc = q->rc;
	q->db->ops->end(q);
	return rc;
}

enum cm_rc db_run(struct db *db, const struct db_sql *sql, const char *what, int64_t *changes,
                  const char *spec, ...)
{
	va_list ap;
	va_start(ap, spec);
	struct db_q *q = query_v(db, sql, what, spec, ap);
	va_end(ap);
	if (changes)
		*changes = db_changes(q);
	return db_end(q);
}

enum cm_rc db_add(struct db *db, const struct db_sql *sql, const char *what, const char *spec,
                  ...)
{
	struct db_param p[DB_MAX_PARAMS];
	int n;
	va_list ap;
	va_start(ap, spec);
	bool ok = collect(spec, ap, p, &n);
	va_end(ap);
	if (!ok)
		return db_fail(CM_IO, _("internal: bad parameter list \"%s\" for %s"), spec, what);
	if (db->in_tx && db->ops->add)
		return db->ops->add(db, sql, what, p, n);
	return db_end(db->ops->query(db, sql, what, p, n));
}
