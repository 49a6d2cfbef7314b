/* libFuzzer target: what the shop reads from members (sync/hq/
 * shop_rules.c, shop_code128.c): text checks, quantities, local times and
 * order numbers for the barcode, on any bytes. A quantity taken is within
 * 0..999999999 thousandths; text taken is valid UTF-8 within its bound;
 * a barcode taken has 11 modules per symbol. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shop_code128.h"
#include "shop_rules.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *web_tr(const char *msgid)
{
	return msgid;
}

static void barcode(const char *s)
{
	char w[16 * 6 + 64];
	if (strlen(s) > 16 || !code128_widths(s, w, sizeof w))
		return;
	int modules = 0;
	for (const char *p = w; *p; p++)
		modules += *p - '0';
	if (modules != (int)(strlen(s) + 3) * 11 + 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int64_t q = -1, t;
	struct shop_settings set;
	shop_settings_default(&set, "X");
	if (shop_qty_parse(s, &q) && (q < 0 || q > INT64_C(999999999)))
		abort();
	if (shop_text_ok(s, 60) && strlen(s) > 60)
		abort();
	shop_local_parse(&set, s, &t);
	barcode(s);
	free(s);
	return 0;
}
