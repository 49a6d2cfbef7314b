/* The journal's hash chain and the canonical JSON writer. The byte format
 * is written down in chain.h; HQ re-derives it, so it never changes
 * without a new version tag. */
#include "core/chain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define CHAIN_TAG "cm1|"

/* ---- hash chain ------------------------------------------------------ */

static void hash_str(crypto_generichash_state *st, const char *s)
{
	crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

static void hash_int(crypto_generichash_state *st, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%" PRId64, v);

	crypto_generichash_update(st, (const unsigned char *)num, (size_t)n);
}

/* A '|' inside a field before the payload would let two different events
 * share canonical bytes (terminal "T|5" seq 5 vs terminal "T" seq 5 type
 * "5|..."), so such fields are refused rather than hashed. */
static bool field_ok(const char *s)
{
	return s && !strchr(s, '|');
}

enum cm_rc chain_hash(const uint8_t prev[CHAIN_HASH_LEN],
                      const struct chain_event *ev, uint8_t out[CHAIN_HASH_LEN])
{
	crypto_generichash_state st;

	/* sodium_init() is idempotent and thread-safe; 1 = already done. */
	if (sodium_init() < 0)
		return CM_IO;
	if (!field_ok(ev->terminal) || !field_ok(ev->type) || !ev->payload)
		return CM_INVALID;

	/* Streamed rather than assembled: the canonical bytes are
	 * prev || "cm1|" terminal "|" seq "|" type "|" time "|" user "|" payload */
	crypto_generichash_init(&st, NULL, 0, CHAIN_HASH_LEN);
	crypto_generichash_update(&st, prev, CHAIN_HASH_LEN);
	hash_str(&st, CHAIN_TAG);
	hash_str(&st, ev->terminal);
	hash_str(&st, "|");
	hash_int(&st, ev->seq);
	hash_str(&st, "|");
	hash_str(&st, ev->type);
	hash_str(&st, "|");
	hash_int(&st, ev->time);
	hash_str(&st, "|");
	hash_int(&st, ev->user_id);
	hash_str(&st, "|");
	hash_str(&st, ev->payload);
	crypto_generichash_final(&st, out, CHAIN_HASH_LEN);
	return CM_OK;
}

void chain_hex(const uint8_t *h, size_t n, char *buf)
{
	sodium_bin2hex(buf, 2 * n + 1, h, n);
}

/* ---- canonical JSON writer ------------------------------------------- */

/* Deep enough for any payload we write; deeper nesting is a bug in the
 * caller and puts the writer in its error state. */
#define CANON_MAX_DEPTH 16

enum frame { FRAME_TOP, FRAME_OBJ, FRAME_ARR };

struct canon {
	char *buf;
	size_t len, cap;
	bool err;
	int depth;                          /* 0 = top level */
	enum frame frame[CANON_MAX_DEPTH + 1];
	bool nonempty[CANON_MAX_DEPTH + 1]; /* a value was written: next needs ',' */
};

struct canon *canon_new(void)
{
	struct canon *c = calloc(1, sizeof *c);

	if (c)
		c->frame[0] = FRAME_TOP;
	return c;
}

void canon_free(struct canon *c)
{
	if (!c)
		return;
	free(c->buf);
	free(c);
}

static bool grow(struct canon *c, size_t need)
{
	size_t cap = c->cap ? c->cap : 64;
	char *p;

	while (cap - c->len < need) {
		if (cap > SIZE_MAX / 2)
			return false;
		cap *= 2;
	}
	if (cap == c->cap)
		return true;
	p = realloc(c->buf, cap);
	if (!p)
		return false;
	c->buf = p;
	c->cap = cap;
	return true;
}

/* Room is always kept for the closing NUL that canon_take writes. */
static void put(struct canon *c, const char *s, size_t n)
{
	if (!c || c->err)
		return;
	if (!grow(c, n + 1)) {
		c->err = true;
		return;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
}

static void put_cstr(struct canon *c, const char *s)
{
	put(c, s, strlen(s));
}

static void put_escaped_char(struct canon *c, unsigned char ch)
{
	char esc[8];

	switch (ch) {
	case '"':  put_cstr(c, "\\\""); return;
	case '\\': put_cstr(c, "\\\\"); return;
	case '\b': put_cstr(c, "\\b"); return;
	case '\f': put_cstr(c, "\\f"); return;
	case '\n': put_cstr(c, "\\n"); return;
	case '\r': put_cstr(c, "\\r"); return;
	case '\t': put_cstr(c, "\\t"); return;
	default:
		snprintf(esc, sizeof esc, "\\u%04x", ch);
		put_cstr(c, esc);
	}
}

/* RFC 8259: quote, backslash and C0 controls escaped; everything else,
 * including UTF-8, is copied as is. Runs of plain bytes go in one put. */
static void put_string(struct canon *c, const char *s)
{
	const char *run = s;

	put(c, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		put(c, run, (size_t)(s - run));
		put_escaped_char(c, ch);
		run = s + 1;
	}
	put(c, run, (size_t)(s - run));
	put(c, "\"", 1);
}

/* Comma and key before a value. A key is required inside an object and
 * refused elsewhere; the top level holds one value only. */
static void begin_value(struct canon *c, const char *key)
{
	enum frame f;

	if (!c || c->err)
		return;
	f = c->frame[c->depth];
	if ((f == FRAME_OBJ) != (key != NULL) ||
	    (f == FRAME_TOP && c->nonempty[0])) {
		c->err = true;
		return;
	}
	if (c->nonempty[c->depth])
		put(c, ",", 1);
	c->nonempty[c->depth] = true;
	if (key) {
		put_string(c, key);
		put(c, ":", 1);
	}
}

static void open_frame(struct canon *c, const char *key, enum frame f, char ch)
{
	begin_value(c, key);
	if (!c || c->err)
		return;
	if (c->depth == CANON_MAX_DEPTH) {
		c->err = true;
		return;
	}
	put(c, &ch, 1);
	c->depth++;
	c->frame[c->depth] = f;
	c->nonempty[c->depth] = false;
}

static void close_frame(struct canon *c, enum frame f, char ch)
{
	if (!c || c->err)
		return;
	if (c->frame[c->depth] != f) {
		c->err = true;
		return;
	}
	put(c, &ch, 1);
	c->depth--;
}

void canon_obj_begin(struct canon *c, const char *key)
{
	open_frame(c, key, FRAME_OBJ, '{');
}

void canon_obj_end(struct canon *c)
{
	close_frame(c, FRAME_OBJ, '}');
}

void canon_arr_begin(struct canon *c, const char *key)
{
	open_frame(c, key, FRAME_ARR, '[');
}

void canon_arr_end(struct canon *c)
{
	close_frame(c, FRAME_ARR, ']');
}

void canon_int(struct canon *c, const char *key, int64_t v)
{
	char num[24];

	begin_value(c, key);
	snprintf(num, sizeof num, "%" PRId64, v);
	put_cstr(c, num);
}

void canon_str(struct canon *c, const char *key, const char *v)
{
	begin_value(c, key);
	if (v)
		put_string(c, v);
	else
		put_cstr(c, "null");
}

void canon_bool(struct canon *c, const char *key, bool v)
{
	begin_value(c, key);
	put_cstr(c, v ? "true" : "false");
}

/* Unbalanced begin/end, a missing or stray key, or an empty document are
 * caller bugs; they yield NULL like an allocation failure, so a malformed
 * payload can never reach the journal. */
char *canon_take(struct canon *c)
{
	char *text = NULL;

	if (!c)
		return NULL;
	if (!c->err && c->depth == 0 && c->nonempty[0]) {
		c->buf[c->len] = '\0';
		text = c->buf;
		c->buf = NULL;
	}
	canon_free(c);
	return text;
}
