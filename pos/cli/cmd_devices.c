/* coopmart devices: the USB devices that look like barcode scanners or
 * receipt printers, and which of them the store's settings select. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/scanner.h"
#include "drivers/usb.h"

static const char *const help = N_(
	"usage: coopmart devices [--all]\n"
	"\n"
	"Lists the USB devices that look like barcode scanners (HID boot\n"
	"keyboards, HID point-of-sale scanners) or receipt printers (printer\n"
	"class, or vendor class with a bulk OUT endpoint): kind, VID:PID, bus\n"
	"and address, manufacturer and product, a printer's IEEE 1284 device id,\n"
	"and '*' on the ones the settings 'scanner' and 'printer' select.\n"
	"--all lists every USB device. Use the VID:PID in\n"
	"  coopmart --user N setting set scanner usb:VVVV:PPPP\n"
	"Exit: 0 listed, 2 a configured USB device is not attached,\n"
	"8 USB cannot be used on this machine.\n");

static const char *kind_word(enum usb_kind k)
{
	switch (k) {
	case USB_KIND_SCANNER_KBD: return _("scanner (HID keyboard)");
	case USB_KIND_SCANNER_POS: return _("scanner (HID POS)");
	case USB_KIND_PRINTER:     return _("printer");
	default:                   return _("other");
	}
}

/* Whether a printer setting names vid:pid: any "VVVV:PPPP" after "usb". */
static bool printer_selects(const char *setting, uint16_t vid, uint16_t pid)
{
	char want[16];
	snprintf(want, sizeof want, "%04x:%04x", vid, pid);
	if (strncasecmp(setting, "usb", 3) != 0)
		return false;
	for (const char *p = setting; *p; p++)
		if (strncasecmp(p, want, 9) == 0)
			return true;
	return false;
}

int cmd_devices(struct cli *c)
{
	bool all = false;
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--help") == 0 || strcmp(c->argv[i], "-h") == 0) {
			fputs(_(help), stdout);
			return EX_DONE;
		}
		if (strcmp(c->argv[i], "--all") != 0)
			return cli_usage(help);
		all = true;
	}
	struct scanner_spec scan;
	const char *scanner = till_config(c->till)->scanner;
	if (scanner_parse_spec(scanner, &scan) != SCANNER_E_NONE)
		scanner_parse_spec("keyboard", &scan);
	char printer[256];
	if (store_setting_get(c->st, "printer", printer, sizeof printer) != CM_OK)
		snprintf(printer, sizeof printer, "%s", "");

	struct usb *u;
	if (usb_open(USB_POLL_HOTPLUG, &u) != USB_OK)
		return cli_fail(CM_STATE, _("USB cannot be used here (no /dev/bus/usb, or no permission)"));
	struct usb_devinfo *d;
	size_t n;
	enum usb_rc rc = usb_list(u, &d, &n);
	usb_close(u);
	if (rc != USB_OK)
		return cli_fail(CM_STATE, _("cannot list the USB devices"));

	bool scanner_seen = false, printer_seen = false, any = false;
	for (size_t i = 0; i < n; i++) {
		bool is_scanner = (d[i].kind == USB_KIND_SCANNER_KBD && scan.type == SCANNER_USB_BOOT) ||
		                  (d[i].kind == USB_KIND_SCANNER_POS && scan.type == SCANNER_USB_POS);
		bool sel_s = is_scanner && d[i].vid == scan.vid && d[i].pid == scan.pid;
		bool sel_p = d[i].kind == USB_KIND_PRINTER && printer_selects(printer, d[i].vid, d[i].pid);
		scanner_seen |= sel_s;
		printer_seen |= sel_p;
		if (!all && d[i].kind == USB_KIND_OTHER)
			continue;
		any = true;
		printf(_("%s %04x:%04x  %03u/%03u  %-24s class %u/%u  %s%s%s\n"),
		       sel_s || sel_p ? "*" : " ", d[i].vid, d[i].pid, d[i].bus, d[i].address,
		       kind_word(d[i].kind), d[i].if_class ? d[i].if_class : d[i].dev_class,
		       d[i].if_subclass,
		       d[i].opened ? d[i].manufacturer : _("(no access: see the udev rule in the README)"),
		       d[i].opened && d[i].product[0] ? " / " : "", d[i].opened ? d[i].product : "");
		if (d[i].device_id[0])
			printf("      %s %s\n", _("device id:"), d[i].device_id);
	}
	free(d);
	if (!any)
		printf("%s\n", _("No USB scanner or printer found."));
	printf("%s %s%s\n", _("Setting scanner:"), scanner,
	       scan.type == SCANNER_USB_BOOT || scan.type == SCANNER_USB_POS
	       ? (scanner_seen ? _(" (attached)") : _(" (not attached)")) : "");
	printf("%s %s%s\n", _("Setting printer:"), printer[0] ? printer : _("(not set)"),
	       printer[0] && strncasecmp(printer, "usb", 3) == 0
	       ? (printer_seen ? _(" (attached)") : _(" (not attached)")) : "");
	bool missing = ((scan.type == SCANNER_USB_BOOT || scan.type == SCANNER_USB_POS) && !scanner_seen) ||
	               (printer[0] && strncasecmp(printer, "usb", 3) == 0 && !printer_seen);
	return missing ? EX_NOTFOUND : EX_DONE;
}
