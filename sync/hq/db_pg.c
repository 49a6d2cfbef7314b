/* The HQ database on PostgreSQL (db.h), through libpq: one connection per
 * server thread, statements prepared once per connection, parameters sent
 * as text (hashes as binary), results read as text. READ COMMITTED; what
 * must not interleave is serialised by row locks (hqstore_events.c) and
 * unique keys, not by a lock in this process. */
#include "db_int.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any number: the key of the advisory lock that migrations take, so two
 * servers starting at once do not both migrate. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7734201)"

struct pg_q {
	struct db_q q;
	const char *key;
	char name[12];
	PGresult *res;
	int row;
};

/* A statement db_add queued: its prepared statement and its parameters,
 * kept as offsets into the connection's arena (which may move). */
struct pending {
	struct pg_q *q;
	const char *what;
	int n;
	size_t off[DB_MAX_PARAMS];
	int len[DB_MAX_PARAMS], fmt[DB_MAX_PARAMS];
	bool null[DB_MAX_PARAMS];
};

/* Queued statements are sent once this many wait, whatever comes next. */
#define MAX_PENDING 512

struct pg {
	struct db db;
	PGconn *c;
	struct pg_q cache[DB_STMT_CACHE];
	int ncache;
	struct pending *pend;
	int npend;
	const char *copy_what;    /* the COPY under way, for its messages */
	struct copy_pipe *copy;   /* its sending thread, NULL when none */
	char *arena;
	size_t used, cap;
};

static enum cm_rc map_state(const char *state)
{
	if (!state)
		return CM_IO;
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0)
		return CM_CONFLICT;      /* integrity, or a trigger's RAISE */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return CM_BUSY;
	if (strcmp(state, "53100") == 0)
		return CM_FULL;
	if (strcmp(state, "25006") == 0)
		return CM_READONLY;
	if (strncmp(state, "XX", 2) == 0)
		return CM_CORRUPT;
	if (strncmp(state, "53", 2) == 0)
		return CM_NOMEM;
	return CM_IO;
}

/* Sets "what: reason" from a failed result (or the connection). */
static enum cm_rc fail(struct pg *p, const PGresult *res, const char *what)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum cm_rc rc = res ? map_state(PQresultErrorField(res, PG_DIAG_SQLSTATE)) : CM_IO;
	if (!msg)
		msg = PQerrorMessage(p->c);
	if (rc == CM_FULL)
		return db_fail(rc, _("%s: the disk of the HQ database is full"), _(what));
	return db_fail(rc, "%s: %.*s", _(what), (int)strcspn(msg, "\n"), msg);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static enum cm_rc flush(struct pg *p);

static enum cm_rc pg_exec(struct db *db, const char *sql, const char *what)
{
	struct pg *p = (struct pg *)db;
	enum cm_rc frc = flush(p);
	if (frc != CM_OK)
		return frc;
	PGresult *res = PQexec(p->c, sql);
	enum cm_rc rc = result_ok(res) ? CM_OK : fail(p, res, what);
	PQclear(res);
	return rc;
}

static void quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;   /* NOTICEs (e.g. "relation exists, skipping") are not for a person */
}

static enum cm_rc pg_open(const char *target, struct db **out)
{
	struct pg *p = calloc(1, sizeof *p);
	if (!p)
		return db_fail(CM_NOMEM, _("out of memory"));
	p->c = PQconnectdb(target);
	if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
		const char *m = p->c ? PQerrorMessage(p->c) : "out of memory";
		db_fail(CM_IO, _("cannot connect to the PostgreSQL database: %.*s"),
		        (int)strcspn(m, "\n"), m);
		PQfinish(p->c);
		free(p);
		return CM_IO;
	}
	PQsetNoticeReceiver(p->c, quiet, NULL);
	enum cm_rc rc = pg_exec(&p->db, "SET client_encoding = 'UTF8'; SET synchronous_commit = on",
	                        N_("configuring the HQ database"));
	if (rc != CM_OK) {
		PQfinish(p->c);
		free(p);
		return rc;
	}
	*out = &p->db;
	return CM_OK;
}

static void forget_statements(struct pg *p)
{
	for (int i = 0; i < p->ncache; i++)
		PQclear(p->cache[i].res);
	p->ncache = 0;
}

static void copy_pipe_stop(struct pg *p);

static void pg_close(struct db *db)
{
	struct pg *p = (struct pg *)db;
	copy_pipe_stop(p);
	free(p->pend);
	free(p->arena);
	forget_statements(p);
	PQfinish(p->c);
	free(p);
}

/* Called inside the migration's transaction, which holds MIGRATE_LOCK. */
static enum cm_rc pg_version(struct db *db, int *out)
{
	struct pg *p = (struct pg *)db;
	enum cm_rc rc = pg_exec(db, "CREATE TABLE IF NOT EXISTS coopmart_schema "
	                            "(version integer NOT NULL)", N_("reading the schema version"));
	if (rc != CM_OK)
		return rc;
	PGresult *res = PQexec(p->c, "SELECT coalesce(max(version), 0) FROM coopmart_schema");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		*out = atoi(PQgetvalue(res, 0, 0));
	else
		rc = fail(p, res, N_("reading the schema version"));
	PQclear(res);
	return rc;
}

static enum cm_rc pg_version_set(struct db *db, int v)
{
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM coopmart_schema; INSERT INTO coopmart_schema VALUES (%d)",
	         v);
	return pg_exec(db, sql, N_("setting the schema version"));
}

/* ?N becomes $N; the queries hold no '?' inside string literals. */
static char *pg_text(const char *sql)
{
	char *out = strdup(sql);
	for (char *c = out; c && *c; c++)
		if (*c == '?' && c[1] >= '1' && c[1] <= '9')
			*c = '$';
	return out;
}

/* After a lost connection outside a transaction: reconnect once. */
static void revive(struct pg *p)
{
	if (PQstatus(p->c) == CONNECTION_OK || p->db.in_tx)
		return;
	PQreset(p->c);
	forget_statements(p);
	if (PQstatus(p->c) == CONNECTION_OK)
		PQsetNoticeReceiver(p->c, quiet, NULL);
}

static struct pg_q *stmt(struct pg *p, const struct db_sql *sql, const char *what)
{
	for (int i = 0; i < p->ncache; i++)
		if (p->cache[i].key == sql->lite)
			return &p->cache[i];
	if (p->ncache == DB_STMT_CACHE) {
		db_fail(CM_IO, _("internal: the statement cache is full"));
		return NULL;
	}
	struct pg_q *q = &p->cache[p->ncache];
	*q = (struct pg_q){ .q.db = &p->db, .key = sql->lite };
	snprintf(q->name, sizeof q->name, "q%d", p->ncache);
	char *text = pg_text(sql->pg ? sql->pg : sql->lite);
	if (!text) {
		db_fail(CM_NOMEM, _("out of memory"));
		return NULL;
	}
	PGresult *res = PQprepare(p->c, q->name, text, 0, NULL);
	free(text);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fail(p, res, what);
	PQclear(res);
	if (!ok)
		return NULL;
	p->ncache++;
	return q;
}

static struct db_q *pg_query(struct db *db, const struct db_sql *sql, const char *what,
                             const struct db_param *prm, int n)
{
	struct pg *p = (struct pg *)db;
	revive(p);
	struct pg_q *q = stmt(p, sql, what);
	if (!q)
		return NULL;
	q->q.what = what;
	q->row = -1;
	if ((q->q.rc = flush(p)) != CM_OK) {
		PQclear(q->res);
		q->res = NULL;
		return &q->q;
	}
	char num[DB_MAX_PARAMS][24];
	const char *val[DB_MAX_PARAMS];
	int len[DB_MAX_PARAMS], fmt[DB_MAX_PARAMS];
	for (int i = 0; i < n; i++) {
		len[i] = 0;
		fmt[i] = 0;
		switch (prm[i].kind) {
		case 'i':
			snprintf(num[i], sizeof num[i], "%lld", (long long)prm[i].i);
			val[i] = num[i];
			break;
		case 't': val[i] = prm[i].t; break;
		default:
			val[i] = (const char *)prm[i].h;
			len[i] = CHAIN_HASH_LEN;
			fmt[i] = 1;
		}
	}
	PQclear(q->res);
	q->res = PQexecPrepared(p->c, q->name, n, val, len, fmt, 0);
	q->q.what = what;
	q->q.rc = result_ok(q->res) ? CM_OK : fail(p, q->res, what);
	q->row = -1;
	return &q->q;
}

static bool pg_row(struct db_q *dq)
{
	struct pg_q *q = (struct pg_q *)dq;
	return q->res && ++q->row < PQntuples(q->res);
}

static const char *pg_str(struct db_q *dq, int col)
{
	struct pg_q *q = (struct pg_q *)dq;
	return PQgetisnull(q->res, q->row, col) ? NULL : PQgetvalue(q->res, q->row, col);
}

static int64_t pg_num(struct db_q *dq, int col)
{
	const char *s = pg_str(dq, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* bytea in text results: "\x" and two hex digits a byte. */
static bool pg_blob(struct db_q *dq, int col, uint8_t out[CHAIN_HASH_LEN])
{
	const char *s = pg_str(dq, col);
	if (!s || strlen(s) != 2 + 2 * CHAIN_HASH_LEN || s[0] != '\\' || s[1] != 'x')
		return false;
	for (int i = 0; i < CHAIN_HASH_LEN; i++) {
		int hi = hexval(s[2 + 2 * i]), lo = hexval(s[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static int64_t pg_changes(struct db_q *dq)
{
	if (!((struct pg_q *)dq)->res)
		return 0;
	const char *n = PQcmdTuples(((struct pg_q *)dq)->res);
	return n && *n ? strtoll(n, NULL, 10) : 0;
}

static void pg_end(struct db_q *dq)
{
	struct pg_q *q = (struct pg_q *)dq;
	PQclear(q->res);
	q->res = NULL;
}

/* Copies n bytes into the arena; its offset, or (size_t)-1 out of memory. */
static size_t arena_put(struct pg *p, const void *v, size_t n)
{
	if (p->used + n + 1 > p->cap) {
		size_t cap = (p->used + n + 1) * 2;
		char *a = realloc(p->arena, cap);
		if (!a)
			return (size_t)-1;
		p->arena = a;
		p->cap = cap;
	}
	size_t off = p->used;
	memcpy(p->arena + off, v, n);
	p->arena[off + n] = '\0';
	p->used += n + 1;
	return off;
}

static enum cm_rc pg_add(struct db *db, const struct db_sql *sql, const char *what,
                         const struct db_param *prm, int n)
{
	struct pg *p = (struct pg *)db;
	if (p->npend == MAX_PENDING) {
		enum cm_rc rc = flush(p);
		if (rc != CM_OK)
			return rc;
	}
	struct pg_q *q = stmt(p, sql, what);
	if (!q)
		return CM_IO;
	if (!p->pend && !(p->pend = calloc(MAX_PENDING, sizeof *p->pend)))
		return db_fail(CM_NOMEM, _("out of memory"));
	struct pending *e = &p->pend[p->npend];
	*e = (struct pending){ .q = q, .what = what, .n = n };
	for (int i = 0; i < n; i++) {
		char num[24];
		const void *v = num;
		size_t len;
		switch (prm[i].kind) {
		case 'i':
			len = (size_t)snprintf(num, sizeof num, "%lld", (long long)prm[i].i);
			break;
		case 't':
			e->null[i] = !prm[i].t;
			v = prm[i].t ? prm[i].t : "";
			len = strlen(v);
			break;
		default:
			v = prm[i].h;
			len = CHAIN_HASH_LEN;
			e->fmt[i] = 1;
			e->len[i] = CHAIN_HASH_LEN;
		}
		if ((e->off[i] = arena_put(p, v, len)) == (size_t)-1)
			return db_fail(CM_NOMEM, _("out of memory"));
	}
	p->npend++;
	return CM_OK;
}

static void pg_drop(struct db *db)
{
	struct pg *p = (struct pg *)db;
	p->npend = 0;
	p->used = 0;
}

/* Reads the pipeline's answers up to its sync point; the first error. */
static enum cm_rc pipeline_results(struct pg *p)
{
	enum cm_rc rc = CM_OK;
	int i = 0;
	for (;;) {
		PGresult *res = PQgetResult(p->c);
		if (!res) {
			/* the end of one statement's answers; past them all with no
			 * sync point, the connection is gone */
			if (++i > p->npend + 1 || PQstatus(p->c) != CONNECTION_OK)
				return rc != CM_OK ? rc : fail(p, NULL, N_("sending rows"));
			continue;
		}
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (rc == CM_OK && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			rc = fail(p, res, i < p->npend ? p->pend[i].what : N_("saving"));
		PQclear(res);
	}
	return rc;
}

/* Sends what db_add queued, all at once, and reads every answer. */
static enum cm_rc flush(struct pg *p)
{
	if (p->npend == 0)
		return CM_OK;
	if (!PQenterPipelineMode(p->c)) {
		pg_drop(&p->db);
		return fail(p, NULL, N_("sending rows"));
	}
	enum cm_rc rc = CM_OK;
	for (int k = 0; rc == CM_OK && k < p->npend; k++) {
		struct pending *e = &p->pend[k];
		const char *val[DB_MAX_PARAMS];
		for (int i = 0; i < e->n; i++)
			val[i] = e->null[i] ? NULL : p->arena + e->off[i];
		if (!PQsendQueryPrepared(p->c, e->q->name, e->n, val, e->len, e->fmt, 0))
			rc = fail(p, NULL, e->what);
	}
	if (!PQpipelineSync(p->c) && rc == CM_OK)
		rc = fail(p, NULL, N_("sending rows"));
	enum cm_rc rrc = pipeline_results(p);
	if (rc == CM_OK)
		rc = rrc;
	for (int tries = 0; !PQexitPipelineMode(p->c) && tries < 4; tries++)
		PQclear(PQgetResult(p->c));
	pg_drop(&p->db);
	return rc;
}

/* ---- COPY ... FROM STDIN (db_copy_*) ---- */

/* The rows of a COPY go to the server from a thread of their own, a block
 * at a time, so that the caller's reading and checking of the next rows
 * overlaps the server's writing of these. Sent from the caller's thread,
 * each waited for the other (a full socket, then an idle server while the
 * next rows were read): a million rows took about the sum of both, 6.7 s
 * where psql sending the same rows from a file took 4.8 s. Memory: the
 * blocks, 1 MiB in all. Only the sending thread touches the connection
 * until db_copy_end has joined it. */
#define COPY_BLOCK (256 * 1024)
#define COPY_BLOCKS 4
#define COPY_ROW_MAX 8192

struct copy_pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *block[COPY_BLOCKS];
	size_t len[COPY_BLOCKS];
	unsigned sent, filled;    /* blocks sent and handed over so far; the
	                           * caller fills block[filled % COPY_BLOCKS] */
	bool done;                /* no more blocks will come */
	bool failed;              /* a send failed: the rest are dropped */
	size_t used;              /* bytes in the block being filled */
};

static void *copy_sender(void *arg)
{
	struct pg *p = arg;
	struct copy_pipe *cp = p->copy;
	pthread_mutex_lock(&cp->mu);
	for (;;) {
		while (cp->sent == cp->filled && !cp->done)
			pthread_cond_wait(&cp->cv, &cp->mu);
		if (cp->sent == cp->filled)
			break;
		unsigned k = cp->sent % COPY_BLOCKS;
		bool failed = cp->failed;
		pthread_mutex_unlock(&cp->mu);
		if (!failed && PQputCopyData(p->c, cp->block[k], (int)cp->len[k]) != 1)
			failed = true;
		pthread_mutex_lock(&cp->mu);
		cp->failed = failed;
		cp->sent++;
		pthread_cond_broadcast(&cp->cv);
	}
	pthread_mutex_unlock(&cp->mu);
	return NULL;
}

static void copy_pipe_free(struct copy_pipe *cp)
{
	for (int i = 0; i < COPY_BLOCKS; i++)
		free(cp->block[i]);
	pthread_cond_destroy(&cp->cv);
	pthread_mutex_destroy(&cp->mu);
	free(cp);
}

static enum cm_rc copy_pipe_start(struct pg *p)
{
	struct copy_pipe *cp = calloc(1, sizeof *cp);
	if (!cp)
		return db_fail(CM_NOMEM, _("out of memory"));
	pthread_mutex_init(&cp->mu, NULL);
	pthread_cond_init(&cp->cv, NULL);
	for (int i = 0; i < COPY_BLOCKS; i++)
		if (!(cp->block[i] = malloc(COPY_BLOCK))) {
			copy_pipe_free(cp);
			return db_fail(CM_NOMEM, _("out of memory"));
		}
	p->copy = cp;
	if (pthread_create(&cp->thread, NULL, copy_sender, p) != 0) {
		p->copy = NULL;
		copy_pipe_free(cp);
		return db_fail(CM_NOMEM, _("out of memory"));
	}
	return CM_OK;
}

/* Hands the block being filled to the sender and waits for a free one;
 * false when a send has failed. */
static bool copy_pipe_push(struct copy_pipe *cp)
{
	pthread_mutex_lock(&cp->mu);
	if (cp->used) {
		cp->len[cp->filled % COPY_BLOCKS] = cp->used;
		cp->filled++;
		cp->used = 0;
		pthread_cond_broadcast(&cp->cv);
	}
	while (cp->filled - cp->sent == COPY_BLOCKS && !cp->failed)
		pthread_cond_wait(&cp->cv, &cp->mu);
	bool ok = !cp->failed;
	pthread_mutex_unlock(&cp->mu);
	return ok;
}

/* Sends what is left, joins the sender; false when a send failed. */
static bool copy_pipe_finish(struct pg *p)
{
	struct copy_pipe *cp = p->copy;
	if (!cp)
		return true;
	bool ok = copy_pipe_push(cp);
	pthread_mutex_lock(&cp->mu);
	cp->done = true;
	pthread_cond_broadcast(&cp->cv);
	pthread_mutex_unlock(&cp->mu);
	pthread_join(cp->thread, NULL);
	ok = ok && !cp->failed;
	p->copy = NULL;
	copy_pipe_free(cp);
	return ok;
}

static void copy_pipe_stop(struct pg *p)
{
	struct copy_pipe *cp = p->copy;
	if (cp) {
		pthread_mutex_lock(&cp->mu);
		cp->failed = true;   /* nothing more to send: the connection closes */
		pthread_mutex_unlock(&cp->mu);
		copy_pipe_finish(p);
	}
}

static enum cm_rc pg_copy_begin(struct db *db, const char *table, const char *const *cols,
                                int ncols, const char *tail, const char *what)
{
	struct pg *p = (struct pg *)db;
	if (tail)
		return db_fail(CM_STATE, "%s", _("internal: a COPY takes no ON CONFLICT clause"));
	enum cm_rc rc = flush(p);
	if (rc != CM_OK)
		return rc;
	char sql[1024];
	size_t k = (size_t)snprintf(sql, sizeof sql, "COPY %s(", table);
	for (int i = 0; i < ncols && k < sizeof sql; i++)
		k += (size_t)snprintf(sql + k, sizeof sql - k, "%s%s", i ? ", " : "", cols[i]);
	if (k < sizeof sql)
		snprintf(sql + k, sizeof sql - k, ") FROM STDIN");
	PGresult *res = PQexec(p->c, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		rc = fail(p, res, what);
	PQclear(res);
	p->copy_what = what;
	return rc == CM_OK ? copy_pipe_start(p) : rc;
}

/* A value in COPY's text format: \N for a null; backslash, tab, line
 * feed and carriage return escaped. */
static size_t copy_value(char *buf, size_t size, size_t k, const char *v)
{
	if (!v)
		return k + 2 < size ? (memcpy(buf + k, "\\N", 2), k + 2) : size;
	for (;;) {
		/* the bytes up to the next one to escape, in one copy */
		size_t run = strcspn(v, "\\\t\n\r");
		if (k + run + 1 >= size)
			return size;
		memcpy(buf + k, v, run);
		k += run;
		v += run;
		if (!*v)
			return k;
		if (k + 2 >= size)
			return size;
		buf[k++] = '\\';
		buf[k++] = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : 'r';
		v++;
	}
}

static enum cm_rc pg_copy_row(struct db *db, const char *const *vals, int n)
{
	struct pg *p = (struct pg *)db;
	struct copy_pipe *cp = p->copy;
	if (!cp)
		return db_fail(CM_STATE, "%s", _("internal: no bulk load under way"));
	if (COPY_BLOCK - cp->used < COPY_ROW_MAX && !copy_pipe_push(cp))
		return fail(p, NULL, p->copy_what);
	char *buf = cp->block[cp->filled % COPY_BLOCKS] + cp->used;
	size_t k = 0;
	for (int i = 0; i < n && k < COPY_ROW_MAX - 1; i++) {
		if (i)
			buf[k++] = '\t';
		k = copy_value(buf, COPY_ROW_MAX - 1, k, vals[i]);
	}
	if (k >= COPY_ROW_MAX - 1)
		return db_fail(CM_INVALID, _("%s: a row longer than %zu bytes"), _(p->copy_what),
		               (size_t)COPY_ROW_MAX - 2);
	buf[k++] = '\n';
	cp->used += k;
	return CM_OK;
}

static enum cm_rc pg_copy_end(struct db *db, int64_t *rows)
{
	struct pg *p = (struct pg *)db;
	enum cm_rc rc = copy_pipe_finish(p) ? CM_OK : fail(p, NULL, p->copy_what);
	if (PQputCopyEnd(p->c, NULL) != 1 && rc == CM_OK)
		rc = fail(p, NULL, p->copy_what);
	PGresult *res;
	while ((res = PQgetResult(p->c))) {
		if (rc == CM_OK && !result_ok(res))
			rc = fail(p, res, p->copy_what);
		else if (rc == CM_OK)
			*rows = strtoll(PQcmdTuples(res), NULL, 10);
		PQclear(res);
	}
	return rc;
}

const struct db_ops db_pg_ops = {
	.open = pg_open,
	.close = pg_close,
	.script = pg_exec,
	.exec = pg_exec,
	.version = pg_version,
	.version_set = pg_version_set,
	.begin_sql = "BEGIN",
	.migrate_lock_sql = MIGRATE_LOCK,
	.query = pg_query,
	.row = pg_row,
	.str = pg_str,
	.num = pg_num,
	.blob = pg_blob,
	.changes = pg_changes,
	.end = pg_end,
	.add = pg_add,
	.drop = pg_drop,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
};
