/* SHU at HQ: the year's settings (entered after the RAT), a run computed
 * from what HQ folded (members' sales net of returns, their savings from
 * the savings ledger, who was inactive for dues), posting it frozen with
 * its hash, the difference events arriving later make, and the reports.
 * The arithmetic is pos/core/shu.h's, the rows hqstore_shu.h's;
 * sync/README.md "SHU" says the rules. */
#ifndef HQSHU_H
#define HQSHU_H

#include <stdio.h>

#include "hqstore_shu.h"

/* A run: computed from today's figures, or posted (frozen). */
struct hqshu_run {
	struct shu_year y;
	struct shu_member *m;             /* number order; malloc'd */
	size_t n;
	struct shu_totals t;
	bool posted;
	int64_t posted_at;
	uint8_t hash[CHAIN_HASH_LEN];     /* BLAKE2b of the run's canonical text */
};

void hqshu_run_free(struct hqshu_run *r);

/* ---- settings: refused (CM_STATE) once the year is posted ---- */

enum cm_rc hqshu_amount_set(struct hqstore *st, int year, cm_money amount);
/* bp < 0 removes the pool; *sum: the year's pools now, in basis points. */
enum cm_rc hqshu_pool_set(struct hqstore *st, int year, const char *name, int32_t bp,
                          int64_t *sum);
/* Replaces the year's pools, which must add up to 100% (CM_INVALID with
 * the sum in the message). */
enum cm_rc hqshu_pools_put(struct hqstore *st, int year, const struct shu_pool *p, size_t n);
/* A CSV file name,percent (a header row first), all or nothing: bad rows
 * are reported by line to errs. */
enum cm_rc hqshu_pools_import(struct hqstore *st, int year, const char *path, FILE *errs);
enum cm_rc hqshu_rule_set(struct hqstore *st, int year, const char *name, const char *value);
/* The year's settings (CM_NOTFOUND without an amount). */
enum cm_rc hqshu_settings(struct hqstore *st, int year, struct shu_year *out);

/* ---- runs ---- */

/* Today's figures under the year's settings (or the posted settings,
 * when the year is posted). CM_INVALID: the pools do not add up. */
enum cm_rc hqshu_compute(struct hqstore *st, int year, struct hqshu_run *out);
/* The posted run; CM_NOTFOUND when the year is not posted. */
enum cm_rc hqshu_posted(struct hqstore *st, int year, struct hqshu_run *out);
/* Computes and freezes the run; CM_STATE when the year is posted already. */
enum cm_rc hqshu_post(struct hqstore *st, int year, struct hqshu_run *out);
/* The hash of a run's canonical text (sync/README.md "SHU"). */
void hqshu_hash(const struct hqshu_run *r, uint8_t out[CHAIN_HASH_LEN]);
/* The rules as one line: "denominator=members;savings=year-end;...". */
void hqshu_rules_text(const struct shu_rules *r, char *buf, size_t n);
/* The member's index in the run, or -1. */
long hqshu_member_find(const struct hqshu_run *r, const char *number);

/* A member whose figures differ between the posted run and today's. */
struct hqshu_diff {
	char number[24], name[64];
	cm_money purchases[2];            /* posted, now */
	cm_money savings[2];
	bool inactive[2];
};

/* Members whose purchases, savings or standing changed since posting
 * (or who are in only one of the two). *out malloc'd, caller frees. */
enum cm_rc hqshu_diff(const struct hqshu_run *posted, const struct hqshu_run *now,
                      struct hqshu_diff **out, size_t *n);

/* ---- reports (hqshu_report.c): Bahasa Indonesia, English by LANG ---- */

/* Totals per pool and per home store, the `top` largest shares, and the
 * difference (d, nd, with today's run `now`) when r is posted. CSV: every
 * member. */
void hqshu_preview_print(FILE *f, const struct hqshu_run *r, size_t top,
                         const struct hqshu_diff *d, size_t nd, const struct hqshu_run *now,
                         bool csv);
/* Member i's slip: purchases, savings, each pool's share and the formula
 * with the member's own figures. */
void hqshu_slip_print(FILE *f, const struct hqshu_run *r, size_t i, bool csv);

#endif
