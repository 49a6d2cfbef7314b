/* Opening the store database, migrations, transactions, errors, settings,
 * tax rates and scale formats. */
#include "store/store_int.h"
#include "store/migrations.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BUSY_MS 5000

void store_seterr(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->err : "no database";
}

static enum cm_rc rc_from_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return CM_OK;
	case SQLITE_BUSY: case SQLITE_LOCKED: return CM_BUSY;
	case SQLITE_READONLY: return CM_READONLY;
	case SQLITE_FULL: return CM_FULL;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return CM_CORRUPT;
	case SQLITE_CONSTRAINT: return CM_CONFLICT;
	case SQLITE_NOMEM: return CM_NOMEM;
	default: return CM_IO;
	}
}

/* The message says what happened in words a store manager understands;
 * SQLite's own text follows for whoever reads the log. */
enum cm_rc store_fail(struct store *st, int src, const char *doing)
{
	enum cm_rc rc = rc_from_sqlite(src);
	const char *detail = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src);
	const char *what;
	switch (rc) {
	case CM_BUSY:
		what = _("the database is in use by another program (a second till or the sync agent?); nothing was saved, try again");
		break;
	case CM_READONLY:
		what = _("the database cannot be written (read-only file or file system); nothing was saved");
		break;
	case CM_FULL:
		what = _("the disk is full; nothing was saved. Free some space and try again");
		break;
	case CM_CORRUPT:
		what = _("the database file is damaged; stop and call support");
		break;
	case CM_CONFLICT:
		what = _("the change conflicts with what is recorded");
		break;
	case CM_NOMEM:
		what = _("out of memory");
		break;
	default:
		what = _("database error");
		break;
	}
	store_seterr(st, "%s: %s (%s)", doing, what, detail);
	return rc;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
	for (int i = 0; i < st->nstmt; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_stmt *s = st->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, _("preparing a query"));
		return NULL;
	}
	if (st->nstmt < STORE_STMT_CACHE) {
		st->cache[st->nstmt].sql = sql;
		st->cache[st->nstmt].stmt = s;
		st->nstmt++;
	} else {
		/* Never expected: the cache is sized for every statement in the
		 * store layer. Keep working, just slower. */
		sqlite3_finalize(st->cache[0].stmt);
		st->cache[0].sql = sql;
		st->cache[0].stmt = s;
	}
	return s;
}

bool store_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *old;
	memcpy(&old, pp, sizeof old);
	void *p = realloc(old, ncap * size);
	if (!p)
		return false;
	memcpy(pp, &p, sizeof p);
	*cap = ncap;
	return true;
}

enum cm_rc store_rows(struct store *st, const char *sql, int64_t id, void *pp, size_t *n,
                      size_t size, store_fill_fn *fill, const char *doing)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_grow(pp, &cap, *n, size)) {
			sqlite3_reset(s);
			return CM_NOMEM;
		}
		char *arr;
		memcpy(&arr, pp, sizeof arr);
		char *elem = arr + *n * size;
		memset(elem, 0, size);
		fill(s, elem);
		(*n)++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, doing);
}

enum cm_rc store_step_done(struct store *st, sqlite3_stmt *s, const char *doing)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, doing);
	return CM_OK;
}

void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

static enum cm_rc exec(struct store *st, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, doing);
	return CM_OK;
}

static int pragma_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int store_schema_version(struct store *st)
{
	return pragma_int(st, "PRAGMA user_version");
}

int store_latest_version(void)
{
	return store_migrations_count;
}

/* SQLite's own busy timeout sleeps longer and longer between tries (up to
 * 100 ms), and a writer that works in short steps with short pauses (the
 * catalogue build, store_catgen.c) can keep missing it for seconds. Trying
 * every millisecond finds the first free moment; the total wait stays
 * st->busy_ms. */
static int busy_wait(void *ctx, int tries)
{
	struct store *st = ctx;
	struct timespec now, tick = { 0, 1000000L };
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	if (tries == 0)
		st->busy_since = ms;
	if (ms - st->busy_since >= st->busy_ms)
		return 0;
	nanosleep(&tick, NULL);
	return 1;
}

void store_set_busy_timeout(struct store *st, int ms)
{
	st->busy_ms = ms;
	sqlite3_busy_handler(st->db, ms > 0 ? busy_wait : NULL, st);
}

/* SQLite's own WAL hook (a checkpoint once a commit leaves 1,000 frames
 * or more), kept, with the WAL's length noted: a writer in many short
 * steps (store_catgen.c) checkpoints before it nears that mark, so the
 * till's commits do not cross it and pay for the writer's pages. */
#define WAL_AUTOCHECKPOINT 1000
static int wal_seen(void *ctx, sqlite3 *db, const char *name, int frames)
{
	struct store *st = ctx;
	st->wal_frames = frames;
	if (frames >= WAL_AUTOCHECKPOINT)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

void store_set_progress(struct store *st, store_progress_fn fn, void *ctx)
{
	st->progress = fn;
	st->progress_ctx = ctx;
}

static enum cm_rc configure(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	bool wal = rc == SQLITE_ROW &&
	           strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, _("opening the database"));
	if (!wal) {
		store_seterr(st, "%s", _("opening the database: cannot switch to WAL mode (read-only location?)"));
		return CM_READONLY;
	}
	return exec(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
	            _("opening the database"));
}

/* Applies the embedded migrations above the file's user_version, each in
 * its own IMMEDIATE transaction together with its user_version bump. */
static enum cm_rc migrate(struct store *st, int max_version)
{
	int have = store_schema_version(st);
	int want = max_version > 0 && max_version < store_migrations_count
	           ? max_version : store_migrations_count;
	if (have < 0)
		return store_fail(st, sqlite3_errcode(st->db), _("reading the schema version"));
	if (have > store_migrations_count) {
		store_seterr(st, _("the database was made by a newer coopmart (schema %d, this program knows %d); update the program"),
		             have, store_migrations_count);
		return CM_STATE;
	}
	for (int v = have + 1; v <= want; v++) {
		const struct migration *m = &store_migrations[v - 1];
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version=%d", m->version);
		enum cm_rc rc = exec(st, "BEGIN IMMEDIATE", _("upgrading the database"));
		if (rc == CM_OK)
			rc = exec(st, m->sql, m->name);
		if (rc == CM_OK)
			rc = exec(st, bump, _("upgrading the database"));
		if (rc == CM_OK)
			rc = exec(st, "COMMIT", _("upgrading the database"));
		if (rc != CM_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	return CM_OK;
}

static void load_terminal(struct store *st)
{
	if (store_setting_get(st, "terminal_id", st->terminal, sizeof st->terminal) != CM_OK)
		snprintf(st->terminal, sizeof st->terminal, "T01");
}

/* SQLite says no more than "unable to open database file" when the file
 * or its folder cannot be written (it needs to create the -wal and -shm
 * files next to the database) or the folder is missing. Find out which,
 * so that the message names the real cause. */
static enum cm_rc explain_open(struct store *st, enum cm_rc rc, const char *path)
{
	int code = sqlite3_errcode(st->db) & 0xff;
	if (rc != CM_READONLY && code != SQLITE_CANTOPEN && code != SQLITE_READONLY)
		return rc;
	char dir[sizeof st->path];
	snprintf(dir, sizeof dir, "%s", path);
	const char *d = dirname(dir);
	bool file_ro = access(path, W_OK) != 0 && (errno == EROFS || errno == EACCES);
	if (access(d, F_OK) != 0) {
		store_seterr(st, _("opening the database: the folder %s does not exist"), d);
		return CM_IO;
	}
	bool dir_ro = access(d, W_OK) != 0 && (errno == EROFS || errno == EACCES);
	if (file_ro || dir_ro) {
		store_seterr(st, _("opening the database %s: it cannot be written (read-only file, folder or file system); nothing can be saved"),
		             path);
		return CM_READONLY;
	}
	return rc;
}

/* Whether this user may write the database and create its -wal and -shm
 * files beside it. */
static bool writable_here(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	return access(path, W_OK) == 0 && access(dirname(dir), W_OK) == 0;
}

/* A new database file is made by us, owner and group only (it holds PIN
 * hashes and members' data); SQLite gives its -wal and -shm the same mode. */
static enum cm_rc create_private(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0 && errno == EEXIST)
		return CM_OK;
	if (fd < 0 && (errno == EROFS || errno == EACCES)) {
		snprintf(err, errlen, _("opening the database %s: it cannot be written (read-only file, "
		         "folder or file system); nothing can be saved"), path);
		return CM_READONLY;
	}
	if (fd < 0 || fchmod(fd, 0640) != 0) {
		snprintf(err, errlen, _("cannot create the database %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CM_IO;
	}
	close(fd);
	return CM_OK;
}

/* Refuses a database every user of the computer can read, saying what to
 * do; only where it is written (an auditor's read-only copy may be 0444). */
static enum cm_rc check_private(const char *path, const struct stat *sb, char *err,
                                size_t errlen)
{
	char key[4200];
	struct stat kb;
	snprintf(key, sizeof key, "%s.key", path);
	if (stat(key, &kb) == 0 && (kb.st_mode & (S_IROTH | S_IWOTH))) {
		snprintf(err, errlen, _("the signing key %s can be read by every user of this computer "
		         "(mode %04o): run chmod 640 %s (owner and the till's and the sync agent's "
		         "group only)"), key, (unsigned)(kb.st_mode & 07777), key);
		return CM_DENIED;
	}
	if (!(sb->st_mode & (S_IROTH | S_IWOTH)))
		return CM_OK;
	snprintf(err, errlen, _("the store database %s can be read by every user of this computer "
	         "(mode %04o), and it holds PIN hashes and members' data: run chmod o-rwx %s "
	         "%s-wal %s-shm (and give the till's and the sync agent's group access with chgrp)"),
	         path, (unsigned)(sb->st_mode & 07777), path, path, path);
	return CM_DENIED;
}

/* An auditor's copy on read-only media (or a file this user may only
 * read): opened immutable, nothing migrated or written. A copy with a
 * write-ahead log not yet in the file would show less than it holds. */
static enum cm_rc open_readonly(struct store *st, const char *path, int max_version)
{
	struct stat wal;
	char p[4200];
	snprintf(p, sizeof p, "%s-wal", path);
	if (stat(p, &wal) == 0 && wal.st_size > 0) {
		store_seterr(st, _("%s cannot be written and has a write-ahead log (%s) not yet in "
		             "the file: copy it with sqlite3 %s \".backup COPY\" and open the copy"),
		             path, p, path);
		return CM_READONLY;
	}
	char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
	if (!uri)
		return CM_NOMEM;
	int src = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	                          SQLITE_OPEN_NOMUTEX, NULL);
	sqlite3_free(uri);
	if (src != SQLITE_OK)
		return store_fail(st, src, _("opening the database"));
	st->readonly = true;
	int have = store_schema_version(st);
	int want = max_version > 0 && max_version < store_migrations_count
	           ? max_version : store_migrations_count;
	if (have != want) {
		store_seterr(st, _("%s cannot be written and has schema %d, this program %d: open "
		             "a writable copy (it is upgraded on opening)"), path, have, want);
		return CM_READONLY;
	}
	return exec(st, "PRAGMA foreign_keys=ON;", _("opening the database"));
}

/* Whether the schema has reached the migration that signs the journal. */
static bool journal_has_sig(struct store *st)
{
	int have = store_schema_version(st);
	for (int i = 0; i < store_migrations_count; i++)
		if (strstr(store_migrations[i].name, "journal_sig"))
			return have >= store_migrations[i].version;
	return false;
}

/* SQLite counts every allocation under a global mutex for memory
 * statistics that nothing here reads: ~4% of a pull's CPU (sqlite3Malloc,
 * sqlite3_free). Turned off before SQLite initializes; a no-op when a
 * program used SQLite before its first store. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum cm_rc store_open(const char *path, int flags, int max_version,
                      struct store **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	*out = NULL;
	struct stat sb;
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0) {
		snprintf(err, errlen, _("no store database at %s (run 'coopmart init' first)"), path);
		return CM_NOTFOUND;
	}
	/* A file without any write bit is a copy meant to be read only (root
	 * could write it anyway). */
	bool ro = (flags & STORE_READONLY_OK) && !(flags & STORE_CREATE) &&
	          (!writable_here(path) || !(sb.st_mode & 0222));
	if (!ro && !(flags & STORE_CREATE) && !(sb.st_mode & 0222)) {
		snprintf(err, errlen, _("opening the database %s: it cannot be written (read-only file, "
		         "folder or file system); nothing can be saved"), path);
		return CM_READONLY;
	}
	enum cm_rc prc = ro ? CM_OK
	               : (flags & STORE_CREATE) ? create_private(path, err, errlen)
	               : check_private(path, &sb, err, errlen);
	if (prc != CM_OK)
		return prc;
	if ((flags & STORE_CREATE) && stat(path, &sb) == 0 &&
	    (prc = check_private(path, &sb, err, errlen)) != CM_OK)
		return prc;
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	snprintf(st->path, sizeof st->path, "%s", path);
	enum cm_rc rc;
	if (ro) {
		if ((rc = open_readonly(st, path, max_version)) != CM_OK)
			goto fail;
	} else {
		int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		             ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
		int src = sqlite3_open_v2(path, &st->db, oflags, NULL);
		if (src != SQLITE_OK) {
			rc = store_fail(st, src, _("opening the database"));
			goto fail;
		}
		sqlite3_extended_result_codes(st->db, 1);
		store_set_busy_timeout(st, DEFAULT_BUSY_MS);
		rc = configure(st);
		if (rc == CM_OK)
			sqlite3_wal_hook(st->db, wal_seen, st);
		if (rc == CM_OK)
			rc = migrate(st, max_version);
		if (rc != CM_OK)
			goto fail;
	}
	if ((rc = store_search_register(st)) != CM_OK)
		goto fail;
	load_terminal(st);
	st->journal_sig = journal_has_sig(st);
	store_sign_load(st);
	*out = st;
	return CM_OK;
fail:
	if (st->db && !st->readonly)
		rc = explain_open(st, rc, path);
	snprintf(err, errlen, "%s", st->err);
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->nstmt; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db)
		sqlite3_close(st->db);
	sodium_memzero(st->sign_sk, sizeof st->sign_sk);
	free(st);
}

/* ---- transactions ---- */

static enum cm_rc begin(struct store *st, bool relaxed)
{
	static const char normal[] = "PRAGMA synchronous=NORMAL";
	static const char begin_sql[] = "BEGIN IMMEDIATE";
	if (relaxed) {
		sqlite3_stmt *p = store_stmt(st, normal);
		if (!p || store_step_done(st, p, _("starting a transaction")) != CM_OK)
			return CM_IO;
		st->relaxed = true;
	}
	sqlite3_stmt *s = store_stmt(st, begin_sql);
	if (!s)
		return CM_IO;
	enum cm_rc rc = store_step_done(st, s, _("starting a transaction"));
	if (rc != CM_OK && st->relaxed)
		store_rollback(st);
	return rc;
}

enum cm_rc store_begin(struct store *st)
{
	return begin(st, false);
}

enum cm_rc store_begin_relaxed(struct store *st)
{
	return begin(st, true);
}

static void end_relaxed(struct store *st)
{
	static const char full[] = "PRAGMA synchronous=FULL";
	if (!st->relaxed)
		return;
	sqlite3_stmt *s = store_stmt(st, full);
	if (s) {
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	st->relaxed = false;
}

enum cm_rc store_commit(struct store *st)
{
	static const char sql[] = "COMMIT";
	sqlite3_stmt *s = store_stmt(st, sql);
	enum cm_rc rc = s ? store_step_done(st, s, _("saving")) : CM_IO;
	if (rc != CM_OK) {
		/* A failed COMMIT (disk full, I/O error) may leave the transaction
		 * open; roll it back so nothing half-done survives. */
		char keep[sizeof st->err];
		memcpy(keep, st->err, sizeof keep);
		store_rollback(st);
		memcpy(st->err, keep, sizeof keep);
		return rc;
	}
	end_relaxed(st);
	return CM_OK;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	end_relaxed(st);
}

void store_checkpoint(struct store *st)
{
	if (st->wal_frames >= STORE_CKPT_FRAMES)
		sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

/* ---- settings ---- */

enum cm_rc store_setting_get(struct store *st, const char *key, char *buf, size_t n)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, buf, n);
		sqlite3_reset(s);
		return CM_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_seterr(st, _("setting %s is not set"), key);
		return CM_NOTFOUND;
	}
	return store_fail(st, rc, _("reading settings"));
}

enum cm_rc store_setting_set(struct store *st, const char *key, const char *value)
{
	static const char sql[] =
		"INSERT INTO settings(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	enum cm_rc rc = store_step_done(st, s, _("saving settings"));
	if (rc == CM_OK && strcmp(key, "terminal_id") == 0)
		snprintf(st->terminal, sizeof st->terminal, "%s", value);
	return rc;
}

/* Every setting holds the value of its newest 'setting_changed' event, and
 * every journaled setting exists: a setting edited with the sqlite3 shell
 * (a discount limit raised, the printer pointed elsewhere) is named. */
enum cm_rc store_setting_verify(struct store *st, struct journal_check *c)
{
	static const char sql[] =
		"WITH ch AS MATERIALIZED ("
		"  SELECT seq, json_extract(payload, '$.key') AS k, json_extract(payload, '$.value') AS v "
		"  FROM journal WHERE terminal_id = ?1 AND type = 'setting_changed'), "
		"last AS (SELECT k, v, max(seq) AS seq FROM ch GROUP BY k) "
		"SELECT seq, key FROM ("
		"SELECT COALESCE(l.seq, ?2) AS seq, s.key AS key FROM settings s "
		"LEFT JOIN last l ON l.k = s.key WHERE l.k IS NULL OR l.v IS NOT s.value "
		"UNION ALL "
		"SELECT l.seq, l.k FROM last l WHERE NOT EXISTS (SELECT 1 FROM settings s WHERE s.key = l.k)"
		") ORDER BY seq LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, st->terminal, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, c->events + 1);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->bad_seq = sqlite3_column_int64(s, 0);
		snprintf(c->why, sizeof c->why, _("setting %s is not what the journal last set it to"),
		         (const char *)sqlite3_column_text(s, 1));
		sqlite3_reset(s);
		return CM_CORRUPT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("checking settings"));
}

int64_t store_setting_int(struct store *st, const char *key, int64_t dflt)
{
	char buf[32];
	if (store_setting_get(st, key, buf, sizeof buf) != CM_OK)
		return dflt;
	char *end;
	long long v = strtoll(buf, &end, 10);
	return (*buf && !*end) ? (int64_t)v : dflt;
}

/* ---- tax rates and scale formats ---- */

enum cm_rc store_tax_rates(struct store *st, struct tax_rate **out, size_t *n)
{
	static const char sql[] =
		"SELECT class, valid_from, rate_bp, base_num, base_den FROM tax_rates "
		"ORDER BY class, valid_from";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_grow(out, &cap, *n, sizeof **out)) {
			sqlite3_reset(s);
			free(*out);
			*out = NULL;
			return CM_NOMEM;
		}
		struct tax_rate *r = &(*out)[(*n)++];
		r->cls = (enum tax_class)sqlite3_column_int(s, 0);
		r->valid_from = sqlite3_column_int(s, 1);
		r->rate_bp = sqlite3_column_int(s, 2);
		r->base_num = sqlite3_column_int(s, 3);
		r->base_den = sqlite3_column_int(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_fail(st, rc, _("reading tax rates"));
	}
	return CM_OK;
}

enum cm_rc store_scale_formats(struct store *st, struct scale_format **out, size_t *n)
{
	static const char sql[] = "SELECT prefix, template FROM scale_formats ORDER BY prefix";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	/* the table's CHECK allows prefixes 20..29 and 02: eleven at most */
	enum { MAX_FORMATS = 11 };
	struct scale_format *v = calloc(MAX_FORMATS, sizeof *v);
	if (!v)
		return CM_NOMEM;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < MAX_FORMATS) {
		store_col_text(s, 0, v[*n].prefix, sizeof v[*n].prefix);
		store_col_text(s, 1, v[*n].tmpl, sizeof v[*n].tmpl);
		(*n)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(v);
		*n = 0;
		return store_fail(st, rc, _("reading scale label formats"));
	}
	*out = v;
	return CM_OK;
}

enum cm_rc store_scale_format_set(struct store *st, const char *prefix, const char *tmpl)
{
	static const char sql[] =
		"INSERT INTO scale_formats(prefix, template) VALUES (?1, ?2) "
		"ON CONFLICT(prefix) DO UPDATE SET template = excluded.template";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tmpl, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("saving a scale label format"));
}
