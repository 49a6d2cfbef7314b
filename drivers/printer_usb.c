/* USB receipt printers through libusb: usb:VVVV:PPPP.
 *
 * The printer is the first interface of the active configuration that is
 * printer class (7) or vendor-specific (0xFF) and has a bulk OUT endpoint;
 * a bulk IN endpoint on it, when present, carries status answers. usblp
 * (the kernel's printer driver) is detached when it holds the interface.
 * GET_DEVICE_ID is the class request 0xA1/0 with wValue = configuration
 * index and wIndex = interface << 8 | alternate setting. */
#include "drivers/printer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct printer_usb {
	libusb_device_handle *h;
	int iface, alt, config_index;
	uint8_t ep_out, ep_in;       /* ep_in 0: none */
	uint16_t out_packet;
	bool detached;               /* give the interface back to usblp on close */
};

static enum printer_rc usb_rc(int e)
{
	switch (e) {
	case LIBUSB_SUCCESS:
		return PRINTER_OK;
	case LIBUSB_ERROR_NO_DEVICE: case LIBUSB_ERROR_PIPE:
		return PRINTER_GONE;
	case LIBUSB_ERROR_NOT_FOUND:
		return PRINTER_ABSENT;
	case LIBUSB_ERROR_BUSY:
		return PRINTER_BUSY;
	case LIBUSB_ERROR_ACCESS:
		return PRINTER_ACCESS;
	case LIBUSB_ERROR_TIMEOUT:
		return PRINTER_TIMEOUT;
	case LIBUSB_ERROR_NO_MEM:
		return PRINTER_NOMEM;
	default:
		return PRINTER_IO;
	}
}

static bool parse_ids(const char *arg, uint16_t *vid, uint16_t *pid)
{
	unsigned v, d;
	int used = 0;

	if (sscanf(arg, "%4x:%4x%n", &v, &d, &used) != 2 || arg[used] != '\0' || used != 9)
		return false;
	*vid = (uint16_t)v;
	*pid = (uint16_t)d;
	return true;
}

/* Finds the printer interface in cfg; false when there is none. */
static bool find_interface(const struct libusb_config_descriptor *cfg, struct printer_usb *u)
{
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		for (int a = 0; a < cfg->interface[i].num_altsetting; a++) {
			const struct libusb_interface_descriptor *d = &cfg->interface[i].altsetting[a];

			if (d->bInterfaceClass != LIBUSB_CLASS_PRINTER &&
			    d->bInterfaceClass != LIBUSB_CLASS_VENDOR_SPEC)
				continue;
			u->ep_out = u->ep_in = 0;
			for (int e = 0; e < d->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];

				if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
					continue;
				if ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !u->ep_in)
					u->ep_in = ep->bEndpointAddress;
				else if (!(ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !u->ep_out) {
					u->ep_out = ep->bEndpointAddress;
					u->out_packet = ep->wMaxPacketSize;
				}
			}
			if (u->ep_out) {
				u->iface = d->bInterfaceNumber;
				u->alt = d->bAlternateSetting;
				return true;
			}
		}
	}
	return false;
}

/* The first device with vid:pid that has a printer interface, opened. */
static enum printer_rc find_device(struct printer *p, uint16_t vid, uint16_t pid)
{
	struct printer_usb *u = p->usb;
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(p->opts.usb, &list);
	enum printer_rc rc = printer_fail(p, PRINTER_ABSENT, "no USB printer %04x:%04x is connected",
	                                  vid, pid);

	if (n < 0)
		return printer_fail(p, usb_rc((int)n), "USB: %s", libusb_strerror((int)n));
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		struct libusb_config_descriptor *cfg = NULL;
		bool found;
		int r;

		if (libusb_get_device_descriptor(list[i], &dd) != 0 ||
		    dd.idVendor != vid || dd.idProduct != pid)
			continue;
		if (libusb_get_active_config_descriptor(list[i], &cfg) != 0)
			continue;
		found = find_interface(cfg, u);
		u->config_index = 0;
		for (int c = 0; c < dd.bNumConfigurations; c++) {
			struct libusb_config_descriptor *other = NULL;

			if (libusb_get_config_descriptor(list[i], (uint8_t)c, &other) == 0) {
				if (other->bConfigurationValue == cfg->bConfigurationValue)
					u->config_index = c;
				libusb_free_config_descriptor(other);
			}
		}
		libusb_free_config_descriptor(cfg);
		if (!found) {
			rc = printer_fail(p, PRINTER_ABSENT,
			                  "USB device %04x:%04x has no printer interface", vid, pid);
			continue;
		}
		r = libusb_open(list[i], &u->h);
		if (r != 0) {
			rc = printer_fail(p, usb_rc(r), "USB printer %04x:%04x: %s", vid, pid,
			                  libusb_strerror(r));
			continue;
		}
		rc = PRINTER_OK;
		break;
	}
	libusb_free_device_list(list, 1);
	return rc;
}

static void usb_close(struct printer *p)
{
	struct printer_usb *u = p->usb;

	if (!u)
		return;
	if (u->h) {
		libusb_release_interface(u->h, u->iface);
		if (u->detached)
			libusb_attach_kernel_driver(u->h, u->iface);
		libusb_close(u->h);
	}
	free(u);
	p->usb = NULL;
}

static enum printer_rc usb_open(struct printer *p, const char *arg)
{
	struct printer_usb *u;
	uint16_t vid, pid;
	enum printer_rc rc;
	int r;

	if (!parse_ids(arg, &vid, &pid))
		return printer_fail(p, PRINTER_BADSPEC, "usb:%s: expected usb:VVVV:PPPP (hex)", arg);
	if (!p->opts.usb)
		return printer_fail(p, PRINTER_BADSPEC, "usb:%s: no libusb context", arg);
	u = p->usb = calloc(1, sizeof *u);
	if (!u)
		return printer_fail(p, PRINTER_NOMEM, "out of memory");
	rc = find_device(p, vid, pid);
	if (rc != PRINTER_OK)
		return rc;
	/* A negative answer (not supported here) means nothing is bound. */
	if (libusb_kernel_driver_active(u->h, u->iface) == 1) {
		r = libusb_detach_kernel_driver(u->h, u->iface);
		if (r != 0)
			return printer_fail(p, usb_rc(r), "USB printer %04x:%04x: the kernel driver "
			                    "will not let go: %s", vid, pid, libusb_strerror(r));
		u->detached = true;
	}
	r = libusb_claim_interface(u->h, u->iface);
	if (r != 0)
		return printer_fail(p, usb_rc(r), "USB printer %04x:%04x: claim interface %d: %s",
		                    vid, pid, u->iface, libusb_strerror(r));
	if (u->alt != 0 && (r = libusb_set_interface_alt_setting(u->h, u->iface, u->alt)) != 0)
		return printer_fail(p, usb_rc(r), "USB printer %04x:%04x: alternate setting: %s",
		                    vid, pid, libusb_strerror(r));
	return PRINTER_OK;
}

/* Chunks of at most 4 KB: a stall is noticed within stall_ms of the last
 * progress instead of after one huge transfer's timeout. */
static enum printer_rc usb_write(struct printer *p, const uint8_t *buf, size_t n)
{
	struct printer_usb *u = p->usb;

	while (n > 0) {
		int chunk = n > 4096 ? 4096 : (int)n, done = 0;
		int r = libusb_bulk_transfer(u->h, u->ep_out, (unsigned char *)buf, chunk, &done,
		                             (unsigned)p->opts.stall_ms);

		if (done < 0 || done > chunk)
			done = 0;
		buf += done;
		n -= (size_t)done;
		if (r == LIBUSB_ERROR_TIMEOUT && done > 0)
			continue;    /* progress: keep going */
		if (r != 0)
			return printer_fail(p, usb_rc(r), "%s: bulk OUT: %s%s", p->spec,
			                    libusb_strerror(r),
			                    r == LIBUSB_ERROR_TIMEOUT ? " (the printer took no data)" : "");
	}
	return PRINTER_OK;
}

/* Printers may also push automatic status: the last byte that arrives is
 * the answer to the latest question. */
static enum printer_rc usb_read_byte(struct printer *p, uint8_t *b)
{
	struct printer_usb *u = p->usb;
	unsigned char buf[64];
	int got = 0, r;

	if (!u->ep_in)
		return printer_fail(p, PRINTER_UNSUPPORTED, "%s: no bulk IN endpoint", p->spec);
	r = libusb_bulk_transfer(u->h, u->ep_in, buf, sizeof buf, &got,
	                         (unsigned)(p->opts.answer_ms > 0 ? p->opts.answer_ms : 1));
	if (r == 0 && got > 0 && got <= (int)sizeof buf) {
		*b = buf[got - 1];
		return PRINTER_OK;
	}
	if (r == 0 || r == LIBUSB_ERROR_TIMEOUT)
		return printer_fail(p, PRINTER_TIMEOUT, "%s: no status answer within %d ms",
		                    p->spec, p->opts.answer_ms);
	return printer_fail(p, usb_rc(r), "%s: bulk IN: %s", p->spec, libusb_strerror(r));
}

static enum printer_rc usb_device_id(struct printer *p, uint8_t *buf, size_t cap, size_t *len)
{
	struct printer_usb *u = p->usb;
	int r = libusb_control_transfer(u->h,
	                                LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
	                                LIBUSB_RECIPIENT_INTERFACE,
	                                0, (uint16_t)u->config_index,
	                                (uint16_t)(u->iface << 8 | u->alt), buf,
	                                (uint16_t)(cap > 0xFFFF ? 0xFFFF : cap),
	                                (unsigned)(p->opts.answer_ms * 3));

	if (r < 0)
		return printer_fail(p, usb_rc(r), "%s: GET_DEVICE_ID: %s", p->spec, libusb_strerror(r));
	*len = (size_t)r;
	return PRINTER_OK;
}

static bool usb_valid(const char *arg)
{
	uint16_t vid, pid;

	return parse_ids(arg, &vid, &pid);
}

const struct printer_ops printer_usb_ops = {
	"usb", usb_open, usb_valid, usb_write, usb_read_byte, usb_device_id, usb_close,
};
