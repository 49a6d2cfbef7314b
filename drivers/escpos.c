/* ESC/POS encoder. Command bytes (hex), as Epson TM and the compatible
 * 58/80 mm printers take them:
 *   ESC @          1B 40            initialise
 *   ESC t n        1B 74 n          code page (0 = CP437)
 *   ESC E n        1B 45 n          emphasis
 *   GS ! n         1D 21 n          size: high nibble width-1, low height-1
 *   ESC a n        1B 61 n          alignment 0 left, 1 centre, 2 right
 *   ESC d n        1B 64 n          feed n lines
 *   GS V 66 n      1D 56 42 n       feed n lines, then partial cut
 *   ESC p m t1 t2  1B 70 m t1 t2    drawer pulse, t in units of 2 ms
 *   GS h / w / H   1D 68|77|48 n    barcode height / module / text position
 *   GS k m n d..   1D 6B m n d..    barcode: m 67 EAN-13, 73 CODE128
 *   GS ( k ...     1D 28 6B ...     QR: model, module, error level, store,
 *                                   print (function 165, 167, 169, 180, 181)
 *   ESC D n.. NUL  1B 44 n.. 00     horizontal tab stops, in columns
 *   HT             09               to the next tab stop
 *
 * Receipts are mostly spaces between a label and its amount. After
 * escpos_init sets tab stops every 8 columns, runs of spaces in left-aligned
 * normal-size text go out as HT plus the few spaces after the last stop: a
 * 48-column receipt shrinks by a quarter. Tab stops count in characters, so
 * this holds for every font width; double-size and centred text keep their
 * spaces (a tab stop there would not be where the spaces end). */
#include "drivers/escpos.h"
#include "core/receipt.h"

#include <stdlib.h>
#include <string.h>

static const struct escpos_profile profiles[] = {
	{ "58", 32, 384, true, true, true, true },
	{ "80", 48, 576, true, true, true, true },
	{ "80-42", 42, 512, true, true, true, true },
	/* 76 mm impact printers (TM-U220 and friends): no raster, no GS k,
	 * no GS ( k, no GS !, usually no cutter. */
	{ "dotmatrix", 40, 0, false, false, false, false },
	{ NULL, 0, 0, false, false, false, false },
};

const struct escpos_profile *escpos_profiles(void)
{
	return profiles;
}

const struct escpos_profile *escpos_profile_find(const char *name)
{
	for (const struct escpos_profile *p = profiles; name && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* ---- the buffer --------------------------------------------------------- */

struct escpos {
	const struct escpos_profile *prof;
	uint8_t *p;
	size_t len, cap;
	bool failed;
	bool dbl;              /* double width: half the columns */
	bool tabs;             /* ESC D sent: runs of spaces may become HT */
	enum escpos_align align;
	int col;               /* characters since the last line feed */
};

struct escpos *escpos_new(const struct escpos_profile *p)
{
	struct escpos *e;

	if (!p)
		return NULL;
	e = calloc(1, sizeof *e);
	if (e)
		e->prof = p;
	return e;
}

void escpos_free(struct escpos *e)
{
	if (!e)
		return;
	free(e->p);
	free(e);
}

const uint8_t *escpos_data(const struct escpos *e, size_t *len)
{
	*len = e->failed ? 0 : e->len;
	if (e->failed)
		return NULL;
	return e->p ? e->p : (const uint8_t *)"";
}

const struct escpos_profile *escpos_profile(const struct escpos *e)
{
	return e->prof;
}

int escpos_columns(const struct escpos *e)
{
	return e->dbl ? e->prof->columns / 2 : e->prof->columns;
}

void escpos_raw(struct escpos *e, const void *bytes, size_t n)
{
	if (e->failed || n == 0)
		return;
	if (e->cap - e->len < n) {
		size_t cap = e->cap ? e->cap : 512;
		uint8_t *p;

		while (cap - e->len < n)
			cap *= 2;
		p = realloc(e->p, cap);
		if (!p) {
			e->failed = true;
			return;
		}
		e->p = p;
		e->cap = cap;
	}
	memcpy(e->p + e->len, bytes, n);
	e->len += n;
}

static void put3(struct escpos *e, uint8_t a, uint8_t b, uint8_t c)
{
	const uint8_t cmd[3] = { a, b, c };

	escpos_raw(e, cmd, sizeof cmd);
}

/* ---- transliteration ------------------------------------------------------ */

/* The receipt's own UTF-8 to ASCII (core/receipt.h): one table for the
 * screen's receipt, the spool file and the printer. */
size_t escpos_ascii(const char *s, char *buf, size_t n)
{
	return receipt_ascii(s, buf, n);
}

/* s transliterated into a malloc'd string (3 bytes of ASCII at most per
 * byte of UTF-8: "..." for the 3-byte ellipsis). NULL marks e failed. */
static char *ascii_dup(struct escpos *e, const char *s)
{
	size_t cap = 3 * strlen(s ? s : "") + 1;
	char *buf = malloc(cap);

	if (!buf) {
		e->failed = true;
		return NULL;
	}
	escpos_ascii(s, buf, cap);
	return buf;
}

/* ---- commands ------------------------------------------------------------- */

void escpos_codepage(struct escpos *e, uint8_t page)
{
	put3(e, 0x1B, 0x74, page);
}

#define TAB 8

void escpos_init(struct escpos *e)
{
	static const uint8_t init[2] = { 0x1B, 0x40 }, tabs[2] = { 0x1B, 0x44 };

	escpos_raw(e, init, sizeof init);
	e->dbl = false;
	e->align = ESCPOS_LEFT;
	e->col = 0;
	escpos_codepage(e, 0);
	escpos_raw(e, tabs, sizeof tabs);
	for (int c = TAB; c < e->prof->columns; c += TAB)
		escpos_raw(e, (uint8_t[]){ (uint8_t)c }, 1);
	escpos_raw(e, "", 1);
	e->tabs = true;
}

/* Text (already ASCII) with the column tracked and runs of spaces sent as
 * HT where a tab stop saves bytes. */
static void put_text(struct escpos *e, const char *s, size_t n)
{
	bool squeeze = e->tabs && !e->dbl && e->align == ESCPOS_LEFT;

	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		int c, end;

		if (s[i] == '\n') {
			escpos_raw(e, "\n", 1);
			e->col = 0;
			continue;
		}
		if (s[i] != ' ' || !squeeze) {
			escpos_raw(e, s + i, 1);
			e->col++;
			continue;
		}
		while (j < n && s[j] == ' ')
			j++;
		c = e->col;
		end = e->col + (int)(j - i);
		for (int stop = (c / TAB + 1) * TAB; stop <= end && stop < e->prof->columns &&
		     stop - c >= 2; stop += TAB) {
			escpos_raw(e, "\t", 1);
			c = stop;
		}
		for (; c < end; c++)
			escpos_raw(e, " ", 1);
		e->col = end;
		i = j - 1;
	}
}

void escpos_bold(struct escpos *e, bool on)
{
	put3(e, 0x1B, 0x45, on ? 1 : 0);
}

/* GS ! with width and height multipliers 1 or 2. */
static void put_size(struct escpos *e, int width, int height)
{
	put3(e, 0x1D, 0x21, (uint8_t)((width - 1) << 4 | (height - 1)));
	e->dbl = width == 2;
}

void escpos_double(struct escpos *e, bool on)
{
	if (!e->prof->sizes) {
		escpos_bold(e, on);  /* the nearest thing an impact printer has */
		return;
	}
	put_size(e, on ? 2 : 1, on ? 2 : 1);
}

/* Double size when the line fits in half the columns; else double height
 * alone (full width, letters as narrow as ever), so "TOTAL Rp1.000.000"
 * never loses letters on 58 mm paper; plain when the printer has no
 * sizes. Always bold. */
void escpos_big_lr(struct escpos *e, const char *left, const char *right)
{
	char l[64], r[64];
	size_t need = escpos_ascii(left, l, sizeof l) + 1 + escpos_ascii(right, r, sizeof r);

	escpos_bold(e, true);
	if (e->prof->sizes)
		put_size(e, need <= (size_t)e->prof->columns / 2 ? 2 : 1, 2);
	escpos_lr(e, l, r);
	if (e->prof->sizes)
		put_size(e, 1, 1);
	escpos_bold(e, false);
}

void escpos_align(struct escpos *e, enum escpos_align a)
{
	put3(e, 0x1B, 0x61, (uint8_t)a);
	e->align = a;
}

void escpos_text(struct escpos *e, const char *utf8)
{
	char *a = ascii_dup(e, utf8);

	if (a)
		put_text(e, a, strlen(a));
	free(a);
}

/* Length of the next printed line of s (n characters left) in cols: up to
 * the last space that fits, or cut at cols for a longer word. */
static size_t wrap_at(const char *s, size_t n, size_t cols)
{
	size_t brk = 0;

	if (n <= cols)
		return n;
	for (size_t i = 1; i <= cols; i++)
		if (s[i] == ' ')
			brk = i;
	return brk ? brk : cols;
}

void escpos_line(struct escpos *e, const char *utf8)
{
	char *a = ascii_dup(e, utf8);
	size_t n = a ? strlen(a) : 0, cols = (size_t)escpos_columns(e);
	const char *p = a;

	if (!a)
		return;
	if ((size_t)e->col < cols)
		cols -= (size_t)e->col;   /* escpos_text began the line */
	do {
		size_t k = wrap_at(p, n, cols);

		put_text(e, p, k);
		put_text(e, "\n", 1);
		p += k, n -= k;
		while (n > 0 && *p == ' ')
			p++, n--;
		cols = (size_t)escpos_columns(e);
	} while (n > 0);
	free(a);
}

void escpos_lr(struct escpos *e, const char *left, const char *right)
{
	char *l = ascii_dup(e, left), *r = ascii_dup(e, right), *line = NULL;
	size_t cols = (size_t)escpos_columns(e), ll, rl, n = 0;

	if (!l || !r || !(line = malloc(cols + 2))) {
		e->failed = true;
		goto out;
	}
	ll = strlen(l);
	rl = strlen(r);
	if (rl > cols)
		rl = cols;
	if (ll + 1 + rl > cols)
		ll = cols > rl + 1 ? cols - rl - 1 : 0;
	memcpy(line, l, ll);
	n = ll;
	while (n + rl < cols)
		line[n++] = ' ';
	memcpy(line + n, r, rl);
	n += rl;
	line[n++] = '\n';
	put_text(e, line, n);
out:
	free(line);
	free(l);
	free(r);
}

void escpos_rule(struct escpos *e)
{
	for (int i = 0; i < escpos_columns(e); i++)
		put_text(e, "-", 1);
	put_text(e, "\n", 1);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Data in the form GS k wants it: "{C" + packed digit pairs or "{B" + text,
 * into out (at least 2 + n bytes); returns its length, 0 when invalid. */
static size_t code128_data(const char *data, uint8_t *out)
{
	size_t n = strlen(data), len = 2;

	if (n == 0 || n > 200)
		return 0;
	out[0] = '{';
	if (n % 2 == 0 && all_digits(data, n)) {
		out[1] = 'C';
		for (size_t i = 0; i < n; i += 2)
			out[len++] = (uint8_t)((data[i] - '0') * 10 + (data[i + 1] - '0'));
		return len;
	}
	out[1] = 'B';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c < 0x20 || c > 0x7E)
			return 0;
		if (c == '{')
			out[len++] = '{';   /* a literal brace is written twice */
		out[len++] = c;
	}
	return len;
}

static void text_centred(struct escpos *e, const char *data)
{
	escpos_align(e, ESCPOS_CENTER);
	escpos_line(e, data);
	escpos_align(e, ESCPOS_LEFT);
}

/* Modules across a barcode with its quiet zones (10 modules a side):
 * EAN-13 95 + 18; CODE128 start, one symbol per character (two digits in
 * code set C), check symbol, 11 modules each, and a 13-module stop. */
static int barcode_modules(enum escpos_symbology sym, const uint8_t *buf, size_t n)
{
	size_t symbols = 0;

	if (sym == ESCPOS_EAN13)
		return 95 + 18;
	for (size_t i = 2; i < n; i++, symbols++)
		if (buf[1] == 'B' && buf[i] == '{')
			i++;       /* a literal brace is written twice: one symbol */
	return (int)(11 * (symbols + 2) + 13 + 20);
}

/* The widest module (GS w: 2 dots reads best, 1 is the last resort) at
 * which the barcode fits the paper; 0 when none does. */
static int barcode_module(const struct escpos *e, enum escpos_symbology sym,
                          const uint8_t *buf, size_t n)
{
	int modules = barcode_modules(sym, buf, n);

	for (int m = 2; m >= 1; m--)
		if (modules * m <= e->prof->dots)
			return m;
	return 0;
}

int escpos_barcode_width(const struct escpos *e, enum escpos_symbology sym, const char *data)
{
	uint8_t buf[2 + 2 * 200];
	size_t n = strlen(data ? data : "");

	if (!e->prof->barcode)
		return 0;
	if (sym == ESCPOS_EAN13)
		return (n == 12 || n == 13) && all_digits(data, n) ? 2 * (95 + 18) : 0;
	n = code128_data(data ? data : "", buf);
	return n ? barcode_module(e, sym, buf, n) * barcode_modules(sym, buf, n) : 0;
}

bool escpos_barcode(struct escpos *e, enum escpos_symbology sym, const char *data)
{
	uint8_t buf[2 + 2 * 200];
	size_t n = strlen(data ? data : "");
	int module;

	if (sym == ESCPOS_EAN13) {
		if ((n != 12 && n != 13) || !all_digits(data, n))
			return false;
		memcpy(buf, data, n);
	} else if ((n = code128_data(data ? data : "", buf)) == 0) {
		return false;
	}
	/* A barcode wider than the paper prints nothing at all on many
	 * printers: the data as text is better than a blank. */
	if (!e->prof->barcode || (module = barcode_module(e, sym, buf, n)) == 0) {
		text_centred(e, data);
		return true;
	}
	escpos_align(e, ESCPOS_CENTER);
	put3(e, 0x1D, 0x68, 80);    /* 80 dots high: 10 mm */
	put3(e, 0x1D, 0x77, (uint8_t)module);
	put3(e, 0x1D, 0x48, 2);     /* human-readable text below */
	put3(e, 0x1D, 0x6B, sym == ESCPOS_EAN13 ? 67 : 73);
	escpos_raw(e, (uint8_t[]){ (uint8_t)n }, 1);
	escpos_raw(e, buf, n);
	put_text(e, "\n", 1);
	escpos_align(e, ESCPOS_LEFT);
	return true;
}

/* GS ( k pL pH cn fn [params]: cn 49 is QR. */
static void qr_fn(struct escpos *e, uint8_t fn, const void *param, size_t n)
{
	const uint8_t head[7] = { 0x1D, 0x28, 0x6B, (uint8_t)((n + 2) & 0xFF),
	                          (uint8_t)((n + 2) >> 8), 0x31, fn };

	escpos_raw(e, head, sizeof head);
	escpos_raw(e, param, n);
}

bool escpos_qr(struct escpos *e, const char *data, int module)
{
	size_t n = strlen(data ? data : "");
	uint8_t *store;

	if (n == 0 || n > 700)
		return false;
	if (!e->prof->qr) {
		text_centred(e, data);
		return true;
	}
	if (module < 1)
		module = 1;
	if (module > 16)
		module = 16;
	store = malloc(n + 1);
	if (!store) {
		e->failed = true;
		return false;
	}
	store[0] = 0x30;
	memcpy(store + 1, data, n);
	escpos_align(e, ESCPOS_CENTER);
	qr_fn(e, 0x41, (uint8_t[]){ 0x32, 0x00 }, 2);          /* model 2 */
	qr_fn(e, 0x43, (uint8_t[]){ (uint8_t)module }, 1);
	qr_fn(e, 0x45, (uint8_t[]){ 0x31 }, 1);                /* level M */
	qr_fn(e, 0x50, store, n + 1);
	qr_fn(e, 0x51, (uint8_t[]){ 0x30 }, 1);
	put_text(e, "\n", 1);
	escpos_align(e, ESCPOS_LEFT);
	free(store);
	return true;
}

void escpos_feed(struct escpos *e, int lines)
{
	if (lines < 0)
		lines = 0;
	if (lines > 255)
		lines = 255;
	put3(e, 0x1B, 0x64, (uint8_t)lines);
}

void escpos_cut(struct escpos *e)
{
	static const uint8_t cut[4] = { 0x1D, 0x56, 0x42, 3 };

	if (e->prof->cutter)
		escpos_raw(e, cut, sizeof cut);
	else
		escpos_feed(e, 6);   /* past the tear bar of an impact printer */
}

void escpos_drawer(struct escpos *e, enum escpos_drawer_pin pin)
{
	const uint8_t kick[5] = { 0x1B, 0x70, (uint8_t)pin, 50, 50 };

	escpos_raw(e, kick, sizeof kick);
}
