/* The HQ database (SQLite): opening, migrations, transactions and every
 * query of coopmart-hq. See hqstore.h for the threading rule. */
#include "hqstore.h"
#include "store/migrations.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct migration hq_migrations[];
extern const int hq_migrations_count;

#define BUSY_MS 10000

const char *const hq_tender_kinds[HQ_TENDER_KINDS] = { "cash", "debit", "qris", "other" };

/* Prepared statements are kept for the life of the connection, keyed by the
 * address of their SQL text (every query here is a string literal or a
 * static array), so a push does not parse the same INSERT per event. */
#define STMT_CACHE 48

struct hqstore {
	sqlite3 *db;
	pthread_mutex_t mu;     /* recursive: see hqstore.h */
	struct {
		const char *sql;
		sqlite3_stmt *s;
	} cache[STMT_CACHE];
	int ncache;
};

static _Thread_local char errbuf[400];

const char *hqstore_errmsg(void)
{
	return errbuf;
}

static void seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void seterr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

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

/* Sets the message "what: sqlite's reason" and maps the code. */
static enum cm_rc fail(struct hqstore *st, int rc, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED:
		seterr("%s: the HQ database is locked by another program", what);
		break;
	case SQLITE_FULL:
		seterr("%s: the disk is full", what);
		break;
	case SQLITE_READONLY:
		seterr("%s: the HQ database is read-only", what);
		break;
	default:
		seterr("%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	}
	return map_rc(rc);
}

static void lock(struct hqstore *st)
{
	pthread_mutex_lock(&st->mu);
}

static void unlock(struct hqstore *st)
{
	pthread_mutex_unlock(&st->mu);
}

/* A reset statement for sql (a literal or static array: see STMT_CACHE);
 * give it back with done(). */
static sqlite3_stmt *prep(struct hqstore *st, const char *sql)
{
	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].s);  /* in case a path forgot done() */
			return st->cache[i].s;
		}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		fail(st, rc, "preparing a query");
		return NULL;
	}
	if (st->ncache < STMT_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].s = s;
		st->ncache++;
	} else {
		/* Cannot happen with the queries below; stay correct if it does. */
		seterr("internal: the statement cache is full");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Gives a statement from prep() back: reset, bindings cleared. */
static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Steps a statement that returns no rows, then finalises it. */
static enum cm_rc step_done(struct hqstore *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	done(s);
	return rc == SQLITE_DONE ? CM_OK : fail(st, rc, what);
}

static enum cm_rc exec(struct hqstore *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CM_OK : fail(st, rc, what);
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? t : "");
}

static void col_hash(sqlite3_stmt *s, int i, uint8_t out[CHAIN_HASH_LEN])
{
	memset(out, 0, CHAIN_HASH_LEN);
	if (sqlite3_column_bytes(s, i) == CHAIN_HASH_LEN)
		memcpy(out, sqlite3_column_blob(s, i), CHAIN_HASH_LEN);
}

/* ---- opening and migrations ---- */

static enum cm_rc migrate(struct hqstore *st)
{
	sqlite3_stmt *s = prep(st, "PRAGMA user_version");
	if (!s)
		return CM_IO;
	int have = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	done(s);
	if (have < 0)
		return fail(st, sqlite3_errcode(st->db), "reading the schema version");
	if (have > hq_migrations_count) {
		seterr("the HQ database has schema version %d, newer than this program (%d)",
		       have, hq_migrations_count);
		return CM_STATE;
	}
	for (int v = have + 1; v <= hq_migrations_count; v++) {
		const struct migration *m = &hq_migrations[v - 1];
		char bump[48];
		snprintf(bump, sizeof bump, "PRAGMA user_version=%d", m->version);
		enum cm_rc rc = exec(st, "BEGIN IMMEDIATE", "migrating the HQ database");
		if (rc == CM_OK)
			rc = exec(st, m->sql, m->name);
		if (rc == CM_OK)
			rc = exec(st, bump, m->name);
		if (rc == CM_OK)
			rc = exec(st, "COMMIT", m->name);
		if (rc != CM_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	return CM_OK;
}

static enum cm_rc configure(struct hqstore *st)
{
	sqlite3_busy_timeout(st->db, BUSY_MS);
	enum cm_rc rc = exec(st, "PRAGMA journal_mode=WAL", "switching to WAL");
	if (rc == CM_OK)
		rc = exec(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", "configuring");
	if (rc == CM_OK)
		rc = migrate(st);
	if (rc == CM_OK)
		rc = exec(st, "CREATE TEMP TABLE seen(sku TEXT PRIMARY KEY) WITHOUT ROWID",
		          "preparing the import table");
	return rc;
}

enum cm_rc hqstore_open(const char *path, struct hqstore **out, char *err, size_t errlen)
{
	enum cm_rc rc = CM_NOMEM;
	pthread_mutexattr_t ma;
	*out = NULL;
	struct hqstore *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return CM_NOMEM;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&st->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	int src = sqlite3_open_v2(path, &st->db,
	                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
	                          NULL);
	if (src != SQLITE_OK) {
		rc = fail(st, src, path);
		goto out;
	}
	rc = configure(st);
out:
	if (rc != CM_OK) {
		snprintf(err, errlen, "%s: %s", path, errbuf);
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
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].s);
	sqlite3_close_v2(st->db);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/* ---- transactions ---- */

enum cm_rc hqstore_begin(struct hqstore *st)
{
	lock(st);
	enum cm_rc rc = exec(st, "BEGIN IMMEDIATE", "starting a transaction");
	if (rc == CM_OK)
		rc = exec(st, "DELETE FROM temp.seen", "starting a transaction");
	if (rc != CM_OK) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		unlock(st);
	}
	return rc;
}

enum cm_rc hqstore_commit(struct hqstore *st)
{
	enum cm_rc rc = exec(st, "COMMIT", "saving");
	if (rc != CM_OK && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	unlock(st);
	return rc;
}

void hqstore_rollback(struct hqstore *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	unlock(st);
}

/* ---- terminals ---- */

static enum cm_rc enroll_in(struct hqstore *st, const char *store, const char *terminal,
                            bool op, const uint8_t hash[CHAIN_HASH_LEN], bool *replaced)
{
	sqlite3_stmt *s = prep(st, "INSERT OR IGNORE INTO stores(code, created_at) VALUES (?1, ?2)");
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_s());
	enum cm_rc rc = step_done(st, s, "adding the store");
	if (rc != CM_OK)
		return rc;
	s = prep(st, "UPDATE terminals SET token_hash = ?3, operator = ?4, revoked = 0 "
	             "WHERE store = ?1 AND terminal = ?2");
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, op);
	if ((rc = step_done(st, s, "enrolling the terminal")) != CM_OK)
		return rc;
	*replaced = sqlite3_changes(st->db) > 0;
	if (*replaced)
		return CM_OK;
	s = prep(st, "INSERT INTO terminals(store, terminal, token_hash, operator, enrolled_at) "
	             "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, op);
	sqlite3_bind_int64(s, 5, now_s());
	if ((rc = step_done(st, s, "enrolling the terminal")) != CM_OK)
		return rc;
	s = prep(st, "INSERT INTO heads(terminal) VALUES (?1)");
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, sqlite3_last_insert_rowid(st->db));
	return step_done(st, s, "enrolling the terminal");
}

enum cm_rc hqstore_enroll(struct hqstore *st, const char *store, const char *terminal,
                          bool operator, const uint8_t token_hash[CHAIN_HASH_LEN],
                          bool *replaced)
{
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = enroll_in(st, store, terminal, operator, token_hash, replaced);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		return rc;
	}
	return hqstore_commit(st);
}

enum cm_rc hqstore_revoke(struct hqstore *st, const char *store, const char *terminal)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "UPDATE terminals SET revoked = 1 WHERE store = ?1 AND terminal = ?2");
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
	rc = step_done(st, s, "revoking the terminal");
	if (rc == CM_OK && sqlite3_changes(st->db) == 0) {
		seterr("no terminal %s/%s is enrolled", store, terminal);
		rc = CM_NOTFOUND;
	}
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_token_lookup(struct hqstore *st, const uint8_t token_hash[CHAIN_HASH_LEN],
                                struct hq_terminal *out)
{
	memset(out, 0, sizeof *out);
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "SELECT id, store, terminal, operator, revoked FROM terminals "
	                           "WHERE token_hash = ?1");
	if (!s)
		goto out;
	sqlite3_bind_blob(s, 1, token_hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		out->key = sqlite3_column_int64(s, 0);
		col_text(s, 1, out->store, sizeof out->store);
		col_text(s, 2, out->terminal, sizeof out->terminal);
		out->operator = sqlite3_column_int(s, 3) != 0;
		out->revoked = sqlite3_column_int(s, 4) != 0;
		rc = CM_OK;
	} else if (src == SQLITE_DONE) {
		seterr("unknown token");
		rc = CM_NOTFOUND;
	} else {
		rc = fail(st, src, "looking up the token");
	}
	done(s);
out:
	unlock(st);
	return rc;
}

/* ---- events and heads ---- */

enum cm_rc hqstore_head(struct hqstore *st, int64_t term, struct hq_head *out)
{
	memset(out, 0, sizeof *out);
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "SELECT seq, hash, gap_seq FROM heads WHERE terminal = ?1");
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, term);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		out->seq = sqlite3_column_int64(s, 0);
		col_hash(s, 1, out->hash);
		out->gap_seq = sqlite3_column_int64(s, 2);
		rc = CM_OK;
	} else {
		rc = src == SQLITE_DONE ? CM_OK : fail(st, src, "reading the terminal's head");
	}
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_event_hash(struct hqstore *st, int64_t term, int64_t seq,
                              uint8_t out[CHAIN_HASH_LEN])
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "SELECT hash FROM events WHERE terminal = ?1 AND seq = ?2");
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, term);
	sqlite3_bind_int64(s, 2, seq);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		col_hash(s, 0, out);
		rc = CM_OK;
	} else if (src == SQLITE_DONE) {
		seterr("event %lld is not held", (long long)seq);
		rc = CM_NOTFOUND;
	} else {
		rc = fail(st, src, "reading an event");
	}
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_event_insert(struct hqstore *st, int64_t term, const struct hq_event *e,
                                int64_t received_at)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st,
		"INSERT INTO events(terminal, seq, type, at, user_id, payload, prev_hash, hash, received_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, term);
	sqlite3_bind_int64(s, 2, e->seq);
	sqlite3_bind_text(s, 3, e->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, e->at);
	sqlite3_bind_int64(s, 5, e->user);
	sqlite3_bind_text(s, 6, e->payload, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 7, e->prev_hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, e->hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, received_at);
	rc = step_done(st, s, "storing an event");
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_gap_note(struct hqstore *st, int64_t term, int64_t gap_seq)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "UPDATE heads SET gap_seq = ?2 WHERE terminal = ?1");
	if (s) {
		sqlite3_bind_int64(s, 1, term);
		sqlite3_bind_int64(s, 2, gap_seq);
		rc = step_done(st, s, "noting a gap");
	}
	unlock(st);
	return rc;
}

static bool alert_repeats(struct hqstore *st, const char *store, const char *terminal,
                          const char *kind, const char *detail)
{
	sqlite3_stmt *s = prep(st, "SELECT kind = ?3 AND detail = ?4 FROM alerts "
	                           "WHERE store = ?1 AND terminal = ?2 ORDER BY id DESC LIMIT 1");
	if (!s)
		return false;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
	bool same = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	done(s);
	return same;
}

enum cm_rc hqstore_alert(struct hqstore *st, const char *store, const char *terminal,
                         const char *kind, const char *detail, bool once)
{
	lock(st);
	enum cm_rc rc = CM_OK;
	if (once && alert_repeats(st, store, terminal, kind, detail))
		goto out;
	sqlite3_stmt *s = prep(st, "INSERT INTO alerts(at, store, terminal, kind, detail) "
	                           "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s) {
		rc = CM_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, now_s());
	sqlite3_bind_text(s, 2, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, terminal, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, detail, -1, SQLITE_STATIC);
	rc = step_done(st, s, "recording an alert");
out:
	unlock(st);
	return rc;
}

/* ---- ledgers ---- */

/* The PPN rows and tenders of a sale (ret false) or a return (ret true). */
static enum cm_rc sale_parts(struct hqstore *st, int64_t term, int64_t seq,
                             const struct hq_sale *sale, bool ret)
{
	static const char sale_taxes[] =
		"INSERT INTO sale_taxes(terminal, seq, class, total, tax) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char return_taxes[] =
		"INSERT INTO return_taxes(terminal, seq, class, total, tax) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char sale_tenders[] =
		"INSERT INTO sale_tenders(terminal, seq, n, kind, amount) VALUES (?1, ?2, ?3, ?4, ?5)";
	static const char return_tenders[] =
		"INSERT INTO return_tenders(terminal, seq, n, kind, amount) VALUES (?1, ?2, ?3, ?4, ?5)";
	enum cm_rc rc = CM_OK;
	for (int c = 0; rc == CM_OK && c < TAX_CLASS_COUNT; c++) {
		if (!sale->has_class[c])
			continue;
		sqlite3_stmt *s = prep(st, ret ? return_taxes : sale_taxes);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, term);
		sqlite3_bind_int64(s, 2, seq);
		sqlite3_bind_text(s, 3, tax_class_name((enum tax_class)c), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, sale->class_total[c]);
		sqlite3_bind_int64(s, 5, sale->class_tax[c]);
		rc = step_done(st, s, "recording a sale's taxes");
	}
	for (size_t i = 0; rc == CM_OK && i < sale->ntenders; i++) {
		sqlite3_stmt *s = prep(st, ret ? return_tenders : sale_tenders);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, term);
		sqlite3_bind_int64(s, 2, seq);
		sqlite3_bind_int64(s, 3, (int64_t)i + 1);
		sqlite3_bind_text(s, 4, sale->tenders[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, sale->tenders[i].amount);
		rc = step_done(st, s, "recording a sale's tenders");
	}
	return rc;
}

enum cm_rc hqstore_sale_insert(struct hqstore *st, int64_t term, int64_t seq,
                               const struct hq_sale *sale)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st,
		"INSERT INTO sales(terminal, seq, store, receipt, date, member_no, total, rounding, due) "
		"VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, ''), ?7, ?8, ?9)");
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, term);
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_text(s, 3, sale->store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, sale->receipt, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, sale->date);
	sqlite3_bind_text(s, 6, sale->member_no, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, sale->total);
	sqlite3_bind_int64(s, 8, sale->rounding);
	sqlite3_bind_int64(s, 9, sale->due);
	rc = step_done(st, s, "recording a sale");
	if (rc == CM_OK)
		rc = sale_parts(st, term, seq, sale, false);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_return_insert(struct hqstore *st, int64_t term, int64_t seq,
                                 const struct hq_sale *r, const char *sale_receipt)
{
	static const char sql[] =
		"INSERT INTO returns(terminal, seq, store, return_no, receipt, date, total, rounding, refund) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, term);
	sqlite3_bind_int64(s, 2, seq);
	sqlite3_bind_text(s, 3, r->store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->receipt, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, sale_receipt, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, r->date);
	sqlite3_bind_int64(s, 7, r->total);
	sqlite3_bind_int64(s, 8, r->rounding);
	sqlite3_bind_int64(s, 9, r->due);
	rc = step_done(st, s, "recording a return");
	if (rc == CM_OK)
		rc = sale_parts(st, term, seq, r, true);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_stock_move(struct hqstore *st, const char *store, const char *sku,
                              int64_t qty, const char *kind, int64_t term, int64_t seq,
                              int64_t at)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "INSERT INTO stock_moves(store, sku, qty, kind, terminal, seq, at) "
	                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (s) {
		sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, sku, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, qty);
		sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, term);
		sqlite3_bind_int64(s, 6, seq);
		sqlite3_bind_int64(s, 7, at);
		rc = step_done(st, s, "recording a stock movement");
	}
	unlock(st);
	return rc;
}

/* ---- catalogue, prices, members ---- */

static const char *counter_name(enum hq_counter c)
{
	return c == HQ_MEMBERS ? "members" : c == HQ_ORDERS ? "orders" : "catalogue";
}

enum cm_rc hqstore_version(struct hqstore *st, enum hq_counter c, int64_t *out)
{
	*out = 0;
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "SELECT value FROM versions WHERE name = ?1");
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, counter_name(c), -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	rc = src == SQLITE_ROW || src == SQLITE_DONE ? CM_OK : fail(st, src, "reading a version");
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_version_set(struct hqstore *st, enum hq_counter c, int64_t v)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "UPDATE versions SET value = ?2 WHERE name = ?1");
	if (s) {
		sqlite3_bind_text(s, 1, counter_name(c), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, v);
		rc = step_done(st, s, "updating a version");
	}
	unlock(st);
	return rc;
}

static void join_barcodes(const struct proto_item *it, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < it->nbarcodes && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "", it->barcodes[i]);
}

static enum cm_rc mark_seen(struct hqstore *st, const char *sku)
{
	sqlite3_stmt *s = prep(st, "INSERT OR IGNORE INTO temp.seen(sku) VALUES (?1)");
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	return step_done(st, s, "importing the catalogue");
}

enum cm_rc hqstore_item_put(struct hqstore *st, const struct proto_item *pi, int64_t version,
                            bool *changed)
{
	static const char sql[] =
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category, supplier, plu, active, barcodes, version, deleted) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0) "
		"ON CONFLICT(sku) DO UPDATE SET name = excluded.name, "
		"  receipt_name = excluded.receipt_name, unit = excluded.unit, "
		"  weighed = excluded.weighed, price = excluded.price, "
		"  member_price = excluded.member_price, tax_class = excluded.tax_class, "
		"  category = excluded.category, supplier = excluded.supplier, plu = excluded.plu, "
		"  active = excluded.active, barcodes = excluded.barcodes, "
		"  version = excluded.version, deleted = 0 "
		"WHERE (name, receipt_name, unit, weighed, price, member_price, tax_class, category, "
		"       supplier, plu, active, barcodes, deleted) IS NOT "
		"      (excluded.name, excluded.receipt_name, excluded.unit, excluded.weighed, "
		"       excluded.price, excluded.member_price, excluded.tax_class, excluded.category, "
		"       excluded.supplier, excluded.plu, excluded.active, excluded.barcodes, 0)";
	const struct item_rec *it = &pi->item;
	char codes[PROTO_MAX_BARCODES * 16 + 1];
	join_barcodes(pi, codes, sizeof codes);
	*changed = false;
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, it->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, it->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, it->receipt_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, it->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, it->weighed);
	sqlite3_bind_int64(s, 6, it->price);
	sqlite3_bind_int64(s, 7, it->member_price);
	sqlite3_bind_text(s, 8, tax_class_name(it->tax), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, it->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, it->supplier, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 11, it->plu);
	sqlite3_bind_int(s, 12, it->active);
	sqlite3_bind_text(s, 13, codes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 14, version);
	rc = step_done(st, s, "storing an item");
	if (rc == CM_OK)
		*changed = sqlite3_changes(st->db) > 0;
	if (rc == CM_OK)
		rc = mark_seen(st, it->sku);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_catalogue_conflicts(struct hqstore *st, int max, hq_conflict_fn fn, void *ctx,
                                       int64_t *n)
{
	/* barcodes is a space-separated list: split it with a recursive CTE. */
	static const char sql[] =
		"WITH RECURSIVE split(sku, code, rest) AS ("
		"  SELECT sku, '', barcodes || ' ' FROM items WHERE deleted = 0 AND barcodes <> ''"
		"  UNION ALL"
		"  SELECT sku, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)"
		"  FROM split WHERE rest <> '') "
		"SELECT 'barcode', code, group_concat(sku, ', ') FROM split WHERE code <> '' "
		"GROUP BY code HAVING count(*) > 1 "
		"UNION ALL "
		"SELECT 'PLU', plu, group_concat(sku, ', ') FROM items WHERE deleted = 0 AND plu > 0 "
		"GROUP BY plu HAVING count(*) > 1 "
		"ORDER BY 1, 2";
	lock(st);
	*n = 0;
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	int src;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < max)
			fn((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
			   (const char *)sqlite3_column_text(s, 2), ctx);
		(*n)++;
	}
	rc = src == SQLITE_DONE ? CM_OK : fail(st, src, "checking barcodes");
	done(s);
out:
	unlock(st);
	return rc;
}

/* ---- purchase orders ---- */

enum cm_rc hqstore_order_put(struct hqstore *st, const char *store, const struct proto_order *o,
                             int64_t version)
{
	static const char head[] =
		"INSERT INTO purchase_orders(store, po_no, supplier, ordered_on, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
	static const char line[] =
		"INSERT INTO purchase_order_lines(store, po_no, line, sku, qty, cost) "
		"SELECT ?1, ?2, ?3, sku, ?5, ?6 FROM items WHERE sku = ?4 AND deleted = 0";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, head);
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, o->po, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, o->supplier, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, o->date);
	sqlite3_bind_int64(s, 5, version);
	if ((rc = step_done(st, s, "storing a purchase order")) != CM_OK)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		seterr("purchase order %s of %s is there already (a corrected order takes a new "
		       "number)", o->po, store);
		rc = CM_STATE;
		goto out;
	}
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++) {
		if (!(s = prep(st, line))) {
			rc = CM_IO;
			break;
		}
		sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, o->po, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, (int64_t)i + 1);
		sqlite3_bind_text(s, 4, o->lines[i].sku, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, o->lines[i].qty);
		sqlite3_bind_int64(s, 6, o->lines[i].cost);
		if ((rc = step_done(st, s, "storing a purchase order line")) == CM_OK &&
		    sqlite3_changes(st->db) == 0) {
			seterr("purchase order %s: SKU %s is not in the catalogue", o->po, o->lines[i].sku);
			rc = CM_NOTFOUND;
		}
	}
out:
	unlock(st);
	return rc;
}

static enum cm_rc order_lines(struct hqstore *st, const char *store, struct proto_order *o)
{
	static const char sql[] =
		"SELECT sku, qty, cost FROM purchase_order_lines WHERE store = ?1 AND po_no = ?2 "
		"ORDER BY line";
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, o->po, -1, SQLITE_STATIC);
	size_t cap = 0;
	int src;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		if (o->nlines == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct proto_order_line *nl = realloc(o->lines, ncap * sizeof *nl);
			if (!nl) {
				rc = CM_NOMEM;
				break;
			}
			o->lines = nl;
			cap = ncap;
		}
		struct proto_order_line *l = &o->lines[o->nlines++];
		col_text(s, 0, l->sku, sizeof l->sku);
		l->qty = sqlite3_column_int64(s, 1);
		l->cost = sqlite3_column_int64(s, 2);
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading purchase order lines");
	done(s);
	return rc;
}

enum cm_rc hqstore_orders_since(struct hqstore *st, const char *store, int64_t since, size_t max,
                                struct proto_orders *out)
{
	static const char sql[] =
		"SELECT po_no, supplier, ordered_on, version FROM purchase_orders "
		"WHERE store = ?1 AND version > ?2 ORDER BY version, po_no LIMIT ?3";
	memset(out, 0, sizeof *out);
	out->upto = since;
	if (!(out->orders = calloc(max + 1, sizeof *out->orders)))
		return CM_NOMEM;
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, (int64_t)max + 1);
	int src;
	rc = CM_OK;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct proto_order *o = &out->orders[out->norders++];
		col_text(s, 0, o->po, sizeof o->po);
		col_text(s, 1, o->supplier, sizeof o->supplier);
		o->date = sqlite3_column_int(s, 2);
		o->version = sqlite3_column_int64(s, 3);
	}
	if (src != SQLITE_DONE)
		rc = fail(st, src, "reading purchase orders");
	done(s);
	/* One more than asked says there are more. A version is one import,
	 * so the answer ends with the last whole version: the next ask starts
	 * after it. An import holds at most PROTO_MAX_ORDERS orders
	 * (hqimport_orders), so with max = PROTO_MAX_ORDERS at least one
	 * version fits. */
	if (rc == CM_OK && out->norders > max) {
		out->more = true;
		out->norders = max;
		int64_t cut = out->orders[max].version;
		while (out->norders > 0 && out->orders[out->norders - 1].version == cut)
			out->norders--;
		if (out->norders == 0) {
			seterr("an import of %s holds more purchase orders than an answer may", store);
			rc = CM_STATE;
		}
	}
	for (size_t i = 0; rc == CM_OK && i < out->norders; i++)
		rc = order_lines(st, store, &out->orders[i]);
	if (out->norders)
		out->upto = out->orders[out->norders - 1].version;
out:
	unlock(st);
	if (rc != CM_OK)
		proto_orders_free(out);
	return rc;
}

enum cm_rc hqstore_items_delete_unseen(struct hqstore *st, int64_t version, int64_t *n)
{
	*n = 0;
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "UPDATE items SET deleted = 1, version = ?1 "
	                           "WHERE deleted = 0 AND sku NOT IN (SELECT sku FROM temp.seen)");
	if (s) {
		sqlite3_bind_int64(s, 1, version);
		rc = step_done(st, s, "deleting items");
		if (rc == CM_OK)
			*n = sqlite3_changes(st->db);
	}
	unlock(st);
	return rc;
}

enum cm_rc hqstore_store_exists(struct hqstore *st, const char *store)
{
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, "SELECT 1 FROM stores WHERE code = ?1");
	if (s) {
		sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
		int src = sqlite3_step(s);
		if (src == SQLITE_ROW)
			rc = CM_OK;
		else if (src == SQLITE_DONE) {
			seterr("no store %s is known (enroll one of its terminals first)", store);
			rc = CM_NOTFOUND;
		} else
			rc = fail(st, src, "looking up the store");
		done(s);
	}
	unlock(st);
	return rc;
}

static enum cm_rc item_exists(struct hqstore *st, const char *sku)
{
	sqlite3_stmt *s = prep(st, "SELECT 1 FROM items WHERE sku = ?1 AND deleted = 0");
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	done(s);
	if (src == SQLITE_ROW)
		return CM_OK;
	if (src != SQLITE_DONE)
		return fail(st, src, "looking up an item");
	seterr("SKU %s is not in the catalogue", sku);
	return CM_NOTFOUND;
}

enum cm_rc hqstore_price_put(struct hqstore *st, const char *store, const char *sku,
                             int64_t price, int64_t member_price, int64_t version,
                             bool *changed)
{
	static const char sql[] =
		"INSERT INTO store_prices(store, sku, price, member_price, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(store, sku) DO UPDATE SET price = excluded.price, "
		"  member_price = excluded.member_price, version = excluded.version "
		"WHERE (price, member_price) IS NOT (excluded.price, excluded.member_price)";
	*changed = false;
	lock(st);
	enum cm_rc rc = item_exists(st, sku);
	if (rc != CM_OK)
		goto out;
	sqlite3_stmt *s = prep(st, sql);
	if (!s) {
		rc = CM_IO;
		goto out;
	}
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, sku, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, price);
	sqlite3_bind_int64(s, 4, member_price);
	sqlite3_bind_int64(s, 5, version);
	rc = step_done(st, s, "storing a price");
	if (rc == CM_OK)
		*changed = sqlite3_changes(st->db) > 0;
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_member_put(struct hqstore *st, const struct member_rec *m,
                              int64_t version, bool *changed)
{
	static const char sql[] =
		"INSERT INTO members(number, name, card_code, status, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(number) DO UPDATE SET name = excluded.name, "
		"  card_code = excluded.card_code, status = excluded.status, "
		"  version = excluded.version, deleted = 0 "
		"WHERE (name, card_code, status, deleted) IS NOT "
		"      (excluded.name, excluded.card_code, excluded.status, 0)";
	*changed = false;
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, m->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, m->card_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, version);
	rc = step_done(st, s, "storing a member");
	if (rc == CM_OK)
		*changed = sqlite3_changes(st->db) > 0;
out:
	unlock(st);
	return rc;
}

static void split_barcodes(const char *codes, struct proto_item *pi)
{
	const char *p = codes;
	while (*p && pi->nbarcodes < PROTO_MAX_BARCODES) {
		size_t n = strcspn(p, " ");
		if (n > 0 && n < sizeof pi->barcodes[0]) {
			memcpy(pi->barcodes[pi->nbarcodes], p, n);
			pi->barcodes[pi->nbarcodes++][n] = '\0';
		}
		p += n;
		p += strspn(p, " ");
	}
}

static void item_row(sqlite3_stmt *s, struct proto_item *pi)
{
	struct item_rec *it = &pi->item;
	memset(pi, 0, sizeof *pi);
	col_text(s, 0, it->sku, sizeof it->sku);
	col_text(s, 1, it->name, sizeof it->name);
	col_text(s, 2, it->receipt_name, sizeof it->receipt_name);
	col_text(s, 3, it->unit, sizeof it->unit);
	it->weighed = sqlite3_column_int(s, 4) != 0;
	it->price = sqlite3_column_int64(s, 5);
	it->member_price = sqlite3_column_int64(s, 6);
	char tax[16];
	col_text(s, 7, tax, sizeof tax);
	if (tax_class_parse(tax, &it->tax) != CM_OK)
		it->tax = TAX_STANDARD;
	col_text(s, 8, it->category, sizeof it->category);
	col_text(s, 9, it->supplier, sizeof it->supplier);
	it->plu = sqlite3_column_int(s, 10);
	it->active = sqlite3_column_int(s, 11) != 0;
	const char *codes = (const char *)sqlite3_column_text(s, 12);
	split_barcodes(codes ? codes : "", pi);
	pi->version = sqlite3_column_int64(s, 13);
}

enum cm_rc hqstore_items_page(struct hqstore *st, const char *store, int64_t since,
                              int64_t upto, int64_t after_v, const char *after_key,
                              int64_t limit, hq_item_fn fn, void *ctx)
{
	/* An item's version for a store is the newer of the item's and the
	 * store's price row's; its prices are the store's when it has some.
	 * Two disjoint halves, merged in (v, sku) order: rows whose version is
	 * the item's (read in the order of the index items_version, from the
	 * cursor on) and rows whose store price is newer. Each half stops at
	 * the page's limit, so a page costs its own rows, not the table's; the
	 * unary + keeps "version > since" from being the index's range, which
	 * must be the cursor (else every page scans from the first row). */
	static const char sql[] =
		"SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"       coalesce(p.price, i.price), coalesce(p.member_price, i.member_price), "
		"       i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"       i.version AS v, i.deleted "
		"FROM items i LEFT JOIN store_prices p ON p.store = ?1 AND p.sku = i.sku "
		"WHERE +i.version > ?2 AND i.version <= ?3 AND (i.version, i.sku) > (?4, ?5) "
		"  AND coalesce(p.version, 0) <= i.version "
		"UNION ALL "
		"SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"       p.price, p.member_price, "
		"       i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"       p.version AS v, i.deleted "
		"FROM store_prices p JOIN items i ON i.sku = p.sku "
		"WHERE p.store = ?1 AND p.version > i.version AND +p.version > ?2 "
		"  AND p.version <= ?3 AND (p.version, p.sku) > (?4, ?5) "
		"ORDER BY 14, 1 LIMIT ?6";
	/* Every row is past (since, ""): a first page starts its range there. */
	if (after_v < since) {
		after_v = since;
		after_key = "";
	}
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_text(s, 1, store, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, upto);
	sqlite3_bind_int64(s, 4, after_v);
	sqlite3_bind_text(s, 5, after_key ? after_key : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, limit);
	int src = SQLITE_DONE;
	rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct proto_item pi;
		item_row(s, &pi);
		rc = fn(&pi, sqlite3_column_int(s, 14) != 0, ctx);
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading the catalogue");
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_members_page(struct hqstore *st, int64_t since, int64_t upto,
                                int64_t after_v, const char *after_key, int64_t limit,
                                hq_member_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT number, name, card_code, status, version, deleted FROM members "
		"WHERE version > ?1 AND version <= ?2 AND (version, number) > (?3, ?4) "
		"ORDER BY version, number LIMIT ?5";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, upto);
	sqlite3_bind_int64(s, 3, after_v);
	sqlite3_bind_text(s, 4, after_key ? after_key : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, limit);
	int src = SQLITE_DONE;
	rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct proto_member pm;
		memset(&pm, 0, sizeof pm);
		col_text(s, 0, pm.m.number, sizeof pm.m.number);
		col_text(s, 1, pm.m.name, sizeof pm.m.name);
		col_text(s, 2, pm.m.card_code, sizeof pm.m.card_code);
		col_text(s, 3, pm.m.status, sizeof pm.m.status);
		pm.version = sqlite3_column_int64(s, 4);
		rc = fn(&pm, sqlite3_column_int(s, 5) != 0, ctx);
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading the members");
	done(s);
out:
	unlock(st);
	return rc;
}

/* ---- reports ---- */

/* hq_tender_kinds index of kind; unknown kinds count as "other". */
static int tender_index(const char *kind)
{
	for (int i = 0; kind && i < HQ_TENDER_KINDS - 1; i++)
		if (strcmp(kind, hq_tender_kinds[i]) == 0)
			return i;
	return HQ_TENDER_KINDS - 1;
}

static enum cm_rc day_details(struct hqstore *st, struct hq_day *d)
{
	static const char refunds[] =
		"SELECT t.kind, sum(t.amount) FROM return_tenders t "
		"JOIN returns r ON r.terminal = t.terminal AND r.seq = t.seq "
		"WHERE r.store = ?1 AND r.date = ?2 GROUP BY t.kind";
	static const char taxes[] =
		"SELECT t.class, sum(t.total), sum(t.tax) FROM sale_taxes t "
		"JOIN sales s ON s.terminal = t.terminal AND s.seq = t.seq "
		"WHERE s.store = ?1 AND s.date = ?2 GROUP BY t.class";
	static const char tenders[] =
		"SELECT t.kind, sum(t.amount) FROM sale_tenders t "
		"JOIN sales s ON s.terminal = t.terminal AND s.seq = t.seq "
		"WHERE s.store = ?1 AND s.date = ?2 GROUP BY t.kind";
	sqlite3_stmt *s = prep(st, taxes);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, d->store, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, d->date);
	int src = SQLITE_DONE;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		enum tax_class c;
		if (tax_class_parse((const char *)sqlite3_column_text(s, 0), &c) != CM_OK)
			continue;
		d->class_total[c] += sqlite3_column_int64(s, 1);
		d->class_tax[c] += sqlite3_column_int64(s, 2);
	}
	done(s);
	if (src != SQLITE_DONE)
		return fail(st, src, "reading taxes");
	if (!(s = prep(st, tenders)))
		return CM_IO;
	sqlite3_bind_text(s, 1, d->store, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, d->date);
	while ((src = sqlite3_step(s)) == SQLITE_ROW)
		d->tender[tender_index((const char *)sqlite3_column_text(s, 0))] +=
			sqlite3_column_int64(s, 1);
	done(s);
	if (src != SQLITE_DONE)
		return fail(st, src, "reading tenders");
	if (!(s = prep(st, refunds)))
		return CM_IO;
	sqlite3_bind_text(s, 1, d->store, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, d->date);
	while ((src = sqlite3_step(s)) == SQLITE_ROW)
		d->refund_tender[tender_index((const char *)sqlite3_column_text(s, 0))] +=
			sqlite3_column_int64(s, 1);
	done(s);
	return src == SQLITE_DONE ? CM_OK : fail(st, src, "reading refunds");
}

enum cm_rc hqstore_sales_days(struct hqstore *st, int32_t from, int32_t to,
                              hq_day_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT store, date, sum(n), sum(total), sum(rounding), sum(due), sum(r), sum(refund) FROM ("
		"  SELECT store, date, 1 AS n, total, rounding, due, 0 AS r, 0 AS refund FROM sales "
		"  WHERE date BETWEEN ?1 AND ?2 "
		"  UNION ALL "
		"  SELECT store, date, 0, 0, 0, 0, 1, refund FROM returns WHERE date BETWEEN ?1 AND ?2) "
		"GROUP BY store, date ORDER BY store, date";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	sqlite3_bind_int(s, 1, from);
	sqlite3_bind_int(s, 2, to);
	int src = SQLITE_DONE;
	rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct hq_day d;
		memset(&d, 0, sizeof d);
		col_text(s, 0, d.store, sizeof d.store);
		d.date = sqlite3_column_int(s, 1);
		d.count = sqlite3_column_int64(s, 2);
		d.total = sqlite3_column_int64(s, 3);
		d.rounding = sqlite3_column_int64(s, 4);
		d.due = sqlite3_column_int64(s, 5);
		d.returns = sqlite3_column_int64(s, 6);
		d.refunds = sqlite3_column_int64(s, 7);
		rc = day_details(st, &d);
		if (rc == CM_OK)
			rc = fn(&d, ctx);
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading sales");
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_stock_each(struct hqstore *st, hq_stock_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT store, sku, sum(qty) FROM stock_moves GROUP BY store, sku ORDER BY store, sku";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	int src = SQLITE_DONE;
	rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW)
		rc = fn((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
		        sqlite3_column_int64(s, 2), ctx);
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading stock");
	done(s);
out:
	unlock(st);
	return rc;
}

enum cm_rc hqstore_alerts_each(struct hqstore *st, hq_alert_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT id, at, store, terminal, kind, detail FROM alerts ORDER BY id";
	lock(st);
	enum cm_rc rc = CM_IO;
	sqlite3_stmt *s = prep(st, sql);
	if (!s)
		goto out;
	int src = SQLITE_DONE;
	rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct hq_alert a;
		a.id = sqlite3_column_int64(s, 0);
		a.at = sqlite3_column_int64(s, 1);
		col_text(s, 2, a.store, sizeof a.store);
		col_text(s, 3, a.terminal, sizeof a.terminal);
		col_text(s, 4, a.kind, sizeof a.kind);
		col_text(s, 5, a.detail, sizeof a.detail);
		rc = fn(&a, ctx);
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = fail(st, src, "reading alerts");
	done(s);
out:
	unlock(st);
	return rc;
}
