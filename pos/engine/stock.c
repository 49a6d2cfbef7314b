/* Item stock information and the stock reports; see stock.h. */
#include "engine/stock.h"
#include "core/chain.h"
#include "core/csv.h"
#include "core/money.h"
#include "core/perm.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum cm_rc may_manage(struct till *t)
{
	const struct user_rec *u = till_user(t);
	if (!u) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (perm_check(u->role, ACT_MANAGE_CATALOGUE) != PERM_ALLOW) {
		till_seterr(t, "%s", _("only an admin may change item stock information"));
		return CM_DENIED;
	}
	return CM_OK;
}

static bool info_valid(struct till *t, const struct stock_info *si)
{
	if (si->reorder_level < 0 || si->cost < 0 || strlen(si->zone) >= sizeof si->zone) {
		till_seterr(t, "%s", _("reorder level and cost cannot be negative; a zone has at most 23 characters"));
		return false;
	}
	return true;
}

static void info_canon(struct canon *c, const char *sku, const struct stock_info *si)
{
	canon_str(c, "sku", sku);
	canon_str(c, "zone", si->zone);
	canon_int(c, "reorder_level", si->reorder_level);
	canon_int(c, "cost", si->cost);
}

enum cm_rc stock_info_set(struct till *t, const char *sku, const struct stock_info *si)
{
	enum cm_rc rc = may_manage(t);
	if (rc != CM_OK)
		return rc;
	if (!info_valid(t, si))
		return CM_INVALID;
	struct store *st = till_store(t);
	struct item_rec it;
	if ((rc = store_item_by_sku(st, sku, &it)) != CM_OK) {
		if (rc == CM_NOTFOUND)
			till_seterr(t, _("no item has the SKU %s"), sku);
		else
			till_store_fail(t, rc);
		return rc;
	}
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = store_stock_info_set(st, it.id, si, till_now(t))) != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	info_canon(c, sku, si);
	canon_obj_end(c);
	return till_end_tx(t, rc, "stock_info_changed", 0, canon_take(c));
}

/* ---- CSV import ---- */

enum { COL_SKU, COL_ZONE, COL_REORDER, COL_COST, NCOLS };
static const char *const col_names[NCOLS] = { "sku", "zone", "reorder_level", "cost" };

struct import_ctx {
	struct till *t;
	struct stock_import_report *rep;
	int col[NCOLS];          /* field index, -1 = absent */
	bool header_done;
	bool write;              /* second pass: write the rows */
	enum cm_rc fatal;
};

static void row_error(struct import_ctx *x, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void row_error(struct import_ctx *x, size_t line, const char *fmt, ...)
{
	struct stock_import_report *r = x->rep;
	if (r->nerrors >= 1000)
		return;
	void *p = realloc(r->errors, (r->nerrors + 1) * sizeof *r->errors);
	if (!p) {
		x->fatal = CM_NOMEM;
		return;
	}
	r->errors = p;
	char msg[120];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(r->errors[r->nerrors++], sizeof r->errors[0], _("line %zu: %s"), line, msg);
}

static enum cm_rc header(struct import_ctx *x, const struct csv_row *row)
{
	for (int c = 0; c < NCOLS; c++)
		x->col[c] = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		for (int c = 0; c < NCOLS; c++) {
			if (strcasecmp(row->fields[i], col_names[c]) == 0)
				x->col[c] = (int)i;
		}
	}
	if (x->col[COL_SKU] < 0) {
		row_error(x, row->line, "%s", _("the header has no sku column"));
		return CM_INVALID;
	}
	x->header_done = true;
	return CM_OK;
}

static const char *field(const struct import_ctx *x, const struct csv_row *row, int c)
{
	int i = x->col[c];
	return i >= 0 && (size_t)i < row->nfields ? row->fields[i] : NULL;
}

static enum cm_rc import_row(const struct csv_row *row, void *ctx)
{
	struct import_ctx *x = ctx;
	if (!x->header_done)
		return header(x, row);
	if (!x->write)
		x->rep->rows++;
	struct store *st = till_store(x->t);
	const char *sku = field(x, row, COL_SKU);
	struct item_rec it;
	enum cm_rc rc = store_item_by_sku(st, sku ? sku : "", &it);
	if (rc == CM_NOTFOUND) {
		row_error(x, row->line, _("unknown SKU %s"), sku ? sku : "");
		return x->fatal;
	}
	if (rc != CM_OK)
		return till_store_fail(x->t, rc);
	struct stock_info si;
	if ((rc = store_stock_info_get(st, it.id, &si)) != CM_OK)
		return till_store_fail(x->t, rc);
	const char *zone = field(x, row, COL_ZONE), *reorder = field(x, row, COL_REORDER),
	           *cost = field(x, row, COL_COST);
	bool bad = false;
	if (zone) {
		if (strlen(zone) >= sizeof si.zone) {
			row_error(x, row->line, _("zone %s is longer than 23 characters"), zone);
			bad = true;
		}
		snprintf(si.zone, sizeof si.zone, "%s", zone);
	}
	if (reorder) {
		si.reorder_level = 0;
		if (*reorder && count_qty_parse(reorder, true, &si.reorder_level) != CM_OK) {
			row_error(x, row->line, _("reorder level '%s' is not a quantity"), reorder);
			bad = true;
		}
	}
	if (cost) {
		si.cost = 0;
		if (*cost && money_parse(cost, &si.cost) != CM_OK) {
			row_error(x, row->line, _("cost '%s' is not an amount in rupiah"), cost);
			bad = true;
		} else if (si.cost > MONEY_PRICE_MAX) {
			row_error(x, row->line, _("cost '%s' is above the highest price the store "
			                          "accepts"), cost);
			bad = true;
		}
	}
	if (bad || !x->write)
		return x->fatal;
	rc = store_stock_info_set(st, it.id, &si, till_now(x->t));
	return rc == CM_OK ? CM_OK : till_store_fail(x->t, rc);
}

static char *import_payload(size_t rows, const char *data, size_t len)
{
	uint8_t h[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
	chain_hex(h, sizeof h, hex);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "rows", (int64_t)rows);
	canon_str(c, "file_blake2b", hex);
	canon_obj_end(c);
	return canon_take(c);
}

enum cm_rc stock_info_import(struct till *t, const char *data, size_t len,
                             struct stock_import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	enum cm_rc rc = may_manage(t);
	if (rc != CM_OK)
		return rc;
	struct import_ctx x = { .t = t, .rep = rep };
	char err[200];
	/* First pass checks every row, the second writes. */
	rc = csv_parse(data, len, import_row, &x, err, sizeof err);
	if (rc == CM_INVALID && !rep->nerrors) {
		till_seterr(t, "%s", err);
		return rc;
	}
	if (rc == CM_OK && !x.header_done) {
		till_seterr(t, "%s", _("the file is empty"));
		return CM_INVALID;
	}
	if (rc == CM_OK && rep->nerrors) {
		till_seterr(t, _("%zu bad rows: nothing imported"), rep->nerrors);
		return CM_INVALID;
	}
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	x.header_done = false;
	x.write = true;
	rc = csv_parse(data, len, import_row, &x, err, sizeof err);
	return till_end_tx(t, rc, "stock_info_import", 0, import_payload(rep->rows, data, len));
}

void stock_import_report_free(struct stock_import_report *rep)
{
	free(rep->errors);
	memset(rep, 0, sizeof *rep);
}

enum cm_rc stock_report_run(struct till *t, enum stock_report kind, int64_t count_id,
                            int days, int64_t limit, store_row_fn fn, void *ctx)
{
	struct store *st = till_store(t);
	enum cm_rc rc;
	switch (kind) {
	case REPORT_VARIANCE:
		rc = store_count_variance(st, count_id, fn, ctx);
		break;
	case REPORT_STOCK_VALUE:
		rc = store_stock_value(st, fn, ctx);
		break;
	case REPORT_LOW_STOCK:
		rc = store_low_stock(st, fn, ctx);
		break;
	case REPORT_SLOW_MOVERS:
		rc = store_slow_movers(st, till_now(t) - (int64_t)days * 86400, limit, fn, ctx);
		break;
	default:
		till_seterr(t, "%s", _("unknown report"));
		return CM_INVALID;
	}
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}
