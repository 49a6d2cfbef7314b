/* The receipt check code (checkcode.h). */
#include "core/checkcode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PREFIX "CM1"
#define FIELDS 7

/* Store codes, terminal ids and receipt numbers: what HQ enrols. */
static bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static bool hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool checkcode_format(const struct checkcode *c, char *buf, size_t n)
{
	char hash[CHECKCODE_HASH_HEX + 1];
	int w;

	if (n > 0)
		buf[0] = '\0';
	if (!name_ok(c->store, sizeof c->store - 1) || !name_ok(c->terminal, sizeof c->terminal - 1) ||
	    !name_ok(c->receipt, sizeof c->receipt - 1) || c->seq < 1 || c->due < 0)
		return false;
	for (size_t i = 0; i < CHECKCODE_HASH_HEX; i++) {
		if (!hex_digit(c->hash[i]))
			return false;
		hash[i] = (char)(c->hash[i] >= 'A' && c->hash[i] <= 'F' ? c->hash[i] + 32 : c->hash[i]);
	}
	hash[CHECKCODE_HASH_HEX] = '\0';
	w = snprintf(buf, n, PREFIX ":%s:%s:%s:%" PRId64 ":%s:%" PRId64, c->store, c->terminal,
	             c->receipt, c->seq, hash, c->due);
	if (w < 0 || (size_t)w >= n) {
		if (n > 0)
			buf[0] = '\0';
		return false;
	}
	return true;
}

/* A decimal of 1..18 digits without a leading zero (but "0"). */
static bool number(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v = 0;

	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool hash_field(const char *s, char out[CHECKCODE_HASH_HEX + 1])
{
	if (strlen(s) != CHECKCODE_HASH_HEX)
		return false;
	for (size_t i = 0; i < CHECKCODE_HASH_HEX; i++) {
		if (!hex_digit(s[i]))
			return false;
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
	}
	out[CHECKCODE_HASH_HEX] = '\0';
	return true;
}

static bool copy_name(const char *s, char *out, size_t size)
{
	if (!name_ok(s, size - 1))
		return false;
	memcpy(out, s, strlen(s) + 1);
	return true;
}

/* text without its white space into buf, split at ':' into f. */
static bool split(const char *text, char buf[CHECKCODE_MAX], char *f[FIELDS])
{
	size_t len = 0;
	int nf = 1;

	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (len + 1 >= CHECKCODE_MAX)
			return false;
		buf[len++] = *p;
	}
	buf[len] = '\0';
	f[0] = buf;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != ':')
			continue;
		if (nf == FIELDS)
			return false;
		buf[i] = '\0';
		f[nf++] = buf + i + 1;
	}
	return nf == FIELDS;
}

bool checkcode_parse(const char *text, struct checkcode *out)
{
	char buf[CHECKCODE_MAX], *f[FIELDS];
	bool ok;

	memset(out, 0, sizeof *out);
	ok = text && split(text, buf, f) &&
	     (f[0][0] == 'C' || f[0][0] == 'c') && (f[0][1] == 'M' || f[0][1] == 'm') &&
	     f[0][2] == '1' && f[0][3] == '\0' &&
	     copy_name(f[1], out->store, sizeof out->store) &&
	     copy_name(f[2], out->terminal, sizeof out->terminal) &&
	     copy_name(f[3], out->receipt, sizeof out->receipt) &&
	     number(f[4], &out->seq) && out->seq >= 1 &&
	     hash_field(f[5], out->hash) && number(f[6], &out->due);
	if (!ok)
		memset(out, 0, sizeof *out);
	return ok;
}
