/* Receipt text for thermal printers.
 *
 * Layout, top to bottom (Bahasa Indonesia, the printed language):
 *   store name, address (centred, wrapped); "NPWP: ..." when PKP;
 *   "*** CETAK ULANG ***" on a reprint; rule;
 *   No. struk / Tanggal / Terminal / Kasir / Anggota fields;
 *   rule; per live line: its name, then "  qty x price" and the amount,
 *   then "  Diskon" with a negative amount when discounted;
 *   rule; Subtotal, Diskon (ticket), TOTAL Rp..., Pembulatan, tenders,
 *   Kembalian;
 *   when PKP: rule and per tax class "Kena PPN" + "  PPN termasuk", or
 *   "Bebas PPN"; a non-PKP receipt carries no PPN wording at all;
 *   footer (centred); "No. jurnal: <seq>  <8 hex>"; with a check code
 *   (core/checkcode.h) "Kode cek struk (cek di HQ):" and the code, wrapped
 *   after a ':' (marked output: the QR code's line before them).
 * Amounts in columns are printed without the currency symbol; TOTAL has it.
 *
 * All text passes through receipt_ascii first, so every byte is printable
 * ASCII and a line can be cut anywhere without splitting a character. */
#include "core/receipt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkcode.h"
#include "core/money.h"

/* ---- transliteration ------------------------------------------------- */

/* U+00C0..U+00FF and U+0100..U+017F by base letter; '?' marks the few
 * that need more than one letter (see multi[] below). */
static const char latin1_base[] =
	"AAAAAA?CEEEEIIIIDNOOOOOxOUUUUY??aaaaaa?ceeeeiiiidnooooo/ouuuuy?y";
static const char latin_ext_a_base[] =
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg" "GgGgHhHhIiIiIiIi" "Ii??JjKkkLlLlLlL"
	"lLlNnNnNnnNnOoOo" "Oo??RrRrRrSsSsSs" "SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";

struct translit {
	uint32_t cp;
	const char *ascii;
};

/* Sorted by code point for bsearch. */
static const struct translit multi[] = {
	{ 0x00A0, " " },  { 0x00AB, "\"" }, { 0x00AD, "" },   { 0x00B2, "2" },
	{ 0x00B3, "3" },  { 0x00B4, "'" },  { 0x00B7, "." },  { 0x00B9, "1" },
	{ 0x00BB, "\"" }, { 0x00BC, "1/4" }, { 0x00BD, "1/2" }, { 0x00BE, "3/4" },
	{ 0x00C6, "AE" }, { 0x00DE, "Th" }, { 0x00DF, "ss" }, { 0x00E6, "ae" },
	{ 0x00FE, "th" }, { 0x0132, "IJ" }, { 0x0133, "ij" }, { 0x0152, "OE" },
	{ 0x0153, "oe" }, { 0x2002, " " },  { 0x2003, " " },  { 0x2004, " " },
	{ 0x2005, " " },  { 0x2007, " " },  { 0x2009, " " },  { 0x200A, " " },
	{ 0x200B, "" },   { 0x2010, "-" },  { 0x2011, "-" },  { 0x2012, "-" },
	{ 0x2013, "-" },  { 0x2014, "-" },  { 0x2015, "-" },  { 0x2018, "'" },
	{ 0x2019, "'" },  { 0x201A, "'" },  { 0x201B, "'" },  { 0x201C, "\"" },
	{ 0x201D, "\"" }, { 0x201E, "\"" }, { 0x201F, "\"" }, { 0x2022, "*" },
	{ 0x2026, "..." }, { 0x202F, " " }, { 0x2032, "'" },  { 0x2033, "\"" },
	{ 0x2212, "-" },  { 0xFEFF, "" },
};

static int translit_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	uint32_t other = ((const struct translit *)elem)->cp;

	return (cp > other) - (cp < other);
}

/* One UTF-8 sequence at s: its length, and the code point in *cp, or
 * U+FFFD with length 1 for a malformed, overlong or surrogate sequence.
 * The NUL terminator is never a continuation byte, so this cannot read
 * past the end of the string. */
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
		len = 2, v = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, v = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, v = s[0] & 0x07;
	else
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

/* The ASCII text for one code point; *one is scratch for single letters. */
static const char *translit_cp(uint32_t cp, char one[2])
{
	const struct translit *t;

	if (cp == '\t' || cp == '\n' || cp == '\r')
		return " ";
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return "";                  /* C0 and C1 controls */
	t = bsearch(&cp, multi, sizeof multi / sizeof multi[0], sizeof multi[0],
	            translit_cmp);
	if (t)
		return t->ascii;
	if (cp >= 0x0300 && cp <= 0x036F)
		return "";                  /* combining accents: the base stays */
	one[1] = '\0';
	if (cp < 0x80)
		one[0] = (char)cp;
	else if (cp >= 0xC0 && cp <= 0xFF)
		one[0] = latin1_base[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		one[0] = latin_ext_a_base[cp - 0x100];
	else
		one[0] = '?';
	return one;
}

/* Whitespace controls become spaces so "Jl. Merdeka\nBandung" keeps its
 * word break; other controls are dropped. A replacement that does not fit
 * whole is not started. */
size_t receipt_ascii(const char *s, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = 0;

	if (n == 0)
		return 0;
	while (*p) {
		uint32_t cp;
		char one[2];
		size_t step = utf8_next(p, &cp);
		const char *a = translit_cp(cp, one);
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

/* ---- the output buffer ----------------------------------------------- */

struct out {
	char *p;
	size_t len, cap;
	size_t cols;
	bool err;              /* allocation failed: the result is NULL */
	bool marks;            /* put the structure marks in (receipt.h) */
	char mark;             /* the mark of every line now, 0 for none */
};

static void out_put(struct out *o, const char *s, size_t n)
{
	if (o->err)
		return;
	if (o->cap - o->len <= n) {
		size_t cap = o->cap ? o->cap : 1024;
		char *p;

		while (cap - o->len <= n)
			cap *= 2;
		p = realloc(o->p, cap);
		if (!p) {
			o->err = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* A string of n spaces (n up to the widest receipt). */
static const char *blanks(size_t n)
{
	static const char sp[] = "                                                ";

	return sp + sizeof sp - 1 - (n < sizeof sp ? n : sizeof sp - 1);
}

/* The current mark at the start of a line, in marked output. */
static void out_mark(struct out *o)
{
	if (o->marks && o->mark)
		out_put(o, &o->mark, 1);
}

/* One line: lead, then text clipped so the line never exceeds cols. */
static void out_line(struct out *o, const char *lead, const char *s, size_t n)
{
	size_t l = strlen(lead);

	if (l > o->cols)
		l = o->cols;
	if (n > o->cols - l)
		n = o->cols - l;
	out_mark(o);
	out_put(o, lead, l);
	out_put(o, s, n);
	out_put(o, "\n", 1);
}

static void out_rule(struct out *o)
{
	static const char dashes[] = "------------------------------------------------";

	out_line(o, "", dashes, o->cols);
}

/* ---- word wrapping ---------------------------------------------------- */

/* Length of the next line of s (no leading spaces) within width: up to the
 * last space that fits, or a hard cut for a word longer than width. */
static size_t wrap_next(const char *s, size_t len, size_t width)
{
	size_t brk = 0;

	if (len <= width)
		return len;
	for (size_t i = 1; i <= width; i++)
		if (s[i] == ' ')
			brk = i;
	return brk ? brk : width;
}

/* text word-wrapped; the first line starts with lead and later lines are
 * indented to match it (or every line centred, without lead). */
static void out_wrapped(struct out *o, const char *lead, const char *text, bool center)
{
	size_t indent = center ? 0 : strlen(lead), len = strlen(text);
	size_t width = o->cols > indent ? o->cols - indent : 1;
	const char *cont = blanks(indent);

	while (len > 0 && *text == ' ')
		text++, len--;
	while (len > 0) {
		size_t n = wrap_next(text, len, width), shown = n;

		while (shown > 0 && text[shown - 1] == ' ')
			shown--;
		if (center)
			out_line(o, blanks((o->cols - shown) / 2), text, shown);
		else
			out_line(o, lead, text, shown);
		lead = cont;
		text += n, len -= n;
		while (len > 0 && *text == ' ')
			text++, len--;
	}
}

/* left ... right on one line when both fit with a space between; else the
 * left text wrapped on its own (keeping its indent) and right-aligned
 * right below it. */
static void out_lr(struct out *o, const char *left, const char *right)
{
	size_t l = strlen(left), r = strlen(right), k = strspn(left, " ");
	char lead[8] = "";

	if (l + 1 + r > o->cols) {
		if (k >= sizeof lead)
			k = sizeof lead - 1;
		memset(lead, ' ', k);
		lead[k] = '\0';
		out_wrapped(o, lead, left, false);
		left = "";
		l = 0;
	}
	if (r > o->cols)
		r = o->cols;
	out_mark(o);
	out_put(o, left, l);
	out_put(o, blanks(o->cols - l - r), o->cols - l - r);
	out_put(o, right, r);
	out_put(o, "\n", 1);
}

/* s as ASCII with runs of spaces collapsed and the ends trimmed; malloc'd
 * (caller frees), NULL on allocation failure (which marks o). A UTF-8
 * sequence never turns into more than 1.5 times its bytes. */
static char *ascii_dup(struct out *o, const char *s)
{
	size_t cap = 2 * strlen(s ? s : "") + 1, r = 0, w = 0;
	char *buf = malloc(cap);

	if (!buf) {
		o->err = true;
		return NULL;
	}
	receipt_ascii(s, buf, cap);
	for (; buf[r]; r++) {
		if (buf[r] == ' ' && (w == 0 || buf[w - 1] == ' '))
			continue;
		buf[w++] = buf[r];
	}
	if (w > 0 && buf[w - 1] == ' ')
		w--;
	buf[w] = '\0';
	return buf;
}

static void out_text(struct out *o, const char *lead, const char *s, bool center)
{
	char *a = ascii_dup(o, s);

	if (a)
		out_wrapped(o, lead, a, center);
	free(a);
}

/* ---- amounts ---------------------------------------------------------- */

/* Column amounts: "12.500", "-2.400" (no symbol; TOTAL adds it). */
static void amount(cm_money v, char buf[40])
{
	static const struct money_fmt plain = { .symbol = "", .space = false };

	money_format(v, &plain, buf, 40);
}

/* Basis points as a percentage with a decimal comma: 1000 -> "10%",
 * 250 -> "2,5%". */
static void percent(int64_t bp, char buf[32])
{
	int64_t whole = bp / 100, frac = bp % 100;

	if (frac < 0)
		frac = -frac;
	if (frac == 0)
		snprintf(buf, 32, "%" PRId64 "%%", whole);
	else if (frac % 10 == 0)
		snprintf(buf, 32, "%" PRId64 ",%" PRId64 "%%", whole, frac / 10);
	else
		snprintf(buf, 32, "%" PRId64 ",%02" PRId64 "%%", whole, frac);
}

static void out_amount(struct out *o, const char *label, cm_money v)
{
	char a[40];

	amount(v, a);
	out_lr(o, label, a);
}

/* ---- sections --------------------------------------------------------- */

static void out_store(struct out *o, const struct receipt_store *st, bool reprint)
{
	char npwp[160];

	o->mark = RECEIPT_MARK_HEADING;
	out_text(o, "", st->name, true);
	out_text(o, "", st->address, true);
	if (st->pkp && st->npwp && *st->npwp) {
		snprintf(npwp, sizeof npwp, "NPWP: %s", st->npwp);
		out_text(o, "", npwp, true);
	}
	if (reprint)
		out_text(o, "", "*** CETAK ULANG ***", true);
	o->mark = 0;
}

/* The total the printer emphasises: laid out here for the text, and
 * "<mark>LABEL<sep>AMOUNT" in marked output so the printer lays it out at
 * the size that fits (drivers/escpos.c). */
static void out_total(struct out *o, const char *label, const char *value)
{
	static const char mark = RECEIPT_MARK_TOTAL, sep = RECEIPT_MARK_SEP;

	if (!o->marks) {
		out_lr(o, label, value);
		return;
	}
	out_put(o, &mark, 1);
	out_put(o, label, strlen(label));
	out_put(o, &sep, 1);
	out_put(o, value, strlen(value));
	out_put(o, "\n", 1);
}

/* "Kasir    : Siti" with the value wrapped under itself; empty values are
 * left out rather than printed as a bare label. */
static void out_field(struct out *o, const char *label, const char *value)
{
	char lead[16];

	if (!value || !*value)
		return;
	snprintf(lead, sizeof lead, "%-9s: ", label);
	out_text(o, lead, value, false);
}

static void out_heading(struct out *o, const struct receipt_sale *s,
                        const struct receipt_store *st)
{
	char when[32] = "--/--/---- --:--";
	struct tm tm;

	if (localtime_r(&s->completed_at, &tm))
		strftime(when, sizeof when, "%d/%m/%Y %H:%M", &tm);
	out_field(o, "No. struk", s->receipt_no);
	out_field(o, "Tanggal", when);
	out_field(o, "Terminal", st->terminal);
	out_field(o, "Kasir", s->cashier);
	out_field(o, "Anggota", s->member);
}

/* "  2 x 12.500" or, for weighed items, "  0,75 kg x 32.000". */
static void out_line_qty(struct out *o, const struct line_rec *l, cm_money amt)
{
	char qty[32], price[40], unit[sizeof l->unit * 2], left[128], a[40];

	qty_format(l->qty, qty, sizeof qty);
	amount(l->unit_price, price);
	receipt_ascii(l->unit, unit, sizeof unit);
	if (l->weighed && *unit)
		snprintf(left, sizeof left, "  %s %s x %s", qty, unit, price);
	else
		snprintf(left, sizeof left, "  %s x %s", qty, price);
	amount(amt, a);
	out_lr(o, left, a);
}

static void out_item(struct out *o, const struct line_rec *l,
                     const struct sale_line_amounts *am)
{
	char label[48] = "  Diskon", pct[32];

	out_text(o, "", l->receipt_name[0] ? l->receipt_name : l->name, false);
	out_line_qty(o, l, am->amount);
	if (am->line_discount == 0)
		return;
	if (l->disc_kind == DISC_PERCENT) {
		percent(l->disc_value, pct);
		snprintf(label, sizeof label, "  Diskon %s", pct);
	}
	out_amount(o, label, -am->line_discount);
}

static void out_items(struct out *o, const struct receipt_sale *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (!s->lines[i].voided)
			out_item(o, &s->lines[i], &s->amounts[i]);
}

static void out_tender(struct out *o, const struct tender_rec *t)
{
	static const char *const names[TENDER_KIND_COUNT] = {
		[TENDER_CASH] = "Tunai", [TENDER_DEBIT] = "Debit", [TENDER_QRIS] = "QRIS",
		[TENDER_CREDIT] = "Kredit anggota",
	};
	const char *name = (unsigned)t->kind < TENDER_KIND_COUNT ? names[t->kind] : "Lainnya";
	char ref[sizeof t->ref * 2], label[sizeof ref + 32];

	receipt_ascii(t->ref, ref, sizeof ref);
	if (t->kind == TENDER_DEBIT && *ref)
		snprintf(label, sizeof label, "%s (appr %s)", name, ref);
	else if (*ref)
		snprintf(label, sizeof label, "%s (ref %s)", name, ref);
	else
		snprintf(label, sizeof label, "%s", name);
	out_amount(o, label, t->amount);
}

/* Members' dues: savings, not goods, in their own block with the months
 * they pay ("2026-07 s/d 2026-09"), runs of months on one line. */
static void out_dues(struct out *o, const struct receipt_sale *s)
{
	static const char *const names[DUES_KIND_COUNT] = {
		"Simpanan pokok", "Simpanan wajib", "Simpanan sukarela"
	};
	char label[64], a[16], b[16];

	if (!s->ndues)
		return;
	out_rule(o);
	out_text(o, "", "SIMPANAN ANGGOTA (bukan belanja)", false);
	for (size_t i = 0; i < s->ndues;) {
		const struct dues_line *d = &s->dues[i];
		size_t j = i + 1;
		cm_money sum = d->amount;
		if (d->kind == DUES_WAJIB) {
			while (j < s->ndues && s->dues[j].kind == DUES_WAJIB &&
			       s->dues[j].month == dues_month_add(s->dues[j - 1].month, 1))
				sum += s->dues[j++].amount;
			out_text(o, "", names[d->kind], false);
			dues_month_format(d->month, a, sizeof a);
			dues_month_format(s->dues[j - 1].month, b, sizeof b);
			if (j - i == 1)
				snprintf(label, sizeof label, "  %s (1 bln)", a);
			else
				snprintf(label, sizeof label, "  %s s/d %s (%zu bln)", a, b, j - i);
			out_amount(o, label, sum);
		} else {
			out_amount(o, (unsigned)d->kind < DUES_KIND_COUNT ? names[d->kind] : "Simpanan", sum);
		}
		i = j;
	}
	out_amount(o, "Total simpanan", s->totals.dues);
}

static void out_totals(struct out *o, const struct receipt_sale *s)
{
	const struct sale_totals *t = &s->totals;
	char total[40];
	bool cash = false;

	if (s->nlines) {
		out_amount(o, "Subtotal", t->gross - t->line_discounts);
		if (t->ticket_discount != 0)
			out_amount(o, "Diskon", -t->ticket_discount);
	}
	out_dues(o, s);
	if (s->ndues)
		out_rule(o);
	money_format(t->total + t->dues, NULL, total, sizeof total);
	out_total(o, "TOTAL", total);
	if (t->rounding != 0)
		out_amount(o, "Pembulatan", t->rounding);
	for (size_t i = 0; i < s->ntenders; i++) {
		out_tender(o, &s->tenders[i]);
		cash |= s->tenders[i].kind == TENDER_CASH;
	}
	if (cash || t->change != 0)
		out_amount(o, "Kembalian", t->change);
}

/* Tax is extracted from tax-inclusive prices, so the section says what
 * the total already contains rather than adding anything. */
static void out_ppn(struct out *o, const struct sale_totals *t)
{
	static const char *const label[TAX_CLASS_COUNT] = {
		[TAX_STANDARD] = "Kena PPN", [TAX_LUXURY] = "Kena PPN (mewah)",
	};

	out_rule(o);
	for (int c = TAX_STANDARD; c < TAX_CLASS_COUNT; c++) {
		if (t->class_total[c] == 0)
			continue;
		out_amount(o, label[c], t->class_total[c]);
		out_amount(o, "  PPN termasuk", t->class_tax[c]);
	}
	if (t->class_total[TAX_EXEMPT] != 0)
		out_amount(o, "Bebas PPN", t->class_total[TAX_EXEMPT]);
}

/* The copy of a credit sale the coop keeps: the member signs for the
 * credit to be deducted from their salary. */
static void out_signature(struct out *o, const struct receipt_sale *s)
{
	cm_money credit = 0;
	char a[40], line[96];

	for (size_t i = 0; i < s->ntenders; i++)
		if (s->tenders[i].kind == TENDER_CREDIT)
			credit += s->tenders[i].amount;
	out_rule(o);
	out_text(o, "", "SALINAN KOPERASI: KREDIT", true);
	money_format(credit, NULL, a, sizeof a);
	snprintf(line, sizeof line, "Saya setuju kredit %s dipotong dari gaji saya.", a);
	out_text(o, "", line, false);
	out_text(o, "", "Tanda tangan anggota:", false);
	out_line(o, "", "", 0);     /* room to sign */
	out_line(o, "", "", 0);
	out_text(o, "", "______________________", false);
	out_text(o, "", s->member ? s->member : "", false);
}

/* The check code: the QR code's mark (marked output only), then the code
 * as text a member can type, wrapped after a ':' so that no field is cut
 * unless it is longer than a line. */
static void out_check_code(struct out *o, const char *code)
{
	static const char mark = RECEIPT_MARK_QR;
	char a[CHECKCODE_MAX];
	size_t len = receipt_ascii(code, a, sizeof a), at = 0;

	if (len == 0)
		return;
	if (o->marks) {
		out_put(o, &mark, 1);
		out_put(o, a, len);
		out_put(o, "\n", 1);
	}
	out_text(o, "", "Kode cek struk (cek di HQ):", false);
	while (at < len) {
		size_t n = len - at;

		if (n > o->cols) {
			n = o->cols;
			for (size_t i = o->cols; i > 0; i--)
				if (a[at + i - 1] == ':') {
					n = i;
					break;
				}
		}
		out_line(o, "", a + at, n);
		at += n;
	}
}

/* The journal reference lets a member check the receipt against HQ. */
static void out_trailer(struct out *o, const struct receipt_sale *s,
                        const struct receipt_store *st)
{
	char hash[9], line[64];
	int n;

	out_rule(o);
	if (st->footer && *st->footer)
		out_text(o, "", st->footer, true);
	receipt_ascii(s->hash_hex, hash, sizeof hash);
	n = snprintf(line, sizeof line, "No. jurnal: %" PRId64 "  %s", s->journal_seq, hash);
	out_line(o, "", line, (size_t)n);
	if (s->check_code)
		out_check_code(o, s->check_code);
}

bool receipt_width_ok(int columns)
{
	return columns == 32 || columns == 40 || columns == 42 || columns == 48;
}

static char *render_sale(const struct receipt_sale *s, const struct receipt_store *st,
                         int columns, bool marks)
{
	struct out o = { .cols = (size_t)columns, .marks = marks };

	if (!receipt_width_ok(columns))
		return NULL;
	if (s->nlines > 0 && (!s->lines || !s->amounts))
		return NULL;
	out_store(&o, st, s->reprint);
	out_rule(&o);
	out_heading(&o, s, st);
	out_rule(&o);
	out_items(&o, s);
	out_rule(&o);
	out_totals(&o, s);
	if (st->pkp)
		out_ppn(&o, &s->totals);
	if (s->member_copy)
		out_signature(&o, s);
	out_trailer(&o, s, st);
	if (o.err) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

char *receipt_render(const struct receipt_sale *s, const struct receipt_store *st,
                     int columns)
{
	return render_sale(s, st, columns, false);
}

char *receipt_render_marked(const struct receipt_sale *s, const struct receipt_store *st,
                            int columns)
{
	return render_sale(s, st, columns, true);
}

/* ---- return receipts --------------------------------------------------- */

static void out_return_heading(struct out *o, const struct receipt_return *r,
                               const struct receipt_store *st)
{
	char when[32] = "--/--/---- --:--";
	time_t at = (time_t)r->h->at;
	struct tm tm;

	if (localtime_r(&at, &tm))
		strftime(when, sizeof when, "%d/%m/%Y %H:%M", &tm);
	out_field(o, "No. retur", r->h->return_no);
	out_field(o, "Struk asal", r->h->sale_receipt[0] ? r->h->sale_receipt : "-");
	out_field(o, "Tanggal", when);
	out_field(o, "Terminal", st->terminal);
	out_field(o, "Kasir", r->cashier);
	out_field(o, "Disetujui", r->approver);
	out_field(o, "Alasan", r->reason);
}

static void out_return_line(struct out *o, const struct return_line_rec *l)
{
	struct line_rec shown = { .qty = l->qty, .unit_price = l->unit_price,
	                          .weighed = l->weighed };

	memcpy(shown.unit, l->unit, sizeof shown.unit);
	out_text(o, "", l->receipt_name[0] ? l->receipt_name : l->name, false);
	out_line_qty(o, &shown, l->amount);
	if (l->damaged)
		out_text(o, "", "  (rusak)", false);
}

static void out_return_totals(struct out *o, const struct receipt_return *r)
{
	char total[40];

	money_format(r->h->total, NULL, total, sizeof total);
	out_total(o, "TOTAL RETUR", total);
	if (r->h->rounding != 0)
		out_amount(o, "Pembulatan", r->h->rounding);
	for (size_t i = 0; i < r->ntenders; i++)
		out_tender(o, &r->tenders[i]);
	out_amount(o, "Dikembalikan", r->h->refund);
}

static char *render_return(const struct receipt_return *r, const struct receipt_store *st,
                           int columns, bool marks)
{
	struct out o = { .cols = (size_t)columns, .marks = marks };
	struct sale_totals t = { 0 };
	struct receipt_sale trailer = { .journal_seq = r->h->journal_seq, .hash_hex = r->hash_hex,
	                                .check_code = r->check_code };

	if (!receipt_width_ok(columns))
		return NULL;
	if (r->nlines > 0 && !r->lines)
		return NULL;
	out_store(&o, st, r->reprint);
	out_text(&o, "", "*** RETUR BARANG ***", true);
	out_rule(&o);
	out_return_heading(&o, r, st);
	out_rule(&o);
	for (size_t i = 0; i < r->nlines; i++)
		out_return_line(&o, &r->lines[i]);
	out_rule(&o);
	out_return_totals(&o, r);
	if (st->pkp) {
		memcpy(t.class_total, r->h->class_total, sizeof t.class_total);
		memcpy(t.class_tax, r->h->class_tax, sizeof t.class_tax);
		out_ppn(&o, &t);
	}
	out_trailer(&o, &trailer, st);
	if (o.err) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

char *receipt_render_return(const struct receipt_return *r, const struct receipt_store *st,
                            int columns)
{
	return render_return(r, st, columns, false);
}

char *receipt_render_return_marked(const struct receipt_return *r,
                                   const struct receipt_store *st, int columns)
{
	return render_return(r, st, columns, true);
}
