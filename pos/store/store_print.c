/* The print queue's table (see store_print.h). */
#include "store/store_int.h"
#include "store/store_print.h"

#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {
	[PRINT_RECEIPT] = "receipt", [PRINT_REPORT] = "report",
	[PRINT_TEST] = "test", [PRINT_DRAWER] = "drawer",
};

static enum print_kind kind_from(const char *s)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i]) == 0)
			return (enum print_kind)i;
	return PRINT_TEST;
}

enum cm_rc store_print_enqueue(struct store *st, struct print_job *j)
{
	static const char sql[] =
		"INSERT INTO print_jobs(kind, sale_id, reprint, kick, payload, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *s = store_stmt(st, sql);
	enum cm_rc rc;

	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, kinds[j->kind], -1, SQLITE_STATIC);
	if (j->sale_id)
		sqlite3_bind_int64(s, 2, j->sale_id);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int(s, 3, j->reprint);
	sqlite3_bind_int(s, 4, j->kick);
	if (j->payload)
		sqlite3_bind_blob(s, 5, j->payload, (int)strlen(j->payload), SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_int64(s, 6, j->created_at);
	rc = store_step_done(st, s, _("queueing the receipt for the printer"));
	if (rc == CM_OK)
		j->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum cm_rc store_print_next(struct store *st, int64_t after_id, struct print_job *out)
{
	static const char sql[] =
		"SELECT id, kind, COALESCE(sale_id, 0), reprint, kick, payload, created_at, "
		"attempts, last_error FROM print_jobs "
		"WHERE printed_at IS NULL AND id > ?1 ORDER BY id LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	char kind[16];
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, after_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return CM_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, rc, _("reading the print queue"));
	}
	out->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, kind, sizeof kind);
	out->kind = kind_from(kind);
	out->sale_id = sqlite3_column_int64(s, 2);
	out->reprint = sqlite3_column_int(s, 3);
	out->kick = sqlite3_column_int(s, 4);
	if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
		int n = sqlite3_column_bytes(s, 5);
		const void *p = sqlite3_column_blob(s, 5);

		out->payload = malloc((size_t)n + 1);
		if (!out->payload) {
			sqlite3_reset(s);
			store_seterr(st, "%s", _("out of memory"));
			return CM_NOMEM;
		}
		if (n > 0)
			memcpy(out->payload, p, (size_t)n);
		out->payload[n] = '\0';
	}
	out->created_at = sqlite3_column_int64(s, 6);
	out->attempts = sqlite3_column_int(s, 7);
	store_col_text(s, 8, out->last_error, sizeof out->last_error);
	sqlite3_reset(s);
	return CM_OK;
}

void store_print_job_free(struct print_job *j)
{
	free(j->payload);
	j->payload = NULL;
}

/* One bound statement in a durable transaction of its own. */
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

enum cm_rc store_print_done(struct store *st, int64_t id, int64_t now)
{
	static const char sql[] =
		"UPDATE print_jobs SET printed_at = ?2, last_try_at = ?2, attempts = attempts + 1 "
		"WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return run_alone(st, s, _("marking the receipt printed"));
}

enum cm_rc store_print_failed(struct store *st, int64_t id, const char *reason, int64_t now)
{
	static const char sql[] =
		"UPDATE print_jobs SET attempts = attempts + 1, last_error = ?2, last_try_at = ?3 "
		"WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);

	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, reason ? reason : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now);
	return run_alone(st, s, _("saving the printer's failure"));
}

enum cm_rc store_print_waiting(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM print_jobs WHERE printed_at IS NULL";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	*n = 0;
	if (!s)
		return CM_IO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CM_OK : store_fail(st, rc, _("reading the print queue"));
}
