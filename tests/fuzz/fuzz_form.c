/* libFuzzer target: the console's form readers (sync/hq/web_form.c) on
 * any body: the first byte picks url-encoded or multipart; whatever is
 * found lies inside the body and fits the buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char buf[65], fn[32];
	if (data[0] & 1) {
		if (form_field(body, len, "csrf", buf, sizeof buf) && strlen(buf) >= sizeof buf)
			abort();
		return 0;
	}
	const char *d;
	size_t n;
	if (form_part(body, len, "multipart/form-data; boundary=XyZ", "file", &d, &n, fn, sizeof fn) &&
	    (d < body || d + n > body + len || strlen(fn) >= sizeof fn))
		abort();
	return 0;
}
