/* Benchmark: applying a big staged catalogue pull (store_sync_apply, which
 * builds the new catalogue beside the live one in short steps and
 * switches it in: store_catgen.c), phase by phase, with the longest
 * write transaction it held. Next to it, the raw SQLite figure on a file
 * of its own: the same rows inserted into the same tables (items,
 * barcodes, categories, suppliers) in one prepared-statement transaction
 * and the FTS5 name index rebuilt, synchronous=FULL as the till runs.
 *
 *   bench_catgen [--items N] [--db PATH]      (200,000 items; a scratch db)
 *
 * The staged rows are bench_item_make's (every item new), so this is a
 * first pull without the network. */
#include "benchutil.h"

#include "store/store.h"
#include "store/store_sync.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct phases {
	const char *what;
	int64_t t0, last, longest_gap;
	int64_t start;
};

/* Called after every step: the time between two calls is one step's
 * transaction plus its pause. */
static void on_progress(const char *what, int64_t done, int64_t total, void *ctx)
{
	struct phases *p = ctx;
	int64_t now = bench_now_ns();
	(void)total;
	if (what != p->what) {
		if (p->what)
			printf("  %-24s %7.2f s, longest step with its pause %.1f ms\n", p->what,
			       (double)(now - p->t0) / 1e9, (double)p->longest_gap / 1e6);
		p->what = what;
		p->t0 = p->last = now;
		p->longest_gap = 0;
	}
	if (now - p->last > p->longest_gap)
		p->longest_gap = now - p->last;
	p->last = now;
	(void)done;
}

static bool stage(struct store *st, long n)
{
	struct sync_pull p = { .since = 0, .upto = 7 };
	for (long i = 0; i < n; i += 1000) {
		if (store_begin_relaxed(st) != CM_OK)
			return false;
		if (i == 0 && store_sync_stage_reset(st, SYNC_CATALOGUE) != CM_OK)
			return false;
		for (long k = i; k < n && k < i + 1000; k++) {
			struct item_rec it;
			char codes[8][16];
			size_t nc;
			bench_item_make(k, &it, codes, &nc);
			if (store_sync_stage_item(st, p.upto, &it, (const char (*)[16])codes, nc, 7) != CM_OK)
				return false;
			p.rows++;
		}
		snprintf(p.next, sizeof p.next, "%s", i + 1000 < n ? "more" : "");
		if (store_sync_stage_page(st, SYNC_CATALOGUE, &p) != CM_OK || store_commit(st) != CM_OK)
			return false;
	}
	return true;
}

static const char raw_schema[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	"CREATE TABLE categories(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE suppliers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE items(id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" receipt_name TEXT NOT NULL, unit TEXT NOT NULL, weighed INTEGER NOT NULL, price INTEGER NOT NULL,"
	" member_price INTEGER NOT NULL, tax_class INTEGER NOT NULL, category_id INTEGER, supplier_id INTEGER,"
	" plu INTEGER UNIQUE, active INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE TABLE barcodes(code TEXT PRIMARY KEY, item_id INTEGER NOT NULL, pack_qty INTEGER NOT NULL"
	" DEFAULT 1000, UNIQUE (item_id, code)) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE items_fts USING fts5(name, sku, content = 'items', content_rowid = 'id',"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');";

static int64_t raw_ref(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *sel, const char *name)
{
	sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
	sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_bind_text(sel, 1, name, -1, SQLITE_STATIC);
	int64_t id = sqlite3_step(sel) == SQLITE_ROW ? sqlite3_column_int64(sel, 0) : 0;
	sqlite3_reset(sel);
	(void)db;
	return id;
}

/* Seconds for raw SQLite to load the same rows; < 0 on failure. */
static double raw_load(const char *path, long n)
{
	sqlite3 *db;
	sqlite3_stmt *ci, *cs, *si, *ss, *item, *code;
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_exec(db, raw_schema, 0, 0, 0) != SQLITE_OK)
		return -1;
	int64_t t0 = bench_now_ns();
	sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO categories(name) VALUES (?1)", -1, &ci, 0);
	sqlite3_prepare_v2(db, "SELECT id FROM categories WHERE name = ?1", -1, &cs, 0);
	sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO suppliers(name) VALUES (?1)", -1, &si, 0);
	sqlite3_prepare_v2(db, "SELECT id FROM suppliers WHERE name = ?1", -1, &ss, 0);
	sqlite3_prepare_v2(db, "INSERT INTO items(sku, name, receipt_name, unit, weighed, price, "
	                   "member_price, tax_class, category_id, supplier_id, active, updated_at) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, 0)", -1, &item, 0);
	sqlite3_prepare_v2(db, "INSERT INTO barcodes(code, item_id) VALUES (?1, ?2)", -1, &code, 0);
	sqlite3_exec(db, "BEGIN", 0, 0, 0);
	for (long i = 0; i < n; i++) {
		struct item_rec it;
		char codes[8][16];
		size_t nc;
		bench_item_make(i, &it, codes, &nc);
		sqlite3_bind_text(item, 1, it.sku, -1, SQLITE_STATIC);
		sqlite3_bind_text(item, 2, it.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(item, 3, it.receipt_name[0] ? it.receipt_name : it.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(item, 4, it.unit[0] ? it.unit : "pcs", -1, SQLITE_STATIC);
		sqlite3_bind_int(item, 5, it.weighed);
		sqlite3_bind_int64(item, 6, it.price);
		sqlite3_bind_int64(item, 7, it.member_price);
		sqlite3_bind_int(item, 8, it.tax);
		sqlite3_bind_int64(item, 9, raw_ref(db, ci, cs, it.category));
		sqlite3_bind_int64(item, 10, raw_ref(db, si, ss, it.supplier));
		sqlite3_step(item);
		sqlite3_reset(item);
		int64_t id = sqlite3_last_insert_rowid(db);
		for (size_t k = 0; k < nc; k++) {
			sqlite3_bind_text(code, 1, codes[k], -1, SQLITE_STATIC);
			sqlite3_bind_int64(code, 2, id);
			sqlite3_step(code);
			sqlite3_reset(code);
		}
	}
	sqlite3_exec(db, "INSERT INTO items_fts(items_fts) VALUES ('rebuild')", 0, 0, 0);
	int rc = sqlite3_exec(db, "COMMIT", 0, 0, 0);
	double secs = (double)(bench_now_ns() - t0) / 1e9;
	sqlite3_stmt *all[] = { ci, cs, si, ss, item, code };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		sqlite3_finalize(all[i]);
	sqlite3_close(db);
	return rc == SQLITE_OK ? secs : -1;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int ex;
	if (!bench_parse_args(argc, argv, "bench_catgen", 1, 1, &o, &ex))
		return ex;
	char db[1100], raw[1200], err[300];
	snprintf(db, sizeof db, "%s", o.db[0] ? o.db : "/tmp/bench_catgen.db");
	snprintf(raw, sizeof raw, "%s.raw", db);
	bench_print_header("catalogue pull apply, built beside the live catalogue", &o);
	for (const char *sfx = ""; sfx; sfx = *sfx ? NULL : "-wal") {
		char f[1200];
		snprintf(f, sizeof f, "%s%s", db, sfx);
		unlink(f);
	}
	struct store *st;
	if (store_open(db, STORE_CREATE, 0, &st, err, sizeof err) != CM_OK) {
		fprintf(stderr, "bench_catgen: %s\n", err);
		return 1;
	}
	int64_t t0 = bench_now_ns();
	if (!stage(st, o.items)) {
		fprintf(stderr, "bench_catgen: staging: %s\n", store_errmsg(st));
		return 1;
	}
	printf("staged %ld rows (1,000 a transaction) in %.2f s\n", o.items,
	       (double)(bench_now_ns() - t0) / 1e9);
	struct phases ph = { 0 };
	store_set_progress(st, on_progress, &ph);
	struct sync_applied a;
	t0 = bench_now_ns();
	enum cm_rc rc = store_sync_apply(st, SYNC_CATALOGUE, 1, &a);
	int64_t t1 = bench_now_ns();
	on_progress("", 0, 0, &ph);
	if (rc != CM_OK) {
		fprintf(stderr, "bench_catgen: applying: %s\n", store_errmsg(st));
		return 1;
	}
	store_close(st);
	double applied = (double)(t1 - t0) / 1e9;
	printf("applied %lld rows in %.2f s (indexing names runs in a scratch file, holding no "
	       "lock on the till's database)\n", (long long)a.upserted, applied);
	double r = raw_load(raw, o.items);
	if (r > 0)
		printf("raw sqlite, the same rows in one transaction + FTS rebuild: %.2f s; "
		       "apply %.2fx\n", r, applied / r);
	unlink(raw);
	bench_print_footer();
	return 0;
}
