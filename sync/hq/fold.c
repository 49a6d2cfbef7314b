/* Folding sale and stock events into the ledgers (fold.h), with cJSON. */
#include "fold.h"
#include "fold_shop.h"
#include "hqcredit.h"
#include "hqdues.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static bool get_int(const cJSON *o, const char *name, int64_t *out)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(f) || f->valuedouble != floor(f->valuedouble) ||
	    fabs(f->valuedouble) > 9007199254740992.0)
		return false;
	*out = (int64_t)f->valuedouble;
	return true;
}

static bool get_str(const cJSON *o, const char *name, char *buf, size_t n)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsString(f) || strlen(f->valuestring) >= n)
		return false;
	memcpy(buf, f->valuestring, strlen(f->valuestring) + 1);
	return true;
}

static bool sale_taxes(const cJSON *root, struct hq_sale *s)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "taxes"), *e;
	if (!cJSON_IsArray(a))
		return false;
	cJSON_ArrayForEach(e, a) {
		char cls[16];
		enum tax_class c;
		int64_t total, tax;
		if (!get_str(e, "class", cls, sizeof cls) || tax_class_parse(cls, &c) != CM_OK ||
		    !get_int(e, "total", &total) || !get_int(e, "tax", &tax))
			return false;
		s->has_class[c] = true;
		s->class_total[c] += total;
		s->class_tax[c] += tax;
	}
	return true;
}

/* Tenders as recorded, except cash, which is net of the change given. */
static bool sale_tenders(const cJSON *root, struct hq_sale *s)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "tenders"), *e;
	int64_t change = 0;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > HQ_MAX_TENDERS)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(root, "change") && !get_int(root, "change", &change))
		return false;
	cJSON_ArrayForEach(e, a) {
		size_t i = s->ntenders++;
		if (!get_str(e, "kind", s->tenders[i].kind, sizeof s->tenders[i].kind) ||
		    !get_int(e, "amount", &s->tenders[i].amount))
			return false;
		if (change && strcmp(s->tenders[i].kind, "cash") == 0) {
			int64_t take = change < s->tenders[i].amount ? change : s->tenders[i].amount;
			s->tenders[i].amount -= take;
			change -= take;
		}
	}
	return true;
}

static bool sale_read(const cJSON *root, const char *store, struct hq_sale *s)
{
	int64_t date;
	memset(s, 0, sizeof *s);
	s->store = store;
	if (!get_str(root, "receipt", s->receipt, sizeof s->receipt) ||
	    !get_int(root, "date", &date) || date < 19000101 || date > 29991231 ||
	    !get_int(root, "total", &s->total) || !get_int(root, "rounding", &s->rounding) ||
	    !get_int(root, "due", &s->due))
		return false;
	s->date = (int32_t)date;
	if (cJSON_GetObjectItemCaseSensitive(root, "member_no") &&
	    !get_str(root, "member_no", s->member_no, sizeof s->member_no))
		return false;
	return sale_taxes(root, s) && sale_tenders(root, s);
}

static enum cm_rc move_lines(struct hqstore *st, const struct hq_terminal *t,
                             const struct hq_event *e, const cJSON *root, int sign,
                             const char *kind, char *why, size_t whylen)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "lines"), *l;
	if (!cJSON_IsArray(a)) {
		snprintf(why, whylen, "%s event %lld has no lines", e->type, (long long)e->seq);
		return CM_INVALID;
	}
	cJSON_ArrayForEach(l, a) {
		char sku[32];
		int64_t qty;
		if (!get_str(l, "sku", sku, sizeof sku) || !get_int(l, "qty", &qty)) {
			snprintf(why, whylen, "%s event %lld: a line lacks sku or qty",
			         e->type, (long long)e->seq);
			return CM_INVALID;
		}
		if (!st || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "voided")))
			continue;
		enum cm_rc rc = hqstore_stock_move(st, t, sku, sign * qty, kind, e->seq, e->at);
		if (rc != CM_OK)
			return rc;
	}
	return CM_OK;
}

/* One movement per line: sign * qty; voided lines of a sale move nothing.
 * Every line is checked before the first is written, so an unreadable
 * payload leaves no partial movements. */
static enum cm_rc fold_lines(struct hqstore *st, const struct hq_terminal *t,
                             const struct hq_event *e, const cJSON *root, int sign,
                             const char *kind, char *why, size_t whylen)
{
	enum cm_rc rc = move_lines(NULL, t, e, root, sign, kind, why, whylen);
	return rc == CM_OK ? move_lines(st, t, e, root, sign, kind, why, whylen) : rc;
}

/* A row's largest amount: far above any dues, low enough that a thousand
 * rows add up without overflow. */
#define DUES_ROW_MAX 1000000000000LL

/* One row of a sale's "dues" (PROTOCOL.md "Ledgers"): a member number,
 * a kind, a month (wajib: YYYYMM; pokok and sukarela: 0) and an amount
 * above 0. */
static bool dues_row(const cJSON *o, const struct hq_sale *s, const struct hq_terminal *t,
                     int64_t seq, struct hq_dues_pay *p)
{
	char kind[16];
	int64_t month, amount;
	memset(p, 0, sizeof *p);
	if (!cJSON_IsObject(o) || !get_str(o, "member_no", p->member_no, sizeof p->member_no) ||
	    !p->member_no[0] || !get_str(o, "kind", kind, sizeof kind) ||
	    dues_kind_parse(kind, &p->kind) != CM_OK || !get_int(o, "month", &month) ||
	    !get_int(o, "amount", &amount) || amount <= 0 || amount > DUES_ROW_MAX)
		return false;
	if (p->kind == DUES_WAJIB ? month > INT32_MAX || !dues_month_valid((int32_t)month) : month != 0)
		return false;
	p->month = (int32_t)month;
	p->amount = amount;
	p->date = s->date;
	snprintf(p->store, sizeof p->store, "%s", t->store);
	snprintf(p->terminal, sizeof p->terminal, "%s", t->terminal);
	p->seq = seq;
	snprintf(p->receipt, sizeof p->receipt, "%s", s->receipt);
	return true;
}

/* Every dues row read and checked (with dues_total, when given) before
 * anything is written; *rows malloc'd, caller frees. */
static bool dues_read(const cJSON *root, const struct hq_sale *s, const struct hq_terminal *t,
                      int64_t seq, struct hq_dues_pay **rows, size_t *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "dues"), *o;
	int64_t sum = 0, total;
	*rows = NULL;
	*n = 0;
	if (!a)
		return !cJSON_GetObjectItemCaseSensitive(root, "dues_total");
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > 1000)
		return false;
	if (!cJSON_GetArraySize(a) || !(*rows = calloc((size_t)cJSON_GetArraySize(a), sizeof **rows)))
		return cJSON_GetArraySize(a) == 0;
	cJSON_ArrayForEach(o, a) {
		if (!dues_row(o, s, t, seq, &(*rows)[*n]))
			return false;
		sum += (*rows)[(*n)++].amount;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "dues_total") &&
	    (!get_int(root, "dues_total", &total) || total != sum))
		return false;
	return true;
}

/* The sale's dues into the savings ledger: one new members version for
 * the event, taken first (hqstore_members_version_lock). */
static enum cm_rc fold_dues(struct hqstore *st, const struct hq_dues_pay *rows, size_t n)
{
	struct hqdues_schedule sch;
	int64_t v;
	if (!n)
		return CM_OK;
	enum cm_rc rc = hqstore_members_version_lock(st, &v);
	if (rc != CM_OK || (rc = hqdues_schedule_load(st, &sch)) != CM_OK)
		return rc;
	v++;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		enum hqdues_outcome o;
		rc = hqdues_fold(st, &sch, &rows[i], NULL, v, &o);
	}
	if (rc == CM_OK)
		rc = hqstore_version_set(st, HQ_MEMBERS, v);
	hqdues_schedule_free(&sch);
	return rc;
}

/* What the tenders of kind "credit" add up to. */
static int64_t credit_of(const struct hq_sale *s)
{
	int64_t sum = 0;
	for (size_t i = 0; i < s->ntenders; i++)
		if (strcmp(s->tenders[i].kind, "credit") == 0)
			sum += s->tenders[i].amount;
	return sum;
}

/* A sale's credit tenders are a charge to its member, a return's credit
 * refunds a credit back (PROTOCOL.md "Member credit"). */
static enum cm_rc fold_credit(struct hqstore *st, const struct hq_terminal *t,
                              const struct hq_event *e, const struct hq_sale *s,
                              enum hq_credit_kind kind)
{
	struct hq_credit_row r = { .kind = kind, .amount = credit_of(s), .date = s->date,
	                           .seq = e->seq };
	if (!r.amount)
		return CM_OK;
	snprintf(r.member_no, sizeof r.member_no, "%s", s->member_no);
	snprintf(r.store, sizeof r.store, "%s", t->store);
	snprintf(r.terminal, sizeof r.terminal, "%s", t->terminal);
	snprintf(r.receipt, sizeof r.receipt, "%s", s->receipt);
	return hqcredit_fold(st, &r);
}

/* Credit needs a member and amounts above 0 and below a row's largest. */
static bool credit_valid(const struct hq_sale *s)
{
	for (size_t i = 0; i < s->ntenders; i++)
		if (strcmp(s->tenders[i].kind, "credit") == 0 &&
		    (s->tenders[i].amount <= 0 || s->tenders[i].amount > DUES_ROW_MAX || !s->member_no[0]))
			return false;
	return true;
}

static enum cm_rc fold_sale(struct hqstore *st, const struct hq_terminal *t,
                            const struct hq_event *e, const cJSON *root, char *why, size_t whylen)
{
	struct hq_sale s;
	struct hq_dues_pay *dues = NULL;
	size_t ndues = 0;
	if (!sale_read(root, t->store, &s)) {
		snprintf(why, whylen, "sale event %lld: the payload lacks a figure or has a wrong type",
		         (long long)e->seq);
		return CM_INVALID;
	}
	if (!credit_valid(&s)) {
		snprintf(why, whylen, "sale event %lld: a credit tender without a member or with an "
		         "amount not above 0", (long long)e->seq);
		return CM_INVALID;
	}
	if (!dues_read(root, &s, t, e->seq, &dues, &ndues)) {
		free(dues);
		snprintf(why, whylen, "sale event %lld: a dues row lacks a member, kind, month or "
		         "amount, or dues_total is not their sum", (long long)e->seq);
		return CM_INVALID;
	}
	enum cm_rc rc = fold_lines(st, t, e, root, -1, "sale", why, whylen);
	if (rc == CM_OK)
		rc = hqstore_sale_insert(st, t, e->seq, &s);
	if (rc == CM_OK)
		rc = fold_dues(st, dues, ndues);
	if (rc == CM_OK)
		rc = fold_credit(st, t, e, &s, HQ_CREDIT_CHARGE);
	free(dues);
	/* The sale stays folded when its order is unknown (it happened); the
	 * alert says so. */
	if (rc == CM_OK)
		rc = fold_shop_collected(st, t, e, root, why, whylen);
	return rc;
}

/* A return has the shape of a sale: its number, the refund as "due", the
 * PPN rows and how it was paid back (exact: no change). */
static bool return_read(const cJSON *root, const char *store, struct hq_sale *r,
                        char *sale_receipt, size_t n)
{
	int64_t date;
	memset(r, 0, sizeof *r);
	r->store = store;
	sale_receipt[0] = '\0';
	if (!get_str(root, "return", r->receipt, sizeof r->receipt) ||
	    !get_int(root, "date", &date) || date < 19000101 || date > 29991231 ||
	    !get_int(root, "total", &r->total) || !get_int(root, "rounding", &r->rounding) ||
	    !get_int(root, "refund", &r->due))
		return false;
	r->date = (int32_t)date;
	if (cJSON_GetObjectItemCaseSensitive(root, "sale") &&
	    !get_str(root, "sale", sale_receipt, n))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(root, "member_no") &&
	    !get_str(root, "member_no", r->member_no, sizeof r->member_no))
		return false;
	return sale_taxes(root, r) && sale_tenders(root, r) && credit_valid(r);
}

/* Goods come back (+qty, "return"); a line marked damaged goes on to the
 * damaged bin at once (-qty, "damaged"), as at the store. */
static enum cm_rc fold_return(struct hqstore *st, const struct hq_terminal *t,
                              const struct hq_event *e, const cJSON *root, char *why, size_t whylen)
{
	struct hq_sale r;
	char sale_receipt[32];
	if (!return_read(root, t->store, &r, sale_receipt, sizeof sale_receipt)) {
		snprintf(why, whylen, "return event %lld: the payload lacks a figure or has a wrong type",
		         (long long)e->seq);
		return CM_INVALID;
	}
	enum cm_rc rc = fold_lines(st, t, e, root, 1, "return", why, whylen);
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(root, "lines")) {
		char sku[32];
		int64_t qty;
		if (rc != CM_OK)
			break;
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "damaged")) ||
		    !get_str(l, "sku", sku, sizeof sku) || !get_int(l, "qty", &qty))
			continue;
		rc = hqstore_stock_move(st, t, sku, -qty, "damaged", e->seq, e->at);
	}
	if (rc == CM_OK)
		rc = hqstore_return_insert(st, t, e->seq, &r, sale_receipt);
	if (rc == CM_OK)
		rc = fold_credit(st, t, e, &r, HQ_CREDIT_REFUND);
	return rc;
}

/* The store's opening stock (pos/store/store_opening.c): the snapshot
 * its terminals' movements started from, added once per store
 * (hqstore_stock_opening). */
static enum cm_rc fold_opening(struct hqstore *st, const struct hq_terminal *t,
                               const struct hq_event *e, const cJSON *root, char *why,
                               size_t whylen)
{
	bool apply = false;
	enum cm_rc rc = move_lines(NULL, t, e, root, 1, "opening", why, whylen);
	if (rc == CM_OK)
		rc = hqstore_stock_opening(st, t, e->seq, e->at, &apply);
	if (rc == CM_OK && apply)
		rc = move_lines(st, t, e, root, 1, "opening", why, whylen);
	return rc;
}

static bool is_stock_event(const char *type)
{
	return strcmp(type, "stock_received") == 0 || strcmp(type, "stock_adjusted") == 0 ||
	       strcmp(type, "stock_counted") == 0;
}

enum cm_rc fold_event(struct hqstore *st, const struct hq_terminal *t,
                      const struct hq_event *e, char *why, size_t whylen)
{
	bool sale = strcmp(e->type, "sale") == 0, ret = strcmp(e->type, "return") == 0;
	bool opening = strcmp(e->type, "stock_opening") == 0;
	bool picked = strcmp(e->type, "shop_picked") == 0, pin = strcmp(e->type, "web_pin") == 0;
	if (!sale && !ret && !opening && !picked && !pin && !is_stock_event(e->type))
		return CM_OK;
	cJSON *root = cJSON_Parse(e->payload);
	enum cm_rc rc;
	if (!cJSON_IsObject(root)) {
		snprintf(why, whylen, "%s event %lld: the payload is not a JSON object",
		         e->type, (long long)e->seq);
		rc = CM_INVALID;
	} else if (sale) {
		rc = fold_sale(st, t, e, root, why, whylen);
	} else if (ret) {
		rc = fold_return(st, t, e, root, why, whylen);
	} else if (picked) {
		rc = fold_shop_picked(st, t, e, root, why, whylen);
	} else if (pin) {
		rc = fold_web_pin(st, t, e, root, why, whylen);
	} else if (opening) {
		rc = fold_opening(st, t, e, root, why, whylen);
	} else {
		rc = fold_lines(st, t, e, root, 1, e->type + strlen("stock_"), why, whylen);
	}
	cJSON_Delete(root);
	return rc;
}
