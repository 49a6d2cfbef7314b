/* The online store's rules without a database (shop_rules.h). Local time
 * is the store's: tz_min minutes from UTC, no daylight saving (Indonesia
 * has none), so a slot is plain arithmetic on unix time. */
#include "shop_rules.h"
#include "core/money.h"
#include "web.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

void shop_settings_default(struct shop_settings *s, const char *store)
{
	*s = (struct shop_settings){ .tz_min = 420, .open_min = 480, .close_min = 1200,
	                             .slot_min = 60, .cutoff_min = 120, .expire_min = 1440,
	                             .max_open_orders = 3, .max_line_qty = 20000 };
	snprintf(s->store, sizeof s->store, "%s", store);
}

enum shop_avail shop_avail_of(int64_t available)
{
	return available > 5 * CM_QTY_ONE ? SHOP_IN_STOCK
	       : available >= CM_QTY_ONE  ? SHOP_LIMITED : SHOP_OUT;
}

const char *shop_qty_text(int64_t qty, char *buf, size_t n)
{
	int64_t frac = qty % CM_QTY_ONE;
	if (frac == 0) {
		snprintf(buf, n, "%lld", (long long)(qty / CM_QTY_ONE));
		return buf;
	}
	int digits = 3;
	for (; frac % 10 == 0; frac /= 10)
		digits--;
	snprintf(buf, n, "%lld,%0*lld", (long long)(qty / CM_QTY_ONE), digits, (long long)frac);
	return buf;
}

void shop_verdict_text(const struct shop_verdict *v, char *buf, size_t n)
{
	char q[32];
	switch (v->why) {
	case SHOP_FINE:
		snprintf(buf, n, "%s", _("The order is placed."));
		break;
	case SHOP_CLOSED:
		snprintf(buf, n, "%s", _("This store's online shop is closed."));
		break;
	case SHOP_INACTIVE:
		snprintf(buf, n, "%s", _("Only active members may order; ask at the store."));
		break;
	case SHOP_TOO_MANY:
		snprintf(buf, n, _("You have %lld open orders already, the most this store takes: "
		                   "collect or cancel one first."), (long long)v->n);
		break;
	case SHOP_BAD_SLOT:
		snprintf(buf, n, "%s", _("That pickup time is not one of the store's: choose another."));
		break;
	case SHOP_CUTOFF:
		snprintf(buf, n, _("Orders for that pickup time closed %lld minutes before it: "
		                   "choose a later one."), (long long)v->n);
		break;
	case SHOP_EMPTY:
		snprintf(buf, n, "%s", _("The cart is empty."));
		break;
	case SHOP_TOO_MANY_LINES:
		snprintf(buf, n, _("An order may have at most %lld lines."), (long long)v->n);
		break;
	case SHOP_NO_ITEM:
		snprintf(buf, n, _("Item %s is not sold in the shop (any more)."), v->sku);
		break;
	case SHOP_BAD_QTY:
		snprintf(buf, n, _("The quantity of %s must be a positive number (whole pieces)."),
		         v->sku);
		break;
	case SHOP_LINE_LIMIT:
		snprintf(buf, n, _("At most %s of %s per order."), shop_qty_text(v->n, q, sizeof q),
		         v->sku);
		break;
	case SHOP_NOT_AVAILABLE:
		snprintf(buf, n, _("Only %s of %s are available."), shop_qty_text(v->n, q, sizeof q),
		         v->sku);
		break;
	}
}

/* Local midnight (as unix time) of the day holding t. */
static int64_t local_midnight(const struct shop_settings *s, int64_t t)
{
	int64_t local = t + s->tz_min * 60;
	int64_t day = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;
	return day * DAY - s->tz_min * 60;
}

size_t shop_slots(const struct shop_settings *s, int64_t now, int64_t *out, size_t max)
{
	size_t k = 0;
	int64_t day0 = local_midnight(s, now);
	for (int d = 0; d < SHOP_SLOT_DAYS; d++)
		for (int64_t m = s->open_min; m + s->slot_min <= s->close_min && k < max;
		     m += s->slot_min) {
			int64_t start = day0 + d * DAY + m * 60;
			if (start - s->cutoff_min * 60 >= now)
				out[k++] = start;
		}
	return k;
}

enum shop_why shop_slot_check(const struct shop_settings *s, int64_t now, int64_t start,
                              int64_t *end)
{
	int64_t day = local_midnight(s, start), off = start - day;
	if (off % 60 || s->slot_min <= 0)
		return SHOP_BAD_SLOT;
	int64_t m = off / 60;
	if (m < s->open_min || m + s->slot_min > s->close_min || (m - s->open_min) % s->slot_min ||
	    day - local_midnight(s, now) >= SHOP_SLOT_DAYS * DAY)
		return SHOP_BAD_SLOT;
	if (start - s->cutoff_min * 60 < now)
		return SHOP_CUTOFF;
	*end = start + s->slot_min * 60;
	return SHOP_FINE;
}

static void local_hm(const struct shop_settings *s, int64_t t, int *h, int *m)
{
	int64_t off = t - local_midnight(s, t);
	*h = (int)(off / 3600);
	*m = (int)(off / 60 % 60);
}

void shop_slot_text(const struct shop_settings *s, int64_t start, int64_t end, char *buf,
                    size_t n)
{
	/* The civil date of the local day (days since 1970-01-01, Howard
	 * Hinnant's algorithm): no libc time zone involved. */
	int64_t z = (local_midnight(s, start) + s->tz_min * 60) / DAY + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1, mm = mp < 10 ? mp + 3 : mp - 9;
	int64_t yy = yoe + era * 400 + (mm <= 2);
	int h1, m1, h2, m2;
	local_hm(s, start, &h1, &m1);
	local_hm(s, end, &h2, &m2);
	if (end - local_midnight(s, start) >= DAY)
		h2 += 24;
	snprintf(buf, n, "%04lld-%02lld-%02lld %02d:%02d-%02d:%02d", (long long)yy, (long long)mm,
	         (long long)dd, h1, m1, h2, m2);
}

int64_t shop_line_amount(int64_t qty, int64_t price)
{
	cm_money amount;
	return money_line_amount(price, qty, &amount) == CM_OK ? amount : INT64_MAX / 2;
}

bool shop_qty_parse(const char *s, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int nw = 0, nf = 0;
	for (; *s >= '0' && *s <= '9' && nw < 7; s++, nw++)
		whole = whole * 10 + (*s - '0');
	if (nw == 0 || nw > 6)
		return false;
	if (*s == '.' || *s == ',')
		for (s++; *s >= '0' && *s <= '9' && nf < 4; s++, nf++)
			frac = frac * 10 + (*s - '0');
	if (*s || nf > 3 || (s[-1] == '.' || s[-1] == ','))
		return false;
	for (int i = nf; i < 3; i++)
		frac *= 10;
	*out = whole * CM_QTY_ONE + frac;
	return true;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool shop_local_parse(const struct shop_settings *s, const char *text, int64_t *out)
{
	int y, mo, d, h, mi, used = 0;
	if (sscanf(text, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5 ||
	    text[used] || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || h < 0 ||
	    mi < 0 || y < 2000)
		return false;
	*out = days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 - s->tz_min * 60;
	return true;
}

bool shop_text_ok(const char *t, size_t max)
{
	size_t n = strlen(t);
	if (n > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)t; *p;) {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
		          : (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || (len == 1 && (*p < 0x20 || *p == 0x7f)))
			return false;
		uint32_t cp = len == 1 ? *p : (uint32_t)(*p & (0x7f >> len));
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		p += len;
	}
	return true;
}
