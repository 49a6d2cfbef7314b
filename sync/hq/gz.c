/* gzip with zlib (gz.h). windowBits 16 + 15 selects the gzip wrapper. */
#include "gz.h"

#include <stdlib.h>
#include <zlib.h>

#define GZIP_WBITS (16 + MAX_WBITS)

enum cm_rc gz_inflate(const void *in, size_t n, size_t limit, char **out, size_t *outlen)
{
	enum cm_rc rc = CM_NOMEM;
	z_stream z = { 0 };
	size_t cap = n * 4 + 1024 < limit ? n * 4 + 1024 : limit + 1;
	char *buf = malloc(cap + 1);
	*out = NULL;
	*outlen = 0;
	if (!buf)
		return CM_NOMEM;
	if (inflateInit2(&z, GZIP_WBITS) != Z_OK)
		goto out;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	int zrc = Z_OK;
	while (zrc != Z_STREAM_END) {
		if (z.total_out == cap) {
			if (cap > limit) {
				rc = CM_FULL;
				goto out;
			}
			size_t ncap = cap * 2 < limit + 1 ? cap * 2 : limit + 1;
			char *p = realloc(buf, ncap + 1);
			if (!p)
				goto out;
			buf = p;
			cap = ncap;
		}
		z.next_out = (Bytef *)buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END) {
			rc = zrc == Z_MEM_ERROR ? CM_NOMEM : CM_INVALID;
			goto out;
		}
		if (zrc == Z_OK && z.avail_in == 0 && z.avail_out > 0) {
			rc = CM_INVALID;        /* the stream ends early */
			goto out;
		}
	}
	if (z.total_out > limit) {
		rc = CM_FULL;
		goto out;
	}
	buf[z.total_out] = '\0';
	*outlen = z.total_out;
	*out = buf;
	buf = NULL;
	rc = CM_OK;
out:
	inflateEnd(&z);
	free(buf);
	return rc;
}

enum cm_rc gz_deflate(const void *in, size_t n, char **out, size_t *outlen)
{
	/* The fastest level: on a catalogue page it is 4x faster than the
	 * default for 17% more bytes, and HQ's time per page is what a pull
	 * of a million items waits for. */
	return gz_deflate_level(in, n, Z_BEST_SPEED, out, outlen);
}

enum cm_rc gz_deflate_level(const void *in, size_t n, int level, char **out, size_t *outlen)
{
	z_stream z = { 0 };
	*out = NULL;
	*outlen = 0;
	if (deflateInit2(&z, level, Z_DEFLATED, GZIP_WBITS, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		return CM_NOMEM;
	size_t cap = deflateBound(&z, (uLong)n);
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return CM_NOMEM;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	int zrc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (zrc != Z_STREAM_END) {
		free(buf);
		return CM_NOMEM;
	}
	*out = buf;
	return CM_OK;
}
