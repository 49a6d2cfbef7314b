/* Online orders at the till (store_shop.h). */
#include "store/store_int.h"
#include "store/store_shop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shop_order_free(struct shop_order_rec *o)
{
	free(o->lines);
	o->lines = NULL;
	o->nlines = 0;
}

/* placed -> ready -> collected; expired and cancelled end an order that
 * was not collected (below every live state). */
static int rank(const char *status)
{
	if (strcmp(status, "placed") == 0)
		return 0;
	if (strcmp(status, "ready") == 0)
		return 1;
	if (strcmp(status, "collected") == 0)
		return 2;
	return -1;
}

/* What a pulled order does to the one held here (PROTOCOL.md): 1 take
 * HQ's whole order, 0 keep ours. */
static bool pulled_wins(const char *held, const char *pulled)
{
	int h = rank(held), p = rank(pulled);
	if (p < 0)
		return h < 2;
	return p > h || (p == h && h == 0);
}

static enum cm_rc held_status(struct store *st, const char *id, char *buf, size_t n)
{
	static const char sql[] = "SELECT status FROM shop_orders WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	buf[0] = '\0';
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, buf, n);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, _("saving online orders"));
	return CM_OK;
}

static enum cm_rc put_head(struct store *st, const struct shop_order_rec *o)
{
	static const char sql[] =
		"INSERT INTO shop_orders(id, status, member_no, member_name, placed_at, slot_start, "
		"slot_end, expires_at, total, picked_total, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		"ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
		"member_no = excluded.member_no, member_name = excluded.member_name, "
		"placed_at = excluded.placed_at, slot_start = excluded.slot_start, "
		"slot_end = excluded.slot_end, expires_at = excluded.expires_at, "
		"total = excluded.total, picked_total = excluded.picked_total, "
		"version = excluded.version";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, o->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, o->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, o->member_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, o->member_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, o->placed_at);
	sqlite3_bind_int64(s, 6, o->slot_start);
	sqlite3_bind_int64(s, 7, o->slot_end);
	sqlite3_bind_int64(s, 8, o->expires_at);
	sqlite3_bind_int64(s, 9, o->total);
	if (o->has_picked)
		sqlite3_bind_int64(s, 10, o->picked_total);
	sqlite3_bind_int64(s, 11, o->version);
	return store_step_done(st, s, _("saving online orders"));
}

static void bind_pick(sqlite3_stmt *s, int first, const struct shop_line_rec *l)
{
	if (!l->pick_status[0])
		return;               /* NULLs: not picked */
	bool sub = strcmp(l->pick_status, "substituted") == 0;
	sqlite3_bind_text(s, first, l->pick_status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, first + 1, l->picked_qty);
	if (sub) {
		sqlite3_bind_text(s, first + 2, l->sub_sku, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, first + 3, l->sub_price);
	}
}

static enum cm_rc put_lines(struct store *st, const struct shop_order_rec *o)
{
	static const char del[] = "DELETE FROM shop_order_lines WHERE order_id = ?1";
	static const char ins[] =
		"INSERT INTO shop_order_lines(order_id, line, sku, gtin, name, qty, price, "
		"pick_status, picked_qty, sub_sku, sub_price) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	sqlite3_stmt *s = store_stmt(st, del);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, o->id, -1, SQLITE_STATIC);
	enum cm_rc rc = store_step_done(st, s, _("saving online orders"));
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++) {
		const struct shop_line_rec *l = &o->lines[i];
		if (!(s = store_stmt(st, ins)))
			return CM_IO;
		sqlite3_bind_text(s, 1, o->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, l->line);
		sqlite3_bind_text(s, 3, l->sku, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, l->gtin, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, l->qty);
		sqlite3_bind_int64(s, 7, l->price);
		bind_pick(s, 8, l);
		rc = store_step_done(st, s, _("saving online orders"));
	}
	return rc;
}

static enum cm_rc pull_one(struct store *st, const struct shop_order_rec *o,
                           struct shop_pull_result *r)
{
	char held[16];
	enum cm_rc rc = held_status(st, o->id, held, sizeof held);
	if (rc != CM_OK)
		return rc;
	if (held[0] && !pulled_wins(held, o->status)) {
		r->kept++;
		return CM_OK;
	}
	if (held[0])
		r->updated++;
	else
		r->added++;
	rc = put_head(st, o);
	return rc == CM_OK ? put_lines(st, o) : rc;
}

static enum cm_rc journal_pull(struct store *st, const struct shop_order_rec *o, size_t n,
                               int64_t upto, const struct shop_pull_result *r, int64_t now)
{
	struct canon *c = canon_new();
	if (!c)
		return CM_NOMEM;
	canon_obj_begin(c, NULL);
	canon_int(c, "upto", upto);
	canon_int(c, "added", r->added);
	canon_int(c, "updated", r->updated);
	canon_int(c, "kept", r->kept);
	canon_arr_begin(c, "orders");
	for (size_t i = 0; i < n; i++)
		canon_str(c, NULL, o[i].id);
	canon_arr_end(c);
	canon_obj_end(c);
	char *payload = canon_take(c);
	if (!payload) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = journal_append(st, "shop_orders_pulled", now, 0, payload, NULL);
	free(payload);
	return rc;
}

enum cm_rc store_shop_pull_apply(struct store *st, const struct shop_order_rec *o, size_t n,
                                 int64_t upto, int64_t now, struct shop_pull_result *out)
{
	static const char version[] = "UPDATE sync_state SET shop_version = ?1 WHERE id = 1";
	memset(out, 0, sizeof *out);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return rc;
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		rc = pull_one(st, &o[i], out);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, version) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, upto);
		rc = store_step_done(st, s, _("saving the pulled version"));
	}
	if (rc == CM_OK && n)
		rc = journal_pull(st, o, n, upto, out, now);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

enum cm_rc store_shop_version(struct store *st, int64_t *out)
{
	static const char sql[] = "SELECT shop_version FROM sync_state WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	*out = 0;
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
	                                             : store_fail(st, rc, _("reading online orders"));
}

#define HEAD_COLS "id, status, member_no, member_name, placed_at, slot_start, slot_end, " \
	"expires_at, total, picked_total, version"

static void head_from_row(sqlite3_stmt *s, struct shop_order_rec *o)
{
	memset(o, 0, sizeof *o);
	store_col_text(s, 0, o->id, sizeof o->id);
	store_col_text(s, 1, o->status, sizeof o->status);
	store_col_text(s, 2, o->member_no, sizeof o->member_no);
	store_col_text(s, 3, o->member_name, sizeof o->member_name);
	o->placed_at = sqlite3_column_int64(s, 4);
	o->slot_start = sqlite3_column_int64(s, 5);
	o->slot_end = sqlite3_column_int64(s, 6);
	o->expires_at = sqlite3_column_int64(s, 7);
	o->total = sqlite3_column_int64(s, 8);
	o->has_picked = sqlite3_column_type(s, 9) != SQLITE_NULL;
	o->picked_total = sqlite3_column_int64(s, 9);
	o->version = sqlite3_column_int64(s, 10);
}

enum cm_rc store_shop_list(struct store *st, int64_t now, struct shop_order_rec **out,
                           size_t *n)
{
	static const char sql[] =
		"SELECT " HEAD_COLS " FROM shop_orders WHERE status IN ('placed', 'ready') "
		"OR slot_end > ?1 - 86400 ORDER BY slot_start, id LIMIT 500";
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, now);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_grow(out, &cap, *n, sizeof **out)) {
			sqlite3_reset(s);
			store_seterr(st, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		head_from_row(s, &(*out)[(*n)++]);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading online orders"));
}

static void line_from_row(sqlite3_stmt *s, void *elem)
{
	struct shop_line_rec *l = elem;
	l->line = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, l->sku, sizeof l->sku);
	store_col_text(s, 2, l->gtin, sizeof l->gtin);
	store_col_text(s, 3, l->name, sizeof l->name);
	l->qty = sqlite3_column_int64(s, 4);
	l->price = sqlite3_column_int64(s, 5);
	store_col_text(s, 6, l->pick_status, sizeof l->pick_status);
	l->picked_qty = sqlite3_column_int64(s, 7);
	store_col_text(s, 8, l->sub_sku, sizeof l->sub_sku);
	l->sub_price = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, l->zone, sizeof l->zone);
}

static enum cm_rc get_lines(struct store *st, struct shop_order_rec *o)
{
	static const char sql[] =
		"SELECT l.line, l.sku, l.gtin, l.name, l.qty, l.price, l.pick_status, l.picked_qty, "
		"l.sub_sku, l.sub_price, coalesce(z.zone, '') FROM shop_order_lines l "
		"LEFT JOIN items i ON i.sku = l.sku LEFT JOIN item_stock_info z ON z.item_id = i.id "
		"WHERE l.order_id = ?1 ORDER BY l.line";
	size_t cap = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, o->id, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_grow(&o->lines, &cap, o->nlines, sizeof *o->lines)) {
			sqlite3_reset(s);
			store_seterr(st, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		struct shop_line_rec *l = &o->lines[o->nlines++];
		memset(l, 0, sizeof *l);
		line_from_row(s, l);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading online orders"));
}

enum cm_rc store_shop_get(struct store *st, const char *id, struct shop_order_rec *out)
{
	static const char head[] = "SELECT " HEAD_COLS " FROM shop_orders WHERE id = ?1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, head);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		head_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("there is no online order %s here"), id);
		return CM_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, _("reading online orders"));
	enum cm_rc r = get_lines(st, out);
	if (r != CM_OK)
		shop_order_free(out);
	return r;
}

/* Moves order id from status `from` to `to`; CM_STATE (message for the
 * caller to set) when it was not in `from`. */
static enum cm_rc move_status(struct store *st, const char *id, const char *from,
                              const char *to)
{
	static const char sql[] = "UPDATE shop_orders SET status = ?3 WHERE id = ?1 AND status = ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	enum cm_rc rc = store_step_done(st, s, _("saving online orders"));
	return rc == CM_OK && sqlite3_changes(st->db) != 1 ? CM_STATE : rc;
}

enum cm_rc store_shop_picked(struct store *st, const struct shop_order_rec *o)
{
	static const char pick[] =
		"UPDATE shop_order_lines SET pick_status = ?3, picked_qty = ?4, sub_sku = ?5, "
		"sub_price = ?6 WHERE order_id = ?1 AND line = ?2";
	static const char total[] = "UPDATE shop_orders SET picked_total = ?2 WHERE id = ?1";
	enum cm_rc rc = move_status(st, o->id, "placed", "ready");
	if (rc == CM_STATE)
		store_seterr(st, _("online order %s is not waiting to be picked any more"), o->id);
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++) {
		sqlite3_stmt *s = store_stmt(st, pick);
		if (!s)
			return CM_IO;
		sqlite3_bind_text(s, 1, o->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, o->lines[i].line);
		bind_pick(s, 3, &o->lines[i]);
		rc = store_step_done(st, s, _("saving the picking"));
	}
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, total) : NULL;
	if (rc == CM_OK && !s)
		return CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_text(s, 1, o->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, o->picked_total);
		rc = store_step_done(st, s, _("saving the picking"));
	}
	return rc;
}

enum cm_rc store_shop_on_ticket(struct store *st, const char *id, int64_t except, bool *found)
{
	static const char sql[] = "SELECT 1 FROM open_tickets WHERE shop_order = ?1 AND id <> ?2";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, except);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, _("reading online orders"));
	return CM_OK;
}

enum cm_rc store_shop_collected(struct store *st, const char *id, int64_t sale_id)
{
	static const char sql[] = "UPDATE shop_orders SET sale_id = ?2 WHERE id = ?1";
	enum cm_rc rc = move_status(st, id, "ready", "collected");
	if (rc == CM_STATE)
		store_seterr(st, _("online order %s is not ready to be collected"), id);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, sql) : NULL;
	if (rc == CM_OK && !s)
		return CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, sale_id);
		rc = store_step_done(st, s, _("saving online orders"));
	}
	return rc;
}
