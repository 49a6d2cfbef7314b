/* Real-time status answers and the printer-class device id.
 *
 * DLE EOT n answers one byte shaped 0xx1xx10 (bit 7 = 0, bit 4 = 1,
 * bit 1 = 1, bit 0 = 0); the bits in between:
 *   n = 1 printer:        bit 2 the drawer kick-out connector's pin 3
 *                         (the drawer's switch: high = open), bit 3 offline
 *   n = 2 offline cause:  bit 2 cover open, bit 3 paper fed by the button,
 *                         bit 5 printing stopped at paper end, bit 6 error
 *   n = 4 paper sensor:   bits 2-3 paper near end, bits 5-6 paper end */
#include "drivers/escstatus.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

bool escstatus_parse(int n, uint8_t b, struct escstatus *st)
{
	if ((b & 0x93) != 0x12)
		return false;
	switch (n) {
	case ESCSTATUS_PRINTER:
		st->drawer_open = b & 0x04;
		st->offline = b & 0x08;
		break;
	case ESCSTATUS_OFFLINE:
		st->cover_open = b & 0x04;
		st->paper_out |= (b & 0x20) != 0;
		st->error = b & 0x40;
		break;
	case ESCSTATUS_PAPER:
		st->paper_near_end = b & 0x0C;
		st->paper_out |= (b & 0x60) != 0;
		break;
	default:
		return false;
	}
	st->known = true;
	return true;
}

bool escstatus_ready(const struct escstatus *st)
{
	return st->known && !st->offline && !st->cover_open && !st->paper_out && !st->error;
}

/* Copies the value [v, v + n) trimmed of spaces into dst (cut to fit). */
static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
	while (n > 0 && isspace((unsigned char)*v))
		v++, n--;
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = isprint((unsigned char)v[i]) ? v[i] : '?';
	dst[n] = '\0';
}

static bool key_is(const char *k, size_t n, const char *a, const char *b)
{
	return (strlen(a) == n && strncasecmp(k, a, n) == 0) ||
	       (strlen(b) == n && strncasecmp(k, b, n) == 0);
}

bool escstatus_devid_parse(const uint8_t *buf, size_t len, struct escstatus_devid *out)
{
	const char *p, *end;
	size_t total;

	memset(out, 0, sizeof *out);
	if (len < 2)
		return false;
	total = (size_t)buf[0] << 8 | buf[1];
	if (total < 2 || total > len)
		return false;
	p = (const char *)buf + 2;
	end = (const char *)buf + total;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;
		const char *colon = memchr(p, ':', (size_t)(stop - p));

		if (colon) {
			const char *k = p;
			size_t kn = (size_t)(colon - p);

			while (kn > 0 && isspace((unsigned char)*k))
				k++, kn--;
			if (key_is(k, kn, "MFG", "MANUFACTURER"))
				copy_value(out->mfg, sizeof out->mfg, colon + 1, (size_t)(stop - colon - 1));
			else if (key_is(k, kn, "MDL", "MODEL"))
				copy_value(out->mdl, sizeof out->mdl, colon + 1, (size_t)(stop - colon - 1));
			else if (key_is(k, kn, "CMD", "COMMAND SET"))
				copy_value(out->cmd, sizeof out->cmd, colon + 1, (size_t)(stop - colon - 1));
		}
		p = semi ? semi + 1 : end;
	}
	if (!out->mfg[0] || !out->mdl[0]) {
		memset(out, 0, sizeof *out);
		return false;
	}
	return true;
}
