/* ESC/POS encoder: pure functions that append printer commands to a
 * growable byte buffer. Nothing here touches a device; drivers/printer.h
 * sends the bytes.
 *
 * A profile says what the printer can do. A feature it lacks degrades
 * instead of sending bytes the printer would print as garbage: no cutter
 * feeds the paper past the tear bar, no barcode or QR prints the data as
 * centred text, no character sizes keeps emphasis only.
 *
 * Text given to escpos_text() and escpos_line() is UTF-8 and is
 * transliterated to printable ASCII (é -> e, curly quotes -> ', NBSP ->
 * space, dashes -> -, anything unknown -> ?): raw UTF-8 never reaches the
 * printer. */
#ifndef ESCPOS_H
#define ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct escpos_profile {
	const char *name;       /* "58", "80", "80-42", "dotmatrix" */
	int columns;            /* characters a line at the standard font */
	int dots;               /* printable dots a line; 0 = no raster */
	bool cutter;
	bool barcode;           /* GS k */
	bool qr;                /* GS ( k */
	bool sizes;             /* GS ! (double width and height) */
};

/* The built-in profile called name, or NULL. escpos_profiles() lists them
 * all, ending with a NULL name. */
const struct escpos_profile *escpos_profile_find(const char *name);
const struct escpos_profile *escpos_profiles(void);

enum escpos_align { ESCPOS_LEFT = 0, ESCPOS_CENTER = 1, ESCPOS_RIGHT = 2 };
enum escpos_symbology { ESCPOS_CODE128, ESCPOS_EAN13 };
enum escpos_drawer_pin { ESCPOS_PIN2 = 0, ESCPOS_PIN5 = 1 };

/* The byte buffer. An allocation failure marks it failed; later calls do
 * nothing and escpos_data returns NULL, so callers check once at the end. */
struct escpos;

struct escpos *escpos_new(const struct escpos_profile *p);
void escpos_free(struct escpos *e);
/* The bytes so far (owned by e) and their count; NULL when failed. */
const uint8_t *escpos_data(const struct escpos *e, size_t *len);
const struct escpos_profile *escpos_profile(const struct escpos *e);
/* Characters a line at the current character size (half when double). */
int escpos_columns(const struct escpos *e);

/* ESC @ then the code page (CP437: ASCII is the same in every page). */
void escpos_init(struct escpos *e);
void escpos_codepage(struct escpos *e, uint8_t page);
void escpos_bold(struct escpos *e, bool on);
void escpos_double(struct escpos *e, bool on);
/* An emphasised left ... right line (a total): bold, double size when it
 * fits half the columns, else double height only at full width, else (no
 * character sizes) bold alone. Leaves normal size and no bold. */
void escpos_big_lr(struct escpos *e, const char *left, const char *right);
void escpos_align(struct escpos *e, enum escpos_align a);
/* UTF-8 text, transliterated; control characters other than '\n' are
 * dropped, tabs become spaces. */
void escpos_text(struct escpos *e, const char *utf8);
/* Text and a line feed; text longer than the line is wrapped at a space
 * (or cut at the width for a longer word), so no line is wider than
 * escpos_columns(). */
void escpos_line(struct escpos *e, const char *utf8);
/* left and right on one line of escpos_columns(), right-aligned; the left
 * text is cut when both do not fit. */
void escpos_lr(struct escpos *e, const char *left, const char *right);
/* A line of '-' across the paper. */
void escpos_rule(struct escpos *e);
/* Barcode with its text below. CODE128 takes printable ASCII (digits-only
 * data of even length goes in code set C), EAN-13 12 or 13 digits.
 * Returns false (and encodes nothing) for data the symbology cannot hold;
 * without barcode support prints the data as text. The module is 2 dots
 * when the barcode and its quiet zones fit the profile's dots, else 1;
 * when even that is too wide (a long receipt number on 58 mm) the data is
 * printed as text instead. */
bool escpos_barcode(struct escpos *e, enum escpos_symbology sym, const char *data);
/* Dots across the barcode escpos_barcode would print (quiet zones
 * included), 0 when it would print text instead or data is invalid. */
int escpos_barcode_width(const struct escpos *e, enum escpos_symbology sym, const char *data);
/* QR model 2, module size 1..16, error level M; text without QR support.
 * Returns false for empty data or data longer than 700 bytes. */
bool escpos_qr(struct escpos *e, const char *data, int module);
void escpos_feed(struct escpos *e, int lines);
/* Feeds to the cutter and cuts partially; without a cutter feeds enough
 * lines to tear the paper off. */
void escpos_cut(struct escpos *e);
/* Pulses the drawer kick connector (100 ms on, 100 ms off). */
void escpos_drawer(struct escpos *e, enum escpos_drawer_pin pin);
/* Raw bytes (for callers that know what they do, e.g. tests). */
void escpos_raw(struct escpos *e, const void *bytes, size_t n);

/* UTF-8 s as printable ASCII into buf (always NUL-terminated when n > 0;
 * a replacement that does not fit whole is left out). Returns the length. */
size_t escpos_ascii(const char *s, char *buf, size_t n);

#endif
