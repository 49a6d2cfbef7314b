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
	bool dbl;
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

/* U+00C0..U+017F by base letter; '?' where more than one letter is meant
 * (those are in multi[]). */
static const char latin_base[] =
	"AAAAAA?CEEEEIIIIDNOOOOOxOUUUUY??aaaaaa?ceeeeiiiidnooooo/ouuuuy?y"
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "Ii??JjKkkLlLlLlL"
	"lLlNnNnNnnNnOoOo" "Oo??RrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

struct translit {
	uint32_t cp;
	const char *ascii;
};

/* Sorted by code point. */
static const struct translit multi[] = {
	{ 0x00A0, " " },  { 0x00AB, "\"" }, { 0x00AD, "" },   { 0x00B4, "'" },
	{ 0x00B7, "." },  { 0x00BB, "\"" }, { 0x00BD, "1/2" }, { 0x00C6, "AE" },
	{ 0x00DF, "ss" }, { 0x00E6, "ae" }, { 0x0132, "IJ" }, { 0x0133, "ij" },
	{ 0x0152, "OE" }, { 0x0153, "oe" }, { 0x2002, " " },  { 0x2003, " " },
	{ 0x2009, " " },  { 0x200B, "" },   { 0x2010, "-" },  { 0x2011, "-" },
	{ 0x2012, "-" },  { 0x2013, "-" },  { 0x2014, "-" },  { 0x2015, "-" },
	{ 0x2018, "'" },  { 0x2019, "'" },  { 0x201A, "'" },  { 0x201B, "'" },
	{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x2022, "*" },
	{ 0x2026, "..." }, { 0x202F, " " }, { 0x2032, "'" },  { 0x2033, "\"" },
	{ 0x20AC, "EUR" }, { 0x2122, "TM" }, { 0x2212, "-" },  { 0xFEFF, "" },
};

/* One UTF-8 sequence: its length, the code point in *cp (U+FFFD, length 1
 * for anything malformed, overlong or a surrogate). The NUL terminator is
 * never a continuation byte, so this stops at the end of the string. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, v = s[0] & 0x1Fu;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, v = s[0] & 0x0Fu;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, v = s[0] & 0x07u;
	else
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = v << 6 | (s[i] & 0x3Fu);
	}
	if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

static const char *translit(uint32_t cp, char one[2])
{
	size_t lo = 0, hi = sizeof multi / sizeof multi[0];

	if (cp == '\t' || cp == '\r')
		return " ";
	if (cp == '\n')
		return "\n";
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return "";
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (multi[mid].cp == cp)
			return multi[mid].ascii;
		if (multi[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cp >= 0x0300 && cp <= 0x036F)
		return "";          /* combining accents: the base letter stays */
	one[1] = '\0';
	if (cp < 0x80)
		one[0] = (char)cp;
	else if (cp >= 0xC0 && cp <= 0x17F)
		one[0] = latin_base[cp - 0xC0];
	else
		one[0] = '?';
	return one;
}

size_t escpos_ascii(const char *s, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = 0;

	if (n == 0)
		return 0;
	while (*p) {
		uint32_t cp;
		char one[2];
		size_t step = utf8_next(p, &cp);
		const char *a = translit(cp, one);
		size_t alen = strlen(a);

		if (len + alen >= n)
			break;
		memcpy(buf + len, a, alen);
		len += alen;
		p += step;
	}
	buf[len] = '\0';
	return len;
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

void escpos_double(struct escpos *e, bool on)
{
	if (!e->prof->sizes) {
		escpos_bold(e, on);  /* the nearest thing an impact printer has */
		return;
	}
	put3(e, 0x1D, 0x21, on ? 0x11 : 0x00);
	e->dbl = on;
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

void escpos_line(struct escpos *e, const char *utf8)
{
	escpos_text(e, utf8);
	put_text(e, "\n", 1);
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

bool escpos_barcode(struct escpos *e, enum escpos_symbology sym, const char *data)
{
	uint8_t buf[2 + 2 * 200];
	size_t n = strlen(data ? data : "");

	if (sym == ESCPOS_EAN13) {
		if ((n != 12 && n != 13) || !all_digits(data, n))
			return false;
		memcpy(buf, data, n);
	} else if ((n = code128_data(data ? data : "", buf)) == 0) {
		return false;
	}
	if (!e->prof->barcode) {
		text_centred(e, data);
		return true;
	}
	escpos_align(e, ESCPOS_CENTER);
	put3(e, 0x1D, 0x68, 80);    /* 80 dots high: 10 mm */
	put3(e, 0x1D, 0x77, 2);     /* module 2 dots: fits 58 mm paper */
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
