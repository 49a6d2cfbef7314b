/* Waiting: retry delays ("full jitter" exponential backoff, PROTOCOL.md
 * "Errors") and sleeps that a SIGTERM or SIGINT cuts short. */
#ifndef AGENT_BACKOFF_H
#define AGENT_BACKOFF_H

#include "core/cm.h"

/* Milliseconds to wait before retry number attempt (0 = the first retry):
 * a random time in [0, min(cap_s, 2^attempt)] seconds, or retry_after_s
 * when that is longer. */
int64_t backoff_delay_ms(int attempt, long cap_s, long retry_after_s);

/* Blocks SIGTERM and SIGINT so that they are only taken in
 * backoff_sleep: a request is never cut in the middle. */
void backoff_signals_init(void);
/* Sleeps ms milliseconds; false (at once) when a stop signal arrived. */
bool backoff_sleep(int64_t ms);
/* A stop signal has arrived (or is pending). */
bool backoff_stopping(void);

#endif
