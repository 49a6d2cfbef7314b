/* Receipt printers: one interface over four transports.
 *
 *   usb:VVVV:PPPP     USB printer class (or vendor-specific with bulk OUT)
 *                     through libusb: bulk OUT for data, bulk IN for
 *                     status answers, GET_DEVICE_ID for the device id
 *   lp:/dev/usb/lp0   the kernel's usblp node (status when it can read)
 *   tcp:HOST[:PORT]   a network printer, raw TCP (default port 9100)
 *   file:PATH         appends the bytes to a file (tests, printing nowhere)
 *
 * Every call returns within a bounded time: writes give up after the
 * stall timeout, status questions after a short answer timeout. A call
 * runs on the caller's thread and may block up to those timeouts, so the
 * till calls these from its print worker, never from its poll loop.
 * Messages on the handle are for logs and technicians (English, technical);
 * pos/ turns the result codes into words for cashiers. */
#ifndef PRINTER_H
#define PRINTER_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>

#include "drivers/escstatus.h"
#include "drivers/printport.h"   /* enum printer_rc */


/* A short English name of rc ("timeout", "gone", ...). */
const char *printer_rc_name(enum printer_rc rc);

struct printer;

struct printer_opts {
	libusb_context *usb;  /* the caller's context for usb: (required) */
	int stall_ms;         /* write makes no progress: default 5000 */
	int answer_ms;        /* status answer wait: default 300 */
	int connect_ms;       /* tcp connect: default 3000 */
};

/* Opens the printer named by spec. On failure *out is NULL and err holds
 * the reason. Close with printer_close. opts may be NULL (defaults; usb:
 * then fails with PRINTER_BADSPEC). */
enum printer_rc printer_open(const char *spec, const struct printer_opts *opts,
                             struct printer **out, char *err, size_t errlen);
void printer_close(struct printer *p);
/* Whether spec is well-formed (a known scheme and a valid argument),
 * without opening anything. */
bool printer_spec_valid(const char *spec);
const char *printer_errmsg(const struct printer *p);
/* The spec it was opened with (owned by p). */
const char *printer_spec(const struct printer *p);

/* Sends all n bytes, or fails: PRINTER_TIMEOUT when the printer stops
 * taking data for stall_ms, PRINTER_GONE when it disappears. */
enum printer_rc printer_write(struct printer *p, const void *buf, size_t n);
/* Asks DLE EOT 1, 2 and 4 and folds the answers into *out. A transport
 * that cannot read answers returns PRINTER_UNSUPPORTED with out->known
 * false; a printer that does not answer gives PRINTER_TIMEOUT. */
enum printer_rc printer_status(struct printer *p, struct escstatus *out);
/* The IEEE 1284 device id (USB printer class only). */
enum printer_rc printer_device_id(struct printer *p, struct escstatus_devid *out);

#endif
