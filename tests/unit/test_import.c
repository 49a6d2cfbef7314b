/* Catalogue import from CSV (engine/import.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"

/* Each test starts with the admin logged in. */
static int setup(void **state)
{
	struct fx *f = fx_new("import");
	fx_login(f, "100");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static enum cm_rc import(struct fx *f, const char *csv, bool skip_bad, struct import_report *rep)
{
	return import_items(f->t, csv, strlen(csv), skip_bad, rep);
}

static const char good_csv[] =
	"sku,name,price,barcodes,tax_class,member_price,weighed,plu,category\n"
	"KOP-001,Kopi Kapal Api 165g,\"12.500\",8991000000089,S,12000,0,,Minuman\n"
	"GAR-001,Garam Dapur 250g,3000,8991000000096|8991000000102,E,,0,,Sembako\n"
	"TOM-KG,Tomat,15000,,E,,1,789,Segar\n"
	"IND-001,Indomie Goreng,3600,8998866200578,S,3300,0,,Sembako\n";

static void test_import_good(void **state)
{
	struct fx *f = *state;
	int64_t count = store_item_count(f->st);
	struct import_report rep;
	enum cm_rc rc = import(f, good_csv, false, &rep);
	if (rc != CM_OK)
		fail_msg("import: %s (%s)", cm_rc_name(rc), till_errmsg(f->t));
	assert_int_equal(rep.rows, 4);
	assert_int_equal(rep.created, 3);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.skipped, 0);
	assert_int_equal(rep.nerrors, 0);
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count + 3);
	struct item_rec it;
	cm_qty pack;
	assert_int_equal(store_item_by_barcode(f->st, "8991000000102", &it, &pack), CM_OK);
	assert_string_equal(it.sku, "GAR-001");
	assert_int_equal(it.price, 3000);
	assert_int_equal(it.tax, TAX_EXEMPT);
	assert_int_equal(store_item_by_sku(f->st, "KOP-001", &it), CM_OK);
	assert_int_equal(it.price, 12500);
	assert_int_equal(it.member_price, 12000);
	assert_string_equal(it.category, "Minuman");
	assert_int_equal(store_item_by_plu(f->st, 789, &it), CM_OK);
	assert_string_equal(it.sku, "TOM-KG");
	assert_true(it.weighed);
	assert_int_equal(store_item_by_sku(f->st, FX_MIE, &it), CM_OK);
	assert_int_equal(it.price, 3600);
	assert_int_equal(it.member_price, 3300);
	/* Journaled with the counts and the file's hash. */
	assert_int_equal(fx_count_type(f, "catalogue_import"), 1);
	char *p = fx_last_payload(f, "catalogue_import");
	assert_non_null(strstr(p, "\"rows\":4"));
	assert_non_null(strstr(p, "\"created\":3"));
	assert_non_null(strstr(p, "\"updated\":1"));
	assert_non_null(strstr(p, "\"file_blake2b\":\""));
	free(p);
	/* Searchable and sellable at once. */
	struct item_rec v[4];
	size_t n;
	assert_int_equal(store_item_search(f->st, "kopi kap", v, 4, &n), CM_OK);
	assert_int_equal(n, 1);
	struct sale *s;
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, "8991000000089", 0), CM_OK);
	assert_int_equal(sale_totals(s)->total, 12500);
	assert_int_equal(sale_cancel(s, NULL), CM_OK);
	sale_free(s);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

static const char bad_csv[] =
	"sku,name,price,barcodes\n"
	"AAA-001,Satu,1000,8991000000089\n"
	"AAA-002,Dua,abc,\n"
	"AAA-003,Tiga,3000,\n"
	"AAA-004,Empat,4000,8991000000097\n"
	"AAA-005,Lima,5000,\n";

static void test_import_bad_rows_all_or_nothing(void **state)
{
	struct fx *f = *state;
	int64_t count = store_item_count(f->st);
	int64_t head = fx_head_seq(f);
	struct import_report rep;
	assert_int_equal(import(f, bad_csv, false, &rep), CM_INVALID);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 3);
	assert_int_equal(rep.errors[1].line, 5);
	assert_non_null(strstr(rep.errors[0].msg, "line 3"));
	assert_non_null(strstr(rep.errors[1].msg, "line 5"));
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.updated, 0);
	assert_non_null(strstr(till_errmsg(f->t), "2"));
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count);
	struct item_rec it;
	assert_int_equal(store_item_by_sku(f->st, "AAA-001", &it), CM_NOTFOUND);
	assert_int_equal(fx_head_seq(f), head);
}

static void test_import_skip_bad(void **state)
{
	struct fx *f = *state;
	int64_t count = store_item_count(f->st);
	struct import_report rep;
	assert_int_equal(import(f, bad_csv, true, &rep), CM_OK);
	assert_int_equal(rep.rows, 5);
	assert_int_equal(rep.created, 3);
	assert_int_equal(rep.skipped, 2);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 3);
	assert_int_equal(rep.errors[1].line, 5);
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count + 3);
	struct item_rec it;
	assert_int_equal(store_item_by_sku(f->st, "AAA-001", &it), CM_OK);
	assert_int_equal(store_item_by_sku(f->st, "AAA-002", &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_sku(f->st, "AAA-004", &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_sku(f->st, "AAA-005", &it), CM_OK);
	char *p = fx_last_payload(f, "catalogue_import");
	assert_non_null(strstr(p, "\"skipped\":2"));
	free(p);
}

static void test_import_barcode_of_another_sku(void **state)
{
	struct fx *f = *state;
	int64_t count = store_item_count(f->st);
	const char csv[] =
		"sku,name,price,barcodes,weighed,plu\n"
		"NEW-001,Mie Baru,3000,8991000000089,0,\n"
		"NEW-002,Mie Curian,3000," FX_MIE_EAN ",0,\n"
		"NEW-003,Melon,20000,,1,123\n";
	struct import_report rep;
	assert_int_equal(import(f, csv, false, &rep), CM_INVALID);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 3);
	assert_non_null(strstr(rep.errors[0].msg, FX_MIE));
	assert_int_equal(rep.errors[1].line, 4);
	assert_non_null(strstr(rep.errors[1].msg, FX_APEL));
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count);
	char owner[32];
	assert_int_equal(store_barcode_owner(f->st, FX_MIE_EAN, owner, sizeof owner), CM_OK);
	assert_string_equal(owner, FX_MIE);
	/* The owner itself may keep (re-import) its own barcode. */
	const char own[] = "sku,name,price,barcodes\nIND-001,Indomie Goreng,3700," FX_MIE_EAN "\n";
	assert_int_equal(import(f, own, false, &rep), CM_OK);
	assert_int_equal(rep.updated, 1);
	import_report_free(&rep);
}

static void test_import_errors_in_file_order(void **state)
{
	struct fx *f = *state;
	/* A clash with the database on line 2, a bad row on line 3. */
	const char csv[] =
		"sku,name,price,barcodes\n"
		"NEW-001,Mie Curian,3000," FX_MIE_EAN "\n"
		"NEW-002,Rusak,-5,\n"
		"NEW-003,Baik,1000,\n";
	struct import_report rep;
	assert_int_equal(import(f, csv, true, &rep), CM_OK);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 2);
	assert_int_equal(rep.errors[1].line, 3);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.skipped, 2);
	import_report_free(&rep);
}

static void test_reimport_updates(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	assert_int_equal(import(f, good_csv, false, &rep), CM_OK);
	import_report_free(&rep);
	int64_t count = store_item_count(f->st);
	const char csv2[] =
		"sku,name,price,barcodes,tax_class,weighed,plu\n"
		"KOP-001,Kopi Kapal Api 165g,13000,8991000000089,S,0,\n"
		"GAR-001,Garam Dapur 250g,3200,8991000000096,E,0,\n"
		"TOM-KG,Tomat,16000,,E,1,789\n";
	assert_int_equal(import(f, csv2, false, &rep), CM_OK);
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.updated, 3);
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count);
	struct item_rec it;
	assert_int_equal(store_item_by_sku(f->st, "KOP-001", &it), CM_OK);
	assert_int_equal(it.price, 13000);
	assert_int_equal(it.member_price, 0); /* column absent: same as price */
	assert_int_equal(store_item_by_sku(f->st, "TOM-KG", &it), CM_OK);
	assert_int_equal(it.price, 16000);
	/* A barcode dropped from the file is dropped from the item. */
	assert_int_equal(store_item_by_barcode(f->st, "8991000000102", &it, NULL), CM_NOTFOUND);
	assert_int_equal(fx_count_type(f, "catalogue_import"), 2);
	char *p = fx_last_payload(f, "catalogue_import");
	assert_non_null(strstr(p, "\"updated\":3"));
	free(p);
	struct journal_check c;
	assert_int_equal(journal_verify(f->st, &c), CM_OK);
}

static void test_import_not_a_catalogue(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *files[] = {
		"",
		"sku,name\nA,B\n",                /* no price column */
		"sku,name,price,colour\nA,B,1,red\n", /* unknown column */
		"sku,name,price\n\"A,B,1\n",       /* unterminated quote */
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		enum cm_rc rc = import(f, files[i], true, &rep);
		if (rc != CM_INVALID)
			fail_msg("file %zu: %s", i, cm_rc_name(rc));
		assert_true(rep.nerrors >= 1);
		assert_true(strlen(till_errmsg(f->t)) > 0);
		import_report_free(&rep);
	}
	assert_int_equal(fx_count_type(f, "catalogue_import"), 0);
	/* A header alone imports nothing, successfully. */
	assert_int_equal(import(f, "sku,name,price\n", false, &rep), CM_OK);
	assert_int_equal(rep.rows, 0);
	assert_int_equal(rep.created, 0);
	import_report_free(&rep);
}

static void test_import_needs_admin(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	int64_t count = store_item_count(f->st);
	assert_int_equal(auth_logout(f->t), CM_OK);
	assert_int_equal(import(f, good_csv, false, &rep), CM_STATE);
	import_report_free(&rep);
	fx_login(f, "300");
	assert_int_equal(import(f, good_csv, false, &rep), CM_DENIED);
	import_report_free(&rep);
	assert_int_equal(auth_logout(f->t), CM_OK);
	fx_login(f, "200");
	assert_int_equal(import(f, good_csv, true, &rep), CM_DENIED);
	import_report_free(&rep);
	assert_int_equal(store_item_count(f->st), count);
	assert_int_equal(fx_count_type(f, "catalogue_import"), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_import_good),
		T(test_import_bad_rows_all_or_nothing),
		T(test_import_skip_bad),
		T(test_import_barcode_of_another_sku),
		T(test_import_errors_in_file_order),
		T(test_reimport_updates),
		T(test_import_not_a_catalogue),
		T(test_import_needs_admin),
	};
#undef T
	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
