/* Completed sales: recording, loading, listing and the day report. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum cm_rc store_sale_next_id(struct store *st, int64_t *id)
{
	static const char sql[] = "SELECT COALESCE(max(id), 0) + 1 FROM sales";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("numbering the sale"));
}

static enum cm_rc insert_header(struct store *st, const struct sale_header *h)
{
	static const char sql[] =
		"INSERT INTO sales(id, receipt_no, terminal_id, cashier_id, member_id, opened_at, "
		"completed_at, business_date, gross, line_discounts, ticket_discount, total, "
		"rounding, due, paid, change, journal_seq, dues) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	const struct sale_totals *t = &h->totals;
	sqlite3_bind_int64(s, 1, h->id);
	sqlite3_bind_text(s, 2, h->receipt_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, h->cashier_id);
	if (h->member_id)
		sqlite3_bind_int64(s, 5, h->member_id);
	sqlite3_bind_int64(s, 6, h->opened_at);
	sqlite3_bind_int64(s, 7, h->completed_at);
	sqlite3_bind_int(s, 8, h->business_date);
	sqlite3_bind_int64(s, 9, t->gross);
	sqlite3_bind_int64(s, 10, t->line_discounts);
	sqlite3_bind_int64(s, 11, t->ticket_discount);
	sqlite3_bind_int64(s, 12, t->total);
	sqlite3_bind_int64(s, 13, t->rounding);
	sqlite3_bind_int64(s, 14, t->due);
	sqlite3_bind_int64(s, 15, t->paid);
	sqlite3_bind_int64(s, 16, t->change);
	sqlite3_bind_int64(s, 17, h->journal_seq);
	sqlite3_bind_int64(s, 18, t->dues);
	return store_step_done(st, s, _("saving the sale"));
}

static enum cm_rc insert_taxes(struct store *st, const struct sale_header *h)
{
	static const char sql[] =
		"INSERT INTO sale_taxes(sale_id, class, total, tax, rate_bp, base_num, base_den) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	for (int c = 0; c < TAX_CLASS_COUNT; c++) {
		if (h->totals.class_total[c] == 0)
			continue;
		sqlite3_stmt *s = store_stmt(st, sql);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, h->id);
		sqlite3_bind_int(s, 2, c);
		sqlite3_bind_int64(s, 3, h->totals.class_total[c]);
		sqlite3_bind_int64(s, 4, h->totals.class_tax[c]);
		sqlite3_bind_int(s, 5, h->rates[c].rate_bp);
		sqlite3_bind_int(s, 6, h->rates[c].base_num ? h->rates[c].base_num : 1);
		sqlite3_bind_int(s, 7, h->rates[c].base_den ? h->rates[c].base_den : 1);
		enum cm_rc rc = store_step_done(st, s, _("saving the sale"));
		if (rc != CM_OK)
			return rc;
	}
	return CM_OK;
}

static enum cm_rc insert_line(struct store *st, int64_t sale_id, const struct line_rec *l,
                              const struct sale_line_amounts *a)
{
	static const char sql[] =
		"INSERT INTO sale_lines(sale_id, " LINE_COLS ", "
		"amount, line_discount, ticket_discount, net) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
		"?16, ?17, ?18, ?19, ?20, ?21, ?22)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, sale_id);
	store_bind_line(s, 2, l);
	sqlite3_bind_int64(s, 19, a->amount);
	sqlite3_bind_int64(s, 20, a->line_discount);
	sqlite3_bind_int64(s, 21, a->ticket_discount);
	sqlite3_bind_int64(s, 22, a->net);
	return store_step_done(st, s, _("saving the sale"));
}

static enum cm_rc insert_movement(struct store *st, const struct sale_header *h,
                                  const struct line_rec *l)
{
	static const char sql[] =
		"INSERT INTO stock_movements(item_id, qty, kind, ref, journal_seq, at) "
		"VALUES (?1, ?2, 'sale', ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, l->item_id);
	sqlite3_bind_int64(s, 2, -l->qty);
	sqlite3_bind_text(s, 3, h->receipt_no, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, h->journal_seq);
	sqlite3_bind_int64(s, 5, h->completed_at);
	return store_step_done(st, s, _("saving stock movements"));
}

static enum cm_rc insert_tender(struct store *st, int64_t sale_id, int n,
                                const struct tender_rec *t)
{
	static const char sql[] =
		"INSERT INTO sale_tenders(sale_id, n, kind, amount, ref) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, sale_id);
	sqlite3_bind_int(s, 2, n);
	sqlite3_bind_int(s, 3, t->kind);
	sqlite3_bind_int64(s, 4, t->amount);
	sqlite3_bind_text(s, 5, t->ref, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("saving the sale"));
}

enum cm_rc store_sale_insert(struct store *st, const struct sale_header *h,
                             const struct line_rec *lines,
                             const struct sale_line_amounts *amounts, size_t nlines,
                             const struct tender_rec *tenders, size_t ntenders)
{
	enum cm_rc rc = insert_header(st, h);
	if (rc == CM_OK)
		rc = insert_taxes(st, h);
	for (size_t i = 0; rc == CM_OK && i < nlines; i++) {
		rc = insert_line(st, h->id, &lines[i], &amounts[i]);
		if (rc == CM_OK && !lines[i].voided)
			rc = insert_movement(st, h, &lines[i]);
	}
	for (size_t i = 0; rc == CM_OK && i < ntenders; i++)
		rc = insert_tender(st, h->id, (int)i + 1, &tenders[i]);
	return rc;
}

#define SALE_COLS "id, receipt_no, cashier_id, COALESCE(member_id, 0), opened_at, " \
	"completed_at, business_date, journal_seq, gross, line_discounts, ticket_discount, " \
	"total, rounding, due, paid, change, dues"

/* The heading rows of sales and of returns: same columns, own tables. */
static const char *const head_put_sql[2] = {
	"INSERT INTO sale_receipt_heads(sale_id, store_name, address, npwp, pkp, terminal, "
	"footer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	"INSERT INTO return_receipt_heads(return_id, store_name, address, npwp, pkp, terminal, "
	"footer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};
static const char *const head_get_sql[2] = {
	"SELECT store_name, address, npwp, pkp, terminal, footer FROM sale_receipt_heads "
	"WHERE sale_id = ?1",
	"SELECT store_name, address, npwp, pkp, terminal, footer FROM return_receipt_heads "
	"WHERE return_id = ?1",
};

static enum cm_rc head_put(struct store *st, int which, int64_t id, const struct receipt_head *h)
{
	sqlite3_stmt *s = store_stmt(st, head_put_sql[which]);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, h->store_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, h->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, h->npwp, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, h->pkp);
	sqlite3_bind_text(s, 6, h->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, h->footer, -1, SQLITE_STATIC);
	return store_step_done(st, s, which ? _("saving the return") : _("saving the sale"));
}

static enum cm_rc head_get(struct store *st, int which, int64_t id, struct receipt_head *out)
{
	sqlite3_stmt *s = store_stmt(st, head_get_sql[which]);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->store_name, sizeof out->store_name);
		store_col_text(s, 1, out->address, sizeof out->address);
		store_col_text(s, 2, out->npwp, sizeof out->npwp);
		out->pkp = sqlite3_column_int(s, 3) != 0;
		store_col_text(s, 4, out->terminal, sizeof out->terminal);
		store_col_text(s, 5, out->footer, sizeof out->footer);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CM_NOTFOUND;
	return rc == SQLITE_ROW ? CM_OK
	     : store_fail(st, rc, which ? _("loading the return") : _("loading the sale"));
}

enum cm_rc store_sale_head_put(struct store *st, int64_t sale_id, const struct receipt_head *h)
{
	return head_put(st, 0, sale_id, h);
}

enum cm_rc store_sale_head_get(struct store *st, int64_t sale_id, struct receipt_head *out)
{
	return head_get(st, 0, sale_id, out);
}

enum cm_rc store_return_head_put(struct store *st, int64_t return_id, const struct receipt_head *h)
{
	return head_put(st, 1, return_id, h);
}

enum cm_rc store_return_head_get(struct store *st, int64_t return_id, struct receipt_head *out)
{
	return head_get(st, 1, return_id, out);
}

static void header_from_row(sqlite3_stmt *s, struct sale_header *h)
{
	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, h->receipt_no, sizeof h->receipt_no);
	h->cashier_id = sqlite3_column_int64(s, 2);
	h->member_id = sqlite3_column_int64(s, 3);
	h->opened_at = sqlite3_column_int64(s, 4);
	h->completed_at = sqlite3_column_int64(s, 5);
	h->business_date = sqlite3_column_int(s, 6);
	h->journal_seq = sqlite3_column_int64(s, 7);
	struct sale_totals *t = &h->totals;
	t->gross = sqlite3_column_int64(s, 8);
	t->line_discounts = sqlite3_column_int64(s, 9);
	t->ticket_discount = sqlite3_column_int64(s, 10);
	t->total = sqlite3_column_int64(s, 11);
	t->rounding = sqlite3_column_int64(s, 12);
	t->due = sqlite3_column_int64(s, 13);
	t->paid = sqlite3_column_int64(s, 14);
	t->change = sqlite3_column_int64(s, 15);
	t->dues = sqlite3_column_int64(s, 16);
}

static enum cm_rc load_taxes(struct store *st, struct sale_header *h)
{
	static const char sql[] =
		"SELECT class, total, tax, rate_bp, base_num, base_den FROM sale_taxes WHERE sale_id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, h->id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int c = sqlite3_column_int(s, 0);
		if (c < 0 || c >= TAX_CLASS_COUNT)
			continue;
		h->totals.class_total[c] = sqlite3_column_int64(s, 1);
		h->totals.class_tax[c] = sqlite3_column_int64(s, 2);
		h->rates[c] = (struct tax_rate){ .cls = (enum tax_class)c,
			.rate_bp = sqlite3_column_int(s, 3), .base_num = sqlite3_column_int(s, 4),
			.base_den = sqlite3_column_int(s, 5) };
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("loading the sale"));
}

static enum cm_rc load_lines(struct store *st, int64_t id, struct line_rec **lines,
                             struct sale_line_amounts **amounts, size_t *n)
{
	static const char sql[] =
		"SELECT " LINE_COLS ", amount, line_discount, ticket_discount, net "
		"FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t acap = cap;
		if (!store_grow(lines, &cap, *n, sizeof **lines) ||
		    !store_grow(amounts, &acap, *n, sizeof **amounts)) {
			sqlite3_reset(s);
			return CM_NOMEM;
		}
		store_line_from_row(s, &(*lines)[*n]);
		(*amounts)[*n] = (struct sale_line_amounts){
			.amount = sqlite3_column_int64(s, 17),
			.line_discount = sqlite3_column_int64(s, 18),
			.ticket_discount = sqlite3_column_int64(s, 19),
			.net = sqlite3_column_int64(s, 20),
		};
		(*n)++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("loading the sale"));
}

static enum cm_rc find_header(struct store *st, int64_t id, const char *receipt_no,
                              struct sale_header *h)
{
	static const char by_id[] = "SELECT " SALE_COLS " FROM sales WHERE id = ?1";
	static const char by_no[] = "SELECT " SALE_COLS " FROM sales WHERE receipt_no = ?1";
	sqlite3_stmt *s = store_stmt(st, receipt_no ? by_no : by_id);
	if (!s)
		return CM_IO;
	if (receipt_no)
		sqlite3_bind_text(s, 1, receipt_no, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		header_from_row(s, h);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		if (receipt_no)
			store_seterr(st, _("no sale with receipt number %s"), receipt_no);
		else
			store_seterr(st, _("no sale with id %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("loading the sale"));
}

enum cm_rc store_sale_load(struct store *st, int64_t id, const char *receipt_no,
                           struct sale_header *h,
                           struct line_rec **lines, struct sale_line_amounts **amounts,
                           size_t *nlines, struct tender_rec **tenders, size_t *ntenders)
{
	static const char tsql[] =
		"SELECT kind, amount, ref FROM sale_tenders WHERE sale_id = ?1 ORDER BY n";
	*lines = NULL;
	*amounts = NULL;
	*tenders = NULL;
	*nlines = *ntenders = 0;
	enum cm_rc rc = find_header(st, id, receipt_no, h);
	if (rc == CM_OK)
		rc = load_taxes(st, h);
	if (rc == CM_OK)
		rc = load_lines(st, h->id, lines, amounts, nlines);
	if (rc == CM_OK)
		rc = store_load_tenders(st, tsql, h->id, tenders, ntenders);
	if (rc != CM_OK) {
		free(*lines);
		free(*amounts);
		free(*tenders);
		*lines = NULL;
		*amounts = NULL;
		*tenders = NULL;
		*nlines = *ntenders = 0;
	}
	return rc;
}

enum cm_rc store_sale_each(struct store *st, int32_t from, int32_t to,
                           store_sale_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " SALE_COLS " FROM sales "
		"WHERE business_date BETWEEN ?1 AND ?2 ORDER BY id";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, from);
	sqlite3_bind_int(s, 2, to);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct sale_header h;
		header_from_row(s, &h);
		fn(&h, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing sales"));
}

/* ---- day report ---- */

static void fill_report_row(sqlite3_stmt *s, void *elem)
{
	struct day_report_row *r = elem;
	store_col_text(s, 0, r->key, sizeof r->key);
	r->count = sqlite3_column_int64(s, 1);
	r->amount = sqlite3_column_int64(s, 2);
	r->tax = sqlite3_column_int64(s, 3);
}

static enum cm_rc report_rows(struct store *st, const char *sql, int32_t date,
                              struct day_report_row **out, size_t *n)
{
	return store_rows(st, sql, date, out, n, sizeof **out, fill_report_row,
	                  _("building the report"));
}

/* Unix-time bounds [start, end) of a local business date. */
static void day_bounds(int32_t date, int64_t *start, int64_t *end)
{
	struct tm tm = { .tm_year = date / 10000 - 1900, .tm_mon = date / 100 % 100 - 1,
	                 .tm_mday = date % 100, .tm_isdst = -1 };
	*start = (int64_t)mktime(&tm);
	tm = (struct tm){ .tm_year = date / 10000 - 1900, .tm_mon = date / 100 % 100 - 1,
	                  .tm_mday = date % 100 + 1, .tm_isdst = -1 };
	*end = (int64_t)mktime(&tm);
}

static int64_t journal_count(struct store *st, const char *type, int32_t date)
{
	static const char sql[] =
		"SELECT count(*) FROM journal WHERE type = ?1 AND at >= ?2 AND at < ?3";
	int64_t start, end;
	day_bounds(date, &start, &end);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return 0;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, start);
	sqlite3_bind_int64(s, 3, end);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return v;
}

static enum cm_rc report_totals(struct store *st, struct day_report *r)
{
	static const char sql[] =
		"SELECT count(*), COALESCE(sum(total), 0), COALESCE(sum(rounding), 0), "
		"COALESCE(sum(line_discounts + ticket_discount), 0), "
		"(SELECT count(*) FROM returns WHERE business_date = ?1), "
		"(SELECT COALESCE(sum(refund), 0) FROM returns WHERE business_date = ?1), "
		"(SELECT COALESCE(sum(t.amount), 0) FROM return_tenders t JOIN returns x ON x.id = t.return_id "
		"  WHERE t.kind = 0 AND x.business_date = ?1) "
		"FROM sales WHERE business_date = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, r->date);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->sales = sqlite3_column_int64(s, 0);
		r->total = sqlite3_column_int64(s, 1);
		r->rounding = sqlite3_column_int64(s, 2);
		r->discounts = sqlite3_column_int64(s, 3);
		r->returns = sqlite3_column_int64(s, 4);
		r->refunds = sqlite3_column_int64(s, 5);
		r->cash_refunds = sqlite3_column_int64(s, 6);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("building the report"));
}

enum cm_rc store_day_report(struct store *st, int32_t date, struct day_report *r)
{
	/* Cash is counted net of change: what stays in the drawer. */
	static const char by_tender[] =
		"SELECT CASE t.kind WHEN 0 THEN 'cash' WHEN 1 THEN 'debit' WHEN 3 THEN 'credit' "
		"ELSE 'qris' END, "
		"count(*), sum(t.amount) - CASE t.kind WHEN 0 THEN "
		"  (SELECT COALESCE(sum(change), 0) FROM sales WHERE business_date = ?1) ELSE 0 END, 0 "
		"FROM sale_tenders t JOIN sales s ON s.id = t.sale_id "
		"WHERE s.business_date = ?1 GROUP BY t.kind ORDER BY t.kind";
	static const char by_class[] =
		"SELECT CASE x.class WHEN 0 THEN 'exempt' WHEN 1 THEN 'standard' ELSE 'luxury' END, "
		"count(*), sum(x.total), sum(x.tax) FROM sale_taxes x JOIN sales s ON s.id = x.sale_id "
		"WHERE s.business_date = ?1 GROUP BY x.class ORDER BY x.class";
	static const char by_cashier[] =
		"SELECT u.number || ' ' || u.name, count(*), sum(s.total), 0 "
		"FROM sales s JOIN users u ON u.id = s.cashier_id "
		"WHERE s.business_date = ?1 GROUP BY s.cashier_id ORDER BY u.number";
	memset(r, 0, sizeof *r);
	r->date = date;
	enum cm_rc rc = report_totals(st, r);
	if (rc == CM_OK)
		rc = report_rows(st, by_tender, date, &r->by_tender, &r->ntender);
	if (rc == CM_OK)
		rc = report_rows(st, by_class, date, &r->by_class, &r->nclass);
	if (rc == CM_OK)
		rc = report_rows(st, by_cashier, date, &r->by_cashier, &r->ncashier);
	if (rc != CM_OK) {
		store_day_report_free(r);
		return rc;
	}
	r->aborted_tickets = journal_count(st, "ticket_aborted", date);
	r->voided_lines = journal_count(st, "line_voided", date);
	return CM_OK;
}

void store_day_report_free(struct day_report *r)
{
	free(r->by_tender);
	free(r->by_cashier);
	free(r->by_class);
	r->by_tender = r->by_cashier = r->by_class = NULL;
}
