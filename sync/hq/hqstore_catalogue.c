/* HQ's catalogue, store prices and the version counters (hqstore.h):
 * what terminals pull as deltas. Members: hqstore_dues.c. */
#include "hqstore_int.h"

#include <stdio.h>
#include <string.h>

/* The end of an item's upsert: a row that changes nothing keeps its
 * version (a pull does not send it again). */
#define ITEM_UPSERT_TAIL \
	"ON CONFLICT(sku) DO UPDATE SET name = excluded.name, " \
	"  receipt_name = excluded.receipt_name, unit = excluded.unit, " \
	"  weighed = excluded.weighed, price = excluded.price, " \
	"  member_price = excluded.member_price, tax_class = excluded.tax_class, " \
	"  category = excluded.category, supplier = excluded.supplier, plu = excluded.plu, " \
	"  active = excluded.active, barcodes = excluded.barcodes, " \
	"  version = excluded.version, deleted = 0 " \
	"WHERE (items.name, items.receipt_name, items.unit, items.weighed, items.price, " \
	"       items.member_price, items.tax_class, items.category, items.supplier, " \
	"       items.plu, items.active, items.barcodes, items.deleted) IS DISTINCT FROM " \
	"      (excluded.name, excluded.receipt_name, excluded.unit, excluded.weighed, " \
	"       excluded.price, excluded.member_price, excluded.tax_class, excluded.category, " \
	"       excluded.supplier, excluded.plu, excluded.active, excluded.barcodes, 0)"

static const char *counter_name(enum hq_counter c)
{
	return c == HQ_MEMBERS ? "members" : c == HQ_ORDERS ? "orders" : "catalogue";
}

enum cm_rc hqstore_version(struct hqstore *st, enum hq_counter c, int64_t *out)
{
	*out = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT value FROM versions WHERE name = ?1"),
	                          N_("reading a version"), "t", counter_name(c));
	if (db_row(q))
		*out = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_version_lock(struct hqstore *st, enum hq_counter c, int64_t *out)
{
	static const struct db_sql sql = {
		"SELECT value FROM versions WHERE name = ?1",
		"SELECT value FROM versions WHERE name = ?1 FOR UPDATE" };
	*out = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading a version"), "t", counter_name(c));
	if (db_row(q))
		*out = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_version_set(struct hqstore *st, enum hq_counter c, int64_t v)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE versions SET value = ?2 WHERE name = ?1"),
	                   N_("updating a version"), NULL, "ti", counter_name(c), v)
	          : CM_IO;
}

/* The codes space-separated into buf (n: room for every code, 16 bytes
 * each with its space). Not snprintf: a big import joins a million. */
static void join_barcodes(const struct proto_item *it, char *buf, size_t n)
{
	size_t used = 0;
	for (size_t i = 0; i < it->nbarcodes; i++) {
		size_t len = strnlen(it->barcodes[i], sizeof it->barcodes[i] - 1);
		if (used + len + 2 > n)
			break;
		if (i)
			buf[used++] = ' ';
		memcpy(buf + used, it->barcodes[i], len);
		used += len;
	}
	buf[used] = '\0';
}

enum cm_rc hqstore_item_put(struct hqstore *st, const struct proto_item *pi, int64_t version,
                            bool seen, bool *changed)
{
	static const struct db_sql put = {
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category, supplier, plu, active, barcodes, version, deleted) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0) "
		ITEM_UPSERT_TAIL, NULL };
	const struct item_rec *it = &pi->item;
	char codes[PROTO_MAX_BARCODES * 16 + 1];
	join_barcodes(pi, codes, sizeof codes);
	if (changed)
		*changed = false;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t n = 0;
	static const char spec[] = "ttttiiitttiiti";
	enum cm_rc rc = changed
		? db_run(db, &put, N_("storing an item"), &n, spec, it->sku, it->name,
		         it->receipt_name, it->unit, (int64_t)it->weighed, it->price,
		         it->member_price, tax_class_name(it->tax), it->category, it->supplier,
		         (int64_t)it->plu, (int64_t)it->active, codes, version)
		: db_add(db, &put, N_("storing an item"), spec, it->sku, it->name,
		         it->receipt_name, it->unit, (int64_t)it->weighed, it->price,
		         it->member_price, tax_class_name(it->tax), it->category, it->supplier,
		         (int64_t)it->plu, (int64_t)it->active, codes, version);
	if (changed)
		*changed = n > 0;
	if (rc == CM_OK && seen)
		rc = db_add(db, DB_SQL("INSERT INTO seen(sku) VALUES (?1) ON CONFLICT DO NOTHING"),
		            N_("importing the catalogue"), "t", it->sku);
	return rc;
}

/* ---- a big import in bulk (db_copy_*) ---- */

/* The columns a bulk load writes: an item's, then (straight into items)
 * its version. */
static const char *const item_cols[] = {
	"sku", "name", "receipt_name", "unit", "weighed", "price", "member_price", "tax_class",
	"category", "supplier", "plu", "active", "barcodes", "version" };

/* The rows of one import, in the items' columns; dropped at its end (a
 * rollback undoes its making on either backend). PostgreSQL compares the
 * SKUs bytewise, as items does. */
#define IMPORT_ITEMS_REST ", name text, receipt_name text, unit text, weighed integer, " \
	"price bigint, member_price bigint, tax_class text, category text, supplier text, " \
	"plu bigint, active integer, barcodes text)"
static const struct db_sql bulk_table_sql = {
	"CREATE TEMP TABLE import_items (sku text" IMPORT_ITEMS_REST,
	"CREATE TEMP TABLE import_items (sku text COLLATE \"C\"" IMPORT_ITEMS_REST };

/* v in decimal, at the end of buf; returns its start. */
static const char *decimal(char buf[24], int64_t v)
{
	char *p = buf + 23;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

/* Into a catalogue with no row at all (not even a deleted one) every row
 * is new: copied straight into items, as a plain load would. The temporary
 * table and the INSERT ... SELECT from it were half of a first import's
 * server time at a million rows on PostgreSQL. On SQLite the rows of a
 * later import go straight into items too, each an upsert (a batch of
 * them a statement): writing and reading them in a temporary table was a
 * quarter of the time. The import holds the catalogue counter's lock
 * (hqstore_version_lock), so no other import adds a SKU meanwhile. */
enum cm_rc hqstore_items_bulk_begin(struct hqstore *st, struct hqstore_bulk *b, int64_t version,
                                   bool seen)
{
	memset(b, 0, sizeof *b);
	b->version = version;
	b->seen = seen;
	snprintf(b->vtext, sizeof b->vtext, "%lld", (long long)version);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT count(*) FROM (SELECT 1 FROM items LIMIT 1) AS i"),
	                          N_("importing the catalogue"), "");
	b->direct = db_row(q) && db_int(q, 0) == 0;
	enum cm_rc rc = db_end(q);
	bool upsert = !b->direct && !seen && db_backend(db) == DB_SQLITE;
	b->into_items = b->direct || upsert;
	if (rc == CM_OK && b->into_items)
		return db_copy_begin(db, "items", item_cols, 14, upsert ? ITEM_UPSERT_TAIL : NULL,
		                     N_("importing the catalogue"));
	if (rc == CM_OK)
		rc = db_run(db, &bulk_table_sql, N_("importing the catalogue"), NULL, "");
	return rc == CM_OK ? db_copy_begin(db, "import_items", item_cols, 13, NULL,
	                                   N_("importing the catalogue")) : rc;
}

enum cm_rc hqstore_items_bulk_put(struct hqstore *st, struct hqstore_bulk *b,
                                  const struct proto_item *pi)
{
	const struct item_rec *it = &pi->item;
	char codes[PROTO_MAX_BARCODES * 16 + 1], num[3][24];
	join_barcodes(pi, codes, sizeof codes);
	const char *v[14] = { it->sku, it->name, it->receipt_name, it->unit, it->weighed ? "1" : "0",
	                      decimal(num[0], it->price), decimal(num[1], it->member_price),
	                      tax_class_name(it->tax), it->category, it->supplier,
	                      decimal(num[2], it->plu), it->active ? "1" : "0", codes, b->vtext };
	struct db *db = hq_db(st);
	return db ? db_copy_row(db, v, b->into_items ? 14 : 13) : CM_IO;
}

/* The rows of import_items written by one statement, the upsert: an
 * UPDATE ... FROM of the changed items and an INSERT ... WHERE NOT
 * EXISTS of the new ones cost 15-25% more than it when every price
 * changed (PostgreSQL). */
static enum cm_rc bulk_apply(struct db *db, int64_t version, int64_t *changed)
{
	static const struct db_sql upsert = {
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category, supplier, plu, active, barcodes, version, deleted) "
		"SELECT sku, name, receipt_name, unit, weighed, price, member_price, tax_class, "
		"  category, supplier, plu, active, barcodes, CAST(?1 AS bigint), 0 FROM import_items "
		"WHERE true "   /* SQLite: an upsert's SELECT needs a WHERE */
		ITEM_UPSERT_TAIL, NULL };
	return db_run(db, &upsert, N_("storing an item"), changed, "i", version);
}

enum cm_rc hqstore_items_bulk_end(struct hqstore *st, struct hqstore_bulk *b, bool apply,
                                  int64_t *changed)
{
	*changed = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t rows = 0;
	enum cm_rc rc = db_copy_end(db, &rows);
	if (rc != CM_OK || !apply)
		return rc;
	if (b->into_items) {
		/* written as they came: every row new (none for `seen`:
		 * hqstore_items_delete_unseen spares this version's rows), or
		 * the upserts that changed an item */
		*changed = rows;
		return CM_OK;
	}
	rc = bulk_apply(db, b->version, changed);
	if (rc == CM_OK && b->seen)
		rc = db_run(db, DB_SQL("INSERT INTO seen(sku) SELECT sku FROM import_items WHERE true "
		                       "ON CONFLICT DO NOTHING"), N_("importing the catalogue"), NULL, "");
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("DROP TABLE import_items"), N_("importing the catalogue"), NULL, "");
	return rc;
}

enum cm_rc hqstore_items_live(struct hqstore *st, int64_t *n)
{
	*n = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT count(*) FROM items WHERE deleted = 0"),
	                          N_("importing the catalogue"), "");
	if (db_row(q))
		*n = db_int(q, 0);
	return db_end(q);
}

enum cm_rc hqstore_items_delete_unseen(struct hqstore *st, int64_t version, int64_t *n)
{
	*n = 0;
	struct db *db = hq_db(st);
	enum cm_rc rc = db ? db_run(db, DB_SQL("UPDATE items SET deleted = 1, version = ?1 "
	                                       "WHERE deleted = 0 AND version <> ?1 "
	                                       "AND sku NOT IN (SELECT sku FROM seen)"),
	                            N_("deleting items"), n, "i", version)
	                   : CM_IO;
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("DELETE FROM seen"), N_("importing the catalogue"), NULL, "");
	return rc;
}

enum cm_rc hqstore_catalogue_conflicts(struct hqstore *st, int max, hq_conflict_fn fn, void *ctx,
                                       int64_t *n)
{
	/* barcodes is a space-separated list: split it (SQLite: a recursive
	 * CTE, only for the items with more than one: splitting every item's
	 * one code was half of a big import's check; SKUs in order, which
	 * group_concat follows, as PostgreSQL's string_agg ORDER BY;
	 * PostgreSQL: string_to_array, the codes compared bytewise: sorting a
	 * million in the database's locale took a third longer). */
	static const struct db_sql sql = {
		"WITH RECURSIVE split(sku, code, rest) AS ("
		"  SELECT sku, substr(barcodes, 1, instr(barcodes, ' ') - 1), "
		"         substr(barcodes, instr(barcodes, ' ') + 1) || ' ' "
		"  FROM items WHERE deleted = 0 AND instr(barcodes, ' ') > 0"
		"  UNION ALL"
		"  SELECT sku, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)"
		"  FROM split WHERE rest <> ''), "
		"codes(sku, code) AS ("
		"  SELECT sku, barcodes FROM items "
		"  WHERE deleted = 0 AND barcodes <> '' AND instr(barcodes, ' ') = 0"
		"  UNION ALL SELECT sku, code FROM split) "
		"SELECT 'barcode', code, group_concat(sku, ', ') "
		"FROM (SELECT code, sku FROM codes WHERE code <> '' ORDER BY code, sku) "
		"GROUP BY code HAVING count(*) > 1 "
		"UNION ALL "
		"SELECT 'PLU', plu, group_concat(sku, ', ') FROM items WHERE deleted = 0 AND plu > 0 "
		"GROUP BY plu HAVING count(*) > 1 "
		"ORDER BY 1, 2",
		"SELECT 'barcode', code, string_agg(sku, ', ' ORDER BY sku) FROM ("
		"  SELECT sku, unnest(string_to_array(barcodes COLLATE \"C\", ' ')) AS code FROM items "
		"  WHERE deleted = 0 AND barcodes <> '') AS split "
		"WHERE code <> '' GROUP BY code HAVING count(*) > 1 "
		"UNION ALL "
		"SELECT 'PLU', plu::text, string_agg(sku, ', ' ORDER BY sku) FROM items "
		"WHERE deleted = 0 AND plu > 0 GROUP BY plu HAVING count(*) > 1 "
		"ORDER BY 1, 2" };
	*n = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("checking barcodes"), "");
	while (db_row(q)) {
		if (*n < max)
			fn(db_str(q, 0), db_str(q, 1), db_str(q, 2), ctx);
		(*n)++;
	}
	return db_end(q);
}

static enum cm_rc item_exists(struct db *db, const char *sku)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM items WHERE sku = ?1 AND deleted = 0"),
	                          N_("looking up an item"), "t", sku);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("SKU %s is not in the catalogue"), sku);
	return rc;
}

enum cm_rc hqstore_price_put(struct hqstore *st, const char *store, const char *sku,
                             int64_t price, int64_t member_price, int64_t version,
                             bool *changed)
{
	static const struct db_sql put = {
		"INSERT INTO store_prices(store, sku, price, member_price, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(store, sku) DO UPDATE SET price = excluded.price, "
		"  member_price = excluded.member_price, version = excluded.version "
		"WHERE (store_prices.price, store_prices.member_price) IS DISTINCT FROM "
		"      (excluded.price, excluded.member_price)", NULL };
	*changed = false;
	struct db *db = hq_db(st);
	enum cm_rc rc = db ? item_exists(db, sku) : CM_IO;
	int64_t n = 0;
	if (rc == CM_OK)
		rc = db_run(db, &put, N_("storing a price"), &n, "ttiii", store, sku, price, member_price,
		            version);
	*changed = n > 0;
	return rc;
}

static void split_barcodes(const char *codes, struct proto_item *pi)
{
	const char *p = codes;
	while (*p && pi->nbarcodes < PROTO_MAX_BARCODES) {
		size_t n = strcspn(p, " ");
		if (n > 0 && n < sizeof pi->barcodes[0]) {
			memcpy(pi->barcodes[pi->nbarcodes], p, n);
			pi->barcodes[pi->nbarcodes++][n] = '\0';
		}
		p += n;
		p += strspn(p, " ");
	}
}

static void item_row(struct db_q *q, struct proto_item *pi)
{
	struct item_rec *it = &pi->item;
	memset(pi, 0, sizeof *pi);
	db_text(q, 0, it->sku, sizeof it->sku);
	db_text(q, 1, it->name, sizeof it->name);
	db_text(q, 2, it->receipt_name, sizeof it->receipt_name);
	db_text(q, 3, it->unit, sizeof it->unit);
	it->weighed = db_int(q, 4) != 0;
	it->price = db_int(q, 5);
	it->member_price = db_int(q, 6);
	if (tax_class_parse(db_str(q, 7), &it->tax) != CM_OK)
		it->tax = TAX_STANDARD;
	db_text(q, 8, it->category, sizeof it->category);
	db_text(q, 9, it->supplier, sizeof it->supplier);
	it->plu = (int32_t)db_int(q, 10);
	it->active = db_int(q, 11) != 0;
	split_barcodes(db_str(q, 12), pi);
	pi->version = db_int(q, 13);
}

enum cm_rc hqstore_items_page(struct hqstore *st, const char *store, int64_t since,
                              int64_t upto, int64_t after_v, const char *after_key,
                              int64_t limit, hq_item_fn fn, void *ctx)
{
	/* An item's version for a store is the newer of the item's and the
	 * store's price row's; its prices are the store's when it has some.
	 * Two disjoint halves, merged in (v, sku) order: rows whose version is
	 * the item's (read in the order of the index items_version, from the
	 * cursor on) and rows whose store price is newer. Each half stops at
	 * the page's limit, so a page costs its own rows, not the table's; the
	 * unary + keeps SQLite from taking "version > since" as the index's
	 * range, which must be the cursor (else every page scans from the
	 * first row). */
	static const struct db_sql sql = {
		"SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"       coalesce(p.price, i.price), coalesce(p.member_price, i.member_price), "
		"       i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"       i.version AS v, i.deleted "
		"FROM items i LEFT JOIN store_prices p ON p.store = ?1 AND p.sku = i.sku "
		"WHERE +i.version > ?2 AND i.version <= ?3 AND (i.version, i.sku) > (?4, ?5) "
		"  AND coalesce(p.version, 0) <= i.version "
		"UNION ALL "
		"SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"       p.price, p.member_price, "
		"       i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"       p.version AS v, i.deleted "
		"FROM store_prices p JOIN items i ON i.sku = p.sku "
		"WHERE p.store = ?1 AND p.version > i.version AND +p.version > ?2 "
		"  AND p.version <= ?3 AND (p.version, p.sku) > (?4, ?5) "
		"ORDER BY 14, 1 LIMIT ?6",
		/* PostgreSQL does not carry the LIMIT into the arms of a UNION:
		 * each arm takes its own, in its index's order. */
		"SELECT * FROM ("
		" (SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"        coalesce(p.price, i.price), coalesce(p.member_price, i.member_price), "
		"        i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"        i.version AS v, i.deleted "
		"  FROM items i LEFT JOIN store_prices p ON p.store = ?1 AND p.sku = i.sku "
		"  WHERE i.version > ?2 AND i.version <= ?3 AND (i.version, i.sku) > (?4, ?5) "
		"    AND coalesce(p.version, 0) <= i.version "
		"  ORDER BY i.version, i.sku LIMIT ?6) "
		" UNION ALL "
		" (SELECT i.sku, i.name, i.receipt_name, i.unit, i.weighed, "
		"        p.price, p.member_price, "
		"        i.tax_class, i.category, i.supplier, i.plu, i.active, i.barcodes, "
		"        p.version AS v, i.deleted "
		"  FROM store_prices p JOIN items i ON i.sku = p.sku "
		"  WHERE p.store = ?1 AND p.version > i.version AND p.version > ?2 "
		"    AND p.version <= ?3 AND (p.version, p.sku) > (?4, ?5) "
		"  ORDER BY p.version, p.sku LIMIT ?6)) AS page "
		"ORDER BY 14, 1 LIMIT ?6" };
	/* Every row is past (since, ""): a first page starts its range there. */
	if (after_v < since) {
		after_v = since;
		after_key = "";
	}
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, &sql, N_("reading the catalogue"), "tiiiti", store, since, upto,
	                          after_v, after_key ? after_key : "", limit);
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && db_row(q)) {
		struct proto_item pi;
		item_row(q, &pi);
		rc = fn(&pi, db_int(q, 14) != 0, ctx);
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}
