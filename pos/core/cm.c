/* Names of the result codes, for logs and the CLI's exit-code table. */
#include "core/cm.h"

#include <time.h>

static const char *const rc_names[] = {
	[CM_OK] = "ok",
	[CM_NOTFOUND] = "notfound",
	[CM_INVALID] = "invalid",
	[CM_DENIED] = "denied",
	[CM_NEED_OVERRIDE] = "need_override",
	[CM_LOCKED] = "locked",
	[CM_STATE] = "state",
	[CM_CONFLICT] = "conflict",
	[CM_BUSY] = "busy",
	[CM_READONLY] = "readonly",
	[CM_FULL] = "full",
	[CM_CORRUPT] = "corrupt",
	[CM_IO] = "io",
	[CM_NOMEM] = "nomem",
};

const char *cm_rc_name(enum cm_rc rc)
{
	/* An out-of-range value comes from a bug or a cast int; still print
	 * something a log reader can search for. */
	if ((unsigned)rc >= sizeof rc_names / sizeof rc_names[0] || !rc_names[rc])
		return "unknown";
	return rc_names[rc];
}

int64_t cm_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
