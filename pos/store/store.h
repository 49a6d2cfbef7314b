/* The store database: the only code that speaks SQL (and includes
 * sqlite3.h). One database file per terminal.
 *
 * Every connection runs in WAL mode with synchronous=FULL, foreign keys on
 * and a busy timeout; every write transaction begins IMMEDIATE. Functions
 * that write assume the caller holds a transaction (store_begin) unless
 * their comment says otherwise, so that the engine decides what commits
 * together. On failure the message for a person is in store_errmsg(). */
#ifndef STORE_H
#define STORE_H

#include "core/records.h"
#include "core/tax.h"
#include "core/barcode.h"
#include "core/chain.h"
#include "core/xzreport.h"

struct store;

enum store_open_flags {
	STORE_CREATE = 1,      /* create the file when missing */
	/* A file this user cannot write (read-only media, folder or file; or
	 * one without any write bit) is opened as an immutable read-only copy,
	 * for commands that only read (an auditor's evidence copy); without
	 * this flag it is refused, saying why. */
	STORE_READONLY_OK = 2,
};

/* Opens (and migrates to the newest schema) the database at path.
 * On failure *out is NULL and err holds the reason. Close with store_close.
 * max_version limits migration (0 = all); only tests use it. */
enum cm_rc store_open(const char *path, int flags, int max_version,
                      struct store **out, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
/* The path the database was opened with (owned by st). */
const char *store_path(const struct store *st);
int store_schema_version(struct store *st);
int store_latest_version(void);
/* How long a write waits for another program's transaction before it
 * gives up with CM_BUSY ("database in use"). */
void store_set_busy_timeout(struct store *st, int ms);

/* Long store operations (a big catalogue change) say how far they are:
 * what (an English phrase; pass it through _()), rows done and rows in
 * all (0: not known). fn NULL: silent, the default. */
typedef void (*store_progress_fn)(const char *what, int64_t done, int64_t total, void *ctx);
void store_set_progress(struct store *st, store_progress_fn fn, void *ctx);

/* Transactions. store_begin: BEGIN IMMEDIATE with full durability.
 * store_begin_relaxed: for saving the ticket being rung up: survives a
 * crash of the program, may lose the last scans (never consistency) on a
 * power cut, and is several times faster. */
enum cm_rc store_begin(struct store *st);
enum cm_rc store_begin_relaxed(struct store *st);
enum cm_rc store_commit(struct store *st);
void store_rollback(struct store *st);
/* After a long writer's commit (a pull's page or step, a batch of
 * members): once the WAL holds STORE_CKPT_FRAMES, copies it into the
 * database now, waiting for nobody (PASSIVE). SQLite checkpoints in
 * whichever connection commits past 1,000 pages of WAL; without this a
 * till's sale would do the writer's checkpoints. Not after every commit:
 * each checkpoint syncs the WAL and the database file (a 200k pull
 * checkpointing every step: 769 fdatasyncs, 2.2 s waiting on the disk). */
#define STORE_CKPT_FRAMES 500
void store_checkpoint(struct store *st);

/* Settings (key/value text). get: CM_NOTFOUND when unset. */
enum cm_rc store_setting_get(struct store *st, const char *key, char *buf, size_t n);
enum cm_rc store_setting_set(struct store *st, const char *key, const char *value);
int64_t store_setting_int(struct store *st, const char *key, int64_t dflt);

/* Tax rate table and scale formats, whole tables. *out is malloc'd, the
 * caller frees it. */
enum cm_rc store_tax_rates(struct store *st, struct tax_rate **out, size_t *n);
enum cm_rc store_scale_formats(struct store *st, struct scale_format **out, size_t *n);
enum cm_rc store_scale_format_set(struct store *st, const char *prefix, const char *tmpl);

/* Catalogue lookups. by_barcode also yields the barcode's pack quantity. */
enum cm_rc store_item_by_barcode(struct store *st, const char *code,
                                 struct item_rec *out, cm_qty *pack_qty);
enum cm_rc store_item_by_sku(struct store *st, const char *sku, struct item_rec *out);
enum cm_rc store_item_by_plu(struct store *st, int32_t plu, struct item_rec *out);
enum cm_rc store_item_by_id(struct store *st, int64_t id, struct item_rec *out);
/* Name search: every word of query is a prefix (FTS5), active items only,
 * best matches first. Fills up to max records; *n gets the count. */
enum cm_rc store_item_search(struct store *st, const char *query,
                             struct item_rec *out, size_t max, size_t *n);
/* Inserts or updates by SKU (category and supplier created by name), and
 * replaces the item's barcodes. *id gets the item id; *created whether new. */
enum cm_rc store_item_upsert(struct store *st, const struct item_rec *it,
                             const char (*barcodes)[16], size_t nbarcodes,
                             int64_t *id, bool *created);
/* The SKU that owns code, into sku (CM_NOTFOUND when free). */
enum cm_rc store_barcode_owner(struct store *st, const char *code, char *sku, size_t n);
int64_t store_item_count(struct store *st);
cm_qty store_stock_level(struct store *st, int64_t item_id);

/* Members. */
enum cm_rc store_member_find(struct store *st, const char *card_or_number, struct member_rec *out);
enum cm_rc store_member_by_id(struct store *st, int64_t id, struct member_rec *out);
enum cm_rc store_member_add(struct store *st, const struct member_rec *m, int64_t *id);

/* Users. pin_hash is a crypto_pwhash_str string. */
enum cm_rc store_user_add(struct store *st, const struct user_rec *u, const char *pin_hash, int64_t *id);
enum cm_rc store_user_by_number(struct store *st, const char *number,
                                struct user_rec *out, char *pin_hash, size_t hash_len);
enum cm_rc store_user_by_id(struct store *st, int64_t id, struct user_rec *out);
enum cm_rc store_user_set_failed(struct store *st, int64_t id, int32_t failed, bool locked);
/* Sets failed_logins, locked, locked_until (0 when not locked) and
 * lockouts of user u->id. */
enum cm_rc store_user_set_lock(struct store *st, const struct user_rec *u);
/* The one-time recovery codes (schema/store/014_lockout.sql): a new one's
 * Argon2id hash; the unused one (CM_NOTFOUND when none); marking it used
 * for the admin number it unlocked. Inside a transaction. */
enum cm_rc store_recovery_add(struct store *st, const char *code_hash, int64_t now);
enum cm_rc store_recovery_current(struct store *st, int64_t *id, char *code_hash, size_t n);
enum cm_rc store_recovery_use(struct store *st, int64_t id, int64_t now, const char *number);
enum cm_rc store_user_set_pin(struct store *st, int64_t id, const char *pin_hash);
/* Number of users (any state); -1 on error. */
int64_t store_user_count(struct store *st);
typedef void (*store_user_fn)(const struct user_rec *u, void *ctx);
enum cm_rc store_user_each(struct store *st, store_user_fn fn, void *ctx);

/* The journal (see core/chain.h). append must run inside a transaction;
 * the terminal id comes from the settings. */
struct journal_entry {
	int64_t seq;
	int64_t at;
	int64_t user_id;
	char type[32];
	uint8_t hash[CHAIN_HASH_LEN];
	uint8_t prev_hash[CHAIN_HASH_LEN];
	bool has_sig;                    /* signed with the terminal's key (store_sign.h) */
	uint8_t sig[64];
};
enum cm_rc journal_append(struct store *st, const char *type, int64_t at,
                          int64_t user_id, const char *payload,
                          struct journal_entry *out);
/* One event of this terminal's chain (payload not returned). */
enum cm_rc journal_get(struct store *st, int64_t seq, struct journal_entry *out);
/* Head of this terminal's chain; seq 0 and a zero hash when empty. */
enum cm_rc journal_head(struct store *st, struct journal_entry *out);
struct journal_check {
	int64_t events;      /* events checked */
	int64_t bad_seq;     /* first bad sequence number, 0 when all good */
	char why[200];
};
/* Recomputes the whole chain; CM_CORRUPT with check->bad_seq and why when
 * a link is broken, a sequence number is missing or a hash differs, or a
 * completed sale disagrees with its journal event. */
enum cm_rc journal_verify(struct store *st, struct journal_check *check);
/* The same from sequence `from` on (0: the whole journal): the chain after
 * it (linked to the hash the journal holds at `from`), the sales and
 * returns journaled after it; terminal, HQ's acknowledgement, shifts,
 * counts, users and settings as a whole. For the agent, with `from` what
 * HQ acknowledged: HQ holds every event up to it, so the events after it
 * are all that can still leave changed. check->events counts the events
 * checked. */
enum cm_rc journal_verify_since(struct store *st, int64_t from, struct journal_check *check);
typedef void (*journal_fn)(const struct journal_entry *e, const char *payload, void *ctx);
enum cm_rc journal_each(struct store *st, int64_t from_seq, journal_fn fn, void *ctx);

/* The ticket being rung up. */
enum cm_rc store_ticket_create(struct store *st, struct ticket_rec *t, int64_t now);
enum cm_rc store_ticket_save(struct store *st, const struct ticket_rec *t, int64_t now);
enum cm_rc store_ticket_put_line(struct store *st, int64_t ticket_id, const struct line_rec *l);
enum cm_rc store_ticket_put_tenders(struct store *st, int64_t ticket_id,
                                    const struct tender_rec *t, size_t n);
enum cm_rc store_ticket_delete(struct store *st, int64_t ticket_id);
/* Loads a ticket with its lines and tenders (malloc'd arrays, caller frees). */
enum cm_rc store_ticket_load(struct store *st, int64_t ticket_id, struct ticket_rec *t,
                             struct line_rec **lines, size_t *nlines,
                             struct tender_rec **tenders, size_t *ntenders);
/* The id of the active (not suspended) ticket, CM_NOTFOUND when none. */
enum cm_rc store_ticket_active(struct store *st, int64_t *id);
typedef void (*store_ticket_fn)(const struct ticket_rec *t, size_t nlines, cm_money gross, void *ctx);
enum cm_rc store_ticket_each_suspended(struct store *st, store_ticket_fn fn, void *ctx);

/* Completed sales. */
struct sale_header {
	int64_t id;
	char receipt_no[32];
	int64_t cashier_id;
	int64_t member_id;
	int64_t opened_at;
	int64_t completed_at;
	int32_t business_date;
	int64_t journal_seq;
	struct sale_totals totals;
	struct tax_rate rates[TAX_CLASS_COUNT]; /* rate in force per class */
};
/* Next sale id (receipt numbers are built from it); inside a transaction. */
enum cm_rc store_sale_next_id(struct store *st, int64_t *id);
/* Writes the sale with its lines, tenders, tax rows and stock movements
 * (one negative movement per non-voided line). Inside a transaction. */
enum cm_rc store_sale_insert(struct store *st, const struct sale_header *h,
                             const struct line_rec *lines,
                             const struct sale_line_amounts *amounts, size_t nlines,
                             const struct tender_rec *tenders, size_t ntenders);
/* Loads a completed sale by id or receipt number (arrays malloc'd). */
enum cm_rc store_sale_load(struct store *st, int64_t id, const char *receipt_no,
                           struct sale_header *h,
                           struct line_rec **lines, struct sale_line_amounts **amounts,
                           size_t *nlines, struct tender_rec **tenders, size_t *ntenders);
/* What a sale's receipt printed above its lines (and its footer), kept so
 * that a reprint prints the receipt as it was (010_receipt_heads.sql). */
struct receipt_head {
	char store_name[64];
	char address[128];
	char npwp[32];
	bool pkp;
	char terminal[16];
	char footer[128];
};
/* Inside the sale's transaction. */
enum cm_rc store_sale_head_put(struct store *st, int64_t sale_id, const struct receipt_head *h);
/* CM_NOTFOUND (no message) for a sale from before headings were kept. */
enum cm_rc store_sale_head_get(struct store *st, int64_t sale_id, struct receipt_head *out);
/* The same for a return receipt (in the return's transaction). */
enum cm_rc store_return_head_put(struct store *st, int64_t return_id,
                                 const struct receipt_head *h);
enum cm_rc store_return_head_get(struct store *st, int64_t return_id, struct receipt_head *out);
typedef void (*store_sale_fn)(const struct sale_header *h, void *ctx);
/* Sales of a business date range [from, to] (yyyymmdd), oldest first. */
enum cm_rc store_sale_each(struct store *st, int32_t from, int32_t to,
                           store_sale_fn fn, void *ctx);

/* Day report figures. */
struct day_report_row {
	char key[64];        /* tender kind name, tax class name, cashier */
	int64_t count;
	cm_money amount;
	cm_money tax;
};
struct day_report {
	int32_t date;
	int64_t sales;
	cm_money total;       /* sum of sale totals (before cash rounding) */
	cm_money rounding;
	cm_money discounts;
	struct day_report_row *by_tender;  size_t ntender;
	struct day_report_row *by_class;   size_t nclass;
	struct day_report_row *by_cashier; size_t ncashier;
	int64_t aborted_tickets;
	int64_t voided_lines;
	int64_t returns;      /* returns of the day (with or without a receipt) */
	cm_money refunds;     /* paid back, all tenders */
	cm_money cash_refunds;
};
enum cm_rc store_day_report(struct store *st, int32_t date, struct day_report *out);
void store_day_report_free(struct day_report *r);

/* Shifts (schema 005_shifts.sql). A shift's figures are the journal
 * range after its open event up to its close event. */
struct shift_rec {
	int64_t id;
	int64_t opened_by;
	int64_t opened_at;
	int64_t open_seq;
	cm_money float_amount;
	bool open;
	int64_t closed_by;
	int64_t approved_by;     /* 0 when the closer was a supervisor */
	int64_t closed_at;
	int64_t close_seq;
	cm_money expected;
	cm_money counted;
};
/* The open shift of this terminal; CM_NOTFOUND when none. */
enum cm_rc store_shift_current(struct store *st, struct shift_rec *out);
enum cm_rc store_shift_by_id(struct store *st, int64_t id, struct shift_rec *out);
/* Inserts an open shift (id, closing fields ignored); *id gets its id. */
enum cm_rc store_shift_insert(struct store *st, const struct shift_rec *r, int64_t *id);
/* Closes r->id with r's closing fields and the pieces counted. */
enum cm_rc store_shift_close(struct store *st, const struct shift_rec *r,
                             const int64_t pieces[CASH_DENOMS]);
/* The pieces counted at a closed shift's close. */
enum cm_rc store_shift_pieces(struct store *st, int64_t shift_id, int64_t pieces[CASH_DENOMS]);
/* dir 1 = cash in, -1 = cash out; approved_by 0 = none. */
enum cm_rc store_cash_move_insert(struct store *st, int64_t shift_id, int dir, cm_money amount,
                                  const char *reason, int64_t user_id, int64_t approved_by,
                                  int64_t at, int64_t journal_seq);
/* Adds up the cash of shift r (open or closed). */
enum cm_rc store_shift_cash(struct store *st, const struct shift_rec *r, struct shift_cash *out);
typedef void (*store_shift_fn)(const struct shift_rec *r, void *ctx);
/* Every shift of this terminal, oldest first. */
enum cm_rc store_shift_each(struct store *st, store_shift_fn fn, void *ctx);

/* Z reports. last: z_no 0, grand 0, seq 0 before the first Z. */
enum cm_rc store_z_last(struct store *st, int64_t *z_no, cm_money *grand, int64_t *seq);
/* The figures of the journal range (from_seq, to_seq]; to_seq 0 = open-ended. */
enum cm_rc store_xz_figures(struct store *st, int64_t from_seq, int64_t to_seq,
                            struct xz_figures *out);
/* Records Z number z_no (the schema refuses a gap or a wrong grand total). */
enum cm_rc store_z_insert(struct store *st, int64_t z_no, int64_t at, int64_t user_id,
                          int64_t from_seq, int64_t journal_seq, const struct xz_figures *f,
                          cm_money grand_total);

#endif
