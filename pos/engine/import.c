/* Catalogue import from CSV into the store, all or nothing. */
#include "engine/import.h"
#include "engine/auth.h"
#include "core/chain.h"
#include "store/store_catgen.h"
#include "store/store_sync.h"
#include "core/itemcsv_read.h"

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
	int k = snprintf(e->msg, sizeof e->msg, _("line %zu: "), line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg + k, sizeof e->msg - (size_t)k, fmt, ap);
	va_end(ap);
}

/* Checks a row against the database; false (and an error) when it
 * clashes. codes: its barcodes too (not when they are its item's own). */
static bool row_fits(struct till *t, const struct itemcsv_row *r, struct import_report *rep,
                     bool codes)
{
	struct store *st = till_store(t);
	char owner[32];
	for (size_t i = 0; codes && i < r->nbarcodes; i++) {
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

static char *payload_of(const struct import_report *rep, const uint8_t h[CHAIN_HASH_LEN])
{
	char hex[2 * CHAIN_HASH_LEN + 1];
	chain_hex(h, CHAIN_HASH_LEN, hex);
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

static char *import_payload(const struct import_report *rep, const char *data, size_t len)
{
	uint8_t h[CHAIN_HASH_LEN];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
	return payload_of(rep, h);
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
		good[i] = row_fits(t, &res.rows[i], rep, true);
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

/* ---- a big file: streamed ---- */

/* A file larger than one chunk is read a chunk of whole records at a
 * time (the header put in front of each), every good row written straight
 * into a new catalogue built beside the live one, which is switched in at
 * the end (store/store_catgen.h): memory stays the size of a chunk, the
 * till never waits, and the import is still all or nothing. A chunk is a
 * transaction of its own, or a few when it takes long, relaxed: the build
 * is scratch until the switch. Each row is written once (staging it and
 * applying it later wrote it twice). When the live catalogue changes
 * during the import, the file is read again into a new build. */
#define TRIES 3
#define ERRORS_KEPT 1000     /* messages kept; every bad row still counts */

struct stream {
	struct till *t;
	struct import_report *rep;
	struct progress *pr;
	crypto_generichash_state hash;
	long size;               /* the file's size for progress, 0 unknown */
	long read;
	int64_t staged;
	struct catgen *g;        /* the build the rows go into */
};

/* A row checked against the file's earlier lines and the database;
 * false (and an error) when it clashes. */
static bool stream_row_fits(struct stream *s, const struct itemcsv_row *r, bool *stop)
{
	size_t which, first;
	enum cm_rc rc = store_catgen_direct_check(s->g, &r->item, r->barcodes, r->nbarcodes,
	                                          &which, &first);
	if (rc == CM_CONFLICT && !which)
		add_error(s->rep, r->line, _("SKU %s appears twice (line %zu)"), r->item.sku, first);
	else if (rc == CM_CONFLICT && which == STORE_CATGEN_PLU)
		add_error(s->rep, r->line, _("scale PLU %d appears twice (line %zu)"),
		          (int)r->item.plu, first);
	else if (rc == CM_CONFLICT)
		add_error(s->rep, r->line, _("barcode %s appears twice (line %zu)"),
		          r->barcodes[which - 1], first);
	*stop = rc != CM_OK && rc != CM_CONFLICT;
	/* A catalogue that was empty has no barcode or PLU to clash with
	 * (5% of the CPU of a first import, in lookups finding nothing); an
	 * item's own codes clash with no other item (13% of a price list's). */
	return rc == CM_OK && (store_catgen_direct_empty(s->g) ||
	                       row_fits(s->t, r, s->rep, !store_catgen_direct_own_codes(s->g)));
}

static enum cm_rc stage_rows(struct stream *s, const struct itemcsv_result *res)
{
	for (size_t i = 0; i < res->nrows; i++) {
		const struct itemcsv_row *r = &res->rows[i];
		bool stop = false;
		if (!stream_row_fits(s, r, &stop)) {
			enum cm_rc rc = stop ? CM_IO : store_catgen_direct_refuse(s->g, &r->item,
			                                  r->barcodes, r->nbarcodes, r->line);
			if (rc != CM_OK)
				return till_store_fail(s->t, rc);
			s->rep->skipped++;
			continue;
		}
		bool created;
		enum cm_rc rc = store_catgen_direct_put(s->g, &r->item, r->barcodes, r->nbarcodes,
		                                        r->line, &created);
		if (rc != CM_OK)
			return till_store_fail(s->t, rc);
		if (created)
			s->rep->created++;
		else
			s->rep->updated++;
		s->staged++;
	}
	return CM_OK;
}

/* One chunk of the file: its bad rows reported, its good ones staged in a
 * transaction of their own. */
static enum cm_rc on_chunk(const struct itemcsv_result *res, void *ctx)
{
	struct stream *s = ctx;
	for (size_t i = 0; i < res->nerrors; i++)
		if (s->rep->nerrors < ERRORS_KEPT)
			add_error(s->rep, res->errors[i].line, "%s",
			          strncmp(res->errors[i].msg, "line ", 5) == 0 &&
			          strstr(res->errors[i].msg, ": ")
			          ? strstr(res->errors[i].msg, ": ") + 2 : res->errors[i].msg);
	s->rep->skipped += res->nerrors;
	s->rep->rows += res->nrows + res->nerrors;
	struct store *st = till_store(s->t);
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc == CM_OK)
		rc = stage_rows(s, res);
	if (rc == CM_OK)
		rc = store_catgen_direct_mark(s->g);
	if (rc == CM_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (s->pr)
		progress_update(s->pr, _("rows read"), (int64_t)s->rep->rows,
		                progress_estimate((int64_t)s->rep->rows, s->read, s->size));
	return rc;
}

static void on_bytes(const unsigned char *p, size_t n, void *ctx)
{
	struct stream *s = ctx;
	crypto_generichash_update(&s->hash, p, n);
	s->read += (long)n;
}

static enum cm_rc read_all(struct stream *s, FILE *f)
{
	static const struct itemcsv_read_ops ops = { on_chunk, on_bytes };
	enum cm_rc rc = itemcsv_read(f, &ops, s);
	if (s->pr)
		progress_end(s->pr);
	if (rc == CM_INVALID)
		till_seterr(s->t, "%s", _("the file cannot be read as a catalogue: nothing was imported"));
	else if (rc == CM_IO)
		till_seterr(s->t, "%s", _("the file cannot be read"));
	return rc;
}

struct finish_ctx {
	struct till *t;
	struct import_report *rep;
	uint8_t hash[CHAIN_HASH_LEN];
};

/* In the switch's transaction: the import's journal event. */
static enum cm_rc finish_import(struct store *st, const struct catgen_result *r, void *ctx)
{
	struct finish_ctx *f = ctx;
	(void)st;
	(void)r;
	return till_journal(f->t, "catalogue_import", 0, payload_of(f->rep, f->hash), NULL);
}

static void progress_cb(const char *what, int64_t done, int64_t total, void *ctx)
{
	progress_update(ctx, _(what), done, total);
}

static enum cm_rc build_and_switch(struct stream *s)
{
	struct store *st = till_store(s->t);
	struct finish_ctx f = { .t = s->t, .rep = s->rep };
	crypto_generichash_final(&s->hash, f.hash, sizeof f.hash);
	struct catgen_result r;
	if (s->pr)
		store_set_progress(st, progress_cb, s->pr);
	enum cm_rc rc = store_catgen_direct_finish(s->g, finish_import, &f, &r);
	s->g = NULL;
	store_set_progress(st, NULL, NULL);
	if (s->pr)
		progress_end(s->pr);
	return rc == CM_OK || rc == CM_CONFLICT ? rc : till_store_fail(s->t, rc);
}

/* One reading of the file into a new build, switched in at the end. */
static enum cm_rc stream_once(struct stream *s, FILE *f, bool skip_bad)
{
	struct store *st = till_store(s->t);
	enum cm_rc rc = store_import_begin(st);
	if (rc == CM_OK)
		rc = store_catgen_direct_begin(st, &s->g);
	if (rc != CM_OK)
		return till_store_fail(s->t, rc);
	rc = read_all(s, f);
	if (rc == CM_OK && s->rep->skipped && !skip_bad) {
		till_seterr(s->t, _("%zu bad rows: nothing was imported"), s->rep->skipped);
		rc = CM_INVALID;
	}
	if (rc == CM_OK)
		rc = build_and_switch(s);
	store_catgen_direct_abort(s->g);
	s->g = NULL;
	store_import_end(st);
	return rc;
}

static enum cm_rc stream_import(struct stream *s, FILE *f, bool skip_bad)
{
	enum cm_rc rc = stream_once(s, f, skip_bad);
	for (int i = 1; rc == CM_CONFLICT && i < TRIES; i++) {
		/* The live catalogue changed under the build: read it all again. */
		import_report_free(s->rep);
		memset(s->rep, 0, sizeof *s->rep);
		crypto_generichash_init(&s->hash, NULL, 0, CHAIN_HASH_LEN);
		s->read = 0;
		s->staged = 0;
		rewind(f);
		rc = stream_once(s, f, skip_bad);
	}
	if (rc == CM_CONFLICT)
		till_store_fail(s->t, rc);
	if (rc != CM_OK)
		s->rep->created = s->rep->updated = 0;
	return rc;
}

/* A file of at most one chunk is imported whole, in one transaction, as
 * always; a bigger one is streamed. */
enum cm_rc import_items_file(struct till *t, FILE *f, bool skip_bad, struct progress *pr,
                             struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	enum cm_rc rc = auth_require(t, ACT_MANAGE_CATALOGUE, NULL);
	if (rc != CM_OK)
		return rc;
	char *buf = malloc(ITEMCSV_READ_CHUNK + 1);
	if (!buf)
		return CM_NOMEM;
	size_t len = fread(buf, 1, ITEMCSV_READ_CHUNK + 1, f);
	if (ferror(f)) {
		till_seterr(t, "%s", _("the file cannot be read"));
		rc = CM_IO;
	} else if (len <= ITEMCSV_READ_CHUNK) {
		buf[len] = '\0';
		rc = import_items(t, buf, len, skip_bad, rep);
	} else {
		struct stream s = { .t = t, .rep = rep, .pr = pr };
		crypto_generichash_init(&s.hash, NULL, 0, CHAIN_HASH_LEN);
		if (fseek(f, 0, SEEK_END) == 0)
			s.size = ftell(f);
		rewind(f);
		rc = stream_import(&s, f, skip_bad);
	}
	free(buf);
	return rc;
}
