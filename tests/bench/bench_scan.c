/* Benchmark: a scanned barcode becomes a line on the ticket.
 *
 * Times sale_scan() on random existing barcodes (tickets of up to 100
 * lines; a full ticket is cancelled with a supervisor's approval, not
 * timed). sale_scan looks the item up and saves the line in a relaxed
 * transaction, so a crash loses nothing scanned. Next to it, the raw
 * SQLite figure for the same lookup alone: one prepared
 * barcodes JOIN items statement on the same file, same codes. */
#include "benchutil.h"

#include "engine/sale.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICKET_LINES 100
#define WARMUP 50
#define TARGET_MS 1.0

static const char raw_sql[] =
	"SELECT i.id, i.sku, i.name, i.receipt_name, i.unit, i.weighed, i.price, "
	"i.member_price, i.tax_class, i.active, b.pack_qty "
	"FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = ?1";

/* The raw lookup, reading the row into a record as the store does. */
static int64_t raw_lookup(sqlite3_stmt *s, const char *code, struct item_rec *it)
{
	int64_t t0 = bench_now_ns();
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		it->id = sqlite3_column_int64(s, 0);
		snprintf(it->sku, sizeof it->sku, "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(it->name, sizeof it->name, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(it->receipt_name, sizeof it->receipt_name, "%s", (const char *)sqlite3_column_text(s, 3));
		snprintf(it->unit, sizeof it->unit, "%s", (const char *)sqlite3_column_text(s, 4));
		it->weighed = sqlite3_column_int(s, 5);
		it->price = sqlite3_column_int64(s, 6);
		it->member_price = sqlite3_column_int64(s, 7);
		it->tax = (enum tax_class)sqlite3_column_int(s, 8);
		it->active = sqlite3_column_int(s, 9);
	}
	sqlite3_reset(s);
	int64_t t1 = bench_now_ns();
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "raw lookup of %s failed (%d)\n", code, rc);
		exit(1);
	}
	return t1 - t0;
}

/* A fresh ticket when the current one is full (or there is none). */
static struct sale *next_ticket(struct bench_session *bs, struct sale *s)
{
	if (s && sale_line_count(s) < TICKET_LINES)
		return s;
	if (s) {
		if (bench_cancel(bs, s) != CM_OK) {
			fprintf(stderr, "cancelling a full ticket: %s\n", sale_errmsg(s));
			exit(1);
		}
		sale_free(s);
	}
	if (sale_open(bs->t, &s) != CM_OK) {
		fprintf(stderr, "opening a ticket: %s\n", till_errmsg(bs->t));
		exit(1);
	}
	return s;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "scan: barcode -> line added to the ticket",
	                      2000, 300, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_scan", &o);

	char (*codes)[16];
	size_t ncodes;
	struct bench_session bs;
	if (!bench_load_barcodes(o.db, &codes, &ncodes) || !bench_session_open(o.db, &bs))
		return 1;
	sqlite3 *raw = NULL;
	sqlite3_stmt *rs = NULL;
	if (sqlite3_open_v2(o.db, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(raw, raw_sql, -1, SQLITE_PREPARE_PERSISTENT, &rs, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw sqlite: %s\n", sqlite3_errmsg(raw));
		return 1;
	}

	size_t n = (size_t)o.count;
	int64_t *eng = calloc(n, sizeof *eng), *base = calloc(n, sizeof *base);
	if (!eng || !base)
		return 1;
	uint64_t rng = o.seed;
	struct sale *s = NULL;
	struct item_rec it;
	/* Engine and raw timings alternate, one code at a time, so that both
	 * see the same caches and the same machine load. */
	for (size_t i = 0; i < n + WARMUP; i++) {
		const char *bc = codes[bench_rand_below(&rng, ncodes)];
		s = next_ticket(&bs, s);
		int64_t t0 = bench_now_ns();
		enum cm_rc rc = sale_scan(s, bc, 0);
		int64_t t1 = bench_now_ns();
		if (rc != CM_OK) {
			fprintf(stderr, "scanning %s: %s (%s)\n", bc, sale_errmsg(s), cm_rc_name(rc));
			return 1;
		}
		int64_t r = raw_lookup(rs, bc, &it);
		if (i >= WARMUP) {
			eng[i - WARMUP] = t1 - t0;
			base[i - WARMUP] = r;
		}
	}
	if (sale_line_count(s) && bench_cancel(&bs, s) != CM_OK) {
		fprintf(stderr, "cancelling the last ticket: %s\n", sale_errmsg(s));
		return 1;
	}
	sale_free(s);

	struct bench_stats es, rs_stats;
	bench_percentiles(eng, n, &es);
	bench_percentiles(base, n, &rs_stats);
	bench_print_result("scan (barcode -> line)", &es, &rs_stats, TARGET_MS);
	printf("  engine: parse + lookup + line saved in a relaxed transaction (no fsync); "
	       "raw: the lookup only; %zu scannable barcodes, tickets of %d lines, %d warm-up scans\n",
	       ncodes, TICKET_LINES, WARMUP);
	bench_print_footer();

	sqlite3_finalize(rs);
	sqlite3_close(raw);
	bench_session_close(&bs);
	free(codes);
	free(eng);
	free(base);
	return 0;
}
