/* itemcsv.c: catalogue files as a store manager writes them, and the
 * messages the manager gets back for each kind of mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/itemcsv.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum cm_rc parse(const char *text, struct itemcsv_result *r)
{
	return itemcsv_parse(text, strlen(text), r);
}

static void test_good_file(void **state)
{
	static const char file[] =
		"sku,name,price,barcodes,receipt_name,unit,weighed,member_price,"
		"tax_class,category,supplier,plu,active\n"
		"BRS5,Beras Pandan Wangi 5 kg,\"Rp 72.500\",8992761111113,"
		"BERAS PW 5KG,sak,0,70000,exempt,Sembako,PT Sumber Padi,,1\n"
		"TLR,Telur ayam negeri,28.000,,,,ya,,E,Sembako,,42,\n"
		"KOPI,Kopi bubuk 200 g,\"Rp12.500\",\"036000291452 | 96385074\","
		",,tidak,12.500,S,,,,no\n"
		"PRF,Parfum,1.250.000,4006381333931,,btl,n,,luxury,,,,y\n";
	struct itemcsv_result r;
	const struct itemcsv_row *row;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nrows, 4);

	row = &r.rows[0];
	assert_int_equal(row->line, 2);
	assert_string_equal(row->item.sku, "BRS5");
	assert_string_equal(row->item.name, "Beras Pandan Wangi 5 kg");
	assert_string_equal(row->item.receipt_name, "BERAS PW 5KG");
	assert_string_equal(row->item.unit, "sak");
	assert_false(row->item.weighed);
	assert_int_equal(row->item.price, 72500);
	assert_int_equal(row->item.member_price, 70000);
	assert_int_equal(row->item.tax, TAX_EXEMPT);
	assert_string_equal(row->item.category, "Sembako");
	assert_string_equal(row->item.supplier, "PT Sumber Padi");
	assert_int_equal(row->item.plu, 0);
	assert_true(row->item.active);
	assert_int_equal(row->nbarcodes, 1);
	assert_string_equal(row->barcodes[0], "8992761111113");

	row = &r.rows[1];
	assert_true(row->item.weighed);
	assert_string_equal(row->item.unit, "kg");
	assert_int_equal(row->item.plu, 42);
	assert_int_equal(row->item.price, 28000);
	assert_int_equal(row->item.member_price, 0);
	assert_string_equal(row->item.receipt_name, "Telur ayam negeri");
	assert_true(row->item.active);
	assert_int_equal(row->nbarcodes, 0);

	row = &r.rows[2];
	assert_string_equal(row->item.unit, "pcs");
	assert_int_equal(row->item.tax, TAX_STANDARD);
	assert_false(row->item.active);
	assert_int_equal(row->item.member_price, 12500);
	assert_int_equal(row->nbarcodes, 2);
	assert_string_equal(row->barcodes[0], "0036000291452"); /* UPC-A */
	assert_string_equal(row->barcodes[1], "0000096385074"); /* EAN-8, keyed */

	row = &r.rows[3];
	assert_int_equal(row->line, 5);
	assert_int_equal(row->item.price, 1250000);
	assert_int_equal(row->item.tax, TAX_LUXURY);
	itemcsv_free(&r);
	assert_null(r.rows);
	assert_int_equal(r.nrows, 0);
}

/* A spreadsheet in Indonesian locale: BOM, ';', CRLF, columns in another
 * order and case, padded values, blank rows. */
static void test_spreadsheet_file(void **state)
{
	static const char file[] =
		"\xEF\xBB\xBFPrice; SKU ;Name;Tax_Class\r\n"
		" 12.500 ;A1;Sabun mandi;s\r\n"
		";;;\r\n"
		"\r\n"
		"3000;A2;\"Gula; 1 kg\";\r\n";
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nrows, 2);
	assert_int_equal(r.rows[0].item.price, 12500);
	assert_string_equal(r.rows[0].item.sku, "A1");
	assert_int_equal(r.rows[1].line, 5);
	assert_string_equal(r.rows[1].item.name, "Gula; 1 kg");
	assert_int_equal(r.rows[1].item.tax, TAX_STANDARD);
	itemcsv_free(&r);
}

static void test_receipt_name_default_is_whole_name(void **state)
{
	/* Longer than the 32 bytes names used to be cut to, mid-word and (the
	 * second) mid-UTF-8: the receipt wraps them, the import keeps them. */
	static const char file[] =
		"sku,name,price\n"
		"A,Gula Pasir Cap Dua Gajah Putih 1 kg,17500\n"
		"B,Minyak goreng kemasan pouch 2 l\xC3\xA9ter,30000\n";
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nrows, 2);
	assert_string_equal(r.rows[0].item.receipt_name, "Gula Pasir Cap Dua Gajah Putih 1 kg");
	assert_string_equal(r.rows[1].item.receipt_name,
			    "Minyak goreng kemasan pouch 2 l\xC3\xA9ter");
	itemcsv_free(&r);
}

#define HDR "sku,name,price,barcodes,unit,weighed,member_price,tax_class,plu,active,receipt_name,category\n"
#define GOOD "OK1,Good item,1000,,,,,,,,,\n"

/* Each bad row sits on line 3 after a good one, alone in its file. */
static void test_bad_rows(void **state)
{
	static const struct {
		const char *row;
		const char *msg;
	} cases[] = {
		{ "A,Sabun,\"12,5\",,,,,,,,,",
		  "line 3: price \"12,5\" is not a whole rupiah amount (write it like 12500 or 12.500)" },
		{ "A,Sabun,12.50,,,,,,,,,",
		  "line 3: price \"12.50\" is not a whole rupiah amount (write it like 12500 or 12.500)" },
		{ "A,Sabun,-500,,,,,,,,,",
		  "line 3: price \"-500\" is not a whole rupiah amount (write it like 12500 or 12.500)" },
		{ "A,Sabun,,,,,,,,,,", "line 3: price is empty" },
		{ "A,Sabun,0,,,,,,,,,", "line 3: price is 0 (an item cannot be sold for nothing)" },
		{ ",Sabun,1000,,,,,,,,,", "line 3: sku is empty (every item needs one)" },
		{ "A B,Sabun,1000,,,,,,,,,",
		  "line 3: sku \"A B\" contains a space or control character" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456,Sabun,1000,,,,,,,,,",
		  "line 3: sku \"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\" is too long (at most 31 bytes)" },
		{ "A,,1000,,,,,,,,,", "line 3: name is empty" },
		{ "A,Sabun \xE9t\xE9,1000,,,,,,,,,",
		  "line 3: name is not valid UTF-8 text (save the file as \"CSV UTF-8\")" },
		{ "A,\"Sabun\nmandi\",1000,,,,,,,,,",
		  "line 3: name contains a line break or control character" },
		{ "A,Sabun,1000,4006381333932,,,,,,,,",
		  "line 3: barcode \"4006381333932\" has a wrong check digit (the last digit should be 1)" },
		{ "A,Sabun,1000,ABC123,,,,,,,,",
		  "line 3: barcode \"ABC123\" is not an EAN-13, EAN-8, UPC-A or GTIN-14 number" },
		{ "A,Sabun,1000,40123455 0000040123455,,,,,,,,",
		  "line 3: barcode 0000040123455 is listed twice" },
		{ "A,Sabun,1000,18991234567891,,,,,,,,",
		  "line 3: barcode \"18991234567891\" has a wrong check digit (the last digit should be 8)" },
		{ "A,Sabun,1000,4006381333931|4006381333931,,,,,,,,",
		  "line 3: barcode 4006381333931 is listed twice" },
		{ "A,Sabun,1000,96385074 96385074 x,,,,,,,,",
		  "line 3: barcode 0000096385074 is listed twice" },
		{ "A,Sabun,1000,,kilograms,,,,,,,",
		  "line 3: unit is too long (9 bytes, at most 8)" },
		{ "A,Sabun,1000,,,maybe,,,,,,",
		  "line 3: weighed \"maybe\" is not one of 1/0, ya/tidak, yes/no, y/n, true/false" },
		{ "A,Sabun,1000,,,,1001,,,,,",
		  "line 3: member_price Rp1.001 is higher than the price Rp1.000" },
		{ "A,Sabun,1000,,,,1x,,,,,",
		  "line 3: member_price \"1x\" is not a whole rupiah amount (write it like 12500 or 12.500)" },
		{ "A,Sabun,1000,,,,,PPN,,,,",
		  "line 3: tax_class \"PPN\" is not exempt, standard or luxury (or E, S, L)" },
		{ "A,Sabun,1000,,,1,,,100000,,,",
		  "line 3: plu \"100000\" is not a scale item code from 1 to 99999" },
		{ "A,Sabun,1000,,,1,,,0,,,",
		  "line 3: plu \"0\" is not a scale item code from 1 to 99999" },
		{ "A,Sabun,1000,,,0,,,7,,,",
		  "line 3: plu is set but the item is not weighed (only weighed items have a scale code)" },
		{ "A,Sabun,1000,,,,,,,aktif,,",
		  "line 3: active \"aktif\" is not one of 1/0, ya/tidak, yes/no, y/n, true/false" },
		{ "A,Sabun,1000,,,,,,,,Sabun mandi wangi melati ukuran besar isi empat batang "
		  "dalam satu kemasan hemat keluarga besar Indonesia,",
		  "line 3: receipt_name is too long (104 bytes, at most 95)" },
		{ "A,Sabun,1000,,,,,,,,,Perlengkapan mandi dan kebersihan rumah tangga 2",
		  "line 3: category is too long (48 bytes, at most 47)" },
		{ "A,Sabun,1000,,,,,,,,,,",
		  "line 3: 13 fields but the header has 12 columns (a value with a comma or ';' in it must be in quotes)" },
		{ "A,Sabun,1000,,,,,,,,",
		  "line 3: 11 fields but the header has 12 columns (a value with a comma or ';' in it must be in quotes)" },
		{ "A,Sabun,1,000" ",,,,,,,,,",
		  "line 3: 13 fields but the header has 12 columns (a value with a comma or ';' in it must be in quotes)" },
		{ "OK1,Sabun,1000,,,,,,,,,",
		  "line 3: sku \"OK1\" already appears on line 2" },
	};
	char file[512];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct itemcsv_result r;

		snprintf(file, sizeof file, HDR GOOD "%s\n", cases[i].row);
		assert_int_equal(parse(file, &r), CM_OK);
		if (r.nrows != 1)
			fail_msg("case %zu: %zu rows", i, r.nrows);
		if (r.nerrors != 1 || strcmp(r.errors[0].msg, cases[i].msg) != 0)
			fail_msg("case %zu: %zu errors, first \"%s\"", i, r.nerrors,
				 r.nerrors ? r.errors[0].msg : "");
		assert_int_equal(r.errors[0].line, 3);
		itemcsv_free(&r);
	}
}

static void test_too_many_barcodes(void **state)
{
	static const char file[] =
		"sku,name,price,barcodes\n"
		"A,Air mineral,3000,\"4006381333931 8992761111113 8991000012341 "
		"8998888000019 96385074 036000291452 5901234123457 2200012012505 "
		"8999999000004\"\n";
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.nerrors, 1);
	assert_string_equal(r.errors[0].msg,
			    "line 2: more than 8 barcodes (at most 8 per item)");
	itemcsv_free(&r);
}

static void test_duplicates(void **state)
{
	static const char file[] =
		"sku,name,price,barcodes,weighed,plu\n"
		"A,Gula,15000,0036000291452,,\n"           /* 2 */
		"B,Teh,5000,036000291452,,\n"              /* 3: same as UPC-A */
		"C,Kopi,9000,96385074,,\n"                 /* 4 */
		"A,Gula lagi,15000,,,\n"                   /* 5 */
		"D,Tomat,12000,,1,7\n"                     /* 6 */
		"E,Cabai,60000,,1,00007\n"                 /* 7: plu 7 again */
		"F,Bawang,40000,96385074,1,8\n";           /* 8 */
	static const struct {
		size_t line;
		const char *msg;
	} want[] = {
		{ 3, "line 3: barcode 0036000291452 already appears on line 2" },
		{ 5, "line 5: sku \"A\" already appears on line 2" },
		{ 7, "line 7: plu 7 already appears on line 6" },
		{ 8, "line 8: barcode 0000096385074 already appears on line 4" },
	};
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nrows, 3);
	assert_string_equal(r.rows[0].item.sku, "A");
	assert_string_equal(r.rows[1].item.sku, "C");
	assert_string_equal(r.rows[2].item.sku, "D");
	assert_int_equal(r.nerrors, N(want));
	for (size_t i = 0; i < N(want); i++) {
		assert_int_equal(r.errors[i].line, want[i].line);
		assert_string_equal(r.errors[i].msg, want[i].msg);
	}
	itemcsv_free(&r);
}

/* A row spanning lines is reported at the line where it starts, and the
 * lines after it keep their real numbers. */
static void test_line_numbers_after_multiline_field(void **state)
{
	static const char file[] =
		"sku,name,price\n"
		"A,\"Roti\ntawar\",abc\n"
		"B,Roti,xyz\n";
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nerrors, 2);
	assert_int_equal(r.errors[0].line, 2);
	assert_int_equal(r.errors[1].line, 4);
	assert_string_equal(r.errors[1].msg, "line 4: price \"xyz\" is not a "
			    "whole rupiah amount (write it like 12500 or 12.500)");
	itemcsv_free(&r);
}

static void test_unreadable_files(void **state)
{
	static const struct {
		const char *file;
		size_t line;
		const char *msg;
	} cases[] = {
		{ "", 0, "the file is empty; its first row must name the columns "
		  "(at least sku, name, price)" },
		{ "\r\n\r\n", 0, "the file is empty; its first row must name the "
		  "columns (at least sku, name, price)" },
		{ "sku,name\nA,Sabun\n", 1, "line 1: the header has no \"price\" "
		  "column (required: sku, name, price)" },
		{ "name,price\n", 1, "line 1: the header has no \"sku\" column "
		  "(required: sku, name, price)" },
		{ "sku,name,price,harga\n", 1, "line 1: unknown column \"harga\"; "
		  "known columns are sku, name, price, barcodes, receipt_name, "
		  "unit, weighed, member_price, tax_class, category, supplier, "
		  "plu, active" },
		{ "sku,name,price,SKU\n", 1, "line 1: column \"sku\" appears twice "
		  "in the header" },
		{ "sku,name,,price\n", 1, "line 1: column 3 of the header has no "
		  "name" },
		{ "sku,name,price\nA,Sabun,1000\nB,\"Sabun\"x,1000\n", 3,
		  "line 3: text after a closing quote" },
		{ "sku,name,price\nA,Sabun,1000\nB,\"Sabun,1000\n", 3,
		  "line 3: quoted field is never closed (missing '\"')" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct itemcsv_result r;

		assert_int_equal(parse(cases[i].file, &r), CM_INVALID);
		assert_int_equal(r.nrows, 0);
		assert_int_equal(r.nerrors, 1);
		if (strcmp(r.errors[0].msg, cases[i].msg) != 0)
			fail_msg("case %zu: \"%s\"", i, r.errors[0].msg);
		assert_int_equal(r.errors[0].line, cases[i].line);
		itemcsv_free(&r);
	}
}

/* A long bad value is cut in the message so the message stays readable. */
static void test_long_value_in_message(void **state)
{
	char file[8192];
	struct itemcsv_result r;
	int k;

	(void)state;
	k = snprintf(file, sizeof file, "sku,name,price\nA,Sabun,");
	memset(file + k, '9', 4000);
	strcpy(file + k + 4000, "x\n");
	assert_int_equal(parse(file, &r), CM_OK);
	assert_int_equal(r.nerrors, 1);
	assert_string_equal(r.errors[0].msg, "line 2: price \"99999999999999999"
			    "99999999999999999999999...\" is not a whole rupiah "
			    "amount (write it like 12500 or 12.500)");
	itemcsv_free(&r);
}

static void test_header_only(void **state)
{
	struct itemcsv_result r;

	(void)state;
	assert_int_equal(parse("SKU,Name,Price\n", &r), CM_OK);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.nerrors, 0);
	itemcsv_free(&r);
	itemcsv_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_spreadsheet_file),
		cmocka_unit_test(test_receipt_name_default_is_whole_name),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_too_many_barcodes),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_line_numbers_after_multiline_field),
		cmocka_unit_test(test_unreadable_files),
		cmocka_unit_test(test_long_value_in_message),
		cmocka_unit_test(test_header_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
