/* SHU's settings, inputs and posted runs in the database (hqstore_shu.h). */
#include "hqstore_shu.h"
#include "hqstore_int.h"

#include <stdio.h>
#include <string.h>

/* ---- settings ---- */

static enum cm_rc year_pools(struct db *db, int year, struct shu_year *out)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT name, bp FROM shu_pools WHERE year = ?1 "
	                                     "ORDER BY name"),
	                          N_("reading the SHU pools"), "i", (int64_t)year);
	bool many = false;
	while (db_row(q)) {
		if (out->npools == SHU_MAX_POOLS) {
			many = true;
			continue;
		}
		struct shu_pool *p = &out->pools[out->npools++];
		db_text(q, 0, p->name, sizeof p->name);
		p->bp = (int32_t)db_int(q, 1);
		p->amount = 0;
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && many)
		return db_fail(CM_INVALID, _("a year has at most %d SHU pools"), SHU_MAX_POOLS);
	return rc;
}

static enum cm_rc year_rules(struct db *db, int year, struct shu_year *out)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT name, value FROM shu_rules WHERE year = ?1"),
	                          N_("reading the SHU rules"), "i", (int64_t)year);
	while (db_row(q))
		(void)shu_rule_set(&out->rules, db_str(q, 0), db_str(q, 1));
	return db_end(q);
}

enum cm_rc hqstore_shu_year_get(struct hqstore *st, int year, struct shu_year *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	memset(out, 0, sizeof *out);
	out->year = year;
	shu_rules_default(&out->rules);
	struct db_q *q = db_query(db, DB_SQL("SELECT amount FROM shu_years WHERE year = ?1"),
	                          N_("reading the SHU year"), "i", (int64_t)year);
	bool found = db_row(q);
	if (found)
		out->amount = db_int(q, 0);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK)
		rc = year_pools(db, year, out);
	if (rc == CM_OK)
		rc = year_rules(db, year, out);
	if (rc == CM_OK && !found)
		return db_fail(CM_NOTFOUND, _("no SHU amount is set for %d (shu year set)"), year);
	return rc;
}

enum cm_rc hqstore_shu_amount_set(struct hqstore *st, int year, cm_money amount)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("INSERT INTO shu_years(year, amount) VALUES (?1, ?2) "
	                              "ON CONFLICT(year) DO UPDATE SET amount = excluded.amount"),
	                   N_("storing the SHU amount"), NULL, "ii", (int64_t)year, amount)
	          : CM_IO;
}

enum cm_rc hqstore_shu_pool_set(struct hqstore *st, int year, const char *name, int32_t bp)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	if (bp < 0)
		return db_run(db, DB_SQL("DELETE FROM shu_pools WHERE year = ?1 AND name = ?2"),
		              N_("storing an SHU pool"), NULL, "it", (int64_t)year, name);
	return db_run(db, DB_SQL("INSERT INTO shu_pools(year, name, bp) VALUES (?1, ?2, ?3) "
	                         "ON CONFLICT(year, name) DO UPDATE SET bp = excluded.bp"),
	              N_("storing an SHU pool"), NULL, "iti", (int64_t)year, name, (int64_t)bp);
}

enum cm_rc hqstore_shu_pools_clear(struct hqstore *st, int year)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("DELETE FROM shu_pools WHERE year = ?1"),
	                   N_("storing an SHU pool"), NULL, "i", (int64_t)year)
	          : CM_IO;
}

enum cm_rc hqstore_shu_rule_set(struct hqstore *st, int year, const char *name,
                                const char *value)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("INSERT INTO shu_rules(year, name, value) VALUES (?1, ?2, ?3) "
	                              "ON CONFLICT(year, name) DO UPDATE SET value = excluded.value"),
	                   N_("storing an SHU rule"), NULL, "itt", (int64_t)year, name, value)
	          : CM_IO;
}

/* ---- inputs ---- */

enum cm_rc hqstore_shu_members_each(struct hqstore *st, hq_shu_member_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT number, name, store, status, type, join_date, "
	                                     "left_date FROM members WHERE deleted = 0 "
	                                     "ORDER BY number"),
	                          N_("reading the members"), "");
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_member m;
		memset(&m, 0, sizeof m);
		db_text(q, 0, m.number, sizeof m.number);
		db_text(q, 1, m.name, sizeof m.name);
		db_text(q, 2, m.store, sizeof m.store);
		db_text(q, 3, m.status, sizeof m.status);
		db_text(q, 4, m.type, sizeof m.type);
		m.join_date = (int32_t)db_int(q, 5);
		m.left_date = (int32_t)db_int(q, 6);
		rc = fn(&m, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shu_moves_each(struct hqstore *st, int32_t first, int32_t last,
                                  hq_shu_move_fn fn, void *ctx)
{
	static const struct db_sql moves = {
		"SELECT member_no, date, sum(total), 0 FROM sales "
		"WHERE member_no IS NOT NULL AND date BETWEEN ?1 AND ?2 GROUP BY member_no, date "
		"UNION ALL "
		"SELECT s.member_no, r.date, sum(r.total), 1 FROM returns r "
		"JOIN sales s ON s.store = r.store AND s.receipt = r.receipt "
		"WHERE r.receipt <> '' AND s.member_no IS NOT NULL AND r.date BETWEEN ?1 AND ?2 "
		"GROUP BY s.member_no, r.date", NULL };
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &moves, N_("reading the members' purchases"), "ii",
	                          (int64_t)first, (int64_t)last);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q))
		rc = fn(db_str(q, 0), (int32_t)db_int(q, 1), db_int(q, 2), db_int(q, 3) != 0, ctx);
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shu_turnover(struct hqstore *st, int32_t first, int32_t last,
                                cm_money *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT coalesce((SELECT sum(total) FROM sales "
	                                     "WHERE date BETWEEN ?1 AND ?2), 0) - "
	                                     "coalesce((SELECT sum(total) FROM returns "
	                                     "WHERE date BETWEEN ?1 AND ?2), 0)"),
	                          N_("reading the turnover"), "ii", (int64_t)first, (int64_t)last);
	*out = db_row(q) ? db_int(q, 0) : 0;
	return db_end(q);
}

enum cm_rc hqstore_shu_savings_each(struct hqstore *st, int32_t last, hq_shu_saving_fn fn,
                                    void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT member_no, kind, date / 100, month, "
	                                     "sum(amount) FROM dues_ledger "
	                                     "WHERE counted = 1 AND date <= ?1 "
	                                     "GROUP BY member_no, kind, date / 100, month "
	                                     "ORDER BY member_no"),
	                          N_("reading the members' savings"), "i", (int64_t)last);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		enum dues_kind k;
		if (dues_kind_parse(db_str(q, 1), &k) != CM_OK)
			continue;
		rc = fn(db_str(q, 0), k, (int32_t)db_int(q, 2), (int32_t)db_int(q, 3), db_int(q, 4),
		        ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

/* ---- posted runs ---- */

#define RUN_COLS "year, amount, rules, turnover, members, hash, posted_at"

static void run_read(struct db_q *q, struct hq_shu_run *out)
{
	memset(out, 0, sizeof *out);
	out->year = (int)db_int(q, 0);
	out->amount = db_int(q, 1);
	db_text(q, 2, out->rules, sizeof out->rules);
	out->turnover = db_int(q, 3);
	out->members = db_int(q, 4);
	db_hash(q, 5, out->hash);
	out->posted_at = db_int(q, 6);
}

enum cm_rc hqstore_shu_run_get(struct hqstore *st, int year, struct hq_shu_run *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " RUN_COLS " FROM shu_runs WHERE year = ?1"),
	                          N_("reading a posted SHU run"), "i", (int64_t)year);
	bool found = db_row(q);
	if (found)
		run_read(q, out);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_shu_runs_each(struct hqstore *st, hq_shu_run_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " RUN_COLS " FROM shu_runs ORDER BY year DESC"),
	                          N_("reading the posted SHU runs"), "");
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_shu_run r;
		run_read(q, &r);
		rc = fn(&r, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shu_run_pools(struct hqstore *st, int year, struct shu_pool *p, size_t *n)
{
	struct db *db = hq_db(st);
	*n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT name, bp, amount FROM shu_run_pools "
	                                     "WHERE year = ?1 ORDER BY n"),
	                          N_("reading a posted SHU run"), "i", (int64_t)year);
	while (db_row(q)) {
		if (*n == SHU_MAX_POOLS)
			continue;
		db_text(q, 0, p[*n].name, sizeof p[*n].name);
		p[*n].bp = (int32_t)db_int(q, 1);
		p[*n].amount = db_int(q, 2);
		(*n)++;
	}
	return db_end(q);
}

#define RUN_MEMBER_COLS "number, name, store, inactive, pct, bought, returned, purchases, " \
                        "savings, usaha_w, modal_w, usaha, modal"

enum cm_rc hqstore_shu_run_members_each(struct hqstore *st, int year, hq_shu_run_member_fn fn,
                                        void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " RUN_MEMBER_COLS " FROM shu_run_members "
	                                     "WHERE year = ?1 ORDER BY number"),
	                          N_("reading a posted SHU run"), "i", (int64_t)year);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct shu_member m;
		memset(&m, 0, sizeof m);
		db_text(q, 0, m.number, sizeof m.number);
		db_text(q, 1, m.name, sizeof m.name);
		db_text(q, 2, m.store, sizeof m.store);
		m.inactive = db_int(q, 3) != 0;
		m.pct = (int)db_int(q, 4);
		m.bought = db_int(q, 5);
		m.returned = db_int(q, 6);
		m.purchases = db_int(q, 7);
		m.savings = db_int(q, 8);
		m.usaha_w = db_int(q, 9);
		m.modal_w = db_int(q, 10);
		m.share[SHU_USAHA] = db_int(q, 11);
		m.share[SHU_MODAL] = db_int(q, 12);
		rc = fn(&m, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shu_run_insert(struct hqstore *st, const struct hq_shu_run *r,
                                  const struct shu_pool *p, size_t np,
                                  const struct shu_member *m, size_t n)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	enum cm_rc rc = db_run(db, DB_SQL("INSERT INTO shu_runs(year, amount, rules, turnover, "
	                                  "members, hash, posted_at) "
	                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
	                       N_("posting the SHU run"), NULL, "iitiihi", (int64_t)r->year,
	                       r->amount, r->rules, r->turnover, r->members, r->hash, r->posted_at);
	for (size_t i = 0; rc == CM_OK && i < np; i++)
		rc = db_add(db, DB_SQL("INSERT INTO shu_run_pools(year, n, name, bp, amount) "
		                       "VALUES (?1, ?2, ?3, ?4, ?5)"),
		            N_("posting the SHU run"), "iitii", (int64_t)r->year, (int64_t)i + 1,
		            p[i].name, (int64_t)p[i].bp, p[i].amount);
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		rc = db_add(db, DB_SQL("INSERT INTO shu_run_members(year, " RUN_MEMBER_COLS ") VALUES "
		                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
		            N_("posting the SHU run"), "itttiiiiiiiiii", (int64_t)r->year,
		            m[i].number, m[i].name, m[i].store, (int64_t)m[i].inactive,
		            (int64_t)m[i].pct, m[i].bought, m[i].returned, m[i].purchases,
		            m[i].savings, m[i].usaha_w, m[i].modal_w, m[i].share[SHU_USAHA],
		            m[i].share[SHU_MODAL]);
	return rc;
}
