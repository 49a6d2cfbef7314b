/* Stock adjustments with a reason. */
#include "engine/adjust.h"
#include "core/chain.h"
#include "engine/resolve.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code;
	const char *label;
	const char *kind;   /* stock movement kind */
	int sign;           /* direction of the movement */
} reasons[ADJ_COUNT] = {
	[ADJ_DAMAGED] = { "damaged", N_("damaged (to the damaged bin)"), "damaged", -1 },
	[ADJ_EXPIRED] = { "expired", N_("expired"), "adjust", -1 },
	[ADJ_LOST] = { "lost", N_("lost or stolen"), "adjust", -1 },
	[ADJ_OWN_USE] = { "own_use", N_("own use by the store"), "adjust", -1 },
	[ADJ_FOUND] = { "found", N_("found"), "adjust", +1 },
};

const char *adjust_reason_code(enum adjust_reason r)
{
	return (unsigned)r < ADJ_COUNT ? reasons[r].code : "unknown";
}

const char *adjust_reason_label(enum adjust_reason r)
{
	return (unsigned)r < ADJ_COUNT ? _(reasons[r].label) : "?";
}

enum cm_rc adjust_reason_parse(const char *s, enum adjust_reason *out)
{
	for (int i = 0; s && i < ADJ_COUNT; i++) {
		if (strcmp(s, reasons[i].code) == 0) {
			*out = (enum adjust_reason)i;
			return CM_OK;
		}
	}
	return CM_INVALID;
}

static enum cm_rc find_item(struct till *t, const char *code, struct item_rec *it)
{
	struct resolved r;
	enum cm_rc rc = resolve_code(t, code, 0, &r);
	if (rc == CM_OK)
		*it = r.item;
	return rc;
}

static char *payload(const struct item_rec *it, cm_qty qty, enum adjust_reason reason,
                     const char *note)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "reason", reasons[reason].code);
	canon_str(c, "kind", reasons[reason].kind);
	if (note && note[0])
		canon_str(c, "note", note);
	/* The shape HQ folds into its stock ledger (sync/hq/fold.h). */
	canon_arr_begin(c, "lines");
	canon_obj_begin(c, NULL);
	canon_str(c, "sku", it->sku);
	canon_int(c, "qty", qty);
	canon_obj_end(c);
	canon_arr_end(c);
	canon_obj_end(c);
	return canon_take(c);
}

enum cm_rc adjust_stock(struct till *t, const char *code, cm_qty qty, enum adjust_reason reason,
                        const char *note)
{
	enum cm_rc rc = auth_require(t, ACT_ADJUST, NULL);
	if (rc != CM_OK)
		return rc;
	if ((unsigned)reason >= ADJ_COUNT) {
		till_seterr(t, "%s", _("choose a reason for the adjustment"));
		return CM_INVALID;
	}
	if (qty <= 0 || qty > 999999 * CM_QTY_ONE) {
		till_seterr(t, "%s", _("enter a quantity above zero"));
		return CM_INVALID;
	}
	if (note && strlen(note) > 120) {
		till_seterr(t, "%s", _("the note is too long (at most 120 characters)"));
		return CM_INVALID;
	}
	struct item_rec it;
	if ((rc = find_item(t, code, &it)) != CM_OK)
		return rc;
	if (!it.weighed && qty % CM_QTY_ONE != 0) {
		till_seterr(t, _("%s is counted in whole pieces"), it.name);
		return CM_INVALID;
	}
	struct store *st = till_store(t);
	struct journal_entry je;
	cm_qty signed_qty = reasons[reason].sign * qty;
	if ((rc = store_begin(st)) != CM_OK)
		return till_store_fail(t, rc);
	rc = till_journal(t, "stock_adjusted", 0, payload(&it, signed_qty, reason, note), &je);
	if (rc == CM_OK &&
	    (rc = store_stock_move(st, it.id, signed_qty, reasons[reason].kind, reasons[reason].code,
	                           je.seq, till_now(t))) != CM_OK)
		till_store_fail(t, rc);
	return till_end_tx(t, rc, NULL, 0, NULL);
}
