/* The HQ database handle: a connection per thread, transactions and
 * migrations. The queries live in hqstore_<domain>.c (hqstore.h). */
#include "hqstore_int.h"
#include "store/migrations.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct migration hq_sqlite_migrations[];
extern const int hq_sqlite_migrations_count;
extern const struct migration hq_pg_migrations[];
extern const int hq_pg_migrations_count;

/* A thread's connection; listed on the handle so that close finds those of
 * threads still alive (the opening thread's, at least). */
struct conn {
	struct hqstore *st;
	struct db *db;
	struct conn *next;
};

struct hqstore {
	char *target;
	enum db_backend backend;
	pthread_key_t key;
	pthread_mutex_t mu;               /* guards conns only */
	struct conn *conns;
};

const char *hqstore_errmsg(void)
{
	return db_errmsg();
}

const char *hqstore_backend(const struct hqstore *st)
{
	return st->backend == DB_PG ? "PostgreSQL" : "SQLite";
}

int64_t hq_now(void)
{
	return (int64_t)time(NULL);
}

static void conn_unlist(struct conn *c)
{
	struct hqstore *st = c->st;
	pthread_mutex_lock(&st->mu);
	for (struct conn **p = &st->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&st->mu);
}

/* A thread ends: its connection goes with it. */
static void conn_gone(void *v)
{
	struct conn *c = v;
	conn_unlist(c);
	db_close(c->db);
	free(c);
}

/* The import's scratch list of SKUs seen (hqstore_items_delete_unseen),
 * a temporary table of the connection's own. */
static const char seen_sql[] = "CREATE TEMP TABLE IF NOT EXISTS seen (sku text PRIMARY KEY)";

struct db *hq_db(struct hqstore *st)
{
	struct conn *c = pthread_getspecific(st->key);
	if (c)
		return c->db;
	if (!(c = calloc(1, sizeof *c))) {
		db_fail(CM_NOMEM, _("out of memory"));
		return NULL;
	}
	c->st = st;
	if (db_open(st->target, &c->db) != CM_OK) {
		free(c);
		return NULL;
	}
	if (db_script(c->db, seen_sql, N_("preparing the import table")) != CM_OK) {
		db_close(c->db);
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&st->mu);
	c->next = st->conns;
	st->conns = c;
	pthread_mutex_unlock(&st->mu);
	pthread_setspecific(st->key, c);
	return c->db;
}

/* Each pending migration in a transaction of its own; PostgreSQL's take
 * an advisory lock, so servers started together migrate once. */
static enum cm_rc migrate(struct db *db, const struct migration *m, int count)
{
	for (int v = 1; v <= count; v++) {
		int have = 0;
		enum cm_rc rc = db_begin(db, true);
		if (rc == CM_OK)
			rc = db_schema_version(db, &have);
		if (rc == CM_OK && have > count)
			rc = db_fail(CM_STATE, _("the HQ database has schema version %d, newer than this "
			             "program (%d)"), have, count);
		if (rc == CM_OK && have < v) {
			rc = db_script(db, m[v - 1].sql, m[v - 1].name);
			if (rc == CM_OK)
				rc = db_schema_version_set(db, v);
		}
		if (rc != CM_OK) {
			db_rollback(db);
			return rc;
		}
		if ((rc = db_commit(db)) != CM_OK)
			return rc;
		if (have >= count)
			break;
	}
	return CM_OK;
}

enum cm_rc hqstore_open(const char *target, struct hqstore **out, char *err, size_t errlen)
{
	*out = NULL;
	struct hqstore *st = calloc(1, sizeof *st);
	if (!st || !(st->target = strdup(target))) {
		free(st);
		snprintf(err, errlen, "out of memory");
		return CM_NOMEM;
	}
	st->backend = db_backend_of(target);
	pthread_mutex_init(&st->mu, NULL);
	pthread_key_create(&st->key, conn_gone);
	enum cm_rc rc = CM_IO;
	struct db *db = hq_db(st);
	if (db)
		rc = st->backend == DB_PG ? migrate(db, hq_pg_migrations, hq_pg_migrations_count)
		                          : migrate(db, hq_sqlite_migrations, hq_sqlite_migrations_count);
	if (rc != CM_OK) {
		/* A URL may hold a password: name the backend, not the target. */
		if (st->backend == DB_PG)
			snprintf(err, errlen, "PostgreSQL: %s", db_errmsg());
		else
			snprintf(err, errlen, "%s: %s", target, db_errmsg());
		hqstore_close(st);
		return rc;
	}
	*out = st;
	return CM_OK;
}

void hqstore_close(struct hqstore *st)
{
	if (!st)
		return;
	pthread_setspecific(st->key, NULL);
	pthread_key_delete(st->key);
	while (st->conns) {
		struct conn *c = st->conns;
		st->conns = c->next;
		db_close(c->db);
		free(c);
	}
	pthread_mutex_destroy(&st->mu);
	free(st->target);
	free(st);
}

enum cm_rc hqstore_begin(struct hqstore *st)
{
	struct db *db = hq_db(st);
	return db ? db_begin(db, false) : CM_IO;
}

enum cm_rc hqstore_commit(struct hqstore *st)
{
	struct db *db = hq_db(st);
	return db ? db_commit(db) : CM_IO;
}

void hqstore_rollback(struct hqstore *st)
{
	struct db *db = hq_db(st);
	if (db)
		db_rollback(db);
}
