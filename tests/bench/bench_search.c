/* Benchmark: name search for a two-word prefix ("ind gor", "ber pre").
 *
 * Times store_item_search() with a limit of 20 results, for queries made
 * from the words of random catalogue items. Next to it, the raw SQLite
 * FTS5 figure for the same MATCH text on the same file: the index alone,
 * best 20 by rank. */
#include "benchutil.h"

#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 20
#define WARMUP 20
#define TARGET_MS 20.0

static const char raw_sql[] =
	"SELECT rowid, name FROM items_fts WHERE items_fts MATCH ?1 ORDER BY rank LIMIT ?2";

static int64_t raw_search(sqlite3_stmt *s, const char *fts, size_t *rows)
{
	char name[96];
	int64_t t0 = bench_now_ns();
	sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, LIMIT);
	int rc;
	*rows = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(s, 1));
		(*rows)++;
	}
	sqlite3_reset(s);
	int64_t t1 = bench_now_ns();
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "raw search %s failed (%d)\n", fts, rc);
		exit(1);
	}
	return t1 - t0;
}

/* How many items a query matches (for the slowest ones). */
static long matches(sqlite3 *db, const char *q)
{
	char fts[96];
	sqlite3_stmt *s = NULL;
	long n = -1;
	bench_fts_text(q, fts, sizeof fts);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?1",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int(s, 0);
	}
	sqlite3_finalize(s);
	return n;
}

/* The three slowest engine searches with their number of matches. */
static void print_slowest(const int64_t *ns, char (*queries)[32], size_t n, sqlite3 *db)
{
	size_t top[3] = { 0, 0, 0 };
	size_t ntop = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = ntop < 3 ? ntop++ : 3;
		while (k > 0 && ns[top[k - 1]] < ns[i]) {
			if (k < 3)
				top[k] = top[k - 1];
			k--;
		}
		if (k < 3)
			top[k] = i;
	}
	printf("  slowest:");
	for (size_t k = 0; k < ntop; k++)
		printf("%s \"%s\" %.3f ms (%ld matches)", k ? "," : "", queries[top[k]],
		       (double)ns[top[k]] / 1e6, matches(db, queries[top[k]]));
	printf("\n");
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "search: two-word prefix name search, 20 results",
	                      1000, 200, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_search", &o);

	char err[320];
	struct store *st;
	enum cm_rc rc = store_open(o.db, 0, 0, &st, err, sizeof err);
	if (rc != CM_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	sqlite3 *raw = NULL;
	sqlite3_stmt *rs = NULL;
	if (sqlite3_open_v2(o.db, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(raw, raw_sql, -1, SQLITE_PREPARE_PERSISTENT, &rs, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(raw));
		return 1;
	}

	size_t n = (size_t)o.count;
	int64_t *eng = calloc(n, sizeof *eng), *base = calloc(n, sizeof *base);
	struct item_rec *out = calloc(LIMIT, sizeof *out);
	if (!eng || !base || !out)
		return 1;
	char (*queries)[32] = calloc(n, sizeof *queries);
	if (!queries)
		return 1;
	uint64_t rng = o.seed;
	size_t total = 0, empty = 0;
	char examples[160] = "";
	for (size_t i = 0; i < n + WARMUP; i++) {
		char q[32], fts[96];
		bench_make_query(o.items, &rng, q, sizeof q);
		bench_fts_text(q, fts, sizeof fts);
		size_t got = 0, rows;
		int64_t t0 = bench_now_ns();
		rc = store_item_search(st, q, out, LIMIT, &got);
		int64_t t1 = bench_now_ns();
		if (rc != CM_OK) {
			fprintf(stderr, "searching '%s': %s\n", q, store_errmsg(st));
			return 1;
		}
		int64_t r = raw_search(rs, fts, &rows);
		if (i < WARMUP)
			continue;
		eng[i - WARMUP] = t1 - t0;
		base[i - WARMUP] = r;
		snprintf(queries[i - WARMUP], sizeof queries[0], "%s", q);
		total += got;
		empty += got == 0;
		if (i - WARMUP < 6) {
			size_t len = strlen(examples);
			snprintf(examples + len, sizeof examples - len, "%s\"%s\"", len ? ", " : "", q);
		}
	}

	struct bench_stats es, rstats;
	bench_percentiles(eng, n, &es);
	bench_percentiles(base, n, &rstats);
	bench_print_result("search (2-word prefix)", &es, &rstats, TARGET_MS);
	printf("  queries like %s; %.1f results per query on average (limit %d), %zu with none; "
	       "raw: FTS5 MATCH ORDER BY rank alone; %d warm-up queries\n",
	       examples, (double)total / (double)n, LIMIT, empty, WARMUP);
	print_slowest(eng, queries, n, raw);
	bench_print_footer();

	sqlite3_finalize(rs);
	sqlite3_close(raw);
	store_close(st);
	free(out);
	free(queries);
	free(eng);
	free(base);
	return 0;
}
