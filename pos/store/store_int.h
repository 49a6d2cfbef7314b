/* Internals shared by the files of the store layer. Nothing outside
 * pos/store includes this. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>
#include "store/store.h"

#define STORE_STMT_CACHE 256

struct store {
	sqlite3 *db;
	char path[1024];
	char terminal[32];
	char err[320];
	bool relaxed;          /* current transaction runs synchronous=NORMAL */
	store_progress_fn progress;  /* long operations report here; may be NULL */
	void *progress_ctx;
	int busy_ms;           /* how long a write waits for the lock */
	int wal_frames;        /* the WAL's length in frames at this connection's
	                        * last commit (store.c, wal_seen) */
	int64_t busy_since;    /* monotonic ms when the current wait began */
	bool readonly;         /* an immutable read-only copy (store.c, open_readonly) */
	bool journal_sig;      /* the journal has its sig column (a store opened at an
	                        * older max_version, in tests, has not) */
	bool sign_loaded;      /* sign_sk holds this terminal's secret key (store_sign.c) */
	unsigned char sign_sk[64];
	char sign_note[300];   /* why the key was not loaded */
	int nstmt;
	struct {
		const char *sql;   /* identity: the address of a static string */
		sqlite3_stmt *stmt;
	} cache[STORE_STMT_CACHE];
};

/* The prepared statement for sql (a string with static storage, compared
 * by address), reset and with bindings cleared. NULL on error with the
 * message set. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);

/* store_sign.c: reads PATH.key at open when this terminal has a key (a
 * problem is noted in sign_note, never fatal: events are then written
 * unsigned, and journal verify and HQ name them), and signs a hash with
 * it (false when no key is loaded). */
void store_sign_load(struct store *st);
bool store_sign_hash(struct store *st, const uint8_t hash[CHAIN_HASH_LEN], uint8_t sig[64]);

/* store_search.c: registers the name search's FTS5 function (cm_match)
 * on the store's connection; it checks at most STORE_MATCH_WORDS words. */
#define STORE_MATCH_WORDS 16
enum cm_rc store_search_register(struct store *st);

/* Maps a SQLite result to cm_rc and sets a plain message naming what was
 * being done ("saving the sale"). */
enum cm_rc store_fail(struct store *st, int sqlite_rc, const char *doing);
void store_seterr(struct store *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Makes room for element n of the malloc'd array *pp (elements of size
 * bytes, capacity *cap), doubling it when full. pp is the address of the
 * array pointer. False when out of memory (the array is unchanged). */
bool store_grow(void *pp, size_t *cap, size_t n, size_t size);

/* The child rows of a record: runs sql with ?1 = id and appends one element
 * of `size` bytes to the array at pp (its count in *n) per row, zeroed and
 * then filled by fill. CM_NOMEM, or a store failure saying `doing`; the
 * caller frees the array either way. */
typedef void store_fill_fn(sqlite3_stmt *s, void *elem);
enum cm_rc store_rows(struct store *st, const char *sql, int64_t id, void *pp, size_t *n,
                      size_t size, store_fill_fn *fill, const char *doing);

/* The id of the category (supplier: true, the supplier) called name,
 * created when missing; 0 for "". Inside a transaction. */
enum cm_rc store_item_ref(struct store *st, bool supplier, const char *name, int64_t *id);

/* Decodes a catalogue_staging row selected as "deleted, sku, name,
 * receipt_name, unit, weighed, price, member_price, tax_class, category,
 * supplier, plu, active, barcodes" into it and up to 8 barcodes under
 * their catalogue key, with receipt name and unit filled in as the
 * catalogue wants them. True when the row is a deletion (only sku). */
bool store_staged_item(sqlite3_stmt *s, struct item_rec *it, char (*codes)[16], size_t *n);
/* What reading a staged row adds to it: barcodes under their catalogue
 * key, the default receipt name and unit (for rows written straight into
 * a build, store_catgen.c). */
void store_staged_fill(struct item_rec *it, char (*codes)[16], size_t n);

/* Runs a prepared statement to completion expecting no rows (SQLITE_DONE). */
enum cm_rc store_step_done(struct store *st, sqlite3_stmt *s, const char *doing);
/* Binds v to parameter i, NULL when 0 (an id or PLU that is not set). */
void store_bind_ref(sqlite3_stmt *s, int i, int64_t v);
/* An item's columns as ?(at+1)..?(at+13) of an upsert or insert (sku,
 * name, receipt_name, unit, weighed, price, member_price, tax_class,
 * category_id, supplier_id, plu, active, updated_at = now):
 * store_items.c's live catalogue and store_catgen.c's build (at > 0: a
 * row of a many-row insert, or the id first). */
void store_bind_item(sqlite3_stmt *s, int at, const struct item_rec *it, int64_t cat,
                     int64_t sup);

/* Copies column i as text into buf (size n), "" for NULL. */
void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t n);

/* The line columns shared by open_ticket_lines and sale_lines, in the
 * order of store_line_from_row and store_bind_line. */
#define LINE_COLS "line_no, item_id, sku, barcode, name, receipt_name, unit, weighed, " \
	"tax_class, unit_price, list_price, qty, disc_kind, disc_value, voided, " \
	"price_override_by, fixed_amount"

/* Line columns in the order line_no, item_id, sku, barcode, name,
 * receipt_name, unit, weighed, tax_class, unit_price, list_price, qty,
 * disc_kind, disc_value, voided, price_override_by, fixed_amount
 * (columns 0..16). */
void store_line_from_row(sqlite3_stmt *s, struct line_rec *l);
/* Binds the same 17 line fields, in the same order, to parameters
 * first .. first + 16. */
void store_bind_line(sqlite3_stmt *s, int first, const struct line_rec *l);

/* Decodes a journal row selected as "seq, type, at, user_id, payload,
 * prev_hash, hash" into e; returns the payload text ("" for NULL), valid
 * until the statement steps again. */
const char *store_journal_from_row(sqlite3_stmt *s, struct journal_entry *e);

/* Runs sql (one ?1 = owner id; columns kind, amount, ref) into a malloc'd
 * array of tenders. */
enum cm_rc store_load_tenders(struct store *st, const char *sql, int64_t id,
                              struct tender_rec **out, size_t *n);

/* Checks shifts, cash movements and Z reports against the events that
 * journaled them (store_shifts.c); CM_CORRUPT with c->bad_seq and c->why
 * at the first that differs. Part of journal_verify. */
enum cm_rc store_shift_verify(struct store *st, struct journal_check *c);
/* Checks stock counts and their 'count' movements against the events that
 * journaled them (store_stock.c); like store_shift_verify. */
enum cm_rc store_count_verify(struct store *st, struct journal_check *c);
/* Checks users against their 'user_added' events (store_users.c) and
 * settings against their newest 'setting_changed' events (store.c); like
 * store_shift_verify (bad_seq one past the journal's end for a row no
 * event names). */
enum cm_rc store_user_verify(struct store *st, struct journal_check *c);
enum cm_rc store_setting_verify(struct store *st, struct journal_check *c);


/* Shared by the two halves of a pull's apply (store_sync.c: catalogue,
 * store_sync_members.c: members). */
#include "store/store_sync.h"
enum cm_rc store_sync_next_row(struct store *st, enum sync_kind kind, int64_t upto, int64_t *n);
enum cm_rc store_sync_set_version(struct store *st, enum sync_kind kind, int64_t v);
enum cm_rc store_sync_journal_pull(struct store *st, enum sync_kind kind, const struct sync_pull *p,
                                   const struct sync_applied *a, int64_t now);
enum cm_rc store_sync_members_apply(struct store *st, int64_t now, struct sync_applied *out);

#endif
