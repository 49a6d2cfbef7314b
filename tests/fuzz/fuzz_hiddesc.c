/* libFuzzer target: a HID report descriptor (hidpos_parse) followed by
 * reports decoded with the layout it gives. Input: one byte n, then the
 * descriptor of 2*n bytes (or what is left), then the reports, each as
 * long as the layout says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/hidpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(void *arg, const char *code, const char *sym)
{
	(void)arg;
	if (strlen(code) == 0 || strlen(code) > HIDPOS_MAX_CODE || strlen(sym) > 3)
		abort();
}

static void check_field(const struct hidpos_field *f, size_t report_len)
{
	if (f->present && (uint64_t)f->bit + (uint64_t)f->size * f->count > (uint64_t)report_len * 8)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hidpos_layout l;
	struct hidpos *p;

	if (size < 1)
		return 0;
	size_t dlen = 2 * (size_t)data[0];
	data++;
	size--;
	if (dlen > size)
		dlen = size;
	if (hidpos_parse(data, dlen, &l) != HIDPOS_OK)
		return 0;
	check_field(&l.data, l.report_len);
	check_field(&l.cont, l.report_len);
	check_field(&l.length, l.report_len);
	for (int i = 0; i < 3; i++)
		check_field(&l.sym[i], l.report_len);
	data += dlen;
	size -= dlen;
	p = malloc(sizeof *p);
	if (!p)
		return 0;
	hidpos_init(p, &l);
	size_t step = l.report_len ? l.report_len : 1;
	while (size > 0) {
		size_t n = size < step ? size : step;
		int dropped = 0;
		int got = hidpos_feed(p, data, n, check, NULL, &dropped);
		if (got < -1 || got > 1)
			abort();
		if (p->len > HIDPOS_MAX_CODE)
			abort();
		data += n;
		size -= n;
	}
	free(p);
	return 0;
}
