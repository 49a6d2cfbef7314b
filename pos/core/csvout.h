/* CSV the command line writes (--csv), for a spreadsheet in Indonesian
 * locale and for scripts alike. The format (README "CSV exports"):
 *  - ';' between fields (a spreadsheet in Indonesian locale splits on ';',
 *    its decimal separator being ','), "\n" after each row, UTF-8;
 *  - a header row of English column names, never translated;
 *  - text quoted with '"' (inner quotes doubled) when it holds ';', ',',
 *    '"', CR or LF;
 *  - money as whole rupiah with no separator: "-62000";
 *  - quantities with a decimal comma, no thousands separator and no
 *    trailing zeros: "48", "0,75", "-3,5" (never "48.000", which an
 *    Indonesian spreadsheet reads as forty-eight thousand);
 *  - dates "2026-11-29", times "2026-11-29 08:05:00", local time.
 *
 * A row is built into a caller's buffer; like snprintf, the length it needs
 * keeps growing past the buffer's end (check csvout_len() < size). */
#ifndef CSVOUT_H
#define CSVOUT_H

#include "core/cm.h"

#define CSVOUT_SEP ';'

struct csvout {
	char *buf;
	size_t n, len;
	size_t fields;
};

/* Starts an empty row in buf (n bytes, NUL-terminated whenever n > 0). */
void csvout_begin(struct csvout *o, char *buf, size_t n);
void csvout_text(struct csvout *o, const char *s);
void csvout_int(struct csvout *o, int64_t v);
void csvout_money(struct csvout *o, cm_money v);
void csvout_qty(struct csvout *o, cm_qty q);
/* A unix time as a local date, or date and time; 0 gives an empty field. */
void csvout_date(struct csvout *o, int64_t t);
void csvout_time(struct csvout *o, int64_t t);
/* Each name of a NULL-terminated list as one text field: a header row. */
void csvout_header(struct csvout *o, const char *const *names);
/* The row's full length (without the NUL), even when cut short. */
size_t csvout_len(const struct csvout *o);

#endif
