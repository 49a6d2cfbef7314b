/* Members' dues at the till (store_dues.h). */
#include "store/store_int.h"
#include "store/store_dues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fill_rate(sqlite3_stmt *s, void *elem)
{
	struct dues_rate *r = elem;
	store_col_text(s, 0, r->type, sizeof r->type);
	r->kind = (enum dues_kind)sqlite3_column_int(s, 1);
	r->from = sqlite3_column_int(s, 2);
	r->amount = sqlite3_column_int64(s, 3);
}

enum cm_rc store_dues_rates(struct store *st, struct dues_rate **out, size_t *n)
{
	static const char sql[] =
		"SELECT type, kind, from_month, amount FROM dues_rates WHERE ?1 = ?1 "
		"ORDER BY type, kind, from_month";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, 0, out, n, sizeof **out, fill_rate, _("reading the dues rates"));
}

int32_t store_dues_inactive_after(struct store *st)
{
	static const char sql[] = "SELECT inactive_after FROM dues_setting WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	int64_t v = 3;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return v >= 1 && v <= 1200 ? (int32_t)v : 3;
}

enum cm_rc store_dues_inactive_after_set(struct store *st, int32_t months)
{
	static const char sql[] = "UPDATE dues_setting SET inactive_after = ?1 WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, months);
	return store_step_done(st, s, _("saving the dues rates"));
}

enum cm_rc store_member_owed(struct store *st, int64_t member_id, struct dues_owed *out,
                             size_t max, size_t *n)
{
	static const char sql[] =
		"SELECT month, amount FROM member_owed WHERE member_id = ?1 ORDER BY month";
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, member_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		out[*n].month = sqlite3_column_int(s, 0);
		out[*n].amount = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
		: store_fail(st, rc, _("reading a member's dues"));
}

static void fill_dues(sqlite3_stmt *s, void *elem)
{
	struct dues_line *d = elem;
	d->n = sqlite3_column_int(s, 0);
	d->member_id = sqlite3_column_int64(s, 1);
	d->kind = (enum dues_kind)sqlite3_column_int(s, 2);
	d->month = sqlite3_column_int(s, 3);
	d->amount = sqlite3_column_int64(s, 4);
}

enum cm_rc store_member_dues_since(struct store *st, int64_t member_id, int64_t after_seq,
                                   struct dues_line **out, size_t *n)
{
	/* Sales of this terminal only: HQ's acked sequence is this terminal's. */
	static const char sql[] =
		"SELECT d.n, d.member_id, d.kind, d.month, d.amount FROM sale_dues d "
		"JOIN sales s ON s.id = d.sale_id "
		"WHERE d.member_id = ?1 AND s.journal_seq > ?2 AND s.terminal_id = ?3 "
		"ORDER BY s.journal_seq, d.n";
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, member_id);
	sqlite3_bind_int64(s, 2, after_seq);
	sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_grow(out, &cap, *n, sizeof **out)) {
			sqlite3_reset(s);
			store_seterr(st, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		fill_dues(s, &(*out)[(*n)++]);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading a member's dues"));
}

static enum cm_rc put_dues(struct store *st, const char *sql, int64_t owner,
                           const struct dues_line *d, size_t n, const char *doing)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, owner);
		sqlite3_bind_int(s, 2, d[i].n);
		sqlite3_bind_int64(s, 3, d[i].member_id);
		sqlite3_bind_int(s, 4, d[i].kind);
		sqlite3_bind_int(s, 5, d[i].month);
		sqlite3_bind_int64(s, 6, d[i].amount);
		rc = store_step_done(st, s, doing);
	}
	return rc;
}

enum cm_rc store_ticket_put_dues(struct store *st, int64_t ticket_id, const struct dues_line *d,
                                 size_t n)
{
	static const char del[] = "DELETE FROM open_ticket_dues WHERE ticket_id = ?1";
	static const char ins[] =
		"INSERT INTO open_ticket_dues(ticket_id, n, member_id, kind, month, amount) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *s = store_stmt(st, del);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, ticket_id);
	enum cm_rc rc = store_step_done(st, s, _("saving the ticket"));
	return rc == CM_OK ? put_dues(st, ins, ticket_id, d, n, _("saving the ticket")) : rc;
}

enum cm_rc store_ticket_load_dues(struct store *st, int64_t ticket_id, struct dues_line **out,
                                  size_t *n)
{
	static const char sql[] =
		"SELECT n, member_id, kind, month, amount FROM open_ticket_dues "
		"WHERE ticket_id = ?1 ORDER BY n";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, ticket_id, out, n, sizeof **out, fill_dues,
	                  _("loading the ticket"));
}

enum cm_rc store_sale_dues_insert(struct store *st, int64_t sale_id, const struct dues_line *d,
                                  size_t n)
{
	static const char ins[] =
		"INSERT INTO sale_dues(sale_id, n, member_id, kind, month, amount) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	return put_dues(st, ins, sale_id, d, n, _("saving the sale"));
}

enum cm_rc store_sale_dues_load(struct store *st, int64_t sale_id, struct dues_line **out,
                                size_t *n)
{
	static const char sql[] =
		"SELECT n, member_id, kind, month, amount FROM sale_dues WHERE sale_id = ?1 ORDER BY n";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, sale_id, out, n, sizeof **out, fill_dues, _("loading a sale"));
}

static enum cm_rc totals(struct store *st, sqlite3_stmt *s, struct dues_totals *out)
{
	memset(out, 0, sizeof *out);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k < 0) {
			out->members = sqlite3_column_int64(s, 1);
			continue;
		}
		if (k >= DUES_KIND_COUNT)
			continue;
		out->count[k] = sqlite3_column_int64(s, 1);
		out->amount[k] = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("adding up dues"));
}

/* Per kind, then one row of kind -1 with the distinct members. */
#define TOTALS_SQL(where) \
	"SELECT d.kind, count(*), sum(d.amount) FROM sale_dues d JOIN sales s ON s.id = d.sale_id " \
	"WHERE " where " GROUP BY d.kind " \
	"UNION ALL SELECT -1, count(DISTINCT d.member_id), 0 FROM sale_dues d " \
	"JOIN sales s ON s.id = d.sale_id WHERE " where

/* The totals of sql over (a, b), with the terminal as ?3 when it asks. */
static enum cm_rc totals_of(struct store *st, const char *sql, int64_t a, int64_t b,
                            struct dues_totals *out)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	return totals(st, s, out);
}

enum cm_rc store_dues_totals(struct store *st, int64_t from, int64_t to, struct dues_totals *out)
{
	static const char sql[] = TOTALS_SQL("s.completed_at >= ?1 AND s.completed_at < ?2");
	return totals_of(st, sql, from, to, out);
}

enum cm_rc store_dues_totals_by_date(struct store *st, int32_t first, int32_t last,
                                     struct dues_totals *out)
{
	static const char sql[] = TOTALS_SQL("s.business_date BETWEEN ?1 AND ?2");
	return totals_of(st, sql, first, last, out);
}

/* The dues of a journal range (from, to], to = 0 open-ended: X/Z reports. */
enum cm_rc store_dues_totals_seq(struct store *st, int64_t from, int64_t to,
                                 struct dues_totals *out)
{
	static const char sql[] =
		TOTALS_SQL("s.journal_seq > ?1 AND (?2 = 0 OR s.journal_seq <= ?2) AND s.terminal_id = ?3");
	return totals_of(st, sql, from, to, out);
}

enum cm_rc store_member_standing_put(struct store *st, const char *number,
                                     const struct member_standing *h,
                                     const struct dues_owed *owed, size_t n)
{
	static const char upd[] =
		"UPDATE members SET pokok_owed = ?2, wajib_through = ?3, wajib_paid_until = ?4, "
		"wajib_months = ?5, wajib_arrears = ?6, sukarela = ?7, dues_month = ?8, dues_seq = ?9, "
		"credit_limit = ?10, credit_balance = ?11 WHERE number = ?1";
	static const char clear[] =
		"DELETE FROM member_owed WHERE member_id = (SELECT id FROM members WHERE number = ?1)";
	static const char ins[] =
		"INSERT INTO member_owed(member_id, month, amount) "
		"SELECT id, ?2, ?3 FROM members WHERE number = ?1";
	sqlite3_stmt *s = store_stmt(st, upd);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, h->pokok_owed);
	sqlite3_bind_int(s, 3, h->wajib_through);
	sqlite3_bind_int(s, 4, h->wajib_paid_until);
	sqlite3_bind_int(s, 5, h->wajib_months);
	sqlite3_bind_int64(s, 6, h->wajib_arrears);
	sqlite3_bind_int64(s, 7, h->sukarela);
	sqlite3_bind_int(s, 8, h->month);
	sqlite3_bind_int64(s, 9, h->seq);
	sqlite3_bind_int64(s, 10, h->credit_limit);
	sqlite3_bind_int64(s, 11, h->credit_balance);
	enum cm_rc rc = store_step_done(st, s, _("saving a member"));
	if (rc == CM_OK && (s = store_stmt(st, clear)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
		rc = store_step_done(st, s, _("saving a member"));
	}
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		if (!(s = store_stmt(st, ins)))
			return CM_IO;
		sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, owed[i].month);
		sqlite3_bind_int64(s, 3, owed[i].amount);
		rc = store_step_done(st, s, _("saving a member"));
	}
	return rc;
}

enum cm_rc store_dues_rates_put(struct store *st, const struct dues_rate *r, size_t n,
                                int32_t inactive_after)
{
	static const char clear[] = "DELETE FROM dues_rates";
	static const char ins[] =
		"INSERT INTO dues_rates(type, kind, from_month, amount) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *s = store_stmt(st, clear);
	if (!s)
		return CM_IO;
	enum cm_rc rc = store_step_done(st, s, _("saving the dues rates"));
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		if (!(s = store_stmt(st, ins)))
			return CM_IO;
		sqlite3_bind_text(s, 1, r[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, r[i].kind);
		sqlite3_bind_int(s, 3, r[i].from);
		sqlite3_bind_int64(s, 4, r[i].amount);
		rc = store_step_done(st, s, _("saving the dues rates"));
	}
	if (rc == CM_OK)
		rc = store_dues_inactive_after_set(st, inactive_after);
	return rc;
}

enum cm_rc store_member_credit_since(struct store *st, int64_t member_id, int64_t after_seq,
                                     cm_money *out)
{
	/* Credit tenders of this terminal's sales to the member, less credit
	 * paid back by its returns of them, above after_seq. */
	static const char sql[] =
		"SELECT (SELECT COALESCE(sum(t.amount), 0) FROM sale_tenders t "
		"        JOIN sales s ON s.id = t.sale_id "
		"        WHERE t.kind = 3 AND s.member_id = ?1 AND s.journal_seq > ?2 "
		"          AND s.terminal_id = ?3) "
		"     - (SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t "
		"        JOIN returns r ON r.id = t.return_id JOIN sales s ON s.id = r.sale_id "
		"        WHERE t.kind = 3 AND s.member_id = ?1 AND r.journal_seq > ?2 "
		"          AND r.terminal_id = ?3)";
	*out = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, member_id);
	sqlite3_bind_int64(s, 2, after_seq);
	sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("reading a member's credit"));
}
