/* Inside drivers/printer*.c: the handle and the table of transports. */
#ifndef PRINTER_INT_H
#define PRINTER_INT_H

#include <stdint.h>

#include "drivers/printer.h"

struct printer_ops {
	const char *scheme;   /* "usb", "lp", "tcp", "file" */
	enum printer_rc (*open)(struct printer *p, const char *arg);
	bool (*valid)(const char *arg);
	enum printer_rc (*write)(struct printer *p, const uint8_t *buf, size_t n);
	/* Reads one answer byte within answer_ms; PRINTER_UNSUPPORTED when
	 * the device has no way back. NULL: the transport never has one. */
	enum printer_rc (*read_byte)(struct printer *p, uint8_t *b);
	/* Raw GET_DEVICE_ID answer into buf; *len gets its size. NULL when
	 * the transport has none. */
	enum printer_rc (*device_id)(struct printer *p, uint8_t *buf, size_t cap, size_t *len);
	void (*close)(struct printer *p);
};

struct printer_usb;

struct printer {
	const struct printer_ops *ops;
	struct printer_opts opts;
	char *spec;
	int fd;                      /* lp, tcp, file */
	struct printer_usb *usb;     /* usb */
	char err[256];
};

extern const struct printer_ops printer_usb_ops;

/* Sets p's message; returns rc. */
enum printer_rc printer_fail(struct printer *p, enum printer_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
