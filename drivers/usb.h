/* usb: the till's one libusb context. It owns the libusb file descriptors
 * the caller adds to its single poll(), dispatches libusb events without
 * blocking, turns device arrival and departure into calls to registered
 * watchers (libusb hotplug callbacks, or a re-scan once a second where the
 * platform has none), and lists the attached devices that look like
 * scanners or receipt printers for `coopmart devices`.
 *
 * Threads: none of ours. libusb may run its own hotplug monitor thread;
 * every callback of this module runs inside usb_dispatch() on the caller's
 * thread. */
#ifndef CM_DRIVERS_USB_H
#define CM_DRIVERS_USB_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include <libusb.h>

enum usb_rc {
	USB_OK,
	USB_ERR_INIT,		/* libusb_init failed (no usbfs, no permission) */
	USB_ERR_NOMEM,
	USB_ERR_IO,		/* listing or a transfer failed */
};

struct usb;

/* Open flags. */
#define USB_POLL_HOTPLUG 0x01	/* ignore libusb hotplug, re-scan (tests) */

/* Starts libusb. *out is freed by usb_close(). */
enum usb_rc usb_open(unsigned flags, struct usb **out);
void usb_close(struct usb *u);

/* The libusb context, shared with the printer transport. */
libusb_context *usb_context(struct usb *u);

/* Whether arrival and departure come from libusb hotplug (1) or from the
 * periodic re-scan (0). */
int usb_has_hotplug(const struct usb *u);

/* Copies up to max pollfds for the caller's poll() and returns how many
 * there are (may exceed max: call again with a bigger array). The set
 * changes as devices open and close; take it afresh before every poll. */
size_t usb_pollfds(const struct usb *u, struct pollfd *pfd, size_t max);

/* The longest the caller may sleep in poll() before calling usb_dispatch
 * (libusb transfer timeouts, the re-scan), in ms; -1 for no limit. */
int usb_timeout_ms(struct usb *u);

/* Handles whatever libusb has ready without waiting (completed transfers,
 * timeouts, hotplug), then calls the watchers for devices that came or
 * went. Call after every poll(), whatever woke it. */
void usb_dispatch(struct usb *u);

/* A watcher is told of every device that arrives (arrived = 1) or leaves.
 * It may open or close devices and run transfers from the call. */
typedef void usb_watch_fn(void *arg, libusb_device *dev, int arrived);
enum usb_rc usb_watch(struct usb *u, usb_watch_fn *fn, void *arg);
void usb_unwatch(struct usb *u, usb_watch_fn *fn, void *arg);

/* What an attached device looks like from its descriptors. */
enum usb_kind {
	USB_KIND_OTHER,
	USB_KIND_SCANNER_KBD,	/* HID boot keyboard: a keyboard-mode scanner (or a keyboard) */
	USB_KIND_SCANNER_POS,	/* HID with a POS bar code scanner usage page (0x8C) report */
	USB_KIND_PRINTER,	/* printer class 7, or vendor class with bulk OUT */
};

struct usb_devinfo {
	uint8_t bus, address;
	uint16_t vid, pid;
	uint8_t dev_class, if_class, if_subclass, if_protocol, iface;
	enum usb_kind kind;
	int opened;		/* 0: no access, the strings are empty */
	char manufacturer[128], product[128], serial[64];
	char device_id[512];	/* IEEE 1284 id of a printer, or "" */
};

/* Lists the attached devices into a new array (*out, freed by the caller
 * with free()) of *n entries. Opens each device to read its strings, a HID
 * interface's report descriptor and a printer's device id; devices it may
 * not open are listed from their descriptors alone. Runs synchronous
 * control transfers (100 ms timeout each): for the command line and for
 * opening a device, not for the till's loop. */
enum usb_rc usb_list(struct usb *u, struct usb_devinfo **out, size_t *n);

/* The interface of dev that makes it the given kind, from the active
 * configuration's descriptors: sets *iface and *ep_in (interrupt IN for a
 * HID scanner, 0 when absent) and *ep_out (bulk OUT of a printer).
 * Returns 0 when found. USB_KIND_SCANNER_POS matches any HID interface
 * that is not a boot keyboard; its report descriptor decides. */
int usb_find_interface(libusb_device *dev, enum usb_kind kind, uint8_t *iface,
                       uint8_t *ep_in, uint16_t *in_size, uint8_t *ep_out);

/* Reads the HID report descriptor of interface iface into buf (up to cap
 * bytes): returns its length, or a negative libusb error. Synchronous. */
int usb_hid_report_descriptor(libusb_device_handle *h, uint8_t iface,
                              uint8_t *buf, size_t cap);

/* Puts a HID boot interface (subclass 1) into the boot protocol: a HID
 * device starts in report protocol, where a keyboard may put a report id
 * first or send an NKRO bitmap instead of the 8-byte boot report. Returns
 * 0 or a negative libusb error (PIPE: the device refused the request).
 * Synchronous. */
int usb_hid_set_boot_protocol(libusb_device_handle *h, uint8_t iface);

/* Reads a printer interface's IEEE 1284 device id (GET_DEVICE_ID) into buf
 * as a NUL-terminated string: returns its length or a negative libusb
 * error. Synchronous. */
int usb_printer_device_id(libusb_device_handle *h, uint8_t iface, uint8_t alt,
                          char *buf, size_t cap);

#endif
