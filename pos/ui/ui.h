/* The till's ncurses front end. Only pos/ui includes curses.
 *
 * ui_run opens the screens on an open till and runs the single poll() loop
 * until the cashier quits (or a signal asks it to). It restores the
 * terminal on every way out, fatal signals included. */
#ifndef UI_H
#define UI_H

#include "engine/till.h"

struct ui_options {
	const char *db_path;      /* for the receipt spool file next to it */
	bool demo;                /* show the demo banner and demo PINs hint */
};

/* Returns the process exit code. */
int ui_run(struct till *t, const struct ui_options *opt);

#endif
