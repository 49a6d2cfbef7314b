/* Operators' passwords (Argon2id through libsodium's crypto_pwhash_str,
 * its interactive limits: about 64 MiB and a tenth of a second a check),
 * the lockout after wrong passwords, and random tokens for sessions and
 * forms. */
#include "auth.h"

#include <sodium.h>
#include <string.h>

#define LOCK_FIRST_SECONDS 30
#define LOCK_MAX_SECONDS 3600

enum cm_rc auth_hash_password(const char *password, char *out, size_t n)
{
	if (sodium_init() < 0 || n < crypto_pwhash_STRBYTES)
		return CM_IO;
	if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return CM_NOMEM;
	return CM_OK;
}

bool auth_check_password(const char *hash, const char *password)
{
	if (sodium_init() < 0 || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int64_t auth_lockout_seconds(int64_t failed)
{
	if (failed <= AUTH_FREE_TRIES)
		return 0;
	int64_t s = LOCK_FIRST_SECONDS;
	for (int64_t i = AUTH_FREE_TRIES + 1; i < failed && s < LOCK_MAX_SECONDS; i++)
		s *= 2;
	return s < LOCK_MAX_SECONDS ? s : LOCK_MAX_SECONDS;
}

enum cm_rc auth_random_hex(char out[65])
{
	uint8_t b[32];
	if (sodium_init() < 0)
		return CM_IO;
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 65, b, sizeof b);
	sodium_memzero(b, sizeof b);
	return CM_OK;
}
