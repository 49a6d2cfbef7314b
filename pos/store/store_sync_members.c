/* The members half of a pull (store_sync.h): staging members with their
 * dues standing and HQ's schedule, and applying them in short batches. */
#include "store/store_int.h"
#include "store/store_dues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The apply goes in steps that each end after MEMBERS_STEP_MS, however
 * many rows that is: steps of 100 rows held the till's write lock 4 ms on
 * a quiet machine and 15-60 ms on a loaded one, and every commit paid an
 * fsync (tests/bench/bench_members_till.sh). Shorter than the catalogue
 * build's 25 ms: a member sale writes five times (the ticket opened, each
 * card and item scanned saves it, the sale), and each may wait a step. A
 * step is committed without waiting for the disk (store_begin_relaxed: a
 * power cut loses whole steps, the rows and their removal from the
 * staging together, and the next run applies them again); then the lock
 * is left free a moment for a till waiting for it, and once the WAL is
 * long it is copied into the database (store_checkpoint: else the till's
 * sales did the apply's checkpoints).
 * The version and the journal event come last, durably. */
#define MEMBERS_STEP_MS 10
#define MEMBERS_PAUSE_US 2000

/* "YYYYMM:amount YYYYMM:amount ..." */
static char *owed_text(const struct dues_owed *owed, size_t n)
{
	char *buf = malloc(n * 32 + 1), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%d:%lld", i ? " " : "", (int)owed[i].month,
		             (long long)owed[i].amount);
	return buf;
}

enum cm_rc store_sync_stage_member(struct store *st, int64_t upto, const struct member_rec *m,
                                   const struct dues_owed *owed, size_t nowed, int64_t version)
{
	static const char sql[] =
		"INSERT INTO members_staging(upto, n, number, name, card_code, status, version, "
		"type, join_date, left_date, pokok_owed, wajib_through, wajib_paid_until, "
		"wajib_months, wajib_arrears, sukarela, dues_month, dues_seq, owed, credit_limit, "
		"credit_balance) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		"?18, ?19, ?20, ?21)";
	int64_t n;
	enum cm_rc rc = store_sync_next_row(st, SYNC_MEMBERS, upto, &n);
	if (rc != CM_OK)
		return rc;
	char *text = owed_text(owed, nowed);
	if (!text) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s) {
		free(text);
		return CM_IO;
	}
	const struct member_standing *h = &m->hq;
	sqlite3_bind_int64(s, 1, upto);
	sqlite3_bind_int64(s, 2, n);
	sqlite3_bind_text(s, 3, m->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, m->card_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, m->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, version);
	sqlite3_bind_text(s, 8, m->type, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, m->join_date);
	sqlite3_bind_int(s, 10, m->left_date);
	sqlite3_bind_int64(s, 11, h->pokok_owed);
	sqlite3_bind_int(s, 12, h->wajib_through);
	sqlite3_bind_int(s, 13, h->wajib_paid_until);
	sqlite3_bind_int(s, 14, h->wajib_months);
	sqlite3_bind_int64(s, 15, h->wajib_arrears);
	sqlite3_bind_int64(s, 16, h->sukarela);
	sqlite3_bind_int(s, 17, h->month);
	sqlite3_bind_int64(s, 18, h->seq);
	sqlite3_bind_text(s, 19, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 20, h->credit_limit);
	sqlite3_bind_int64(s, 21, h->credit_balance);
	rc = store_step_done(st, s, _("staging members"));
	free(text);
	return rc;
}

enum cm_rc store_sync_stage_dues(struct store *st, int64_t upto, int32_t inactive_after,
                                 const struct dues_rate *rates, size_t nrates)
{
	static const char clear[] = "DELETE FROM dues_rates_staging WHERE upto = ?1";
	static const char head[] =
		"INSERT OR REPLACE INTO dues_staging(upto, inactive_after) VALUES (?1, ?2)";
	static const char rate[] =
		"INSERT OR REPLACE INTO dues_rates_staging(upto, type, kind, from_month, amount) "
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, clear);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	enum cm_rc rc = store_step_done(st, s, _("staging members"));
	if (rc == CM_OK && (s = store_stmt(st, head)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, upto);
		sqlite3_bind_int(s, 2, inactive_after);
		rc = store_step_done(st, s, _("staging members"));
	}
	for (size_t i = 0; rc == CM_OK && i < nrates; i++) {
		if (!(s = store_stmt(st, rate)))
			return CM_IO;
		sqlite3_bind_int64(s, 1, upto);
		sqlite3_bind_text(s, 2, rates[i].type, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, rates[i].kind);
		sqlite3_bind_int(s, 4, rates[i].from);
		sqlite3_bind_int64(s, 5, rates[i].amount);
		rc = store_step_done(st, s, _("staging members"));
	}
	return rc;
}

/* The schedule and setting of the pull, when HQ sent them (an HQ that
 * knows no dues sends none, and the till keeps what it has). */
static enum cm_rc apply_dues(struct store *st, int64_t upto)
{
	static const char has[] = "SELECT inactive_after FROM dues_staging WHERE upto = ?1";
	static const char clear[] = "DELETE FROM dues_rates";
	static const char copy[] =
		"INSERT INTO dues_rates(type, kind, from_month, amount) "
		"SELECT type, kind, from_month, amount FROM dues_rates_staging WHERE upto = ?1";
	sqlite3_stmt *s = store_stmt(st, has);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	int src = sqlite3_step(s);
	int64_t after = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (src == SQLITE_DONE)
		return CM_OK;
	if (src != SQLITE_ROW)
		return store_fail(st, src, _("applying members"));
	if (!(s = store_stmt(st, clear)))
		return CM_IO;
	enum cm_rc rc = store_step_done(st, s, _("applying members"));
	if (rc == CM_OK && (s = store_stmt(st, copy)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, upto);
		rc = store_step_done(st, s, _("applying members"));
	}
	if (rc == CM_OK)
		rc = store_dues_inactive_after_set(st, (int32_t)after);
	return rc;
}

/* Members: upsert by number; a card code HQ gives to another member is
 * taken from the old holder first; the months owed replaced whole. */
static enum cm_rc apply_member_row(struct store *st, sqlite3_stmt *s, struct sync_applied *out)
{
	static const char gone[] = "UPDATE members SET status = 'left' WHERE number = ?1";
	static const char card[] =
		"UPDATE members SET card_code = NULL WHERE card_code = ?1 AND number <> ?2";
	static const char upsert[] =
		"INSERT INTO members(number, name, card_code, status, type, join_date, left_date, "
		"pokok_owed, wajib_through, wajib_paid_until, wajib_months, wajib_arrears, sukarela, "
		"dues_month, dues_seq, credit_limit, credit_balance) "
		"SELECT number, name, NULLIF(card_code, ''), status, type, join_date, left_date, "
		"pokok_owed, wajib_through, wajib_paid_until, wajib_months, wajib_arrears, sukarela, "
		"dues_month, dues_seq, credit_limit, credit_balance FROM members_staging "
		"WHERE upto = ?1 AND n = ?2 "
		"ON CONFLICT(number) DO UPDATE SET "
		"name = excluded.name, card_code = excluded.card_code, status = excluded.status, "
		"type = excluded.type, join_date = excluded.join_date, left_date = excluded.left_date, "
		"pokok_owed = excluded.pokok_owed, wajib_through = excluded.wajib_through, "
		"wajib_paid_until = excluded.wajib_paid_until, wajib_months = excluded.wajib_months, "
		"wajib_arrears = excluded.wajib_arrears, sukarela = excluded.sukarela, "
		"dues_month = excluded.dues_month, dues_seq = excluded.dues_seq, "
		"credit_limit = excluded.credit_limit, credit_balance = excluded.credit_balance";
	static const char clear[] =
		"DELETE FROM member_owed WHERE member_id = (SELECT id FROM members WHERE number = ?1)";
	static const char owed[] =
		"INSERT INTO member_owed(member_id, month, amount) "
		"SELECT id, ?2, ?3 FROM members WHERE number = ?1";
	char number[24], code[32];
	store_col_text(s, 1, number, sizeof number);
	sqlite3_stmt *u;
	if (sqlite3_column_int(s, 0)) {
		out->deleted++;
		if (!(u = store_stmt(st, gone)))
			return CM_IO;
		sqlite3_bind_text(u, 1, number, -1, SQLITE_STATIC);
		return store_step_done(st, u, _("applying members"));
	}
	store_col_text(s, 2, code, sizeof code);
	enum cm_rc rc = CM_OK;
	if (code[0]) {
		if (!(u = store_stmt(st, card)))
			return CM_IO;
		sqlite3_bind_text(u, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(u, 2, number, -1, SQLITE_STATIC);
		rc = store_step_done(st, u, _("applying members"));
	}
	if (rc == CM_OK && (u = store_stmt(st, upsert)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(s, 4));
		sqlite3_bind_int64(u, 2, sqlite3_column_int64(s, 5));
		rc = store_step_done(st, u, _("applying members"));
	}
	if (rc == CM_OK && (u = store_stmt(st, clear)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_text(u, 1, number, -1, SQLITE_STATIC);
		rc = store_step_done(st, u, _("applying members"));
	}
	/* The months owed, from the staged text. */
	const char *p = (const char *)sqlite3_column_text(s, 3);
	while (rc == CM_OK && p && *p) {
		char *end;
		long month = strtol(p, &end, 10);
		if (*end != ':')
			break;
		long long amount = strtoll(end + 1, &end, 10);
		if (!(u = store_stmt(st, owed)))
			return CM_IO;
		sqlite3_bind_text(u, 1, number, -1, SQLITE_STATIC);
		sqlite3_bind_int(u, 2, (int)month);
		sqlite3_bind_int64(u, 3, amount);
		rc = store_step_done(st, u, _("applying members"));
		p = *end == ' ' ? end + 1 : end;
	}
	if (rc == CM_OK)
		out->upserted++;
	return rc;
}

/* One step: staged rows applied in order and removed from the staging
 * until MEMBERS_STEP_MS are over (one row at least), in one short
 * transaction. *left: the step ended with rows perhaps left. */
static enum cm_rc apply_step(struct store *st, int64_t upto, bool first,
                             struct sync_applied *out, bool *left)
{
	static const char rows[] =
		"SELECT deleted, number, card_code, owed, upto, n FROM members_staging "
		"WHERE upto = ?1 ORDER BY n";
	/* Applied rows stay, marked by their pull's version negated: the
	 * journal event counts them at the end, also those a run killed
	 * half way applied (deleted, they were lost to the count). */
	static const char done[] =
		"UPDATE members_staging SET upto = -upto WHERE upto = ?1 AND n <= ?2";
	*left = false;
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc != CM_OK)
		return rc;
	int64_t deadline = cm_mono_ms() + MEMBERS_STEP_MS;
	if (first)
		rc = apply_dues(st, upto);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, rows) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	int64_t last = 0, n = 0;
	int src = SQLITE_DONE;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, upto);
		while (rc == CM_OK && !*left && (src = sqlite3_step(s)) == SQLITE_ROW) {
			rc = apply_member_row(st, s, out);
			last = sqlite3_column_int64(s, 5);
			n++;
			*left = cm_mono_ms() >= deadline;
		}
		if (rc == CM_OK && !*left && src != SQLITE_DONE)
			rc = store_fail(st, src, _("reading staged pages"));
		sqlite3_reset(s);
	}
	if (rc == CM_OK && n && (s = store_stmt(st, done)) == NULL)
		rc = CM_IO;
	if (rc == CM_OK && n) {
		sqlite3_bind_int64(s, 1, upto);
		sqlite3_bind_int64(s, 2, last);
		rc = store_step_done(st, s, _("applying members"));
	}
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

/* What the pull applied, this run and any before it that was cut short:
 * its rows marked applied in the staging. */
static enum cm_rc applied_count(struct store *st, int64_t upto, struct sync_applied *out)
{
	static const char sql[] =
		"SELECT count(*) - COALESCE(sum(deleted), 0), COALESCE(sum(deleted), 0) "
		"FROM members_staging WHERE upto = -?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, upto);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		out->upserted = sqlite3_column_int64(s, 0);
		out->deleted = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return src == SQLITE_ROW ? CM_OK : store_fail(st, src, _("applying members"));
}

enum cm_rc store_sync_members_apply(struct store *st, int64_t now, struct sync_applied *out)
{
	struct sync_pull p;
	memset(out, 0, sizeof *out);
	enum cm_rc rc = store_sync_pull_get(st, SYNC_MEMBERS, &p);
	if (rc == CM_NOTFOUND || (rc == CM_OK && p.next[0])) {
		store_seterr(st, "%s", _("applying a pull: not every page has arrived"));
		return CM_STATE;
	}
	if (rc != CM_OK)
		return rc;
	bool left = true, first = true;
	while (rc == CM_OK && left) {
		rc = apply_step(st, p.upto, first, out, &left);
		first = false;
		if (rc == CM_OK)
			store_checkpoint(st);
		if (rc == CM_OK && left) {
			struct timespec ts = { 0, MEMBERS_PAUSE_US * 1000L };
			nanosleep(&ts, NULL);
		}
	}
	if (rc != CM_OK)
		return rc;
	/* The version, the journal event and an empty staging, together: a
	 * pull whose rows are all applied but not this is finished again by
	 * the next run (applying nothing more). */
	if ((rc = store_begin(st)) != CM_OK)
		return rc;
	rc = applied_count(st, p.upto, out);
	if (rc == CM_OK)
		rc = store_sync_set_version(st, SYNC_MEMBERS, p.upto);
	if (rc == CM_OK)
		rc = store_sync_journal_pull(st, SYNC_MEMBERS, &p, out, now);
	if (rc == CM_OK)
		rc = store_sync_stage_reset(st, SYNC_MEMBERS);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}
