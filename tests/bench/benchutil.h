/* Shared helpers of the benchmark programs: a monotonic clock, percentiles,
 * command-line options, the cached benchmark catalogue and the report line.
 *
 * Benchmarks PRINT figures; they never pass or fail on time (the machines
 * they run on are shared and noisy). A non-zero exit means the program
 * could not do its work (an engine call failed), never "too slow". */
#ifndef BENCHUTIL_H
#define BENCHUTIL_H

#include "core/records.h"
#include "engine/auth.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Users of the benchmark catalogue (number, PIN). */
#define BENCH_ADMIN        "900"
#define BENCH_ADMIN_PIN    "583921"
#define BENCH_SUPER        "800"
#define BENCH_SUPER_PIN    "472615"
#define BENCH_CASHIER      "101"
#define BENCH_CASHIER_PIN  "639204"

#define BENCH_DEFAULT_ITEMS 200000L
#define BENCH_QUICK_ITEMS   2000L

/* Monotonic clock in nanoseconds. */
int64_t bench_now_ns(void);

/* Summary of a set of timings, in milliseconds. */
struct bench_stats {
	size_t n;
	double p50, p90, p99, max, mean;
};
/* Percentiles by nearest rank over ns[0..n-1] (the array is not changed). */
void bench_percentiles(const int64_t *ns, size_t n, struct bench_stats *out);

/* Command line: --items N, --db PATH, --count N (iterations), --quick
 * (2,000 items and fewer iterations), --seed N, --help. */
struct bench_opts {
	long items;
	char db[1024];
	long count;
	uint64_t seed;
	bool quick;
};
/* Fills o from argv; default_count and quick_count are the iteration
 * counts of the program. Returns false (after printing usage) when the
 * program should exit; *exit_code says with what. */
bool bench_parse_args(int argc, char **argv, const char *what, long default_count,
                      long quick_count, struct bench_opts *o, int *exit_code);

/* A small fast PRNG (splitmix64), deterministic for a seed. */
uint64_t bench_rand(uint64_t *state);
/* Uniform in [0, n). */
uint64_t bench_rand_below(uint64_t *state, uint64_t n);

/* Item number i (0-based) of the generated catalogue, deterministic:
 * name, SKU, prices, tax class, category, supplier, and its EAN-13
 * barcodes (prefix 899, 0 for weighed items, sometimes 2). plu is left 0
 * (the generator numbers weighed items). */
void bench_item_make(long i, struct item_rec *it, char (*codes)[16], size_t *ncodes);

/* Makes sure path holds a store database with exactly nitems items, the
 * settings and the users above; builds it (printing progress on stderr)
 * when missing or different. Reused as is otherwise. Returns false with
 * a message on stderr when it cannot. */
bool bench_catalogue_ensure(const char *path, long nitems);

/* Barcodes of active, non-weighed items (what a cashier scans), read
 * straight from the database; malloc'd array of n codes. */
bool bench_load_barcodes(const char *path, char (**codes)[16], size_t *n);

/* A till on the catalogue with the cashier logged in and no ticket left
 * open by an earlier run. */
struct sale;
struct bench_session {
	struct store *st;
	struct till *t;
};
bool bench_session_open(const char *path, struct bench_session *s);
/* Cancels ticket sale, the benchmark's supervisor approving that ticket
 * as it stands (an approval is bound to its lines: one per cancel). */
enum cm_rc bench_cancel(struct bench_session *s, struct sale *sale);
void bench_session_close(struct bench_session *s);

/* Two-word prefix queries ("ind gor", "ber pre") taken from the names of
 * random catalogue items: the first word and another word of the name,
 * three letters each. */
void bench_make_query(long nitems, uint64_t *rng, char *buf, size_t n);
/* The FTS5 text the store builds for a query: every word a quoted
 * prefix, `"ind"* "gor"*`. */
void bench_fts_text(const char *query, char *buf, size_t n);

/* Prints the header: program, items, database, CPUs, load average. */
void bench_print_header(const char *what, const struct bench_opts *o);
/* Prints the load average at the end. */
void bench_print_footer(void);
/* The result line:
 *   label  n=  p50 p90 p99 max   raw sqlite p50 p99  ratio (p99)  target */
void bench_print_result(const char *label, const struct bench_stats *eng,
                        const struct bench_stats *raw, double target_ms);

#endif
