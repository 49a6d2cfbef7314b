/* A receipt printer as the print queue sees it: a table of function
 * pointers over one opened printer. The transports (printer.h: usb, lp,
 * tcp, file) sit behind it, with the libusb context a usb: printer needs,
 * so the queue (pos/engine/printq.c) renders and hands over bytes without
 * linking libusb or sockets; a test may put any other port in.
 *
 * Every call may block up to the printer's timeouts (printer.h): call them
 * from the print worker (printwork.h), never from the till's poll loop.
 * Messages are for logs and technicians (English, technical). */
#ifndef PRINTPORT_H
#define PRINTPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/escstatus.h"

enum printer_rc {
	PRINTER_OK = 0,
	PRINTER_BADSPEC,     /* the printer setting cannot be understood */
	PRINTER_ABSENT,      /* not connected / not found / refused */
	PRINTER_BUSY,        /* held by another program or kernel driver */
	PRINTER_ACCESS,      /* no permission on the device node */
	PRINTER_TIMEOUT,     /* stalled: no progress within the timeout */
	PRINTER_GONE,        /* unplugged or connection lost while in use */
	PRINTER_IO,          /* any other transfer error */
	PRINTER_UNSUPPORTED, /* this transport cannot answer that question */
	PRINTER_NOMEM,
};

/* Timeouts in ms; 0 takes the transport's default (printer.h). */
struct printport_opts {
	int stall_ms;
	int answer_ms;
	int connect_ms;
};

struct printport;

struct printport_ops {
	/* Opens the printer spec names (closing one opened with another
	 * spec); does nothing when it is open with spec already. */
	enum printer_rc (*open)(struct printport *p, const char *spec);
	bool (*is_open)(const struct printport *p);
	enum printer_rc (*write)(struct printport *p, const void *buf, size_t n);
	/* DLE EOT 1, 2 and 4 folded into *out; PRINTER_UNSUPPORTED or
	 * PRINTER_TIMEOUT when the printer cannot or does not answer. */
	enum printer_rc (*status)(struct printport *p, struct escstatus *out);
	/* The IEEE 1284 device id (USB printer class only). */
	enum printer_rc (*device_id)(struct printport *p, struct escstatus_devid *out);
	/* Why the last call failed. */
	const char *(*errmsg)(const struct printport *p);
	/* Closes the printer (the next open opens it again); the port stays. */
	void (*close)(struct printport *p);
	void (*free)(struct printport *p);
};

/* The port over the real transports, and a new one of them (NULL when out
 * of memory; opts may be NULL). Free it with printport_ops.free. */
extern const struct printport_ops printport_ops;
struct printport *printport_new(const struct printport_opts *opts);

#endif
