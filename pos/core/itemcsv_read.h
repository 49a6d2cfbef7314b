/* A catalogue CSV of any size, read from a file a chunk of whole records
 * at a time (core/itemcsv.h for the format): memory stays the size of a
 * chunk whatever the file's. */
#ifndef ITEMCSV_READ_H
#define ITEMCSV_READ_H

#include "core/itemcsv.h"

#include <stdio.h>

#define ITEMCSV_READ_CHUNK (256 * 1024)

struct itemcsv_read_ops {
	/* Each chunk's parse, rows and errors numbered by the file's lines
	 * (the parser's "line N: " prefix is taken off the messages). Only the
	 * rows are fn's to keep: the result is freed after the call. A return
	 * other than CM_OK stops the reading with that code. */
	enum cm_rc (*chunk)(const struct itemcsv_result *r, void *ctx);
	/* Every byte read, in order (for a hash, for progress); may be NULL. */
	void (*bytes)(const unsigned char *p, size_t n, void *ctx);
};

/* CM_OK when every chunk was read; CM_INVALID when the file is not a
 * catalogue (no header, malformed CSV) with the reason as the only error
 * of the chunk given to ops->chunk; CM_IO on a read error; CM_NOMEM. A
 * SKU or barcode repeated in a later chunk is not seen here (the reader
 * keeps no list): callers check across chunks. */
enum cm_rc itemcsv_read(FILE *f, const struct itemcsv_read_ops *ops, void *ctx);

#endif
