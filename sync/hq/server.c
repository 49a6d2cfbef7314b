/* The HTTPS server: libmicrohttpd with its own thread pool (epoll) and
 * TLS, the routing table, authentication, request bodies (gzip, 4 MiB),
 * answers (gzip when accepted), the request log, and a clean shutdown.
 *
 * Against hostile clients: connections per address and in all are capped
 * (server.h), deadlines and odd paths are guard.c's, and a request is
 * routed and its token checked as soon as its headers are in, so a body
 * is read only for a known route and a good token (a refusal is answered
 * at once and the connection closed, the body unread). The web console
 * (web.c, every path under /web) has no token: a POST there is admitted
 * with its headers only when it carries a live session, or is the small
 * login form (web_admit).
 *
 * Two kinds of threads: MHD's two I/O threads read requests and write
 * answers; a request that needs the database is suspended once its body is
 * in and handed to a pool of worker threads (--threads, each with its
 * database connection), which runs the route, builds the answer (gzip
 * included) and resumes the connection. So a slow push or a big catalogue
 * page never holds up the other connections of its I/O thread, and
 * /v1/health, answered on the I/O thread, stays quick while the workers
 * are busy. (The token is looked up on the I/O thread, with the headers:
 * one indexed read.) */
#include "server.h"
#include "guard.h"
#include "ratelimit.h"
#include "gz.h"
#include "route.h"
#include "token.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_THREADS 4
#define IO_THREADS 2
#define DEFAULT_MAX_CONNECTIONS 1024
#define DEFAULT_MAX_PER_ADDRESS 32
#define IDLE_SECONDS 20            /* libmicrohttpd's own: no byte moved for that long */
#define MAX_HEADERS 8
#define GZIP_MIN 512               /* smaller answers are sent as they are */
#define DRAIN_SECONDS 10           /* how long shutdown waits for requests */

struct route {
	const char *method;
	const char *path;
	void (*fn)(struct req *r);
	bool auth;
	bool db;                          /* runs on a worker (it reads the database) */
	bool prefix;                      /* every path under this one too */
};

static const struct route routes[] = {
	{ "GET", "/v1/health", route_health, false, false, false },
	{ "POST", "/v1/events", route_events, true, true, false },
	{ "GET", "/v1/catalogue", route_catalogue, true, true, false },
	{ "GET", "/v1/members", route_members, true, true, false },
	{ "GET", "/v1/orders", route_orders, true, true, false },
	{ "GET", "/v1/shop/orders", route_shop_orders, true, true, false },
	{ "GET", "/v1/terminal", route_terminal, true, true, false },
	{ "GET", "/v1/report/sales", route_report_sales, true, true, false },
	/* The console logs people in itself (web.c): no bearer token. */
	{ "GET", "/web", web_route, false, true, true },
	{ "POST", "/web", web_route, false, true, true },
	{ "POST", "/v1/alerts", route_alerts, true, true, false },
	/* Public: anyone holding a receipt may check it (rate-limited). */
	{ "GET", "/check", web_check, false, true, false },
	/* The members' shop logs members in itself (shop_web.c). */
	{ "GET", "/shop", shop_route, false, true, true },
	{ "POST", "/shop", shop_route, false, true, true },
};

/* One request: its body as it arrives, then its answer. */
struct conn {
	struct MHD_Connection *mc;
	const struct route *rt;
	struct timespec start;
	char method[8];
	char path[128];
	char *body;
	size_t len;
	bool too_large;
	size_t max_body;                  /* PROTO_MAX_BODY, or less (web_admit) */
	bool counted;
	struct hq_terminal term;
	bool authed;
	int status;
	char *answer;                     /* JSON, owned */
	bool empty;                       /* answer with no body */
	char hdr[MAX_HEADERS][2][320];
	char ctype[48];                   /* "" = application/json */
	int nhdr;
	struct req req;
	struct MHD_Response *resp;        /* built by a worker, queued on resume */
	bool answered;                    /* the worker is done */
	struct conn *next;                /* in the work queue */
};

static atomic_int active_requests;

/* Suspended requests waiting for a worker, oldest first. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head, *tail;
	bool stop;
	pthread_t *threads;
	unsigned n;
} work = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* ---- the request log: one key=value line per request on stderr ---- */

static void log_time(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t w = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + w, n - w, ".%03ldZ", ts.tv_nsec / 1000000);
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
	char t[40], line[1024];
	log_time(t, sizeof t);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "time=%s %s\n", t, line);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

static void log_request(const struct conn *k)
{
	char term[64] = "-";
	if (k->authed)
		snprintf(term, sizeof term, "%s/%s", k->term.store, k->term.terminal);
	log_line("method=%s path=%s status=%d terminal=%s ms=%ld events=%lld",
	         k->method, k->path, k->status, term, elapsed_ms(&k->start),
	         (long long)k->req.events);
}

/* libmicrohttpd's own messages; its format strings are its own. Hostile
 * clients make it say the same thing for each of hundreds of connections
 * ("Server reached connection limit", a handshake cut short): a message
 * repeated within the same second is counted, not written, and the count
 * goes out with the next message that differs or comes a second later. */
static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char last[512];
	static time_t last_at;
	static unsigned repeated;
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\r\n")] = '\0';
	time_t now = time(NULL);
	pthread_mutex_lock(&mu);
	if (now == last_at && strcmp(msg, last) == 0) {
		repeated++;
	} else {
		if (repeated)
			log_line("level=warn source=mhd msg=\"%s\" repeated=%u", last, repeated);
		log_line("level=warn source=mhd msg=\"%s\"", msg);
		memcpy(last, msg, sizeof last);
		last_at = now;
		repeated = 0;
	}
	pthread_mutex_unlock(&mu);
}

/* ---- what route handlers call (route.h) ---- */

const char *req_arg(const struct req *r, const char *name)
{
	const struct conn *k = r->priv;
	return MHD_lookup_connection_value(k->mc, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(const struct req *r, const char *name)
{
	const struct conn *k = r->priv;
	return MHD_lookup_connection_value(k->mc, MHD_HEADER_KIND, name);
}

const char *req_cookie(const struct req *r, const char *name)
{
	const struct conn *k = r->priv;
	return MHD_lookup_connection_value(k->mc, MHD_COOKIE_KIND, name);
}

const char *req_method(const struct req *r)
{
	return ((const struct conn *)r->priv)->method;
}

const char *req_path(const struct req *r)
{
	return ((const struct conn *)r->priv)->path;
}

void req_client_addr(const struct req *r, char *buf, size_t n)
{
	const struct conn *k = r->priv;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(k->mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(buf, n, "?");
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
		          (socklen_t)n);
}

void req_set_header(struct req *r, const char *name, const char *value)
{
	struct conn *k = r->priv;
	if (k->nhdr >= MAX_HEADERS)
		return;
	snprintf(k->hdr[k->nhdr][0], sizeof k->hdr[0][0], "%s", name);
	snprintf(k->hdr[k->nhdr][1], sizeof k->hdr[0][1], "%s", value);
	k->nhdr++;
}

void req_reply(struct req *r, int status, char *json)
{
	struct conn *k = r->priv;
	free(k->answer);
	k->answer = json;
	k->ctype[0] = '\0';
	k->empty = false;
	k->status = status;
	if (!json)
		req_fail(r, 500, "server_error", -1, -1, "out of memory building the answer");
}

void req_reply_typed(struct req *r, int status, const char *ctype, char *body)
{
	struct conn *k = r->priv;
	req_reply(r, status, body);
	if (body)
		snprintf(k->ctype, sizeof k->ctype, "%s", ctype);
}

void req_reply_empty(struct req *r, int status)
{
	struct conn *k = r->priv;
	free(k->answer);
	k->answer = NULL;
	k->empty = true;
	k->status = status;
}

void req_fail(struct req *r, int status, const char *code, int64_t seq, int64_t acked_seq,
              const char *fmt, ...)
{
	struct conn *k = r->priv;
	struct proto_error e = { .seq = seq, .acked_seq = acked_seq };
	snprintf(e.code, sizeof e.code, "%s", code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	free(k->answer);
	k->ctype[0] = '\0';
	k->answer = proto_error_encode(&e);
	k->empty = false;
	k->status = status;
}

void req_fail_store(struct req *r, enum cm_rc rc)
{
	log_line("level=error msg=\"%s\"", hqstore_errmsg());
	if (rc == CM_BUSY) {
		req_set_header(r, "Retry-After", "5");
		req_fail(r, 503, "unavailable", -1, -1, "the HQ database is busy; try again shortly");
	} else {
		req_fail(r, 500, "server_error", -1, -1, "HQ could not read or write its database");
	}
}

/* ---- authentication ---- */

/* Sets k->term from "Authorization: Bearer TOKEN"; answers 401 if not. */
static bool authenticate(struct conn *k, struct hqstore *st)
{
	const char *h = MHD_lookup_connection_value(k->mc, MHD_HEADER_KIND, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7]) {
		req_fail(&k->req, 401, "unauthorized", -1, -1,
		         "no token: send the header \"Authorization: Bearer TOKEN\"");
		return false;
	}
	uint8_t hash[CHAIN_HASH_LEN];
	const char *tok = h + 7;
	enum cm_rc rc = token_hash(tok, strlen(tok), hash);
	if (rc == CM_OK)
		rc = hqstore_token_lookup(st, hash, &k->term);
	if (rc == CM_NOTFOUND) {
		req_fail(&k->req, 401, "unauthorized", -1, -1, "the token is not known to HQ");
		return false;
	}
	if (rc != CM_OK) {
		req_fail_store(&k->req, rc);
		return false;
	}
	k->authed = true;
	if (k->term.revoked) {
		req_fail(&k->req, 401, "unauthorized", -1, -1,
		         "the token of %s/%s was revoked", k->term.store, k->term.terminal);
		return false;
	}
	k->req.term = &k->term;
	return true;
}

/* ---- request bodies ---- */

static bool body_append(struct conn *k, const char *data, size_t n)
{
	if (k->too_large || k->len + n > k->max_body) {
		k->too_large = true;
		return true;
	}
	char *p = realloc(k->body, k->len + n + 1);
	if (!p)
		return false;
	memcpy(p + k->len, data, n);
	k->body = p;
	k->len += n;
	k->body[k->len] = '\0';
	return true;
}

/* Inflates a gzip body in place; answers 400/413 when it cannot. */
static bool body_decode(struct conn *k)
{
	if (k->too_large) {
		req_fail(&k->req, 413, "too_large", -1, -1,
		         "the request body is larger than %zu bytes", k->max_body);
		return false;
	}
	const char *enc = MHD_lookup_connection_value(k->mc, MHD_HEADER_KIND, "Content-Encoding");
	if (!enc || !*enc || strcasecmp(enc, "identity") == 0)
		return true;
	if (strcasecmp(enc, "gzip") != 0) {
		req_fail(&k->req, 400, "bad_request", -1, -1,
		         "Content-Encoding \"%s\" is not supported: send gzip or nothing", enc);
		return false;
	}
	char *plain;
	size_t n;
	enum cm_rc rc = gz_inflate(k->body ? k->body : "", k->len, k->max_body, &plain, &n);
	if (rc == CM_FULL) {
		req_fail(&k->req, 413, "too_large", -1, -1,
		         "the request body inflates to more than %zu bytes", k->max_body);
		return false;
	}
	if (rc != CM_OK) {
		req_fail(&k->req, 400, "bad_request", -1, -1,
		         "the request body is not valid gzip data (or it is cut short)");
		return false;
	}
	free(k->body);
	k->body = plain;
	k->len = n;
	return true;
}

/* ---- dispatch and answers ---- */

/* A body announced larger than HQ takes is refused before it is sent. */
static bool length_ok(struct conn *k)
{
	const char *cl = MHD_lookup_connection_value(k->mc, MHD_HEADER_KIND, "Content-Length");
	if (!cl || strtoull(cl, NULL, 10) <= k->max_body)
		return true;
	req_fail(&k->req, 413, "too_large", -1, -1,
	         "the request body is larger than %zu bytes", k->max_body);
	return false;
}

/* With the headers only: the route, the token and the announced length.
 * false when the request is refused (the answer is set). */
static bool admit(struct conn *k, struct hqstore *st)
{
	bool path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		size_t n = strlen(routes[i].path);
		if (strncmp(k->path, routes[i].path, n) != 0 ||
		    (k->path[n] && !(routes[i].prefix && k->path[n] == '/')))
			continue;
		path_known = true;
		if (strcmp(k->method, routes[i].method) == 0)
			k->rt = &routes[i];
	}
	if (!k->rt) {
		req_fail(&k->req, 404, "not_found", -1, -1, "%s %s: %s", k->method, k->path,
		         path_known ? "this path does not take that method" : "no such path");
		return false;
	}
	if (k->rt->auth && !authenticate(k, st))
		return false;
	if (k->rt->fn == web_route && !web_admit(&k->req, &k->max_body))
		return false;
	if (k->rt->fn == web_check && !web_check_admit(&k->req))
		return false;
	if (k->rt->fn == shop_route && !shop_admit(&k->req, &k->max_body))
		return false;
	return length_ok(k);
}

/* With the whole body: the route's handler. */
static void dispatch(struct conn *k)
{
	if (!body_decode(k))
		return;
	k->req.body = k->body ? k->body : "";
	k->req.len = k->len;
	k->rt->fn(&k->req);
}

static bool accepts_gzip(struct conn *k)
{
	const char *ae = MHD_lookup_connection_value(k->mc, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* The answer as an MHD response (NULL out of memory); any thread. */
static struct MHD_Response *response(struct conn *k)
{
	struct MHD_Response *resp;
	bool gz = false;
	if (k->empty || !k->answer) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		size_t n = strlen(k->answer);
		char *z = NULL;
		size_t zn = 0;
		/* Pages (the console's HTML) compress fast; JSON as well as it can. */
		int level = k->ctype[0] ? 1 : -1;
		if (n >= GZIP_MIN && accepts_gzip(k) &&
		    gz_deflate_level(k->answer, n, level, &z, &zn) == CM_OK) {
			resp = MHD_create_response_from_buffer(zn, z, MHD_RESPMEM_MUST_FREE);
			gz = true;
		} else {
			resp = MHD_create_response_from_buffer(n, k->answer, MHD_RESPMEM_MUST_COPY);
		}
	}
	if (!resp)
		return NULL;
	if (!k->empty)
		MHD_add_response_header(resp, "Content-Type",
		                        k->ctype[0] ? k->ctype : "application/json");
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	for (int i = 0; i < k->nhdr; i++)
		MHD_add_response_header(resp, k->hdr[i][0], k->hdr[i][1]);
	return resp;
}

static enum MHD_Result answer(struct conn *k)
{
	struct MHD_Response *resp = k->resp ? k->resp : response(k);
	k->resp = NULL;
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(k->mc, (unsigned)k->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the workers ---- */

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&work.mu);
		while (!work.head && !work.stop)
			pthread_cond_wait(&work.cv, &work.mu);
		struct conn *k = work.head;
		if (k && !(work.head = k->next))
			work.tail = NULL;
		pthread_mutex_unlock(&work.mu);
		if (!k)
			return NULL;  /* stopping, and the queue is empty */
		dispatch(k);
		k->resp = response(k);
		k->answered = true;
		MHD_resume_connection(k->mc);
	}
}

/* Suspends the request and queues it for a worker; false once the
 * workers are stopping (a request on a kept-alive connection after
 * shutdown began), as no one would resume it and MHD refuses to stop with
 * a connection suspended. */
static bool hand_over(struct conn *k)
{
	pthread_mutex_lock(&work.mu);
	bool ok = !work.stop;
	if (ok) {
		MHD_suspend_connection(k->mc);
		k->next = NULL;
		if (work.tail)
			work.tail->next = k;
		else
			work.head = k;
		work.tail = k;
		pthread_cond_signal(&work.cv);
	}
	pthread_mutex_unlock(&work.mu);
	return ok;
}

static bool workers_start(unsigned n)
{
	work.stop = false;
	if (!(work.threads = calloc(n, sizeof *work.threads)))
		return false;
	for (work.n = 0; work.n < n; work.n++)
		if (pthread_create(&work.threads[work.n], NULL, worker, NULL) != 0)
			return false;
	return true;
}

/* Lets the workers finish the queue (every suspended request is resumed),
 * then joins them. */
static void workers_stop(void)
{
	pthread_mutex_lock(&work.mu);
	work.stop = true;
	pthread_cond_broadcast(&work.cv);
	pthread_mutex_unlock(&work.mu);
	for (unsigned i = 0; i < work.n; i++)
		pthread_join(work.threads[i], NULL);
	free(work.threads);
	work.threads = NULL;
	work.n = 0;
}

static struct conn *conn_new(struct MHD_Connection *mc, const char *url, const char *method,
                             struct hqstore *st)
{
	struct conn *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->mc = mc;
	clock_gettime(CLOCK_MONOTONIC, &k->start);
	snprintf(k->method, sizeof k->method, "%s", method);
	/* A path longer than the buffer is no route's: keep it unmatched. */
	if (snprintf(k->path, sizeof k->path, "%s", url) >= (int)sizeof k->path)
		k->path[sizeof k->path - 2] = '?';
	/* The path goes into a key=value log line: no spaces, quotes or
	 * control characters (no route has any; guard_unescape keeps %00 and
	 * the like encoded). */
	for (char *p = k->path; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '=' || (unsigned char)*p >= 0x7f)
			*p = '?';
	k->req.st = st;
	k->req.priv = k;
	k->status = 500;
	k->max_body = PROTO_MAX_BODY;
	k->counted = true;
	atomic_fetch_add(&active_requests, 1);
	return k;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	struct hqstore *st = cls;
	struct conn *k = *con_cls;
	(void)version;
	if (!k) {
		guard_headers_done(mc);
		*con_cls = k = conn_new(mc, url, method, st);
		if (!k)
			return MHD_NO;
		return admit(k, st) ? MHD_YES : answer(k);
	}
	if (*upload_size) {
		bool ok = body_append(k, upload, *upload_size);
		*upload_size = 0;
		return ok ? MHD_YES : MHD_NO;
	}
	if (k->answered)
		return answer(k);
	if (k->rt->db) {
		if (hand_over(k))
			return MHD_YES;
		req_set_header(&k->req, "Retry-After", "30");
		req_fail(&k->req, 503, "unavailable", -1, -1, "HQ is stopping; try again shortly");
		return answer(k);
	}
	dispatch(k);
	return answer(k);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct conn *k = *con_cls;
	(void)cls;
	guard_request_done(mc);
	if (!k)
		return;
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && k->status < 400)
		log_line("level=warn msg=\"answer not delivered\" method=%s path=%s reason=%d",
		         k->method, k->path, (int)why);
	log_request(k);
	if (k->counted)
		atomic_fetch_sub(&active_requests, 1);
	if (k->resp)
		MHD_destroy_response(k->resp);
	free(k->body);
	free(k->answer);
	free(k);
	*con_cls = NULL;
}

/* ---- starting and stopping ---- */

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 1 >= cap) {
			char *p = cap < 1024 * 1024 ? realloc(buf, cap ? cap * 2 : 4096) : NULL;
			if (!p) {
				snprintf(err, errlen, "%s is too large for a PEM file", path);
				free(buf);
				buf = NULL;
				goto out;
			}
			buf = p;
			cap = cap ? cap * 2 : 4096;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s", path);
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return buf;
}

static bool parse_listen(const char *s, struct sockaddr_in *sa, char *err, size_t errlen)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	memset(sa, 0, sizeof *sa);
	if (!colon || (size_t)(colon - s) >= sizeof host) {
		snprintf(err, errlen, "--listen %s: expected ADDRESS:PORT, e.g. 127.0.0.1:8443", s);
		return false;
	}
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535) {
		snprintf(err, errlen, "--listen %s: the port must be a number from 0 to 65535", s);
		return false;
	}
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		snprintf(err, errlen, "--listen %s: the address must be an IPv4 address", s);
		return false;
	}
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return true;
}

/* Waits until no request is being handled (or DRAIN_SECONDS pass). */
static void drain(void)
{
	for (int i = 0; i < DRAIN_SECONDS * 20 && atomic_load(&active_requests) > 0; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* epoll: no FD_SETSIZE ceiling, and an idle connection costs nothing to
 * poll. The per-address limit keeps one address from taking every slot;
 * the global one is what the process can hold (guard_connection_budget). */
static struct MHD_Daemon *start(struct hqstore *st, const struct server_opts *o,
                                struct sockaddr_in *sa, const char *cert, const char *key)
{
	unsigned threads = o->threads ? o->threads : DEFAULT_THREADS;
	unsigned limit = guard_connection_budget(o->max_connections ? o->max_connections
	                                                           : DEFAULT_MAX_CONNECTIONS);
	unsigned per_address = o->max_per_address ? o->max_per_address : DEFAULT_MAX_PER_ADDRESS;
	log_line("level=info msg=\"limits\" max_connections=%u max_per_address=%u threads=%u "
	         "io_threads=%d header_s=%d request_s=%d idle_s=%d checks_per_minute=%u", limit,
	         per_address, threads, IO_THREADS, GUARD_HEADER_SECONDS, GUARD_REQUEST_SECONDS,
	         IDLE_SECONDS, ratelimit_per_minute());
	return MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG | MHD_USE_ITC |
		MHD_ALLOW_SUSPEND_RESUME,
		ntohs(sa->sin_port), NULL, NULL, on_request, st,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)IO_THREADS,
		MHD_OPTION_HTTPS_MEM_CERT, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
		MHD_OPTION_NOTIFY_CONNECTION, guard_notify, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, guard_unescape, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
}

enum cm_rc server_run(struct hqstore *st, const struct server_opts *o, char *err, size_t errlen)
{
	enum cm_rc rc = CM_INVALID;
	struct sockaddr_in sa;
	char *cert = NULL, *key = NULL;
	sigset_t sigs, old;
	struct MHD_Daemon *d = NULL;
	bool blocked = false;
	if (!parse_listen(o->listen, &sa, err, errlen))
		return CM_INVALID;
	if (!(cert = read_file(o->cert_file, err, errlen)) ||
	    !(key = read_file(o->key_file, err, errlen))) {
		rc = CM_NOTFOUND;
		goto out;
	}
	struct stat kb;
	if (stat(o->key_file, &kb) == 0 && (kb.st_mode & (S_IROTH | S_IWOTH))) {
		snprintf(err, errlen, _("the TLS key %s can be read by every user of this computer "
		         "(mode %04o): run chmod 600 %s"), o->key_file, (unsigned)(kb.st_mode & 07777),
		         o->key_file);
		rc = CM_DENIED;
		goto out;
	}
	/* The worker threads inherit a mask without SIGTERM and SIGINT, so
	 * only sigwait() below sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	signal(SIGPIPE, SIG_IGN);
	blocked = pthread_sigmask(SIG_BLOCK, &sigs, &old) == 0;
	ratelimit_set(o->checks_per_minute);
	web_languages();
	if (guard_start() != CM_OK) {
		snprintf(err, errlen, "cannot start the connection deadline thread");
		rc = CM_IO;
		goto out;
	}
	if (!workers_start(o->threads ? o->threads : DEFAULT_THREADS)) {
		snprintf(err, errlen, "cannot start the worker threads");
		rc = CM_NOMEM;
		goto out;
	}
	d = start(st, o, &sa, cert, key);
	if (!d) {
		snprintf(err, errlen, "cannot serve on %s (port taken, or a bad certificate or key)",
		         o->listen);
		rc = CM_IO;
		goto out;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char addr[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
	log_line("level=info msg=\"listening\" addr=%s:%u protocol=%d", addr,
	         info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port), PROTO_VERSION);
	int sig = 0;
	while (sigwait(&sigs, &sig) != 0)
		;
	log_line("level=info msg=\"stopping\" signal=%d", sig);
	MHD_quiesce_daemon(d);
	drain();
	workers_stop();
	MHD_stop_daemon(d);
	log_line("level=info msg=\"stopped\"");
	rc = CM_OK;
out:
	if (work.threads)
		workers_stop();
	guard_stop();
	if (blocked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(cert);
	if (key)
		sodium_memzero(key, strlen(key));
	free(key);
	return rc;
}
