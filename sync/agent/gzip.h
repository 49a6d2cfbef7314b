/* gzip compression of request bodies (zlib deflate with a gzip header). */
#ifndef AGENT_GZIP_H
#define AGENT_GZIP_H

#include "core/cm.h"

/* *out is malloc'd (the caller frees it). CM_NOMEM or CM_IO on failure. */
enum cm_rc gzip_compress(const void *in, size_t len, unsigned char **out, size_t *outlen);

#endif
