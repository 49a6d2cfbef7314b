/* SHU in HQ's database: the year's settings, the figures a run reads
 * (members, their sales and returns, their savings) and posted runs,
 * frozen (schema/hq/sqlite/006_shu.sql). Raw rows only; the arithmetic is
 * pos/core/shu.h's and the rules hqshu.c's.
 * Same conventions as hqstore.h: the calling thread's connection, joining
 * a transaction in progress; messages in hqstore_errmsg(). The callbacks
 * run while their query is open: they must not query. */
#ifndef HQSTORE_SHU_H
#define HQSTORE_SHU_H

#include "hqstore_dues.h"
#include "core/shu.h"

/* ---- settings ---- */

/* The year's amount, pools (by name) and rules (defaults for those not
 * set); CM_NOTFOUND when no amount is set for the year (the pools and
 * rules are read all the same), CM_INVALID above SHU_MAX_POOLS pools. */
enum cm_rc hqstore_shu_year_get(struct hqstore *st, int year, struct shu_year *out);
enum cm_rc hqstore_shu_amount_set(struct hqstore *st, int year, cm_money amount);
/* bp < 0 removes the pool. */
enum cm_rc hqstore_shu_pool_set(struct hqstore *st, int year, const char *name, int32_t bp);
enum cm_rc hqstore_shu_pools_clear(struct hqstore *st, int year);
enum cm_rc hqstore_shu_rule_set(struct hqstore *st, int year, const char *name,
                                const char *value);

/* ---- what a run reads ---- */

/* Every live member, in number order. */
typedef enum cm_rc (*hq_shu_member_fn)(const struct hq_member *m, void *ctx);
enum cm_rc hqstore_shu_members_each(struct hqstore *st, hq_shu_member_fn fn, void *ctx);
/* Members' sales (ret false) and returns against a member's sale (ret
 * true: the sale found by its receipt at the returning store), summed per
 * member and business date, first <= date <= last. Dues are not in a
 * sale's total. */
typedef enum cm_rc (*hq_shu_move_fn)(const char *member, int32_t date, cm_money amount,
                                     bool ret, void *ctx);
enum cm_rc hqstore_shu_moves_each(struct hqstore *st, int32_t first, int32_t last,
                                  hq_shu_move_fn fn, void *ctx);
/* Every sale's total less every return's, first <= date <= last. */
enum cm_rc hqstore_shu_turnover(struct hqstore *st, int32_t first, int32_t last,
                                cm_money *out);
/* Counted savings paid on or before `last`, summed per member, kind,
 * month paid (YYYYMM) and wajib month, in member order. */
typedef enum cm_rc (*hq_shu_saving_fn)(const char *member, enum dues_kind k, int32_t paid_month,
                                       int32_t month, cm_money amount, void *ctx);
enum cm_rc hqstore_shu_savings_each(struct hqstore *st, int32_t last, hq_shu_saving_fn fn,
                                    void *ctx);

/* ---- posted runs ---- */

struct hq_shu_run {
	int year;
	cm_money amount;
	char rules[200];                  /* "denominator=members;savings=year-end;..." */
	cm_money turnover;
	int64_t members;
	uint8_t hash[CHAIN_HASH_LEN];
	int64_t posted_at;
};

/* CM_NOTFOUND when the year is not posted. */
enum cm_rc hqstore_shu_run_get(struct hqstore *st, int year, struct hq_shu_run *out);
/* Every posted run, newest year first. */
typedef enum cm_rc (*hq_shu_run_fn)(const struct hq_shu_run *r, void *ctx);
enum cm_rc hqstore_shu_runs_each(struct hqstore *st, hq_shu_run_fn fn, void *ctx);
/* The posted pools in their order, at most SHU_MAX_POOLS. */
enum cm_rc hqstore_shu_run_pools(struct hqstore *st, int year, struct shu_pool *p,
                                 size_t *n);
typedef enum cm_rc (*hq_shu_run_member_fn)(const struct shu_member *m, void *ctx);
enum cm_rc hqstore_shu_run_members_each(struct hqstore *st, int year, hq_shu_run_member_fn fn,
                                        void *ctx);
/* Inside a transaction. */
enum cm_rc hqstore_shu_run_insert(struct hqstore *st, const struct hq_shu_run *r,
                                  const struct shu_pool *p, size_t np,
                                  const struct shu_member *m, size_t n);

#endif
