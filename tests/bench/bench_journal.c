/* bench_journal: appends journal events quickly to a store database, to
 * feed the sync benchmarks (tests/bench/bench_sync.sh); prints the rate.
 *
 *   bench_journal DB COUNT
 *
 * The events are "bench_note" (HQ keeps them without folding them into its
 * ledgers; not "setting_changed", which journal verify, and so the agent
 * before it pushes, holds against the settings table), chained and signed
 * by journal_append as the till's are, in transactions of 10,000 events.
 * It then times journal verify over the whole journal and from its last
 * 100 events (as the agent checks between whole checks: from what HQ
 * acknowledged), so the cost a push pays is seen next to the whole. */
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
	struct journal_entry head;
	struct journal_check chk;
	if (journal_head(st, &head) != CM_OK) {
		store_close(st);
		return 1;
	}
	int64_t from[2] = { 0, head.seq > 100 ? head.seq - 100 : 0 };
	for (int k = 0; k < 2; k++) {
		t0 = bench_now_ns();
		rc = journal_verify_since(st, from[k], &chk);
		double ms = (double)(bench_now_ns() - t0) / 1e6;
		printf("bench_journal: verify from %lld: %lld events in %.1f ms (%s)\n",
		       (long long)from[k], (long long)chk.events, ms, cm_rc_name(rc));
	}
	store_close(st);
	return 0;
}
