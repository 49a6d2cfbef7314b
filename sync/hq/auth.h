/* Operators' passwords and the console's random tokens (auth.c): shared
 * by the console (web.c) and `coopmart-hq operator add` (hq.c). */
#ifndef AUTH_H
#define AUTH_H

#include "core/cm.h"

#include <stddef.h>
#include <stdint.h>

/* crypto_pwhash_str (Argon2id) of password into out (crypto_pwhash_STRBYTES). */
enum cm_rc auth_hash_password(const char *password, char *out, size_t n);
bool auth_check_password(const char *hash, const char *password);
/* The seconds an operator is locked out after `failed` wrong passwords in
 * a row: none for the first AUTH_FREE_TRIES, then 30 s, doubling with
 * each further one, at most an hour. */
#define AUTH_FREE_TRIES 3
int64_t auth_lockout_seconds(int64_t failed);
/* A random token as 64 hex characters (32 bytes) into out[65]. */
enum cm_rc auth_random_hex(char out[65]);

#endif
