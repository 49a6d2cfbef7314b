/* A small ESC/POS decoder for tests: turns the bytes a printer gets into
 * what it would print, line by line, with each line's character size,
 * emphasis and alignment, and the barcodes, cuts and drawer pulses among
 * them. Tests assert on what paper shows (a line wider than the paper, a
 * total in double size) instead of on byte patterns. Written from the
 * ESC/POS command reference (shared notes/escpos.md), not from
 * drivers/escpos.c: an unknown command fails the decode.
 *
 * Include this file once from a test program (like fixture.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct esc_line {
	char text[256];        /* tabs expanded to spaces */
	int chars;             /* characters on the line */
	int width;             /* the widest character size multiplier used */
	int height;
	bool bold;             /* any character printed emphasised */
	int align;             /* 0 left, 1 centre, 2 right (at the line feed) */
};

struct esc_barcode {
	int symbology;         /* 67 EAN-13, 73 CODE128 */
	int module;            /* GS w */
	uint8_t data[256];     /* as sent ("{B..." for CODE128) */
	size_t len;
	int line;              /* index of the line printed after it */
};

struct esc_doc {
	struct esc_line lines[400];
	int nlines;
	struct esc_barcode barcodes[8];
	int nbarcodes;
	int qrs;
	uint8_t qr_data[256];  /* the last QR's stored data (GS ( k fn 80) */
	size_t qr_len;
	int qr_model;          /* GS ( k fn 65: 50 = model 2 */
	int cuts;
	int drawer_kicks;
	int feeds;             /* lines fed by ESC d */
	bool bad;              /* an unknown command or a truncated one */
	size_t bad_at;
};

struct esc_state {
	int width, height, align, module;
	bool bold;
	int tabs[32], ntabs;
	struct esc_line cur;
};

static void esc_reset(struct esc_state *s)
{
	memset(s, 0, sizeof *s);
	s->width = s->height = 1;
	s->module = 3;          /* the printers' default GS w */
	for (int c = 8; c < 256 && s->ntabs < 32; c += 8)
		s->tabs[s->ntabs++] = c;
}

static void esc_put(struct esc_state *s, char c)
{
	struct esc_line *l = &s->cur;

	if (l->chars < (int)sizeof l->text - 1)
		l->text[l->chars] = c;
	l->chars++;
	if (s->width > l->width)
		l->width = s->width;
	if (s->height > l->height)
		l->height = s->height;
	l->bold |= s->bold;
}

static void esc_newline(struct esc_doc *d, struct esc_state *s)
{
	if (d->nlines < (int)(sizeof d->lines / sizeof d->lines[0])) {
		s->cur.align = s->align;
		if (s->cur.width == 0)
			s->cur.width = s->width, s->cur.height = s->height;
		d->lines[d->nlines++] = s->cur;
	}
	memset(&s->cur, 0, sizeof s->cur);
}

/* Decodes n bytes into *d (zeroed first). False when a command is not
 * understood (d->bad_at says where). */
static bool esc_decode(const uint8_t *b, size_t n, struct esc_doc *d)
{
	struct esc_state s;
	size_t i = 0;

	memset(d, 0, sizeof *d);
	esc_reset(&s);
#define NEED(k) do { if (i + (k) > n) goto bad; } while (0)
	while (i < n) {
		uint8_t c = b[i];

		if (c == '\n') {
			esc_newline(d, &s);
			i++;
		} else if (c == '\t') {
			int stop = -1;

			for (int t = 0; t < s.ntabs; t++)
				if (s.tabs[t] > s.cur.chars) {
					stop = s.tabs[t];
					break;
				}
			if (stop < 0)
				goto bad;
			while (s.cur.chars < stop)
				esc_put(&s, ' ');
			i++;
		} else if (c >= 0x20 && c < 0x7F) {
			esc_put(&s, (char)c);
			i++;
		} else if (c == 0x1B) {
			NEED(2);
			switch (b[i + 1]) {
			case '@': esc_reset(&s); i += 2; break;
			case 't': NEED(3); i += 3; break;
			case 'E': NEED(3); s.bold = b[i + 2] & 1; i += 3; break;
			case 'a': NEED(3); s.align = b[i + 2] % 48; i += 3; break;
			case 'd': NEED(3); d->feeds += b[i + 2]; i += 3; break;
			case 'p': NEED(5); d->drawer_kicks++; i += 5; break;
			case 'D':
				s.ntabs = 0;
				for (i += 2; i < n && b[i]; i++)
					if (s.ntabs < 32)
						s.tabs[s.ntabs++] = b[i];
				NEED(1);
				i++;
				break;
			default: goto bad;
			}
		} else if (c == 0x1D) {
			NEED(3);
			switch (b[i + 1]) {
			case '!':
				s.width = (b[i + 2] >> 4) + 1;
				s.height = (b[i + 2] & 15) + 1;
				i += 3;
				break;
			case 'V':
				d->cuts++;
				i += b[i + 2] >= 65 ? 4 : 3;
				break;
			case 'h': case 'H': i += 3; break;
			case 'w': s.module = b[i + 2]; i += 3; break;
			case 'k': {
				struct esc_barcode *bc = &d->barcodes[d->nbarcodes < 8 ? d->nbarcodes : 7];
				size_t len;

				NEED(4);
				len = b[i + 3];
				NEED(4 + len);
				memset(bc, 0, sizeof *bc);
				bc->symbology = b[i + 2];
				bc->module = s.module;
				bc->len = len < 255 ? len : 255;
				memcpy(bc->data, b + i + 4, bc->len);
				bc->line = d->nlines;
				d->nbarcodes += d->nbarcodes < 8;
				i += 4 + len;
				break;
			}
			case '(': {
				size_t len;

				NEED(5);
				len = b[i + 3] | (size_t)b[i + 4] << 8;
				NEED(5 + len);
				if (b[i + 2] != 'k')
					goto bad;
				d->qrs += len >= 2 && b[i + 5] == 0x31 && b[i + 6] == 0x51;
				if (len >= 3 && b[i + 5] == 0x31 && b[i + 6] == 0x41)
					d->qr_model = b[i + 7];
				if (len >= 3 && b[i + 5] == 0x31 && b[i + 6] == 0x50 && b[i + 7] == 0x30) {
					d->qr_len = len - 3 < sizeof d->qr_data ? len - 3 : sizeof d->qr_data;
					memcpy(d->qr_data, b + i + 8, d->qr_len);
				}
				i += 5 + len;
				break;
			}
			default: goto bad;
			}
		} else {
			goto bad;
		}
	}
#undef NEED
	if (s.cur.chars > 0)
		esc_newline(d, &s);
	return true;
bad:
	d->bad = true;
	d->bad_at = i;
	return false;
}

/* The paper a line takes, in columns of the standard font. */
static int esc_line_columns(const struct esc_line *l)
{
	return l->chars * (l->width ? l->width : 1);
}

/* The first line whose text contains needle, or NULL. */
static const struct esc_line *esc_find(const struct esc_doc *d, const char *needle)
{
	for (int i = 0; i < d->nlines; i++)
		if (strstr(d->lines[i].text, needle))
			return &d->lines[i];
	return NULL;
}

/* The widest line in columns. */
static int esc_widest(const struct esc_doc *d)
{
	int w = 0;

	for (int i = 0; i < d->nlines; i++)
		if (esc_line_columns(&d->lines[i]) > w)
			w = esc_line_columns(&d->lines[i]);
	return w;
}

/* Dots across a CODE128 barcode as decoded, quiet zones (10 modules a
 * side) included: start, symbols (a digit pair in set C, "{{" one brace),
 * check, 11 modules each, stop 13. */
static int esc_code128_dots(const struct esc_barcode *bc)
{
	size_t n = bc->len, symbols = 0;

	for (size_t i = 2; i < n; i++, symbols++)
		if (bc->data[1] == 'B' && bc->data[i] == '{')
			i++;
	return (int)(11 * (symbols + 2) + 13 + 20) * bc->module;
}
