/* The store's opening stock for HQ: before a terminal's first push the
 * agent journals, once, the stock the store started from (store_stock.h).
 * A terminal's stock is its snapshot plus its own movements (DESIGN.md,
 * "Several tills"); HQ folds every movement, so what it lacks is the
 * snapshot: without it an item sold since shows -30 at HQ while the shelf
 * holds 5. HQ adds the opening to the store once (sync/hq/fold.c).
 *
 * Event "stock_opening", payload {"as_of", "part", "parts", "lines":
 * [{"qty", "sku"}]}: the snapshot's non-zero quantities, at most
 * OPENING_LINES a part, so that one event stays well inside a push
 * (sync/proto.h PROTO_MAX_BODY). A store without a snapshot journals
 * nothing: its movements are all its stock. */
#include "store/store_int.h"
#include "store/store_stock.h"

#include <stdlib.h>
#include <string.h>

#define OPENING_LINES 5000

static const char levels_sql[] =
	"SELECT i.sku, sn.qty FROM stock_snapshot sn JOIN items i ON i.id = sn.item_id "
	"WHERE sn.qty <> 0 ORDER BY i.sku";

static enum cm_rc opened(struct store *st, bool *yes)
{
	static const char sql[] = "SELECT 1 FROM journal WHERE type = 'stock_opening' LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK
	                                             : store_fail(st, rc, _("reading the journal"));
}

static enum cm_rc count_lines(struct store *st, int64_t *n)
{
	static const char sql[] =
		"SELECT count(*) FROM stock_snapshot sn JOIN items i ON i.id = sn.item_id "
		"WHERE sn.qty <> 0";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("reading stock levels"));
}

/* One part: the next (up to) OPENING_LINES rows of the levels query. */
static enum cm_rc journal_part(struct store *st, sqlite3_stmt *s, int64_t now, int64_t part,
                               int64_t parts, bool *more)
{
	struct canon *c = canon_new();
	if (!c)
		return CM_NOMEM;
	canon_obj_begin(c, NULL);
	canon_int(c, "as_of", now);
	canon_int(c, "part", part);
	canon_int(c, "parts", parts);
	canon_arr_begin(c, "lines");
	int rc = SQLITE_DONE;
	for (int n = 0; n < OPENING_LINES && (rc = sqlite3_step(s)) == SQLITE_ROW; n++) {
		canon_obj_begin(c, NULL);
		canon_int(c, "qty", sqlite3_column_int64(s, 1));
		canon_str(c, "sku", (const char *)sqlite3_column_text(s, 0));
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_obj_end(c);
	char *payload = canon_take(c);
	*more = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(payload);
		return store_fail(st, rc, _("reading stock levels"));
	}
	if (!payload) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc r = journal_append(st, "stock_opening", now, 0, payload, NULL);
	free(payload);
	return r;
}

static enum cm_rc journal_opening(struct store *st, int64_t now)
{
	int64_t n = 0;
	enum cm_rc rc = count_lines(st, &n);
	if (rc != CM_OK || n == 0)
		return rc;
	int64_t parts = (n + OPENING_LINES - 1) / OPENING_LINES;
	sqlite3_stmt *s = store_stmt(st, levels_sql);
	if (!s)
		return CM_IO;
	bool more = true;
	for (int64_t part = 1; rc == CM_OK && part <= parts && more; part++)
		rc = journal_part(st, s, now, part, parts, &more);
	sqlite3_reset(s);
	return rc;
}

enum cm_rc store_stock_opening(struct store *st, int64_t now, bool *added)
{
	bool done = false;
	*added = false;
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = opened(st, &done);
	if (rc == CM_OK && !done)
		rc = journal_opening(st, now);
	if (rc != CM_OK) {
		store_rollback(st);
		return rc;
	}
	bool any = false;
	if (!done && (rc = opened(st, &any)) != CM_OK) {
		store_rollback(st);
		return rc;
	}
	rc = store_commit(st);
	*added = rc == CM_OK && any;
	return rc;
}
