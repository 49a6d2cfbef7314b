/* HQ's stores, terminals and their tokens (hqstore.h). */
#include "hqstore_int.h"

#include <string.h>

static enum cm_rc enroll_in(struct db *db, const char *store, const char *terminal, bool op,
                            bool all, const uint8_t hash[CHAIN_HASH_LEN], bool *replaced)
{
	int64_t n = 0;
	enum cm_rc rc = db_run(db, DB_SQL("INSERT INTO stores(code, created_at) VALUES (?1, ?2) "
	                                  "ON CONFLICT DO NOTHING"),
	                       N_("adding the store"), NULL, "ti", store, hq_now());
	if (rc == CM_OK)
		rc = db_run(db, DB_SQL("UPDATE terminals SET token_hash = ?3, operator = ?4, "
		                       "all_stores = ?5, revoked = 0 WHERE store = ?1 AND terminal = ?2"),
		            N_("enrolling the terminal"), &n, "tthii", store, terminal, hash, (int64_t)op,
		            (int64_t)all);
	if (rc != CM_OK || (*replaced = n > 0))
		return rc;
	struct db_q *q = db_query(db, DB_SQL("INSERT INTO terminals(store, terminal, token_hash, "
	                                     "operator, all_stores, enrolled_at) "
	                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"),
	                          N_("enrolling the terminal"), "tthiii", store, terminal, hash,
	                          (int64_t)op, (int64_t)all, hq_now());
	int64_t id = db_row(q) ? db_int(q, 0) : 0;
	if ((rc = db_end(q)) != CM_OK)
		return rc;
	return db_run(db, DB_SQL("INSERT INTO heads(store, terminal) VALUES (?1, ?2)"),
	              N_("enrolling the terminal"), NULL, "ti", store, id);
}

enum cm_rc hqstore_enroll(struct hqstore *st, const char *store, const char *terminal,
                          bool operator, bool all_stores,
                          const uint8_t token_hash[CHAIN_HASH_LEN], bool *replaced)
{
	struct db *db = hq_db(st);
	enum cm_rc rc = db ? db_begin(db, false) : CM_IO;
	if (rc != CM_OK)
		return rc;
	rc = enroll_in(db, store, terminal, operator, all_stores, token_hash, replaced);
	if (rc != CM_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

enum cm_rc hqstore_terminal_set_key(struct hqstore *st, const char *store, const char *terminal,
                                    const char *public_hex, int64_t from_seq)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	enum cm_rc rc = db ? db_run(db, DB_SQL("UPDATE terminals SET sign_key = ?3, sign_from = ?4 "
	                                       "WHERE store = ?1 AND terminal = ?2"),
	                            N_("registering the signing key"), &n, "ttti", store, terminal,
	                            public_hex, from_seq) : CM_IO;
	if (rc == CM_OK && n == 0)
		rc = db_fail(CM_NOTFOUND, _("no terminal %s/%s is enrolled"), store, terminal);
	return rc;
}

enum cm_rc hqstore_revoke(struct hqstore *st, const char *store, const char *terminal)
{
	struct db *db = hq_db(st);
	int64_t n = 0;
	enum cm_rc rc = db ? db_run(db, DB_SQL("UPDATE terminals SET revoked = 1 "
	                                       "WHERE store = ?1 AND terminal = ?2"),
	                            N_("revoking the terminal"), &n, "tt", store, terminal) : CM_IO;
	if (rc == CM_OK && n == 0)
		rc = db_fail(CM_NOTFOUND, _("no terminal %s/%s is enrolled"), store, terminal);
	return rc;
}

enum cm_rc hqstore_token_lookup(struct hqstore *st, const uint8_t token_hash[CHAIN_HASH_LEN],
                                struct hq_terminal *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT id, store, terminal, operator, revoked, "
	                                     "all_stores, sign_key, sign_from FROM terminals "
	                                     "WHERE token_hash = ?1"),
	                          N_("looking up the token"), "h", token_hash);
	bool found = db_row(q);
	if (found) {
		out->key = db_int(q, 0);
		db_text(q, 1, out->store, sizeof out->store);
		db_text(q, 2, out->terminal, sizeof out->terminal);
		out->operator = db_int(q, 3) != 0;
		out->revoked = db_int(q, 4) != 0;
		out->all_stores = db_int(q, 5) != 0;
		db_text(q, 6, out->sign_key, sizeof out->sign_key);
		out->sign_from = db_int(q, 7);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("unknown token"));
	return rc;
}

enum cm_rc hqstore_store_exists(struct hqstore *st, const char *store)
{
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	struct db_q *q = db_query(db, DB_SQL("SELECT 1 FROM stores WHERE code = ?1"),
	                          N_("looking up the store"), "t", store);
	bool found = db_row(q);
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !found)
		rc = db_fail(CM_NOTFOUND, _("no store %s is known (enroll one of its terminals first)"),
		             store);
	return rc;
}
