/* Members' dues at the till: HQ's standings and schedule as pulled, the
 * dues on open tickets and completed sales, and their totals for reports.
 * The arithmetic is core/dues.h; the rules are in sync/PROTOCOL.md. */
#ifndef STORE_DUES_H
#define STORE_DUES_H

#include "core/dues.h"
#include "store/store.h"

/* HQ's schedule as last pulled (malloc'd, caller frees). */
enum cm_rc store_dues_rates(struct store *st, struct dues_rate **out, size_t *n);
/* Months owed from which a member is shown inactive for dues (HQ's
 * setting as pulled, 3 until then). */
int32_t store_dues_inactive_after(struct store *st);
enum cm_rc store_dues_inactive_after_set(struct store *st, int32_t months);

/* Sets a member's standing and months owed as a pull would (the demo
 * store and tests; the agent stages pulls instead). Inside a transaction. */
enum cm_rc store_member_standing_put(struct store *st, const char *number,
                                     const struct member_standing *h,
                                     const struct dues_owed *owed, size_t n);
/* Replaces the schedule and the inactive-after setting (same use). */
enum cm_rc store_dues_rates_put(struct store *st, const struct dues_rate *r, size_t n,
                                int32_t inactive_after);

/* The wajib months HQ said the member owed, oldest first: at most max. */
enum cm_rc store_member_owed(struct store *st, int64_t member_id, struct dues_owed *out,
                             size_t max, size_t *n);
/* Dues this terminal took for the member in sales journaled after
 * after_seq (what HQ's standing does not count yet), malloc'd. */
enum cm_rc store_member_dues_since(struct store *st, int64_t member_id, int64_t after_seq,
                                   struct dues_line **out, size_t *n);

/* Credit this terminal gave the member (credit tenders of its sales less
 * credit its returns paid back) journaled after after_seq: what HQ's
 * credit balance does not count yet. */
enum cm_rc store_member_credit_since(struct store *st, int64_t member_id, int64_t after_seq,
                                     cm_money *out);

/* The dues of an open ticket: replaced whole, loaded in order. */
enum cm_rc store_ticket_put_dues(struct store *st, int64_t ticket_id, const struct dues_line *d,
                                 size_t n);
enum cm_rc store_ticket_load_dues(struct store *st, int64_t ticket_id, struct dues_line **out,
                                  size_t *n);
/* The dues of a completed sale: written with it, loaded in order. */
enum cm_rc store_sale_dues_insert(struct store *st, int64_t sale_id, const struct dues_line *d,
                                  size_t n);
enum cm_rc store_sale_dues_load(struct store *st, int64_t sale_id, struct dues_line **out,
                                size_t *n);

/* Dues taken with sales completed in [from, to) (unix seconds), per kind;
 * terminal "" = every terminal. */
struct dues_totals {
	int64_t count[DUES_KIND_COUNT];    /* rows: months, pokok payments, sukarela amounts */
	cm_money amount[DUES_KIND_COUNT];
	int64_t members;                   /* distinct members who paid */
};
enum cm_rc store_dues_totals(struct store *st, int64_t from, int64_t to, struct dues_totals *out);
/* The same for sales of this terminal journaled in (from_seq, to_seq],
 * to_seq 0 = open-ended: the X/Z reports' range. */
enum cm_rc store_dues_totals_seq(struct store *st, int64_t from_seq, int64_t to_seq,
                                 struct dues_totals *out);
/* The same for sales of business dates first..last (yyyymmdd). */
enum cm_rc store_dues_totals_by_date(struct store *st, int32_t first, int32_t last,
                                     struct dues_totals *out);

#endif
