/* Member credit in the database (hqstore_credit.h). */
#include "hqstore_credit.h"
#include "hqstore_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "charge", "refund", "payment" };

const char *hq_credit_kind_name(enum hq_credit_kind k)
{
	return kind_names[k];
}

enum cm_rc hqstore_credit_insert(struct hqstore *st, const struct hq_credit_row *r,
                                 int64_t version)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t delta = r->kind == HQ_CREDIT_CHARGE ? r->amount : -r->amount;
	enum cm_rc rc = db_add(db, DB_SQL("INSERT INTO credit_ledger(member_no, kind, amount, date, "
	                                  "store, terminal, seq, receipt, period, at) "
	                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
	                       N_("recording member credit"), "ttiittitii", r->member_no,
	                       kind_names[r->kind], r->amount, (int64_t)r->date, r->store,
	                       r->terminal, r->seq, r->receipt, (int64_t)r->period, hq_now());
	if (rc == CM_OK)
		rc = db_add(db, DB_SQL("UPDATE members SET credit_balance = credit_balance + ?2, "
		                       "version = ?3 WHERE number = ?1"),
		            N_("recording member credit"), "tii", r->member_no, delta, version);
	return rc;
}

enum cm_rc hqstore_credit_each(struct hqstore *st, const char *member, hq_credit_row_fn fn,
                               void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT kind, amount, date, store, terminal, seq, "
	                                     "receipt, period FROM credit_ledger WHERE member_no = ?1 "
	                                     "ORDER BY date, id"),
	                          N_("reading the credit ledger"), "t", member);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_credit_row r;
		memset(&r, 0, sizeof r);
		snprintf(r.member_no, sizeof r.member_no, "%s", member);
		const char *k = db_str(q, 0);
		r.kind = strcmp(k, "charge") == 0 ? HQ_CREDIT_CHARGE
		       : strcmp(k, "refund") == 0 ? HQ_CREDIT_REFUND : HQ_CREDIT_PAYMENT;
		r.amount = db_int(q, 1);
		r.date = (int32_t)db_int(q, 2);
		db_text(q, 3, r.store, sizeof r.store);
		db_text(q, 4, r.terminal, sizeof r.terminal);
		r.seq = db_int(q, 5);
		db_text(q, 6, r.receipt, sizeof r.receipt);
		r.period = (int32_t)db_int(q, 7);
		rc = fn(&r, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_credit_stores(struct hqstore *st, const char *member, int32_t from,
                                 int32_t to, char *buf, size_t n)
{
	struct db *db = hq_db(st);
	size_t used = 0;
	buf[0] = '\0';
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT DISTINCT store FROM credit_ledger "
	                                     "WHERE member_no = ?1 AND kind = 'charge' "
	                                     "AND date >= ?2 AND date <= ?3 ORDER BY store"),
	                          N_("reading the credit ledger"), "tii", member, (int64_t)from,
	                          (int64_t)to);
	while (db_row(q) && used < n)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", db_str(q, 0));
	return db_end(q);
}

#define LIMIT_OF "CASE WHEN credit_amount >= 0 THEN credit_amount " \
                 "ELSE salary * CAST(?2 AS bigint) / 100 END"

enum cm_rc hqstore_credit_terms_set(struct hqstore *st, const char *number, int64_t amount,
                                    int64_t salary, int64_t share, int64_t version,
                                    bool *changed)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	*changed = false;
	if (!db)
		return CM_IO;
	enum cm_rc rc = db_run(db, DB_SQL("UPDATE members SET "
	                                  "credit_amount = CASE WHEN CAST(?2 AS bigint) < -1 "
	                                  "  THEN credit_amount ELSE ?2 END, "
	                                  "salary = CASE WHEN CAST(?3 AS bigint) < 0 "
	                                  "  THEN salary ELSE ?3 END WHERE number = ?1"),
	                       N_("storing a member's credit"), NULL, "tii", number, amount, salary);
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE members SET credit_limit = " LIMIT_OF ", version = ?3 "
		                       "WHERE number = ?1 AND credit_limit <> " LIMIT_OF),
		            N_("storing a member's credit"), &n, "tii", number, share, version);
	*changed = n > 0;
	return rc;
}

enum cm_rc hqstore_credit_limits_recompute(struct hqstore *st, int64_t share, int64_t version,
                                           int64_t *changed)
{
	struct db *db = hq_db(st);
	*changed = 0;
	return db ? db_run(db, DB_SQL("UPDATE members SET credit_limit = " LIMIT_OF
	                              ", version = ?3 WHERE ?1 = '' AND credit_limit <> " LIMIT_OF),
	                   N_("storing a member's credit"), changed, "tii", "", share, version)
	          : CM_IO;
}

static void member_min(struct db_q *q, struct hq_member *m)
{
	memset(m, 0, sizeof *m);
	db_text(q, 0, m->number, sizeof m->number);
	db_text(q, 1, m->name, sizeof m->name);
	db_text(q, 2, m->employer, sizeof m->employer);
	db_text(q, 3, m->department, sizeof m->department);
	db_text(q, 4, m->employee_no, sizeof m->employee_no);
	db_text(q, 5, m->status, sizeof m->status);
	db_text(q, 6, m->store, sizeof m->store);
	m->credit_limit = db_int(q, 7);
	m->credit_balance = db_int(q, 8);
}

#define MIN_COLS "number, name, employer, department, employee_no, status, store, " \
                 "credit_limit, credit_balance"

enum cm_rc hqstore_member_by_employee(struct hqstore *st, const char *employee_no,
                                      struct hq_member *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " MIN_COLS " FROM members WHERE "
	                                     "employee_no = ?1 AND employee_no <> '' AND deleted = 0 "
	                                     "ORDER BY number LIMIT 1"),
	                          N_("reading a member"), "t", employee_no);
	bool found = db_row(q);
	if (found)
		member_min(q, out);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_members_of_employer(struct hqstore *st, const char *employer,
                                       struct hq_member **out, size_t *n)
{
	struct db *db = hq_db(st);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " MIN_COLS " FROM members WHERE employer = ?1 "
	                                     "AND deleted = 0 ORDER BY employee_no, number"),
	                          N_("reading the members"), "t", employer);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			void *p = realloc(*out, cap * sizeof **out);
			if (!p) {
				rc = CM_NOMEM;
				break;
			}
			*out = p;
		}
		member_min(q, &(*out)[(*n)++]);
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

enum cm_rc hqstore_payroll_seen(struct hqstore *st, const char *member, int32_t period)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM payroll_deductions WHERE member_no = ?1 "
	                                     "AND period = ?2"),
	                          N_("reading the payroll deductions"), "ti", member, (int64_t)period);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !found ? CM_NOTFOUND : rc;
}

enum cm_rc hqstore_payroll_insert(struct hqstore *st, const char *member, int32_t period,
                                  int64_t wajib, int64_t credit)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("INSERT INTO payroll_deductions(member_no, period, wajib, "
	                              "credit, at) VALUES (?1, ?2, ?3, ?4, ?5)"),
	                   N_("recording a payroll deduction"), NULL, "tiiii", member,
	                   (int64_t)period, wajib, credit, hq_now())
	          : CM_IO;
}
