/* Collecting an online order at the sale (sale.h sale_shop_collect). */
#include "engine/sale_int.h"
#include "engine/shop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Why the order cannot be collected now, or CM_OK. */
static enum cm_rc collectable(struct sale *s, const struct shop_order_rec *o)
{
	if (strcmp(o->status, "placed") == 0) {
		sale_seterr(s, _("online order %s is not picked yet: pick it first (online orders list)"),
		            o->id);
		return CM_STATE;
	}
	if (strcmp(o->status, "collected") == 0) {
		sale_seterr(s, _("online order %s was collected already"), o->id);
		return CM_STATE;
	}
	if (strcmp(o->status, "cancelled") == 0) {
		sale_seterr(s, _("online order %s was cancelled by the member"), o->id);
		return CM_STATE;
	}
	if (strcmp(o->status, "expired") == 0 || till_now(s->t) > o->expires_at) {
		time_t e = (time_t)o->expires_at;
		struct tm tm;
		char when[32];
		localtime_r(&e, &tm);
		strftime(when, sizeof when, "%d/%m/%Y %H:%M", &tm);
		sale_seterr(s, _("online order %s expired (%s): it cannot be collected"), o->id, when);
		return CM_STATE;
	}
	if (s->nlines || s->ndues || s->ntenders || s->tk.shop_order[0]) {
		sale_seterr(s, "%s", _("collect an online order on an empty ticket: finish or hold "
		            "this one first"));
		return CM_STATE;
	}
	/* A held ticket collecting it already: a second one could only fail
	 * at payment, after the money was taken. */
	bool held;
	enum cm_rc rc = store_shop_on_ticket(till_store(s->t), o->id, s->tk.id, &held);
	if (rc != CM_OK)
		return sale_store_fail(s, rc);
	if (held) {
		sale_seterr(s, _("online order %s is on a ticket on hold already: resume it (F7)"),
		            o->id);
		return CM_STATE;
	}
	return CM_OK;
}

/* The item and price of picked line l; false when nothing was found
 * (short, none). */
static bool line_goods(const struct shop_line_rec *l, const char **sku, cm_money *price)
{
	bool sub = strcmp(l->pick_status, "substituted") == 0;
	*sku = sub ? l->sub_sku : l->sku;
	*price = sub ? l->sub_price : l->price;
	return l->pick_status[0] && l->picked_qty > 0;
}

/* Every item found before the first line is added. items: one per line. */
static enum cm_rc load_items(struct sale *s, const struct shop_order_rec *o,
                             struct item_rec *items)
{
	for (size_t i = 0; i < o->nlines; i++) {
		const char *sku;
		cm_money price;
		if (!line_goods(&o->lines[i], &sku, &price))
			continue;
		enum cm_rc rc = store_item_by_sku(till_store(s->t), sku, &items[i]);
		if (rc == CM_NOTFOUND) {
			sale_seterr(s, _("item %s of online order %s is not in this till's catalogue"),
			            sku, o->id);
			return rc;
		}
		if (rc != CM_OK)
			return sale_store_fail(s, rc);
	}
	return CM_OK;
}

static enum cm_rc fill(struct sale *s, const struct shop_order_rec *o, struct item_rec *items)
{
	enum cm_rc rc = sale_attach_member(s, o->member_no);
	if (rc != CM_OK)
		return rc;
	snprintf(s->tk.shop_order, sizeof s->tk.shop_order, "%s", o->id);
	struct store *st = till_store(s->t);
	if ((rc = store_begin_relaxed(st)) == CM_OK) {
		rc = store_ticket_save(st, &s->tk, till_now(s->t));
		rc = rc == CM_OK ? store_commit(st) : rc;
		if (rc != CM_OK)
			store_rollback(st);
	}
	if (rc != CM_OK) {
		s->tk.shop_order[0] = '\0';
		return sale_store_fail(s, rc);
	}
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++) {
		const char *sku;
		cm_money price;
		if (line_goods(&o->lines[i], &sku, &price))
			rc = sale_add_priced(s, &items[i], o->lines[i].picked_qty, price);
	}
	return rc;
}

enum cm_rc sale_shop_collect(struct sale *s, const char *typed)
{
	char id[24];
	struct shop_order_rec o;
	if (!shop_id_parse(typed, id, sizeof id)) {
		sale_seterr(s, _("%s is not an online order number (OL-000123 or 123)"), typed);
		return CM_INVALID;
	}
	enum cm_rc rc = shop_get(s->t, id, &o);
	if (rc != CM_OK)
		return sale_till_fail(s, rc);
	struct item_rec *items = calloc(o.nlines ? o.nlines : 1, sizeof *items);
	if (!items) {
		shop_order_free(&o);
		sale_seterr(s, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	rc = collectable(s, &o);
	if (rc == CM_OK)
		rc = load_items(s, &o, items);
	if (rc == CM_OK)
		rc = fill(s, &o, items);
	free(items);
	shop_order_free(&o);
	return rc;
}
