/* Connection deadlines, path decoding and the connection budget of
 * coopmart-hq (guard.h says why each exists). */
#include "guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define SWEEP_MS 1000

/* One watched connection, in a list under the guard's mutex. */
struct watch {
	int fd;
	int64_t deadline_ms;              /* CLOCK_MONOTONIC; 0 = none */
	bool shut;
	struct watch *prev, *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	struct watch *head;
	pthread_t thread;
	bool running, stopping;
} g = { .mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void log_cut(size_t n)
{
	char t[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "time=%s level=warn msg=\"connections past their deadline closed\" "
	        "count=%zu header_s=%d request_s=%d\n", t, n, GUARD_HEADER_SECONDS,
	        GUARD_REQUEST_SECONDS);
}

/* Shuts down every connection past its deadline; returns how many. */
static size_t sweep(int64_t now)
{
	size_t n = 0;
	for (struct watch *w = g.head; w; w = w->next) {
		if (w->shut || !w->deadline_ms || w->deadline_ms > now)
			continue;
		shutdown(w->fd, SHUT_RDWR);
		w->shut = true;
		n++;
	}
	return n;
}

static void *guard_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g.mu);
	while (!g.stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SWEEP_MS / 1000;
		pthread_cond_timedwait(&g.wake, &g.mu, &until);
		size_t n = g.stopping ? 0 : sweep(cm_mono_ms());
		if (n)
			log_cut(n);
	}
	pthread_mutex_unlock(&g.mu);
	return NULL;
}

enum cm_rc guard_start(void)
{
	g.stopping = false;
	if (pthread_create(&g.thread, NULL, guard_main, NULL) != 0)
		return CM_IO;
	g.running = true;
	return CM_OK;
}

void guard_stop(void)
{
	if (!g.running)
		return;
	pthread_mutex_lock(&g.mu);
	g.stopping = true;
	pthread_cond_signal(&g.wake);
	pthread_mutex_unlock(&g.mu);
	pthread_join(g.thread, NULL);
	g.running = false;
}

static void watch_set(struct watch *w, int seconds)
{
	pthread_mutex_lock(&g.mu);
	w->deadline_ms = seconds ? cm_mono_ms() + (int64_t)seconds * 1000 : 0;
	pthread_mutex_unlock(&g.mu);
}

static void watch_add(void **socket_context, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c,
		MHD_CONNECTION_INFO_CONNECTION_FD);
	struct watch *w = fd ? calloc(1, sizeof *w) : NULL;
	*socket_context = w;
	if (!w)
		return;                       /* not watched: only the idle time-out applies */
	w->fd = fd->connect_fd;
	pthread_mutex_lock(&g.mu);
	w->deadline_ms = cm_mono_ms() + (int64_t)GUARD_HEADER_SECONDS * 1000;
	w->next = g.head;
	if (g.head)
		g.head->prev = w;
	g.head = w;
	pthread_mutex_unlock(&g.mu);
}

/* libmicrohttpd notifies the close before it closes the descriptor. */
static void watch_remove(void **socket_context)
{
	struct watch *w = *socket_context;
	if (!w)
		return;
	pthread_mutex_lock(&g.mu);
	if (w->prev)
		w->prev->next = w->next;
	else
		g.head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&g.mu);
	free(w);
	*socket_context = NULL;
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                  enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		watch_add(socket_context, c);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		watch_remove(socket_context);
}

static struct watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(c,
		MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

void guard_headers_done(struct MHD_Connection *c)
{
	struct watch *w = watch_of(c);
	if (w)
		watch_set(w, GUARD_REQUEST_SECONDS);
}

void guard_request_done(struct MHD_Connection *c)
{
	struct watch *w = watch_of(c);
	if (w)
		watch_set(w, GUARD_HEADER_SECONDS);
}

/* ---- paths ---- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t guard_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *out = s;
	(void)cls;
	(void)c;
	for (const char *in = s; *in; ) {
		int hi = in[0] == '%' ? hex_value(in[1]) : -1;
		int lo = hi >= 0 ? hex_value(in[2]) : -1;
		int v = hi * 16 + lo;
		if (lo < 0 || v < 0x20 || v == 0x7f) {
			*out++ = *in++;           /* not an escape, or one kept as it is */
			continue;
		}
		*out++ = (char)v;
		in += 3;
	}
	*out = '\0';
	return (size_t)(out - s);
}

/* ---- how many connections ---- */

unsigned guard_connection_budget(unsigned wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	rlim_t need = (rlim_t)wanted + GUARD_SPARE_FDS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return wanted;
	return rl.rlim_cur > 2 * GUARD_SPARE_FDS ? (unsigned)(rl.rlim_cur - GUARD_SPARE_FDS)
	                                         : (unsigned)(rl.rlim_cur / 2);
}
