/* SHU (sisa hasil usaha): the year's surplus shared out among members in
 * proportion to what each bought (jasa usaha) and saved (jasa modal).
 * Pure integer arithmetic, no database: HQ (sync/hq/hqshu.c) feeds it the
 * year's figures and it hands back every rupiah of every pool.
 *
 * The rules, as sync/README.md "SHU" writes them down:
 *  - pools: the year's SHU amount split by percentages in basis points
 *    (1% = 100) adding up to exactly 10000; each pool's amount rounded
 *    down and the rupiah left handed out by largest remainder (ties: the
 *    pool listed first), so the pools add up to the SHU exactly;
 *  - a member pool (jasa-usaha, jasa-modal) is shared out the same way
 *    among members: share = pool * weight / denominator rounded down, the
 *    rupiah left by largest remainder, ties by member number (the order
 *    of the members' array, which the caller sorts by number);
 *  - a movement counts in the fiscal year (calendar year) of its business
 *    date, the date the till's day was opened under: a sale rung up at
 *    23:50 on 31 December and paid after midnight is that year's;
 *  - a return counts in the year of the return, also for a sale of an
 *    earlier year: that year's SHU was shared out at its RAT and is not
 *    reopened (a member's purchases never go below 0);
 *  - a member's weight is the figure times a percent (100 counted,
 *    0 excluded, P a reduced share for members inactive for dues), so the
 *    pool still goes out whole among the others. */
#ifndef SHU_H
#define SHU_H

#include "core/cm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHU_WHOLE_BP 10000
#define SHU_MAX_POOLS 16
#define SHU_POOL_NAME 32
/* The largest SHU amount: Rp10 trillion. */
#define SHU_AMOUNT_MAX ((cm_money)10000000000000LL)

/* The two pools shared among members, by their names. */
#define SHU_POOL_USAHA "jasa-usaha"
#define SHU_POOL_MODAL "jasa-modal"
enum shu_member_pool { SHU_USAHA = 0, SHU_MODAL = 1, SHU_MEMBER_POOLS };

struct shu_pool {
	char name[SHU_POOL_NAME];
	int32_t bp;               /* basis points of the SHU */
	cm_money amount;          /* shu_pools_split */
};

/* "35", "35%", "12.5", "12,25%" (at most two decimals) or "3500bp" into
 * basis points from 0 to 10000; CM_INVALID otherwise. */
enum cm_rc shu_percent_parse(const char *s, int32_t *bp);
/* "35%", "12,5%", "0,25%" (decimal comma, as Indonesian readers write). */
void shu_percent_format(int32_t bp, char *buf, size_t n);
/* A pool name: 1 to 31 of a-z, 0-9, '-'; the member pools by their names. */
bool shu_pool_name_valid(const char *name);
/* The pool of members a name is, or -1 for the coop's own pools. */
int shu_pool_member(const char *name);

/* Sets each pool's amount. CM_INVALID when the percentages do not add up
 * to 10000 (*sum gets what they add up to, in basis points). */
enum cm_rc shu_pools_split(cm_money amount, struct shu_pool *p, size_t n, int64_t *sum);

/* Shares pool among n weights and one more, `rest` (a part that is not
 * shared: non-members' turnover), taking rest last in ties. out[i] for
 * each weight, *rest_out the rest's. Every weight >= 0, their sum > 0
 * unless pool is 0 or all are 0 (then everything is 0 and CM_OK).
 * CM_INVALID for a negative weight or a sum that overflows. */
enum cm_rc shu_share_out(cm_money pool, const int64_t *w, size_t n, int64_t rest,
                         cm_money *out, cm_money *rest_out);

/* ---- the rules ---- */

enum shu_denominator { SHU_DENOM_MEMBERS, SHU_DENOM_TURNOVER };
enum shu_savings { SHU_SAVINGS_YEAR_END, SHU_SAVINGS_MONTHLY };
enum shu_inactive { SHU_INACTIVE_INCLUDE, SHU_INACTIVE_EXCLUDE, SHU_INACTIVE_REDUCE };

struct shu_rules {
	enum shu_denominator denominator;
	enum shu_savings savings;
	bool sukarela;
	enum shu_inactive inactive;
	int reduce_pct;           /* SHU_INACTIVE_REDUCE: 1..99 */
};

/* The defaults: all members' purchases, pokok + wajib at year end,
 * sukarela not counted, inactive members included. */
void shu_rules_default(struct shu_rules *r);
/* Sets one rule by name and value, as written in the output:
 *   denominator members|turnover   savings year-end|monthly-average
 *   sukarela no|yes                inactive include|exclude|reduce:P
 * CM_NOTFOUND for an unknown name, CM_INVALID for a wrong value. */
enum cm_rc shu_rule_set(struct shu_rules *r, const char *name, const char *value);
/* The value of rule `name` as shu_rule_set reads it. */
void shu_rule_value(const struct shu_rules *r, const char *name, char *buf, size_t n);
/* The rules' names, NULL-terminated. */
extern const char *const shu_rule_names[];

/* ---- a member's figures ---- */

/* True when business_date (yyyymmdd) falls in fiscal year `year`. */
bool shu_in_year(int year, int32_t business_date);

struct shu_member {
	char number[24];
	char name[64];
	char store[32];           /* home store, "" none */
	bool inactive;            /* for dues, at the year's end */
	cm_money bought;          /* sales of the year, dues excluded */
	cm_money returned;        /* returns of the year against the member's sales */
	/* Counted savings (the kinds the rules count) at each month's end
	 * of the year, paid on or before that day. */
	cm_money balance[12];
	/* shu_compute's: */
	int pct;                  /* 100, 0 or the reduced share */
	cm_money purchases;       /* bought - returned, never below 0 */
	cm_money savings;         /* year-end balance or the monthly average (rounded down) */
	int64_t usaha_w, modal_w; /* weights: purchases * pct; savings (x12 monthly) * pct */
	cm_money share[SHU_MEMBER_POOLS];
};

/* A sale (ret false) or return of the member with this business date
 * adds to the member's year when it falls in it; false when it does not. */
bool shu_member_add(struct shu_member *m, int year, int32_t business_date, cm_money amount,
                    bool ret);

struct shu_year {
	int year;
	cm_money amount;
	struct shu_pool pools[SHU_MAX_POOLS];
	size_t npools;
	struct shu_rules rules;
};

struct shu_totals {
	cm_money pool[SHU_MEMBER_POOLS];      /* the member pools' amounts */
	cm_money paid[SHU_MEMBER_POOLS];      /* to members */
	cm_money unshared[SHU_MEMBER_POOLS];  /* jasa usaha's non-members' part */
	cm_money purchases;                   /* all members' (before pct) */
	cm_money turnover;                    /* net, non-members too */
	cm_money savings;                     /* all members' (before pct) */
	int64_t usaha_w, modal_w;             /* the denominators in weight units */
	size_t members;
};

/* Splits the pools and shares the member pools among m[0..n) (sorted by
 * number). turnover: every sale net of every return in the year.
 * CM_INVALID (message in err) when the pools do not add up to 100%. */
enum cm_rc shu_compute(struct shu_year *y, struct shu_member *m, size_t n, cm_money turnover,
                       struct shu_totals *t, char *err, size_t errlen);

#endif
