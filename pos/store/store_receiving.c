/* Deliveries being received, purchase orders, stock adjustments and the
 * damaged bin. */
#include "store/store_int.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cm_rc store_stock_move(struct store *st, int64_t item_id, cm_qty qty, const char *kind,
                            const char *ref, int64_t journal_seq, int64_t at)
{
	static const char sql[] =
		"INSERT INTO stock_movements(item_id, qty, kind, ref, journal_seq, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_int64(s, 2, qty);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, journal_seq);
	sqlite3_bind_int64(s, 6, at);
	return store_step_done(st, s, _("saving stock movements"));
}

cm_qty store_damaged_level(struct store *st, int64_t item_id)
{
	static const char sql[] = "SELECT qty FROM damaged_stock WHERE item_id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, item_id);
	cm_qty q = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return q;
}

enum cm_rc store_supplier_find(struct store *st, const char *name, int64_t *id,
                               char *canonical, size_t n)
{
	static const char sql[] = "SELECT id, name FROM suppliers WHERE name = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		if (canonical)
			store_col_text(s, 1, canonical, n);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("no supplier called %s"), name);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("looking up the supplier"));
}

enum cm_rc store_supplier_each(struct store *st, store_supplier_fn fn, void *ctx)
{
	static const char sql[] = "SELECT id, name FROM suppliers ORDER BY name";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), ctx);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing suppliers"));
}

enum cm_rc store_po_find(struct store *st, const char *po_no, int64_t *id, int64_t *supplier_id)
{
	static const char sql[] =
		"SELECT id, supplier_id FROM purchase_orders WHERE po_no = ?1 AND status = 'open'";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, po_no, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*supplier_id = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("no open purchase order %s"), po_no);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("looking up the purchase order"));
}

static void fill_po(sqlite3_stmt *s, void *elem)
{
	struct po_rec *p = elem;
	p->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, p->po_no, sizeof p->po_no);
	p->ordered_at = sqlite3_column_int64(s, 2);
	p->lines = sqlite3_column_int64(s, 3);
}

enum cm_rc store_po_open(struct store *st, int64_t supplier_id, struct po_rec **out, size_t *n)
{
	static const char sql[] =
		"SELECT o.id, o.po_no, o.ordered_at, "
		"(SELECT count(*) FROM purchase_order_lines l WHERE l.po_id = o.id) "
		"FROM purchase_orders o WHERE o.supplier_id = ?1 AND o.status = 'open' "
		"ORDER BY o.ordered_at, o.id";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, supplier_id, out, n, sizeof **out, fill_po,
	                  _("looking up the purchase order"));
}

static void fill_po_line(sqlite3_stmt *s, void *elem)
{
	struct po_line_rec *l = elem;
	l->line_no = sqlite3_column_int(s, 0);
	l->item_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, l->sku, sizeof l->sku);
	store_col_text(s, 3, l->name, sizeof l->name);
	store_col_text(s, 4, l->unit, sizeof l->unit);
	l->qty = sqlite3_column_int64(s, 5);
	l->unit_cost = sqlite3_column_int64(s, 6);
}

enum cm_rc store_po_lines(struct store *st, int64_t po_id, struct po_line_rec **out, size_t *n)
{
	static const char sql[] =
		"SELECT l.line_no, l.item_id, i.sku, i.name, i.unit, l.qty, l.unit_cost "
		"FROM purchase_order_lines l JOIN items i ON i.id = l.item_id "
		"WHERE l.po_id = ?1 ORDER BY l.line_no";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, po_id, out, n, sizeof **out, fill_po_line,
	                  _("loading the purchase order"));
}

enum cm_rc store_delivery_create(struct store *st, const struct delivery_rec *d, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO deliveries(supplier_id, po_id, note, state, created_by, created_at) "
		"VALUES (?1, ?2, ?3, 0, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, d->supplier_id);
	if (d->po_id)
		sqlite3_bind_int64(s, 2, d->po_id);
	sqlite3_bind_text(s, 3, d->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, d->created_by);
	sqlite3_bind_int64(s, 5, d->created_at);
	enum cm_rc rc = store_step_done(st, s, _("saving the delivery"));
	if (rc == CM_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

static enum cm_rc next_no(struct store *st, const char *sql, int64_t id, int32_t *out)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("saving the delivery"));
}

/* A posted delivery is refused by the triggers too; this gives the
 * plain message first. */
static enum cm_rc draft_check(struct store *st, int64_t id)
{
	static const char sql[] = "SELECT state FROM deliveries WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	int state = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("no delivery %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, _("loading the delivery"));
	if (state != 0) {
		store_seterr(st, _("delivery %lld is already posted and cannot change"), (long long)id);
		return CM_STATE;
	}
	return CM_OK;
}

enum cm_rc store_delivery_add_line(struct store *st, int64_t id, struct delivery_line_rec *l)
{
	static const char num[] =
		"SELECT COALESCE(max(line_no), 0) + 1 FROM delivery_lines WHERE delivery_id = ?1";
	static const char sql[] =
		"INSERT INTO delivery_lines(delivery_id, line_no, item_id, barcode, qty, unit_cost) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	enum cm_rc rc = draft_check(st, id);
	if (rc == CM_OK)
		rc = next_no(st, num, id, &l->line_no);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, l->line_no);
	sqlite3_bind_int64(s, 3, l->item_id);
	sqlite3_bind_text(s, 4, l->barcode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, l->qty);
	sqlite3_bind_int64(s, 6, l->unit_cost);
	return store_step_done(st, s, _("saving the delivery"));
}

enum cm_rc store_delivery_park(struct store *st, int64_t id, struct parked_rec *p)
{
	static const char num[] =
		"SELECT COALESCE(max(n), 0) + 1 FROM delivery_parked WHERE delivery_id = ?1";
	static const char sql[] =
		"INSERT INTO delivery_parked(delivery_id, n, barcode, description, qty, unit_cost) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	enum cm_rc rc = draft_check(st, id);
	if (rc == CM_OK)
		rc = next_no(st, num, id, &p->n);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, p->n);
	sqlite3_bind_text(s, 3, p->barcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, p->description, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, p->qty);
	sqlite3_bind_int64(s, 6, p->unit_cost);
	return store_step_done(st, s, _("saving the delivery"));
}

#define DELIVERY_COLS "d.id, d.supplier_id, p.name, COALESCE(d.po_id, 0), " \
	"COALESCE(o.po_no, ''), d.note, d.state, d.created_by, d.created_at, " \
	"COALESCE(d.posted_by, 0), COALESCE(d.posted_at, 0), COALESCE(d.journal_seq, 0), " \
	"(SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id), " \
	"(SELECT count(*) FROM delivery_parked k WHERE k.delivery_id = d.id)"
#define DELIVERY_FROM " FROM deliveries d JOIN suppliers p ON p.id = d.supplier_id " \
	"LEFT JOIN purchase_orders o ON o.id = d.po_id "

static void delivery_from_row(sqlite3_stmt *s, struct delivery_rec *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	d->supplier_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, d->supplier, sizeof d->supplier);
	d->po_id = sqlite3_column_int64(s, 3);
	store_col_text(s, 4, d->po_no, sizeof d->po_no);
	store_col_text(s, 5, d->note, sizeof d->note);
	d->posted = sqlite3_column_int(s, 6) != 0;
	d->created_by = sqlite3_column_int64(s, 7);
	d->created_at = sqlite3_column_int64(s, 8);
	d->posted_by = sqlite3_column_int64(s, 9);
	d->posted_at = sqlite3_column_int64(s, 10);
	d->journal_seq = sqlite3_column_int64(s, 11);
}

static void fill_line(sqlite3_stmt *s, void *elem)
{
	struct delivery_line_rec *l = elem;
	l->line_no = sqlite3_column_int(s, 0);
	l->item_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, l->sku, sizeof l->sku);
	store_col_text(s, 3, l->name, sizeof l->name);
	store_col_text(s, 4, l->barcode, sizeof l->barcode);
	l->qty = sqlite3_column_int64(s, 5);
	l->unit_cost = sqlite3_column_int64(s, 6);
}

static enum cm_rc load_lines(struct store *st, int64_t id, struct delivery_line_rec **out,
                             size_t *n)
{
	static const char sql[] =
		"SELECT l.line_no, l.item_id, i.sku, i.name, l.barcode, l.qty, l.unit_cost "
		"FROM delivery_lines l JOIN items i ON i.id = l.item_id "
		"WHERE l.delivery_id = ?1 ORDER BY l.line_no";
	return store_rows(st, sql, id, out, n, sizeof **out, fill_line, _("loading the delivery"));
}

static void fill_parked(sqlite3_stmt *s, void *elem)
{
	struct parked_rec *p = elem;
	p->n = sqlite3_column_int(s, 0);
	store_col_text(s, 1, p->barcode, sizeof p->barcode);
	store_col_text(s, 2, p->description, sizeof p->description);
	p->qty = sqlite3_column_int64(s, 3);
	p->unit_cost = sqlite3_column_int64(s, 4);
}

static enum cm_rc load_parked(struct store *st, int64_t id, struct parked_rec **out, size_t *n)
{
	static const char sql[] =
		"SELECT n, barcode, description, qty, unit_cost FROM delivery_parked "
		"WHERE delivery_id = ?1 ORDER BY n";
	return store_rows(st, sql, id, out, n, sizeof **out, fill_parked, _("loading the delivery"));
}

enum cm_rc store_delivery_load(struct store *st, int64_t id, struct delivery_rec *d,
                               struct delivery_line_rec **lines, size_t *nlines,
                               struct parked_rec **parked, size_t *nparked)
{
	static const char sql[] = "SELECT " DELIVERY_COLS DELIVERY_FROM "WHERE d.id = ?1";
	*lines = NULL;
	*parked = NULL;
	*nlines = *nparked = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		delivery_from_row(s, d);
	sqlite3_reset(s);
	if (src == SQLITE_DONE) {
		store_seterr(st, _("no delivery %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	if (src != SQLITE_ROW)
		return store_fail(st, src, _("loading the delivery"));
	enum cm_rc rc = load_lines(st, id, lines, nlines);
	if (rc == CM_OK)
		rc = load_parked(st, id, parked, nparked);
	if (rc != CM_OK) {
		free(*lines);
		free(*parked);
		*lines = NULL;
		*parked = NULL;
		*nlines = *nparked = 0;
	}
	return rc;
}

enum cm_rc store_delivery_each(struct store *st, bool drafts, store_delivery_fn fn, void *ctx)
{
	static const char all[] = "SELECT " DELIVERY_COLS DELIVERY_FROM "ORDER BY d.id DESC";
	static const char draft[] = "SELECT " DELIVERY_COLS DELIVERY_FROM
		"WHERE d.state = 0 ORDER BY d.id DESC";
	sqlite3_stmt *s = store_stmt(st, drafts ? draft : all);
	if (!s)
		return CM_IO;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct delivery_rec d;
		delivery_from_row(s, &d);
		fn(&d, (size_t)sqlite3_column_int64(s, 12), (size_t)sqlite3_column_int64(s, 13), ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing deliveries"));
}

enum cm_rc store_delivery_post(struct store *st, int64_t id, int64_t user_id, int64_t at,
                               int64_t journal_seq)
{
	static const char upd[] =
		"UPDATE deliveries SET state = 1, posted_by = ?2, posted_at = ?3, journal_seq = ?4 "
		"WHERE id = ?1 AND state = 0";
	static const char moves[] =
		"INSERT INTO stock_movements(item_id, qty, kind, ref, journal_seq, at) "
		"SELECT item_id, qty, 'receive', 'D' || delivery_id, ?2, ?3 FROM delivery_lines "
		"WHERE delivery_id = ?1 ORDER BY line_no";
	static const char cost[] =
		"INSERT INTO item_stock_info(item_id, cost, updated_at) "
		"SELECT l.item_id, l.unit_cost, ?2 FROM delivery_lines l "
		"WHERE l.delivery_id = ?1 AND l.unit_cost > 0 AND l.line_no = "
		"  (SELECT max(line_no) FROM delivery_lines m WHERE m.delivery_id = ?1 AND m.item_id = l.item_id) "
		"ON CONFLICT(item_id) DO UPDATE SET cost = excluded.cost, updated_at = excluded.updated_at";
	enum cm_rc rc = draft_check(st, id);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, moves);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, journal_seq);
	sqlite3_bind_int64(s, 3, at);
	if ((rc = store_step_done(st, s, _("saving stock movements"))) != CM_OK)
		return rc;
	/* The cost price of each item becomes its last delivered unit cost
	 * (stock valuation, count variances); the journal event carries the
	 * lines with their costs. */
	if (!(s = store_stmt(st, cost)))
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	if ((rc = store_step_done(st, s, _("saving cost prices"))) != CM_OK)
		return rc;
	if (!(s = store_stmt(st, upd)))
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_int64(s, 4, journal_seq);
	return store_step_done(st, s, _("posting the delivery"));
}
