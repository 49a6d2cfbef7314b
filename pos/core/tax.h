/* PPN (Indonesian VAT) arithmetic.
 *
 * Shelf prices include tax; the tax inside a price is extracted, never
 * added. A rate is stored as a nominal rate in basis points applied to a
 * base that is a fraction of the net price (DPP):
 *   2022-04-01 standard: 1100 bp on 1/1        -> effective 11%
 *   2025-01-01 standard: 1200 bp on 11/12      -> effective 11%
 *   2025-01-01 luxury:   1200 bp on 1/1        -> effective 12%
 * The rates live in a dated table (the store database seeds it); this file
 * only does arithmetic.
 *
 * Extraction of a gross (tax-inclusive) amount G at effective rate
 * e = rate_bp * base_num / base_den / 10000:
 *   tax = G * e / (1 + e), rounded half away from zero.
 * Rounding rule: tax is extracted once per receipt per tax class, from the
 * class's total after discounts; never per line. */
#ifndef TAX_H
#define TAX_H

#include "core/cm.h"

enum tax_class {
	TAX_EXEMPT = 0,   /* basic staples: rice, eggs, fresh produce ... */
	TAX_STANDARD = 1,
	TAX_LUXURY = 2,
	TAX_CLASS_COUNT
};

/* "exempt", "standard", "luxury" */
const char *tax_class_name(enum tax_class c);
/* Accepts the names above and the one-letter codes E, S, L (any case). */
enum cm_rc tax_class_parse(const char *s, enum tax_class *out);

struct tax_rate {
	enum tax_class cls;
	int32_t valid_from; /* yyyymmdd, inclusive */
	int32_t rate_bp;    /* nominal rate, 1200 = 12% */
	int32_t base_num;   /* base fraction of the net price */
	int32_t base_den;
};

/* The row of `table` in force for cls on date yyyymmdd (the latest
 * valid_from <= date), or NULL when none is (treated as 0%). */
const struct tax_rate *tax_rate_at(const struct tax_rate *table, size_t n,
                                   enum tax_class cls, int32_t yyyymmdd);

/* Tax contained in gross amount g at rate r (NULL -> 0). Negative g
 * (returns) gives the negated tax of -g. */
cm_money tax_extract(cm_money g, const struct tax_rate *r);

#endif
