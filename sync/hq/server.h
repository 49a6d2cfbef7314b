/* The HTTPS server of coopmart-hq (libmicrohttpd + GnuTLS): the endpoints
 * of sync/PROTOCOL.md, one log line per request on stderr. */
#ifndef SERVER_H
#define SERVER_H

#include "hqstore.h"

struct server_opts {
	const char *listen;               /* "127.0.0.1:8443" */
	const char *cert_file;            /* PEM */
	const char *key_file;             /* PEM */
	unsigned threads;                 /* worker threads, 0 = default */
	unsigned max_connections;         /* open connections in all, 0 = default (1024) */
	unsigned max_per_address;         /* from one client address, 0 = default (32) */
	unsigned checks_per_minute;       /* GET /check per client address, 0 = default (10) */
};

/* Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
 * progress finish and returns CM_OK. Errors (bad address, unreadable
 * certificate, port taken) return at once with a message in err. */
enum cm_rc server_run(struct hqstore *st, const struct server_opts *o, char *err, size_t errlen);

#endif
