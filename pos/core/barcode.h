/* Barcodes: EAN-13, EAN-8, UPC-A with check digits, and in-store scale
 * barcodes (EAN-13 with prefix 20-29) described by a template.
 *
 * Scale template: 13 characters, one per digit of the barcode:
 *   P  prefix digit (the first two must be P and match the prefix)
 *   I  item code digit (the scale's PLU; leading zeros ignored)
 *   W  weight in grams
 *   R  price in rupiah
 *   X  ignored (e.g. a price check digit)
 *   C  the EAN-13 check digit (must be the last character)
 * Exactly one of W or R runs must be present, and at least one I.
 * Examples: "PPIIIIIWWWWWC" (5-digit PLU, weight up to 99.999 kg),
 *           "PPIIIIXRRRRRC" (4-digit PLU, price check digit, price). */
#ifndef BARCODE_H
#define BARCODE_H

#include "core/cm.h"

enum barcode_kind {
	BC_TEXT = 0, /* not a GTIN: a SKU or internal code to look up as is */
	BC_EAN13,
	BC_EAN8,
	BC_UPCA,     /* normalised to EAN-13 with a leading 0 */
	BC_SCALE,    /* in-store scale label, see template */
};

struct scale_format {
	char prefix[3]; /* "20" .. "29" */
	char tmpl[14];  /* 13 template characters */
};

struct barcode {
	enum barcode_kind kind;
	char code[32];     /* normalised: GTINs as 13 or 8 digits, text as typed */
	int32_t plu;       /* BC_SCALE: item code from the label */
	bool has_weight;   /* BC_SCALE: qty is set (thousandths of a kg) */
	cm_qty qty;
	bool has_price;    /* BC_SCALE: price is set (rupiah) */
	cm_money price;
};

/* The GS1 mod-10 check digit for the first n digits of s (n <= 17). */
int barcode_check_digit(const char *digits, size_t n);

/* Classifies and validates scanned or typed text. Digits-only input of
 * length 8, 12 or 13 is a GTIN and must carry a correct check digit
 * (CM_INVALID otherwise, with *out still filled with kind BC_TEXT so the
 * caller may try it as a SKU). A 13-digit code whose prefix has a format in
 * fmts is decoded as a scale label. Anything else printable (1..31 chars,
 * no spaces or control characters) is BC_TEXT; the rest is CM_INVALID. */
enum cm_rc barcode_parse(const char *s, const struct scale_format *fmts,
                         size_t nfmts, struct barcode *out);

/* Checks a prefix ("20".."29") and template; CM_INVALID when malformed. */
enum cm_rc scale_format_check(const char *prefix, const char *tmpl);

/* Builds a valid scale barcode for tests and demo labels: fills the I and W
 * or R digits of tmpl and computes the check digit. buf must hold 14. */
enum cm_rc scale_format_make(const struct scale_format *f, int32_t plu,
                             int64_t value, char *buf);

#endif
