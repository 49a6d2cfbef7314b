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
};

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
	case BC_SCALE:
		if (strlen(b->code) != 13 ||
		    barcode_check_digit(b->code, 12) != b->code[12] - '0')
			abort();
		break;
	case BC_EAN8:
		if (strlen(b->code) != 8 ||
		    barcode_check_digit(b->code, 7) != b->code[7] - '0')
			abort();
		break;
	case BC_TEXT:
		if (strcmp(b->code, s) != 0)
			abort();
		break;
	}
	if (b->kind != BC_SCALE)
		return;
	/* a decoded label rebuilds to the same digits, except X positions */
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		const struct scale_format *f = &fmts[i];

		if (memcmp(f->prefix, b->code, 2) != 0)
			continue;
		if (scale_format_make(f, b->plu, b->has_weight ? b->qty : b->price,
				      again) != CM_OK)
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
	/* templates are configuration text too */
	if (size >= 15)
		scale_format_check((char[3]){ s[0], s[1], '\0' }, s + 2);
	free(s);
	return 0;
}
