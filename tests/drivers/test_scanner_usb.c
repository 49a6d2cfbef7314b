/* The USB scanner backends through the real libusb code, against scanners
 * emulated by umockdev (usbemu.h): barcode strings, a bound kernel driver,
 * timeouts, unplug and replug, a HID POS scanner, the device listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "drivers/scanner.h"
#include "drivers/usb.h"
#include "usbemu.h"

#define VID 0x0c2e
#define PID 0x0b61

struct fx {
	struct usbemu *emu;
	struct usbemu_dev *dev;
	struct usb *usb;
	struct scanner *sc;
	char got[8][SCANNER_MAX_CODE];
	int n_got;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One pass of the till's loop: poll the libusb fds, dispatch, take scans. */
static void pass(struct fx *f)
{
	struct pollfd pfd[32];
	size_t n = usb_pollfds(f->usb, pfd, 32);
	int t = usb_timeout_ms(f->usb);
	poll(pfd, n < 32 ? n : 32, t < 0 || t > 5 ? 5 : t);
	usb_dispatch(f->usb);
	if (f->sc) {
		scanner_dispatch(f->sc, NULL, 0);
		while (f->n_got < 8 && scanner_next(f->sc, f->got[f->n_got], SCANNER_MAX_CODE))
			f->n_got++;
	}
}

/* Runs the loop until want scans arrived or ms passed. */
static void run_for_scans(struct fx *f, int want, int ms)
{
	long long end = now_ms() + ms;
	while (f->n_got < want && now_ms() < end)
		pass(f);
}

static void run_ms(struct fx *f, int ms)
{
	long long end = now_ms() + ms;
	while (now_ms() < end)
		pass(f);
}

static int run_until_state(struct fx *f, enum scanner_state st, int ms)
{
	long long end = now_ms() + ms;
	while (scanner_state(f->sc, NULL) != st && now_ms() < end)
		pass(f);
	return scanner_state(f->sc, NULL) == st;
}

static struct fx *fx_new(int kernel_bound, unsigned usb_flags)
{
	struct fx *f = calloc(1, sizeof *f);
	f->emu = usbemu_new();
	assert_non_null(f->emu);
	f->dev = usbemu_add_scanner(f->emu, VID, PID, kernel_bound);
	assert_int_equal(usb_open(usb_flags, &f->usb), USB_OK);
	return f;
}

static void fx_open(struct fx *f, const char *spec, unsigned timeout_ms)
{
	struct scanner_spec sp;
	struct scanner_opts o = { .read_timeout_ms = timeout_ms };
	assert_int_equal(scanner_parse_spec(spec, &sp), SCANNER_E_NONE);
	assert_int_equal(scanner_open(&sp, f->usb, &o, &f->sc), SCANNER_E_NONE);
}

static void fx_free(struct fx *f)
{
	scanner_close(f->sc);
	usb_close(f->usb);
	usbemu_free(f->emu);
	free(f);
}

static void report(struct fx *f, uint8_t mod, uint8_t k1, uint8_t k2, uint8_t k3)
{
	uint8_t r[8] = { mod, 0, k1, k2, k3, 0, 0, 0 };
	usbemu_report(f->dev, r, sizeof r);
}

static void test_exact_strings_with_shift(void **state)
{
	(void)state;
	struct fx *f = fx_new(0, 0);
	fx_open(f, "usb:0c2e:0b61", 0);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);
	assert_true(usbemu_claimed(f->dev));

	usbemu_type(f->dev, "8991234567890", 1);
	usbemu_type(f->dev, "Ab-12_x/Y:(0)", 1);
	run_for_scans(f, 2, 2000);
	assert_int_equal(f->n_got, 2);
	assert_string_equal(f->got[0], "8991234567890");
	assert_string_equal(f->got[1], "Ab-12_x/Y:(0)");
	fx_free(f);
}

/* A scanner that starts in report protocol with report ids (as HID devices
 * do after reset) sends boot reports only once told: the driver sets the
 * boot protocol before reading, so a report id is never taken for the
 * modifier byte (id 2 is "left shift": digits came out as "*((!@#$..."),
 * and an NKRO bitmap never reaches the boot decoder. */
static void report_protocol_scanner(int report_id, int nkro)
{
	struct fx *f = calloc(1, sizeof *f);
	f->emu = usbemu_new();
	assert_non_null(f->emu);
	f->dev = usbemu_add_report_scanner(f->emu, VID, PID, report_id, nkro);
	assert_int_equal(usb_open(0, &f->usb), USB_OK);
	assert_int_equal(usbemu_protocol(f->dev, NULL), 1);

	fx_open(f, "usb:0c2e:0b61", 0);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);
	int sets = 0;
	assert_int_equal(usbemu_protocol(f->dev, &sets), 0);
	assert_int_equal(sets, 1);
	usbemu_type(f->dev, "AbC-123", 1);
	usbemu_type(f->dev, "8991234567891", 1);
	run_for_scans(f, 2, 2000);
	assert_int_equal(f->n_got, 2);
	assert_string_equal(f->got[0], "AbC-123");
	assert_string_equal(f->got[1], "8991234567891");

	/* A replugged scanner is back in report protocol: set again. */
	usbemu_unplug(f->dev);
	assert_true(run_until_state(f, SCANNER_DISCONNECTED, 3000));
	usbemu_replug(f->dev);
	assert_true(run_until_state(f, SCANNER_CONNECTED, 3000));
	assert_int_equal(usbemu_protocol(f->dev, &sets), 0);
	assert_int_equal(sets, 2);
	usbemu_type(f->dev, "AbC-123", 1);
	run_for_scans(f, 3, 2000);
	assert_int_equal(f->n_got, 3);
	assert_string_equal(f->got[2], "AbC-123");
	fx_free(f);
}

static void test_report_protocol_with_ids(void **state)
{
	(void)state;
	report_protocol_scanner(2, 0);
	report_protocol_scanner(1, 0);
}

static void test_report_protocol_nkro(void **state)
{
	(void)state;
	report_protocol_scanner(1, 1);
}

/* A boot-only scanner that stalls SET_PROTOCOL is read all the same. */
static void test_set_protocol_stalled(void **state)
{
	(void)state;
	struct fx *f = fx_new(0, 0);
	usbemu_stall_set_protocol(f->dev);
	fx_open(f, "usb:0c2e:0b61", 0);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);
	int sets = 0;
	usbemu_protocol(f->dev, &sets);
	assert_int_equal(sets, 1);
	usbemu_type(f->dev, "AbC-123", 1);
	run_for_scans(f, 1, 2000);
	assert_int_equal(f->n_got, 1);
	assert_string_equal(f->got[0], "AbC-123");
	fx_free(f);
}

/* Held keys, rollover, two keys new in one report, a barcode split across
 * many reports with the terminator in a report of its own, and the three
 * terminators. */
static void test_rollover_repeats_split(void **state)
{
	(void)state;
	struct fx *f = fx_new(0, 0);
	fx_open(f, "usb:0c2e:0b61", 0);

	report(f, 0, 0x1E, 0, 0);		/* '1' pressed */
	report(f, 0, 0x1E, 0, 0);		/* still held: not a new press */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x1F, 0x20, 0);		/* '2' and '3' in one report */
	report(f, 0, 0x01, 0x01, 0x01);		/* rollover: ignored whole */
	report(f, 0, 0x1F, 0x20, 0);		/* same keys: nothing new */
	report(f, 0, 0, 0, 0);
	report(f, 0x20, 0x04, 0, 0);		/* right shift + a = 'A' */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x28, 0, 0);		/* Enter */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x27, 0, 0);		/* '0' */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x58, 0, 0);		/* keypad Enter */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x25, 0, 0);		/* '8' */
	report(f, 0, 0x25, 0x2B, 0);		/* '8' held, Tab */
	report(f, 0, 0, 0, 0);
	report(f, 0, 0x28, 0, 0);		/* bare Enter: no empty scan */
	run_for_scans(f, 3, 2000);
	run_ms(f, 50);
	assert_int_equal(f->n_got, 3);
	assert_string_equal(f->got[0], "123A");
	assert_string_equal(f->got[1], "0");
	assert_string_equal(f->got[2], "8");
	struct scanner_stats st;
	scanner_get_stats(f->sc, &st);
	assert_int_equal(st.reports, 19);
	fx_free(f);
}

/* usbhid holds the interface: claiming is BUSY until the driver detaches
 * it; closing gives it back. */
static void test_kernel_driver_detached(void **state)
{
	(void)state;
	struct fx *f = fx_new(1, 0);
	libusb_device_handle *h = libusb_open_device_with_vid_pid(usb_context(f->usb), VID, PID);
	assert_non_null(h);
	assert_int_equal(libusb_kernel_driver_active(h, 0), 1);
	assert_int_equal(libusb_claim_interface(h, 0), LIBUSB_ERROR_BUSY);
	libusb_close(h);

	fx_open(f, "usb:0C2E:0B61", 0);
	enum scanner_err why;
	scanner_state(f->sc, &why);
	assert_int_equal(why, SCANNER_E_NONE);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);
	assert_false(usbemu_kernel_bound(f->dev));
	assert_true(usbemu_claimed(f->dev));
	struct scanner_stats st;
	scanner_get_stats(f->sc, &st);
	assert_int_equal(st.detached, 1);

	usbemu_type(f->dev, "4006381333931", 1);
	run_for_scans(f, 1, 2000);
	assert_int_equal(f->n_got, 1);
	assert_string_equal(f->got[0], "4006381333931");

	scanner_close(f->sc);
	f->sc = NULL;
	assert_true(usbemu_kernel_bound(f->dev));
	assert_false(usbemu_claimed(f->dev));
	fx_free(f);
}

/* A scan cut short is dropped after the read timeout; the next one is whole. */
static void test_timeout_drops_partial(void **state)
{
	(void)state;
	struct fx *f = fx_new(0, 0);
	fx_open(f, "usb:0c2e:0b61", 100);
	usbemu_type(f->dev, "123", 0);
	run_ms(f, 400);
	assert_int_equal(f->n_got, 0);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);
	usbemu_type(f->dev, "456", 1);
	run_for_scans(f, 1, 2000);
	assert_int_equal(f->n_got, 1);
	assert_string_equal(f->got[0], "456");
	struct scanner_stats st;
	scanner_get_stats(f->sc, &st);
	assert_int_equal(st.dropped, 1);
	fx_free(f);
}

static void unplug_replug(unsigned usb_flags)
{
	struct fx *f = fx_new(0, usb_flags);
	fx_open(f, "usb:0c2e:0b61", 0);
	assert_int_equal(usb_has_hotplug(f->usb), !(usb_flags & USB_POLL_HOTPLUG));
	usbemu_type(f->dev, "111", 1);
	run_for_scans(f, 1, 2000);
	assert_int_equal(f->n_got, 1);

	/* Unplugged in the middle of a scan, with a read in flight. */
	usbemu_type(f->dev, "22", 0);
	while (usbemu_reports_left(f->dev) > 0)
		pass(f);
	usbemu_unplug(f->dev);
	assert_true(run_until_state(f, SCANNER_DISCONNECTED, 3000));
	enum scanner_err why;
	scanner_state(f->sc, &why);
	assert_int_equal(why, SCANNER_E_UNPLUGGED);
	assert_false(usbemu_claimed(f->dev));

	usbemu_replug(f->dev);
	assert_true(run_until_state(f, SCANNER_CONNECTED, 3000));
	assert_true(usbemu_claimed(f->dev));
	usbemu_type(f->dev, "333", 1);
	run_for_scans(f, 2, 2000);
	assert_int_equal(f->n_got, 2);
	assert_string_equal(f->got[1], "333");	/* the cut "22" is not glued on */
	struct scanner_stats st;
	scanner_get_stats(f->sc, &st);
	assert_int_equal(st.reconnects, 1);
	fx_free(f);
}

static void test_unplug_replug_hotplug(void **state)
{
	(void)state;
	unplug_replug(0);
}

static void test_unplug_replug_polling(void **state)
{
	(void)state;
	unplug_replug(USB_POLL_HOTPLUG);
}

/* Configured but not plugged in when the till starts: connects on arrival. */
static void test_absent_then_arrives(void **state)
{
	(void)state;
	struct fx *f = calloc(1, sizeof *f);
	f->emu = usbemu_new();
	assert_int_equal(usb_open(0, &f->usb), USB_OK);
	fx_open(f, "usb:0c2e:0b61", 0);
	enum scanner_err why;
	assert_int_equal(scanner_state(f->sc, &why), SCANNER_DISCONNECTED);
	assert_int_equal(why, SCANNER_E_NOT_FOUND);
	f->dev = usbemu_add_scanner(f->emu, VID, PID, 1);
	assert_true(run_until_state(f, SCANNER_CONNECTED, 3000));
	usbemu_type(f->dev, "555", 1);
	run_for_scans(f, 1, 2000);
	assert_int_equal(f->n_got, 1);
	assert_string_equal(f->got[0], "555");
	fx_free(f);
}

/* A POS scanner whose descriptor has two input reports, a vendor length
 * byte, symbology bytes from a usage range, padding, and the continuation
 * flag in the last byte. */
static const uint8_t pos_desc[] = {
	0x05, 0x8C,		/* usage page (bar code scanner) */
	0x09, 0x02,		/* usage (bar code scanner) */
	0xA1, 0x01,		/* collection (application) */
	0x85, 0x01,		/*   report id 1: a status report */
	0x09, 0x10,		/*   usage */
	0x75, 0x08, 0x95, 0x04,	/*   size 8, count 4 */
	0x81, 0x02,		/*   input (data, var) */
	0x09, 0x12,		/*   usage (scanned data report) */
	0xA1, 0x02,		/*   collection (logical) */
	0x85, 0x02,		/*     report id 2 */
	0x06, 0x00, 0xFF,	/*     usage page (vendor) */
	0x09, 0x01,		/*     usage: the length byte */
	0x75, 0x08, 0x95, 0x01,
	0x81, 0x02,
	0x05, 0x8C,		/*     usage page (bar code scanner) */
	0x19, 0xFB, 0x29, 0xFD,	/*     usages FB..FD: symbology */
	0x95, 0x03,
	0x81, 0x02,
	0x09, 0xFE,		/*     decoded data */
	0x95, 0x38,		/*     56 bytes */
	0x82, 0x02, 0x01,	/*     input (data, var, buffered bytes) */
	0x75, 0x07, 0x95, 0x01,
	0x81, 0x01,		/*     padding: 7 bits constant */
	0x09, 0xFF,		/*     decoded data continued */
	0x75, 0x01, 0x95, 0x01,
	0x81, 0x02,
	0xC0,
	0xC0,
};

static void pos_report(struct usbemu_dev *d, const char *data, int cont, uint8_t garbage)
{
	uint8_t r[1 + 1 + 3 + 56 + 1];
	memset(r, garbage, sizeof r);
	size_t n = strlen(data);
	r[0] = 2;
	r[1] = (uint8_t)n;
	memcpy(r + 2, "]E0", 3);
	memcpy(r + 5, data, n);
	r[61] = cont ? 0x80 : 0x00;
	usbemu_report(d, r, sizeof r);
}

static void test_hid_pos_scanner(void **state)
{
	(void)state;
	struct fx *f = calloc(1, sizeof *f);
	f->emu = usbemu_new();
	f->dev = usbemu_add_pos_scanner(f->emu, 0x0536, 0x02E1, pos_desc, sizeof pos_desc);
	assert_int_equal(usb_open(0, &f->usb), USB_OK);
	fx_open(f, "usbpos:0536:02e1", 0);
	assert_int_equal(scanner_state(f->sc, NULL), SCANNER_CONNECTED);

	uint8_t status[5] = { 1, 0xAA, 0xBB, 0xCC, 0xDD };	/* another report: ignored */
	usbemu_report(f->dev, status, sizeof status);
	pos_report(f->dev, "5901234123457", 0, 0x00);
	/* 70 characters in two reports; the bytes past the length are junk. */
	char a[57], b[15];
	memset(a, 'A', 56); a[56] = '\0';
	memcpy(b, "BCDEFGHIJKLMNO", 15);
	pos_report(f->dev, a, 1, 0x00);
	pos_report(f->dev, b, 0, 0x5A);
	run_for_scans(f, 2, 2000);
	assert_int_equal(f->n_got, 2);
	assert_string_equal(f->got[0], "5901234123457");
	char want[80];
	snprintf(want, sizeof want, "%s%s", a, b);
	assert_string_equal(f->got[1], want);

	/* Binary data with a NUL inside its length: refused whole, not cut
	 * to "899" (which could name another item). */
	uint8_t bin[62] = { 2, 6, ']', 'Q', '1', '8', '9', '9', 0, '1', '2' };
	usbemu_report(f->dev, bin, sizeof bin);
	pos_report(f->dev, "96385074", 0, 0x00);
	run_for_scans(f, 3, 2000);
	assert_int_equal(f->n_got, 3);
	assert_string_equal(f->got[2], "96385074");
	struct scanner_stats st;
	scanner_get_stats(f->sc, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.scans, 3);
	fx_free(f);
}

static void test_device_listing(void **state)
{
	(void)state;
	struct fx *f = fx_new(1, 0);
	usbemu_add_printer(f->emu, 0x04b8, 0x0202, "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;");
	usbemu_add_pos_scanner(f->emu, 0x0536, 0x02E1, pos_desc, sizeof pos_desc);
	struct usb_devinfo *d;
	size_t n;
	run_ms(f, 100);
	assert_int_equal(usb_list(f->usb, &d, &n), USB_OK);
	assert_int_equal(n, 3);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(d[i].opened);
		if (d[i].vid == VID) {
			assert_int_equal(d[i].kind, USB_KIND_SCANNER_KBD);
			assert_string_equal(d[i].product, "Emulated Barcode Scanner");
			assert_string_equal(d[i].manufacturer, "Coopmart Test");
			seen |= 1;
		} else if (d[i].vid == 0x04b8) {
			assert_int_equal(d[i].kind, USB_KIND_PRINTER);
			assert_int_equal(d[i].iface, 0);
			assert_string_equal(d[i].device_id, "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;");
			seen |= 2;
		} else if (d[i].vid == 0x0536) {
			assert_int_equal(d[i].kind, USB_KIND_SCANNER_POS);
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
	free(d);
	fx_free(f);
}

static void test_bad_specs(void **state)
{
	(void)state;
	struct scanner_spec sp;
	const char *bad[] = { "usb:", "usb:0c2e", "usb:0c2e:0b6", "usb:0c2e:0b61x", "usb:zz2e:0b61",
	                      "tty:", "tty:/dev/ttyACM0:1234", "tty:/dev/ttyACM0:", "serial", "usbpos:1:2" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(scanner_parse_spec(bad[i], &sp), SCANNER_E_SPEC);
	assert_int_equal(scanner_parse_spec("tty:/dev/ttyACM0:115200", &sp), SCANNER_E_NONE);
	assert_string_equal(sp.path, "/dev/ttyACM0");
	assert_int_equal(sp.baud, 115200);
	assert_int_equal(scanner_parse_spec("tty:/dev/ttyUSB1", &sp), SCANNER_E_NONE);
	assert_int_equal(sp.baud, 9600);
	assert_int_equal(scanner_parse_spec("keyboard", &sp), SCANNER_E_NONE);
	assert_int_equal(sp.type, SCANNER_KEYBOARD);
	assert_int_equal(scanner_parse_spec("usbpos:0536:02E1", &sp), SCANNER_E_NONE);
	assert_int_equal(sp.vid, 0x0536);
	assert_int_equal(sp.pid, 0x02e1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_exact_strings_with_shift),
		cmocka_unit_test(test_rollover_repeats_split),
		cmocka_unit_test(test_report_protocol_with_ids),
		cmocka_unit_test(test_report_protocol_nkro),
		cmocka_unit_test(test_set_protocol_stalled),
		cmocka_unit_test(test_kernel_driver_detached),
		cmocka_unit_test(test_timeout_drops_partial),
		cmocka_unit_test(test_unplug_replug_hotplug),
		cmocka_unit_test(test_unplug_replug_polling),
		cmocka_unit_test(test_absent_then_arrives),
		cmocka_unit_test(test_hid_pos_scanner),
		cmocka_unit_test(test_device_listing),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
