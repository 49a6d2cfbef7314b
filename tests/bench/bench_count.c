/* bench_count: a stock count of 20,000 lines on the benchmark catalogue
 * (200,000 items): opening the variance review and posting the count,
 * with sales rung up while the count runs; prints the figures.
 *
 *   bench_count [--items N] [--count LINES] [--db PATH] [--quick]
 *
 * The cached catalogue is never changed: the run works on a copy of it
 * (removed at the end). Set-up outside the timings: LINES items get the
 * zone BENCH, a cost and a stock snapshot; a zone count starts; 200 cash
 * sales of random items go through the sale engine; every line is counted
 * (written straight into the count, in bulk) with a variance, so the post
 * writes LINES movements. Timed: 200 counting entries through the engine
 * (find + enter, one durable transaction each), the review (count_review:
 * every line's expected, the variance list sorted by value) five times,
 * and the post (one transaction: LINES movements, the journal events). */
#include "benchutil.h"
#include "engine/count.h"
#include "engine/sale.h"
#include "engine/shift.h"
#include "store/store_stock.h"

#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SALES 200
#define ENTRIES 200
#define REVIEWS 5
#define TARGET_POST_MS 5000.0
#define TARGET_REVIEW_MS 1000.0

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

static bool copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	bool ok = in && out;
	char buf[1 << 16];
	size_t n;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	ok = ok && !ferror(in);
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = false;
	return ok && chmod(to, 0640) == 0;   /* store_open refuses a world-readable store */
}

static void remove_db(const char *path)
{
	char side[1200];
	remove(path);
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
}

static bool raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *err = NULL;
	bool ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	          sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	          sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK;
	if (!ok)
		fprintf(stderr, "bench_count: set-up: %s\n", err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	sqlite3_close(db);
	return ok;
}

static bool fail(const char *doing, struct till *t)
{
	fprintf(stderr, "bench_count: %s: %s\n", doing, till_errmsg(t));
	return false;
}

static bool login(struct till *t, const char *number, const char *pin)
{
	if (till_user(t))
		auth_logout(t);
	return auth_login(t, number, pin) == CM_OK || fail("login", t);
}

static bool sell(struct till *t, const char *code)
{
	struct sale *s = NULL;
	struct sale_result r;
	enum cm_rc rc = sale_open(t, &s);
	if (rc == CM_OK && (rc = sale_scan(s, code, 0)) == CM_OK &&
	    (rc = sale_add_tender(s, TENDER_DEBIT, sale_noncash_due(s), "BENCH1")) == CM_OK)
		rc = sale_complete(s, &r);
	if (rc != CM_OK)
		fprintf(stderr, "bench_count: sale of %s: %s\n", code, s ? sale_errmsg(s) : till_errmsg(t));
	sale_free(s);
	return rc == CM_OK;
}

/* Items in the zone, for the timed counting entries: their SKUs. */
static bool zone_skus(const char *path, long n, char (**out)[32])
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	*out = calloc((size_t)n, sizeof **out);
	bool ok = *out && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	          sqlite3_prepare_v2(db, "SELECT i.sku FROM item_stock_info si JOIN items i "
	                             "ON i.id = si.item_id WHERE si.zone = 'BENCH' ORDER BY i.id",
	                             -1, &s, NULL) == SQLITE_OK;
	long k = 0;
	while (ok && k < n && sqlite3_step(s) == SQLITE_ROW)
		snprintf((*out)[k++], sizeof **out, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ok && k == n;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "count: review and post of a large stock count",
	                      20000, 2000, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	long lines = o.count < o.items / 2 ? o.count : o.items / 2;
	o.count = lines;
	bench_print_header("bench_count", &o);

	char work[1100], sql[1024];
	snprintf(work, sizeof work, "%s.bench_count-%ld", o.db, (long)getpid());
	if (!copy_file(o.db, work)) {
		fprintf(stderr, "bench_count: cannot copy %s to %s\n", o.db, work);
		return 1;
	}
	char (*codes)[16] = NULL, (*skus)[32] = NULL;
	size_t ncodes = 0;
	struct store *st = NULL;
	struct till *t = NULL;
	char err[400];
	bool ok = store_open(work, 0, 0, &st, err, sizeof err) == CM_OK &&
	          till_open(st, &t, err, sizeof err) == CM_OK;
	if (!ok)
		fprintf(stderr, "bench_count: %s\n", err);
	snprintf(sql, sizeof sql,
	         "BEGIN;"
	         "INSERT OR REPLACE INTO item_stock_info(item_id, zone, reorder_level, cost, updated_at) "
	         "SELECT id, 'BENCH', 12000, price * 8 / 10, 0 FROM items "
	         "WHERE active = 1 AND weighed = 0 ORDER BY id LIMIT %ld;"
	         "INSERT OR REPLACE INTO stock_snapshot(item_id, qty, as_of) "
	         "SELECT id, 10000 + (id %% 37) * 1000, 0 FROM items;"
	         "COMMIT;", lines);
	ok = ok && raw_exec(work, sql) && zone_skus(work, lines, &skus) &&
	     bench_load_barcodes(work, &codes, &ncodes) && ncodes > 0;

	/* The count starts; sales go on. */
	int64_t id = 0, t0, t1;
	ok = ok && login(t, BENCH_SUPER, BENCH_SUPER_PIN);
	t0 = bench_now_ns();
	ok = ok && (count_start(t, SCOPE_ZONE, "BENCH", &id) == CM_OK || fail("count_start", t));
	t1 = bench_now_ns();
	if (ok)
		printf("count start (snapshot of %ld items)   %.1f ms\n", lines, ms(t1 - t0));
	uint64_t rng = o.seed;
	ok = ok && login(t, BENCH_CASHIER, BENCH_CASHIER_PIN);
	struct shift_rec shift;
	if (ok && store_shift_current(st, &shift) == CM_NOTFOUND)
		ok = shift_open(t, 0, &shift) == CM_OK || fail("opening a shift", t);
	for (int i = 0; ok && i < SALES; i++)
		ok = sell(t, codes[bench_rand_below(&rng, ncodes)]);

	/* Counting through the engine, as a counter would, timed. */
	int64_t ent[ENTRIES];
	for (int i = 0; ok && i < ENTRIES; i++) {
		struct item_rec it;
		cm_qty so_far, total;
		bool counted;
		const char *sku = skus[bench_rand_below(&rng, (uint64_t)lines)];
		t0 = bench_now_ns();
		ok = (count_find(t, id, sku, &it, &so_far, &counted) == CM_OK &&
		      count_enter(t, id, it.id, "", COUNT_ADD, 1000, &total) == CM_OK) ||
		     fail("counting", t);
		ent[i] = bench_now_ns() - t0;
	}
	/* Every line counted, each with a variance (bulk, not timed). */
	snprintf(sql, sizeof sql,
	         "INSERT OR REPLACE INTO stock_count_lines(count_id, item_id, qty, counted_by, zone, updated_at) "
	         "SELECT count_id, item_id, max(snap_qty, 0) + 1000 * (1 + item_id %% 5), 1, 'BENCH', 0 "
	         "FROM stock_count_items WHERE count_id = %lld", (long long)id);
	ok = ok && raw_exec(work, sql);
	if (ok) {
		struct bench_stats es;
		bench_percentiles(ent, ENTRIES, &es);
		printf("counting entry (find + enter)      n=%zu  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n",
		       es.n, es.p50, es.p99, es.max);
	}

	ok = ok && login(t, BENCH_SUPER, BENCH_SUPER_PIN);
	int64_t rev[REVIEWS];
	size_t nvar = 0;
	for (int i = 0; ok && i < REVIEWS; i++) {
		struct count_review r;
		t0 = bench_now_ns();
		ok = count_review(t, id, &r) == CM_OK || fail("count_review", t);
		rev[i] = bench_now_ns() - t0;
		nvar = r.nvariances;
		count_review_free(&r);
	}
	if (ok) {
		struct bench_stats rs;
		bench_percentiles(rev, REVIEWS, &rs);
		printf("review open (%zu variance lines)  n=%zu  p50 %.1f ms  max %.1f ms   target < %g ms: %s\n",
		       nvar, rs.n, rs.p50, rs.max, TARGET_REVIEW_MS, rs.max < TARGET_REVIEW_MS ? "MET" : "NOT MET");
	}
	struct journal_check jc;
	t0 = bench_now_ns();
	ok = ok && (journal_verify(st, &jc) == CM_OK ||
	            (fprintf(stderr, "bench_count: journal verify: %s\n", jc.why), false));
	t1 = bench_now_ns();
	if (ok)
		printf("journal verify before the post (%lld events)  %.1f ms\n", (long long)jc.events,
		       ms(t1 - t0));
	struct count_post_result res = { 0 };
	t0 = bench_now_ns();
	ok = ok && (count_post(t, id, &res) == CM_OK || fail("count_post", t));
	t1 = bench_now_ns();
	if (ok)
		printf("post (%lld movements, %lld journal events, one transaction)  %.1f ms   "
		       "target < %g ms: %s\n", (long long)res.movements, (long long)res.events,
		       ms(t1 - t0), TARGET_POST_MS, ms(t1 - t0) < TARGET_POST_MS ? "MET" : "NOT MET");
	if (ok && res.movements != lines) {
		fprintf(stderr, "bench_count: %lld movements posted, %ld expected\n",
		        (long long)res.movements, lines);
		ok = false;
	}
	t0 = bench_now_ns();
	struct count_review r;
	ok = ok && (count_review(t, id, &r) == CM_OK || fail("posted review", t));
	t1 = bench_now_ns();
	if (ok) {
		printf("variance report of the posted count  %.1f ms (%zu lines)\n", ms(t1 - t0),
		       r.nvariances);
		count_review_free(&r);
	}
	t0 = bench_now_ns();
	ok = ok && (journal_verify(st, &jc) == CM_OK ||
	            (fprintf(stderr, "bench_count: journal verify: %s\n", jc.why), false));
	t1 = bench_now_ns();
	if (ok)
		printf("journal verify after the post (%lld events, the count's movements included)  %.1f ms\n",
		       (long long)jc.events, ms(t1 - t0));
	bench_print_footer();
	if (t && till_user(t))
		auth_logout(t);
	till_free(t);
	store_close(st);
	remove_db(work);
	free(codes);
	free(skus);
	return ok ? 0 : 1;
}
