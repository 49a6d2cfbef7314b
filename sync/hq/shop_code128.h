/* Code 128 (code set B) as inline SVG, for an online order's number on
 * the member's page: the cashier scans it off the phone's screen with
 * the till's scanner (shop_code128.c). Pure: writes into struct html. */
#ifndef SHOP_CODE128_H
#define SHOP_CODE128_H

#include "html.h"

/* The widths of text's symbols (start B, the characters, the check
 * symbol, stop) as bar/space module counts, "211214..." into out; false
 * when text holds a character outside ASCII 32..126 or out is too
 * small (6 per symbol, 7 for stop, and the NUL). */
bool code128_widths(const char *text, char *out, size_t n);
/* An <svg> of text's barcode, module px wide and height px high, with
 * the quiet zones (10 modules) each side; nothing when text cannot be
 * encoded. */
void code128_svg(struct html *h, const char *text, int module, int height);

#endif
