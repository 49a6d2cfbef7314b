/* Denomination totals and the drawer's expected cash. */
#include "core/cashcount.h"

const cm_money cash_denoms[CASH_DENOMS] = {
	100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000,
};

/* More pieces than this of one denomination is a typing slip (a drawer
 * holds a few hundred); it also keeps the total far from overflow. */
#define MAX_PIECES 1000000

enum cm_rc cashcount_total(const int64_t pieces[CASH_DENOMS], cm_money *total)
{
	cm_money sum = 0;
	for (int i = 0; i < CASH_DENOMS; i++) {
		if (pieces[i] < 0 || pieces[i] > MAX_PIECES)
			return CM_INVALID;
		sum += pieces[i] * cash_denoms[i];
	}
	*total = sum;
	return CM_OK;
}

cm_money cashcount_expected(const struct shift_cash *c)
{
	return c->float_amount + c->cash_tendered - c->change + c->cash_in - c->cash_out
	       - c->cash_refunds;
}
