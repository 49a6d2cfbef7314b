/* What an endpoint handler sees of a request, and how it answers. The
 * server (server.c) authenticates, reads and inflates the body, then calls
 * one route_* function; handlers never touch libmicrohttpd themselves.
 * Files: route_events.c (push), route_catalogue.c (catalogue and members
 * pulls), route_status.c (health, terminal), route_report.c, route_alerts.c
 * (a terminal's own findings), web.c (the console, every path under /web)
 * and web_check.c (the public receipt check, /check). */
#ifndef ROUTE_H
#define ROUTE_H

#include "hqstore.h"

struct req {
	struct hqstore *st;
	const struct hq_terminal *term;   /* the token's terminal; NULL on /v1/health */
	const char *body;                 /* inflated request body, NUL-terminated */
	size_t len;
	int64_t events;                   /* for the request log: events stored */
	void *priv;                       /* the server's */
};

/* A query argument or a request header, NULL when absent. */
const char *req_arg(const struct req *r, const char *name);
const char *req_header(const struct req *r, const char *name);
/* A cookie of the request, NULL when absent. */
const char *req_cookie(const struct req *r, const char *name);
/* The request's method ("GET") and path ("/web/stock"). */
const char *req_method(const struct req *r);
const char *req_path(const struct req *r);
/* The client's address as text ("127.0.0.1"; "?" when unknown). */
void req_client_addr(const struct req *r, char *buf, size_t n);
/* Adds a header to the answer (name and value are copied; at most 8). */
void req_set_header(struct req *r, const char *name, const char *value);

/* Answers status with a JSON body (takes ownership; NULL means the body
 * could not be built, answered 500). */
void req_reply(struct req *r, int status, char *json);
/* Answers status with a body of content type ctype (takes ownership of
 * body, a NUL-terminated text; NULL answers 500). */
void req_reply_typed(struct req *r, int status, const char *ctype, char *body);
/* Answers status with no body (304). */
void req_reply_empty(struct req *r, int status);
/* Answers the protocol's error body. seq, acked_seq: -1 when absent. */
void req_fail(struct req *r, int status, const char *code, int64_t seq, int64_t acked_seq,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Answers a storage failure: 503 "unavailable" with Retry-After when the
 * database is busy, else 500 "server_error"; the message is logged. */
void req_fail_store(struct req *r, enum cm_rc rc);

void route_health(struct req *r);
void route_events(struct req *r);
void route_catalogue(struct req *r);
void route_members(struct req *r);
void route_orders(struct req *r);
void route_shop_orders(struct req *r);     /* route_pickup.c */
void route_terminal(struct req *r);
void route_report_sales(struct req *r);
void web_route(struct req *r);
/* Readies the pages' two languages, before any thread serves: a page
 * in Bahasa Indonesia or English whatever language the server was
 * started in (web.c). */
void web_languages(void);
/* With the headers only (an I/O thread, like the token check): a POST
 * under /web is let in only with a live session cookie, or as the login
 * form, whose body may be at most a few KiB (*max_body lowered). false:
 * refused, the answer set. */
bool web_admit(struct req *r, size_t *max_body);
void route_alerts(struct req *r);
/* GET /check, the public receipt check (web_check.c), and its rate limit
 * with the headers only (an I/O thread): false when refused (429 set). */
void web_check(struct req *r);
bool web_check_admit(struct req *r);
/* The members' shop, every path under /shop (shop_web.c); shop_admit
 * with the headers only: a POST there is small (*max_body lowered). */
void shop_route(struct req *r);
bool shop_admit(struct req *r, size_t *max_body);

#endif
