/* A progress line for long jobs run by hand (imports, a pull): on a
 * terminal one line rewritten in place, at most five times a second:
 * "indexing names: 120.000 / 1.000.000  85.000/s  10 s left". When the
 * output is not a terminal it prints nothing: the caller prints one
 * summary line at the end. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool tty;
	bool open;           /* a line is on the screen without its newline */
	const char *what;    /* the phase being shown (compared by address) */
	int64_t t0_ms;       /* when the phase began */
	int64_t last_ms;     /* when the line was last drawn */
};

void progress_init(struct progress *p, FILE *out);
/* what: already translated, kept by address until the next call. total 0:
 * not known (no time left is shown). */
void progress_update(struct progress *p, const char *what, int64_t done, int64_t total);
/* The total of a count that reached done in part of whole (rows in the
 * bytes read of a file): done when part or whole is unknown. */
int64_t progress_estimate(int64_t done, int64_t part, int64_t whole);
/* Ends the line on the screen, if any. */
void progress_end(struct progress *p);

#endif
