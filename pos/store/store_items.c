/* The catalogue: items, barcodes, name search, members and stock levels. */
#include "store/store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITEM_COLS \
	"i.id, i.sku, i.name, i.receipt_name, i.unit, i.weighed, i.price, " \
	"i.member_price, i.tax_class, COALESCE(c.name, ''), COALESCE(p.name, ''), " \
	"COALESCE(i.plu, 0), i.active"
#define ITEM_FROM \
	" FROM items i LEFT JOIN categories c ON c.id = i.category_id " \
	"LEFT JOIN suppliers p ON p.id = i.supplier_id "

static void item_from_row(sqlite3_stmt *s, int col, struct item_rec *it)
{
	memset(it, 0, sizeof *it);
	it->id = sqlite3_column_int64(s, col + 0);
	store_col_text(s, col + 1, it->sku, sizeof it->sku);
	store_col_text(s, col + 2, it->name, sizeof it->name);
	store_col_text(s, col + 3, it->receipt_name, sizeof it->receipt_name);
	store_col_text(s, col + 4, it->unit, sizeof it->unit);
	it->weighed = sqlite3_column_int(s, col + 5) != 0;
	it->price = sqlite3_column_int64(s, col + 6);
	it->member_price = sqlite3_column_int64(s, col + 7);
	it->tax = (enum tax_class)sqlite3_column_int(s, col + 8);
	store_col_text(s, col + 9, it->category, sizeof it->category);
	store_col_text(s, col + 10, it->supplier, sizeof it->supplier);
	it->plu = sqlite3_column_int(s, col + 11);
	it->active = sqlite3_column_int(s, col + 12) != 0;
}

/* Runs a one-row item query whose statement is bound already. */
static enum cm_rc item_one(struct store *st, sqlite3_stmt *s, struct item_rec *out,
                           cm_qty *extra)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		item_from_row(s, 0, out);
		if (extra)
			*extra = sqlite3_column_int64(s, 13);
		sqlite3_reset(s);
		return CM_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CM_NOTFOUND;
	return store_fail(st, rc, _("looking up an item"));
}

enum cm_rc store_item_by_barcode(struct store *st, const char *code,
                                 struct item_rec *out, cm_qty *pack_qty)
{
	static const char sql[] = "SELECT " ITEM_COLS ", b.pack_qty FROM barcodes b "
		"JOIN items i ON i.id = b.item_id "
		"LEFT JOIN categories c ON c.id = i.category_id "
		"LEFT JOIN suppliers p ON p.id = i.supplier_id WHERE b.code = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	cm_qty q = CM_QTY_ONE;
	enum cm_rc rc = item_one(st, s, out, &q);
	if (pack_qty)
		*pack_qty = q;
	return rc;
}

enum cm_rc store_item_by_sku(struct store *st, const char *sku, struct item_rec *out)
{
	static const char sql[] = "SELECT " ITEM_COLS ITEM_FROM "WHERE i.sku = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	return item_one(st, s, out, NULL);
}

enum cm_rc store_item_by_plu(struct store *st, int32_t plu, struct item_rec *out)
{
	static const char sql[] = "SELECT " ITEM_COLS ITEM_FROM "WHERE i.plu = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, plu);
	return item_one(st, s, out, NULL);
}

enum cm_rc store_item_by_id(struct store *st, int64_t id, struct item_rec *out)
{
	static const char sql[] = "SELECT " ITEM_COLS ITEM_FROM "WHERE i.id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	return item_one(st, s, out, NULL);
}

/* The next word typed (a run of anything but blanks); false at the end. */
static bool next_word(const char **in, const char **w, size_t *l)
{
	const char *p = *in;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	*w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*l = (size_t)(p - *w);
	*in = p;
	return true;
}

/* Appends the word as a quoted prefix, `"ind"* `, to out (*o bytes used
 * of n). Quotes inside are doubled so no input can form FTS5 syntax. */
static bool put_prefix(char *out, size_t n, size_t *o, const char *w, size_t l)
{
	if (*o + 2 * l + 5 > n)
		return false;
	out[(*o)++] = '"';
	for (size_t i = 0; i < l; i++) {
		if (w[i] == '"')
			out[(*o)++] = '"';
		out[(*o)++] = w[i];
	}
	memcpy(out + *o, "\"* ", 4);
	*o += 3;
	return true;
}

/* Turns what the cashier typed into an FTS5 query where every word is a
 * quoted prefix: `ind mie` -> `"ind"* "mie"*`. */
static bool fts_query(const char *in, char *out, size_t n)
{
	const char *w;
	size_t l, o = 0;
	bool any = false;
	while (next_word(&in, &w, &l)) {
		if (!put_prefix(out, n, &o, w, l))
			return false;
		any = true;
	}
	return any;
}

/* The catalogue index's longest prefix index ('1 2 3', schema/store/002). */
#define INDEXED_PREFIX 3

/* What the catalogue's index is asked (search_fill). FTS5 answers a row
 * at a time only prefixes its prefix indexes hold, and a prefix of one or
 * two letters matches most of a big catalogue ("a": 240,000 of 1M): an
 * AND of such doclists that meet rarely reads them nearly whole. So a
 * word of letters and digits goes to FTS5 cut to INDEXED_PREFIX letters,
 * or not at all when shorter and a longer word goes (of only short words,
 * the longest goes); each is kept whole and lowercase in words, for
 * cm_match (store_search.c) to check on the rows read and to rank by.
 * Other words (punctuation, letters beyond ASCII) go to FTS5 whole. */
struct fill_query {
	char fts[512];
	char words[256];
	bool all_plain; /* every word is in words */
	int nwords;
	size_t longest;
};

static bool plain_word(const char *w, size_t l)
{
	for (size_t i = 0; i < l; i++)
		if (!isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80)
			return false;
	return true;
}

/* The one short word FTS5 is asked when every word is short (one or two
 * letters, checked by cm_match): the first of the longest; NULL when a
 * word of at least INDEXED_PREFIX letters, or one cm_match does not
 * check, goes to FTS5 and the short ones need not. */
static const char *short_key(const char *in)
{
	const char *w, *key = NULL;
	size_t l, best = 0;
	while (next_word(&in, &w, &l)) {
		if (l >= INDEXED_PREFIX || !plain_word(w, l))
			return NULL;
		if (l > best) {
			best = l;
			key = w;
		}
	}
	return key;
}

static bool fill_query(const char *in, struct fill_query *f)
{
	const char *w, *key = short_key(in);
	size_t l, o = 0, ow = 0;
	int listed = 0;
	f->all_plain = true;
	f->nwords = 0;
	f->longest = 0;
	while (next_word(&in, &w, &l)) {
		f->nwords++;
		f->longest = l > f->longest ? l : f->longest;
		bool plain = plain_word(w, l) && listed < STORE_MATCH_WORDS &&
		             ow + l + 2 <= sizeof f->words;
		if (!(plain && l < INDEXED_PREFIX && w != key) &&
		    !put_prefix(f->fts, sizeof f->fts, &o, w,
		                plain && l > INDEXED_PREFIX ? INDEXED_PREFIX : l))
			return false;
		f->all_plain &= plain;
		if (!plain)
			continue;
		for (size_t i = 0; i < l; i++)
			f->words[ow++] = (char)tolower((unsigned char)w[i]);
		f->words[ow++] = ' ';
		listed++;
	}
	f->words[ow ? ow - 1 : 0] = '\0';
	return o > 0;
}

/* What a cashier looks for is, most of the time, what this till sells:
 * those items come first, most sold first, found in the small index of
 * sold items (selling_fts, kept by triggers; schema/store/020) — at a
 * million items a two-word prefix query matches tens of thousands, and
 * finding which of them sell through the catalogue's index cost 20-60 ms.
 * The rest of the screen comes from the whole catalogue: the first
 * RANKED_MAX + 1 matches in catalogue order, ranked by text (cm_match:
 * bm25 without its IDF), all of the matches when there are no more;
 * inactive items among them leave the screen shorter. The cashier types
 * another letter anyway. A screen the sold items fill never touches the
 * catalogue's index. */
#define RANKED_MAX 100

/* The most rows of the catalogue's index one search reads: each costs a
 * read of the item's name (cm_match), and a query whose three-letter
 * prefixes match far more than its whole words would otherwise read tens
 * of thousands. Past it the screen shows what was found. */
#define FILL_ROWS_MAX 500

/* A match of the catalogue's index and its text rank (lower is better). */
struct hit {
	int64_t id;
	double rank;
};

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Appends the active item id to out unless it is there already. */
static enum cm_rc add_item(struct store *st, int64_t id, struct item_rec *out, size_t *n)
{
	static const char sql[] = "SELECT " ITEM_COLS ITEM_FROM "WHERE i.id = ?1 AND i.active = 1";
	for (size_t i = 0; i < *n; i++)
		if (out[i].id == id)
			return CM_OK;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		item_from_row(s, 0, &out[(*n)++]);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("searching items"));
}

/* The rest of the screen from the whole catalogue, in one pass of its
 * index that reads at most FILL_ROWS_MAX rows: up to RANKED_MAX + 1
 * matches, best rank first. */
static enum cm_rc search_fill(struct store *st, const struct fill_query *fq,
                              struct item_rec *out, size_t max, size_t *n)
{
	static const char sql[] =
		"SELECT f.rowid, cm_match(items_fts, ?2, i.name, i.sku) FROM items_fts f "
		"JOIN items i ON i.id = f.rowid WHERE items_fts MATCH ?1";
	struct hit hits[RANKED_MAX + 1];
	size_t nh = 0, read = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, fq->fts, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, fq->words, -1, SQLITE_STATIC);
	int rc = SQLITE_DONE;
	while (nh < RANKED_MAX + 1 && read++ < FILL_ROWS_MAX &&
	       (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 1) == SQLITE_NULL)
			continue;
		hits[nh].id = sqlite3_column_int64(s, 0);
		hits[nh++].rank = sqlite3_column_double(s, 1);
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, _("searching items"));
	qsort(hits, nh, sizeof hits[0], hit_cmp);
	enum cm_rc r = CM_OK;
	for (size_t i = 0; r == CM_OK && i < nh && *n < max; i++)
		r = add_item(st, hits[i].id, out, n);
	return r;
}

/* A query most sold items answer ("s", "isi") matches thousands of them
 * in the sold items' index, and sorting them all by sales cost 4-8 ms at
 * 20,000 sold items; its screen is among the best sellers. So for a
 * query of one word, or of words of one or two letters (the dense ones;
 * counting costs as much as the index's answer to two longer words),
 * when the index counts DENSE matches or more, the best sellers are
 * walked, in order, WALK_ROWS at most, each checked by cm_words
 * (store_search.c) on the names the sold items' index keeps (its content
 * table, FTS5's selling_fts_content: id, c0 the name, c1 the SKU; a read
 * there costs a quarter of one in items). The screen when they hold max
 * active matches, or when they are all the sold items; else the index
 * answers. */
#define DENSE 1500
#define WALK_ROWS 1000
#define WALK_MAX 64 /* screens of more rows are not walked */

/* Does the sold items' index hold DENSE matches of q or more? */
static enum cm_rc selling_dense(struct store *st, const char *q, bool *dense)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM selling_fts WHERE selling_fts MATCH ?1 LIMIT ?2)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, DENSE);
	int rc = sqlite3_step(s);
	*dense = rc == SQLITE_ROW && sqlite3_column_int(s, 0) >= DENSE;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("searching items"));
}

static enum cm_rc walk_best_sellers(struct store *st, const char *words, struct item_rec *out,
                                    size_t max, size_t *n, bool *done)
{
	static const char sql[] =
		"SELECT s.item_id, cm_words(?1, f.c0, f.c1) FROM item_sales s "
		"INDEXED BY item_sales_sold JOIN selling_fts_content f ON f.id = s.item_id "
		"ORDER BY s.sold DESC, s.item_id";
	int64_t ids[WALK_MAX];
	size_t nid = 0, read = 0;
	*done = false;
	if (max > WALK_MAX)
		return CM_OK;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, words, -1, SQLITE_STATIC);
	int rc = SQLITE_DONE;
	while (nid < max && read++ < WALK_ROWS && (rc = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_int(s, 1))
			ids[nid++] = sqlite3_column_int64(s, 0);
	bool all_sold = rc == SQLITE_DONE;
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, _("searching items"));
	if (nid < max && !all_sold)
		return CM_OK;
	enum cm_rc r = CM_OK;
	for (size_t i = 0; r == CM_OK && i < nid; i++)
		r = add_item(st, ids[i], out, n);
	*done = r == CM_OK && (*n == max || all_sold);
	if (!*done)
		*n = 0; /* an inactive item among them: the index answers */
	return r;
}

/* Appends the rows of the bound statement s to out (up to max, skipping
 * ids already there). */
static int search_rows(sqlite3_stmt *s, struct item_rec *out, size_t max, size_t *n)
{
	int rc = SQLITE_DONE;
	size_t have = *n;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		bool dup = false;
		for (size_t i = 0; i < have && !dup; i++)
			dup = out[i].id == id;
		if (!dup)
			item_from_row(s, 0, &out[(*n)++]);
	}
	if (*n >= max)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	return rc;
}

/* Runs the search statement sql for q, appending to out. */
static enum cm_rc search_with(struct store *st, const char *sql, const char *q,
                              struct item_rec *out, size_t max, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	int rc = search_rows(s, out, max, n);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("searching items"));
}

enum cm_rc store_item_search(struct store *st, const char *query,
                             struct item_rec *out, size_t max, size_t *n)
{
	/* The best sold matches first, then their items' rows: a query like
	 * "kop" matches a thousand sold items, and reading every one's row
	 * before keeping ten cost more than the match. Twice the screen and
	 * more is read, for sold items made inactive since. */
	static const char selling[] = "SELECT " ITEM_COLS " FROM ("
		"SELECT s.item_id AS id, s.sold AS sold FROM selling_fts f "
		"JOIN item_sales s ON s.item_id = f.rowid WHERE selling_fts MATCH ?1 "
		"ORDER BY s.sold DESC, s.item_id LIMIT 2 * ?2 + 16) t "
		"JOIN items i ON i.id = t.id "
		"LEFT JOIN categories c ON c.id = i.category_id "
		"LEFT JOIN suppliers p ON p.id = i.supplier_id "
		"WHERE i.active = 1 ORDER BY t.sold DESC, t.id LIMIT ?2";
	char q[512];
	struct fill_query fq;
	*n = 0;
	if (!fts_query(query, q, sizeof q))
		return CM_OK;
	bool fill = fill_query(query, &fq), dense = false, walked = false;
	enum cm_rc rc = CM_OK;
	if (fill && fq.all_plain && max <= WALK_MAX && (fq.nwords == 1 || fq.longest < INDEXED_PREFIX))
		rc = selling_dense(st, q, &dense);
	if (rc == CM_OK && dense)
		rc = walk_best_sellers(st, fq.words, out, max, n, &walked);
	if (rc == CM_OK && !walked)
		rc = search_with(st, selling, q, out, max, n);
	if (rc != CM_OK || *n >= max)
		return rc;
	return fill ? search_fill(st, &fq, out, max, n) : CM_OK;
}

/* Id of the category or supplier called name, created when missing;
 * 0 for an empty name (stored as NULL). */
static enum cm_rc named_id(struct store *st, const char *ins, const char *sel,
                           const char *name, int64_t *id)
{
	*id = 0;
	if (!name[0])
		return CM_OK;
	sqlite3_stmt *s = store_stmt(st, ins);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	enum cm_rc rc = store_step_done(st, s, _("saving the catalogue"));
	if (rc != CM_OK)
		return rc;
	s = store_stmt(st, sel);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return src == SQLITE_ROW ? CM_OK : store_fail(st, src, _("saving the catalogue"));
}

static enum cm_rc category_id(struct store *st, const char *name, int64_t *id)
{
	static const char ins[] = "INSERT OR IGNORE INTO categories(name) VALUES (?1)";
	static const char sel[] = "SELECT id FROM categories WHERE name = ?1";
	return named_id(st, ins, sel, name, id);
}

static enum cm_rc supplier_id(struct store *st, const char *name, int64_t *id)
{
	static const char ins[] = "INSERT OR IGNORE INTO suppliers(name) VALUES (?1)";
	static const char sel[] = "SELECT id FROM suppliers WHERE name = ?1";
	return named_id(st, ins, sel, name, id);
}

enum cm_rc store_item_ref(struct store *st, bool supplier, const char *name, int64_t *id)
{
	return supplier ? supplier_id(st, name, id) : category_id(st, name, id);
}

void store_bind_ref(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static enum cm_rc replace_barcodes(struct store *st, int64_t id,
                                   const char (*codes)[16], size_t n)
{
	static const char del[] = "DELETE FROM barcodes WHERE item_id = ?1";
	static const char ins[] = "INSERT INTO barcodes(code, item_id) VALUES (?1, ?2)";
	sqlite3_stmt *s = store_stmt(st, del);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	enum cm_rc rc = store_step_done(st, s, _("saving barcodes"));
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		s = store_stmt(st, ins);
		if (!s)
			return CM_IO;
		sqlite3_bind_text(s, 1, codes[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		rc = store_step_done(st, s, _("saving barcodes"));
	}
	return rc;
}

void store_bind_item(sqlite3_stmt *s, int at, const struct item_rec *it, int64_t cat,
                     int64_t sup)
{
	sqlite3_bind_text(s, at + 1, it->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, at + 2, it->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, at + 3, it->receipt_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, at + 4, it->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, at + 5, it->weighed);
	sqlite3_bind_int64(s, at + 6, it->price);
	sqlite3_bind_int64(s, at + 7, it->member_price);
	sqlite3_bind_int(s, at + 8, it->tax);
	store_bind_ref(s, at + 9, cat);
	store_bind_ref(s, at + 10, sup);
	store_bind_ref(s, at + 11, it->plu);
	sqlite3_bind_int(s, at + 12, it->active);
	sqlite3_bind_int64(s, at + 13, (int64_t)time(NULL));
}

static int64_t item_id_of(struct store *st, const char *sku)
{
	static const char sql[] = "SELECT id FROM items WHERE sku = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	return id;
}

enum cm_rc store_item_upsert(struct store *st, const struct item_rec *it,
                             const char (*barcodes)[16], size_t nbarcodes,
                             int64_t *id, bool *created)
{
	static const char ins[] =
		"INSERT INTO items(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category_id, supplier_id, plu, active, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	static const char upd[] =
		"UPDATE items SET name = ?2, receipt_name = ?3, unit = ?4, weighed = ?5, "
		"  price = ?6, member_price = ?7, tax_class = ?8, category_id = ?9, "
		"  supplier_id = ?10, plu = ?11, active = ?12, updated_at = ?13 WHERE sku = ?1";
	int64_t cat, sup;
	enum cm_rc rc = category_id(st, it->category, &cat);
	if (rc == CM_OK)
		rc = supplier_id(st, it->supplier, &sup);
	if (rc != CM_OK)
		return rc;
	int64_t existing = item_id_of(st, it->sku);
	if (existing < 0)
		return store_fail(st, sqlite3_errcode(st->db), _("saving an item"));
	sqlite3_stmt *s = store_stmt(st, existing ? upd : ins);
	if (!s)
		return CM_IO;
	store_bind_item(s, 0, it, cat, sup);
	rc = store_step_done(st, s, _("saving an item"));
	if (rc != CM_OK)
		return rc;
	*id = existing ? existing : sqlite3_last_insert_rowid(st->db);
	if (created)
		*created = existing == 0;
	return replace_barcodes(st, *id, barcodes, nbarcodes);
}

enum cm_rc store_barcode_owner(struct store *st, const char *code, char *sku, size_t n)
{
	static const char sql[] =
		"SELECT i.sku FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_col_text(s, 0, sku, n);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking up a barcode"));
}

static int64_t count_of(struct store *st, const char *sql, int64_t arg)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, arg);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return v;
}

int64_t store_item_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM items WHERE ?1 = ?1";
	return count_of(st, sql, 0);
}

cm_qty store_stock_level(struct store *st, int64_t item_id)
{
	static const char sql[] =
		"SELECT COALESCE((SELECT qty FROM stock_levels WHERE item_id = ?1), "
		"(SELECT qty FROM stock_snapshot WHERE item_id = ?1), 0)";
	return count_of(st, sql, item_id);
}

/* ---- members ---- */

#define MEMBER_COLS "id, number, name, COALESCE(card_code, ''), status, type, join_date, " \
	"left_date, pokok_owed, wajib_through, wajib_paid_until, wajib_months, wajib_arrears, " \
	"sukarela, dues_month, dues_seq, credit_limit, credit_balance"

static enum cm_rc member_one(struct store *st, sqlite3_stmt *s, struct member_rec *m)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(m, 0, sizeof *m);
		m->id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, m->number, sizeof m->number);
		store_col_text(s, 2, m->name, sizeof m->name);
		store_col_text(s, 3, m->card_code, sizeof m->card_code);
		store_col_text(s, 4, m->status, sizeof m->status);
		store_col_text(s, 5, m->type, sizeof m->type);
		m->join_date = sqlite3_column_int(s, 6);
		m->left_date = sqlite3_column_int(s, 7);
		m->hq.pokok_owed = sqlite3_column_int64(s, 8);
		m->hq.wajib_through = sqlite3_column_int(s, 9);
		m->hq.wajib_paid_until = sqlite3_column_int(s, 10);
		m->hq.wajib_months = sqlite3_column_int(s, 11);
		m->hq.wajib_arrears = sqlite3_column_int64(s, 12);
		m->hq.sukarela = sqlite3_column_int64(s, 13);
		m->hq.month = sqlite3_column_int(s, 14);
		m->hq.seq = sqlite3_column_int64(s, 15);
		m->hq.credit_limit = sqlite3_column_int64(s, 16);
		m->hq.credit_balance = sqlite3_column_int64(s, 17);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking up a member"));
}

enum cm_rc store_member_find(struct store *st, const char *code, struct member_rec *out)
{
	static const char sql[] =
		"SELECT " MEMBER_COLS " FROM members "
		"WHERE card_code = ?1 OR number = ?1 ORDER BY card_code = ?1 DESC LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	return member_one(st, s, out);
}

enum cm_rc store_member_by_id(struct store *st, int64_t id, struct member_rec *out)
{
	static const char sql[] =
		"SELECT " MEMBER_COLS " FROM members WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	return member_one(st, s, out);
}

enum cm_rc store_member_add(struct store *st, const struct member_rec *m, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO members(number, name, card_code, status, type, join_date, left_date) "
		"VALUES (?1, ?2, NULLIF(?3, ''), ?4, ?5, ?6, ?7)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, m->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, m->card_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->status[0] ? m->status : "active", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, m->type, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, m->join_date);
	sqlite3_bind_int(s, 7, m->left_date);
	enum cm_rc rc = store_step_done(st, s, _("saving a member"));
	if (rc == CM_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}
