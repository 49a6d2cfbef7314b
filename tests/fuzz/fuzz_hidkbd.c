/* libFuzzer target: boot-keyboard reports (hidkbd) in 8-byte steps, with
 * the first byte choosing short reports, plus invariants of the barcodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hidkbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(void *arg, const char *code)
{
	size_t n = strlen(code);
	(void)arg;
	if (n == 0 || n > HIDKBD_MAX_CODE || strpbrk(code, "\n\t\r"))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)code[i] < 0x20 || (unsigned char)code[i] > 0x7E)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hidkbd k;
	int dropped = 0;
	size_t step;

	if (size < 1)
		return 0;
	step = 1 + data[0] % HIDKBD_REPORT_LEN;
	data++;
	size--;
	hidkbd_init(&k);
	while (size > 0) {
		size_t n = size < step ? size : step;
		int got = hidkbd_feed(&k, data, n, check, NULL, &dropped);
		if (got < 0 || got > HIDKBD_REPORT_LEN)
			abort();
		if (hidkbd_pending(&k) > HIDKBD_MAX_CODE)
			abort();
		data += n;
		size -= n;
	}
	return 0;
}
