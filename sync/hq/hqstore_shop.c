/* The online store's rows (hqstore_shop.h). An order is placed in one
 * transaction: the client_key's order if there is one, else the checks
 * (shop open, member active, open orders, slot, lines against what the
 * store can still promise) and the rows, its id from the 'shop_seq'
 * version and its version from 'shop_orders' (the store's tills pull
 * above theirs). Refusals carry a verdict (shop_rules.h) the caller puts
 * into words in the reader's language. */
#include "hqstore_int.h"
#include "hqstore_pickup.h"
#include "hqstore_shop.h"
#include "shop_rules.h"

#include <stdio.h>
#include <string.h>

#define OPEN_ORDER "o.status IN ('placed', 'ready') AND o.expires_at > "

/* ---- settings ---- */

#define SETTINGS_COLS "store, tz_min, open_min, close_min, slot_min, cutoff_min, expire_min, " \
	"max_open_orders, max_line_qty"

static void settings_read(struct db_q *q, struct shop_settings *out)
{
	int64_t *f[] = { &out->tz_min, &out->open_min, &out->close_min, &out->slot_min,
	                 &out->cutoff_min, &out->expire_min, &out->max_open_orders,
	                 &out->max_line_qty };
	db_text(q, 0, out->store, sizeof out->store);
	for (int i = 0; i < 8; i++)
		*f[i] = db_int(q, i + 1);
}

enum cm_rc hqstore_shop_settings_get(struct hqstore *st, const char *store,
                                     struct shop_settings *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	shop_settings_default(out, store);
	struct db_q *q = db_query(db, DB_SQL("SELECT " SETTINGS_COLS " FROM shop_settings "
	                                     "WHERE store = ?1"),
	                          N_("reading the shop's settings"), "t", store);
	bool found = db_row(q);
	if (found)
		settings_read(q, out);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("store %s has no online shop"), store);
	return rc;
}

enum cm_rc hqstore_shop_stores(struct hqstore *st, shop_store_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " SETTINGS_COLS " FROM shop_settings "
	                                     "ORDER BY store"),
	                          N_("reading the shop's settings"), "");
	enum cm_rc rc = CM_OK;
	struct shop_settings s;
	while (rc == CM_OK && db_row(q)) {
		settings_read(q, &s);
		rc = fn(&s, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shop_settings_put(struct hqstore *st, const struct shop_settings *s)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	enum cm_rc rc = hqstore_store_exists(st, s->store);
	if (rc != CM_OK)
		return rc;
	return db_run(db, DB_SQL("INSERT INTO shop_settings(store, tz_min, open_min, close_min, "
	                         "slot_min, cutoff_min, expire_min, max_open_orders, max_line_qty) "
	                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (store) "
	                         "DO UPDATE SET tz_min = ?2, open_min = ?3, close_min = ?4, "
	                         "slot_min = ?5, cutoff_min = ?6, expire_min = ?7, "
	                         "max_open_orders = ?8, max_line_qty = ?9"),
	              N_("storing the shop's settings"), NULL, "tiiiiiiii", s->store, s->tz_min,
	              s->open_min, s->close_min, s->slot_min, s->cutoff_min, s->expire_min,
	              s->max_open_orders, s->max_line_qty);
}

enum cm_rc hqstore_shop_settings_delete(struct hqstore *st, const char *store)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("DELETE FROM shop_settings WHERE store = ?1"),
	                   N_("closing the shop"), NULL, "t", store)
	          : CM_IO;
}

/* ---- the shelves ---- */

/* The columns of an item as the shop shows it: ?1 store, ?2 now. The
 * stock is summed per item through the (store, sku) index; the open
 * orders' lines once per query. */
#define ITEM_COLS \
	"SELECT i.sku, i.name, i.unit, i.category, i.barcodes, i.weighed, " \
	"coalesce(p.price, i.price), coalesce(p.member_price, i.member_price), " \
	"coalesce((SELECT sum(m.qty) FROM stock_moves m WHERE m.store = ?1 AND m.sku = i.sku), 0), " \
	"coalesce(r.qty, 0) FROM items i " \
	"LEFT JOIN store_prices p ON p.store = ?1 AND p.sku = i.sku " \
	"LEFT JOIN (SELECT l.sku, sum(l.qty) AS qty FROM shop_orders o " \
	"JOIN shop_order_lines l ON l.order_id = o.id WHERE o.store = ?1 AND " OPEN_ORDER "?2 " \
	"GROUP BY l.sku) r ON r.sku = i.sku WHERE i.deleted = 0 AND i.active = 1 "

/* The first GTIN-13 of a space-separated list, else the first code. */
static void first_gtin(const char *codes, char *out, size_t n)
{
	const char *best = NULL, *p = codes;
	size_t bestn = 0;
	while (*p) {
		p += strspn(p, " ");
		size_t k = strcspn(p, " ");
		if (k && (!best || (k == 13 && bestn != 13))) {
			best = p;
			bestn = k;
		}
		p += k;
	}
	snprintf(out, n, "%.*s", best && bestn < n ? (int)bestn : 0, best ? best : "");
}

static void item_read(struct db_q *q, struct shop_item *it)
{
	db_text(q, 0, it->sku, sizeof it->sku);
	db_text(q, 1, it->name, sizeof it->name);
	db_text(q, 2, it->unit, sizeof it->unit);
	db_text(q, 3, it->category, sizeof it->category);
	first_gtin(db_str(q, 4), it->gtin, sizeof it->gtin);
	it->weighed = db_int(q, 5) != 0;
	it->price = db_int(q, 6);
	/* 0 (none) or not below the shelf price: the shelf price, as at the till */
	it->member_price = money_member_price(it->price, db_int(q, 7));
	it->stock = db_int(q, 8);
	it->reserved = db_int(q, 9);
	it->available = it->stock - it->reserved > 0 ? it->stock - it->reserved : 0;
}

/* A LIKE pattern: prefix plus '%', the text's own wildcards escaped;
 * word: with "% " before (a later word of the name). */
static void prefix_pattern(const char *s, bool word, char *buf, size_t n)
{
	size_t w = 0;
	if (word) {
		buf[w++] = '%';
		buf[w++] = ' ';
	}
	for (; *s && w + 3 < n; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf[w++] = '\\';
		buf[w++] = *s;
	}
	buf[w++] = '%';
	buf[w] = '\0';
}

enum cm_rc hqstore_shop_items(struct hqstore *st, const char *store, const char *search,
                              const char *category, int64_t offset, int64_t limit,
                              shop_item_fn fn, void *ctx)
{
	static const struct db_sql sql = {
		ITEM_COLS "AND (CAST(?3 AS TEXT) = '' OR i.name LIKE ?4 ESCAPE '\\' OR "
		"i.name LIKE ?5 ESCAPE '\\' OR i.sku LIKE ?4 ESCAPE '\\') "
		"AND (CAST(?6 AS TEXT) = '' OR i.category = ?6) ORDER BY i.name, i.sku LIMIT ?7 OFFSET ?8",
		ITEM_COLS "AND (CAST(?3 AS TEXT) = '' OR i.name ILIKE ?4 ESCAPE '\\' OR "
		"i.name ILIKE ?5 ESCAPE '\\' OR i.sku ILIKE ?4 ESCAPE '\\') "
		"AND (CAST(?6 AS TEXT) = '' OR i.category = ?6) ORDER BY i.name, i.sku LIMIT ?7 OFFSET ?8" };
	char start[300], word[300];
	prefix_pattern(search, false, start, sizeof start);
	prefix_pattern(search, true, word, sizeof word);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading the shop's items"), "tittttii", store,
	                          hq_now(), search, start, word, category,
	                          limit < 0 ? INT64_C(1000000000000) : limit, offset);
	struct shop_item it;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		item_read(q, &it);
		rc = fn(&it, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shop_item(struct hqstore *st, const char *store, const char *sku,
                             struct shop_item *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL(ITEM_COLS "AND i.sku = ?3"),
	                          N_("reading the shop's item"), "tit", store, hq_now(), sku);
	bool found = db_row(q);
	if (found)
		item_read(q, out);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no item %s in the shop"), sku);
	return rc;
}

enum cm_rc hqstore_shop_categories(struct hqstore *st, shop_category_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT category, count(*) FROM items WHERE deleted = 0 "
	                                     "AND active = 1 AND category <> '' GROUP BY category "
	                                     "ORDER BY category"),
	                          N_("reading the shop's categories"), "");
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q))
		rc = fn(db_str(q, 0), db_int(q, 1), ctx);
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

/* ---- members: web PINs and sessions ---- */

#define MEMBER_COLS "m.number, m.name, m.status, coalesce(w.pinhash, ''), " \
	"coalesce(w.failed, 0), coalesce(w.locked_until, 0)"

static void member_read(struct db_q *q, struct shop_member *m)
{
	db_text(q, 0, m->number, sizeof m->number);
	db_text(q, 1, m->name, sizeof m->name);
	db_text(q, 2, m->status, sizeof m->status);
	db_text(q, 3, m->pinhash, sizeof m->pinhash);
	m->failed = db_int(q, 4);
	m->locked_until = db_int(q, 5);
}

enum cm_rc hqstore_shop_member(struct hqstore *st, const char *number, struct shop_member *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " MEMBER_COLS " FROM members m LEFT JOIN "
	                                     "member_web_pins w ON w.member = m.number WHERE m.number = ?1 "
	                                     "AND m.deleted = 0"),
	                          N_("looking up the member"), "t", number);
	bool found = db_row(q);
	if (found)
		member_read(q, out);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no member %s"), number);
	return rc;
}

enum cm_rc hqstore_web_pin_put(struct hqstore *st, const char *member, const char *pinhash,
                               const char *set_by)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("INSERT INTO member_web_pins(member, pinhash, failed, "
	                              "locked_until, set_at, set_by) VALUES (?1, ?2, 0, 0, ?3, ?4) "
	                              "ON CONFLICT (member) DO UPDATE SET pinhash = ?2, failed = 0, "
	                              "locked_until = 0, set_at = ?3, set_by = ?4"),
	                   N_("storing the web PIN"), NULL, "ttit", member, pinhash, hq_now(), set_by)
	          : CM_IO;
}

enum cm_rc hqstore_web_pin_failures(struct hqstore *st, const char *member, int64_t failed,
                                    int64_t locked_until)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE member_web_pins SET failed = ?2, locked_until = ?3 "
	                              "WHERE member = ?1"),
	                   N_("recording the login"), NULL, "tii", member, failed, locked_until)
	          : CM_IO;
}

enum cm_rc hqstore_shop_session_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                    const char *member, const char *csrf, int64_t expires_at)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	/* Expired sessions go as new ones come: no sweeper needed. */
	enum cm_rc rc = db_run(db, DB_SQL("DELETE FROM shop_sessions WHERE expires_at <= ?1"),
	                       N_("forgetting expired sessions"), NULL, "i", hq_now());
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("INSERT INTO shop_sessions(token_hash, member, csrf, created_at, "
		                       "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
		            N_("opening the session"), NULL, "httii", hash, member, csrf, hq_now(),
		            expires_at);
	return rc;
}

enum cm_rc hqstore_shop_session_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                    int64_t now, struct shop_member *m, char csrf[65])
{
	memset(m, 0, sizeof *m);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " MEMBER_COLS ", s.csrf FROM shop_sessions s "
	                                     "JOIN members m ON m.number = s.member "
	                                     "LEFT JOIN member_web_pins w ON w.member = m.number "
	                                     "WHERE s.token_hash = ?1 AND s.expires_at > ?2 "
	                                     "AND m.status = 'active' AND m.deleted = 0"),
	                          N_("looking up the session"), "hi", hash, now);
	bool found = db_row(q);
	if (found) {
		member_read(q, m);
		db_text(q, 6, csrf, 65);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no such session"));
	return rc;
}

enum cm_rc hqstore_shop_session_delete(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN])
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("DELETE FROM shop_sessions WHERE token_hash = ?1"),
	                   N_("closing the session"), NULL, "h", hash)
	          : CM_IO;
}

enum cm_rc hqstore_shop_cart_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                 char *buf, size_t n)
{
	struct db *db = hq_db(st);
	buf[0] = '\0';
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT cart FROM shop_sessions WHERE token_hash = ?1"),
	                          N_("reading the cart"), "h", hash);
	if (db_row(q))
		db_text(q, 0, buf, n);
	return db_end(q);
}

enum cm_rc hqstore_shop_cart_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                                 const char *cart)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE shop_sessions SET cart = ?2 WHERE token_hash = ?1"),
	                   N_("storing the cart"), NULL, "ht", hash, cart)
	          : CM_IO;
}

/* ---- orders ---- */

#define ORDER_COLS "id, store, member, status, slot_start, slot_end, expires_at, placed_at, " \
	"updated_at, version, total, coalesce(picked_total, -1), coalesce(collected_total, -1), " \
	"coalesce(collected_at, 0), coalesce(sale_receipt, '') FROM shop_orders "

static void order_read(struct db_q *q, struct shop_order *o)
{
	memset(o, 0, sizeof *o);
	db_text(q, 0, o->id, sizeof o->id);
	db_text(q, 1, o->store, sizeof o->store);
	db_text(q, 2, o->member, sizeof o->member);
	db_text(q, 3, o->status, sizeof o->status);
	int64_t *f[] = { &o->slot_start, &o->slot_end, &o->expires_at, &o->placed_at,
	                 &o->updated_at, &o->version, &o->total, &o->picked_total,
	                 &o->collected_total, &o->collected_at };
	for (int i = 0; i < 10; i++)
		*f[i] = db_int(q, 4 + i);
	db_text(q, 14, o->sale_receipt, sizeof o->sale_receipt);
}

static enum cm_rc lines_read(struct db *db, struct shop_order *o)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT l.line, l.sku, coalesce(i.name, ''), "
	                                     "coalesce(i.unit, ''), l.qty, l.price, "
	                                     "coalesce(l.pick_status, ''), coalesce(l.picked_qty, 0), "
	                                     "coalesce(l.sub_sku, ''), coalesce(s.name, '') "
	                                     "FROM shop_order_lines l "
	                                     "LEFT JOIN items i ON i.sku = l.sku "
	                                     "LEFT JOIN items s ON s.sku = l.sub_sku "
	                                     "WHERE l.order_id = ?1 ORDER BY l.line"),
	                          N_("reading the order's lines"), "t", o->id);
	o->nlines = 0;
	while (db_row(q) && o->nlines < SHOP_MAX_LINES) {
		struct shop_line *l = &o->lines[o->nlines++];
		l->line = db_int(q, 0);
		db_text(q, 1, l->sku, sizeof l->sku);
		db_text(q, 2, l->name, sizeof l->name);
		db_text(q, 3, l->unit, sizeof l->unit);
		l->qty = db_int(q, 4);
		l->price = db_int(q, 5);
		db_text(q, 6, l->pick_status, sizeof l->pick_status);
		l->picked_qty = db_int(q, 7);
		db_text(q, 8, l->sub_sku, sizeof l->sub_sku);
		db_text(q, 9, l->sub_name, sizeof l->sub_name);
	}
	return db_end(q);
}

enum cm_rc hqstore_shop_order(struct hqstore *st, const char *member, const char *id,
                              struct shop_order *out)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " ORDER_COLS "WHERE id = ?1 AND member = ?2"),
	                          N_("reading the order"), "tt", id, member);
	bool found = db_row(q);
	if (found)
		order_read(q, out);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no order %s of member %s"), id, member);
	return rc == CM_OK ? lines_read(db, out) : rc;
}

enum cm_rc hqstore_shop_orders(struct hqstore *st, const char *member, int64_t limit,
                               shop_order_fn fn, void *ctx)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT " ORDER_COLS "WHERE member = ?1 "
	                                     "ORDER BY placed_at DESC, id DESC LIMIT ?2"),
	                          N_("reading the member's orders"), "ti", member, limit);
	struct shop_order o;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		order_read(q, &o);
		rc = fn(&o, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}

enum cm_rc hqstore_shop_open_count(struct hqstore *st, const char *member, int64_t now,
                                   int64_t *n)
{
	*n = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT count(*) FROM shop_orders o WHERE "
	                                     "o.member = ?1 AND " OPEN_ORDER "?2"),
	                          N_("counting the member's orders"), "ti", member, now);
	if (db_row(q))
		*n = db_int(q, 0);
	return db_end(q);
}

/* Takes the next value of the version `name` (inside the transaction). */
static enum cm_rc version_next(struct db *db, const char *name, int64_t *out)
{
	struct db_q *q = db_query(db, DB_SQL("UPDATE versions SET value = value + 1 WHERE name = ?1 "
	                                     "RETURNING value"),
	                          N_("taking a version"), "t", name);
	bool found = db_row(q);
	if (found)
		*out = db_int(q, 0);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_CORRUPT, "the version %s is missing", name);
	return rc;
}

static enum cm_rc refuse(struct shop_verdict *v, enum shop_why why, const char *sku, int64_t n)
{
	static const enum cm_rc rcs[] = {
		[SHOP_FINE] = CM_OK, [SHOP_CLOSED] = CM_STATE, [SHOP_INACTIVE] = CM_DENIED,
		[SHOP_TOO_MANY] = CM_STATE, [SHOP_BAD_SLOT] = CM_INVALID, [SHOP_CUTOFF] = CM_STATE,
		[SHOP_EMPTY] = CM_INVALID, [SHOP_TOO_MANY_LINES] = CM_INVALID,
		[SHOP_NO_ITEM] = CM_NOTFOUND, [SHOP_BAD_QTY] = CM_INVALID,
		[SHOP_LINE_LIMIT] = CM_INVALID, [SHOP_NOT_AVAILABLE] = CM_INVALID,
	};
	v->why = why;
	snprintf(v->sku, sizeof v->sku, "%s", sku ? sku : "");
	v->n = n;
	char msg[300];
	shop_verdict_text(v, msg, sizeof msg);
	return db_fail(rcs[why], "%s", msg);
}

/* The order the member's client_key placed, if any (*found). */
static enum cm_rc order_by_key(struct hqstore *st, const struct shop_request *rq,
                               struct shop_order *out, bool *found)
{
	struct db *db = hq_db(st);
	char id[16] = "";
	struct db_q *q = db_query(db, DB_SQL("SELECT id FROM shop_orders WHERE member = ?1 "
	                                     "AND client_key = ?2"),
	                          N_("looking up the order"), "tt", rq->member, rq->client_key);
	if ((*found = db_row(q)))
		db_text(q, 0, id, sizeof id);
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && *found ? hqstore_shop_order(st, rq->member, id, out) : rc;
}

/* The lines checked against the shop and priced into out. */
static enum cm_rc lines_check(struct hqstore *st, const struct shop_request *rq,
                              const struct shop_settings *s, struct shop_order *out,
                              struct shop_verdict *v)
{
	if (rq->nlines == 0)
		return refuse(v, SHOP_EMPTY, NULL, 0);
	if (rq->nlines > SHOP_MAX_LINES)
		return refuse(v, SHOP_TOO_MANY_LINES, NULL, SHOP_MAX_LINES);
	out->nlines = 0;
	out->total = 0;
	for (size_t i = 0; i < rq->nlines; i++) {
		struct shop_item it;
		const char *sku = rq->lines[i].sku;
		int64_t qty = rq->lines[i].qty;
		for (size_t j = 0; j < i; j++)
			if (strcmp(rq->lines[j].sku, sku) == 0)
				return refuse(v, SHOP_BAD_QTY, sku, 0);
		enum cm_rc rc = hqstore_shop_item(st, rq->store, sku, &it);
		if (rc == CM_NOTFOUND)
			return refuse(v, SHOP_NO_ITEM, sku, 0);
		if (rc != CM_OK)
			return rc;
		if (qty <= 0 || (!it.weighed && qty % CM_QTY_ONE))
			return refuse(v, SHOP_BAD_QTY, sku, 0);
		if (qty > s->max_line_qty)
			return refuse(v, SHOP_LINE_LIMIT, sku, s->max_line_qty);
		if (qty > it.available)
			return refuse(v, SHOP_NOT_AVAILABLE, sku, it.available);
		struct shop_line *l = &out->lines[out->nlines++];
		*l = (struct shop_line){ .line = (int64_t)i + 1, .qty = qty, .price = it.member_price };
		snprintf(l->sku, sizeof l->sku, "%s", it.sku);
		snprintf(l->name, sizeof l->name, "%s", it.name);
		snprintf(l->unit, sizeof l->unit, "%s", it.unit);
		out->total += shop_line_amount(qty, it.member_price);
	}
	return CM_OK;
}

static enum cm_rc order_insert(struct db *db, const struct shop_request *rq,
                               struct shop_order *o)
{
	enum cm_rc rc = db_run(db, DB_SQL("INSERT INTO shop_orders(id, store, member, client_key, "
	                                  "slot_start, slot_end, expires_at, status, total, "
	                                  "placed_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, "
	                                  "?5, ?6, ?7, 'placed', ?8, ?9, ?9, ?10)"),
	                       N_("storing the order"), NULL, "ttttiiiiii", o->id, rq->store,
	                       rq->member, rq->client_key, o->slot_start, o->slot_end, o->expires_at,
	                       o->total, o->placed_at, o->version);
	for (size_t i = 0; rc == CM_OK && i < o->nlines; i++)
		rc = db_add(db, DB_SQL("INSERT INTO shop_order_lines(order_id, line, sku, qty, price) "
		                       "VALUES (?1, ?2, ?3, ?4, ?5)"),
		            N_("storing the order's lines"), "titii", o->id, o->lines[i].line,
		            o->lines[i].sku, o->lines[i].qty, o->lines[i].price);
	return rc;
}

/* The checks and rows of a new order, inside the transaction. */
static enum cm_rc place_new(struct hqstore *st, const struct shop_request *rq, int64_t now,
                            struct shop_order *o, struct shop_verdict *v)
{
	struct db *db = hq_db(st);
	struct shop_settings s;
	struct shop_member m;
	int64_t open = 0, seq = 0;
	/* The order numbers' row first: it stays locked until the transaction
	 * ends, so two checkouts at once (two members after the last bag, or
	 * one member on two devices) check stock and open orders one after
	 * the other, each seeing what the other placed (PostgreSQL reads
	 * committed rows; a refusal rolls the numbers back). */
	enum cm_rc rc = version_next(db, "shop_seq", &seq);
	if (rc == CM_OK)
		rc = version_next(db, "shop_orders", &o->version);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_shop_settings_get(st, rq->store, &s);
	if (rc == CM_NOTFOUND)
		return refuse(v, SHOP_CLOSED, NULL, 0);
	if (rc == CM_OK && (rc = hqstore_shop_member(st, rq->member, &m)) == CM_OK &&
	    strcmp(m.status, "active") != 0)
		return refuse(v, SHOP_INACTIVE, NULL, 0);
	if (rc == CM_OK)
		rc = hqstore_shop_open_count(st, rq->member, now, &open);
	if (rc != CM_OK)
		return rc;
	if (open >= s.max_open_orders)
		return refuse(v, SHOP_TOO_MANY, NULL, s.max_open_orders);
	enum shop_why why = shop_slot_check(&s, now, rq->slot_start, &o->slot_end);
	if (why != SHOP_FINE)
		return refuse(v, why, NULL, s.cutoff_min);
	if ((rc = lines_check(st, rq, &s, o, v)) != CM_OK)
		return rc;
	snprintf(o->id, sizeof o->id, "OL-%06lld", (long long)seq);
	snprintf(o->store, sizeof o->store, "%s", rq->store);
	snprintf(o->member, sizeof o->member, "%s", rq->member);
	snprintf(o->status, sizeof o->status, "placed");
	o->slot_start = rq->slot_start;
	o->expires_at = o->slot_end + s.expire_min * 60;
	o->placed_at = o->updated_at = now;
	o->picked_total = o->collected_total = -1;
	return order_insert(db, rq, o);
}

enum cm_rc hqstore_shop_place(struct hqstore *st, const struct shop_request *rq, int64_t now,
                              struct shop_order *out, bool *again, struct shop_verdict *v)
{
	struct db *db = hq_db(st);
	*again = false;
	v->why = SHOP_FINE;
	memset(out, 0, sizeof *out);
	enum cm_rc rc = db ? db_begin(db, false) : CM_IO;
	if (rc != CM_OK)
		return rc;
	/* the store's overdue orders expire first (PROTOCOL.md "Expiry"), so
	 * the tills hear of it with the new order */
	rc = hqstore_shop_expire(st, rq->store, now, NULL);
	if (rc == CM_OK)
		rc = order_by_key(st, rq, out, again);
	if (rc == CM_OK && !*again)
		rc = place_new(st, rq, now, out, v);
	if (rc == CM_OK)
		return db_commit(db);
	db_rollback(db);
	/* Two submits of one form at once: the other one's commit won the
	 * (member, client_key) key, and its order is this one. */
	if (rc == CM_CONFLICT && v->why == SHOP_FINE &&
	    order_by_key(st, rq, out, again) == CM_OK && *again)
		return CM_OK;
	return rc;
}

enum cm_rc hqstore_shop_cancel(struct hqstore *st, const char *member, const char *id,
                               int64_t now)
{
	struct db *db = hq_db(st);
	int64_t version = 0, n = 0;
	enum cm_rc rc = db ? db_begin(db, false) : CM_IO;
	if (rc != CM_OK)
		return rc;
	struct shop_order o;
	rc = hqstore_shop_order(st, member, id, &o);
	if (rc == CM_OK && (strcmp(o.status, "placed") != 0 || o.expires_at <= now))
		rc = db_fail(CM_STATE, _("order %s cannot be cancelled any more (%s)"), id, o.status);
	if (rc == CM_OK)
		rc = version_next(db, "shop_orders", &version);
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE shop_orders SET status = 'cancelled', version = ?3, "
		                       "updated_at = ?4 WHERE id = ?1 AND member = ?2 "
		                       "AND status = 'placed'"),
		            N_("cancelling the order"), &n, "ttii", id, member, version, now);
	if (rc == CM_OK && n != 1)
		rc = db_fail(CM_STATE, _("order %s cannot be cancelled any more"), id);
	if (rc == CM_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
