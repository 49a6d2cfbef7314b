/* Stock counts: start, count, pause/resume, review, post, abandon; see
 * count.h. */
#include "engine/count.h"
#include "engine/resolve.h"
#include "core/chain.h"
#include "core/perm.h"
#include "store/store_stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_names[] = { "all", "category", "zone" };
static const char *const status_names[] = { "open", "paused", "posted", "abandoned" };

const char *count_scope_name(enum count_scope s)
{
	return (unsigned)s <= SCOPE_ZONE ? scope_names[s] : "all";
}

enum cm_rc count_scope_parse(const char *s, enum count_scope *out)
{
	for (int i = 0; i <= SCOPE_ZONE; i++) {
		if (strcmp(s, scope_names[i]) == 0) {
			*out = (enum count_scope)i;
			return CM_OK;
		}
	}
	return CM_INVALID;
}

const char *count_status_name(enum count_status s)
{
	return (unsigned)s <= COUNT_ABANDONED ? status_names[s] : "open";
}

static enum count_status status_parse(const char *s)
{
	for (int i = 0; i <= COUNT_ABANDONED; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (enum count_status)i;
	return COUNT_OPEN;
}

/* "zone R01", "category Beras", "whole store" for messages. */
static void scope_words(enum count_scope scope, const char *value, char *buf, size_t n)
{
	if (scope == SCOPE_ZONE)
		snprintf(buf, n, _("zone %s"), value);
	else if (scope == SCOPE_CATEGORY)
		snprintf(buf, n, _("category %s"), value);
	else
		snprintf(buf, n, "%s", _("whole store"));
}

static void info_from(const struct store_count *c, struct count_info *out)
{
	memset(out, 0, sizeof *out);
	out->id = c->id;
	enum count_scope sc = SCOPE_ALL;
	count_scope_parse(c->scope, &sc);
	out->scope = sc;
	snprintf(out->scope_value, sizeof out->scope_value, "%s", c->scope_value);
	out->status = status_parse(c->status);
	out->started_at = c->started_at;
	out->started_by = c->started_by;
	out->ended_at = c->ended_at;
	out->journal_seq = c->journal_seq;
	out->items = c->items;
	out->counted = c->counted;
}

/* The logged-in user may do act; the message names what was refused. */
static enum cm_rc may(struct till *t, enum action act)
{
	const struct user_rec *u = till_user(t);
	if (!u) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (perm_check(u->role, act) == PERM_ALLOW)
		return CM_OK;
	switch (act) {
	case ACT_STOCK_COUNT:
		till_seterr(t, "%s", _("you may not count stock"));
		break;
	case ACT_COUNT_START:
		till_seterr(t, "%s", _("only a supervisor or admin may start, pause or resume a count"));
		break;
	default:
		till_seterr(t, "%s", _("only a supervisor or admin may review, post or abandon a count"));
		break;
	}
	return CM_DENIED;
}

enum cm_rc count_get(struct till *t, int64_t id, struct count_info *out)
{
	struct store_count c;
	enum cm_rc rc = store_count_get(till_store(t), id, &c);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	info_from(&c, out);
	return CM_OK;
}

struct list_ctx {
	struct count_info *v;
	size_t n, cap;
	bool nomem;
};

static void list_one(const struct store_count *c, void *ctx)
{
	struct list_ctx *l = ctx;
	if (l->nomem)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct count_info *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->nomem = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	info_from(c, &l->v[l->n++]);
}

enum cm_rc count_list(struct till *t, bool unfinished, struct count_info **out, size_t *n)
{
	struct list_ctx l = { 0 };
	enum cm_rc rc = store_count_each(till_store(t), unfinished, list_one, &l);
	if (rc == CM_OK && l.nomem) {
		till_seterr(t, "%s", _("out of memory"));
		rc = CM_NOMEM;
	} else if (rc != CM_OK) {
		till_store_fail(t, rc);
	}
	if (rc != CM_OK) {
		free(l.v);
		l.v = NULL;
		l.n = 0;
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

enum cm_rc count_zones(struct till *t, struct zone_rec **out, size_t *n)
{
	enum cm_rc rc = store_stock_zones(till_store(t), out, n);
	if (rc != CM_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		till_store_fail(t, rc);
	}
	return rc;
}

/* Loads count id and checks its state is one of want (bit per status). */
static enum cm_rc load_in(struct till *t, int64_t id, unsigned want, struct count_info *c)
{
	enum cm_rc rc = count_get(t, id, c);
	if (rc != CM_OK)
		return rc;
	if (want & (1u << c->status))
		return CM_OK;
	switch (c->status) {
	case COUNT_PAUSED:
		till_seterr(t, _("count %lld is paused: resume it first"), (long long)id);
		break;
	case COUNT_POSTED:
		till_seterr(t, _("count %lld is already posted"), (long long)id);
		break;
	case COUNT_ABANDONED:
		till_seterr(t, _("count %lld was abandoned"), (long long)id);
		break;
	default:
		till_seterr(t, _("count %lld is still open"), (long long)id);
		break;
	}
	return CM_STATE;
}

#define WANT(s) (1u << (s))
#define UNFINISHED (WANT(COUNT_OPEN) | WANT(COUNT_PAUSED))

enum cm_rc count_start(struct till *t, enum count_scope scope, const char *value, int64_t *id)
{
	enum cm_rc rc = may(t, ACT_COUNT_START);
	if (rc != CM_OK)
		return rc;
	if (!value)
		value = "";
	if (scope == SCOPE_ALL)
		value = "";
	else if (!*value || strlen(value) >= sizeof ((struct count_info *)0)->scope_value) {
		till_seterr(t, "%s", scope == SCOPE_ZONE ? _("name the zone to count")
		                                         : _("name the category to count"));
		return CM_INVALID;
	}
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	rc = store_count_create(st, count_scope_name(scope), value, till_now(t), till_user(t)->id, id);
	if (rc == CM_NOTFOUND) {
		char words[80];
		scope_words(scope, value, words, sizeof words);
		till_seterr(t, _("no item is in %s"), words);
		return till_end_tx(t, rc, NULL, 0, NULL);
	}
	int64_t other = 0;
	if (rc == CM_OK)
		rc = store_count_overlap(st, *id, &other);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
	} else if (other) {
		till_seterr(t, _("count %lld, not yet posted, already covers some of these items"),
		            (long long)other);
		rc = CM_CONFLICT;
	}
	struct store_count c = { 0 };
	if (rc == CM_OK && (rc = store_count_get(st, *id, &c)) != CM_OK)
		till_store_fail(t, rc);
	struct canon *cn = canon_new();
	canon_obj_begin(cn, NULL);
	canon_int(cn, "count", *id);
	canon_str(cn, "scope", count_scope_name(scope));
	canon_str(cn, "value", value);
	canon_int(cn, "items", c.items);
	canon_int(cn, "mark", c.mark);
	canon_obj_end(cn);
	return till_end_tx(t, rc, "count_started", 0, canon_take(cn));
}

enum cm_rc count_find(struct till *t, int64_t id, const char *code, struct item_rec *item,
                      cm_qty *so_far, bool *counted)
{
	enum cm_rc rc = may(t, ACT_STOCK_COUNT);
	struct count_info c;
	if (rc == CM_OK)
		rc = load_in(t, id, WANT(COUNT_OPEN), &c);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if (!code || !*code) {
		till_seterr(t, "%s", _("scan an item or type its code"));
		return CM_INVALID;
	}
	/* A scale label names its item; the count takes what is typed after. */
	struct resolved r;
	if ((rc = resolve_code(t, code, RESOLVE_LABELS, &r)) != CM_OK)
		return rc;
	*item = r.item;
	bool in = false;
	if ((rc = store_count_has_item(st, id, item->id, &in)) != CM_OK)
		return till_store_fail(t, rc);
	if (!in) {
		char words[80];
		scope_words(c.scope, c.scope_value, words, sizeof words);
		till_seterr(t, _("%s is not part of this count (%s): count it with its own"),
		            item->name, words);
		return CM_NOTFOUND;
	}
	if ((rc = store_count_line_get(st, id, item->id, so_far, counted)) != CM_OK)
		return till_store_fail(t, rc);
	return CM_OK;
}

/* One entry, in its own durable transaction (an entry is never lost once
 * the counter has seen it accepted). */
static enum cm_rc enter(struct till *t, int64_t id, int64_t item_id, const char *zone,
                        const char *mode_name, enum count_mode mode, cm_qty qty, cm_qty *total)
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	bool in = false, counted = false;
	cm_qty cur = 0, tot = 0;
	if ((rc = store_count_has_item(st, id, item_id, &in)) == CM_OK && in)
		rc = store_count_line_get(st, id, item_id, &cur, &counted);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
	} else if (!in) {
		till_seterr(t, "%s", _("that item is not part of this count"));
		rc = CM_NOTFOUND;
	} else if (count_apply(mode, cur, qty, &tot) != CM_OK) {
		till_seterr(t, "%s", _("that quantity is not possible"));
		rc = CM_INVALID;
	} else if ((rc = store_count_line_put(st, id, item_id, tot, mode_name, qty,
	                                      till_user(t)->id, zone ? zone : "",
	                                      till_now(t))) != CM_OK) {
		till_store_fail(t, rc);
	}
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) == CM_OK && total)
		*total = tot;
	return rc;
}

enum cm_rc count_enter(struct till *t, int64_t id, int64_t item_id, const char *zone,
                       enum count_mode mode, cm_qty qty, cm_qty *total)
{
	enum cm_rc rc = may(t, ACT_STOCK_COUNT);
	struct count_info c;
	if (rc == CM_OK)
		rc = load_in(t, id, WANT(COUNT_OPEN), &c);
	if (rc != CM_OK)
		return rc;
	if (!zone || !*zone)
		zone = c.scope == SCOPE_ZONE ? c.scope_value : "";
	return enter(t, id, item_id, zone, mode == COUNT_ADD ? "add" : "replace",
	             mode == COUNT_ADD ? COUNT_ADD : COUNT_REPLACE, qty, total);
}

enum cm_rc count_recount(struct till *t, int64_t id, int64_t item_id, cm_qty qty)
{
	enum cm_rc rc = may(t, ACT_COUNT_POST);
	struct count_info c;
	if (rc == CM_OK)
		rc = load_in(t, id, WANT(COUNT_OPEN), &c);
	if (rc != CM_OK)
		return rc;
	return enter(t, id, item_id, c.scope == SCOPE_ZONE ? c.scope_value : "", "recount",
	             COUNT_REPLACE, qty, NULL);
}

static enum cm_rc set_status(struct till *t, int64_t id, unsigned want, enum count_status to,
                             const char *event)
{
	struct count_info c;
	enum cm_rc rc = load_in(t, id, want, &c);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	struct journal_entry je = { 0 };
	struct canon *cn = canon_new();
	canon_obj_begin(cn, NULL);
	canon_int(cn, "count", id);
	canon_int(cn, "counted", c.counted);
	canon_obj_end(cn);
	rc = till_journal(t, event, 0, canon_take(cn), &je);
	if (rc == CM_OK && (rc = store_count_set_status(st, id, count_status_name(to), till_now(t),
	                                                till_user(t)->id,
	                                                to == COUNT_ABANDONED ? je.seq : 0)) != CM_OK)
		till_store_fail(t, rc);
	return till_end_tx(t, rc, NULL, 0, NULL);
}

enum cm_rc count_pause(struct till *t, int64_t id)
{
	enum cm_rc rc = may(t, ACT_COUNT_START);
	return rc == CM_OK ? set_status(t, id, WANT(COUNT_OPEN), COUNT_PAUSED, "count_paused") : rc;
}

enum cm_rc count_resume(struct till *t, int64_t id)
{
	enum cm_rc rc = may(t, ACT_COUNT_START);
	return rc == CM_OK ? set_status(t, id, WANT(COUNT_PAUSED), COUNT_OPEN, "count_resumed") : rc;
}

enum cm_rc count_abandon(struct till *t, int64_t id)
{
	enum cm_rc rc = may(t, ACT_COUNT_POST);
	return rc == CM_OK ? set_status(t, id, UNFINISHED, COUNT_ABANDONED, "count_abandoned") : rc;
}

/* ---- review ---- */

struct rows {
	struct stock_row *v;
	size_t n, cap;
};

static bool rows_push(struct rows *r, const struct stock_row *row)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct stock_row *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return false;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *row;
	return true;
}

struct review_ctx {
	struct rows var, unc;
};

static enum cm_rc review_row(const struct stock_row *r, void *ctx)
{
	struct review_ctx *rc = ctx;
	struct stock_row row = *r;
	if (!row.counted) {
		/* Never counted: what is missing if it really is not there. */
		row.variance = -row.expected;
		row.value = stock_value(row.variance, row.cost);
	}
	return rows_push(row.counted ? &rc->var : &rc->unc, &row) ? CM_OK : CM_NOMEM;
}

static cm_money sum_value(const struct stock_row *r, size_t n)
{
	cm_money s = 0;
	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(s, r[i].value, &s))
			return r[i].value < 0 ? INT64_MIN : INT64_MAX;
	return s;
}

enum cm_rc count_review(struct till *t, int64_t id, struct count_review *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = may(t, ACT_COUNT_POST);
	if (rc == CM_OK)
		rc = count_get(t, id, &out->info);
	if (rc != CM_OK)
		return rc;
	struct review_ctx ctx = { 0 };
	rc = store_count_variance(till_store(t), id, review_row, &ctx);
	if (rc != CM_OK) {
		free(ctx.var.v);
		free(ctx.unc.v);
		if (rc == CM_NOMEM)
			till_seterr(t, "%s", _("out of memory"));
		else
			till_store_fail(t, rc);
		return rc;
	}
	stock_rows_sort_by_value(ctx.var.v, ctx.var.n);
	stock_rows_sort_by_value(ctx.unc.v, ctx.unc.n);
	out->variances = ctx.var.v;
	out->nvariances = ctx.var.n;
	out->uncounted = ctx.unc.v;
	out->nuncounted = ctx.unc.n;
	out->variance_value = sum_value(ctx.var.v, ctx.var.n);
	out->uncounted_value = sum_value(ctx.unc.v, ctx.unc.n);
	return CM_OK;
}

void count_review_free(struct count_review *r)
{
	free(r->variances);
	free(r->uncounted);
	memset(r, 0, sizeof *r);
}

/* ---- posting ---- */

struct post_ctx {
	struct rows lines;        /* counted lines with a variance, by item id */
};

static enum cm_rc post_row(const struct stock_row *r, void *ctx)
{
	struct post_ctx *p = ctx;
	if (!r->counted)
		return CM_OK;
	return rows_push(&p->lines, r) ? CM_OK : CM_NOMEM;
}

static char *summary_payload(const struct count_info *c, size_t lines, cm_money value,
                             size_t parts)
{
	struct canon *cn = canon_new();
	canon_obj_begin(cn, NULL);
	canon_int(cn, "count", c->id);
	canon_str(cn, "scope", count_scope_name(c->scope));
	canon_str(cn, "value", c->scope_value);
	canon_int(cn, "items", c->items);
	canon_int(cn, "counted", c->counted);
	canon_int(cn, "variances", (int64_t)lines);
	canon_int(cn, "variance_value", value);
	canon_int(cn, "parts", (int64_t)parts);
	canon_obj_end(cn);
	return canon_take(cn);
}

static char *part_payload(int64_t id, size_t part, size_t parts, const struct stock_row *r,
                          size_t n)
{
	struct canon *cn = canon_new();
	canon_obj_begin(cn, NULL);
	canon_int(cn, "count", id);
	canon_int(cn, "part", (int64_t)part);
	canon_int(cn, "parts", (int64_t)parts);
	canon_arr_begin(cn, "lines");
	for (size_t i = 0; i < n; i++) {
		canon_obj_begin(cn, NULL);
		canon_str(cn, "sku", r[i].sku);
		canon_int(cn, "qty", r[i].variance);
		canon_int(cn, "expected", r[i].expected);
		canon_int(cn, "counted", r[i].qty);
		canon_int(cn, "cost", r[i].cost);
		canon_obj_end(cn);
	}
	canon_arr_end(cn);
	canon_obj_end(cn);
	return canon_take(cn);
}

/* Inside the posting transaction: the events and the movements. */
static enum cm_rc post_lines(struct till *t, const struct count_info *c,
                             const struct rows *lines, struct count_post_result *res)
{
	struct store *st = till_store(t);
	size_t parts = (lines->n + COUNT_EVENT_LINES - 1) / COUNT_EVENT_LINES;
	cm_money value = sum_value(lines->v, lines->n);
	struct journal_entry je;
	enum cm_rc rc = till_journal(t, "count_posted", 0,
	                             summary_payload(c, lines->n, value, parts), &je);
	if (rc != CM_OK)
		return rc;
	res->first_seq = je.seq;
	res->events = 1;
	res->value = value;
	for (size_t p = 0; p < parts; p++) {
		size_t from = p * COUNT_EVENT_LINES;
		size_t n = lines->n - from < COUNT_EVENT_LINES ? lines->n - from : COUNT_EVENT_LINES;
		struct journal_entry pe;
		rc = till_journal(t, "stock_counted", 0,
		                  part_payload(c->id, p + 1, parts, lines->v + from, n), &pe);
		if (rc != CM_OK)
			return rc;
		res->events++;
		for (size_t i = from; i < from + n; i++) {
			rc = store_count_movement(st, c->id, lines->v[i].item_id, lines->v[i].variance,
			                          pe.seq, till_now(t));
			if (rc != CM_OK)
				return till_store_fail(t, rc);
		}
	}
	res->movements = (int64_t)lines->n;
	rc = store_count_set_status(st, c->id, "posted", till_now(t), till_user(t)->id, je.seq);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

enum cm_rc count_post(struct till *t, int64_t id, struct count_post_result *out)
{
	struct count_post_result res = { 0 };
	enum cm_rc rc = may(t, ACT_COUNT_POST);
	struct count_info c;
	if (rc == CM_OK)
		rc = load_in(t, id, UNFINISHED, &c);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	/* Expected is computed again inside the transaction: sales rung up
	 * since the review count too. */
	struct post_ctx p = { 0 };
	if ((rc = store_count_freeze(st, id)) == CM_OK)
		rc = store_count_variance(st, id, post_row, &p);
	if (rc == CM_NOMEM)
		till_seterr(t, "%s", _("out of memory"));
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	if (rc == CM_OK)
		rc = post_lines(t, &c, &p.lines, &res);
	free(p.lines.v);
	rc = till_end_tx(t, rc, NULL, 0, NULL);
	if (rc == CM_OK && out)
		*out = res;
	return rc;
}
