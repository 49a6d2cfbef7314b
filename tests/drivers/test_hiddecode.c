/* The pure decoders: boot-keyboard reports (hidkbd) and HID report
 * descriptors and POS scanner reports (hidpos). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/hidkbd.h"
#include "drivers/hidpos.h"

struct got {
	char codes[8][HIDPOS_MAX_CODE + 1];
	char sym[8][4];
	int n;
};

static void on_kbd(void *arg, const char *code)
{
	struct got *g = arg;
	if (g->n < 8)
		snprintf(g->codes[g->n++], sizeof g->codes[0], "%s", code);
}

static void on_pos(void *arg, const char *code, const char *sym)
{
	struct got *g = arg;
	if (g->n < 8) {
		snprintf(g->sym[g->n], sizeof g->sym[0], "%s", sym);
		snprintf(g->codes[g->n++], sizeof g->codes[0], "%s", code);
	}
}

static void key(struct hidkbd *k, struct got *g, uint8_t mod, uint8_t u, int *dropped)
{
	uint8_t down[8] = { mod, 0, u }, up[8] = { 0 };
	hidkbd_feed(k, down, sizeof down, on_kbd, g, dropped);
	hidkbd_feed(k, up, sizeof up, on_kbd, g, dropped);
}

static void test_kbd_every_printable(void **state)
{
	(void)state;
	const char *want = "abcdefghijklmnopqrstuvwxyz1234567890 -=[]\\;'`,./";
	const char *want_s = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*() _+{}|:\"~<>?";
	struct hidkbd k;
	struct got g = {0};
	hidkbd_init(&k);
	for (uint8_t u = 0x04; u <= 0x38; u++)
		if (u != 0x28 && u != 0x29 && u != 0x2A && u != 0x2B && u != 0x32)
			key(&k, &g, 0, u, NULL);
	key(&k, &g, 0, 0x28, NULL);
	for (uint8_t u = 0x04; u <= 0x38; u++)
		if (u != 0x28 && u != 0x29 && u != 0x2A && u != 0x2B && u != 0x32)
			key(&k, &g, 0x02, u, NULL);
	key(&k, &g, 0, 0x58, NULL);
	/* Keypad digits, Escape and Backspace (which give nothing), Tab. */
	key(&k, &g, 0, 0x59, NULL);
	key(&k, &g, 0, 0x62, NULL);
	key(&k, &g, 0, 0x29, NULL);
	key(&k, &g, 0, 0x2A, NULL);
	key(&k, &g, 0, 0x2B, NULL);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.codes[0], want);
	assert_string_equal(g.codes[1], want_s);
	assert_string_equal(g.codes[2], "10");
}

static void test_kbd_too_long_and_short_reports(void **state)
{
	(void)state;
	struct hidkbd k;
	struct got g = {0};
	int dropped = 0;
	hidkbd_init(&k);
	for (int i = 0; i < HIDKBD_MAX_CODE + 5; i++)
		key(&k, &g, 0, 0x1E, &dropped);
	key(&k, &g, 0, 0x28, &dropped);
	assert_int_equal(g.n, 0);
	assert_int_equal(dropped, 1);
	/* Short reports (3 bytes) are padded; the next barcode is whole. */
	uint8_t r1[3] = { 0, 0, 0x1F }, r0[1] = { 0 }, re[3] = { 0, 0, 0x28 };
	hidkbd_feed(&k, r1, sizeof r1, on_kbd, &g, &dropped);
	hidkbd_feed(&k, r0, sizeof r0, on_kbd, &g, &dropped);
	hidkbd_feed(&k, re, sizeof re, on_kbd, &g, &dropped);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.codes[0], "2");
	/* Two barcodes finished in one report: "3" Enter, then "4" Tab. */
	uint8_t a[8] = { 0, 0, 0x20 }, b[8] = { 0, 0, 0x20, 0x28, 0x21, 0x2B };
	hidkbd_feed(&k, a, 8, on_kbd, &g, NULL);
	assert_int_equal(hidkbd_feed(&k, b, 8, on_kbd, &g, NULL), 2);
	assert_string_equal(g.codes[1], "3");
	assert_string_equal(g.codes[2], "4");
	/* A reset forgets a scan cut short. */
	key(&k, &g, 0, 0x22, NULL);
	assert_int_equal(hidkbd_pending(&k), 1);
	hidkbd_reset(&k);
	key(&k, &g, 0, 0x23, NULL);
	key(&k, &g, 0, 0x28, NULL);
	assert_string_equal(g.codes[3], "6");
}

/* Without report ids: 3 symbology bytes, 20 data bytes, no length. */
static const uint8_t desc_noid[] = {
	0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01,
	0x75, 0x08, 0x95, 0x03, 0x19, 0xFB, 0x29, 0xFD, 0x81, 0x02,
	0x95, 0x14, 0x09, 0xFE, 0x81, 0x02,
	0xC0,
};

static void test_pos_parse_and_decode_without_ids(void **state)
{
	(void)state;
	struct hidpos_layout l;
	struct hidpos p;
	struct got g = {0};
	assert_int_equal(hidpos_parse(desc_noid, sizeof desc_noid, &l), HIDPOS_OK);
	assert_false(l.uses_ids);
	assert_int_equal(l.report_len, 23);
	assert_int_equal(l.data.bit, 24);
	assert_int_equal(l.data.count, 20);
	assert_false(l.length.present);
	assert_false(l.cont.present);
	hidpos_init(&p, &l);
	uint8_t r[23] = { ']', 'C', '0', '1', '2', '3' };
	assert_int_equal(hidpos_feed(&p, r, sizeof r, on_pos, &g, NULL), 1);
	assert_string_equal(g.codes[0], "123");
	assert_string_equal(g.sym[0], "]C0");
	/* An empty report gives nothing. */
	uint8_t z[23] = {0};
	assert_int_equal(hidpos_feed(&p, z, sizeof z, on_pos, &g, NULL), 0);
}

/* With a length byte, a NUL inside the length is binary data: refused
 * whole (-1), never cut short; NULs past the length are padding. */
static void test_pos_nul_inside_length_refused(void **state)
{
	(void)state;
	const uint8_t d[] = {
		0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01,
		0x75, 0x08, 0x95, 0x01, 0x09, 0x01, 0x81, 0x02,	/* length */
		0x95, 0x10, 0x09, 0xFE, 0x81, 0x02,		/* data */
		0xC0,
	};
	struct hidpos_layout l;
	struct hidpos p;
	struct got g = {0};
	assert_int_equal(hidpos_parse(d, sizeof d, &l), HIDPOS_OK);
	assert_true(l.length.present);
	hidpos_init(&p, &l);
	uint8_t bin[17] = { 5, '8', '9', 0, '9', '1' };
	assert_int_equal(hidpos_feed(&p, bin, sizeof bin, on_pos, &g, NULL), -1);
	assert_int_equal(g.n, 0);
	uint8_t text[17] = { 3, '8', '9', '9', 0, 'J', 'U', 'N', 'K' };
	assert_int_equal(hidpos_feed(&p, text, sizeof text, on_pos, &g, NULL), 1);
	assert_string_equal(g.codes[0], "899");
}

static void test_pos_malformed(void **state)
{
	(void)state;
	struct hidpos_layout l;
	const uint8_t truncated[] = { 0x05, 0x8C, 0x09 };
	const uint8_t unbalanced[] = { 0xA1, 0x01, 0xA1, 0x02, 0xC0 };
	const uint8_t extra_end[] = { 0xC0 };
	const uint8_t pop[] = { 0xB4 };
	const uint8_t big_size[] = { 0x75, 0x40 };
	const uint8_t long_item_short[] = { 0xFE, 0x10, 0x00, 0x01 };
	const uint8_t id_zero[] = { 0x85, 0x00 };
	const uint8_t huge_count[] = { 0x75, 0x20, 0x97, 0xFF, 0xFF, 0x00, 0x00, 0x81, 0x02 };
	assert_int_equal(hidpos_parse(truncated, sizeof truncated, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(unbalanced, sizeof unbalanced, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(extra_end, sizeof extra_end, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(pop, sizeof pop, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(big_size, sizeof big_size, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(long_item_short, sizeof long_item_short, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(id_zero, sizeof id_zero, &l), HIDPOS_MALFORMED);
	assert_int_equal(hidpos_parse(huge_count, sizeof huge_count, &l), HIDPOS_MALFORMED);
	/* A keyboard's descriptor parses but has no scanner data. */
	const uint8_t kbd[] = { 0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0,
	                        0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08,
	                        0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06,
	                        0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x19, 0x00, 0x29, 0x65,
	                        0x81, 0x00, 0xC0 };
	assert_int_equal(hidpos_parse(kbd, sizeof kbd, &l), HIDPOS_NO_DATA);
}

/* Push/pop, a long item and a 4-byte usage (page in the high half) parse. */
static void test_pos_push_pop_long_item(void **state)
{
	(void)state;
	const uint8_t d[] = {
		0x05, 0x01, 0xA1, 0x01, 0x85, 0x03,
		0xA4,				/* push (page 1) */
		0x75, 0x08, 0x95, 0x02, 0x81, 0x03,	/* 2 constant bytes */
		0xFE, 0x02, 0x7F, 0xAA, 0xBB,	/* a long item, skipped */
		0x95, 0x10,
		0x0B, 0xFE, 0x00, 0x8C, 0x00,	/* usage 0x8C:0xFE as 4 bytes */
		0x81, 0x02,
		0xB4,				/* pop */
		0xC0,
	};
	struct hidpos_layout l;
	struct hidpos p;
	struct got g = {0};
	assert_int_equal(hidpos_parse(d, sizeof d, &l), HIDPOS_OK);
	assert_true(l.uses_ids);
	assert_int_equal(l.report_id, 3);
	assert_int_equal(l.data.bit, 16);
	assert_int_equal(l.report_len, 19);
	hidpos_init(&p, &l);
	uint8_t r[19] = { 3, 0xEE, 0xEE, 'X', 'Y', 0, 'Z' };
	assert_int_equal(hidpos_feed(&p, r, sizeof r, on_pos, &g, NULL), 1);
	assert_string_equal(g.codes[0], "XY");
	assert_string_equal(g.sym[0], "");
	r[0] = 4;	/* another report id: ignored */
	assert_int_equal(hidpos_feed(&p, r, sizeof r, on_pos, &g, NULL), 0);
}

/* A continuation flag and symbology in one report, the data in another:
 * only the data report's own fields count. */
static void test_pos_fields_of_other_reports(void **state)
{
	(void)state;
	const uint8_t d[] = {
		0x05, 0x8C, 0xA1, 0x01,
		0x85, 0x01, 0x75, 0x08, 0x95, 0x01, 0x09, 0xFB, 0x81, 0x02,
		0x75, 0x01, 0x09, 0xFF, 0x81, 0x02, 0x75, 0x07, 0x81, 0x01,
		0x85, 0x02, 0x75, 0x08, 0x95, 0x08, 0x09, 0xFE, 0x81, 0x02,
		0xC0,
	};
	struct hidpos_layout l;
	struct hidpos p;
	struct got g = {0};
	assert_int_equal(hidpos_parse(d, sizeof d, &l), HIDPOS_OK);
	assert_int_equal(l.report_id, 2);
	assert_false(l.cont.present);
	assert_false(l.sym[0].present);
	assert_int_equal(l.report_len, 9);
	hidpos_init(&p, &l);
	uint8_t r[9] = { 2, 'O', 'K', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	r[3] = 0;
	assert_int_equal(hidpos_feed(&p, r, sizeof r, on_pos, &g, NULL), 1);
	assert_string_equal(g.codes[0], "OK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kbd_every_printable),
		cmocka_unit_test(test_kbd_too_long_and_short_reports),
		cmocka_unit_test(test_pos_parse_and_decode_without_ids),
		cmocka_unit_test(test_pos_nul_inside_length_refused),
		cmocka_unit_test(test_pos_malformed),
		cmocka_unit_test(test_pos_push_pop_long_item),
		cmocka_unit_test(test_pos_fields_of_other_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
