/* The emulated USB printer (usbemu.c, also behind usbfake_preload.c) as
 * the printer drivers will meet it through libusb: descriptors, the
 * IEEE 1284 device id, port status, bytes on bulk OUT, ESC/POS real-time
 * status answers on bulk IN, and unplugging. Shared usb.c calls are used
 * where they exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/usb.h"
#include "usbemu.h"

static void answer_dle_eot(void *arg, struct usbemu_dev *d, const uint8_t *out, size_t len)
{
	(void)arg;
	for (size_t i = 0; i + 2 < len; i++)
		if (out[i] == 0x10 && out[i + 1] == 0x04) {
			uint8_t b = (uint8_t)(0x12 | (out[i + 2] == 4 ? 0x60 : 0));
			usbemu_in_locked(d, &b, 1);
		}
}

static void test_printer(void **state)
{
	(void)state;
	struct usbemu *e = usbemu_new();
	assert_non_null(e);
	struct usbemu_dev *p = usbemu_add_printer(e, 0x04b8, 0x0202, "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;");
	usbemu_set_answer(p, answer_dle_eot, NULL);
	struct usb *u;
	assert_int_equal(usb_open(0, &u), USB_OK);
	libusb_device_handle *h = libusb_open_device_with_vid_pid(usb_context(u), 0x04b8, 0x0202);
	assert_non_null(h);

	uint8_t iface = 9, in = 0, out = 0;
	assert_int_equal(usb_find_interface(libusb_get_device(h), USB_KIND_PRINTER, &iface, &in, NULL, &out), 0);
	assert_int_equal(iface, 0);
	assert_int_equal(in, 0x82);
	assert_int_equal(out, 0x01);
	char id[256];
	assert_int_equal(usb_printer_device_id(h, 0, 0, id, sizeof id), 33);
	assert_string_equal(id, "MFG:EPSON;MDL:TM-T82;CMD:ESC/POS;");
	uint8_t port = 0;
	assert_int_equal(libusb_control_transfer(h, 0xA1, 1, 0, 0, &port, 1, 100), 1);
	assert_int_equal(port, 0x18);
	usbemu_set_port_status(p, 0x38);
	assert_int_equal(libusb_control_transfer(h, 0xA1, 1, 0, 0, &port, 1, 100), 1);
	assert_int_equal(port, 0x38);

	assert_int_equal(libusb_claim_interface(h, 0), 0);
	uint8_t job[] = { 0x1B, 0x40, 'H', 'i', '\n', 0x10, 0x04, 0x04 };
	int done = 0;
	assert_int_equal(libusb_bulk_transfer(h, 0x01, job, sizeof job, &done, 500), 0);
	assert_int_equal(done, (int)sizeof job);
	uint8_t st[8];
	assert_int_equal(libusb_bulk_transfer(h, 0x82, st, sizeof st, &done, 500), 0);
	assert_int_equal(done, 1);
	assert_int_equal(st[0], 0x72);
	/* Nothing more to read: a real timeout. */
	assert_int_equal(libusb_bulk_transfer(h, 0x82, st, sizeof st, &done, 50), LIBUSB_ERROR_TIMEOUT);
	uint8_t got[64];
	assert_int_equal(usbemu_out(p, got, sizeof got), sizeof job);
	assert_memory_equal(got, job, sizeof job);

	/* Unplugged: writes fail with NO_DEVICE. */
	usbemu_unplug(p);
	int r = libusb_bulk_transfer(h, 0x01, job, sizeof job, &done, 500);
	assert_true(r == LIBUSB_ERROR_NO_DEVICE || r == LIBUSB_ERROR_IO);
	libusb_release_interface(h, 0);
	libusb_close(h);
	usb_close(u);
	usbemu_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
