/* The sync agent's tables: acknowledged journal position, alerts, staged
 * pulls and their application (schema/store/004_sync.sql). */
#include "store/store_int.h"
#include "store/store_sync.h"
#include "store/store_catgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[] = { "catalogue", "members" };

/* ---- state ---- */

enum cm_rc store_sync_state(struct store *st, struct sync_state *out)
{
	static const char sql[] =
		"SELECT acked_seq, head_hash, catalogue_version, members_version, "
		"last_push_ok_at, last_pull_ok_at, last_attempt_at, last_error, orders_version "
		"FROM sync_state WHERE id = 1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->acked_seq = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, out->head_hash, sizeof out->head_hash);
		out->catalogue_version = sqlite3_column_int64(s, 2);
		out->members_version = sqlite3_column_int64(s, 3);
		out->last_push_ok_at = sqlite3_column_int64(s, 4);
		out->last_pull_ok_at = sqlite3_column_int64(s, 5);
		out->last_attempt_at = sqlite3_column_int64(s, 6);
		store_col_text(s, 7, out->last_error, sizeof out->last_error);
		out->orders_version = sqlite3_column_int64(s, 8);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	if (rc == SQLITE_DONE) {
		store_seterr(st, "%s", _("reading the sync state: the row is missing"));
		return CM_CORRUPT;
	}
	return store_fail(st, rc, _("reading the sync state"));
}

/* Runs one bound statement in a durable transaction of its own. */
static enum cm_rc run_alone(struct store *st, sqlite3_stmt *s, const char *doing)
{
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK) {
		sqlite3_reset(s);
		return rc;
	}
	rc = store_step_done(st, s, doing);
	if (rc == CM_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

enum cm_rc store_sync_set_acked(struct store *st, int64_t acked_seq,
                                const char *head_hash, int64_t now)
{
	static const char sql[] =
		"UPDATE sync_state SET acked_seq = ?1, head_hash = ?2, "
		"last_push_ok_at = CASE WHEN ?3 > 0 THEN ?3 ELSE last_push_ok_at END WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, acked_seq);
	sqlite3_bind_text(s, 2, head_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now);
	return run_alone(st, s, _("saving what HQ acknowledged"));
}

enum cm_rc store_sync_set_attempt(struct store *st, int64_t now, const char *error,
                                  bool pulled)
{
	static const char sql[] =
		"UPDATE sync_state SET last_attempt_at = ?1, last_error = ?2, "
		"last_pull_ok_at = CASE WHEN ?3 THEN ?1 ELSE last_pull_ok_at END WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, error ? error : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, pulled);
	return run_alone(st, s, _("saving the sync state"));
}

/* ---- the journal as an outbox ---- */

enum cm_rc store_sync_waiting(struct store *st, int64_t *n)
{
	static const char sql[] =
		"SELECT COALESCE((SELECT max(seq) FROM journal WHERE terminal_id = ?1), 0) "
		"- (SELECT acked_seq FROM sync_state WHERE id = 1)";
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, _("counting events to send"));
	/* Negative when HQ acknowledged more than this database holds (an
	 * older copy): nothing is waiting. */
	if (*n < 0)
		*n = 0;
	return CM_OK;
}

enum cm_rc store_sync_event_hash(struct store *st, int64_t seq, char hex[SYNC_HEX_HASH])
{
	struct journal_entry e;
	hex[0] = '\0';
	enum cm_rc rc = journal_get(st, seq, &e);
	if (rc == CM_OK)
		chain_hex(e.hash, CHAIN_HASH_LEN, hex);
	return rc;
}

enum cm_rc store_sync_events(struct store *st, int64_t from_seq, int64_t max,
                             store_sync_event_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT seq, type, at, user_id, payload, prev_hash, hash, sig FROM journal "
		"WHERE terminal_id = ?1 AND seq >= ?2 ORDER BY seq LIMIT ?3";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from_seq);
	sqlite3_bind_int64(s, 3, max);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct journal_entry e;
		const char *payload = store_journal_from_row(s, &e);
		if (!fn(&e, payload, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading the journal"));
}

enum cm_rc store_sync_adopt_store_code(struct store *st, const char *code, int64_t now)
{
	struct canon *c = canon_new();
	if (!c)
		return CM_NOMEM;
	canon_obj_begin(c, NULL);
	canon_str(c, "key", "store_code");
	canon_str(c, "value", code);
	canon_obj_end(c);
	char *payload = canon_take(c);
	if (!payload) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = store_begin(st);
	if (rc == CM_OK)
		rc = store_setting_set(st, "store_code", code);
	if (rc == CM_OK)
		rc = journal_append(st, "setting_changed", now, 0, payload, NULL);
	if (rc == CM_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	free(payload);
	return rc;
}

/* ---- alerts ---- */

static enum cm_rc alert_add(struct store *st, int64_t now, const char *code, bool report,
                            int64_t seq, const char *message, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO sync_alerts(at, code, message, report, seq) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 4, report);
	sqlite3_bind_int64(s, 5, seq);
	enum cm_rc rc = run_alone(st, s, _("recording a sync alert"));
	if (rc == CM_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum cm_rc store_sync_alert_add(struct store *st, int64_t now, const char *code,
                                const char *message, int64_t *id)
{
	return alert_add(st, now, code, false, 0, message, id);
}

enum cm_rc store_sync_alert_add_report(struct store *st, int64_t now, const char *code,
                                       int64_t seq, const char *message, int64_t *id)
{
	return alert_add(st, now, code, true, seq, message, id);
}

enum cm_rc store_sync_alert_reported(struct store *st, int64_t id, int64_t now)
{
	static const char sql[] = "UPDATE sync_alerts SET reported_at = ?2 WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return run_alone(st, s, _("recording a sync alert"));
}

static enum cm_rc alerts_each(struct store *st, sqlite3_stmt *s, store_sync_alert_fn fn,
                              void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct sync_alert a = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.cleared_at = sqlite3_column_int64(s, 4),
			.seq = sqlite3_column_int64(s, 5),
		};
		store_col_text(s, 2, a.code, sizeof a.code);
		store_col_text(s, 3, a.message, sizeof a.message);
		fn(&a, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading sync alerts"));
}

enum cm_rc store_sync_alert_each(struct store *st, bool open_only,
                                 store_sync_alert_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT id, at, code, message, COALESCE(cleared_at, 0), seq FROM sync_alerts "
		"WHERE NOT ?1 OR cleared_at IS NULL ORDER BY id";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, open_only);
	return alerts_each(st, s, fn, ctx);
}

enum cm_rc store_sync_alert_unreported(struct store *st, store_sync_alert_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT id, at, code, message, COALESCE(cleared_at, 0), seq FROM sync_alerts "
		"WHERE report = 1 AND reported_at IS NULL ORDER BY id";
	sqlite3_stmt *s = store_stmt(st, sql);
	return s ? alerts_each(st, s, fn, ctx) : CM_IO;
}

enum cm_rc store_sync_alert_clear(struct store *st, int64_t id, int64_t now)
{
	static const char sql[] =
		"UPDATE sync_alerts SET cleared_at = ?2 WHERE id = ?1 AND cleared_at IS NULL";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	enum cm_rc rc = run_alone(st, s, _("clearing a sync alert"));
	if (rc == CM_OK && sqlite3_changes(st->db) == 0) {
		store_seterr(st, _("there is no open alert number %lld"), (long long)id);
		return CM_NOTFOUND;
	}
	return rc;
}

static enum cm_rc one_int(struct store *st, sqlite3_stmt *s, int64_t *out, const char *doing)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, doing);
}

enum cm_rc store_sync_alert_open_count(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM sync_alerts WHERE cleared_at IS NULL";
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	return one_int(st, s, n, _("reading sync alerts"));
}

/* ---- staging ---- */

enum cm_rc store_sync_pull_get(struct store *st, enum sync_kind kind, struct sync_pull *out)
{
	static const char sql[] = "SELECT since, upto, next, rows FROM sync_pull WHERE kind = ?1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->since = sqlite3_column_int64(s, 0);
		out->upto = sqlite3_column_int64(s, 1);
		store_col_text(s, 2, out->next, sizeof out->next);
		out->rows = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("reading the pull state"));
}

static enum cm_rc exec_kind(struct store *st, const char *sql, enum sync_kind kind,
                            const char *doing)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	return store_step_done(st, s, doing);
}

enum cm_rc store_sync_stage_reset(struct store *st, enum sync_kind kind)
{
	static const char pull[] = "DELETE FROM sync_pull WHERE kind = ?1";
	static const char cat[] = "DELETE FROM catalogue_staging WHERE ?1 = ?1";
	static const char mem[] = "DELETE FROM members_staging WHERE ?1 = ?1";
	static const char dues[] = "DELETE FROM dues_staging WHERE ?1 = ?1";
	static const char rates[] = "DELETE FROM dues_rates_staging WHERE ?1 = ?1";
	enum cm_rc rc = exec_kind(st, pull, kind, _("clearing staged pages"));
	if (rc == CM_OK)
		rc = exec_kind(st, kind == SYNC_CATALOGUE ? cat : mem, kind,
		               _("clearing staged pages"));
	if (rc == CM_OK && kind == SYNC_MEMBERS)
		rc = exec_kind(st, dues, kind, _("clearing staged pages"));
	if (rc == CM_OK && kind == SYNC_MEMBERS)
		rc = exec_kind(st, rates, kind, _("clearing staged pages"));
	return rc;
}

/* store_step_done with the message translated only on failure: a staged
 * row pays no gettext lookup (which takes a lock). */
static enum cm_rc step_done(struct store *st, sqlite3_stmt *s, const char *msgid)
{
	int src = sqlite3_step(s);
	sqlite3_reset(s);
	return src == SQLITE_DONE ? CM_OK : store_fail(st, src, _(msgid));
}

/* The next row number of the staging table of kind for upto. */
enum cm_rc store_sync_next_row(struct store *st, enum sync_kind kind, int64_t upto, int64_t *n)
{
	static const char cat[] =
		"SELECT COALESCE(max(n), 0) + 1 FROM catalogue_staging WHERE upto = ?1";
	static const char mem[] =
		"SELECT COALESCE(max(n), 0) + 1 FROM members_staging WHERE upto = ?1";
	sqlite3_stmt *s = store_stmt(st, kind == SYNC_CATALOGUE ? cat : mem);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	int src = sqlite3_step(s);
	*n = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return src == SQLITE_ROW ? CM_OK : store_fail(st, src, _("staging a page"));
}

static void join_barcodes(const char (*codes)[16], size_t n, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + o, len - o, "%s%s", i ? " " : "", codes[i]);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

enum cm_rc store_sync_stage_item(struct store *st, int64_t upto, const struct item_rec *it,
                                 const char (*barcodes)[16], size_t nbarcodes,
                                 int64_t version)
{
	static const char sql[] =
		"INSERT INTO catalogue_staging(upto, n, sku, name, receipt_name, unit, weighed, "
		"  price, member_price, tax_class, category, supplier, plu, active, barcodes, version) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
	char codes[8 * 17];
	int64_t n;
	enum cm_rc rc = store_sync_next_row(st, SYNC_CATALOGUE, upto, &n);
	if (rc != CM_OK)
		return rc;
	join_barcodes(barcodes, nbarcodes, codes, sizeof codes);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	sqlite3_bind_int64(s, 2, n);
	sqlite3_bind_text(s, 3, it->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, it->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, it->receipt_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, it->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, it->weighed);
	sqlite3_bind_int64(s, 8, it->price);
	sqlite3_bind_int64(s, 9, it->member_price);
	sqlite3_bind_int(s, 10, it->tax);
	sqlite3_bind_text(s, 11, it->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, it->supplier, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 13, it->plu);
	sqlite3_bind_int(s, 14, it->active);
	sqlite3_bind_text(s, 15, codes, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 16, version);
	return step_done(st, s, N_("staging the catalogue"));
}

enum cm_rc store_sync_stage_deleted(struct store *st, enum sync_kind kind, int64_t upto,
                                    const char *key)
{
	static const char cat[] =
		"INSERT INTO catalogue_staging(upto, n, deleted, sku) VALUES (?1, ?2, 1, ?3)";
	static const char mem[] =
		"INSERT INTO members_staging(upto, n, deleted, number) VALUES (?1, ?2, 1, ?3)";
	int64_t n;
	enum cm_rc rc = store_sync_next_row(st, kind, upto, &n);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, kind == SYNC_CATALOGUE ? cat : mem);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	sqlite3_bind_int64(s, 2, n);
	sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
	return step_done(st, s, N_("staging a deletion"));
}

enum cm_rc store_sync_stage_page(struct store *st, enum sync_kind kind,
                                 const struct sync_pull *p)
{
	static const char sql[] =
		"INSERT INTO sync_pull(kind, since, upto, next, rows) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(kind) DO UPDATE SET since = excluded.since, upto = excluded.upto, "
		"next = excluded.next, rows = excluded.rows";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, p->since);
	sqlite3_bind_int64(s, 3, p->upto);
	sqlite3_bind_text(s, 4, p->next, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, p->rows);
	return store_step_done(st, s, _("staging a page"));
}

/* ---- applying a pull ---- */

/* A barcode or PLU HQ now gives to sku is taken from whichever item held
 * it, so that the upsert's inserts do not collide (the whole pull is one
 * transaction: the end state is HQ's). */
static enum cm_rc release_codes(struct store *st, const struct item_rec *it,
                                const char (*codes)[16], size_t n)
{
	static const char bc[] =
		"DELETE FROM barcodes WHERE code = ?1 "
		"AND item_id <> COALESCE((SELECT id FROM items WHERE sku = ?2), 0)";
	static const char plu[] =
		"UPDATE items SET plu = NULL WHERE plu = ?1 AND sku <> ?2";
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, bc);
		if (!s)
			return CM_IO;
		sqlite3_bind_text(s, 1, codes[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, it->sku, -1, SQLITE_STATIC);
		rc = step_done(st, s, N_("applying the catalogue"));
	}
	if (rc != CM_OK || !it->plu)
		return rc;
	sqlite3_stmt *s = store_stmt(st, plu);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, it->plu);
	sqlite3_bind_text(s, 2, it->sku, -1, SQLITE_STATIC);
	return step_done(st, s, N_("applying the catalogue"));
}

static size_t split_barcodes(const char *text, char (*codes)[16], size_t max)
{
	size_t n = 0;
	while (*text && n < max) {
		while (*text == ' ')
			text++;
		size_t len = strcspn(text, " ");
		if (!len)
			break;
		if (len < 16) {
			memcpy(codes[n], text, len);
			codes[n++][len] = '\0';
		}
		text += len;
	}
	return n;
}

/* Codes from HQ are stored under their catalogue key (core/barcode.h), so
 * an EAN-8 a server still holds as 8 digits is found by every scan; a code
 * that is no GTIN is kept as HQ sent it. */
static void key_barcodes(char (*codes)[16], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char key[16];
		if (barcode_gtin_key(codes[i], key) == CM_OK)
			memcpy(codes[i], key, sizeof key);
	}
}

static enum cm_rc deactivate_item(struct store *st, const char *sku)
{
	static const char sql[] = "UPDATE items SET active = 0 WHERE sku = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	return step_done(st, s, N_("applying the catalogue"));
}

bool store_staged_item(sqlite3_stmt *s, struct item_rec *it, char (*codes)[16], size_t *n)
{
	char text[8 * 17];
	memset(it, 0, sizeof *it);
	*n = 0;
	store_col_text(s, 1, it->sku, sizeof it->sku);
	if (sqlite3_column_int(s, 0))
		return true;
	store_col_text(s, 2, it->name, sizeof it->name);
	store_col_text(s, 3, it->receipt_name, sizeof it->receipt_name);
	store_col_text(s, 4, it->unit, sizeof it->unit);
	it->weighed = sqlite3_column_int(s, 5) != 0;
	it->price = sqlite3_column_int64(s, 6);
	it->member_price = sqlite3_column_int64(s, 7);
	it->tax = (enum tax_class)sqlite3_column_int(s, 8);
	store_col_text(s, 9, it->category, sizeof it->category);
	store_col_text(s, 10, it->supplier, sizeof it->supplier);
	it->plu = sqlite3_column_int(s, 11);
	it->active = sqlite3_column_int(s, 12) != 0;
	store_col_text(s, 13, text, sizeof text);
	*n = split_barcodes(text, codes, 8);
	store_staged_fill(it, codes, *n);
	return false;
}

void store_staged_fill(struct item_rec *it, char (*codes)[16], size_t n)
{
	key_barcodes(codes, n);
	if (!it->receipt_name[0])
		snprintf(it->receipt_name, sizeof it->receipt_name, "%s", it->name);
	if (!it->unit[0])
		snprintf(it->unit, sizeof it->unit, "%s", it->weighed ? "kg" : "pcs");
}

static enum cm_rc apply_item_row(struct store *st, sqlite3_stmt *s, struct sync_applied *out)
{
	struct item_rec it;
	char codes[8][16];
	size_t n;
	if (store_staged_item(s, &it, codes, &n)) {
		out->deleted++;
		return deactivate_item(st, it.sku);
	}
	enum cm_rc rc = release_codes(st, &it, (const char (*)[16])codes, n);
	int64_t id;
	if (rc == CM_OK)
		rc = store_item_upsert(st, &it, (const char (*)[16])codes, n, &id, NULL);
	if (rc == CM_OK)
		out->upserted++;
	return rc;
}

/* Walks the staged rows in the order HQ sent them. */
static enum cm_rc apply_rows(struct store *st, int64_t upto, struct sync_applied *out)
{
	static const char cat[] =
		"SELECT deleted, sku, name, receipt_name, unit, weighed, price, member_price, "
		"tax_class, category, supplier, plu, active, barcodes FROM catalogue_staging "
		"WHERE upto = ?1 ORDER BY n";
	sqlite3_stmt *s = store_stmt(st, cat);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	enum cm_rc rc = CM_OK;
	int src;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW)
		rc = apply_item_row(st, s, out);
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = store_fail(st, src, _("reading staged pages"));
	sqlite3_reset(s);
	return rc;
}

enum cm_rc store_sync_set_version(struct store *st, enum sync_kind kind, int64_t v)
{
	static const char cat[] = "UPDATE sync_state SET catalogue_version = ?1 WHERE id = 1";
	static const char mem[] = "UPDATE sync_state SET members_version = ?1 WHERE id = 1";
	sqlite3_stmt *s = store_stmt(st, kind == SYNC_CATALOGUE ? cat : mem);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, v);
	return store_step_done(st, s, _("saving the pulled version"));
}

/* The journal event: a pulled catalogue changes prices at the store, so
 * the store's own record says when and to which HQ version. */
enum cm_rc store_sync_journal_pull(struct store *st, enum sync_kind kind, const struct sync_pull *p,
                               const struct sync_applied *a, int64_t now)
{
	struct canon *c = canon_new();
	if (!c)
		return CM_NOMEM;
	canon_obj_begin(c, NULL);
	canon_int(c, "since", p->since);
	canon_int(c, "upto", p->upto);
	canon_int(c, "count", a->upserted);
	canon_int(c, "deleted", a->deleted);
	canon_obj_end(c);
	char *payload = canon_take(c);
	if (!payload) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = journal_append(st, kind == SYNC_CATALOGUE ? "catalogue_pulled"
	                                                          : "members_pulled",
	                               now, 0, payload, NULL);
	free(payload);
	return rc;
}

/* A large catalogue pull defers the name search index (items_fts): with
 * its triggers in place every statement of the apply ends with a savepoint
 * release that makes FTS5 flush its pending terms as a new segment, which
 * is most of the apply's time (200,000 items: ~19 s). In the apply's
 * transaction the triggers on items that feed items_fts are dropped, then
 * made again from their own SQL and the index rebuilt (a few seconds for
 * 200,000 items); a rollback undoes all of it. Small pulls keep the
 * triggers: a rebuild costs the whole catalogue. */
#define FTS_DEFER_ROWS 5000
#define FTS_TRIGGERS_MAX 8

struct fts_triggers {
	char *sql[FTS_TRIGGERS_MAX];
	size_t n;
};

static void fts_triggers_free(struct fts_triggers *t)
{
	for (size_t i = 0; i < t->n; i++)
		sqlite3_free(t->sql[i]);
	t->n = 0;
}

static enum cm_rc exec_sql(struct store *st, const char *sql)
{
	int src = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return src == SQLITE_OK ? CM_OK : store_fail(st, src, _("applying the catalogue"));
}

static enum cm_rc fts_defer(struct store *st, struct fts_triggers *t)
{
	static const char sql[] =
		"SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'items' "
		"AND sql LIKE '%items_fts%' ORDER BY name";
	char drop[200];
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int src;
	t->n = 0;
	while ((src = sqlite3_step(s)) == SQLITE_ROW && t->n < FTS_TRIGGERS_MAX) {
		if (!(t->sql[t->n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(s, 1)))) {
			sqlite3_reset(s);
			fts_triggers_free(t);
			store_seterr(st, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		t->n++;
	}
	enum cm_rc rc = src == SQLITE_ROW || src == SQLITE_DONE
	                ? CM_OK : store_fail(st, src, _("applying the catalogue"));
	sqlite3_reset(s);
	/* The names again, for DROP (the statement was reset). */
	for (size_t i = 0; rc == CM_OK && i < t->n; i++) {
		const char *name = t->sql[i] + strlen("CREATE TRIGGER ");
		size_t len = strcspn(name, " \t\n");
		if (strncmp(t->sql[i], "CREATE TRIGGER ", 15) != 0 || len >= 100) {
			store_seterr(st, "%s", _("applying the catalogue"));
			rc = CM_STATE;
			break;
		}
		snprintf(drop, sizeof drop, "DROP TRIGGER %.*s", (int)len, name);
		rc = exec_sql(st, drop);
	}
	if (rc != CM_OK)
		fts_triggers_free(t);
	return rc;
}

static enum cm_rc fts_restore(struct store *st, struct fts_triggers *t)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < t->n; i++)
		rc = exec_sql(st, t->sql[i]);
	if (rc == CM_OK)
		rc = exec_sql(st, "INSERT INTO items_fts(items_fts) VALUES ('rebuild')");
	fts_triggers_free(t);
	return rc;
}

/* ---- a big catalogue pull: built beside the live one (store_catgen.c) ---- */

/* Above this many staged rows the catalogue is built beside the live one
 * and switched in, so the till never waits; below, one transaction is
 * short enough (about 50 ms with the search index kept by triggers). */
#define CATGEN_ROWS 500

struct pull_finish {
	const struct sync_pull *p;
	int64_t now;
};

/* Inside the switch: the version, the journal event and the end of the
 * pull (its staged rows go afterwards, a few thousand at a time). */
static enum cm_rc catgen_finish(struct store *st, const struct catgen_result *r, void *ctx)
{
	static const char done[] = "DELETE FROM sync_pull WHERE kind = 'catalogue'";
	const struct pull_finish *f = ctx;
	struct sync_applied a = { .upserted = r->upserted, .deleted = r->deleted };
	enum cm_rc rc = store_sync_set_version(st, SYNC_CATALOGUE, f->p->upto);
	if (rc == CM_OK)
		rc = store_sync_journal_pull(st, SYNC_CATALOGUE, f->p, &a, f->now);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, done) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	return rc == CM_OK ? store_step_done(st, s, _("applying the catalogue")) : rc;
}

/* CM_STATE with *fallback: the tables cannot be switched; apply in one
 * transaction instead. */
static enum cm_rc apply_beside(struct store *st, int64_t now, struct sync_applied *out,
                               bool *fallback)
{
	struct sync_pull p;
	*fallback = false;
	enum cm_rc rc = store_sync_pull_get(st, SYNC_CATALOGUE, &p);
	if (rc != CM_OK || p.next[0] || p.rows < CATGEN_ROWS) {
		*fallback = true;
		return CM_STATE;
	}
	struct pull_finish f = { .p = &p, .now = now };
	struct catgen_result r;
	rc = store_catgen_apply(st, p.upto, catgen_finish, &f, &r);
	if (rc == CM_STATE) {
		*fallback = true;
		return rc;
	}
	out->upserted = r.upserted;
	out->deleted = r.deleted;
	return rc;
}

enum cm_rc store_sync_direct_finish(struct store *st, struct catgen *g, int64_t now,
                                    struct sync_applied *out)
{
	struct sync_pull p;
	memset(out, 0, sizeof *out);
	enum cm_rc rc = store_sync_pull_get(st, SYNC_CATALOGUE, &p);
	if (rc == CM_NOTFOUND || (rc == CM_OK && p.next[0])) {
		store_seterr(st, "%s", _("applying a pull: not every page has arrived"));
		rc = CM_STATE;
	}
	if (rc != CM_OK) {
		store_catgen_pull_abort(g);
		return rc;
	}
	struct pull_finish f = { .p = &p, .now = now };
	struct catgen_result r;
	rc = store_catgen_pull_finish(g, catgen_finish, &f, &r);
	out->upserted = r.upserted;
	out->deleted = r.deleted;
	return rc;
}

enum cm_rc store_sync_staged_rows(struct store *st, int64_t upto, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM catalogue_staging WHERE upto = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	return one_int(st, s, n, _("reading staged pages"));
}

enum cm_rc store_sync_apply(struct store *st, enum sync_kind kind, int64_t now,
                            struct sync_applied *out)
{
	struct fts_triggers fts = { .n = 0 };
	bool deferred = false;
	struct sync_pull p;
	if (kind == SYNC_MEMBERS)
		return store_sync_members_apply(st, now, out);
	memset(out, 0, sizeof *out);
	if (kind == SYNC_CATALOGUE) {
		bool fallback;
		enum cm_rc brc = apply_beside(st, now, out, &fallback);
		if (!fallback)
			return brc;
	}
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = store_sync_pull_get(st, kind, &p);
	if (rc == CM_NOTFOUND || (rc == CM_OK && p.next[0])) {
		store_seterr(st, "%s", _("applying a pull: not every page has arrived"));
		rc = CM_STATE;
	}
	if (rc == CM_OK && kind == SYNC_CATALOGUE && p.rows >= FTS_DEFER_ROWS) {
		rc = fts_defer(st, &fts);
		deferred = rc == CM_OK;
	}
	if (rc == CM_OK)
		rc = apply_rows(st, p.upto, out);
	if (rc == CM_OK && deferred)
		rc = fts_restore(st, &fts);
	if (rc == CM_OK)
		rc = store_sync_set_version(st, kind, p.upto);
	if (rc == CM_OK)
		rc = store_sync_journal_pull(st, kind, &p, out, now);
	if (rc == CM_OK)
		rc = store_sync_stage_reset(st, kind);
	fts_triggers_free(&fts);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

/* ---- the status bar ---- */

enum cm_rc store_sync_summary(struct store *st, struct sync_summary *out)
{
	static const char sql[] =
		"SELECT max(last_push_ok_at, last_pull_ok_at), "
		"(SELECT count(*) FROM sync_alerts WHERE cleared_at IS NULL) "
		"FROM sync_state WHERE id = 1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->last_ok_at = sqlite3_column_int64(s, 0);
		out->open_alerts = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, _("reading the sync state"));
	return store_sync_waiting(st, &out->waiting);
}

/* ---- purchase orders from HQ ---- */

/* Local midnight of a yyyymmdd date, as unix seconds. */
static int64_t date_start(int32_t date)
{
	struct tm tm = { .tm_year = date / 10000 - 1900, .tm_mon = date / 100 % 100 - 1,
	                 .tm_mday = date % 100, .tm_isdst = -1 };
	return (int64_t)mktime(&tm);
}

static enum cm_rc order_add(struct store *st, const struct sync_order *o,
                            struct sync_orders_result *out)
{
	static const char known[] = "SELECT 1 FROM purchase_orders WHERE po_no = ?1";
	static const char supplier_add[] = "INSERT OR IGNORE INTO suppliers(name) VALUES (?1)";
	static const char head[] =
		"INSERT INTO purchase_orders(po_no, supplier_id, ordered_at) "
		"SELECT ?1, id, ?3 FROM suppliers WHERE name = ?2";
	static const char line[] =
		"INSERT INTO purchase_order_lines(po_id, line_no, item_id, qty, unit_cost) "
		"SELECT ?1, ?2, id, ?4, ?5 FROM items WHERE sku = ?3";
	sqlite3_stmt *s = store_stmt(st, known);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, o->po, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW) {
		out->known++;
		return CM_OK;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, _("saving purchase orders"));
	enum cm_rc r;
	if (!(s = store_stmt(st, supplier_add)))
		return CM_IO;
	sqlite3_bind_text(s, 1, o->supplier, -1, SQLITE_STATIC);
	if ((r = store_step_done(st, s, _("saving purchase orders"))) != CM_OK)
		return r;
	if (!(s = store_stmt(st, head)))
		return CM_IO;
	sqlite3_bind_text(s, 1, o->po, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, o->supplier, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, date_start(o->date));
	if ((r = store_step_done(st, s, _("saving purchase orders"))) != CM_OK)
		return r;
	int64_t id = sqlite3_last_insert_rowid(st->db);
	int64_t n = 0;
	for (size_t i = 0; i < o->nlines; i++) {
		if (!(s = store_stmt(st, line)))
			return CM_IO;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, n + 1);
		sqlite3_bind_text(s, 3, o->lines[i].sku, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, o->lines[i].qty);
		sqlite3_bind_int64(s, 5, o->lines[i].cost);
		if ((r = store_step_done(st, s, _("saving purchase orders"))) != CM_OK)
			return r;
		if (sqlite3_changes(st->db) == 0)
			out->missing_lines++;
		else
			n++;
	}
	out->added++;
	return CM_OK;
}

static enum cm_rc journal_orders(struct store *st, const struct sync_order *o, size_t n,
                                 int64_t upto, const struct sync_orders_result *r, int64_t now)
{
	struct canon *c = canon_new();
	if (!c)
		return CM_NOMEM;
	canon_obj_begin(c, NULL);
	canon_int(c, "upto", upto);
	canon_int(c, "added", r->added);
	canon_int(c, "known", r->known);
	canon_int(c, "missing_lines", r->missing_lines);
	canon_arr_begin(c, "orders");
	for (size_t i = 0; i < n; i++)
		canon_str(c, NULL, o[i].po);
	canon_arr_end(c);
	canon_obj_end(c);
	char *payload = canon_take(c);
	if (!payload) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = journal_append(st, "orders_pulled", now, 0, payload, NULL);
	free(payload);
	return rc;
}

enum cm_rc store_sync_orders_apply(struct store *st, const struct sync_order *o, size_t n,
                                   int64_t upto, int64_t now, struct sync_orders_result *out)
{
	static const char version[] = "UPDATE sync_state SET orders_version = ?1 WHERE id = 1";
	memset(out, 0, sizeof *out);
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return rc;
	for (size_t i = 0; rc == CM_OK && i < n; i++)
		rc = order_add(st, &o[i], out);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, version) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, upto);
		rc = store_step_done(st, s, _("saving the pulled version"));
	}
	if (rc == CM_OK && n)
		rc = journal_orders(st, o, n, upto, out, now);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}
