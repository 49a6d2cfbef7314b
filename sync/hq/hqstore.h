/* The HQ database: every SQL statement of coopmart-hq lives in the
 * hqstore_*.c files, one per domain (terminals, events, ledger, catalogue,
 * orders, report; members and their dues: hqstore_dues.h), written once
 * for both backends through db.h: SQLite (a file path) or PostgreSQL
 * (postgresql://... or a libpq conninfo).
 * Schemas: schema/hq/sqlite/ and schema/hq/pg/.
 *
 * One handle serves every server thread, and each thread gets its own
 * connection on first use (no lock in this process): hqstore_begin()
 * starts a transaction on the calling thread's connection, and the calls
 * that thread makes until hqstore_commit() or hqstore_rollback() join it.
 * Calls outside a transaction commit by themselves.
 *
 * Errors: functions return enum cm_rc; the message for a person is
 * hqstore_errmsg(), kept per thread. */
#ifndef HQSTORE_H
#define HQSTORE_H

#include "core/chain.h"
#include "sync/proto.h"

struct hqstore;

/* Opens (and creates or upgrades) the database at target: a path, or a
 * PostgreSQL URL or conninfo. */
enum cm_rc hqstore_open(const char *target, struct hqstore **out, char *err, size_t errlen);
/* "SQLite" or "PostgreSQL". */
const char *hqstore_backend(const struct hqstore *st);
void hqstore_close(struct hqstore *st);
/* The calling thread's last error message. */
const char *hqstore_errmsg(void);

/* Backups (hqstore_backup.c). backup: an online copy into the new file
 * dest (SQLite; CM_STATE on PostgreSQL, which has pg_dump). check: the
 * database's integrity and every terminal's event chain recomputed (each
 * hash from its content and the previous hash, sequence numbers without
 * gaps), as the till's `journal verify` does for one terminal; *events
 * gets how many were checked. */
enum cm_rc hqstore_backup(struct hqstore *st, const char *dest);
enum cm_rc hqstore_check(struct hqstore *st, int64_t *events);

/* A write transaction on the calling thread's connection. */
enum cm_rc hqstore_begin(struct hqstore *st);
enum cm_rc hqstore_commit(struct hqstore *st);
void hqstore_rollback(struct hqstore *st);

/* ---- terminals and tokens ---- */

struct hq_terminal {
	int64_t key;
	char store[32];
	char terminal[16];
	bool operator;
	bool all_stores;                  /* an operator who reads every store */
	bool revoked;
	char sign_key[65];                /* Ed25519 public key, hex; "" = does not sign */
	int64_t sign_from;                /* every event from this sequence on is signed */
};

/* Creates the store if new and the terminal, or gives an enrolled one a
 * new token (the old one stops working, a revoked terminal is active
 * again). *replaced tells which. */
enum cm_rc hqstore_enroll(struct hqstore *st, const char *store, const char *terminal,
                          bool operator, bool all_stores,
                          const uint8_t token_hash[CHAIN_HASH_LEN], bool *replaced);
enum cm_rc hqstore_revoke(struct hqstore *st, const char *store, const char *terminal);
/* Registers the terminal's signing key (64 hex digits) and the sequence of
 * its 'signing_key' event: from there on every event it pushes must be
 * signed with it (PROTOCOL.md, "Signatures"). Replaces an earlier key. */
enum cm_rc hqstore_terminal_set_key(struct hqstore *st, const char *store, const char *terminal,
                                    const char *public_hex, int64_t from_seq);
/* The terminal whose token hashes to token_hash (revoked ones too: see
 * out->revoked); CM_NOTFOUND when none. */
enum cm_rc hqstore_token_lookup(struct hqstore *st, const uint8_t token_hash[CHAIN_HASH_LEN],
                                struct hq_terminal *out);

/* ---- events and heads ---- */

struct hq_head {
	int64_t seq;                      /* 0 when nothing is held */
	uint8_t hash[CHAIN_HASH_LEN];
	int64_t gap_seq;                  /* first seq of the last refused gap */
};

struct hq_event {
	int64_t seq;
	const char *type;
	int64_t at;
	int64_t user;
	const char *payload;
	uint8_t prev_hash[CHAIN_HASH_LEN];
	uint8_t hash[CHAIN_HASH_LEN];
	const char *sig;                  /* Ed25519 signature, hex; NULL = unsigned */
};

/* Inside a transaction the head is also locked until it ends, so two
 * pushes of one terminal take turns (PostgreSQL; SQLite's writers always
 * do). */
enum cm_rc hqstore_head(struct hqstore *st, const struct hq_terminal *t, struct hq_head *out);
/* CM_NOTFOUND when HQ does not hold (t, seq). */
enum cm_rc hqstore_event_hash(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                              uint8_t out[CHAIN_HASH_LEN]);
/* Appends at the head (a trigger refuses anything else) and moves it. */
enum cm_rc hqstore_event_insert(struct hqstore *st, const struct hq_terminal *t,
                                const struct hq_event *e, int64_t received_at);
enum cm_rc hqstore_gap_note(struct hqstore *st, const struct hq_terminal *t, int64_t gap_seq);

/* Records an alert. When the terminal's newest alert is of the same kind
 * it is counted there instead (count, last_at, last_detail), so a
 * terminal refused again and again makes one alert, not a flood. Joins a
 * transaction in progress, else commits by itself. */
enum cm_rc hqstore_alert(struct hqstore *st, const char *store, const char *terminal,
                         const char *kind, const char *detail);
/* The same about journal sequence seq (0: none). An acknowledged alert is
 * never counted on: the same fault raised again after an operator saw it
 * is a new alert. */
enum cm_rc hqstore_alert_seq(struct hqstore *st, const char *store, const char *terminal,
                             const char *kind, int64_t seq, const char *detail);
/* An operator acknowledges alert id: who (by, required) and why (note, may
 * be ""), at now. CM_NOTFOUND when there is no such alert, CM_STATE when
 * it was acknowledged already (by whom is in the message). Only the
 * command line calls this: no token, a terminal's or an operator's, can. */
enum cm_rc hqstore_alert_ack(struct hqstore *st, int64_t id, const char *by, const char *note,
                             int64_t now);

/* ---- receipt checks (hqcheck.h) ---- */

struct hq_receipt {
	int64_t head;                     /* HQ's head of the terminal */
	bool held;                        /* HQ holds the event (seq <= head) */
	char type[24];                    /* its type: "sale", "return", ... */
	uint8_t hash[CHAIN_HASH_LEN];
	bool in_ledger;                   /* folded into the sales or returns */
	char receipt[32];                 /* the sale's receipt or the return's number */
	int64_t due;                      /* paid, or paid back */
	int32_t date;                     /* business date, yyyymmdd */
};

/* The event seq of the terminal store/terminal and its ledger row, when
 * HQ holds it. CM_NOTFOUND when no such terminal is enrolled (an
 * operator's token is not a terminal). */
enum cm_rc hqstore_receipt_get(struct hqstore *st, const char *store, const char *terminal,
                               int64_t seq, struct hq_receipt *out);

/* ---- ledgers ---- */

#define HQ_MAX_TENDERS 8

struct hq_sale {
	const char *store;
	char receipt[32];
	int32_t date;
	char member_no[24];               /* "" = none */
	int64_t total, rounding, due;
	int64_t class_total[TAX_CLASS_COUNT];
	int64_t class_tax[TAX_CLASS_COUNT];
	bool has_class[TAX_CLASS_COUNT];
	struct { char kind[16]; int64_t amount; } tenders[HQ_MAX_TENDERS];
	size_t ntenders;
};

enum cm_rc hqstore_sale_insert(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                               const struct hq_sale *s);
/* A return, in the same shape as a sale: receipt is the return's number,
 * due what was paid back; sale_receipt the sale's ("" without one). */
enum cm_rc hqstore_return_insert(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                                 const struct hq_sale *r, const char *sale_receipt);
enum cm_rc hqstore_stock_move(struct hqstore *st, const struct hq_terminal *t, const char *sku,
                              int64_t qty, const char *kind, int64_t seq, int64_t at);
/* A store's opening stock (fold.c): the first terminal whose opening
 * arrives gives it (*apply true for that terminal's parts, false for any
 * other's: the tills of a store start from one snapshot); its lines are
 * then "opening" movements. */
enum cm_rc hqstore_stock_opening(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                                 int64_t at, bool *apply);

/* ---- catalogue, store prices (members: hqstore_dues.h) ---- */

enum hq_counter { HQ_CATALOGUE, HQ_MEMBERS, HQ_ORDERS };

enum cm_rc hqstore_version(struct hqstore *st, enum hq_counter c, int64_t *out);
enum cm_rc hqstore_version_set(struct hqstore *st, enum hq_counter c, int64_t v);
/* hqstore_version, keeping the counter locked until the transaction ends
 * (PostgreSQL: FOR UPDATE; SQLite's write transaction is one writer
 * already): writers of one counter go one after the other. */
enum cm_rc hqstore_version_lock(struct hqstore *st, enum hq_counter c, int64_t *out);

/* Upserts; a row that differs (or was deleted) takes `version`; *changed
 * says whether it did. seen: remember the SKU for
 * hqstore_items_delete_unseen (a full import; otherwise a write a row
 * saved). changed NULL: inside a transaction the row may be sent later,
 * with others (PostgreSQL: one round trip for many; db_add), its error
 * then failing the transaction. */
enum cm_rc hqstore_item_put(struct hqstore *st, const struct proto_item *it, int64_t version,
                            bool seen, bool *changed);
/* A big import's items in bulk, inside its transaction (db_copy_*: on
 * PostgreSQL COPY, on SQLite INSERTs of many rows), each row given what
 * hqstore_item_put(version, seen) does to it. Into a catalogue with no
 * row at all the rows go straight into items (every one is new); on
 * SQLite without seen, straight into items as upserts; otherwise into a
 * temporary table, then written by one statement at bulk_end. The SKUs
 * must differ. */
struct hqstore_bulk {
	int64_t version;
	char vtext[24];     /* version in decimal, the copied rows' own column */
	bool seen;          /* remember the SKUs (hqstore_items_delete_unseen) */
	bool direct;        /* a catalogue with no row at all: every row new */
	bool into_items;    /* rows go straight into items (direct, or SQLite's upserts) */
};
enum cm_rc hqstore_items_bulk_begin(struct hqstore *st, struct hqstore_bulk *b, int64_t version,
                                   bool seen);
enum cm_rc hqstore_items_bulk_put(struct hqstore *st, struct hqstore_bulk *b,
                                  const struct proto_item *it);
/* Ends the bulk load (always, before anything else runs on the
 * connection); writes the rows only when apply (when not, the caller must
 * roll the transaction back: rows may be in items already), *changed the
 * items they changed or added. The transaction must hold
 * hqstore_version_lock(HQ_CATALOGUE). */
enum cm_rc hqstore_items_bulk_end(struct hqstore *st, struct hqstore_bulk *b, bool apply,
                                  int64_t *changed);
/* How many items are live (not deleted). */
enum cm_rc hqstore_items_live(struct hqstore *st, int64_t *n);
/* Marks deleted, with `version`, every live item this thread's connection
 * has not put with seen true since its last call (or since it opened; a rolled-back
 * transaction forgets its puts) and that does not have `version` already
 * (a put of this import wrote it): a full catalogue import puts every
 * item, then calls this in the same transaction. */
enum cm_rc hqstore_items_delete_unseen(struct hqstore *st, int64_t version, int64_t *n);
/* Barcodes and scale PLUs that belong to more than one live item (what a
 * terminal could not apply): fn(kind "barcode"/"PLU", code, "SKU, SKU")
 * for each, at most `max`; *n the number found. */
typedef void (*hq_conflict_fn)(const char *kind, const char *code, const char *skus, void *ctx);
enum cm_rc hqstore_catalogue_conflicts(struct hqstore *st, int max, hq_conflict_fn fn, void *ctx,
                                       int64_t *n);
/* Purchase orders of a store. order_put: CM_STATE when the number is
 * there already, CM_NOTFOUND when a line's SKU is not a live item (message
 * in hqstore_errmsg). orders_since: the orders with since < version, oldest
 * first, at most max (out->more when there are others); free with
 * proto_orders_free. */
enum cm_rc hqstore_order_put(struct hqstore *st, const char *store, const struct proto_order *o,
                             int64_t version);
enum cm_rc hqstore_orders_since(struct hqstore *st, const char *store, int64_t since, size_t max,
                                struct proto_orders *out);
/* CM_NOTFOUND when the SKU is not in the catalogue. */
enum cm_rc hqstore_price_put(struct hqstore *st, const char *store, const char *sku,
                             int64_t price, int64_t member_price, int64_t version,
                             bool *changed);
enum cm_rc hqstore_store_exists(struct hqstore *st, const char *store);

/* Rows with since < version <= upto and (version, key) > (after_v,
 * after_key), ordered by (version, key), at most limit. For items the
 * version and prices are the store's (its price list counts). */
typedef enum cm_rc (*hq_item_fn)(const struct proto_item *it, bool deleted, void *ctx);
enum cm_rc hqstore_items_page(struct hqstore *st, const char *store, int64_t since,
                              int64_t upto, int64_t after_v, const char *after_key,
                              int64_t limit, hq_item_fn fn, void *ctx);

/* ---- reports ---- */

#define HQ_TENDER_KINDS 5                 /* cash, debit, qris, credit, other */
extern const char *const hq_tender_kinds[HQ_TENDER_KINDS];

struct hq_day {
	char store[32];
	int32_t date;
	int64_t count, total, rounding, due;
	int64_t class_total[TAX_CLASS_COUNT];
	int64_t class_tax[TAX_CLASS_COUNT];
	int64_t tender[HQ_TENDER_KINDS];
	int64_t returns, refunds;                  /* count, paid back */
	int64_t refund_tender[HQ_TENDER_KINDS];
};

struct hq_alert {
	int64_t id, at;
	int64_t count, last_at;           /* how often it was raised, the last time */
	char store[32], terminal[16], kind[24], detail[300], last_detail[300];
	int64_t seq;                      /* the journal sequence concerned, 0 = none */
	int64_t acked_at;                 /* 0 = open */
	char acked_by[64], ack_note[200];
};

typedef enum cm_rc (*hq_day_fn)(const struct hq_day *d, void *ctx);
typedef enum cm_rc (*hq_stock_fn)(const char *store, const char *sku, int64_t qty, void *ctx);
typedef enum cm_rc (*hq_alert_fn)(const struct hq_alert *a, void *ctx);

/* Days from..to inclusive (yyyymmdd), by store then date. store: one
 * store's, or NULL for every store's (also below). */
enum cm_rc hqstore_sales_days(struct hqstore *st, const char *store, int32_t from, int32_t to,
                              hq_day_fn fn, void *ctx);
enum cm_rc hqstore_stock_each(struct hqstore *st, const char *store, hq_stock_fn fn, void *ctx);
enum cm_rc hqstore_alerts_each(struct hqstore *st, const char *store, hq_alert_fn fn, void *ctx);
/* Only the alerts no operator has acknowledged yet. */
enum cm_rc hqstore_alerts_open_each(struct hqstore *st, const char *store, hq_alert_fn fn,
                                    void *ctx);

/* ---- the web console (hqstore_console.c) ---- */

enum hq_role { HQ_COUNCIL, HQ_OFFICE, HQ_MANAGER };
extern const char *const hq_role_names[3];       /* "council", "office", "manager" */

/* What an operator may see: store set, or coop set, or neither (every
 * store). */
struct hq_scope {
	const char *store;
	const char *coop;
};

struct hq_operator {
	int64_t id;
	char name[64];
	enum hq_role role;
	char coop[32], store[32];         /* "" when the role has none */
	char pwhash[128];                 /* crypto_pwhash_str's text */
	int64_t failed, locked_until;
};

struct hq_oplog {
	int64_t at;
	char operator[64], action[32], detail[300], address[48];
};

struct hq_day_total {
	char store[32];
	int32_t date;
	int64_t count, net;               /* sales; due less refunds */
};

struct hq_term_status {
	char store[32], terminal[16], agent[64];
	int64_t head, local_head, last_push_at, last_pull_at, open_alerts;
	bool revoked;
};

struct hq_stock_row {
	char sku[64], name[128];
	int64_t qty;                      /* thousandths */
	int64_t at;                       /* counts: when posted */
	char terminal[16];
};

struct hq_member_row {
	char number[24], name[128], status[16];
	char store[32];                   /* home store, "" none */
	int64_t credit_limit, credit_balance;  /* as hqcredit keeps them */
};

typedef enum cm_rc (*hq_oplog_fn)(const struct hq_oplog *a, void *ctx);
typedef enum cm_rc (*hq_total_fn)(const struct hq_day_total *d, void *ctx);
typedef enum cm_rc (*hq_term_fn)(const struct hq_term_status *t, void *ctx);
typedef enum cm_rc (*hq_stock_row_fn)(const struct hq_stock_row *s, void *ctx);
typedef enum cm_rc (*hq_member_row_fn)(const struct hq_member_row *m, void *ctx);
typedef enum cm_rc (*hq_store_fn)(const char *store, const char *coop, void *ctx);

/* Puts the store in the coop (created when new); CM_NOTFOUND when the
 * store is not known. */
enum cm_rc hqstore_coop_assign(struct hqstore *st, const char *coop, const char *store);
/* The stores in scope, by code; coop "" when none. */
enum cm_rc hqstore_stores_each(struct hqstore *st, const struct hq_scope *sc, hq_store_fn fn,
                               void *ctx);
/* Adds the operator, or replaces the role, scope and password of the one
 * of that name (*replaced), clearing its lockout. */
enum cm_rc hqstore_operator_put(struct hqstore *st, const struct hq_operator *op,
                                bool *replaced);
/* CM_NOTFOUND when no operator has that name. */
enum cm_rc hqstore_operator_get(struct hqstore *st, const char *name, struct hq_operator *out);
/* After a login attempt: the failures in a row and the lockout. */
enum cm_rc hqstore_operator_failures(struct hqstore *st, int64_t id, int64_t failed,
                                     int64_t locked_until);
/* Sessions by the hash of their cookie; get: CM_NOTFOUND when unknown or
 * expired at `now`; csrf receives the session's form token (65 bytes). */
enum cm_rc hqstore_session_put(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                               int64_t operator_id, const char *csrf, int64_t expires_at);
enum cm_rc hqstore_session_get(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN],
                               int64_t now, struct hq_operator *op, char csrf[65]);
enum cm_rc hqstore_session_delete(struct hqstore *st, const uint8_t hash[CHAIN_HASH_LEN]);
/* The audit of logins and changes; each: newest first, at most limit,
 * only operator's own rows unless operator is NULL. */
enum cm_rc hqstore_oplog(struct hqstore *st, const char *operator, const char *action,
                         const char *detail, const char *address);
enum cm_rc hqstore_oplog_each(struct hqstore *st, const char *operator, int64_t limit,
                              hq_oplog_fn fn, void *ctx);
/* Net sales per store per day from..to, by store then date. */
enum cm_rc hqstore_day_totals(struct hqstore *st, const struct hq_scope *sc, int32_t from,
                              int32_t to, hq_total_fn fn, void *ctx);
/* The terminals in scope (not operators' tokens), by store and id. */
enum cm_rc hqstore_terminals_each(struct hqstore *st, const struct hq_scope *sc, hq_term_fn fn,
                                  void *ctx);
/* A terminal pushed (push true) or pulled: when, the newest sequence it
 * holds (push only) and its agent (User-Agent, may be NULL). */
enum cm_rc hqstore_terminal_seen(struct hqstore *st, const struct hq_terminal *t, bool push,
                                 int64_t local_head, const char *agent);
/* Alerts in scope, unacknowledged first then newest first, at most limit. */
enum cm_rc hqstore_alerts_scope(struct hqstore *st, const struct hq_scope *sc, int64_t limit,
                                hq_alert_fn fn, void *ctx);
/* The console's acknowledgement (who and when, as hqstore_alert_ack;
 * CM_NOTFOUND when the alert is not in scope, CM_STATE when already
 * acknowledged. */
enum cm_rc hqstore_alert_ack_scoped(struct hqstore *st, const struct hq_scope *sc, int64_t id,
                             const char *by);
/* A store's stock per SKU whose SKU or name contains `search` ("" all)
 * and whose quantity is at most max_qty, by SKU, at most limit. */
enum cm_rc hqstore_stock_search(struct hqstore *st, const char *store, const char *search,
                                int64_t max_qty, int64_t limit, hq_stock_row_fn fn, void *ctx);
/* The variances the store's counts posted, newest first. */
enum cm_rc hqstore_count_variances(struct hqstore *st, const char *store, int64_t limit,
                                   hq_stock_row_fn fn, void *ctx);
/* When HQ folded the store's opening stock (0 when it has not). */
enum cm_rc hqstore_stock_opening_at(struct hqstore *st, const char *store, int64_t *at);
/* Live members whose home store is in scope (council: every member, a
 * member without a home store too) and whose number or name contains
 * search, by number, at most limit. */
enum cm_rc hqstore_members_list(struct hqstore *st, const struct hq_scope *sc,
                                const char *search, int64_t limit, hq_member_row_fn fn,
                                void *ctx);

#endif
