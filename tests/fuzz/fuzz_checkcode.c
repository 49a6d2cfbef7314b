/* libFuzzer target: checkcode_parse on arbitrary text (what a member types
 * or a phone sends to HQ's /check), plus the invariants of what it
 * returns: a code it takes is written back by checkcode_format, and that
 * text reads back to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[CHECKCODE_MAX];
	struct checkcode c, again;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (checkcode_parse(s, &c)) {
		if (c.seq < 1 || c.due < 0 || strlen(c.hash) != CHECKCODE_HASH_HEX)
			abort();
		if (!checkcode_format(&c, buf, sizeof buf) || !checkcode_parse(buf, &again) ||
		    memcmp(&c, &again, sizeof c) != 0)
			abort();
	}
	free(s);
	return 0;
}
