/* Users of the till: cashiers, supervisors, admins. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define USER_COLS \
	"id, number, name, role, locked, active, failed_logins, locked_until, lockouts"

static void user_from_row(sqlite3_stmt *s, struct user_rec *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, u->number, sizeof u->number);
	store_col_text(s, 2, u->name, sizeof u->name);
	u->role = (enum role)sqlite3_column_int(s, 3);
	u->locked = sqlite3_column_int(s, 4) != 0;
	u->active = sqlite3_column_int(s, 5) != 0;
	u->failed_logins = sqlite3_column_int(s, 6);
	u->locked_until = sqlite3_column_int64(s, 7);
	u->lockouts = sqlite3_column_int(s, 8);
}

enum cm_rc store_user_add(struct store *st, const struct user_rec *u, const char *pin_hash, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO users(number, name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, u->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, u->role);
	sqlite3_bind_text(s, 4, pin_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, (int64_t)time(NULL));
	enum cm_rc rc = store_step_done(st, s, _("adding a user"));
	if (rc == CM_CONFLICT)
		store_seterr(st, _("a user with number %s already exists"), u->number);
	if (rc == CM_OK && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum cm_rc store_user_by_number(struct store *st, const char *number,
                                struct user_rec *out, char *pin_hash, size_t hash_len)
{
	static const char sql[] = "SELECT " USER_COLS ", pin_hash FROM users WHERE number = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		user_from_row(s, out);
		if (pin_hash)
			store_col_text(s, 9, pin_hash, hash_len);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking up a user"));
}

enum cm_rc store_user_by_id(struct store *st, int64_t id, struct user_rec *out)
{
	static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		user_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking up a user"));
}

enum cm_rc store_user_set_failed(struct store *st, int64_t id, int32_t failed, bool locked)
{
	struct user_rec u = { .id = id, .failed_logins = failed, .locked = locked };
	return store_user_set_lock(st, &u);
}

enum cm_rc store_user_set_lock(struct store *st, const struct user_rec *u)
{
	static const char sql[] =
		"UPDATE users SET failed_logins = ?2, locked = ?3, locked_until = ?4, lockouts = ?5 "
		"WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, u->id);
	sqlite3_bind_int(s, 2, u->failed_logins);
	sqlite3_bind_int(s, 3, u->locked);
	sqlite3_bind_int64(s, 4, u->locked ? u->locked_until : 0);
	sqlite3_bind_int(s, 5, u->lockouts);
	return store_step_done(st, s, _("updating a user"));
}

enum cm_rc store_recovery_add(struct store *st, const char *code_hash, int64_t now)
{
	static const char sql[] =
		"INSERT INTO recovery_codes(code_hash, created_at) VALUES (?1, ?2)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, code_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s, _("saving the recovery code"));
}

enum cm_rc store_recovery_current(struct store *st, int64_t *id, char *code_hash, size_t n)
{
	static const char sql[] =
		"SELECT id, code_hash FROM recovery_codes WHERE used_at IS NULL ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		store_col_text(s, 1, code_hash, n);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, _("reading the recovery code"));
	store_seterr(st, "%s", _("this store has no unused recovery code"));
	return CM_NOTFOUND;
}

enum cm_rc store_recovery_use(struct store *st, int64_t id, int64_t now, const char *number)
{
	static const char sql[] =
		"UPDATE recovery_codes SET used_at = ?2, used_for = ?3 WHERE id = ?1 AND used_at IS NULL";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, number, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("using the recovery code"));
}

enum cm_rc store_user_set_pin(struct store *st, int64_t id, const char *pin_hash)
{
	static const char sql[] = "UPDATE users SET pin_hash = ?2 WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, pin_hash, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("updating a user"));
}

enum cm_rc store_user_each(struct store *st, store_user_fn fn, void *ctx)
{
	static const char sql[] = "SELECT " USER_COLS " FROM users ORDER BY number";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct user_rec u;
		user_from_row(s, &u);
		fn(&u, ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing users"));
}

int64_t store_user_count(struct store *st)
{
	static const char sql[] = "SELECT count(*) FROM users";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return n;
}

/* Every user row is as its 'user_added' event journaled it (number, name,
 * role: there is no journaled change of them), every journaled user still
 * exists: `UPDATE users SET role = 2` behind the engine's back (a cashier
 * made admin) is named like an edit of a sale. The PIN hash and the
 * lockout counters change without their own copy in the journal and are
 * not compared. */
enum cm_rc store_user_verify(struct store *st, struct journal_check *c)
{
	static const char sql[] =
		"WITH added AS MATERIALIZED ("
		"  SELECT seq, json_extract(payload, '$.user_id') AS id, "
		"         json_extract(payload, '$.number') AS number, "
		"         json_extract(payload, '$.name') AS name, "
		"         json_extract(payload, '$.role') AS role "
		"  FROM journal WHERE terminal_id = ?1 AND type = 'user_added') "
		"SELECT seq, what, number FROM ("
		"SELECT COALESCE(a.seq, ?2) AS seq, a.seq IS NULL AS what, u.number AS number "
		"FROM users u LEFT JOIN added a ON a.id = u.id "
		"WHERE a.seq IS NULL OR a.number IS NOT u.number OR a.name IS NOT u.name "
		"   OR a.role IS NOT (CASE u.role WHEN 0 THEN 'cashier' WHEN 1 THEN 'supervisor' "
		"                     WHEN 2 THEN 'admin' END) "
		"UNION ALL "
		"SELECT a.seq, 2, a.number FROM added a WHERE NOT EXISTS "
		"  (SELECT 1 FROM users u WHERE u.id = a.id)"
		") ORDER BY seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, c->events + 1);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int what = sqlite3_column_int(s, 1);
		c->bad_seq = sqlite3_column_int64(s, 0);
		const char *number = (const char *)sqlite3_column_text(s, 2);
		if (what == 1)
			snprintf(c->why, sizeof c->why, _("user %s was never journaled as added"), number);
		else if (what == 2)
			snprintf(c->why, sizeof c->why, _("user %s was journaled as added but is gone"),
			         number);
		else
			snprintf(c->why, sizeof c->why, _("user %s is not as its user_added event says "
			         "(number, name or role changed)"), number);
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking users"));
}
