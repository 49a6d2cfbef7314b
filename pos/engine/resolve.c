/* resolve: scanned or typed codes to items, labels and members (the
 * rules are in resolve.h). */
#include "engine/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A typed PLU: a plain number the items.plu column can hold. */
static bool plu_of(const char *code, int32_t *plu)
{
	size_t n = strlen(code);
	if (n == 0 || n > 9 || strspn(code, "0123456789") != n)
		return false;
	long v = strtol(code, NULL, 10);
	*plu = (int32_t)v;
	return v > 0;
}

/* Rule 3: SKU, PLU, a barcode stored as typed. */
static enum cm_rc by_text(struct store *st, const char *code, struct resolved *out)
{
	int32_t plu;
	enum cm_rc rc = store_item_by_sku(st, code, &out->item);
	out->via = VIA_SKU;
	if (rc == CM_NOTFOUND && plu_of(code, &plu)) {
		rc = store_item_by_plu(st, plu, &out->item);
		out->via = VIA_PLU;
	}
	if (rc == CM_NOTFOUND) {
		rc = store_item_by_barcode(st, code, &out->item, &out->pack);
		out->via = VIA_CODE;
	}
	return rc;
}

static enum cm_rc label(struct till *t, unsigned accept, struct resolved *out)
{
	if (!(accept & RESOLVE_LABELS)) {
		till_seterr(t, "%s", _("a scale label cannot be used here: type the item's SKU"));
		return CM_INVALID;
	}
	enum cm_rc rc = store_item_by_plu(till_store(t), out->bc.plu, &out->item);
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("unknown code %s: not in the catalogue"), out->bc.code);
	else if (rc != CM_OK)
		return till_store_fail(t, rc);
	out->kind = RESOLVED_LABEL;
	out->via = VIA_LABEL;
	return rc;
}

/* Rule 4: a member card, once no item matched. */
static enum cm_rc member(struct till *t, const char *code, unsigned accept,
                         struct resolved *out)
{
	struct member_rec *m = &out->member;
	enum cm_rc rc = store_member_find(till_store(t), code, m);
	if (rc != CM_OK)
		return rc;
	if (strcmp(m->status, "blocked") == 0) {
		till_seterr(t, _("member card blocked: %s %s; ask a supervisor"),
		            m->number, m->name);
		return CM_INVALID;
	}
	if (strcmp(m->status, "active") != 0) {
		till_seterr(t, _("member %s %s is not active (%s)"), m->number, m->name, m->status);
		return CM_INVALID;
	}
	if (!(accept & RESOLVE_MEMBERS)) {
		till_seterr(t, _("%s is the card of member %s %s: scan an item"), code, m->number,
		            m->name);
		return CM_INVALID;
	}
	out->kind = RESOLVED_MEMBER;
	out->via = VIA_MEMBER;
	return CM_OK;
}

static enum cm_rc not_found(struct till *t, const char *code, const struct barcode *bc)
{
	if (bc->fault == BC_FAULT_VERIFIER) {
		till_seterr(t, _("label %s is misread (price/weight check digit); scan it again"),
		            code);
		return CM_INVALID;
	}
	if (bc->fault == BC_FAULT_CHECK) {
		till_seterr(t, _("barcode %s is misread (wrong check digit); scan it again"), code);
		return CM_INVALID;
	}
	till_seterr(t, _("unknown code %s: not in the catalogue"), code);
	return CM_NOTFOUND;
}

enum cm_rc resolve_code(struct till *t, const char *code, unsigned accept,
                        struct resolved *out)
{
	struct store *st = till_store(t);
	memset(out, 0, sizeof *out);
	out->kind = RESOLVED_ITEM;
	out->pack = CM_QTY_ONE;
	enum cm_rc prc = till_parse_barcode(t, code, &out->bc), rc = CM_NOTFOUND;
	if (prc != CM_OK && out->bc.fault == BC_FAULT_NONE) { /* empty, spaces, control characters */
		till_seterr(t, "%s", _("that is not a barcode or item code"));
		return CM_INVALID;
	}
	if (prc == CM_OK && out->bc.kind == BC_SCALE)
		return label(t, accept, out);
	if (prc == CM_OK && out->bc.kind != BC_TEXT) {
		rc = store_item_by_barcode(st, out->bc.code, &out->item, &out->pack);
		out->via = VIA_GTIN;
	}
	if (rc == CM_NOTFOUND) {
		out->pack = CM_QTY_ONE;
		rc = by_text(st, code, out);
	}
	if (rc == CM_NOTFOUND)
		rc = member(t, code, accept, out);
	if (rc == CM_NOTFOUND)
		return not_found(t, code, &out->bc);
	if (rc != CM_OK && rc != CM_INVALID)
		return till_store_fail(t, rc);
	return rc;
}
