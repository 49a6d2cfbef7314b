/* Members' savings (simpanan): kinds, months, the dated rate schedule, and
 * what a member owes. Pure arithmetic shared by the till and HQ, so both
 * say the same thing about the same member.
 *
 * The rules (sync/PROTOCOL.md and README "Members' dues" say them too):
 * - pokok is paid once, on joining: the rate in force in the month of
 *   joining for the member's type;
 * - wajib is owed for every month from the month of joining (whatever the
 *   day) through the current month, or through the month of leaving for a
 *   member who left; each month at the rate in force that month for the
 *   member's type ("from" a month onwards, the latest "from" wins);
 * - a month is paid when what was counted for it reaches its rate; a month
 *   short of it owes the difference;
 * - sukarela is any amount, owed never;
 * - a member is inactive for dues with inactive_after or more months owed.
 * Months are YYYYMM integers; amounts integer rupiah. */
#ifndef CORE_DUES_H
#define CORE_DUES_H

#include "core/cm.h"
#include "core/money.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dues_kind { DUES_POKOK = 0, DUES_WAJIB = 1, DUES_SUKARELA = 2, DUES_KIND_COUNT };

/* "pokok", "wajib", "sukarela": the names in files, payloads and the CLI. */
const char *dues_kind_name(enum dues_kind k);
enum cm_rc dues_kind_parse(const char *s, enum dues_kind *out);

/* Months. A valid month has a year 1900..2999 and a month 1..12. */
bool dues_month_valid(int32_t m);
int32_t dues_month_of_date(int32_t yyyymmdd);
int32_t dues_month_add(int32_t m, int n);
/* Months from a to b (b - a), negative when b is earlier. */
int dues_month_diff(int32_t a, int32_t b);
/* "2026-09" or "202609". */
enum cm_rc dues_month_parse(const char *s, int32_t *out);
/* "2026-09"; n >= 8. */
void dues_month_format(int32_t m, char *buf, size_t n);

/* A member type's rate of one kind from a month on. Types are free text
 * chosen by the coop ("biasa", "karyawan", "luar biasa"...). */
struct dues_rate {
	char type[24];
	enum dues_kind kind;
	int32_t from;            /* YYYYMM */
	cm_money amount;
};

struct dues_rates {
	const struct dues_rate *r;
	size_t n;
};

/* The rate in force for type and kind in month m; 0 when none is set. */
cm_money dues_rate(const struct dues_rates *rs, const char *type, enum dues_kind k, int32_t m);

struct dues_member {
	const char *type;
	int32_t join_date;       /* YYYYMMDD */
	int32_t left_date;       /* YYYYMMDD, 0 = still a member */
};

/* What was counted for one wajib month. */
struct dues_paid {
	int32_t month;
	cm_money amount;
};

/* One month owed and how much of it. */
struct dues_owed {
	int32_t month;
	cm_money amount;
};

struct dues_standing {
	int months;              /* months owed (each short of its rate) */
	cm_money arrears;        /* rupiah owed for them */
	int32_t oldest;          /* the oldest month owed, 0 none */
	int32_t through;         /* paid without a gap from joining through this
	                          * month, 0 when the first month is owed */
	int32_t paid_until;      /* the latest month with anything counted, 0 none */
};

/* The wajib months the member owes from joining through `upto` (or the
 * month of leaving, whichever is earlier), oldest first. `paid` is what was
 * counted per month, in any order, months may repeat (their amounts add).
 * Writes at most `max` months to owed[] (owed may be NULL with max 0) and
 * returns how many there are in all; *st gets the totals of all of them. */
size_t dues_owed(const struct dues_rates *rs, const struct dues_member *m,
                 const struct dues_paid *paid, size_t npaid, int32_t upto,
                 struct dues_owed *owed, size_t max, struct dues_standing *st);

/* Dues on a ticket or a completed sale: one row per wajib month, one per
 * pokok, one per sukarela amount (month 0 for both). */
struct dues_line {
	int32_t n;               /* 1-based within the ticket or sale */
	int64_t member_id;
	enum dues_kind kind;
	int32_t month;           /* YYYYMM for wajib, else 0 */
	cm_money amount;
};

/* What pokok the member still owes: the rate at the month of joining less
 * what was counted for it, never below 0. */
cm_money dues_pokok_owed(const struct dues_rates *rs, const struct dues_member *m,
                         cm_money pokok_paid);

#endif
