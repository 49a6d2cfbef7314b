/* Benchmark: a scanner's last report (the Enter) becomes a barcode event
 * in the till's loop, through the real libusb path: an emulated HID boot
 * keyboard scanner (umockdev, tests/drivers/usbemu.c) answers the
 * interrupt URB; one loop pass is poll() on the libusb fds, usb_dispatch()
 * (libusb_handle_events with a zero timeout, the transfer callback, the
 * decoder) and scanner_next(). Timed from queueing the report to the
 * event. The emulation adds umockdev's socket round trip for every ioctl,
 * so the figure is an upper bound of the driver's own cost.
 *
 * Runs under umockdev-wrapper: umockdev-wrapper build/tests/bench_scanner */
#include "benchutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hidkbd.h"
#include "drivers/scanner.h"
#include "drivers/usb.h"
#include "../drivers/usbemu.h"

#define TARGET_MS 1.0
#define WARMUP 20

static void pass(struct usb *u)
{
	struct pollfd pfd[32];
	size_t n = usb_pollfds(u, pfd, 32);
	poll(pfd, n < 32 ? n : 32, 1);
	usb_dispatch(u);
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int ex;
	if (!bench_parse_args(argc, argv, "bench_scanner", 2000, 200, &o, &ex))
		return ex;
	struct usbemu *emu = usbemu_new();
	if (!emu) {
		fprintf(stderr, "bench_scanner: run it under umockdev-wrapper\n");
		return 1;
	}
	struct usbemu_dev *dev = usbemu_add_scanner(emu, 0x0c2e, 0x0b61, 1);
	struct usb *u;
	struct scanner *s;
	struct scanner_spec spec;
	if (usb_open(0, &u) != USB_OK || scanner_parse_spec("usb:0c2e:0b61", &spec) != SCANNER_E_NONE ||
	    scanner_open(&spec, u, NULL, &s) != SCANNER_E_NONE ||
	    scanner_state(s, NULL) != SCANNER_CONNECTED) {
		fprintf(stderr, "bench_scanner: the emulated scanner did not open\n");
		return 1;
	}
	bench_print_header("scanner report -> barcode event (libusb under umockdev)", &o);
	int64_t *ns = calloc((size_t)o.count, sizeof *ns);
	int64_t *last = calloc((size_t)o.count, sizeof *last);
	const uint8_t enter[8] = { 0, 0, 0x28 }, up[8] = { 0 };
	char code[SCANNER_MAX_CODE];
	long bad = 0;
	for (long i = -WARMUP; i < o.count; i++) {
		usbemu_type(dev, "8991234567890", 0);
		while (usbemu_reports_left(dev) > 0)
			pass(u);
		/* The digits are in; the event waits for the Enter report. */
		int64_t t0 = bench_now_ns();
		usbemu_report(dev, enter, sizeof enter);
		int got = 0;
		int64_t tp = 0;
		while (!got) {
			tp = bench_now_ns();
			pass(u);
			got = scanner_next(s, code, sizeof code);
		}
		int64_t t1 = bench_now_ns(), dt = t1 - t0;
		usbemu_report(dev, up, sizeof up);
		if (strcmp(code, "8991234567890") != 0)
			bad++;
		if (i >= 0) {
			ns[i] = dt;
			last[i] = t1 - tp;
		}
	}
	struct bench_stats st, lp;
	bench_percentiles(ns, (size_t)o.count, &st);
	bench_percentiles(last, (size_t)o.count, &lp);
	printf("report->event  n=%zu  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms   "
	       "target p99 < %g ms: %s\n", st.n, st.p50, st.p90, st.p99, st.max, TARGET_MS,
	       st.p99 < TARGET_MS ? "met" : "NOT met");
	/* The loop pass that delivered the event: poll, reap, callback, decode. */
	printf("delivering pass  p50 %.3f ms  p99 %.3f ms\n", lp.p50, lp.p99);
	/* The decoder alone, for scale: a 13-digit scan is 28 reports. */
	struct hidkbd k;
	hidkbd_init(&k);
	const uint8_t digit[8] = { 0, 0, 0x1F }, rel[8] = { 0 };
	long reps = 200000;
	int64_t d0 = bench_now_ns();
	for (long i = 0; i < reps; i++) {
		hidkbd_feed(&k, (i & 1) ? rel : digit, 8, NULL, NULL, NULL);
		if ((i & 63) == 63)
			hidkbd_feed(&k, enter, 8, NULL, NULL, NULL);
	}
	printf("hidkbd_feed alone  %.1f ns a report\n", (double)(bench_now_ns() - d0) / (double)reps);
	bench_print_footer();
	free(last);
	free(ns);
	scanner_close(s);
	usb_close(u);
	usbemu_free(emu);
	if (bad) {
		fprintf(stderr, "bench_scanner: %ld scans decoded wrong\n", bad);
		return 1;
	}
	return 0;
}
