/* scanner: one barcode scanner, whatever its connection, behind a table of
 * backends (scanner.c):
 *   keyboard      the keyboard wedge: the scanner types into the till like a
 *                 keyboard; nothing to open, the sale screen reads the keys.
 *   usb-hid-boot  a USB HID boot keyboard read through libusb (hidkbd.h).
 *   usb-hid-pos   a USB HID POS scanner, usage page 0x8C (hidpos.h).
 *   tty           a serial or CDC-ACM scanner: lines of text on a tty.
 *
 * The USB backends detach a bound kernel driver (usbhid) before claiming the
 * interface, so scans no longer arrive as keystrokes: they come only as
 * scan events, never in whatever field has the focus. They follow the
 * device through unplug and replug (usb.h watchers). Everything runs from
 * the caller's poll loop; nothing blocks but opening a device (one 100 ms
 * control transfer to read a POS scanner's report descriptor).
 *
 * Spec strings (the store setting "scanner"):
 *   keyboard | usb:VVVV:PPPP | usbpos:VVVV:PPPP | tty:/dev/PATH[:BAUD]
 * with hexadecimal vendor and product ids and a baud rate (default 9600). */
#ifndef CM_DRIVERS_SCANNER_H
#define CM_DRIVERS_SCANNER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/usb.h"

#define SCANNER_MAX_CODE 512
#define SCANNER_QUEUE    16	/* scans held until the till takes them */

enum scanner_type {
	SCANNER_KEYBOARD,
	SCANNER_USB_BOOT,
	SCANNER_USB_POS,
	SCANNER_TTY,
};

enum scanner_state {
	SCANNER_CONNECTED,	/* open and reading */
	SCANNER_DISCONNECTED,	/* not attached (yet, or unplugged) */
	SCANNER_ERROR,		/* attached but unusable: see the reason */
};

/* Why a scanner is not connected, or why scanner_open refused a spec. */
enum scanner_err {
	SCANNER_E_NONE,
	SCANNER_E_SPEC,		/* the spec string is not one of the forms above */
	SCANNER_E_NOMEM,
	SCANNER_E_NO_USB,	/* a USB spec without a USB context */
	SCANNER_E_NOT_FOUND,	/* no device with that VID:PID attached */
	SCANNER_E_ACCESS,	/* no permission to open it (udev rule missing) */
	SCANNER_E_BUSY,		/* interface claimed by another program */
	SCANNER_E_NO_INTERFACE,	/* no HID interface of the wanted kind */
	SCANNER_E_DESCRIPTOR,	/* no POS scanner data in its report descriptor */
	SCANNER_E_IO,		/* transfers keep failing */
	SCANNER_E_UNPLUGGED,	/* it went away */
	SCANNER_E_TTY,		/* the tty could not be opened or set up */
};

struct scanner_spec {
	enum scanner_type type;
	uint16_t vid, pid;
	char path[256];
	unsigned baud;
};

/* Parses a spec string; returns SCANNER_E_NONE or SCANNER_E_SPEC. */
enum scanner_err scanner_parse_spec(const char *s, struct scanner_spec *out);

struct scanner;

struct scanner_opts {
	unsigned read_timeout_ms;	/* a scan cut short is dropped after this
					 * long without reports; 0 = 1000 */
};

/* Opens the scanner a spec names (usb may be NULL for keyboard and tty).
 * A device that is absent or unusable is not a failure: the scanner is
 * returned in state DISCONNECTED or ERROR and connects when it arrives.
 * Fails only for a bad spec or no memory. Free with scanner_close(). */
enum scanner_err scanner_open(const struct scanner_spec *spec, struct usb *usb,
                              const struct scanner_opts *opts, struct scanner **out);
void scanner_close(struct scanner *s);

enum scanner_type scanner_type(const struct scanner *s);
enum scanner_state scanner_state(const struct scanner *s, enum scanner_err *why);

/* A counter that moves whenever the state changes, for redrawing. */
unsigned scanner_generation(const struct scanner *s);

/* The scanner's own fds for the caller's poll() (a tty's); the USB ones
 * come from usb_pollfds. Returns how many (0 or 1); max must be >= 1. */
size_t scanner_pollfds(const struct scanner *s, struct pollfd *pfd, size_t max);

/* After every poll() and usb_dispatch(): reads a ready tty, retries a
 * device that failed, finishes closing an unplugged one. revents are those
 * of the fds scanner_pollfds gave (NULL, 0 when none). */
void scanner_dispatch(struct scanner *s, const struct pollfd *pfd, size_t n);

/* Takes the oldest scan: copies the barcode (NUL-terminated, cut to cap-1)
 * and returns 1, or returns 0 when none is waiting. */
int scanner_next(struct scanner *s, char *code, size_t cap);

/* Statistics for tests and `coopmart devices`. */
struct scanner_stats {
	unsigned long reports;		/* input reports or tty reads taken */
	unsigned long scans;		/* barcodes delivered to the queue */
	unsigned long dropped;		/* too long, cut short, or queue full */
	unsigned long refused;		/* HID POS binary data with a NUL inside */
	unsigned long reconnects;	/* times a lost device came back */
	unsigned long detached;		/* kernel drivers detached */
};
void scanner_get_stats(const struct scanner *s, struct scanner_stats *st);

#endif
