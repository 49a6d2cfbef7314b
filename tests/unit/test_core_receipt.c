/* Receipt text against golden files in tests/unit/golden/, plus the
 * properties every receipt must have whatever its content.
 *
 * To regenerate the goldens after a deliberate layout change, run the
 * test with COOPMART_UPDATE_GOLDEN=1 and review the diff by eye. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/receipt.h"
#include "core/utf8.h"
#include "testutil.h"

/* 14/03/2025 09:41 in Asia/Jakarta (UTC+7). */
#define SALE_TIME 1741920060

static const struct receipt_store pkp_store = {
	.name = "Koperasi Karyawan Sejahtera Mart",
	.address = "Jl. Raya Bogor Km. 30 No. 12, Cimanggis, Depok 16451",
	.npwp = "01.234.567.8-412.000",
	.pkp = true,
	.terminal = "KSM-01",
	.footer = "Terima kasih atas kunjungan Anda. Barang yang sudah dibeli "
	          "tidak dapat ditukar atau dikembalikan.",
};

static struct receipt_store nonpkp_store(void)
{
	struct receipt_store st = pkp_store;

	st.name = "Koperasi Warga Makmur";
	st.address = "Jl. Pahlawan No. 7, Sleman";
	st.pkp = false;
	st.terminal = "KWM-02";
	return st;
}

/* Mixed classes (staples exempt, the rest standard), a weighed line, a
 * percentage line discount, a voided line, a ticket discount shared out,
 * debit + cash with cash rounding to Rp100. */
static const struct line_rec lines[] = {
	{ .line_no = 1, .name = "Beras Pandan Wangi Premium 5 kg",
	  .receipt_name = "Beras Pandan Wangi 5kg", .unit = "sak",
	  .tax = TAX_EXEMPT, .unit_price = 68500, .qty = 2000 },
	{ .line_no = 2, .name = "Daging Ayam Fillet", .unit = "kg",
	  .weighed = true, .tax = TAX_EXEMPT, .unit_price = 52000, .qty = 750 },
	{ .line_no = 3, .name = "Minyak Goreng Bimoli 2 Liter Pouch",
	  .receipt_name = "Minyak Goreng \xe2\x80\x9c" "Bimoli\xe2\x80\x9d 2L",
	  .unit = "pcs", .tax = TAX_STANDARD, .unit_price = 38900, .qty = 1000,
	  .disc_kind = DISC_PERCENT, .disc_value = 1000 },
	{ .line_no = 4, .name = "Rokok Filter 16 Batang", .unit = "bks",
	  .tax = TAX_STANDARD, .unit_price = 28500, .qty = 1000, .voided = true },
	{ .line_no = 5, .name = "Sabun Mandi Lifebuoy 85 g",
	  .receipt_name = "Sabun Lifebuoy 85g", .unit = "pcs",
	  .tax = TAX_STANDARD, .unit_price = 4500, .qty = 3000 },
	{ .line_no = 6,
	  .name = "Kopi Caf\xc3\xa9 Latte Sachet 10 x 20 g \xe2\x80\x93 Bonus Gelas",
	  .unit = "pak", .tax = TAX_STANDARD, .unit_price = 15900, .qty = 1000 },
};

static const struct sale_line_amounts amounts[] = {
	{ 137000, 0, 2849, 134151 },
	{ 39000, 0, 811, 38189 },
	{ 38900, 3890, 728, 34282 },
	{ 28500, 0, 0, 0 },
	{ 13500, 0, 281, 13219 },
	{ 15900, 0, 331, 15569 },
};

static const struct tender_rec tenders[] = {
	{ TENDER_DEBIT, 200000, "123456" },
	{ TENDER_CASH, 50000, "" },
};

static struct receipt_sale sale(bool pkp)
{
	struct receipt_sale s = {
		.receipt_no = "KSM01-250314-0042",
		.completed_at = SALE_TIME,
		.cashier = "Siti Aminah",
		.member = "0042 Budi Santoso",
		.lines = lines,
		.amounts = amounts,
		.nlines = sizeof lines / sizeof lines[0],
		.tenders = tenders,
		.ntenders = sizeof tenders / sizeof tenders[0],
		.totals = {
			.gross = 244300, .line_discounts = 3890,
			.ticket_discount = 5000, .total = 235410,
			.rounding = -10, .due = 235400, .paid = 250000,
			.change = 14600,
			.class_total = { [TAX_EXEMPT] = 172340, [TAX_STANDARD] = 63070 },
			.class_tax = { [TAX_STANDARD] = 6250 },
		},
		.journal_seq = 1234,
		.hash_hex = "1a2b3c4d5e6f708192a3b4c5d6e7f809",
	};

	if (!pkp)
		s.totals.class_tax[TAX_STANDARD] = 0;
	return s;
}

/* tests/unit/golden/<name>, found next to this source file. */
static void golden_path(char *buf, size_t n, const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__ + 1) : 0;

	snprintf(buf, n, "%.*sgolden/%s", dir, __FILE__, name);
}

static void check_golden(const char *text, const char *name)
{
	char path[4096];
	char *want;

	golden_path(path, sizeof path, name);
	if (getenv("COOPMART_UPDATE_GOLDEN"))
		assert_int_equal(tu_write_file(path, text), 0);
	want = tu_read_file(path, NULL);
	if (!want)
		fail_msg("missing golden file %s", path);
	if (strcmp(text, want) != 0)
		fail_msg("%s differs; got:\n%s", path, text);
	free(want);
}

/* Lines of at most cols characters, each ending in '\n', and nothing but
 * printable ASCII. */
static void check_shape(const char *text, int cols)
{
	const char *p = text;

	assert_true(*text != '\0');
	while (*p) {
		const char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(nl - p <= cols);
		for (; p < nl; p++)
			assert_true(*p >= 0x20 && *p <= 0x7e);
		p = nl + 1;
	}
}

static char *render(const struct receipt_sale *s, const struct receipt_store *st,
                    int cols)
{
	char *text = receipt_render(s, st, cols);

	assert_non_null(text);
	check_shape(text, cols);
	return text;
}

static void test_golden_pkp(void **state)
{
	static const int widths[] = { 32, 42, 48 };
	struct receipt_sale s = sale(true);

	(void)state;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		char name[32];
		char *text = render(&s, &pkp_store, widths[i]);

		snprintf(name, sizeof name, "receipt_%d.txt", widths[i]);
		check_golden(text, name);
		assert_non_null(strstr(text, "NPWP: 01.234.567.8-412.000"));
		assert_non_null(strstr(text, "PPN termasuk"));
		assert_non_null(strstr(text, "Bebas PPN"));
		assert_non_null(strstr(text, "Rp235.410"));
		assert_non_null(strstr(text, "0,75 kg x 52.000"));
		assert_non_null(strstr(text, "No. jurnal: 1234  1a2b3c4d\n"));
		assert_null(strstr(text, "Rokok"));
		assert_null(strstr(text, "CETAK ULANG"));
		free(text);
	}
}

static void test_golden_nonpkp(void **state)
{
	struct receipt_sale s = sale(false);
	struct receipt_store st = nonpkp_store();
	static const int widths[] = { 32, 42, 48 };

	(void)state;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		char *text = render(&s, &st, widths[i]);

		if (widths[i] == 32)
			check_golden(text, "receipt_nonpkp_32.txt");
		assert_null(strstr(text, "NPWP"));
		assert_null(strstr(text, "PPN"));
		assert_null(strstr(text, "01.234"));
		assert_null(strstr(text, "Rokok"));
		free(text);
	}
}

static void test_unsupported_width(void **state)
{
	struct receipt_sale s = sale(true);
	static const int bad[] = { 0, -32, 31, 33, 39, 41, 80 };

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(receipt_render(&s, &pkp_store, bad[i]));
}

static void test_reprint_banner(void **state)
{
	struct receipt_sale s = sale(true);
	char *text;

	(void)state;
	s.reprint = true;
	text = render(&s, &pkp_store, 32);
	assert_non_null(strstr(text, "      *** CETAK ULANG ***\n"));
	free(text);
}

/* Hostile text: long words, non-ASCII, controls, long references. None
 * may break the width or the ASCII rule. */
static void test_hostile_text(void **state)
{
	static const struct line_rec l = {
		.line_no = 1,
		.name = "Kerupuk\tUdang\x01 Sidoarjo\xc2\xa0" "Asli \xe6\xbc\xa2\xe5\xad\x97 "
		        "SuperPanjangSekaliTanpaSpasiSamaSekaliYangTidakMuat\xff",
		.unit = "kg", .weighed = true, .tax = TAX_STANDARD,
		.unit_price = 123456789, .qty = 99999000,
	};
	static const struct sale_line_amounts am = { 12345555555555, 0, 0, 0 };
	static const struct tender_rec t[] = {
		{ TENDER_QRIS, 12345555555555, "ID1020304050607080900010203040506070809" },
	};
	struct receipt_store st = pkp_store;
	struct receipt_sale s = sale(true);
	static const int widths[] = { 32, 42, 48 };

	(void)state;
	st.name = "\xe2\x80\x9cKoperasi\xe2\x80\x9d\r\nSerba\x7f Usaha";
	st.footer = "\xf0\x9f\x98\x80 Belanja hemat \xe2\x80\x94 ok";
	s.lines = &l;
	s.amounts = &am;
	s.nlines = 1;
	s.tenders = t;
	s.ntenders = 1;
	s.member = NULL;
	s.hash_hex = NULL;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		char *text = render(&s, &st, widths[i]);

		assert_non_null(strstr(text, "\"Koperasi\" Serba Usaha"));
		assert_non_null(strstr(text, "? Belanja hemat - ok\n"));
		assert_non_null(strstr(text, "Kerupuk Udang Sidoarjo Asli ??"));
		assert_non_null(strstr(text, "QRIS (ref"));
		assert_non_null(strstr(text, "ID1020304050"));
		assert_null(strstr(text, "Anggota"));
		free(text);
	}
}

static void test_empty_sale(void **state)
{
	struct receipt_sale s = { .receipt_no = "X-1", .completed_at = SALE_TIME };
	struct receipt_store st = { .name = "Toko" };
	char *text;

	(void)state;
	text = render(&s, &st, 42);
	assert_non_null(strstr(text, "TOTAL"));
	assert_null(strstr(text, "Kembalian"));
	free(text);
}

static void test_luxury_and_amount_discount(void **state)
{
	static const struct line_rec l = {
		.line_no = 1, .name = "Parfum Impor 100 ml", .unit = "btl",
		.tax = TAX_LUXURY, .unit_price = 450000, .qty = 1000,
		.disc_kind = DISC_AMOUNT, .disc_value = 50000,
	};
	static const struct sale_line_amounts am = { 450000, 50000, 0, 400000 };
	static const struct tender_rec t = { TENDER_QRIS, 400000, "QR0001" };
	struct receipt_sale s = {
		.receipt_no = "X-2", .completed_at = SALE_TIME, .lines = &l,
		.amounts = &am, .nlines = 1, .tenders = &t, .ntenders = 1,
		.totals = {
			.gross = 450000, .line_discounts = 50000, .total = 400000,
			.due = 400000, .paid = 400000,
			.class_total = { [TAX_LUXURY] = 400000 },
			.class_tax = { [TAX_LUXURY] = 42857 },
		},
	};
	char *text;

	(void)state;
	text = render(&s, &pkp_store, 32);
	assert_non_null(strstr(text, "\n  Diskon                 -50.000\n"));
	assert_non_null(strstr(text, "\nKena PPN (mewah)         400.000\n"
	                             "  PPN termasuk            42.857\n"));
	assert_non_null(strstr(text, "\nQRIS (ref QR0001)        400.000\n"));
	assert_null(strstr(text, "Bebas PPN"));
	assert_null(strstr(text, "Kembalian"));
	assert_null(strstr(text, "Pembulatan"));
	free(text);
}

static void expect_ascii(const char *in, const char *want)
{
	char buf[256];
	size_t n = receipt_ascii(in, buf, sizeof buf);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_ascii(void **state)
{
	(void)state;
	expect_ascii("Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\x65", "Cafe creme brulee");
	expect_ascii("\xc3\x80\xc3\x89\xc3\x8e\xc3\x95\xc3\x9c\xc3\x87\xc3\x91", "AEIOUCN");
	expect_ascii("Stra\xc3\x9f\x65 \xc3\x86\x62le \xc5\x93uvre \xc5\xa0koda", "Strasse AEble oeuvre Skoda");
	expect_ascii("\xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x98s\xe2\x80\x99", "\"q\" 's'");
	expect_ascii("a\xe2\x80\x93" "b\xe2\x80\x94" "c", "a-b-c");
	expect_ascii("Rp\xc2\xa0" "12.500", "Rp 12.500");
	expect_ascii("tunggu\xe2\x80\xa6", "tunggu...");
	expect_ascii("\xc2\xbd kg", "1/2 kg");
	expect_ascii("e\xcc\x81", "e");                 /* decomposed accent */
	expect_ascii("\xe6\xbc\xa2 \xf0\x9f\x98\x80 \xe2\x82\xac", "? ? ?");
	expect_ascii("a\x01\x1b[1mb\x7f" "c\xc2\x85", "a[1mbc");
	expect_ascii("a\tb\nc", "a b c");
	expect_ascii("\xff\xfe" "x\xc3", "??x?");      /* malformed bytes */
	expect_ascii("\xc0\xaf\xed\xa0\x80", "?????"); /* overlong, surrogate */
	expect_ascii("", "");
	expect_ascii(NULL, "");
}

static void test_ascii_bounds(void **state)
{
	char buf[6];

	(void)state;
	memset(buf, 'Z', sizeof buf);
	assert_int_equal(receipt_ascii("abcdefgh", buf, sizeof buf), 5);
	assert_string_equal(buf, "abcde");
	/* "..." does not fit after "abc" in 6 bytes: not started at all */
	assert_int_equal(receipt_ascii("abc\xe2\x80\xa6z", buf, sizeof buf), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(receipt_ascii("abc", buf, 1), 0);
	assert_string_equal(buf, "");
	buf[0] = 'Z';
	assert_int_equal(receipt_ascii("abc", buf, 0), 0);
	assert_int_equal(buf[0], 'Z');
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	return 0;
}

/* The marked receipt: the heading lines and the one total are marked by
 * the layout; an item called "TOTAL CARE ..." or a store that writes
 * control characters into its name cannot mark anything. Without the
 * marks the text is receipt_render's. */
static void test_marked_structure(void **state)
{
	struct line_rec l[2];
	struct receipt_store st = pkp_store;
	struct receipt_sale s = sale(true);
	char *marked, *plain;
	int heading, totals;
	bool body;

	(void)state;
	memcpy(l, lines, sizeof l);
	snprintf(l[0].receipt_name, sizeof l[0].receipt_name, "TOTAL CARE Pasta Gigi 190 g");
	snprintf(l[1].receipt_name, sizeof l[1].receipt_name, "\x02TOTAL\tRp1");
	s.lines = l;
	s.nlines = 2;
	st.name = "\x01\x02Koperasi\tUji";
	for (int cols = 32; cols <= 48; cols += 8) {
		marked = receipt_render_marked(&s, &st, cols);
		assert_non_null(marked);
		heading = totals = 0;
		body = false;
		for (const char *p = marked; *p; p = strchr(p, '\n') + 1) {
			heading += *p == RECEIPT_MARK_HEADING;
			if (*p == RECEIPT_MARK_TOTAL) {
				totals++;
				assert_memory_equal(p, "\x02TOTAL\tRp235.410\n", 17);
			}
			for (const char *c = p + 1; *c != '\n'; c++)
				assert_true(*c == RECEIPT_MARK_SEP ? *p == RECEIPT_MARK_TOTAL
				                                   : *c >= 0x20 && *c < 0x7F);
			if (*p == RECEIPT_MARK_HEADING)
				assert_false(body);     /* the heading is the top only */
			else
				body = true;
		}
		assert_int_equal(totals, 1);
		assert_true(heading >= 3);     /* name, address, NPWP */
		assert_non_null(strstr(marked, "\nTOTAL CARE Pasta Gigi 190 g\n"));
		assert_non_null(strstr(marked, "\nTOTAL Rp1\n"));
		plain = receipt_render(&s, &st, 32);
		assert_null(strchr(plain, RECEIPT_MARK_HEADING));
		assert_null(strchr(plain, RECEIPT_MARK_TOTAL));
		free(plain);
		free(marked);
	}
}

/* Characters, not bytes: the return screen's columns (core/utf8.h). */
static void test_utf8_columns(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(utf8_chars("Kopi Caf\xc3\xa9 Latte"), 15);
	assert_int_equal(utf8_chars("Cafe\xcc\x81"), 4);            /* combining accent */
	assert_int_equal(utf8_chars(NULL), 0);
	assert_string_equal(utf8_fit("Caf\xc3\xa9", 6, buf, sizeof buf), "Caf\xc3\xa9  ");
	assert_string_equal(utf8_fit("Caf\xc3\xa9 Latte", 4, buf, sizeof buf), "Caf\xc3\xa9");
	assert_string_equal(utf8_fit("\xe2\x80\x9cGula\xe2\x80\x9d", 3, buf, sizeof buf),
	                    "\xe2\x80\x9cGu");
	assert_string_equal(utf8_fit("abc", 5, buf, 4), "abc");     /* buffer bound */
	assert_int_equal(utf8_chars(utf8_fit("Daging Sapi Has Dalam \xc2\xbd kg", 20, buf,
	                                     sizeof buf)), 20);
}

/* The lines after the check code's label, joined: the code, each line at
 * most cols wide and broken only after a ':'. */
static void check_code_lines(const char *text, int cols, const char *code)
{
	const char *p = strstr(text, "Kode cek struk (cek di HQ):\n");
	char joined[256] = "";

	assert_non_null(p);
	p = strchr(p, '\n') + 1;
	while (strlen(joined) < strlen(code)) {
		const char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(nl - p <= cols);
		assert_true(nl[-1] == ':' || strlen(joined) + (size_t)(nl - p) == strlen(code));
		strncat(joined, p, (size_t)(nl - p));
		p = nl + 1;
	}
	assert_string_equal(joined, code);
}

/* A check code prints as text at every width; the marked text holds it
 * once more on a QR line of its own before the label, which the plain text
 * never has. A return receipt prints its code the same way. */
static void test_check_code(void **state)
{
	static const int widths[] = { 32, 40, 42, 48 };
	static const char code[] = "CM1:KMB-SMG:KSM01:KSM01-250314-0042:1234:1a2b3c4d5e6f7081:235400";
	struct receipt_sale s = sale(true);
	const struct return_rec h = {
		.return_no = "KSM01-R000007", .sale_receipt = "KSM01-250314-0042",
		.at = SALE_TIME, .total = 13500, .refund = 13500, .journal_seq = 1300,
	};
	struct receipt_return r = { .h = &h, .cashier = "Siti", .approver = "Ani",
	                            .reason = "rusak", .hash_hex = "ffee", .check_code = code };
	char *text, *marked;

	(void)state;
	s.check_code = code;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		text = render(&s, &pkp_store, widths[i]);
		check_code_lines(text, widths[i], code);
		assert_null(strchr(text, RECEIPT_MARK_QR));
		marked = receipt_render_marked(&s, &pkp_store, widths[i]);
		assert_non_null(marked);
		assert_non_null(strstr(marked, "\x03" "CM1:KMB-SMG:KSM01:KSM01-250314-0042:1234:"
		                               "1a2b3c4d5e6f7081:235400\nKode cek struk"));
		free(text);
		free(marked);
		text = receipt_render_return(&r, &pkp_store, widths[i]);
		assert_non_null(text);
		check_shape(text, widths[i]);
		check_code_lines(text, widths[i], code);
		free(text);
	}
	s.check_code = "";
	text = render(&s, &pkp_store, 32);
	assert_null(strstr(text, "Kode cek"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_pkp),
		cmocka_unit_test(test_marked_structure),
		cmocka_unit_test(test_utf8_columns),
		cmocka_unit_test(test_golden_nonpkp),
		cmocka_unit_test(test_unsupported_width),
		cmocka_unit_test(test_reprint_banner),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_empty_sale),
		cmocka_unit_test(test_luxury_and_amount_discount),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_ascii_bounds),
		cmocka_unit_test(test_check_code),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
