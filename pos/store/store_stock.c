/* Stock counts, item stock attributes and the stock reports; see
 * store_stock.h and schema/store/007_stock_counts.sql.
 *
 * Every figure is computed set-based: the expected quantity of all items
 * of a count comes from one pass over the movements since the count's mark
 * (a rowid range, so only what happened during the count is read), joined
 * to the snapshot. */
#include "store/store_int.h"
#include "store/store_stock.h"

#include <stdio.h>
#include <string.h>

/* ---- item stock attributes ---- */

enum cm_rc store_stock_info_get(struct store *st, int64_t item_id, struct stock_info *out)
{
	static const char sql[] =
		"SELECT zone, reorder_level, cost FROM item_stock_info WHERE item_id = ?1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, item_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, out->zone, sizeof out->zone);
		out->reorder_level = sqlite3_column_int64(s, 1);
		out->cost = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
	                                             : store_fail(st, rc, _("reading stock information"));
}

enum cm_rc store_stock_info_set(struct store *st, int64_t item_id, const struct stock_info *si,
                                int64_t now)
{
	static const char sql[] =
		"INSERT INTO item_stock_info(item_id, zone, reorder_level, cost, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(item_id) DO UPDATE SET "
		"zone = excluded.zone, reorder_level = excluded.reorder_level, "
		"cost = excluded.cost, updated_at = excluded.updated_at";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_text(s, 2, si->zone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, si->reorder_level);
	sqlite3_bind_int64(s, 4, si->cost);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s, _("saving stock information"));
}

enum cm_rc store_stock_snapshot_put(struct store *st, int64_t item_id, cm_qty qty, int64_t as_of)
{
	static const char sql[] =
		"INSERT INTO stock_snapshot(item_id, qty, as_of) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(item_id) DO UPDATE SET qty = excluded.qty, as_of = excluded.as_of";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_int64(s, 2, qty);
	sqlite3_bind_int64(s, 3, as_of);
	return store_step_done(st, s, _("saving the stock snapshot"));
}

/* ---- counts ---- */

/* An item's level now: the terminal's view (DESIGN.md, "Several tills"). */
#define LEVEL "COALESCE(l.qty, sn.qty, 0)"
#define LEVEL_JOINS \
	"LEFT JOIN stock_levels l ON l.item_id = i.id " \
	"LEFT JOIN stock_snapshot sn ON sn.item_id = i.id "
#define IN_STOCK_OR_ACTIVE "(i.active = 1 OR " LEVEL " <> 0)"

static void fill_zone(sqlite3_stmt *s, void *elem)
{
	struct zone_rec *z = elem;
	store_col_text(s, 0, z->zone, sizeof z->zone);
	z->items = sqlite3_column_int64(s, 1);
	z->counting = sqlite3_column_int(s, 2) != 0;
}

enum cm_rc store_stock_zones(struct store *st, struct zone_rec **out, size_t *n)
{
	/* The items a count of the zone would hold (snapshot() below); ?1 is
	 * unused (store_rows binds it). */
	static const char sql[] =
		"SELECT si.zone, count(*), EXISTS (SELECT 1 FROM stock_counts c "
		"  JOIN stock_count_items ci ON ci.count_id = c.id "
		"  JOIN item_stock_info s2 ON s2.item_id = ci.item_id "
		"  WHERE c.status IN ('open', 'paused') AND s2.zone = si.zone) "
		"FROM item_stock_info si JOIN items i ON i.id = si.item_id " LEVEL_JOINS
		"WHERE si.zone <> '' AND " IN_STOCK_OR_ACTIVE " AND ?1 = ?1 "
		"GROUP BY si.zone ORDER BY si.zone";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, 0, out, n, sizeof **out, fill_zone, _("listing the shelf zones"));
}

static enum cm_rc snapshot(struct store *st, int64_t id, const char *scope, const char *value)
{
	static const char all[] =
		"INSERT INTO stock_count_items(count_id, item_id, snap_qty) "
		"SELECT ?1, i.id, " LEVEL " FROM items i " LEVEL_JOINS
		"WHERE " IN_STOCK_OR_ACTIVE " AND ?2 = ?2";
	static const char category[] =
		"INSERT INTO stock_count_items(count_id, item_id, snap_qty) "
		"SELECT ?1, i.id, " LEVEL " FROM items i " LEVEL_JOINS
		"WHERE i.category_id = (SELECT id FROM categories WHERE name = ?2) AND "
		IN_STOCK_OR_ACTIVE;
	static const char zone[] =
		"INSERT INTO stock_count_items(count_id, item_id, snap_qty) "
		"SELECT ?1, i.id, " LEVEL " FROM item_stock_info si JOIN items i ON i.id = si.item_id "
		LEVEL_JOINS "WHERE si.zone = ?2 AND " IN_STOCK_OR_ACTIVE;
	const char *sql = strcmp(scope, "zone") == 0 ? zone
	                : strcmp(scope, "category") == 0 ? category : all;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	enum cm_rc rc = store_step_done(st, s, _("taking the stock snapshot"));
	if (rc == CM_OK && sqlite3_changes(st->db) == 0) {
		store_seterr(st, "%s", _("no item is in the count's scope"));
		rc = CM_NOTFOUND;
	}
	return rc;
}

enum cm_rc store_count_create(struct store *st, const char *scope, const char *value,
                              int64_t now, int64_t user_id, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO stock_counts(scope, scope_value, status, started_at, started_by, mark) "
		"VALUES (?1, ?2, 'open', ?3, ?4, (SELECT COALESCE(max(id), 0) FROM stock_movements))";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, user_id);
	enum cm_rc rc = store_step_done(st, s, _("starting the count"));
	if (rc != CM_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	return snapshot(st, *id, scope, value);
}

enum cm_rc store_count_overlap(struct store *st, int64_t id, int64_t *other)
{
	static const char sql[] =
		"SELECT c.id FROM stock_counts c JOIN stock_count_items b ON b.count_id = c.id "
		"JOIN stock_count_items a ON a.count_id = ?1 AND a.item_id = b.item_id "
		"WHERE c.status IN ('open', 'paused') AND c.id <> ?1 LIMIT 1";
	*other = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*other = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
	                                             : store_fail(st, rc, _("checking other counts"));
}

#define COUNT_COLS "id, scope, scope_value, status, started_at, started_by, mark, " \
	"COALESCE(ended_at, 0), COALESCE(ended_by, 0), COALESCE(journal_seq, 0), " \
	"(SELECT count(*) FROM stock_count_items WHERE count_id = c.id), " \
	"(SELECT count(*) FROM stock_count_lines WHERE count_id = c.id)"

static void count_from_row(sqlite3_stmt *s, struct store_count *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, c->scope, sizeof c->scope);
	store_col_text(s, 2, c->scope_value, sizeof c->scope_value);
	store_col_text(s, 3, c->status, sizeof c->status);
	c->started_at = sqlite3_column_int64(s, 4);
	c->started_by = sqlite3_column_int64(s, 5);
	c->mark = sqlite3_column_int64(s, 6);
	c->ended_at = sqlite3_column_int64(s, 7);
	c->ended_by = sqlite3_column_int64(s, 8);
	c->journal_seq = sqlite3_column_int64(s, 9);
	c->items = sqlite3_column_int64(s, 10);
	c->counted = sqlite3_column_int64(s, 11);
}

enum cm_rc store_count_get(struct store *st, int64_t id, struct store_count *out)
{
	static const char sql[] = "SELECT " COUNT_COLS " FROM stock_counts c WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		count_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("there is no count %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("reading the count"));
}

enum cm_rc store_count_each(struct store *st, bool unfinished, store_count_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " COUNT_COLS " FROM stock_counts c "
		"WHERE ?1 = 0 OR status IN ('open', 'paused') ORDER BY id DESC";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, unfinished);
	int rc;
	struct store_count c;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		count_from_row(s, &c);
		fn(&c, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing counts"));
}

enum cm_rc store_count_set_status(struct store *st, int64_t id, const char *status,
                                  int64_t now, int64_t user_id, int64_t journal_seq)
{
	static const char sql[] =
		"UPDATE stock_counts SET status = ?2, "
		"ended_at = CASE WHEN ?2 IN ('posted', 'abandoned') THEN ?3 END, "
		"ended_by = CASE WHEN ?2 IN ('posted', 'abandoned') THEN ?4 END, "
		"journal_seq = NULLIF(?5, 0) WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, user_id);
	sqlite3_bind_int64(s, 5, journal_seq);
	return store_step_done(st, s, _("saving the count"));
}

enum cm_rc store_count_has_item(struct store *st, int64_t id, int64_t item_id, bool *in)
{
	static const char sql[] =
		"SELECT 1 FROM stock_count_items WHERE count_id = ?1 AND item_id = ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	*in = rc == SQLITE_ROW;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading the count"));
}

enum cm_rc store_count_line_get(struct store *st, int64_t id, int64_t item_id,
                                cm_qty *qty, bool *counted)
{
	static const char sql[] =
		"SELECT qty FROM stock_count_lines WHERE count_id = ?1 AND item_id = ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	*counted = rc == SQLITE_ROW;
	*qty = *counted ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading the count"));
}

enum cm_rc store_count_line_put(struct store *st, int64_t id, int64_t item_id, cm_qty total,
                                const char *mode, cm_qty entered, int64_t user_id,
                                const char *zone, int64_t now)
{
	static const char line[] =
		"INSERT INTO stock_count_lines(count_id, item_id, qty, counted_by, zone, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(count_id, item_id) DO UPDATE SET "
		"qty = excluded.qty, counted_by = excluded.counted_by, zone = excluded.zone, "
		"updated_at = excluded.updated_at";
	static const char entry[] =
		"INSERT INTO stock_count_entries(count_id, item_id, mode, qty, total, user_id, zone, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = store_stmt(st, line);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite3_bind_int64(s, 3, total);
	sqlite3_bind_int64(s, 4, user_id);
	sqlite3_bind_text(s, 5, zone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, now);
	enum cm_rc rc = store_step_done(st, s, _("saving the count"));
	if (rc != CM_OK || !(s = store_stmt(st, entry)))
		return rc != CM_OK ? rc : CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite3_bind_text(s, 3, mode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, entered);
	sqlite3_bind_int64(s, 5, total);
	sqlite3_bind_int64(s, 6, user_id);
	sqlite3_bind_text(s, 7, zone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, now);
	return store_step_done(st, s, _("saving the count"));
}

/* The item columns every report row starts with (0..6). */
#define ROW_COLS "i.id, i.sku, i.name, i.unit, i.weighed, COALESCE(cat.name, ''), " \
	"COALESCE(si.zone, '')"
#define ROW_JOINS \
	"LEFT JOIN categories cat ON cat.id = i.category_id " \
	"LEFT JOIN item_stock_info si ON si.item_id = i.id "

static void row_from(sqlite3_stmt *s, struct stock_row *r)
{
	memset(r, 0, sizeof *r);
	r->item_id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r->sku, sizeof r->sku);
	store_col_text(s, 2, r->name, sizeof r->name);
	store_col_text(s, 3, r->unit, sizeof r->unit);
	r->weighed = sqlite3_column_int(s, 4) != 0;
	store_col_text(s, 5, r->category, sizeof r->category);
	store_col_text(s, 6, r->zone, sizeof r->zone);
}

/* Steps s to the end, one row_from + fill + fn per row. */
static enum cm_rc walk(struct store *st, sqlite3_stmt *s, void (*fill)(sqlite3_stmt *, struct stock_row *),
                       store_row_fn fn, void *ctx, const char *doing)
{
	int rc;
	enum cm_rc out = CM_OK;
	struct stock_row r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_from(s, &r);
		fill(s, &r);
		if ((out = fn(&r, ctx)) != CM_OK)
			break;
	}
	sqlite3_reset(s);
	if (out != CM_OK)
		return out;
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, doing);
}

static void variance_fill(sqlite3_stmt *s, struct stock_row *r)
{
	r->expected = sqlite3_column_int64(s, 7);
	r->counted = sqlite3_column_type(s, 8) != SQLITE_NULL;
	r->qty = r->counted ? sqlite3_column_int64(s, 8) : 0;
	r->variance = r->qty - r->expected;
	r->cost = sqlite3_column_int64(s, 9);
	r->value = stock_value(r->variance, r->cost);
}

enum cm_rc store_count_variance(struct store *st, int64_t id, store_row_fn fn, void *ctx)
{
	/* ?2: the mark of an unfinished count; a posted count's figures are
	 * frozen, so no movement is read for it (?2 = max). */
	static const char sql[] =
		"WITH mv AS (SELECT item_id, sum(qty) AS q FROM stock_movements WHERE id > ?2 "
		"GROUP BY item_id), "
		"r AS (SELECT ci.item_id AS item_id, "
		"CASE WHEN ci.final_expected IS NOT NULL THEN ci.final_expected "
		"ELSE ci.snap_qty + COALESCE(mv.q, 0) END AS expected, "
		"CASE WHEN ci.final_expected IS NOT NULL THEN ci.final_counted ELSE ln.qty END AS counted "
		"FROM stock_count_items ci LEFT JOIN mv ON mv.item_id = ci.item_id "
		"LEFT JOIN stock_count_lines ln ON ln.count_id = ci.count_id AND ln.item_id = ci.item_id "
		"WHERE ci.count_id = ?1) "
		"SELECT " ROW_COLS ", r.expected, r.counted, COALESCE(si.cost, 0) "
		"FROM r JOIN items i ON i.id = r.item_id " ROW_JOINS
		"WHERE (r.counted IS NULL AND r.expected <> 0) OR r.counted <> r.expected "
		"ORDER BY r.item_id";
	struct store_count c;
	enum cm_rc rc = store_count_get(st, id, &c);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, strcmp(c.status, "posted") == 0 ? INT64_MAX : c.mark);
	return walk(st, s, variance_fill, fn, ctx, _("reading the count"));
}

enum cm_rc store_count_freeze(struct store *st, int64_t id)
{
	static const char sql[] =
		"UPDATE stock_count_items AS ci SET final_expected = ci.snap_qty + COALESCE(mv.q, 0), "
		"final_counted = ln.qty "
		"FROM stock_count_items AS x "
		"LEFT JOIN (SELECT item_id, sum(qty) AS q FROM stock_movements WHERE id > ?2 "
		"GROUP BY item_id) AS mv ON mv.item_id = x.item_id "
		"LEFT JOIN stock_count_lines ln ON ln.count_id = x.count_id AND ln.item_id = x.item_id "
		"WHERE x.count_id = ?1 AND ci.count_id = ?1 AND ci.item_id = x.item_id";
	struct store_count c;
	enum cm_rc rc = store_count_get(st, id, &c);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, c.mark);
	return store_step_done(st, s, _("posting the count"));
}

enum cm_rc store_count_movement(struct store *st, int64_t id, int64_t item_id, cm_qty qty,
                                int64_t journal_seq, int64_t now)
{
	static const char sql[] =
		"INSERT INTO stock_movements(item_id, qty, kind, ref, journal_seq, at) "
		"VALUES (?1, ?2, 'count', 'COUNT-' || ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_int64(s, 2, qty);
	sqlite3_bind_int64(s, 3, id);
	sqlite3_bind_int64(s, 4, journal_seq);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s, _("saving stock movements"));
}

/* ---- reports ---- */

static void value_fill(sqlite3_stmt *s, struct stock_row *r)
{
	r->qty = sqlite3_column_int64(s, 7);
	r->cost = sqlite3_column_int64(s, 8);
	r->value = stock_value(r->qty, r->cost);
}

enum cm_rc store_stock_value(struct store *st, store_row_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " ROW_COLS ", " LEVEL " AS q, COALESCE(si.cost, 0) "
		"FROM items i " LEVEL_JOINS ROW_JOINS
		"WHERE q <> 0 ORDER BY COALESCE(cat.name, ''), i.sku";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	return walk(st, s, value_fill, fn, ctx, _("reading stock levels"));
}

static void low_fill(sqlite3_stmt *s, struct stock_row *r)
{
	r->qty = sqlite3_column_int64(s, 7);
	r->expected = sqlite3_column_int64(s, 8);
	r->variance = r->expected - r->qty;
	r->cost = sqlite3_column_int64(s, 9);
	r->value = stock_value(r->qty, r->cost);
}

enum cm_rc store_low_stock(struct store *st, store_row_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " ROW_COLS ", " LEVEL " AS q, si.reorder_level, si.cost "
		"FROM item_stock_info si JOIN items i ON i.id = si.item_id " LEVEL_JOINS
		"LEFT JOIN categories cat ON cat.id = i.category_id "
		"WHERE i.active = 1 AND si.reorder_level > 0 AND q < si.reorder_level "
		"ORDER BY (CASE WHEN q < 0 THEN 0 ELSE q END) * 1000 / si.reorder_level, i.sku";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	return walk(st, s, low_fill, fn, ctx, _("reading stock levels"));
}

static void slow_fill(sqlite3_stmt *s, struct stock_row *r)
{
	r->qty = sqlite3_column_int64(s, 7);
	r->cost = sqlite3_column_int64(s, 8);
	r->sold = sqlite3_column_int64(s, 9);
	r->last_sale = sqlite3_column_int64(s, 10);
	r->value = stock_value(r->qty, r->cost);
}

enum cm_rc store_slow_movers(struct store *st, int64_t since, int64_t limit,
                             store_row_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " ROW_COLS ", " LEVEL " AS q, COALESCE(si.cost, 0), "
		"COALESCE((SELECT -sum(m.qty) FROM stock_movements m WHERE m.kind = 'sale' "
		"AND m.item_id = i.id AND m.at >= ?1), 0) AS sold, "
		"COALESCE((SELECT max(m.at) FROM stock_movements m WHERE m.kind = 'sale' "
		"AND m.item_id = i.id), 0) AS last "
		"FROM items i " LEVEL_JOINS ROW_JOINS
		"WHERE i.active = 1 AND q > 0 ORDER BY sold, last, i.sku LIMIT ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return walk(st, s, slow_fill, fn, ctx, _("reading sales"));
}

/* ---- verification ---- */

/* A posted count's movements are exactly the lines of its stock_counted
 * events (what HQ folds into its ledger), and a finished count names the
 * event that posted or abandoned it: an edit behind the triggers' back
 * shows like an edit of the journal. Columns: journal seq, what (0 a
 * movement, 1 an event, 2 a count), its number. */
enum cm_rc store_count_verify(struct store *st, struct journal_check *c)
{
	static const char sql[] =
		"SELECT seq, what, n FROM ("
		"SELECT m.journal_seq AS seq, 0 AS what, m.id AS n FROM stock_movements m "
		"LEFT JOIN journal j ON j.terminal_id = ?1 AND j.seq = m.journal_seq "
		"WHERE m.kind = 'count' AND (j.seq IS NULL OR j.type <> 'stock_counted' "
		"   OR 'COUNT-' || json_extract(j.payload, '$.count') IS NOT m.ref) "
		"UNION ALL "
		"SELECT j.seq, 1, j.seq FROM journal j "
		"LEFT JOIN (SELECT journal_seq, count(*) AS k FROM stock_movements "
		"           WHERE kind = 'count' GROUP BY journal_seq) mc ON mc.journal_seq = j.seq "
		"WHERE j.terminal_id = ?1 AND j.type = 'stock_counted' AND "
		"   json_array_length(j.payload, '$.lines') IS NOT COALESCE(mc.k, 0) "
		"UNION ALL "
		"SELECT j.seq, 1, j.seq FROM journal j, json_each(j.payload, '$.lines') e "
		"WHERE j.terminal_id = ?1 AND j.type = 'stock_counted' AND NOT EXISTS ("
		"   SELECT 1 FROM items i JOIN stock_movements m ON m.kind = 'count' "
		"   AND m.item_id = i.id WHERE i.sku = json_extract(e.value, '$.sku') "
		"   AND m.journal_seq = j.seq AND m.qty = json_extract(e.value, '$.qty')) "
		"UNION ALL "
		"SELECT c.journal_seq, 2, c.id FROM stock_counts c "
		"LEFT JOIN journal j ON j.terminal_id = ?1 AND j.seq = c.journal_seq "
		"WHERE c.status IN ('posted', 'abandoned') AND (j.seq IS NULL "
		"   OR j.type IS NOT (CASE c.status WHEN 'posted' THEN 'count_posted' "
		"                     ELSE 'count_abandoned' END) "
		"   OR json_extract(j.payload, '$.count') IS NOT c.id)"
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
			snprintf(c->why, sizeof c->why, _("stock movement %lld does not match its journal event"), n);
		else if (what == 1)
			snprintf(c->why, sizeof c->why, _("the count lines of journal event %lld do not match the stock movements"), n);
		else
			snprintf(c->why, sizeof c->why, _("count %lld does not match its journal event"), n);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking stock counts"));
}
