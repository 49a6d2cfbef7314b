/* Bearer tokens (token.h), with libsodium. */
#include "token.h"

#include <sodium.h>

enum cm_rc token_hash(const char *tok, size_t len, uint8_t hash[CHAIN_HASH_LEN])
{
	if (sodium_init() < 0)
		return CM_IO;
	crypto_generichash(hash, CHAIN_HASH_LEN, (const unsigned char *)tok, len, NULL, 0);
	return CM_OK;
}

enum cm_rc token_new(char out[TOKEN_LEN + 1], uint8_t hash[CHAIN_HASH_LEN])
{
	unsigned char raw[32];
	if (sodium_init() < 0)
		return CM_IO;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return token_hash(out, TOKEN_LEN, hash);
}
