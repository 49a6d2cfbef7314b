/* A secret (a PIN, a password) typed at a command line: coopmart's and
 * coopmart-hq's. Read from standard input, never from argv, where ps
 * would show it. */
#ifndef SECRET_H
#define SECRET_H

#include "core/cm.h"

#include <stddef.h>

/* The first line of standard input into buf (n bytes), without its line
 * end. On a terminal, prompt goes to stderr first and what is typed is
 * not echoed (the terminal is restored after). CM_INVALID with a message
 * in msg naming what (a noun: "password", "web PIN") when standard input
 * ended before a line, or when the line does not fit in buf (the rest of
 * the line is read and dropped, buf wiped): never a secret cut short. */
enum cm_rc secret_read(const char *prompt, const char *what, char *buf, size_t n, char *msg,
                       size_t msglen);

#endif
