/* Member credit (potong gaji) in HQ's database: the members' credit terms
 * and balance, the credit ledger and the payroll deductions imported
 * (schema/hq/sqlite/006_credit.sql). Raw rows only; the rules are
 * hqcredit.c's. Same conventions as hqstore.h. */
#ifndef HQSTORE_CREDIT_H
#define HQSTORE_CREDIT_H

#include "hqstore_dues.h"

enum hq_credit_kind { HQ_CREDIT_CHARGE, HQ_CREDIT_REFUND, HQ_CREDIT_PAYMENT };

const char *hq_credit_kind_name(enum hq_credit_kind k);

struct hq_credit_row {
	char member_no[24];
	enum hq_credit_kind kind;
	int64_t amount;                   /* > 0; a charge adds, the others take off */
	int32_t date;                     /* yyyymmdd */
	char store[32];
	char terminal[16];
	int64_t seq;
	char receipt[32];
	int32_t period;                   /* a payment's statement month, else 0 */
};

/* Adds the row and moves the member's balance by it; the member (when HQ
 * knows them) takes `version`. */
enum cm_rc hqstore_credit_insert(struct hqstore *st, const struct hq_credit_row *r,
                                 int64_t version);
/* A member's rows by date, then as folded. */
typedef enum cm_rc (*hq_credit_row_fn)(const struct hq_credit_row *r, void *ctx);
enum cm_rc hqstore_credit_each(struct hqstore *st, const char *member, hq_credit_row_fn fn,
                               void *ctx);
/* The stores of a member's charges dated from..to, ", "-separated. */
enum cm_rc hqstore_credit_stores(struct hqstore *st, const char *member, int32_t from,
                                 int32_t to, char *buf, size_t n);

/* A member's credit terms: amount (-1: a share of salary; < -1 keeps
 * what HQ has), salary (< 0 keeps). The limit in force is then
 * recomputed with share (percent); *changed when it moved (the member
 * takes `version`). */
enum cm_rc hqstore_credit_terms_set(struct hqstore *st, const char *number, int64_t amount,
                                    int64_t salary, int64_t share, int64_t version,
                                    bool *changed);
/* Every member's limit recomputed with share; *changed: how many moved. */
enum cm_rc hqstore_credit_limits_recompute(struct hqstore *st, int64_t share, int64_t version,
                                           int64_t *changed);

/* A live member by employee number (the first by number when two have
 * it); CM_NOTFOUND when none. */
enum cm_rc hqstore_member_by_employee(struct hqstore *st, const char *employee_no,
                                      struct hq_member *out);
/* Live members of an employer by employee number, then number
 * (malloc'd, caller frees). */
enum cm_rc hqstore_members_of_employer(struct hqstore *st, const char *employer,
                                       struct hq_member **out, size_t *n);

/* CM_OK when the member's deduction for the period was imported,
 * CM_NOTFOUND when not. */
enum cm_rc hqstore_payroll_seen(struct hqstore *st, const char *member, int32_t period);
enum cm_rc hqstore_payroll_insert(struct hqstore *st, const char *member, int32_t period,
                                  int64_t wajib, int64_t credit);

#endif
