/* The receipt check: a member's receipt code (pos/core/checkcode.h)
 * against what HQ holds, for `coopmart-hq check CODE` and the public page
 * GET /check (web_check.c). The answer says only whether the receipt
 * matches, and for a match that receipt's date and amount: never an item,
 * a member, a cashier or another receipt.
 *
 *   match       HQ holds the sale (or return) event at the code's
 *               terminal and sequence, its hash starts with the code's,
 *               its receipt number and amount are the code's
 *   not_synced  the sequence is past what HQ holds of the terminal
 *   differs     HQ holds that sequence and something above does not agree:
 *               an alert "receipt_mismatch" (store, terminal, sequence)
 *               stays until an operator acknowledges it
 *   unknown     HQ has no such store and terminal (the same answer for
 *               both, so nobody learns which stores exist) */
#ifndef HQCHECK_H
#define HQCHECK_H

#include "hqstore.h"
#include "core/checkcode.h"

enum hqcheck_result { HQCHECK_MATCH, HQCHECK_NOT_SYNCED, HQCHECK_DIFFERS, HQCHECK_UNKNOWN };

struct hqcheck {
	enum hqcheck_result result;
	int32_t date;                     /* a match: yyyymmdd; else 0 */
	int64_t due;                      /* a match: the amount; else 0 */
};

/* "match", "not_synced", "differs", "unknown": the JSON answer's words. */
const char *hqcheck_result_name(enum hqcheck_result r);

/* The answer as JSON (malloc'd, caller frees; NULL out of memory):
 * {"result": "match", "date": "2026-01-02", "due": 57500}, date and due
 * for a match only. */
char *hqcheck_json(const struct hqcheck *c);

/* Checks c. CM_OK with out set, else a storage error. The alert of a
 * difference says what differs, not who asked: the same receipt checked
 * again (by anyone) counts on the same alert. */
enum cm_rc hqcheck_run(struct hqstore *st, const struct checkcode *c, struct hqcheck *out);

#endif
