/* The HQ database on SQLite (db.h): one file, WAL, synchronous=FULL. Each
 * server thread has its own connection; writers take turns through BEGIN
 * IMMEDIATE and the busy timeout, readers go on beside them. */
#include "db_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_MS 10000

struct lite_q {
	struct db_q q;
	const char *key;
	sqlite3_stmt *s;
	bool pending;                     /* the first step gave a row not yet read */
	int64_t changes;
};

struct lite_copy;

struct lite {
	struct db db;
	sqlite3 *h;
	struct lite_q cache[DB_STMT_CACHE];
	int ncache;
	struct lite_copy *copy;           /* the bulk load under way, or NULL */
};

static enum cm_rc map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return CM_OK;
	case SQLITE_BUSY: case SQLITE_LOCKED: return CM_BUSY;
	case SQLITE_READONLY: return CM_READONLY;
	case SQLITE_FULL: return CM_FULL;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return CM_CORRUPT;
	case SQLITE_CONSTRAINT: return CM_CONFLICT;
	case SQLITE_NOMEM: return CM_NOMEM;
	default: return CM_IO;
	}
}

/* Sets the message "what: reason" and maps the code. */
static enum cm_rc fail(struct lite *l, int rc, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED:
		return db_fail(CM_BUSY, _("%s: the HQ database is locked by another program"), _(what));
	case SQLITE_FULL:
		return db_fail(CM_FULL, _("%s: the disk is full"), _(what));
	case SQLITE_READONLY:
		return db_fail(CM_READONLY, _("%s: the HQ database is read-only"), _(what));
	default:
		return db_fail(map_rc(rc), "%s: %s", _(what),
		               l && l->h ? sqlite3_errmsg(l->h) : sqlite3_errstr(rc));
	}
}

static enum cm_rc lite_exec(struct db *db, const char *sql, const char *what)
{
	struct lite *l = (struct lite *)db;
	int rc = sqlite3_exec(l->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CM_OK : fail(l, rc, what);
}

/* HQ's database holds every store's journal and the tokens' hashes: made
 * owner-only (SQLite gives -wal and -shm the same mode), and refused when
 * every user of the computer may read it. */
static enum cm_rc lite_private(const char *path)
{
	struct stat sb;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		bool ok = fchmod(fd, 0600) == 0;
		close(fd);
		if (!ok)
			return db_fail(CM_IO, _("cannot create %s: %s"), path, strerror(errno));
	} else if (errno != EEXIST) {
		return db_fail(CM_IO, _("cannot create %s: %s"), path, strerror(errno));
	}
	if (stat(path, &sb) == 0 && (sb.st_mode & (S_IROTH | S_IWOTH)))
		return db_fail(CM_DENIED, _("the HQ database %s can be read by every user of this "
		               "computer (mode %04o): run chmod 600 %s %s-wal %s-shm (owner: the "
		               "user coopmart-hq runs as)"), path, (unsigned)(sb.st_mode & 07777),
		               path, path, path);
	return CM_OK;
}

static enum cm_rc lite_open(const char *path, struct db **out)
{
	enum cm_rc prc = lite_private(path);
	if (prc != CM_OK)
		return prc;
	struct lite *l = calloc(1, sizeof *l);
	if (!l)
		return db_fail(CM_NOMEM, _("out of memory"));
	int rc = sqlite3_open_v2(path, &l->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	enum cm_rc r = rc == SQLITE_OK ? CM_OK : fail(l, rc, path);
	if (r == CM_OK) {
		sqlite3_busy_timeout(l->h, BUSY_MS);
		r = lite_exec(&l->db, "PRAGMA journal_mode=WAL", N_("switching to WAL"));
	}
	if (r == CM_OK)
		r = lite_exec(&l->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
		              N_("configuring the HQ database"));
	if (r != CM_OK) {
		sqlite3_close_v2(l->h);
		free(l);
		return r;
	}
	*out = &l->db;
	return CM_OK;
}

static void copy_free(struct lite *l);

static void lite_close(struct db *db)
{
	struct lite *l = (struct lite *)db;
	copy_free(l);
	for (int i = 0; i < l->ncache; i++)
		sqlite3_finalize(l->cache[i].s);
	sqlite3_close_v2(l->h);
	free(l);
}

static enum cm_rc lite_version(struct db *db, int *out)
{
	struct lite *l = (struct lite *)db;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(l->h, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? CM_OK : fail(l, rc, N_("reading the schema version"));
}

static enum cm_rc lite_version_set(struct db *db, int v)
{
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
	return lite_exec(db, sql, N_("setting the schema version"));
}

static struct lite_q *stmt(struct lite *l, const struct db_sql *sql, const char *what)
{
	for (int i = 0; i < l->ncache; i++)
		if (l->cache[i].key == sql->lite) {
			sqlite3_reset(l->cache[i].s);
			sqlite3_clear_bindings(l->cache[i].s);
			return &l->cache[i];
		}
	if (l->ncache == DB_STMT_CACHE) {
		/* Cannot happen with hqstore's queries; stay correct if it does. */
		db_fail(CM_IO, _("internal: the statement cache is full"));
		return NULL;
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(l->h, sql->lite, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		fail(l, rc, what);
		return NULL;
	}
	struct lite_q *q = &l->cache[l->ncache++];
	*q = (struct lite_q){ .q.db = &l->db, .key = sql->lite, .s = s };
	return q;
}

static int bind(sqlite3_stmt *s, const struct db_param *p, int n)
{
	int rc = SQLITE_OK;
	for (int i = 0; rc == SQLITE_OK && i < n; i++) {
		switch (p[i].kind) {
		case 'i': rc = sqlite3_bind_int64(s, i + 1, p[i].i); break;
		case 't':
			rc = p[i].t ? sqlite3_bind_text(s, i + 1, p[i].t, -1, SQLITE_STATIC)
			            : sqlite3_bind_null(s, i + 1);
			break;
		default: rc = sqlite3_bind_blob(s, i + 1, p[i].h, CHAIN_HASH_LEN, SQLITE_STATIC);
		}
	}
	return rc;
}

static struct db_q *lite_query(struct db *db, const struct db_sql *sql, const char *what,
                               const struct db_param *p, int n)
{
	struct lite *l = (struct lite *)db;
	struct lite_q *q = stmt(l, sql, what);
	if (!q)
		return NULL;
	q->q.what = what;
	q->q.rc = CM_OK;
	q->pending = false;
	if (sqlite3_bind_parameter_count(q->s) != n) {
		/* A parameter list that does not fit its query (db.h's spec). */
		q->q.rc = db_fail(CM_IO, _("internal: %s takes %d parameters, given %d"), what,
		                  sqlite3_bind_parameter_count(q->s), n);
		return &q->q;
	}
	int rc = bind(q->s, p, n);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q->s);
	if (rc == SQLITE_ROW)
		q->pending = true;
	else if (rc != SQLITE_DONE)
		q->q.rc = fail(l, rc, what);
	q->changes = sqlite3_changes(l->h);
	return &q->q;
}

static bool lite_row(struct db_q *dq)
{
	struct lite_q *q = (struct lite_q *)dq;
	if (q->pending) {
		q->pending = false;
		return true;
	}
	int rc = sqlite3_step(q->s);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		dq->rc = fail((struct lite *)dq->db, rc, dq->what);
	return false;
}

static const char *lite_str(struct db_q *dq, int col)
{
	return (const char *)sqlite3_column_text(((struct lite_q *)dq)->s, col);
}

static int64_t lite_num(struct db_q *dq, int col)
{
	return sqlite3_column_int64(((struct lite_q *)dq)->s, col);
}

static bool lite_blob(struct db_q *dq, int col, uint8_t out[CHAIN_HASH_LEN])
{
	sqlite3_stmt *s = ((struct lite_q *)dq)->s;
	if (sqlite3_column_bytes(s, col) != CHAIN_HASH_LEN)
		return false;
	memcpy(out, sqlite3_column_blob(s, col), CHAIN_HASH_LEN);
	return true;
}

static int64_t lite_changes(struct db_q *dq)
{
	return ((struct lite_q *)dq)->changes;
}

static void lite_end(struct db_q *dq)
{
	struct lite_q *q = (struct lite_q *)dq;
	sqlite3_reset(q->s);
	sqlite3_clear_bindings(q->s);
}

/* ---- backups ---- */

/* The whole copy in one backup step; BUSY and LOCKED are waited out. */
static int copy_all(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int rc, tries = 0;
	while (((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
	       ++tries < 200)
		sqlite3_sleep(50);
	int frc = sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? frc : rc;
}

/* src into the new file dest; the message names path on failure. */
static enum cm_rc copy_into(sqlite3 *src, const char *dest)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = copy_all(dst, src);
	enum cm_rc r = CM_OK;
	if (rc != SQLITE_OK) {
		bool src_bad = sqlite3_errcode(src) != SQLITE_OK;
		r = db_fail(map_rc(rc), _("copying the HQ database to %s: %s"), dest,
		            src_bad ? sqlite3_errmsg(src) : dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	}
	sqlite3_close(dst);
	if (r != CM_OK)
		unlink(dest);
	return r;
}

static enum cm_rc lite_backup(struct db *db, const char *dest)
{
	struct stat sb;
	if (stat(dest, &sb) == 0)
		return db_fail(CM_STATE, _("%s already exists; a backup never overwrites a file"), dest);
	return copy_into(((struct lite *)db)->h, dest);
}

enum cm_rc db_sqlite_copy_file(const char *src, const char *dest)
{
	sqlite3 *from = NULL;
	int rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	enum cm_rc r = rc == SQLITE_OK ? copy_into(from, dest)
	               : db_fail(CM_IO, _("cannot open %s: %s"), src, sqlite3_errstr(rc));
	sqlite3_close(from);
	return r;
}

enum cm_rc db_sqlite_seal(const char *path)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	enum cm_rc r = rc == SQLITE_OK ? CM_OK
	               : db_fail(map_rc(rc), "%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	sqlite3_close(h);
	return r;
}

static enum cm_rc lite_integrity(struct db *db)
{
	struct lite *l = (struct lite *)db;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(l->h, "PRAGMA integrity_check(1)", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	enum cm_rc r = CM_OK;
	if (rc != SQLITE_ROW)
		r = fail(l, rc, N_("checking the HQ database"));
	else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
		r = db_fail(CM_CORRUPT, _("the HQ database is damaged: %s"),
		            (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return r;
}

/* ---- bulk load (db_copy_*): INSERTs of COPY_BATCH rows each ---- */

/* One statement a row cost more than the row's own writing: a big
 * import's statements were most of its time (opening and closing their
 * cursors, 13% alone). A batch's values wait in an arena, bound when it
 * is full; what is left at the end goes a row at a time. */
#define COPY_BATCH 32

struct lite_copy {
	sqlite3_stmt *many, *one;
	const char *what;
	int ncols, nrows;                 /* rows waiting */
	int64_t changes;                  /* rows written so far */
	size_t off[COPY_BATCH][DB_COPY_COLS];
	bool null[COPY_BATCH][DB_COPY_COLS];
	char *arena;
	size_t used, cap;
};

static void copy_free(struct lite *l)
{
	struct lite_copy *c = l->copy;
	if (!c)
		return;
	sqlite3_finalize(c->many);
	sqlite3_finalize(c->one);
	free(c->arena);
	free(c);
	l->copy = NULL;
}

/* INSERT INTO table(cols) VALUES (?, ...), ... with rows tuples, then tail. */
static char *insert_sql(const char *table, const char *const *cols, int ncols, int rows,
                        const char *tail)
{
	size_t n = strlen(table) + 32 + (size_t)rows * ((size_t)ncols * 3 + 4) +
	           (tail ? strlen(tail) + 1 : 0);
	for (int i = 0; i < ncols; i++)
		n += strlen(cols[i]) + 2;
	char *sql = malloc(n), *p = sql;
	if (!sql)
		return NULL;
	p += sprintf(p, "INSERT INTO %s(", table);
	for (int i = 0; i < ncols; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", cols[i]);
	p += sprintf(p, ") VALUES ");
	for (int r = 0; r < rows; r++) {
		*p++ = r ? ',' : ' ';
		*p++ = '(';
		for (int i = 0; i < ncols; i++)
			p += sprintf(p, "%s?", i ? ", " : "");
		*p++ = ')';
	}
	if (tail)
		p += sprintf(p, " %s", tail);
	*p = '\0';
	return sql;
}

static int copy_prepare(struct lite *l, const char *table, const char *const *cols, int ncols,
                        int rows, const char *tail, sqlite3_stmt **out)
{
	char *sql = insert_sql(table, cols, ncols, rows, tail);
	if (!sql)
		return SQLITE_NOMEM;
	int rc = sqlite3_prepare_v3(l->h, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	free(sql);
	return rc;
}

static enum cm_rc lite_copy_begin(struct db *db, const char *table, const char *const *cols,
                                  int ncols, const char *tail, const char *what)
{
	struct lite *l = (struct lite *)db;
	copy_free(l);
	struct lite_copy *c = calloc(1, sizeof *c);
	if (!c)
		return db_fail(CM_NOMEM, _("out of memory"));
	l->copy = c;
	c->what = what;
	c->ncols = ncols;
	int rc = copy_prepare(l, table, cols, ncols, COPY_BATCH, tail, &c->many);
	if (rc == SQLITE_OK)
		rc = copy_prepare(l, table, cols, ncols, 1, tail, &c->one);
	if (rc == SQLITE_OK)
		return CM_OK;
	enum cm_rc e = fail(l, rc, what);
	copy_free(l);
	return e;
}

/* Binds rows [from, from + n) of the batch to s, from parameter 1, and runs it. */
static int copy_run(struct lite *l, struct lite_copy *c, sqlite3_stmt *s, int from, int n)
{
	int rc = SQLITE_OK;
	for (int r = 0; rc == SQLITE_OK && r < n; r++)
		for (int i = 0; rc == SQLITE_OK && i < c->ncols; i++) {
			int at = r * c->ncols + i + 1;
			rc = c->null[from + r][i]
			     ? sqlite3_bind_null(s, at)
			     : sqlite3_bind_text(s, at, c->arena + c->off[from + r][i], -1, SQLITE_STATIC);
		}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		c->changes += sqlite3_changes(l->h);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static enum cm_rc lite_copy_row(struct db *db, const char *const *vals, int n)
{
	struct lite *l = (struct lite *)db;
	struct lite_copy *c = l->copy;
	if (!c)
		return db_fail(CM_STATE, "%s", _("internal: no bulk load under way"));
	if (n != c->ncols)
		return db_fail(CM_IO, _("internal: %s takes %d parameters, given %d"), c->what,
		               c->ncols, n);
	for (int i = 0; i < n; i++) {
		c->null[c->nrows][i] = !vals[i];
		if (!vals[i])
			continue;
		size_t len = strlen(vals[i]) + 1;
		if (c->used + len > c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16384;
			while (cap < c->used + len)
				cap *= 2;
			char *a = realloc(c->arena, cap);
			if (!a)
				return db_fail(CM_NOMEM, _("out of memory"));
			c->arena = a;
			c->cap = cap;
		}
		memcpy(c->arena + c->used, vals[i], len);
		c->off[c->nrows][i] = c->used;
		c->used += len;
	}
	if (++c->nrows < COPY_BATCH)
		return CM_OK;
	int rc = copy_run(l, c, c->many, 0, COPY_BATCH);
	c->nrows = 0;
	c->used = 0;
	return rc == SQLITE_OK ? CM_OK : fail(l, rc, c->what);
}

static enum cm_rc lite_copy_end(struct db *db, int64_t *rows)
{
	struct lite *l = (struct lite *)db;
	struct lite_copy *c = l->copy;
	if (!c)
		return CM_OK;
	int rc = SQLITE_OK;
	for (int r = 0; rc == SQLITE_OK && r < c->nrows; r++)
		rc = copy_run(l, c, c->one, r, 1);
	*rows = c->changes;
	enum cm_rc e = rc == SQLITE_OK ? CM_OK : fail(l, rc, c->what);
	copy_free(l);
	return e;
}

const struct db_ops db_sqlite_ops = {
	.open = lite_open,
	.close = lite_close,
	.script = lite_exec,
	.exec = lite_exec,
	.version = lite_version,
	.version_set = lite_version_set,
	.begin_sql = "BEGIN IMMEDIATE",
	.migrate_lock_sql = NULL,
	.query = lite_query,
	.row = lite_row,
	.str = lite_str,
	.num = lite_num,
	.blob = lite_blob,
	.changes = lite_changes,
	.end = lite_end,
	.copy_begin = lite_copy_begin,
	.copy_row = lite_copy_row,
	.copy_end = lite_copy_end,
	.backup = lite_backup,
	.integrity = lite_integrity,
};
