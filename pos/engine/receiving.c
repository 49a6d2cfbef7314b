/* Receiving deliveries: drafts, lines, parked barcodes, posting. */
#include "engine/receiving.h"
#include "core/chain.h"
#include "core/money.h"
#include "engine/resolve.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum cm_rc store_failed(struct till *t, enum cm_rc rc)
{
	return till_store_fail(t, rc);
}

/* Runs one store change in its own durable transaction (drafts are not
 * journaled: only posting is, like the lines of a ticket). */
static enum cm_rc in_tx(struct till *t, enum cm_rc rc)
{
	struct store *st = till_store(t);
	if (rc == CM_OK && (rc = store_commit(st)) != CM_OK)
		store_failed(t, rc);
	if (rc != CM_OK)
		store_rollback(st);
	return rc;
}

static enum cm_rc check_qty_cost(struct till *t, cm_qty qty, cm_money cost)
{
	if (qty <= 0 || qty > 999999 * CM_QTY_ONE) {
		till_seterr(t, "%s", _("enter a quantity above zero"));
		return CM_INVALID;
	}
	if (cost < 0) {
		till_seterr(t, "%s", _("enter a unit cost of zero or more"));
		return CM_INVALID;
	}
	if (cost > MONEY_PRICE_MAX) {
		char max[32];
		money_format(MONEY_PRICE_MAX, NULL, max, sizeof max);
		till_seterr(t, _("a unit cost above %s is not accepted"), max);
		return CM_INVALID;
	}
	return CM_OK;
}

enum cm_rc receive_open_orders(struct till *t, const char *supplier, struct po_rec **out,
                               size_t *n)
{
	struct store *st = till_store(t);
	int64_t sid;
	char name[48];
	*out = NULL;
	*n = 0;
	enum cm_rc rc = store_supplier_find(st, supplier, &sid, name, sizeof name);
	if (rc == CM_OK)
		rc = store_po_open(st, sid, out, n);
	if (rc != CM_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		store_failed(t, rc);
	}
	return rc;
}

enum cm_rc receive_start(struct till *t, const char *supplier, const char *po_no,
                         const char *note, int64_t *id)
{
	enum cm_rc rc = auth_require(t, ACT_RECEIVE, NULL);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	struct delivery_rec d = { .created_by = till_user(t)->id, .created_at = till_now(t) };
	if (!supplier || !supplier[0]) {
		till_seterr(t, "%s", _("choose the supplier of the delivery"));
		return CM_INVALID;
	}
	if (note && strlen(note) >= sizeof d.note) {
		till_seterr(t, "%s", _("the delivery note number is too long"));
		return CM_INVALID;
	}
	snprintf(d.note, sizeof d.note, "%s", note ? note : "");
	if ((rc = store_supplier_find(st, supplier, &d.supplier_id, d.supplier, sizeof d.supplier)) != CM_OK)
		return store_failed(t, rc);
	if (po_no && po_no[0]) {
		int64_t po_supplier = 0;
		if ((rc = store_po_find(st, po_no, &d.po_id, &po_supplier)) != CM_OK)
			return store_failed(t, rc);
		if (po_supplier != d.supplier_id) {
			till_seterr(t, _("purchase order %s is for another supplier"), po_no);
			return CM_INVALID;
		}
	}
	if ((rc = store_begin(st)) != CM_OK)
		return store_failed(t, rc);
	if ((rc = store_delivery_create(st, &d, id)) != CM_OK)
		store_failed(t, rc);
	return in_tx(t, rc);
}

enum cm_rc receive_add(struct till *t, int64_t id, const char *code, cm_qty qty,
                       cm_money unit_cost)
{
	enum cm_rc rc = auth_require(t, ACT_RECEIVE, NULL);
	if (rc == CM_OK)
		rc = check_qty_cost(t, qty, unit_cost);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	struct resolved r;
	rc = resolve_code(t, code, 0, &r);
	struct item_rec it = r.item;
	cm_qty pack = r.pack;
	const char *norm = r.bc.code;
	if (rc == CM_NOTFOUND)
		till_seterr(t, _("%s is not in the catalogue: park it for HQ"), code);
	if (rc != CM_OK)
		return rc;
	if (!it.weighed && qty % CM_QTY_ONE != 0) {
		till_seterr(t, _("%s is counted in whole pieces"), it.name);
		return CM_INVALID;
	}
	struct delivery_line_rec l = { .item_id = it.id, .unit_cost = unit_cost };
	/* A carton barcode receives its pieces: qty cartons x pack. */
	if (!it.weighed && pack != CM_QTY_ONE) {
		l.qty = qty / CM_QTY_ONE * pack;
		l.unit_cost = unit_cost * CM_QTY_ONE / pack;
	} else {
		l.qty = qty;
	}
	snprintf(l.barcode, sizeof l.barcode, "%s", norm);
	if ((rc = store_begin(st)) != CM_OK)
		return store_failed(t, rc);
	if ((rc = store_delivery_add_line(st, id, &l)) != CM_OK)
		store_failed(t, rc);
	return in_tx(t, rc);
}

enum cm_rc receive_park(struct till *t, int64_t id, const char *barcode,
                        const char *description, cm_qty qty, cm_money unit_cost)
{
	enum cm_rc rc = auth_require(t, ACT_RECEIVE, NULL);
	if (rc == CM_OK)
		rc = check_qty_cost(t, qty, unit_cost);
	if (rc != CM_OK)
		return rc;
	struct parked_rec p = { .qty = qty, .unit_cost = unit_cost };
	if (!barcode || !barcode[0] || strlen(barcode) >= sizeof p.barcode) {
		till_seterr(t, "%s", _("scan or type the barcode to park"));
		return CM_INVALID;
	}
	if (!description || !description[0] || strlen(description) >= sizeof p.description) {
		till_seterr(t, "%s", _("describe the parked item for HQ (1 to 95 characters)"));
		return CM_INVALID;
	}
	struct store *st = till_store(t);
	struct barcode bc;
	if (till_parse_barcode(t, barcode, &bc) != CM_OK || bc.kind == BC_TEXT || bc.kind == BC_SCALE) {
		till_seterr(t, _("%s is not a valid EAN or UPC barcode; scan it again"), barcode);
		return CM_INVALID;
	}
	struct item_rec it;
	cm_qty pack;
	if (store_item_by_barcode(st, bc.code, &it, &pack) == CM_OK) {
		till_seterr(t, _("%s is in the catalogue (%s): add it instead of parking it"),
		            barcode, it.name);
		return CM_CONFLICT;
	}
	snprintf(p.barcode, sizeof p.barcode, "%s", bc.code);
	snprintf(p.description, sizeof p.description, "%s", description);
	if ((rc = store_begin(st)) != CM_OK)
		return store_failed(t, rc);
	if ((rc = store_delivery_park(st, id, &p)) != CM_OK)
		store_failed(t, rc);
	return in_tx(t, rc);
}

/* What the delivery brings of item_id so far, and what its order asks. */
static cm_qty received_of(const struct delivery *d, int64_t item_id)
{
	cm_qty q = 0;
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].item_id == item_id)
			q += d->lines[i].qty;
	return q;
}

static cm_qty ordered_of(const struct delivery *d, int64_t item_id)
{
	cm_qty q = 0;
	for (size_t i = 0; i < d->norder; i++)
		if (d->order[i].item_id == item_id)
			q += d->order[i].qty;
	return q;
}

static enum cm_rc load_order(struct till *t, struct delivery *d)
{
	enum cm_rc rc = store_po_lines(till_store(t), d->d.po_id, &d->order, &d->norder);
	if (rc != CM_OK)
		return store_failed(t, rc);
	d->received = calloc(d->norder ? d->norder : 1, sizeof *d->received);
	if (!d->received) {
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	for (size_t i = 0; i < d->norder; i++)
		d->received[i] = received_of(d, d->order[i].item_id);
	return CM_OK;
}

enum cm_rc receive_load(struct till *t, int64_t id, struct delivery *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = store_delivery_load(till_store(t), id, &out->d, &out->lines, &out->nlines,
	                                    &out->parked, &out->nparked);
	if (rc != CM_OK)
		return store_failed(t, rc);
	for (size_t i = 0; i < out->nlines; i++) {
		cm_money a = 0;
		if (money_line_amount(out->lines[i].unit_cost, out->lines[i].qty, &a) == CM_OK)
			out->cost += a;
	}
	if (out->d.po_id && (rc = load_order(t, out)) != CM_OK)
		receive_free(out);
	return rc;
}

void receive_free(struct delivery *d)
{
	free(d->lines);
	free(d->parked);
	free(d->order);
	free(d->received);
	memset(d, 0, sizeof *d);
}

void receive_order_gaps(const struct delivery *d, struct order_gaps *out)
{
	memset(out, 0, sizeof *out);
	if (!d->d.po_id)
		return;
	for (size_t i = 0; i < d->norder; i++) {
		cm_qty want = ordered_of(d, d->order[i].item_id);
		if (d->received[i] < want)
			out->short_lines++;
		else if (d->received[i] > want)
			out->over_lines++;
	}
	for (size_t i = 0; i < d->nlines; i++)
		if (!ordered_of(d, d->lines[i].item_id))
			out->not_ordered++;
}

enum cm_rc receive_check_order(struct till *t, int64_t id, const char *code, cm_qty qty)
{
	struct delivery d;
	struct resolved res;
	char o[32], r[32];
	enum cm_rc rc = receive_load(t, id, &d);
	if (rc != CM_OK)
		return rc;
	if (!d.d.po_id || resolve_code(t, code, 0, &res) != CM_OK) {
		receive_free(&d);
		return CM_OK;
	}
	const struct item_rec *it = &res.item;
	cm_qty pack = res.pack;
	cm_qty pieces = !it->weighed && pack != CM_QTY_ONE ? qty / CM_QTY_ONE * pack : qty;
	cm_qty ordered = ordered_of(&d, it->id), got = received_of(&d, it->id) + pieces;
	qty_format(ordered, o, sizeof o);
	qty_format(got, r, sizeof r);
	if (!ordered) {
		till_seterr(t, _("%s is not on purchase order %s."), it->name, d.d.po_no);
		rc = CM_CONFLICT;
	} else if (got > ordered) {
		till_seterr(t, _("%s: %s %s ordered, %s with this one: more than ordered."), it->name, o,
		            it->unit, r);
		rc = CM_CONFLICT;
	}
	receive_free(&d);
	return rc;
}

static char *post_payload(const struct delivery *d)
{
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "delivery", d->d.id);
	canon_str(c, "supplier", d->d.supplier);
	if (d->d.po_no[0])
		canon_str(c, "po", d->d.po_no);
	canon_str(c, "note", d->d.note);
	canon_arr_begin(c, "lines");
	for (size_t i = 0; i < d->nlines; i++) {
		canon_obj_begin(c, NULL);
		canon_int(c, "line", d->lines[i].line_no);
		canon_str(c, "sku", d->lines[i].sku);
		canon_int(c, "qty", d->lines[i].qty);
		canon_int(c, "cost", d->lines[i].unit_cost);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_arr_begin(c, "parked");
	for (size_t i = 0; i < d->nparked; i++) {
		canon_obj_begin(c, NULL);
		canon_str(c, "barcode", d->parked[i].barcode);
		canon_str(c, "description", d->parked[i].description);
		canon_int(c, "qty", d->parked[i].qty);
		canon_int(c, "cost", d->parked[i].unit_cost);
		canon_obj_end(c);
	}
	canon_arr_end(c);
	canon_int(c, "cost", d->cost);
	canon_obj_end(c);
	return canon_take(c);
}

enum cm_rc receive_post(struct till *t, int64_t id, int64_t *seq)
{
	enum cm_rc rc = auth_require(t, ACT_RECEIVE, NULL);
	if (rc != CM_OK)
		return rc;
	struct store *st = till_store(t);
	struct delivery d;
	struct journal_entry je;
	if ((rc = store_begin(st)) != CM_OK)
		return store_failed(t, rc);
	if ((rc = receive_load(t, id, &d)) != CM_OK) {
		store_rollback(st);
		return rc;
	}
	if (d.d.posted) {
		till_seterr(t, _("delivery %lld is already posted"), (long long)id);
		rc = CM_STATE;
	} else if (!d.nlines && !d.nparked) {
		till_seterr(t, _("delivery %lld has nothing to post"), (long long)id);
		rc = CM_STATE;
	}
	if (rc == CM_OK)
		rc = till_journal(t, "stock_received", 0, post_payload(&d), &je);
	if (rc == CM_OK && (rc = store_delivery_post(st, id, till_user(t)->id, till_now(t), je.seq)) != CM_OK)
		store_failed(t, rc);
	receive_free(&d);
	if ((rc = till_end_tx(t, rc, NULL, 0, NULL)) == CM_OK && seq)
		*seq = je.seq;
	return rc;
}
