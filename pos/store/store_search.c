/* The name search's text check and rank, registered on every connection
 * of the store: an FTS5 auxiliary function (cm_match) and its plain SQL
 * twin for rows read outside an FTS5 query (cm_words).
 *
 * Why: a prefix of 4 letters or more ("sabun mand") is not in the
 * catalogue index's prefix indexes ('1 2 3'), and FTS5 then merges the
 * whole doclist of every word starting with it before giving a first
 * row, whatever the LIMIT: 40,000 rows for "promo" at a million items.
 * The search (store_items.c) asks FTS5 for the first three letters of
 * such words, which the prefix index answers a row at a time, and this
 * function keeps the rows that hold the whole prefixes, reading only
 * the rows the search looks at.
 *
 * The rank is bm25 without its IDF part: FTS5's bm25() counts, before
 * the first row, every row of the whole catalogue that holds each word
 * (again 40,000 for "promo", 7-26 ms of CPU), and among rows that all
 * hold every word the IDF only weighs one word's frequency against
 * another's. What is left orders by how often the words occur and by
 * the row's length (a shorter name is a closer match), as bm25 does.
 *
 *   cm_match(items_fts, 'sabun mand', i.name, i.sku)
 *     -> NULL when a word is the prefix of no token of the texts (after
 *        the table's tokenizer: folded case, no diacritics);
 *     -> else minus the score (lower is better, as FTS5's rank).
 * The words: lowercase ASCII letters and digits, one space apart. The
 * texts are the row's columns, read by the caller's join with items:
 * FTS5's own read of an external content row (xColumnText) costs half as
 * much again. */
#include "store/store_int.h"

#include <string.h>

#define MATCH_WORDS STORE_MATCH_WORDS
#define BM25_K1 1.2
#define BM25_B 0.75

/* One row's tokens against the words. */
struct row_scan {
	const char *word[MATCH_WORDS];
	int len[MATCH_WORDS];
	int nword;
	int tf[MATCH_WORDS];
	int ntok;
};

static int row_token(void *ctx, int flags, const char *tok, int ntok, int start, int end)
{
	struct row_scan *r = ctx;
	(void)start;
	(void)end;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	r->ntok++;
	for (int i = 0; i < r->nword; i++)
		if (ntok >= r->len[i] && memcmp(tok, r->word[i], (size_t)r->len[i]) == 0)
			r->tf[i]++;
	return SQLITE_OK;
}

static void split_words(const char *s, struct row_scan *r)
{
	while (*s && r->nword < MATCH_WORDS) {
		size_t l = strcspn(s, " ");
		if (l) {
			r->word[r->nword] = s;
			r->len[r->nword++] = (int)l;
		}
		s += l;
		s += *s == ' ';
	}
}

/* Tokenizes the texts (the row's name and SKU) into r with the table's
 * tokenizer. */
static int scan_row(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_value **text,
                    int ntext, struct row_scan *r)
{
	for (int i = 0; i < ntext; i++) {
		const char *t = (const char *)sqlite3_value_text(text[i]);
		int rc = t ? api->xTokenize(fc, t, sqlite3_value_bytes(text[i]), r, row_token)
		           : SQLITE_OK;
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static void cm_match(const Fts5ExtensionApi *api, Fts5Context *fc, sqlite3_context *ctx,
                     int nval, sqlite3_value **val)
{
	struct row_scan r = { 0 };
	const char *words = nval >= 1 ? (const char *)sqlite3_value_text(val[0]) : NULL;
	if (!words) {
		sqlite3_result_error(ctx, "cm_match: the words, then the row's texts", -1);
		return;
	}
	split_words(words, &r);
	int rc = scan_row(api, fc, val + 1, nval - 1, &r);
	sqlite3_int64 nrow = 0, ntok = 0;
	if (rc == SQLITE_OK)
		rc = api->xRowCount(fc, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fc, -1, &ntok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double avgdl = nrow > 0 && ntok > 0 ? (double)ntok / (double)nrow : 1.0;
	double norm = BM25_K1 * (1 - BM25_B + BM25_B * (double)r.ntok / avgdl), score = 0;
	for (int i = 0; i < r.nword; i++) {
		if (!r.tf[i]) {
			sqlite3_result_null(ctx);
			return;
		}
		score += r.tf[i] * (BM25_K1 + 1) / (r.tf[i] + norm);
	}
	sqlite3_result_double(ctx, -score);
}

/* FTS5's API of this connection (SQLite's documented way to reach it). */
static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return api;
}

/* The names' tokenizer, as the indexes are made (schema/store/002 and
 * 020: unicode61 remove_diacritics 2), for cm_words. */
struct words_tok {
	fts5_tokenizer api;
	Fts5Tokenizer *tok;
};

static void words_tok_free(void *p)
{
	struct words_tok *w = p;
	if (w->tok)
		w->api.xDelete(w->tok);
	sqlite3_free(w);
}

/*   cm_words('kop sus', i.name, i.sku) -> 1 when every word is the prefix
 * of a token of the texts (as cm_match, outside an FTS5 query), else 0:
 * for walking the best sellers in order (store_items.c). */
static void cm_words(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	struct words_tok *w = sqlite3_user_data(ctx);
	struct row_scan r = { 0 };
	const char *words = (const char *)sqlite3_value_text(val[0]);
	if (!words) {
		sqlite3_result_error(ctx, "cm_words: the words, then the texts", -1);
		return;
	}
	split_words(words, &r);
	for (int i = 1; i < nval; i++) {
		const char *t = (const char *)sqlite3_value_text(val[i]);
		int rc = t ? w->api.xTokenize(w->tok, &r, FTS5_TOKENIZE_DOCUMENT, t,
		                              sqlite3_value_bytes(val[i]), row_token)
		           : SQLITE_OK;
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
	}
	int all = 1;
	for (int i = 0; i < r.nword; i++)
		all &= r.tf[i] > 0;
	sqlite3_result_int(ctx, all);
}

static int words_register(sqlite3 *db, fts5_api *api)
{
	static const char *const args[] = { "remove_diacritics", "2" };
	struct words_tok *w = sqlite3_malloc(sizeof *w);
	void *ud = NULL;
	if (!w)
		return SQLITE_NOMEM;
	memset(w, 0, sizeof *w);
	int rc = api->xFindTokenizer(api, "unicode61", &ud, &w->api);
	if (rc == SQLITE_OK)
		rc = w->api.xCreate(ud, (const char **)args, 2, &w->tok);
	if (rc != SQLITE_OK) {
		words_tok_free(w);
		return rc;
	}
	return sqlite3_create_function_v2(db, "cm_words", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                                  w, cm_words, NULL, NULL, words_tok_free);
}

enum cm_rc store_search_register(struct store *st)
{
	fts5_api *api = fts5_of(st->db);
	int rc = api ? api->xCreateFunction(api, "cm_match", NULL, cm_match, NULL) : SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = words_register(st->db, api);
	return rc == SQLITE_OK ? CM_OK : store_fail(st, rc, _("opening the database"));
}
