/* Folding the till's online-order events (fold_shop.h), with cJSON. */
#include "fold_shop.h"
#include "hqstore_pickup.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOP_AMOUNT_MAX 1000000000000LL

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
	if (!cJSON_IsString(f) || !f->valuestring[0] || strlen(f->valuestring) >= n)
		return false;
	memcpy(buf, f->valuestring, strlen(f->valuestring) + 1);
	return true;
}

static bool pick_read(const cJSON *l, struct hq_shop_pick *p)
{
	memset(p, 0, sizeof *p);
	if (!cJSON_IsObject(l) || !get_int(l, "line", &p->line) ||
	    !get_str(l, "status", p->status, sizeof p->status) || !proto_shop_pick_valid(p->status) ||
	    !get_int(l, "qty", &p->qty) || p->qty < 0 || p->qty > 1000000000)
		return false;
	if (strcmp(p->status, "substituted") != 0)
		return true;
	return get_str(l, "sku", p->sku, sizeof p->sku) && get_int(l, "price", &p->price) &&
	       p->price >= 0 && p->price <= SHOP_AMOUNT_MAX;
}

/* A store's failure is passed on; a name HQ does not have, or an order
 * collected twice, is the payload's fault (an alert). */
static enum cm_rc not_found_is_payload(enum cm_rc rc, const struct hq_event *e, char *why,
                                       size_t whylen)
{
	if (rc == CM_NOTFOUND || rc == CM_CONFLICT) {
		snprintf(why, whylen, "%s event %lld: %s", e->type, (long long)e->seq,
		         hqstore_errmsg());
		return CM_INVALID;
	}
	return rc;
}

enum cm_rc fold_shop_picked(struct hqstore *st, const struct hq_terminal *t,
                            const struct hq_event *e, const struct cJSON *root, char *why,
                            size_t whylen)
{
	char order[24];
	int64_t total;
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "lines"), *l;
	size_t n = 0;
	if (!get_str(root, "order", order, sizeof order) || !get_int(root, "total", &total) ||
	    total < 0 || total > SHOP_AMOUNT_MAX || !cJSON_IsArray(a) || !cJSON_GetArraySize(a) ||
	    cJSON_GetArraySize(a) > PROTO_MAX_SHOP_LINES) {
		snprintf(why, whylen, "shop_picked event %lld: no order, total or lines",
		         (long long)e->seq);
		return CM_INVALID;
	}
	struct hq_shop_pick *p = calloc((size_t)cJSON_GetArraySize(a), sizeof *p);
	if (!p)
		return CM_NOMEM;
	cJSON_ArrayForEach(l, a) {
		if (!pick_read(l, &p[n++])) {
			free(p);
			snprintf(why, whylen, "shop_picked event %lld: line %zu lacks a number, a known "
			         "status or a qty (substituted: a sku and a price)", (long long)e->seq, n);
			return CM_INVALID;
		}
	}
	enum cm_rc rc = hqstore_shop_picked(st, t->store, order, p, n, total, e->at);
	free(p);
	return not_found_is_payload(rc, e, why, whylen);
}

enum cm_rc fold_shop_collected(struct hqstore *st, const struct hq_terminal *t,
                               const struct hq_event *e, const struct cJSON *root, char *why,
                               size_t whylen)
{
	char order[24], receipt[32];
	int64_t due;
	if (!cJSON_GetObjectItemCaseSensitive(root, "shop_order"))
		return CM_OK;
	if (!get_str(root, "shop_order", order, sizeof order) ||
	    !get_str(root, "receipt", receipt, sizeof receipt) || !get_int(root, "due", &due)) {
		snprintf(why, whylen, "sale event %lld: shop_order is not an order number",
		         (long long)e->seq);
		return CM_INVALID;
	}
	enum cm_rc rc = hqstore_shop_collected(st, t->store, order, t->terminal, e->seq, receipt,
	                                       due, e->at);
	return not_found_is_payload(rc, e, why, whylen);
}

enum cm_rc fold_web_pin(struct hqstore *st, const struct hq_terminal *t,
                        const struct hq_event *e, const struct cJSON *root, char *why,
                        size_t whylen)
{
	char member[24], hash[256], by[64];
	if (!get_str(root, "member", member, sizeof member) ||
	    !get_str(root, "hash", hash, sizeof hash) || strncmp(hash, "$argon2id$", 10) != 0) {
		snprintf(why, whylen, "web_pin event %lld: no member, or a hash that is not Argon2id",
		         (long long)e->seq);
		return CM_INVALID;
	}
	snprintf(by, sizeof by, "till:%s/%s", t->store, t->terminal);
	enum cm_rc rc = hqstore_web_pin_set(st, member, hash, by, e->at);
	return not_found_is_payload(rc, e, why, whylen);
}
