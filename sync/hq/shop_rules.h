/* The online store's rules that need no database (shop_rules.c): the
 * pickup slots a store offers, why an order is refused and how that reads
 * to a member, and a line's amount. Messages in the reader's language
 * (web_tr: the request's in the server, the locale's on the command line). */
#ifndef SHOP_RULES_H
#define SHOP_RULES_H

#include "hqstore_shop.h"

#include <stddef.h>
#include <stdint.h>

/* How far ahead a member may order. */
#define SHOP_SLOT_DAYS 7

enum shop_why {
	SHOP_FINE,
	SHOP_CLOSED,           /* the store has no shop */
	SHOP_INACTIVE,         /* the member left or is blocked */
	SHOP_TOO_MANY,         /* n: the store's limit of open orders */
	SHOP_BAD_SLOT,         /* not one of the store's slots */
	SHOP_CUTOFF,           /* n: the cut-off in minutes */
	SHOP_EMPTY,
	SHOP_TOO_MANY_LINES,   /* n: the most lines an order may have */
	SHOP_NO_ITEM,          /* sku */
	SHOP_BAD_QTY,          /* sku: not a positive quantity (whole pieces unless weighed) */
	SHOP_LINE_LIMIT,       /* sku, n: the store's limit in thousandths */
	SHOP_NOT_AVAILABLE,    /* sku, n: what is available, thousandths */
};
struct shop_verdict {
	enum shop_why why;
	char sku[64];
	int64_t n;
};
/* A quantity in thousandths as people write it: "2", "1,5", "0,25"
 * (a decimal comma, as in Indonesia). Returns buf. */
const char *shop_qty_text(int64_t qty, char *buf, size_t n);
/* The verdict in words for the member, into buf. */
void shop_verdict_text(const struct shop_verdict *v, char *buf, size_t n);

/* The slot starts (unix time) a member may still choose at now: each
 * slot_min from open_min to close_min, local time, today and the next
 * SHOP_SLOT_DAYS - 1 days, whose start less the cut-off is not past.
 * Returns how many were written (at most max). */
size_t shop_slots(const struct shop_settings *s, int64_t now, int64_t *out, size_t max);
/* SHOP_FINE (and *end, the slot's end) when start is one of the store's
 * slot starts and its cut-off is not past; SHOP_CUTOFF or SHOP_BAD_SLOT. */
enum shop_why shop_slot_check(const struct shop_settings *s, int64_t now, int64_t start,
                              int64_t *end);
/* "2026-12-07 10:00-11:00" in the store's time, into buf. */
void shop_slot_text(const struct shop_settings *s, int64_t start, int64_t end, char *buf,
                    size_t n);
/* A line's amount: qty (thousandths) at price, to the rupiah as the
 * till rings it (money_line_amount: half away from zero), so that the
 * total a member is shown is what the till charges. qty and price within
 * their limits (999,999 pieces, MONEY_PRICE_MAX) cannot overflow. */
int64_t shop_line_amount(int64_t qty, int64_t price);
/* "2", "1.5" or "1,25" (at most 3 decimals, at most 999999 pieces) into
 * thousandths; false for anything else (signs, spaces, letters). */
bool shop_qty_parse(const char *s, int64_t *out);
/* Text a member typed (a search, a number): valid UTF-8 (no overlong
 * forms, no surrogates), no control characters, at most max bytes. */
bool shop_text_ok(const char *t, size_t max);
/* "YYYY-MM-DD HH:MM" in the store's time as unix time; false when
 * malformed. */
bool shop_local_parse(const struct shop_settings *s, const char *text, int64_t *out);

#endif
