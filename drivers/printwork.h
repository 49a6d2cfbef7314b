/* The print worker: a thread that does what the printer needs doing, so
 * the till's poll loop never waits on a printer. It knows nothing of
 * receipts or databases: its owner gives it a table of function pointers
 * (the till's print queue, engine/printq.h printq_work_ops) whose pass it
 * runs on the worker thread, again after each kick, request or timeout,
 * and it tells the loop through a pipe when the pass's status changed.
 *
 * The status is the owner's struct, size bytes, copied whole; passes must
 * zero it before filling it (a change is found by comparing bytes). */
#ifndef PRINTWORK_H
#define PRINTWORK_H

#include <stdbool.h>
#include <stddef.h>

struct printwork_ops {
	/* On the worker thread, first: its own context (e.g. its own
	 * database connection) from arg; NULL with a reason in err (the
	 * worker tries again at the next pass). */
	void *(*attach)(void *arg, char *err, size_t errlen);
	/* One pass; requests are the bits asked with printwork_request since
	 * the last pass (each asked once, never carried further). Fills
	 * status and returns how long to sleep before the next pass, in ms. */
	int (*pass)(void *ctx, unsigned requests, void *status);
	/* A status saying that attach failed with err. */
	void (*failed)(void *arg, const char *err, void *status);
	void (*detach)(void *ctx);
};

struct printwork;

/* Starts the worker; ops and arg must outlive it. status_size is the size
 * of the owner's status struct (at most 4096). */
bool printwork_start(const struct printwork_ops *ops, void *arg, size_t status_size,
                     struct printwork **out, char *err, size_t errlen);
/* Readable when the status changed: then call printwork_status. */
int printwork_fd(const struct printwork *w);
/* The latest status (status_size bytes into out); empties the pipe. */
void printwork_status(struct printwork *w, void *out);
/* Something was queued: a pass now instead of after the sleep. */
void printwork_kick(struct printwork *w);
/* Asks the next pass (soon) for the request bits (owner-defined). */
void printwork_request(struct printwork *w, unsigned bits);
/* Stops the worker (waits for a pass in progress, bounded by the
 * printer's timeouts) and frees w. NULL is fine. */
void printwork_stop(struct printwork *w);

#endif
