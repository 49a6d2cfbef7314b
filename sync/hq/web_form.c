/* Reading what a browser posts: application/x-www-form-urlencoded fields
 * and the parts of a multipart/form-data upload (RFC 7578). Both read
 * outside input: every length is checked, nothing is written past the
 * caller's buffer, a malformed body is "absent". */
#include "web.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) (+ and %XX) into buf; false when it does not fit or
 * decodes to a NUL. */
static bool url_decode(const char *s, size_t n, char *buf, size_t cap)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n)
				return false;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0' || w + 1 >= cap)
			return false;
		buf[w++] = c;
	}
	buf[w] = '\0';
	return true;
}

bool form_field(const char *body, size_t len, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	const char *end = body + len;
	for (const char *p = body; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		if (eq && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0)
			return url_decode(eq + 1, (size_t)(stop - eq - 1), buf, n);
		p = stop + 1;
	}
	return false;
}

/* The boundary parameter of a multipart Content-Type into buf. */
static bool boundary_of(const char *ct, char *buf, size_t n)
{
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return false;
	const char *b = ct;
	while (*b && strncasecmp(b, "boundary=", 9) != 0)
		b++;
	if (!*b)
		return false;
	b += 9;
	bool quoted = *b == '"';
	b += quoted;
	size_t bl = strcspn(b, quoted ? "\"" : "; \t");
	if (bl == 0 || bl > 70 || bl + 1 > n)
		return false;
	memcpy(buf, b, bl);
	buf[bl] = '\0';
	return true;
}

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0 || hn < nn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
			return hay + i;
	return NULL;
}

/* A quoted parameter (name="...") of a Content-Disposition line. */
static bool disposition_param(const char *line, size_t n, const char *param, char *buf,
                              size_t cap)
{
	char key[32];
	int kl = snprintf(key, sizeof key, " %s=\"", param);
	const char *p = find(line, n, key, (size_t)kl);
	if (!p) {
		kl = snprintf(key, sizeof key, ";%s=\"", param);
		if (!(p = find(line, n, key, (size_t)kl)))
			return false;
	}
	p += kl;
	const char *q = memchr(p, '"', (size_t)(line + n - p));
	if (!q || (size_t)(q - p) + 1 > cap)
		return false;
	memcpy(buf, p, (size_t)(q - p));
	buf[q - p] = '\0';
	return true;
}

bool form_part(const char *body, size_t len, const char *content_type, const char *name,
               const char **data, size_t *n, char *fname, size_t fname_len)
{
	char b[80], delim[84];
	if (!boundary_of(content_type, b, sizeof b))
		return false;
	size_t dl = (size_t)snprintf(delim, sizeof delim, "--%s", b);
	const char *end = body + len;
	const char *p = find(body, len, delim, dl);
	while (p) {
		const char *head = p + dl;
		if (end - head >= 2 && head[0] == '-' && head[1] == '-')
			return false;  /* the closing delimiter */
		if (end - head < 2 || head[0] != '\r' || head[1] != '\n')
			return false;
		head += 2;
		const char *hend = find(head, (size_t)(end - head), "\r\n\r\n", 4);
		if (!hend)
			return false;
		const char *content = hend + 4;
		const char *next = find(content, (size_t)(end - content), delim, dl);
		if (!next || next - content < 2)
			return false;
		char pname[64], fn[256] = "";
		const char *cd = find(head, (size_t)(hend - head), "name=\"", 6);
		if (cd && disposition_param(head, (size_t)(hend - head), "name", pname, sizeof pname) &&
		    strcmp(pname, name) == 0) {
			disposition_param(head, (size_t)(hend - head), "filename", fn, sizeof fn);
			*data = content;
			*n = (size_t)(next - 2 - content);  /* the CRLF before the delimiter */
			snprintf(fname, fname_len, "%s", fn);
			return true;
		}
		p = next;
	}
	return false;
}
