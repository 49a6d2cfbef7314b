/* usbemu: umockdev-emulated USB scanners and printers (see usbemu.h). */
#include "usbemu.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

#define MAX_DEVS    8
#define MAX_REPORTS 4096
#define REPORT_LEN  64
#define OUT_CAP     (1u << 20)

enum kind { KBD, POS, PRINTER };

struct urb {
	UMockdevIoctlData *urb;		/* the client's struct usbdevfs_urb */
	UMockdevIoctlData *buf;		/* its buffer */
	struct urb *next;
};

struct usbemu_dev {
	struct usbemu *e;
	enum kind kind;
	uint16_t vid, pid;
	int addr, gen;
	char syspath[128], devnode[64];
	UMockdevIoctlBase *handler;
	UMockdevIoctlBase *old[16];	/* handlers of earlier plug-ins */
	int n_old;
	pthread_mutex_t mu;
	int gone, claimed, kernel_bound, kernel_bound_initial;

	struct urb *pending_in;		/* interrupt / bulk IN URBs waiting */
	struct urb *done;		/* completed, to be reaped (FIFO) */

	uint8_t reports[MAX_REPORTS][REPORT_LEN];
	size_t report_len[MAX_REPORTS];
	size_t r_head, r_count;

	uint8_t *report_desc;
	size_t report_desc_len;

	/* A keyboard in report protocol (HID 1.11, 7.2.6: the state after
	 * reset) sends its own report format; boot reports only once the
	 * host sent SET_PROTOCOL(0). */
	int report_id;		/* 0: the device speaks boot reports only */
	int nkro;		/* report protocol: a usage bitmap, not 6 slots */
	int protocol;		/* 0 boot, 1 report */
	int set_protocols;	/* SET_PROTOCOL requests seen */
	int stall_protocol;	/* answers SET_PROTOCOL with a stall */

	char device_id[256];
	uint8_t port_status;
	uint8_t *out;
	size_t out_len;
	uint8_t in[4096];
	size_t in_len;
	usbemu_answer_fn *answer;
	void *answer_arg;
};

struct usbemu {
	UMockdevTestbed *tb;
	struct usbemu_dev *devs[MAX_DEVS];
	int n_devs;
	int next_addr;
};

/* ---- URB plumbing (called with the device mutex held) ---- */

static struct usbdevfs_urb *U(struct urb *u)
{
	return (struct usbdevfs_urb *)u->urb->data;
}

static void urb_free(struct urb *u)
{
	umockdev_ioctl_data_unref(u->buf);
	umockdev_ioctl_data_unref(u->urb);
	free(u);
}

static void finish(struct usbemu_dev *d, struct urb *u, int status, int actual)
{
	U(u)->status = status;
	U(u)->actual_length = actual;
	u->next = NULL;
	struct urb **p = &d->done;
	while (*p)
		p = &(*p)->next;
	*p = u;
}

/* A boot report as this keyboard sends it in report protocol: the report
 * id first, then the boot layout, or (NKRO) the modifiers and a bitmap of
 * usages 0..127. Returns the length. */
static size_t report_form(const struct usbemu_dev *d, const uint8_t *boot, uint8_t *out)
{
	out[0] = (uint8_t)d->report_id;
	if (!d->nkro) {
		memcpy(out + 1, boot, 8);
		return 9;
	}
	memset(out + 1, 0, 17);
	out[1] = boot[0];
	for (int i = 2; i < 8; i++)
		if (boot[i] && boot[i] < 128)
			out[2 + boot[i] / 8] |= (uint8_t)(1u << (boot[i] % 8));
	return 18;
}

/* Gives queued reports or IN bytes to waiting IN URBs. */
static void feed_in(struct usbemu_dev *d)
{
	while (d->pending_in) {
		struct urb *u = d->pending_in;
		int cap = U(u)->buffer_length;
		int n;
		if (d->kind == PRINTER) {
			if (d->in_len == 0)
				return;
			n = (int)d->in_len < cap ? (int)d->in_len : cap;
			memcpy(u->buf->data, d->in, (size_t)n);
			memmove(d->in, d->in + n, d->in_len - (size_t)n);
			d->in_len -= (size_t)n;
		} else {
			if (d->r_count == 0)
				return;
			uint8_t form[REPORT_LEN];
			const uint8_t *rep = d->reports[d->r_head];
			n = (int)d->report_len[d->r_head];
			if (d->kind == KBD && d->report_id && d->protocol == 1) {
				n = (int)report_form(d, rep, form);
				rep = form;
			}
			if (n > cap)
				n = cap;
			memcpy(u->buf->data, rep, (size_t)n);
			d->r_head = (d->r_head + 1) % MAX_REPORTS;
			d->r_count--;
		}
		d->pending_in = u->next;
		finish(d, u, 0, n);
	}
}

static void put_utf16(uint8_t *p, int *len, const char *s)
{
	int n = 2;
	for (; *s && n < 254; s++) {
		p[n++] = (uint8_t)*s;
		p[n++] = 0;
	}
	p[0] = (uint8_t)n;
	p[1] = 3;
	*len = n;
}

/* A control transfer: setup packet first in the buffer, data after it.
 * Returns the URB status; *actual the data length. */
static int control(struct usbemu_dev *d, uint8_t *b, int buflen, int *actual)
{
	uint8_t type = b[0], req = b[1];
	uint16_t value = (uint16_t)(b[2] | b[3] << 8), len = (uint16_t)(b[6] | b[7] << 8);
	uint8_t ans[1024];
	int n = -1;

	if (type == 0x80 && req == 6 && (value >> 8) == 3) {	/* string */
		static const char *const strs[] = { NULL, "Coopmart Test", NULL, "EMU0001" };
		int idx = value & 0xFF;
		if (idx == 0) {
			memcpy(ans, "\x04\x03\x09\x04", 4);
			n = 4;
		} else if (idx <= 3) {
			const char *s = idx == 2 ? (d->kind == PRINTER ? "Emulated Receipt Printer"
			                            : "Emulated Barcode Scanner") : strs[idx];
			put_utf16(ans, &n, s);
		}
	} else if (type == 0x81 && req == 6 && value == 0x2200 && d->report_desc) {
		n = (int)d->report_desc_len;
		memcpy(ans, d->report_desc, (size_t)n);
	} else if (type == 0xA1 && req == 0 && d->kind == PRINTER) {	/* GET_DEVICE_ID */
		size_t l = strlen(d->device_id);
		ans[0] = (uint8_t)((l + 2) >> 8);
		ans[1] = (uint8_t)(l + 2);
		memcpy(ans + 2, d->device_id, l);
		n = (int)l + 2;
	} else if (type == 0xA1 && req == 1 && d->kind == PRINTER) {	/* GET_PORT_STATUS */
		ans[0] = d->port_status;
		n = 1;
	} else if (type == 0x21 && req == 0x0A) {	/* SET_IDLE */
		n = 0;
	} else if (type == 0x21 && req == 0x0B && d->kind == KBD && value <= 1) {	/* SET_PROTOCOL */
		d->set_protocols++;
		if (d->stall_protocol)
			return -EPIPE;
		d->protocol = value;
		n = 0;
	} else if (type == 0xA1 && req == 0x03 && d->kind == KBD) {	/* GET_PROTOCOL */
		ans[0] = (uint8_t)d->protocol;
		n = 1;
	}
	if (n < 0)
		return -EPIPE;
	if (n > len)
		n = len;
	if (n > buflen - 8)
		n = buflen - 8;
	memcpy(b + 8, ans, (size_t)n);
	*actual = n;
	return 0;
}

static void submit(struct usbemu_dev *d, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	struct urb *u = calloc(1, sizeof *u);
	u->urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	struct usbdevfs_urb *r = U(u);
	u->buf = umockdev_ioctl_data_resolve(u->urb, offsetof(struct usbdevfs_urb, buffer),
	                                     (gsize)r->buffer_length, NULL);
	if (d->gone) {
		urb_free(u);
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return;
	}
	umockdev_ioctl_client_complete(client, 0, 0);
	if (r->type == USBDEVFS_URB_TYPE_CONTROL) {
		int actual = 0;
		int st = control(d, u->buf->data, r->buffer_length, &actual);
		finish(d, u, st, actual);
	} else if (r->endpoint & 0x80) {
		u->next = NULL;
		struct urb **p = &d->pending_in;
		while (*p)
			p = &(*p)->next;
		*p = u;
		feed_in(d);
	} else {
		size_t n = (size_t)r->buffer_length;
		if (d->out_len + n <= OUT_CAP) {
			memcpy(d->out + d->out_len, u->buf->data, n);
			d->out_len += n;
		}
		if (d->answer)
			d->answer(d->answer_arg, d, u->buf->data, n);
		finish(d, u, 0, (int)n);
		feed_in(d);
	}
}

static void reap(struct usbemu_dev *d, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	feed_in(d);
	struct urb *u = d->done;
	if (!u) {
		umockdev_ioctl_client_complete(client, -1, d->gone ? ENODEV : EAGAIN);
		return;
	}
	d->done = u->next;
	UMockdevIoctlData *slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
	umockdev_ioctl_data_set_ptr(slot, 0, u->urb);
	umockdev_ioctl_client_complete(client, 0, 0);
	umockdev_ioctl_data_unref(slot);
	urb_free(u);
}

static void discard(struct usbemu_dev *d, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	gulong addr = (gulong)*(void **)arg->data;
	for (struct urb **p = &d->pending_in; *p; p = &(*p)->next)
		if ((*p)->urb->client_addr == addr) {
			struct urb *u = *p;
			*p = u->next;
			finish(d, u, -ENOENT, 0);
			umockdev_ioctl_client_complete(client, 0, 0);
			return;
		}
	umockdev_ioctl_client_complete(client, -1, EINVAL);
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer data)
{
	struct usbemu_dev *d = data;
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong req = umockdev_ioctl_client_get_request(client);
	(void)h;

	pthread_mutex_lock(&d->mu);
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *c = umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), NULL);
		*(uint32_t *)c->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
		                       USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
		umockdev_ioctl_data_unref(c);
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	case USBDEVFS_GETDRIVER: {
		UMockdevIoctlData *g = umockdev_ioctl_data_resolve(arg, 0,
		                                sizeof(struct usbdevfs_getdriver), NULL);
		if (d->kernel_bound && !d->gone) {
			snprintf(((struct usbdevfs_getdriver *)g->data)->driver,
			         USBDEVFS_MAXDRIVERNAME + 1, "usbhid");
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, ENODATA);
		}
		umockdev_ioctl_data_unref(g);
		break;
	}
	case USBDEVFS_IOCTL: {
		UMockdevIoctlData *c = umockdev_ioctl_data_resolve(arg, 0,
		                                sizeof(struct usbdevfs_ioctl), NULL);
		int code = ((struct usbdevfs_ioctl *)c->data)->ioctl_code;
		umockdev_ioctl_data_unref(c);
		if (code == (int)USBDEVFS_DISCONNECT && d->kernel_bound) {
			d->kernel_bound = 0;
			umockdev_ioctl_client_complete(client, 0, 0);
		} else if (code == (int)USBDEVFS_CONNECT) {
			d->kernel_bound = d->kernel_bound_initial;
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, ENODATA);
		}
		break;
	}
	case USBDEVFS_CLAIMINTERFACE:
		if (d->gone)
			umockdev_ioctl_client_complete(client, -1, ENODEV);
		else if (d->kernel_bound)
			umockdev_ioctl_client_complete(client, -1, EBUSY);
		else {
			d->claimed = 1;
			umockdev_ioctl_client_complete(client, 0, 0);
		}
		break;
	case USBDEVFS_RELEASEINTERFACE:
		d->claimed = 0;
		umockdev_ioctl_client_complete(client, d->gone ? -1 : 0, d->gone ? ENODEV : 0);
		break;
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
	case USBDEVFS_SETINTERFACE:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_SUBMITURB:
		submit(d, client, arg);
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		reap(d, client, arg);
		break;
	case USBDEVFS_DISCARDURB:
		discard(d, client, arg);
		break;
	default:
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		break;
	}
	pthread_mutex_unlock(&d->mu);
	return TRUE;
}

/* ---- devices ---- */

struct usbemu *usbemu_new(void)
{
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev-preload"))
		return NULL;
	struct usbemu *e = calloc(1, sizeof *e);
	e->tb = umockdev_testbed_new();
	e->next_addr = 2;
	return e;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Builds the descriptors and adds the device to the testbed at a new
 * address, with a fresh handler. */
static void plug(struct usbemu_dev *d)
{
	struct usbemu *e = d->e;
	uint8_t desc[128];
	size_t n = 0;
	const uint8_t dev[18] = { 18, 1, 0x00, 0x02, 0, 0, 0, 64,
	        (uint8_t)d->vid, (uint8_t)(d->vid >> 8), (uint8_t)d->pid, (uint8_t)(d->pid >> 8),
	        0x00, 0x01, 1, 2, 3, 1 };
	memcpy(desc, dev, sizeof dev);
	n = sizeof dev;
	size_t cfg = n;
	const uint8_t c[9] = { 9, 2, 0, 0, 1, 1, 0, 0xA0, 50 };
	memcpy(desc + n, c, sizeof c);
	n += sizeof c;
	if (d->kind == PRINTER) {
		const uint8_t itf[] = { 9, 4, 0, 0, 2, 7, 1, 2, 0,
		                        7, 5, 0x01, 2, 64, 0, 0,
		                        7, 5, 0x82, 2, 64, 0, 0 };
		memcpy(desc + n, itf, sizeof itf);
		n += sizeof itf;
	} else {
		size_t rl = d->kind == KBD ? 63 : d->report_desc_len;
		const uint8_t itf[] = { 9, 4, 0, 0, 1, 3, d->kind == KBD, d->kind == KBD, 0,
		                        9, 0x21, 0x11, 0x01, 0, 1, 0x22, (uint8_t)rl, (uint8_t)(rl >> 8),
		                        7, 5, 0x81, 3, d->kind == KBD && !d->report_id ? 8 : 64, 0, 1 };
		memcpy(desc + n, itf, sizeof itf);
		n += sizeof itf;
	}
	desc[cfg + 2] = (uint8_t)(n - cfg);
	desc[cfg + 3] = (uint8_t)((n - cfg) >> 8);

	d->addr = e->next_addr++;
	d->gen++;
	snprintf(d->syspath, sizeof d->syspath, "/sys/devices/pci0000:00/usb1/1-%d", d->addr);
	snprintf(d->devnode, sizeof d->devnode, "/dev/bus/usb/001/%03d", d->addr);
	d->gone = 0;
	d->claimed = 0;
	d->kernel_bound = d->kernel_bound_initial;
	d->protocol = d->report_id ? 1 : 0;

	if (d->handler && d->n_old < 16)
		d->old[d->n_old++] = d->handler;
	d->handler = umockdev_ioctl_base_new();
	g_signal_connect(d->handler, "handle-ioctl", G_CALLBACK(on_ioctl), d);
	if (!umockdev_testbed_attach_ioctl(e->tb, d->devnode, d->handler, NULL))
		fprintf(stderr, "usbemu: cannot attach to %s\n", d->devnode);

	char hexdesc[2 * sizeof desc + 1];
	hex(hexdesc, desc, n);
	char *s = g_strdup_printf(
	        "P: %s\nN: bus/usb/001/%03d\n"
	        "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
	        "E: BUSNUM=001\nE: DEVNUM=%03d\nE: DEVNAME=%s\n"
	        "E: PRODUCT=%x/%x/100\n"
	        "A: busnum=1\\n\nA: devnum=%d\\n\nA: bConfigurationValue=1\\n\nA: speed=12\\n\n"
	        "A: idVendor=%04x\\n\nA: idProduct=%04x\\n\n"
	        "H: descriptors=%s\n",
	        d->syspath + 4, d->addr, d->addr, d->devnode, d->vid, d->pid,
	        d->addr, d->vid, d->pid, hexdesc);
	GError *err = NULL;
	if (!umockdev_testbed_add_from_string(e->tb, s, &err)) {
		fprintf(stderr, "usbemu: %s\n", err ? err->message : "cannot add device");
		g_clear_error(&err);
	}
	g_free(s);
}

static struct usbemu_dev *add(struct usbemu *e, enum kind kind, uint16_t vid, uint16_t pid)
{
	if (e->n_devs == MAX_DEVS)
		return NULL;
	struct usbemu_dev *d = calloc(1, sizeof *d);
	d->e = e;
	d->kind = kind;
	d->vid = vid;
	d->pid = pid;
	d->port_status = 0x18;	/* selected, no error */
	pthread_mutex_init(&d->mu, NULL);
	e->devs[e->n_devs++] = d;
	return d;
}

struct usbemu_dev *usbemu_add_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                      int kernel_bound)
{
	struct usbemu_dev *d = add(e, KBD, vid, pid);
	d->kernel_bound_initial = kernel_bound;
	plug(d);
	return d;
}

struct usbemu_dev *usbemu_add_report_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                             int report_id, int nkro)
{
	struct usbemu_dev *d = add(e, KBD, vid, pid);
	d->report_id = report_id;
	d->nkro = nkro;
	plug(d);
	return d;
}

struct usbemu_dev *usbemu_add_pos_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                          const uint8_t *report_desc, size_t len)
{
	struct usbemu_dev *d = add(e, POS, vid, pid);
	d->report_desc = malloc(len);
	memcpy(d->report_desc, report_desc, len);
	d->report_desc_len = len;
	plug(d);
	return d;
}

struct usbemu_dev *usbemu_add_printer(struct usbemu *e, uint16_t vid, uint16_t pid,
                                      const char *device_id)
{
	struct usbemu_dev *d = add(e, PRINTER, vid, pid);
	snprintf(d->device_id, sizeof d->device_id, "%s", device_id);
	d->out = malloc(OUT_CAP);
	plug(d);
	return d;
}

static void drop_urbs(struct urb **list)
{
	while (*list) {
		struct urb *u = *list;
		*list = u->next;
		urb_free(u);
	}
}

void usbemu_free(struct usbemu *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->n_devs; i++) {
		struct usbemu_dev *d = e->devs[i];
		drop_urbs(&d->pending_in);
		drop_urbs(&d->done);
		g_clear_object(&d->handler);
		for (int k = 0; k < d->n_old; k++)
			g_object_unref(d->old[k]);
		free(d->report_desc);
		free(d->out);
		pthread_mutex_destroy(&d->mu);
		free(d);
	}
	g_clear_object(&e->tb);
	free(e);
}

void usbemu_report(struct usbemu_dev *d, const uint8_t *report, size_t len)
{
	pthread_mutex_lock(&d->mu);
	if (d->r_count < MAX_REPORTS) {
		size_t slot = (d->r_head + d->r_count) % MAX_REPORTS;
		if (len > REPORT_LEN)
			len = REPORT_LEN;
		memcpy(d->reports[slot], report, len);
		d->report_len[slot] = len;
		d->r_count++;
	}
	feed_in(d);
	pthread_mutex_unlock(&d->mu);
}

/* The US keyboard usage and shift state that type c; 0 when none. */
static uint8_t usage_for(char c, int *shift)
{
	static const char plain[] = " -=[]\\\0;'`,./", shifted[] = " _+{}|\0:\"~<>?";
	static const char dshift[] = "!@#$%^&*()";
	*shift = 0;
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(0x04 + (c - 'a'));
	if (c >= 'A' && c <= 'Z') {
		*shift = 1;
		return (uint8_t)(0x04 + (c - 'A'));
	}
	if (c >= '1' && c <= '9')
		return (uint8_t)(0x1E + (c - '1'));
	if (c == '0')
		return 0x27;
	for (int i = 0; i < 10; i++)
		if (dshift[i] == c) {
			*shift = 1;
			return (uint8_t)(0x1E + i);
		}
	for (int i = 0; i < 13; i++) {
		if (plain[i] && plain[i] == c)
			return (uint8_t)(0x2C + i);
		if (shifted[i] && shifted[i] == c) {
			*shift = 1;
			return (uint8_t)(0x2C + i);
		}
	}
	if (c == '\n')
		return 0x28;
	if (c == '\t')
		return 0x2B;
	return 0;
}

void usbemu_type(struct usbemu_dev *d, const char *text, int enter)
{
	const uint8_t up[8] = {0};
	for (const char *p = text; *p; p++) {
		int shift;
		uint8_t u = usage_for(*p, &shift);
		if (!u)
			continue;
		uint8_t r[8] = { shift ? 0x02 : 0, 0, u, 0, 0, 0, 0, 0 };
		usbemu_report(d, r, sizeof r);
		usbemu_report(d, up, sizeof up);
	}
	if (enter) {
		uint8_t r[8] = { 0, 0, 0x28, 0, 0, 0, 0, 0 };
		usbemu_report(d, r, sizeof r);
		usbemu_report(d, up, sizeof up);
	}
}

size_t usbemu_reports_left(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	size_t n = d->r_count;
	pthread_mutex_unlock(&d->mu);
	return n;
}

size_t usbemu_out(struct usbemu_dev *d, uint8_t *buf, size_t cap)
{
	pthread_mutex_lock(&d->mu);
	size_t n = d->out_len;
	if (buf)
		memcpy(buf, d->out, n < cap ? n : cap);
	pthread_mutex_unlock(&d->mu);
	return n;
}

void usbemu_in_locked(struct usbemu_dev *d, const uint8_t *bytes, size_t len)
{
	if (len > sizeof d->in - d->in_len)
		len = sizeof d->in - d->in_len;
	memcpy(d->in + d->in_len, bytes, len);
	d->in_len += len;
}

void usbemu_in(struct usbemu_dev *d, const uint8_t *bytes, size_t len)
{
	pthread_mutex_lock(&d->mu);
	usbemu_in_locked(d, bytes, len);
	feed_in(d);
	pthread_mutex_unlock(&d->mu);
}

void usbemu_set_answer(struct usbemu_dev *d, usbemu_answer_fn *fn, void *arg)
{
	pthread_mutex_lock(&d->mu);
	d->answer = fn;
	d->answer_arg = arg;
	pthread_mutex_unlock(&d->mu);
}

void usbemu_set_port_status(struct usbemu_dev *d, uint8_t status)
{
	pthread_mutex_lock(&d->mu);
	d->port_status = status;
	pthread_mutex_unlock(&d->mu);
}

void usbemu_unplug(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	d->gone = 1;
	while (d->pending_in) {
		struct urb *u = d->pending_in;
		d->pending_in = u->next;
		finish(d, u, -ENODEV, 0);
	}
	pthread_mutex_unlock(&d->mu);
	umockdev_testbed_remove_device(d->e->tb, d->syspath);
}

void usbemu_replug(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	drop_urbs(&d->done);
	d->r_count = 0;
	d->in_len = 0;
	pthread_mutex_unlock(&d->mu);
	/* The old handler stays attached to the old node until freed. */
	plug(d);
}

int usbemu_claimed(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	int c = d->claimed;
	pthread_mutex_unlock(&d->mu);
	return c;
}

int usbemu_kernel_bound(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	int k = d->kernel_bound;
	pthread_mutex_unlock(&d->mu);
	return k;
}

void usbemu_stall_set_protocol(struct usbemu_dev *d)
{
	pthread_mutex_lock(&d->mu);
	d->stall_protocol = 1;
	pthread_mutex_unlock(&d->mu);
}

int usbemu_protocol(struct usbemu_dev *d, int *set_requests)
{
	pthread_mutex_lock(&d->mu);
	int p = d->protocol;
	if (set_requests)
		*set_requests = d->set_protocols;
	pthread_mutex_unlock(&d->mu);
	return p;
}

int usbemu_address(struct usbemu_dev *d)
{
	return d->addr;
}
