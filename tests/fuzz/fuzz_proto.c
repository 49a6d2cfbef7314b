/* libFuzzer target: the sync protocol's decoders (sync/proto.h: push,
 * pages, ack, error, terminal, purchase orders) over any bytes. What
 * decodes is encoded again and must decode to the same record; everything
 * is freed (leaks fail under ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void push_roundtrip(const struct proto_push *p)
{
	struct proto_push q;
	char err[256];
	char *text = proto_push_encode(p);
	if (!text)
		return;
	if (proto_push_decode(text, strlen(text), &q, err, sizeof err) != CM_OK)
		abort();
	if (q.nevents != p->nevents || strcmp(q.store, p->store) || strcmp(q.terminal, p->terminal) ||
	    q.local_head != p->local_head)
		abort();
	for (size_t i = 0; i < q.nevents; i++)
		if (q.events[i].seq != p->events[i].seq || strcmp(q.events[i].hash, p->events[i].hash) ||
		    strcmp(q.events[i].payload, p->events[i].payload) ||
		    strcmp(q.events[i].sig, p->events[i].sig))
			abort();
	proto_push_free(&q);
	free(text);
}

static void page_roundtrip(const struct proto_page *p)
{
	struct proto_page q;
	char err[256];
	char *text = proto_page_encode(p);
	if (!text)
		return;
	if (proto_page_decode(text, strlen(text), &q, err, sizeof err) != CM_OK)
		abort();
	if (q.upto != p->upto || q.nitems != p->nitems || q.nmembers != p->nmembers ||
	    q.ndeleted != p->ndeleted || strcmp(q.next, p->next))
		abort();
	for (size_t i = 0; i < q.nitems; i++)
		if (strcmp(q.items[i].item.sku, p->items[i].item.sku) ||
		    q.items[i].item.price != p->items[i].item.price ||
		    q.items[i].nbarcodes != p->items[i].nbarcodes)
			abort();
	proto_page_free(&q);
	free(text);
}

static void ack_roundtrip(const struct proto_ack *a)
{
	struct proto_ack b;
	char err[256];
	char *text = proto_ack_encode(a);
	if (!text)
		return;
	if (proto_ack_decode(text, strlen(text), &b, err, sizeof err) != CM_OK ||
	    b.acked_seq != a->acked_seq || strcmp(b.head_hash, a->head_hash))
		abort();
	free(text);
}

static void error_roundtrip(const struct proto_error *e)
{
	struct proto_error f;
	char err[256];
	char *text = proto_error_encode(e);
	if (!text)
		return;
	if (proto_error_decode(text, strlen(text), &f, err, sizeof err) != CM_OK ||
	    strcmp(f.code, e->code) || f.seq != e->seq || f.acked_seq != e->acked_seq)
		abort();
	free(text);
}

static void terminal_roundtrip(const struct proto_terminal *t)
{
	struct proto_terminal u;
	char err[256];
	char *text = proto_terminal_encode(t);
	if (!text)
		return;
	if (proto_terminal_decode(text, strlen(text), &u, err, sizeof err) != CM_OK ||
	    u.acked_seq != t->acked_seq || strcmp(u.store, t->store) ||
	    u.catalogue_version != t->catalogue_version)
		abort();
	free(text);
}

static void orders_roundtrip(const struct proto_orders *o)
{
	struct proto_orders q;
	char err[256];
	char *text = proto_orders_encode(o);
	if (!text)
		return;
	if (proto_orders_decode(text, strlen(text), &q, err, sizeof err) != CM_OK ||
	    q.upto != o->upto || q.more != o->more || q.norders != o->norders)
		abort();
	for (size_t i = 0; i < q.norders; i++) {
		if (strcmp(q.orders[i].po, o->orders[i].po) || q.orders[i].date != o->orders[i].date ||
		    q.orders[i].nlines != o->orders[i].nlines)
			abort();
		for (size_t j = 0; j < q.orders[i].nlines; j++)
			if (strcmp(q.orders[i].lines[j].sku, o->orders[i].lines[j].sku) ||
			    q.orders[i].lines[j].qty != o->orders[i].lines[j].qty ||
			    q.orders[i].lines[j].cost != o->orders[i].lines[j].cost)
				abort();
	}
	proto_orders_free(&q);
	free(text);
}

static void shop_line_same(const struct proto_shop_line *a, const struct proto_shop_line *b)
{
	if (a->line != b->line || strcmp(a->sku, b->sku) || strcmp(a->name, b->name) ||
	    a->qty != b->qty || a->price != b->price || strcmp(a->pick_status, b->pick_status) ||
	    (a->pick_status[0] && a->picked_qty != b->picked_qty) || strcmp(a->sub_sku, b->sub_sku))
		abort();
}

static void shop_roundtrip(const struct proto_shop_orders *o)
{
	struct proto_shop_orders q;
	char err[256];
	char *text = proto_shop_orders_encode(o);
	if (!text)
		return;
	if (proto_shop_orders_decode(text, strlen(text), &q, err, sizeof err) != CM_OK ||
	    q.upto != o->upto || q.more != o->more || q.norders != o->norders)
		abort();
	for (size_t i = 0; i < q.norders; i++) {
		const struct proto_shop_order *a = &q.orders[i], *b = &o->orders[i];
		if (strcmp(a->id, b->id) || strcmp(a->status, b->status) || a->version != b->version ||
		    a->total != b->total || a->has_picked != b->has_picked ||
		    (a->has_picked && a->picked_total != b->picked_total) || a->nlines != b->nlines)
			abort();
		for (size_t j = 0; j < a->nlines; j++)
			shop_line_same(&a->lines[j], &b->lines[j]);
	}
	proto_shop_orders_free(&q);
	free(text);
}

static void report_roundtrip(const struct proto_report *r)
{
	struct proto_report u;
	char err[256];
	char *text = proto_report_encode(r);
	if (!text)
		return;
	if (proto_report_decode(text, strlen(text), &u, err, sizeof err) != CM_OK ||
	    u.seq != r->seq || strcmp(u.kind, r->kind) || strcmp(u.detail, r->detail) ||
	    strcmp(u.terminal, r->terminal))
		abort();
	free(text);
}

/* A decoder's message must be a terminated string whether it fails or not. */
static void check_err(const char *err, size_t n)
{
	if (!memchr(err, '\0', n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	char err[256];
	struct proto_push push;
	struct proto_page page;
	struct proto_ack ack;
	struct proto_error e;
	struct proto_terminal t;
	struct proto_orders orders;
	struct proto_report report;
	struct proto_shop_orders shop;

	memset(err, 'x', sizeof err);
	err[sizeof err - 1] = '\0';
	if (proto_push_decode(json, size, &push, err, sizeof err) == CM_OK) {
		push_roundtrip(&push);
		proto_push_free(&push);
	}
	check_err(err, sizeof err);
	if (proto_page_decode(json, size, &page, err, sizeof err) == CM_OK) {
		page_roundtrip(&page);
		proto_page_free(&page);
	}
	check_err(err, sizeof err);
	if (proto_ack_decode(json, size, &ack, err, sizeof err) == CM_OK)
		ack_roundtrip(&ack);
	if (proto_error_decode(json, size, &e, err, sizeof err) == CM_OK)
		error_roundtrip(&e);
	if (proto_terminal_decode(json, size, &t, err, sizeof err) == CM_OK)
		terminal_roundtrip(&t);
	check_err(err, sizeof err);
	if (proto_orders_decode(json, size, &orders, err, sizeof err) == CM_OK) {
		orders_roundtrip(&orders);
		proto_orders_free(&orders);
	}
	check_err(err, sizeof err);
	if (proto_report_decode(json, size, &report, err, sizeof err) == CM_OK)
		report_roundtrip(&report);
	check_err(err, sizeof err);
	if (proto_shop_orders_decode(json, size, &shop, err, sizeof err) == CM_OK) {
		shop_roundtrip(&shop);
		proto_shop_orders_free(&shop);
	}
	check_err(err, sizeof err);
	return 0;
}
