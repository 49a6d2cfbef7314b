/* Token buckets by key (shop_limit.h): an open-addressed table of
 * SLOTS, probed PROBE slots from the key's hash; a key not found takes
 * the emptiest-in-time (least recently used) slot of its probe run. */
#include "shop_limit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define PROBE 8

static struct bucket {
	char key[80];
	int64_t tokens;
	int64_t at;                       /* when tokens was last refilled */
} table[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static struct bucket *find(const char *key, int burst, int64_t now)
{
	uint32_t h = fnv1a(key);
	struct bucket *oldest = NULL;
	for (int i = 0; i < PROBE; i++) {
		struct bucket *b = &table[(h + (uint32_t)i) % SLOTS];
		if (strcmp(b->key, key) == 0)
			return b;
		if (!oldest || b->at < oldest->at)
			oldest = b;
	}
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	oldest->tokens = burst;
	oldest->at = now;
	return oldest;
}

bool shop_limit_take(const char *key, int burst, int per_s, int64_t now)
{
	pthread_mutex_lock(&mu);
	struct bucket *b = find(key, burst, now);
	int64_t gained = per_s > 0 ? (now - b->at) / per_s : burst;
	if (gained > 0) {
		b->tokens = b->tokens + gained > burst ? burst : b->tokens + gained;
		b->at = b->tokens == burst ? now : b->at + gained * per_s;
	}
	bool ok = b->tokens > 0;
	if (ok)
		b->tokens--;
	pthread_mutex_unlock(&mu);
	return ok;
}
