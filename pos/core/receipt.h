/* Receipt text: a pure function of a committed sale.
 *
 * The text is plain ASCII (non-ASCII catalogue text is transliterated or
 * replaced by '?'), lines of exactly `columns` characters or fewer, each
 * ending in '\n'. Supported widths: 32 (58 mm), 42 and 48 (80 mm), 40 (76 mm
 * dot-matrix printers). */
#ifndef RECEIPT_H
#define RECEIPT_H

#include <time.h>
#include "core/dues.h"
#include "core/records.h"

struct receipt_store {
	const char *name;
	const char *address;
	const char *npwp;       /* printed only when pkp */
	bool pkp;               /* VAT-registered: show PPN */
	const char *terminal;
	const char *footer;     /* may be NULL */
};

struct receipt_sale {
	const char *receipt_no;
	time_t completed_at;
	const char *cashier;
	const char *member;     /* "number name" or NULL */
	const struct line_rec *lines;
	const struct sale_line_amounts *amounts; /* parallel to lines */
	size_t nlines;          /* voided lines are skipped when printing */
	const struct tender_rec *tenders;
	size_t ntenders;
	const struct dues_line *dues;    /* members' dues paid with the sale */
	size_t ndues;
	struct sale_totals totals;
	int64_t journal_seq;
	const char *hash_hex;   /* at least 8 hex characters are printed */
	bool reprint;           /* prints a "*** CETAK ULANG ***" banner */
	bool member_copy;       /* the copy of a credit sale the member signs */
	const char *check_code; /* core/checkcode.h; NULL or "": none printed */
};

/* Returns a malloc'd NUL-terminated text (caller frees), or NULL for an
 * unsupported width or on allocation failure. Dates are rendered in the
 * process's local time zone (TZ, Asia/Jakarta in production). */
char *receipt_render(const struct receipt_sale *s, const struct receipt_store *st,
                     int columns);
/* 32, 40, 42 or 48: the widths every page of the till is laid out for. */
bool receipt_width_ok(int columns);

/* The same receipt with its structure marked for a printer, so emphasis
 * comes from where a line sits on the receipt, never from what it says:
 *   a line starting with RECEIPT_MARK_HEADING is the store heading (the
 *   printer centres it and prints it bold);
 *   a line "RECEIPT_MARK_TOTAL label RECEIPT_MARK_SEP amount" is the total,
 *   which the printer lays out at the largest size that fits its width.
 *   a line starting with RECEIPT_MARK_QR holds the receipt's check code
 *   (core/checkcode.h) for a QR code; it is not in receipt_render's text,
 *   and a printer without QR codes leaves it out (the code follows as
 *   text on the lines below it either way).
 * Every other line is as in receipt_render. Catalogue and user text never
 * carries these bytes (receipt_ascii drops control characters and turns
 * tabs into spaces), so no item name can make itself a heading or a
 * total. */
#define RECEIPT_MARK_HEADING '\x01'
#define RECEIPT_MARK_TOTAL   '\x02'
#define RECEIPT_MARK_SEP     '\t'
#define RECEIPT_MARK_QR      '\x03'
char *receipt_render_marked(const struct receipt_sale *s, const struct receipt_store *st,
                            int columns);

/* Copies s into buf as printable ASCII (best-effort transliteration of
 * common UTF-8: accents dropped, curly quotes straightened, dashes to '-',
 * NBSP to space, anything else '?'; tab/CR/LF become spaces, other control
 * characters are dropped). buf is always NUL-terminated when n > 0; a
 * replacement that does not fit whole is left out. s may be NULL ("").
 * Returns the length written. */
size_t receipt_ascii(const char *s, char *buf, size_t n);

/* A return (refund) receipt: same store header and journal trailer as a
 * sale, a "RETUR" banner, the original receipt number, the approver and
 * reason, the lines taken back with their refund, the refund total, how
 * it was paid out and (PKP) the PPN contained in it. */
struct receipt_return {
	const struct return_rec *h;
	const char *cashier;
	const char *approver;
	const char *reason;     /* printed as given */
	const struct return_line_rec *lines;
	size_t nlines;
	const struct tender_rec *tenders;
	size_t ntenders;
	const char *hash_hex;
	bool reprint;
	const char *check_code; /* as for a sale */
};
char *receipt_render_return(const struct receipt_return *r, const struct receipt_store *st,
                            int columns);
char *receipt_render_return_marked(const struct receipt_return *r,
                                   const struct receipt_store *st, int columns);

#endif
