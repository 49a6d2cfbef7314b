/* What the web console reads and writes (hqstore.h): coops, operators,
 * sessions, the audit, and the per-store views of sales, terminals,
 * alerts, stock and members. Scoped reads take a struct hq_scope as their
 * first two parameters, ?1 store and ?2 coop, NULL meaning any. */
#include "hqstore_int.h"

#include <stdio.h>
#include <string.h>

const char *const hq_role_names[3] = { "council", "office", "manager" };

/* The scope's condition on a column `store`. */
#define SCOPE(col) "(CAST(?1 AS TEXT) IS NULL OR " col " = ?1) AND (CAST(?2 AS TEXT) IS NULL OR " \
	col " IN (SELECT code FROM stores WHERE coop = ?2))"

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* A LIKE pattern "%search%" with the search's own wildcards escaped. */
static void like_pattern(const char *search, char *buf, size_t n)
{
	size_t w = 0;
	if (n < 4)
		return;
	buf[w++] = '%';
	for (const char *p = search ? search : ""; *p && w + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf[w++] = '\\';
		buf[w++] = *p;
	}
	buf[w++] = '%';
	buf[w] = '\0';
}

/* ---- coops and stores ---- */

enum cm_rc hqstore_coop_assign(struct hqstore *st, const char *coop, const char *store)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	enum cm_rc rc = db ? db_begin(db, false) : CM_IO;
	if (rc != CM_OK)
		return rc;
	rc = db_run(db, DB_SQL("INSERT INTO coops(code, created_at) VALUES (?1, ?2) "
	                       "ON CONFLICT DO NOTHING"), N_("adding the coop"), NULL, "ti", coop,
	            hq_now());
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE stores SET coop = ?1 WHERE code = ?2"),
		            N_("putting the store in the coop"), &n, "tt", coop, store);
	if (rc == CM_OK && n == 0)
		rc = db_fail(CM_NOTFOUND, _("no store %s is known (enroll one of its terminals first)"),
		             store);
	if (rc != CM_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

enum cm_rc hqstore_stores_each(struct hqstore *st, const struct hq_scope *sc, hq_store_fn fn,
                               void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT code, coalesce(coop, '') FROM stores WHERE "
	                                     SCOPE("code") " ORDER BY code"),
	                          N_("reading the stores"), "tt", nz(sc->store), nz(sc->coop));
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q))
		rc = fn(db_str(q, 0), db_str(q, 1), ctx);
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

/* ---- operators and sessions ---- */

enum cm_rc hqstore_operator_put(struct hqstore *st, const struct hq_operator *op,
                                bool *replaced)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	if (!db)
		return CM_IO;
	const char *role = hq_role_names[op->role];
	enum cm_rc rc = db_run(db, DB_SQL("UPDATE operators SET role = ?2, coop = ?3, store = ?4, "
	                                  "pwhash = ?5, failed = 0, locked_until = 0 WHERE name = ?1"),
	                       N_("changing the operator"), &n, "ttttt", op->name, role,
	                       nz(op->coop), nz(op->store), op->pwhash);
	if (rc != CM_OK || (*replaced = n > 0))
		return rc;
	return db_run(db, DB_SQL("INSERT INTO operators(name, role, coop, store, pwhash, created_at) "
	                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
	              N_("adding the operator"), NULL, "ttttti",
	              op->name, role, nz(op->coop), nz(op->store), op->pwhash, hq_now());
}

static void operator_read(struct db_q *q, int col, struct hq_operator *out)
{
	char role[16];
	out->id = db_int(q, col);
	db_text(q, col + 1, out->name, sizeof out->name);
	db_text(q, col + 2, role, sizeof role);
	out->role = strcmp(role, "office") == 0 ? HQ_OFFICE
	            : strcmp(role, "manager") == 0 ? HQ_MANAGER : HQ_COUNCIL;
	db_text(q, col + 3, out->coop, sizeof out->coop);
	db_text(q, col + 4, out->store, sizeof out->store);
}

#define OPERATOR_COLS "o.id, o.name, o.role, coalesce(o.coop, ''), coalesce(o.store, '')"

enum cm_rc hqstore_operator_get(struct hqstore *st, const char *name, struct hq_operator *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " OPERATOR_COLS ", o.pwhash, o.failed, "
	                                     "o.locked_until FROM operators o WHERE o.name = ?1"),
	                          N_("looking up the operator"), "t", name);
	bool found = db_row(q);
	if (found) {
		operator_read(q, 0, out);
		db_text(q, 5, out->pwhash, sizeof out->pwhash);
		out->failed = db_int(q, 6);
		out->locked_until = db_int(q, 7);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no operator %s"), name);
	return rc;
}

enum cm_rc hqstore_operator_failures(struct hqstore *st, int64_t id, int64_t failed,
                                     int64_t locked_until)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE operators SET failed = ?2, locked_until = ?3 "
	                              "WHERE id = ?1"),
	                   N_("recording the login"), NULL, "iii", id, failed, locked_until)
	          : CM_IO;
}

enum cm_rc hqstore_session_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                               int64_t operator_id, const char *csrf, int64_t expires_at)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	/* Expired sessions go as new ones come: no sweeper thread needed. */
	enum cm_rc rc = db_run(db, DB_SQL("DELETE FROM web_sessions WHERE expires_at <= ?1"),
	                       N_("forgetting expired sessions"), NULL, "i", hq_now());
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("INSERT INTO web_sessions(token_hash, operator, csrf, "
		                       "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
		            N_("opening the session"), NULL, "hitii", hash, operator_id, csrf,
		            hq_now(), expires_at);
	return rc;
}

enum cm_rc hqstore_session_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                               int64_t now, struct hq_operator *op, char csrf[65])
{
	memset(op, 0, sizeof *op);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " OPERATOR_COLS ", s.csrf FROM web_sessions s "
	                                     "JOIN operators o ON o.id = s.operator "
	                                     "WHERE s.token_hash = ?1 AND s.expires_at > ?2"),
	                          N_("looking up the session"), "hi", hash, now);
	bool found = db_row(q);
	if (found) {
		operator_read(q, 0, op);
		db_text(q, 5, csrf, 65);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no such session"));
	return rc;
}

enum cm_rc hqstore_session_delete(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN])
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("DELETE FROM web_sessions WHERE token_hash = ?1"),
	                   N_("closing the session"), NULL, "h", hash)
	          : CM_IO;
}

/* ---- the audit ---- */

enum cm_rc hqstore_oplog(struct hqstore *st, const char *operator, const char *action,
                         const char *detail, const char *address)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("INSERT INTO web_audit(at, operator, action, detail, address) "
	                              "VALUES (?1, ?2, ?3, ?4, ?5)"),
	                   N_("recording the audit"), NULL, "itttt", hq_now(), operator, action,
	                   detail ? detail : "", address ? address : "")
	          : CM_IO;
}

enum cm_rc hqstore_oplog_each(struct hqstore *st, const char *operator, int64_t limit,
                              hq_oplog_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT at, operator, action, detail, address "
	                                     "FROM web_audit WHERE CAST(?1 AS TEXT) IS NULL "
	                                     "OR operator = ?1 ORDER BY id DESC LIMIT ?2"),
	                          N_("reading the audit"), "ti", operator, limit);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_oplog a;
		a.at = db_int(q, 0);
		db_text(q, 1, a.operator, sizeof a.operator);
		db_text(q, 2, a.action, sizeof a.action);
		db_text(q, 3, a.detail, sizeof a.detail);
		db_text(q, 4, a.address, sizeof a.address);
		rc = fn(&a, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

/* ---- sales, terminals, alerts ---- */

enum cm_rc hqstore_day_totals(struct hqstore *st, const struct hq_scope *sc, int32_t from,
                              int32_t to, hq_total_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT store, date, count, net FROM sales_days "
	                                     "WHERE date BETWEEN ?3 AND ?4 AND " SCOPE("store")
	                                     " ORDER BY store, date"),
	                          N_("reading sales"), "ttii", nz(sc->store), nz(sc->coop),
	                          (int64_t)from, (int64_t)to);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_day_total d;
		db_text(q, 0, d.store, sizeof d.store);
		d.date = (int32_t)db_int(q, 1);
		d.count = db_int(q, 2);
		d.net = db_int(q, 3);
		rc = fn(&d, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_terminals_each(struct hqstore *st, const struct hq_scope *sc, hq_term_fn fn,
                                  void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT t.store, t.terminal, t.agent, coalesce(h.seq, 0), t.local_head, "
		"t.last_push_at, t.last_pull_at, t.revoked, "
		"(SELECT count(*) FROM alerts a WHERE a.store = t.store AND a.terminal = t.terminal "
		"AND a.acked_at IS NULL) "
		"FROM terminals t LEFT JOIN heads h ON h.store = t.store AND h.terminal = t.id "
		"WHERE t.operator = 0 AND " SCOPE("t.store") " ORDER BY t.store, t.terminal"),
		N_("reading the terminals"), "tt", nz(sc->store), nz(sc->coop));
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_term_status t;
		db_text(q, 0, t.store, sizeof t.store);
		db_text(q, 1, t.terminal, sizeof t.terminal);
		db_text(q, 2, t.agent, sizeof t.agent);
		t.head = db_int(q, 3);
		t.local_head = db_int(q, 4);
		t.last_push_at = db_int(q, 5);
		t.last_pull_at = db_int(q, 6);
		t.revoked = db_int(q, 7) != 0;
		t.open_alerts = db_int(q, 8);
		rc = fn(&t, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_terminal_seen(struct hqstore *st, const struct hq_terminal *t, bool push,
                                 int64_t local_head, const char *agent)
{
	static const struct db_sql pushed = {
		"UPDATE terminals SET last_push_at = ?2, local_head = ?3, agent = ?4 WHERE id = ?1", NULL };
	static const struct db_sql pulled = {
		"UPDATE terminals SET last_pull_at = ?2, agent = ?3 WHERE id = ?1", NULL };
	char a[64];
	snprintf(a, sizeof a, "%s", agent ? agent : "");
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	if (push)
		return db_run(db, &pushed, N_("recording the terminal's visit"), NULL, "iiit", t->key,
		              hq_now(), local_head, a);
	return db_run(db, &pulled, N_("recording the terminal's visit"), NULL, "iit", t->key,
	              hq_now(), a);
}

enum cm_rc hqstore_alerts_scope(struct hqstore *st, const struct hq_scope *sc, int64_t limit,
                                hq_alert_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT id, at, store, terminal, kind, detail, count, last_at, last_detail, "
		"acked_by, coalesce(acked_at, 0) FROM alerts WHERE " SCOPE("store")
		" ORDER BY CASE WHEN acked_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT ?3"),
		N_("reading alerts"), "tti", nz(sc->store), nz(sc->coop), limit);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_alert a;
		a.id = db_int(q, 0);
		a.at = db_int(q, 1);
		db_text(q, 2, a.store, sizeof a.store);
		db_text(q, 3, a.terminal, sizeof a.terminal);
		db_text(q, 4, a.kind, sizeof a.kind);
		db_text(q, 5, a.detail, sizeof a.detail);
		a.count = db_int(q, 6);
		a.last_at = db_int(q, 7);
		db_text(q, 8, a.last_detail, sizeof a.last_detail);
		db_text(q, 9, a.acked_by, sizeof a.acked_by);
		a.acked_at = db_int(q, 10);
		rc = fn(&a, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_alert_ack_scoped(struct hqstore *st, const struct hq_scope *sc, int64_t id,
                             const char *by)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT coalesce(acked_at, 0) FROM alerts "
	                                     "WHERE id = ?3 AND " SCOPE("store")),
	                          N_("reading alerts"), "tti", nz(sc->store), nz(sc->coop), id);
	bool found = db_row(q);
	int64_t acked = found ? db_int(q, 0) : 0;
	enum cm_rc rc = db_end(q);
	if (rc != CM_OK)
		return rc;
	if (!found)
		return db_fail(CM_NOTFOUND, _("no alert %lld"), (long long)id);
	if (acked)
		return db_fail(CM_STATE, _("alert %lld is acknowledged already"), (long long)id);
	rc = db_run(db, DB_SQL("UPDATE alerts SET acked_by = ?2, acked_at = ?3 "
	                       "WHERE id = ?1 AND acked_at IS NULL"),
	            N_("acknowledging the alert"), &n, "iti", id, by, hq_now());
	if (rc == CM_OK && n == 0)
		rc = db_fail(CM_STATE, _("alert %lld is acknowledged already"), (long long)id);
	return rc;
}

/* ---- stock and members ---- */

static enum cm_rc stock_rows(struct db_q *q, bool counts, hq_stock_row_fn fn, void *ctx)
{
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_stock_row s;
		memset(&s, 0, sizeof s);
		db_text(q, 0, s.sku, sizeof s.sku);
		db_text(q, 1, s.name, sizeof s.name);
		s.qty = db_int(q, 2);
		if (counts) {
			s.at = db_int(q, 3);
			db_text(q, 4, s.terminal, sizeof s.terminal);
		}
		rc = fn(&s, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_stock_search(struct hqstore *st, const char *store, const char *search,
                                int64_t max_qty, int64_t limit, hq_stock_row_fn fn, void *ctx)
{
	static const struct db_sql sql = {
		"SELECT m.sku, coalesce(i.name, ''), sum(m.qty) FROM stock_moves m "
		"LEFT JOIN items i ON i.sku = m.sku WHERE m.store = ?1 "
		"AND (m.sku LIKE ?2 ESCAPE '\\' OR i.name LIKE ?2 ESCAPE '\\') "
		"GROUP BY m.sku, i.name HAVING sum(m.qty) <= ?3 ORDER BY m.sku LIMIT ?4",
		"SELECT m.sku, coalesce(i.name, ''), sum(m.qty) FROM stock_moves m "
		"LEFT JOIN items i ON i.sku = m.sku WHERE m.store = ?1 "
		"AND (m.sku ILIKE ?2 ESCAPE '\\' OR i.name ILIKE ?2 ESCAPE '\\') "
		"GROUP BY m.sku, i.name HAVING sum(m.qty) <= ?3 ORDER BY m.sku LIMIT ?4" };
	char pat[160];
	like_pattern(search, pat, sizeof pat);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	return stock_rows(db_query(db, &sql, N_("reading stock"), "ttii", store, pat, max_qty, limit),
	                  false, fn, ctx);
}

enum cm_rc hqstore_count_variances(struct hqstore *st, const char *store, int64_t limit,
                                   hq_stock_row_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	return stock_rows(db_query(db, DB_SQL("SELECT m.sku, coalesce(i.name, ''), m.qty, m.at, "
	                                      "t.terminal FROM stock_moves m "
	                                      "LEFT JOIN items i ON i.sku = m.sku "
	                                      "JOIN terminals t ON t.id = m.terminal "
	                                      "WHERE m.store = ?1 AND m.kind = 'counted' "
	                                      "ORDER BY m.at DESC, m.sku LIMIT ?2"),
	                           N_("reading stock counts"), "ti", store, limit),
	                  true, fn, ctx);
}

enum cm_rc hqstore_stock_opening_at(struct hqstore *st, const char *store, int64_t *at)
{
	*at = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT at FROM stock_openings WHERE store = ?1"),
	                          N_("reading stock"), "t", store);
	if (db_row(q))
		*at = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_members_list(struct hqstore *st, const struct hq_scope *sc,
                                const char *search, int64_t limit, hq_member_row_fn fn,
                                void *ctx)
{
#define MEMBERS_SELECT "SELECT number, name, status, coalesce(store, ''), credit_limit, " \
	"credit_balance FROM members WHERE deleted = 0 AND " SCOPE("store")
	static const struct db_sql sql = {
		MEMBERS_SELECT " AND (number LIKE ?3 ESCAPE '\\' OR name LIKE ?3 ESCAPE '\\') "
		"ORDER BY number LIMIT ?4",
		MEMBERS_SELECT " AND (number ILIKE ?3 ESCAPE '\\' OR name ILIKE ?3 ESCAPE '\\') "
		"ORDER BY number LIMIT ?4" };
#undef MEMBERS_SELECT
	char pat[160];
	like_pattern(search, pat, sizeof pat);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading members"), "ttti", nz(sc->store),
	                          nz(sc->coop), pat, limit);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_member_row m;
		db_text(q, 0, m.number, sizeof m.number);
		db_text(q, 1, m.name, sizeof m.name);
		db_text(q, 2, m.status, sizeof m.status);
		db_text(q, 3, m.store, sizeof m.store);
		m.credit_limit = db_int(q, 4);
		m.credit_balance = db_int(q, 5);
		rc = fn(&m, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}
