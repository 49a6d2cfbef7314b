/* hidpos: scanners on the HID Point-of-Sale bar code scanner usage page
 * (0x8C). Their report layout differs by vendor, so it is read from the
 * device's HID report descriptor instead of being hard-coded. Pure C, no
 * libusb; fuzzed (tests/fuzz/fuzz_hiddesc.c).
 *
 * A report descriptor is a string of items (HID 1.11, 6.2.2): a prefix byte
 * bTag(4) bType(2) bSize(2), with bSize 0,1,2 or 3 meaning 0,1,2 or 4 data
 * bytes, or the long-item prefix 0xFE followed by a size and a tag. Global
 * items (usage page, report size/count/id, push/pop) persist, local items
 * (usages, usage ranges) apply to the next main item only. Each Input main
 * item adds report_count fields of report_size bits to the current report,
 * in order, after the report id byte when the descriptor uses report ids.
 *
 * Of the input fields, the parser keeps those with these usages on page
 * 0x8C: 0xFB..0xFD symbology identifiers (AIM code letters, e.g. "]E0"),
 * 0xFE decoded data (the barcode, padded with NULs), 0xFF decoded data
 * continued (a flag: the barcode goes on in the next report). A one-byte
 * field directly before the first of those, with another usage, is taken
 * as the data length when the vendor sends one (it bounds the data;
 * without it the data ends at the first NUL, and what follows is padding).
 *
 * A barcode is text to the till. Binary data (a QR code or PDF417 holding
 * bytes) with a NUL inside the length the device sent is refused whole
 * rather than cut at the NUL into a shorter code that may name another
 * item. */
#ifndef CM_DRIVERS_HIDPOS_H
#define CM_DRIVERS_HIDPOS_H

#include <stddef.h>
#include <stdint.h>

#define HIDPOS_MAX_CODE 512	/* longest joined barcode */
#define HIDPOS_PAGE     0x8C

enum hidpos_rc {
	HIDPOS_OK,
	HIDPOS_MALFORMED,	/* items run past the end, bad nesting, huge sizes */
	HIDPOS_NO_DATA,		/* parsed, but no decoded-data input field */
};

/* A run of count fields of size bits each, starting bit bits into the
 * report (after the report id byte, when there is one). */
struct hidpos_field {
	uint32_t bit;
	uint16_t size;
	uint16_t count;
	uint8_t id;		/* the report it is in (0 without ids) */
	int present;
};

struct hidpos_layout {
	int uses_ids;		/* reports start with a report id byte */
	uint8_t report_id;	/* the id of the scanned data report */
	size_t report_len;	/* its length in bytes, id byte included */
	struct hidpos_field data, cont, length, sym[3];
};

enum hidpos_rc hidpos_parse(const uint8_t *desc, size_t len, struct hidpos_layout *out);

struct hidpos {
	struct hidpos_layout l;
	size_t len;
	int overflow;
	int binary;		/* a NUL inside the data: refused */
	char sym[4];
	char buf[HIDPOS_MAX_CODE + 1];
};

void hidpos_init(struct hidpos *p, const struct hidpos_layout *l);

/* Drops a barcode whose continuation never came. */
void hidpos_reset(struct hidpos *p);

/* Feeds one input report as read from the interrupt endpoint (with its
 * report id byte when the layout uses ids; reports with another id are
 * ignored). Calls fn with the barcode and its AIM symbology identifier
 * ("" when the device gives none) when a report without the continued
 * flag ends one; both strings live until fn returns. Returns 1 when a
 * barcode was reported, -1 when one was refused for a NUL inside its data
 * (fn is not called), 0 otherwise; an over-long barcode is dropped and
 * counted in *dropped. */
typedef void hidpos_code_fn(void *arg, const char *code, const char *symbology);
int hidpos_feed(struct hidpos *p, const uint8_t *report, size_t len,
                hidpos_code_fn *fn, void *arg, int *dropped);

#endif
