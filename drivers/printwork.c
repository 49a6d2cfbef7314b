/* The print worker thread (printwork.h): passes on a schedule, a pipe for
 * the loop, a condition variable for kicks. */
#include "drivers/printwork.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATUS_MAX 4096

struct printwork {
	const struct printwork_ops *ops;
	void *arg;
	size_t size;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, kicked;
	unsigned requests;
	bool published;          /* the loop has heard from the worker once */
	int pipe[2];
	unsigned char status[STATUS_MAX];
};

/* The new status; a byte down the pipe when it differs from the last. */
static void publish(struct printwork *w, const void *s)
{
	bool changed;

	pthread_mutex_lock(&w->lock);
	changed = !w->published || memcmp(w->status, s, w->size) != 0;
	memcpy(w->status, s, w->size);
	w->published = true;
	pthread_mutex_unlock(&w->lock);
	if (changed && write(w->pipe[1], "", 1) < 0 && errno != EAGAIN)
		return;   /* the pipe is full: the loop has a wake-up pending */
}

/* Sleeps until kicked, stopped or ms passed; takes the requests asked
 * meanwhile. False when stopping. */
static bool sleep_until_kicked(struct printwork *w, int ms, unsigned *requests)
{
	struct timespec until;
	bool go;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stop && !w->kicked && !w->requests)
		if (pthread_cond_timedwait(&w->cond, &w->lock, &until) == ETIMEDOUT)
			break;
	w->kicked = false;
	*requests = w->requests;
	w->requests = 0;
	go = !w->stop;
	pthread_mutex_unlock(&w->lock);
	return go;
}

static void *worker(void *p)
{
	struct printwork *w = p;
	unsigned char status[STATUS_MAX];
	unsigned requests = 0;
	void *ctx = NULL;
	char err[256];
	int ms;

	do {
		memset(status, 0, w->size);
		if (!ctx)
			ctx = w->ops->attach(w->arg, err, sizeof err);
		if (ctx) {
			ms = w->ops->pass(ctx, requests, status);
		} else {
			w->ops->failed(w->arg, err, status);
			ms = 2000;
		}
		publish(w, status);
	} while (sleep_until_kicked(w, ms, &requests));
	if (ctx)
		w->ops->detach(ctx);
	return NULL;
}

bool printwork_start(const struct printwork_ops *ops, void *arg, size_t status_size,
                     struct printwork **out, char *err, size_t errlen)
{
	struct printwork *w = status_size <= STATUS_MAX ? calloc(1, sizeof *w) : NULL;
	pthread_condattr_t ca;

	*out = NULL;
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	w->ops = ops;
	w->arg = arg;
	w->size = status_size;
	if (pipe(w->pipe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(w);
		return false;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(w->pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(w->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, worker, w) != 0) {
		snprintf(err, errlen, "cannot start the print worker");
		close(w->pipe[0]);
		close(w->pipe[1]);
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return false;
	}
	*out = w;
	return true;
}

int printwork_fd(const struct printwork *w)
{
	return w->pipe[0];
}

void printwork_status(struct printwork *w, void *out)
{
	char buf[64];

	while (read(w->pipe[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&w->lock);
	memcpy(out, w->status, w->size);
	pthread_mutex_unlock(&w->lock);
}

void printwork_kick(struct printwork *w)
{
	pthread_mutex_lock(&w->lock);
	w->kicked = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void printwork_request(struct printwork *w, unsigned bits)
{
	pthread_mutex_lock(&w->lock);
	w->requests |= bits;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void printwork_stop(struct printwork *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	close(w->pipe[0]);
	close(w->pipe[1]);
	free(w);
}
