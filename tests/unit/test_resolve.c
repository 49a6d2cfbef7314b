/* The one code resolver (engine/resolve.h): the same code finds the same
 * item in the sale, the stock count, returns, receiving and adjustments;
 * typed PLUs, EAN-8 under its 13-digit key, carton GTIN-14s with their
 * pack, scale labels where they are taken, and member cards, blocked ones
 * named as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "engine/adjust.h"
#include "engine/count.h"
#include "engine/receiving.h"
#include "engine/resolve.h"
#include "engine/returns.h"

#define ROTI      "ROT-001"        /* Roti Tawar 15.000, PLU 101, EAN-8 */
#define ROTI_EAN8 "40123455"
#define ROTI_KEY  "0000040123455"
#define MIE_CARTON "18998866200575" /* ITF-14 carton of 40 Indomie */

static int setup(void **state)
{
	struct fx *f = fx_new("resolve");
	fx_close(f);
	/* Stored as the catalogue stores it: under the key. */
	assert_int_equal(fx_sql(f->path,
		"INSERT INTO suppliers(id, name) VALUES (1, 'PT Indofood');"
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, plu, active, updated_at) "
		"  VALUES ('" ROTI "', 'Roti Tawar', 'Roti Tawar', 'pcs', 0, 15000, 0, 1, 101, 1, 0);"
		"INSERT INTO barcodes(code, item_id, pack_qty) "
		"  SELECT '" ROTI_KEY "', id, 1000 FROM items WHERE sku = '" ROTI "';"
		"INSERT INTO barcodes(code, item_id, pack_qty) "
		"  SELECT '" MIE_CARTON "', id, 40000 FROM items WHERE sku = '" FX_MIE "';"),
		SQLITE_OK);
	fx_open(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void test_check_digits_independent(void **state)
{
	(void)state;
	/* computed by hand: 4*3+0+1*3+2+3*3+4+5*3 = 45 -> 5; and the carton
	 * 1899886620057 -> 5 (the EAN-13 8998866200578 behind an indicator 1) */
	assert_int_equal(barcode_check_digit(ROTI_EAN8, 7), 5);
	assert_int_equal(barcode_check_digit(MIE_CARTON, 13), 5);
}

/* Every spelling of a GTIN finds the item; the typed PLU and SKU too. */
static void test_resolve_forms(void **state)
{
	struct fx *f = *state;
	struct resolved r;
	static const char *const roti[] = { ROTI_EAN8, ROTI_KEY, "00000040123455", "101", ROTI };
	fx_login(f, "200");
	for (size_t i = 0; i < sizeof roti / sizeof roti[0]; i++) {
		if (resolve_code(f->t, roti[i], 0, &r) != CM_OK)
			fail_msg("%s: %s", roti[i], till_errmsg(f->t));
		assert_int_equal(r.kind, RESOLVED_ITEM);
		assert_string_equal(r.item.sku, ROTI);
		assert_int_equal(r.pack, CM_QTY_ONE);
	}
	assert_int_equal(resolve_code(f->t, "101", 0, &r), CM_OK);
	assert_int_equal(r.via, VIA_PLU);
	assert_int_equal(resolve_code(f->t, ROTI_EAN8, 0, &r), CM_OK);
	assert_int_equal(r.via, VIA_GTIN);
	assert_string_equal(r.bc.code, ROTI_KEY);

	assert_int_equal(resolve_code(f->t, MIE_CARTON, 0, &r), CM_OK);
	assert_string_equal(r.item.sku, FX_MIE);
	assert_int_equal(r.pack, 40000);
	/* a carton code with a wrong check digit is a misread, not text */
	assert_int_equal(resolve_code(f->t, "18998866200576", 0, &r), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "misread"));
	assert_int_equal(resolve_code(f->t, "999", 0, &r), CM_NOTFOUND);
	assert_int_equal(resolve_code(f->t, "", 0, &r), CM_INVALID);
}

/* The typed PLU "101" and the EAN-8 find Roti in each of the five flows. */
static void test_every_flow_finds_plu_and_ean8(void **state)
{
	struct fx *f = *state;
	fx_login(f, "200");
	const char *codes[] = { "101", ROTI_EAN8 };
	for (size_t k = 0; k < 2; k++) {
		const char *code = codes[k];
		struct sale *s;
		assert_int_equal(sale_open(f->t, &s), CM_OK);
		if (sale_scan(s, code, 0) != CM_OK)
			fail_msg("sale %s: %s", code, sale_errmsg(s));
		assert_string_equal(sale_line(s, 0)->sku, ROTI);
		assert_int_equal(sale_cancel(s, NULL), CM_OK);
		sale_free(s);

		int64_t id;
		struct item_rec it;
		cm_qty so_far;
		bool counted;
		assert_int_equal(count_start(f->t, SCOPE_ALL, "", &id), CM_OK);
		if (count_find(f->t, id, code, &it, &so_far, &counted) != CM_OK)
			fail_msg("count %s: %s", code, till_errmsg(f->t));
		assert_string_equal(it.sku, ROTI);
		assert_int_equal(count_abandon(f->t, id), CM_OK);

		struct ret *r;
		assert_int_equal(return_open_no_receipt(f->t, &r), CM_OK);
		if (return_add_item(r, code, CM_QTY_ONE) != CM_OK)
			fail_msg("return %s: %s", code, return_errmsg(r));
		assert_int_equal(return_item(r, 0)->item_id, fx_item_id(f, ROTI));
		return_free(r);

		assert_int_equal(receive_start(f->t, "PT Indofood", NULL, "", &id), CM_OK);
		if (receive_add(f->t, id, code, 2 * CM_QTY_ONE, 9000) != CM_OK)
			fail_msg("receive %s: %s", code, till_errmsg(f->t));
		struct delivery d;
		assert_int_equal(receive_load(f->t, id, &d), CM_OK);
		assert_string_equal(d.lines[0].sku, ROTI);
		receive_free(&d);

		if (adjust_stock(f->t, code, CM_QTY_ONE, ADJ_FOUND, NULL) != CM_OK)
			fail_msg("adjust %s: %s", code, till_errmsg(f->t));
	}
}

/* The ITF-14 of a carton receives its 40 pieces. */
static void test_carton_receives_pack(void **state)
{
	struct fx *f = *state;
	int64_t id;
	struct delivery d;
	fx_login(f, "200");
	assert_int_equal(receive_start(f->t, "PT Indofood", NULL, "", &id), CM_OK);
	assert_int_equal(receive_add(f->t, id, MIE_CARTON, 2 * CM_QTY_ONE, 120000), CM_OK);
	assert_int_equal(receive_load(f->t, id, &d), CM_OK);
	assert_int_equal(d.nlines, 1);
	assert_string_equal(d.lines[0].sku, FX_MIE);
	assert_int_equal(d.lines[0].qty, 80 * CM_QTY_ONE);
	assert_string_equal(d.lines[0].barcode, MIE_CARTON);
	receive_free(&d);
}

/* A blocked member's card says so in every flow, never "unknown code". */
static void test_blocked_member_card(void **state)
{
	struct fx *f = *state;
	struct resolved r;
	struct sale *s;
	fx_login(f, "300");
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, "MC0002", 0), CM_INVALID);
	assert_non_null(strstr(sale_errmsg(s), "blocked"));
	assert_null(strstr(sale_errmsg(s), "unknown"));
	assert_null(sale_member(s));
	assert_false(sale_scan_was_member(s));

	assert_int_equal(sale_scan(s, "MC0001", 0), CM_OK);
	assert_true(sale_scan_was_member(s));
	assert_string_equal(sale_member(s)->number, "M001");
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 0), CM_OK);
	assert_false(sale_scan_was_member(s));
	assert_int_equal(sale_line(s, 0)->unit_price, 3200); /* member price */
	sale_free(s);

	assert_int_equal(resolve_code(f->t, "MC0002", 0, &r), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "blocked"));
	/* an active card where only items are taken: named, not unknown */
	assert_int_equal(resolve_code(f->t, "MC0001", 0, &r), CM_INVALID);
	assert_non_null(strstr(till_errmsg(f->t), "M001"));
	assert_int_equal(resolve_code(f->t, "MC0001", RESOLVE_MEMBERS, &r), CM_OK);
	assert_int_equal(r.kind, RESOLVED_MEMBER);
}

/* Labels: the sale and the count take them; returns, receiving and
 * adjustments refuse them; a label whose verifier is wrong is misread. */
static void test_scale_labels(void **state)
{
	struct fx *f = *state;
	struct resolved r;
	char label[14];
	fx_login(f, "100");
	assert_int_equal(till_scale_format_set(f->t, "21", "PPIIIIVRRRRRC"), CM_OK);
	struct scale_format fmt = { "21", "PPIIIIVRRRRRC" };
	assert_int_equal(scale_format_make(&fmt, FX_DAGING_PLU, 55052, label), CM_OK);
	assert_int_equal(resolve_code(f->t, label, RESOLVE_LABELS, &r), CM_OK);
	assert_int_equal(r.kind, RESOLVED_LABEL);
	assert_string_equal(r.item.sku, FX_DAGING);
	assert_int_equal(r.bc.price, 55052);
	assert_int_equal(resolve_code(f->t, label, 0, &r), CM_INVALID);
	assert_int_equal(adjust_stock(f->t, label, CM_QTY_ONE, ADJ_FOUND, NULL), CM_INVALID);

	/* 55052 read as 50552: the EAN check digit still holds, the verifier not */
	char misread[14];
	memcpy(misread, label, sizeof misread);
	misread[8] = label[9];
	misread[9] = label[8];
	assert_int_equal(barcode_check_digit(misread, 12), misread[12] - '0');
	struct sale *s;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, misread, 0), CM_INVALID);
	assert_non_null(strstr(sale_errmsg(s), "misread"));
	assert_int_equal(sale_line_count(s), 0);
	assert_int_equal(sale_scan(s, label, 0), CM_OK);
	assert_int_equal(sale_line(s, 0)->fixed_amount, 55052);
	sale_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_digits_independent),
		cmocka_unit_test_setup_teardown(test_resolve_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_flow_finds_plu_and_ean8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_carton_receives_pack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocked_member_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scale_labels, setup, teardown),
	};
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
