/* What an ESC/POS printer answers: real-time status bytes (DLE EOT n) and
 * the IEEE 1284 device id a USB printer-class device returns for
 * GET_DEVICE_ID. Pure parsers of outside input (fuzzed). */
#ifndef ESCSTATUS_H
#define ESCSTATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The three DLE EOT requests a till asks, in this order. */
enum { ESCSTATUS_PRINTER = 1, ESCSTATUS_OFFLINE = 2, ESCSTATUS_PAPER = 4 };

struct escstatus {
	bool known;            /* at least one valid answer was parsed */
	bool offline;
	bool drawer_open;      /* DLE EOT 1 bit 2: the drawer's switch reads open */
	bool cover_open;
	bool paper_near_end;
	bool paper_out;
	bool error;            /* mechanical, cutter or unrecoverable error */
};

/* Folds the answer byte b to DLE EOT n (1, 2 or 4) into st. Returns false,
 * leaving st alone, for another n or a byte without the fixed pattern
 * 0xx1xx10 (bits 0, 1, 4 and 7), which is not a status answer. */
bool escstatus_parse(int n, uint8_t b, struct escstatus *st);
/* True when a receipt can print now: known, online, no cover, paper, no
 * error (paper near end still prints). */
bool escstatus_ready(const struct escstatus *st);

/* IEEE 1284 device id: "MFG:EPSON;MDL:TM-T20;CMD:ESC/POS;" (keys also
 * MANUFACTURER, MODEL, COMMAND SET; any order, case-insensitive keys,
 * spaces around values trimmed). */
struct escstatus_devid {
	char mfg[64];
	char mdl[64];
	char cmd[64];
};

/* Parses a GET_DEVICE_ID answer: a 2-byte big-endian length that counts
 * itself, then the text. Values too long are cut. Returns false (out
 * emptied) for a short buffer, a length below 2 or beyond len, or no
 * MFG or MDL key. */
bool escstatus_devid_parse(const uint8_t *buf, size_t len, struct escstatus_devid *out);

#endif
