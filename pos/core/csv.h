/* A strict RFC 4180 CSV reader over a memory buffer.
 *
 * - Delimiter: ',' or ';' (spreadsheets in Indonesian locale save ';'),
 *   chosen from the first line: ';' if it has a ';' outside quotes and no
 *   ','. A UTF-8 byte-order mark at the start is skipped.
 * - Quoted fields may hold delimiters, CR/LF and doubled quotes.
 * - Lines end with LF or CRLF; a final line without a newline counts.
 *   Empty lines are skipped.
 * - Errors (CM_INVALID with a message naming the line): a quote inside an
 *   unquoted field, text after a closing quote, an unterminated quote, a NUL
 *   byte, a field longer than 4096 bytes, more than 64 fields. */
#ifndef CSV_H
#define CSV_H

#include "core/cm.h"

struct csv_row {
	size_t line;        /* 1-based line where the row starts */
	size_t nfields;
	const char *const *fields; /* NUL-terminated; valid during the callback */
};

/* Called once per row, header included. Returning anything but CM_OK stops
 * the parse and csv_parse returns that code. */
typedef enum cm_rc (*csv_row_fn)(const struct csv_row *row, void *ctx);

enum cm_rc csv_parse(const char *data, size_t len, csv_row_fn fn, void *ctx,
                     char *err, size_t errlen);

#endif
