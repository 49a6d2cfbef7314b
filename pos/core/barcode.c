/* Barcode classification: GTINs with their GS1 check digit, in-store
 * scale labels decoded by a per-prefix template, and everything else
 * passed through as text to be looked up as a SKU. */
#include "core/barcode.h"

#include <string.h>

#define SCALE_LEN 13

int barcode_check_digit(const char *digits, size_t n)
{
	int sum = 0;

	if (!digits || n > 17)
		return -1;
	/* Weights 3,1,3,1... from the rightmost data digit leftwards, so the
	 * same rule serves GTIN-8, -12, -13 and -14. */
	for (size_t i = 0; i < n; i++) {
		char c = digits[n - 1 - i];

		if (c < '0' || c > '9')
			return -1;
		sum += (c - '0') * (i % 2 == 0 ? 3 : 1);
	}
	return (10 - sum % 10) % 10;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool check_digit_ok(const char *s, size_t n)
{
	return barcode_check_digit(s, n - 1) == s[n - 1] - '0';
}

/* Counts of each template letter and whether the W/R letters form a
 * single run; shared by check and make. */
struct tmpl_shape {
	int n_i, n_value;
	char value; /* 'W' or 'R' */
};

enum cm_rc scale_format_check(const char *prefix, const char *tmpl)
{
	struct tmpl_shape sh = { 0 };
	int runs = 0;

	if (!prefix || !tmpl || prefix[0] != '2' || prefix[1] < '0' ||
	    prefix[1] > '9' || prefix[2] != '\0')
		return CM_INVALID;
	if (strnlen(tmpl, SCALE_LEN + 1) != SCALE_LEN || tmpl[0] != 'P' || tmpl[1] != 'P' ||
	    tmpl[SCALE_LEN - 1] != 'C')
		return CM_INVALID;
	for (int i = 2; i < SCALE_LEN - 1; i++) {
		char c = tmpl[i];

		if (c == 'I') {
			sh.n_i++;
		} else if (c == 'W' || c == 'R') {
			if (sh.value && sh.value != c)
				return CM_INVALID;
			if (tmpl[i - 1] != c)
				runs++;
			sh.value = c;
			sh.n_value++;
		} else if (c != 'X') {
			return CM_INVALID;
		}
	}
	return sh.n_i > 0 && runs == 1 ? CM_OK : CM_INVALID;
}

static void tmpl_shape(const char *tmpl, struct tmpl_shape *sh)
{
	memset(sh, 0, sizeof *sh);
	for (int i = 0; i < SCALE_LEN; i++) {
		if (tmpl[i] == 'I')
			sh->n_i++;
		if (tmpl[i] == 'W' || tmpl[i] == 'R') {
			sh->value = tmpl[i];
			sh->n_value++;
		}
	}
}

static const struct scale_format *find_format(const char *code,
					      const struct scale_format *fmts,
					      size_t nfmts)
{
	for (size_t i = 0; fmts && i < nfmts; i++) {
		const struct scale_format *f = &fmts[i];

		if (code[0] == f->prefix[0] && code[1] == f->prefix[1] &&
		    scale_format_check(f->prefix, f->tmpl) == CM_OK)
			return f;
	}
	return NULL;
}

/* code is 13 digits with a good check digit and f a checked format. */
static void decode_scale(const char *code, const struct scale_format *f,
			 struct barcode *out)
{
	int64_t plu = 0, value = 0;

	for (int i = 0; i < SCALE_LEN; i++) {
		int d = code[i] - '0';

		if (f->tmpl[i] == 'I')
			plu = plu * 10 + d;
		else if (f->tmpl[i] == 'W' || f->tmpl[i] == 'R')
			value = value * 10 + d;
	}
	out->kind = BC_SCALE;
	out->plu = (int32_t)plu;
	/* grams are thousandths of a kilogram: no conversion needed */
	if (strchr(f->tmpl, 'W')) {
		out->has_weight = true;
		out->qty = value;
	} else {
		out->has_price = true;
		out->price = value;
	}
}

static bool is_text(const char *s, size_t n)
{
	if (n == 0 || n >= sizeof ((struct barcode *)0)->code)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f)
			return false;
	}
	return true;
}

enum cm_rc barcode_parse(const char *s, const struct scale_format *fmts,
			 size_t nfmts, struct barcode *out)
{
	size_t n = s ? strlen(s) : 0;
	const struct scale_format *f;

	memset(out, 0, sizeof *out);
	out->kind = BC_TEXT;
	if (!is_text(s, n))
		return CM_INVALID;
	memcpy(out->code, s, n + 1);
	if (!all_digits(s, n) || (n != 8 && n != 12 && n != 13))
		return CM_OK;
	/* A GTIN-length number with a wrong check digit is most likely a
	 * misread or mistyped barcode; the caller may still try it as SKU. */
	if (!check_digit_ok(s, n))
		return CM_INVALID;
	if (n == 8) {
		out->kind = BC_EAN8;
	} else if (n == 12) {
		out->kind = BC_UPCA;
		out->code[0] = '0';
		memcpy(out->code + 1, s, n + 1);
	} else if ((f = find_format(s, fmts, nfmts))) {
		decode_scale(s, f, out);
	} else {
		out->kind = BC_EAN13;
	}
	return CM_OK;
}

/* Writes v as exactly `width` digits into the positions of tmpl marked
 * with letter, most significant first. */
static void fill_digits(char *buf, const char *tmpl, char letter, int64_t v,
			int width)
{
	for (int i = SCALE_LEN - 1; i >= 0 && width > 0; i--) {
		if (tmpl[i] != letter)
			continue;
		buf[i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	}
}

static int64_t pow10_i(int k)
{
	int64_t p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

enum cm_rc scale_format_make(const struct scale_format *f, int32_t plu,
			     int64_t value, char *buf)
{
	struct tmpl_shape sh;

	if (!f || scale_format_check(f->prefix, f->tmpl) != CM_OK)
		return CM_INVALID;
	tmpl_shape(f->tmpl, &sh);
	if (plu < 0 || plu >= pow10_i(sh.n_i) || value < 0 ||
	    value >= pow10_i(sh.n_value))
		return CM_INVALID;
	memset(buf, '0', SCALE_LEN);
	buf[0] = f->prefix[0];
	buf[1] = f->prefix[1];
	fill_digits(buf, f->tmpl, 'I', plu, sh.n_i);
	fill_digits(buf, f->tmpl, sh.value, value, sh.n_value);
	buf[SCALE_LEN - 1] = (char)('0' + barcode_check_digit(buf, SCALE_LEN - 1));
	buf[SCALE_LEN] = '\0';
	return CM_OK;
}
