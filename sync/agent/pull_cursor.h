/* The cursor of a pull's next page, guessed from the end of a page's
 * answer before it is decoded (pull.c starts that page's request early).
 * Plain C over bytes from the network: fuzzed (tests/fuzz/fuzz_cursor.c). */
#ifndef PULL_CURSOR_H
#define PULL_CURSOR_H

#include <stddef.h>

/* The "next" of a page as HQ writes it, last: ...,"next":"CURSOR"} with no
 * escapes and no control bytes in CURSOR, copied into out (n bytes) when it fits; "" when the
 * answer does not end so. Only a guess: the decoded page's next is the
 * truth, and a guess it does not equal is dropped. */
void pull_cursor_guess(const char *body, size_t len, char *out, size_t n);

#endif
