/* The USB printer transport (drivers/printer_usb.c) running the real libusb
 * code against a receipt printer emulated by umockdev: a handler in this
 * process answers the usbdevfs ioctls libusb issues (notes/usb-testing.md).
 *
 * The emulated printer (04b8:0e15, printer class, bidirectional: bulk OUT
 * 0x01, bulk IN 0x82) records every byte sent to it, answers DLE EOT n
 * with a configurable status byte, answers GET_DEVICE_ID, can hold its
 * interface with a kernel driver (usblp), stall (take no data), stay
 * silent, or vanish after a number of bytes (unplugged mid-receipt).
 *
 * Runs under umockdev-wrapper (ctest does that). */
#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <umockdev.h>
#include <cmocka.h>

#include "drivers/printer.h"

#define VID 0x04b8
#define PID 0x0e15
#define NODE "/dev/bus/usb/001/002"
#define DEVICE_ID "MFG:EPSON;CMD:ESC/POS;MDL:TM-T20II;CLS:PRINTER;DES:TM-T20II;"

static const char description[] =
	"P: /devices/pci0000:00/usb1/1-2\n"
	"N: bus/usb/001/002\n"
	"E: SUBSYSTEM=usb\n"
	"E: DEVTYPE=usb_device\n"
	"E: DEVNAME=" NODE "\n"
	"E: BUSNUM=001\n"
	"E: DEVNUM=002\n"
	"A: busnum=1\\n\n"
	"A: devnum=2\\n\n"
	"A: bConfigurationValue=1\\n\n"
	"A: speed=12\\n\n"
	/* device descriptor; configuration 1: one printer-class interface
	 * (7/1/2) with bulk OUT 0x01 and bulk IN 0x82, 64-byte packets */
	"H: descriptors=12010002000000" "40b804150e000101020301"
	"09022000010100c032"
	"090400000207010200"
	"07050102400000"
	"07058202400000\n";

/* ---- the emulated printer --------------------------------------------------- */

struct urb {
	UMockdevIoctlData *urb, *buf;
};

static struct emu {
	pthread_mutex_t lock;
	GByteArray *out;          /* every byte received on bulk OUT */
	uint8_t answer[5];        /* DLE EOT n answers by n; 0 = stay silent */
	GQueue ready;             /* struct urb * done, waiting to be reaped */
	GQueue in_wait;           /* bulk IN URBs waiting for an answer */
	GQueue out_wait;          /* bulk OUT URBs held while stalled */
	GQueue answers;           /* answer bytes not yet read */
	bool stall;               /* take no data */
	long gone_after;          /* vanish after this many OUT bytes; -1 never */
	bool gone;
	bool usblp_bound;
	int detaches, claims;
	uint8_t setup[8];         /* the last control request */
} emu;

static void urb_free(struct urb *u)
{
	umockdev_ioctl_data_unref(u->buf);
	umockdev_ioctl_data_unref(u->urb);
	free(u);
}

/* Completes waiting IN URBs while answers are queued (lock held). */
static void answer_in(void)
{
	while (!g_queue_is_empty(&emu.in_wait) && !g_queue_is_empty(&emu.answers)) {
		struct urb *u = g_queue_pop_head(&emu.in_wait);
		struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;

		u->buf->data[0] = (uint8_t)GPOINTER_TO_UINT(g_queue_pop_head(&emu.answers));
		urb->actual_length = 1;
		urb->status = 0;
		g_queue_push_tail(&emu.ready, u);
	}
}

/* Bytes of one OUT URB: recorded; DLE EOT questions queue their answer. */
static void take_out(struct urb *u)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;
	const uint8_t *d = u->buf->data;
	int n = urb->buffer_length;

	g_byte_array_append(emu.out, d, (guint)n);
	for (int i = 0; i + 2 < n; i++)
		if (d[i] == 0x10 && d[i + 1] == 0x04 && d[i + 2] < 5 && emu.answer[d[i + 2]])
			g_queue_push_tail(&emu.answers, GUINT_TO_POINTER(emu.answer[d[i + 2]]));
	urb->actual_length = n;
	urb->status = 0;
	g_queue_push_tail(&emu.ready, u);
}

static void submit_control(struct urb *u)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;
	uint8_t *d = u->buf->data;
	size_t want = (size_t)(d[6] | d[7] << 8), n = 2 + strlen(DEVICE_ID);

	memcpy(emu.setup, d, 8);
	urb->status = 0;
	urb->actual_length = 0;
	if (d[0] == 0xA1 && d[1] == 0) {          /* GET_DEVICE_ID */
		if (n > want)
			n = want;
		d[8] = (uint8_t)((2 + strlen(DEVICE_ID)) >> 8);
		d[9] = (uint8_t)(2 + strlen(DEVICE_ID));
		memcpy(d + 10, DEVICE_ID, n - 2);
		urb->actual_length = (int)n;
	} else {
		urb->status = -EPIPE;                   /* stall: not supported */
	}
	g_queue_push_tail(&emu.ready, u);
}

static int submit(UMockdevIoctlData *arg)
{
	struct urb *u = calloc(1, sizeof *u);
	struct usbdevfs_urb *urb;

	u->urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	urb = (struct usbdevfs_urb *)u->urb->data;
	u->buf = umockdev_ioctl_data_resolve(u->urb, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
	                                     (gsize)urb->buffer_length, NULL);
	if (emu.gone) {
		urb_free(u);
		return ENODEV;
	}
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		submit_control(u);
	} else if (urb->endpoint == 0x82) {
		g_queue_push_tail(&emu.in_wait, u);
		answer_in();
	} else if (urb->endpoint == 0x01) {
		if (emu.gone_after >= 0 && (long)emu.out->len + urb->buffer_length > emu.gone_after) {
			emu.gone = true;
			urb_free(u);
			return ENODEV;
		}
		if (emu.stall)
			g_queue_push_tail(&emu.out_wait, u);
		else
			take_out(u);
		answer_in();
	} else {
		urb_free(u);
		return EINVAL;
	}
	return 0;
}

static gint same_client_addr(gconstpointer a, gconstpointer b)
{
	return ((const struct urb *)a)->urb->client_addr != (gulong)b;
}

/* A cancelled URB comes back from reap with -ENOENT. */
static int discard(UMockdevIoctlData *arg)
{
	gulong addr = (gulong)(uintptr_t)*(void **)arg->data;
	GQueue *queues[2] = { &emu.in_wait, &emu.out_wait };

	for (int q = 0; q < 2; q++) {
		GList *l = g_queue_find_custom(queues[q], (gconstpointer)addr, same_client_addr);

		if (l) {
			struct urb *u = l->data;

			g_queue_delete_link(queues[q], l);
			((struct usbdevfs_urb *)u->urb->data)->status = -ENOENT;
			((struct usbdevfs_urb *)u->urb->data)->actual_length = 0;
			g_queue_push_tail(&emu.ready, u);
			return 0;
		}
	}
	return EINVAL;
}

static int reap(UMockdevIoctlData *arg)
{
	struct urb *u = g_queue_pop_head(&emu.ready);
	UMockdevIoctlData *slot;

	if (!u)
		return emu.gone ? ENODEV : EAGAIN;
	slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
	umockdev_ioctl_data_set_ptr(slot, 0, u->urb);
	umockdev_ioctl_data_unref(slot);
	urb_free(u);
	return 0;
}

static int getdriver(UMockdevIoctlData *arg)
{
	UMockdevIoctlData *d;

	if (!emu.usblp_bound)
		return ENODATA;
	d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
	snprintf(((struct usbdevfs_getdriver *)d->data)->driver, USBDEVFS_MAXDRIVERNAME, "usblp");
	umockdev_ioctl_data_unref(d);
	return 0;
}

static int usb_ioctl(UMockdevIoctlData *arg)
{
	UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
	int code = ((struct usbdevfs_ioctl *)d->data)->ioctl_code, e = ENOTTY;

	umockdev_ioctl_data_unref(d);
	if (code == (int)USBDEVFS_DISCONNECT) {
		e = emu.usblp_bound ? 0 : ENODATA;
		emu.detaches += emu.usblp_bound;
		emu.usblp_bound = false;
	} else if (code == (int)USBDEVFS_CONNECT) {
		e = 0;
	}
	return e;
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	unsigned long req = umockdev_ioctl_client_get_request(client);
	int e = ENOTTY;

	(void)handler;
	(void)data;
	pthread_mutex_lock(&emu.lock);
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);

		*(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
		                      USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
		umockdev_ioctl_data_unref(d);
		e = 0;
		break;
	}
	case USBDEVFS_CLAIMINTERFACE:
		e = emu.gone ? ENODEV : emu.usblp_bound ? EBUSY : 0;
		emu.claims += e == 0;
		break;
	case USBDEVFS_RELEASEINTERFACE: case USBDEVFS_CLEAR_HALT: case USBDEVFS_RESETEP:
	case USBDEVFS_SETINTERFACE: case USBDEVFS_RESET:
		e = 0;
		break;
	case USBDEVFS_GETDRIVER:
		e = getdriver(arg);
		break;
	case USBDEVFS_IOCTL:
		e = usb_ioctl(arg);
		break;
	case USBDEVFS_SUBMITURB:
		e = submit(arg);
		break;
	case USBDEVFS_DISCARDURB:
		e = discard(arg);
		break;
	case USBDEVFS_REAPURB: case USBDEVFS_REAPURBNDELAY:
		e = reap(arg);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&emu.lock);
	umockdev_ioctl_client_complete(client, e ? -1 : 0, e);
	return TRUE;
}

/* ---- fixture ----------------------------------------------------------------- */

struct fix {
	UMockdevTestbed *bed;
	UMockdevIoctlBase *handler;
	libusb_context *usb;
	struct printer_opts opts;
};

static void emu_reset(void)
{
	struct urb *u;

	pthread_mutex_lock(&emu.lock);
	if (!emu.out)
		emu.out = g_byte_array_new();
	g_byte_array_set_size(emu.out, 0);
	memset(emu.answer, 0, sizeof emu.answer);
	emu.answer[1] = emu.answer[2] = emu.answer[4] = 0x12;
	while ((u = g_queue_pop_head(&emu.ready)) || (u = g_queue_pop_head(&emu.in_wait)) ||
	       (u = g_queue_pop_head(&emu.out_wait)))
		urb_free(u);
	g_queue_clear(&emu.answers);
	emu.stall = emu.gone = emu.usblp_bound = false;
	emu.gone_after = -1;
	emu.detaches = emu.claims = 0;
	pthread_mutex_unlock(&emu.lock);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	GError *err = NULL;

	emu_reset();
	f->bed = umockdev_testbed_new();
	f->handler = umockdev_ioctl_base_new();
	g_signal_connect(f->handler, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	if (!umockdev_testbed_attach_ioctl(f->bed, NODE, f->handler, &err) ||
	    !umockdev_testbed_add_from_string(f->bed, description, &err)) {
		fprintf(stderr, "umockdev: %s\n", err ? err->message : "?");
		return -1;
	}
	if (libusb_init(&f->usb) != 0)
		return -1;
	f->opts = (struct printer_opts){ .usb = f->usb, .stall_ms = 400, .answer_ms = 150 };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	libusb_exit(f->usb);
	g_object_unref(f->handler);
	g_object_unref(f->bed);
	free(f);
	emu_reset();
	return 0;
}

static struct printer *open_printer(struct fix *f)
{
	struct printer *p = NULL;
	char err[256] = "";
	enum printer_rc rc = printer_open("usb:04b8:0e15", &f->opts, &p, err, sizeof err);

	if (rc != PRINTER_OK)
		fprintf(stderr, "open: %s: %s\n", printer_rc_name(rc), err);
	assert_int_equal(rc, PRINTER_OK);
	return p;
}

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint8_t *read_golden(const char *name, size_t *len)
{
	char path[1024];
	const char *src = getenv("SRCDIR");
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof path, "%s/tests/drivers/golden/%s", src ? src : ".", name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* ---- tests ------------------------------------------------------------------- */

/* The receipt of the known sale (rendered by the engine into the golden
 * file, see tests/unit/test_printq.c) reaches bulk OUT byte for byte. */
static void test_golden_receipt(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	size_t len;
	uint8_t *golden = read_golden("receipt_58.bin", &len);

	assert_true(len > 200);
	assert_int_equal(printer_write(p, golden, len), PRINTER_OK);
	pthread_mutex_lock(&emu.lock);
	assert_int_equal(emu.out->len, len);
	assert_memory_equal(emu.out->data, golden, len);
	pthread_mutex_unlock(&emu.lock);
	printer_close(p);
	free(golden);
}

static void test_status_ready_and_paper_out(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	struct escstatus st;
	static const uint8_t asked[] = { 0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4 };

	assert_int_equal(printer_status(p, &st), PRINTER_OK);
	assert_true(st.known);
	assert_true(escstatus_ready(&st));
	pthread_mutex_lock(&emu.lock);
	assert_int_equal(emu.out->len, sizeof asked);
	assert_memory_equal(emu.out->data, asked, sizeof asked);
	emu.answer[1] = 0x1A;   /* offline */
	emu.answer[2] = 0x32;   /* stopped at paper end */
	emu.answer[4] = 0x72;   /* paper end sensor */
	pthread_mutex_unlock(&emu.lock);
	assert_int_equal(printer_status(p, &st), PRINTER_OK);
	assert_true(st.known && st.offline && st.paper_out);
	assert_false(st.cover_open || st.paper_near_end || st.error);
	assert_false(escstatus_ready(&st));

	pthread_mutex_lock(&emu.lock);
	emu.answer[1] = 0x12;
	emu.answer[2] = 0x16;   /* cover open */
	emu.answer[4] = 0x1E;   /* near end */
	pthread_mutex_unlock(&emu.lock);
	assert_int_equal(printer_status(p, &st), PRINTER_OK);
	assert_true(st.cover_open && st.paper_near_end && !st.paper_out);
	printer_close(p);
}

/* A printer that never answers: a timeout within the answer wait, not a hang. */
static void test_status_silent(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	struct escstatus st;
	int64_t t0;

	pthread_mutex_lock(&emu.lock);
	memset(emu.answer, 0, sizeof emu.answer);
	pthread_mutex_unlock(&emu.lock);
	t0 = ms_now();
	assert_int_equal(printer_status(p, &st), PRINTER_TIMEOUT);
	assert_true(ms_now() - t0 < 2000);
	assert_false(st.known);

	/* A garbage answer is refused, not taken as a status. */
	pthread_mutex_lock(&emu.lock);
	emu.answer[1] = 0xFF;
	pthread_mutex_unlock(&emu.lock);
	assert_int_equal(printer_status(p, &st), PRINTER_IO);
	assert_non_null(strstr(printer_errmsg(p), "0xFF"));
	printer_close(p);
}

static void test_device_id(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	struct escstatus_devid id;

	assert_int_equal(printer_device_id(p, &id), PRINTER_OK);
	assert_string_equal(id.mfg, "EPSON");
	assert_string_equal(id.mdl, "TM-T20II");
	assert_string_equal(id.cmd, "ESC/POS");
	/* class request to interface 0, configuration index 0, alternate 0 */
	assert_int_equal(emu.setup[0], 0xA1);
	assert_int_equal(emu.setup[1], 0x00);
	assert_int_equal(emu.setup[2] | emu.setup[3] << 8, 0);
	assert_int_equal(emu.setup[4] | emu.setup[5] << 8, 0);
	printer_close(p);
}

/* usblp holds the interface: claim is BUSY until the driver detaches it. */
static void test_kernel_driver_detached(void **state)
{
	struct fix *f = *state;
	struct printer *p;

	pthread_mutex_lock(&emu.lock);
	emu.usblp_bound = true;
	pthread_mutex_unlock(&emu.lock);
	p = open_printer(f);
	assert_int_equal(emu.detaches, 1);
	assert_int_equal(emu.claims, 1);
	assert_int_equal(printer_write(p, "ok\n", 3), PRINTER_OK);
	printer_close(p);
}

/* Takes no data: the write gives up after the stall timeout. */
static void test_stalled(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	int64_t t0;

	pthread_mutex_lock(&emu.lock);
	emu.stall = true;
	pthread_mutex_unlock(&emu.lock);
	t0 = ms_now();
	assert_int_equal(printer_write(p, "Struk\n", 6), PRINTER_TIMEOUT);
	assert_true(ms_now() - t0 >= 350);
	assert_true(ms_now() - t0 < 3000);
	assert_non_null(strstr(printer_errmsg(p), "took no data"));
	printer_close(p);
}

/* Unplugged in the middle of a receipt: an error, then after the replug a
 * fresh open prints again (what the print worker does). */
static void test_unplug_and_replug(void **state)
{
	struct fix *f = *state;
	struct printer *p = open_printer(f);
	uint8_t big[10000];

	memset(big, 'x', sizeof big);
	pthread_mutex_lock(&emu.lock);
	emu.gone_after = 4096;
	pthread_mutex_unlock(&emu.lock);
	assert_int_equal(printer_write(p, big, sizeof big), PRINTER_GONE);
	assert_int_equal(printer_write(p, "x", 1), PRINTER_GONE);
	printer_close(p);

	pthread_mutex_lock(&emu.lock);
	emu.gone = false;
	emu.gone_after = -1;
	g_byte_array_set_size(emu.out, 0);
	pthread_mutex_unlock(&emu.lock);
	p = open_printer(f);
	assert_int_equal(printer_write(p, big, sizeof big), PRINTER_OK);
	assert_int_equal(emu.out->len, sizeof big);
	printer_close(p);
}

static void test_absent_and_bad_spec(void **state)
{
	struct fix *f = *state;
	struct printer *p = NULL;
	char err[256];

	assert_int_equal(printer_open("usb:1234:5678", &f->opts, &p, err, sizeof err), PRINTER_ABSENT);
	assert_null(p);
	assert_non_null(strstr(err, "1234:5678"));
	assert_int_equal(printer_open("usb:12345678", &f->opts, &p, err, sizeof err), PRINTER_BADSPEC);
	assert_int_equal(printer_open("usb:04b8:0e15", NULL, &p, err, sizeof err), PRINTER_BADSPEC);
	assert_int_equal(printer_open("serial:/dev/ttyS0", &f->opts, &p, err, sizeof err),
	                 PRINTER_BADSPEC);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_golden_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_ready_and_paper_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_driver_detached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplug_and_replug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_and_bad_spec, setup, teardown),
	};

	pthread_mutex_init(&emu.lock, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
