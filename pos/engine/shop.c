/* Online orders at the till (shop.h). */
#include "engine/shop.h"
#include "engine/auth.h"
#include "engine/printq.h"
#include "engine/resolve.h"
#include "core/chain.h"
#include "core/money.h"

#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool shop_id_parse(const char *typed, char *id, size_t n)
{
	const char *p = typed;
	if ((p[0] == 'O' || p[0] == 'o') && (p[1] == 'L' || p[1] == 'l') && p[2] == '-')
		p += 3;
	size_t len = strlen(p);
	if (len == 0 || len > 12 || strspn(p, "0123456789") != len)
		return false;
	long long v = strtoll(p, NULL, 10);
	if (v <= 0)
		return false;
	snprintf(id, n, "OL-%06lld", v);
	return true;
}

enum cm_rc shop_list(struct till *t, struct shop_order_rec **out, size_t *n)
{
	enum cm_rc rc = store_shop_list(till_store(t), till_now(t), out, n);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

enum cm_rc shop_get(struct till *t, const char *id, struct shop_order_rec *out)
{
	enum cm_rc rc = store_shop_get(till_store(t), id, out);
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("online order %s is not at this till (has the sync agent pulled it?)"),
		            id);
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	return rc;
}

/* "06/12 10:00-11:00" in the till's time zone. */
static void slot_text(int64_t start, int64_t end, char *buf, size_t n)
{
	time_t a = (time_t)start, b = (time_t)end;
	struct tm ta, tb;
	localtime_r(&a, &ta);
	localtime_r(&b, &tb);
	snprintf(buf, n, "%02d/%02d %02d:%02d-%02d:%02d", ta.tm_mday, ta.tm_mon + 1, ta.tm_hour,
	         ta.tm_min, tb.tm_hour, tb.tm_min);
}

/* Appends a formatted line to the growing text *buf. */
static bool put(char **buf, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool put(char **buf, size_t *len, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (k < 0)
		return false;
	size_t m = strlen(line);
	char *nb = realloc(*buf, *len + m + 2);
	if (!nb)
		return false;
	memcpy(nb + *len, line, m);
	nb[*len + m] = '\n';
	nb[*len + m + 1] = '\0';
	*buf = nb;
	*len += m + 1;
	return true;
}

static char *pick_list_text(struct till *t, const struct shop_order_rec *o)
{
	char *buf = NULL, slot[32], qty[24], money[32];
	size_t len = 0;
	bool ok = true;
	slot_text(o->slot_start, o->slot_end, slot, sizeof slot);
	ok = ok && put(&buf, &len, "%s", _("ONLINE ORDER PICK LIST"));
	ok = ok && put(&buf, &len, "%s", till_config(t)->store_name);
	ok = ok && put(&buf, &len, _("Order: %s"), o->id);
	ok = ok && put(&buf, &len, _("Member: %s %s"), o->member_no, o->member_name);
	ok = ok && put(&buf, &len, _("Pickup: %s"), slot);
	ok = ok && put(&buf, &len, "--------------------------------");
	for (size_t i = 0; ok && i < o->nlines; i++) {
		const struct shop_line_rec *l = &o->lines[i];
		qty_format(l->qty, qty, sizeof qty);
		ok = put(&buf, &len, "%2lld %s", (long long)l->line, l->name);
		if (ok && l->zone[0])
			ok = put(&buf, &len, _("   [ ] qty %s, shelf %s"), qty, l->zone);
		else if (ok)
			ok = put(&buf, &len, _("   [ ] qty %s"), qty);
	}
	money_format(o->total, NULL, money, sizeof money);
	ok = ok && put(&buf, &len, "--------------------------------");
	ok = ok && put(&buf, &len, _("Lines: %zu, total %s"), o->nlines, money);
	ok = ok && put(&buf, &len, "%c%s", PRINTQ_MARK_BARCODE, o->id);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

enum cm_rc shop_print_pick_list(struct till *t, const struct shop_order_rec *o)
{
	char *text = pick_list_text(t, o);
	if (!text) {
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = printq_enqueue_text(t, text);
	free(text);
	return rc;
}

static enum cm_rc markable(struct till *t, const struct shop_order_rec *o, size_t i)
{
	if (strcmp(o->status, "placed") != 0) {
		till_seterr(t, _("online order %s is not waiting to be picked"), o->id);
		return CM_STATE;
	}
	/* HQ has released its stock and will not take the picking. */
	if (till_now(t) > o->expires_at) {
		till_seterr(t, _("online order %s expired: it is not picked any more"), o->id);
		return CM_STATE;
	}
	if (i >= o->nlines) {
		till_seterr(t, "%s", _("there is no such line"));
		return CM_INVALID;
	}
	return CM_OK;
}

enum cm_rc shop_mark(struct till *t, struct shop_order_rec *o, size_t i, int64_t qty)
{
	enum cm_rc rc = markable(t, o, i);
	if (rc != CM_OK)
		return rc;
	struct shop_line_rec *l = &o->lines[i];
	if (qty < 0 || qty > l->qty) {
		char q[24];
		qty_format(l->qty, q, sizeof q);
		till_seterr(t, _("the quantity found must be between 0 and the %s ordered"), q);
		return CM_INVALID;
	}
	snprintf(l->pick_status, sizeof l->pick_status, "%s", qty == l->qty ? "picked" : "short");
	l->picked_qty = qty;
	l->sub_sku[0] = '\0';
	l->sub_price = 0;
	return CM_OK;
}

static enum cm_rc substitute_item(struct till *t, const struct shop_order_rec *o, size_t i,
                                  const char *code, struct resolved *r)
{
	enum cm_rc rc = markable(t, o, i);
	if (rc == CM_OK)
		rc = resolve_code(t, code, 0, r);
	if (rc != CM_OK)
		return rc;
	if (!r->item.active) {
		till_seterr(t, _("%s is no longer sold (inactive item)"), r->item.name);
		return CM_INVALID;
	}
	return CM_OK;
}

enum cm_rc shop_substitute_check(struct till *t, const struct shop_order_rec *o, size_t i,
                                 const char *code)
{
	struct resolved r;
	return substitute_item(t, o, i, code, &r);
}

enum cm_rc shop_substitute(struct till *t, struct shop_order_rec *o, size_t i,
                           const char *code, int64_t qty, cm_money *own)
{
	struct resolved r;
	enum cm_rc rc = substitute_item(t, o, i, code, &r);
	if (rc != CM_OK)
		return rc;
	if (qty <= 0 || qty > 99999 * CM_QTY_ONE || (!r.item.weighed && qty % CM_QTY_ONE)) {
		till_seterr(t, "%s", _("the quantity must be more than 0 and at most 99999"));
		return CM_INVALID;
	}
	struct shop_line_rec *l = &o->lines[i];
	snprintf(l->pick_status, sizeof l->pick_status, "substituted");
	l->picked_qty = qty;
	snprintf(l->sub_sku, sizeof l->sub_sku, "%s", r.item.sku);
	/* The member's price of the substitute, as a sale would give it, but
	 * the member agreed to the ordered line's amount, not to more. */
	cm_money mine = money_member_price(r.item.price, r.item.member_price);
	l->sub_price = money_substitute_price(l->price, l->qty, mine, qty);
	if (own)
		*own = mine;
	return CM_OK;
}

int64_t shop_picked_total(const struct shop_order_rec *o)
{
	int64_t sum = 0;
	for (size_t i = 0; i < o->nlines; i++) {
		const struct shop_line_rec *l = &o->lines[i];
		cm_money a = 0;
		if (!l->pick_status[0])
			continue;
		bool sub = strcmp(l->pick_status, "substituted") == 0;
		if (money_line_amount(sub ? l->sub_price : l->price, l->picked_qty, &a) == CM_OK)
			sum += a;
	}
	return sum;
}

static char *picked_payload(const struct shop_order_rec *o)
{
	struct canon *c = canon_new();
	if (!c)
		return NULL;
	canon_obj_begin(c, NULL);
	canon_str(c, "order", o->id);
	canon_arr_begin(c, "lines");
	for (size_t i = 0; i < o->nlines; i++) {
		const struct shop_line_rec *l = &o->lines[i];
		canon_obj_begin(c, NULL);
		canon_int(c, "line", l->line);
		canon_str(c, "status", l->pick_status);
		canon_int(c, "qty", l->picked_qty);
		if (strcmp(l->pick_status, "substituted") == 0) {
			canon_str(c, "sku", l->sub_sku);
			canon_int(c, "price", l->sub_price);
		}
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_int(c, "total", o->picked_total);
	canon_obj_end(c);
	return canon_take(c);
}

enum cm_rc shop_pick_finish(struct till *t, struct shop_order_rec *o)
{
	if (!till_user(t)) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (till_now(t) > o->expires_at) {
		till_seterr(t, _("online order %s expired: it is not picked any more"), o->id);
		return CM_STATE;
	}
	for (size_t i = 0; i < o->nlines; i++) {
		if (!o->lines[i].pick_status[0]) {
			till_seterr(t, _("line %lld (%s) is not marked yet"), (long long)o->lines[i].line,
			            o->lines[i].name);
			return CM_STATE;
		}
	}
	o->picked_total = shop_picked_total(o);
	o->has_picked = true;
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	rc = store_shop_picked(st, o);
	if (rc != CM_OK)
		till_store_fail(t, rc);
	rc = till_end_tx(t, rc, "shop_picked", 0, picked_payload(o));
	if (rc == CM_OK)
		snprintf(o->status, sizeof o->status, "ready");
	return rc;
}

/* The member by number or card; the message set when there is none. */
static enum cm_rc web_pin_member(struct till *t, const char *member_no, struct member_rec *m)
{
	if (!till_user(t)) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	enum cm_rc rc = store_member_find(till_store(t), member_no, m);
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("no member with card or number %s"), member_no);
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	return rc;
}

static enum cm_rc web_pin_require(struct till *t, const struct member_rec *m,
                                  const struct approval *ap)
{
	char subject[AUTH_SUBJECT_MAX], what[AUTH_WHAT_MAX];
	snprintf(subject, sizeof subject, "member=%s", m->number);
	snprintf(what, sizeof what, _("Member %s %s:\nset their web PIN for the online shop (the "
	                              "member types it)."), m->number, m->name);
	return auth_require_for(t, ACT_WEB_PIN, subject, what, ap);
}

enum cm_rc shop_web_pin_allowed(struct till *t, const char *member_no,
                                const struct approval *ap)
{
	struct member_rec m;
	enum cm_rc rc = web_pin_member(t, member_no, &m);
	return rc == CM_OK ? web_pin_require(t, &m, ap) : rc;
}

enum cm_rc shop_web_pin(struct till *t, const char *member_no, const char *pin,
                        const char *again, const struct approval *ap)
{
	struct member_rec m;
	char hash[crypto_pwhash_STRBYTES];
	enum cm_rc rc = web_pin_member(t, member_no, &m);
	if (rc == CM_OK)
		rc = web_pin_require(t, &m, ap);
	if (rc != CM_OK)
		return rc;
	if (strcmp(pin, again) != 0) {
		till_seterr(t, "%s", _("the two PINs differ: type the same PIN twice"));
		return CM_INVALID;
	}
	if ((rc = auth_pin_acceptable(t, m.number, pin)) != CM_OK)
		return rc;
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		till_seterr(t, "%s", _("out of memory while protecting the PIN"));
		return CM_NOMEM;
	}
	struct canon *c = canon_new();
	if (!c) {
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	canon_obj_begin(c, NULL);
	canon_str(c, "member", m.number);
	canon_str(c, "hash", hash);
	auth_approval_payload(c, auth_may(t, ACT_WEB_PIN) ? NULL : ap);
	canon_obj_end(c);
	struct store *st = till_store(t);
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	return till_end_tx(t, CM_OK, "web_pin", 0, canon_take(c));
}
