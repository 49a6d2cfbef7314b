/* CSV rows for spreadsheets in Indonesian locale: the format is in
 * csvout.h. */
#include "core/csvout.h"
#include "core/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void put(struct csvout *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct csvout *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->n ? o->n - o->len : 0;
	int k = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k;
}

static void next_field(struct csvout *o)
{
	if (o->fields++)
		put(o, "%c", CSVOUT_SEP);
}

void csvout_begin(struct csvout *o, char *buf, size_t n)
{
	*o = (struct csvout){ .buf = buf, .n = n };
	if (n)
		buf[0] = '\0';
}

void csvout_text(struct csvout *o, const char *s)
{
	next_field(o);
	/* ',' is quoted too: a file opened with the other convention still
	 * keeps a name like "Gula, 1 kg" in one cell. */
	if (!strpbrk(s, ";,\"\r\n")) {
		put(o, "%s", s);
		return;
	}
	put(o, "\"");
	for (; *s; s++)
		put(o, *s == '"' ? "\"\"" : "%c", *s);
	put(o, "\"");
}

void csvout_int(struct csvout *o, int64_t v)
{
	next_field(o);
	put(o, "%lld", (long long)v);
}

void csvout_money(struct csvout *o, cm_money v)
{
	csvout_int(o, v);
}

void csvout_qty(struct csvout *o, cm_qty q)
{
	char t[40];
	qty_format(q, t, sizeof t);
	next_field(o);
	put(o, "%s", t);
}

/* A local time, its date only or the date and the time of day. */
static void local(struct csvout *o, int64_t t, bool with_time)
{
	char d[32] = "";
	time_t tt = (time_t)t;
	struct tm tm;
	if (t && localtime_r(&tt, &tm)) {
		if (with_time)
			strftime(d, sizeof d, "%Y-%m-%d %H:%M:%S", &tm);
		else
			strftime(d, sizeof d, "%Y-%m-%d", &tm);
	}
	next_field(o);
	put(o, "%s", d);
}

void csvout_date(struct csvout *o, int64_t t)
{
	local(o, t, false);
}

void csvout_time(struct csvout *o, int64_t t)
{
	local(o, t, true);
}

void csvout_header(struct csvout *o, const char *const *names)
{
	for (; *names; names++)
		csvout_text(o, *names);
}

size_t csvout_len(const struct csvout *o)
{
	return o->len;
}
