/* Imports at HQ: catalogue (CSV or JSON), store price lists, members. */
#include "hqimport.h"
#include "hqcredit.h"
#include "hqdues.h"

#include "core/barcode.h"
#include "core/csv.h"
#include "core/itemcsv.h"
#include "core/itemcsv_read.h"
#include "core/progress.h"
#include "core/money.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FILE (64L * 1024 * 1024)

static void report(const struct hqimport_opts *o, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(const struct hqimport_opts *o, const char *path, const char *fmt, ...)
{
	va_list ap;
	fprintf(o->errs, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(o->errs, fmt, ap);
	va_end(ap);
	fputc('\n', o->errs);
}

/* The whole file, NUL-terminated (caller frees); NULL with a report. */
static char *slurp(const char *path, const struct hqimport_opts *o, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!f) {
		report(o, path, _("cannot open: %s"), strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *p = cap <= (size_t)MAX_FILE ? realloc(buf, cap + 1) : NULL;
			if (!p) {
				report(o, path, _("too large (at most 64 MB)"));
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		report(o, path, _("cannot read"));
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- the catalogue ---- */

/* The CSV format's defaults (core/itemcsv.h) for what JSON leaves out:
 * the receipt name is the name cut to 32 bytes at a character boundary,
 * the unit "pcs", or "kg" when weighed. */
static void item_defaults(struct item_rec *it)
{
	if (!it->receipt_name[0]) {
		size_t n = strlen(it->name);
		if (n > sizeof it->receipt_name - 1) {
			n = sizeof it->receipt_name - 1;
			while (n > 0 && ((unsigned char)it->name[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(it->receipt_name, it->name, n);
		it->receipt_name[n] = '\0';
	}
	if (!it->unit[0])
		snprintf(it->unit, sizeof it->unit, "%s", it->weighed ? "kg" : "pcs");
}

/* Barcodes are kept under their catalogue key (core/barcode.h), as the
 * CSV import keeps them; a code that is no GTIN refuses the file. */
static enum cm_rc item_barcode_keys(const char *path, const struct hqimport_opts *o,
                                    struct proto_item *pi)
{
	for (size_t i = 0; i < pi->nbarcodes; i++) {
		char key[16];
		if (barcode_gtin_key(pi->barcodes[i], key) != CM_OK) {
			report(o, path, _("item %s: barcode \"%s\" is not an EAN-13, EAN-8, UPC-A or "
			                  "GTIN-14 number with a correct check digit"), pi->item.sku,
			       pi->barcodes[i]);
			return CM_INVALID;
		}
		memcpy(pi->barcodes[i], key, sizeof key);
	}
	return CM_OK;
}

/* A JSON catalogue: each element is an item as the protocol writes it;
 * "version" and "active" may be left out. Decoded by proto_page_decode
 * so the checks are the protocol's own. */
static enum cm_rc json_items(const char *path, const char *data, size_t len,
                             const struct hqimport_opts *o, struct proto_page *page)
{
	enum cm_rc rc = CM_INVALID;
	char err[256], *text = NULL;
	cJSON *arr = cJSON_ParseWithLength(data, len), *wrap = NULL, *e;
	memset(page, 0, sizeof *page);
	if (!cJSON_IsArray(arr)) {
		report(o, path, _("not a JSON array of items"));
		goto out;
	}
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsObject(e))
			continue;
		if (!cJSON_HasObjectItem(e, "version"))
			cJSON_AddNumberToObject(e, "version", 0);
		if (!cJSON_HasObjectItem(e, "active"))
			cJSON_AddBoolToObject(e, "active", true);
	}
	if (!(wrap = cJSON_CreateObject())) {
		rc = CM_NOMEM;
		goto out;
	}
	cJSON_AddNumberToObject(wrap, "upto", 0);
	cJSON_AddItemToObject(wrap, "items", arr);
	arr = NULL;
	if (!(text = cJSON_PrintUnformatted(wrap))) {
		rc = CM_NOMEM;
		goto out;
	}
	rc = proto_page_decode(text, strlen(text), page, err, sizeof err);
	if (rc != CM_OK)
		report(o, path, "%s", err);
	for (size_t i = 0; rc == CM_OK && i < page->nitems; i++) {
		item_defaults(&page->items[i].item);
		if (page->items[i].item.price > MONEY_PRICE_MAX) {
			report(o, path, _("item %s: the price is above the highest price the store "
			                  "accepts"), page->items[i].item.sku);
			rc = CM_INVALID;
		}
		if (rc == CM_OK)
			rc = item_barcode_keys(path, o, &page->items[i]);
	}
out:
	free(text);
	cJSON_Delete(wrap);
	cJSON_Delete(arr);
	return rc;
}

static void row_to_item(const struct itemcsv_row *row, struct proto_item *pi)
{
	memset(pi, 0, sizeof *pi);
	pi->item = row->item;
	pi->nbarcodes = row->nbarcodes;
	memcpy(pi->barcodes, row->barcodes, sizeof pi->barcodes);
}

struct conflict_ctx {
	const struct hqimport_opts *o;
	const char *path;
};

static void conflict_report(const char *kind, const char *code, const char *skus, void *ctx)
{
	const struct conflict_ctx *cc = ctx;
	report(cc->o, cc->path, _("%s %s is on more than one item: %s"), kind, code, skus);
}

static enum cm_rc put_items(struct hqstore *st, const char *path, const struct proto_page *page,
                            const struct hqimport_opts *o, struct hqimport_result *res)
{
	int64_t v;
	bool changed;
	enum cm_rc rc = hqstore_version_lock(st, HQ_CATALOGUE, &v);
	res->version = v++;
	for (size_t i = 0; rc == CM_OK && i < page->nitems; i++) {
		rc = hqstore_item_put(st, &page->items[i], v, o->full, &changed);
		res->changed += changed;
	}
	if (rc == CM_OK && o->full)
		rc = hqstore_items_delete_unseen(st, v, &res->deleted);
	/* A barcode or PLU on two items would stop every terminal's pull:
	 * refuse the whole file instead. */
	int64_t conflicts = 0;
	struct conflict_ctx cc = {o, path};
	if (rc == CM_OK)
		rc = hqstore_catalogue_conflicts(st, 20, conflict_report, &cc, &conflicts);
	if (rc == CM_OK && conflicts) {
		report(o, path, _("%lld barcode(s) or PLU(s) would belong to two items: nothing "
		       "imported"), (long long)conflicts);
		rc = CM_INVALID;
	}
	if (rc == CM_OK && (res->changed || res->deleted)) {
		rc = hqstore_version_set(st, HQ_CATALOGUE, v);
		res->version = v;
	}
	return rc;
}

/* Writes the items in one transaction. */
static enum cm_rc write_items(struct hqstore *st, const char *path, const struct proto_page *page,
                              const struct hqimport_opts *o, struct hqimport_result *res)
{
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = put_items(st, path, page, o, res);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		return rc;
	}
	return hqstore_commit(st);
}

/* ---- a CSV catalogue of any size, streamed ---- */

/* SKUs seen in the file, by a 64-bit hash (open addressing): a SKU in a
 * later chunk than its twin is caught here, in 8 bytes a SKU. A hash
 * collision (about one in 10^12 for a million SKUs) would report a
 * false twin. */
struct sku_set {
	uint64_t *slot;
	size_t cap, n;
};

/* FNV-1a of kind (a SKU 's', a barcode 'b', a PLU 'p') and the text. */
static uint64_t key_hash(char kind, const char *s)
{
	uint64_t h = (1469598103934665603ull ^ (unsigned char)kind) * 1099511628211ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h ? h : 1;
}

/* False when h was there already; *nomem when the set cannot grow. */
static bool sku_add(struct sku_set *set, uint64_t h, bool *nomem)
{
	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 1 << 16;
		uint64_t *slot = calloc(cap, sizeof *slot);
		if (!slot) {
			*nomem = true;
			return true;
		}
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slot[i])
				continue;
			size_t k = set->slot[i] & (cap - 1);
			while (slot[k])
				k = (k + 1) & (cap - 1);
			slot[k] = set->slot[i];
		}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	size_t k = h & (set->cap - 1);
	while (set->slot[k]) {
		if (set->slot[k] == h)
			return false;
		k = (k + 1) & (set->cap - 1);
	}
	set->slot[k] = h;
	set->n++;
	return true;
}

/* The barcodes and PLUs of the rows written, by their hash (8 bytes a
 * code), sorted at the end: two equal hashes are a code on two lines of
 * the file, or (about one in 10^7 for a million codes) two codes that
 * hash alike; either way the database's own check then decides. */
struct code_list {
	uint64_t *h;
	size_t n, cap;
};

static bool code_add(struct code_list *l, uint64_t h)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1 << 16;
		uint64_t *p = realloc(l->h, cap * sizeof *p);
		if (!p)
			return false;
		l->h = p;
		l->cap = cap;
	}
	l->h[l->n++] = h;
	return true;
}

/* Sorts h[0, n) in place: glibc's qsort would take a copy as large (8 MB
 * a million codes) for its merge sort. Quicksort on the middle element
 * (the hashes are in no order), the smaller side first so the stack stays
 * log n deep; short ranges by insertion. */
static void u64_sort(uint64_t *h, size_t n)
{
	while (n > 16) {
		uint64_t pivot = h[n / 2];
		size_t i = 0, j = n - 1;
		for (;;) {
			while (h[i] < pivot)
				i++;
			while (h[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint64_t t = h[i];
			h[i++] = h[j];
			h[j--] = t;
		}
		/* [0, j] <= pivot <= [j + 1, n) */
		if (j + 1 < n - j - 1) {
			u64_sort(h, j + 1);
			h += j + 1;
			n -= j + 1;
		} else {
			u64_sort(h + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = h[i];
		size_t k = i;
		for (; k > 0 && h[k - 1] > v; k--)
			h[k] = h[k - 1];
		h[k] = v;
	}
}

static bool code_repeats(struct code_list *l)
{
	u64_sort(l->h, l->n);
	for (size_t i = 1; i < l->n; i++)
		if (l->h[i] == l->h[i - 1])
			return true;
	return false;
}

struct csv_import {
	struct hqstore *st;
	const char *path;
	const struct hqimport_opts *o;
	struct hqimport_result *res;
	struct sku_set skus;
	struct code_list codes;   /* of the rows written */
	size_t written;           /* rows written (their SKUs differ) */
	int64_t changed;          /* items they changed (bulk_end's count) */
	int64_t version;          /* the version the rows take */
	struct hqstore_bulk bulk_state;
	struct progress pr;
	long size, read;
	bool bulk;                /* the bulk load began: it must be ended */
	bool store_failed;        /* the database, not the file, failed */
};

static enum cm_rc row_codes(struct code_list *l, const struct itemcsv_row *row)
{
	for (size_t k = 0; k < row->nbarcodes; k++)
		if (!code_add(l, key_hash('b', row->barcodes[k])))
			return CM_NOMEM;
	if (row->item.plu > 0) {
		char plu[16];
		snprintf(plu, sizeof plu, "%ld", (long)row->item.plu);
		if (!code_add(l, key_hash('p', plu)))
			return CM_NOMEM;
	}
	return CM_OK;
}

/* Each chunk's bad rows reported and its good rows written, inside the
 * import's one transaction. */
static enum cm_rc csv_chunk(const struct itemcsv_result *r, void *ctx)
{
	struct csv_import *ci = ctx;
	for (size_t i = 0; i < r->nerrors; i++)
		report(ci->o, ci->path, "%s", r->errors[i].msg);
	ci->res->rows += r->nrows + r->nerrors;
	ci->res->bad += r->nerrors;
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < r->nrows; i++) {
		bool nomem = false;
		if (!sku_add(&ci->skus, key_hash('s', r->rows[i].item.sku), &nomem)) {
			report(ci->o, ci->path, _("line %zu: SKU %s appears twice in the file"),
			       r->rows[i].line, r->rows[i].item.sku);
			ci->res->bad++;
			continue;
		}
		if (nomem || row_codes(&ci->codes, &r->rows[i]) != CM_OK)
			return CM_NOMEM;
		ci->written++;
		struct proto_item pi;
		row_to_item(&r->rows[i], &pi);
		rc = hqstore_items_bulk_put(ci->st, &ci->bulk_state, &pi);
		ci->store_failed = rc != CM_OK;
	}
	progress_update(&ci->pr, _("rows read"), (int64_t)ci->res->rows,
	                progress_estimate((int64_t)ci->res->rows, ci->read, ci->size));
	return rc;
}

static void csv_bytes(const unsigned char *p, size_t n, void *ctx)
{
	(void)p;
	((struct csv_import *)ctx)->read += (long)n;
}

/* Whether the database must look for a barcode or PLU on two items.
 * When every live item is one of the file's lines (a whole catalogue, or
 * --full), the live items' codes are the file's own: if no two of those
 * are alike, nothing can clash, and grouping every code of the catalogue
 * (2-3 s at a million items on PostgreSQL) is not needed. */
static enum cm_rc conflicts_possible(struct csv_import *ci, bool *possible)
{
	int64_t live = 0;
	*possible = true;
	if (code_repeats(&ci->codes))
		return CM_OK;
	if (ci->bulk_state.direct) {
		/* into an empty catalogue: every live item is one of the rows */
		*possible = false;
		return CM_OK;
	}
	enum cm_rc rc = hqstore_items_live(ci->st, &live);
	*possible = live != (int64_t)ci->written;
	return rc;
}

/* After the rows: deletions (--full), the conflicts check and the
 * version, as for a JSON file. */
static enum cm_rc csv_finish(struct csv_import *ci)
{
	const struct hqimport_opts *o = ci->o;
	struct hqimport_result *res = ci->res;
	enum cm_rc rc = CM_OK;
	if (res->bad && !o->skip_bad) {
		report(o, ci->path, _("%zu bad row(s): nothing imported (--skip-bad imports the others)"),
		       res->bad);
		return CM_INVALID;
	}
	res->changed = (size_t)ci->changed;
	if (rc == CM_OK && o->full)
		rc = hqstore_items_delete_unseen(ci->st, ci->version, &res->deleted);
	int64_t conflicts = 0;
	struct conflict_ctx cc = { o, ci->path };
	bool possible = true;
	if (rc == CM_OK)
		rc = conflicts_possible(ci, &possible);
	if (rc == CM_OK && possible)
		rc = hqstore_catalogue_conflicts(ci->st, 20, conflict_report, &cc, &conflicts);
	if (rc == CM_OK && conflicts) {
		report(o, ci->path, _("%lld barcode(s) or PLU(s) would belong to two items: nothing "
		       "imported"), (long long)conflicts);
		rc = CM_INVALID;
	}
	if (rc == CM_OK && (res->changed || res->deleted)) {
		rc = hqstore_version_set(ci->st, HQ_CATALOGUE, ci->version);
		res->version = ci->version;
	}
	return rc;
}

/* A CSV catalogue read a chunk at a time and written as it comes, all in
 * one transaction: memory stays the size of a chunk (and 8 bytes a SKU). */
static enum cm_rc csv_stream(struct hqstore *st, const char *path, FILE *f,
                             const struct hqimport_opts *o, struct hqimport_result *res)
{
	static const struct itemcsv_read_ops ops = { csv_chunk, csv_bytes };
	struct csv_import ci = { .st = st, .path = path, .o = o, .res = res };
	progress_init(&ci.pr, stderr);
	if (fseek(f, 0, SEEK_END) == 0)
		ci.size = ftell(f);
	rewind(f);
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_version_lock(st, HQ_CATALOGUE, &ci.version);
	res->version = ci.version++;
	if (rc == CM_OK) {
		rc = hqstore_items_bulk_begin(st, &ci.bulk_state, ci.version, o->full);
		ci.bulk = rc == CM_OK;
	}
	if (rc == CM_OK) {
		rc = itemcsv_read(f, &ops, &ci);
		progress_end(&ci.pr);
		if (rc == CM_IO && !ci.store_failed)
			report(o, path, _("cannot read"));
	}
	if (ci.bulk) {
		enum cm_rc e = hqstore_items_bulk_end(st, &ci.bulk_state,
		                                      rc == CM_OK && (!res->bad || o->skip_bad),
		                                      &ci.changed);
		if (rc == CM_OK)
			rc = e;
	}
	if (rc == CM_OK)
		rc = csv_finish(&ci);
	free(ci.skus.slot);
	free(ci.codes.h);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		res->changed = 0;
		res->deleted = 0;
		return rc;
	}
	return hqstore_commit(st);
}

/* A JSON catalogue is one array, read whole (at most 64 MB); a CSV one
 * any size, streamed. */
static bool file_is_json(FILE *f)
{
	int c;
	while ((c = getc(f)) != EOF && isspace(c))
		;
	rewind(f);
	return c == '[';
}

enum cm_rc hqimport_catalogue(struct hqstore *st, const char *path,
                              const struct hqimport_opts *o, struct hqimport_result *res)
{
	size_t len = 0;
	struct proto_page page;
	memset(res, 0, sizeof *res);
	memset(&page, 0, sizeof page);
	FILE *f = fopen(path, "rb");
	if (!f) {
		report(o, path, _("cannot open: %s"), strerror(errno));
		return CM_NOTFOUND;
	}
	bool json = file_is_json(f);
	if (!json) {
		enum cm_rc rc = csv_stream(st, path, f, o, res);
		fclose(f);
		return rc;
	}
	fclose(f);
	char *data = slurp(path, o, &len);
	if (!data)
		return CM_NOTFOUND;
	enum cm_rc rc = json_items(path, data, len, o, &page);
	res->rows = page.nitems;
	if (rc == CM_OK)
		rc = write_items(st, path, &page, o, res);
	proto_page_free(&page);
	free(data);
	return rc;
}

/* ---- price lists and members: small CSV tables ---- */

#define MAX_COLS 13  /* the widest table: members, 13 */

struct table {
	const char *path;
	const struct hqimport_opts *o;
	const char *const *cols;          /* known column names; the first `required` must be there */
	size_t ncols, required;
	int index[MAX_COLS];              /* file column of each known one, -1 if absent */
	bool header_done;
	/* rows, parsed by row_fn into a growing array of elem_size */
	enum cm_rc (*row_fn)(struct table *t, const char *const *v, size_t line, void *out);
	void *rows;
	size_t nrows, cap, elem_size;
	struct hqimport_result *res;
};

static void bad_row(struct table *t, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad_row(struct table *t, size_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(t->o, t->path, _("line %zu: %s"), line, msg);
	t->res->bad++;
}

static enum cm_rc header(struct table *t, const struct csv_row *row)
{
	for (size_t k = 0; k < t->ncols; k++)
		t->index[k] = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		size_t k = 0;
		while (k < t->ncols && strcasecmp(row->fields[i], t->cols[k]) != 0)
			k++;
		if (k == t->ncols) {
			report(t->o, t->path, _("line %zu: unknown column \"%s\""), row->line, row->fields[i]);
			return CM_INVALID;
		}
		t->index[k] = (int)i;
	}
	for (size_t k = 0; k < t->required; k++) {
		if (t->index[k] < 0) {
			report(t->o, t->path, _("line %zu: the column \"%s\" is missing"), row->line, t->cols[k]);
			return CM_INVALID;
		}
	}
	t->header_done = true;
	return CM_OK;
}

static enum cm_rc on_row(const struct csv_row *row, void *ctx)
{
	struct table *t = ctx;
	const char *v[MAX_COLS];
	if (!t->header_done)
		return header(t, row);
	t->res->rows++;
	for (size_t k = 0; k < t->ncols; k++)
		v[k] = t->index[k] >= 0 && (size_t)t->index[k] < row->nfields
		       ? row->fields[t->index[k]] : "";
	if (t->nrows == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 64;
		void *p = realloc(t->rows, n * t->elem_size);
		if (!p)
			return CM_NOMEM;
		t->rows = p;
		t->cap = n;
	}
	enum cm_rc rc = t->row_fn(t, v, row->line, (char *)t->rows + t->nrows * t->elem_size);
	if (rc == CM_OK)
		t->nrows++;
	return rc == CM_INVALID ? CM_OK : rc;
}

/* Reads the table; CM_INVALID when the file is unusable or a row is bad
 * (and not skip_bad). */
static enum cm_rc read_table(struct table *t)
{
	size_t len;
	char err[200];
	char *data = slurp(t->path, t->o, &len);
	if (!data)
		return CM_NOTFOUND;
	enum cm_rc rc = csv_parse(data, len, on_row, t, err, sizeof err);
	free(data);
	if (rc == CM_INVALID && err[0])
		report(t->o, t->path, "%s", err);
	if (rc == CM_OK && !t->header_done) {
		report(t->o, t->path, _("the file is empty: a header row is needed"));
		rc = CM_INVALID;
	}
	if (rc == CM_OK && t->res->bad && !t->o->skip_bad) {
		report(t->o, t->path, _("%zu bad row(s): nothing imported (--skip-bad imports the others)"),
		       t->res->bad);
		rc = CM_INVALID;
	}
	return rc;
}

static bool copy_field(char *buf, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return false;
	memcpy(buf, v, strlen(v) + 1);
	return true;
}

/* -- prices -- */

struct price_row {
	size_t line;
	char sku[32];
	int64_t price, member_price;
};

static const char *const price_cols[] = { "sku", "price", "member_price" };

static enum cm_rc price_row(struct table *t, const char *const *v, size_t line, void *out)
{
	struct price_row *p = out;
	p->line = line;
	p->member_price = 0;
	if (!v[0][0] || !copy_field(p->sku, sizeof p->sku, v[0])) {
		bad_row(t, line, _("the SKU is empty or longer than 31 bytes"));
		return CM_INVALID;
	}
	if (money_parse(v[1], &p->price) != CM_OK || p->price <= 0) {
		bad_row(t, line, _("price \"%s\" is not an amount in rupiah"), v[1]);
		return CM_INVALID;
	}
	if (v[2][0] && money_parse(v[2], &p->member_price) != CM_OK) {
		bad_row(t, line, _("member_price \"%s\" is not an amount in rupiah"), v[2]);
		return CM_INVALID;
	}
	if (p->member_price > p->price) {
		bad_row(t, line, _("the member price is above the price"));
		return CM_INVALID;
	}
	if (p->price > MONEY_PRICE_MAX) {
		bad_row(t, line, _("price \"%s\" is above the highest price the store accepts"), v[1]);
		return CM_INVALID;
	}
	return CM_OK;
}

static enum cm_rc put_prices(struct hqstore *st, const char *store, struct table *t)
{
	struct hqimport_result *res = t->res;
	const struct price_row *rows = t->rows;
	int64_t v;
	bool changed;
	enum cm_rc rc = hqstore_version_lock(st, HQ_CATALOGUE, &v);
	res->version = v++;
	size_t unknown = 0;
	for (size_t i = 0; rc == CM_OK && i < t->nrows; i++) {
		rc = hqstore_price_put(st, store, rows[i].sku, rows[i].price, rows[i].member_price,
		                       v, &changed);
		if (rc == CM_NOTFOUND) {
			bad_row(t, rows[i].line, _("SKU %s is not in the catalogue"), rows[i].sku);
			unknown++;
			rc = CM_OK;
			changed = false;
		}
		res->changed += changed;
	}
	if (rc == CM_OK && unknown && !t->o->skip_bad)
		rc = CM_INVALID;
	if (rc == CM_OK && res->changed) {
		rc = hqstore_version_set(st, HQ_CATALOGUE, v);
		res->version = v;
	}
	return rc;
}

enum cm_rc hqimport_prices(struct hqstore *st, const char *store, const char *path,
                           const struct hqimport_opts *o, struct hqimport_result *res)
{
	struct table t = { .path = path, .o = o, .cols = price_cols, .ncols = 3, .required = 2,
	                   .row_fn = price_row, .elem_size = sizeof(struct price_row), .res = res };
	memset(res, 0, sizeof *res);
	enum cm_rc rc = hqstore_store_exists(st, store);
	if (rc != CM_OK) {
		report(o, path, "%s", hqstore_errmsg());
		return rc;
	}
	if ((rc = read_table(&t)) != CM_OK)
		goto out;
	if ((rc = hqstore_begin(st)) != CM_OK)
		goto out;
	rc = put_prices(st, store, &t);
	if (rc == CM_INVALID)
		report(o, path, _("nothing imported (--skip-bad imports the others)"));
	if (rc != CM_OK)
		hqstore_rollback(st);
	else
		rc = hqstore_commit(st);
out:
	free(t.rows);
	return rc;
}

/* -- members -- */

/* Columns after the first four are optional; an absent column leaves
 * what HQ has of a member (see hqstore_member_upsert). */
static const char *const member_cols[] = { "number", "name", "card_code", "status", "type",
                                           "join_date", "left_date", "employer", "department",
                                           "employee_no", "store", "credit_limit", "salary" };
enum { MC_TYPE = 4, MC_JOIN, MC_LEFT, MC_EMPLOYER, MC_DEPARTMENT, MC_EMPLOYEE_NO, MC_STORE,
       MC_CREDIT, MC_SALARY, MC_COUNT };

struct member_row {
	size_t line;
	bool bad;
	struct hq_member m;
	int64_t credit, salary;           /* hqstore_credit_terms_set: -1 share, < -1 keep; < 0 keep */
};

/* Valid UTF-8 with no control character (a line break in a quoted field
 * included): what a till can show and a receipt print. */
static bool clean_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
		         : (*p & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7F)))
			return false;
		if (n == 2 && *p < 0xC2)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		if ((n == 3 && *p == 0xE0 && p[1] < 0xA0) || (n == 3 && *p == 0xED && p[1] >= 0xA0) ||
		    (n == 4 && *p == 0xF0 && p[1] < 0x90) || (n == 4 && *p >= 0xF4 && (*p > 0xF4 || p[1] >= 0x90)))
			return false;
		p += n;
	}
	return true;
}

/* "2026-04-10" or "20260410", a day of the calendar -> 20260410; 0 when not. */
static int32_t calendar_date(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
	    (strlen(s) != 8 || strspn(s, "0123456789") != 8 ||
	     sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) != 3))
		return 0;
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return y * 10000 + m * 100 + d;
}

static bool member_text(struct table *t, const char *const *v, size_t line)
{
	for (size_t k = 0; k < MC_COUNT; k++) {
		if (!clean_text(v[k])) {
			bad_row(t, line, _("%s is not UTF-8 text on one line (no line break or control "
			                   "character)"), member_cols[k]);
			return false;
		}
	}
	return true;
}

static bool member_names(struct table *t, const char *const *v, size_t line, struct hq_member *m)
{
	static const struct { int col; size_t off, size; const char *msg; } f[] = {
		{ MC_EMPLOYER, offsetof(struct hq_member, employer), 64, N_("the employer is longer than 63 bytes") },
		{ MC_DEPARTMENT, offsetof(struct hq_member, department), 64, N_("the department is longer than 63 bytes") },
		{ MC_EMPLOYEE_NO, offsetof(struct hq_member, employee_no), 32, N_("the employee number is longer than 31 bytes") },
		{ MC_STORE, offsetof(struct hq_member, store), 32, N_("the store code is longer than 31 bytes") },
	};
	if (!v[0][0] || !copy_field(m->number, sizeof m->number, v[0])) {
		bad_row(t, line, _("the member number is empty or longer than 23 bytes"));
		return false;
	}
	if (!v[1][0] || !copy_field(m->name, sizeof m->name, v[1])) {
		bad_row(t, line, _("the name is empty or longer than 63 bytes"));
		return false;
	}
	if (!copy_field(m->card_code, sizeof m->card_code, v[2])) {
		bad_row(t, line, _("the card code is longer than 31 bytes"));
		return false;
	}
	if (!copy_field(m->type, sizeof m->type, v[MC_TYPE][0] ? v[MC_TYPE] : "biasa")) {
		bad_row(t, line, _("the member type is longer than 23 bytes"));
		return false;
	}
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!copy_field((char *)m + f[i].off, f[i].size, v[f[i].col])) {
			bad_row(t, line, "%s", _(f[i].msg));
			return false;
		}
	}
	return true;
}

/* Dates and status agree: a member who left has a leaving date (when the
 * file has the column), one who did not has none. */
static bool member_dates(struct table *t, const char *const *v, size_t line, struct hq_member *m)
{
	if (v[MC_JOIN][0] && !(m->join_date = calendar_date(v[MC_JOIN]))) {
		bad_row(t, line, _("join_date \"%s\" is not a date YYYY-MM-DD"), v[MC_JOIN]);
		return false;
	}
	if (v[MC_LEFT][0] && !(m->left_date = calendar_date(v[MC_LEFT]))) {
		bad_row(t, line, _("left_date \"%s\" is not a date YYYY-MM-DD"), v[MC_LEFT]);
		return false;
	}
	const char *status = v[3][0] ? v[3] : m->left_date ? "left" : "active";
	if (strcmp(status, "active") && strcmp(status, "left") && strcmp(status, "blocked")) {
		bad_row(t, line, _("status \"%s\" is not active, left or blocked"), v[3]);
		return false;
	}
	copy_field(m->status, sizeof m->status, status);
	if (m->left_date && strcmp(status, "left") != 0) {
		bad_row(t, line, _("a left_date is for a member who left (status \"left\")"));
		return false;
	}
	if (!m->left_date && strcmp(status, "left") == 0 && t->index[MC_LEFT] >= 0) {
		bad_row(t, line, _("a member who left needs a left_date"));
		return false;
	}
	if (m->left_date && m->join_date && m->left_date < m->join_date) {
		bad_row(t, line, _("left_date is before join_date"));
		return false;
	}
	return true;
}

/* Member credit (hqcredit.h): an empty credit_limit means the share of
 * the salary; an empty salary, none known. */
static bool member_credit(struct table *t, const char *const *v, size_t line,
                          struct member_row *r)
{
	r->credit = t->index[MC_CREDIT] < 0 ? -2 : -1;
	r->salary = t->index[MC_SALARY] < 0 ? -1 : 0;
	for (int k = MC_CREDIT; k <= MC_SALARY; k++) {
		int64_t *to = k == MC_CREDIT ? &r->credit : &r->salary;
		if (!v[k][0])
			continue;
		if (money_parse(v[k], to) != CM_OK || *to < 0 || *to > MONEY_PRICE_MAX) {
			bad_row(t, line, _("%s \"%s\" is not an amount in rupiah"), member_cols[k], v[k]);
			return false;
		}
	}
	return true;
}

static enum cm_rc member_row(struct table *t, const char *const *v, size_t line, void *out)
{
	struct member_row *r = out;
	memset(r, 0, sizeof *r);
	r->line = line;
	if (!member_text(t, v, line) || !member_names(t, v, line, &r->m) ||
	    !member_dates(t, v, line, &r->m) || !member_credit(t, v, line, r))
		return CM_INVALID;
	return CM_OK;
}

static unsigned member_given(const struct table *t)
{
	static const unsigned flag[MC_COUNT] = {
		[MC_TYPE] = HQ_MF_TYPE, [MC_JOIN] = HQ_MF_JOIN, [MC_LEFT] = HQ_MF_LEFT,
		[MC_EMPLOYER] = HQ_MF_EMPLOYER, [MC_DEPARTMENT] = HQ_MF_DEPARTMENT,
		[MC_EMPLOYEE_NO] = HQ_MF_EMPLOYEE_NO, [MC_STORE] = HQ_MF_STORE };
	unsigned given = 0;
	for (size_t k = MC_TYPE; k < MC_COUNT; k++)
		if (t->index[k] >= 0)
			given |= flag[k];
	return given;
}

static int by_number(const void *a, const void *b)
{
	const struct member_row *x = *(struct member_row *const *)a, *y = *(struct member_row *const *)b;
	int c = strcmp(x->m.number, y->m.number);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int by_card(const void *a, const void *b)
{
	const struct member_row *x = *(struct member_row *const *)a, *y = *(struct member_row *const *)b;
	int c = strcmp(x->m.card_code, y->m.card_code);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A number or card code twice in the file: the later line is bad. */
static enum cm_rc member_file_dups(struct table *t)
{
	struct member_row *rows = t->rows;
	struct member_row **ix = malloc((t->nrows ? t->nrows : 1) * sizeof *ix);
	if (!ix)
		return CM_NOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->nrows; i++)
			ix[i] = &rows[i];
		qsort(ix, t->nrows, sizeof *ix, pass ? by_card : by_number);
		for (size_t i = 1; i < t->nrows; i++) {
			const char *a = pass ? ix[i - 1]->m.card_code : ix[i - 1]->m.number;
			const char *b = pass ? ix[i]->m.card_code : ix[i]->m.number;
			if (!b[0] || strcmp(a, b) != 0 || ix[i]->bad)
				continue;
			ix[i]->bad = true;
			if (pass)
				bad_row(t, ix[i]->line, _("card code %s is on line %zu already"), b,
				        ix[i - 1]->line);
			else
				bad_row(t, ix[i]->line, _("member number %s is on line %zu already"), b,
				        ix[i - 1]->line);
		}
	}
	free(ix);
	return CM_OK;
}

/* What only HQ's database can tell: the home store exists, the card is
 * no other member's, and a member whose type has dues rates has a join
 * date (else HQ could not say what they owe). */
static enum cm_rc member_db_checks(struct hqstore *st, struct table *t, struct member_row *r,
                                   const struct hqdues_schedule *sch, unsigned given)
{
	char owner[24];
	enum cm_rc rc = CM_OK;
	if (r->m.store[0] && (given & HQ_MF_STORE) &&
	    (rc = hqstore_store_exists(st, r->m.store)) == CM_NOTFOUND) {
		bad_row(t, r->line, _("store %s is not known at HQ"), r->m.store);
		r->bad = true;
		return CM_OK;
	}
	if (rc == CM_OK && r->m.card_code[0] &&
	    (rc = hqstore_member_card_owner(st, r->m.card_code, r->m.number, owner,
	                                    sizeof owner)) == CM_OK) {
		bad_row(t, r->line, _("card code %s belongs to member %s at HQ (give that member "
		                      "another card first)"), r->m.card_code, owner);
		r->bad = true;
		return CM_OK;
	}
	if (rc != CM_NOTFOUND)
		return rc;
	struct hq_member have = r->m;
	if (!(given & HQ_MF_JOIN) || !(given & HQ_MF_TYPE)) {
		rc = hqstore_member_get(st, r->m.number, false, &have);
		if (rc == CM_NOTFOUND)
			have = r->m;
		else if (rc != CM_OK)
			return rc;
		if (given & HQ_MF_JOIN)
			have.join_date = r->m.join_date;
		if (given & HQ_MF_TYPE)
			snprintf(have.type, sizeof have.type, "%s", r->m.type);
	}
	bool rated = false;
	for (size_t i = 0; i < sch->n && !rated; i++)
		rated = strcmp(sch->r[i].type, have.type) == 0;
	if (!have.join_date && rated) {
		bad_row(t, r->line, _("join_date is needed: members of type %s pay dues"), have.type);
		r->bad = true;
	}
	return CM_OK;
}

static enum cm_rc put_members(struct hqstore *st, struct table *t)
{
	struct hqimport_result *res = t->res;
	struct member_row *rows = t->rows;
	struct hqdues_schedule sch;
	unsigned given = member_given(t);
	int64_t v;
	bool changed;
	enum cm_rc rc = hqstore_members_version_lock(st, &v);
	if (rc != CM_OK || (rc = hqdues_schedule_load(st, &sch)) != CM_OK)
		return rc;
	res->version = v++;
	for (size_t i = 0; rc == CM_OK && i < t->nrows; i++)
		if (!rows[i].bad)
			rc = member_db_checks(st, t, &rows[i], &sch, given);
	hqdues_schedule_free(&sch);
	if (rc == CM_OK && res->bad && !t->o->skip_bad) {
		report(t->o, t->path, _("%zu bad row(s): nothing imported (--skip-bad imports the "
		                        "others)"), res->bad);
		return CM_INVALID;
	}
	int64_t share = 0, cutoff;
	if (rc == CM_OK)
		rc = hqcredit_settings(st, &share, &cutoff);
	for (size_t i = 0; rc == CM_OK && i < t->nrows; i++) {
		bool moved = false;
		if (rows[i].bad)
			continue;
		rc = hqstore_member_upsert(st, &rows[i].m, given, v, &changed);
		if (rc == CM_OK && (rows[i].credit >= -1 || rows[i].salary >= 0))
			rc = hqstore_credit_terms_set(st, rows[i].m.number, rows[i].credit,
			                              rows[i].salary, share, v, &moved);
		res->changed += changed || moved;
	}
	if (rc == CM_OK && res->changed) {
		rc = hqstore_version_set(st, HQ_MEMBERS, v);
		res->version = v;
	}
	return rc;
}

enum cm_rc hqimport_members(struct hqstore *st, const char *path,
                            const struct hqimport_opts *o, struct hqimport_result *res)
{
	/* Every bad row is named before deciding: the reader goes on past
	 * them, the checks across rows and against HQ come after. */
	struct hqimport_opts all = *o;
	all.skip_bad = true;
	struct table t = { .path = path, .o = &all, .cols = member_cols, .ncols = MC_COUNT,
	                   .required = 2, .row_fn = member_row,
	                   .elem_size = sizeof(struct member_row), .res = res };
	memset(res, 0, sizeof *res);
	enum cm_rc rc = read_table(&t);
	t.o = o;
	if (rc == CM_OK)
		rc = member_file_dups(&t);
	if (rc == CM_OK && (rc = hqstore_begin(st)) == CM_OK) {
		rc = put_members(st, &t);
		if (rc != CM_OK)
			hqstore_rollback(st);
		else
			rc = hqstore_commit(st);
	}
	free(t.rows);
	return rc;
}

/* -- the dues schedule -- */

static const char *const rate_cols[] = { "type", "kind", "from", "amount" };

static enum cm_rc rate_row(struct table *t, const char *const *v, size_t line, void *out)
{
	struct dues_rate *r = out;
	memset(r, 0, sizeof *r);
	if (!v[0][0] || !clean_text(v[0]) || !copy_field(r->type, sizeof r->type, v[0])) {
		bad_row(t, line, _("the member type is empty, longer than 23 bytes or not text"));
		return CM_INVALID;
	}
	if (dues_kind_parse(v[1], &r->kind) != CM_OK || r->kind == DUES_SUKARELA) {
		bad_row(t, line, _("kind \"%s\" is not pokok or wajib (sukarela has no rate)"), v[1]);
		return CM_INVALID;
	}
	if (dues_month_parse(v[2], &r->from) != CM_OK) {
		bad_row(t, line, _("from \"%s\" is not a month YYYY-MM"), v[2]);
		return CM_INVALID;
	}
	if (money_parse(v[3], &r->amount) != CM_OK || r->amount < 0 || r->amount > MONEY_PRICE_MAX) {
		bad_row(t, line, _("amount \"%s\" is not an amount in rupiah"), v[3]);
		return CM_INVALID;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct dues_rate *o = &((const struct dues_rate *)t->rows)[i];
		if (o->kind == r->kind && o->from == r->from && strcmp(o->type, r->type) == 0) {
			bad_row(t, line, _("the rate of %s %s from %s is given twice"), r->type, v[1], v[2]);
			return CM_INVALID;
		}
	}
	return CM_OK;
}

enum cm_rc hqimport_dues_rates(struct hqstore *st, const char *path,
                               const struct hqimport_opts *o, struct hqimport_result *res)
{
	struct hqimport_opts all = *o;
	all.skip_bad = true;
	struct table t = { .path = path, .o = &all, .cols = rate_cols, .ncols = 4, .required = 4,
	                   .row_fn = rate_row, .elem_size = sizeof(struct dues_rate), .res = res };
	memset(res, 0, sizeof *res);
	enum cm_rc rc = read_table(&t);
	if (rc == CM_OK && res->bad) {
		report(o, path, _("%zu bad row(s): nothing imported"), res->bad);
		rc = CM_INVALID;
	}
	if (rc == CM_OK)
		rc = hqdues_rates_put(st, t.rows, t.nrows, &res->changed);
	if (rc == CM_OK)
		rc = hqstore_version(st, HQ_MEMBERS, &res->version);
	free(t.rows);
	return rc;
}

/* -- payroll deductions of dues -- */

static const char *const payroll_cols[] = { "member", "kind", "period", "amount", "date" };

struct payroll_row {
	size_t line;
	struct hq_dues_pay p;
};

static enum cm_rc payroll_row(struct table *t, const char *const *v, size_t line, void *out)
{
	struct payroll_row *r = out;
	struct hq_dues_pay *p = &r->p;
	int32_t period;
	memset(r, 0, sizeof *r);
	r->line = line;
	if (!v[0][0] || !clean_text(v[0]) || !copy_field(p->member_no, sizeof p->member_no, v[0])) {
		bad_row(t, line, _("the member number is empty or longer than 23 bytes"));
		return CM_INVALID;
	}
	if (dues_kind_parse(v[1], &p->kind) != CM_OK) {
		bad_row(t, line, _("kind \"%s\" is not pokok, wajib or sukarela"), v[1]);
		return CM_INVALID;
	}
	if (dues_month_parse(v[2], &period) != CM_OK) {
		bad_row(t, line, _("period \"%s\" is not a month YYYY-MM"), v[2]);
		return CM_INVALID;
	}
	if (money_parse(v[3], &p->amount) != CM_OK || p->amount <= 0 || p->amount > MONEY_PRICE_MAX) {
		bad_row(t, line, _("amount \"%s\" is not an amount in rupiah above 0"), v[3]);
		return CM_INVALID;
	}
	if (!(p->date = calendar_date(v[4]))) {
		bad_row(t, line, _("date \"%s\" is not a date YYYY-MM-DD"), v[4]);
		return CM_INVALID;
	}
	p->month = p->kind == DUES_WAJIB ? period : 0;
	p->payroll = true;
	/* The line as HQ reads it, so the same deduction written another way
	 * (2026-09 or 202609, 30.000 or 30000) is still the same line. */
	snprintf(p->source, sizeof p->source, "payroll|%s|%s|%ld|%lld|%ld", p->member_no,
	         dues_kind_name(p->kind), (long)period, (long long)p->amount, (long)p->date);
	return CM_OK;
}

static enum cm_rc payroll_fold(struct hqstore *st, struct table *t)
{
	struct hqimport_result *res = t->res;
	const struct payroll_row *rows = t->rows;
	struct hqdues_schedule sch;
	int64_t v;
	enum cm_rc rc = hqstore_members_version_lock(st, &v);
	if (rc != CM_OK || (rc = hqdues_schedule_load(st, &sch)) != CM_OK)
		return rc;
	res->version = v++;
	for (size_t i = 0; rc == CM_OK && i < t->nrows; i++) {
		enum hqdues_outcome out;
		struct hq_member m;
		/* Members HQ does not know refuse their lines: a payroll file is
		 * the office's own, to be mended and imported again. */
		rc = hqstore_member_get(st, rows[i].p.member_no, true, &m);
		if (rc == CM_NOTFOUND) {
			bad_row(t, rows[i].line, _("member %s is not known at HQ"), rows[i].p.member_no);
			rc = CM_OK;
			continue;
		}
		if (rc == CM_OK && (rc = hqstore_dues_source_seen(st, rows[i].p.source)) == CM_OK) {
			res->seen++;
			continue;
		}
		if (rc != CM_NOTFOUND)
			break;
		rc = hqdues_fold(st, &sch, &rows[i].p, &m, v, &out);
		res->counted += out == HQDUES_COUNTED;
		res->duplicates += out == HQDUES_DUPLICATE;
	}
	hqdues_schedule_free(&sch);
	if (rc == CM_OK && (res->counted || res->duplicates)) {
		rc = hqstore_version_set(st, HQ_MEMBERS, v);
		res->version = v;
	}
	return rc;
}

enum cm_rc hqimport_dues_payroll(struct hqstore *st, const char *path,
                                 const struct hqimport_opts *o, struct hqimport_result *res)
{
	struct hqimport_opts all = *o;
	all.skip_bad = true;
	struct table t = { .path = path, .o = &all, .cols = payroll_cols, .ncols = 5, .required = 5,
	                   .row_fn = payroll_row, .elem_size = sizeof(struct payroll_row), .res = res };
	memset(res, 0, sizeof *res);
	enum cm_rc rc = read_table(&t);
	if (rc == CM_OK && (rc = hqstore_begin(st)) == CM_OK) {
		rc = payroll_fold(st, &t);
		if (rc == CM_OK && res->bad && !o->skip_bad) {
			report(o, path, _("%zu bad line(s): nothing imported (--skip-bad imports the "
			                  "others)"), res->bad);
			rc = CM_INVALID;
		}
		if (rc != CM_OK)
			hqstore_rollback(st);
		else
			rc = hqstore_commit(st);
	}
	free(t.rows);
	return rc;
}

/* -- purchase orders -- */

struct order_row {
	size_t line;
	char po[32], supplier[64], sku[32];
	int32_t date;
	cm_qty qty;
	cm_money cost;
};

static const char *const order_cols[] = { "po", "supplier", "date", "sku", "qty", "cost" };

/* "2026-11-29" or "20261129" -> 20261129; 0 when malformed. */
static int32_t order_date(const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
	    (strlen(s) != 8 || sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) != 3))
		return 0;
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return y * 10000 + m * 100 + d;
}

static enum cm_rc order_row(struct table *t, const char *const *v, size_t line, void *out)
{
	struct order_row *r = out;
	memset(r, 0, sizeof *r);
	r->line = line;
	if (!v[0][0] || !copy_field(r->po, sizeof r->po, v[0])) {
		bad_row(t, line, _("the order number is empty or longer than 31 bytes"));
		return CM_INVALID;
	}
	if (!v[1][0] || !copy_field(r->supplier, sizeof r->supplier, v[1])) {
		bad_row(t, line, _("the supplier is empty or longer than 63 bytes"));
		return CM_INVALID;
	}
	if (!(r->date = order_date(v[2]))) {
		bad_row(t, line, _("date \"%s\" is not YYYY-MM-DD"), v[2]);
		return CM_INVALID;
	}
	if (!v[3][0] || !copy_field(r->sku, sizeof r->sku, v[3])) {
		bad_row(t, line, _("the SKU is empty or longer than 31 bytes"));
		return CM_INVALID;
	}
	if (qty_parse(v[4], true, &r->qty) != CM_OK) {
		bad_row(t, line, _("quantity \"%s\" is not a number above 0 (decimals with a comma)"), v[4]);
		return CM_INVALID;
	}
	if (v[5][0] && money_parse(v[5], &r->cost) != CM_OK) {
		bad_row(t, line, _("cost \"%s\" is not an amount in rupiah"), v[5]);
		return CM_INVALID;
	}
	if (r->cost > MONEY_PRICE_MAX) {
		bad_row(t, line, _("cost \"%s\" is above the highest price the store accepts"), v[5]);
		return CM_INVALID;
	}
	return CM_OK;
}

/* The rows grouped into orders (in the order their numbers first appear);
 * a number's rows must agree on supplier and date. */
static enum cm_rc group_orders(struct table *t, struct proto_orders *out)
{
	const struct order_row *rows = t->rows;
	memset(out, 0, sizeof *out);
	if (!(out->orders = calloc(t->nrows ? t->nrows : 1, sizeof *out->orders)))
		return CM_NOMEM;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct order_row *r = &rows[i];
		struct proto_order *o = NULL;
		for (size_t k = 0; k < out->norders && !o; k++)
			if (strcmp(out->orders[k].po, r->po) == 0)
				o = &out->orders[k];
		if (!o) {
			o = &out->orders[out->norders++];
			snprintf(o->po, sizeof o->po, "%s", r->po);
			snprintf(o->supplier, sizeof o->supplier, "%s", r->supplier);
			o->date = r->date;
		} else if (strcasecmp(o->supplier, r->supplier) != 0 || o->date != r->date) {
			bad_row(t, r->line, _("order %s has another supplier or date on an earlier line"),
			        r->po);
			continue;
		}
		if (o->nlines >= PROTO_MAX_ORDER_LINES) {
			bad_row(t, r->line, _("order %s has more than %d lines"), r->po,
			        PROTO_MAX_ORDER_LINES);
			continue;
		}
		struct proto_order_line *nl = realloc(o->lines, (o->nlines + 1) * sizeof *nl);
		if (!nl)
			return CM_NOMEM;
		o->lines = nl;
		snprintf(nl[o->nlines].sku, sizeof nl[o->nlines].sku, "%s", r->sku);
		nl[o->nlines].qty = r->qty;
		nl[o->nlines].cost = r->cost;
		o->nlines++;
	}
	if (out->norders > PROTO_MAX_ORDERS) {
		report(t->o, t->path, _("%zu orders: at most %d in one file (split it)"), out->norders,
		       PROTO_MAX_ORDERS);
		return CM_INVALID;
	}
	return t->res->bad ? CM_INVALID : CM_OK;
}

_Static_assert(sizeof order_cols / sizeof order_cols[0] <= MAX_COLS, "MAX_COLS too small");

enum cm_rc hqimport_orders(struct hqstore *st, const char *store, const char *path,
                           const struct hqimport_opts *o, struct hqimport_result *res)
{
	/* Orders are all or nothing, but every bad row is named first: the
	 * table reader goes on past bad rows, the check comes after grouping. */
	struct hqimport_opts all = *o;
	all.skip_bad = true;
	struct table t = { .path = path, .o = &all, .cols = order_cols, .ncols = 6, .required = 5,
	                   .row_fn = order_row, .elem_size = sizeof(struct order_row), .res = res };
	struct proto_orders orders;
	int64_t v = 0;
	memset(res, 0, sizeof *res);
	memset(&orders, 0, sizeof orders);
	enum cm_rc rc = hqstore_store_exists(st, store);
	if (rc != CM_OK) {
		report(o, path, "%s", hqstore_errmsg());
		return rc;
	}
	if ((rc = read_table(&t)) != CM_OK)
		goto out;
	if ((rc = group_orders(&t, &orders)) != CM_OK) {
		if (rc == CM_INVALID && res->bad)
			report(o, path, _("%zu bad row(s): nothing imported"), res->bad);
		goto out;
	}
	if ((rc = hqstore_begin(st)) != CM_OK)
		goto out;
	rc = hqstore_version(st, HQ_ORDERS, &v);
	v++;
	for (size_t i = 0; rc == CM_OK && i < orders.norders; i++)
		if ((rc = hqstore_order_put(st, store, &orders.orders[i], v)) != CM_OK)
			report(o, path, "%s", hqstore_errmsg());
	if (rc == CM_OK && orders.norders)
		rc = hqstore_version_set(st, HQ_ORDERS, v);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		if (rc == CM_STATE || rc == CM_NOTFOUND) {
			report(o, path, _("nothing imported"));
			rc = CM_INVALID;
		}
		goto out;
	}
	if ((rc = hqstore_commit(st)) == CM_OK) {
		res->changed = orders.norders;
		res->version = orders.norders ? v : v - 1;
	}
out:
	proto_orders_free(&orders);
	free(t.rows);
	return rc;
}
