/* Members, the dues schedule, HQ's settings and the savings ledger in the
 * database (hqstore_dues.h). */
#include "hqstore_dues.h"
#include "hqstore_int.h"

#include <stdlib.h>
#include <string.h>

#define MEMBER_COLS "number, name, card_code, status, type, join_date, left_date, employer, " \
                    "department, employee_no, store, version, deleted, credit_limit, credit_balance"

static void member_row(struct db_q *q, struct hq_member *m)
{
	memset(m, 0, sizeof *m);
	db_text(q, 0, m->number, sizeof m->number);
	db_text(q, 1, m->name, sizeof m->name);
	db_text(q, 2, m->card_code, sizeof m->card_code);
	db_text(q, 3, m->status, sizeof m->status);
	db_text(q, 4, m->type, sizeof m->type);
	m->join_date = (int32_t)db_int(q, 5);
	m->left_date = (int32_t)db_int(q, 6);
	db_text(q, 7, m->employer, sizeof m->employer);
	db_text(q, 8, m->department, sizeof m->department);
	db_text(q, 9, m->employee_no, sizeof m->employee_no);
	db_text(q, 10, m->store, sizeof m->store);
	m->version = db_int(q, 11);
	m->deleted = db_int(q, 12) != 0;
	m->credit_limit = db_int(q, 13);
	m->credit_balance = db_int(q, 14);
}

/* A field the import does not give binds NULL (text) or -1 (dates): the
 * row keeps what it has, a new row takes the column's default. */
enum cm_rc hqstore_member_upsert(struct hqstore *st, const struct hq_member *m, unsigned given,
                                 int64_t version, bool *changed)
{
#define KEEP_T(n, col) "coalesce(?" #n ", members." col ")"
#define KEEP_D(n, col) "CASE WHEN CAST(?" #n " AS bigint) < 0 THEN members." col " ELSE ?" #n " END"
	static const struct db_sql put = {
		"INSERT INTO members(number, name, card_code, status, type, join_date, left_date, "
		"  employer, department, employee_no, store, version) "
		"VALUES (?1, ?2, ?3, ?4, coalesce(?5, 'biasa'), "
		"  CASE WHEN CAST(?6 AS bigint) < 0 THEN 0 ELSE ?6 END, "
		"  CASE WHEN CAST(?7 AS bigint) < 0 THEN 0 ELSE ?7 END, "
		"  coalesce(?8, ''), coalesce(?9, ''), coalesce(?10, ''), coalesce(?11, ''), ?12) "
		"ON CONFLICT(number) DO UPDATE SET name = excluded.name, "
		"  card_code = excluded.card_code, status = excluded.status, "
		"  type = " KEEP_T(5, "type") ", join_date = " KEEP_D(6, "join_date") ", "
		"  left_date = " KEEP_D(7, "left_date") ", employer = " KEEP_T(8, "employer") ", "
		"  department = " KEEP_T(9, "department") ", employee_no = " KEEP_T(10, "employee_no") ", "
		"  store = " KEEP_T(11, "store") ", version = excluded.version, deleted = 0 "
		"WHERE (members.name, members.card_code, members.status, members.type, "
		"       members.join_date, members.left_date, members.employer, members.department, "
		"       members.employee_no, members.store, members.deleted) IS DISTINCT FROM "
		"      (excluded.name, excluded.card_code, excluded.status, " KEEP_T(5, "type") ", "
		"       " KEEP_D(6, "join_date") ", " KEEP_D(7, "left_date") ", "
		"       " KEEP_T(8, "employer") ", " KEEP_T(9, "department") ", "
		"       " KEEP_T(10, "employee_no") ", " KEEP_T(11, "store") ", 0)", NULL };
#undef KEEP_T
#undef KEEP_D
	struct db *db = hq_db(st);
	int64_t n = 0;
	*changed = false;
	if (!db)
		return CM_IO;
	enum cm_rc rc = db_run(db, &put, N_("storing a member"), &n, "tttttiitttti", m->number,
	                       m->name, m->card_code, m->status,
	                       (given & HQ_MF_TYPE) ? m->type : NULL,
	                       (int64_t)((given & HQ_MF_JOIN) ? m->join_date : -1),
	                       (int64_t)((given & HQ_MF_LEFT) ? m->left_date : -1),
	                       (given & HQ_MF_EMPLOYER) ? m->employer : NULL,
	                       (given & HQ_MF_DEPARTMENT) ? m->department : NULL,
	                       (given & HQ_MF_EMPLOYEE_NO) ? m->employee_no : NULL,
	                       (given & HQ_MF_STORE) ? m->store : NULL, version);
	*changed = n > 0;
	return rc;
}

enum cm_rc hqstore_member_card_owner(struct hqstore *st, const char *card, const char *number,
                                     char *owner, size_t n)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT number FROM members WHERE card_code = ?1 "
	                                     "AND number <> ?2 AND deleted = 0 LIMIT 1"),
	                          N_("looking up a card"), "tt", card, number);
	bool found = db_row(q);
	if (found)
		db_text(q, 0, owner, n);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_member_get(struct hqstore *st, const char *number, bool lock,
                              struct hq_member *out)
{
	static const struct db_sql plain = {
		"SELECT " MEMBER_COLS " FROM members WHERE number = ?1", NULL };
	static const struct db_sql locked = {
		"SELECT " MEMBER_COLS " FROM members WHERE number = ?1",
		"SELECT " MEMBER_COLS " FROM members WHERE number = ?1 FOR UPDATE" };
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, lock ? &locked : &plain, N_("reading a member"), "t", number);
	bool found = db_row(q);
	if (found)
		member_row(q, out);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_member_version_set(struct hqstore *st, const char *number, int64_t version)
{
	struct db *db = hq_db(st);
	return db ? db_add(db, DB_SQL("UPDATE members SET version = ?2 WHERE number = ?1"),
	                   N_("storing a member"), "ti", number, version)
	          : CM_IO;
}

enum cm_rc hqstore_members_touch(struct hqstore *st, int64_t version)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE members SET version = ?1 WHERE deleted = 0"),
	                   N_("storing a member"), NULL, "i", version)
	          : CM_IO;
}

enum cm_rc hqstore_members_version_lock(struct hqstore *st, int64_t *out)
{
	static const struct db_sql sql = {
		"SELECT value FROM versions WHERE name = 'members'",
		"SELECT value FROM versions WHERE name = 'members' FOR UPDATE" };
	struct db *db = hq_db(st);
	*out = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading a version"), "");
	if (db_row(q))
		*out = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_members_undated(struct hqstore *st, const char *type, int64_t *n)
{
	struct db *db = hq_db(st);
	*n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT count(*) FROM members WHERE type = ?1 "
	                                     "AND join_date = 0 AND deleted = 0"),
	                          N_("reading the members"), "t", type);
	if (db_row(q))
		*n = db_int(q, 0);
	return db_end(q);
}

/* ---- the schedule and settings ---- */

enum cm_rc hqstore_dues_rates(struct hqstore *st, struct dues_rate **out, size_t *n)
{
	struct db *db = hq_db(st);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT type, kind, from_month, amount FROM dues_rates "
	                                     "ORDER BY type, kind, from_month"),
	                          N_("reading the dues rates"), "");
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct dues_rate *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = CM_NOMEM;
				break;
			}
			*out = p;
		}
		struct dues_rate *r = &(*out)[*n];
		db_text(q, 0, r->type, sizeof r->type);
		if (dues_kind_parse(db_str(q, 1), &r->kind) != CM_OK)
			continue;
		r->from = (int32_t)db_int(q, 2);
		r->amount = db_int(q, 3);
		(*n)++;
	}
	enum cm_rc qrc = db_end(q);
	if (rc == CM_OK)
		rc = qrc;
	if (rc != CM_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

enum cm_rc hqstore_dues_rate_put(struct hqstore *st, const struct dues_rate *r, bool *changed)
{
	static const struct db_sql put = {
		"INSERT INTO dues_rates(type, kind, from_month, amount) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT(type, kind, from_month) DO UPDATE SET amount = excluded.amount "
		"WHERE dues_rates.amount <> excluded.amount", NULL };
	struct db *db = hq_db(st);
	int64_t n = 0;
	enum cm_rc rc = db ? db_run(db, &put, N_("storing a dues rate"), &n, "ttii", r->type,
	                            dues_kind_name(r->kind), (int64_t)r->from, r->amount)
	                   : CM_IO;
	*changed = n > 0;
	return rc;
}

enum cm_rc hqstore_setting(struct hqstore *st, const char *name, int64_t *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT value FROM hq_settings WHERE name = ?1"),
	                          N_("reading a setting"), "t", name);
	bool found = db_row(q);
	if (found)
		*out = db_int(q, 0);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_setting_set(struct hqstore *st, const char *name, int64_t v, bool *changed)
{
	static const struct db_sql put = {
		"INSERT INTO hq_settings(name, value) VALUES (?1, ?2) "
		"ON CONFLICT(name) DO UPDATE SET value = excluded.value "
		"WHERE hq_settings.value <> excluded.value", NULL };
	struct db *db = hq_db(st);
	int64_t n = 0;
	enum cm_rc rc = db ? db_run(db, &put, N_("storing a setting"), &n, "ti", name, v) : CM_IO;
	*changed = n > 0;
	return rc;
}

/* ---- the savings ledger ---- */

enum cm_rc hqstore_dues_counted(struct hqstore *st, const char *member, enum dues_kind k,
                                int32_t month, int64_t *sum)
{
	struct db *db = hq_db(st);
	*sum = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT coalesce(sum(amount), 0) FROM dues_ledger "
	                                     "WHERE member_no = ?1 AND kind = ?2 AND month = ?3 "
	                                     "AND counted = 1"),
	                          N_("reading the savings ledger"), "tti", member, dues_kind_name(k),
	                          (int64_t)month);
	if (db_row(q))
		*sum = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_dues_insert(struct hqstore *st, const struct hq_dues_pay *p, bool counted)
{
	struct db *db = hq_db(st);
	return db ? db_add(db, DB_SQL("INSERT INTO dues_ledger(member_no, kind, month, amount, "
	                              "date, channel, store, terminal, seq, receipt, counted, "
	                              "source, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	                              "?11, ?12, ?13)"),
	                   N_("recording a savings payment"), "ttiiitttititi", p->member_no,
	                   dues_kind_name(p->kind), (int64_t)p->month, p->amount, (int64_t)p->date,
	                   p->payroll ? "payroll" : "till", p->store, p->terminal, p->seq,
	                   p->receipt, (int64_t)counted, p->source, hq_now())
	          : CM_IO;
}

enum cm_rc hqstore_dues_source_seen(struct hqstore *st, const char *source)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM dues_ledger WHERE source = ?1 "
	                                     "AND source <> '' LIMIT 1"),
	                          N_("reading the savings ledger"), "t", source);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

/* The counted ledger rows of some members, sorted by member here (a
 * database sorting them under its collation cost more than the query):
 * what the members of a page or of a report have saved. A month's rows
 * add up in dues_owed(). */
struct sums {
	struct sum {
		char member[24];
		enum dues_kind kind;
		int32_t month;
		int64_t amount;
	} *r;
	size_t n, cap;
	struct dues_paid *paid;           /* one member's wajib, reused */
	size_t paidcap;
};

static int sum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sum *)a)->member, ((const struct sum *)b)->member);
}

static enum cm_rc sums_read(struct db_q *q, struct sums *s)
{
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			void *p = realloc(s->r, cap * sizeof *s->r);
			if (!p) {
				rc = CM_NOMEM;
				break;
			}
			s->r = p;
			s->cap = cap;
		}
		struct sum *e = &s->r[s->n];
		db_text(q, 0, e->member, sizeof e->member);
		if (dues_kind_parse(db_str(q, 1), &e->kind) != CM_OK)
			continue;
		e->month = (int32_t)db_int(q, 2);
		e->amount = db_int(q, 3);
		s->n++;
	}
	enum cm_rc qrc = db_end(q);
	if (rc == CM_OK && qrc == CM_OK && s->n)
		qsort(s->r, s->n, sizeof *s->r, sum_cmp);
	return rc != CM_OK ? rc : qrc;
}

static void sums_free(struct sums *s)
{
	free(s->r);
	free(s->paid);
}

/* The member's sums into md (the first of them found by bisection). */
static enum cm_rc sums_of(struct sums *s, struct hq_member_dues *md)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->r[mid].member, md->m.number) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	md->pokok = md->sukarela = 0;
	md->nwajib = 0;
	for (size_t i = lo; i < s->n && strcmp(s->r[i].member, md->m.number) == 0; i++) {
		const struct sum *e = &s->r[i];
		if (e->kind == DUES_POKOK) {
			md->pokok += e->amount;
		} else if (e->kind == DUES_SUKARELA) {
			md->sukarela += e->amount;
		} else {
			if (md->nwajib == s->paidcap) {
				size_t cap = s->paidcap ? s->paidcap * 2 : 64;
				void *p = realloc(s->paid, cap * sizeof *s->paid);
				if (!p)
					return CM_NOMEM;
				s->paid = p;
				s->paidcap = cap;
			}
			s->paid[md->nwajib++] = (struct dues_paid){ .month = e->month, .amount = e->amount };
		}
	}
	md->wajib = s->paid;
	return CM_OK;
}

/* The rows of a member query, each with its sums, to fn. */
static enum cm_rc members_with_sums(struct db_q *q, struct sums *s, hq_member_dues_fn fn,
                                    void *ctx, struct hq_member *buf, size_t max)
{
	size_t n = 0;
	while (db_row(q) && n < max)
		member_row(q, &buf[n++]);
	enum cm_rc rc = db_end(q);
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		struct hq_member_dues md = { .m = buf[i] };
		rc = sums_of(s, &md);
		if (rc == CM_OK)
			rc = fn(&md, ctx);
	}
	return rc;
}

enum cm_rc hqstore_members_dues_page(struct hqstore *st, int64_t since, int64_t upto,
                                     int64_t after_v, const char *after_key, int64_t limit,
                                     hq_member_dues_fn fn, void *ctx)
{
	/* The unary + keeps SQLite from taking "version > since" as the
	 * index's range, which must be the cursor (hqstore_items_page). */
#define PAGE_WHERE(plus) plus "version > ?1 AND version <= ?2 AND (version, number) > (?3, ?4) "
#define SUMS(plus) "SELECT member_no, kind, month, amount FROM dues_ledger " \
		"WHERE counted = 1 AND member_no IN (SELECT number FROM members WHERE " \
		PAGE_WHERE(plus) "  ORDER BY version, number LIMIT ?5)"
#define MEMBERS(plus) "SELECT " MEMBER_COLS " FROM members WHERE " PAGE_WHERE(plus) \
		"ORDER BY version, number LIMIT ?5"
	static const struct db_sql sums_sql = { SUMS("+"), SUMS("") };
	static const struct db_sql members_sql = { MEMBERS("+"), MEMBERS("") };
#undef SUMS
#undef MEMBERS
#undef PAGE_WHERE
	struct db *db = hq_db(st);
	struct sums s = { 0 };
	if (!db)
		return CM_IO;
	if (!after_key)
		after_key = "";
	if (limit < 1)
		limit = 1;
	struct hq_member *buf = malloc((size_t)limit * sizeof *buf);
	if (!buf)
		return CM_NOMEM;
	enum cm_rc rc = sums_read(db_query(db, &sums_sql, N_("reading the savings ledger"), "iiiti",
	                                   since, upto, after_v, after_key, limit), &s);
	if (rc == CM_OK)
		rc = members_with_sums(db_query(db, &members_sql, N_("reading the members"), "iiiti",
		                                since, upto, after_v, after_key, limit),
		                       &s, fn, ctx, buf, (size_t)limit);
	free(buf);
	sums_free(&s);
	return rc;
}

enum cm_rc hqstore_members_dues_each(struct hqstore *st, const char *store,
                                     hq_member_dues_fn fn, void *ctx)
{
	static const struct db_sql sums_sql = {
		"SELECT l.member_no, l.kind, l.month, l.amount FROM dues_ledger l "
		"JOIN members m ON m.number = l.member_no "
		"WHERE l.counted = 1 AND m.deleted = 0 AND (?1 = '' OR m.store = ?1)", NULL };
	static const struct db_sql members_sql = {
		"SELECT " MEMBER_COLS " FROM members WHERE deleted = 0 AND (?1 = '' OR store = ?1) "
		"ORDER BY number", NULL };
	struct db *db = hq_db(st);
	struct sums s = { 0 };
	if (!db)
		return CM_IO;
	const char *sc = store ? store : "";
	enum cm_rc rc = sums_read(db_query(db, &sums_sql, N_("reading the savings ledger"), "t", sc),
	                          &s);
	/* The members are read whole before fn sees the first, so fn may
	 * run queries of its own (a connection has one query at a time). */
	struct db_q *q = rc == CM_OK ? db_query(db, &members_sql, N_("reading the members"), "t", sc)
	                             : NULL;
	struct hq_member *all = NULL;
	size_t n = 0, cap = 0;
	while (q && rc == CM_OK && db_row(q)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			void *p = realloc(all, cap * sizeof *all);
			if (!p) {
				rc = CM_NOMEM;
				break;
			}
			all = p;
		}
		member_row(q, &all[n++]);
	}
	if (q) {
		enum cm_rc qrc = db_end(q);
		if (rc == CM_OK)
			rc = qrc;
	}
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		struct hq_member_dues md = { .m = all[i] };
		rc = sums_of(&s, &md);
		if (rc == CM_OK)
			rc = fn(&md, ctx);
	}
	free(all);
	sums_free(&s);
	return rc;
}

enum cm_rc hqstore_dues_ledger_each(struct hqstore *st, const char *member, int year,
                                    hq_dues_pay_fn fn, void *ctx)
{
	static const struct db_sql sql = {
		"SELECT member_no, kind, month, amount, date, channel, store, terminal, seq, receipt, "
		"  counted, source FROM dues_ledger "
		"WHERE member_no = ?1 AND (?2 = 0 OR date / 10000 = ?2) ORDER BY date, id", NULL };
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading the savings ledger"), "ti", member,
	                          (int64_t)year);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_dues_pay p;
		memset(&p, 0, sizeof p);
		db_text(q, 0, p.member_no, sizeof p.member_no);
		if (dues_kind_parse(db_str(q, 1), &p.kind) != CM_OK)
			continue;
		p.month = (int32_t)db_int(q, 2);
		p.amount = db_int(q, 3);
		p.date = (int32_t)db_int(q, 4);
		p.payroll = strcmp(db_str(q, 5), "payroll") == 0;
		db_text(q, 6, p.store, sizeof p.store);
		db_text(q, 7, p.terminal, sizeof p.terminal);
		p.seq = db_int(q, 8);
		db_text(q, 9, p.receipt, sizeof p.receipt);
		p.counted = db_int(q, 10) != 0;
		db_text(q, 11, p.source, sizeof p.source);
		rc = fn(&p, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}
