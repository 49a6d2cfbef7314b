/* Completed sales as records, and their receipt text. */
#include "engine/history.h"
#include "core/checkcode.h"
#include "core/receipt.h"
#include "store/store_dues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void names(struct till *t, struct sale_record *r)
{
	struct store *st = till_store(t);
	struct user_rec u;
	struct member_rec m;
	if (store_user_by_id(st, r->h.cashier_id, &u) == CM_OK)
		snprintf(r->cashier, sizeof r->cashier, "%s %s", u.number, u.name);
	else
		snprintf(r->cashier, sizeof r->cashier, "#%lld", (long long)r->h.cashier_id);
	if (r->h.member_id && store_member_by_id(st, r->h.member_id, &m) == CM_OK)
		snprintf(r->member, sizeof r->member, "%s %s", m.number, m.name);
}

enum cm_rc history_load(struct till *t, int64_t id, const char *receipt_no,
                        struct sale_record *r)
{
	memset(r, 0, sizeof *r);
	struct store *st = till_store(t);
	enum cm_rc rc = store_sale_load(st, id, receipt_no, &r->h, &r->lines, &r->amounts,
	                                &r->nlines, &r->tenders, &r->ntenders);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	struct journal_entry je;
	if ((rc = journal_get(st, r->h.journal_seq, &je)) != CM_OK) {
		history_free(r);
		return till_store_fail(t, rc);
	}
	chain_hex(je.hash, CHAIN_HASH_LEN, r->hash_hex);
	if ((rc = store_sale_dues_load(st, r->h.id, &r->dues, &r->ndues)) != CM_OK) {
		history_free(r);
		return till_store_fail(t, rc);
	}
	names(t, r);
	rc = store_sale_head_get(st, r->h.id, &r->head);
	if (rc == CM_NOTFOUND)
		history_head_now(t, &r->head);     /* a sale from before version 10 */
	else if (rc != CM_OK) {
		history_free(r);
		return till_store_fail(t, rc);
	}
	return CM_OK;
}

void history_head_now(struct till *t, struct receipt_head *out)
{
	const struct till_config *c = till_config(t);

	memset(out, 0, sizeof *out);
	snprintf(out->store_name, sizeof out->store_name, "%s", c->store_name);
	snprintf(out->address, sizeof out->address, "%s", c->store_address);
	snprintf(out->npwp, sizeof out->npwp, "%s", c->npwp);
	out->pkp = c->pkp;
	snprintf(out->terminal, sizeof out->terminal, "%s", c->terminal);
	snprintf(out->footer, sizeof out->footer, "%s", c->receipt_footer);
}

void history_free(struct sale_record *r)
{
	free(r->lines);
	free(r->amounts);
	free(r->tenders);
	free(r->dues);
	memset(r, 0, sizeof *r);
}

/* The store code is the setting as it is now: it cannot change once HQ
 * holds the terminal's journal (till.c), so a reprint carries the code
 * the receipt printed with. */
void history_check_code(struct till *t, const char *terminal, const char *receipt_no,
                        int64_t seq, const char *hash_hex, cm_money due, char *buf, size_t n)
{
	struct checkcode c = { .seq = seq, .due = due };

	snprintf(c.store, sizeof c.store, "%s", till_config(t)->store_code);
	snprintf(c.terminal, sizeof c.terminal, "%s", terminal);
	snprintf(c.receipt, sizeof c.receipt, "%s", receipt_no);
	snprintf(c.hash, sizeof c.hash, "%s", hash_hex);
	checkcode_format(&c, buf, n);
}

static char *render(struct till *t, const struct sale_record *r, int columns, bool reprint,
                    bool marked)
{
	char code[CHECKCODE_MAX];
	const struct receipt_head *hd = &r->head;
	struct receipt_store rs = {
		.name = hd->store_name, .address = hd->address, .npwp = hd->npwp,
		.pkp = hd->pkp, .terminal = hd->terminal,
		.footer = hd->footer[0] ? hd->footer : NULL,
	};
	struct receipt_sale s = {
		.receipt_no = r->h.receipt_no, .completed_at = (time_t)r->h.completed_at,
		.cashier = r->cashier, .member = r->member[0] ? r->member : NULL,
		.lines = r->lines, .amounts = r->amounts, .nlines = r->nlines,
		.tenders = r->tenders, .ntenders = r->ntenders, .totals = r->h.totals,
		.dues = r->dues, .ndues = r->ndues,
		.journal_seq = r->h.journal_seq, .hash_hex = r->hash_hex, .reprint = reprint,
		.member_copy = r->member_copy, .check_code = code,
	};
	history_check_code(t, hd->terminal, r->h.receipt_no, r->h.journal_seq, r->hash_hex,
	                   r->h.totals.due, code, sizeof code);
	if (!columns)
		columns = till_config(t)->receipt_columns;
	return marked ? receipt_render_marked(&s, &rs, columns) : receipt_render(&s, &rs, columns);
}

char *history_receipt(struct till *t, const struct sale_record *r, int columns, bool reprint)
{
	return render(t, r, columns, reprint, false);
}

char *history_receipt_marked(struct till *t, const struct sale_record *r, int columns,
                             bool reprint)
{
	return render(t, r, columns, reprint, true);
}
