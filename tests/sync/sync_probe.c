/* sync_probe: a till ringing a sale at a steady pace while something else
 * (a catalogue pull) works on the same database, for the sync tests and
 * tests/bench/bench_pull_till.sh.
 *
 *   sync_probe DB USER PIN INTERVAL_MS STOPFILE NEW_PRICE SKU_A SKU_B
 *
 * Every INTERVAL_MS until the file STOPFILE exists: opens a ticket, scans
 * SKU_A and SKU_B, pays cash, completes. Times every scan and every whole
 * sale (open to commit). A scanned price >= NEW_PRICE counts as the new
 * catalogue; a ticket holding one old and one new price saw a mix of two
 * catalogues. At the end prints one line:
 *   sales N failed F mixed M sale_p50_ms .. sale_p99_ms .. sale_worst_ms ..
 *   scan_p99_ms .. scan_worst_ms .. new N
 * and the first failure's message on stderr. Exit 0 when nothing failed
 * and nothing was mixed. */
#include "engine/sale.h"
#include "engine/shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SALES 100000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

struct probe {
	struct till *t;
	char **skus;
	cm_money new_price;
	double *sale_ms, *scan_ms;
	size_t nsales, nscans;
	int failed, mixed, newer;
	char first_error[400];
};

static void failed(struct probe *p, const char *what, const char *msg)
{
	if (!p->failed++)
		snprintf(p->first_error, sizeof p->first_error, "%s: %s", what, msg);
}

static void ring(struct probe *p)
{
	struct sale *s;
	struct sale_result r;
	double t0 = now_ms();
	if (sale_open(p->t, &s) != CM_OK) {
		failed(p, "opening a ticket", till_errmsg(p->t));
		return;
	}
	int gen[2];
	for (int i = 0; i < 2; i++) {
		double t1 = now_ms();
		if (sale_scan(s, p->skus[i], 0) != CM_OK) {
			failed(p, p->skus[i], sale_errmsg(s));
			sale_cancel(s, NULL);
			sale_free(s);
			return;
		}
		p->scan_ms[p->nscans++] = now_ms() - t1;
		const struct line_rec *l = sale_line(s, sale_line_count(s) - 1);
		gen[i] = l->unit_price >= p->new_price;
	}
	if (gen[0] != gen[1])
		p->mixed++;
	p->newer += gen[0] && gen[1];
	if (sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL) != CM_OK ||
	    sale_complete(s, &r) != CM_OK) {
		failed(p, "completing the sale", sale_errmsg(s));
		sale_cancel(s, NULL);
		sale_free(s);
		return;
	}
	sale_free(s);
	p->sale_ms[p->nsales++] = now_ms() - t0;
}

static void run(struct probe *p, int interval_ms, const char *stopfile)
{
	double next = now_ms();
	while (access(stopfile, F_OK) != 0 && p->nsales < MAX_SALES) {
		ring(p);
		next += interval_ms;
		double wait = next - now_ms();
		if (wait > 0) {
			long ns = (long)(wait * 1e6);
			struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
			nanosleep(&ts, NULL);
		}
	}
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	struct probe p = { 0 };
	char err[400];
	int ex = 1;
	if (argc != 9) {
		fprintf(stderr, "usage: sync_probe DB USER PIN INTERVAL_MS STOPFILE NEW_PRICE SKU_A SKU_B\n");
		return 1;
	}
	p.new_price = atoll(argv[6]);
	p.skus = argv + 7;
	p.sale_ms = calloc(MAX_SALES, sizeof *p.sale_ms);
	p.scan_ms = calloc(2 * MAX_SALES, sizeof *p.scan_ms);
	if (!p.sale_ms || !p.scan_ms)
		goto out;
	if (store_open(argv[1], 0, 0, &st, err, sizeof err) != CM_OK ||
	    till_open(st, &p.t, err, sizeof err) != CM_OK) {
		fprintf(stderr, "sync_probe: opening the till: %s\n", err);
		goto out;
	}
	if (auth_login(p.t, argv[2], argv[3]) != CM_OK ||
	    (shift_require_open(p.t) != CM_OK && shift_open(p.t, 0, NULL) != CM_OK)) {
		fprintf(stderr, "sync_probe: logging in: %s\n", till_errmsg(p.t));
		goto out;
	}
	run(&p, atoi(argv[4]), argv[5]);
	double worst = p.nsales ? pct(p.sale_ms, p.nsales, 1.0) : 0;
	printf("sales %zu failed %d mixed %d sale_p50_ms %.1f sale_p99_ms %.1f sale_worst_ms %.1f "
	       "scan_p99_ms %.1f scan_worst_ms %.1f new %d\n", p.nsales, p.failed, p.mixed,
	       pct(p.sale_ms, p.nsales, 0.5), pct(p.sale_ms, p.nsales, 0.99), worst,
	       pct(p.scan_ms, p.nscans, 0.99), pct(p.scan_ms, p.nscans, 1.0), p.newer);
	if (p.failed)
		fprintf(stderr, "sync_probe: %s\n", p.first_error);
	ex = p.failed || p.mixed;
	auth_logout(p.t);
out:
	till_free(p.t);
	store_close(st);
	free(p.sale_ms);
	free(p.scan_ms);
	return ex;
}
