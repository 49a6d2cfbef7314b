/* libFuzzer target: the sync agent's config parser (sync/agent/config.c)
 * over any bytes. Accepted or refused, it must not crash, and what it
 * accepts holds the required keys; a refusal names a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/agent/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	char err[600];
	err[0] = '\0';
	enum cm_rc rc = config_parse((const char *)data, size, "fuzz.conf", &c, err, sizeof err);
	if (rc == CM_OK && (!c.db[0] || !c.url[0] || !c.store[0] || !c.terminal[0] ||
	                    !c.token_file[0] || strncmp(c.url, "https://", 8) != 0))
		abort();
	if (rc != CM_OK && strncmp(err, "fuzz.conf", 9) != 0)
		abort();
	return 0;
}
