/* PPN arithmetic: names of the tax classes, picking the dated rate, and
 * extracting the tax contained in a tax-inclusive amount. */
#include "core/tax.h"

#include <strings.h>

static const char *const class_names[TAX_CLASS_COUNT] = {
	[TAX_EXEMPT] = "exempt",
	[TAX_STANDARD] = "standard",
	[TAX_LUXURY] = "luxury",
};

/* One-letter codes used in catalogue files, same order as the names. */
static const char class_codes[TAX_CLASS_COUNT] = { 'E', 'S', 'L' };

const char *tax_class_name(enum tax_class c)
{
	if ((unsigned)c >= TAX_CLASS_COUNT)
		return "unknown";
	return class_names[c];
}

enum cm_rc tax_class_parse(const char *s, enum tax_class *out)
{
	if (!s)
		return CM_INVALID;
	for (int c = 0; c < TAX_CLASS_COUNT; c++) {
		bool code = s[0] && !s[1] &&
			    (s[0] == class_codes[c] || s[0] == class_codes[c] + 32);

		if (code || strcasecmp(s, class_names[c]) == 0) {
			*out = (enum tax_class)c;
			return CM_OK;
		}
	}
	return CM_INVALID;
}

const struct tax_rate *tax_rate_at(const struct tax_rate *table, size_t n,
				   enum tax_class cls, int32_t yyyymmdd)
{
	const struct tax_rate *best = NULL;

	/* The table is not assumed sorted; on equal dates the later row wins,
	 * so a correction appended to the table takes effect. */
	for (size_t i = 0; i < n; i++) {
		const struct tax_rate *r = &table[i];

		if (r->cls != cls || r->valid_from > yyyymmdd)
			continue;
		if (!best || r->valid_from >= best->valid_from)
			best = r;
	}
	return best;
}

/*
 * With effective rate e = rate_bp * base_num / (10000 * base_den), the net
 * price N and gross G = N * (1 + e) give tax = G * e / (1 + e), i.e.
 *   tax = G * rate_bp * base_num / (10000 * base_den + rate_bp * base_num).
 * num < 2^62 and |G| <= 2^63, so the product fits in 128 bits, and the
 * quotient is smaller than |G|, so the result always fits in an int64.
 */
cm_money tax_extract(cm_money g, const struct tax_rate *r)
{
	__int128 num, den, mag, q;

	if (!r || r->rate_bp <= 0 || r->base_num <= 0 || r->base_den <= 0)
		return 0;
	num = (__int128)r->rate_bp * r->base_num;
	den = (__int128)10000 * r->base_den + num;
	mag = g < 0 ? -(__int128)g : (__int128)g;
	/* half away from zero, computed on the magnitude so that a refund's
	 * tax is exactly the negated tax of the sale */
	q = (mag * num * 2 + den) / (den * 2);
	return g < 0 ? (cm_money)-q : (cm_money)q;
}
