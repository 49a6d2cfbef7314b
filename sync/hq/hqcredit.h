/* Member credit (potong gaji) at HQ, the book of record: the limit rule,
 * the ledger's folding and the over-limit alert, the statement month and
 * its cut-off, the statement, and the payroll list and deductions.
 * sync/PROTOCOL.md ("Member credit") and sync/README.md say the rules.
 *
 * The limit in force: the amount HQ was given for the member (import
 * column credit_limit, or `credit limit set`), else credit_share percent
 * (a setting, 0 by default) of the member's monthly salary (import column
 * salary), rounded down to the rupiah; 0 means no credit.
 *
 * A statement month YYYY-MM runs from the day after the previous month's
 * cut-off to this month's cut-off day (setting credit_cutoff_day, 25; a
 * day past the month's end is its last day). A payroll deduction for a
 * month is booked on the day after its cut-off, so it shows among the
 * next month's payments. */
#ifndef HQCREDIT_H
#define HQCREDIT_H

#include <stdio.h>

#include "hqdues.h"
#include "hqstore_credit.h"

#define HQCREDIT_SHARE "credit_share"
#define HQCREDIT_CUTOFF "credit_cutoff_day"

/* The statement month (YYYYMM) with cut-off day `cutoff`: its first and
 * last day (yyyymmdd), and the month a date falls in. */
int32_t hqcredit_month_first(int32_t month, int cutoff);
int32_t hqcredit_month_last(int32_t month, int cutoff);
int32_t hqcredit_month_of(int32_t date, int cutoff);

/* The settings: share (0..100) and cut-off day (1..31). */
enum cm_rc hqcredit_settings(struct hqstore *st, int64_t *share, int64_t *cutoff);
/* Sets one; a share that changes recomputes every limit (those whose
 * limit moves take a new version). */
enum cm_rc hqcredit_setting_put(struct hqstore *st, const char *name, int64_t v, bool *changed);
/* A member's limit amount (-1: back to the share of salary). */
enum cm_rc hqcredit_limit_set(struct hqstore *st, const char *number, int64_t amount,
                              struct hq_member *out);

/* Folds one ledger row of a pushed event, in the push's transaction:
 * takes the members counter's lock, then the member's row; the member
 * takes a new version. A charge that takes the balance over the limit
 * raises credit_over_limit; a row for a member HQ does not know is kept
 * (never lost) with the alert credit_unknown_member. */
enum cm_rc hqcredit_fold(struct hqstore *st, const struct hq_credit_row *r);

/* ---- the statement ---- */

struct hqcredit_statement {
	struct hq_member m;
	int32_t month, first, last;       /* YYYYMM, its first and last day */
	cm_money opening, charges, refunds, payments, closing, due;
	cm_money settled;                 /* payroll payments for this month (booked after it) */
	struct hq_credit_row *rows;       /* of the month, by date */
	size_t nrows;
};

/* CM_NOTFOUND when HQ does not know the member. Free with
 * hqcredit_statement_free. */
enum cm_rc hqcredit_statement(struct hqstore *st, const char *number, int32_t month,
                              struct hqcredit_statement *out);
void hqcredit_statement_free(struct hqcredit_statement *s);
void hqcredit_statement_print(FILE *f, const struct hqcredit_statement *s, bool csv);

/* ---- payroll ---- */

struct hqcredit_payroll_line {
	char employee_no[32], number[24], name[64], department[64];
	cm_money wajib, credit;           /* due: wajib owed through the month, credit at its cut-off */
};

/* The employer's live members with what is due for the month (malloc'd,
 * caller frees); CM_NOTFOUND when the employer has no member. */
enum cm_rc hqcredit_payroll_export(struct hqstore *st, const char *employer, int32_t month,
                                   struct hqcredit_payroll_line **out, size_t *n);
void hqcredit_payroll_print(FILE *f, const struct hqcredit_payroll_line *l, size_t n,
                            const char *employer, int32_t month, bool csv);

/* What a member owes for the month: wajib owed through it (the dues
 * standing) and the credit balance at its cut-off less what payroll paid
 * for the month already (0 when in credit);
 * owed (may be NULL): the dues standing, its months owed oldest first. */
enum cm_rc hqcredit_payroll_due(struct hqstore *st, const char *number, int32_t month,
                                cm_money *wajib, cm_money *credit, struct hqdues_standing *owed);

/* A deduction as imported, against what was due. */
struct hqcredit_deduction {
	char number[24], name[64];
	int32_t month;
	cm_money wajib_due, wajib_paid, credit_due, credit_paid;
	bool missing;                     /* no line for a member who owed */
};

struct hqcredit_payroll_result {
	size_t applied, already, bad;
	struct hqcredit_deduction *shortfall;  /* short or missing, left outstanding */
	size_t nshort;
};

/* Imports a CSV of what payroll deducted (employee_no or member, period,
 * wajib, credit): each member and month once (a line for one already
 * imported is counted in `already` and changes nothing); wajib folds into
 * the savings ledger by the dues rule, oldest month owed first (what is
 * left over goes to sukarela), credit is a payment. A bad line refuses
 * the file (named on errs). Free shortfall. */
enum cm_rc hqcredit_payroll_import(struct hqstore *st, const char *path, FILE *errs,
                                   struct hqcredit_payroll_result *out);
void hqcredit_payroll_result_print(FILE *f, const struct hqcredit_payroll_result *r);

/* The commands `credit ...` and `payroll ...` (hq.c): exit codes as hq.c's. */
int hqcredit_cmd_credit(struct hqstore *st, int argc, char **argv);
int hqcredit_cmd_payroll(struct hqstore *st, int argc, char **argv);

#endif
