/* Benchmark: a durable 20-line sale commit against the raw commit of the
 * very same rows.
 *
 * Engine: sale_complete() on a rung-up, paid 20-line ticket, everything
 * included (sale number, payload, hash chain, Ed25519 signature, the sale,
 * its lines, taxes, tenders, receipt heading, stock movements and the
 * triggers they fire (stock levels, item sales), the print job, the open
 * ticket deleted, foreign keys, COMMIT with synchronous=FULL).
 *
 * Raw: the rows that commit changed, replayed as plain prepared
 * INSERT/UPDATE/DELETE statements in one BEGIN IMMEDIATE ... COMMIT on a
 * copy of the same database (same tables, same indexes, WAL,
 * synchronous=FULL) with its triggers dropped. The rows are taken with
 * SQLite's session extension on the store's connection, all the time:
 * every change of the store (the ticket being rung up too, untimed) goes
 * to the copy, so the copy is the store as the commit found it and the
 * raw UPDATEs and DELETEs change real rows (the name index's segments
 * too). The session records every row the engine changes, which the
 * engine figure pays: the ratio errs against the engine.
 * The two figures come from the same run, alternating, on the same disk.
 *
 * Prints figures; never fails on time. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "benchutil.h"

#include "engine/sale.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINES 20
#define WARMUP 5
#define MAX_STMTS 64
#define MAX_COLS 64

/* The store's own connection, caught as SQLite opens it. */
static sqlite3 *caught_db;

static int catch_db(sqlite3 *db, char **err, const void *api)
{
	(void)err;
	(void)api;
	caught_db = db;
	return SQLITE_OK;
}

/* CPU time of this thread: what the commit costs apart from the disk. */
static int64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t last_cpu;

_Noreturn static void die(sqlite3 *db, const char *doing)
{
	fprintf(stderr, "bench_commit: %s: %s\n", doing, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

/* One captured row change, values copied out of the changeset. */
struct change {
	sqlite3_stmt *stmt;
	int nvals;
	sqlite3_value *vals[MAX_COLS];
};

struct replay {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit;
	struct { char *sql; sqlite3_stmt *s; } cache[MAX_STMTS];
	int ncache;
	struct change *ch;
	size_t nch, cap;
	int ins, upd, del;
};

static sqlite3_stmt *cached(struct replay *r, const char *sql)
{
	for (int i = 0; i < r->ncache; i++)
		if (strcmp(r->cache[i].sql, sql) == 0)
			return r->cache[i].s;
	if (r->ncache == MAX_STMTS)
		die(NULL, "too many statement shapes");
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
		die(r->db, sql);
	r->cache[r->ncache].sql = strdup(sql);
	r->cache[r->ncache++].s = s;
	return s;
}

static void column_name(struct replay *r, const char *table, int col, char *out, size_t n)
{
	char sql[256];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') WHERE cid = %d", table, col);
	if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		die(r->db, sql);
	snprintf(out, n, "\"%s\"", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static void add(struct change *c, sqlite3_value *v)
{
	if (c->nvals == MAX_COLS)
		die(NULL, "too many columns");
	c->vals[c->nvals++] = sqlite3_value_dup(v);
}

/* Turns one changeset row into a statement and the values to bind. */
static void decode(struct replay *r, sqlite3_changeset_iter *it, struct change *c)
{
	const char *table;
	int ncol, op, indirect, npk;
	unsigned char *pk;
	char sql[4096], name[128];
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	sqlite3changeset_pk(it, &pk, &npk);
	memset(c, 0, sizeof *c);
	size_t len = 0;
	sqlite3_value *v;
	if (op == SQLITE_INSERT) {
		len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO \"%s\" VALUES (", table);
		for (int i = 0; i < ncol; i++) {
			len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?", i ? ", " : "");
			sqlite3changeset_new(it, i, &v);
			add(c, v);
		}
		snprintf(sql + len, sizeof sql - len, ")");
		r->ins++;
	} else {
		if (op == SQLITE_UPDATE) {
			len = (size_t)snprintf(sql, sizeof sql, "UPDATE \"%s\" SET ", table);
			int set = 0;
			for (int i = 0; i < ncol; i++) {
				if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v)
					continue;
				column_name(r, table, i, name, sizeof name);
				len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s = ?",
				                        set++ ? ", " : "", name);
				add(c, v);
			}
			r->upd++;
		} else {
			len = (size_t)snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", table);
			r->del++;
		}
		len += (size_t)snprintf(sql + len, sizeof sql - len, " WHERE ");
		int k = 0;
		for (int i = 0; i < ncol; i++) {
			if (!pk[i])
				continue;
			column_name(r, table, i, name, sizeof name);
			len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s = ?",
			                        k++ ? " AND " : "", name);
			sqlite3changeset_old(it, i, &v);
			add(c, v);
		}
	}
	c->stmt = cached(r, sql);
}

static void free_changes(struct replay *r)
{
	for (size_t i = 0; i < r->nch; i++)
		for (int k = 0; k < r->ch[i].nvals; k++)
			sqlite3_value_free(r->ch[i].vals[k]);
	r->nch = 0;
	r->ins = r->upd = r->del = 0;
}

/* Takes what the session recorded, and starts a new session. */
static void take(struct replay *r, sqlite3_session **sess)
{
	int n = 0;
	void *buf = NULL;
	sqlite3_changeset_iter *it = NULL;
	if (sqlite3session_changeset(*sess, &n, &buf) != SQLITE_OK ||
	    sqlite3changeset_start(&it, n, buf) != SQLITE_OK)
		die(caught_db, "reading the changeset");
	free_changes(r);
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		if (r->nch == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 256;
			r->ch = realloc(r->ch, r->cap * sizeof *r->ch);
			if (!r->ch)
				die(NULL, "out of memory");
		}
		decode(r, it, &r->ch[r->nch++]);
	}
	sqlite3changeset_finalize(it);
	sqlite3_free(buf);
	sqlite3session_delete(*sess);
	if (sqlite3session_create(caught_db, "main", sess) != SQLITE_OK ||
	    sqlite3session_attach(*sess, NULL) != SQLITE_OK)
		die(caught_db, "starting a session");
}

static void step_done(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die(db, sqlite3_sql(s));
	sqlite3_reset(s);
}

/* The taken rows in one durable transaction; returns its time. */
static int64_t apply(struct replay *r)
{
	int64_t c0 = cpu_ns(), t0 = bench_now_ns();
	step_done(r->db, r->begin);
	for (size_t i = 0; i < r->nch; i++) {
		struct change *c = &r->ch[i];
		for (int k = 0; k < c->nvals; k++)
			sqlite3_bind_value(c->stmt, k + 1, c->vals[k]);
		step_done(r->db, c->stmt);
	}
	step_done(r->db, r->commit);
	int64_t t = bench_now_ns() - t0;
	last_cpu = cpu_ns() - c0;
	return t;
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

/* A copy of the store as it is now, without its triggers. */
static void replay_open(struct replay *r, const char *copy)
{
	char sql[1200];
	static const char *const sfx[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql, "%s%s", copy, sfx[i]);
		unlink(sql);
	}
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", copy);
	exec(caught_db, sql);
	if (sqlite3_open_v2(copy, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(r->db, copy);
	exec(r->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(r->db, "SELECT name FROM sqlite_master WHERE type = 'trigger'",
	                       -1, &s, NULL) != SQLITE_OK)
		die(r->db, "listing triggers");
	char names[128][64];
	int n = 0;
	while (n < 128 && sqlite3_step(s) == SQLITE_ROW)
		snprintf(names[n++], sizeof names[0], "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"", names[i]);
		exec(r->db, sql);
	}
	r->begin = cached(r, "BEGIN IMMEDIATE");
	r->commit = cached(r, "COMMIT");
}

static void replay_close(struct replay *r, const char *copy)
{
	free_changes(r);
	free(r->ch);
	for (int i = 0; i < r->ncache; i++) {
		sqlite3_finalize(r->cache[i].s);
		free(r->cache[i].sql);
	}
	sqlite3_close(r->db);
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char p[1200];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", copy, sfx[i]);
		unlink(p);
	}
}

/* Rings up LINES different lines and pays; the sale is ready to complete. */
static struct sale *ring_up(struct bench_session *bs, char (*codes)[16], size_t ncodes,
                            uint64_t *rng)
{
	struct sale *s;
	if (sale_open(bs->t, &s) != CM_OK) {
		fprintf(stderr, "opening a ticket: %s\n", till_errmsg(bs->t));
		exit(1);
	}
	while (sale_line_count(s) < LINES) {
		const char *bc = codes[bench_rand_below(rng, ncodes)];
		if (sale_scan(s, bc, 0) != CM_OK) {
			fprintf(stderr, "scanning %s: %s\n", bc, sale_errmsg(s));
			exit(1);
		}
	}
	cm_money cash = sale_cash_due(s);
	enum cm_rc rc = cash <= till_config(bs->t)->cash_ceiling
		? sale_add_tender(s, TENDER_CASH, cash, NULL)
		: sale_add_tender(s, TENDER_DEBIT, sale_noncash_due(s), "APPR1234");
	if (rc != CM_OK) {
		fprintf(stderr, "paying: %s\n", sale_errmsg(s));
		exit(1);
	}
	return s;
}

static int64_t complete(struct sale *s)
{
	struct sale_result res;
	int64_t c0 = cpu_ns(), t0 = bench_now_ns();
	enum cm_rc rc = sale_complete(s, &res);
	int64_t t = bench_now_ns() - t0;
	last_cpu = cpu_ns() - c0;
	if (rc != CM_OK) {
		fprintf(stderr, "completing: %s (%s)\n", sale_errmsg(s), cm_rc_name(rc));
		exit(1);
	}
	sale_free(s);
	return t;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "commit: a 20-line sale commit beside the raw commit "
	                      "of the same rows", 200, 30, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_commit", &o);

	char (*codes)[16];
	size_t ncodes;
	struct bench_session bs;
	if (!bench_load_barcodes(o.db, &codes, &ncodes))
		return 1;
	sqlite3_auto_extension((void (*)(void))catch_db);
	bool opened = bench_session_open(o.db, &bs);
	sqlite3_cancel_auto_extension((void (*)(void))catch_db);
	if (!opened || !caught_db)
		return 1;

	struct replay r;
	char copy[1100];
	memset(&r, 0, sizeof r);
	snprintf(copy, sizeof copy, "%s.raw-%ld", o.db, (long)getpid());
	replay_open(&r, copy);
	sqlite3_session *sess;
	if (sqlite3session_create(caught_db, "main", &sess) != SQLITE_OK ||
	    sqlite3session_attach(sess, NULL) != SQLITE_OK)
		die(caught_db, "starting a session");

	size_t n = (size_t)o.count;
	int64_t *eng = calloc(n, sizeof *eng), *raw = calloc(n, sizeof *raw);
	int64_t *ecpu = calloc(n, sizeof *ecpu), *rcpu = calloc(n, sizeof *rcpu);
	if (!eng || !raw || !ecpu || !rcpu)
		return 1;
	uint64_t rng = o.seed;
	int ins = 0, upd = 0, del = 0;
	int64_t changed = 0;
	for (size_t i = 0; i < n + WARMUP; i++) {
		/* The ticket's rows go to the copy untimed, so that the copy is
		 * the store as the commit finds it; the commit's rows, timed. */
		struct sale *s = ring_up(&bs, codes, ncodes, &rng);
		take(&r, &sess);
		apply(&r);
		int64_t before = sqlite3_total_changes64(caught_db);
		int64_t te = complete(s), ce = last_cpu;
		changed = sqlite3_total_changes64(caught_db) - before;
		take(&r, &sess);
		ins = r.ins, upd = r.upd, del = r.del;
		int64_t tr = apply(&r);
		if (i >= WARMUP) {
			eng[i - WARMUP] = te;
			raw[i - WARMUP] = tr;
			ecpu[i - WARMUP] = ce;
			rcpu[i - WARMUP] = last_cpu;
		}
	}
	sqlite3session_delete(sess);

	struct bench_stats es, rs;
	bench_percentiles(eng, n, &es);
	bench_percentiles(raw, n, &rs);
	double ratio = rs.p50 > 0 ? es.p50 / rs.p50 : 0.0;
	printf("sale commit (20 lines)  n=%zu  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms   "
	       "raw same rows p50 %.3f ms  p90 %.3f ms  p99 %.3f ms   ratio p50 %.2fx   "
	       "target p50 <= 2x raw: %s\n",
	       es.n, es.p50, es.p90, es.p99, rs.p50, rs.p90, rs.p99, ratio,
	       ratio <= 2.0 ? "MET" : "NOT MET");
	bench_percentiles(ecpu, n, &es);
	bench_percentiles(rcpu, n, &rs);
	printf("  CPU time of the commit (the disk apart): p50 %.3f ms  p90 %.3f ms   "
	       "raw same rows p50 %.3f ms  p90 %.3f ms   ratio p50 %.2fx\n",
	       es.p50, es.p90, rs.p50, rs.p90, rs.p50 > 0 ? es.p50 / rs.p50 : 0.0);
	printf("  raw rows per commit: %d inserted, %d updated, %d deleted (session extension, "
	       "replayed prepared on a trigger-less copy, WAL, synchronous=FULL); the engine's "
	       "statements changed %lld rows (triggers included); %d warm-up sales\n",
	       ins, upd, del, (long long)changed, WARMUP);
	bench_print_footer();

	replay_close(&r, copy);
	bench_session_close(&bs);
	free(codes);
	free(eng);
	free(raw);
	free(ecpu);
	free(rcpu);
	return 0;
}
