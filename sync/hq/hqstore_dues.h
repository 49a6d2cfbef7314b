/* HQ's members and their savings (simpanan) in the database: the member
 * data, the dated dues schedule, HQ's settings and the savings ledger
 * (schema/hq/sqlite/005_dues.sql). Raw rows only; the rules (what counts,
 * what a member owes) are hqdues.c's, with pos/core/dues.h.
 * Same conventions as hqstore.h: the calling thread's connection, joining
 * a transaction in progress; messages in hqstore_errmsg(). */
#ifndef HQSTORE_DUES_H
#define HQSTORE_DUES_H

#include "hqstore.h"
#include "core/dues.h"

/* A member as HQ keeps it. */
struct hq_member {
	char number[24];
	char name[64];
	char card_code[32];
	char status[12];                  /* active, left, blocked */
	char type[24];
	int32_t join_date;                /* yyyymmdd, 0 not known */
	int32_t left_date;                /* yyyymmdd, 0 still a member */
	char employer[64];
	char department[64];
	char employee_no[32];
	char store[32];                   /* home store, "" none */
	int64_t version;
	bool deleted;
	int64_t credit_limit, credit_balance;  /* hqcredit.h: read only here */
};

/* Which of a member's fields an import gives; the others keep what HQ
 * has (a new member: their defaults). number, name, card_code and status
 * are always given. */
enum hq_member_field {
	HQ_MF_TYPE = 1, HQ_MF_JOIN = 2, HQ_MF_LEFT = 4, HQ_MF_EMPLOYER = 8,
	HQ_MF_DEPARTMENT = 16, HQ_MF_EMPLOYEE_NO = 32, HQ_MF_STORE = 64,
};

/* Upserts; *changed when the row differs and so takes `version`. */
enum cm_rc hqstore_member_upsert(struct hqstore *st, const struct hq_member *m, unsigned given,
                                 int64_t version, bool *changed);
/* The number of another live member holding the card code, into owner
 * (n bytes); CM_NOTFOUND when none. */
enum cm_rc hqstore_member_card_owner(struct hqstore *st, const char *card, const char *number,
                                     char *owner, size_t n);
/* A member by number (deleted ones too: see deleted); CM_NOTFOUND when
 * HQ does not know the number. lock: on PostgreSQL the row stays locked
 * until the transaction ends, so concurrent pushes for one member take
 * turns (SQLite's writers always do). */
enum cm_rc hqstore_member_get(struct hqstore *st, const char *number, bool lock,
                              struct hq_member *out);
enum cm_rc hqstore_member_version_set(struct hqstore *st, const char *number, int64_t version);
/* Every live member takes `version` (a schedule or setting change). */
enum cm_rc hqstore_members_touch(struct hqstore *st, int64_t version);
/* The members counter, locked until the transaction ends (PostgreSQL), so
 * that whoever changes members takes it first: one lock order for all. */
enum cm_rc hqstore_members_version_lock(struct hqstore *st, int64_t *out);

/* Live members of a type without a join date (they owe nothing). */
enum cm_rc hqstore_members_undated(struct hqstore *st, const char *type, int64_t *n);

/* ---- the schedule and settings ---- */

/* The whole schedule (malloc'd, caller frees *out), by type, kind, from. */
enum cm_rc hqstore_dues_rates(struct hqstore *st, struct dues_rate **out, size_t *n);
/* *changed when the rate is new or another amount. */
enum cm_rc hqstore_dues_rate_put(struct hqstore *st, const struct dues_rate *r, bool *changed);
enum cm_rc hqstore_setting(struct hqstore *st, const char *name, int64_t *out);
enum cm_rc hqstore_setting_set(struct hqstore *st, const char *name, int64_t v, bool *changed);

/* ---- the savings ledger ---- */

struct hq_dues_pay {
	char member_no[24];
	enum dues_kind kind;
	int32_t month;                    /* YYYYMM wajib, 0 pokok and sukarela */
	int64_t amount;
	int32_t date;                     /* yyyymmdd */
	bool payroll;                     /* channel payroll, else till */
	char store[32];
	char terminal[16];
	int64_t seq;
	char receipt[32];
	char source[200];                 /* payroll: the line as read */
	bool counted;                     /* read back: counted */
};

/* What is counted for a member's kind and month (pokok, sukarela: 0). */
enum cm_rc hqstore_dues_counted(struct hqstore *st, const char *member, enum dues_kind k,
                                int32_t month, int64_t *sum);
enum cm_rc hqstore_dues_insert(struct hqstore *st, const struct hq_dues_pay *p, bool counted);
/* CM_OK when a payroll line with this source is in the ledger already,
 * CM_NOTFOUND when not. */
enum cm_rc hqstore_dues_source_seen(struct hqstore *st, const char *source);

/* A member's counted savings: pokok and sukarela totals, and the wajib
 * counted per month (malloc'd, caller frees; month order). */
struct hq_member_dues {
	struct hq_member m;
	int64_t pokok, sukarela;
	struct dues_paid *wajib;
	size_t nwajib;
};

/* Members with since < version <= upto after the cursor (version,
 * number), at most limit, each with its counted savings; fn(md, ctx) in
 * (version, number) order. */
typedef enum cm_rc (*hq_member_dues_fn)(const struct hq_member_dues *md, void *ctx);
enum cm_rc hqstore_members_dues_page(struct hqstore *st, int64_t since, int64_t upto,
                                     int64_t after_v, const char *after_key, int64_t limit,
                                     hq_member_dues_fn fn, void *ctx);
/* Every live member (of a home store, or every one when store is NULL),
 * in number order, with its counted savings. */
enum cm_rc hqstore_members_dues_each(struct hqstore *st, const char *store,
                                     hq_member_dues_fn fn, void *ctx);
/* A member's ledger rows, oldest first (by date, then as folded); of one
 * year of payment dates when year > 0. */
typedef enum cm_rc (*hq_dues_pay_fn)(const struct hq_dues_pay *p, void *ctx);
enum cm_rc hqstore_dues_ledger_each(struct hqstore *st, const char *member, int year,
                                    hq_dues_pay_fn fn, void *ctx);

#endif
