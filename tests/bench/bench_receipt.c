/* Benchmark: the ESC/POS bytes of a typical 20-line receipt.
 *
 * Sales of 20 different lines from the benchmark catalogue are completed
 * (cash, so the drawer kick is in), then their queued receipt jobs are
 * rendered for each printer profile. Printed: bytes per receipt (min,
 * mean, max; the budget is 2 KB, which is about 0.5 s of a 38,400
 * baud link and nothing on USB) and the time to render one, next to the
 * text receipt's size. */
#include "benchutil.h"

#include "drivers/escpos.h"
#include "engine/printq.h"
#include "engine/sale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES 20

static int64_t sell(struct bench_session *bs, char (*codes)[16], size_t ncodes, uint64_t *rng)
{
	struct sale *s;
	struct sale_result r;
	cm_money cash;

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
	cash = sale_cash_due(s);
	if ((cash <= till_config(bs->t)->cash_ceiling
	     ? sale_add_tender(s, TENDER_CASH, cash, NULL)
	     : sale_add_tender(s, TENDER_DEBIT, sale_noncash_due(s), "APPR1234")) != CM_OK ||
	    sale_complete(s, &r) != CM_OK) {
		fprintf(stderr, "paying: %s\n", sale_errmsg(s));
		exit(1);
	}
	sale_free(s);
	return r.sale_id;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_session bs;
	char (*codes)[16];
	size_t ncodes, n;
	int code;
	int64_t *ids;
	uint64_t rng;

	if (!bench_parse_args(argc, argv, "receipt: ESC/POS bytes of a 20-line receipt",
	                      50, 10, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_receipt", &o);
	if (!bench_load_barcodes(o.db, &codes, &ncodes) || !bench_session_open(o.db, &bs))
		return 1;
	n = (size_t)o.count;
	ids = calloc(n, sizeof *ids);
	if (!ids)
		return 1;
	rng = o.seed;
	for (size_t i = 0; i < n; i++)
		ids[i] = sell(&bs, codes, ncodes, &rng);

	printf("%-10s %5s %7s %7s %7s %9s %9s\n", "profile", "n", "min B", "mean B", "max B",
	       "p50 ms", "p99 ms");
	for (const struct escpos_profile *p = escpos_profiles(); p->name; p++) {
		int64_t *ns = calloc(n, sizeof *ns);
		size_t lo = SIZE_MAX, hi = 0, sum = 0;
		struct bench_stats st;

		if (!ns || store_setting_set(till_store(bs.t), SET_PRINTER_PROFILE, p->name) != CM_OK ||
		    till_reload(bs.t) != CM_OK)
			return 1;
		for (size_t i = 0; i < n; i++) {
			struct print_job j = { .kind = PRINT_RECEIPT, .sale_id = ids[i], .kick = true };
			int64_t t0 = bench_now_ns();
			size_t len;
			uint8_t *bytes = printq_render(bs.t, &j, false, &len);

			ns[i] = bench_now_ns() - t0;
			if (!bytes) {
				fprintf(stderr, "rendering: %s\n", till_errmsg(bs.t));
				return 1;
			}
			free(bytes);
			lo = len < lo ? len : lo;
			hi = len > hi ? len : hi;
			sum += len;
		}
		bench_percentiles(ns, n, &st);
		printf("%-10s %5zu %7zu %7zu %7zu %9.3f %9.3f%s\n", p->name, n, lo, sum / n, hi,
		       st.p50, st.p99, hi <= 2048 ? "" : "  OVER 2 KB");
		free(ns);
	}
	{
		struct print_job j = { .kind = PRINT_RECEIPT, .sale_id = ids[0] };
		size_t len;
		uint8_t *text = printq_render(bs.t, &j, true, &len);

		printf("text receipt (spool) of the first sale: %zu bytes\n", len);
		free(text);
	}
	free(ids);
	free(codes);
	bench_session_close(&bs);
	bench_print_footer();
	return 0;
}
