/* Catalogue import from CSV (format: core/itemcsv.h).
 *
 * All or nothing: when any row is bad nothing is imported, unless
 * skip_bad, in which case the good rows are imported and the bad ones
 * reported. Rows are also checked against the database (a barcode that
 * belongs to another SKU, a scale PLU used by another item). The import is
 * one transaction, journaled with the counts and the file's BLAKE2b hash. */
#ifndef IMPORT_H
#define IMPORT_H

#include "core/itemcsv.h"
#include "engine/till.h"

struct import_report {
	size_t rows;          /* data rows in the file */
	size_t created;
	size_t updated;
	size_t skipped;       /* bad rows left out (skip_bad) */
	struct itemcsv_error *errors; /* owned; free with import_report_free */
	size_t nerrors;
};

/* CM_OK: imported (see report). CM_INVALID: bad rows and !skip_bad, or the
 * file is not a catalogue; nothing written. Other codes: database errors,
 * nothing written. Needs ACT_MANAGE_CATALOGUE. */
enum cm_rc import_items(struct till *t, const char *data, size_t len, bool skip_bad,
                        struct import_report *rep);
void import_report_free(struct import_report *rep);

#endif
