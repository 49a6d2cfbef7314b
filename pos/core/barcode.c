/* Barcode classification: GTINs with their GS1 check digit reduced to one
 * catalogue key, in-store scale labels decoded by a per-prefix template
 * (with the GS1 price/weight verifier), and everything else passed
 * through as text to be looked up as a SKU. */
#include "core/barcode.h"

#include <string.h>

#define SCALE_LEN 13
#define GTIN_MAX  14

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

/* The weighted products of GS1 General Specifications 7.9.3: "2-" is the
 * units digit of 2d minus its tens digit, "5+" of 5d plus its tens digit,
 * "5-" of 5d minus its tens digit, "3" the units digit of 3d. */
static const int w_two_minus[10] = { 0, 2, 4, 6, 8, 9, 1, 3, 5, 7 };
static const int w_three[10] = { 0, 3, 6, 9, 2, 5, 8, 1, 4, 7 };
static const int w_five_plus[10] = { 0, 5, 1, 6, 2, 7, 3, 8, 4, 9 };
static const int w_five_minus[10] = { 0, 5, 9, 4, 8, 3, 7, 2, 6, 1 };

int barcode_value_verifier(const char *d, size_t n)
{
	if (!d || (n != 4 && n != 5) || !all_digits(d, n))
		return -1;
	if (n == 4) {
		/* factors 2- 2- 3 5-; the check digit is the units digit of 3 x sum */
		int sum = w_two_minus[d[0] - '0'] + w_two_minus[d[1] - '0'] +
			  w_three[d[2] - '0'] + w_five_minus[d[3] - '0'];
		return sum * 3 % 10;
	}
	/* factors 5+ 2- 5- 5+ 2-; the check digit is the one whose 5- product
	 * brings the sum up to a multiple of ten */
	int sum = w_five_plus[d[0] - '0'] + w_two_minus[d[1] - '0'] +
		  w_five_minus[d[2] - '0'] + w_five_plus[d[3] - '0'] +
		  w_two_minus[d[4] - '0'];
	int want = (10 - sum % 10) % 10;
	for (int c = 0; c < 10; c++)
		if (w_five_minus[c] == want)
			return c;
	return -1; /* not reached: 5- is a permutation of 0..9 */
}

enum cm_rc barcode_gtin_key(const char *gtin, char *key)
{
	size_t n = gtin ? strnlen(gtin, GTIN_MAX + 1) : 0;
	char full[GTIN_MAX + 1];

	if (key)
		key[0] = '\0';
	if (!key || (n != 8 && n != 12 && n != 13 && n != 14) ||
	    !all_digits(gtin, n) ||
	    barcode_check_digit(gtin, n - 1) != gtin[n - 1] - '0')
		return CM_INVALID;
	memset(full, '0', GTIN_MAX - n);
	memcpy(full + GTIN_MAX - n, gtin, n + 1);
	memcpy(key, full[0] == '0' ? full + 1 : full,
	       full[0] == '0' ? GTIN_MAX : GTIN_MAX + 1);
	return CM_OK;
}

/* What a template holds: counts of the letters, the value letter (W, D
 * or R), where its run starts and where the verifier is (-1: none). */
struct tmpl_shape {
	int n_i, n_value, runs, start, v_pos, n_v;
	char value;
};

static bool is_value_letter(char c)
{
	return c == 'W' || c == 'D' || c == 'R';
}

static bool tmpl_shape(const char *tmpl, struct tmpl_shape *sh)
{
	memset(sh, 0, sizeof *sh);
	sh->v_pos = -1;
	for (int i = 2; i < SCALE_LEN - 1; i++) {
		char c = tmpl[i];

		if (c == 'I') {
			sh->n_i++;
		} else if (is_value_letter(c)) {
			if (sh->value && sh->value != c)
				return false;
			if (tmpl[i - 1] != c) {
				sh->runs++;
				sh->start = i;
			}
			sh->value = c;
			sh->n_value++;
		} else if (c == 'V') {
			sh->v_pos = i;
			sh->n_v++;
		} else if (c != 'X') {
			return false;
		}
	}
	return true;
}

static bool prefix_ok(const char *prefix)
{
	if (!prefix || prefix[2] != '\0')
		return false;
	if (prefix[0] == '0' && prefix[1] == '2')
		return true; /* UPC-A number system 2 */
	return prefix[0] == '2' && prefix[1] >= '0' && prefix[1] <= '9';
}

enum cm_rc scale_format_check(const char *prefix, const char *tmpl)
{
	struct tmpl_shape sh;

	if (!prefix || !tmpl || strnlen(prefix, 3) != 2 || !prefix_ok(prefix))
		return CM_INVALID;
	if (strnlen(tmpl, SCALE_LEN + 1) != SCALE_LEN || tmpl[0] != 'P' || tmpl[1] != 'P' ||
	    tmpl[SCALE_LEN - 1] != 'C' || !tmpl_shape(tmpl, &sh))
		return CM_INVALID;
	if (sh.n_i == 0 || sh.runs != 1)
		return CM_INVALID;
	/* A verifier guards the run right after it, which GS1 defines for
	 * 4- and 5-digit fields only. */
	if (sh.n_v > 1 || (sh.n_v == 1 && (sh.v_pos + 1 != sh.start ||
					   (sh.n_value != 4 && sh.n_value != 5))))
		return CM_INVALID;
	return CM_OK;
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

/* code is a 13-digit key with a good check digit and f a checked format.
 * CM_INVALID when the template's verifier does not match the value. */
static enum cm_rc decode_scale(const char *code, const struct scale_format *f,
			       struct barcode *out)
{
	struct tmpl_shape sh;
	int64_t plu = 0, value = 0;

	tmpl_shape(f->tmpl, &sh);
	if (sh.v_pos >= 0 &&
	    barcode_value_verifier(code + sh.start, (size_t)sh.n_value) !=
		    code[sh.v_pos] - '0')
		return CM_INVALID;
	for (int i = 0; i < SCALE_LEN; i++) {
		int d = code[i] - '0';

		if (f->tmpl[i] == 'I')
			plu = plu * 10 + d;
		else if (is_value_letter(f->tmpl[i]))
			value = value * 10 + d;
	}
	out->kind = BC_SCALE;
	out->plu = (int32_t)plu;
	if (sh.value == 'R') {
		out->has_price = true;
		out->price = value;
	} else {
		/* quantities are thousandths of a kg: grams as they are */
		out->has_weight = true;
		out->qty = sh.value == 'D' ? value * 10 : value;
	}
	return CM_OK;
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

static enum barcode_kind gtin_kind(size_t n)
{
	switch (n) {
	case 8:  return BC_EAN8;
	case 12: return BC_UPCA;
	case 13: return BC_EAN13;
	default: return BC_GTIN14;
	}
}

enum cm_rc barcode_parse(const char *s, const struct scale_format *fmts,
			 size_t nfmts, struct barcode *out)
{
	size_t n = s ? strlen(s) : 0;
	const struct scale_format *f;
	char key[GTIN_MAX + 1];

	memset(out, 0, sizeof *out);
	out->kind = BC_TEXT;
	if (!is_text(s, n))
		return CM_INVALID;
	memcpy(out->code, s, n + 1);
	if (!all_digits(s, n) || (n != 8 && n != 12 && n != 13 && n != 14))
		return CM_OK;
	/* A GTIN-length number with a wrong check digit is most likely a
	 * misread or mistyped barcode; the caller may still try it as SKU. */
	if (barcode_gtin_key(s, key) != CM_OK) {
		out->fault = BC_FAULT_CHECK;
		return CM_INVALID;
	}
	out->kind = gtin_kind(n);
	memcpy(out->code, key, strlen(key) + 1);
	if (strlen(key) != SCALE_LEN || !(f = find_format(key, fmts, nfmts)))
		return CM_OK;
	if (decode_scale(key, f, out) != CM_OK) {
		memset(out, 0, sizeof *out);
		memcpy(out->code, s, n + 1);
		out->fault = BC_FAULT_VERIFIER;
		return CM_INVALID;
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
	if (sh.v_pos >= 0)
		buf[sh.v_pos] = (char)('0' + barcode_value_verifier(buf + sh.start,
								     (size_t)sh.n_value));
	buf[SCALE_LEN - 1] = (char)('0' + barcode_check_digit(buf, SCALE_LEN - 1));
	buf[SCALE_LEN] = '\0';
	return CM_OK;
}
