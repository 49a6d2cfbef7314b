/* Secrets typed at a command line (secret.h). */
#include "core/secret.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Reads one line into buf; false at end of input before any character.
 * *whole is false when the line did not fit (the rest is dropped). */
static bool read_line(char *buf, size_t n, bool *whole)
{
	size_t len = 0;
	int c = EOF;
	bool any = false;
	*whole = true;
	while ((c = getchar()) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (len + 1 < n)
			buf[len++] = (char)c;
		else
			*whole = false;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return any;
}

enum cm_rc secret_read(const char *prompt, const char *what, char *buf, size_t n, char *msg,
                       size_t msglen)
{
	struct termios old, quiet;
	bool whole, tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (n == 0)
		return CM_INVALID;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool got = read_line(buf, n, &whole);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got) {
		snprintf(msg, msglen, _("no %s: standard input ended before a line was read (type "
		                        "it, or send it on standard input)"), what);
		return CM_INVALID;
	}
	if (!whole) {
		memset(buf, 0, n);
		snprintf(msg, msglen, _("the %s is longer than %zu characters"), what, n - 1);
		return CM_INVALID;
	}
	return CM_OK;
}
