/* gzip bodies (zlib): requests may arrive compressed, answers are
 * compressed when the client accepts it. */
#ifndef GZ_H
#define GZ_H

#include "core/cm.h"

/* Inflates a gzip stream of n bytes into *out (malloc'd, NUL-terminated,
 * caller frees), at most limit bytes. CM_INVALID when the data is not
 * gzip or is truncated; CM_FULL when it inflates beyond limit; CM_NOMEM. */
enum cm_rc gz_inflate(const void *in, size_t n, size_t limit, char **out, size_t *outlen);

/* Compresses n bytes as gzip into *out (malloc'd, caller frees). */
enum cm_rc gz_deflate(const void *in, size_t n, char **out, size_t *outlen);

/* The same at zlib's level 1..9 (-1 its default): the console's pages
 * take 1, as a chart page of megabytes must not wait on compression. */
enum cm_rc gz_deflate_level(const void *in, size_t n, int level, char **out, size_t *outlen);

#endif
