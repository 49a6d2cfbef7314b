/* HQ's backups: the online copy and the checks a copy must pass
 * (hqstore.h). The chain check is the push route's rule applied to every
 * event held: hash = H(prev_hash || canonical bytes), prev_hash = the
 * hash of the terminal's previous event, sequence numbers contiguous. */
#include "hqstore_int.h"

#include <stdio.h>
#include <string.h>

enum cm_rc hqstore_backup(struct hqstore *st, const char *dest)
{
	struct db *db = hq_db(st);
	return db ? db_backup(db, dest) : CM_IO;
}

/* Where one terminal's chain stands while its events are read in order. */
struct chain_pos {
	int64_t key;                      /* terminals.id, 0 before the first */
	int64_t seq;
	uint8_t hash[CHAIN_HASH_LEN];
};

static enum cm_rc check_event(struct db_q *q, struct chain_pos *pos)
{
	char store[32], term[16];
	uint8_t prev[CHAIN_HASH_LEN], hash[CHAIN_HASH_LEN], got[CHAIN_HASH_LEN];
	int64_t key = db_int(q, 0), seq = db_int(q, 3);
	db_text(q, 1, store, sizeof store);
	db_text(q, 2, term, sizeof term);
	db_hash(q, 8, prev);
	db_hash(q, 9, hash);
	struct chain_event ce = { .terminal = term, .seq = seq, .type = db_str(q, 4),
	                          .time = db_int(q, 5), .user_id = db_int(q, 6),
	                          .payload = db_str(q, 7) };
	if (chain_hash(prev, &ce, got) != CM_OK || memcmp(got, hash, CHAIN_HASH_LEN) != 0)
		return db_fail(CM_CORRUPT, _("terminal %s/%s, event %lld: its hash does not match "
		                             "its content"), store, term, (long long)seq);
	bool same = key == pos->key;
	if (same && (seq != pos->seq + 1 || memcmp(prev, pos->hash, CHAIN_HASH_LEN) != 0))
		return db_fail(CM_CORRUPT, _("terminal %s/%s, event %lld: it does not follow event "
		                             "%lld"), store, term, (long long)seq, (long long)pos->seq);
	pos->key = key;
	pos->seq = seq;
	memcpy(pos->hash, hash, CHAIN_HASH_LEN);
	return CM_OK;
}

enum cm_rc hqstore_check(struct hqstore *st, int64_t *events)
{
	*events = 0;
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	enum cm_rc rc = db_integrity_check(db);
	if (rc != CM_OK)
		return rc;
	struct db_q *q = db_query(db, DB_SQL("SELECT t.id, t.store, t.terminal, e.seq, e.type, "
	                                     "e.at, e.user_id, e.payload, e.prev_hash, e.hash "
	                                     "FROM events e JOIN terminals t ON t.id = e.terminal "
	                                     "ORDER BY t.id, e.seq"),
	                          N_("reading the events"), "");
	struct chain_pos pos = {0};
	while (rc == CM_OK && db_row(q)) {
		rc = check_event(q, &pos);
		*events += rc == CM_OK;
	}
	enum cm_rc qrc = db_end(q);
	return rc != CM_OK ? rc : qrc;
}
