/* libFuzzer target: barcode_parse on arbitrary text, with the scale
 * formats a store might configure, plus invariants of what it returns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/barcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct scale_format fmts[] = {
	{ "20", "PPIIIIIWWWWWC" },
	{ "21", "PPIIIIXRRRRRC" },
	{ "22", "PPIIWWIIWWWXC" }, /* malformed: must be ignored */
	{ "27", "PPIIXWWWWIIIC" },
	{ "23", "PPIIIIVRRRRRC" },
	{ "24", "PPIIIVDDDDIIC" }, /* malformed: verifier not before its run */
	{ "25", "PPIIIIIDDDDDC" },
	{ "02", "PPIIIIIVRRRRC" },
};

/* The value the label's field holds, in the field's own unit. */
static int64_t field_value(const struct scale_format *f, const struct barcode *b)
{
	if (b->has_price)
		return b->price;
	return strchr(f->tmpl, 'D') ? b->qty / 10 : b->qty;
}

static void check_result(const char *s, enum cm_rc rc, const struct barcode *b)
{
	char again[14];

	if (rc != CM_OK)
		return;
	if (strlen(b->code) >= sizeof b->code)
		abort();
	switch (b->kind) {
	case BC_EAN13:
	case BC_UPCA:
	case BC_EAN8:
	case BC_SCALE:
		if (strlen(b->code) != 13 ||
		    barcode_check_digit(b->code, 12) != b->code[12] - '0')
			abort();
		break;
	case BC_GTIN14: {
		size_t n = strlen(b->code);
		/* the key is 13 digits unless the indicator digit is not 0 */
		if ((n != 13 && n != 14) || (n == 14 && b->code[0] == '0') ||
		    barcode_check_digit(b->code, n - 1) != b->code[n - 1] - '0')
			abort();
		break;
	}
	case BC_TEXT:
		if (strcmp(b->code, s) != 0)
			abort();
		break;
	}
	if (b->kind != BC_TEXT) {
		char key[16];
		/* the key is its own key, and the input's */
		if (barcode_gtin_key(b->code, key) != CM_OK || strcmp(key, b->code) != 0 ||
		    barcode_gtin_key(s, key) != CM_OK || strcmp(key, b->code) != 0)
			abort();
	}
	if (b->kind != BC_SCALE)
		return;
	/* a decoded label rebuilds to the same digits, except X positions */
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		const struct scale_format *f = &fmts[i];

		if (memcmp(f->prefix, b->code, 2) != 0)
			continue;
		if (scale_format_make(f, b->plu, field_value(f, b), again) != CM_OK)
			abort();
		for (int k = 0; k < 13; k++)
			if (f->tmpl[k] != 'X' && f->tmpl[k] != 'C' &&
			    again[k] != b->code[k])
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct barcode b;
	char *s;
	enum cm_rc rc;

	if (size > 64)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = barcode_parse(s, fmts, sizeof fmts / sizeof fmts[0], &b);
	check_result(s, rc, &b);
	if (rc != CM_OK && b.kind != BC_TEXT)
		abort();
	if (size == 4 || size == 5) {
		int v = barcode_value_verifier(s, size);
		if (v < -1 || v > 9)
			abort();
	}
	/* templates are configuration text too */
	if (size >= 15)
		scale_format_check((char[3]){ s[0], s[1], '\0' }, s + 2);
	free(s);
	return 0;
}
