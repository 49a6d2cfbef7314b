/* What HQ reports: sales and returns per store and day, stock, alerts
 * (hqstore.h). A NULL store means every store. */
#include "hqstore_int.h"

#include <string.h>

const char *const hq_tender_kinds[HQ_TENDER_KINDS] = { "cash", "debit", "qris", "credit", "other" };

/* hq_tender_kinds index of kind; unknown kinds count as "other". */
static int tender_index(const char *kind)
{
	for (int i = 0; kind && i < HQ_TENDER_KINDS - 1; i++)
		if (strcmp(kind, hq_tender_kinds[i]) == 0)
			return i;
	return HQ_TENDER_KINDS - 1;
}

static enum cm_rc day_taxes(struct db *db, struct hq_day *d)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT t.class, sum(t.total), sum(t.tax) "
	                                     "FROM sale_taxes t JOIN sales s ON s.store = t.store "
	                                     "AND s.terminal = t.terminal AND s.seq = t.seq "
	                                     "WHERE s.store = ?1 AND s.date = ?2 GROUP BY t.class"),
	                          N_("reading taxes"), "ti", d->store, (int64_t)d->date);
	while (db_row(q)) {
		enum tax_class c;
		if (tax_class_parse(db_str(q, 0), &c) != CM_OK)
			continue;
		d->class_total[c] += db_int(q, 1);
		d->class_tax[c] += db_int(q, 2);
	}
	return db_end(q);
}

/* Tenders of the day's sales (refunds false) or returns (true). */
static enum cm_rc day_tenders(struct db *db, struct hq_day *d, bool refunds)
{
	static const struct db_sql sales = {
		"SELECT t.kind, sum(t.amount) FROM sale_tenders t "
		"JOIN sales s ON s.store = t.store AND s.terminal = t.terminal AND s.seq = t.seq "
		"WHERE s.store = ?1 AND s.date = ?2 GROUP BY t.kind", NULL };
	static const struct db_sql returns = {
		"SELECT t.kind, sum(t.amount) FROM return_tenders t "
		"JOIN returns r ON r.store = t.store AND r.terminal = t.terminal AND r.seq = t.seq "
		"WHERE r.store = ?1 AND r.date = ?2 GROUP BY t.kind", NULL };
	int64_t *to = refunds ? d->refund_tender : d->tender;
	struct db_q *q = db_query(db, refunds ? &returns : &sales, N_("reading tenders"), "ti", d->store,
	                          (int64_t)d->date);
	while (db_row(q))
		to[tender_index(db_str(q, 0))] += db_int(q, 1);
	return db_end(q);
}

enum cm_rc hqstore_sales_days(struct hqstore *st, const char *store, int32_t from, int32_t to,
                              hq_day_fn fn, void *ctx)
{
	static const struct db_sql sql = {
		"SELECT store, date, sum(n), sum(total), sum(rounding), sum(due), sum(r), sum(refund) "
		"FROM ("
		"  SELECT store, date, 1 AS n, total, rounding, due, 0 AS r, 0 AS refund FROM sales "
		"  WHERE date BETWEEN ?2 AND ?3 AND (CAST(?1 AS TEXT) IS NULL OR store = ?1) "
		"  UNION ALL "
		"  SELECT store, date, 0, 0, 0, 0, 1, refund FROM returns "
		"  WHERE date BETWEEN ?2 AND ?3 AND (CAST(?1 AS TEXT) IS NULL OR store = ?1)) AS x "
		"GROUP BY store, date ORDER BY store, date", NULL };
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading sales"), "tii", store, (int64_t)from,
	                          (int64_t)to);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_day d;
		memset(&d, 0, sizeof d);
		db_text(q, 0, d.store, sizeof d.store);
		d.date = (int32_t)db_int(q, 1);
		d.count = db_int(q, 2);
		d.total = db_int(q, 3);
		d.rounding = db_int(q, 4);
		d.due = db_int(q, 5);
		d.returns = db_int(q, 6);
		d.refunds = db_int(q, 7);
		rc = day_taxes(db, &d);
		if (rc == CM_OK)
			rc = day_tenders(db, &d, false);
		if (rc == CM_OK)
			rc = day_tenders(db, &d, true);
		if (rc == CM_OK)
			rc = fn(&d, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_stock_each(struct hqstore *st, const char *store, hq_stock_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT store, sku, sum(qty) FROM stock_moves "
	                                     "WHERE CAST(?1 AS TEXT) IS NULL OR store = ?1 "
	                                     "GROUP BY store, sku ORDER BY store, sku"),
	                          N_("reading stock"), "t", store);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q))
		rc = fn(db_str(q, 0), db_str(q, 1), db_int(q, 2), ctx);
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

static enum cm_rc alerts_each(struct hqstore *st, const char *store, bool open_only,
                              hq_alert_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT id, at, store, terminal, kind, detail, count, "
	                                     "last_at, last_detail, seq, COALESCE(acked_at, 0), "
	                                     "acked_by, ack_note FROM alerts "
	                                     "WHERE (CAST(?1 AS TEXT) IS NULL OR store = ?1) "
	                                     "AND (?2 = 0 OR acked_at IS NULL) "
	                                     "ORDER BY id"),
	                          N_("reading alerts"), "ti", store, (int64_t)open_only);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct hq_alert a;
		memset(&a, 0, sizeof a);
		a.id = db_int(q, 0);
		a.at = db_int(q, 1);
		db_text(q, 2, a.store, sizeof a.store);
		db_text(q, 3, a.terminal, sizeof a.terminal);
		db_text(q, 4, a.kind, sizeof a.kind);
		db_text(q, 5, a.detail, sizeof a.detail);
		a.count = db_int(q, 6);
		a.last_at = db_int(q, 7);
		db_text(q, 8, a.last_detail, sizeof a.last_detail);
		a.seq = db_int(q, 9);
		a.acked_at = db_int(q, 10);
		db_text(q, 11, a.acked_by, sizeof a.acked_by);
		db_text(q, 12, a.ack_note, sizeof a.ack_note);
		rc = fn(&a, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_alerts_each(struct hqstore *st, const char *store, hq_alert_fn fn, void *ctx)
{
	return alerts_each(st, store, false, fn, ctx);
}

enum cm_rc hqstore_alerts_open_each(struct hqstore *st, const char *store, hq_alert_fn fn,
                                    void *ctx)
{
	return alerts_each(st, store, true, fn, ctx);
}
