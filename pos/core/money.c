/* Rupiah amounts and quantities. See money.h for the display format and
 * the three rounding rules; every rounding in the till goes through here so
 * that receipts, reports and HQ agree to the rupiah. */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

/* Largest amount a cashier or a catalogue file may type: a trillion rupiah
 * is far above any till's business and far below int64 overflow. */
#define MONEY_PARSE_MAX 1000000000000000LL

#define QTY_PARSE_MAX (99999LL * CM_QTY_ONE)

/* Copies src into buf at *len (truncating, keeping NUL) and always counts
 * the full length, so callers can report what a snprintf would. */
static void put(char *buf, size_t n, size_t *len, const char *src)
{
	for (; *src; src++, (*len)++)
		if (*len + 1 < n)
			buf[*len] = *src;
	if (n > 0)
		buf[*len < n ? *len : n - 1] = '\0';
}

/* Magnitude of v as unsigned: correct even for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* Digits of m with a dot every three, e.g. 1250000 -> "1.250.000". */
static void group_digits(uint64_t m, char out[32])
{
	char rev[32];
	size_t i = 0, j = 0;

	do {
		if (i > 0 && i % 3 == 0)
			rev[j++] = '.';
		rev[j++] = (char)('0' + m % 10);
		m /= 10;
		i++;
	} while (m);
	for (i = 0; i < j; i++)
		out[i] = rev[j - 1 - i];
	out[j] = '\0';
}

size_t money_format(cm_money v, const struct money_fmt *fmt, char *buf, size_t n)
{
	const char *sym = fmt && fmt->symbol ? fmt->symbol : "Rp";
	char digits[32];
	size_t len = 0;

	if (n > 0)
		buf[0] = '\0';
	group_digits(magnitude(v), digits);
	if (v < 0)
		put(buf, n, &len, "-");
	put(buf, n, &len, sym);
	if (fmt && fmt->space)
		put(buf, n, &len, " ");
	put(buf, n, &len, digits);
	return len;
}

/* Reads 1..max digits at *p into *acc; returns how many were read. */
static size_t take_digits(const char **p, size_t max, int64_t *acc)
{
	size_t k = 0;

	while (k < max && **p >= '0' && **p <= '9') {
		*acc = *acc * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k;
}

/* Grouped form "1.250.000": a first group of 1-3 digits without a leading
 * zero (so "0.500", which a cashier means as a half, is refused), then
 * groups of exactly three. */
static enum cm_rc parse_grouped(const char *p, int64_t *out)
{
	int64_t v = 0;

	if (*p == '0' || take_digits(&p, 3, &v) == 0 || *p != '.')
		return CM_INVALID;
	while (*p == '.') {
		p++;
		if (take_digits(&p, 3, &v) != 3 || v > MONEY_PARSE_MAX)
			return CM_INVALID;
	}
	if (*p)
		return CM_INVALID;
	*out = v;
	return CM_OK;
}

enum cm_rc money_parse(const char *s, cm_money *out)
{
	char buf[64];
	const char *p;
	int64_t v = 0;

	if (!s)
		return CM_INVALID;
	/* Spaces around the amount go; so does "Rp", "Rp." and the spaces
	 * after it (price lists write "Rp. 12.500"). */
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= sizeof buf)
		return CM_INVALID;
	memcpy(buf, s, n);
	buf[n] = '\0';
	p = buf;
	if ((p[0] == 'R' || p[0] == 'r') && (p[1] == 'p' || p[1] == 'P')) {
		p += 2;
		if (*p == '.')
			p++;
		while (*p == ' ')
			p++;
	}
	if (strchr(p, '.')) {
		if (parse_grouped(p, &v) != CM_OK)
			return CM_INVALID;
	} else {
		if (*p == '\0')
			return CM_INVALID;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return CM_INVALID;
			v = v * 10 + (*p - '0');
			if (v > MONEY_PARSE_MAX)
				return CM_INVALID;
		}
	}
	*out = v;
	return CM_OK;
}

/* n / d rounded half away from zero, d > 0, computed without overflow. */
static __int128 div_half_away(__int128 n, __int128 d)
{
	__int128 q = n / d, r = n % d;

	if (r < 0)
		r = -r;
	if (r * 2 >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

enum cm_rc money_line_amount(cm_money price, cm_qty qty, cm_money *out)
{
	int64_t p;

	if (__builtin_mul_overflow(price, qty, &p))
		return CM_INVALID;
	*out = (cm_money)div_half_away(p, CM_QTY_ONE);
	return CM_OK;
}

cm_money money_percent(cm_money v, int32_t bp)
{
	__int128 r = div_half_away((__int128)v * bp, 10000);

	/* Only a percentage above 100% can leave the int64 range; saturate
	 * rather than wrap so a bad setting cannot flip a sign. */
	if (r > INT64_MAX)
		return INT64_MAX;
	if (r < INT64_MIN)
		return INT64_MIN;
	return (cm_money)r;
}

cm_money money_round_step(cm_money v, cm_money step)
{
	uint64_t m = magnitude(v), st, r, down, up;

	if (step <= 1)
		return v;
	st = (uint64_t)step;
	r = m % st;
	down = m - r;
	up = down + st;
	/* An exact half goes down: the member never pays the half. Rounding
	 * up past the int64 range is not an option, so go down there too. */
	if (r > st - r && up <= (uint64_t)INT64_MAX)
		m = up;
	else
		m = down;
	return v < 0 ? -(cm_money)m : (cm_money)m;
}

size_t qty_format(cm_qty q, char *buf, size_t n)
{
	uint64_t m = magnitude(q);
	uint64_t whole = m / CM_QTY_ONE, frac = m % CM_QTY_ONE;
	char text[40];
	int k;

	k = snprintf(text, sizeof text, "%s%llu", q < 0 ? "-" : "",
		     (unsigned long long)whole);
	if (frac) {
		/* thousandths, trailing zeros dropped: 750 -> ",75" */
		text[k++] = ',';
		for (int div = 100; frac; div /= 10) {
			text[k++] = (char)('0' + frac / (uint64_t)div);
			frac %= (uint64_t)div;
		}
		text[k] = '\0';
	}
	if (n > 0)
		snprintf(buf, n, "%s", text);
	return (size_t)k;
}

enum cm_rc qty_parse(const char *s, bool allow_fraction, cm_qty *out)
{
	const char *p = s;
	int64_t whole = 0, frac = 0;
	size_t k;

	if (!s)
		return CM_INVALID;
	k = take_digits(&p, 12, &whole);
	if (k == 0 || whole > 99999)
		return CM_INVALID;
	if (*p == ',' || *p == '.') {
		p++;
		k = take_digits(&p, 3, &frac);
		if (k == 0)
			return CM_INVALID;
		while (k++ < 3)
			frac *= 10;
	}
	if (*p)
		return CM_INVALID;
	whole = whole * CM_QTY_ONE + frac;
	if (whole <= 0 || whole > QTY_PARSE_MAX)
		return CM_INVALID;
	if (!allow_fraction && whole % CM_QTY_ONE)
		return CM_INVALID;
	*out = whole;
	return CM_OK;
}

cm_money money_member_price(cm_money price, cm_money member_price)
{
	return member_price > 0 && member_price < price ? member_price : price;
}

cm_money money_substitute_price(cm_money ordered_price, cm_qty ordered_qty, cm_money sub_price,
                                cm_qty sub_qty)
{
	cm_money ordered, sub;

	if (ordered_qty <= 0 || sub_qty <= 0 || ordered_price < 0 ||
	    money_line_amount(ordered_price, ordered_qty, &ordered) != CM_OK)
		return sub_price;
	if (money_line_amount(sub_price, sub_qty, &sub) == CM_OK && sub <= ordered)
		return sub_price;
	/* amount = (p x q) / 1000 rounded half away: it stays <= ordered
	 * while p x q <= ordered x 1000 + 499. */
	return (cm_money)(((__int128)ordered * CM_QTY_ONE + CM_QTY_ONE / 2 - 1) / sub_qty);
}
