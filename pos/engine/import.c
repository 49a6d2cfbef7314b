/* Catalogue import from CSV into the store, all or nothing. */
#include "engine/import.h"
#include "engine/auth.h"
#include "core/chain.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_error(struct import_report *rep, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends "line N: message" like the parser's own errors. */
static void add_error(struct import_report *rep, size_t line, const char *fmt, ...)
{
	struct itemcsv_error *p = realloc(rep->errors, (rep->nerrors + 1) * sizeof *p);
	if (!p)
		return; /* the row still counts as bad; only its message is lost */
	rep->errors = p;
	struct itemcsv_error *e = &p[rep->nerrors++];
	e->line = line;
	int k = snprintf(e->msg, sizeof e->msg, "line %zu: ", line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg + k, sizeof e->msg - (size_t)k, fmt, ap);
	va_end(ap);
}

/* Checks a row against the database; false (and an error) when it clashes. */
static bool row_fits(struct till *t, const struct itemcsv_row *r, struct import_report *rep)
{
	struct store *st = till_store(t);
	char owner[32];
	for (size_t i = 0; i < r->nbarcodes; i++) {
		if (store_barcode_owner(st, r->barcodes[i], owner, sizeof owner) == CM_OK &&
		    strcmp(owner, r->item.sku) != 0) {
			add_error(rep, r->line, _("barcode %s belongs to item %s already"),
			          r->barcodes[i], owner);
			return false;
		}
	}
	struct item_rec other;
	if (r->item.plu && store_item_by_plu(st, r->item.plu, &other) == CM_OK &&
	    strcmp(other.sku, r->item.sku) != 0) {
		add_error(rep, r->line, _("scale PLU %d is used by item %s already"),
		          (int)r->item.plu, other.sku);
		return false;
	}
	return true;
}

static int error_line_cmp(const void *a, const void *b)
{
	size_t x = ((const struct itemcsv_error *)a)->line;
	size_t y = ((const struct itemcsv_error *)b)->line;
	return (x > y) - (x < y);
}

static char *import_payload(const struct import_report *rep, const char *data, size_t len)
{
	uint8_t h[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
	chain_hex(h, sizeof h, hex);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "rows", (int64_t)rep->rows);
	canon_int(c, "created", (int64_t)rep->created);
	canon_int(c, "updated", (int64_t)rep->updated);
	canon_int(c, "skipped", (int64_t)rep->skipped);
	canon_str(c, "file_blake2b", hex);
	canon_obj_end(c);
	return canon_take(c);
}

static enum cm_rc write_rows(struct till *t, const struct itemcsv_result *res,
                             const bool *good, struct import_report *rep)
{
	struct store *st = till_store(t);
	for (size_t i = 0; i < res->nrows; i++) {
		if (!good[i])
			continue;
		const struct itemcsv_row *r = &res->rows[i];
		int64_t id;
		bool created;
		enum cm_rc rc = store_item_upsert(st, &r->item, r->barcodes, r->nbarcodes, &id, &created);
		if (rc != CM_OK) {
			till_seterr(t, _("line %zu: %s"), r->line, store_errmsg(st));
			return rc;
		}
		if (created)
			rep->created++;
		else
			rep->updated++;
	}
	return CM_OK;
}

static enum cm_rc commit_import(struct till *t, const struct itemcsv_result *res,
                                const bool *good, struct import_report *rep,
                                const char *data, size_t len)
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	rc = write_rows(t, res, good, rep);
	rc = till_end_tx(t, rc, "catalogue_import", 0,
	                 rc == CM_OK ? import_payload(rep, data, len) : NULL);
	if (rc != CM_OK)
		rep->created = rep->updated = 0;
	return rc;
}

enum cm_rc import_items(struct till *t, const char *data, size_t len, bool skip_bad,
                        struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	enum cm_rc rc = auth_require(t, ACT_MANAGE_CATALOGUE, NULL);
	if (rc != CM_OK)
		return rc;
	struct itemcsv_result res;
	rc = itemcsv_parse(data, len, &res);
	/* Take over the parser's errors; ours are appended. */
	rep->errors = res.errors;
	rep->nerrors = res.nerrors;
	res.errors = NULL;
	res.nerrors = 0;
	if (rc != CM_OK) {
		/* The reason is in rep->errors, which the caller prints. */
		till_seterr(t, "%s", _("the file cannot be read as a catalogue: nothing was imported"));
		itemcsv_free(&res);
		return rc;
	}
	rep->rows = res.nrows + rep->nerrors;
	bool *good = calloc(res.nrows ? res.nrows : 1, sizeof *good);
	if (!good) {
		itemcsv_free(&res);
		return CM_NOMEM;
	}
	for (size_t i = 0; i < res.nrows; i++)
		good[i] = row_fits(t, &res.rows[i], rep);
	/* The parser's errors and the database clashes, in file order. */
	if (rep->nerrors > 1)
		qsort(rep->errors, rep->nerrors, sizeof *rep->errors, error_line_cmp);
	rep->skipped = rep->nerrors;
	if (rep->nerrors && !skip_bad) {
		till_seterr(t, _("%zu bad rows: nothing was imported"), rep->nerrors);
		rc = CM_INVALID;
	} else {
		rc = commit_import(t, &res, good, rep, data, len);
	}
	free(good);
	itemcsv_free(&res);
	return rc;
}

void import_report_free(struct import_report *rep)
{
	free(rep->errors);
	rep->errors = NULL;
	rep->nerrors = 0;
}
