/* What HQ holds about one receipt, for the receipt check (hqcheck.h). */
#include "hqstore_int.h"

#include <string.h>

static enum cm_rc terminal_head(struct db *db, const char *store, const char *terminal,
                                int64_t *key, int64_t *head)
{
	struct db_q *q = db_query(db, DB_SQL("SELECT t.id, h.seq FROM terminals t "
	                                     "JOIN heads h ON h.store = t.store AND h.terminal = t.id "
	                                     "WHERE t.store = ?1 AND t.terminal = ?2 "
	                                     "AND t.operator = 0"),
	                          N_("looking up the terminal"), "tt", store, terminal);
	bool found = db_row(q);
	if (found) {
		*key = db_int(q, 0);
		*head = db_int(q, 1);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no terminal %s/%s is enrolled"), store, terminal);
	return rc;
}

enum cm_rc hqstore_receipt_get(struct hqstore *st, const char *store, const char *terminal,
                               int64_t seq, struct hq_receipt *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	int64_t key = 0;
	enum cm_rc rc = terminal_head(db, store, terminal, &key, &out->head);
	if (rc != CM_OK || seq > out->head)
		return rc;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT e.type, e.hash, coalesce(s.receipt, r.return_no, ''), "
		"coalesce(s.due, r.refund, 0), coalesce(s.date, r.date, 0), "
		"CASE WHEN s.seq IS NULL AND r.seq IS NULL THEN 0 ELSE 1 END "
		"FROM events e "
		"LEFT JOIN sales s ON s.store = e.store AND s.terminal = e.terminal AND s.seq = e.seq "
		"LEFT JOIN returns r ON r.store = e.store AND r.terminal = e.terminal AND r.seq = e.seq "
		"WHERE e.store = ?1 AND e.terminal = ?2 AND e.seq = ?3"),
		N_("reading an event"), "tii", store, key, seq);
	if (db_row(q)) {
		out->held = true;
		db_text(q, 0, out->type, sizeof out->type);
		db_hash(q, 1, out->hash);
		db_text(q, 2, out->receipt, sizeof out->receipt);
		out->due = db_int(q, 3);
		out->date = (int32_t)db_int(q, 4);
		out->in_ledger = db_int(q, 5) != 0;
	}
	return db_end(q);
}
