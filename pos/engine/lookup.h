/* Finding a catalogue item from what was scanned or typed outside the
 * sale (returns, receiving, adjustments): a GTIN (UPC-A normalised to
 * EAN-13) or a SKU. Scale labels are refused: they name a weight or price,
 * not a quantity to move. */
#ifndef LOOKUP_H
#define LOOKUP_H

#include "engine/till.h"

/* CM_OK with the item, the pack quantity of the barcode (1000 for a SKU)
 * and the normalised code (32 bytes); CM_NOTFOUND or CM_INVALID with a
 * message on the till. norm is set even on CM_NOTFOUND. */
enum cm_rc lookup_item(struct till *t, const char *code, struct item_rec *it, cm_qty *pack,
                       char *norm);

#endif
