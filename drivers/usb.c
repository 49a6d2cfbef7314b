/* usb: the shared libusb context, its pollfds, hotplug and device listing
 * (see usb.h). */
#include "drivers/usb.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/hidpos.h"

#define MAX_WATCHERS  8
#define RESCAN_MS     1000
#define CTRL_TIMEOUT  100

struct watcher {
	usb_watch_fn *fn;
	void *arg;
};

/* A hotplug event waiting for usb_dispatch to hand it to the watchers. */
struct pending {
	libusb_device *dev;	/* referenced */
	int arrived;
};

/* A device seen by the last re-scan, for the polling fallback. */
struct seen {
	libusb_device *dev;	/* referenced */
};

struct usb {
	libusb_context *ctx;
	int hotplug;			/* libusb hotplug in use */
	libusb_hotplug_callback_handle hp;
	struct pollfd *fds;
	size_t n_fds, cap_fds;
	struct watcher watchers[MAX_WATCHERS];
	struct pending *queue;
	size_t n_queue, cap_queue;
	int queue_oom;			/* an event was lost: re-scan */
	struct seen *seen;
	size_t n_seen;
	long long next_scan;		/* ms, monotonic */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void LIBUSB_CALL fd_added(int fd, short events, void *arg)
{
	struct usb *u = arg;
	for (size_t i = 0; i < u->n_fds; i++)
		if (u->fds[i].fd == fd) {
			u->fds[i].events = events;
			return;
		}
	if (u->n_fds == u->cap_fds) {
		size_t cap = u->cap_fds ? 2 * u->cap_fds : 8;
		struct pollfd *p = realloc(u->fds, cap * sizeof *p);
		if (!p)
			return;	/* the fd is missed until the next usb_open */
		u->fds = p;
		u->cap_fds = cap;
	}
	u->fds[u->n_fds++] = (struct pollfd){ .fd = fd, .events = events };
}

static void LIBUSB_CALL fd_removed(int fd, void *arg)
{
	struct usb *u = arg;
	for (size_t i = 0; i < u->n_fds; i++)
		if (u->fds[i].fd == fd) {
			u->fds[i] = u->fds[--u->n_fds];
			return;
		}
}

static void enqueue(struct usb *u, libusb_device *dev, int arrived)
{
	if (u->n_queue == u->cap_queue) {
		size_t cap = u->cap_queue ? 2 * u->cap_queue : 8;
		struct pending *p = realloc(u->queue, cap * sizeof *p);
		if (!p) {
			u->queue_oom = 1;
			return;
		}
		u->queue = p;
		u->cap_queue = cap;
	}
	u->queue[u->n_queue++] = (struct pending){ libusb_ref_device(dev), arrived };
}

static int LIBUSB_CALL hotplug_cb(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event ev, void *arg)
{
	(void)ctx;
	enqueue(arg, dev, ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
	return 0;
}

static void forget_seen(struct usb *u)
{
	for (size_t i = 0; i < u->n_seen; i++)
		libusb_unref_device(u->seen[i].dev);
	free(u->seen);
	u->seen = NULL;
	u->n_seen = 0;
}

static int same_device(libusb_device *a, libusb_device *b)
{
	return a == b || (libusb_get_bus_number(a) == libusb_get_bus_number(b) &&
	                  libusb_get_device_address(a) == libusb_get_device_address(b));
}

/* The polling fallback: compares the device list with the last one and
 * queues the differences as hotplug events. */
static void rescan(struct usb *u, int quiet)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(u->ctx, &list);
	if (n < 0)
		return;
	struct seen *now = calloc((size_t)n + 1, sizeof *now);
	if (!now) {
		libusb_free_device_list(list, 1);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		int known = 0;
		for (size_t j = 0; j < u->n_seen && !known; j++)
			known = same_device(list[i], u->seen[j].dev);
		if (!known && !quiet)
			enqueue(u, list[i], 1);
		now[i].dev = libusb_ref_device(list[i]);
	}
	for (size_t j = 0; j < u->n_seen; j++) {
		int still = 0;
		for (ssize_t i = 0; i < n && !still; i++)
			still = same_device(list[i], u->seen[j].dev);
		if (!still && !quiet)
			enqueue(u, u->seen[j].dev, 0);
	}
	libusb_free_device_list(list, 1);
	forget_seen(u);
	u->seen = now;
	u->n_seen = (size_t)n;
	u->next_scan = now_ms() + RESCAN_MS;
}

enum usb_rc usb_open(unsigned flags, struct usb **out)
{
	struct usb *u = calloc(1, sizeof *u);
	if (!u)
		return USB_ERR_NOMEM;
	if (libusb_init(&u->ctx) != 0) {
		free(u);
		return USB_ERR_INIT;
	}
	const struct libusb_pollfd **pfds = libusb_get_pollfds(u->ctx);
	for (size_t i = 0; pfds && pfds[i]; i++)
		fd_added(pfds[i]->fd, pfds[i]->events, u);
	libusb_free_pollfds(pfds);
	libusb_set_pollfd_notifiers(u->ctx, fd_added, fd_removed, u);

	if (!(flags & USB_POLL_HOTPLUG) && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
	    libusb_hotplug_register_callback(u->ctx,
	            LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
	            0, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
	            LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, u, &u->hp) == LIBUSB_SUCCESS)
		u->hotplug = 1;
	else
		rescan(u, 1);
	*out = u;
	return USB_OK;
}

void usb_close(struct usb *u)
{
	if (!u)
		return;
	if (u->hotplug)
		libusb_hotplug_deregister_callback(u->ctx, u->hp);
	libusb_set_pollfd_notifiers(u->ctx, NULL, NULL, NULL);
	for (size_t i = 0; i < u->n_queue; i++)
		libusb_unref_device(u->queue[i].dev);
	forget_seen(u);
	libusb_exit(u->ctx);
	free(u->queue);
	free(u->fds);
	free(u);
}

libusb_context *usb_context(struct usb *u)
{
	return u->ctx;
}

int usb_has_hotplug(const struct usb *u)
{
	return u->hotplug;
}

size_t usb_pollfds(const struct usb *u, struct pollfd *pfd, size_t max)
{
	for (size_t i = 0; i < u->n_fds && i < max; i++)
		pfd[i] = (struct pollfd){ .fd = u->fds[i].fd, .events = u->fds[i].events };
	return u->n_fds;
}

int usb_timeout_ms(struct usb *u)
{
	struct timeval tv;
	int ms = -1;

	if (libusb_get_next_timeout(u->ctx, &tv) == 1)
		ms = (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	if (!u->hotplug) {
		long long left = u->next_scan - now_ms();
		int scan = left < 0 ? 0 : (int)left;
		if (ms < 0 || scan < ms)
			ms = scan;
	}
	if (u->n_queue > 0)
		ms = 0;
	return ms;
}

void usb_dispatch(struct usb *u)
{
	struct timeval zero = { 0, 0 };

	libusb_handle_events_timeout_completed(u->ctx, &zero, NULL);
	if (!u->hotplug && now_ms() >= u->next_scan)
		rescan(u, 0);
	if (u->queue_oom) {
		u->queue_oom = 0;
		rescan(u, 0);
	}
	/* Watchers may run transfers that queue more events: take the queue. */
	struct pending *q = u->queue;
	size_t n = u->n_queue;
	u->queue = NULL;
	u->n_queue = u->cap_queue = 0;
	for (size_t i = 0; i < n; i++) {
		for (int w = 0; w < MAX_WATCHERS; w++)
			if (u->watchers[w].fn)
				u->watchers[w].fn(u->watchers[w].arg, q[i].dev, q[i].arrived);
		libusb_unref_device(q[i].dev);
	}
	free(q);
}

enum usb_rc usb_watch(struct usb *u, usb_watch_fn *fn, void *arg)
{
	for (int w = 0; w < MAX_WATCHERS; w++)
		if (!u->watchers[w].fn) {
			u->watchers[w] = (struct watcher){ fn, arg };
			return USB_OK;
		}
	return USB_ERR_NOMEM;
}

void usb_unwatch(struct usb *u, usb_watch_fn *fn, void *arg)
{
	for (int w = 0; w < MAX_WATCHERS; w++)
		if (u->watchers[w].fn == fn && u->watchers[w].arg == arg)
			u->watchers[w].fn = NULL;
}

static int endpoint(const struct libusb_interface_descriptor *alt, int type, int in,
                    uint8_t *addr, uint16_t *size)
{
	for (int e = 0; e < alt->bNumEndpoints; e++) {
		const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
		if ((ep->bmAttributes & 3) == type &&
		    ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) == in) {
			*addr = ep->bEndpointAddress;
			if (size)
				*size = ep->wMaxPacketSize;
			return 1;
		}
	}
	return 0;
}

static int matches(const struct libusb_interface_descriptor *alt, enum usb_kind kind,
                   uint8_t *ep_in, uint16_t *in_size, uint8_t *ep_out)
{
	int boot = alt->bInterfaceSubClass == 1 && alt->bInterfaceProtocol == 1;

	switch (kind) {
	case USB_KIND_SCANNER_KBD:
	case USB_KIND_SCANNER_POS:
		if (alt->bInterfaceClass != LIBUSB_CLASS_HID ||
		    boot != (kind == USB_KIND_SCANNER_KBD))
			return 0;
		return endpoint(alt, LIBUSB_TRANSFER_TYPE_INTERRUPT, 1, ep_in, in_size);
	case USB_KIND_PRINTER:
		if (alt->bInterfaceClass != LIBUSB_CLASS_PRINTER &&
		    alt->bInterfaceClass != LIBUSB_CLASS_VENDOR_SPEC)
			return 0;
		if (!endpoint(alt, LIBUSB_TRANSFER_TYPE_BULK, 0, ep_out, NULL))
			return 0;
		if (!endpoint(alt, LIBUSB_TRANSFER_TYPE_BULK, 1, ep_in, in_size))
			*ep_in = 0;
		return 1;
	default:
		return 0;
	}
}

int usb_find_interface(libusb_device *dev, enum usb_kind kind, uint8_t *iface,
                       uint8_t *ep_in, uint16_t *in_size, uint8_t *ep_out)
{
	struct libusb_config_descriptor *cfg;
	int found = 0;
	uint8_t in = 0, out = 0;
	uint16_t size = 0;

	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return -1;
	for (int i = 0; i < cfg->bNumInterfaces && !found; i++) {
		const struct libusb_interface *itf = &cfg->interface[i];
		if (itf->num_altsetting < 1)
			continue;
		if (matches(&itf->altsetting[0], kind, &in, &size, &out)) {
			found = 1;
			if (iface)
				*iface = itf->altsetting[0].bInterfaceNumber;
		}
	}
	libusb_free_config_descriptor(cfg);
	if (!found)
		return -1;
	if (ep_in)
		*ep_in = in;
	if (in_size)
		*in_size = size;
	if (ep_out)
		*ep_out = out;
	return 0;
}

int usb_hid_report_descriptor(libusb_device_handle *h, uint8_t iface,
                              uint8_t *buf, size_t cap)
{
	if (cap > 0xFFFF)
		cap = 0xFFFF;
	return libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_RECIPIENT_INTERFACE,
	                               LIBUSB_REQUEST_GET_DESCRIPTOR,
	                               (uint16_t)(LIBUSB_DT_REPORT << 8), iface,
	                               buf, (uint16_t)cap, CTRL_TIMEOUT);
}

int usb_hid_set_boot_protocol(libusb_device_handle *h, uint8_t iface)
{
	/* SET_PROTOCOL (HID 1.11, 7.2.6): class request 0x0B to the
	 * interface, wValue 0 = boot protocol, no data. */
	return libusb_control_transfer(h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
	                               LIBUSB_RECIPIENT_INTERFACE, 0x0B, 0, iface,
	                               NULL, 0, CTRL_TIMEOUT);
}

int usb_printer_device_id(libusb_device_handle *h, uint8_t iface, uint8_t alt,
                          char *buf, size_t cap)
{
	uint8_t raw[1024];

	if (cap == 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	buf[0] = '\0';
	/* GET_DEVICE_ID (USB printer class 1.1, 4.2.1): a big-endian length
	 * that counts itself, then the id text. */
	int r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
	                                LIBUSB_RECIPIENT_INTERFACE, 0, 0,
	                                (uint16_t)(iface << 8 | alt), raw, sizeof raw, CTRL_TIMEOUT);
	if (r < 0)
		return r;
	if (r < 2)
		return LIBUSB_ERROR_IO;
	size_t n = (size_t)(raw[0] << 8 | raw[1]);
	n = n < 2 ? 0 : n - 2;
	if (n > (size_t)r - 2)
		n = (size_t)r - 2;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (raw[2 + i] >= 0x20 && raw[2 + i] < 0x7F) ? (char)raw[2 + i] : '?';
	buf[n] = '\0';
	return (int)n;
}

static void read_string(libusb_device_handle *h, uint8_t idx, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (idx == 0)
		return;
	int r = libusb_get_string_descriptor_ascii(h, idx, (unsigned char *)buf, (int)cap);
	if (r < 0)
		buf[0] = '\0';
}

/* The class triple of interface iface, or of the first interface. */
static void interface_class(libusb_device *dev, struct usb_devinfo *d)
{
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(dev, &cfg) != 0)
		return;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *itf = &cfg->interface[i];
		if (itf->num_altsetting < 1)
			continue;
		const struct libusb_interface_descriptor *a = &itf->altsetting[0];
		if (i == 0 || a->bInterfaceNumber == d->iface) {
			d->if_class = a->bInterfaceClass;
			d->if_subclass = a->bInterfaceSubClass;
			d->if_protocol = a->bInterfaceProtocol;
		}
	}
	libusb_free_config_descriptor(cfg);
}

static void describe(libusb_device *dev, struct usb_devinfo *d)
{
	struct libusb_device_descriptor dd;
	uint8_t in = 0, out = 0;
	libusb_device_handle *h = NULL;

	memset(d, 0, sizeof *d);
	d->bus = libusb_get_bus_number(dev);
	d->address = libusb_get_device_address(dev);
	if (libusb_get_device_descriptor(dev, &dd) != 0)
		return;
	d->vid = dd.idVendor;
	d->pid = dd.idProduct;
	d->dev_class = dd.bDeviceClass;
	if (usb_find_interface(dev, USB_KIND_PRINTER, &d->iface, &in, NULL, &out) == 0)
		d->kind = USB_KIND_PRINTER;
	else if (usb_find_interface(dev, USB_KIND_SCANNER_KBD, &d->iface, &in, NULL, NULL) == 0)
		d->kind = USB_KIND_SCANNER_KBD;
	else if (usb_find_interface(dev, USB_KIND_SCANNER_POS, &d->iface, &in, NULL, NULL) == 0)
		d->kind = USB_KIND_SCANNER_POS;	/* until the descriptor says otherwise */
	interface_class(dev, d);
	if (libusb_open(dev, &h) != 0) {
		if (d->kind == USB_KIND_SCANNER_POS)
			d->kind = USB_KIND_OTHER;	/* cannot tell: not claimed as a scanner */
		return;
	}
	d->opened = 1;
	read_string(h, dd.iManufacturer, d->manufacturer, sizeof d->manufacturer);
	read_string(h, dd.iProduct, d->product, sizeof d->product);
	read_string(h, dd.iSerialNumber, d->serial, sizeof d->serial);
	if (d->kind == USB_KIND_SCANNER_POS) {
		uint8_t desc[4096];
		struct hidpos_layout l;
		int n = usb_hid_report_descriptor(h, d->iface, desc, sizeof desc);
		if (n <= 0 || hidpos_parse(desc, (size_t)n, &l) != HIDPOS_OK)
			d->kind = USB_KIND_OTHER;
	} else if (d->kind == USB_KIND_PRINTER) {
		usb_printer_device_id(h, d->iface, 0, d->device_id, sizeof d->device_id);
	}
	libusb_close(h);
}

enum usb_rc usb_list(struct usb *u, struct usb_devinfo **out, size_t *n_out)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(u->ctx, &list);

	*out = NULL;
	*n_out = 0;
	if (n < 0)
		return n == LIBUSB_ERROR_NO_MEM ? USB_ERR_NOMEM : USB_ERR_IO;
	struct usb_devinfo *d = calloc((size_t)n + 1, sizeof *d);
	if (!d) {
		libusb_free_device_list(list, 1);
		return USB_ERR_NOMEM;
	}
	for (ssize_t i = 0; i < n; i++)
		describe(list[i], &d[i]);
	libusb_free_device_list(list, 1);
	*out = d;
	*n_out = (size_t)n;
	return USB_OK;
}
