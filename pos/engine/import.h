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
#include "core/progress.h"

#include <stdio.h>

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
/* The same from an open file of any size. A file larger than about 1 MB
 * is streamed: read a chunk at a time and built beside the live
 * catalogue, switched in at the end in one short transaction, so that
 * memory stays small and the till does not wait (store/store_catgen.h);
 * still all or nothing. rep->errors keeps the first 1,000 messages;
 * rep->skipped counts every bad row. pr: progress on a terminal, or NULL. */
enum cm_rc import_items_file(struct till *t, FILE *f, bool skip_bad, struct progress *pr,
                             struct import_report *rep);
void import_report_free(struct import_report *rep);

#endif
