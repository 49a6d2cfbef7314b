/* Benchmark: does the item the cashier means come up on the first screen?
 *
 * A year of this till's sales is simulated on the benchmark catalogue:
 * 20,000 items sell, with Zipf-like counts (the 1st sells 100,000 times,
 * the k-th 100,000/k), written to item_sales as the sale lines' trigger
 * would. Each query is what a cashier types for an item being sold (drawn
 * by those counts): a few letters of two words of its name ("ind gor",
 * "sab lif"). A hit: the item is among the first SCREEN results of
 * store_item_search. Beside it, raw SQLite FTS5 on the same file: the best
 * SCREEN matches by bm25 alone, its hits and its time.
 *
 *   bench_search_rank [--items N] [--count Q] [--db PATH]   (200,000; 1,000) */
#include "benchutil.h"

#include "store/store.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN 10
#define SELLING 20000
#define WARMUP 20

static const char raw_sql[] =
	"SELECT rowid FROM items_fts WHERE items_fts MATCH ?1 ORDER BY rank LIMIT ?2";

/* The selling items' ids and their cumulative counts, for drawing. */
struct sales {
	int64_t *id;
	double *cum;
	size_t n;
};

static bool simulate_sales(sqlite3 *db, long items, uint64_t *rng, struct sales *s)
{
	s->n = items < SELLING ? (size_t)items : SELLING;
	s->id = calloc(s->n, sizeof *s->id);
	s->cum = calloc(s->n, sizeof *s->cum);
	if (!s->id || !s->cum)
		return false;
	sqlite3_stmt *ins;
	if (sqlite3_exec(db, "BEGIN; DELETE FROM item_sales", 0, 0, 0) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO item_sales(item_id, sold) "
	                       "SELECT id, ?2 FROM items WHERE id = ?1", -1, &ins, 0) != SQLITE_OK)
		return false;
	double total = 0;
	for (size_t k = 0; k < s->n; k++) {
		s->id[k] = 1 + (int64_t)bench_rand_below(rng, (uint64_t)items);
		int64_t sold = 100000 / (int64_t)(k + 1) + 1;
		sqlite3_bind_int64(ins, 1, s->id[k]);
		sqlite3_bind_int64(ins, 2, sold);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		total += (double)sold;
		s->cum[k] = total;
	}
	sqlite3_finalize(ins);
	return sqlite3_exec(db, "COMMIT", 0, 0, 0) == SQLITE_OK;
}

static int64_t draw(const struct sales *s, uint64_t *rng)
{
	double x = (double)bench_rand_below(rng, 1u << 30) / (double)(1u << 30) * s->cum[s->n - 1];
	size_t lo = 0, hi = s->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->cum[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s->id[lo];
}

/* Two words of the name, 3-5 letters of each, as typed. */
static bool query_for(const char *name, uint64_t *rng, char *q, size_t n)
{
	const char *w[16];
	size_t len[16], nw = 0;
	for (const char *p = name; *p && nw < 16;) {
		size_t l = strcspn(p, " ");
		bool alpha = l >= 3;
		for (size_t i = 0; i < l && alpha; i++)
			alpha = isalpha((unsigned char)p[i]);
		if (alpha) {
			w[nw] = p;
			len[nw++] = l;
		}
		p += l;
		p += *p == ' ';
	}
	if (nw < 2)
		return false;
	size_t b = bench_rand_below(rng, 10) < 7 ? 1 : 1 + bench_rand_below(rng, nw - 1);
	int l0 = (int)(3 + bench_rand_below(rng, 3)), l1 = (int)(3 + bench_rand_below(rng, 3));
	snprintf(q, n, "%.*s %.*s", l0 < (int)len[0] ? l0 : (int)len[0], w[0],
	         l1 < (int)len[b] ? l1 : (int)len[b], w[b]);
	for (char *c = q; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return true;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "search ranking: first-screen hits", 1000, 200, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_search_rank", &o);
	char err[320];
	struct store *st;
	if (store_open(o.db, 0, 0, &st, err, sizeof err) != CM_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	sqlite3 *raw = NULL;
	sqlite3_stmt *rs = NULL, *nm = NULL;
	if (sqlite3_open_v2(o.db, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, raw_sql, -1, &rs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "SELECT name FROM items WHERE id = ?1", -1, &nm, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(raw));
		return 1;
	}
	uint64_t rng = o.seed;
	struct sales sales;
	if (!simulate_sales(raw, o.items, &rng, &sales)) {
		fprintf(stderr, "simulating sales: %s\n", sqlite3_errmsg(raw));
		return 1;
	}
	size_t n = (size_t)o.count, hits = 0, raw_hits = 0, done = 0;
	int64_t *eng = calloc(n, sizeof *eng), *base = calloc(n, sizeof *base);
	struct item_rec out[SCREEN];
	char examples[200] = "", slowest[40] = "";
	int64_t slowest_ns = 0;
	for (size_t i = 0; done < n && i < 50 * n; i++) {
		int64_t want = draw(&sales, &rng);
		char name[128], q[40], fts[128];
		sqlite3_bind_int64(nm, 1, want);
		bool have = sqlite3_step(nm) == SQLITE_ROW;
		snprintf(name, sizeof name, "%s", have ? (const char *)sqlite3_column_text(nm, 0) : "");
		sqlite3_reset(nm);
		if (!have || !query_for(name, &rng, q, sizeof q))
			continue;
		bench_fts_text(q, fts, sizeof fts);
		size_t got = 0;
		int64_t t0 = bench_now_ns();
		if (store_item_search(st, q, out, SCREEN, &got) != CM_OK) {
			fprintf(stderr, "searching '%s': %s\n", q, store_errmsg(st));
			return 1;
		}
		int64_t t1 = bench_now_ns();
		bool hit = false, raw_hit = false;
		for (size_t k = 0; k < got; k++)
			hit |= out[k].id == want;
		sqlite3_bind_text(rs, 1, fts, -1, SQLITE_STATIC);
		sqlite3_bind_int(rs, 2, SCREEN);
		while (sqlite3_step(rs) == SQLITE_ROW)
			raw_hit |= sqlite3_column_int64(rs, 0) == want;
		sqlite3_reset(rs);
		int64_t t2 = bench_now_ns();
		if (i < WARMUP)
			continue;
		eng[done] = t1 - t0;
		if (t1 - t0 > slowest_ns) {
			slowest_ns = t1 - t0;
			snprintf(slowest, sizeof slowest, "%s", q);
		}
		base[done] = t2 - t1;
		hits += hit;
		raw_hits += raw_hit;
		if (done < 4) {
			size_t l = strlen(examples);
			snprintf(examples + l, sizeof examples - l, "%s\"%s\" for %s", done ? ", " : "",
			         q, name);
		}
		done++;
	}
	struct bench_stats e, r;
	bench_percentiles(eng, done, &e);
	bench_percentiles(base, done, &r);
	printf("queries: %s ...\n", examples);
	printf("first screen (%d rows) holds the item meant: %zu of %zu (%.1f%%); "
	       "raw FTS5 bm25 alone: %zu (%.1f%%)\n", SCREEN, hits, done,
	       100.0 * (double)hits / (double)done, raw_hits, 100.0 * (double)raw_hits / (double)done);
	bench_print_result("search (what sells first)", &e, &r, 20.0);
	printf("  slowest: \"%s\" %.3f ms; raw: the best %d by bm25 over the whole catalogue's "
	       "index (FTS5 alone)\n", slowest, (double)slowest_ns / 1e6, SCREEN);
	bench_print_footer();
	store_close(st);
	sqlite3_finalize(rs);
	sqlite3_finalize(nm);
	sqlite3_close(raw);
	return 0;
}
