/* The ESC/POS encoder: exact command bytes, transliteration, and how each
 * feature degrades on a profile that lacks it. Also the status-byte and
 * device-id parsers (drivers/escstatus.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/escpos.h"
#include "drivers/escstatus.h"
#include "../unit/escdecode.c"

static struct escpos *enc(const char *profile)
{
	struct escpos *e = escpos_new(escpos_profile_find(profile));

	assert_non_null(e);
	return e;
}

/* Asserts that e holds exactly the n bytes want, then empties nothing:
 * callers make a new buffer per case. */
static void assert_bytes(const struct escpos *e, const void *want, size_t n)
{
	size_t len;
	const uint8_t *got = escpos_data(e, &len);

	assert_non_null(got);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
}

static bool contains(const struct escpos *e, const void *needle, size_t n)
{
	size_t len;
	const uint8_t *got = escpos_data(e, &len);

	for (size_t i = 0; got && i + n <= len; i++)
		if (memcmp(got + i, needle, n) == 0)
			return true;
	return false;
}

static void test_profiles(void **state)
{
	(void)state;
	assert_int_equal(escpos_profile_find("58")->columns, 32);
	assert_int_equal(escpos_profile_find("80")->columns, 48);
	assert_int_equal(escpos_profile_find("80-42")->columns, 42);
	assert_int_equal(escpos_profile_find("dotmatrix")->columns, 40);
	assert_false(escpos_profile_find("dotmatrix")->cutter);
	assert_null(escpos_profile_find("76"));
	assert_null(escpos_profile_find(NULL));
	assert_null(escpos_new(NULL));
}

static void test_commands(void **state)
{
	static const uint8_t want[] = {
		0x1B, 0x40, 0x1B, 0x74, 0x00,           /* init, CP437 */
		0x1B, 0x44, 8, 16, 24, 32, 40, 0x00,    /* tab stops every 8 columns */
		0x1B, 0x45, 0x01, 0x1B, 0x45, 0x00,     /* bold on, off */
		0x1D, 0x21, 0x11, 0x1D, 0x21, 0x00,     /* double, normal */
		0x1B, 0x61, 0x01, 0x1B, 0x61, 0x02,     /* centre, right */
		0x1B, 0x64, 0x03,                       /* feed 3 */
		0x1D, 0x56, 0x42, 0x03,                 /* feed and partial cut */
		0x1B, 0x70, 0x00, 0x32, 0x32,           /* drawer pin 2 */
		0x1B, 0x70, 0x01, 0x32, 0x32,           /* drawer pin 5 */
	};
	struct escpos *e = enc("80");

	(void)state;
	escpos_init(e);
	escpos_bold(e, true);
	escpos_bold(e, false);
	escpos_double(e, true);
	assert_int_equal(escpos_columns(e), 24);
	escpos_double(e, false);
	assert_int_equal(escpos_columns(e), 48);
	escpos_align(e, ESCPOS_CENTER);
	escpos_align(e, ESCPOS_RIGHT);
	escpos_feed(e, 3);
	escpos_cut(e);
	escpos_drawer(e, ESCPOS_PIN2);
	escpos_drawer(e, ESCPOS_PIN5);
	assert_bytes(e, want, sizeof want);
	escpos_free(e);
}

static void test_transliteration(void **state)
{
	char buf[128];
	struct escpos *e = enc("58");
	size_t len;
	const uint8_t *p;

	(void)state;
	/* é, curly quotes, en and em dash, NBSP, ellipsis, a CJK character,
	 * a lone continuation byte and a truncated sequence. */
	escpos_ascii("Caf\xc3\xa9 \xe2\x80\x9cKopi\xe2\x80\x9d \xe2\x80\x93 1\xc2\xa0kg"
	             " \xe2\x80\x94 \xe2\x80\x99s\xe2\x80\xa6 \xe7\xb1\xb3 \x80 \xe2\x80",
	             buf, sizeof buf);
	assert_string_equal(buf, "Cafe \"Kopi\" - 1 kg - 's... ? ? ??");
	escpos_ascii("Cr\xc3\xa8me Br\xc3\xbbl\xc3\xa9\tx\x01y", buf, sizeof buf);
	assert_string_equal(buf, "Creme Brule xy");
	/* A replacement that does not fit whole is left out. */
	assert_int_equal(escpos_ascii("ab\xe2\x80\xa6", buf, 4), 2);
	assert_string_equal(buf, "ab");

	escpos_line(e, "Gula \xe2\x80\x9cManis\xe2\x80\x9d\xc2\xa0\xc3\xa9");
	p = escpos_data(e, &len);
	for (size_t i = 0; i < len; i++)
		assert_true(p[i] == '\n' || (p[i] >= 0x20 && p[i] < 0x7F));
	assert_bytes(e, "Gula \"Manis\" e\n", 15);
	escpos_free(e);
}

static void test_lr_and_rule(void **state)
{
	struct escpos *e = enc("58");
	char want[200];

	(void)state;
	escpos_lr(e, "Subtotal", "12.500");
	snprintf(want, sizeof want, "Subtotal%18s12.500\n", "");
	assert_bytes(e, want, strlen(want));
	escpos_free(e);

	e = enc("58");
	escpos_lr(e, "A very long item name that will not fit", "1.250.000");
	snprintf(want, sizeof want, "A very long item name  %s\n", "1.250.000");
	assert_bytes(e, want, 33);
	escpos_free(e);

	/* After init, runs of spaces go out as tabs (stops 8, 16, 24). */
	e = enc("58");
	escpos_init(e);
	escpos_lr(e, "Subtotal", "12.500");
	escpos_line(e, "  2 x 3.500          7.000");
	escpos_align(e, ESCPOS_CENTER);
	escpos_line(e, "a        b");
	assert_true(contains(e, "Subtotal\t\t  12.500\n", 17));
	assert_true(contains(e, "  2 x 3.500\t     7.000\n", 23));
	assert_true(contains(e, "a        b\n", 11));
	escpos_free(e);

	e = enc("58");
	escpos_double(e, true);
	escpos_lr(e, "TOTAL", "Rp9.900");
	escpos_rule(e);
	assert_true(contains(e, "TOTAL    Rp9.900\n", 17));
	assert_true(contains(e, "----------------\n", 17));
	assert_false(contains(e, "-----------------", 17));
	escpos_free(e);
}

static void test_barcodes(void **state)
{
	static const uint8_t code128c[] = {
		0x1B, 0x61, 0x01, 0x1D, 0x68, 80, 0x1D, 0x77, 2, 0x1D, 0x48, 2,
		0x1D, 0x6B, 73, 5, '{', 'C', 12, 34, 56, '\n', 0x1B, 0x61, 0x00,
	};
	static const uint8_t code128b_tail[] = { 0x1D, 0x6B, 73, 8, '{', 'B', 'K', '1', '-', '{', '{', '7' };
	static const uint8_t ean13_tail[] = { 0x1D, 0x6B, 67, 12, '8', '9', '9', '1', '2', '3',
	                                      '4', '5', '6', '7', '8', '9' };
	struct escpos *e = enc("58");

	(void)state;
	assert_true(escpos_barcode(e, ESCPOS_CODE128, "123456"));
	assert_bytes(e, code128c, sizeof code128c);
	escpos_free(e);

	e = enc("80");
	assert_true(escpos_barcode(e, ESCPOS_CODE128, "K1-{7"));
	assert_true(contains(e, code128b_tail, sizeof code128b_tail));
	assert_true(escpos_barcode(e, ESCPOS_EAN13, "899123456789"));
	assert_true(contains(e, ean13_tail, sizeof ean13_tail));
	escpos_free(e);

	e = enc("80");
	assert_false(escpos_barcode(e, ESCPOS_EAN13, "12345"));
	assert_false(escpos_barcode(e, ESCPOS_EAN13, "89912345678X"));
	assert_false(escpos_barcode(e, ESCPOS_CODE128, ""));
	assert_false(escpos_barcode(e, ESCPOS_CODE128, "caf\xc3\xa9"));
	assert_bytes(e, "", 0);
	escpos_free(e);
}

static void test_qr(void **state)
{
	static const uint8_t want[] = {
		0x1B, 0x61, 0x01,
		0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x04,
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31,
		0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, 'A', 'B',
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30,
		'\n', 0x1B, 0x61, 0x00,
	};
	struct escpos *e = enc("80-42");
	char big[800];

	(void)state;
	assert_true(escpos_qr(e, "AB", 4));
	assert_bytes(e, want, sizeof want);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_false(escpos_qr(e, big, 4));
	assert_false(escpos_qr(e, "", 4));
	assert_bytes(e, want, sizeof want);
	escpos_free(e);
}

/* The impact printer: no cutter, no GS k, no QR, no GS !. */
static void test_dotmatrix_degrades(void **state)
{
	static const uint8_t gs_k[] = { 0x1D, 0x6B }, gs_q[] = { 0x1D, 0x28, 0x6B },
	                     gs_v[] = { 0x1D, 0x56 }, gs_x[] = { 0x1D, 0x21 },
	                     feed6[] = { 0x1B, 0x64, 0x06 }, bold[] = { 0x1B, 0x45, 0x01 };
	struct escpos *e = enc("dotmatrix");

	(void)state;
	escpos_init(e);
	escpos_double(e, true);
	assert_int_equal(escpos_columns(e), 40);
	escpos_double(e, false);
	assert_true(escpos_barcode(e, ESCPOS_CODE128, "KSM01-000123"));
	assert_true(escpos_qr(e, "https://coop.example/r/1", 4));
	assert_false(escpos_barcode(e, ESCPOS_EAN13, "123"));
	escpos_cut(e);
	escpos_drawer(e, ESCPOS_PIN2);
	assert_false(contains(e, gs_k, sizeof gs_k));
	assert_false(contains(e, gs_q, sizeof gs_q));
	assert_false(contains(e, gs_v, sizeof gs_v));
	assert_false(contains(e, gs_x, sizeof gs_x));
	assert_true(contains(e, bold, sizeof bold));
	assert_true(contains(e, "KSM01-000123\n", 13));
	assert_true(contains(e, "https://coop.example/r/1\n", 25));
	assert_true(contains(e, feed6, sizeof feed6));
	escpos_free(e);
}

static void test_status_bytes(void **state)
{
	struct escstatus st = { 0 };

	(void)state;
	/* An idle, ready printer: 0x12 / 0x12 / 0x12. */
	assert_true(escstatus_parse(1, 0x12, &st));
	assert_true(escstatus_parse(2, 0x12, &st));
	assert_true(escstatus_parse(4, 0x12, &st));
	assert_true(st.known);
	assert_true(escstatus_ready(&st));
	assert_false(st.drawer_open);

	/* The drawer's switch (DLE EOT 1 bit 2): open, and the printer still
	 * prints. */
	memset(&st, 0, sizeof st);
	assert_true(escstatus_parse(1, 0x16, &st));
	assert_true(st.drawer_open);
	assert_false(st.offline);
	assert_true(escstatus_ready(&st));

	/* Paper out: offline (0x1A), stopped at paper end (0x32), sensor
	 * paper end and near end (0x7E). */
	memset(&st, 0, sizeof st);
	assert_true(escstatus_parse(1, 0x1A, &st));
	assert_true(escstatus_parse(2, 0x32, &st));
	assert_true(escstatus_parse(4, 0x7E, &st));
	assert_true(st.offline && st.paper_out && st.paper_near_end);
	assert_false(st.cover_open || st.error);
	assert_false(escstatus_ready(&st));

	/* Cover open, error; near end only still prints. */
	memset(&st, 0, sizeof st);
	assert_true(escstatus_parse(2, 0x56, &st));
	assert_true(st.cover_open && st.error);
	memset(&st, 0, sizeof st);
	assert_true(escstatus_parse(1, 0x12, &st));
	assert_true(escstatus_parse(4, 0x1E, &st));
	assert_true(st.paper_near_end && !st.paper_out);
	assert_true(escstatus_ready(&st));

	/* Garbage: wrong fixed bits, or a question never asked. */
	memset(&st, 0, sizeof st);
	assert_false(escstatus_parse(1, 0x00, &st));
	assert_false(escstatus_parse(1, 0xFF, &st));
	assert_false(escstatus_parse(1, 0x13, &st));
	assert_false(escstatus_parse(1, 0x92, &st));
	assert_false(escstatus_parse(1, 0x02, &st));
	assert_false(escstatus_parse(3, 0x12, &st));
	assert_false(st.known);
	assert_false(escstatus_ready(&st));
}

static void test_device_id(void **state)
{
	static const char text[] = "MFG:EPSON;CMD:ESC/POS;MDL: TM-T20II ;CLS:PRINTER;";
	static const char longform[] = "manufacturer:Xprinter;model:XP-58IIH;command set:ESCPOS;";
	uint8_t buf[256];
	struct escstatus_devid id;
	size_t n = strlen(text) + 2;

	(void)state;
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, text, n - 2);
	assert_true(escstatus_devid_parse(buf, n, &id));
	assert_string_equal(id.mfg, "EPSON");
	assert_string_equal(id.mdl, "TM-T20II");
	assert_string_equal(id.cmd, "ESC/POS");
	/* The length counts itself; bytes after it are ignored. */
	assert_true(escstatus_devid_parse(buf, sizeof buf, &id));

	n = strlen(longform) + 2;
	buf[0] = 0;
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, longform, n - 2);
	assert_true(escstatus_devid_parse(buf, n, &id));
	assert_string_equal(id.mfg, "Xprinter");
	assert_string_equal(id.mdl, "XP-58IIH");

	/* Length beyond the data, below 2, no model, too short. */
	buf[1] = (uint8_t)(n + 1);
	assert_false(escstatus_devid_parse(buf, n, &id));
	buf[1] = 1;
	assert_false(escstatus_devid_parse(buf, n, &id));
	assert_false(escstatus_devid_parse((const uint8_t *)"\x00\x0aMFG:EPSON", 10, &id));
	assert_string_equal(id.mfg, "");
	assert_false(escstatus_devid_parse(buf, 1, &id));
}

/* e's bytes as the paper shows them. */
static void decode(const struct escpos *e, struct esc_doc *d)
{
	size_t len;
	const uint8_t *got = escpos_data(e, &len);

	assert_non_null(got);
	if (!esc_decode(got, len, d))
		fail_msg("undecodable ESC/POS at byte %zu of %zu", d->bad_at, len);
}

/* Receipt numbers of terminals with 8 and more characters: the CODE128
 * fits 58 mm (384 dots) with a narrower module; one that cannot fit even
 * so prints as text, never as a barcode wider than the paper (which many
 * printers answer by printing nothing). */
static void test_code128_fits_58(void **state)
{
	static const char *const fits[] = { "K01-000001", "KASIR-01-000001",
	                                    "TOKO-PUSAT-K01-000001" };
	char toolong[64];
	struct esc_doc d;

	(void)state;
	for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++) {
		struct escpos *e = enc("58");

		escpos_init(e);
		assert_true(escpos_barcode(e, ESCPOS_CODE128, fits[i]));
		decode(e, &d);
		assert_int_equal(d.nbarcodes, 1);
		assert_true(esc_code128_dots(&d.barcodes[0]) <= 384);
		assert_int_equal(esc_code128_dots(&d.barcodes[0]),
		                 escpos_barcode_width(e, ESCPOS_CODE128, fits[i]));
		assert_int_equal(d.barcodes[0].module, i == 0 ? 2 : 1);
		escpos_free(e);
	}
	snprintf(toolong, sizeof toolong, "KOPERASI-KARYAWAN-SEJAHTERA-K01-000001");
	struct escpos *e = enc("58");
	escpos_init(e);
	assert_true(escpos_barcode(e, ESCPOS_CODE128, toolong));
	assert_int_equal(escpos_barcode_width(e, ESCPOS_CODE128, toolong), 0);
	decode(e, &d);
	assert_int_equal(d.nbarcodes, 0);
	assert_non_null(esc_find(&d, "KOPERASI-KARYAWAN-SEJAHTERA-K01"));
	assert_true(esc_widest(&d) <= 32);
	escpos_free(e);
	/* 80 mm takes it as a barcode. */
	e = enc("80");
	escpos_init(e);
	assert_true(escpos_barcode(e, ESCPOS_CODE128, toolong));
	decode(e, &d);
	assert_int_equal(d.nbarcodes, 1);
	assert_true(esc_code128_dots(&d.barcodes[0]) <= 576);
	escpos_free(e);
}

/* The big total: double size when it fits half the line, else double
 * height at full width; bold alone on an impact printer. */
static void test_big_lr(void **state)
{
	struct esc_doc d;
	struct escpos *e = enc("58");

	(void)state;
	escpos_init(e);
	escpos_big_lr(e, "TOTAL", "Rp99.900");
	escpos_big_lr(e, "TOTAL", "Rp1.000.000");
	escpos_big_lr(e, "TOTAL RETUR", "Rp12.345.678");
	escpos_line(e, "after");
	decode(e, &d);
	assert_int_equal(d.nlines, 4);
	assert_int_equal(d.lines[0].width, 2);
	assert_int_equal(d.lines[0].height, 2);
	assert_int_equal(esc_line_columns(&d.lines[0]), 32);
	assert_string_equal(d.lines[1].text, "TOTAL                Rp1.000.000");
	assert_int_equal(d.lines[1].width, 1);
	assert_int_equal(d.lines[1].height, 2);
	assert_true(d.lines[1].bold);
	assert_non_null(strstr(d.lines[2].text, "Rp12.345.678"));
	assert_int_equal(esc_line_columns(&d.lines[2]), 32);
	assert_int_equal(d.lines[3].height, 1);
	assert_false(d.lines[3].bold);
	escpos_free(e);

	e = enc("dotmatrix");
	escpos_init(e);
	escpos_big_lr(e, "TOTAL", "Rp1.000.000");
	decode(e, &d);
	assert_int_equal(d.lines[0].height, 1);
	assert_true(d.lines[0].bold);
	assert_int_equal(esc_line_columns(&d.lines[0]), 40);
	escpos_free(e);
}

/* escpos_line never prints past the paper's width: it wraps. */
static void test_line_wraps(void **state)
{
	struct esc_doc d;
	struct escpos *e = enc("58");

	(void)state;
	escpos_init(e);
	escpos_line(e, "Printer: tcp:printer-kasir-utama.koperasi.example:9100 di meja depan");
	escpos_double(e, true);
	escpos_line(e, "HALAMAN UJI CETAK");
	escpos_double(e, false);
	escpos_line(e, "");
	decode(e, &d);
	assert_true(esc_widest(&d) <= 32);
	assert_string_equal(d.lines[0].text, "Printer:");
	assert_string_equal(d.lines[d.nlines - 1].text, "");
	assert_non_null(esc_find(&d, "di meja depan"));
	escpos_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_transliteration),
		cmocka_unit_test(test_lr_and_rule),
		cmocka_unit_test(test_barcodes),
		cmocka_unit_test(test_code128_fits_58),
		cmocka_unit_test(test_big_lr),
		cmocka_unit_test(test_line_wraps),
		cmocka_unit_test(test_qr),
		cmocka_unit_test(test_dotmatrix_degrades),
		cmocka_unit_test(test_status_bytes),
		cmocka_unit_test(test_device_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
