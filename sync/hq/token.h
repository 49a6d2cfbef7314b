/* Bearer tokens: 32 random bytes, base64url without padding (43
 * characters). HQ keeps only their BLAKE2b-256 hash. */
#ifndef TOKEN_H
#define TOKEN_H

#include "core/chain.h"

#define TOKEN_LEN 43

/* A new token into out (TOKEN_LEN + 1 bytes) and its hash. CM_IO when
 * libsodium cannot initialise. */
enum cm_rc token_new(char out[TOKEN_LEN + 1], uint8_t hash[CHAIN_HASH_LEN]);
/* The hash HQ stores for token text tok (any length). */
enum cm_rc token_hash(const char *tok, size_t len, uint8_t hash[CHAIN_HASH_LEN]);

#endif
