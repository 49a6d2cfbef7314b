/* libFuzzer target: money_parse and qty_parse on what a cashier might
 * type, and the promise that what the till displays reads back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void money_round_trip(const char *s)
{
	static const struct money_fmt spaced = { NULL, true };
	char buf[64];
	cm_money v, w;

	if (money_parse(s, &v) != CM_OK)
		return;
	if (v < 0 || v > 1000000000000000LL)
		abort();
	money_format(v, NULL, buf, sizeof buf);
	if (money_parse(buf, &w) != CM_OK || w != v)
		abort();
	money_format(v, &spaced, buf, sizeof buf);
	if (money_parse(buf, &w) != CM_OK || w != v)
		abort();
}

static void qty_round_trip(const char *s, bool frac)
{
	char buf[64];
	cm_qty q, r;

	if (qty_parse(s, frac, &q) != CM_OK)
		return;
	if (q <= 0 || q > 99999000 || (!frac && q % CM_QTY_ONE))
		abort();
	qty_format(q, buf, sizeof buf);
	if (qty_parse(buf, frac, &r) != CM_OK || r != q)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 256)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	money_round_trip(s);
	qty_round_trip(s, true);
	qty_round_trip(s, false);
	free(s);
	return 0;
}
