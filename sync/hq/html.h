/* HTML for the console (html.c): a growing buffer whose only way to
 * take data is escaped. Pure: no request, no database (unit-tested in
 * tests/unit/test_hqweb.c). */
#ifndef HTML_H
#define HTML_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct html {
	char *buf;
	size_t len, cap;
	bool oom;                         /* a write failed; the page is answered 500 */
};

/* Markup as it is (literals of the code only, never data). */
void html_raw(struct html *h, const char *s);
/* Text, escaped for element content and quoted attribute values. */
void html_text(struct html *h, const char *s);
/* printf into markup: the format is markup, every %s argument is escaped. */
void html_f(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A number, quickly (charts write tens of thousands). */
void html_int(struct html *h, int64_t v);
void html_money(struct html *h, int64_t rupiah);
void html_qty(struct html *h, int64_t thousandths);
/* "2026-12-01 14:05" in the server's local time; "-" for 0. */
void html_time(struct html *h, int64_t unix_seconds);
/* yyyymmdd as "2026-12-01". */
void html_date(struct html *h, int32_t date);

#endif
