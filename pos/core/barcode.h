/* Barcodes: GTINs (EAN-13, EAN-8, UPC-A, GTIN-14 / ITF-14) with check
 * digits, and in-store scale labels described by a template.
 *
 * One key per GTIN. Every GTIN is a 14-digit number once zeros are put in
 * front of it (GS1 General Specifications 3.3.2): EAN-8 40123455 and
 * EAN-13 0000040123455 are the same number, and so are UPC-A 036000291452
 * and EAN-13 0036000291452. The key
 * the catalogue stores and looks up is that 14-digit number with its first
 * digit dropped when it is 0: 13 digits for every EAN-8, UPC-A and EAN-13
 * ("40123455" -> "0000040123455", "036000291452" -> "0036000291452"), and
 * 14 digits only for a carton code whose indicator digit is 1..9
 * ("18991234567898" stays as it is). barcode_gtin_key() is that rule.
 *
 * Scale label template: 13 characters, one per digit of the 13-digit key:
 *   P  prefix digit (the first two must be P and match the prefix)
 *   I  item code digit (the scale's PLU; leading zeros ignored)
 *   W  weight in grams
 *   D  weight in units of 10 g (scales that count 1,250 kg as 125)
 *   R  price in rupiah
 *   V  the GS1 price/weight verifier of the W, D or R run that follows it
 *      at once (4 or 5 digits): always checked, a label whose value does not
 *      match it is refused as misread
 *   X  ignored
 *   C  the check digit (must be the last character)
 * Exactly one W, D or R run must be present, and at least one I.
 * Prefixes are "20".."29" (EAN-13 in-store numbers) and "02", the UPC-A
 * variable-measure number system 2 as its 13-digit key (a 12-digit UPC-A
 * "2 IIIII V RRRR C" is "02IIIIIVRRRRC").
 * Examples: "PPIIIIIWWWWWC" (5-digit PLU, weight up to 99.999 kg),
 *           "PPIIIIVRRRRRC" (4-digit PLU, verified price),
 *           "PPIIIIIVRRRRC" for prefix 02 (UPC random weight, price). */
#ifndef BARCODE_H
#define BARCODE_H

#include "core/cm.h"

enum barcode_kind {
	BC_TEXT = 0, /* not a GTIN: a SKU or internal code to look up as is */
	BC_EAN13,
	BC_EAN8,
	BC_UPCA,
	BC_GTIN14,   /* 14 digits as scanned (ITF-14 on cartons) */
	BC_SCALE,    /* in-store scale label, see template */
};

/* Why digits that look like a GTIN were refused. */
enum barcode_fault {
	BC_FAULT_NONE = 0,
	BC_FAULT_CHECK,    /* the GTIN check digit is wrong */
	BC_FAULT_VERIFIER, /* a scale label's price/weight verifier is wrong */
};

struct scale_format {
	char prefix[3]; /* "20" .. "29" or "02" */
	char tmpl[14];  /* 13 template characters */
};

struct barcode {
	enum barcode_kind kind;
	enum barcode_fault fault; /* set when CM_INVALID is returned for digits */
	char code[32];     /* GTINs and labels: their key (13 or 14 digits); text as typed */
	int32_t plu;       /* BC_SCALE: item code from the label */
	bool has_weight;   /* BC_SCALE: qty is set (thousandths of a kg, i.e. grams) */
	cm_qty qty;
	bool has_price;    /* BC_SCALE: price is set (rupiah) */
	cm_money price;
};

/* The GS1 mod-10 check digit for the first n digits of s (n <= 17). */
int barcode_check_digit(const char *digits, size_t n);

/* The GS1 check digit of a 4- or 5-digit price or weight field (General
 * Specifications 7.9.3 and 7.9.4), or -1 when n is not 4 or 5 or a
 * character is not a digit. */
int barcode_value_verifier(const char *digits, size_t n);

/* The catalogue key of a GTIN of 8, 12, 13 or 14 digits with a correct
 * check digit (the rule above), written to key (at least 15 bytes).
 * CM_INVALID for anything else: other lengths, non-digits, a wrong check
 * digit (key is then ""). */
enum cm_rc barcode_gtin_key(const char *gtin, char *key);

/* Classifies and validates scanned or typed text. Digits-only input of
 * length 8, 12, 13 or 14 is a GTIN and must carry a correct check digit
 * (CM_INVALID otherwise, fault BC_FAULT_CHECK, with *out still filled with
 * kind BC_TEXT and the text as typed so the caller may try it as a SKU).
 * Its code is its key (barcode_gtin_key). A key of 13 digits whose prefix
 * has a format in fmts is decoded as a scale label; when the template has
 * a verifier that does not match, CM_INVALID with fault BC_FAULT_VERIFIER.
 * Anything else printable (1..31 chars, no spaces or control characters)
 * is BC_TEXT; the rest is CM_INVALID. */
enum cm_rc barcode_parse(const char *s, const struct scale_format *fmts,
                         size_t nfmts, struct barcode *out);

/* Checks a prefix ("20".."29", "02") and template; CM_INVALID when malformed. */
enum cm_rc scale_format_check(const char *prefix, const char *tmpl);

/* Builds a valid scale barcode for tests and demo labels: fills the I
 * digits with plu and the W, D or R digits with value (in the field's own
 * unit: grams, tens of grams or rupiah), the verifier and the check digit;
 * X digits are 0. buf must hold 14: the 13-digit key (for prefix 02 the
 * printed UPC-A is buf + 1). */
enum cm_rc scale_format_make(const struct scale_format *f, int32_t plu,
                             int64_t value, char *buf);

#endif
