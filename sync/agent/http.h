/* HTTPS requests to HQ with libcurl: one reused connection, certificate
 * verification always on, the config's CA file, pin, proxy and timeouts,
 * gzip answers. Errors come back as sentences for a store manager. */
#ifndef AGENT_HTTP_H
#define AGENT_HTTP_H

#include "sync/agent/config.h"

struct http;

enum http_rc {
	HTTP_DONE = 0,     /* HQ answered (any status) */
	HTTP_NETWORK,      /* no answer: connection, timeout, broken off; retry */
	HTTP_UNTRUSTED,    /* HQ's certificate or public key is not trusted */
	HTTP_LOCAL,        /* our side: config (CA file), out of memory */
};

/* An answer. body is malloc'd and NUL-terminated (owned; http_response_free). */
struct http_response {
	long status;
	char *body;
	size_t len;
	long retry_after;  /* seconds, 0 = none */
	char etag[96];
};

/* token is copied into the Authorization header and nowhere else. */
enum http_rc http_new(const struct config *c, const char *token, struct http **out,
                      char *err, size_t errlen);
void http_free(struct http *h);

/* path starts with "/v1/"; if_none_match NULL for none. */
enum http_rc http_get(struct http *h, const char *path, const char *if_none_match,
                      struct http_response *r, char *err, size_t errlen);
/* POSTs a JSON body compressed with gzip. */
enum http_rc http_post_json(struct http *h, const char *path, const char *json, size_t len,
                            struct http_response *r, char *err, size_t errlen);
void http_response_free(struct http_response *r);

/* URL-escapes s into a malloc'd string (NULL when out of memory). */
char *http_escape(struct http *h, const char *s);

#endif
