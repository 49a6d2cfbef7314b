/* The next page's cursor read from the end of a page's answer
 * (pull_cursor.h). */
#include "sync/agent/pull_cursor.h"

#include <string.h>

void pull_cursor_guess(const char *body, size_t len, char *out, size_t n)
{
	static const char key[] = "\"next\":\"";
	size_t klen = sizeof key - 1;
	if (!n)
		return;
	out[0] = '\0';
	if (!body || len < klen + 2 || body[len - 1] != '}')
		return;
	size_t end = len - 2;               /* the closing quote */
	if (body[end] != '"')
		return;
	/* A control byte (NUL too) cannot be in a JSON string: the guess
	 * would end there, a cursor HQ never wrote (fuzz_cursor found it). */
	size_t start = end;
	while (start > 0 && body[start - 1] != '"' && body[start - 1] != '\\' &&
	       (unsigned char)body[start - 1] >= 0x20 && end - start < n - 1)
		start--;
	if (start < klen || memcmp(body + start - klen, key, klen) != 0 || start == end)
		return;
	memcpy(out, body + start, end - start);
	out[end - start] = '\0';
}
