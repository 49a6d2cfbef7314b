/* The append-only journal: appending events to this terminal's hash chain
 * and verifying the chain. Hashing and canonical bytes: core/chain.c. */
#include "store/store_int.h"
#include "store/store_sign.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int entry_row(sqlite3_stmt *s, struct journal_entry *out)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->seq = sqlite3_column_int64(s, 0);
		out->at = sqlite3_column_int64(s, 1);
		out->user_id = sqlite3_column_int64(s, 2);
		store_col_text(s, 3, out->type, sizeof out->type);
		if (sqlite3_column_bytes(s, 4) == CHAIN_HASH_LEN)
			memcpy(out->hash, sqlite3_column_blob(s, 4), CHAIN_HASH_LEN);
		if (sqlite3_column_bytes(s, 5) == CHAIN_HASH_LEN)
			memcpy(out->prev_hash, sqlite3_column_blob(s, 5), CHAIN_HASH_LEN);
	}
	sqlite3_reset(s);
	return rc;
}

enum cm_rc journal_head(struct store *st, struct journal_entry *out)
{
	static const char sql[] =
		"SELECT seq, at, user_id, type, hash, prev_hash FROM journal "
		"WHERE terminal_id = ?1 ORDER BY seq DESC LIMIT 1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = entry_row(s, out);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, _("reading the journal"));
	return CM_OK;
}

enum cm_rc journal_get(struct store *st, int64_t seq, struct journal_entry *out)
{
	static const char sql[] =
		"SELECT seq, at, user_id, type, hash, prev_hash FROM journal "
		"WHERE terminal_id = ?1 AND seq = ?2";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, seq);
	int rc = entry_row(s, out);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("journal event %lld not found"), (long long)seq);
		return CM_NOTFOUND;
	}
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("reading the journal"));
}

enum cm_rc journal_append(struct store *st, const char *type, int64_t at,
                          int64_t user_id, const char *payload,
                          struct journal_entry *out)
{
	static const char sql[] =
		"INSERT INTO journal(terminal_id, seq, type, at, user_id, payload, prev_hash, hash, sig) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	static const char unsigned_sql[] =
		"INSERT INTO journal(terminal_id, seq, type, at, user_id, payload, prev_hash, hash) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	if (sqlite3_get_autocommit(st->db)) {
		store_seterr(st, "journal_append outside a transaction");
		return CM_STATE;
	}
	struct journal_entry head;
	enum cm_rc rc = journal_head(st, &head);
	if (rc != CM_OK)
		return rc;
	struct journal_entry e = { .seq = head.seq + 1, .at = at, .user_id = user_id };
	snprintf(e.type, sizeof e.type, "%s", type);
	memcpy(e.prev_hash, head.hash, CHAIN_HASH_LEN);
	struct chain_event ev = {
		.terminal = st->terminal, .seq = e.seq, .type = type,
		.time = at, .user_id = user_id, .payload = payload,
	};
	rc = chain_hash(e.prev_hash, &ev, e.hash);
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, st->journal_sig ? sql : unsigned_sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, e.seq);
	sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, at);
	sqlite3_bind_int64(s, 5, user_id);
	sqlite3_bind_text(s, 6, payload, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 7, e.prev_hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, e.hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	/* Unsigned when the key could not be read (st->sign_note): the sale
	 * still goes through, and journal verify and HQ name the event. */
	e.has_sig = st->journal_sig && store_sign_hash(st, e.hash, e.sig);
	if (e.has_sig)
		sqlite3_bind_blob(s, 9, e.sig, STORE_SIG_LEN, SQLITE_STATIC);
	rc = store_step_done(st, s, _("writing the journal"));
	if (rc == CM_OK && out)
		*out = e;
	return rc;
}

static void bad(struct journal_check *c, int64_t seq, const char *why)
{
	c->bad_seq = seq;
	snprintf(c->why, sizeof c->why, "%s", why);
}

/* Checks every completed sale against the event that journaled it: the
 * receipt number and money in the event payload, every line (SKU, qty,
 * price, net), the tenders and the PPN must match the rows, so an edit of
 * the sales tables behind the triggers' back is named like an edit of the
 * journal itself. */
static enum cm_rc verify_sales(struct store *st, int64_t from, struct journal_check *c)
{
	static const char sql[] =
		"SELECT s.journal_seq, s.receipt_no FROM sales s "
		"LEFT JOIN journal j ON j.terminal_id = s.terminal_id AND j.seq = s.journal_seq "
		"WHERE s.journal_seq > ?1 AND (j.seq IS NULL OR j.type <> 'sale' "
		"   OR json_extract(j.payload, '$.receipt') IS NOT s.receipt_no "
		"   OR json_extract(j.payload, '$.total') IS NOT s.total "
		"   OR json_extract(j.payload, '$.due') IS NOT s.due "
		"   OR json_extract(j.payload, '$.paid') IS NOT s.paid "
		"   OR json_extract(j.payload, '$.change') IS NOT s.change "
		/* members' dues: the total and every row as journaled */
		"   OR COALESCE(json_extract(j.payload, '$.dues_total'), 0) IS NOT s.dues "
		"   OR (SELECT COALESCE(sum(amount), 0) FROM sale_dues d WHERE d.sale_id = s.id) "
		"      IS NOT s.dues "
		"   OR (SELECT count(*) FROM sale_dues d WHERE d.sale_id = s.id) "
		"      IS NOT COALESCE(json_array_length(j.payload, '$.dues'), 0) "
		"   OR EXISTS (SELECT 1 FROM sale_dues d "
		"      LEFT JOIN json_each(j.payload, '$.dues') e ON e.key = d.n - 1 "
		"      WHERE d.sale_id = s.id AND (e.value IS NULL "
		"        OR json_extract(e.value, '$.kind') IS NOT "
		"           CASE d.kind WHEN 0 THEN 'pokok' WHEN 1 THEN 'wajib' ELSE 'sukarela' END "
		"        OR json_extract(e.value, '$.month') IS NOT d.month "
		"        OR json_extract(e.value, '$.amount') IS NOT d.amount)) "
		/* every line as journaled, and no line more or less */
		"   OR (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) "
		"      IS NOT json_array_length(j.payload, '$.lines') "
		"   OR EXISTS (SELECT 1 FROM sale_lines l "
		"      LEFT JOIN json_each(j.payload, '$.lines') e "
		"        ON json_extract(e.value, '$.line') = l.line_no "
		"      WHERE l.sale_id = s.id AND (e.value IS NULL "
		"        OR json_extract(e.value, '$.sku') IS NOT l.sku "
		"        OR json_extract(e.value, '$.qty') IS NOT l.qty "
		"        OR json_extract(e.value, '$.price') IS NOT l.unit_price "
		"        OR json_extract(e.value, '$.net') IS NOT l.net)) "
		/* tenders and tax rows add up to what was journaled */
		"   OR (SELECT count(*) FROM sale_tenders t WHERE t.sale_id = s.id) "
		"      IS NOT json_array_length(j.payload, '$.tenders') "
		"   OR (SELECT COALESCE(sum(amount), 0) FROM sale_tenders t WHERE t.sale_id = s.id) "
		"      IS NOT s.paid "
		"   OR (SELECT COALESCE(sum(tax), 0) FROM sale_taxes x WHERE x.sale_id = s.id) "
		"      IS NOT (SELECT COALESCE(sum(json_extract(e.value, '$.tax')), 0) "
		"              FROM json_each(j.payload, '$.taxes') e)) "
		"ORDER BY s.journal_seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, from);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char why[200];
		snprintf(why, sizeof why, _("sale %s does not match its journal event"),
		         (const char *)sqlite3_column_text(s, 1));
		bad(c, sqlite3_column_int64(s, 0), why);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking sales"));
}

/* Every completed return agrees with its "return" event: number, total,
 * refund, each line, and tenders that add up to the refund. */
static enum cm_rc verify_returns(struct store *st, int64_t from, struct journal_check *c)
{
	static const char sql[] =
		"SELECT r.journal_seq, r.return_no FROM returns r "
		"LEFT JOIN journal j ON j.terminal_id = r.terminal_id AND j.seq = r.journal_seq "
		"WHERE r.journal_seq > ?1 AND (j.seq IS NULL OR j.type <> 'return' "
		"   OR json_extract(j.payload, '$.return') IS NOT r.return_no "
		"   OR json_extract(j.payload, '$.total') IS NOT r.total "
		"   OR json_extract(j.payload, '$.refund') IS NOT r.refund "
		"   OR (SELECT count(*) FROM return_lines l WHERE l.return_id = r.id) "
		"      IS NOT json_array_length(j.payload, '$.lines') "
		"   OR EXISTS (SELECT 1 FROM return_lines l "
		"      LEFT JOIN json_each(j.payload, '$.lines') e ON json_extract(e.value, '$.n') = l.n "
		"      WHERE l.return_id = r.id AND (e.value IS NULL "
		"        OR json_extract(e.value, '$.sku') IS NOT l.sku "
		"        OR json_extract(e.value, '$.qty') IS NOT l.qty "
		"        OR json_extract(e.value, '$.amount') IS NOT l.amount)) "
		"   OR (SELECT COALESCE(sum(amount), 0) FROM return_tenders t WHERE t.return_id = r.id) "
		"      IS NOT r.refund) "
		"ORDER BY r.journal_seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, from);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char why[200];
		snprintf(why, sizeof why, _("return %s does not match its journal event"),
		         (const char *)sqlite3_column_text(s, 1));
		bad(c, sqlite3_column_int64(s, 0), why);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking returns"));
}

static enum cm_rc check_row(sqlite3_stmt *s, struct store *st, int64_t expect_seq,
                            const uint8_t prev[CHAIN_HASH_LEN],
                            uint8_t hash_out[CHAIN_HASH_LEN], struct journal_check *c)
{
	int64_t seq = sqlite3_column_int64(s, 0);
	if (seq != expect_seq) {
		char why[200];
		snprintf(why, sizeof why, _("sequence number %lld is missing"), (long long)expect_seq);
		bad(c, expect_seq, why);
		return CM_CORRUPT;
	}
	if (sqlite3_column_bytes(s, 5) != CHAIN_HASH_LEN ||
	    sqlite3_column_bytes(s, 6) != CHAIN_HASH_LEN ||
	    memcmp(sqlite3_column_blob(s, 5), prev, CHAIN_HASH_LEN) != 0) {
		bad(c, seq, _("previous-hash link is broken"));
		return CM_CORRUPT;
	}
	struct chain_event ev = {
		.terminal = st->terminal, .seq = seq,
		.type = (const char *)sqlite3_column_text(s, 1),
		.time = sqlite3_column_int64(s, 2),
		.user_id = sqlite3_column_int64(s, 3),
		.payload = (const char *)sqlite3_column_text(s, 4),
	};
	if (!ev.type || !ev.payload) {
		bad(c, seq, _("event is incomplete"));
		return CM_CORRUPT;
	}
	enum cm_rc rc = chain_hash(prev, &ev, hash_out);
	if (rc != CM_OK)
		return rc;
	if (memcmp(hash_out, sqlite3_column_blob(s, 6), CHAIN_HASH_LEN) != 0) {
		bad(c, seq, _("event content does not match its hash (altered)"));
		return CM_CORRUPT;
	}
	return CM_OK;
}

/* The journal of this file is one terminal's: events under another
 * terminal id mean the id in the settings was changed behind the journal's
 * back (and the real chain would otherwise go unchecked). */
static enum cm_rc verify_terminal(struct store *st, struct journal_check *c)
{
	static const char sql[] =
		"SELECT terminal_id, min(seq) FROM journal WHERE terminal_id <> ?1 "
		"GROUP BY terminal_id LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char why[200];
		snprintf(why, sizeof why, _("the journal holds events of terminal %s, but this terminal is %s"),
		         (const char *)sqlite3_column_text(s, 0), st->terminal);
		bad(c, sqlite3_column_int64(s, 1), why);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading the journal"));
}

/* The journal against what HQ last acknowledged (sync_state): HQ holds
 * events up to acked_seq with head_hash, so a journal ending before it
 * lost its newest events, and a different hash there means the chain was
 * rewritten and recomputed since. (Whoever also edits sync_state escapes
 * this check, not the agent's, which asks HQ itself: PROTOCOL.md.) */
static enum cm_rc verify_acked(struct store *st, int64_t events, struct journal_check *c)
{
	static const char sql[] =
		"SELECT s.acked_seq, s.head_hash, lower(hex(j.hash)) FROM sync_state s "
		"LEFT JOIN journal j ON j.terminal_id = ?1 AND j.seq = s.acked_seq "
		"WHERE s.id = 1 AND s.acked_seq > 0";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	enum cm_rc out = CM_OK;
	if (rc == SQLITE_ROW) {
		int64_t acked = sqlite3_column_int64(s, 0);
		const char *hq = (const char *)sqlite3_column_text(s, 1);
		const char *ours = (const char *)sqlite3_column_text(s, 2);
		char why[200];
		if (acked > events) {
			snprintf(why, sizeof why, _("HQ acknowledged events up to %lld but the journal "
			         "ends at %lld: the newest events were removed"), (long long)acked,
			         (long long)events);
			bad(c, events + 1, why);
			out = CM_CORRUPT;
		} else if (hq && hq[0] && (!ours || strcmp(hq, ours) != 0)) {
			snprintf(why, sizeof why, _("event %lld is not the one HQ acknowledged (HQ "
			         "%.12s...): the journal was rewritten"), (long long)acked, hq);
			bad(c, acked, why);
			out = CM_CORRUPT;
		}
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? out : store_fail(st, rc, _("reading the sync state"));
}

/* From the 'signing_key' event on, every event carries a valid signature
 * of its hash by that key (the key event itself included). pk holds the
 * key once met; has_pk says so. */
static enum cm_rc check_sig(sqlite3_stmt *s, int64_t seq, const uint8_t hash[CHAIN_HASH_LEN],
                            uint8_t pk[32], bool *has_pk, struct journal_check *c)
{
	const char *key_hex = (const char *)sqlite3_column_text(s, 8);
	char why[200];
	if (key_hex && !*has_pk) {
		size_t n = 0;
		if (sodium_hex2bin(pk, 32, key_hex, strlen(key_hex), NULL, &n, NULL) != 0 || n != 32) {
			bad(c, seq, _("the signing key event holds no valid public key"));
			return CM_CORRUPT;
		}
		*has_pk = true;
	}
	if (!*has_pk)
		return CM_OK;
	if (sqlite3_column_bytes(s, 7) != STORE_SIG_LEN) {
		snprintf(why, sizeof why, _("event %lld is not signed, but this terminal signs every "
		         "event since it has a key"), (long long)seq);
		bad(c, seq, why);
		return CM_CORRUPT;
	}
	if (crypto_sign_verify_detached(sqlite3_column_blob(s, 7), hash, CHAIN_HASH_LEN, pk) != 0) {
		bad(c, seq, _("the event's signature does not verify with this terminal's key"));
		return CM_CORRUPT;
	}
	return CM_OK;
}

/* Where a check from sequence `from` starts: that event's hash (the link
 * the next event must carry; verify_acked holds it against HQ's copy when
 * `from` is what HQ acknowledged) and the terminal's signing key if it was
 * journaled by then. */
static enum cm_rc chain_start(struct store *st, int64_t from, uint8_t prev[CHAIN_HASH_LEN],
                              uint8_t pk[32], bool *has_pk, struct journal_check *c)
{
	static const char sql[] =
		"SELECT hash, (SELECT json_extract(payload, '$.public_key') FROM journal k "
		"  WHERE k.terminal_id = ?1 AND k.type = 'signing_key' AND k.seq <= ?2 "
		"  ORDER BY k.seq LIMIT 1) "
		"FROM journal WHERE terminal_id = ?1 AND seq = ?2";
	memset(prev, 0, CHAIN_HASH_LEN);
	if (from == 0)
		return CM_OK;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	int rc = sqlite3_step(s);
	enum cm_rc out = CM_OK;
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == CHAIN_HASH_LEN) {
		memcpy(prev, sqlite3_column_blob(s, 0), CHAIN_HASH_LEN);
		const char *key_hex = (const char *)sqlite3_column_text(s, 1);
		size_t n = 0;
		if (key_hex && (sodium_hex2bin(pk, 32, key_hex, strlen(key_hex), NULL, &n, NULL) != 0 ||
		                n != 32)) {
			bad(c, from, _("the signing key event holds no valid public key"));
			out = CM_CORRUPT;
		}
		*has_pk = key_hex != NULL;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		char why[200];
		snprintf(why, sizeof why, _("sequence number %lld is missing"), (long long)from);
		bad(c, from, why);
		out = CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? out : store_fail(st, rc, _("reading the journal"));
}

/* The chain from `from` + 1 to the head: links, hashes and signatures.
 * *last is the newest sequence met (from when none). */
static enum cm_rc verify_chain(struct store *st, int64_t from, int64_t *last,
                               struct journal_check *c)
{
	static const char sql[] =
		"SELECT seq, type, at, user_id, payload, prev_hash, hash, sig, "
		"CASE WHEN type = 'signing_key' THEN json_extract(payload, '$.public_key') END "
		"FROM journal WHERE terminal_id = ?1 AND seq > ?2 ORDER BY seq";
	uint8_t pk[32], prev[CHAIN_HASH_LEN], cur[CHAIN_HASH_LEN];
	bool has_pk = false;
	enum cm_rc rc = chain_start(st, from, prev, pk, &has_pk, c);
	*last = from;
	if (rc != CM_OK)
		return rc;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from);
	int src;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		rc = check_row(s, st, *last + 1, prev, cur, c);
		if (rc == CM_OK)
			rc = check_sig(s, *last + 1, cur, pk, &has_pk, c);
		if (rc != CM_OK)
			break;
		memcpy(prev, cur, CHAIN_HASH_LEN);
		++*last;
		c->events++;
	}
	sqlite3_reset(s);
	if (rc != CM_OK)
		return rc;
	return src == SQLITE_DONE ? CM_OK : store_fail(st, src, _("reading the journal"));
}

enum cm_rc journal_verify_since(struct store *st, int64_t from, struct journal_check *c)
{
	int64_t last;
	struct journal_entry head;
	enum cm_rc rc;
	memset(c, 0, sizeof *c);
	/* From HQ's acknowledgement on, the event there must first be HQ's
	 * (else a rewritten chain would be reported as a broken link after it) */
	if (from > 0 && ((rc = journal_head(st, &head)) != CM_OK ||
	                 (rc = verify_acked(st, head.seq, c)) != CM_OK))
		return rc;
	if ((rc = verify_chain(st, from, &last, c)) != CM_OK)
		return rc;
	if ((rc = verify_terminal(st, c)) != CM_OK || (rc = verify_acked(st, last, c)) != CM_OK ||
	    (rc = verify_sales(st, from, c)) != CM_OK)
		return rc;
	if ((rc = store_shift_verify(st, c)) != CM_OK)
		return rc;
	if ((rc = verify_returns(st, from, c)) != CM_OK || (rc = store_count_verify(st, c)) != CM_OK)
		return rc;
	if ((rc = store_user_verify(st, c)) != CM_OK)
		return rc;
	return store_setting_verify(st, c);
}

enum cm_rc journal_verify(struct store *st, struct journal_check *c)
{
	return journal_verify_since(st, 0, c);
}

const char *store_journal_from_row(sqlite3_stmt *s, struct journal_entry *e)
{
	memset(e, 0, sizeof *e);
	e->seq = sqlite3_column_int64(s, 0);
	e->at = sqlite3_column_int64(s, 2);
	e->user_id = sqlite3_column_int64(s, 3);
	store_col_text(s, 1, e->type, sizeof e->type);
	if (sqlite3_column_bytes(s, 5) == CHAIN_HASH_LEN)
		memcpy(e->prev_hash, sqlite3_column_blob(s, 5), CHAIN_HASH_LEN);
	if (sqlite3_column_bytes(s, 6) == CHAIN_HASH_LEN)
		memcpy(e->hash, sqlite3_column_blob(s, 6), CHAIN_HASH_LEN);
	if (sqlite3_column_count(s) > 7 && sqlite3_column_bytes(s, 7) == STORE_SIG_LEN) {
		memcpy(e->sig, sqlite3_column_blob(s, 7), STORE_SIG_LEN);
		e->has_sig = true;
	}
	const char *payload = (const char *)sqlite3_column_text(s, 4);
	return payload ? payload : "";
}

enum cm_rc journal_each(struct store *st, int64_t from_seq, journal_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT seq, type, at, user_id, payload, prev_hash, hash FROM journal "
		"WHERE terminal_id = ?1 AND seq >= ?2 ORDER BY seq";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, from_seq);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct journal_entry e;
		const char *payload = store_journal_from_row(s, &e);
		fn(&e, payload, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("reading the journal"));
}
