/* Catalogue CSV: header mapping and per-row validation (format in
 * itemcsv.h). Every message names the line and the value at fault in words
 * a store manager can act on without reading this code. A bad row gets one
 * message (the first problem found); the manager fixes it and re-imports.
 *
 * Besides the rules in the header, a row whose fields are all empty is
 * skipped (spreadsheets save such rows), and a plu used twice is an error
 * on the later line, as two items cannot answer the same scale code. */
#include "core/itemcsv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/barcode.h"
#include "core/csv.h"
#include "core/money.h"

enum col {
	COL_SKU, COL_NAME, COL_PRICE, COL_BARCODES, COL_RECEIPT_NAME, COL_UNIT,
	COL_WEIGHED, COL_MEMBER_PRICE, COL_TAX_CLASS, COL_CATEGORY,
	COL_SUPPLIER, COL_PLU, COL_ACTIVE, COL_COUNT
};

#define COL_REQUIRED 3 /* the first three columns above */

static const char *const col_names[COL_COUNT] = {
	"sku", "name", "price", "barcodes", "receipt_name", "unit", "weighed",
	"member_price", "tax_class", "category", "supplier", "plu", "active",
};

#define VAL_MAX 4097 /* a CSV field with its NUL */
#define QUOTE_MAX 40 /* bytes of a bad value repeated in a message */

/* Keys already seen in the file ("s" + sku, "b" + barcode, "p" + plu)
 * with the line of their first appearance: open addressing, linear
 * probing, kept at most half full. */
struct seen_slot {
	char key[36];
	size_t line;
};

struct seen_set {
	struct seen_slot *slots;
	size_t cap, used;
};

struct ctx {
	struct itemcsv_result *out;
	size_t cap_rows, cap_errors;
	bool have_header;
	int field_of[COL_COUNT];        /* -1 when the column is absent */
	size_t ncols;
	struct seen_set seen;
	bool fatal;                     /* header error: errors[0] says why */
	size_t shift;                   /* file line = data's line + shift */
	char val[COL_COUNT][VAL_MAX];   /* trimmed values of the current row */
};

static void *grow(void *p, size_t *cap, size_t size)
{
	size_t n = *cap ? *cap * 2 : 64;
	void *q = realloc(p, n * size);

	if (q)
		*cap = n;
	return q;
}

static enum cm_rc verror(struct ctx *c, size_t line, const char *fmt,
			 va_list ap) __attribute__((format(printf, 3, 0)));

static enum cm_rc verror(struct ctx *c, size_t line, const char *fmt, va_list ap)
{
	struct itemcsv_result *r = c->out;
	struct itemcsv_error *e;
	size_t k = 0;

	if (r->nerrors == c->cap_errors) {
		void *p = grow(r->errors, &c->cap_errors, sizeof *r->errors);

		if (!p)
			return CM_NOMEM;
		r->errors = p;
	}
	e = &r->errors[r->nerrors++];
	e->line = line;
	if (line)
		k = (size_t)snprintf(e->msg, sizeof e->msg, _("line %zu: "), line);
	vsnprintf(e->msg + k, sizeof e->msg - k, fmt, ap);
	return CM_OK;
}

/* Records a message; CM_OK or CM_NOMEM. */
static enum cm_rc add_error(struct ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cm_rc add_error(struct ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	enum cm_rc rc;

	va_start(ap, fmt);
	rc = verror(c, line, fmt, ap);
	va_end(ap);
	return rc;
}

/* Records why a row is refused; CM_INVALID (or CM_NOMEM), so that checks
 * can `return reject(...)`. */
static enum cm_rc reject(struct ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cm_rc reject(struct ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	enum cm_rc rc;

	va_start(ap, fmt);
	rc = verror(c, line, fmt, ap);
	va_end(ap);
	return rc == CM_OK ? CM_INVALID : rc;
}

/* A value fit to repeat inside a message: cut at a character boundary,
 * control characters shown as '?'. */
static const char *quote(const char *v, char buf[QUOTE_MAX + 4])
{
	size_t n = 0;

	for (; v[n] && n < QUOTE_MAX; n++)
		buf[n] = (unsigned char)v[n] < ' ' ? '?' : v[n];
	if (v[n]) {
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- the set of keys seen so far ---- */

static size_t hash_key(const char *s)
{
	size_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct seen_slot *seen_find(struct seen_set *set, const char *key)
{
	size_t i = hash_key(key) & (set->cap - 1);

	while (set->slots[i].line && strcmp(set->slots[i].key, key) != 0)
		i = (i + 1) & (set->cap - 1);
	return &set->slots[i];
}

static enum cm_rc seen_grow(struct seen_set *set)
{
	struct seen_set bigger = { .cap = set->cap ? set->cap * 2 : 256 };

	bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
	if (!bigger.slots)
		return CM_NOMEM;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].line)
			*seen_find(&bigger, set->slots[i].key) = set->slots[i];
	bigger.used = set->used;
	free(set->slots);
	*set = bigger;
	return CM_OK;
}

/* Records kind+value first seen on line; *first is the earlier line when
 * it was already there, else 0. Values are at most 33 bytes here. */
static enum cm_rc seen_add(struct seen_set *set, char kind, const char *value,
			   size_t line, size_t *first)
{
	struct seen_slot *s;
	char key[36];

	*first = 0;
	if (set->used * 2 >= set->cap && seen_grow(set) != CM_OK)
		return CM_NOMEM;
	/* kind and at most 33 bytes of value: not snprintf, which was a
	 * twentieth of a big import's reading */
	size_t n = strnlen(value, sizeof key - 2);
	key[0] = kind;
	memcpy(key + 1, value, n);
	memset(key + 1 + n, 0, sizeof key - 1 - n);
	s = seen_find(set, key);
	if (s->line) {
		*first = s->line;
		return CM_OK;
	}
	memcpy(s->key, key, sizeof key);
	s->line = line;
	set->used++;
	return CM_OK;
}

/* ---- value checks ---- */

/* Well-formed UTF-8 without overlong forms, surrogates or code points
 * above U+10FFFF: what a spreadsheet's "CSV UTF-8" export produces and
 * what a Latin-1 export does not. */
static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s++, need, min, cp;

		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, min = 0x80, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, min = 0x800, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return false;
		for (; need; need--, s++) {
			if ((*s & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (*s & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
	}
	return true;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return true;
	return false;
}

/* Free text of at most max bytes copied into dst; "" stays "". */
static enum cm_rc check_text(struct ctx *c, size_t line, enum col col,
			     size_t max, char *dst)
{
	const char *v = c->val[col];
	const char *name = col_names[col];
	size_t n = strlen(v);

	if (!utf8_valid((const unsigned char *)v))
		return reject(c, line, _("%s is not valid UTF-8 text (save the "
			      "file as \"CSV UTF-8\")"), name);
	if (has_control(v))
		return reject(c, line, _("%s contains a line break or control "
			      "character"), name);
	if (n > max)
		return reject(c, line, _("%s is too long (%zu bytes, at most %zu)"),
			      name, n, max);
	memcpy(dst, v, n + 1);
	return CM_OK;
}

/* 1, 0, or -1 when not a yes/no word; dflt when empty. */
static int parse_bool(const char *v, int dflt)
{
	static const char *const yes[] = { "1", "ya", "yes", "y", "true" };
	static const char *const no[] = { "0", "tidak", "no", "n", "false" };

	if (!*v)
		return dflt;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static enum cm_rc check_flag(struct ctx *c, size_t line, enum col col,
			     bool dflt, bool *out)
{
	char q[QUOTE_MAX + 4];
	int b = parse_bool(c->val[col], dflt);

	if (b < 0)
		return reject(c, line, _("%s \"%s\" is not one of 1/0, ya/tidak, "
			      "yes/no, y/n, true/false"), col_names[col],
			      quote(c->val[col], q));
	*out = b;
	return CM_OK;
}

static enum cm_rc check_sku(struct ctx *c, struct itemcsv_row *r)
{
	const char *v = c->val[COL_SKU];
	char q[QUOTE_MAX + 4];
	size_t n = strlen(v), first;

	if (n == 0)
		return reject(c, r->line, _("sku is empty (every item needs one)"));
	if (n >= sizeof r->item.sku)
		return reject(c, r->line, _("sku \"%s\" is too long (at most %zu "
			      "bytes)"), quote(v, q), sizeof r->item.sku - 1);
	/* a SKU is typed at the till and scanned as text, where a space
	 * would end it */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return reject(c, r->line, _("sku \"%s\" contains a space "
				      "or control character"), quote(v, q));
	if (!utf8_valid((const unsigned char *)v))
		return reject(c, r->line, _("sku is not valid UTF-8 text (save "
			      "the file as \"CSV UTF-8\")"));
	memcpy(r->item.sku, v, n + 1);
	if (seen_add(&c->seen, 's', v, r->line, &first) != CM_OK)
		return CM_NOMEM;
	if (first)
		return reject(c, r->line, _("sku \"%s\" already appears on line %zu"),
			      quote(v, q), first + c->shift);
	return CM_OK;
}

/* Why tok (not a valid GTIN) was refused, in words. */
static enum cm_rc reject_barcode(struct ctx *c, size_t line, const char *tok)
{
	size_t n = strlen(tok);
	char q[QUOTE_MAX + 4];
	bool digits = strspn(tok, "0123456789") == n;

	if (digits && (n == 8 || n == 12 || n == 13 || n == 14))
		return reject(c, line, _("barcode \"%s\" has a wrong check digit "
			      "(the last digit should be %d)"), tok,
			      barcode_check_digit(tok, n - 1));
	return reject(c, line, _("barcode \"%s\" is not an EAN-13, EAN-8, "
		      "UPC-A or GTIN-14 number"), quote(tok, q));
}

static enum cm_rc add_barcode(struct ctx *c, struct itemcsv_row *r,
			      const char *tok)
{
	struct barcode bc;
	size_t first;

	if (barcode_parse(tok, NULL, 0, &bc) != CM_OK || bc.kind == BC_TEXT)
		return reject_barcode(c, r->line, tok);
	if (r->nbarcodes == ITEMCSV_MAX_BARCODES)
		return reject(c, r->line, _("more than %d barcodes (at most %d "
			      "per item)"), ITEMCSV_MAX_BARCODES,
			      ITEMCSV_MAX_BARCODES);
	if (seen_add(&c->seen, 'b', bc.code, r->line, &first) != CM_OK)
		return CM_NOMEM;
	/* named by its key: 40123455 and 0000040123455 are one barcode */
	if (first == r->line)
		return reject(c, r->line, _("barcode %s is listed twice"), bc.code);
	if (first)
		return reject(c, r->line, _("barcode %s already appears on line "
			      "%zu"), bc.code, first + c->shift);
	memcpy(r->barcodes[r->nbarcodes++], bc.code, strlen(bc.code) + 1);
	return CM_OK;
}

static enum cm_rc check_barcodes(struct ctx *c, struct itemcsv_row *r)
{
	char *save = NULL;
	enum cm_rc rc = CM_OK;

	/* val is this row's private copy, so it may be cut up in place */
	for (char *tok = strtok_r(c->val[COL_BARCODES], " |", &save);
	     tok && rc == CM_OK; tok = strtok_r(NULL, " |", &save))
		rc = add_barcode(c, r, tok);
	return rc;
}

static enum cm_rc check_name(struct ctx *c, struct itemcsv_row *r)
{
	if (!c->val[COL_NAME][0])
		return reject(c, r->line, _("name is empty"));
	return check_text(c, r->line, COL_NAME, sizeof r->item.name - 1,
			  r->item.name);
}

static enum cm_rc parse_price(struct ctx *c, size_t line, enum col col,
			      cm_money *out)
{
	char q[QUOTE_MAX + 4];

	if (money_parse(c->val[col], out) != CM_OK)
		return reject(c, line, _("%s \"%s\" is not a whole rupiah amount "
			      "(write it like 12500 or 12.500)"), col_names[col],
			      quote(c->val[col], q));
	if (*out > MONEY_PRICE_MAX) {
		char max[32];

		money_format(MONEY_PRICE_MAX, NULL, max, sizeof max);
		return reject(c, line, _("%s \"%s\" is above the highest price "
			      "the store accepts (%s)"), col_names[col],
			      quote(c->val[col], q), max);
	}
	return CM_OK;
}

static enum cm_rc check_price(struct ctx *c, struct itemcsv_row *r)
{
	enum cm_rc rc;

	if (!c->val[COL_PRICE][0])
		return reject(c, r->line, _("price is empty"));
	if ((rc = parse_price(c, r->line, COL_PRICE, &r->item.price)) != CM_OK)
		return rc;
	/* the schema allows 0, but in a file it is nearly always a price
	 * that was forgotten, and the till would give the item away */
	if (r->item.price == 0)
		return reject(c, r->line, _("price is 0 (an item cannot be "
			      "sold for nothing)"));
	return CM_OK;
}

static enum cm_rc check_weighed(struct ctx *c, struct itemcsv_row *r)
{
	return check_flag(c, r->line, COL_WEIGHED, false, &r->item.weighed);
}

static enum cm_rc check_active(struct ctx *c, struct itemcsv_row *r)
{
	return check_flag(c, r->line, COL_ACTIVE, true, &r->item.active);
}

static enum cm_rc check_unit(struct ctx *c, struct itemcsv_row *r)
{
	enum cm_rc rc = check_text(c, r->line, COL_UNIT,
				   sizeof r->item.unit - 1, r->item.unit);

	if (rc == CM_OK && !r->item.unit[0])
		strcpy(r->item.unit, r->item.weighed ? "kg" : "pcs");
	return rc;
}

static enum cm_rc check_receipt_name(struct ctx *c, struct itemcsv_row *r)
{
	struct item_rec *it = &r->item;
	enum cm_rc rc = check_text(c, r->line, COL_RECEIPT_NAME,
				   sizeof it->receipt_name - 1, it->receipt_name);

	/* The whole name: the receipt wraps a long one, and a cut made here
	 * would split "1 kg" from the name or a UTF-8 character in two. */
	if (rc == CM_OK && !it->receipt_name[0]) {
		size_t n = strnlen(it->name, sizeof it->receipt_name - 1);
		memcpy(it->receipt_name, it->name, n);
		it->receipt_name[n] = '\0';
	}
	return rc;
}

static enum cm_rc check_member_price(struct ctx *c, struct itemcsv_row *r)
{
	char a[32], b[32];
	enum cm_rc rc;

	if (!c->val[COL_MEMBER_PRICE][0])
		return CM_OK;
	rc = parse_price(c, r->line, COL_MEMBER_PRICE, &r->item.member_price);
	if (rc != CM_OK)
		return rc;
	if (r->item.member_price > r->item.price) {
		money_format(r->item.member_price, NULL, a, sizeof a);
		money_format(r->item.price, NULL, b, sizeof b);
		return reject(c, r->line, _("member_price %s is higher than the "
			      "price %s"), a, b);
	}
	return CM_OK;
}

static enum cm_rc check_tax_class(struct ctx *c, struct itemcsv_row *r)
{
	const char *v = c->val[COL_TAX_CLASS];
	char q[QUOTE_MAX + 4];

	r->item.tax = TAX_STANDARD;
	if (*v && tax_class_parse(v, &r->item.tax) != CM_OK)
		return reject(c, r->line, _("tax_class \"%s\" is not exempt, "
			      "standard or luxury (or E, S, L)"), quote(v, q));
	return CM_OK;
}

static enum cm_rc check_category(struct ctx *c, struct itemcsv_row *r)
{
	return check_text(c, r->line, COL_CATEGORY,
			  sizeof r->item.category - 1, r->item.category);
}

static enum cm_rc check_supplier(struct ctx *c, struct itemcsv_row *r)
{
	return check_text(c, r->line, COL_SUPPLIER,
			  sizeof r->item.supplier - 1, r->item.supplier);
}

static enum cm_rc check_plu(struct ctx *c, struct itemcsv_row *r)
{
	const char *v = c->val[COL_PLU];
	char q[QUOTE_MAX + 4];
	size_t n = strlen(v), first;
	long plu;

	if (n == 0)
		return CM_OK;
	plu = n <= 5 && strspn(v, "0123456789") == n ? strtol(v, NULL, 10) : 0;
	if (plu < 1)
		return reject(c, r->line, _("plu \"%s\" is not a scale item code "
			      "from 1 to 99999"), quote(v, q));
	if (!r->item.weighed)
		return reject(c, r->line, _("plu is set but the item is not "
			      "weighed (only weighed items have a scale code)"));
	if (seen_add(&c->seen, 'p', v + strspn(v, "0"), r->line, &first) != CM_OK)
		return CM_NOMEM;
	if (first)
		return reject(c, r->line, _("plu %ld already appears on line %zu"),
			      plu, first + c->shift);
	r->item.plu = (int32_t)plu;
	return CM_OK;
}

/* In this order: identity first (so duplicates are found even in rows
 * that are bad for another reason), weighed before what depends on it. */
static enum cm_rc (*const checks[])(struct ctx *, struct itemcsv_row *) = {
	check_sku, check_barcodes, check_name, check_price, check_weighed,
	check_unit, check_receipt_name, check_member_price, check_tax_class,
	check_category, check_supplier, check_plu, check_active,
};

/* ---- rows ---- */

/* Copies field i of row into dst without surrounding spaces and tabs,
 * which spreadsheets and hand-edited files add freely. */
static void trim_copy(char *dst, const char *src)
{
	size_t n;

	src += strspn(src, " \t");
	n = strlen(src);
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

/* Fills c->val from row; false for a row with nothing in it. */
static bool load_values(struct ctx *c, const struct csv_row *row)
{
	bool any = false;

	for (int col = 0; col < COL_COUNT; col++) {
		int f = c->field_of[col];

		c->val[col][0] = '\0';
		if (f >= 0 && (size_t)f < row->nfields)
			trim_copy(c->val[col], row->fields[f]);
		any |= c->val[col][0] != '\0';
	}
	for (size_t f = c->ncols; f < row->nfields; f++)
		any |= !blank(row->fields[f]);
	return any;
}

/* The count must match exactly: a stray comma shifts every later value
 * into the wrong column, and a shifted price must never pass quietly. */
static enum cm_rc check_width(struct ctx *c, const struct csv_row *row)
{
	if (row->nfields == c->ncols)
		return CM_OK;
	return reject(c, row->line, _("%zu fields but the header has %zu columns "
		      "(a value with a comma or ';' in it must be in quotes)"),
		      row->nfields, c->ncols);
}

static enum cm_rc keep_row(struct ctx *c, const struct itemcsv_row *r)
{
	struct itemcsv_result *out = c->out;

	if (out->nrows == c->cap_rows) {
		void *p = grow(out->rows, &c->cap_rows, sizeof *out->rows);

		if (!p)
			return CM_NOMEM;
		out->rows = p;
	}
	out->rows[out->nrows++] = *r;
	return CM_OK;
}

static enum cm_rc item_row(struct ctx *c, const struct csv_row *row)
{
	struct itemcsv_row r;
	enum cm_rc rc;

	if (!load_values(c, row))
		return CM_OK;
	memset(&r, 0, sizeof r);
	r.line = row->line;
	rc = check_width(c, row);
	for (size_t i = 0; rc == CM_OK && i < sizeof checks / sizeof checks[0]; i++)
		rc = checks[i](c, &r);
	if (rc == CM_OK)
		return keep_row(c, &r);
	/* a bad row is reported and skipped; only running out of memory
	 * stops the file */
	return rc == CM_INVALID ? CM_OK : rc;
}

/* ---- header and file ---- */

static enum cm_rc header_fail(struct ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A header problem makes the whole file unreadable: recorded as the only
 * error, and CM_INVALID stops the CSV reader. */
static enum cm_rc header_fail(struct ctx *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	enum cm_rc rc;

	va_start(ap, fmt);
	rc = verror(c, line, fmt, ap);
	va_end(ap);
	c->fatal = true;
	return rc == CM_OK ? CM_INVALID : rc;
}

static int find_col(const char *name)
{
	for (int col = 0; col < COL_COUNT; col++)
		if (strcasecmp(name, col_names[col]) == 0)
			return col;
	return -1;
}

static enum cm_rc header_row(struct ctx *c, const struct csv_row *row)
{
	char name[VAL_MAX], q[QUOTE_MAX + 4];

	c->have_header = true;
	c->ncols = row->nfields;
	for (size_t f = 0; f < row->nfields; f++) {
		int col;

		trim_copy(name, row->fields[f]);
		col = find_col(name);
		if (!name[0])
			return header_fail(c, row->line, _("column %zu of the header "
					   "has no name"), f + 1);
		if (col < 0)
			return header_fail(c, row->line, _("unknown column \"%s\"; "
					   "known columns are sku, name, price, "
					   "barcodes, receipt_name, unit, weighed, "
					   "member_price, tax_class, category, "
					   "supplier, plu, active"), quote(name, q));
		if (c->field_of[col] >= 0)
			return header_fail(c, row->line, _("column \"%s\" appears "
					   "twice in the header"), col_names[col]);
		c->field_of[col] = (int)f;
	}
	for (int col = 0; col < COL_REQUIRED; col++)
		if (c->field_of[col] < 0)
			return header_fail(c, row->line, _("the header has no \"%s\" "
					   "column (required: sku, name, price)"),
					   col_names[col]);
	return CM_OK;
}

static enum cm_rc on_row(const struct csv_row *row, void *ctx)
{
	struct ctx *c = ctx;

	return c->have_header ? item_row(c, row) : header_row(c, row);
}

/* Replaces whatever was gathered by the one reason the file cannot be
 * read. csv_parse's messages start "line N: ", which gives the line. */
static enum cm_rc unreadable(struct ctx *c, const char *why)
{
	struct itemcsv_result *r = c->out;
	size_t line = 0;

	free(r->rows);
	r->rows = NULL;
	r->nrows = c->cap_rows = 0;
	r->nerrors = 0;
	if (strncmp(why, "line ", 5) == 0)
		line = strtoul(why + 5, NULL, 10);
	if (add_error(c, 0, "%s", why) != CM_OK)
		return CM_NOMEM;
	r->errors[0].line = line;
	return CM_INVALID;
}

/* Room for the rows a chunk of len bytes likely holds (a line of a real
 * catalogue is 60-100 bytes), up to a streamed chunk's worth, so that
 * neither the rows nor the set of keys is copied as it grows: growing
 * them from nothing was a twentieth of a big import's reading. Best
 * effort: without the memory they grow as before. */
static void presize(struct ctx *c, size_t len)
{
	size_t rows = len / 64 + 1, cap = 256;

	if (rows > 8192)
		rows = 8192;
	while (cap < rows * 4)      /* two keys a row, at most half full */
		cap *= 2;
	c->seen.slots = calloc(cap, sizeof *c->seen.slots);
	if (c->seen.slots)
		c->seen.cap = cap;
	c->out->rows = malloc(rows * sizeof *c->out->rows);
	if (c->out->rows)
		c->cap_rows = rows;
}

enum cm_rc itemcsv_parse(const char *data, size_t len, struct itemcsv_result *out)
{
	return itemcsv_parse_shifted(data, len, 0, out);
}

enum cm_rc itemcsv_parse_shifted(const char *data, size_t len, size_t shift,
				 struct itemcsv_result *out)
{
	struct ctx *c;
	char err[160];
	enum cm_rc rc;

	memset(out, 0, sizeof *out);
	c = calloc(1, sizeof *c);
	if (!c)
		return CM_NOMEM;
	c->out = out;
	c->shift = shift;
	for (int col = 0; col < COL_COUNT; col++)
		c->field_of[col] = -1;
	presize(c, len);
	rc = csv_parse(data, len, on_row, c, err, sizeof err);
	if (rc == CM_INVALID && !c->fatal)
		rc = unreadable(c, err);
	else if (rc == CM_OK && !c->have_header)
		rc = unreadable(c, "the file is empty; its first row must name "
				"the columns (at least sku, name, price)");
	if (rc == CM_NOMEM)
		itemcsv_free(out);
	free(c->seen.slots);
	free(c);
	return rc;
}

void itemcsv_free(struct itemcsv_result *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->errors);
	memset(r, 0, sizeof *r);
}
