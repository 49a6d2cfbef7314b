/* JSON encoding and decoding of the sync protocol's messages (cJSON). */
#include "sync/proto.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON numbers are doubles: integers are exact up to 2^53, far above any
 * rupiah amount, sequence number or time the protocol carries. */
#define JSON_INT_MAX 9007199254740992.0

static bool hex_of_len(const char *s, size_t len)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == len;
}

bool proto_is_hash(const char *s)
{
	return hex_of_len(s, 64);
}

/* ---- decoding helpers: each sets err and returns false on a problem ---- */

struct dec {
	char *err;
	size_t errlen;
	bool ok;
	/* An object whose fields are asked for in the order HQ writes them
	 * (an item of a catalogue page): while each field asked for is the
	 * child after the one before, it is taken without a search (a search
	 * compares every key before it: a tenth of a 1M pull's decoding). */
	const cJSON *seq_obj, *seq_next;
};

static void fail(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct dec *d, const char *fmt, ...)
{
	if (!d->ok)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	d->ok = false;
}

/* Fields of obj asked for from here are taken in order (see struct dec). */
static void in_order(struct dec *d, const cJSON *obj)
{
	d->seq_obj = obj;
	d->seq_next = obj->child;
}

static const cJSON *field(struct dec *d, const cJSON *obj, const char *name, bool required)
{
	const cJSON *f;
	if (obj == d->seq_obj && d->seq_next && d->seq_next->string &&
	    strcmp(d->seq_next->string, name) == 0) {
		f = d->seq_next;
		d->seq_next = f->next;
	} else {
		/* Out of order: searched, as every field of obj from now on (a
		 * key given twice then means its first, as cJSON finds it). */
		if (obj == d->seq_obj)
			d->seq_obj = NULL;
		f = cJSON_GetObjectItemCaseSensitive(obj, name);
	}
	if (!f && required)
		fail(d, "field \"%s\" is missing", name);
	return f;
}

static int64_t get_int(struct dec *d, const cJSON *obj, const char *name, bool required,
                       int64_t dflt)
{
	const cJSON *f = field(d, obj, name, required);
	if (!f || cJSON_IsNull(f))
		return dflt;
	double v = f->valuedouble;
	if (!cJSON_IsNumber(f) || v != floor(v) || fabs(v) > JSON_INT_MAX) {
		fail(d, "field \"%s\" must be a whole number", name);
		return dflt;
	}
	return (int64_t)v;
}

static bool get_bool(struct dec *d, const cJSON *obj, const char *name, bool dflt)
{
	const cJSON *f = field(d, obj, name, false);
	if (!f)
		return dflt;
	if (!cJSON_IsBool(f)) {
		fail(d, "field \"%s\" must be true or false", name);
		return dflt;
	}
	return cJSON_IsTrue(f);
}

/* Copies a string field into buf (size n); too long is an error. */
static void get_str(struct dec *d, const cJSON *obj, const char *name, bool required,
                    char *buf, size_t n)
{
	buf[0] = '\0';
	const cJSON *f = field(d, obj, name, required);
	if (!f || (!required && cJSON_IsNull(f)))
		return;
	if (!cJSON_IsString(f) || !f->valuestring) {
		fail(d, "field \"%s\" must be a string", name);
		return;
	}
	if (strlen(f->valuestring) >= n) {
		fail(d, "field \"%s\" is longer than %zu bytes", name, n - 1);
		return;
	}
	memcpy(buf, f->valuestring, strlen(f->valuestring) + 1);
}

static void get_hash(struct dec *d, const cJSON *obj, const char *name, bool required,
                     char buf[PROTO_HEX_HASH])
{
	get_str(d, obj, name, required, buf, PROTO_HEX_HASH);
	if (d->ok && (required || buf[0]) && !proto_is_hash(buf))
		fail(d, "field \"%s\" must be 64 lower-case hex digits", name);
}

static const cJSON *get_array(struct dec *d, const cJSON *obj, const char *name,
                              bool required, size_t max)
{
	const cJSON *f = field(d, obj, name, required);
	if (!f)
		return NULL;
	if (!cJSON_IsArray(f)) {
		fail(d, "field \"%s\" must be an array", name);
		return NULL;
	}
	if ((size_t)cJSON_GetArraySize(f) > max) {
		fail(d, "field \"%s\" has more than %zu entries", name, max);
		return NULL;
	}
	return f;
}

/* The array `name` of obj decoded into a new array of `size`-byte
 * elements, each by fn, *n counting them; NULL (and *n 0) when absent,
 * on failure (d says why) or, for an empty array, a 1-element one. */
typedef void (*elem_decode_fn)(struct dec *d, const cJSON *e, void *elem);

static void *decode_each(struct dec *d, const cJSON *obj, const char *name, bool required,
                         size_t max, size_t size, size_t *n, elem_decode_fn fn)
{
	const cJSON *a = get_array(d, obj, name, required, max), *e;
	*n = 0;
	if (!a || !d->ok)
		return NULL;
	size_t count = (size_t)cJSON_GetArraySize(a);
	char *arr = calloc(count ? count : 1, size);
	if (!arr) {
		fail(d, "out of memory");
		return NULL;
	}
	cJSON_ArrayForEach(e, a) {
		if (!d->ok)
			break;
		fn(d, e, arr + (*n)++ * size);
	}
	return arr;
}

static bool json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What cJSON lets through and C strings cannot hold: a NUL, raw or as
 * \u0000, would cut a decoded string short (a store code "KMB\u0000X"
 * would read as "KMB"); other raw control characters are not JSON (and
 * cJSON skips every byte below 33 as if it were a space). One pass over
 * the text, knowing whether it is inside a string. */
static void plain_text(struct dec *d, const char *json, size_t len)
{
	bool in_string = false;
	for (size_t i = 0; i < len && d->ok; i++) {
		unsigned char c = (unsigned char)json[i];
		if (!in_string) {
			if (c == '"')
				in_string = true;
			else if (c < 0x20 && !json_space((char)c))
				fail(d, "the message is not valid JSON: control character 0x%02x at byte %zu",
				     c, i);
		} else if (c == '"') {
			in_string = false;
		} else if (c < 0x20) {
			fail(d, "the message is not valid JSON: a string holds the raw control "
			        "character 0x%02x at byte %zu", c, i);
		} else if (c == '\\' && i + 1 < len) {
			if (json[i + 1] == 'u' && i + 5 < len && memcmp(json + i + 2, "0000", 4) == 0)
				fail(d, "a string holds \\u0000 (a NUL character) at byte %zu: "
				        "the protocol does not allow it", i);
			i++;              /* the escaped character cannot end the string */
		}
	}
}

/* The whole text must be one JSON object, with nothing but white space
 * after it: trailing bytes are refused, not ignored (two readers of the
 * same body must not see two different messages). */
static cJSON *parse(struct dec *d, const char *json, size_t len)
{
	if (len > PROTO_MAX_BODY) {
		fail(d, "the message is larger than %u bytes", PROTO_MAX_BODY);
		return NULL;
	}
	plain_text(d, json, len);
	if (!d->ok)
		return NULL;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (!root) {
		fail(d, "the message is not valid JSON");
		return NULL;
	}
	size_t at = end && end >= json && end <= json + len ? (size_t)(end - json) : len;
	while (at < len && json_space(json[at]))
		at++;
	if (at < len)
		fail(d, "the message is not valid JSON: text follows the JSON value at byte %zu", at);
	else if (!cJSON_IsObject(root))
		fail(d, "the message is not a JSON object");
	return root;
}

static enum cm_rc finish(struct dec *d, cJSON *root)
{
	cJSON_Delete(root);
	return d->ok ? CM_OK : CM_INVALID;
}

/* ---- a page's tree in a pool (proto_pool_init) ----
 *
 * Why: a catalogue page of 1,000 items is a tree of ~30,000 cJSON nodes
 * and strings, each malloc'd and freed one by one (with the free of the
 * answer's buffer, that consolidates the heap, ~10% of the agent's CPU
 * in a first pull). A page decoded with the pool on takes them from a
 * few big chunks, kept for the next page, and drops the tree whole. The
 * pools are the process's (a page is decoded on a thread of its own);
 * the pool a thread decodes with is the thread's. Hooks are installed
 * only by a program that asks (the agent), before its threads start. */

#define POOL_CHUNK (1024 * 1024)

struct pool_chunk {
	struct pool_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct pool {
	struct pool *next_free;
	struct pool_chunk *chunks;   /* in use from the first */
	struct pool_chunk *cur;
	bool spilled;                /* a node came from malloc: delete the tree */
};

static bool pool_hooked;
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pool *pool_free_list;
static _Thread_local struct pool *pool_on;

static void *pool_chunk_alloc(struct pool *p, size_t n)
{
	struct pool_chunk *c = p->cur ? p->cur->next : p->chunks;
	while (c && c->size < n)        /* a chunk for one big string: kept */
		c = c->next;
	if (!c) {
		size_t size = n > POOL_CHUNK ? n : POOL_CHUNK;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = NULL;
		struct pool_chunk **end = &p->chunks;
		while (*end)
			end = &(*end)->next;
		*end = c;
	}
	p->cur = c;
	c->used = n;
	return c->data;
}

static void *pool_malloc(size_t n)
{
	struct pool *p = pool_on;
	if (!p)
		return malloc(n);
	size_t a = alignof(max_align_t);
	n = (n ? n + a - 1 : a) / a * a;   /* never 0: each block is inside its chunk */
	struct pool_chunk *c = p->cur;
	if (c && c->size - c->used >= n) {
		void *at = c->data + c->used;
		c->used += n;
		return at;
	}
	void *at = pool_chunk_alloc(p, n);
	if (!at) {
		p->spilled = true;
		at = malloc(n);
	}
	return at;
}

static bool pool_owns(const struct pool *p, const void *ptr)
{
	const unsigned char *b = ptr;
	for (const struct pool_chunk *c = p->chunks; c; c = c->next)
		if (b >= c->data && b < c->data + c->size)
			return true;
	return false;
}

static void pool_free(void *ptr)
{
	if (ptr && !(pool_on && pool_owns(pool_on, ptr)))
		free(ptr);
}

void proto_pool_init(void)
{
	cJSON_Hooks h = { .malloc_fn = pool_malloc, .free_fn = pool_free };
	cJSON_InitHooks(&h);
	pool_hooked = true;
}

/* The calling thread's cJSON allocations come from a pool until
 * pool_end (none when proto_pool_init was not called, or no memory). */
static void pool_begin(void)
{
	if (!pool_hooked)
		return;
	pthread_mutex_lock(&pool_mu);
	struct pool *p = pool_free_list;
	if (p)
		pool_free_list = p->next_free;
	pthread_mutex_unlock(&pool_mu);
	if (!p)
		p = calloc(1, sizeof *p);
	pool_on = p;
}

/* Drops the tree root (the pool's unless it spilled) and gives the pool
 * back, emptied. */
static enum cm_rc pool_end(struct dec *d, cJSON *root)
{
	struct pool *p = pool_on;
	if (!p || p->spilled)
		finish(d, root);     /* what came from malloc is freed */
	pool_on = NULL;
	if (!p)
		return d->ok ? CM_OK : CM_INVALID;
	for (struct pool_chunk *c = p->chunks; c; c = c->next)
		c->used = 0;
	p->cur = NULL;
	p->spilled = false;
	pthread_mutex_lock(&pool_mu);
	p->next_free = pool_free_list;
	pool_free_list = p;
	pthread_mutex_unlock(&pool_mu);
	return d->ok ? CM_OK : CM_INVALID;
}

/* ---- encoding helpers ---- */

static void put_int(cJSON *o, const char *name, int64_t v)
{
	cJSON_AddNumberToObject(o, name, (double)v);
}

static char *print(cJSON *root)
{
	char *s = root ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	return s;
}

/* ---- push ---- */

static cJSON *event_json(const struct proto_event *e)
{
	cJSON *o = cJSON_CreateObject();
	put_int(o, "seq", e->seq);
	cJSON_AddStringToObject(o, "type", e->type);
	put_int(o, "at", e->at);
	put_int(o, "user", e->user);
	cJSON_AddStringToObject(o, "payload", e->payload ? e->payload : "");
	cJSON_AddStringToObject(o, "prev_hash", e->prev_hash);
	cJSON_AddStringToObject(o, "hash", e->hash);
	if (e->sig[0])
		cJSON_AddStringToObject(o, "sig", e->sig);
	return o;
}

char *proto_push_encode(const struct proto_push *p)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "store", p->store);
	cJSON_AddStringToObject(root, "terminal", p->terminal);
	put_int(root, "local_head", p->local_head);
	cJSON *arr = cJSON_AddArrayToObject(root, "events");
	for (size_t i = 0; arr && i < p->nevents; i++)
		cJSON_AddItemToArray(arr, event_json(&p->events[i]));
	return print(root);
}

static void event_decode(struct dec *d, const cJSON *o, struct proto_event *e)
{
	if (!cJSON_IsObject(o)) {
		fail(d, "an event must be a JSON object");
		return;
	}
	e->seq = get_int(d, o, "seq", true, 0);
	get_str(d, o, "type", true, e->type, sizeof e->type);
	e->at = get_int(d, o, "at", true, 0);
	e->user = get_int(d, o, "user", true, 0);
	get_hash(d, o, "prev_hash", true, e->prev_hash);
	get_hash(d, o, "hash", true, e->hash);
	get_str(d, o, "sig", false, e->sig, sizeof e->sig);
	if (d->ok && e->sig[0] && !hex_of_len(e->sig, PROTO_HEX_SIG - 1))
		fail(d, "field \"sig\" must be 128 lower-case hex digits");
	const cJSON *p = field(d, o, "payload", true);
	if (d->ok && (!cJSON_IsString(p) || !p->valuestring))
		fail(d, "field \"payload\" must be a string");
	if (d->ok && !(e->payload = strdup(p->valuestring)))
		fail(d, "out of memory");
	if (d->ok && e->seq < 1)
		fail(d, "event sequence numbers start at 1");
}

enum cm_rc proto_push_decode(const char *json, size_t len, struct proto_push *out,
                             char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (!d.ok)
		return finish(&d, root);
	get_str(&d, root, "store", true, out->store, sizeof out->store);
	get_str(&d, root, "terminal", true, out->terminal, sizeof out->terminal);
	out->local_head = get_int(&d, root, "local_head", false, 0);
	const cJSON *arr = get_array(&d, root, "events", true, PROTO_MAX_EVENTS);
	size_t n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (d.ok && n && !(out->events = calloc(n, sizeof *out->events)))
		fail(&d, "out of memory");
	const cJSON *e;
	size_t i = 0;
	cJSON_ArrayForEach(e, arr) {
		if (!d.ok || i >= n)
			break;
		event_decode(&d, e, &out->events[i++]);
		out->nevents = i;
		if (d.ok && i > 1 && out->events[i - 1].seq != out->events[i - 2].seq + 1)
			fail(&d, "events must have consecutive sequence numbers (%lld after %lld)",
			     (long long)out->events[i - 1].seq, (long long)out->events[i - 2].seq);
	}
	enum cm_rc rc = finish(&d, root);
	if (rc != CM_OK)
		proto_push_free(out);
	return rc;
}

void proto_push_free(struct proto_push *p)
{
	for (size_t i = 0; p->events && i < p->nevents; i++)
		free(p->events[i].payload);
	free(p->events);
	p->events = NULL;
	p->nevents = 0;
}

/* ---- ack, error, terminal ---- */

char *proto_ack_encode(const struct proto_ack *a)
{
	cJSON *root = cJSON_CreateObject();
	put_int(root, "acked_seq", a->acked_seq);
	cJSON_AddStringToObject(root, "head_hash", a->head_hash);
	put_int(root, "stored", a->stored);
	put_int(root, "duplicates", a->duplicates);
	return print(root);
}

enum cm_rc proto_ack_decode(const char *json, size_t len, struct proto_ack *out,
                            char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		out->acked_seq = get_int(&d, root, "acked_seq", true, 0);
		get_hash(&d, root, "head_hash", false, out->head_hash);
		out->stored = get_int(&d, root, "stored", false, 0);
		out->duplicates = get_int(&d, root, "duplicates", false, 0);
		if (d.ok && out->acked_seq < 0)
			fail(&d, "acked_seq is negative");
		if (d.ok && out->acked_seq > 0 && !out->head_hash[0])
			fail(&d, "field \"head_hash\" is missing");
	}
	return finish(&d, root);
}

char *proto_error_encode(const struct proto_error *e)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *o = cJSON_AddObjectToObject(root, "error");
	if (o) {
		cJSON_AddStringToObject(o, "code", e->code);
		cJSON_AddStringToObject(o, "message", e->message);
		if (e->seq >= 0)
			put_int(o, "seq", e->seq);
		if (e->acked_seq >= 0)
			put_int(o, "acked_seq", e->acked_seq);
	}
	return print(root);
}

enum cm_rc proto_error_decode(const char *json, size_t len, struct proto_error *out,
                              char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	out->seq = out->acked_seq = -1;
	cJSON *root = parse(&d, json, len);
	const cJSON *o = d.ok ? field(&d, root, "error", true) : NULL;
	if (d.ok && !cJSON_IsObject(o))
		fail(&d, "field \"error\" must be an object");
	if (d.ok) {
		get_str(&d, o, "code", true, out->code, sizeof out->code);
		get_str(&d, o, "message", false, out->message, sizeof out->message);
		out->seq = get_int(&d, o, "seq", false, -1);
		out->acked_seq = get_int(&d, o, "acked_seq", false, -1);
	}
	return finish(&d, root);
}

char *proto_terminal_encode(const struct proto_terminal *t)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "store", t->store);
	cJSON_AddStringToObject(root, "terminal", t->terminal);
	put_int(root, "acked_seq", t->acked_seq);
	cJSON_AddStringToObject(root, "head_hash", t->head_hash);
	put_int(root, "catalogue_version", t->catalogue_version);
	put_int(root, "members_version", t->members_version);
	return print(root);
}

enum cm_rc proto_terminal_decode(const char *json, size_t len, struct proto_terminal *out,
                                 char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		get_str(&d, root, "store", true, out->store, sizeof out->store);
		get_str(&d, root, "terminal", true, out->terminal, sizeof out->terminal);
		out->acked_seq = get_int(&d, root, "acked_seq", true, 0);
		get_hash(&d, root, "head_hash", false, out->head_hash);
		out->catalogue_version = get_int(&d, root, "catalogue_version", true, 0);
		out->members_version = get_int(&d, root, "members_version", true, 0);
	}
	return finish(&d, root);
}

/* ---- a terminal's report of its own journal ---- */

const char *const proto_report_kinds[] = { "verify_failed", "fork", "older_database", NULL };

char *proto_report_encode(const struct proto_report *r)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "store", r->store);
	cJSON_AddStringToObject(root, "terminal", r->terminal);
	cJSON_AddStringToObject(root, "kind", r->kind);
	put_int(root, "seq", r->seq);
	cJSON_AddStringToObject(root, "detail", r->detail);
	return print(root);
}

enum cm_rc proto_report_decode(const char *json, size_t len, struct proto_report *out,
                               char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		get_str(&d, root, "store", true, out->store, sizeof out->store);
		get_str(&d, root, "terminal", true, out->terminal, sizeof out->terminal);
		get_str(&d, root, "kind", true, out->kind, sizeof out->kind);
		out->seq = get_int(&d, root, "seq", true, 0);
		get_str(&d, root, "detail", true, out->detail, sizeof out->detail);
	}
	const char *const *k = proto_report_kinds;
	while (d.ok && *k && strcmp(*k, out->kind) != 0)
		k++;
	if (d.ok && !*k)
		fail(&d, "field \"kind\" is not a kind of report (verify_failed, fork, older_database)");
	if (d.ok && out->seq < 0)
		fail(&d, "field \"seq\" must not be negative");
	return finish(&d, root);
}

/* ---- catalogue and member pages ---- */

static void item_decode(struct dec *d, const cJSON *o, struct proto_item *pi)
{
	struct item_rec *it = &pi->item;
	char tax[16];
	if (!cJSON_IsObject(o)) {
		fail(d, "an item must be a JSON object");
		return;
	}
	in_order(d, o);   /* as item_write writes them */
	get_str(d, o, "sku", true, it->sku, sizeof it->sku);
	get_str(d, o, "name", true, it->name, sizeof it->name);
	get_str(d, o, "receipt_name", false, it->receipt_name, sizeof it->receipt_name);
	get_str(d, o, "unit", false, it->unit, sizeof it->unit);
	it->weighed = get_bool(d, o, "weighed", false);
	it->price = get_int(d, o, "price", true, 0);
	it->member_price = get_int(d, o, "member_price", false, 0);
	get_str(d, o, "tax_class", true, tax, sizeof tax);
	if (d->ok && tax_class_parse(tax, &it->tax) != CM_OK)
		fail(d, "item %s: unknown tax class \"%s\"", it->sku, tax);
	get_str(d, o, "category", false, it->category, sizeof it->category);
	get_str(d, o, "supplier", false, it->supplier, sizeof it->supplier);
	int64_t plu = get_int(d, o, "plu", false, 0);  /* range-checked before narrowing */
	it->active = get_bool(d, o, "active", true);
	const cJSON *b = get_array(d, o, "barcodes", false, PROTO_MAX_BARCODES), *c;
	pi->version = get_int(d, o, "version", true, 0);
	cJSON_ArrayForEach(c, b) {
		if (!d->ok)
			break;
		if (!cJSON_IsString(c) || strlen(c->valuestring) >= sizeof pi->barcodes[0]) {
			fail(d, "item %s: a barcode must be a string of at most 15 digits", it->sku);
			break;
		}
		strcpy(pi->barcodes[pi->nbarcodes++], c->valuestring);
	}
	if (d->ok && (it->price < 0 || it->member_price < 0 || plu < 0 || plu > 99999))
		fail(d, "item %s: negative price or bad PLU", it->sku);
	it->plu = d->ok ? (int32_t)plu : 0;
	if (d->ok && !it->sku[0])
		fail(d, "an item has an empty sku");
}

/* Above any coop's savings; keeps sums of them far from overflow. */
#define DUES_MONEY_MAX ((int64_t)1000000000000000)

static bool month_or_zero(int64_t m)
{
	return m == 0 || (m <= INT32_MAX && dues_month_valid((int32_t)m));
}

static bool date_or_zero(int64_t d)
{
	return d == 0 || (d >= 19000101 && d <= 29991231 && month_or_zero(d / 100) && d % 100 >= 1 &&
	                  d % 100 <= 31);
}

/* The dues fields of a member (all optional: an HQ without dues sends
 * none, and the member owes nothing the till knows of). */
static void member_dues_decode(struct dec *d, const cJSON *o, struct proto_member *pm)
{
	struct member_rec *m = &pm->m;
	struct member_standing *h = &m->hq;
	get_str(d, o, "type", false, m->type, sizeof m->type);
	int64_t join = get_int(d, o, "join_date", false, 0);
	int64_t left = get_int(d, o, "left_date", false, 0);
	h->pokok_owed = get_int(d, o, "pokok_owed", false, 0);
	int64_t through = get_int(d, o, "wajib_through", false, 0);
	int64_t until = get_int(d, o, "wajib_paid_until", false, 0);
	int64_t months = get_int(d, o, "wajib_months", false, 0);
	h->wajib_arrears = get_int(d, o, "wajib_arrears", false, 0);
	h->sukarela = get_int(d, o, "sukarela", false, 0);
	h->credit_limit = get_int(d, o, "credit_limit", false, 0);
	h->credit_balance = get_int(d, o, "credit_balance", false, 0);
	if (d->ok && (!date_or_zero(join) || !date_or_zero(left) || !month_or_zero(through) ||
	              !month_or_zero(until) || months < 0 || months > 100000 ||
	              h->pokok_owed < 0 || h->wajib_arrears < 0 || h->sukarela < 0 ||
	              h->pokok_owed > DUES_MONEY_MAX || h->wajib_arrears > DUES_MONEY_MAX ||
	              h->sukarela > DUES_MONEY_MAX || h->credit_limit < 0 ||
	              h->credit_limit > DUES_MONEY_MAX || h->credit_balance < -DUES_MONEY_MAX ||
	              h->credit_balance > DUES_MONEY_MAX)) {
		fail(d, "member %s: a dues figure is out of range", m->number);
		return;
	}
	m->join_date = (int32_t)join;
	m->left_date = (int32_t)left;
	h->wajib_through = (int32_t)through;
	h->wajib_paid_until = (int32_t)until;
	h->wajib_months = (int32_t)months;
	const cJSON *a = get_array(d, o, "wajib_owed", false, PROTO_MAX_OWED), *e;
	cJSON_ArrayForEach(e, a) {
		if (!d->ok)
			break;
		const cJSON *mo = cJSON_GetArrayItem(e, 0), *am = cJSON_GetArrayItem(e, 1);
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 || !cJSON_IsNumber(mo) ||
		    !cJSON_IsNumber(am) || mo->valuedouble != (double)(int32_t)mo->valuedouble ||
		    !dues_month_valid((int32_t)mo->valuedouble) || am->valuedouble < 1 ||
		    am->valuedouble > (double)DUES_MONEY_MAX || am->valuedouble != (double)(int64_t)am->valuedouble ||
		    (pm->nowed && (int32_t)mo->valuedouble <= pm->owed[pm->nowed - 1].month)) {
			fail(d, "member %s: \"wajib_owed\" must hold [month, amount] pairs, oldest first",
			     m->number);
			break;
		}
		pm->owed[pm->nowed++] = (struct dues_owed){ (int32_t)mo->valuedouble,
		                                            (cm_money)am->valuedouble };
	}
}

static void member_decode(struct dec *d, const cJSON *o, struct proto_member *pm)
{
	if (!cJSON_IsObject(o)) {
		fail(d, "a member must be a JSON object");
		return;
	}
	get_str(d, o, "number", true, pm->m.number, sizeof pm->m.number);
	get_str(d, o, "name", true, pm->m.name, sizeof pm->m.name);
	get_str(d, o, "card_code", false, pm->m.card_code, sizeof pm->m.card_code);
	get_str(d, o, "status", true, pm->m.status, sizeof pm->m.status);
	pm->version = get_int(d, o, "version", true, 0);
	if (d->ok && strcmp(pm->m.status, "active") && strcmp(pm->m.status, "left") &&
	    strcmp(pm->m.status, "blocked"))
		fail(d, "member %s: unknown status \"%s\"", pm->m.number, pm->m.status);
	if (d->ok && !pm->m.number[0])
		fail(d, "a member has an empty number");
	if (d->ok)
		member_dues_decode(d, o, pm);
}

static cJSON *dues_json(const struct proto_page *p)
{
	cJSON *o = cJSON_CreateObject();
	put_int(o, "inactive_after", p->inactive_after);
	cJSON *a = cJSON_AddArrayToObject(o, "rates");
	for (size_t i = 0; a && i < p->nrates; i++) {
		const struct dues_rate *r = &p->rates[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "type", r->type);
		cJSON_AddStringToObject(e, "kind", dues_kind_name(r->kind));
		put_int(e, "from", r->from);
		put_int(e, "amount", r->amount);
		cJSON_AddItemToArray(a, e);
	}
	return o;
}

static void page_dues(struct dec *d, const cJSON *root, struct proto_page *out)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "dues");
	if (!o || !d->ok)
		return;
	if (!cJSON_IsObject(o)) {
		fail(d, "field \"dues\" must be an object");
		return;
	}
	int64_t month = get_int(d, root, "month", true, 0);
	out->acked_seq = get_int(d, root, "acked_seq", false, 0);
	int64_t after = get_int(d, o, "inactive_after", true, 0);
	if (d->ok && (!month_or_zero(month) || !month || after < 1 || after > 1200 ||
	              out->acked_seq < 0)) {
		fail(d, "the dues month, acked_seq or inactive_after is out of range");
		return;
	}
	out->month = (int32_t)month;
	out->inactive_after = (int32_t)after;
	const cJSON *a = get_array(d, o, "rates", true, PROTO_MAX_RATES), *e;
	size_t n = a ? (size_t)cJSON_GetArraySize(a) : 0;
	if (!d->ok)
		return;
	if (!(out->rates = calloc(n ? n : 1, sizeof *out->rates))) {
		fail(d, "out of memory");
		return;
	}
	cJSON_ArrayForEach(e, a) {
		struct dues_rate *r = &out->rates[out->nrates];
		char kind[16];
		if (!d->ok)
			break;
		if (!cJSON_IsObject(e)) {
			fail(d, "a dues rate must be a JSON object");
			break;
		}
		get_str(d, e, "type", true, r->type, sizeof r->type);
		get_str(d, e, "kind", true, kind, sizeof kind);
		int64_t from = get_int(d, e, "from", true, 0);
		r->amount = get_int(d, e, "amount", true, 0);
		if (d->ok && (dues_kind_parse(kind, &r->kind) != CM_OK || r->kind == DUES_SUKARELA ||
		              !from || !month_or_zero(from) || r->amount < 0 || r->amount > DUES_MONEY_MAX)) {
			fail(d, "dues rate %zu: bad kind, month or amount", out->nrates + 1);
			break;
		}
		r->from = (int32_t)from;
		out->nrates++;
	}
	out->has_dues = d->ok;
}

/* ---- pages, written straight into a buffer ----
 *
 * A catalogue page of 1,000 items is HQ's most frequent answer; building
 * it as a cJSON tree and printing that was most of the time HQ spent on a
 * page. The text is the same as cJSON_PrintUnformatted's: keys in the
 * same order, strings escaped the same way (\" \\ \b \f \n \r \t, other
 * control characters as \u00XX, the rest as is), integers in decimal. */

struct jbuf {
	char *p;
	size_t len, cap;
	bool nomem;
};

static void jb_grow(struct jbuf *b, size_t more)
{
	if (b->nomem || b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->nomem = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void jb_raw(struct jbuf *b, const char *s, size_t n)
{
	jb_grow(b, n);
	if (b->nomem)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void jb_lit(struct jbuf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

static void jb_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	jb_grow(b, 6 * n + 2);
	if (b->nomem)
		return;
	char *o = b->p + b->len;
	*o++ = '"';
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"': *o++ = '\\'; *o++ = '"'; break;
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\b': *o++ = '\\'; *o++ = 'b'; break;
		case '\f': *o++ = '\\'; *o++ = 'f'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		default:
			if (*c < 0x20) {
				memcpy(o, "\\u00", 4);
				o[4] = hex[*c >> 4];
				o[5] = hex[*c & 15];
				o += 6;
			} else {
				*o++ = (char)*c;
			}
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

static void jb_key(struct jbuf *b, const char *key, bool first)
{
	if (!first)
		jb_raw(b, ",", 1);
	jb_str(b, key);
	jb_raw(b, ":", 1);
}

static void jb_kstr(struct jbuf *b, const char *key, const char *v)
{
	jb_key(b, key, false);
	jb_str(b, v);
}

static void jb_kint(struct jbuf *b, const char *key, int64_t v)
{
	char num[24];
	jb_key(b, key, false);
	jb_raw(b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v));
}

static void jb_kbool(struct jbuf *b, const char *key, bool v)
{
	jb_key(b, key, false);
	jb_lit(b, v ? "true" : "false");
}

static void item_write(struct jbuf *b, const struct proto_item *pi)
{
	const struct item_rec *it = &pi->item;
	jb_raw(b, "{", 1);
	jb_key(b, "sku", true);
	jb_str(b, it->sku);
	jb_kstr(b, "name", it->name);
	jb_kstr(b, "receipt_name", it->receipt_name);
	jb_kstr(b, "unit", it->unit);
	jb_kbool(b, "weighed", it->weighed);
	jb_kint(b, "price", it->price);
	jb_kint(b, "member_price", it->member_price);
	jb_kstr(b, "tax_class", tax_class_name(it->tax));
	jb_kstr(b, "category", it->category);
	jb_kstr(b, "supplier", it->supplier);
	jb_kint(b, "plu", it->plu);
	jb_kbool(b, "active", it->active);
	jb_key(b, "barcodes", false);
	jb_raw(b, "[", 1);
	for (size_t i = 0; i < pi->nbarcodes; i++) {
		if (i)
			jb_raw(b, ",", 1);
		jb_str(b, pi->barcodes[i]);
	}
	jb_raw(b, "]", 1);
	jb_kint(b, "version", pi->version);
	jb_raw(b, "}", 1);
}

static void member_write(struct jbuf *b, const struct proto_member *pm)
{
	jb_raw(b, "{", 1);
	jb_key(b, "number", true);
	jb_str(b, pm->m.number);
	jb_kstr(b, "name", pm->m.name);
	jb_kstr(b, "card_code", pm->m.card_code);
	jb_kstr(b, "status", pm->m.status);
	jb_kstr(b, "type", pm->m.type);
	jb_kint(b, "join_date", pm->m.join_date);
	jb_kint(b, "left_date", pm->m.left_date);
	const struct member_standing *h = &pm->m.hq;
	jb_kint(b, "pokok_owed", h->pokok_owed);
	jb_kint(b, "wajib_through", h->wajib_through);
	jb_kint(b, "wajib_paid_until", h->wajib_paid_until);
	jb_kint(b, "wajib_months", h->wajib_months);
	jb_kint(b, "wajib_arrears", h->wajib_arrears);
	jb_key(b, "wajib_owed", false);
	jb_raw(b, "[", 1);
	for (size_t i = 0; i < pm->nowed; i++) {
		char pair[64];
		int n = snprintf(pair, sizeof pair, "%s[%d,%lld]", i ? "," : "",
		                 (int)pm->owed[i].month, (long long)pm->owed[i].amount);
		jb_raw(b, pair, (size_t)n);
	}
	jb_raw(b, "]", 1);
	jb_kint(b, "sukarela", h->sukarela);
	jb_kint(b, "credit_limit", h->credit_limit);
	jb_kint(b, "credit_balance", h->credit_balance);
	jb_kint(b, "version", pm->version);
	jb_raw(b, "}", 1);
}

char *proto_page_encode(const struct proto_page *p)
{
	struct jbuf b = { 0 };
	jb_grow(&b, 300 * (p->nitems + p->nmembers) + 64 * p->ndeleted + 256);
	jb_raw(&b, "{", 1);
	jb_key(&b, "upto", true);
	char num[24];
	jb_raw(&b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)p->upto));
	if (p->has_dues) {
		jb_kint(&b, "month", p->month);
		jb_kint(&b, "acked_seq", p->acked_seq);
		cJSON *d = dues_json(p);
		char *dt = d ? cJSON_PrintUnformatted(d) : NULL;
		cJSON_Delete(d);
		if (!dt) {
			free(b.p);
			return NULL;
		}
		jb_key(&b, "dues", false);
		jb_raw(&b, dt, strlen(dt));
		cJSON_free(dt);
	}
	if (p->members || !p->items) {
		jb_key(&b, "members", false);
		jb_raw(&b, "[", 1);
		for (size_t i = 0; i < p->nmembers; i++) {
			if (i)
				jb_raw(&b, ",", 1);
			member_write(&b, &p->members[i]);
		}
		jb_raw(&b, "]", 1);
	}
	if (p->items) {
		jb_key(&b, "items", false);
		jb_raw(&b, "[", 1);
		for (size_t i = 0; i < p->nitems; i++) {
			if (i)
				jb_raw(&b, ",", 1);
			item_write(&b, &p->items[i]);
		}
		jb_raw(&b, "]", 1);
	}
	jb_key(&b, "deleted", false);
	jb_raw(&b, "[", 1);
	for (size_t i = 0; i < p->ndeleted; i++) {
		if (i)
			jb_raw(&b, ",", 1);
		jb_str(&b, p->deleted[i]);
	}
	jb_raw(&b, "]", 1);
	if (p->next[0])
		jb_kstr(&b, "next", p->next);
	else
		jb_lit(&b, ",\"next\":null");
	jb_raw(&b, "}", 1);
	if (b.nomem) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

#define PAGE_MAX 100000

static void item_decode_any(struct dec *d, const cJSON *e, void *elem)
{
	item_decode(d, e, elem);
}

static void member_decode_any(struct dec *d, const cJSON *e, void *elem)
{
	member_decode(d, e, elem);
}

static void page_items(struct dec *d, const cJSON *root, struct proto_page *out)
{
	out->items = decode_each(d, root, "items", false, PAGE_MAX, sizeof *out->items,
	                         &out->nitems, item_decode_any);
}

static void page_members(struct dec *d, const cJSON *root, struct proto_page *out)
{
	out->members = decode_each(d, root, "members", false, PAGE_MAX, sizeof *out->members,
	                           &out->nmembers, member_decode_any);
}

static void page_deleted(struct dec *d, const cJSON *root, struct proto_page *out)
{
	const cJSON *a = get_array(d, root, "deleted", false, PAGE_MAX), *e;
	size_t n = a ? (size_t)cJSON_GetArraySize(a) : 0;
	if (!a || !d->ok || !n)
		return;
	if (!(out->deleted = calloc(n, sizeof *out->deleted))) {
		fail(d, "out of memory");
		return;
	}
	cJSON_ArrayForEach(e, a) {
		if (!d->ok)
			break;
		if (!cJSON_IsString(e) || strlen(e->valuestring) >= sizeof out->deleted[0]) {
			fail(d, "field \"deleted\" must hold strings of at most 31 bytes");
			break;
		}
		strcpy(out->deleted[out->ndeleted++], e->valuestring);
	}
}

enum cm_rc proto_page_decode(const char *json, size_t len, struct proto_page *out,
                             char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	pool_begin();
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		out->upto = get_int(&d, root, "upto", true, 0);
		page_items(&d, root, out);
		page_members(&d, root, out);
		page_dues(&d, root, out);
		page_deleted(&d, root, out);
		get_str(&d, root, "next", false, out->next, sizeof out->next);
		if (d.ok && !out->items && !out->members)
			fail(&d, "a page needs \"items\" or \"members\"");
	}
	enum cm_rc rc = pool_end(&d, root);
	if (rc != CM_OK)
		proto_page_free(out);
	return rc;
}

void proto_page_free(struct proto_page *p)
{
	free(p->items);
	free(p->members);
	free(p->deleted);
	free(p->rates);
	p->items = NULL;
	p->members = NULL;
	p->deleted = NULL;
	p->rates = NULL;
	p->nrates = 0;
	p->has_dues = false;
	p->nitems = p->nmembers = p->ndeleted = 0;
}

/* ---- purchase orders ---- */

char *proto_orders_encode(const struct proto_orders *o)
{
	cJSON *root = cJSON_CreateObject();
	put_int(root, "upto", o->upto);
	cJSON_AddBoolToObject(root, "more", o->more);
	cJSON *arr = cJSON_AddArrayToObject(root, "orders");
	for (size_t i = 0; arr && i < o->norders; i++) {
		const struct proto_order *po = &o->orders[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, e);
		cJSON_AddStringToObject(e, "po", po->po);
		cJSON_AddStringToObject(e, "supplier", po->supplier);
		put_int(e, "date", po->date);
		put_int(e, "version", po->version);
		cJSON *lines = cJSON_AddArrayToObject(e, "lines");
		for (size_t j = 0; lines && j < po->nlines; j++) {
			cJSON *l = cJSON_CreateObject();
			cJSON_AddItemToArray(lines, l);
			cJSON_AddStringToObject(l, "sku", po->lines[j].sku);
			put_int(l, "qty", po->lines[j].qty);
			put_int(l, "cost", po->lines[j].cost);
		}
	}
	return print(root);
}

static void order_decode(struct dec *d, const cJSON *o, struct proto_order *po)
{
	if (!cJSON_IsObject(o)) {
		fail(d, "an order must be a JSON object");
		return;
	}
	get_str(d, o, "po", true, po->po, sizeof po->po);
	get_str(d, o, "supplier", true, po->supplier, sizeof po->supplier);
	int64_t date = get_int(d, o, "date", true, 0);
	po->version = get_int(d, o, "version", true, 0);
	if (d->ok && (!po->po[0] || !po->supplier[0]))
		fail(d, "an order needs a number and a supplier");
	if (d->ok && (date < 19000101 || date > 29991231))
		fail(d, "order %s: \"date\" must be yyyymmdd", po->po);
	po->date = (int32_t)date;
	const cJSON *a = get_array(d, o, "lines", true, PROTO_MAX_ORDER_LINES), *l;
	if (!a || !d->ok)
		return;
	size_t n = (size_t)cJSON_GetArraySize(a);
	if (n == 0) {
		fail(d, "order %s has no lines", po->po);
		return;
	}
	if (!(po->lines = calloc(n, sizeof *po->lines))) {
		fail(d, "out of memory");
		return;
	}
	cJSON_ArrayForEach(l, a) {
		if (!d->ok)
			break;
		if (!cJSON_IsObject(l)) {
			fail(d, "order %s: a line must be a JSON object", po->po);
			break;
		}
		struct proto_order_line *pl = &po->lines[po->nlines++];
		get_str(d, l, "sku", true, pl->sku, sizeof pl->sku);
		pl->qty = get_int(d, l, "qty", true, 0);
		pl->cost = get_int(d, l, "cost", true, 0);
		if (d->ok && (!pl->sku[0] || pl->qty <= 0 || pl->qty > 1000000000 || pl->cost < 0 ||
		              pl->cost > 1000000000000LL))
			fail(d, "order %s: a line needs a SKU, a quantity above 0 and a cost of 0 or more",
			     po->po);
	}
}

static void order_decode_any(struct dec *d, const cJSON *e, void *elem)
{
	order_decode(d, e, elem);
}

enum cm_rc proto_orders_decode(const char *json, size_t len, struct proto_orders *out,
                               char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		out->upto = get_int(&d, root, "upto", true, 0);
		out->more = get_bool(&d, root, "more", false);
	}
	if (d.ok)
		out->orders = decode_each(&d, root, "orders", true, PROTO_MAX_ORDERS,
		                          sizeof *out->orders, &out->norders, order_decode_any);
	enum cm_rc rc = finish(&d, root);
	if (rc != CM_OK)
		proto_orders_free(out);
	return rc;
}

void proto_orders_free(struct proto_orders *o)
{
	for (size_t i = 0; o->orders && i < o->norders; i++)
		free(o->orders[i].lines);
	free(o->orders);
	memset(o, 0, sizeof *o);
}

/* ---- online orders of the members' shop ---- */

bool proto_shop_status_valid(const char *s)
{
	static const char *const st[] = { "placed", "ready", "collected", "expired", "cancelled" };
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		if (strcmp(s, st[i]) == 0)
			return true;
	return false;
}

bool proto_shop_pick_valid(const char *s)
{
	return strcmp(s, "picked") == 0 || strcmp(s, "short") == 0 || strcmp(s, "substituted") == 0;
}

static cJSON *shop_picked_json(const struct proto_shop_order *so)
{
	if (!so->has_picked)
		return cJSON_CreateNull();
	cJSON *p = cJSON_CreateObject();
	cJSON *lines = cJSON_AddArrayToObject(p, "lines");
	for (size_t j = 0; lines && j < so->nlines; j++) {
		const struct proto_shop_line *sl = &so->lines[j];
		if (!sl->pick_status[0])
			continue;
		cJSON *l = cJSON_CreateObject();
		cJSON_AddItemToArray(lines, l);
		put_int(l, "line", sl->line);
		cJSON_AddStringToObject(l, "status", sl->pick_status);
		put_int(l, "qty", sl->picked_qty);
		if (strcmp(sl->pick_status, "substituted") == 0) {
			cJSON_AddStringToObject(l, "sku", sl->sub_sku);
			put_int(l, "price", sl->sub_price);
		}
	}
	put_int(p, "total", so->picked_total);
	return p;
}

char *proto_shop_orders_encode(const struct proto_shop_orders *o)
{
	cJSON *root = cJSON_CreateObject();
	put_int(root, "upto", o->upto);
	cJSON_AddBoolToObject(root, "more", o->more);
	cJSON *arr = cJSON_AddArrayToObject(root, "orders");
	for (size_t i = 0; arr && i < o->norders; i++) {
		const struct proto_shop_order *so = &o->orders[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, e);
		cJSON_AddStringToObject(e, "id", so->id);
		put_int(e, "version", so->version);
		cJSON_AddStringToObject(e, "status", so->status);
		cJSON_AddStringToObject(e, "member", so->member);
		cJSON_AddStringToObject(e, "member_name", so->member_name);
		put_int(e, "placed_at", so->placed_at);
		put_int(e, "slot_start", so->slot_start);
		put_int(e, "slot_end", so->slot_end);
		put_int(e, "expires_at", so->expires_at);
		put_int(e, "total", so->total);
		cJSON *lines = cJSON_AddArrayToObject(e, "lines");
		for (size_t j = 0; lines && j < so->nlines; j++) {
			const struct proto_shop_line *sl = &so->lines[j];
			cJSON *l = cJSON_CreateObject();
			cJSON_AddItemToArray(lines, l);
			put_int(l, "line", sl->line);
			cJSON_AddStringToObject(l, "sku", sl->sku);
			cJSON_AddStringToObject(l, "gtin", sl->gtin);
			cJSON_AddStringToObject(l, "name", sl->name);
			put_int(l, "qty", sl->qty);
			put_int(l, "price", sl->price);
		}
		cJSON_AddItemToObject(e, "picked", shop_picked_json(so));
	}
	return print(root);
}

#define SHOP_AMOUNT_MAX 1000000000000LL

static struct proto_shop_line *shop_line_of(struct proto_shop_order *so, int64_t line)
{
	for (size_t j = 0; j < so->nlines; j++)
		if (so->lines[j].line == line)
			return &so->lines[j];
	return NULL;
}

static void shop_pick_decode(struct dec *d, const cJSON *p, struct proto_shop_order *so)
{
	if (!p || cJSON_IsNull(p))
		return;
	if (!cJSON_IsObject(p)) {
		fail(d, "order %s: \"picked\" must be null or an object", so->id);
		return;
	}
	so->has_picked = true;
	so->picked_total = get_int(d, p, "total", true, 0);
	const cJSON *a = get_array(d, p, "lines", true, PROTO_MAX_SHOP_LINES), *l;
	cJSON_ArrayForEach(l, a) {
		if (!d->ok)
			return;
		struct proto_shop_line *sl = shop_line_of(so, get_int(d, l, "line", true, 0));
		if (d->ok && !sl) {
			fail(d, "order %s: the picking names a line the order does not have", so->id);
			return;
		}
		if (!sl)
			return;
		get_str(d, l, "status", true, sl->pick_status, sizeof sl->pick_status);
		sl->picked_qty = get_int(d, l, "qty", true, 0);
		/* only a substitute names an item and its price: a picked or
		 * short line's stray "sku" is not kept (it would not be sent on) */
		bool sub = strcmp(sl->pick_status, "substituted") == 0;
		if (sub) {
			get_str(d, l, "sku", true, sl->sub_sku, sizeof sl->sub_sku);
			sl->sub_price = get_int(d, l, "price", true, 0);
		}
		if (d->ok && (!proto_shop_pick_valid(sl->pick_status) || sl->picked_qty < 0 ||
		              sl->picked_qty > 1000000000 || sl->sub_price < 0 ||
		              sl->sub_price > SHOP_AMOUNT_MAX || (sub && !sl->sub_sku[0])))
			fail(d, "order %s: a picked line needs a known status, a qty of 0 or more and, "
			        "substituted, a SKU and a price", so->id);
	}
	if (d->ok && (so->picked_total < 0 || so->picked_total > SHOP_AMOUNT_MAX))
		fail(d, "order %s: the picked total is out of range", so->id);
}

static void shop_lines_decode(struct dec *d, const cJSON *o, struct proto_shop_order *so)
{
	const cJSON *a = get_array(d, o, "lines", true, PROTO_MAX_SHOP_LINES), *l;
	if (!a || !d->ok)
		return;
	size_t n = (size_t)cJSON_GetArraySize(a);
	if (n == 0) {
		fail(d, "order %s has no lines", so->id);
		return;
	}
	if (!(so->lines = calloc(n, sizeof *so->lines))) {
		fail(d, "out of memory");
		return;
	}
	cJSON_ArrayForEach(l, a) {
		if (!d->ok)
			break;
		if (!cJSON_IsObject(l)) {
			fail(d, "order %s: a line must be a JSON object", so->id);
			break;
		}
		struct proto_shop_line *sl = &so->lines[so->nlines++];
		sl->line = get_int(d, l, "line", true, 0);
		get_str(d, l, "sku", true, sl->sku, sizeof sl->sku);
		get_str(d, l, "gtin", false, sl->gtin, sizeof sl->gtin);
		get_str(d, l, "name", true, sl->name, sizeof sl->name);
		sl->qty = get_int(d, l, "qty", true, 0);
		sl->price = get_int(d, l, "price", true, 0);
		if (d->ok && (sl->line <= 0 || !sl->sku[0] || sl->qty <= 0 || sl->qty > 1000000000 ||
		              sl->price < 0 || sl->price > SHOP_AMOUNT_MAX))
			fail(d, "order %s: a line needs a number, a SKU, a quantity above 0 and a price "
			        "of 0 or more", so->id);
		for (size_t k = 0; d->ok && k + 1 < so->nlines; k++)
			if (so->lines[k].line == sl->line)
				fail(d, "order %s: line %lld comes twice", so->id, (long long)sl->line);
	}
}

static void shop_order_decode(struct dec *d, const cJSON *o, struct proto_shop_order *so)
{
	if (!cJSON_IsObject(o)) {
		fail(d, "an order must be a JSON object");
		return;
	}
	get_str(d, o, "id", true, so->id, sizeof so->id);
	so->version = get_int(d, o, "version", true, 0);
	get_str(d, o, "status", true, so->status, sizeof so->status);
	get_str(d, o, "member", true, so->member, sizeof so->member);
	get_str(d, o, "member_name", true, so->member_name, sizeof so->member_name);
	so->placed_at = get_int(d, o, "placed_at", true, 0);
	so->slot_start = get_int(d, o, "slot_start", true, 0);
	so->slot_end = get_int(d, o, "slot_end", true, 0);
	so->expires_at = get_int(d, o, "expires_at", true, 0);
	so->total = get_int(d, o, "total", true, 0);
	if (d->ok && (!so->id[0] || !so->member[0] || !proto_shop_status_valid(so->status)))
		fail(d, "an order needs an id, a member and a known status");
	if (d->ok && (so->total < 0 || so->total > SHOP_AMOUNT_MAX || so->version <= 0))
		fail(d, "order %s: the total or the version is out of range", so->id);
	shop_lines_decode(d, o, so);
	if (d->ok)
		shop_pick_decode(d, field(d, o, "picked", false), so);
}

static void shop_order_decode_any(struct dec *d, const cJSON *e, void *elem)
{
	shop_order_decode(d, e, elem);
}

enum cm_rc proto_shop_orders_decode(const char *json, size_t len, struct proto_shop_orders *out,
                                    char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen, .ok = true };
	memset(out, 0, sizeof *out);
	cJSON *root = parse(&d, json, len);
	if (d.ok) {
		out->upto = get_int(&d, root, "upto", true, 0);
		out->more = get_bool(&d, root, "more", false);
	}
	if (d.ok)
		out->orders = decode_each(&d, root, "orders", true, PROTO_MAX_SHOP_ORDERS,
		                          sizeof *out->orders, &out->norders, shop_order_decode_any);
	enum cm_rc rc = finish(&d, root);
	if (rc != CM_OK)
		proto_shop_orders_free(out);
	return rc;
}

void proto_shop_orders_free(struct proto_shop_orders *o)
{
	for (size_t i = 0; o->orders && i < o->norders; i++)
		free(o->orders[i].lines);
	free(o->orders);
	memset(o, 0, sizeof *o);
}
