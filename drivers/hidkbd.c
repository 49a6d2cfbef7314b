/* hidkbd: boot-keyboard reports to barcode strings (format in hidkbd.h). */
#include "drivers/hidkbd.h"

#include <string.h>

#define MOD_SHIFT 0x22	/* left shift 0xE1 (bit 1), right shift 0xE5 (bit 5) */

/* Usages 0x2C..0x38 and their shifted forms; 0x32 (non-US #) is absent on
 * the US layout and gives nothing. */
static const char punct[] = " -=[]\\\0;'`,./";
static const char punct_shift[] = " _+{}|\0:\"~<>?";
static const char digit_shift[] = "!@#$%^&*()";

char hidkbd_usage_char(uint8_t usage, int shift)
{
	if (usage >= 0x04 && usage <= 0x1D)
		return (char)((shift ? 'A' : 'a') + (usage - 0x04));
	if (usage >= 0x1E && usage <= 0x27) {
		int d = usage - 0x1E;	/* 0x1E is '1', 0x27 is '0' */
		if (shift)
			return digit_shift[d];
		return d == 9 ? '0' : (char)('1' + d);
	}
	if (usage == 0x28 || usage == 0x58)
		return '\n';
	if (usage == 0x2B)
		return '\t';
	if (usage >= 0x2C && usage <= 0x38)
		return (shift ? punct_shift : punct)[usage - 0x2C];
	/* Keypad digits: some scanners are set to send them. */
	if (usage >= 0x59 && usage <= 0x61)
		return (char)('1' + (usage - 0x59));
	if (usage == 0x62)
		return '0';
	return 0;
}

void hidkbd_init(struct hidkbd *k)
{
	memset(k, 0, sizeof *k);
}

void hidkbd_reset(struct hidkbd *k)
{
	k->len = 0;
	k->overflow = 0;
}

size_t hidkbd_pending(const struct hidkbd *k)
{
	return k->len;
}

static int held_before(const struct hidkbd *k, uint8_t usage)
{
	return memchr(k->prev, usage, sizeof k->prev) != NULL;
}

static int finish(struct hidkbd *k, hidkbd_code_fn *fn, void *arg, int *dropped)
{
	int n = 0;

	if (k->overflow) {
		if (dropped)
			(*dropped)++;
	} else if (k->len > 0) {
		k->buf[k->len] = '\0';
		if (fn)
			fn(arg, k->buf);
		n = 1;
	}
	hidkbd_reset(k);
	return n;
}

int hidkbd_feed(struct hidkbd *k, const uint8_t *report, size_t len,
                hidkbd_code_fn *fn, void *arg, int *dropped)
{
	uint8_t r[HIDKBD_REPORT_LEN] = {0};
	int codes = 0;

	memcpy(r, report, len < sizeof r ? len : sizeof r);
	for (int i = 2; i < HIDKBD_REPORT_LEN; i++)
		if (r[i] >= 0x01 && r[i] <= 0x03)
			return 0;	/* rollover: keys unknown, keep prev */

	int shift = (r[0] & MOD_SHIFT) != 0;
	for (int i = 2; i < HIDKBD_REPORT_LEN; i++) {
		uint8_t u = r[i];
		if (u == 0 || held_before(k, u))
			continue;
		/* The same usage twice in one report is one press. */
		if (memchr(r + 2, u, (size_t)(i - 2)) != NULL)
			continue;
		char c = hidkbd_usage_char(u, shift);
		if (c == '\n' || c == '\t') {
			codes += finish(k, fn, arg, dropped);
		} else if (c != 0) {
			if (k->len < HIDKBD_MAX_CODE)
				k->buf[k->len++] = c;
			else
				k->overflow = 1;
		}
	}
	memcpy(k->prev, r + 2, sizeof k->prev);
	return codes;
}
