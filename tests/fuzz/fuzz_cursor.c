/* libFuzzer target: the pull's early cursor (sync/agent/pull_cursor.c),
 * read from the end of a page's answer before it is decoded, over any
 * bytes: the input whole, and the input as the cursor of an otherwise
 * well-formed page. It must stay within the answer and the buffer (ASan),
 * give a NUL-terminated guess with no quote or backslash that the answer
 * really ends with, and, when the page decodes, a guess that is the
 * decoded page's next or none. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/agent/pull_cursor.h"
#include "sync/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many times body names the key "next". */
static size_t count_next(const char *body, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i + 6 <= len; i++)
		n += memcmp(body + i, "\"next\"", 6) == 0;
	return n;
}

/* The guess for body (len bytes, in a buffer of exactly len bytes so ASan
 * sees any read past it) with out buffers of several sizes. */
static void check(const char *body, size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	if (len)
		memcpy(copy, body, len);
	static const size_t sizes[] = { 1, 2, 9, 80 };
	char guess[80];
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		char *out = malloc(n);
		if (!out)
			break;
		memset(out, 'x', n);
		pull_cursor_guess(copy, len, out, n);
		size_t g = strnlen(out, n);
		if (g == n)
			abort();    /* not terminated */
		if (g && (strpbrk(out, "\"\\") || len < g + 10 ||
		          memcmp(copy + len - g - 10, "\"next\":\"", 8) != 0 ||
		          memcmp(copy + len - g - 2, out, g) != 0 || memcmp(copy + len - 2, "\"}", 2)))
			abort();    /* not what the answer ends with */
		if (n == sizeof guess)
			memcpy(guess, out, g + 1);
		free(out);
	}
	pull_cursor_guess(copy, len, NULL, 0);   /* no room: nothing written */
	struct proto_page pg;
	char err[256];
	/* A page naming "next" twice is decoded with the first and guessed
	 * with the last: pull.c drops a guess the decoded page does not name. */
	if (proto_page_decode(copy, len, &pg, err, sizeof err) == CM_OK) {
		if (guess[0] && strcmp(guess, pg.next) != 0 && count_next(copy, len) == 1)
			abort();
		proto_page_free(&pg);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size);
	/* The input as the cursor of a catalogue page as HQ writes it. */
	static const char head[] = "{\"upto\":7,\"items\":[],\"deleted\":[],\"next\":\"";
	size_t len = sizeof head - 1 + size + 2;
	char *page = malloc(len);
	if (!page)
		return 0;
	memcpy(page, head, sizeof head - 1);
	if (size)
		memcpy(page + sizeof head - 1, data, size);
	memcpy(page + len - 2, "\"}", 2);
	check(page, len);
	free(page);
	return 0;
}
