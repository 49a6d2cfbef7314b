/* GET /v1/catalogue and GET /v1/members: versioned deltas with paging
 * (PROTOCOL.md). A pull fixes `upto` on its first page; every page holds
 * rows with since < version <= upto ordered by (version, key) after the
 * cursor "VERSION:KEY". The first page carries ETag "cat-UPTO" (members:
 * "mem-UPTO"); If-None-Match naming HQ's current version answers 304. */
#include "route.h"
#include "hqdues.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 1000
#define MAX_LIMIT 5000

struct paging {
	int64_t since, upto, after_v, limit;
	char after_key[64];
	bool first;                       /* no upto given: the pull's first page */
};

static bool parse_int(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

/* Reads since, upto, after and limit; answers 400 when one is wrong. */
static bool read_paging(struct req *r, int64_t current, struct paging *pg)
{
	const char *since = req_arg(r, "since"), *upto = req_arg(r, "upto");
	const char *after = req_arg(r, "after"), *limit = req_arg(r, "limit");
	memset(pg, 0, sizeof *pg);
	pg->limit = DEFAULT_LIMIT;
	pg->upto = current;
	pg->first = !upto;
	if (since && !parse_int(since, &pg->since)) {
		req_fail(r, 400, "bad_request", -1, -1, "since must be a version number (0 or more)");
		return false;
	}
	if (upto && (!parse_int(upto, &pg->upto) || pg->upto > current)) {
		req_fail(r, 400, "bad_request", -1, -1,
		         "upto must be a version number no newer than %lld", (long long)current);
		return false;
	}
	if (limit && (!parse_int(limit, &pg->limit) || pg->limit < 1)) {
		req_fail(r, 400, "bad_request", -1, -1, "limit must be a number from 1 to %d", MAX_LIMIT);
		return false;
	}
	if (pg->limit > MAX_LIMIT)
		pg->limit = MAX_LIMIT;
	if (after) {
		const char *colon = strchr(after, ':');
		char num[24];
		if (!colon || (size_t)(colon - after) >= sizeof num ||
		    strlen(colon + 1) >= sizeof pg->after_key) {
			req_fail(r, 400, "bad_request", -1, -1, "after must be the cursor VERSION:KEY from \"next\"");
			return false;
		}
		memcpy(num, after, (size_t)(colon - after));
		num[colon - after] = '\0';
		if (!parse_int(num, &pg->after_v)) {
			req_fail(r, 400, "bad_request", -1, -1, "after must be the cursor VERSION:KEY from \"next\"");
			return false;
		}
		snprintf(pg->after_key, sizeof pg->after_key, "%s", colon + 1);
	}
	return true;
}

/* 304 when If-None-Match names the current version; sets the ETag of a
 * first page. */
static bool not_modified(struct req *r, const char *prefix, int64_t current, bool first)
{
	char etag[48];
	snprintf(etag, sizeof etag, "\"%s-%lld\"", prefix, (long long)current);
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		req_set_header(r, "ETag", etag);
		req_reply_empty(r, 304);
		return true;
	}
	if (first)
		req_set_header(r, "ETag", etag);
	return false;
}

/* A page of the catalogue being filled: live items, deleted SKUs apart. */
struct page_build {
	struct proto_page page;
	size_t cap, dcap;
	int64_t last_v;
	char last_key[64];
	int64_t rows;
};

static enum cm_rc add_deleted(struct page_build *b, const char *key)
{
	if (b->page.ndeleted == b->dcap) {
		size_t n = b->dcap ? b->dcap * 2 : 16;
		void *p = realloc(b->page.deleted, n * sizeof *b->page.deleted);
		if (!p)
			return CM_NOMEM;
		b->page.deleted = p;
		b->dcap = n;
	}
	snprintf(b->page.deleted[b->page.ndeleted++], sizeof b->page.deleted[0], "%s", key);
	return CM_OK;
}

static void note_row(struct page_build *b, int64_t v, const char *key)
{
	b->last_v = v;
	snprintf(b->last_key, sizeof b->last_key, "%s", key);
	b->rows++;
}

static enum cm_rc on_item(const struct proto_item *it, bool deleted, void *ctx)
{
	struct page_build *b = ctx;
	note_row(b, it->version, it->item.sku);
	if (deleted)
		return add_deleted(b, it->item.sku);
	if (b->page.nitems == b->cap) {
		size_t n = b->cap * 2;
		void *p = realloc(b->page.items, n * sizeof *b->page.items);
		if (!p)
			return CM_NOMEM;
		b->page.items = p;
		b->cap = n;
	}
	b->page.items[b->page.nitems++] = *it;
	return CM_OK;
}

static void reply_page(struct req *r, struct page_build *b, const struct paging *pg)
{
	b->page.upto = pg->upto;
	if (b->rows == pg->limit)
		snprintf(b->page.next, sizeof b->page.next, "%lld:%s", (long long)b->last_v, b->last_key);
	req_reply(r, 200, proto_page_encode(&b->page));
}

static void pull_catalogue(struct req *r)
{
	int64_t current;
	struct paging pg;
	struct page_build b = { .cap = 64 };
	enum cm_rc rc = hqstore_version(r->st, HQ_CATALOGUE, &current);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	if (!read_paging(r, current, &pg) || not_modified(r, "cat", current, pg.first))
		return;
	if (!(b.page.items = malloc(b.cap * sizeof *b.page.items))) {
		req_fail_store(r, CM_NOMEM);
		return;
	}
	rc = hqstore_items_page(r->st, r->term->store, pg.since, pg.upto, pg.after_v,
	                        pg.after_key, pg.limit, on_item, &b);
	if (rc == CM_OK)
		reply_page(r, &b, &pg);
	else
		req_fail_store(r, rc);
	proto_page_free(&b.page);
}

void route_catalogue(struct req *r)
{
	pull_catalogue(r);
	/* For the console's terminals page; a failure costs the pull nothing. */
	if (hqstore_terminal_seen(r->st, r->term, false, 0, req_header(r, "User-Agent")) != CM_OK)
		fprintf(stderr, "coopmart-hq: %s\n", hqstore_errmsg());
}

/* Members carry their dues standing and the page the schedule
 * (hqdues.c builds it: PROTOCOL.md "Members' dues"). */
void route_members(struct req *r)
{
	int64_t current;
	struct paging pg;
	char *json = NULL;
	enum cm_rc rc = hqstore_version(r->st, HQ_MEMBERS, &current);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	if (!read_paging(r, current, &pg) || not_modified(r, "mem", current, pg.first))
		return;
	rc = hqdues_members_page(r->st, r->term, pg.since, pg.upto, pg.after_v, pg.after_key,
	                         pg.limit, &json);
	if (rc == CM_OK)
		req_reply(r, 200, json);
	else
		req_fail_store(r, rc);
}

/* GET /v1/orders?since=V: the purchase orders of the token's store above
 * version V, oldest first, whole imports only (PROTOCOL.md). */
void route_orders(struct req *r)
{
	const char *arg = req_arg(r, "since");
	int64_t since = 0;
	if (arg && (!parse_int(arg, &since) || since < 0)) {
		req_fail(r, 400, "bad_request", -1, -1, "since must be a whole number of 0 or more");
		return;
	}
	struct proto_orders o;
	enum cm_rc rc = hqstore_orders_since(r->st, r->term->store, since, PROTO_MAX_ORDERS, &o);
	if (rc != CM_OK) {
		req_fail_store(r, rc);
		return;
	}
	req_reply(r, 200, proto_orders_encode(&o));
	proto_orders_free(&o);
}
