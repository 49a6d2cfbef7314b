/* sync_sell: rings up and completes sales through the engine, for the sync
 * shell tests (there is no command line for selling, on purpose: a sale
 * is made at the till).
 *
 *   sync_sell DB USER PIN TICKETS SKU...
 *
 * Logs in USER with PIN, then completes TICKETS sales: ticket k scans every
 * SKU (k % 3) + 1 times and is paid in cash, the amount due plus
 * (k % 2) * Rp5.000 (so that some sales give change). Prints one line per
 * sale: "RECEIPT SEQ DUE", and exits 0; any failure is printed and exits 1.
 *
 * Members' dues, once per ticket, in place of a SKU: "@CARD" attaches the
 * member (card or number), "+wajib:N" adds N months of wajib, "+pokok"
 * the pokok owed, "+sukarela:AMOUNT" sukarela.
 *
 * Member credit: "=credit:AMOUNT" pays that much of each ticket on the
 * attached member's credit (sale_add_credit, within the limit), and
 * "=credit:all" the whole ticket; the rest is paid in cash as above. */
#include "engine/sale.h"
#include "engine/shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *msg)
{
	fprintf(stderr, "sync_sell: %s: %s\n", what, msg);
	return 1;
}

static int dues_op(struct sale *s, const char *op)
{
	enum cm_rc rc;
	if (op[0] == '@')
		rc = sale_attach_member(s, op + 1);
	else if (strncmp(op, "+wajib:", 7) == 0)
		rc = sale_add_dues(s, DUES_WAJIB, atoi(op + 7), 0);
	else if (strcmp(op, "+pokok") == 0)
		rc = sale_add_dues(s, DUES_POKOK, 0, 0);
	else if (strncmp(op, "+sukarela:", 10) == 0)
		rc = sale_add_dues(s, DUES_SUKARELA, 0, atoll(op + 10));
	else
		return fail(op, "unknown dues operation");
	if (rc != CM_OK) {
		int ex = fail(op, sale_errmsg(s));
		sale_cancel(s, NULL);
		return ex;
	}
	return 0;
}

/* The ticket's credit tender ("=credit:..."), before the cash. */
static int credit_op(struct sale *s, int nskus, char **skus)
{
	for (int i = 0; i < nskus; i++) {
		if (strncmp(skus[i], "=credit:", 8) != 0)
			continue;
		const char *v = skus[i] + 8;
		cm_money amount = strcmp(v, "all") == 0 ? sale_noncash_due(s) : atoll(v);
		if (sale_add_credit(s, amount, NULL) != CM_OK) {
			int ex = fail(skus[i], sale_errmsg(s));
			sale_cancel(s, NULL);
			return ex;
		}
	}
	return 0;
}

static int sell_one(struct till *t, int k, int nskus, char **skus)
{
	struct sale *s;
	struct sale_result r;
	if (sale_open(t, &s) != CM_OK)
		return fail("opening a ticket", till_errmsg(t));
	for (int i = 0; i < nskus; i++) {
		if (skus[i][0] == '=')
			continue;
		if (skus[i][0] == '@' || skus[i][0] == '+') {
			if (dues_op(s, skus[i]) != 0) {
				sale_free(s);
				return 1;
			}
			continue;
		}
		for (int n = 0; n <= k % 3; n++) {
			if (sale_scan(s, skus[i], 0) != CM_OK) {
				int ex = fail(skus[i], sale_errmsg(s));
				sale_cancel(s, NULL);
				sale_free(s);
				return ex;
			}
		}
	}
	if (credit_op(s, nskus, skus) != 0) {
		sale_free(s);
		return 1;
	}
	cm_money due = sale_cash_due(s);
	if ((due > 0 && sale_add_tender(s, TENDER_CASH, due + (k % 2) * 5000, NULL) != CM_OK) ||
	    sale_complete(s, &r) != CM_OK) {
		int ex = fail("paying", sale_errmsg(s));
		sale_free(s);
		return ex;
	}
	printf("%s %lld %lld\n", r.receipt_no, (long long)r.journal_seq, (long long)due);
	sale_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	struct till *t = NULL;
	char err[400];
	int ex = 1;
	if (argc < 6) {
		fprintf(stderr, "usage: sync_sell DB USER PIN TICKETS SKU...\n");
		return 1;
	}
	int tickets = atoi(argv[4]);
	if (store_open(argv[1], 0, 0, &st, err, sizeof err) != CM_OK) {
		fail("opening the store", err);
		goto out;
	}
	if (till_open(st, &t, err, sizeof err) != CM_OK) {
		fail("opening the till", err);
		goto out;
	}
	if (auth_login(t, argv[2], argv[3]) != CM_OK) {
		fail("logging in", till_errmsg(t));
		goto out;
	}
	/* No sale without an open shift: open one (float 0) when none is. */
	if (shift_require_open(t) != CM_OK && shift_open(t, 0, NULL) != CM_OK) {
		fail("opening the shift", till_errmsg(t));
		goto out;
	}
	ex = 0;
	for (int k = 0; k < tickets && ex == 0; k++)
		ex = sell_one(t, k, argc - 5, argv + 5);
	auth_logout(t);
out:
	till_free(t);
	store_close(st);
	return ex;
}
