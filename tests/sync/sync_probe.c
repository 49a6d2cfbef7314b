/* sync_probe: a till ringing a sale at a steady pace while something else
 * (a catalogue pull) works on the same database, for the sync tests and
 * tests/bench/bench_pull_till.sh.
 *
 *   sync_probe DB USER PIN INTERVAL_MS STOPFILE NEW_PRICE SKU_A SKU_B
 *              [CARD_A CARD_B NEW_PAID_UNTIL]
 *
 * Every INTERVAL_MS until the file STOPFILE exists: opens a ticket, scans
 * SKU_A and SKU_B, pays cash, completes. Times every scan and every whole
 * sale (open to commit). A scanned price >= NEW_PRICE counts as the new
 * catalogue; a ticket holding one old and one new price saw a mix of two
 * catalogues. At the end prints one line:
 *   sales N failed F mixed M sale_p50_ms .. sale_p99_ms .. sale_worst_ms ..
 *   scan_p99_ms .. scan_worst_ms .. new N [members_mixed M members_new N]
 *   worst_open_members_items_pay_ms O/M/I/P worst_at SECONDS
 * (where the slowest sale's time went: opening the ticket, the member
 * cards, the items, paying and completing; when it began, in seconds
 * since the epoch) and the first failure's message on stderr. Exit 0
 * when nothing failed and nothing was mixed.
 *
 * With CARD_A and CARD_B (a member sale, during a member pull): the ticket
 * first scans member card CARD_B and reads the standing the member panel
 * shows, then CARD_A (which replaces B on the ticket; the sale is A's),
 * both scans timed with the others. A member whose HQ standing is paid
 * until NEW_PAID_UNTIL (YYYYMM) or later counts as the new delta, an
 * unknown card (before a first member pull) as the old. members_mixed:
 * tickets that saw one of the two members new and the other old (the
 * delta half applied); members_new: tickets that saw both new. Mixed
 * members do not make the exit code non-zero: a member delta is applied
 * in batches, each member whole (store_sync_members.c). */
#include "engine/sale.h"
#include "engine/shift.h"
#include "engine/standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SALES 100000
#define SCANS_PER_SALE 4

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
	char **cards;             /* NULL: no member on the ticket */
	int32_t new_paid_until;
	int members_mixed, members_new;
	double parts[4], worst_parts[4]; /* this sale's, the slowest sale's */
	double worst;
	double worst_at;          /* when the slowest sale began, s since the epoch */
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

/* Scans the member card code (timed as a scan) and reads the standing the
 * member panel shows; *paid: the member's HQ standing, paid until (0: the
 * card is not known yet, as before a first member pull). */
static bool scan_member(struct probe *p, struct sale *s, const char *code, int32_t *paid)
{
	struct standing sd;
	double t1 = now_ms();
	enum cm_rc rc = sale_scan(s, code, 0);
	*paid = 0;
	if (rc == CM_NOTFOUND) {
		p->scan_ms[p->nscans++] = now_ms() - t1;
		return true;
	}
	if (rc != CM_OK) {
		failed(p, code, sale_errmsg(s));
		return false;
	}
	p->scan_ms[p->nscans++] = now_ms() - t1;
	if (!sale_scan_was_member(s) || !sale_member(s)) {
		failed(p, code, "not a member card");
		return false;
	}
	*paid = sale_member(s)->hq.wajib_paid_until;
	if (sale_standing(s, false, &sd) != CM_OK) {
		failed(p, "the member's standing", sale_errmsg(s));
		return false;
	}
	return true;
}

/* Both members on one ticket, B then A: whether each is the new delta's. */
static bool ring_members(struct probe *p, struct sale *s)
{
	int32_t paid_b, paid_a;
	if (!scan_member(p, s, p->cards[1], &paid_b) || !scan_member(p, s, p->cards[0], &paid_a))
		return false;
	bool a = paid_a >= p->new_paid_until, b = paid_b >= p->new_paid_until;
	p->members_mixed += a != b;
	p->members_new += a && b;
	return true;
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
	p->parts[0] = now_ms() - t0;
	if (p->cards && !ring_members(p, s)) {
		sale_cancel(s, NULL);
		sale_free(s);
		return;
	}
	p->parts[1] = now_ms() - t0 - p->parts[0];
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
	double t2 = now_ms();
	p->parts[2] = t2 - t0 - p->parts[0] - p->parts[1];
	if (sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL) != CM_OK ||
	    sale_complete(s, &r) != CM_OK) {
		failed(p, "completing the sale", sale_errmsg(s));
		sale_cancel(s, NULL);
		sale_free(s);
		return;
	}
	sale_free(s);
	double t3 = now_ms();
	p->parts[3] = t3 - t2;
	if (t3 - t0 > p->worst) {
		struct timespec wall;
		clock_gettime(CLOCK_REALTIME, &wall);
		p->worst = t3 - t0;
		p->worst_at = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9 - (t3 - t0) / 1e3;
		memcpy(p->worst_parts, p->parts, sizeof p->parts);
	}
	p->sale_ms[p->nsales++] = t3 - t0;
}

static void run(struct probe *p, int interval_ms, const char *stopfile)
{
	double next = now_ms();
	while (access(stopfile, F_OK) != 0 && p->nsales < MAX_SALES &&
	       p->nscans + SCANS_PER_SALE <= SCANS_PER_SALE * MAX_SALES) {
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
	if (argc != 9 && argc != 12) {
		fprintf(stderr, "usage: sync_probe DB USER PIN INTERVAL_MS STOPFILE NEW_PRICE SKU_A SKU_B "
		        "[CARD_A CARD_B NEW_PAID_UNTIL]\n");
		return 1;
	}
	p.new_price = atoll(argv[6]);
	p.skus = argv + 7;
	if (argc == 12) {
		p.cards = argv + 9;
		p.new_paid_until = atoi(argv[11]);
	}
	p.sale_ms = calloc(MAX_SALES, sizeof *p.sale_ms);
	p.scan_ms = calloc(SCANS_PER_SALE * MAX_SALES, sizeof *p.scan_ms);
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
	       "scan_p99_ms %.1f scan_worst_ms %.1f new %d", p.nsales, p.failed, p.mixed,
	       pct(p.sale_ms, p.nsales, 0.5), pct(p.sale_ms, p.nsales, 0.99), worst,
	       pct(p.scan_ms, p.nscans, 0.99), pct(p.scan_ms, p.nscans, 1.0), p.newer);
	if (p.cards)
		printf(" members_mixed %d members_new %d", p.members_mixed, p.members_new);
	printf(" worst_open_members_items_pay_ms %.1f/%.1f/%.1f/%.1f worst_at %.3f", p.worst_parts[0],
	       p.worst_parts[1], p.worst_parts[2], p.worst_parts[3], p.worst_at);
	printf("\n");
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
