/* Benchmark: does the item the cashier means come up on the first screen?
 *
 * A year of this till's sales is simulated on the benchmark catalogue:
 * 20,000 items sell, with Zipf-like counts (the 1st sells 100,000 times,
 * the k-th 100,000/k), written to item_sales as the sale lines' trigger
 * would. Each query is what a cashier types for an item being sold (drawn
 * by those counts): a few letters of two words of its name ("ind gor",
 * "sab lif"). A hit: the item is among the first SCREEN results of
 * store_item_search, asked for ASKED rows as the till asks. Beside it,
 * raw SQLite FTS5 on the same file: the best SCREEN matches by bm25
 * alone, its hits and its time. Times are wall and this thread's CPU
 * (on a shared machine the wall time is mostly the others' load). A
 * quarter as many queries again are for items never sold here, and as
 * many as the first for sold items as typed so far (the till searches at
 * every key). On a miss it says why: the item inactive, or more sold
 * matches before it.
 *
 *   bench_search_rank [--items N] [--count Q] [--db PATH]   (200,000; 1,000) */
#include "benchutil.h"

#include "store/store.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCREEN 10
#define ASKED 50 /* rows the till's search screen asks for (scr_search.c) */
#define SELLING 20000
#define WARMUP 20

/* Why a query missed, from the raw connection: the item meant is
 * inactive, not matched by the sold items' index, or matched with more
 * sold items before it (the screen's order: sold, then id). */
static const char miss_sql[] =
	"SELECT (SELECT active FROM items WHERE id = ?2), "
	"(SELECT count(*) FROM selling_fts WHERE selling_fts MATCH ?1 AND rowid = ?2), "
	"(SELECT count(*) FROM selling_fts f JOIN item_sales s ON s.item_id = f.rowid "
	" JOIN items i ON i.id = s.item_id WHERE selling_fts MATCH ?1 AND i.active = 1 "
	" AND (s.sold > (SELECT sold FROM item_sales WHERE item_id = ?2) "
	"  OR (s.sold = (SELECT sold FROM item_sales WHERE item_id = ?2) AND s.item_id < ?2)))";

struct misses {
	size_t inactive, unmatched, below;
	size_t below_11_20, below_21_50, below_more;
};

static void miss_why(sqlite3_stmt *ms, const char *fts, int64_t want, struct misses *m)
{
	sqlite3_bind_text(ms, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ms, 2, want);
	if (sqlite3_step(ms) == SQLITE_ROW) {
		int64_t before = sqlite3_column_int64(ms, 2);
		if (!sqlite3_column_int(ms, 0))
			m->inactive++;
		else if (!sqlite3_column_int(ms, 1))
			m->unmatched++;
		else {
			m->below++;
			if (before < 20)
				m->below_11_20++;
			else if (before < 50)
				m->below_21_50++;
			else
				m->below_more++;
		}
	}
	sqlite3_reset(ms);
}

/* CPU time of this thread: wall time on a shared machine is mostly the
 * others' load. */
static int64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The slowest queries, wall and CPU. */
#define WORST 5
struct worst {
	char q[40];
	int64_t wall, cpu;
};

static void worst_add(struct worst *w, const char *q, int64_t wall, int64_t cpu)
{
	size_t i = WORST;
	while (i > 0 && w[i - 1].wall < wall)
		i--;
	if (i == WORST)
		return;
	memmove(&w[i + 1], &w[i], (WORST - 1 - i) * sizeof *w);
	snprintf(w[i].q, sizeof w[i].q, "%s", q);
	w[i].wall = wall;
	w[i].cpu = cpu;
}

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

/* What a cashier has typed so far, as the till searches at each key: one
 * to three words of the name in its order, each cut to 1-8 letters
 * ("k", "ind g", "sab mandi l"). */
static bool query_typing(const char *name, uint64_t *rng, char *q, size_t n)
{
	const char *w[16];
	size_t len[16], nw = 0, o = 0;
	for (const char *p = name; *p && nw < 16;) {
		size_t l = strcspn(p, " ");
		if (l) {
			w[nw] = p;
			len[nw++] = l;
		}
		p += l;
		p += *p == ' ';
	}
	if (!nw)
		return false;
	size_t take = 1 + bench_rand_below(rng, nw < 3 ? nw : 3);
	for (size_t i = 0; i < take && o + 10 < n; i++) {
		size_t l = 1 + bench_rand_below(rng, 8);
		l = l < len[i] ? l : len[i];
		o += (size_t)snprintf(q + o, n - o, "%s%.*s", i ? " " : "", (int)l, w[i]);
	}
	for (char *c = q; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return true;
}

/* The connection and statements the benchmark reads with, beside the
 * store's. */
struct raw {
	sqlite3 *db;
	sqlite3_stmt *bm25, *sold_name, *unsold_name, *why;
};

/* What a run of queries measured. */
struct run {
	const char *label;
	bool typing; /* queries as typed so far (query_typing) */
	size_t n, done, hits, raw_hits;
	int64_t *wall, *cpu, *raw_wall, *raw_cpu;
	char examples[200];
	struct worst worst[WORST + 1];
	struct misses miss;
};

static bool run_init(struct run *r, const char *label, size_t n)
{
	memset(r, 0, sizeof *r);
	r->label = label;
	r->n = n;
	r->wall = calloc(n, sizeof *r->wall);
	r->cpu = calloc(n, sizeof *r->cpu);
	r->raw_wall = calloc(n, sizeof *r->raw_wall);
	r->raw_cpu = calloc(n, sizeof *r->raw_cpu);
	return r->wall && r->cpu && r->raw_wall && r->raw_cpu;
}

static void run_free(struct run *r)
{
	free(r->wall);
	free(r->cpu);
	free(r->raw_wall);
	free(r->raw_cpu);
}

/* The name of item id when the statement has it (a sold item, or an
 * active one never sold). */
static bool name_of(sqlite3_stmt *s, int64_t id, char *name, size_t n)
{
	sqlite3_bind_int64(s, 1, id);
	bool have = sqlite3_step(s) == SQLITE_ROW;
	snprintf(name, n, "%s", have ? (const char *)sqlite3_column_text(s, 0) : "");
	sqlite3_reset(s);
	return have;
}

/* The raw figure: FTS5's best SCREEN by bm25; true when want is there. */
static bool raw_search(struct raw *raw, const char *fts, int64_t want)
{
	bool hit = false;
	sqlite3_bind_text(raw->bm25, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int(raw->bm25, 2, SCREEN);
	while (sqlite3_step(raw->bm25) == SQLITE_ROW)
		hit |= sqlite3_column_int64(raw->bm25, 0) == want;
	sqlite3_reset(raw->bm25);
	return hit;
}

/* One query for want (named name): the engine, then raw, timed. */
static bool run_one(struct run *r, struct store *st, struct raw *raw, const char *q,
                    const char *name, int64_t want, bool timed, bool trace)
{
	char fts[128];
	struct item_rec out[ASKED];
	size_t got = 0;
	bench_fts_text(q, fts, sizeof fts);
	int64_t c0 = cpu_ns(), t0 = bench_now_ns();
	if (store_item_search(st, q, out, ASKED, &got) != CM_OK) {
		fprintf(stderr, "searching '%s': %s\n", q, store_errmsg(st));
		return false;
	}
	int64_t t1 = bench_now_ns(), c1 = cpu_ns();
	bool hit = false;
	for (size_t k = 0; k < got && k < SCREEN; k++)
		hit |= out[k].id == want;
	int64_t c2 = cpu_ns(), t2 = bench_now_ns();
	bool raw_hit = raw_search(raw, fts, want);
	int64_t t3 = bench_now_ns(), c3 = cpu_ns();
	if (!timed)
		return true;
	size_t i = r->done++;
	r->wall[i] = t1 - t0;
	r->cpu[i] = c1 - c0;
	r->raw_wall[i] = t3 - t2;
	r->raw_cpu[i] = c3 - c2;
	worst_add(r->worst, q, t1 - t0, c1 - c0);
	r->hits += hit;
	r->raw_hits += raw_hit;
	if (!hit)
		miss_why(raw->why, fts, want, &r->miss);
	if (trace)
		fprintf(stderr, "%s\t%s\t%s\t%lld\t%d\t%zu\t%.3f\t%.3f\n", r->label, q, name,
		        (long long)want, hit, got, (double)(t1 - t0) / 1e6, (double)(c1 - c0) / 1e6);
	if (i < 4) {
		size_t l = strlen(r->examples);
		snprintf(r->examples + l, sizeof r->examples - l, "%s\"%s\" for %s", i ? ", " : "",
		         q, name);
	}
	return true;
}

/* Queries for items drawn by sales (sales != NULL) or uniformly among the
 * active items never sold. BENCH_SEARCH_TRACE=1: one line a query on
 * stderr (run, query, item, id, hit, rows, wall and CPU ms). */
static bool run_queries(struct run *r, struct store *st, struct raw *raw,
                        const struct sales *sales, long items, uint64_t *rng)
{
	bool trace = getenv("BENCH_SEARCH_TRACE") != NULL;
	size_t tries = 0;
	for (size_t i = 0; r->done < r->n && i < 50 * r->n; i++) {
		int64_t want = sales ? draw(sales, rng) : 1 + (int64_t)bench_rand_below(rng, (uint64_t)items);
		char name[128], q[40];
		if (!name_of(sales ? raw->sold_name : raw->unsold_name, want, name, sizeof name) ||
		    !(r->typing ? query_typing : query_for)(name, rng, q, sizeof q))
			continue;
		if (!run_one(r, st, raw, q, name, want, tries++ >= WARMUP, trace))
			return false;
	}
	return true;
}

static void run_print(const struct run *r)
{
	struct bench_stats e, b, ec, bc;
	bench_percentiles(r->wall, r->done, &e);
	bench_percentiles(r->raw_wall, r->done, &b);
	bench_percentiles(r->cpu, r->done, &ec);
	bench_percentiles(r->raw_cpu, r->done, &bc);
	printf("%s: %s ...\n", r->label, r->examples);
	printf("  first screen (%d rows) holds the item meant: %zu of %zu (%.1f%%); "
	       "raw FTS5 bm25 alone: %zu (%.1f%%)\n", SCREEN, r->hits, r->done,
	       100.0 * (double)r->hits / (double)r->done, r->raw_hits,
	       100.0 * (double)r->raw_hits / (double)r->done);
	printf("  misses: %zu inactive, %zu not in the sold items' index, %zu below other "
	       "sold matches (10-19 before it: %zu, 20-49: %zu, 50+: %zu)\n",
	       r->miss.inactive, r->miss.unmatched, r->miss.below, r->miss.below_11_20,
	       r->miss.below_21_50, r->miss.below_more);
	bench_print_result("  search, wall", &e, &b, 20.0);
	bench_print_result("  search, CPU (user+sys)", &ec, &bc, 20.0);
	printf("  slowest:");
	for (size_t k = 0; k < WORST && r->worst[k].wall; k++)
		printf("%s \"%s\" %.2f ms (CPU %.2f)", k ? "," : "", r->worst[k].q,
		       (double)r->worst[k].wall / 1e6, (double)r->worst[k].cpu / 1e6);
	printf("\n");
}

static bool raw_open(const char *path, struct raw *r)
{
	static const char sold[] = "SELECT name FROM items WHERE id = ?1";
	static const char unsold[] = "SELECT name FROM items WHERE id = ?1 AND active = 1 "
		"AND id NOT IN (SELECT item_id FROM item_sales)";
	memset(r, 0, sizeof *r);
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, raw_sql, -1, &r->bm25, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, sold, -1, &r->sold_name, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, unsold, -1, &r->unsold_name, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, miss_sql, -1, &r->why, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(r->db));
		return false;
	}
	return true;
}

static void raw_close(struct raw *r)
{
	sqlite3_finalize(r->bm25);
	sqlite3_finalize(r->sold_name);
	sqlite3_finalize(r->unsold_name);
	sqlite3_finalize(r->why);
	sqlite3_close(r->db);
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
	struct raw raw;
	if (store_open(o.db, 0, 0, &st, err, sizeof err) != CM_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (!raw_open(o.db, &raw))
		return 1;
	uint64_t rng = o.seed, rng_new = o.seed ^ 0x6e657700ULL;
	struct sales sales;
	if (!simulate_sales(raw.db, o.items, &rng, &sales)) {
		fprintf(stderr, "simulating sales: %s\n", sqlite3_errmsg(raw.db));
		return 1;
	}
	/* A quarter as many queries for items never sold here (a new item):
	 * what the catalogue's index adds. */
	/* And as many as typed so far, letter by letter. */
	struct run sold, unsold, typing;
	uint64_t rng_typing = o.seed ^ 0x74797065ULL;
	size_t n = (size_t)o.count, n_new = n / 4 ? n / 4 : 1;
	if (!run_init(&sold, "items sold here, drawn by sales", n) ||
	    !run_init(&unsold, "items never sold here", n_new) ||
	    !run_init(&typing, "items sold here, as typed so far (1-3 words of 1-8 letters)", n))
		return 1;
	typing.typing = true;
	if (!run_queries(&sold, st, &raw, &sales, o.items, &rng) ||
	    !run_queries(&unsold, st, &raw, NULL, o.items, &rng_new) ||
	    !run_queries(&typing, st, &raw, &sales, o.items, &rng_typing))
		return 1;
	run_print(&sold);
	run_print(&unsold);
	run_print(&typing);
	printf("raw: the best %d by bm25 over the whole catalogue's index (FTS5 alone)\n", SCREEN);
	bench_print_footer();
	run_free(&sold);
	run_free(&unsold);
	run_free(&typing);
	store_close(st);
	raw_close(&raw);
	return 0;
}
