/* hidkbd: decodes the 8-byte reports of a USB HID boot keyboard (what most
 * barcode scanners pretend to be) into barcode strings. Pure C, no libusb:
 * the scanner driver feeds it reports, the fuzzer feeds it anything.
 *
 * Report layout (HID 1.11, appendix B.1): byte 0 modifier bits (bit i is
 * usage 0xE0+i; left/right shift are 0x02/0x20), byte 1 reserved, bytes
 * 2..7 the usages of up to six keys held down. Usages 0x01..0x03 in a key
 * slot mean rollover/error: the report says nothing about the keys and is
 * ignored whole. A key counts once, in the first report that holds it;
 * a scanner sends press and release reports, so "AA" arrives as press A,
 * release, press A. The US layout is assumed (scanners are set to it).
 * These are boot-protocol reports: the scanner driver sends SET_PROTOCOL
 * (boot) first, since a keyboard in the report protocol (its state after
 * reset) may put a report id in byte 0 or send an NKRO bitmap instead. */
#ifndef CM_DRIVERS_HIDKBD_H
#define CM_DRIVERS_HIDKBD_H

#include <stddef.h>
#include <stdint.h>

#define HIDKBD_REPORT_LEN 8
#define HIDKBD_MAX_CODE   128	/* longest barcode kept; longer is an error */

struct hidkbd {
	uint8_t prev[6];	/* keys held in the previous report */
	size_t len;		/* characters collected so far */
	int overflow;		/* current barcode ran too long */
	char buf[HIDKBD_MAX_CODE + 1];
};

void hidkbd_init(struct hidkbd *k);

/* Feeds one report of len bytes (short reports are padded with zeros,
 * longer ones cut to 8) and calls fn for every barcode a terminator
 * (Enter, keypad Enter, Tab) finished in it, without the terminator; an
 * empty barcode (a bare Enter) is not reported. The string passed to fn
 * lives until fn returns. Returns the number of barcodes reported; a
 * barcode longer than HIDKBD_MAX_CODE is dropped whole and counted in
 * *dropped when dropped is not NULL. */
typedef void hidkbd_code_fn(void *arg, const char *code);
int hidkbd_feed(struct hidkbd *k, const uint8_t *report, size_t len,
                hidkbd_code_fn *fn, void *arg, int *dropped);

/* Characters collected but not yet terminated (a scan cut short). */
size_t hidkbd_pending(const struct hidkbd *k);

/* Drops a barcode cut short (after a timeout or an unplug). */
void hidkbd_reset(struct hidkbd *k);

/* The character a usage gives, or 0 when it gives none (modifiers,
 * function keys). Terminators give '\n' or '\t'. */
char hidkbd_usage_char(uint8_t usage, int shift);

#endif
