/* Text measured in characters, not bytes: catalogue names are UTF-8
 * ("Kopi Cafe Latté 10 × 20 g"), and a column padded with printf's %-30s
 * counts bytes, so such a name ends early and cuts mid-character. These
 * count code points (a combining accent counts as none), which is what a
 * terminal with Latin text shows. Malformed bytes count one each. */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* Characters in s (NULL: 0). */
size_t utf8_chars(const char *s);
/* s in exactly cols characters: cut after cols characters (never inside
 * one) or padded with spaces, into buf (always NUL-terminated when n > 0;
 * stops early when buf is too small). Returns buf. */
char *utf8_fit(const char *s, size_t cols, char *buf, size_t n);

#endif
