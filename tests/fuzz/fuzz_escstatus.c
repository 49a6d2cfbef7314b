/* libFuzzer target: what a printer sends back. The first byte picks the
 * parser: status answers (each following byte an answer to DLE EOT 1, 2
 * or 4 in turn), a GET_DEVICE_ID answer, or text through the encoder's
 * transliteration. Invariants: a rejected status byte changes nothing, the
 * device id fields are printable and NUL-terminated, transliterated text
 * is printable ASCII. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"
#include "drivers/escstatus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_status(const uint8_t *d, size_t n)
{
	static const int ask[3] = { 1, 2, 4 };
	struct escstatus st = { 0 };

	for (size_t i = 0; i < n; i++) {
		struct escstatus before = st;
		bool ok = escstatus_parse(ask[i % 3], d[i], &st);

		if (ok != ((d[i] & 0x93) == 0x12))
			abort();
		if (!ok && memcmp(&before, &st, sizeof st) != 0)
			abort();
	}
	if (escstatus_ready(&st) && (!st.known || st.paper_out || st.offline))
		abort();
}

static void check_field(const char *f, size_t cap)
{
	size_t n = strnlen(f, cap);

	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)f[i] < 0x20 || (unsigned char)f[i] > 0x7E)
			abort();
}

static void check_devid(const uint8_t *d, size_t n)
{
	struct escstatus_devid id;

	if (escstatus_devid_parse(d, n, &id)) {
		if (!id.mfg[0] || !id.mdl[0])
			abort();
	} else if (id.mfg[0] || id.mdl[0] || id.cmd[0]) {
		abort();
	}
	check_field(id.mfg, sizeof id.mfg);
	check_field(id.mdl, sizeof id.mdl);
	check_field(id.cmd, sizeof id.cmd);
}

static void check_text(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1), out[256];
	size_t len;

	if (!s)
		return;
	memcpy(s, d, n);
	s[n] = '\0';
	len = escpos_ascii(s, out, sizeof out);
	if (len >= sizeof out || out[len] != '\0' || strlen(out) != len)
		abort();
	for (size_t i = 0; i < len; i++)
		if (out[i] != '\n' && (out[i] < 0x20 || out[i] > 0x7E))
			abort();
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		check_status(data + 1, size - 1);
		break;
	case 1:
		check_devid(data + 1, size - 1);
		break;
	default:
		check_text(data + 1, size - 1);
		break;
	}
	return 0;
}
