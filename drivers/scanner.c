/* scanner: barcode scanners behind one interface (see scanner.h). */
#include "drivers/scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drivers/hidkbd.h"
#include "drivers/hidpos.h"

#define REPORT_MAX  64		/* the largest interrupt report read */
#define MAX_ERRORS  8		/* transfer errors in a row before giving up */

struct scanner;

/* One backend. open attaches to the device if it is there; close lets it
 * go; the others may be NULL. */
struct scanner_ops {
	void (*open)(struct scanner *s);
	void (*close)(struct scanner *s);
	void (*readable)(struct scanner *s);
	void (*hotplug)(struct scanner *s, libusb_device *dev, int arrived);
};

struct scanner {
	const struct scanner_ops *ops;
	struct scanner_spec spec;
	struct usb *usb;
	unsigned timeout_ms;
	enum scanner_state state;
	enum scanner_err why;
	unsigned gen;
	struct scanner_stats stats;

	char queue[SCANNER_QUEUE][SCANNER_MAX_CODE];
	unsigned head, count;

	/* USB */
	libusb_device_handle *h;
	libusb_device *dev;		/* referenced while open */
	struct libusb_transfer *xfer;
	int xfer_busy;			/* submitted, callback not yet run */
	int release;			/* close the handle at the next dispatch */
	int retry;			/* try opening again at the next dispatch */
	int errors;
	uint8_t iface, ep;
	uint16_t in_size;
	int kernel_detached;
	uint8_t buf[REPORT_MAX];
	struct hidkbd kbd;
	struct hidpos pos;

	/* tty */
	int fd;
	char line[SCANNER_MAX_CODE];
	size_t line_len;
	int line_overflow;
	time_t tty_tried;		/* second of the last open attempt */
};

static void set_state(struct scanner *s, enum scanner_state st, enum scanner_err why)
{
	if (s->state != st || s->why != why)
		s->gen++;
	s->state = st;
	s->why = why;
}

static void push(struct scanner *s, const char *code)
{
	if (s->count == SCANNER_QUEUE) {
		s->stats.dropped++;
		return;
	}
	unsigned slot = (s->head + s->count) % SCANNER_QUEUE;
	snprintf(s->queue[slot], sizeof s->queue[slot], "%s", code);
	s->count++;
	s->stats.scans++;
}

static void push_kbd(void *arg, const char *code)
{
	push(arg, code);
}

static void push_pos(void *arg, const char *code, const char *sym)
{
	(void)sym;
	push(arg, code);
}

/* ---- USB HID (boot keyboard and POS) ---- */

static enum scanner_err libusb_why(int r)
{
	switch (r) {
	case LIBUSB_ERROR_ACCESS:    return SCANNER_E_ACCESS;
	case LIBUSB_ERROR_BUSY:      return SCANNER_E_BUSY;
	case LIBUSB_ERROR_NO_DEVICE: return SCANNER_E_UNPLUGGED;
	case LIBUSB_ERROR_NO_MEM:    return SCANNER_E_NOMEM;
	default:                     return SCANNER_E_IO;
	}
}

static int is_ours(const struct scanner *s, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	return libusb_get_device_descriptor(dev, &dd) == 0 &&
	       dd.idVendor == s->spec.vid && dd.idProduct == s->spec.pid;
}

static void usb_release(struct scanner *s)
{
	if (s->h) {
		libusb_release_interface(s->h, s->iface);
		/* Give the keyboard driver its device back, as found. */
		if (s->kernel_detached)
			libusb_attach_kernel_driver(s->h, s->iface);
		libusb_close(s->h);
		s->h = NULL;
	}
	if (s->dev) {
		libusb_unref_device(s->dev);
		s->dev = NULL;
	}
	s->kernel_detached = 0;
	s->release = 0;
}

static void LIBUSB_CALL report_done(struct libusb_transfer *t);

static int submit(struct scanner *s)
{
	int r = libusb_submit_transfer(s->xfer);
	s->xfer_busy = r == 0;
	return r;
}

static void lost(struct scanner *s, enum scanner_err why)
{
	hidkbd_reset(&s->kbd);
	hidpos_reset(&s->pos);
	s->release = 1;
	set_state(s, why == SCANNER_E_UNPLUGGED ? SCANNER_DISCONNECTED : SCANNER_ERROR, why);
}

static void LIBUSB_CALL report_done(struct libusb_transfer *t)
{
	struct scanner *s = t->user_data;
	int dropped = 0;

	s->xfer_busy = 0;
	switch (t->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		s->errors = 0;
		s->stats.reports++;
		if (s->spec.type != SCANNER_USB_POS)
			hidkbd_feed(&s->kbd, t->buffer, (size_t)t->actual_length, push_kbd, s, &dropped);
		else if (hidpos_feed(&s->pos, t->buffer, (size_t)t->actual_length, push_pos, s,
		                     &dropped) < 0)
			s->stats.refused++;
		s->stats.dropped += (unsigned long)dropped;
		break;
	case LIBUSB_TRANSFER_TIMED_OUT:
		/* No report for a while: a scan still unfinished was cut short. */
		if (hidkbd_pending(&s->kbd) > 0 || s->pos.len > 0)
			s->stats.dropped++;
		hidkbd_reset(&s->kbd);
		hidpos_reset(&s->pos);
		break;
	case LIBUSB_TRANSFER_NO_DEVICE:
		lost(s, SCANNER_E_UNPLUGGED);
		return;
	case LIBUSB_TRANSFER_CANCELLED:
		return;
	default:	/* ERROR, STALL, OVERFLOW */
		if (t->status == LIBUSB_TRANSFER_STALL)
			libusb_clear_halt(s->h, s->ep);
		if (++s->errors >= MAX_ERRORS) {
			lost(s, SCANNER_E_IO);
			return;
		}
		break;
	}
	if (s->state == SCANNER_CONNECTED) {
		int r = submit(s);
		if (r != 0)
			lost(s, libusb_why(r));
	}
}

/* Finds the device by VID:PID among those attached. Referenced. */
static libusb_device *find_device(struct scanner *s)
{
	libusb_device **list, *found = NULL;
	ssize_t n = libusb_get_device_list(usb_context(s->usb), &list);
	for (ssize_t i = 0; i < n && !found; i++)
		if (is_ours(s, list[i]))
			found = libusb_ref_device(list[i]);
	if (n >= 0)
		libusb_free_device_list(list, 1);
	return found;
}

static enum scanner_err read_layout(struct scanner *s)
{
	uint8_t desc[4096];
	struct hidpos_layout l;
	int n = usb_hid_report_descriptor(s->h, s->iface, desc, sizeof desc);
	if (n < 0)
		return libusb_why(n);
	if (hidpos_parse(desc, (size_t)n, &l) != HIDPOS_OK)
		return SCANNER_E_DESCRIPTOR;
	hidpos_init(&s->pos, &l);
	return SCANNER_E_NONE;
}

/* Opens dev (referenced by the caller, taken over here) and starts reading. */
static enum scanner_err usb_attach(struct scanner *s, libusb_device *dev)
{
	enum usb_kind kind = s->spec.type == SCANNER_USB_POS ? USB_KIND_SCANNER_POS
	                                                     : USB_KIND_SCANNER_KBD;
	enum scanner_err why = SCANNER_E_NONE;
	int r;

	s->dev = dev;
	if (usb_find_interface(dev, kind, &s->iface, &s->ep, &s->in_size, NULL) != 0)
		return SCANNER_E_NO_INTERFACE;
	if ((r = libusb_open(dev, &s->h)) != 0)
		return libusb_why(r);
	/* 1 means a driver (usbhid) is bound; 0 none; an error (no such
	 * query on this platform) is taken as none. */
	if (libusb_kernel_driver_active(s->h, s->iface) == 1) {
		r = libusb_detach_kernel_driver(s->h, s->iface);
		if (r != 0 && r != LIBUSB_ERROR_NOT_FOUND)
			return libusb_why(r);
		s->kernel_detached = r == 0;
		s->stats.detached += r == 0;
	}
	if ((r = libusb_claim_interface(s->h, s->iface)) != 0)
		return libusb_why(r);
	if (s->spec.type == SCANNER_USB_POS && (why = read_layout(s)) != SCANNER_E_NONE)
		return why;
	/* Boot reports only come in the boot protocol. A stall means the
	 * device has no such request: it speaks boot reports only. */
	if (s->spec.type == SCANNER_USB_BOOT &&
	    (r = usb_hid_set_boot_protocol(s->h, s->iface)) != 0 && r != LIBUSB_ERROR_PIPE)
		return libusb_why(r);
	hidkbd_init(&s->kbd);
	size_t len = s->in_size > 0 && s->in_size < REPORT_MAX ? s->in_size : REPORT_MAX;
	if (s->spec.type == SCANNER_USB_BOOT && len < HIDKBD_REPORT_LEN)
		len = HIDKBD_REPORT_LEN;
	libusb_fill_interrupt_transfer(s->xfer, s->h, s->ep, s->buf, (int)len,
	                               report_done, s, s->timeout_ms);
	s->errors = 0;
	if ((r = submit(s)) != 0)
		return libusb_why(r);
	return SCANNER_E_NONE;
}

static void usb_try(struct scanner *s, libusb_device *dev)
{
	int was_unplugged = s->why == SCANNER_E_UNPLUGGED;

	s->retry = 0;
	if (!dev)
		dev = find_device(s);
	if (!dev) {
		set_state(s, SCANNER_DISCONNECTED, was_unplugged ? SCANNER_E_UNPLUGGED
		                                                 : SCANNER_E_NOT_FOUND);
		return;
	}
	enum scanner_err why = usb_attach(s, dev);
	if (why != SCANNER_E_NONE) {
		usb_release(s);
		set_state(s, why == SCANNER_E_UNPLUGGED ? SCANNER_DISCONNECTED : SCANNER_ERROR, why);
		return;
	}
	if (was_unplugged)
		s->stats.reconnects++;
	set_state(s, SCANNER_CONNECTED, SCANNER_E_NONE);
}

static void usb_open_dev(struct scanner *s)
{
	if (!s->usb) {
		set_state(s, SCANNER_ERROR, SCANNER_E_NO_USB);
		return;
	}
	usb_try(s, NULL);
}

/* Cancels the read and waits (at most ~1 s) for libusb to give the
 * transfer back; only at close, never in the loop. */
static void usb_stop(struct scanner *s)
{
	if (s->xfer_busy && libusb_cancel_transfer(s->xfer) == 0) {
		for (int i = 0; i < 100 && s->xfer_busy; i++) {
			struct timeval tv = { 0, 10000 };
			libusb_handle_events_timeout_completed(usb_context(s->usb), &tv, NULL);
		}
	}
	if (!s->xfer_busy)
		usb_release(s);
}

static void usb_hotplug(struct scanner *s, libusb_device *dev, int arrived)
{
	if (arrived) {
		if (s->state == SCANNER_CONNECTED || !is_ours(s, dev))
			return;
		if (s->release && !s->xfer_busy)
			usb_release(s);
		if (!s->h)
			usb_try(s, libusb_ref_device(dev));
		else
			s->retry = 1;	/* once the old handle is closed */
		return;
	}
	if (s->dev && (s->dev == dev ||
	               (libusb_get_bus_number(s->dev) == libusb_get_bus_number(dev) &&
	                libusb_get_device_address(s->dev) == libusb_get_device_address(dev)))) {
		/* The read completes with NO_DEVICE, or is cancelled here. */
		if (s->state == SCANNER_CONNECTED)
			lost(s, SCANNER_E_UNPLUGGED);
		else
			set_state(s, SCANNER_DISCONNECTED, SCANNER_E_UNPLUGGED);
		if (s->xfer_busy)
			libusb_cancel_transfer(s->xfer);
		s->release = 1;
		if (!s->xfer_busy)
			usb_release(s);
	}
}

/* ---- tty (serial, CDC-ACM) ---- */

static speed_t baud_const(unsigned baud)
{
	switch (baud) {
	case 1200:   return B1200;
	case 2400:   return B2400;
	case 4800:   return B4800;
	case 19200:  return B19200;
	case 38400:  return B38400;
	case 57600:  return B57600;
	case 115200: return B115200;
	default:     return B9600;
	}
}

static void tty_open(struct scanner *s)
{
	struct termios tio;
	int was_unplugged = s->why == SCANNER_E_UNPLUGGED;

	s->fd = open(s->spec.path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == EIO)
			set_state(s, SCANNER_DISCONNECTED, was_unplugged ? SCANNER_E_UNPLUGGED
			                                                 : SCANNER_E_NOT_FOUND);
		else
			set_state(s, SCANNER_ERROR, errno == EACCES ? SCANNER_E_ACCESS : SCANNER_E_TTY);
		return;
	}
	if (was_unplugged)
		s->stats.reconnects++;
	/* A tty is set raw at the baud rate; anything else (a FIFO in tests,
	 * a pty) is read as it is. */
	if (tcgetattr(s->fd, &tio) == 0) {
		cfmakeraw(&tio);
		tio.c_cflag |= CLOCAL | CREAD;
		cfsetispeed(&tio, baud_const(s->spec.baud));
		cfsetospeed(&tio, baud_const(s->spec.baud));
		if (tcsetattr(s->fd, TCSANOW, &tio) != 0) {
			close(s->fd);
			s->fd = -1;
			set_state(s, SCANNER_ERROR, SCANNER_E_TTY);
			return;
		}
	}
	s->line_len = 0;
	s->line_overflow = 0;
	set_state(s, SCANNER_CONNECTED, SCANNER_E_NONE);
}

static void tty_close(struct scanner *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Lines end with CR, LF or both (an empty line is the second half of a CRLF). */
static void tty_readable(struct scanner *s)
{
	char buf[256];
	ssize_t n;

	while ((n = read(s->fd, buf, sizeof buf)) > 0) {
		s->stats.reports++;
		for (ssize_t i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\r' || c == '\n' || c == '\t') {
				if (s->line_overflow)
					s->stats.dropped++;
				else if (s->line_len > 0) {
					s->line[s->line_len] = '\0';
					push(s, s->line);
				}
				s->line_len = 0;
				s->line_overflow = 0;
			} else if ((unsigned char)c >= 0x20 && c != 0x7F) {
				if (s->line_len < sizeof s->line - 1)
					s->line[s->line_len++] = c;
				else
					s->line_overflow = 1;
			}
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		/* Hang-up: a CDC-ACM scanner was unplugged. */
		tty_close(s);
		set_state(s, SCANNER_DISCONNECTED, SCANNER_E_UNPLUGGED);
	}
}

static const struct scanner_ops ops_keyboard = { NULL, NULL, NULL, NULL };
static const struct scanner_ops ops_usb = { usb_open_dev, usb_stop, NULL, usb_hotplug };
static const struct scanner_ops ops_tty = { tty_open, tty_close, tty_readable, NULL };

/* ---- the interface ---- */

static int parse_hex16(const char *s, size_t n, uint16_t *out)
{
	unsigned v = 0;
	if (n != 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + (unsigned)d;
	}
	*out = (uint16_t)v;
	return 0;
}

enum scanner_err scanner_parse_spec(const char *s, struct scanner_spec *out)
{
	memset(out, 0, sizeof *out);
	out->baud = 9600;
	if (!s || !*s || strcmp(s, "keyboard") == 0) {
		out->type = SCANNER_KEYBOARD;
		return SCANNER_E_NONE;
	}
	const char *ids = NULL;
	if (strncmp(s, "usb:", 4) == 0) {
		out->type = SCANNER_USB_BOOT;
		ids = s + 4;
	} else if (strncmp(s, "usbpos:", 7) == 0) {
		out->type = SCANNER_USB_POS;
		ids = s + 7;
	}
	if (ids) {
		if (strlen(ids) != 9 || ids[4] != ':' ||
		    parse_hex16(ids, 4, &out->vid) != 0 || parse_hex16(ids + 5, 4, &out->pid) != 0)
			return SCANNER_E_SPEC;
		return SCANNER_E_NONE;
	}
	if (strncmp(s, "tty:", 4) == 0 && s[4] == '/') {
		out->type = SCANNER_TTY;
		const char *path = s + 4, *colon = strrchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		if (colon) {
			char *end;
			errno = 0;
			unsigned long b = strtoul(colon + 1, &end, 10);
			if (*end || errno || colon[1] == '\0' ||
			    (b != 1200 && b != 2400 && b != 4800 && b != 9600 && b != 19200 &&
			     b != 38400 && b != 57600 && b != 115200))
				return SCANNER_E_SPEC;
			out->baud = (unsigned)b;
		}
		if (len < 2 || len >= sizeof out->path)
			return SCANNER_E_SPEC;
		memcpy(out->path, path, len);
		out->path[len] = '\0';
		return SCANNER_E_NONE;
	}
	return SCANNER_E_SPEC;
}

static void watch_cb(void *arg, libusb_device *dev, int arrived)
{
	struct scanner *s = arg;
	if (s->ops->hotplug)
		s->ops->hotplug(s, dev, arrived);
}

enum scanner_err scanner_open(const struct scanner_spec *spec, struct usb *usb,
                              const struct scanner_opts *opts, struct scanner **out)
{
	struct scanner *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return SCANNER_E_NOMEM;
	s->spec = *spec;
	s->fd = -1;
	s->timeout_ms = opts && opts->read_timeout_ms ? opts->read_timeout_ms : 1000;
	s->state = SCANNER_DISCONNECTED;
	switch (spec->type) {
	case SCANNER_KEYBOARD:
		s->ops = &ops_keyboard;
		s->state = SCANNER_CONNECTED;
		break;
	case SCANNER_TTY:
		s->ops = &ops_tty;
		break;
	case SCANNER_USB_BOOT:
	case SCANNER_USB_POS:
		if (!usb) {
			free(s);
			return SCANNER_E_NO_USB;
		}
		s->ops = &ops_usb;
		s->usb = usb;
		if (!(s->xfer = libusb_alloc_transfer(0)) ||
		    usb_watch(usb, watch_cb, s) != USB_OK) {
			libusb_free_transfer(s->xfer);
			free(s);
			return SCANNER_E_NOMEM;
		}
		break;
	}
	if (s->ops->open)
		s->ops->open(s);
	*out = s;
	return SCANNER_E_NONE;
}

void scanner_close(struct scanner *s)
{
	if (!s)
		return;
	if (s->ops->close)
		s->ops->close(s);
	if (s->usb) {
		usb_unwatch(s->usb, watch_cb, s);
		/* A transfer libusb never gave back is leaked, not freed while
		 * libusb may still touch it. */
		if (!s->xfer_busy)
			libusb_free_transfer(s->xfer);
	}
	free(s);
}

enum scanner_type scanner_type(const struct scanner *s)
{
	return s->spec.type;
}

enum scanner_state scanner_state(const struct scanner *s, enum scanner_err *why)
{
	if (why)
		*why = s->why;
	return s->state;
}

unsigned scanner_generation(const struct scanner *s)
{
	return s->gen;
}

size_t scanner_pollfds(const struct scanner *s, struct pollfd *pfd, size_t max)
{
	if (s->fd < 0 || max < 1)
		return 0;
	pfd[0] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
	return 1;
}

void scanner_dispatch(struct scanner *s, const struct pollfd *pfd, size_t n)
{
	if (s->ops->readable)
		for (size_t i = 0; i < n; i++)
			if (s->fd >= 0 && pfd[i].fd == s->fd && pfd[i].revents)
				s->ops->readable(s);
	if (s->spec.type == SCANNER_TTY) {
		/* A tty that went away is tried again once a second. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (s->fd < 0 && ts.tv_sec != s->tty_tried) {
			s->tty_tried = ts.tv_sec;
			tty_open(s);
		}
		return;
	}
	if (s->release && !s->xfer_busy)
		usb_release(s);
	if (s->retry && !s->h)
		usb_try(s, NULL);
}

int scanner_next(struct scanner *s, char *code, size_t cap)
{
	if (s->count == 0)
		return 0;
	if (cap > 0)
		snprintf(code, cap, "%s", s->queue[s->head]);
	s->head = (s->head + 1) % SCANNER_QUEUE;
	s->count--;
	return 1;
}

void scanner_get_stats(const struct scanner *s, struct scanner_stats *st)
{
	*st = s->stats;
}
