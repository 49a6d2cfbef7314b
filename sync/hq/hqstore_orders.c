/* Purchase orders HQ sends a store (hqstore.h). */
#include "hqstore_int.h"

#include <stdlib.h>
#include <string.h>

enum cm_rc hqstore_order_put(struct hqstore *st, const char *store, const struct proto_order *o,
                             int64_t version)
{
	static const struct db_sql head = {
		"INSERT INTO purchase_orders(store, po_no, supplier, ordered_on, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING", NULL };
	static const struct db_sql line = {
		"INSERT INTO purchase_order_lines(store, po_no, line, sku, qty, cost) "
		"SELECT ?1, ?2, ?3, sku, ?5, ?6 FROM items WHERE sku = ?4 AND deleted = 0", NULL };
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t n = 0;
	enum cm_rc rc = db_run(db, &head, N_("storing a purchase order"), &n, "tttii", store, o->po,
	                       o->supplier, (int64_t)o->date, version);
	if (rc == CM_OK && n == 0)
		rc = db_fail(CM_STATE, _("purchase order %s of %s is there already (a corrected order "
		             "takes a new number)"), o->po, store);
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++) {
		rc = db_run(db, &line, N_("storing a purchase order line"), &n, "ttitii", store, o->po,
		            (int64_t)i + 1, o->lines[i].sku, o->lines[i].qty, o->lines[i].cost);
		if (rc == CM_OK && n == 0)
			rc = db_fail(CM_NOTFOUND, _("purchase order %s: SKU %s is not in the catalogue"),
			             o->po, o->lines[i].sku);
	}
	return rc;
}

static enum cm_rc order_lines(struct db *db, const char *store, struct proto_order *o)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT sku, qty, cost FROM purchase_order_lines "
	                                     "WHERE store = ?1 AND po_no = ?2 ORDER BY line"),
	                          N_("reading purchase order lines"), "tt", store, o->po);
	size_t cap = 0;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		if (o->nlines == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct proto_order_line *nl = realloc(o->lines, ncap * sizeof *nl);
			if (!nl) {
				rc = CM_NOMEM;
				break;
			}
			o->lines = nl;
			cap = ncap;
		}
		struct proto_order_line *l = &o->lines[o->nlines++];
		db_text(q, 0, l->sku, sizeof l->sku);
		l->qty = db_int(q, 1);
		l->cost = db_int(q, 2);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

/* One more than asked says there are more. A version is one import, so
 * the answer ends with the last whole version: the next ask starts after
 * it. An import holds at most PROTO_MAX_ORDERS orders (hqimport_orders),
 * so with max = PROTO_MAX_ORDERS at least one version fits. */
static enum cm_rc cut_at_version(const char *store, size_t max, struct proto_orders *out)
{
	if (out->norders <= max)
		return CM_OK;
	out->more = true;
	out->norders = max;
	int64_t cut = out->orders[max].version;
	while (out->norders > 0 && out->orders[out->norders - 1].version == cut)
		out->norders--;
	if (out->norders == 0)
		return db_fail(CM_STATE, _("an import of %s holds more purchase orders than an answer "
		               "may"), store);
	return CM_OK;
}

enum cm_rc hqstore_orders_since(struct hqstore *st, const char *store, int64_t since, size_t max,
                                struct proto_orders *out)
{
	memset(out, 0, sizeof *out);
	out->upto = since;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	if (!(out->orders = calloc(max + 1, sizeof *out->orders)))
		return CM_NOMEM;
	struct db_q *q = db_query(db, DB_SQL("SELECT po_no, supplier, ordered_on, version "
	                                     "FROM purchase_orders WHERE store = ?1 AND version > ?2 "
	                                     "ORDER BY version, po_no LIMIT ?3"),
	                          N_("reading purchase orders"), "tii", store, since, (int64_t)max + 1);
	while (db_row(q) && out->norders <= max) {
		struct proto_order *o = &out->orders[out->norders++];
		db_text(q, 0, o->po, sizeof o->po);
		db_text(q, 1, o->supplier, sizeof o->supplier);
		o->date = (int32_t)db_int(q, 2);
		o->version = db_int(q, 3);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK)
		rc = cut_at_version(store, max, out);
	for (size_t i = 0; rc == CM_OK && i < out->norders; i++)
		rc = order_lines(db, store, &out->orders[i]);
	if (out->norders)
		out->upto = out->orders[out->norders - 1].version;
	if (rc != CM_OK)
		proto_orders_free(out);
	return rc;
}
