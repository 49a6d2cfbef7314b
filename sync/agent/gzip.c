/* gzip compression of request bodies: one deflate call over the whole
 * body (a push is at most batch_bytes, 4 MiB) into a buffer of
 * deflateBound's size, so it never needs to grow. */
#include "sync/agent/gzip.h"

#include <stdlib.h>
#include <zlib.h>

#define GZIP_WINDOW (15 + 16)   /* 32 KiB window, gzip header and trailer */

enum cm_rc gzip_compress(const void *in, size_t len, unsigned char **out, size_t *outlen)
{
	enum cm_rc rc = CM_IO;
	z_stream z = {0};
	unsigned char *buf = NULL;
	*out = NULL;
	*outlen = 0;
	if (len > UINT32_MAX / 2)
		return CM_INVALID;
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, GZIP_WINDOW, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		return CM_NOMEM;
	uLong cap = deflateBound(&z, (uLong)len);
	if (!(buf = malloc(cap))) {
		rc = CM_NOMEM;
		goto out;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		goto out;
	*out = buf;
	*outlen = cap - z.avail_out;
	buf = NULL;
	rc = CM_OK;
out:
	deflateEnd(&z);
	free(buf);
	return rc;
}
