/* resolve: the one way a scanned or typed code becomes what it names, for
 * every flow of the till (sale, stock count, returns, receiving,
 * adjustments). The rules, in order:
 *
 *   1. A GTIN (EAN-13, EAN-8, UPC-A, GTIN-14 with a good check digit) is
 *      looked up by its catalogue key (core/barcode.h), with the pack
 *      quantity of that barcode (a carton code counts its pieces).
 *   2. A scale label (a prefix with a template) names the item by its PLU
 *      and carries a weight or price; only flows that accept labels take
 *      it (a label is no quantity to move).
 *   3. Anything else, or a GTIN the catalogue does not know: the item's
 *      SKU as typed, then its scale PLU when the code is a number (a typed
 *      "101"), then a barcode stored as typed.
 *   4. A member card (card code or member number) when no item matched:
 *      flows that accept members get the member if active; a blocked or
 *      departed member's card is named as such, never "unknown code".
 *   5. Digits with a wrong check digit or verifier that matched nothing
 *      are called misread, so the cashier scans again.
 *
 * Messages go on the till (till_errmsg). */
#ifndef RESOLVE_H
#define RESOLVE_H

#include "engine/till.h"

/* What the calling flow takes besides catalogue items. */
#define RESOLVE_LABELS  0x1u /* scale labels (sale, stock count) */
#define RESOLVE_MEMBERS 0x2u /* member cards (sale) */

enum resolved_kind {
	RESOLVED_ITEM,   /* item, pack */
	RESOLVED_LABEL,  /* item, bc (plu, weight or price) */
	RESOLVED_MEMBER, /* member */
};

enum resolved_via { VIA_GTIN, VIA_LABEL, VIA_SKU, VIA_PLU, VIA_CODE, VIA_MEMBER };

struct resolved {
	enum resolved_kind kind;
	enum resolved_via via;
	struct item_rec item;
	cm_qty pack;      /* what one scan counts: the barcode's pack, else 1000 */
	struct barcode bc;/* the parsed code; bc.code is the GTIN key, label
	                   * digits, or the text as typed */
	struct member_rec member;
};

/* CM_OK with *out filled; CM_NOTFOUND (unknown code), CM_INVALID (not a
 * code, misread, a label or member card where none is taken, a member who
 * may not buy) or a store error, each with a message on the till. */
enum cm_rc resolve_code(struct till *t, const char *code, unsigned accept,
                        struct resolved *out);

#endif
