/* Returns: recording, the already-returned guard, loading and listing. */
#include "store/store_int.h"
#include "store/store_returns.h"

#include <stdlib.h>
#include <string.h>

enum cm_rc store_return_next_id(struct store *st, int64_t *id)
{
	static const char sql[] = "SELECT COALESCE(max(id), 0) + 1 FROM returns";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("numbering the return"));
}

static enum cm_rc one_int(struct store *st, sqlite3_stmt *s, int64_t *out, const char *doing)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, doing);
}

enum cm_rc store_returned_qty(struct store *st, int64_t sale_id, int32_t line_no, cm_qty *out)
{
	static const char sql[] =
		"SELECT COALESCE(sum(l.qty), 0) FROM return_lines l "
		"JOIN returns r ON r.id = l.return_id WHERE r.sale_id = ?1 AND l.sale_line = ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, sale_id);
	sqlite3_bind_int(s, 2, line_no);
	return one_int(st, s, out, _("reading earlier returns"));
}

enum cm_rc store_refunded(struct store *st, int64_t sale_id, enum tender_kind kind,
                          const char *ref, cm_money *out)
{
	static const char sql[] =
		"SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t "
		"JOIN returns r ON r.id = t.return_id "
		"WHERE r.sale_id = ?1 AND t.kind = ?2 AND t.ref = ?3";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, sale_id);
	sqlite3_bind_int(s, 2, kind);
	sqlite3_bind_text(s, 3, ref, -1, SQLITE_STATIC);
	return one_int(st, s, out, _("reading earlier returns"));
}

static enum cm_rc insert_header(struct store *st, const struct return_rec *r)
{
	static const char sql[] =
		"INSERT INTO returns(id, return_no, terminal_id, sale_id, cashier_id, approver_id, "
		"reason, at, business_date, total, rounding, refund, journal_seq) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_text(s, 2, r->return_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	if (r->sale_id)
		sqlite3_bind_int64(s, 4, r->sale_id);
	sqlite3_bind_int64(s, 5, r->cashier_id);
	sqlite3_bind_int64(s, 6, r->approver_id);
	sqlite3_bind_text(s, 7, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, r->at);
	sqlite3_bind_int(s, 9, r->business_date);
	sqlite3_bind_int64(s, 10, r->total);
	sqlite3_bind_int64(s, 11, r->rounding);
	sqlite3_bind_int64(s, 12, r->refund);
	sqlite3_bind_int64(s, 13, r->journal_seq);
	return store_step_done(st, s, _("saving the return"));
}

static enum cm_rc insert_line(struct store *st, int64_t return_id, const struct return_line_rec *l)
{
	static const char sql[] =
		"INSERT INTO return_lines(return_id, n, sale_line, item_id, sku, name, receipt_name, "
		"unit, weighed, tax_class, unit_price, qty, amount, damaged) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, return_id);
	sqlite3_bind_int(s, 2, l->n);
	if (l->sale_line)
		sqlite3_bind_int(s, 3, l->sale_line);
	sqlite3_bind_int64(s, 4, l->item_id);
	sqlite3_bind_text(s, 5, l->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, l->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, l->receipt_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, l->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, l->weighed);
	sqlite3_bind_int(s, 10, l->tax);
	sqlite3_bind_int64(s, 11, l->unit_price);
	sqlite3_bind_int64(s, 12, l->qty);
	sqlite3_bind_int64(s, 13, l->amount);
	sqlite3_bind_int(s, 14, l->damaged);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CM_OK;
	if ((rc & 0xff) == SQLITE_CONSTRAINT &&
	    strstr(sqlite3_errmsg(st->db), "return exceeds what was sold")) {
		store_seterr(st, _("line %d: that is more than is left to return"), l->sale_line);
		return CM_CONFLICT;
	}
	return store_fail(st, rc, _("saving the return"));
}

static enum cm_rc insert_movements(struct store *st, const struct return_rec *r,
                                   const struct return_line_rec *l)
{
	enum cm_rc rc = store_stock_move(st, l->item_id, l->qty, "return", r->return_no,
	                                 r->journal_seq, r->at);
	if (rc == CM_OK && l->damaged)
		rc = store_stock_move(st, l->item_id, -l->qty, "damaged", r->return_no,
		                      r->journal_seq, r->at);
	return rc;
}

static enum cm_rc insert_taxes(struct store *st, const struct return_rec *r)
{
	static const char sql[] =
		"INSERT INTO return_taxes(return_id, class, total, tax) VALUES (?1, ?2, ?3, ?4)";
	for (int c = 0; c < TAX_CLASS_COUNT; c++) {
		if (!r->class_total[c])
			continue;
		sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, r->id);
		sqlite3_bind_int(s, 2, c);
		sqlite3_bind_int64(s, 3, r->class_total[c]);
		sqlite3_bind_int64(s, 4, r->class_tax[c]);
		enum cm_rc rc = store_step_done(st, s, _("saving the return"));
		if (rc != CM_OK)
			return rc;
	}
	return CM_OK;
}

static enum cm_rc insert_tender(struct store *st, int64_t return_id, int n,
                                const struct tender_rec *t)
{
	static const char sql[] =
		"INSERT INTO return_tenders(return_id, n, kind, amount, ref) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, return_id);
	sqlite3_bind_int(s, 2, n);
	sqlite3_bind_int(s, 3, t->kind);
	sqlite3_bind_int64(s, 4, t->amount);
	sqlite3_bind_text(s, 5, t->ref, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("saving the return"));
}

enum cm_rc store_return_insert(struct store *st, const struct return_rec *r,
                               const struct return_line_rec *lines, size_t nlines,
                               const struct tender_rec *tenders, size_t ntenders)
{
	enum cm_rc rc = insert_header(st, r);
	for (size_t i = 0; rc == CM_OK && i < nlines; i++) {
		rc = insert_line(st, r->id, &lines[i]);
		if (rc == CM_OK)
			rc = insert_movements(st, r, &lines[i]);
	}
	if (rc == CM_OK)
		rc = insert_taxes(st, r);
	for (size_t i = 0; rc == CM_OK && i < ntenders; i++)
		rc = insert_tender(st, r->id, (int)i + 1, &tenders[i]);
	return rc;
}

#define RETURN_COLS "r.id, r.return_no, COALESCE(r.sale_id, 0), COALESCE(s.receipt_no, ''), " \
	"r.cashier_id, r.approver_id, r.reason, r.at, r.business_date, r.total, r.rounding, " \
	"r.refund, r.journal_seq"
#define RETURN_FROM " FROM returns r LEFT JOIN sales s ON s.id = r.sale_id "

static void header_from_row(sqlite3_stmt *s, struct return_rec *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r->return_no, sizeof r->return_no);
	r->sale_id = sqlite3_column_int64(s, 2);
	store_col_text(s, 3, r->sale_receipt, sizeof r->sale_receipt);
	r->cashier_id = sqlite3_column_int64(s, 4);
	r->approver_id = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, r->reason, sizeof r->reason);
	r->at = sqlite3_column_int64(s, 7);
	r->business_date = sqlite3_column_int(s, 8);
	r->total = sqlite3_column_int64(s, 9);
	r->rounding = sqlite3_column_int64(s, 10);
	r->refund = sqlite3_column_int64(s, 11);
	r->journal_seq = sqlite3_column_int64(s, 12);
}

static enum cm_rc find_header(struct store *st, int64_t id, const char *return_no,
                              struct return_rec *r)
{
	static const char by_id[] = "SELECT " RETURN_COLS RETURN_FROM "WHERE r.id = ?1";
	static const char by_no[] = "SELECT " RETURN_COLS RETURN_FROM "WHERE r.return_no = ?1";
	sqlite3_stmt *s = store_stmt(st, return_no ? by_no : by_id);
	if (!s)
		return CM_IO;
	if (return_no)
		sqlite3_bind_text(s, 1, return_no, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		header_from_row(s, r);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		if (return_no)
			store_seterr(st, _("no return with number %s"), return_no);
		else
			store_seterr(st, _("no return with id %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("loading the return"));
}

static enum cm_rc load_taxes(struct store *st, struct return_rec *r)
{
	static const char sql[] = "SELECT class, total, tax FROM return_taxes WHERE return_id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, r->id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int c = sqlite3_column_int(s, 0);
		if (c < 0 || c >= TAX_CLASS_COUNT)
			continue;
		r->class_total[c] = sqlite3_column_int64(s, 1);
		r->class_tax[c] = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("loading the return"));
}

static void fill_line(sqlite3_stmt *s, void *elem)
{
	struct return_line_rec *l = elem;
	l->n = sqlite3_column_int(s, 0);
	l->sale_line = sqlite3_column_int(s, 1);
	l->item_id = sqlite3_column_int64(s, 2);
	store_col_text(s, 3, l->sku, sizeof l->sku);
	store_col_text(s, 4, l->name, sizeof l->name);
	store_col_text(s, 5, l->receipt_name, sizeof l->receipt_name);
	store_col_text(s, 6, l->unit, sizeof l->unit);
	l->weighed = sqlite3_column_int(s, 7) != 0;
	l->tax = (enum tax_class)sqlite3_column_int(s, 8);
	l->unit_price = sqlite3_column_int64(s, 9);
	l->qty = sqlite3_column_int64(s, 10);
	l->amount = sqlite3_column_int64(s, 11);
	l->damaged = sqlite3_column_int(s, 12) != 0;
}

static enum cm_rc load_lines(struct store *st, int64_t id, struct return_line_rec **out, size_t *n)
{
	static const char sql[] =
		"SELECT n, COALESCE(sale_line, 0), item_id, sku, name, receipt_name, unit, weighed, "
		"tax_class, unit_price, qty, amount, damaged FROM return_lines "
		"WHERE return_id = ?1 ORDER BY n";
	return store_rows(st, sql, id, out, n, sizeof **out, fill_line, _("loading the return"));
}

enum cm_rc store_return_load(struct store *st, int64_t id, const char *return_no,
                             struct return_rec *r,
                             struct return_line_rec **lines, size_t *nlines,
                             struct tender_rec **tenders, size_t *ntenders)
{
	static const char tsql[] =
		"SELECT kind, amount, ref FROM return_tenders WHERE return_id = ?1 ORDER BY n";
	*lines = NULL;
	*tenders = NULL;
	*nlines = *ntenders = 0;
	enum cm_rc rc = find_header(st, id, return_no, r);
	if (rc == CM_OK)
		rc = load_taxes(st, r);
	if (rc == CM_OK)
		rc = load_lines(st, r->id, lines, nlines);
	if (rc == CM_OK)
		rc = store_load_tenders(st, tsql, r->id, tenders, ntenders);
	if (rc != CM_OK) {
		free(*lines);
		free(*tenders);
		*lines = NULL;
		*tenders = NULL;
		*nlines = *ntenders = 0;
	}
	return rc;
}

enum cm_rc store_return_each(struct store *st, int64_t sale_id, int32_t from, int32_t to,
                             store_return_fn fn, void *ctx)
{
	static const char by_sale[] = "SELECT " RETURN_COLS RETURN_FROM
		"WHERE r.sale_id = ?1 ORDER BY r.id";
	static const char by_date[] = "SELECT " RETURN_COLS RETURN_FROM
		"WHERE r.business_date BETWEEN ?2 AND ?3 ORDER BY r.id";
	sqlite3_stmt *s = store_stmt(st, sale_id ? by_sale : by_date);
	if (!s)
		return CM_IO;
	if (sale_id) {
		sqlite3_bind_int64(s, 1, sale_id);
	} else {
		sqlite3_bind_int(s, 2, from);
		sqlite3_bind_int(s, 3, to);
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct return_rec r;
		header_from_row(s, &r);
		fn(&r, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing returns"));
}

enum cm_rc store_return_cash_between(struct store *st, int64_t after_seq, int64_t upto_seq,
                                     cm_money *out)
{
	static const char sql[] =
		"SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t "
		"JOIN returns r ON r.id = t.return_id "
		"WHERE t.kind = 0 AND r.journal_seq > ?1 AND (?2 = 0 OR r.journal_seq <= ?2)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, after_seq);
	sqlite3_bind_int64(s, 2, upto_seq);
	return one_int(st, s, out, _("reading refunds"));
}
