/* A catalogue CSV read a chunk of whole records at a time (itemcsv_read.h).
 *
 * The header line is kept at the front of the buffer and the next records
 * behind it, up to ITEMCSV_READ_CHUNK bytes ending at a record's end
 * (a newline outside quotes), so that every chunk parses as a file of its
 * own with the same columns and delimiter; its lines are then renumbered
 * as the file's. */
#include "core/itemcsv_read.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	FILE *f;
	const struct itemcsv_read_ops *ops;
	void *ctx;
	char *buf;
	size_t hlen;             /* the header line at buf's start */
	size_t len, cap;
	size_t line0;            /* file line of the first record behind the header */
	bool eof;
};

/* The end (after its newline) of the first record when first, else of the
 * last whole record in buf[from, len); 0 when none ends there. */
static size_t record_end(const char *buf, size_t from, size_t len, bool first)
{
	bool quoted = false;
	size_t end = 0;
	for (size_t i = from; i < len; i++) {
		if (buf[i] == '"') {
			quoted = !quoted;
		} else if (buf[i] == '\n' && !quoted) {
			end = i + 1;
			if (first)
				break;
		}
	}
	return end;
}

static size_t count_lines(const char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

/* Reads until buf holds upto bytes or the file ends. */
static enum cm_rc fill(struct reader *r, size_t upto)
{
	while (!r->eof && r->len < upto) {
		if (r->cap - r->len < 65536) {
			size_t cap = r->cap * 2;
			char *p = realloc(r->buf, cap + 1);
			if (!p)
				return CM_NOMEM;
			r->buf = p;
			r->cap = cap;
		}
		size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
		if (r->ops->bytes && got)
			r->ops->bytes((const unsigned char *)r->buf + r->len, got, r->ctx);
		r->len += got;
		if (got == 0) {
			if (ferror(r->f))
				return CM_IO;
			r->eof = true;
		}
	}
	return CM_OK;
}

/* Messages of the parser begin "line N: "; the file's line replaces N. */
static void renumber(struct itemcsv_result *res, size_t shift)
{
	for (size_t i = 0; i < res->nerrors; i++) {
		struct itemcsv_error *e = &res->errors[i];
		if (!e->line)
			continue;
		e->line += shift;
		const char *msg = e->msg;
		if (strncmp(msg, "line ", 5) == 0 && (msg = strstr(msg, ": "))) {
			char rest[sizeof e->msg];
			snprintf(rest, sizeof rest, "%s", msg + 2);
			int k = snprintf(e->msg, sizeof e->msg, "line %zu: ", e->line);
			if (k > 0 && (size_t)k < sizeof e->msg)
				memcpy(e->msg + k, rest, strnlen(rest, sizeof e->msg - (size_t)k - 1) + 1);
			e->msg[sizeof e->msg - 1] = '\0';
		}
	}
	for (size_t i = 0; i < res->nrows; i++)
		res->rows[i].line += shift;
}

static enum cm_rc chunk(struct reader *r, size_t end)
{
	struct itemcsv_result res;
	/* In the chunk the header is line 1 and its records start at 2. */
	size_t shift = r->line0 > 2 ? r->line0 - 2 : 0;
	enum cm_rc rc = itemcsv_parse_shifted(r->buf, end, shift, &res);
	if (shift)
		renumber(&res, shift);
	if (rc == CM_OK || rc == CM_INVALID) {
		enum cm_rc c = r->ops->chunk(&res, r->ctx);
		if (rc == CM_OK)
			rc = c;
	}
	itemcsv_free(&res);
	if (rc != CM_OK)
		return rc;
	r->line0 += count_lines(r->buf + r->hlen, end - r->hlen);
	memmove(r->buf + r->hlen, r->buf + end, r->len - end);
	r->len = r->hlen + (r->len - end);
	return CM_OK;
}

static enum cm_rc read_all(struct reader *r)
{
	enum cm_rc rc = fill(r, ITEMCSV_READ_CHUNK);
	if (rc != CM_OK)
		return rc;
	r->hlen = record_end(r->buf, 0, r->len, true);
	if (!r->hlen)                    /* a file of one line, or none */
		return chunk(r, r->len);
	r->line0 = 2;
	while (rc == CM_OK) {
		size_t end = r->eof ? r->len : record_end(r->buf, r->hlen, r->len, false);
		bool whole = end > r->hlen;
		if (whole)
			rc = chunk(r, end);
		if (rc != CM_OK || (r->eof && r->len <= r->hlen))
			break;
		/* A record longer than a chunk: read on until it ends. */
		rc = fill(r, whole ? r->hlen + ITEMCSV_READ_CHUNK : r->len + ITEMCSV_READ_CHUNK);
	}
	return rc;
}

enum cm_rc itemcsv_read(FILE *f, const struct itemcsv_read_ops *ops, void *ctx)
{
	struct reader r = { .f = f, .ops = ops, .ctx = ctx, .cap = 2 * ITEMCSV_READ_CHUNK };
	if (!(r.buf = malloc(r.cap + 1)))
		return CM_NOMEM;
	enum cm_rc rc = read_all(&r);
	free(r.buf);
	return rc;
}
