/* The journal's hash chain and canonical event bytes.
 *
 * An event's canonical bytes are
 *   "cm1|" terminal "|" seq "|" type "|" time "|" user "|" payload
 * (decimal integers, no padding; payload is the canonical JSON text written
 * with struct canon below). Its hash is
 *   BLAKE2b-256( prev_hash[32] || canonical bytes )
 * with prev_hash all zeros for seq 1. Change nothing here without a new
 * "cmN|" version tag: HQ verifies old events forever. */
#ifndef CHAIN_H
#define CHAIN_H

#include "core/cm.h"

#define CHAIN_HASH_LEN 32

struct chain_event {
	const char *terminal;
	int64_t seq;
	const char *type;
	int64_t time;      /* unix seconds, UTC */
	int64_t user_id;   /* 0 = nobody (system, unknown user) */
	const char *payload;
};

/* hash = H(prev || canonical(ev)). Returns CM_OK; CM_INVALID when terminal
 * or type is NULL or contains '|' (it would make the bytes ambiguous) or
 * payload is NULL; CM_IO if libsodium cannot initialise. Allocates nothing. */
enum cm_rc chain_hash(const uint8_t prev[CHAIN_HASH_LEN],
                      const struct chain_event *ev, uint8_t out[CHAIN_HASH_LEN]);

/* Lower-case hex of the first n bytes of h into buf (2n+1 bytes). */
void chain_hex(const uint8_t *h, size_t n, char *buf);

/* A tiny writer for canonical JSON payloads: keys in the order the caller
 * writes them, integers only for money, strings escaped per RFC 8259 with
 * non-ASCII passed through as UTF-8. Grows as needed; canon_take hands the
 * text to the caller (free() it). On allocation failure the writer goes
 * into an error state and canon_take returns NULL. */
struct canon;
struct canon *canon_new(void);
void canon_free(struct canon *c);
void canon_obj_begin(struct canon *c, const char *key); /* key NULL at top */
void canon_obj_end(struct canon *c);
void canon_arr_begin(struct canon *c, const char *key);
void canon_arr_end(struct canon *c);
void canon_int(struct canon *c, const char *key, int64_t v);
void canon_str(struct canon *c, const char *key, const char *v);
void canon_bool(struct canon *c, const char *key, bool v);
char *canon_take(struct canon *c); /* frees c; caller frees result */

#endif
