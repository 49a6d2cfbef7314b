/* Benchmark: HQ's rendering of one catalogue page of 1,000 items (the
 * answer a pull asks for a thousand times at 1,000,000 items): the JSON
 * written straight into a buffer (proto_page_encode) and gzipped at the
 * fastest level, as HQ does now, next to the way it did before: the page
 * built as a cJSON tree, printed, gzipped at zlib's default level. Items
 * from bench_item_make (realistic names, EAN-13).
 *
 *   bench_page [--count N]      (200 pages) */
#include "benchutil.h"

#include "sync/proto.h"
#include "core/tax.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ITEMS 1000

static char *tree_page(const struct proto_page *p)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "upto", (double)p->upto);
	cJSON *a = cJSON_AddArrayToObject(root, "items");
	for (size_t i = 0; i < p->nitems; i++) {
		const struct proto_item *pi = &p->items[i];
		const struct item_rec *it = &pi->item;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "sku", it->sku);
		cJSON_AddStringToObject(o, "name", it->name);
		cJSON_AddStringToObject(o, "receipt_name", it->receipt_name);
		cJSON_AddStringToObject(o, "unit", it->unit);
		cJSON_AddBoolToObject(o, "weighed", it->weighed);
		cJSON_AddNumberToObject(o, "price", (double)it->price);
		cJSON_AddNumberToObject(o, "member_price", (double)it->member_price);
		cJSON_AddStringToObject(o, "tax_class", tax_class_name(it->tax));
		cJSON_AddStringToObject(o, "category", it->category);
		cJSON_AddStringToObject(o, "supplier", it->supplier);
		cJSON_AddNumberToObject(o, "plu", (double)it->plu);
		cJSON_AddBoolToObject(o, "active", it->active);
		cJSON *b = cJSON_AddArrayToObject(o, "barcodes");
		for (size_t k = 0; k < pi->nbarcodes; k++)
			cJSON_AddItemToArray(b, cJSON_CreateString(pi->barcodes[k]));
		cJSON_AddNumberToObject(o, "version", (double)pi->version);
		cJSON_AddItemToArray(a, o);
	}
	cJSON_AddArrayToObject(root, "deleted");
	cJSON_AddStringToObject(root, "next", p->next);
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

static size_t gzip_len(const char *in, int level)
{
	z_stream z = { 0 };
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	size_t cap = deflateBound(&z, (uLong)strlen(in));
	unsigned char *out = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)strlen(in);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	size_t n = z.total_out;
	deflateEnd(&z);
	free(out);
	return n;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int ex;
	if (!bench_parse_args(argc, argv, "bench_page", 200, 20, &o, &ex))
		return ex;
	bench_print_header("HQ catalogue page rendering (1,000 items)", &o);
	struct proto_item *items = calloc(ITEMS, sizeof *items);
	if (!items)
		return 1;
	for (long i = 0; i < ITEMS; i++) {
		bench_item_make(i, &items[i].item, items[i].barcodes, &items[i].nbarcodes);
		items[i].version = 2;
	}
	struct proto_page p = { .upto = 2, .items = items, .nitems = ITEMS };
	snprintf(p.next, sizeof p.next, "%s", items[ITEMS - 1].item.sku);
	int64_t *now = calloc((size_t)o.count, sizeof *now), *before = calloc((size_t)o.count, sizeof *before);
	size_t zn = 0, zb = 0, plain = 0;
	for (long k = 0; k < o.count; k++) {
		int64_t t0 = bench_now_ns();
		char *s = proto_page_encode(&p);
		zn = gzip_len(s, Z_BEST_SPEED);
		int64_t t1 = bench_now_ns();
		char *t = tree_page(&p);
		zb = gzip_len(t, Z_DEFAULT_COMPRESSION);
		int64_t t2 = bench_now_ns();
		plain = strlen(s);
		now[k] = t1 - t0;
		before[k] = t2 - t1;
		free(s);
		cJSON_free(t);
	}
	struct bench_stats a, b;
	bench_percentiles(now, (size_t)o.count, &a);
	bench_percentiles(before, (size_t)o.count, &b);
	printf("page: %zu bytes of JSON\n", plain);
	printf("now (direct JSON, gzip level 1):      p50 %.2f ms  p99 %.2f ms  %zu bytes gzipped\n",
	       a.p50, a.p99, zn);
	printf("before (cJSON tree, gzip default 6):  p50 %.2f ms  p99 %.2f ms  %zu bytes gzipped\n",
	       b.p50, b.p99, zb);
	printf("speed-up at p50: %.2fx\n", b.p50 / a.p50);
	bench_print_footer();
	free(now);
	free(before);
	free(items);
	return 0;
}
