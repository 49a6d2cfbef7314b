/* proto.c: a page written straight into a buffer (proto_page_encode) is
 * byte for byte what printing the same page as a cJSON tree gives, for
 * catalogue and member pages with every kind of character a name may
 * hold (quotes, backslashes, control characters, UTF-8), and it decodes
 * back to the same page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "sync/proto.h"
#include "core/tax.h"

/* The page as the cJSON tree the encoder used to build. */
static char *tree_page(const struct proto_page *p)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "upto", (double)p->upto);
	if (p->members || !p->items) {
		cJSON *a = cJSON_AddArrayToObject(root, "members");
		for (size_t i = 0; i < p->nmembers; i++) {
			const struct proto_member *pm = &p->members[i];
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "number", pm->m.number);
			cJSON_AddStringToObject(o, "name", pm->m.name);
			cJSON_AddStringToObject(o, "card_code", pm->m.card_code);
			cJSON_AddStringToObject(o, "status", pm->m.status);
			cJSON_AddStringToObject(o, "type", pm->m.type);
			cJSON_AddNumberToObject(o, "join_date", pm->m.join_date);
			cJSON_AddNumberToObject(o, "left_date", pm->m.left_date);
			const struct member_standing *h = &pm->m.hq;
			cJSON_AddNumberToObject(o, "pokok_owed", (double)h->pokok_owed);
			cJSON_AddNumberToObject(o, "wajib_through", h->wajib_through);
			cJSON_AddNumberToObject(o, "wajib_paid_until", h->wajib_paid_until);
			cJSON_AddNumberToObject(o, "wajib_months", h->wajib_months);
			cJSON_AddNumberToObject(o, "wajib_arrears", (double)h->wajib_arrears);
			cJSON *ow = cJSON_AddArrayToObject(o, "wajib_owed");
			for (size_t k = 0; k < pm->nowed; k++) {
				cJSON *pair = cJSON_CreateArray();
				cJSON_AddItemToArray(pair, cJSON_CreateNumber(pm->owed[k].month));
				cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)pm->owed[k].amount));
				cJSON_AddItemToArray(ow, pair);
			}
			cJSON_AddNumberToObject(o, "sukarela", (double)h->sukarela);
			cJSON_AddNumberToObject(o, "credit_limit", (double)h->credit_limit);
			cJSON_AddNumberToObject(o, "credit_balance", (double)h->credit_balance);
			cJSON_AddNumberToObject(o, "version", (double)pm->version);
			cJSON_AddItemToArray(a, o);
		}
	}
	if (p->items) {
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
	}
	cJSON *del = cJSON_AddArrayToObject(root, "deleted");
	for (size_t i = 0; i < p->ndeleted; i++)
		cJSON_AddItemToArray(del, cJSON_CreateString(p->deleted[i]));
	if (p->next[0])
		cJSON_AddStringToObject(root, "next", p->next);
	else
		cJSON_AddNullToObject(root, "next");
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

static const char *const names[] = {
	"Indomie Goreng 85 g",
	"Sabun \"Lifebuoy\", 75 g",
	"back\\slash / slash",
	"tab\there\nnew line\rcr\bbs\fff",
	"ctl \x01\x02\x1f end",
	"Kopi Luwak Caf\xc3\xa9 \xe2\x82\xac",
	"",
};
#define NNAMES (sizeof names / sizeof names[0])

static void fill_items(struct proto_page *p, struct proto_item *it, size_t n)
{
	memset(it, 0, n * sizeof *it);
	for (size_t i = 0; i < n; i++) {
		struct item_rec *r = &it[i].item;
		snprintf(r->sku, sizeof r->sku, "S-%zu\"", i);
		snprintf(r->name, sizeof r->name, "%s", names[i % NNAMES]);
		snprintf(r->receipt_name, sizeof r->receipt_name, "%s", names[(i + 1) % NNAMES]);
		snprintf(r->unit, sizeof r->unit, "%s", i % 2 ? "kg" : "pcs");
		snprintf(r->category, sizeof r->category, "%s", names[(i + 2) % NNAMES]);
		r->weighed = i % 2;
		r->active = i % 3 != 0;
		r->price = 1000 * (int64_t)i + 500;
		r->member_price = (int64_t)i * 7;
		r->tax = (enum tax_class)(i % 3);
		r->plu = (int32_t)(i % 4 ? 0 : 100 + i);
		it[i].nbarcodes = i % 3;
		for (size_t k = 0; k < it[i].nbarcodes; k++)
			snprintf(it[i].barcodes[k], sizeof it[i].barcodes[k], "899%010u", (unsigned)(i * 10 + k));
		it[i].version = 123456789012LL + (int64_t)i;
	}
	p->items = it;
	p->nitems = n;
}

static void test_catalogue_page_is_what_cjson_prints(void **state)
{
	struct proto_item items[40];
	char deleted[3][32] = { "GONE-1", "GONE\"2", "" };
	struct proto_page p = { .upto = 9876543210LL, .deleted = deleted, .ndeleted = 3 };
	(void)state;
	fill_items(&p, items, 40);
	for (int last = 0; last < 2; last++) {
		snprintf(p.next, sizeof p.next, "%s", last ? "" : "S-39\"");
		char *direct = proto_page_encode(&p), *tree = tree_page(&p);
		assert_non_null(direct);
		assert_string_equal(direct, tree);
		struct proto_page back;
		char err[256] = "";
		assert_int_equal(proto_page_decode(direct, strlen(direct), &back, err, sizeof err), CM_OK);
		assert_int_equal(back.nitems, 40);
		assert_string_equal(back.items[3].item.name, names[3]);
		assert_string_equal(back.items[5].item.name, names[5]);
		assert_int_equal(back.items[39].version, 123456789012LL + 39);
		assert_int_equal(back.ndeleted, 3);
		assert_string_equal(back.next, p.next);
		proto_page_free(&back);
		free(direct);
		cJSON_free(tree);
	}
}

static void test_member_page_is_what_cjson_prints(void **state)
{
	struct proto_member m[NNAMES];
	struct proto_page p = { .upto = 5, .members = m, .nmembers = NNAMES };
	(void)state;
	memset(m, 0, sizeof m);
	for (size_t i = 0; i < NNAMES; i++) {
		snprintf(m[i].m.number, sizeof m[i].m.number, "A-%zu", i);
		snprintf(m[i].m.name, sizeof m[i].m.name, "%s", names[i]);
		snprintf(m[i].m.card_code, sizeof m[i].m.card_code, "%s", i % 2 ? "C\\1" : "");
		snprintf(m[i].m.status, sizeof m[i].m.status, "active");
		m[i].version = (int64_t)i;
		/* every other member with dues and credit figures */
		if (i % 2) {
			snprintf(m[i].m.type, sizeof m[i].m.type, "karyawan \"B\"");
			m[i].m.join_date = 20240115;
			m[i].m.hq = (struct member_standing){ .pokok_owed = 100000, .wajib_through = 202609,
			                                      .wajib_paid_until = 202610, .wajib_months = 2,
			                                      .wajib_arrears = 55000, .sukarela = 1234567,
			                                      .credit_limit = 2000000,
			                                      .credit_balance = -5000 };
			m[i].owed[0] = (struct dues_owed){ 202611, 25000 };
			m[i].owed[1] = (struct dues_owed){ 202612, 30000 };
			m[i].nowed = 2;
		}
	}
	char *direct = proto_page_encode(&p), *tree = tree_page(&p);
	assert_string_equal(direct, tree);
	free(direct);
	cJSON_free(tree);
	/* an empty page of neither kind is a member page, as before */
	struct proto_page empty = { .upto = 0 };
	direct = proto_page_encode(&empty);
	tree = tree_page(&empty);
	assert_string_equal(direct, tree);
	free(direct);
	cJSON_free(tree);
}

/* Items are decoded taking their fields in the order HQ writes them
 * (proto.c, struct dec); fields in another order, missing optional ones
 * and a key given twice decode as a search of each field finds them: the
 * same values, the first of a key given twice. */
static void test_item_fields_in_any_order(void **state)
{
	static const char page[] =
		"{\"upto\":3,\"items\":["
		"{\"sku\":\"A\",\"name\":\"Kopi\",\"receipt_name\":\"KOPI\",\"unit\":\"pcs\","
		"\"weighed\":false,\"price\":1500,\"member_price\":1400,\"tax_class\":\"standard\","
		"\"category\":\"Minuman\",\"supplier\":\"PT Kapal\",\"plu\":0,\"active\":true,"
		"\"barcodes\":[\"8991234567895\"],\"version\":3},"
		"{\"version\":2,\"price\":2500,\"active\":false,\"tax_class\":\"exempt\",\"name\":\"Beras\","
		"\"sku\":\"B\",\"barcodes\":[],\"price\":9999},"
		"{\"sku\":\"C\",\"name\":\"Gula\",\"price\":1,\"tax_class\":\"standard\",\"active\":true,"
		"\"version\":1,\"name\":\"Garam\",\"barcodes\":[\"1\",\"2\"],\"sku\":\"D\"}],"
		"\"deleted\":[],\"next\":null}";
	struct proto_page back;
	char err[256] = "";
	(void)state;
	assert_int_equal(proto_page_decode(page, strlen(page), &back, err, sizeof err), CM_OK);
	assert_int_equal(back.nitems, 3);
	assert_string_equal(back.items[0].item.sku, "A");
	assert_string_equal(back.items[0].item.receipt_name, "KOPI");
	assert_string_equal(back.items[0].item.supplier, "PT Kapal");
	assert_int_equal(back.items[0].item.member_price, 1400);
	assert_int_equal(back.items[0].nbarcodes, 1);
	assert_int_equal(back.items[0].version, 3);
	assert_string_equal(back.items[1].item.sku, "B");
	assert_string_equal(back.items[1].item.name, "Beras");
	assert_int_equal(back.items[1].item.price, 2500);
	assert_false(back.items[1].item.active);
	assert_int_equal(back.items[1].item.tax, TAX_EXEMPT);
	assert_int_equal(back.items[1].version, 2);
	assert_string_equal(back.items[2].item.sku, "C");
	assert_string_equal(back.items[2].item.name, "Gula");
	assert_int_equal(back.items[2].nbarcodes, 2);
	proto_page_free(&back);
}

/* With the pool on (proto_pool_init, as the agent runs) a page decodes
 * to the same page as without it, again and again (the chunks kept for
 * the next page), a page of 4,000 items needing several chunks; a
 * broken page in between is refused and leaves no trace; a tree built
 * outside a page's decoding is malloc'd and freed as before (ASan
 * checks every free). Last: the hooks stay for the process. */
static void test_pages_decode_alike_in_the_pool(void **state)
{
	enum { N = 4000 };
	struct proto_item *items = calloc(N, sizeof *items);
	struct proto_page p = { .upto = 77 };
	struct proto_page plain, back;
	char err[256] = "";
	(void)state;
	assert_non_null(items);
	fill_items(&p, items, N);
	snprintf(p.next, sizeof p.next, "%s", "S-3999");
	char *json = proto_page_encode(&p);
	assert_non_null(json);
	size_t len = strlen(json);
	assert_true(len > 1024 * 1024);
	assert_int_equal(proto_page_decode(json, len, &plain, err, sizeof err), CM_OK);
	proto_pool_init();
	for (int round = 0; round < 3; round++) {
		memset(&back, 0xa5, sizeof back);
		assert_int_equal(proto_page_decode(json, len, &back, err, sizeof err), CM_OK);
		assert_int_equal(back.nitems, N);
		assert_int_equal(back.upto, 77);
		assert_string_equal(back.next, "S-3999");
		assert_memory_equal(back.items, plain.items, N * sizeof *back.items);
		proto_page_free(&back);
		/* broken in the middle of an item: refused, nothing kept */
		assert_int_equal(proto_page_decode(json, len / 2, &back, err, sizeof err), CM_INVALID);
		assert_null(back.items);
		cJSON *o = cJSON_CreateObject();
		assert_non_null(cJSON_AddStringToObject(o, "outside", "a page"));
		char *text = cJSON_PrintUnformatted(o);
		assert_string_equal(text, "{\"outside\":\"a page\"}");
		cJSON_free(text);
		cJSON_Delete(o);
	}
	proto_page_free(&plain);
	free(json);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_page_is_what_cjson_prints),
		cmocka_unit_test(test_member_page_is_what_cjson_prints),
		cmocka_unit_test(test_item_fields_in_any_order),
		cmocka_unit_test(test_pages_decode_alike_in_the_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
