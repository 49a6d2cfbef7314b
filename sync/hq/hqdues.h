/* Members' savings (simpanan) at HQ, the book of record: the rule that
 * decides whether a payment counts, a member's standing, the members pull
 * that carries it, and the figures of the reports. The arithmetic is
 * pos/core/dues.h, the same as the till's; the rows are hqstore_dues.h's.
 * sync/PROTOCOL.md ("Members' dues") and sync/README.md say the rules. */
#ifndef HQDUES_H
#define HQDUES_H

#include <stdio.h>

#include "hqstore_dues.h"

/* The setting that makes a member inactive for dues (months owed). */
#define HQDUES_INACTIVE_AFTER "dues_inactive_after"
/* At most this many owed months are listed per member in a pull. */
#define HQDUES_MAX_OWED 120

/* HQ's current month (YYYYMM) in local time (TZ): the clock, or
 * COOPMART_FAKE_TIME (unix seconds) as the till reads it. */
int32_t hqdues_month_now(void);
/* The same clock's date (yyyymmdd). */
int32_t hqdues_today(void);

/* The schedule and the setting, read once per request or command. */
struct hqdues_schedule {
	struct dues_rate *r;
	size_t n;
	int64_t inactive_after;
};

enum cm_rc hqdues_schedule_load(struct hqstore *st, struct hqdues_schedule *out);
void hqdues_schedule_free(struct hqdues_schedule *s);

/* A member's standing in a month. */
struct hqdues_standing {
	cm_money pokok_owed;
	struct dues_standing wajib;
	cm_money sukarela;
	bool inactive;
	size_t nowed;                     /* listed in owed[], at most HQDUES_MAX_OWED */
	struct dues_owed owed[HQDUES_MAX_OWED];
};

void hqdues_standing(const struct hqdues_schedule *s, const struct hq_member_dues *md,
                     int32_t month, struct hqdues_standing *out);

/* Puts the rates (new or another amount) in one transaction; when one
 * changes, every member takes a new version (their standing may change).
 * *changed: how many changed. */
enum cm_rc hqdues_rates_put(struct hqstore *st, const struct dues_rate *r, size_t n,
                            size_t *changed);
/* The same for a setting (HQDUES_INACTIVE_AFTER). */
enum cm_rc hqdues_setting_put(struct hqstore *st, const char *name, int64_t v, bool *changed);

/* ---- folding a payment ---- */

enum hqdues_outcome {
	HQDUES_COUNTED,
	HQDUES_DUPLICATE,                 /* kept uncounted, alert dues_duplicate */
	HQDUES_UNKNOWN_MEMBER,            /* kept uncounted, alert dues_unknown_member */
};

/* Folds one payment by the rule (PROTOCOL.md): pokok and wajib count while
 * what they pay still owes something, sukarela always. Inside a
 * transaction that took hqstore_members_version_lock(); the member takes
 * `version`. Raises the alert of an uncounted payment. m: the member as
 * read with the lock (hqstore_member_get), or NULL to have it read. */
enum cm_rc hqdues_fold(struct hqstore *st, const struct hqdues_schedule *s,
                       const struct hq_dues_pay *p, const struct hq_member *m, int64_t version,
                       enum hqdues_outcome *out);

/* ---- the members pull ---- */

/* A page of GET /v1/members as JSON (malloc'd, caller frees *json):
 * members with since < version <= upto after the cursor, each with its
 * standing in HQ's current month, the schedule, and the terminal's
 * acknowledged head. */
enum cm_rc hqdues_members_page(struct hqstore *st, const struct hq_terminal *t, int64_t since,
                               int64_t upto, int64_t after_v, const char *after_key,
                               int64_t limit, char **json);

/* ---- reports ---- */

struct hqdues_arrear {
	char number[24], name[64], type[24], status[12], store[32];
	int months;                       /* wajib months owed */
	cm_money wajib, pokok;            /* rupiah owed */
	int32_t oldest;                   /* the oldest month owed (pokok: the joining month) */
	bool inactive;
};

/* Who owes what in `month`, oldest first (then by number); a home store's
 * members or all (store NULL). *out malloc'd, caller frees. */
enum cm_rc hqdues_arrears(struct hqstore *st, const char *store, int32_t month,
                          struct hqdues_arrear **out, size_t *n);

struct hqdues_statement {
	struct hq_member m;
	int32_t month;                    /* the standing's */
	int year;                         /* 0: every year */
	cm_money counted[DUES_KIND_COUNT];  /* of the payments listed */
	cm_money uncounted;
	struct hq_dues_pay *pays;         /* listed payments, oldest first */
	size_t npays;
	struct hqdues_standing standing;  /* over every year */
};

/* CM_NOTFOUND when HQ does not know the member. Free with
 * hqdues_statement_free. */
enum cm_rc hqdues_statement(struct hqstore *st, const char *number, int year, int32_t month,
                            struct hqdues_statement *out);
void hqdues_statement_free(struct hqdues_statement *s);

/* The reports for people (Bahasa Indonesia, English by LANG) or as CSV
 * (core/csvout.h). */
void hqdues_arrears_print(FILE *f, const struct hqdues_arrear *a, size_t n, int32_t month,
                          bool csv);
void hqdues_statement_print(FILE *f, const struct hqdues_statement *s, bool csv);

#endif
