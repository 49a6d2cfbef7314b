/* Online orders as the store's terminals see them (hqstore_pickup.h). */
#include "hqstore_int.h"
#include "hqstore_pickup.h"
#include "core/money.h"

#include <stdlib.h>
#include <string.h>

/* The next shop_orders version, the row locked until the transaction
 * ends (PostgreSQL: an UPDATE holds it), so versions commit in order. */
static enum cm_rc shop_version_next(struct db *db, int64_t *v)
{
	struct db_q *q = db_query(db, DB_SQL("UPDATE versions SET value = value + 1 "
	                                     "WHERE name = 'shop_orders' RETURNING value"),
	                          N_("taking a shop orders version"), "");
	*v = 0;
	if (db_row(q))
		*v = db_int(q, 0);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && *v <= 0)
		rc = db_fail(CM_CORRUPT, "%s", _("the shop orders version is missing"));
	return rc;
}

enum cm_rc hqstore_shop_expire(struct hqstore *st, const char *store, int64_t now, int64_t *n)
{
	struct db *db = hq_db(st);
	int64_t due = 0, v, changed = 0;
	if (n)
		*n = 0;
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT count(*) FROM shop_orders WHERE store = ?1 "
	                                     "AND status IN ('placed', 'ready') AND expires_at < ?2"),
	                          N_("reading online orders"), "ti", store, now);
	if (db_row(q))
		due = db_int(q, 0);
	enum cm_rc rc = db_end(q);
	if (rc != CM_OK || due == 0)
		return rc;
	if ((rc = shop_version_next(db, &v)) != CM_OK)
		return rc;
	rc = db_run(db, DB_SQL("UPDATE shop_orders SET status = 'expired', version = ?3, "
	                       "updated_at = ?2 WHERE store = ?1 AND status IN ('placed', 'ready') "
	                       "AND expires_at < ?2"),
	            N_("expiring online orders"), &changed, "tii", store, now, v);
	if (n)
		*n = changed;
	return rc;
}

/* The first of an item's space-separated barcodes. */
static void first_word(const char *s, char *buf, size_t n)
{
	size_t i = 0;
	while (s[i] && s[i] != ' ' && i + 1 < n) {
		buf[i] = s[i];
		i++;
	}
	buf[i] = '\0';
}

static void line_read(struct db_q *q, struct proto_shop_line *l, bool *picked)
{
	l->line = db_int(q, 0);
	db_text(q, 1, l->sku, sizeof l->sku);
	first_word(db_str(q, 2) ? db_str(q, 2) : "", l->gtin, sizeof l->gtin);
	db_text(q, 3, l->name, sizeof l->name);
	l->qty = db_int(q, 4);
	l->price = db_int(q, 5);
	db_text(q, 6, l->pick_status, sizeof l->pick_status);
	l->picked_qty = db_int(q, 7);
	db_text(q, 8, l->sub_sku, sizeof l->sub_sku);
	l->sub_price = db_int(q, 9);
	if (l->pick_status[0])
		*picked = true;
}

/* A substitute sells at the member price the picker's till gave it. */
static enum cm_rc order_lines(struct db *db, struct proto_shop_order *o)
{
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT l.line, l.sku, i.barcodes, i.name, l.qty, l.price, "
		"coalesce(l.pick_status, ''), coalesce(l.picked_qty, 0), coalesce(l.sub_sku, ''), "
		"coalesce(l.sub_price, 0) "
		"FROM shop_order_lines l JOIN items i ON i.sku = l.sku "
		"WHERE l.order_id = ?1 ORDER BY l.line"),
		N_("reading online order lines"), "t", o->id);
	size_t cap = 0;
	bool picked = false;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		if (o->nlines == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct proto_shop_line *nl = realloc(o->lines, ncap * sizeof *nl);
			if (!nl) {
				rc = CM_NOMEM;
				break;
			}
			o->lines = nl;
			cap = ncap;
		}
		struct proto_shop_line *l = &o->lines[o->nlines++];
		memset(l, 0, sizeof *l);
		line_read(q, l, &picked);
	}
	enum cm_rc qrc = db_end(q);
	o->has_picked = picked;
	return rc != CM_OK ? rc : qrc;
}

static void order_read(struct db_q *q, struct proto_shop_order *o)
{
	db_text(q, 0, o->id, sizeof o->id);
	o->version = db_int(q, 1);
	db_text(q, 2, o->status, sizeof o->status);
	db_text(q, 3, o->member, sizeof o->member);
	db_text(q, 4, o->member_name, sizeof o->member_name);
	o->placed_at = db_int(q, 5);
	o->slot_start = db_int(q, 6);
	o->slot_end = db_int(q, 7);
	o->expires_at = db_int(q, 8);
	o->total = db_int(q, 9);
	o->picked_total = db_int(q, 10);
}

enum cm_rc hqstore_shop_orders_since(struct hqstore *st, const char *store, int64_t since,
                                     size_t max, struct proto_shop_orders *out)
{
	memset(out, 0, sizeof *out);
	out->upto = since;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	if (!(out->orders = calloc(max + 1, sizeof *out->orders)))
		return CM_NOMEM;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT o.id, o.version, o.status, o.member, m.name, o.placed_at, o.slot_start, "
		"o.slot_end, o.expires_at, o.total, coalesce(o.picked_total, 0) "
		"FROM shop_orders o JOIN members m ON m.number = o.member "
		"WHERE o.store = ?1 AND o.version > ?2 ORDER BY o.version, o.id LIMIT ?3"),
		N_("reading online orders"), "tii", store, since, (int64_t)max + 1);
	while (db_row(q) && out->norders <= max)
		order_read(q, &out->orders[out->norders++]);
	enum cm_rc rc = db_end(q);
	/* One more than asked says there are more; a version may hold many
	 * orders (an expiry sweep), so the answer ends before the version it
	 * would cut, unless that version is all it has. */
	if (rc == CM_OK && out->norders > max) {
		out->more = true;
		out->norders = max;
		int64_t cut = out->orders[max].version;
		size_t keep = max;
		while (keep > 0 && out->orders[keep - 1].version == cut)
			keep--;
		if (keep > 0)
			out->norders = keep;
	}
	for (size_t i = 0; rc == CM_OK && i < out->norders; i++)
		rc = order_lines(db, &out->orders[i]);
	if (out->norders)
		out->upto = out->orders[out->norders - 1].version;
	if (rc != CM_OK)
		proto_shop_orders_free(out);
	return rc;
}

static enum cm_rc order_exists(struct db *db, const char *store, const char *id)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM shop_orders WHERE id = ?1 AND store = ?2"),
	                          N_("reading an online order"), "tt", id, store);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("store %s has no online order %s"), store, id);
	return rc;
}

/* Line p of order id as ordered: CM_NOTFOUND (message set) when the
 * order has no such line. */
static enum cm_rc ordered_line(struct db *db, const char *id, const struct hq_shop_pick *p,
                               int64_t *price, int64_t *qty)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT price, qty FROM shop_order_lines "
	                                     "WHERE order_id = ?1 AND line = ?2"),
	                          N_("reading an online order"), "ti", id, p->line);
	bool found = db_row(q);
	if (found) {
		*price = db_int(q, 0);
		*qty = db_int(q, 1);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("online order %s has no line %lld"), id,
		             (long long)p->line);
	return rc;
}

/* The first substitute whose price HQ lowered, for the alert. */
struct lowered {
	bool any;
	int64_t line;
	char sku[32];
	int64_t was, now;
};

/* A substitute costing the member more than the line it replaces is
 * lowered to the rule's price (money_substitute_price), as the till's
 * picking does: *total loses the difference, *lowered names the first. */
static void substitute_capped(struct hq_shop_pick *p, int64_t price, int64_t qty,
                              int64_t *total, struct lowered *lowered)
{
	cm_money cap = money_substitute_price(price, qty, p->price, p->qty), was = 0, now = 0;
	if (cap >= p->price)
		return;
	if (money_line_amount(p->price, p->qty, &was) == CM_OK &&
	    money_line_amount(cap, p->qty, &now) == CM_OK && *total >= was - now)
		*total -= was - now;
	if (!lowered->any) {
		lowered->any = true;
		lowered->line = p->line;
		memcpy(lowered->sku, p->sku, sizeof lowered->sku);
		lowered->was = p->price;
		lowered->now = cap;
	}
	p->price = cap;
}

/* Every line and substitute checked before anything is written. */
static enum cm_rc picks_check(struct db *db, const char *id, struct hq_shop_pick *p, size_t n,
                              int64_t *total, struct lowered *lowered)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		int64_t price = 0, qty = 0;
		rc = ordered_line(db, id, &p[i], &price, &qty);
		if (rc != CM_OK || strcmp(p[i].status, "substituted") != 0)
			continue;
		struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM items WHERE sku = ?1"),
		                          N_("reading an online order"), "t", p[i].sku);
		bool found = db_row(q);
		if ((rc = db_end(q)) == CM_OK && !found)
			rc = db_fail(CM_NOTFOUND, _("online order %s: substitute %s is not in the "
			             "catalogue"), id, p[i].sku);
		if (rc == CM_OK)
			substitute_capped(&p[i], price, qty, total, lowered);
	}
	return rc;
}

static enum cm_rc pick_line(struct db *db, const char *id, const struct hq_shop_pick *p)
{
	if (strcmp(p->status, "substituted") == 0)
		return db_run(db, DB_SQL("UPDATE shop_order_lines SET pick_status = ?3, picked_qty = ?4, "
		                         "sub_sku = ?5, sub_price = ?6 WHERE order_id = ?1 AND line = ?2"),
		              N_("saving an online order's picking"), NULL, "tititi", id, p->line,
		              p->status, p->qty, p->sku, p->price);
	return db_run(db, DB_SQL("UPDATE shop_order_lines SET pick_status = ?3, picked_qty = ?4, "
	                         "sub_sku = NULL, sub_price = NULL WHERE order_id = ?1 AND line = ?2"),
	              N_("saving an online order's picking"), NULL, "titi", id, p->line, p->status,
	              p->qty);
}

/* CM_CONFLICT when order id was cancelled by the member or expired
 * before the store's picking reached HQ: it stays so (the member was
 * told; its stock is released), and the alert tells the store to put the
 * goods back. */
static enum cm_rc still_open(struct db *db, const char *id)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT status FROM shop_orders WHERE id = ?1"),
	                          N_("reading an online order"), "t", id);
	char status[16] = "";
	if (db_row(q))
		db_text(q, 0, status, sizeof status);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !strcmp(status, "cancelled"))
		rc = db_fail(CM_CONFLICT, _("online order %s was picked after the member cancelled "
		             "it: put its goods back on the shelves"), id);
	else if (rc == CM_OK && !strcmp(status, "expired"))
		rc = db_fail(CM_CONFLICT, _("online order %s was picked after it expired: put its "
		             "goods back on the shelves"), id);
	return rc;
}

enum cm_rc hqstore_shop_picked(struct hqstore *st, const char *store, const char *id,
                               struct hq_shop_pick *picks, size_t n, int64_t total,
                               int64_t now)
{
	struct db *db = hq_db(st);
	struct lowered lowered = { 0 };
	int64_t v;
	if (!db)
		return CM_IO;
	enum cm_rc rc = order_exists(db, store, id);
	if (rc == CM_OK)
		rc = still_open(db, id);
	if (rc == CM_OK)
		rc = picks_check(db, id, picks, n, &total, &lowered);
	if (rc == CM_OK)
		rc = shop_version_next(db, &v);
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		rc = pick_line(db, id, &picks[i]);
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE shop_orders SET status = CASE WHEN status = 'collected' "
		                       "THEN status ELSE 'ready' END, picked_total = ?2, version = ?3, "
		                       "updated_at = ?4 WHERE id = ?1"),
		            N_("saving an online order's picking"), NULL, "tiii", id, total, v, now);
	if (rc == CM_OK && lowered.any)
		rc = db_fail(CM_CONFLICT, _("online order %s line %lld: substitute %s at %lld a unit "
		             "costs more than the ordered line: kept at %lld (the member pays at most "
		             "what they ordered)"), id, (long long)lowered.line, lowered.sku,
		             (long long)lowered.was, (long long)lowered.now);
	return rc;
}

/* CM_CONFLICT when another sale collected order id already: two tills
 * that both held it as ready, say. The first sale keeps it; the second
 * is the store's to refund, so the alert names both receipts. */
static enum cm_rc first_collection(struct db *db, const char *id, const char *terminal,
                                   int64_t seq, const char *receipt)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT coalesce(sale_receipt, ''), "
	                                     "coalesce(sale_terminal, ''), coalesce(sale_seq, 0) "
	                                     "FROM shop_orders WHERE id = ?1 AND status = 'collected'"),
	                          N_("reading an online order"), "t", id);
	char first[32] = "", term[64] = "";
	bool same = true;
	if (db_row(q)) {
		db_text(q, 0, first, sizeof first);
		db_text(q, 1, term, sizeof term);
		same = strcmp(term, terminal) == 0 && db_int(q, 2) == seq;
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !same)
		rc = db_fail(CM_CONFLICT, _("online order %s was collected already by sale %s: "
		             "sale %s collected it again (refund the member)"), id, first, receipt);
	return rc;
}

enum cm_rc hqstore_shop_collected(struct hqstore *st, const char *store, const char *id,
                                  const char *terminal, int64_t seq, const char *receipt,
                                  int64_t due, int64_t now)
{
	struct db *db = hq_db(st);
	int64_t v;
	if (!db)
		return CM_IO;
	enum cm_rc rc = order_exists(db, store, id);
	if (rc == CM_OK)
		rc = first_collection(db, id, terminal, seq, receipt);
	if (rc == CM_OK)
		rc = shop_version_next(db, &v);
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE shop_orders SET status = 'collected', sale_terminal = ?2, "
		                       "sale_seq = ?3, sale_receipt = ?4, collected_total = ?5, "
		                       "collected_at = ?6, updated_at = ?6, version = ?7 WHERE id = ?1"),
		            N_("saving an online order's collection"), NULL, "ttitiii", id, terminal,
		            seq, receipt, due, now, v);
	return rc;
}

enum cm_rc hqstore_web_pin_set(struct hqstore *st, const char *member, const char *hash,
                               const char *set_by, int64_t now)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM members WHERE number = ?1 AND deleted = 0"),
	                          N_("reading a member"), "t", member);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		return db_fail(CM_NOTFOUND, _("HQ has no member %s"), member);
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("INSERT INTO member_web_pins(member, pinhash, failed, locked_until, "
		                       "set_at, set_by) VALUES (?1, ?2, 0, 0, ?3, ?4) "
		                       "ON CONFLICT (member) DO UPDATE SET pinhash = excluded.pinhash, "
		                       "failed = 0, locked_until = 0, set_at = excluded.set_at, "
		                       "set_by = excluded.set_by"),
		            N_("saving a member's web PIN"), NULL, "ttit", member, hash, now, set_by);
	return rc;
}
