/* The catalogue CSV format: parsing and row validation, pure (no database).
 * The engine's importer checks rows against the database and writes them.
 *
 * The first row is a header naming the columns, in any order, case-
 * insensitive. Required: sku, name, price. Optional:
 *   barcodes      GTINs separated by spaces or '|' (EAN-13/EAN-8/UPC-A,
 *                 check digits verified; UPC-A stored as EAN-13); at most 8
 *   receipt_name  <= 95 bytes; default: the whole name (receipts wrap it)
 *   unit          <= 8 bytes; default "pcs", or "kg" when weighed
 *   weighed       1/0, ya/tidak, yes/no, y/n, true/false; default 0
 *   member_price  <= price; empty or 0 = same as price
 *   tax_class     exempt/standard/luxury or E/S/L; default standard
 *   category, supplier   free text <= 47 bytes
 *   plu           scale item code 1..99999, weighed items only
 *   active        as weighed; default 1
 * Prices use money_parse ("12500", "12.500", "Rp12.500"); weighed items are
 * priced per kg. An unknown column is an error. A SKU or barcode that
 * appears twice in the file is an error on the later line. */
#ifndef ITEMCSV_H
#define ITEMCSV_H

#include "core/records.h"

#define ITEMCSV_MAX_BARCODES 8

struct itemcsv_row {
	size_t line;
	struct item_rec item;
	size_t nbarcodes;
	char barcodes[ITEMCSV_MAX_BARCODES][16];
};

struct itemcsv_error {
	size_t line;     /* 0 when the error concerns the whole file */
	char msg[200];
};

/* rows: valid rows in file order; errors: every bad row, in file order.
 * Both arrays are owned by the result; free with itemcsv_free. */
struct itemcsv_result {
	struct itemcsv_row *rows;
	size_t nrows;
	struct itemcsv_error *errors;
	size_t nerrors;
};

/* CM_OK when the file could be read as a table (even if some rows are bad:
 * see nerrors); CM_INVALID when it cannot (malformed CSV, no header, a
 * required column missing, unknown column), with the reason in errors[0];
 * CM_NOMEM. *out is always initialised and must be freed. */
enum cm_rc itemcsv_parse(const char *data, size_t len, struct itemcsv_result *out);
/* The same for a part of a file whose lines are shift lines further on:
 * the earlier line a repeat names is the file's (the "line N: " of each
 * message and the rows' lines stay the part's, for the caller to shift). */
enum cm_rc itemcsv_parse_shifted(const char *data, size_t len, size_t shift,
				 struct itemcsv_result *out);
void itemcsv_free(struct itemcsv_result *r);

#endif
