/* X and Z reports: the figures of a stretch of the journal and their text
 * for the screen and the receipt printer, a pure function like
 * receipt_render.
 *
 * An X report reads the figures since the last Z at any time and changes
 * nothing. A Z report closes the day: it is numbered per terminal without
 * gaps, covers everything journaled after the previous Z, and carries the
 * perpetual grand total (previous grand total + this Z's net sales). */
#ifndef XZREPORT_H
#define XZREPORT_H

#include <time.h>
#include "core/cashcount.h"
#include "core/dues.h"
#include "core/records.h"

/* Figures of the journal range (from_seq, to_seq]. */
struct xz_figures {
	int64_t sales;
	cm_money gross;                        /* before discounts */
	cm_money discounts;
	cm_money total;                        /* sum of sale totals */
	cm_money rounding;                     /* cash rounding (+/-) */
	cm_money tendered[TENDER_KIND_COUNT];  /* cash before change */
	cm_money change;
	cm_money tax;                          /* PPN inside (PKP stores) */
	cm_money refunds;                      /* returns paid back, all tenders */
	cm_money net_sales;                    /* total - refunds */
	int64_t cash_in_count, cash_out_count;
	cm_money cash_in, cash_out;
	int64_t shifts_closed;
	cm_money expected, counted;            /* summed over the closed shifts */
	int64_t aborted_tickets, voided_lines;
	/* members' dues taken with sales: savings, not sales (in the cash) */
	int64_t dues_count[DUES_KIND_COUNT];   /* months, pokok, sukarela payments */
	cm_money dues[DUES_KIND_COUNT];
	int64_t dues_members;
};

struct xz_report {
	bool z;
	int64_t z_no;                /* Z only */
	const char *store_name;
	const char *terminal;
	const char *user;            /* "number name" of who asked for it */
	time_t at;
	int64_t from_seq, to_seq;
	struct xz_figures f;
	cm_money grand_before;       /* Z: the previous Z's grand total */
	cm_money grand_total;        /* Z: grand_before + f.net_sales */
	bool shift_open;             /* X: a shift is open; its drawer: */
	struct shift_cash shift;
};

/* Returns a malloc'd NUL-terminated plain-ASCII text in Bahasa Indonesia
 * (the printed language), lines of at most columns characters, each
 * ending in '\n'; NULL for a width other than 32, 40, 42 or 48, or when out of
 * memory. The caller frees it. Times in the local time zone. */
char *xzreport_render(const struct xz_report *r, int columns);

#endif
