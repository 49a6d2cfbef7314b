/* Characters of UTF-8 text (utf8.h). */
#include "core/utf8.h"

#include <stdbool.h>
#include <string.h>

/* Bytes of the character at s (1 for a stray or malformed byte), and
 * whether it takes a column (combining accents U+0300..U+036F do not). */
static size_t char_len(const unsigned char *s, bool *visible)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
	           : (s[0] & 0xF8) == 0xF0 ? 4 : 1;

	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			len = 1;
	*visible = !(len == 2 && (s[0] == 0xCC || (s[0] == 0xCD && s[1] < 0xB0)));
	return len;
}

size_t utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = 0;

	while (*p) {
		bool visible;

		p += char_len(p, &visible);
		n += visible;
	}
	return n;
}

char *utf8_fit(const char *s, size_t cols, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t used = 0, shown = 0;

	if (n == 0)
		return buf;
	while (*p) {
		bool visible;
		size_t len = char_len(p, &visible);

		if ((visible && shown == cols) || used + len >= n)
			break;
		memcpy(buf + used, p, len);
		used += len;
		shown += visible;
		p += len;
	}
	for (; shown < cols && used + 1 < n; shown++)
		buf[used++] = ' ';
	buf[used] = '\0';
	return buf;
}
