/* Requests a minute per client address, for HQ's public endpoints (the
 * receipt check, GET /check): anyone may ask, nobody may ask fast enough
 * to walk through sequence numbers or to bury the operators in alerts.
 *
 * Generic cell rate (GCRA, a leaky bucket kept as one time per address):
 * an address may send `per_minute` requests at once, then one every
 * 60/per_minute seconds. The table has a fixed number of slots; an
 * address whose bucket has drained frees its slot, and when a neighbour-
 * hood of slots is full the one that drains first is taken (its address
 * starts afresh: a flood of addresses can only make the limit kinder,
 * never refuse an address that has not asked). Thread-safe; called on
 * the server's I/O threads with the request's headers only. */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* The limit (1..6000 a minute; 0 keeps the default, 10). Call before
 * serving. Forgets every address. */
void ratelimit_set(unsigned per_minute);
/* The limit in force. */
unsigned ratelimit_per_minute(void);
/* May addr (its text: "127.0.0.1") make a request at now_ms (a monotonic
 * clock in milliseconds)? When not, *retry_after says in how many
 * seconds (at least 1) it may. */
bool ratelimit_allow(const char *addr, int64_t now_ms, unsigned *retry_after);

#endif
