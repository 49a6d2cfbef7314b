/* bench_journal: appends journal events quickly to a store database, to
 * feed the sync benchmarks (tests/bench/bench_sync.sh); prints the rate.
 *
 *   bench_journal DB COUNT
 *
 * The events are "bench_note" (HQ keeps them without folding them into its
 * ledgers; not "setting_changed", which journal verify, and so the agent
 * before it pushes, holds against the settings table), chained and signed
 * by journal_append as the till's are, in transactions of 10,000 events. */
#include "benchutil.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BATCH 10000

int main(int argc, char **argv)
{
	struct store *st = NULL;
	char err[400], payload[256];
	if (argc != 3 || atol(argv[2]) < 1) {
		fprintf(stderr, "usage: bench_journal DB COUNT\n");
		return 1;
	}
	long count = atol(argv[2]);
	if (store_open(argv[1], 0, 0, &st, err, sizeof err) != CM_OK) {
		fprintf(stderr, "bench_journal: %s: %s\n", argv[1], err);
		return 1;
	}
	int64_t t0 = bench_now_ns();
	int64_t at = (int64_t)time(NULL);
	enum cm_rc rc = CM_OK;
	for (long done = 0; rc == CM_OK && done < count;) {
		rc = store_begin(st);
		for (long k = 0; rc == CM_OK && k < BATCH && done < count; k++, done++) {
			snprintf(payload, sizeof payload,
			         "{\"note\":\"bench\",\"old\":\"%ld\",\"value\":\"%ld\"}",
			         done, done + 1);
			rc = journal_append(st, "bench_note", at, 1, payload, NULL);
		}
		if (rc == CM_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	if (rc != CM_OK) {
		fprintf(stderr, "bench_journal: appending: %s\n", store_errmsg(st));
		store_close(st);
		return 1;
	}
	double s = (double)(bench_now_ns() - t0) / 1e9;
	printf("bench_journal: %ld events in %.2f s (%.0f events/s)\n", count, s, (double)count / s);
	store_close(st);
	return 0;
}
