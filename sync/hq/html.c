/* HTML into a growing buffer (html.h): the only way data gets in is
 * escaped (html_text, html_f's %s). */
#include "html.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void put(struct html *h, const char *s, size_t n)
{
	if (h->oom)
		return;
	if (h->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 16384;
		while (cap < h->len + n + 1)
			cap *= 2;
		char *p = realloc(h->buf, cap);
		if (!p) {
			h->oom = true;
			return;
		}
		h->buf = p;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *s)
{
	put(h, s, strlen(s));
}

void html_text(struct html *h, const char *s)
{
	const char *run = s;
	for (const char *p = s; *p; p++) {
		const char *rep;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		put(h, run, (size_t)(p - run));
		html_raw(h, rep);
		run = p + 1;
	}
	html_raw(h, run);
}

/* Walks the format: conversions other than %s go to vsnprintf one at a
 * time (numbers need no escaping); %s arguments are escaped. */
void html_f(struct html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			html_raw(h, p);
			break;
		}
		put(h, p, (size_t)(pct - p));
		const char *spec = pct + 1;
		size_t sn = strspn(spec, "0123456789.-+ #lhzj");
		char conv = spec[sn];
		if (conv == '%') {
			put(h, "%", 1);
		} else if (conv == 's') {
			html_text(h, va_arg(ap, const char *));
		} else {
			char one[16], out[64];
			/* one is "%" + the caller's flags and width + the conversion,
			 * checked by the format attribute at the caller. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(one, sizeof one, "%%%.*s%c", (int)sn, spec, conv);
			if (conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x') {
				if (sn >= 2 && spec[sn - 2] == 'l' && spec[sn - 1] == 'l')
					snprintf(out, sizeof out, one, va_arg(ap, long long));
				else if (sn >= 1 && (spec[sn - 1] == 'l' || spec[sn - 1] == 'z'))
					snprintf(out, sizeof out, one, va_arg(ap, long));
				else
					snprintf(out, sizeof out, one, va_arg(ap, int));
			} else {
				snprintf(out, sizeof out, "?");
			}
#pragma GCC diagnostic pop
			html_raw(h, out);
		}
		p = spec + sn + (conv ? 1 : 0);
	}
	va_end(ap);
}

void html_int(struct html *h, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	put(h, p, (size_t)(buf + sizeof buf - p));
}

void html_money(struct html *h, int64_t rupiah)
{
	char buf[48];
	money_format(rupiah, NULL, buf, sizeof buf);
	html_text(h, buf);
}

void html_qty(struct html *h, int64_t thousandths)
{
	char buf[48];
	qty_format(thousandths, buf, sizeof buf);
	html_text(h, buf);
}

void html_time(struct html *h, int64_t t)
{
	if (!t) {
		html_raw(h, "-");
		return;
	}
	char buf[32];
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	html_raw(h, buf);
}

void html_date(struct html *h, int32_t d)
{
	html_f(h, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}
