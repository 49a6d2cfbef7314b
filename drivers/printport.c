/* The print queue's port over the real transports (printport.h): one
 * printer opened by spec, reopened when the spec changes, and the libusb
 * context a usb: printer needs, made on first use and kept (a context per
 * open would cost a bus scan per retry). */
#include "drivers/printport.h"
#include "drivers/printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct printport {
	struct printer *p;
	char *spec;                  /* what p was opened with */
	struct printer_opts opts;
	libusb_context *usb;         /* owned; NULL until a usb: printer */
	char err[256];
};

struct printport *printport_new(const struct printport_opts *opts)
{
	struct printport *p = calloc(1, sizeof *p);

	if (p && opts) {
		p->opts.stall_ms = opts->stall_ms;
		p->opts.answer_ms = opts->answer_ms;
		p->opts.connect_ms = opts->connect_ms;
	}
	return p;
}

static void port_close(struct printport *p)
{
	printer_close(p->p);
	p->p = NULL;
	free(p->spec);
	p->spec = NULL;
}

static void port_free(struct printport *p)
{
	if (!p)
		return;
	port_close(p);
	if (p->usb)
		libusb_exit(p->usb);
	free(p);
}

static enum printer_rc port_open(struct printport *p, const char *spec)
{
	enum printer_rc rc;

	if (p->p && strcmp(spec, p->spec) == 0)
		return PRINTER_OK;
	port_close(p);
	if (strncmp(spec, "usb:", 4) == 0 && !p->usb) {
		int r = libusb_init(&p->usb);

		if (r != 0) {
			p->usb = NULL;
			snprintf(p->err, sizeof p->err, "USB: %s", libusb_strerror(r));
			return PRINTER_ABSENT;
		}
	}
	p->opts.usb = p->usb;
	if (!(p->spec = strdup(spec))) {
		snprintf(p->err, sizeof p->err, "out of memory");
		return PRINTER_NOMEM;
	}
	rc = printer_open(spec, &p->opts, &p->p, p->err, sizeof p->err);
	if (rc != PRINTER_OK)
		port_close(p);
	return rc;
}

static bool port_is_open(const struct printport *p)
{
	return p->p != NULL;
}

/* The handle's message, kept on the port: the handle may be closed next. */
static enum printer_rc port_result(struct printport *p, enum printer_rc rc)
{
	if (rc != PRINTER_OK && p->p)
		snprintf(p->err, sizeof p->err, "%s", printer_errmsg(p->p));
	return rc;
}

static enum printer_rc not_open(struct printport *p)
{
	snprintf(p->err, sizeof p->err, "the printer is not open");
	return PRINTER_ABSENT;
}

static enum printer_rc port_write(struct printport *p, const void *buf, size_t n)
{
	if (!p->p)
		return not_open(p);
	return port_result(p, printer_write(p->p, buf, n));
}

static enum printer_rc port_status(struct printport *p, struct escstatus *out)
{
	if (!p->p)
		return not_open(p);
	return port_result(p, printer_status(p->p, out));
}

static enum printer_rc port_device_id(struct printport *p, struct escstatus_devid *out)
{
	if (!p->p)
		return not_open(p);
	return port_result(p, printer_device_id(p->p, out));
}

static const char *port_errmsg(const struct printport *p)
{
	return p->err;
}

const struct printport_ops printport_ops = {
	.open = port_open, .is_open = port_is_open, .write = port_write,
	.status = port_status, .device_id = port_device_id, .errmsg = port_errmsg, .close = port_close, .free = port_free,
};
