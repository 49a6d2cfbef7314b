/* Terminals' journal events at HQ, their heads, and alerts (hqstore.h). */
#include "hqstore_int.h"

#include <string.h>
#include <time.h>

/* Past this many rows of one kind from one terminal within an hour, new
 * alerts of that kind are counted on the newest instead of adding rows. */
#define ALERT_ROWS_PER_HOUR 10

enum cm_rc hqstore_head(struct hqstore *st, const struct hq_terminal *t, struct hq_head *out)
{
	static const struct db_sql plain = {
		"SELECT seq, hash, gap_seq FROM heads WHERE store = ?1 AND terminal = ?2", NULL };
	/* SQLite's write transaction excludes other writers already. */
	static const struct db_sql locked = {
		"SELECT seq, hash, gap_seq FROM heads WHERE store = ?1 AND terminal = ?2",
		"SELECT seq, hash, gap_seq FROM heads WHERE store = ?1 AND terminal = ?2 FOR UPDATE" };
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, db_in_tx(db) ? &locked : &plain,
	                          N_("reading the terminal's head"), "ti", t->store, t->key);
	if (db_row(q)) {
		out->seq = db_int(q, 0);
		db_hash(q, 1, out->hash);
		out->gap_seq = db_int(q, 2);
	}
	return db_end(q);
}

enum cm_rc hqstore_event_hash(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                              uint8_t out[CHAIN_HASH_LEN])
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT hash FROM events "
	                                     "WHERE store = ?1 AND terminal = ?2 AND seq = ?3"),
	                          N_("reading an event"), "tii", t->store, t->key, seq);
	bool found = db_row(q);
	if (found)
		db_hash(q, 0, out);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("event %lld is not held"), (long long)seq);
	return rc;
}

enum cm_rc hqstore_event_insert(struct hqstore *st, const struct hq_terminal *t,
                                const struct hq_event *e, int64_t received_at)
{
	struct db *db = hq_db(st);
	return db ? db_add(db, DB_SQL("INSERT INTO events(store, terminal, seq, type, at, user_id, "
	                              "payload, prev_hash, hash, received_at, sig) "
	                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
	                   N_("storing an event"), "tiitiithhit", t->store, t->key, e->seq, e->type,
	                   e->at, e->user, e->payload, e->prev_hash, e->hash, received_at, e->sig)
	          : CM_IO;
}

enum cm_rc hqstore_gap_note(struct hqstore *st, const struct hq_terminal *t, int64_t gap_seq)
{
	struct db *db = hq_db(st);
	return db ? db_run(db, DB_SQL("UPDATE heads SET gap_seq = ?3 "
	                              "WHERE store = ?1 AND terminal = ?2"),
	                   N_("noting a gap"), NULL, "tii", t->store, t->key, gap_seq)
	          : CM_IO;
}

/* The id of the alert a new one of this kind is counted on, or 0 when it
 * takes a row of its own: the terminal's newest alert when it is of the
 * same kind and says the same, or when the terminal has raised that kind
 * too often lately; never an alert an operator has acknowledged. */
static enum cm_rc alert_target(struct db *db, const char *store, const char *terminal,
                               const char *kind, const char *detail, int64_t *id)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT id, kind, last_detail FROM alerts "
	                                     "WHERE store = ?1 AND terminal = ?2 "
	                                     "AND acked_at IS NULL "
	                                     "ORDER BY id DESC LIMIT 1"),
	                          N_("reading alerts"), "tt", store, terminal);
	*id = 0;
	bool same_kind = false;
	if (db_row(q) && strcmp(db_str(q, 1), kind) == 0) {
		same_kind = true;
		if (strcmp(db_str(q, 2), detail) == 0)
			*id = db_int(q, 0);
		else
			*id = -db_int(q, 0);      /* counted there only if the kind floods */
	}
	enum cm_rc rc = db_end(q);
	if (rc != CM_OK || !same_kind || *id > 0)
		return rc;
	q = db_query(db, DB_SQL("SELECT count(*) FROM alerts WHERE store = ?1 AND terminal = ?2 "
	                        "AND kind = ?3 AND at > ?4 AND acked_at IS NULL"),
	             N_("reading alerts"), "ttti", store, terminal, kind, hq_now() - 3600);
	int64_t recent = db_row(q) ? db_int(q, 0) : 0;
	if ((rc = db_end(q)) == CM_OK)
		*id = recent >= ALERT_ROWS_PER_HOUR ? -*id : 0;
	return rc;
}

enum cm_rc hqstore_alert(struct hqstore *st, const char *store, const char *terminal,
                         const char *kind, const char *detail)
{
	return hqstore_alert_seq(st, store, terminal, kind, 0, detail);
}

enum cm_rc hqstore_alert_seq(struct hqstore *st, const char *store, const char *terminal,
                             const char *kind, int64_t seq, const char *detail)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t id;
	enum cm_rc rc = alert_target(db, store, terminal, kind, detail, &id);
	if (rc != CM_OK)
		return rc;
	if (id > 0)
		return db_run(db, DB_SQL("UPDATE alerts SET count = count + 1, last_at = ?3, "
		                         "last_detail = ?4 WHERE store = ?1 AND id = ?2"),
		              N_("recording an alert"), NULL, "tiit", store, id, hq_now(), detail);
	return db_run(db, DB_SQL("INSERT INTO alerts(at, store, terminal, kind, detail, last_at, "
	                         "last_detail, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?1, ?5, ?6)"),
	              N_("recording an alert"), NULL, "itttti", hq_now(), store, terminal, kind,
	              detail, seq);
}

enum cm_rc hqstore_alert_ack(struct hqstore *st, int64_t id, const char *by, const char *note,
                             int64_t now)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t changed = 0;
	enum cm_rc rc = db_run(db, DB_SQL("UPDATE alerts SET acked_at = ?2, acked_by = ?3, "
	                                  "ack_note = ?4 WHERE id = ?1 AND acked_at IS NULL"),
	                       N_("acknowledging an alert"), &changed, "iitt", id, now, by, note);
	if (rc != CM_OK || changed)
		return rc;
	struct db_q *q = db_query(db, DB_SQL("SELECT acked_by, acked_at FROM alerts WHERE id = ?1"),
	                          N_("reading alerts"), "i", id);
	char who[64] = "";
	int64_t when = 0;
	bool found = db_row(q);
	if (found) {
		db_text(q, 0, who, sizeof who);
		when = db_int(q, 1);
	}
	if ((rc = db_end(q)) != CM_OK)
		return rc;
	if (!found)
		return db_fail(CM_NOTFOUND, _("there is no alert %lld"), (long long)id);
	char at[32];
	time_t t = (time_t)when;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%d %H:%M:%SZ", &tm);
	return db_fail(CM_STATE, _("alert %lld was acknowledged already, by %s at %s"),
	               (long long)id, who, at);
}
