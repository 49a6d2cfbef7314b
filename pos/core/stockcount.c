/* Stock count arithmetic and report rows; see stockcount.h. */
#include "core/stockcount.h"
#include "core/csvout.h"
#include "core/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum cm_rc count_expected(cm_qty snapshot, const cm_qty *moves, size_t n, cm_qty *out)
{
	cm_qty q = snapshot;
	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(q, moves[i], &q))
			return CM_INVALID;
	*out = q;
	return CM_OK;
}

enum cm_rc count_apply(enum count_mode mode, cm_qty current, cm_qty qty, cm_qty *out)
{
	if (qty < 0 || qty > COUNT_QTY_MAX || current < 0 || current > COUNT_QTY_MAX)
		return CM_INVALID;
	cm_qty total = mode == COUNT_ADD ? current + qty : qty;
	if (total > COUNT_QTY_MAX)
		return CM_INVALID;
	*out = total;
	return CM_OK;
}

/* "0", "0,0", "0.000": nothing on the shelf. */
static bool is_zero(const char *s)
{
	if (*s != '0')
		return false;
	s++;
	if (*s == ',' || *s == '.') {
		s++;
		if (!*s)
			return false;
		for (int i = 0; *s; s++, i++)
			if (*s != '0' || i >= 3)
				return false;
	}
	return *s == '\0';
}

enum cm_rc count_qty_parse(const char *s, bool weighed, cm_qty *out)
{
	if (!s)
		return CM_INVALID;
	if (is_zero(s)) {
		*out = 0;
		return CM_OK;
	}
	return qty_parse(s, weighed, out);
}

cm_money stock_value(cm_qty qty, cm_money cost)
{
	cm_money v;
	if (money_line_amount(cost, qty, &v) == CM_OK)
		return v;
	return (qty < 0) != (cost < 0) ? INT64_MIN : INT64_MAX;
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

static int by_value(const void *a, const void *b)
{
	const struct stock_row *x = a, *y = b;
	int64_t vx = abs64(x->value), vy = abs64(y->value);
	if (vx != vy)
		return vx > vy ? -1 : 1;
	int64_t qx = abs64(x->variance), qy = abs64(y->variance);
	if (qx != qy)
		return qx > qy ? -1 : 1;
	return strcmp(x->sku, y->sku);
}

void stock_rows_sort_by_value(struct stock_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof *rows, by_value);
}

/* ---- formatting ---- */

/* Text columns: every report fits 80 columns (the till's screen). */
#define SKU_COLS 10
#define NAME_COLS 22

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->n ? o->n - o->len : 0;
	int k = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k;
}

/* The first cols display columns of s (UTF-8 continuation bytes take
 * none), padded with blanks. */
static void text_cut(struct out *o, const char *s, int cols)
{
	int used = 0;
	const char *p = s;
	while (*p) {
		const char *q = p + 1;
		while ((*q & 0xC0) == 0x80)
			q++;
		if (used == cols)
			break;
		put(o, "%.*s", (int)(q - p), p);
		used++;
		p = q;
	}
	put(o, "%*s", cols - used, "");
}

/* Characters (not bytes) of UTF-8 s. */
static int text_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Where the last two words of s start (the size: "1 kg", "500 g",
 * "isi 12"): a pointer into s, s itself when it has fewer words. */
static const char *last_words(const char *s)
{
	const char *end = s + strlen(s), *p = end;
	for (int spaces = 0; p > s; p--)
		if (p[-1] == ' ' && ++spaces == 2)
			break;
	return p;
}

/* s with its first k words cut to their initials ("B.C.B. Premium 1 kg"
 * for k = 3); false when s has fewer than k + 2 words (the last two, the
 * size, stay whole) or buf is too small. */
static bool initials(const char *s, int k, char *buf, size_t n)
{
	size_t len = 0;
	int words = 0;
	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, ' ');
		size_t wl = e ? (size_t)(e - p) : strlen(p);
		size_t take = wl;
		if (words < k) {
			take = 1;
			while (take < wl && ((unsigned char)p[take] & 0xC0) == 0x80)
				take++;
		}
		bool sep = len && !(words > 0 && words < k); /* initials run together */
		if (len + take + 3 >= n)
			return false;
		if (sep)
			buf[len++] = ' ';
		memcpy(buf + len, p, take);
		len += take;
		if (words < k)
			buf[len++] = '.';
		words++;
		p += wl;
	}
	buf[len] = '\0';
	return words >= k + 2;
}

/* A name cut to cols characters so that items alike in their first words
 * stay apart: the size ("1 kg", "500 g") and the variant are kept, the
 * first words shrink to initials ("B.C.B. Premium 1 kg"); when even that
 * is too long, the middle goes ("Beras Cap Bunga P~1 kg"). */
static void text_name(struct out *o, const char *s, int cols)
{
	int n = text_chars(s);
	if (n <= cols) {
		text_cut(o, s, cols);
		return;
	}
	char ab[256];
	for (int k = 1; initials(s, k, ab, sizeof ab); k++) {
		if (text_chars(ab) <= cols) {
			text_cut(o, ab, cols);
			return;
		}
	}
	const char *tail = last_words(s);
	int tw = text_chars(tail);
	if (tw > cols / 2) {
		/* No short last words: the last cols / 2 characters. */
		tail = s + strlen(s);
		for (tw = 0; tw < cols / 2; tw++) {
			do
				tail--;
			while (tail > s && ((unsigned char)*tail & 0xC0) == 0x80);
		}
	}
	/* The head: cols - tw - 1 characters, less the spaces it ends in. */
	const char *h = s;
	int hw = 0;
	while (hw < cols - tw - 1) {
		h++;
		while (((unsigned char)*h & 0xC0) == 0x80)
			h++;
		hw++;
	}
	while (h > s && h[-1] == ' ') {
		h--;
		hw--;
	}
	put(o, "%.*s~%s%*s", (int)(h - s), s, tail, cols - hw - 1 - tw, "");
}

static void text_qty(struct out *o, cm_qty q, int w)
{
	char b[32];
	qty_format(q, b, sizeof b);
	put(o, " %*s", w, b);
}

static void text_money(struct out *o, cm_money v, int w)
{
	char b[40];
	money_format(v, NULL, b, sizeof b);
	put(o, " %*s", w, b);
}

size_t stock_report_header(enum stock_report kind, bool csv, char *buf, size_t n)
{
	static const char *const cols[][9] = {
		[REPORT_VARIANCE] = { "sku", "name", "unit", "expected", "counted", "variance", "cost", "value" },
		[REPORT_STOCK_VALUE] = { "sku", "name", "category", "qty", "cost", "value" },
		[REPORT_LOW_STOCK] = { "sku", "name", "zone", "qty", "reorder_level", "short" },
		[REPORT_SLOW_MOVERS] = { "sku", "name", "qty", "sold", "last_sale", "value" },
	};
	if (csv) {
		struct csvout co;
		csvout_begin(&co, buf, n);
		csvout_header(&co, cols[kind]);
		return csvout_len(&co);
	}
	struct out o = { buf, n, 0 };
	if (n)
		buf[0] = '\0';
	text_cut(&o, _("SKU"), SKU_COLS);
	put(&o, " ");
	text_cut(&o, _("Item"), NAME_COLS);
	switch (kind) {
	case REPORT_VARIANCE:
		put(&o, " %9s %9s %9s %13s", _("Expected"), _("Counted"), _("Variance"), _("Value"));
		break;
	case REPORT_STOCK_VALUE:
		put(&o, " %9s %12s %14s", _("Stock"), _("Cost"), _("Value"));
		break;
	case REPORT_LOW_STOCK:
		put(&o, " %-8s %9s %9s %9s", _("Zone"), _("Stock"), _("Reorder"), _("Short"));
		break;
	case REPORT_SLOW_MOVERS:
		put(&o, " %9s %9s %-10s %13s", _("Stock"), _("Sold"), _("Last sale"), _("Value"));
		break;
	}
	return o.len;
}

static size_t csv_line(enum stock_report kind, const struct stock_row *r, char *buf, size_t n)
{
	struct csvout o;
	csvout_begin(&o, buf, n);
	csvout_text(&o, r->sku);
	csvout_text(&o, r->name);
	switch (kind) {
	case REPORT_VARIANCE:
		csvout_text(&o, r->unit);
		csvout_qty(&o, r->expected);
		if (r->counted)
			csvout_qty(&o, r->qty);
		else
			csvout_text(&o, "");
		csvout_qty(&o, r->variance);
		csvout_money(&o, r->cost);
		csvout_money(&o, r->value);
		break;
	case REPORT_STOCK_VALUE:
		csvout_text(&o, r->category);
		csvout_qty(&o, r->qty);
		csvout_money(&o, r->cost);
		csvout_money(&o, r->value);
		break;
	case REPORT_LOW_STOCK:
		csvout_text(&o, r->zone);
		csvout_qty(&o, r->qty);
		csvout_qty(&o, r->expected);
		csvout_qty(&o, r->variance);
		break;
	case REPORT_SLOW_MOVERS:
		csvout_qty(&o, r->qty);
		csvout_qty(&o, r->sold);
		csvout_date(&o, r->last_sale);
		csvout_money(&o, r->value);
		break;
	}
	return csvout_len(&o);
}

size_t stock_report_line(enum stock_report kind, const struct stock_row *r, bool csv,
                         char *buf, size_t n)
{
	if (csv)
		return csv_line(kind, r, buf, n);
	struct out o = { buf, n, 0 };
	if (n)
		buf[0] = '\0';
	text_cut(&o, r->sku, SKU_COLS);
	put(&o, " ");
	text_name(&o, r->name, NAME_COLS);
	switch (kind) {
	case REPORT_VARIANCE:
		text_qty(&o, r->expected, 9);
		if (r->counted)
			text_qty(&o, r->qty, 9);
		else
			put(&o, " %9s", "-");
		text_qty(&o, r->variance, 9);
		text_money(&o, r->value, 13);
		break;
	case REPORT_STOCK_VALUE:
		text_qty(&o, r->qty, 9);
		text_money(&o, r->cost, 12);
		text_money(&o, r->value, 14);
		break;
	case REPORT_LOW_STOCK:
		put(&o, " ");
		text_cut(&o, r->zone, 8);
		text_qty(&o, r->qty, 9);
		text_qty(&o, r->expected, 9);
		text_qty(&o, r->variance, 9);
		break;
	case REPORT_SLOW_MOVERS: {
		text_qty(&o, r->qty, 9);
		text_qty(&o, r->sold, 9);
		char date[16] = "-";
		if (r->last_sale) {
			time_t tt = (time_t)r->last_sale;
			struct tm tm;
			if (localtime_r(&tt, &tm))
				strftime(date, sizeof date, "%Y-%m-%d", &tm);
		}
		put(&o, " %-10s", date);
		text_money(&o, r->value, 13);
		break;
	}
	}
	return o.len;
}
