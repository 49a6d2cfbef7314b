/* Catalogue lookups by barcode or SKU outside the sale. */
#include "engine/lookup.h"

#include <stdio.h>

enum cm_rc lookup_item(struct till *t, const char *code, struct item_rec *it, cm_qty *pack,
                       char *norm)
{
	struct store *st = till_store(t);
	struct barcode bc;
	enum cm_rc prc = till_parse_barcode(t, code, &bc), rc;
	snprintf(norm, 32, "%s", bc.code[0] ? bc.code : code);
	*pack = CM_QTY_ONE;
	if (prc == CM_OK && bc.kind == BC_SCALE) {
		till_seterr(t, "%s", _("a scale label cannot be used here: type the item's SKU"));
		return CM_INVALID;
	}
	if (prc != CM_OK && bc.kind != BC_TEXT) {
		till_seterr(t, "%s", _("that is not a barcode or item code"));
		return CM_INVALID;
	}
	rc = prc == CM_OK && bc.kind != BC_TEXT ? store_item_by_barcode(st, bc.code, it, pack)
	                                        : CM_NOTFOUND;
	if (rc == CM_NOTFOUND) {
		*pack = CM_QTY_ONE;
		rc = store_item_by_sku(st, code, it);
	}
	if (rc == CM_NOTFOUND && prc != CM_OK) {
		till_seterr(t, _("barcode %s is misread (wrong check digit); scan it again"), code);
		return CM_INVALID;
	}
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("no item with barcode or SKU %s"), code);
	else if (rc != CM_OK)
		till_store_fail(t, rc);
	return rc;
}
