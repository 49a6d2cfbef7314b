/* The agent's configuration file: "key = value" lines, '#' comments.
 * Every key is documented in config.c and in README.md ("Sync"). */
#ifndef AGENT_CONFIG_H
#define AGENT_CONFIG_H

#include "core/cm.h"

struct config {
	char path[1024];          /* the file it came from */
	char db[1024];
	char url[512];            /* https://host:port, no trailing slash */
	char store[32];
	char terminal[16];
	char token_file[1024];
	char ca_file[1024];       /* "" = the system's CAs */
	char pin[512];            /* curl's CURLOPT_PINNEDPUBLICKEY, "" = none */
	char proxy[512];          /* "" = curl's environment handling */
	long connect_timeout;     /* seconds */
	long timeout;             /* seconds, a whole request */
	long low_speed_limit;     /* bytes per second ... */
	long low_speed_time;      /* ... for this many seconds: give up */
	long batch_events;
	long batch_bytes;
	long backoff_cap;         /* seconds */
	long attempts;            /* tries of one request before giving up */
	int nightly_hour;         /* nightly_at, local time */
	int nightly_minute;
	long nightly_jitter;      /* minutes */
	long push_every;          /* minutes, 0 = only nightly */
};

/* Reads and checks the file at path. On failure err says which line and
 * why ("line 4: unknown setting 'tiemout'"); rc is CM_INVALID (or CM_IO
 * when the file cannot be read). */
enum cm_rc config_load(const char *path, struct config *out, char *err, size_t errlen);
/* The same from text in memory (len bytes, need not be NUL-terminated);
 * name is used in messages. */
enum cm_rc config_parse(const char *text, size_t len, const char *name,
                        struct config *out, char *err, size_t errlen);

/* Reads the token file named by the config into tok (size n). Refuses a
 * file that group or others may read or write. Never prints the token. */
enum cm_rc config_read_token(const struct config *c, char *tok, size_t n,
                             char *err, size_t errlen);

#endif
