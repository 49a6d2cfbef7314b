/* Requests a minute per client address (ratelimit.h). */
#include "ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_PER_MINUTE 10
#define SLOTS 4096             /* a power of two */
#define PROBE 16

struct slot {
	char addr[48];
	int64_t tat;               /* GCRA's theoretical arrival time, ms */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[SLOTS];
static unsigned limit = DEFAULT_PER_MINUTE;
static int64_t interval_ms = 60000 / DEFAULT_PER_MINUTE;
static int64_t burst_ms = 60000 - 60000 / DEFAULT_PER_MINUTE;

void ratelimit_set(unsigned per_minute)
{
	if (per_minute == 0)
		per_minute = DEFAULT_PER_MINUTE;
	pthread_mutex_lock(&mu);
	limit = per_minute;
	interval_ms = 60000 / per_minute;
	burst_ms = interval_ms * (per_minute - 1);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&mu);
}

unsigned ratelimit_per_minute(void)
{
	pthread_mutex_lock(&mu);
	unsigned n = limit;
	pthread_mutex_unlock(&mu);
	return n;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* addr's slot: its own, else a free one (drained by now), else the one
 * that drains first. Called with mu held. */
static struct slot *slot_of(const char *addr, int64_t now)
{
	uint32_t h = fnv1a(addr);
	struct slot *take = NULL;
	for (int i = 0; i < PROBE; i++) {
		struct slot *s = &slots[(h + (uint32_t)i) & (SLOTS - 1)];
		if (strcmp(s->addr, addr) == 0)
			return s;
		if (!take || (take->tat > now && s->tat < take->tat))
			take = s;
	}
	snprintf(take->addr, sizeof take->addr, "%s", addr);
	take->tat = 0;
	return take;
}

bool ratelimit_allow(const char *addr, int64_t now_ms, unsigned *retry_after)
{
	pthread_mutex_lock(&mu);
	struct slot *s = slot_of(addr, now_ms);
	int64_t tat = s->tat > now_ms ? s->tat : now_ms;
	bool ok = tat - now_ms <= burst_ms;
	if (ok)
		s->tat = tat + interval_ms;
	else
		*retry_after = (unsigned)((tat - burst_ms - now_ms + 999) / 1000);
	pthread_mutex_unlock(&mu);
	if (!ok && *retry_after < 1)
		*retry_after = 1;
	return ok;
}
