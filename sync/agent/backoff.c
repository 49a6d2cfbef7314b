/* Retry delays and interruptible sleeps.
 *
 * SIGTERM and SIGINT stay blocked while the agent works, so a request or a
 * database transaction is never cut in the middle; ppoll() unblocks them
 * atomically for the length of a sleep, so a signal that arrived during a
 * request ends the next sleep at once, and one that arrives during a sleep
 * ends it. */
#define _GNU_SOURCE     /* ppoll */
#include "sync/agent/backoff.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop_signal;
static sigset_t run_mask;     /* the mask while sleeping: stop signals open */

static void on_stop(int sig)
{
	stop_signal = sig;
}

void backoff_signals_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &run_mask);
	sigdelset(&run_mask, SIGTERM);
	sigdelset(&run_mask, SIGINT);
}

bool backoff_stopping(void)
{
	if (stop_signal)
		return true;
	sigset_t pending;
	if (sigpending(&pending) != 0)
		return false;
	return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1;
}

bool backoff_sleep(int64_t ms)
{
	struct timespec end, now;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)(ms / 1000);
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		if (stop_signal)
			return false;
		clock_gettime(CLOCK_MONOTONIC, &now);
		struct timespec left = { end.tv_sec - now.tv_sec, end.tv_nsec - now.tv_nsec };
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			return true;
		if (ppoll(NULL, 0, &left, &run_mask) < 0 && errno != EINTR)
			return !stop_signal;
	}
}

int64_t backoff_delay_ms(int attempt, long cap_s, long retry_after_s)
{
	int64_t ceiling_ms = (int64_t)cap_s * 1000;
	if (attempt < 30 && ((int64_t)1000 << attempt) < ceiling_ms)
		ceiling_ms = (int64_t)1000 << attempt;
	int64_t ms = ceiling_ms > 0
	             ? (int64_t)randombytes_uniform((uint32_t)(ceiling_ms > UINT32_MAX - 1
	                                                       ? UINT32_MAX - 1 : ceiling_ms) + 1)
	             : 0;
	if ((int64_t)retry_after_s * 1000 > ms)
		ms = (int64_t)retry_after_s * 1000;
	return ms;
}
