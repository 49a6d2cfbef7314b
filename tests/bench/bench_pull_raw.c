/* Benchmark: the limit of a catalogue pull (issue 16): HQ's very JSON
 * pages, saved as files, parsed with cJSON and their rows inserted raw
 * with prepared statements in one transaction into the till's tables
 * (categories and suppliers by name, items, barcodes), the FTS5 name
 * index rebuilt, committed, WAL and synchronous=FULL as the till runs. No
 * network, no staging, no till waiting: what a pull cannot go below.
 *
 *   bench_pull_raw DB PAGE...      (DB is made anew; pages in order)
 *
 * Prints one line: rows, wall seconds, CPU seconds (user + sys). Like
 * every benchmark it never fails on time; a non-zero exit means it could
 * not do its work. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The till's catalogue tables as the bench's sqlite3 .import figure has
 * them (tests/bench/bench_pull_till.sh), plus suppliers. */
static const char schema[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	"CREATE TABLE categories(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE suppliers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE items(id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" receipt_name TEXT NOT NULL, unit TEXT NOT NULL DEFAULT 'pcs',"
	" weighed INTEGER NOT NULL DEFAULT 0, price INTEGER NOT NULL,"
	" member_price INTEGER NOT NULL DEFAULT 0, tax_class INTEGER NOT NULL DEFAULT 1,"
	" category_id INTEGER REFERENCES categories(id), supplier_id INTEGER, plu INTEGER UNIQUE,"
	" active INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL);"
	"CREATE TABLE barcodes(code TEXT PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id),"
	" pack_qty INTEGER NOT NULL DEFAULT 1000, UNIQUE (item_id, code)) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE items_fts USING fts5(name, sku, content = 'items', content_rowid = 'id',"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');";

#define CACHE 4096

struct names {
	char *name[CACHE];
	sqlite3_int64 id[CACHE];
};

struct raw {
	sqlite3 *db;
	sqlite3_stmt *item, *code, *gone, *cat, *sup;
	struct names cats, sups;
	long rows;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static int die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_pull_raw: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
	return 1;
}

static const char *text_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static sqlite3_int64 int_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? (sqlite3_int64)v->valuedouble : 0;
}

/* A category's or supplier's id by name, made when new; 0 for "". */
static sqlite3_int64 named(struct names *c, sqlite3_stmt *ins, const char *name)
{
	if (!name[0])
		return 0;
	unsigned h = 5381;
	for (const char *p = name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (unsigned i = 0; i < CACHE; i++) {
		unsigned k = (h + i) % CACHE;
		if (c->name[k] && strcmp(c->name[k], name) == 0)
			return c->id[k];
		if (c->name[k])
			continue;
		sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
		int src = sqlite3_step(ins);
		sqlite3_int64 id = src == SQLITE_ROW ? sqlite3_column_int64(ins, 0) : 0;
		sqlite3_reset(ins);
		c->name[k] = strdup(name);
		c->id[k] = id;
		return id;
	}
	return 0;
}

static void bind_or_null(sqlite3_stmt *s, int i, sqlite3_int64 v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static int put_item(struct raw *r, const cJSON *o)
{
	const char *name = text_of(o, "name"), *receipt = text_of(o, "receipt_name");
	const char *unit = text_of(o, "unit"), *tax = text_of(o, "tax_class");
	sqlite3_stmt *s = r->item;
	sqlite3_bind_text(s, 1, text_of(o, "sku"), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, receipt[0] ? receipt : name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, unit[0] ? unit : "pcs", -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "weighed")));
	sqlite3_bind_int64(s, 6, int_of(o, "price"));
	sqlite3_bind_int64(s, 7, int_of(o, "member_price"));
	sqlite3_bind_int(s, 8, strcmp(tax, "exempt") == 0 ? 0 : strcmp(tax, "luxury") == 0 ? 2 : 1);
	bind_or_null(s, 9, named(&r->cats, r->cat, text_of(o, "category")));
	bind_or_null(s, 10, named(&r->sups, r->sup, text_of(o, "supplier")));
	bind_or_null(s, 11, int_of(o, "plu"));
	sqlite3_bind_int(s, 12, !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "active")));
	sqlite3_bind_int64(s, 13, (sqlite3_int64)time(NULL));
	int src = sqlite3_step(s);
	sqlite3_reset(s);
	if (src != SQLITE_DONE)
		return die(r->db, "an item");
	sqlite3_int64 id = sqlite3_last_insert_rowid(r->db);
	const cJSON *code;
	cJSON_ArrayForEach(code, cJSON_GetObjectItemCaseSensitive(o, "barcodes")) {
		if (!cJSON_IsString(code))
			continue;
		sqlite3_bind_text(r->code, 1, code->valuestring, -1, SQLITE_STATIC);
		sqlite3_bind_int64(r->code, 2, id);
		src = sqlite3_step(r->code);
		sqlite3_reset(r->code);
		if (src != SQLITE_DONE)
			return die(r->db, "a barcode");
	}
	r->rows++;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int put_page(struct raw *r, const char *path)
{
	size_t len;
	char *json = slurp(path, &len);
	if (!json) {
		fprintf(stderr, "bench_pull_raw: cannot read %s\n", path);
		return 1;
	}
	cJSON *page = cJSON_ParseWithLength(json, len);
	free(json);
	if (!page) {
		fprintf(stderr, "bench_pull_raw: %s is not JSON\n", path);
		return 1;
	}
	int bad = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(page, "items"))
		if (!bad)
			bad = put_item(r, o);
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(page, "deleted")) {
		if (bad || !cJSON_IsString(o))
			continue;
		sqlite3_bind_text(r->gone, 1, o->valuestring, -1, SQLITE_STATIC);
		bad = sqlite3_step(r->gone) != SQLITE_DONE ? die(r->db, "a deletion") : 0;
		sqlite3_reset(r->gone);
		r->rows++;
	}
	cJSON_Delete(page);
	return bad;
}

static int prepare(struct raw *r)
{
	static const char item[] =
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"tax_class, category_id, supplier_id, plu, active, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	static const char code[] = "INSERT INTO barcodes(code, item_id) VALUES (?1, ?2)";
	static const char gone[] = "UPDATE items SET active = 0 WHERE sku = ?1";
	static const char cat[] = "INSERT INTO categories(name) VALUES (?1) RETURNING id";
	static const char sup[] = "INSERT INTO suppliers(name) VALUES (?1) RETURNING id";
	return sqlite3_prepare_v2(r->db, item, -1, &r->item, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(r->db, code, -1, &r->code, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(r->db, gone, -1, &r->gone, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(r->db, cat, -1, &r->cat, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(r->db, sup, -1, &r->sup, NULL) != SQLITE_OK;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_pull_raw DB PAGE...\n");
		return 2;
	}
	struct raw r;
	memset(&r, 0, sizeof r);
	char wal[1100], shm[1100];
	snprintf(wal, sizeof wal, "%s-wal", argv[1]);
	snprintf(shm, sizeof shm, "%s-shm", argv[1]);
	unlink(argv[1]);
	unlink(wal);
	unlink(shm);
	if (sqlite3_open(argv[1], &r.db) != SQLITE_OK ||
	    sqlite3_exec(r.db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return die(r.db, "the schema");
	double t0 = now_s(), c0 = cpu_s();
	if (prepare(&r) || sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return die(r.db, "preparing");
	for (int i = 2; i < argc; i++)
		if (put_page(&r, argv[i]))
			return 1;
	if (sqlite3_exec(r.db, "INSERT INTO items_fts(items_fts) VALUES ('rebuild'); COMMIT",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return die(r.db, "indexing and committing");
	double wall = now_s() - t0, cpu = cpu_s() - c0;
	sqlite3_finalize(r.item);
	sqlite3_finalize(r.code);
	sqlite3_finalize(r.gone);
	sqlite3_finalize(r.cat);
	sqlite3_finalize(r.sup);
	sqlite3_close(r.db);
	for (int i = 0; i < CACHE; i++) {
		free(r.cats.name[i]);
		free(r.sups.name[i]);
	}
	printf("raw_json rows %ld pages %d wall %.2f cpu %.2f\n", r.rows, argc - 2, wall, cpu);
	return 0;
}
