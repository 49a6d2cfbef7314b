/* A big catalogue change built beside the live catalogue and switched in
 * with one short transaction (schema/store/012_catalogue_build.sql).
 *
 * Why: a million staged rows written in one transaction hold the
 * database's only write lock for half a minute, and a till that saves a
 * sale meanwhile is told "database in use". Here every step is a
 * transaction of about STEP_MS, with a pause after it for the till, and
 * what the till sees changes in one commit:
 *   copy    the live items and barcodes into items_next / barcodes_next
 *   apply   the staged rows onto the copies, in the order HQ sent them
 *   index   names into items_fts_next, then merge its segments
 *   switch  one transaction renames items -> items_old and items_next ->
 *           items (barcodes and items_fts alike), makes the triggers that
 *           live on them again, and lets the caller record the change
 *   clean   drops the *_old tables and the applied staging rows.
 * Each step records its progress in catalogue_build in its own
 * transaction, so a kill at any moment resumes where it stopped; the live
 * catalogue is untouched until the switch commits: old or new, never a
 * mix. The steps run relaxed (synchronous=NORMAL): a power cut can only
 * lose steps, which are done again; the switch is durable.
 *
 * A local import skips the staging and the copy: its rows go straight
 * into the empty build as the file is read (store_catgen_direct_*), a
 * live item's with its own id, each written once; then the live items no
 * row named are copied. A change of the live catalogue before the switch
 * means reading the file again, which the importer does.
 *
 * The renames run with foreign_keys OFF and legacy_alter_table ON on this
 * connection: other tables' REFERENCES items(id) then keep naming "items",
 * which after the switch is the new table with the same ids (the build
 * starts from a copy and never deletes an item). An index cannot be
 * renamed, so items and barcodes carry only constraint indexes, whose
 * automatic names follow their table. */
#include "store/store_int.h"
#include "store/store_catgen.h"
#include "store/store_catkeys.h"
#include "core/barcode.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STEP_MS 25          /* one step's share of the write lock */
#define STEP_CPU_MS 8       /* ... unless it got less CPU than this (a busy */
#define STEP_MAX_MS 100     /*     machine), then up to this long */
#define PAUSE_US 4000       /* then the lock is free this long for the till */
#define SWITCH_TRIES 3      /* a live catalogue changing under the build */
#define TRIGGERS_MAX 32

enum phase { PH_COPY, PH_APPLY, PH_INDEX, PH_FTS_DATA, PH_FTS_REST, PH_READY };

#define AUX "catgen_aux"      /* the attached scratch file of the index build */
#define FTS_BULK_HASH "8388608" /* bytes of pending terms in the index build */

/* The tables that are built and switched, each with its build name (the
 * name index last: an import may keep the live one, see fts_patch). */
static const struct { const char *live, *next, *old; } swapped[] = {
	{ "items", "items_next", "items_old" },
	{ "barcodes", "barcodes_next", "barcodes_old" },
	{ "items_fts", "items_fts_next", "items_fts_old" },
};
#define NSWAPPED (sizeof swapped / sizeof swapped[0])

struct named {
	char name[64];
	int64_t id;
};
#define NAME_CACHE 64

struct catgen {
	struct store *st;
	int64_t upto;
	enum phase phase;
	int64_t cursor;
	int64_t rev;
	struct catgen_result r;
	int64_t total;            /* rows of the phase, for progress */
	int64_t moved;            /* rows of the phase done in this run */
	int64_t step_cpu0;        /* CPU time (ms) when the step began */
	int64_t deadline;         /* a direct build's step ends then (0: none begun) */
	bool direct;              /* rows put by an import that checked their codes */
	int64_t top;              /* direct: the highest id in items_next */
	bool fresh;               /* direct: the last row put made a new item */
	struct catkeys *keys;     /* direct: what the file put so far */
	int64_t top0;             /* ids up to this are the live catalogue's (direct:
	                           * from its start; else once indexing) */
	int64_t named;            /* direct: live items the file's rows put */
	bool packs;               /* direct: a live barcode has a pack quantity of its own */
	int64_t row_id;           /* direct: the checked row's item, 0 for a new one */
	char row_sku[32];         /* direct: the checked row's SKU ("" none) */
	struct direct_batch *batch; /* direct: the file's items not written yet */
	bool strict;              /* a pull, an import: steps end at STEP_MS, however slow */
	int64_t owner;            /* catalogue_build.owner of this build */
	bool lost;                /* another build took this one's place */
	bool fts_patch;           /* direct: the live name index stays, patched (fts_patch) */
	bool codes_patch;         /* direct: the live barcodes stay, patched (codes_patch) */
	bool pull_batch;          /* pull: every row a new item, queued in batch (pull_queue) */
	bool row_same;            /* direct: the checked row's codes are its live item's */
	int64_t row_nlive;        /* direct: ... which has this many */
	uint8_t *recoded;         /* direct: bit per live id: its row's codes are in the build */
	int64_t put_codes;        /* direct: codes written into barcodes_next */
	int64_t gone_codes;       /* direct: live codes of the recoded items */
	struct named cats[NAME_CACHE], sups[NAME_CACHE];
};

static int64_t cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether a step goes on: until its STEP_MS are over. On a machine so
 * busy that this program got under STEP_CPU_MS of CPU in them, a step of
 * a few rows would make the build crawl (each step pays a commit and a
 * pause): it goes on until it had that much CPU, at most STEP_MAX_MS. The
 * till waits no more than on a quiet machine, as it is slowed alike. */
static bool step_on(const struct catgen *g, int64_t deadline)
{
	int64_t now = cm_mono_ms();
	if (now < deadline)
		return true;
	return !g->strict && now < deadline - STEP_MS + STEP_MAX_MS &&
	       cpu_ms() - g->step_cpu0 < STEP_CPU_MS;
}

/* After a step's commit: the build copies what it wrote from the WAL into
 * the database once the WAL is long (store_checkpoint); then it leaves the
 * lock free a moment. Without it the till's sales did most of the build's
 * checkpoints (a 1M import under strace: 9 in the till's commits, 2,776
 * pages written; with the build's own, 1 of 28 pages). */
static void pause_for_till(struct store *st)
{
	store_checkpoint(st);
	struct timespec ts = { 0, PAUSE_US * 1000L };
	nanosleep(&ts, NULL);
}

static enum cm_rc exec_sql(struct store *st, const char *sql)
{
	int src = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return src == SQLITE_OK ? CM_OK : store_fail(st, src, _("applying the catalogue"));
}

/* exec_sql of sqlite3_mprintf(fmt, ...) (%w, %q and %lld as SQLite has them). */
static enum cm_rc exec_fmt(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	enum cm_rc rc = exec_sql(st, sql);
	sqlite3_free(sql);
	return rc;
}

/* store_step_done with the message translated only on failure: a row of
 * a big change pays no gettext lookup (8% of an import's CPU when it
 * did, with a lock taken and released in each). */
static enum cm_rc step_done(struct store *st, sqlite3_stmt *s, const char *msgid)
{
	int src = sqlite3_step(s);
	sqlite3_reset(s);
	return src == SQLITE_DONE ? CM_OK : store_fail(st, src, _(msgid));
}

static enum cm_rc one_int(struct store *st, const char *sql, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int src = sqlite3_step(s);
	*out = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return src == SQLITE_ROW || src == SQLITE_DONE
	       ? CM_OK : store_fail(st, src, _("applying the catalogue"));
}

/* ---- the build's state ---- */

/* A build of another change (a pull, an import) that made progress in
 * the last BUSY_S seconds is someone else's at work: theirs to finish.
 * Older, its program died: it is taken over. */
#define BUSY_S 600
/* ... and an import waits for another build only while it moves. */
#define IMPORT_IDLE_S 60

static enum cm_rc state_load(struct catgen *g, bool *found)
{
	static const char sql[] =
		"SELECT upto, phase, cursor, rev, upserted, deleted, touched, owner "
		"FROM catalogue_build WHERE id = 1";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	int src = sqlite3_step(s);
	*found = src == SQLITE_ROW && sqlite3_column_int64(s, 0) == g->upto;
	if (src == SQLITE_ROW && !*found &&
	    sqlite3_column_int64(s, 6) > (int64_t)time(NULL) - BUSY_S) {
		sqlite3_reset(s);
		store_seterr(g->st, "%s", _("another change of the catalogue (a pull from HQ or an import) is being applied; try again in a few minutes"));
		return CM_BUSY;
	}
	if (*found) {
		g->phase = (enum phase)sqlite3_column_int(s, 1);
		g->cursor = sqlite3_column_int64(s, 2);
		g->rev = sqlite3_column_int64(s, 3);
		g->r.upserted = sqlite3_column_int64(s, 4);
		g->r.deleted = sqlite3_column_int64(s, 5);
		g->owner = sqlite3_column_int64(s, 7);
	}
	sqlite3_reset(s);
	return src == SQLITE_ROW || src == SQLITE_DONE
	       ? CM_OK : store_fail(g->st, src, _("applying the catalogue"));
}

static enum cm_rc state_save(struct catgen *g)
{
	static const char sql[] =
		"UPDATE catalogue_build SET phase = ?1, cursor = ?2, upserted = ?3, deleted = ?4, "
		"touched = ?5, pid = ?6 WHERE id = 1";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, (int)g->phase);
	sqlite3_bind_int64(s, 2, g->cursor);
	sqlite3_bind_int64(s, 3, g->r.upserted);
	sqlite3_bind_int64(s, 4, g->r.deleted);
	sqlite3_bind_int64(s, 5, (int64_t)time(NULL));
	sqlite3_bind_int64(s, 6, (int64_t)getpid());
	return step_done(g->st, s, N_("applying the catalogue"));
}

/* ---- starting a build ---- */

/* sql (a CREATE [VIRTUAL] TABLE of the live table) with the table's name
 * replaced by name; sqlite3_free it. NULL when it does not look like one. */
static char *renamed_create(const char *sql, const char *schema, const char *name)
{
	const char *t = strstr(sql, "TABLE ");
	if (!t)
		return NULL;
	t += strlen("TABLE ");
	while (*t == ' ')
		t++;
	const char *end;
	if (*t == '"') {
		end = strchr(t + 1, '"');
		if (!end)
			return NULL;
		end++;
	} else {
		end = t + strcspn(t, " (\t\n");
	}
	return sqlite3_mprintf("%.*s\"%w\".\"%w\"%s", (int)(t - sql), sql, schema, name, end);
}

static enum cm_rc create_next(struct store *st, const char *live, const char *schema,
                              const char *next)
{
	static const char sql[] = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, live, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	char *create = src == SQLITE_ROW
	               ? renamed_create((const char *)sqlite3_column_text(s, 0), schema, next)
	               : NULL;
	sqlite3_reset(s);
	if (!create) {
		store_seterr(st, _("applying the catalogue: the table %s cannot be copied"), live);
		return CM_STATE;
	}
	enum cm_rc rc = exec_sql(st, create);
	sqlite3_free(create);
	return rc;
}

/* Named indexes cannot follow a rename (see the top of the file). */
static enum cm_rc check_switchable(struct store *st)
{
	static const char sql[] =
		"SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name IN ('items', 'barcodes') AND ?1 = ?2";
	int64_t n;
	enum cm_rc rc = one_int(st, sql, 0, 0, &n);
	if (rc == CM_OK && n) {
		store_seterr(st, "%s", _("applying the catalogue: items or barcodes carry a named index, so the new catalogue cannot be switched in"));
		return CM_STATE;
	}
	return rc;
}

static enum cm_rc drop_tables(struct store *st, bool next)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = NSWAPPED; rc == CM_OK && i-- > 0;)
		rc = exec_fmt(st, "DROP TABLE IF EXISTS \"%w\"%s",
		              next ? swapped[i].next : swapped[i].old, "");
	return rc;
}

/* A fresh build of upto: whatever an earlier one left is dropped, the
 * empty copies made and the live catalogue's revision remembered. */
static enum cm_rc start(struct catgen *g)
{
	static const char rev[] = "SELECT n FROM catalogue_rev WHERE ?1 = ?2";
	static const char row[] =
		"INSERT OR REPLACE INTO catalogue_build(id, upto, phase, cursor, rev, touched, owner, "
		"pid) VALUES (1, ?1, 0, 0, ?2, strftime('%s', 'now'), ?3, ?4)";
	struct store *st = g->st;
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc != CM_OK)
		return rc;
	rc = check_switchable(st);
	if (rc == CM_OK)
		rc = drop_tables(st, true);
	for (size_t i = 0; rc == CM_OK && i < NSWAPPED; i++)
		rc = create_next(st, swapped[i].live, "main", swapped[i].next);
	if (rc == CM_OK)
		rc = one_int(st, rev, 0, 0, &g->rev);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, row) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	if (rc == CM_OK) {
		sqlite3_bind_int64(s, 1, g->upto);
		sqlite3_bind_int64(s, 2, g->rev);
		do
			sqlite3_randomness(sizeof g->owner, &g->owner);
		while (!g->owner);
		sqlite3_bind_int64(s, 3, g->owner);
		sqlite3_bind_int64(s, 4, (int64_t)getpid());
		rc = step_done(st, s, N_("applying the catalogue"));
	}
	if (rc != CM_OK) {
		store_rollback(st);
		return rc;
	}
	g->phase = PH_COPY;
	g->cursor = 0;
	memset(&g->r, 0, sizeof g->r);
	return store_commit(st);
}

/* ---- the steps ---- */

/* The highest id among the next `limit` ids of sql's table after cursor
 * (0 when none are left). */
static enum cm_rc range_end(struct catgen *g, const char *sql, int64_t limit, int64_t *hi)
{
	return one_int(g->st, sql, g->cursor, limit, hi);
}

static enum cm_rc copy_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char end[] =
		"SELECT max(id) FROM (SELECT id FROM items WHERE id > ?1 ORDER BY id LIMIT ?2)";
	static const char items[] =
		"INSERT INTO items_next SELECT * FROM items WHERE id > ?1 AND id <= ?2";
	static const char codes[] =
		"INSERT INTO barcodes_next SELECT * FROM barcodes WHERE item_id > ?1 AND item_id <= ?2";
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && !*done && step_on(g, deadline)) {
		int64_t hi, n;
		rc = range_end(g, end, 1000, &hi);
		if (rc == CM_OK && !hi) {
			*done = true;
			break;
		}
		if (rc == CM_OK)
			rc = one_int(g->st, items, g->cursor, hi, &n);
		g->moved += sqlite3_changes(g->st->db);
		if (rc == CM_OK)
			rc = one_int(g->st, codes, g->cursor, hi, &n);
		if (rc == CM_OK)
			g->cursor = hi;
	}
	return rc;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Category and supplier ids by name, remembered: a catalogue names a few
 * hundred of them a million times. */
static enum cm_rc cached_ref(struct catgen *g, struct named *cache, bool supplier,
                             const char *name, int64_t *id)
{
	*id = 0;
	if (!name[0])
		return CM_OK;
	struct named *slot = &cache[name_hash(name) % NAME_CACHE];
	if (slot->id && strcmp(slot->name, name) == 0) {
		*id = slot->id;
		return CM_OK;
	}
	enum cm_rc rc = store_item_ref(g->st, supplier, name, id);
	if (rc == CM_OK && strlen(name) < sizeof slot->name) {
		snprintf(slot->name, sizeof slot->name, "%s", name);
		slot->id = *id;
	}
	return rc;
}

/* A barcode or PLU the row gives to its item is taken from whichever item
 * held it, as in the one transaction apply (store_sync.c). */
static enum cm_rc release_codes(struct store *st, const struct item_rec *it,
                                char (*codes)[16], size_t n, bool direct)
{
	static const char bc[] =
		"DELETE FROM barcodes_next WHERE code = ?1 "
		"AND item_id <> COALESCE((SELECT id FROM items_next WHERE sku = ?2), 0)";
	static const char plu[] = "UPDATE items_next SET plu = NULL WHERE plu = ?1 AND sku <> ?2";
	enum cm_rc rc = CM_OK;
	/* An import has refused a code of another item or of an earlier
	 * line (row_fits, store_catgen_direct_check): only a PLU can move. */
	for (size_t i = 0; rc == CM_OK && !direct && i < n; i++) {
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

/* fresh: the item was just inserted, it has no barcodes to drop. */
/* Writes the item's barcodes into the build with ins (code ?1, item ?2;
 * a static string: statements are cached by its address), after deleting
 * its earlier ones unless the item is new. */
static enum cm_rc write_barcodes(struct store *st, const char *ins, int64_t id,
                                 char (*codes)[16], size_t n, bool fresh)
{
	static const char del[] = "DELETE FROM barcodes_next WHERE item_id = ?1";
	sqlite3_stmt *s;
	enum cm_rc rc = CM_OK;
	if (!fresh) {
		if (!(s = store_stmt(st, del)))
			return CM_IO;
		sqlite3_bind_int64(s, 1, id);
		rc = step_done(st, s, N_("saving barcodes"));
	}
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		if (!(s = store_stmt(st, ins)))
			return CM_IO;
		sqlite3_bind_text(s, 1, codes[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		rc = step_done(st, s, N_("saving barcodes"));
	}
	return rc;
}

static enum cm_rc put_barcodes(struct store *st, int64_t id, char (*codes)[16], size_t n,
                               bool fresh)
{
	static const char ins[] = "INSERT INTO barcodes_next(code, item_id) VALUES (?1, ?2)";
	return write_barcodes(st, ins, id, codes, n, fresh);
}

static enum cm_rc upsert_next(struct catgen *g, const struct item_rec *it, int64_t cat,
                              int64_t sup, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO items_next(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category_id, supplier_id, plu, active, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
		"ON CONFLICT(sku) DO UPDATE SET name = excluded.name, "
		"  receipt_name = excluded.receipt_name, unit = excluded.unit, "
		"  weighed = excluded.weighed, price = excluded.price, "
		"  member_price = excluded.member_price, tax_class = excluded.tax_class, "
		"  category_id = excluded.category_id, supplier_id = excluded.supplier_id, "
		"  plu = excluded.plu, active = excluded.active, updated_at = excluded.updated_at "
		"RETURNING id";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	store_bind_item(s, 0, it, cat, sup);
	int src = sqlite3_step(s);
	*id = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (src == SQLITE_ROW)
		src = sqlite3_step(s);
	sqlite3_reset(s);
	return src == SQLITE_DONE ? CM_OK : store_fail(g->st, src, _("saving an item"));
}

static enum cm_rc apply_item(struct catgen *g, const struct item_rec *it, char (*codes)[16],
                             size_t n)
{
	int64_t cat, sup, id = 0;
	enum cm_rc rc = cached_ref(g, g->cats, false, it->category, &cat);
	if (rc == CM_OK)
		rc = cached_ref(g, g->sups, true, it->supplier, &sup);
	if (rc == CM_OK)
		rc = release_codes(g->st, it, codes, n, g->direct);
	if (rc == CM_OK)
		rc = upsert_next(g, it, cat, sup, &id);
	/* An inserted row's id is above every id before it; an updated row
	 * keeps its id, which is not. */
	bool fresh = g->direct && id > g->top;
	if (fresh)
		g->top = id;
	g->fresh = fresh;
	if (rc == CM_OK)
		rc = put_barcodes(g->st, id, codes, n, fresh);
	if (rc == CM_OK)
		g->r.upserted++;
	return rc;
}

static enum cm_rc apply_row(struct catgen *g, sqlite3_stmt *row)
{
	static const char gone[] = "UPDATE items_next SET active = 0 WHERE sku = ?1";
	struct item_rec it;
	char codes[8][16];
	size_t n;
	bool deleted = store_staged_item(row, &it, codes, &n);
	if (deleted) {
		sqlite3_stmt *s = store_stmt(g->st, gone);
		if (!s)
			return CM_IO;
		sqlite3_bind_text(s, 1, it.sku, -1, SQLITE_STATIC);
		g->r.deleted++;
		return step_done(g->st, s, N_("applying the catalogue"));
	}
	return apply_item(g, &it, codes, n);
}

static enum cm_rc apply_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char sql[] =
		"SELECT deleted, sku, name, receipt_name, unit, weighed, price, member_price, "
		"tax_class, category, supplier, plu, active, barcodes, n FROM catalogue_staging "
		"WHERE upto = ?1 AND n > ?2 ORDER BY n";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, g->upto);
	sqlite3_bind_int64(s, 2, g->cursor);
	enum cm_rc rc = CM_OK;
	int src = SQLITE_ROW;
	unsigned k = 0;
	while (rc == CM_OK && ((k++ & 15) || step_on(g, deadline)) &&
	       (src = sqlite3_step(s)) == SQLITE_ROW) {
		rc = apply_row(g, s);
		if (rc == CM_OK)
			g->cursor = sqlite3_column_int64(s, 14);
		g->moved++;
	}
	if (rc == CM_OK && src == SQLITE_DONE)
		*done = true;
	else if (rc == CM_OK && src != SQLITE_ROW)
		rc = store_fail(g->st, src, _("reading staged pages"));
	sqlite3_reset(s);
	return rc;
}

/* The name index is built in a scratch file attached as AUX, in one
 * transaction that holds no lock on the till's database (FTS5 writes a
 * million names several times faster at once than in steps, and its
 * segment flushes would make long steps); then its tables are copied
 * into items_fts_next a short step at a time. The scratch file is
 * path-catgen beside the database; a kill leaves it to be made again. */
static char *aux_path(struct store *st)
{
	return sqlite3_mprintf("%s-catgen", st->path);
}

static enum cm_rc aux_attach(struct store *st)
{
	static const char sql[] = "ATTACH DATABASE ?1 AS " AUX;
	char *path = aux_path(st);
	if (!path) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	/* ATTACH opens with the main file's flags, which do not create: an
	 * empty file is an empty database. */
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	sqlite3_stmt *s;
	int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (src == SQLITE_OK) {
		sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
		src = sqlite3_step(s);
		sqlite3_finalize(s);
	}
	sqlite3_free(path);
	if (src != SQLITE_DONE)
		return store_fail(st, src, _("applying the catalogue"));
	return exec_sql(st, "PRAGMA " AUX ".journal_mode = OFF; PRAGMA " AUX ".synchronous = OFF");
}

static void aux_detach(struct store *st, bool remove)
{
	static const char q[] = "SELECT count(*) FROM pragma_database_list WHERE name = '" AUX "'";
	sqlite3_stmt *s;
	bool attached = false;
	if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) == SQLITE_OK) {
		attached = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
		sqlite3_finalize(s);
	}
	if (attached)
		sqlite3_exec(st->db, "DETACH DATABASE " AUX, NULL, NULL, NULL);
	char *path = remove ? aux_path(st) : NULL;
	if (path)
		unlink(path);
	sqlite3_free(path);
}

/* Resuming a copy of the index needs the scratch file that was built;
 * when it is gone (or unreadable) the build goes back to indexing, and
 * what was copied so far is forgotten. */
static enum cm_rc aux_check(struct catgen *g)
{
	static const char have[] =
		"SELECT count(*) FROM " AUX ".sqlite_schema WHERE name = 'items_fts_data' AND ?1 = ?2";
	int64_t n = 0;
	if (one_int(g->st, have, 0, 0, &n) == CM_OK && n)
		return CM_OK;
	enum cm_rc rc = store_begin_relaxed(g->st);
	if (rc == CM_OK)
		rc = exec_sql(g->st, "DELETE FROM main.items_fts_next_data; "
		              "DELETE FROM main.items_fts_next_idx; "
		              "DELETE FROM main.items_fts_next_docsize; "
		              "INSERT INTO main.items_fts_next(items_fts_next) VALUES ('delete-all')");
	g->phase = PH_INDEX;
	g->cursor = 0;
	if (rc == CM_OK)
		rc = state_save(g);
	if (rc == CM_OK)
		return store_commit(g->st);
	store_rollback(g->st);
	return rc;
}

/* An import or a pull that changes the names of few items (a price
 * list): its index starts from a copy of the live one, then only the rows whose name
 * or SKU changed, and the new items, are indexed again (tokenizing every
 * name was a quarter of such an import's CPU). The live index is what
 * the live items' triggers kept. Few: a tenth of the items at most. */
static enum cm_rc aux_few_changes(struct catgen *g, bool *few)
{
	static const char changed[] =
		"SELECT count(*) FROM main.items_next n JOIN main.items o ON o.id = n.id "
		"WHERE (n.name IS NOT o.name OR n.sku IS NOT o.sku) AND ?1 = ?2";
	static const char total[] = "SELECT count(*) FROM main.items_next WHERE ?1 = ?2";
	static const char live_top[] = "SELECT COALESCE(max(id), 0) FROM main.items WHERE ?1 = ?2";
	static const char added[] = "SELECT count(*) FROM main.items_next WHERE id > ?1 AND ?2 = ?2";
	int64_t n = 0, all = 0, fresh = 0;
	*few = false;
	enum cm_rc rc = CM_OK;
	/* A pull's build, like an import's, starts from a copy of the live
	 * items and gives new ones the ids after theirs (a price list pulled
	 * for every item rebuilt the whole index: a third of its CPU). */
	if (!g->direct)
		rc = one_int(g->st, live_top, 0, 0, &g->top0);
	if (rc != CM_OK || !g->top0)
		return rc;
	rc = one_int(g->st, total, 0, 0, &all);
	if (rc == CM_OK && g->direct)
		fresh = g->top - g->top0;
	else if (rc == CM_OK)
		rc = one_int(g->st, added, g->top0, 0, &fresh);
	if (rc == CM_OK)
		rc = one_int(g->st, changed, 0, 0, &n);
	*few = rc == CM_OK && (n + fresh) * 10 <= all;
	return rc;
}

static enum cm_rc aux_from_live(struct catgen *g)
{
	return exec_fmt(g->st,
		"DELETE FROM " AUX ".items_fts_data; DELETE FROM " AUX ".items_fts_idx; "
		"DELETE FROM " AUX ".items_fts_docsize; DELETE FROM " AUX ".items_fts_config; "
		"INSERT INTO " AUX ".items_fts_data SELECT * FROM main.items_fts_data; "
		"INSERT INTO " AUX ".items_fts_idx SELECT * FROM main.items_fts_idx; "
		"INSERT INTO " AUX ".items_fts_docsize SELECT * FROM main.items_fts_docsize; "
		"INSERT INTO " AUX ".items_fts_config SELECT * FROM main.items_fts_config; "
		"INSERT INTO " AUX ".items_fts(items_fts, rowid, name, sku) "
		"  SELECT 'delete', o.id, o.name, o.sku FROM main.items o "
		"  JOIN main.items_next n ON n.id = o.id WHERE n.name IS NOT o.name OR n.sku IS NOT o.sku; "
		"INSERT INTO " AUX ".items_fts(rowid, name, sku) "
		"  SELECT n.id, n.name, n.sku FROM main.items_next n JOIN main.items o ON o.id = n.id "
		"  WHERE n.name IS NOT o.name OR n.sku IS NOT o.sku; "
		"INSERT INTO " AUX ".items_fts(rowid, name, sku) "
		"  SELECT id, name, sku FROM main.items_next WHERE id > %lld",
		(long long)g->top0);
}

/* One deferred transaction writing only AUX: the till's database is read. */
static enum cm_rc aux_build(struct catgen *g)
{
	struct store *st = g->st;
	bool few = false;
	enum cm_rc rc = exec_sql(st, "DROP TABLE IF EXISTS " AUX ".items_fts");
	if (rc == CM_OK)
		rc = create_next(st, "items_fts", AUX, "items_fts");
	if (rc == CM_OK)
		rc = aux_few_changes(g, &few);
	if (rc == CM_OK && few) {
		rc = exec_sql(st, "BEGIN");
		if (rc == CM_OK)
			rc = aux_from_live(g);
		if (rc == CM_OK)
			return exec_sql(st, "COMMIT");
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	/* FTS5 writes a segment each time its pending terms pass hashsize
	 * (1 MiB) and merges them as it goes (automerge 4). With 8 MiB kept
	 * in memory a segment holds about 200,000 names, and none is merged
	 * (automerge 0) until 16 are there (FTS5's crisismerge): 5 segments
	 * at 1M items, fewer than the 7 the live triggers leave after the
	 * same rows, and search is within its budget on either (tests/bench
	 * README, branch pull3). An 'optimize' into one segment read and
	 * wrote the whole index again: 1.5-2.8 s of CPU at 1M. The settings
	 * stay in the scratch file: the config copied into items_fts_next
	 * leaves them out. */
	if (rc == CM_OK)
		rc = exec_sql(st, "INSERT INTO " AUX ".items_fts(items_fts, rank) "
		              "VALUES ('hashsize', " FTS_BULK_HASH "); "
		              "INSERT INTO " AUX ".items_fts(items_fts, rank) VALUES ('automerge', 0)");
	if (rc == CM_OK)
		rc = exec_sql(st, "BEGIN");
	if (rc == CM_OK)
		rc = exec_sql(st, "INSERT INTO " AUX ".items_fts(rowid, name, sku) "
		              "SELECT id, name, sku FROM main.items_next");
	if (rc == CM_OK)
		rc = exec_sql(st, "COMMIT");
	if (rc != CM_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static enum cm_rc index_step(struct catgen *g, int64_t deadline, bool *done)
{
	(void)g;
	(void)deadline;
	*done = true;   /* aux_build ran before this step's transaction */
	return CM_OK;
}

/* Copies rows of AUX's shadow table `table` keyed by id after the cursor,
 * until the deadline. */
static enum cm_rc copy_shadow(struct catgen *g, const char *end, const char *put,
                              int64_t deadline, bool *done)
{
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && !*done && step_on(g, deadline)) {
		int64_t hi, n;
		rc = one_int(g->st, end, g->cursor, 256, &hi);
		if (rc == CM_OK && !hi) {
			*done = true;
			break;
		}
		if (rc == CM_OK)
			rc = one_int(g->st, put, g->cursor, hi, &n);
		g->moved += sqlite3_changes(g->st->db);
		if (rc == CM_OK)
			g->cursor = hi;
	}
	return rc;
}

static enum cm_rc fts_data_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char end[] = "SELECT max(id) FROM (SELECT id FROM " AUX ".items_fts_data "
		"WHERE id > ?1 ORDER BY id LIMIT ?2)";
	static const char put[] = "INSERT OR REPLACE INTO main.items_fts_next_data(id, block) "
		"SELECT id, block FROM " AUX ".items_fts_data WHERE id > ?1 AND id <= ?2";
	return copy_shadow(g, end, put, deadline, done);
}

/* Document sizes by id, then (small: a row per leaf page, a few config
 * rows) the term index and the config whole in the last step. */
static enum cm_rc fts_rest_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char end[] = "SELECT max(id) FROM (SELECT id FROM " AUX ".items_fts_docsize "
		"WHERE id > ?1 ORDER BY id LIMIT ?2)";
	static const char put[] = "INSERT OR REPLACE INTO main.items_fts_next_docsize(id, sz) "
		"SELECT id, sz FROM " AUX ".items_fts_docsize WHERE id > ?1 AND id <= ?2";
	enum cm_rc rc = copy_shadow(g, end, put, deadline, done);
	if (rc == CM_OK && *done)
		rc = exec_sql(g->st, "INSERT OR REPLACE INTO main.items_fts_next_idx "
		              "SELECT * FROM " AUX ".items_fts_idx; "
		              "INSERT OR REPLACE INTO main.items_fts_next_config "
		              "SELECT * FROM " AUX ".items_fts_config "
		              "WHERE k NOT IN ('hashsize', 'automerge')");
	return rc;
}

typedef enum cm_rc (*step_fn)(struct catgen *g, int64_t deadline, bool *done);

static void report(struct catgen *g, const char *what, int64_t done)
{
	if (g->st->progress)
		g->st->progress(what, done, g->total, g->st->progress_ctx);
}

/* Runs one phase a short transaction at a time; the last one moves the
 * build to the next phase. count: the phase's rows, for progress (NULL:
 * the caller set g->total). */
static enum cm_rc run_phase(struct catgen *g, enum phase ph, step_fn fn, const char *count,
                            const char *what)
{
	if (g->phase != ph)
		return CM_OK;
	enum cm_rc rc = count ? one_int(g->st, count, g->upto, 0, &g->total) : CM_OK;
	bool done = false;
	g->moved = 0;
	while (rc == CM_OK && !done) {
		rc = store_begin_relaxed(g->st);
		if (rc != CM_OK)
			return rc;
		g->step_cpu0 = cpu_ms();
		rc = fn(g, cm_mono_ms() + STEP_MS, &done);
		if (rc == CM_OK && done) {
			g->phase = (enum phase)(ph + 1);
			g->cursor = 0;
		}
		if (rc == CM_OK)
			rc = state_save(g);
		if (rc == CM_OK)
			rc = store_commit(g->st);
		else
			store_rollback(g->st);
		if (rc != CM_OK)
			return rc;
		report(g, what, done ? g->total : g->moved);
		pause_for_till(g->st);
	}
	return rc;
}

static const char n_items[] = "SELECT count(*) FROM items WHERE ?1 = ?1 OR ?2";

static enum cm_rc build(struct catgen *g)
{
	static const char n_staged[] = "SELECT count(*) FROM catalogue_staging WHERE upto = ?1 OR ?2";
	static const char n_data[] = "SELECT count(*) FROM " AUX ".items_fts_data WHERE ?1 = ?1 OR ?2";
	static const char n_docs[] = "SELECT count(*) FROM " AUX ".items_fts_docsize WHERE ?1 = ?1 OR ?2";
	enum cm_rc rc = run_phase(g, PH_COPY, copy_step, n_items, N_("copying the catalogue"));
	if (rc == CM_OK)
		rc = run_phase(g, PH_APPLY, apply_step, n_staged, N_("applying the new rows"));
	if (rc == CM_OK && (g->phase == PH_FTS_DATA || g->phase == PH_FTS_REST)) {
		rc = aux_attach(g->st);
		if (rc == CM_OK)
			rc = aux_check(g);
		if (g->phase == PH_INDEX)
			aux_detach(g->st, true);
	}
	if (rc == CM_OK && g->phase == PH_INDEX) {
		/* A scratch file left by a kill may be half written: made anew. */
		aux_detach(g->st, true);
		report(g, N_("indexing names"), 0);
		rc = aux_attach(g->st);
		if (rc == CM_OK)
			rc = aux_build(g);
	}
	if (rc == CM_OK)
		rc = run_phase(g, PH_INDEX, index_step, n_items, N_("indexing names"));
	if (rc == CM_OK)
		rc = run_phase(g, PH_FTS_DATA, fts_data_step, n_data, N_("copying the name index"));
	if (rc == CM_OK)
		rc = run_phase(g, PH_FTS_REST, fts_rest_step, n_docs, N_("copying the name index"));
	aux_detach(g->st, rc == CM_OK);
	return rc;
}

/* ---- the switch ---- */

struct triggers {
	char *sql[TRIGGERS_MAX];
	char *name[TRIGGERS_MAX];
	size_t n;
};

static void triggers_free(struct triggers *t)
{
	for (size_t i = 0; i < t->n; i++) {
		sqlite3_free(t->sql[i]);
		sqlite3_free(t->name[i]);
	}
	t->n = 0;
}

/* The triggers on the live tables: they stay with the table they are on
 * when it is renamed, so they are dropped and made again on the new one. */
static enum cm_rc triggers_take(struct store *st, struct triggers *t)
{
	static const char sql[] =
		"SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
		"AND tbl_name IN ('items', 'barcodes') ORDER BY name";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int src;
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
		if (t->n == TRIGGERS_MAX) {
			store_seterr(st, "%s", _("applying the catalogue: too many triggers on items"));
			rc = CM_STATE;
			break;
		}
		t->name[t->n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(s, 0));
		t->sql[t->n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(s, 1));
		if (!t->name[t->n++] || !t->sql[t->n - 1]) {
			store_seterr(st, "%s", _("out of memory"));
			rc = CM_NOMEM;
		}
	}
	if (rc == CM_OK && src != SQLITE_DONE)
		rc = store_fail(st, src, _("applying the catalogue"));
	sqlite3_reset(s);
	for (size_t i = 0; rc == CM_OK && i < t->n; i++)
		rc = exec_fmt(st, "DROP TRIGGER \"%w\"%s", t->name[i], "");
	return rc;
}

/* The swapped tables but those patched in place (bit i of kept: swapped[i]). */
static enum cm_rc renames(struct store *st, unsigned kept)
{
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < NSWAPPED; i++)
		if (!(kept & 1u << i))
			rc = exec_fmt(st, "ALTER TABLE \"%w\" RENAME TO \"%w\"", swapped[i].live,
			              swapped[i].old);
	for (size_t i = 0; rc == CM_OK && i < NSWAPPED; i++)
		if (!(kept & 1u << i))
			rc = exec_fmt(st, "ALTER TABLE \"%w\" RENAME TO \"%w\"", swapped[i].next,
			              swapped[i].live);
	return rc;
}

static bool recoded(const struct catgen *g, int64_t id)
{
	return g->recoded && id > 0 && id <= g->top0 && (g->recoded[id >> 3] & 1u << (id & 7));
}

/* An import whose rows change the barcodes of few items and add few (a
 * price list: none) keeps the live barcodes: writing a copy of every
 * code and deleting the old ones row by row was a fifth of such an
 * import's CPU. The switch deletes the codes of the items whose codes the
 * file changed (recoded) and puts the build's, CODES_PATCH_MAX in all at
 * most, inside its one transaction. */
#define CODES_PATCH_MAX 1000
static enum cm_rc codes_patch(struct catgen *g)
{
	static const char del[] = "DELETE FROM barcodes WHERE item_id = ?1";
	enum cm_rc rc = CM_OK;
	for (int64_t id = 1; rc == CM_OK && id <= g->top0; id++) {
		if (!recoded(g, id))
			continue;
		sqlite3_stmt *s = store_stmt(g->st, del);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, id);
		rc = step_done(g->st, s, N_("saving barcodes"));
	}
	return rc == CM_OK ? exec_sql(g->st, "INSERT INTO barcodes SELECT * FROM barcodes_next") : rc;
}

/* An import that renames few items and adds few (a price list) keeps the
 * live name index: building one beside it, copying it in and deleting
 * the old one row by row was a sixth of such an import's CPU. The switch
 * changes only those rows in it: the renamed ids (temp.catgen_renamed,
 * fts_patchable) and the new ones, FTS_PATCH_MAX at most, inside its one
 * transaction, after the renames (the old names are in items_old). */
#define FTS_PATCH_MAX 1000
static enum cm_rc fts_patch(struct catgen *g)
{
	return exec_fmt(g->st,
		"INSERT INTO items_fts(items_fts, rowid, name, sku) "
		"  SELECT 'delete', o.id, o.name, o.sku FROM temp.catgen_renamed r "
		"  JOIN items_old o ON o.id = r.id; "
		"INSERT INTO items_fts(rowid, name, sku) SELECT n.id, n.name, n.sku "
		"  FROM temp.catgen_renamed r JOIN items n ON n.id = r.id; "
		"INSERT INTO items_fts(rowid, name, sku) SELECT id, name, sku FROM items "
		"  WHERE id > %lld", (long long)g->top0);
}

/* Whether the name index can be patched (fts_patch): the rows whose name
 * changed are listed in temp.catgen_renamed while looking (a read of the
 * catalogue and the build; the till's database is not written). */
static enum cm_rc fts_patchable(struct catgen *g, bool *yes)
{
	*yes = false;
	if (!g->direct || !g->top0 || g->top - g->top0 > FTS_PATCH_MAX)
		return CM_OK;
	enum cm_rc rc = exec_fmt(g->st,
		"CREATE TEMP TABLE IF NOT EXISTS catgen_renamed(id INTEGER PRIMARY KEY); "
		"DELETE FROM temp.catgen_renamed; "
		"INSERT INTO temp.catgen_renamed SELECT n.id FROM main.items_next n "
		"  JOIN main.items o ON o.id = n.id "
		"  WHERE n.name IS NOT o.name OR n.sku IS NOT o.sku LIMIT %d", FTS_PATCH_MAX + 1);
	*yes = rc == CM_OK && sqlite3_changes(g->st->db) + (g->top - g->top0) <= FTS_PATCH_MAX;
	return rc;
}

/* The build wrote items_next, where no trigger keeps the sold items' name
 * index (selling_fts, schema/store/020_selling_search.sql): the switch
 * puts the names of sold items that changed, comparing the new items with
 * the old ones (a lookup or two a sold item, not a scan of the catalogue). */
static enum cm_rc selling_follow(struct store *st)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO selling_fts(rowid, name, sku) "
		"SELECT n.id, n.name, n.sku FROM item_sales s "
		"JOIN items n ON n.id = s.item_id JOIN items_old o ON o.id = s.item_id "
		"WHERE n.name IS NOT o.name OR n.sku IS NOT o.sku";
	return exec_sql(st, sql);
}

/* CM_CONFLICT: the live catalogue changed since the copy; nothing done. */
static enum cm_rc switch_in(struct catgen *g, store_catgen_finish_fn finish, void *ctx)
{
	static const char rev[] = "SELECT n FROM catalogue_rev WHERE ?1 = ?2";
	static const char done[] = "DELETE FROM catalogue_build";
	struct triggers t = { .n = 0 };
	struct store *st = g->st;
	int64_t now_rev;
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = one_int(st, rev, 0, 0, &now_rev);
	if (rc == CM_OK && now_rev != g->rev)
		rc = CM_CONFLICT;
	if (rc == CM_OK)
		rc = triggers_take(st, &t);
	if (rc == CM_OK)
		rc = renames(st, (g->codes_patch ? 2u : 0u) | (g->fts_patch ? 4u : 0u));
	/* before the triggers are back: a patch is no change of the catalogue */
	if (rc == CM_OK && g->codes_patch)
		rc = codes_patch(g);
	if (rc == CM_OK && g->fts_patch)
		rc = fts_patch(g);
	for (size_t i = 0; rc == CM_OK && i < t.n; i++)
		rc = exec_sql(st, t.sql[i]);
	triggers_free(&t);
	if (rc == CM_OK)
		rc = selling_follow(st);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(st, done) : NULL;
	if (rc == CM_OK)
		rc = s ? step_done(st, s, N_("applying the catalogue")) : CM_IO;
	if (rc == CM_OK)
		rc = finish(st, &g->r, ctx);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

/* ---- cleaning up ---- */

static enum cm_rc in_own_tx(struct store *st, const char *sql)
{
	enum cm_rc rc = store_begin_relaxed(st);
	if (rc != CM_OK)
		return rc;
	rc = exec_sql(st, sql);
	if (rc == CM_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

/* Staged rows of no pull (applied, or of a pull given up) go 5,000 a
 * transaction; those of upto keep stay (an import staging its file). */
static enum cm_rc clean_staging(struct store *st, int64_t keep)
{
	static const char first[] =
		"SELECT upto, n FROM catalogue_staging WHERE upto NOT IN "
		"(SELECT upto FROM sync_pull WHERE kind = 'catalogue' "
		" UNION SELECT upto FROM catalogue_build) AND upto <> ?1 AND ?2 = ?2 LIMIT 1";
	static const char del[] = "DELETE FROM catalogue_staging WHERE upto = ?1 AND n < ?2";
	for (;;) {
		sqlite3_stmt *s = store_stmt(st, first);
		if (!s)
			return CM_IO;
		sqlite3_bind_int64(s, 1, keep);
		sqlite3_bind_int(s, 2, 0);
		int src = sqlite3_step(s);
		int64_t upto = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		int64_t n = src == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
		sqlite3_reset(s);
		if (src == SQLITE_DONE)
			return CM_OK;
		if (src != SQLITE_ROW)
			return store_fail(st, src, _("applying the catalogue"));
		enum cm_rc rc = store_begin_relaxed(st);
		if (rc != CM_OK)
			return rc;
		if (!(s = store_stmt(st, del))) {
			store_rollback(st);
			return CM_IO;
		}
		sqlite3_bind_int64(s, 1, upto);
		sqlite3_bind_int64(s, 2, n + 5000);
		rc = step_done(st, s, N_("applying the catalogue"));
		if (rc == CM_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
		if (rc != CM_OK)
			return rc;
		pause_for_till(st);
	}
}

static enum cm_rc table_exists(struct store *st, const char *name, bool *yes)
{
	static const char sql[] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	*yes = src == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
	sqlite3_reset(s);
	return src == SQLITE_ROW ? CM_OK : store_fail(st, src, _("applying the catalogue"));
}

/* Dropping a table frees all its pages in one transaction: a million
 * items' old tables and name index held the write lock 0.3-0.7 s, and
 * the till waited. Their rows go first, a short step at a time (a table
 * of a finished or abandoned build: no trigger, nothing refers to it),
 * then the empty table is dropped. key: the table's key (a rowid or
 * primary key); keep: rows that stay (SQL). A statement deletes the next
 * 256 keys as a range (through a list of them, it cost a fifth more). */
static enum cm_rc empty_in_steps(struct store *st, const char *table, const char *key,
                                 const char *keep)
{
	bool yes;
	enum cm_rc rc = table_exists(st, table, &yes);
	if (rc != CM_OK || !yes)
		return rc;
	char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE NOT (%s) AND \"%w\" <= (SELECT max(k) "
	                            "FROM (SELECT \"%w\" AS k FROM \"%w\" WHERE NOT (%s) "
	                            "ORDER BY \"%w\" LIMIT 256))",
	                            table, keep, key, key, table, keep, key);
	if (!sql) {
		store_seterr(st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	sqlite3_stmt *s;
	int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	sqlite3_free(sql);
	if (src != SQLITE_OK)
		return store_fail(st, src, _("applying the catalogue"));
	int changed = 1;
	while (rc == CM_OK && changed) {
		int64_t deadline = cm_mono_ms() + STEP_MS;
		rc = store_begin_relaxed(st);
		while (rc == CM_OK && changed && cm_mono_ms() < deadline) {
			rc = step_done(st, s, N_("applying the catalogue"));
			changed = sqlite3_changes(st->db);
		}
		if (rc == CM_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
		pause_for_till(st);
	}
	sqlite3_finalize(s);
	return rc;
}

/* The big tables of a build's kind (suffix "old" or "next"), emptied:
 * items, barcodes and the name index's data and document sizes (its
 * averages and structure records, ids 1 and 10, stay: FTS5 reads them to
 * drop the table). */
static enum cm_rc empty_tables(struct store *st, const char *suffix)
{
	static const struct { const char *table, *shadow, *key, *keep; } big[] = {
		{ "items", "", "id", "0" }, { "barcodes", "", "code", "0" },
		{ "items_fts", "_data", "id", "id <= 10" }, { "items_fts", "_docsize", "id", "0" },
	};
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < sizeof big / sizeof big[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s_%s%s", big[i].table, suffix, big[i].shadow);
		rc = empty_in_steps(st, name, big[i].key, big[i].keep);
	}
	return rc;
}

enum cm_rc store_catgen_clean(struct store *st)
{
	static const char orphan[] = "SELECT count(*) FROM catalogue_build WHERE ?1 = ?2";
	int64_t building;
	enum cm_rc rc = one_int(st, orphan, 0, 0, &building);
	if (rc == CM_OK)
		rc = empty_tables(st, "old");
	if (rc == CM_OK && !building)
		rc = empty_tables(st, "next");
	for (size_t i = 0; rc == CM_OK && i < NSWAPPED; i++) {
		char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\"", swapped[i].old);
		if (!sql)
			return CM_NOMEM;
		rc = in_own_tx(st, sql);
		sqlite3_free(sql);
		pause_for_till(st);
	}
	for (size_t i = 0; rc == CM_OK && !building && i < NSWAPPED; i++) {
		char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\"", swapped[i].next);
		if (!sql)
			return CM_NOMEM;
		rc = in_own_tx(st, sql);
		sqlite3_free(sql);
	}
	if (rc == CM_OK)
		rc = clean_staging(st, STORE_IMPORT_UPTO);
	return rc;
}

enum cm_rc store_import_begin(struct store *st)
{
	static const char busy[] = "SELECT pid FROM catalogue_build WHERE touched > ?1 "
	                           "AND ?2 = ?2";
	static const char mine[] =
		"SELECT count(*) FROM catalogue_build WHERE upto = ?1 AND ?2 = ?2";
	int64_t building;
	/* A build that moved within IMPORT_IDLE_S, by a process that lives, is
	 * another import's or a pull's at work (each step records both): theirs
	 * to finish. A killed one's is taken over at once. */
	enum cm_rc rc = one_int(st, busy, (int64_t)time(NULL) - IMPORT_IDLE_S, 0, &building);
	if (rc == CM_OK && building > 0 &&
	    (kill((pid_t)building, 0) == 0 || errno == EPERM)) {
		store_seterr(st, "%s", _("another change of the catalogue (a pull from HQ or an "
		             "import) is being applied; try again in a minute"));
		return CM_BUSY;
	}
	rc = one_int(st, mine, STORE_IMPORT_UPTO, 0, &building);
	if (rc == CM_OK && building)
		rc = in_own_tx(st, "DELETE FROM catalogue_build");
	if (rc == CM_OK)
		rc = store_catgen_clean(st);
	if (rc == CM_OK)
		rc = clean_staging(st, 0);
	return rc;
}

void store_import_end(struct store *st)
{
	clean_staging(st, 0);
}

/* ---- the whole ---- */

/* foreign_keys and legacy_alter_table are per connection and cannot
 * change inside a transaction: set around the whole apply. */
static enum cm_rc renaming_mode(struct store *st, bool on)
{
	return exec_sql(st, on ? "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON"
	                       : "PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON");
}

static enum cm_rc apply_tries(struct catgen *g, store_catgen_finish_fn finish, void *ctx)
{
	enum cm_rc rc = CM_CONFLICT;
	for (int i = 0; rc == CM_CONFLICT && i < SWITCH_TRIES; i++) {
		bool found;
		rc = state_load(g, &found);
		if (rc == CM_OK && !found)
			rc = start(g);
		else if (rc == CM_OK)
			rc = check_switchable(g->st);
		if (rc == CM_OK)
			rc = build(g);
		if (rc == CM_OK)
			rc = switch_in(g, finish, ctx);
		if (rc == CM_CONFLICT) {
			/* Someone imported meanwhile: build again from their catalogue. */
			enum cm_rc d = in_own_tx(g->st, "DELETE FROM catalogue_build");
			if (d != CM_OK)
				return d;
		}
	}
	if (rc == CM_CONFLICT)
		store_seterr(g->st, "%s", _("applying the catalogue: the catalogue kept changing during the pull; it is applied next time"));
	return rc;
}

/* A build handle of upto; NULL (the message on st) when out of memory.
 * strict: every step ends at its STEP_MS however little CPU it had (a
 * pull's, an import's: a machine busy enough to stretch steps to
 * STEP_MAX_MS made the till wait 80-150 ms for them; the build is slower
 * there instead). */
static struct catgen *catgen_new(struct store *st, int64_t upto, bool strict)
{
	struct catgen *g = calloc(1, sizeof *g);
	if (!g) {
		store_seterr(st, "%s", _("out of memory"));
		return NULL;
	}
	g->st = st;
	g->upto = upto;
	g->strict = strict;
	return g;
}

enum cm_rc store_catgen_apply(struct store *st, int64_t upto, store_catgen_finish_fn finish,
                              void *ctx, struct catgen_result *out)
{
	memset(out, 0, sizeof *out);
	struct catgen *g = catgen_new(st, upto, false);
	if (!g)
		return CM_NOMEM;
	enum cm_rc rc = renaming_mode(st, true);
	if (rc == CM_OK)
		rc = apply_tries(g, finish, ctx);
	if (rc == CM_OK)
		*out = g->r;
	enum cm_rc back = renaming_mode(st, false);
	if (rc == CM_OK)
		rc = back;
	free(g);
	if (rc == CM_STATE) {
		/* Given up for the one transaction apply: no build may stay. */
		char keep[sizeof st->err];
		memcpy(keep, st->err, sizeof keep);
		if (in_own_tx(st, "DELETE FROM catalogue_build") != CM_OK ||
		    store_catgen_clean(st) != CM_OK)
			return CM_IO;
		memcpy(st->err, keep, sizeof keep);
	}
	if (rc == CM_OK) {
		enum cm_rc c = store_catgen_clean(st);
		if (c != CM_OK)
			return c;
	}
	return rc;
}

/* ---- a big local import, written straight into the build ---- */

/* Ends a direct build: on success the old tables are cleaned; otherwise
 * the build is dropped, keeping the handle's message. */
/* Inside the step's transaction, before it writes: the build is still
 * this import's. Another import that found it idle for IMPORT_IDLE_S
 * started its own in its place; this one then gives up, writing nothing
 * more and leaving the other's build alone (direct_end). */
static enum cm_rc direct_own(struct catgen *g)
{
	int64_t n;
	enum cm_rc rc = one_int(g->st, "SELECT count(*) FROM catalogue_build WHERE owner = ?1 "
	                        "AND ?2 = ?2", g->owner, 0, &n);
	if (rc == CM_OK && !n) {
		g->lost = true;
		store_seterr(g->st, "%s", _("another import or pull took over the catalogue's build "
		             "while this import stood still: nothing was imported; run it again"));
		rc = CM_BUSY;
	}
	return rc;
}

static enum cm_rc direct_end(struct catgen *g, enum cm_rc rc)
{
	struct store *st = g->st;
	char keep[sizeof st->err];
	memcpy(keep, st->err, sizeof keep);
	enum cm_rc back = renaming_mode(st, false);
	if (rc == CM_OK)
		rc = back;
	if (rc == CM_OK) {
		rc = store_catgen_clean(st);
	} else if (g->lost) {
		memcpy(st->err, keep, sizeof keep);     /* the build is another's now */
	} else if (in_own_tx(st, "DELETE FROM catalogue_build") != CM_OK ||
	           store_catgen_clean(st) != CM_OK) {
		rc = CM_IO;
	} else {
		memcpy(st->err, keep, sizeof keep);
	}
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.catgen_renamed", NULL, NULL, NULL);
	catkeys_free(g->keys);
	free(g->recoded);
	free(g->batch);
	free(g);
	return rc;
}

/* ?1 id, ?2 sku, then the columns in the table's order (each ?N + at). */
#define ITEM_PARAMS 14
static void bind_item(sqlite3_stmt *s, int at, int64_t id, const struct item_rec *it,
                      int64_t cat, int64_t sup)
{
	sqlite3_bind_int64(s, at + 1, id);
	store_bind_item(s, at + 1, it, cat, sup);
}

/* The file's items and their barcodes wait here and go BATCH rows a
 * statement: one statement a row cost as much in starting and ending it
 * as in writing the row. What is waiting is written before anything
 * reads the build's items or barcodes (a repeat looked up, a PLU moved)
 * and before each commit (store_catgen_direct_mark). */
#define BATCH 32
#define ITEM_COLS "id, sku, name, receipt_name, unit, weighed, price, member_price, " \
	"tax_class, category_id, supplier_id, plu, active, updated_at"

struct direct_batch {
	size_t n, ncodes;
	struct { struct item_rec it; int64_t id, cat, sup; } items[BATCH];
	struct { char code[16]; int64_t id; } codes[BATCH * 8];  /* an import's: BATCH at most */
};

/* "INSERT INTO table(cols) VALUES (?, ...), ..." of BATCH rows of ncols,
 * made once (its address is its name in the statement cache). */
static const char *multi_sql(char *buf, size_t size, const char *head, int ncols)
{
	if (buf[0])
		return buf;
	size_t k = (size_t)snprintf(buf, size, "%s VALUES ", head);
	for (int r = 0; r < BATCH && k < size; r++) {
		k += (size_t)snprintf(buf + k, size - k, "%s(", r ? ", " : "");
		for (int c = 0; c < ncols && k < size; c++)
			k += (size_t)snprintf(buf + k, size - k, "%s?", c ? ", " : "");
		if (k < size)
			k += (size_t)snprintf(buf + k, size - k, ")");
	}
	return buf;
}

/* The batch's items into items_next: BATCH a statement when it is full,
 * else one a row; *written: the rows written before a failure. */
static enum cm_rc batch_items(struct catgen *g, size_t *written)
{
	static const char one[] = "INSERT INTO items_next(" ITEM_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	static char all[BATCH * (ITEM_PARAMS * 3 + 4) + 256];
	struct direct_batch *b = g->batch;
	bool full = b->n == BATCH;
	enum cm_rc rc = CM_OK;
	sqlite3_stmt *s = NULL;
	*written = 0;
	for (size_t i = 0; rc == CM_OK && i < b->n; i++) {
		if ((!full || !i) && !(s = store_stmt(g->st, full ? multi_sql(all, sizeof all,
		                       "INSERT INTO items_next(" ITEM_COLS ")", ITEM_PARAMS) : one)))
			return CM_IO;
		bind_item(s, full ? (int)i * ITEM_PARAMS : 0, b->items[i].id, &b->items[i].it,
		          b->items[i].cat, b->items[i].sup);
		if (!full || i == BATCH - 1) {
			rc = step_done(g->st, s, N_("saving an item"));
			if (rc == CM_OK)
				*written = i + 1;
		}
	}
	return rc;
}

static enum cm_rc flush_items(struct catgen *g)
{
	size_t written;
	enum cm_rc rc = batch_items(g, &written);
	g->batch->n = 0;
	return rc;
}

/* multi_sql of barcodes_next(code, item_id) for a pull: a code another
 * item held moves to this one (as pull_barcodes writes them). */
#define PULL_CODE_MOVES " ON CONFLICT(code) DO UPDATE SET item_id = excluded.item_id, " \
	"pack_qty = excluded.pack_qty"
static const char *pull_codes_sql(void)
{
	static char all[BATCH * 10 + 256];
	if (!all[0]) {
		char head[BATCH * 10 + 128] = "";
		multi_sql(head, sizeof head, "INSERT INTO barcodes_next(code, item_id)", 2);
		snprintf(all, sizeof all, "%s" PULL_CODE_MOVES, head);
	}
	return all;
}

/* A code a live item keeps keeps its pack quantity (the default unless
 * someone set one: then each code is written with a lookup of its own). */
static enum cm_rc flush_codes(struct catgen *g)
{
	static const char plain[] = "INSERT INTO barcodes_next(code, item_id) VALUES (?1, ?2)";
	static const char kept[] = "INSERT INTO barcodes_next(code, item_id, pack_qty) "
		"VALUES (?1, ?2, COALESCE((SELECT pack_qty FROM main.barcodes "
		"WHERE code = ?1 AND item_id = ?2), 1000))";
	static const char moved[] = "INSERT INTO barcodes_next(code, item_id) VALUES (?1, ?2)"
		PULL_CODE_MOVES;
	static char all[BATCH * 10 + 128];
	const char *one = !g->direct ? moved : g->packs ? kept : plain;
	struct direct_batch *b = g->batch;
	enum cm_rc rc = CM_OK;
	sqlite3_stmt *s = NULL;
	/* BATCH codes a statement while there are as many (a pull's items
	 * wait with all their codes), the rest one a statement */
	for (size_t i = 0; rc == CM_OK && i < b->ncodes; i++) {
		size_t j = i % BATCH;
		bool full = !g->packs && b->ncodes - (i - j) >= BATCH;
		const char *many = !full || j ? NULL : !g->direct ? pull_codes_sql()
			: multi_sql(all, sizeof all, "INSERT INTO barcodes_next(code, item_id)", 2);
		if ((!full || !j) && !(s = store_stmt(g->st, full ? many : one)))
			return CM_IO;
		int at = full ? (int)j * 2 : 0;
		sqlite3_bind_text(s, at + 1, b->codes[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, at + 2, b->codes[i].id);
		if (!full || j == BATCH - 1)
			rc = step_done(g->st, s, N_("saving barcodes"));
	}
	b->ncodes = 0;
	return rc;
}

static enum cm_rc batch_flush(struct catgen *g)
{
	enum cm_rc rc = flush_items(g);
	return rc == CM_OK ? flush_codes(g) : rc;
}

/* An item into the batch, written when it is full. */
static enum cm_rc batch_add(struct catgen *g, const struct item_rec *it, int64_t id,
                            char (*codes)[16], size_t n)
{
	struct direct_batch *b = g->batch;
	enum cm_rc rc = cached_ref(g, g->cats, false, it->category, &b->items[b->n].cat);
	if (rc == CM_OK)
		rc = cached_ref(g, g->sups, true, it->supplier, &b->items[b->n].sup);
	if (rc != CM_OK)
		return rc;
	b->items[b->n].it = *it;
	b->items[b->n++].id = id;
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		memcpy(b->codes[b->ncodes].code, codes[i], sizeof codes[i]);
		b->codes[b->ncodes++].id = id;
		if (b->ncodes == BATCH)
			rc = flush_codes(g);
	}
	return rc == CM_OK && b->n == BATCH ? flush_items(g) : rc;
}

/* The build of an import starts empty: the file's rows go in first, a
 * live item's with its own id, and the live items no row put are copied
 * after the file (direct_rest). Copying every live item first and then
 * rewriting each was most of the work of a file that changes every
 * price. */
enum cm_rc store_catgen_direct_begin(struct store *st, struct catgen **out)
{
	static const char top[] = "SELECT COALESCE(max(id), 0) FROM items WHERE ?1 = ?2";
	/* a pack quantity nobody set is the default, which a row keeps */
	static const char packs[] = "SELECT EXISTS (SELECT 1 FROM barcodes WHERE pack_qty <> 1000) "
		"WHERE ?1 = ?2";
	*out = NULL;
	struct catgen *g = catgen_new(st, STORE_IMPORT_UPTO, true);
	if (!g)
		return CM_NOMEM;
	g->batch = calloc(1, sizeof *g->batch);
	enum cm_rc rc = (g->keys = catkeys_new()) && g->batch ? renaming_mode(st, true) : CM_NOMEM;
	if (rc == CM_NOMEM)
		store_seterr(st, "%s", _("out of memory"));
	if (rc == CM_OK)
		rc = start(g);
	if (rc == CM_OK)
		rc = one_int(st, top, 0, 0, &g->top);
	int64_t any = 0;
	if (rc == CM_OK)
		rc = one_int(st, packs, 0, 0, &any);
	if (rc == CM_OK && g->top && !(g->recoded = calloc((size_t)(g->top >> 3) + 1, 1))) {
		store_seterr(st, "%s", _("out of memory"));
		rc = CM_NOMEM;
	}
	if (rc != CM_OK)
		return direct_end(g, rc);
	g->packs = any != 0;
	g->phase = PH_APPLY;      /* recorded with the first step's rows */
	g->direct = true;
	g->top0 = g->top;
	*out = g;
	return CM_OK;
}

/* The id of the item in the build holding value (a SKU: sql looks in
 * items_next; a barcode: in barcodes_next), 0 when none. */
static enum cm_rc holder(struct catgen *g, const char *sql, const char *value, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	*id = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return src == SQLITE_ROW || src == SQLITE_DONE
	       ? CM_OK : store_fail(g->st, src, _("importing the catalogue"));
}

static void key_codes(char (*keyed)[16], const char (*codes)[16], size_t *n)
{
	if (*n > 8)
		*n = 8;
	for (size_t i = 0; i < *n; i++)
		if (barcode_gtin_key(codes[i], keyed[i]) != CM_OK)
			memcpy(keyed[i], codes[i], sizeof keyed[i]);
}

/* Whether the row's codes (keyed) are the codes its live item has: then
 * none is another item's, and the live ones stand (nothing written). */
static enum cm_rc same_codes(struct catgen *g, const char (*keyed)[16], size_t n)
{
	static const char sql[] = "SELECT code FROM main.barcodes WHERE item_id = ?1";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, g->row_id);
	int src;
	bool same = true;
	g->row_nlive = 0;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(s, 0);
		bool found = false;
		for (size_t i = 0; !found && i < n; i++)
			found = strcmp(keyed[i], code) == 0;
		same = same && found;
		g->row_nlive++;
	}
	sqlite3_reset(s);
	g->row_same = same && g->row_nlive == (int64_t)n;
	return src == SQLITE_DONE ? CM_OK : store_fail(g->st, src, _("importing the catalogue"));
}

/* A key put by an earlier line is in the build on an item that line put
 * (the filter says when to look). The SKU's item is kept for the put: a
 * live item's own id, else a new item's that an earlier line put. */
enum cm_rc store_catgen_direct_check(struct catgen *g, const struct item_rec *it,
                                     const char (*codes)[16], size_t n, size_t *which,
                                     size_t *first_line)
{
	static const char live_sku[] = "SELECT id FROM main.items WHERE sku = ?1";
	static const char by_sku[] = "SELECT id FROM items_next WHERE sku = ?1";
	static const char by_code[] = "SELECT item_id FROM barcodes_next WHERE code = ?1";
	static const char live_code[] = "SELECT item_id FROM main.barcodes WHERE code = ?1";
	static const char by_plu[] = "SELECT id FROM items_next WHERE plu = CAST(?1 AS INTEGER)";
	const char *sku = it->sku;
	char keyed[8][16], plu[16];
	snprintf(plu, sizeof plu, "%d", (int)it->plu);
	int64_t id = 0;
	enum cm_rc rc = CM_OK;
	*which = *first_line = 0;
	g->row_sku[0] = '\0';
	g->row_id = 0;
	/* Only the import's own rows are there when it began on no items. */
	bool maybe = catkeys_maybe(g->keys, 's', sku);
	for (size_t i = 0; !maybe && i < n && i < 8; i++)
		maybe = catkeys_maybe(g->keys, 'b', codes[i]);
	maybe = maybe || (it->plu && catkeys_maybe(g->keys, 'p', plu));
	/* What the filter may have seen may be waiting in the batch. */
	if (maybe)
		rc = batch_flush(g);
	if (rc == CM_OK && g->top0)
		rc = holder(g, live_sku, sku, &g->row_id);
	if (rc == CM_OK && maybe && !g->row_id)
		rc = holder(g, by_sku, sku, &g->row_id);
	if (rc == CM_OK && maybe && !(*first_line = catkeys_line(g->keys, g->row_id)))
		*first_line = catkeys_refused(g->keys, 's', sku);
	if (rc == CM_OK && *first_line)
		return CM_CONFLICT;
	key_codes(keyed, codes, &n);
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		if (!catkeys_maybe(g->keys, 'b', keyed[i]))
			continue;
		rc = holder(g, by_code, keyed[i], &id);
		/* an earlier line that kept its item's live codes wrote none */
		if (rc == CM_OK && !id && g->top0)
			rc = holder(g, live_code, keyed[i], &id);
		if (rc == CM_OK && recoded(g, id))
			id = 0;
		if (rc == CM_OK && !(*first_line = catkeys_line(g->keys, id)))
			*first_line = catkeys_refused(g->keys, 'b', keyed[i]);
		if (rc == CM_OK && *first_line) {
			*which = i + 1;
			return CM_CONFLICT;
		}
	}
	if (rc == CM_OK && it->plu && catkeys_maybe(g->keys, 'p', plu)) {
		rc = holder(g, by_plu, plu, &id);
		if (rc == CM_OK && !(*first_line = catkeys_line(g->keys, id)))
			*first_line = catkeys_refused(g->keys, 'p', plu);
		if (rc == CM_OK && *first_line) {
			*which = STORE_CATGEN_PLU;
			return CM_CONFLICT;
		}
	}
	g->row_same = false;
	if (rc == CM_OK && g->row_id)
		rc = same_codes(g, (const char (*)[16])keyed, n);
	if (rc == CM_OK)
		snprintf(g->row_sku, sizeof g->row_sku, "%s", sku);
	return rc;
}

bool store_catgen_direct_empty(const struct catgen *g)
{
	return g->top0 == 0;
}

bool store_catgen_direct_own_codes(const struct catgen *g)
{
	return g->row_same;
}

enum cm_rc store_catgen_direct_refuse(struct catgen *g, const struct item_rec *it,
                                      const char (*codes)[16], size_t n, size_t line)
{
	char keyed[8][16], plu[16];
	snprintf(plu, sizeof plu, "%d", (int)it->plu);
	bool ok = catkeys_refuse(g->keys, 's', it->sku, line);
	if (ok && it->plu)
		ok = catkeys_refuse(g->keys, 'p', plu, line);
	key_codes(keyed, codes, &n);
	for (size_t i = 0; ok && i < n; i++)
		ok = catkeys_refuse(g->keys, 'b', keyed[i], line);
	if (ok)
		return CM_OK;
	store_seterr(g->st, "%s", _("out of memory"));
	return CM_NOMEM;
}

/* The row into the build, and what it put into the keys. */
static enum cm_rc direct_write(struct catgen *g, const struct item_rec *it, char (*codes)[16],
                               size_t n, size_t line)
{
	/* A live item keeps its id; a new item takes the next one (ids above
	 * the live catalogue's are the import's own): nothing needs reading
	 * back, and either is written as a new row of the build. */
	bool fresh = !g->row_id;
	int64_t id = fresh ? g->top + 1 : g->row_id;
	/* A live item's codes are written only when the row changes them;
	 * then all of its codes (codes_patch, rest_step). */
	size_t put = !fresh && g->row_same ? 0 : n;
	enum cm_rc rc = it->plu ? batch_flush(g) : CM_OK;
	if (rc == CM_OK && it->plu)
		rc = release_codes(g->st, it, codes, n, true);
	if (rc == CM_OK)
		rc = batch_add(g, it, id, codes, put);
	if (rc != CM_OK)
		return rc;
	if (!fresh && !g->row_same) {
		g->recoded[id >> 3] |= (uint8_t)(1u << (id & 7));
		g->gone_codes += g->row_nlive;
	}
	g->put_codes += (int64_t)put;
	if (!catkeys_set_line(g->keys, id, line)) {
		store_seterr(g->st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	catkeys_add(g->keys, 's', it->sku);
	for (size_t i = 0; i < n; i++)
		catkeys_add(g->keys, 'b', codes[i]);
	if (it->plu) {
		char plu[16];
		snprintf(plu, sizeof plu, "%d", (int)it->plu);
		catkeys_add(g->keys, 'p', plu);
	}
	if (fresh)
		g->top = id;
	else
		g->named++;
	g->fresh = fresh;
	g->r.upserted++;
	return CM_OK;
}

enum cm_rc store_catgen_direct_put(struct catgen *g, const struct item_rec *item,
                                   const char (*codes)[16], size_t n, size_t line,
                                   bool *created)
{
	struct item_rec it = *item;
	char keyed[8][16];
	size_t which, first;
	enum cm_rc rc = strcmp(g->row_sku, item->sku) == 0
	                ? CM_OK : store_catgen_direct_check(g, item, codes, n, &which, &first);
	g->row_sku[0] = '\0';
	if (rc == CM_CONFLICT && !which)
		store_seterr(g->st, _("SKU %s appears twice (line %zu)"), item->sku, first);
	else if (rc == CM_CONFLICT && which == STORE_CATGEN_PLU)
		store_seterr(g->st, _("scale PLU %d appears twice (line %zu)"), (int)item->plu, first);
	else if (rc == CM_CONFLICT)
		store_seterr(g->st, _("barcode %s appears twice (line %zu)"), codes[which - 1], first);
	if (rc != CM_OK)
		return rc;
	if (n > 8)
		n = 8;
	if (n)         /* codes may be NULL when there are none */
		memcpy(keyed, codes, n * sizeof *keyed);
	store_staged_fill(&it, keyed, n);
	if (!g->deadline) {
		if ((rc = direct_own(g)) != CM_OK)
			return rc;
		g->deadline = cm_mono_ms() + STEP_MS;
		g->step_cpu0 = cpu_ms();
	}
	rc = direct_write(g, &it, keyed, n, line);
	*created = g->fresh;
	if (rc != CM_OK || step_on(g, g->deadline))
		return rc;
	/* The step's share of the write lock is over: the till's turn. */
	rc = store_catgen_direct_mark(g);
	if (rc == CM_OK)
		rc = store_commit(g->st);
	if (rc != CM_OK)
		return rc;
	pause_for_till(g->st);
	return store_begin_relaxed(g->st);
}

enum cm_rc store_catgen_direct_mark(struct catgen *g)
{
	g->deadline = 0;
	enum cm_rc rc = batch_flush(g);
	return rc == CM_OK ? state_save(g) : rc;
}

/* Copies the rows of sql (?1..?2: a run of live ids) for the live ids
 * taken() is false for, REST_RUN ids a statement at most. The cursor is
 * the last id looked at. */
#define REST_RUN 1000
static enum cm_rc copy_runs(struct catgen *g, int64_t deadline, bool *done, const char *sql,
                            bool (*taken)(const struct catgen *g, int64_t id))
{
	enum cm_rc rc = CM_OK;
	while (rc == CM_OK && step_on(g, deadline)) {
		int64_t lo = g->cursor + 1, hi, n;
		while (lo <= g->top0 && taken(g, lo))
			lo++;
		if (lo > g->top0) {
			*done = true;
			break;
		}
		for (hi = lo; hi < g->top0 && hi - lo < REST_RUN - 1 && !taken(g, hi + 1);)
			hi++;
		rc = one_int(g->st, sql, lo, hi, &n);
		g->moved += sqlite3_changes(g->st->db);
		if (rc == CM_OK)
			g->cursor = hi;
	}
	return rc;
}

static bool in_file(const struct catgen *g, int64_t id)
{
	return catkeys_line(g->keys, id) != 0;
}

/* The live items no row of the file put, copied as they are. */
static enum cm_rc rest_items_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char sql[] =
		"INSERT INTO items_next SELECT * FROM main.items WHERE id >= ?1 AND id <= ?2";
	return copy_runs(g, deadline, done, sql, in_file);
}

/* When the live barcodes are not patched (codes_patch): the codes of
 * every live item whose row did not change them, copied as they are. */
static enum cm_rc rest_codes_step(struct catgen *g, int64_t deadline, bool *done)
{
	static const char sql[] =
		"INSERT INTO barcodes_next SELECT * FROM main.barcodes "
		"WHERE item_id >= ?1 AND item_id <= ?2";
	return copy_runs(g, deadline, done, sql, recoded);
}

/* After the file: what the build lacks of the live catalogue. */
static enum cm_rc direct_rest(struct catgen *g)
{
	static const char live[] = "SELECT count(*) FROM main.items WHERE ?1 = ?2";
	int64_t all = 0;
	enum cm_rc rc = g->top0 ? one_int(g->st, live, 0, 0, &all) : CM_OK;
	g->codes_patch = g->top0 && g->put_codes + g->gone_codes <= CODES_PATCH_MAX;
	g->total = all - g->named;
	if (rc == CM_OK)
		rc = run_phase(g, PH_APPLY, rest_items_step, NULL, N_("copying the catalogue"));
	if (rc != CM_OK || g->codes_patch || !g->top0)
		return rc;
	g->phase = PH_APPLY;
	g->cursor = 0;
	g->total = all;
	return run_phase(g, PH_APPLY, rest_codes_step, NULL, N_("copying the catalogue"));
}

enum cm_rc store_catgen_direct_finish(struct catgen *g, store_catgen_finish_fn finish,
                                      void *ctx, struct catgen_result *out)
{
	memset(out, 0, sizeof *out);
	g->cursor = 0;
	enum cm_rc rc = store_begin_relaxed(g->st);
	if (rc == CM_OK) {
		rc = direct_own(g);
		if (rc == CM_OK)
			rc = batch_flush(g);
		if (rc == CM_OK)
			rc = state_save(g);
		if (rc == CM_OK)
			rc = store_commit(g->st);
		else
			store_rollback(g->st);
	}
	if (rc == CM_OK)
		rc = direct_rest(g);
	if (rc == CM_OK)
		rc = fts_patchable(g, &g->fts_patch);
	if (rc == CM_OK && g->fts_patch)
		g->phase = PH_READY;     /* no index to build */
	if (rc == CM_OK)
		rc = build(g);
	if (rc == CM_OK)
		rc = switch_in(g, finish, ctx);
	if (rc == CM_CONFLICT)
		store_seterr(g->st, "%s", _("applying the catalogue: the catalogue changed during the import; run the import again"));
	if (rc == CM_OK)
		*out = g->r;
	return direct_end(g, rc);
}

void store_catgen_direct_abort(struct catgen *g)
{
	if (g)
		direct_end(g, CM_STATE);
}

/* ---- a big pull, its pages written straight into the build ---- */

/* The build a pull writes into is still its own (an import may have
 * taken the build over between two steps): checked as each step begins,
 * inside its transaction, before any row of it is written. */
static enum cm_rc pull_own(struct catgen *g)
{
	static const char sql[] =
		"SELECT count(*) FROM catalogue_build WHERE upto = ?1 AND direct = 1 AND ?2 = ?2";
	int64_t n;
	enum cm_rc rc = one_int(g->st, sql, g->upto, 0, &n);
	if (rc == CM_OK && !n) {
		store_seterr(g->st, "%s", _("another change of the catalogue (a pull from HQ or an import) is being applied; try again in a few minutes"));
		return CM_BUSY;
	}
	if (rc == CM_OK) {
		g->deadline = cm_mono_ms() + STEP_MS;
		g->step_cpu0 = cpu_ms();
	}
	return rc;
}

/* Ends the handle; the build stays for the next run unless it switched
 * in (then what it left is cleaned). */
static enum cm_rc pull_end(struct catgen *g, enum cm_rc rc)
{
	struct store *st = g->st;
	char keep[sizeof st->err];
	memcpy(keep, st->err, sizeof keep);
	enum cm_rc back = renaming_mode(st, false);
	free(g->batch);
	free(g);
	if (rc != CM_OK) {
		memcpy(st->err, keep, sizeof keep);
		return rc;
	}
	return back == CM_OK ? store_catgen_clean(st) : back;
}

enum cm_rc store_catgen_pull_found(struct store *st, int64_t upto, bool *found)
{
	static const char sql[] =
		"SELECT count(*) FROM catalogue_build WHERE upto = ?1 AND direct = 1 AND ?2 = ?2";
	int64_t n = 0;
	enum cm_rc rc = one_int(st, sql, upto, 0, &n);
	*found = n > 0;
	return rc;
}

/* A fresh build, marked as written straight from pages. */
static enum cm_rc pull_start(struct catgen *g)
{
	enum cm_rc rc = start(g);
	if (rc == CM_OK)
		rc = in_own_tx(g->st, "UPDATE catalogue_build SET direct = 1");
	return rc;
}

/* A till's first pull batches its rows: each makes a new item (a SKU a
 * local import made clashes: see pull_unbatch). */
static enum cm_rc pull_batching(struct catgen *g)
{
	static const char top[] = "SELECT COALESCE(max(id), 0) FROM items_next WHERE ?1 = ?2";
	static const char pulled[] =
		"SELECT COALESCE((SELECT catalogue_version FROM sync_state), 0) WHERE ?1 = ?2";
	int64_t version = 0;
	enum cm_rc rc = one_int(g->st, pulled, 0, 0, &version);
	if (rc != CM_OK || version)
		return rc;
	if (!g->batch && !(g->batch = calloc(1, sizeof *g->batch))) {
		store_seterr(g->st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	rc = one_int(g->st, top, 0, 0, &g->top);
	g->pull_batch = rc == CM_OK;
	return rc;
}

enum cm_rc store_catgen_pull_begin(struct store *st, int64_t upto, struct catgen **out,
                                   int64_t *skip)
{
	*out = NULL;
	*skip = 0;
	struct catgen *g = catgen_new(st, upto, true);
	if (!g)
		return CM_NOMEM;
	/* One agent runs at a time: another pull's build is a killed run's. */
	char *stale = sqlite3_mprintf("DELETE FROM catalogue_build WHERE upto >= 0 AND upto <> %lld",
	                              (long long)upto);
	enum cm_rc rc = stale ? in_own_tx(st, stale) : CM_NOMEM;
	sqlite3_free(stale);
	bool found = false, direct = false;
	if (rc == CM_OK)
		rc = renaming_mode(st, true);
	if (rc == CM_OK)
		rc = state_load(g, &found);
	if (rc == CM_OK && found)
		rc = store_catgen_pull_found(st, upto, &direct);
	if (rc == CM_OK && found && direct)
		rc = check_switchable(st);
	else if (rc == CM_OK)
		rc = pull_start(g);
	if (rc == CM_OK)
		rc = run_phase(g, PH_COPY, copy_step, n_items, N_("copying the catalogue"));
	if (rc == CM_OK && g->phase == PH_APPLY)
		rc = pull_batching(g);
	if (rc != CM_OK)
		return pull_end(g, rc);
	*skip = g->phase == PH_APPLY ? g->cursor : 0;
	*out = g;
	return CM_OK;
}

/* Whether the item's barcodes are codes[0..n-1] already, each with the
 * pack quantity a pull gives (a price change, the usual delta, leaves
 * them as they were: nothing to delete and write again). */
static enum cm_rc same_barcodes(struct store *st, int64_t id, char (*codes)[16], size_t n,
                                bool *same)
{
	static const char sql[] = "SELECT code, pack_qty FROM barcodes_next WHERE item_id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, id);
	size_t k = 0;
	int src;
	*same = true;
	while (*same && (src = sqlite3_step(s)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(s, 0);
		bool found = false;
		for (size_t i = 0; !found && i < n; i++)
			found = strcmp(codes[i], code) == 0;
		*same = found && sqlite3_column_int64(s, 1) == 1000 && ++k <= n;
	}
	sqlite3_reset(s);
	if (*same && src != SQLITE_DONE)
		return store_fail(st, src, _("saving barcodes"));
	*same = *same && k == n;
	return CM_OK;
}

/* Barcodes of a pulled item: a code another item held moves to this one
 * (as release_codes and put_barcodes do in two statements each). */
static enum cm_rc pull_barcodes(struct store *st, int64_t id, char (*codes)[16], size_t n,
                                bool fresh)
{
	static const char ins[] =
		"INSERT INTO barcodes_next(code, item_id) VALUES (?1, ?2) ON CONFLICT(code) "
		"DO UPDATE SET item_id = excluded.item_id, pack_qty = excluded.pack_qty";
	bool same = false;
	enum cm_rc rc = fresh ? CM_OK : same_barcodes(st, id, codes, n, &same);
	return rc != CM_OK || same ? rc : write_barcodes(st, ins, id, codes, n, fresh);
}

/* upsert_next without RETURNING (which collects its rows in a table of
 * its own: 2-3 us a row): a new row's id is the last inserted rowid, set
 * to 0 first (an updated row leaves it, and a new category sets it);
 * an updated row's id is looked up by its SKU. */
static enum cm_rc pull_upsert(struct catgen *g, const struct item_rec *it, int64_t cat,
                              int64_t sup, int64_t *id, bool *fresh)
{
	static const char sql[] =
		"INSERT INTO items_next(sku, name, receipt_name, unit, weighed, price, member_price, "
		"  tax_class, category_id, supplier_id, plu, active, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
		"ON CONFLICT(sku) DO UPDATE SET name = excluded.name, "
		"  receipt_name = excluded.receipt_name, unit = excluded.unit, "
		"  weighed = excluded.weighed, price = excluded.price, "
		"  member_price = excluded.member_price, tax_class = excluded.tax_class, "
		"  category_id = excluded.category_id, supplier_id = excluded.supplier_id, "
		"  plu = excluded.plu, active = excluded.active, updated_at = excluded.updated_at";
	static const char find[] = "SELECT id FROM items_next WHERE sku = ?1";
	sqlite3_stmt *s = store_stmt(g->st, sql);
	if (!s)
		return CM_IO;
	store_bind_item(s, 0, it, cat, sup);
	sqlite3_set_last_insert_rowid(g->st->db, 0);
	enum cm_rc rc = step_done(g->st, s, N_("saving an item"));
	*id = sqlite3_last_insert_rowid(g->st->db);
	*fresh = *id != 0;
	if (rc != CM_OK || *fresh)
		return rc;
	if (!(s = store_stmt(g->st, find)))
		return CM_IO;
	sqlite3_bind_text(s, 1, it->sku, -1, SQLITE_STATIC);
	int src = sqlite3_step(s);
	*id = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return src == SQLITE_ROW ? CM_OK : store_fail(g->st, src, _("saving an item"));
}

/* One row of a pull written as it comes: an upsert by SKU. */
static enum cm_rc pull_row(struct catgen *g, const struct item_rec *it, int64_t cat,
                           int64_t sup, char (*codes)[16], size_t n)
{
	enum cm_rc rc = release_codes(g->st, it, codes, n, true);   /* the PLU only */
	bool fresh = false;
	int64_t id = 0;
	if (rc == CM_OK)
		rc = pull_upsert(g, it, cat, sup, &id, &fresh);
	if (rc == CM_OK)
		rc = pull_barcodes(g->st, id, codes, n, fresh);
	return rc;
}

/* ---- a first pull's rows, BATCH a statement ----
 *
 * In a till's first pull every row makes a new item (pull_batching): it
 * takes the next id and waits in g->batch, written with
 * the rows around it BATCH a statement (items, then their barcodes), as
 * an import's are: one statement a row cost about as much in starting
 * and ending it as in writing the row. The rows waiting are written
 * before the build is read (a deletion) and before each mark, so a
 * step's cursor names only written rows. A row that clashes with one
 * written (HQ naming a SKU twice, or a PLU a waiting row holds) fails
 * its statement whole: it and the rows after it are then written one by
 * one (pull_row), and so is the rest of the pull. */

static enum cm_rc pull_unbatch(struct catgen *g, size_t written)
{
	struct direct_batch *b = g->batch, *left = malloc(sizeof *left);
	if (!left) {
		store_seterr(g->st, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	memcpy(left, b, sizeof *left);
	g->pull_batch = false;
	int64_t first = left->items[written].id;
	size_t codes = 0;            /* the written items' codes come first */
	while (codes < left->ncodes && left->codes[codes].id < first)
		codes++;
	b->n = 0;
	b->ncodes = codes;
	enum cm_rc rc = flush_codes(g);
	for (size_t i = written; rc == CM_OK && i < left->n; i++) {
		char mine[8][16];
		size_t k = 0;
		for (size_t c = codes; c < left->ncodes && k < 8; c++)
			if (left->codes[c].id == left->items[i].id)
				memcpy(mine[k++], left->codes[c].code, sizeof mine[0]);
		rc = pull_row(g, &left->items[i].it, left->items[i].cat, left->items[i].sup, mine, k);
	}
	free(left);
	return rc;
}

static enum cm_rc pull_flush(struct catgen *g)
{
	struct direct_batch *b = g->batch;
	if (!g->pull_batch || !b->n)
		return CM_OK;
	size_t written;
	enum cm_rc rc = batch_items(g, &written);
	if (rc == CM_CONFLICT)
		return pull_unbatch(g, written);
	b->n = 0;
	if (rc == CM_OK)
		return flush_codes(g);
	b->ncodes = 0;
	return rc;
}

static enum cm_rc pull_queue(struct catgen *g, const struct item_rec *it, int64_t cat,
                             int64_t sup, char (*codes)[16], size_t n)
{
	struct direct_batch *b = g->batch;
	enum cm_rc rc = CM_OK;
	if (b->ncodes + n > BATCH * 8)   /* an item's codes go with it */
		rc = pull_flush(g);
	if (rc != CM_OK || !g->pull_batch)
		return rc == CM_OK ? pull_row(g, it, cat, sup, codes, n) : rc;
	/* a PLU another item holds moves now; one a waiting row holds
	 * clashes when written (pull_unbatch) */
	rc = release_codes(g->st, it, codes, n, true);
	if (rc != CM_OK)
		return rc;
	b->items[b->n].it = *it;
	b->items[b->n].cat = cat;
	b->items[b->n].sup = sup;
	b->items[b->n++].id = ++g->top;
	for (size_t i = 0; i < n; i++) {
		memcpy(b->codes[b->ncodes].code, codes[i], sizeof codes[i]);
		b->codes[b->ncodes++].id = g->top;
	}
	return b->n == BATCH ? pull_flush(g) : CM_OK;
}

enum cm_rc store_catgen_pull_put(struct catgen *g, const struct item_rec *item,
                                 const char (*codes)[16], size_t n)
{
	struct item_rec it = *item;
	char keyed[8][16];
	int64_t cat, sup;
	if (n > 8)
		n = 8;
	if (n)         /* codes may be NULL when there are none */
		memcpy(keyed, codes, n * sizeof *keyed);
	store_staged_fill(&it, keyed, n);
	enum cm_rc rc = g->deadline ? CM_OK : pull_own(g);
	if (rc == CM_OK)
		rc = cached_ref(g, g->cats, false, it.category, &cat);
	if (rc == CM_OK)
		rc = cached_ref(g, g->sups, true, it.supplier, &sup);
	if (rc == CM_OK)
		rc = g->pull_batch ? pull_queue(g, &it, cat, sup, keyed, n)
		                   : pull_row(g, &it, cat, sup, keyed, n);
	if (rc == CM_OK)
		g->r.upserted++;
	return rc;
}

enum cm_rc store_catgen_pull_delete(struct catgen *g, const char *sku)
{
	static const char gone[] = "UPDATE items_next SET active = 0 WHERE sku = ?1";
	enum cm_rc rc = g->deadline ? CM_OK : pull_own(g);
	if (rc == CM_OK)
		rc = pull_flush(g);
	sqlite3_stmt *s = rc == CM_OK ? store_stmt(g->st, gone) : NULL;
	if (rc == CM_OK && !s)
		rc = CM_IO;
	if (rc != CM_OK)
		return rc;
	sqlite3_bind_text(s, 1, sku, -1, SQLITE_STATIC);
	g->r.deleted++;
	return step_done(g->st, s, N_("applying the catalogue"));
}

enum cm_rc store_catgen_pull_mark(struct catgen *g, int64_t page_rows)
{
	enum cm_rc rc = pull_flush(g);   /* the cursor names written rows */
	g->cursor = page_rows;
	return rc == CM_OK ? state_save(g) : rc;
}

enum cm_rc store_catgen_pull_step(struct catgen *g, int64_t page_rows)
{
	if (step_on(g, g->deadline))
		return CM_OK;
	/* The step's share of the write lock is over: the till's turn. */
	enum cm_rc rc = store_catgen_pull_mark(g, page_rows);
	if (rc == CM_OK)
		rc = store_catgen_pull_commit(g);
	return rc == CM_OK ? store_begin_relaxed(g->st) : rc;
}

bool store_catgen_pull_more(const struct catgen *g)
{
	return g->deadline && step_on(g, g->deadline);
}

enum cm_rc store_catgen_pull_commit(struct catgen *g)
{
	g->deadline = 0;
	enum cm_rc rc = pull_flush(g);
	if (rc == CM_OK)
		rc = store_commit(g->st);
	if (rc == CM_OK)
		pause_for_till(g->st);
	return rc;
}

enum cm_rc store_catgen_pull_finish(struct catgen *g, store_catgen_finish_fn finish, void *ctx,
                                    struct catgen_result *out)
{
	memset(out, 0, sizeof *out);
	enum cm_rc rc = CM_OK;
	if (g->phase <= PH_APPLY) {
		g->phase = PH_INDEX;
		g->cursor = 0;
		rc = store_begin_relaxed(g->st);
		if (rc == CM_OK)
			rc = state_save(g);
		if (rc == CM_OK)
			rc = store_commit(g->st);
		else
			store_rollback(g->st);
	}
	if (rc == CM_OK)
		rc = build(g);
	if (rc == CM_OK)
		rc = switch_in(g, finish, ctx);
	if (rc == CM_CONFLICT) {
		/* Nothing of the pull is staged to build again from: the pull
		 * and its build go together, and the pull starts again. */
		enum cm_rc d = in_own_tx(g->st, "DELETE FROM sync_pull WHERE kind = 'catalogue'; "
		                         "DELETE FROM catalogue_build");
		store_seterr(g->st, "%s", _("applying the catalogue: the catalogue changed during the pull; it is pulled again"));
		if (d != CM_OK)
			rc = d;
	}
	if (rc == CM_OK)
		*out = g->r;
	return pull_end(g, rc);
}

void store_catgen_pull_abort(struct catgen *g)
{
	if (g)
		pull_end(g, CM_STATE);
}
