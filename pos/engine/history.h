/* Completed sales as records, and their receipt text. The receipt is a pure
 * function of what was committed (core/receipt.h) and of the heading the
 * sale printed (kept with it), so a reprint is the same receipt with a
 * reprint banner, whatever the store's settings say today. */
#ifndef HISTORY_H
#define HISTORY_H

#include "core/dues.h"
#include "engine/till.h"

struct sale_record {
	struct sale_header h;
	struct line_rec *lines;               /* owned */
	struct sale_line_amounts *amounts;    /* owned, parallel to lines */
	size_t nlines;
	struct tender_rec *tenders;           /* owned */
	size_t ntenders;
	struct dues_line *dues;               /* owned: members' dues paid */
	size_t ndues;
	char cashier[96];                     /* "101 Siti" */
	char member[96];                      /* "" when none */
	char hash_hex[2 * CHAIN_HASH_LEN + 1];/* hash of the sale's journal event */
	struct receipt_head head;             /* the heading its receipt printed */
	bool member_copy;                     /* render the member's copy to sign */
};

/* By id, or by receipt number when receipt_no is not NULL. */
enum cm_rc history_load(struct till *t, int64_t id, const char *receipt_no,
                        struct sale_record *out);
void history_free(struct sale_record *r);
/* Receipt text (malloc'd, caller frees) at the given width (0 = the
 * store's setting); NULL on a bad width or out of memory. */
char *history_receipt(struct till *t, const struct sale_record *r, int columns, bool reprint);
/* The same with its structure marked for the printer (receipt_render_marked). */
char *history_receipt_marked(struct till *t, const struct sale_record *r, int columns,
                             bool reprint);
/* The check code (core/checkcode.h) of the receipt of the journal event
 * seq with hash hash_hex, on terminal terminal of this store, into buf
 * (CHECKCODE_MAX); "" when the store has no store code yet (HQ could not
 * answer about it) or a field cannot be written. */
void history_check_code(struct till *t, const char *terminal, const char *receipt_no,
                        int64_t seq, const char *hash_hex, cm_money due, char *buf, size_t n);
/* The heading a receipt printed now would have (the store's settings). */
void history_head_now(struct till *t, struct receipt_head *out);

#endif
