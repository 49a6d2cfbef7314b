/* Shifts, cash movements and Z reports (schema 005_shifts.sql). */
#include "store/store_int.h"
#include "store/store_dues.h"

#include <stdio.h>
#include <string.h>

#define SHIFT_COLS "id, opened_by, opened_at, open_seq, float, closed_at IS NULL, " \
	"COALESCE(closed_by, 0), COALESCE(approved_by, 0), COALESCE(closed_at, 0), " \
	"COALESCE(close_seq, 0), COALESCE(expected, 0), COALESCE(counted, 0)"

static void shift_from_row(sqlite3_stmt *s, struct shift_rec *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->opened_by = sqlite3_column_int64(s, 1);
	r->opened_at = sqlite3_column_int64(s, 2);
	r->open_seq = sqlite3_column_int64(s, 3);
	r->float_amount = sqlite3_column_int64(s, 4);
	r->open = sqlite3_column_int(s, 5) != 0;
	r->closed_by = sqlite3_column_int64(s, 6);
	r->approved_by = sqlite3_column_int64(s, 7);
	r->closed_at = sqlite3_column_int64(s, 8);
	r->close_seq = sqlite3_column_int64(s, 9);
	r->expected = sqlite3_column_int64(s, 10);
	r->counted = sqlite3_column_int64(s, 11);
}

static enum cm_rc one_shift(struct store *st, const char *sql, int64_t id, struct shift_rec *out)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		shift_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking up the shift"));
}

enum cm_rc store_shift_current(struct store *st, struct shift_rec *out)
{
	static const char sql[] = "SELECT " SHIFT_COLS " FROM shifts "
		"WHERE terminal_id = ?1 AND closed_at IS NULL AND ?2 = 0";
	return one_shift(st, sql, 0, out);
}

enum cm_rc store_shift_by_id(struct store *st, int64_t id, struct shift_rec *out)
{
	static const char sql[] = "SELECT " SHIFT_COLS " FROM shifts "
		"WHERE terminal_id = ?1 AND id = ?2";
	enum cm_rc rc = one_shift(st, sql, id, out);
	if (rc == CM_NOTFOUND)
		store_seterr(st, _("no shift %lld on this terminal"), (long long)id);
	return rc;
}

enum cm_rc store_shift_insert(struct store *st, const struct shift_rec *r, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO shifts(terminal_id, opened_by, opened_at, open_seq, float) "
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, r->opened_by);
	sqlite3_bind_int64(s, 3, r->opened_at);
	sqlite3_bind_int64(s, 4, r->open_seq);
	sqlite3_bind_int64(s, 5, r->float_amount);
	enum cm_rc rc = store_step_done(st, s, _("opening the shift"));
	if (rc == CM_CONFLICT)
		store_seterr(st, "%s", _("a shift is already open on this terminal"));
	if (rc == CM_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum cm_rc store_shift_close(struct store *st, const struct shift_rec *r,
                             const int64_t pieces[CASH_DENOMS])
{
	static const char count_sql[] =
		"INSERT INTO shift_counts(shift_id, denom, pieces) VALUES (?1, ?2, ?3)";
	static const char close_sql[] =
		"UPDATE shifts SET closed_by = ?2, approved_by = ?3, closed_at = ?4, close_seq = ?5, "
		"expected = ?6, counted = ?7 WHERE id = ?1 AND closed_at IS NULL";
	enum cm_rc rc = CM_OK;
	for (int i = 0; rc == CM_OK && i < CASH_DENOMS; i++) {
		sqlite3_stmt *s = store_stmt(st, count_sql);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, r->id);
		sqlite3_bind_int64(s, 2, cash_denoms[i]);
		sqlite3_bind_int64(s, 3, pieces[i]);
		rc = store_step_done(st, s, _("closing the shift"));
	}
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, close_sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->closed_by);
	if (r->approved_by)
		sqlite3_bind_int64(s, 3, r->approved_by);
	sqlite3_bind_int64(s, 4, r->closed_at);
	sqlite3_bind_int64(s, 5, r->close_seq);
	sqlite3_bind_int64(s, 6, r->expected);
	sqlite3_bind_int64(s, 7, r->counted);
	if ((rc = store_step_done(st, s, _("closing the shift"))) != CM_OK)
		return rc;
	if (sqlite3_changes(st->db) != 1) {
		store_seterr(st, "%s", _("the shift is closed already"));
		return CM_STATE;
	}
	return CM_OK;
}

enum cm_rc store_shift_pieces(struct store *st, int64_t shift_id, int64_t pieces[CASH_DENOMS])
{
	static const char sql[] = "SELECT denom, pieces FROM shift_counts WHERE shift_id = ?1";
	memset(pieces, 0, CASH_DENOMS * sizeof *pieces);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, shift_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cm_money d = sqlite3_column_int64(s, 0);
		for (int i = 0; i < CASH_DENOMS; i++)
			if (cash_denoms[i] == d)
				pieces[i] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("looking up the shift"));
}

enum cm_rc store_cash_move_insert(struct store *st, int64_t shift_id, int dir, cm_money amount,
                                  const char *reason, int64_t user_id, int64_t approved_by,
                                  int64_t at, int64_t journal_seq)
{
	static const char sql[] =
		"INSERT INTO cash_moves(shift_id, dir, amount, reason, user_id, approved_by, at, "
		"journal_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, shift_id);
	sqlite3_bind_int(s, 2, dir);
	sqlite3_bind_int64(s, 3, amount);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, user_id);
	if (approved_by)
		sqlite3_bind_int64(s, 6, approved_by);
	sqlite3_bind_int64(s, 7, at);
	sqlite3_bind_int64(s, 8, journal_seq);
	return store_step_done(st, s, _("saving the cash movement"));
}

/* The one place that adds up a drawer: ?1/?2 bound the shift's journal
 * range (?2 = 0 while it is open), ?3 is the shift. */
enum cm_rc store_shift_cash(struct store *st, const struct shift_rec *r, struct shift_cash *out)
{
	static const char sql[] =
		"SELECT "
		"(SELECT count(*) FROM sales WHERE journal_seq > ?1 AND (?2 = 0 OR journal_seq < ?2)), "
		"(SELECT COALESCE(sum(t.amount), 0) FROM sale_tenders t JOIN sales s ON s.id = t.sale_id "
		"  WHERE t.kind = 0 AND s.journal_seq > ?1 AND (?2 = 0 OR s.journal_seq < ?2)), "
		"(SELECT COALESCE(sum(change), 0) FROM sales "
		"  WHERE journal_seq > ?1 AND (?2 = 0 OR journal_seq < ?2)), "
		"(SELECT COALESCE(sum(amount), 0) FROM cash_moves WHERE shift_id = ?3 AND dir = 1), "
		"(SELECT COALESCE(sum(amount), 0) FROM cash_moves WHERE shift_id = ?3 AND dir = -1), "
		/* cash paid out by returns in the shift's range;
		 * cashcount_expected() subtracts shift_cash.cash_refunds. */
		"(SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t JOIN returns r ON r.id = t.return_id "
		"  WHERE t.kind = 0 AND r.journal_seq > ?1 AND (?2 = 0 OR r.journal_seq < ?2))";
	memset(out, 0, sizeof *out);
	out->float_amount = r->float_amount;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, r->open_seq);
	sqlite3_bind_int64(s, 2, r->open ? 0 : r->close_seq);
	sqlite3_bind_int64(s, 3, r->id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->sales = sqlite3_column_int64(s, 0);
		out->cash_tendered = sqlite3_column_int64(s, 1);
		out->change = sqlite3_column_int64(s, 2);
		out->cash_in = sqlite3_column_int64(s, 3);
		out->cash_out = sqlite3_column_int64(s, 4);
		out->cash_refunds = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("adding up the drawer"));
}

enum cm_rc store_shift_each(struct store *st, store_shift_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " SHIFT_COLS " FROM shifts "
		"WHERE terminal_id = ?1 ORDER BY id";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct shift_rec r;
		shift_from_row(s, &r);
		fn(&r, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing shifts"));
}

/* ---- Z reports ---- */

enum cm_rc store_z_last(struct store *st, int64_t *z_no, cm_money *grand, int64_t *seq)
{
	static const char sql[] = "SELECT z_no, grand_total, journal_seq FROM z_reports "
		"WHERE terminal_id = ?1 ORDER BY z_no DESC LIMIT 1";
	*z_no = *grand = *seq = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*z_no = sqlite3_column_int64(s, 0);
		*grand = sqlite3_column_int64(s, 1);
		*seq = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
		: store_fail(st, rc, _("reading the last Z report"));
}

#define IN_RANGE(col) " " col " > ?1 AND (?2 = 0 OR " col " <= ?2)"

static enum cm_rc figures_sales(struct store *st, int64_t from, int64_t to, struct xz_figures *f)
{
	static const char sql[] =
		"SELECT count(*), COALESCE(sum(gross), 0), "
		"COALESCE(sum(line_discounts + ticket_discount), 0), COALESCE(sum(total), 0), "
		"COALESCE(sum(rounding), 0), COALESCE(sum(change), 0), "
		"(SELECT COALESCE(sum(x.tax), 0) FROM sale_taxes x JOIN sales s ON s.id = x.sale_id "
		"  WHERE" IN_RANGE("s.journal_seq") "), "
		"(SELECT count(*) FROM cash_moves WHERE dir = 1 AND" IN_RANGE("journal_seq") "), "
		"(SELECT COALESCE(sum(amount), 0) FROM cash_moves WHERE dir = 1 AND" IN_RANGE("journal_seq") "), "
		"(SELECT count(*) FROM cash_moves WHERE dir = -1 AND" IN_RANGE("journal_seq") "), "
		"(SELECT COALESCE(sum(amount), 0) FROM cash_moves WHERE dir = -1 AND" IN_RANGE("journal_seq") "), "
		"(SELECT count(*) FROM shifts WHERE" IN_RANGE("close_seq") "), "
		"(SELECT COALESCE(sum(expected), 0) FROM shifts WHERE" IN_RANGE("close_seq") "), "
		"(SELECT COALESCE(sum(counted), 0) FROM shifts WHERE" IN_RANGE("close_seq") "), "
		"(SELECT count(*) FROM journal WHERE terminal_id = ?3 AND type = 'ticket_aborted' AND"
		IN_RANGE("seq") "), "
		"(SELECT count(*) FROM journal WHERE terminal_id = ?3 AND type = 'line_voided' AND"
		IN_RANGE("seq") "), "
		/* refunds of the range (all tenders); net sales subtract them */
		"(SELECT COALESCE(sum(refund), 0) FROM returns WHERE" IN_RANGE("journal_seq") ") "
		"FROM sales WHERE" IN_RANGE("journal_seq");
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int i = 0;
		f->sales = sqlite3_column_int64(s, i++);
		f->gross = sqlite3_column_int64(s, i++);
		f->discounts = sqlite3_column_int64(s, i++);
		f->total = sqlite3_column_int64(s, i++);
		f->rounding = sqlite3_column_int64(s, i++);
		f->change = sqlite3_column_int64(s, i++);
		f->tax = sqlite3_column_int64(s, i++);
		f->cash_in_count = sqlite3_column_int64(s, i++);
		f->cash_in = sqlite3_column_int64(s, i++);
		f->cash_out_count = sqlite3_column_int64(s, i++);
		f->cash_out = sqlite3_column_int64(s, i++);
		f->shifts_closed = sqlite3_column_int64(s, i++);
		f->expected = sqlite3_column_int64(s, i++);
		f->counted = sqlite3_column_int64(s, i++);
		f->aborted_tickets = sqlite3_column_int64(s, i++);
		f->voided_lines = sqlite3_column_int64(s, i++);
		f->refunds = sqlite3_column_int64(s, i++);
		f->net_sales = f->total - f->refunds;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("building the report"));
}

static enum cm_rc figures_tenders(struct store *st, int64_t from, int64_t to, struct xz_figures *f)
{
	static const char sql[] =
		"SELECT t.kind, sum(t.amount) FROM sale_tenders t JOIN sales s ON s.id = t.sale_id "
		"WHERE" IN_RANGE("s.journal_seq") " GROUP BY t.kind";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k >= 0 && k < TENDER_KIND_COUNT)
			f->tendered[k] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("building the report"));
}

enum cm_rc store_xz_figures(struct store *st, int64_t from_seq, int64_t to_seq,
                            struct xz_figures *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = figures_sales(st, from_seq, to_seq, out);
	if (rc == CM_OK)
		rc = figures_tenders(st, from_seq, to_seq, out);
	struct dues_totals d;
	if (rc == CM_OK && (rc = store_dues_totals_seq(st, from_seq, to_seq, &d)) == CM_OK) {
		for (int k = 0; k < DUES_KIND_COUNT; k++) {
			out->dues_count[k] = d.count[k];
			out->dues[k] = d.amount[k];
		}
		out->dues_members = d.members;
	}
	return rc;
}

enum cm_rc store_z_insert(struct store *st, int64_t z_no, int64_t at, int64_t user_id,
                          int64_t from_seq, int64_t journal_seq, const struct xz_figures *f,
                          cm_money grand_total)
{
	static const char sql[] =
		"INSERT INTO z_reports(terminal_id, z_no, at, user_id, from_seq, journal_seq, sales, "
		"net_sales, grand_total) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, z_no);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_int64(s, 4, user_id);
	sqlite3_bind_int64(s, 5, from_seq);
	sqlite3_bind_int64(s, 6, journal_seq);
	sqlite3_bind_int64(s, 7, f->sales);
	sqlite3_bind_int64(s, 8, f->net_sales);
	sqlite3_bind_int64(s, 9, grand_total);
	return store_step_done(st, s, _("saving the Z report"));
}

/* ---- verification ---- */

/* Every shift, cash movement and Z report row against its journal event:
 * an edit of these tables behind the triggers' back shows like an edit of
 * the journal. Columns: the journal seq, what (0 shift, 1 cash movement,
 * 2 Z report) and its number. */
enum cm_rc store_shift_verify(struct store *st, struct journal_check *c)
{
	static const char sql[] =
		"SELECT seq, what, n FROM ("
		"SELECT h.open_seq AS seq, 0 AS what, h.id AS n FROM shifts h "
		"LEFT JOIN journal j ON j.terminal_id = h.terminal_id AND j.seq = h.open_seq "
		"WHERE j.seq IS NULL OR j.type <> 'shift_opened' "
		"   OR json_extract(j.payload, '$.float') IS NOT h.float "
		"UNION ALL "
		"SELECT h.close_seq, 0, h.id FROM shifts h "
		"LEFT JOIN journal j ON j.terminal_id = h.terminal_id AND j.seq = h.close_seq "
		"WHERE h.closed_at IS NOT NULL AND (j.seq IS NULL OR j.type <> 'shift_closed' "
		"   OR json_extract(j.payload, '$.shift') IS NOT h.id "
		"   OR json_extract(j.payload, '$.expected') IS NOT h.expected "
		"   OR json_extract(j.payload, '$.counted') IS NOT h.counted "
		"   OR (SELECT COALESCE(sum(denom * pieces), 0) FROM shift_counts WHERE shift_id = h.id) "
		"      IS NOT h.counted) "
		"UNION ALL "
		"SELECT m.journal_seq, 1, m.id FROM cash_moves m "
		"LEFT JOIN journal j ON j.terminal_id = ?1 AND j.seq = m.journal_seq "
		"WHERE j.seq IS NULL OR j.type IS NOT (CASE m.dir WHEN 1 THEN 'cash_in' ELSE 'cash_out' END) "
		"   OR json_extract(j.payload, '$.shift') IS NOT m.shift_id "
		"   OR json_extract(j.payload, '$.amount') IS NOT m.amount "
		"   OR json_extract(j.payload, '$.reason') IS NOT m.reason "
		"UNION ALL "
		"SELECT z.journal_seq, 2, z.z_no FROM z_reports z "
		"LEFT JOIN journal j ON j.terminal_id = z.terminal_id AND j.seq = z.journal_seq "
		"WHERE j.seq IS NULL OR j.type <> 'z_report' "
		"   OR json_extract(j.payload, '$.z') IS NOT z.z_no "
		"   OR json_extract(j.payload, '$.from_seq') IS NOT z.from_seq "
		"   OR json_extract(j.payload, '$.sales') IS NOT z.sales "
		"   OR json_extract(j.payload, '$.net_sales') IS NOT z.net_sales "
		"   OR json_extract(j.payload, '$.grand_total') IS NOT z.grand_total"
		") ORDER BY seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		long long n = sqlite3_column_int64(s, 2);
		int what = sqlite3_column_int(s, 1);
		c->bad_seq = sqlite3_column_int64(s, 0);
		if (what == 0)
			snprintf(c->why, sizeof c->why, _("shift %lld does not match its journal event"), n);
		else if (what == 1)
			snprintf(c->why, sizeof c->why, _("cash movement %lld does not match its journal event"), n);
		else
			snprintf(c->why, sizeof c->why, _("Z report %lld does not match its journal event"), n);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking shifts"));
}
