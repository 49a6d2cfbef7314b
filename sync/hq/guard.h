/* What coopmart-hq refuses before a route handler sees a request: slow
 * clients and odd paths. server.c plugs these into libmicrohttpd.
 *
 * Deadlines. libmicrohttpd's own time-out is an idle one: every byte
 * received restarts it, so a client that sends a header line every few
 * seconds (slow loris) keeps its connection for ever. The guard gives each
 * connection two deadlines that data does not move:
 *   - GUARD_HEADER_SECONDS from the connection's start (or from the end of
 *     its previous request) to the end of the request's headers: covers
 *     the TLS handshake, the headers, and the wait between kept-alive
 *     requests;
 *   - GUARD_REQUEST_SECONDS from the end of the headers to the end of the
 *     answer: covers the body, the handler and the sending. Generous (a
 *     4 MiB page over a store's slow line), as only a request with a good
 *     token gets this far: the others are answered on their headers.
 * A thread looks once a second and shuts down (shutdown(2)) the socket of
 * every connection past its deadline; libmicrohttpd then sees the end of
 * the stream and closes it as usual. The guard never closes a descriptor
 * itself and forgets a connection before libmicrohttpd closes it, so it
 * cannot shut a reused descriptor down.
 *
 * Paths. libmicrohttpd decodes %XX in the path before the handler sees it,
 * so "/v1/terminal%00" would reach it as "/v1/terminal". guard_unescape
 * decodes like libmicrohttpd but leaves an escape that would give a
 * control character (below 0x20, or 0x7f) as it is: such a path matches
 * no route and is answered 404. */
#ifndef GUARD_H
#define GUARD_H

#include <microhttpd.h>
#include <stddef.h>

#include "core/records.h"

#define GUARD_HEADER_SECONDS 10
#define GUARD_REQUEST_SECONDS 300

/* Starts the deadline thread. CM_IO when it cannot. */
enum cm_rc guard_start(void);
/* Stops it; call after MHD_stop_daemon. */
void guard_stop(void);

/* MHD_OPTION_NOTIFY_CONNECTION: watches a connection from its start. */
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code);
/* The request's headers are complete: its request deadline starts. */
void guard_headers_done(struct MHD_Connection *c);
/* The request is over (answered or not): its header deadline starts for
 * the next request on the connection. */
void guard_request_done(struct MHD_Connection *c);

/* MHD_OPTION_UNESCAPE_CALLBACK: decodes s in place, returns its length. */
size_t guard_unescape(void *cls, struct MHD_Connection *c, char *s);

/* How many connections the process can hold, given wanted: raises the
 * soft limit of open files up to the hard one if needed, and keeps
 * GUARD_SPARE_FDS descriptors for the database, logs and certificates. */
#define GUARD_SPARE_FDS 64
unsigned guard_connection_budget(unsigned wanted);

#endif
