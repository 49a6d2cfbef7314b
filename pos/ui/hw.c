/* The till's devices in its loop: the scanner the store setting names, its
 * libusb or tty fds in the single poll(), its scans handed to the screen
 * on top, and its state in words for the status bar. The libusb context is
 * made only when a USB device is configured; for a USB receipt printer its
 * hotplug events wake the print worker (which has a context of its own for
 * printing, on its own thread). */
#include "ui/ui_int.h"

#include <stdio.h>
#include <string.h>

#include "drivers/scanner.h"
#include "drivers/usb.h"

struct usb *ui_usb(struct ui *ui)
{
	if (!ui->usb && !ui->usb_failed) {
		unsigned flags = getenv("COOPMART_USB_POLL") ? USB_POLL_HOTPLUG : 0;
		if (usb_open(flags, &ui->usb) != USB_OK) {
			ui->usb = NULL;
			ui->usb_failed = true;
		}
	}
	return ui->usb;
}

/* A USB device came or went: the print worker looks at its printer now
 * (reopens it, asks its status) rather than at its next retry, so an
 * unplugged or replugged USB printer shows at once. */
static void printer_hotplug(void *arg, libusb_device *dev, int arrived)
{
	(void)dev;
	(void)arrived;
	ui_print_kick(arg);
}

static bool printer_is_usb(const struct ui *ui)
{
	return strncmp(till_config(ui->till)->printer, "usb:", 4) == 0;
}

void hw_open(struct ui *ui)
{
	struct scanner_spec spec;
	const char *want = till_config(ui->till)->scanner;

	if (scanner_parse_spec(want, &spec) != SCANNER_E_NONE) {
		ui_msg(ui, MSG_ERROR, _("The scanner setting '%s' is not valid: using the keyboard."), want);
		scanner_parse_spec("keyboard", &spec);
	}
	struct usb *usb = spec.type == SCANNER_USB_BOOT || spec.type == SCANNER_USB_POS
	                  ? ui_usb(ui) : NULL;
	if (scanner_open(&spec, usb, NULL, &ui->scanner) != SCANNER_E_NONE)
		ui->scanner = NULL;	/* no USB or no memory: the status bar says so */
	ui->scanner_gen = ui->scanner ? scanner_generation(ui->scanner) : 0;
	if (printer_is_usb(ui) && ui_usb(ui))
		usb_watch(ui->usb, printer_hotplug, ui);
}

void hw_close(struct ui *ui)
{
	scanner_close(ui->scanner);
	ui->scanner = NULL;
	if (ui->usb)
		usb_unwatch(ui->usb, printer_hotplug, ui);
	usb_close(ui->usb);
	ui->usb = NULL;
}

size_t hw_pollfds(struct ui *ui, struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	if (ui->scanner && max > 0)
		n = scanner_pollfds(ui->scanner, pfd, max);
	if (ui->usb) {
		size_t k = usb_pollfds(ui->usb, pfd + n, max - n);
		n += k < max - n ? k : max - n;
	}
	return n;
}

int hw_timeout(struct ui *ui, int timeout)
{
	int t = ui->usb ? usb_timeout_ms(ui->usb) : -1;
	/* A tty scanner that went away is looked for once a second. */
	if (ui->scanner && scanner_type(ui->scanner) == SCANNER_TTY &&
	    scanner_state(ui->scanner, NULL) != SCANNER_CONNECTED)
		t = t < 0 || t > 1000 ? 1000 : t;
	if (t >= 0 && (timeout < 0 || t < timeout))
		return t;
	return timeout;
}

static void state_changed(struct ui *ui)
{
	enum scanner_err why;
	switch (scanner_state(ui->scanner, &why)) {
	case SCANNER_CONNECTED:
		ui_msg(ui, MSG_OK, "%s", _("The scanner is ready."));
		break;
	case SCANNER_DISCONNECTED:
		if (why == SCANNER_E_UNPLUGGED)
			ui_error(ui, _("The scanner was unplugged. Plug it in again, or type the barcode."));
		break;
	case SCANNER_ERROR:
		ui_error(ui, _("The scanner cannot be used: see the status bar."));
		break;
	}
}

int hw_dispatch(struct ui *ui, const struct pollfd *pfd, size_t n)
{
	int rd = RD_NONE;
	char code[SCANNER_MAX_CODE];

	if (ui->usb)
		usb_dispatch(ui->usb);
	if (!ui->scanner)
		return rd;
	scanner_dispatch(ui->scanner, pfd, n);
	if (scanner_generation(ui->scanner) != ui->scanner_gen) {
		ui->scanner_gen = scanner_generation(ui->scanner);
		state_changed(ui);
		rd |= RD_SCREEN;
	}
	while (scanner_next(ui->scanner, code, sizeof code))
		rd |= ui_scan(ui, code);
	return rd;
}

const char *hw_scanner_text(struct ui *ui)
{
	enum scanner_err why = SCANNER_E_NO_USB;
	enum scanner_state st = ui->scanner ? scanner_state(ui->scanner, &why) : SCANNER_ERROR;

	if (ui->scanner && scanner_type(ui->scanner) == SCANNER_KEYBOARD)
		return _("Scanner: keyboard");
	if (st == SCANNER_CONNECTED)
		return _("Scanner: ready");
	switch (why) {
	case SCANNER_E_NOT_FOUND:    return _("Scanner: not plugged in");
	case SCANNER_E_UNPLUGGED:    return _("Scanner: unplugged");
	case SCANNER_E_ACCESS:       return _("Scanner: no permission (udev rule)");
	case SCANNER_E_BUSY:         return _("Scanner: in use by another program");
	case SCANNER_E_NO_INTERFACE:
	case SCANNER_E_DESCRIPTOR:   return _("Scanner: not a supported scanner");
	case SCANNER_E_TTY:          return _("Scanner: cannot open the port");
	case SCANNER_E_NO_USB:       return _("Scanner: USB unavailable");
	default:                     return _("Scanner: error");
	}
}
