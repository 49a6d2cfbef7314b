/* Benchmark: completing a 20-line sale durably.
 *
 * Each sale is rung up (20 scans) and paid (not timed); sale_complete() is
 * timed: sale number, journal event with its hash chain, the sale, its
 * lines, tax rows, stock movements and tenders, the open ticket deleted,
 * and the COMMIT with synchronous=FULL (the fsync). Next to it, the raw
 * SQLite floor for a write of the same shape: BEGIN IMMEDIATE, 1 header +
 * 20 lines + 1 journal row + 20 movements, COMMIT, WAL with
 * synchronous=FULL, on a scratch database beside the catalogue (same file
 * system, same disk). */
#include "benchutil.h"

#include "engine/sale.h"

#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINES 20
#define WARMUP 5
#define TARGET_MS 15.0

static const char raw_schema[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS sales(id INTEGER PRIMARY KEY, receipt_no TEXT NOT NULL UNIQUE,"
	" terminal_id TEXT, cashier_id INTEGER, opened_at INTEGER, completed_at INTEGER,"
	" business_date INTEGER, gross INTEGER, total INTEGER, due INTEGER, paid INTEGER,"
	" change INTEGER, journal_seq INTEGER);"
	"CREATE TABLE IF NOT EXISTS sale_lines(sale_id INTEGER, line_no INTEGER, item_id INTEGER,"
	" sku TEXT, barcode TEXT, name TEXT, unit_price INTEGER, qty INTEGER, amount INTEGER,"
	" net INTEGER, PRIMARY KEY (sale_id, line_no)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY, type TEXT, at INTEGER,"
	" payload TEXT, hash BLOB);"
	"CREATE TABLE IF NOT EXISTS stock_movements(id INTEGER PRIMARY KEY, item_id INTEGER,"
	" qty INTEGER, kind TEXT, ref TEXT, at INTEGER);";

struct raw {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *head, *line, *journal, *move;
	char path[1100];
	char payload[3200];
};

static sqlite3_stmt *prep(struct raw *r, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(r->db));
		exit(1);
	}
	return s;
}

static void raw_open(struct raw *r, const char *catalogue)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", catalogue);
	snprintf(r->path, sizeof r->path, "%s/coopmart-bench-raw-%ld.db", dirname(dir), (long)getpid());
	unlink(r->path);
	if (sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(r->db, raw_schema, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite %s: %s\n", r->path, sqlite3_errmsg(r->db));
		exit(1);
	}
	r->begin = prep(r, "BEGIN IMMEDIATE");
	r->commit = prep(r, "COMMIT");
	r->head = prep(r, "INSERT INTO sales(id, receipt_no, terminal_id, cashier_id, opened_at,"
	               " completed_at, business_date, gross, total, due, paid, change, journal_seq)"
	               " VALUES (?1, ?2, 'T01', 3, ?3, ?3, 20250101, ?4, ?4, ?4, ?4, 0, ?1)");
	r->line = prep(r, "INSERT INTO sale_lines VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1000, ?7, ?7)");
	r->journal = prep(r, "INSERT INTO journal(seq, type, at, payload, hash) VALUES (?1, 'sale', ?2, ?3, ?4)");
	r->move = prep(r, "INSERT INTO stock_movements(item_id, qty, kind, ref, at) VALUES (?1, -1000, 'sale', ?2, ?3)");
	/* About the size of a 20-line sale's journal payload. */
	memset(r->payload, 'x', sizeof r->payload - 1);
	r->payload[sizeof r->payload - 1] = '\0';
}

static void step_done(struct raw *r, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(r->db));
		exit(1);
	}
	sqlite3_reset(s);
}

/* One sale-shaped durable transaction; returns its time. */
static int64_t raw_sale(struct raw *r, int64_t id)
{
	char receipt[32], sku[32];
	static const uint8_t hash[32];
	int64_t t0 = bench_now_ns();
	step_done(r, r->begin);
	snprintf(receipt, sizeof receipt, "T01-%06lld", (long long)id);
	sqlite3_bind_int64(r->head, 1, id);
	sqlite3_bind_text(r->head, 2, receipt, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r->head, 3, 1735700000 + id);
	sqlite3_bind_int64(r->head, 4, 250000);
	step_done(r, r->head);
	for (int i = 1; i <= LINES; i++) {
		snprintf(sku, sizeof sku, "MIE-%06d", i);
		sqlite3_bind_int64(r->line, 1, id);
		sqlite3_bind_int(r->line, 2, i);
		sqlite3_bind_int64(r->line, 3, i);
		sqlite3_bind_text(r->line, 4, sku, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(r->line, 5, "8991234567890", -1, SQLITE_STATIC);
		sqlite3_bind_text(r->line, 6, "Indomie Goreng Rendang 91g", -1, SQLITE_STATIC);
		sqlite3_bind_int64(r->line, 7, 3500);
		step_done(r, r->line);
	}
	sqlite3_bind_int64(r->journal, 1, id);
	sqlite3_bind_int64(r->journal, 2, 1735700000 + id);
	sqlite3_bind_text(r->journal, 3, r->payload, -1, SQLITE_STATIC);
	sqlite3_bind_blob(r->journal, 4, hash, sizeof hash, SQLITE_STATIC);
	step_done(r, r->journal);
	for (int i = 1; i <= LINES; i++) {
		sqlite3_bind_int64(r->move, 1, i);
		sqlite3_bind_text(r->move, 2, receipt, -1, SQLITE_STATIC);
		sqlite3_bind_int64(r->move, 3, 1735700000 + id);
		step_done(r, r->move);
	}
	step_done(r, r->commit);
	return bench_now_ns() - t0;
}

static void raw_close(struct raw *r)
{
	sqlite3_stmt *all[] = { r->begin, r->commit, r->head, r->line, r->journal, r->move };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		sqlite3_finalize(all[i]);
	sqlite3_close(r->db);
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char p[1200];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", r->path, sfx[i]);
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

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "complete: a 20-line sale completed durably",
	                      300, 30, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_complete", &o);

	char (*codes)[16];
	size_t ncodes;
	struct bench_session bs;
	if (!bench_load_barcodes(o.db, &codes, &ncodes) || !bench_session_open(o.db, &bs))
		return 1;
	struct raw r;
	memset(&r, 0, sizeof r);
	raw_open(&r, o.db);

	size_t n = (size_t)o.count;
	int64_t *eng = calloc(n, sizeof *eng), *base = calloc(n, sizeof *base);
	if (!eng || !base)
		return 1;
	uint64_t rng = o.seed;
	/* Engine and raw sales alternate so that both see the same load. */
	for (size_t i = 0; i < n + WARMUP; i++) {
		struct sale *s = ring_up(&bs, codes, ncodes, &rng);
		struct sale_result res;
		int64_t t0 = bench_now_ns();
		enum cm_rc rc = sale_complete(s, &res);
		int64_t t1 = bench_now_ns();
		if (rc != CM_OK) {
			fprintf(stderr, "completing: %s (%s)\n", sale_errmsg(s), cm_rc_name(rc));
			return 1;
		}
		sale_free(s);
		int64_t rt = raw_sale(&r, (int64_t)i + 1);
		if (i >= WARMUP) {
			eng[i - WARMUP] = t1 - t0;
			base[i - WARMUP] = rt;
		}
	}

	struct bench_stats es, rstats;
	bench_percentiles(eng, n, &es);
	bench_percentiles(base, n, &rstats);
	bench_print_result("complete (20-line sale)", &es, &rstats, TARGET_MS);
	printf("  engine: sale_complete incl. journal hash chain and COMMIT with fsync; "
	       "raw: BEGIN IMMEDIATE + 1+20+1+20 inserts + COMMIT, WAL, synchronous=FULL "
	       "(scratch db %s); %d warm-up sales\n", r.path, WARMUP);
	bench_print_footer();

	raw_close(&r);
	bench_session_close(&bs);
	free(codes);
	free(eng);
	free(base);
	return 0;
}
