/* The keys a streamed import has put (store_catkeys.h).
 *
 * Why in memory: the file's earlier lines were checked through a
 * temporary table, two inserts a row, 13% of a big import's CPU. Here a
 * row of a clean file costs a few bit tests. The earlier line a repeated
 * key came from is found through the build itself (the key's item there,
 * then line_of), so the filter needs no line numbers:
 *   bloom    8 MiB, 3 bits a key: under 0.1% false hits at two million
 *            keys (a million rows with a barcode each), 5% at ten
 *            million; a false hit costs one lookup in the build, never a
 *            wrong answer.
 *   line_of  4 bytes an item id (4 MB a million items); a line past
 *            2^32 - 1 is kept as that (a file of 300 GB).
 *   refused  the keys of lines refused after their check, which are in
 *            no table, by their 64-bit hash (open addressing, 16 bytes a
 *            key; a file has few such lines). A hash shared by two keys
 *            (one in 10^19 a pair) would name a false repeat.
 */
#include "store/store_catkeys.h"

#include <stdlib.h>
#include <string.h>

#define BLOOM_LOG2 26
#define BLOOM_MASK ((UINT64_C(1) << BLOOM_LOG2) - 1)

struct catkeys {
	uint64_t *bloom;          /* 2^BLOOM_LOG2 bits */
	uint32_t *line_of;        /* by item id */
	size_t cap;               /* entries of line_of */
	struct { uint64_t h; size_t line; } *refused;
	size_t rcap, rn;
};

struct catkeys *catkeys_new(void)
{
	struct catkeys *k = calloc(1, sizeof *k);
	if (k && !(k->bloom = calloc((BLOOM_MASK + 1) / 64, sizeof *k->bloom))) {
		free(k);
		k = NULL;
	}
	return k;
}

void catkeys_free(struct catkeys *k)
{
	if (!k)
		return;
	free(k->bloom);
	free(k->line_of);
	free(k->refused);
	free(k);
}

/* FNV-1a over the kind and the value, then splitmix64's finalizer. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static uint64_t key_hash(char kind, const char *value)
{
	uint64_t h = UINT64_C(1469598103934665603);
	h = (h ^ (unsigned char)kind) * UINT64_C(1099511628211);
	for (const char *p = value; *p; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
	return mix(h) | 1;   /* 0 marks a free slot of refused */
}

static void probes(char kind, const char *value, uint64_t bit[3])
{
	uint64_t a = key_hash(kind, value), b = mix(a ^ UINT64_C(0x9e3779b97f4a7c15));
	bit[0] = a & BLOOM_MASK;
	bit[1] = (a >> 32) & BLOOM_MASK;
	bit[2] = b & BLOOM_MASK;
}

bool catkeys_maybe(const struct catkeys *k, char kind, const char *value)
{
	uint64_t bit[3];
	probes(kind, value, bit);
	for (int i = 0; i < 3; i++)
		if (!(k->bloom[bit[i] >> 6] & (UINT64_C(1) << (bit[i] & 63))))
			return false;
	return true;
}

void catkeys_add(struct catkeys *k, char kind, const char *value)
{
	uint64_t bit[3];
	probes(kind, value, bit);
	for (int i = 0; i < 3; i++)
		k->bloom[bit[i] >> 6] |= UINT64_C(1) << (bit[i] & 63);
}

/* The slot of h in refused: its own or the free one it would take. */
static size_t refused_slot(const struct catkeys *k, uint64_t h)
{
	size_t i = h & (k->rcap - 1);
	while (k->refused[i].h && k->refused[i].h != h)
		i = (i + 1) & (k->rcap - 1);
	return i;
}

static bool refused_grow(struct catkeys *k)
{
	struct catkeys old = *k;
	k->rcap = old.rcap ? 2 * old.rcap : 256;
	if (!(k->refused = calloc(k->rcap, sizeof *k->refused))) {
		*k = old;
		return false;
	}
	for (size_t i = 0; i < old.rcap; i++)
		if (old.refused[i].h)
			k->refused[refused_slot(k, old.refused[i].h)] = old.refused[i];
	free(old.refused);
	return true;
}

bool catkeys_refuse(struct catkeys *k, char kind, const char *value, size_t line)
{
	if (2 * (k->rn + 1) > k->rcap && !refused_grow(k))
		return false;
	uint64_t h = key_hash(kind, value);
	size_t i = refused_slot(k, h);
	if (!k->refused[i].h) {
		k->refused[i].h = h;
		k->refused[i].line = line;
		k->rn++;
	}
	catkeys_add(k, kind, value);
	return true;
}

size_t catkeys_refused(const struct catkeys *k, char kind, const char *value)
{
	if (!k->rn)
		return 0;
	size_t i = refused_slot(k, key_hash(kind, value));
	return k->refused[i].h ? k->refused[i].line : 0;
}

size_t catkeys_line(const struct catkeys *k, int64_t id)
{
	return id >= 0 && (uint64_t)id < k->cap ? k->line_of[id] : 0;
}

bool catkeys_set_line(struct catkeys *k, int64_t id, size_t line)
{
	if (id < 0)
		return false;
	if ((uint64_t)id >= k->cap) {
		size_t cap = k->cap ? k->cap + k->cap / 2 : 4096;
		if (cap <= (size_t)id)
			cap = (size_t)id + 4096;
		uint32_t *p = realloc(k->line_of, cap * sizeof *p);
		if (!p)
			return false;
		memset(p + k->cap, 0, (cap - k->cap) * sizeof *p);
		k->line_of = p;
		k->cap = cap;
	}
	k->line_of[id] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	return true;
}
