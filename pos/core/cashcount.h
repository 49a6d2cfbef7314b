/* Cash in the drawer: the denominations a cashier counts at the close,
 * and what the drawer should hold.
 *
 * Rupiah notes and coins in circulation, smallest first: coins Rp100,
 * Rp200, Rp500, Rp1.000; notes Rp1.000 ... Rp100.000 (the Rp1.000 coin and
 * note are counted together). */
#ifndef CASHCOUNT_H
#define CASHCOUNT_H

#include "core/cm.h"

#define CASH_DENOMS 10
extern const cm_money cash_denoms[CASH_DENOMS];

/* Pieces of each denomination (index as cash_denoms) -> rupiah in *total.
 * CM_INVALID when a count is negative or above 1.000.000 pieces. */
enum cm_rc cashcount_total(const int64_t pieces[CASH_DENOMS], cm_money *total);

/* One shift's cash, as the store adds it up (store_shift_cash). */
struct shift_cash {
	cm_money float_amount;   /* counted into the drawer at the open */
	int64_t sales;           /* completed sales in the shift */
	cm_money cash_tendered;  /* cash handed over by customers */
	cm_money change;         /* change handed back */
	cm_money cash_in;
	cm_money cash_out;
	cm_money cash_refunds;   /* cash paid back for returns */
};

/* float + cash tendered - change + cash in - cash out - cash refunds. */
cm_money cashcount_expected(const struct shift_cash *c);

#endif
