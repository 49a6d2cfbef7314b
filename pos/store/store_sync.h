/* The sync agent's part of the store database (schema/store/004_sync.sql):
 * how far HQ has acknowledged the journal, alerts for an operator, and the
 * staging of pulled catalogue and member pages.
 *
 * Like the rest of the store layer, functions that write assume the caller
 * holds a transaction unless their comment says they run their own. The
 * message for a person is in store_errmsg(). */
#ifndef STORE_SYNC_H
#define STORE_SYNC_H

#include "core/dues.h"
#include "store/store.h"

#define SYNC_HEX_HASH 65   /* 64 hex digits + NUL */

struct sync_state {
	int64_t acked_seq;            /* highest sequence HQ holds, 0 = none */
	char head_hash[SYNC_HEX_HASH];/* its hash as HQ said it, "" = none */
	int64_t catalogue_version;
	int64_t members_version;
	int64_t orders_version;       /* purchase orders pulled up to */
	int64_t last_push_ok_at;      /* unix seconds, 0 = never */
	int64_t last_pull_ok_at;
	int64_t last_attempt_at;
	char last_error[256];         /* "" after a successful attempt */
};

enum cm_rc store_sync_state(struct store *st, struct sync_state *out);

/* Records HQ's acknowledgement: acked_seq, head_hash and (when now > 0)
 * last_push_ok_at together. Runs its own durable transaction. */
enum cm_rc store_sync_set_acked(struct store *st, int64_t acked_seq,
                                const char *head_hash, int64_t now);
/* Records an attempt: error NULL or "" for success. pulled: a successful
 * pull (sets last_pull_ok_at). Runs its own transaction. */
enum cm_rc store_sync_set_attempt(struct store *st, int64_t now, const char *error,
                                  bool pulled);

/* Records code as the store code (setting store_code) of a database that
 * has none, journaled as a setting change by the system (user 0): the
 * agent's first run names the store the database belongs to. Runs its own
 * durable transaction. */
enum cm_rc store_sync_adopt_store_code(struct store *st, const char *code, int64_t now);

/* Events of this terminal's journal not yet acknowledged: head - acked. */
enum cm_rc store_sync_waiting(struct store *st, int64_t *n);
/* The hex hash of this terminal's event seq (CM_NOTFOUND when none). */
enum cm_rc store_sync_event_hash(struct store *st, int64_t seq, char hex[SYNC_HEX_HASH]);
/* Up to max events from from_seq on, in sequence order, like journal_each
 * (but bounded: a long backlog is read a batch at a time). fn returns false
 * to stop early. */
typedef bool (*store_sync_event_fn)(const struct journal_entry *e, const char *payload,
                                    void *ctx);
enum cm_rc store_sync_events(struct store *st, int64_t from_seq, int64_t max,
                             store_sync_event_fn fn, void *ctx);

/* ---- alerts ---- */

struct sync_alert {
	int64_t id;
	int64_t at;
	char code[32];
	char message[256];
	int64_t cleared_at;           /* 0 = not cleared */
	int64_t seq;                  /* journal sequence concerned, 0 = none */
};

/* Adds an alert; runs its own durable transaction. id may be NULL. */
enum cm_rc store_sync_alert_add(struct store *st, int64_t now, const char *code,
                                const char *message, int64_t *id);
/* The same, and marked to be reported to HQ (POST /v1/alerts) about
 * journal sequence seq, until store_sync_alert_reported. */
enum cm_rc store_sync_alert_add_report(struct store *st, int64_t now, const char *code,
                                       int64_t seq, const char *message, int64_t *id);
/* Records that HQ has taken alert id's report. Runs its own transaction. */
enum cm_rc store_sync_alert_reported(struct store *st, int64_t id, int64_t now);
typedef void (*store_sync_alert_fn)(const struct sync_alert *a, void *ctx);
/* Alerts to be reported that HQ has not taken yet, open or cleared. */
enum cm_rc store_sync_alert_unreported(struct store *st, store_sync_alert_fn fn, void *ctx);
/* Alerts, oldest first; open_only: those not cleared. */
enum cm_rc store_sync_alert_each(struct store *st, bool open_only,
                                 store_sync_alert_fn fn, void *ctx);
/* Clears alert id; CM_NOTFOUND when there is no such open alert. Runs its
 * own transaction. */
enum cm_rc store_sync_alert_clear(struct store *st, int64_t id, int64_t now);
enum cm_rc store_sync_alert_open_count(struct store *st, int64_t *n);

/* ---- pulls: staging and applying ---- */

enum sync_kind { SYNC_CATALOGUE = 0, SYNC_MEMBERS = 1 };

struct sync_pull {
	int64_t since;
	int64_t upto;
	char next[80];                /* "" = all pages staged */
	int64_t rows;                 /* rows staged so far */
};

/* The unfinished pull of kind, CM_NOTFOUND when there is none. */
enum cm_rc store_sync_pull_get(struct store *st, enum sync_kind kind, struct sync_pull *out);
/* Forgets any staged pull of kind (inside a transaction). */
enum cm_rc store_sync_stage_reset(struct store *st, enum sync_kind kind);
/* Stages one catalogue row / member row / deletion (sku or member number)
 * of the pull up to upto (inside a transaction, with store_sync_stage_page
 * last). */
enum cm_rc store_sync_stage_item(struct store *st, int64_t upto, const struct item_rec *it,
                                 const char (*barcodes)[16], size_t nbarcodes,
                                 int64_t version);
enum cm_rc store_sync_stage_member(struct store *st, int64_t upto, const struct member_rec *m,
                                   const struct dues_owed *owed, size_t nowed, int64_t version);
/* Stages the dues schedule and setting a members page carried (each page
 * carries them; the last staged wins). */
enum cm_rc store_sync_stage_dues(struct store *st, int64_t upto, int32_t inactive_after,
                                 const struct dues_rate *rates, size_t nrates);
enum cm_rc store_sync_stage_deleted(struct store *st, enum sync_kind kind, int64_t upto,
                                    const char *key);
/* Records that a page is staged: the pull's since/upto, the cursor of the
 * next page ("" after the last) and the rows staged so far. */
enum cm_rc store_sync_stage_page(struct store *st, enum sync_kind kind,
                                 const struct sync_pull *p);

struct sync_applied {
	int64_t upserted;             /* items or members inserted or updated */
	int64_t deleted;              /* made inactive / marked 'left' */
};
/* Applies every staged row of the finished pull of kind (all pages staged)
 * and sets the catalogue or members version to its upto, journaled as
 * "catalogue_pulled" or "members_pulled" with the version and counts. The
 * staging is emptied. The catalogue changes in one durable transaction.
 * Members change in short steps of about 25 ms each (each member's row
 * and months owed whole in one, so a till scanning a card waits for one
 * step at most; store_sync_members.c): the schedule first, the version
 * and the journal event last; a pull cut short carries on with the rows
 * not yet applied.
 * An item deleted at HQ becomes inactive (its sales stay); a barcode or
 * PLU that moved to another item is taken from the old one. */
enum cm_rc store_sync_apply(struct store *st, enum sync_kind kind, int64_t now,
                            struct sync_applied *out);

/* The end of a big catalogue pull written straight into a build
 * (store_catgen_pull_*, every page written): indexes, switches in with the
 * version, the "catalogue_pulled" event and the end of the pull, as
 * store_sync_apply does; g is ended. CM_CONFLICT: the live catalogue
 * changed meanwhile, the pull is dropped (pull again). */
struct catgen;
enum cm_rc store_sync_direct_finish(struct store *st, struct catgen *g, int64_t now,
                                    struct sync_applied *out);
/* Catalogue rows staged for upto (a staged pull whose rows are gone, e.g.
 * taken by a build of another change, is pulled again). */
enum cm_rc store_sync_staged_rows(struct store *st, int64_t upto, int64_t *n);

/* Purchase orders from HQ, as plain records (the agent turns the
 * protocol's into these). qty thousandths, cost rupiah, date yyyymmdd. */
struct sync_order_line {
	const char *sku;
	int64_t qty, cost;
};
struct sync_order {
	const char *po, *supplier;
	int32_t date;
	const struct sync_order_line *lines;
	size_t nlines;
};
struct sync_orders_result {
	int64_t added;           /* new orders */
	int64_t known;           /* already here (a repeated answer) */
	int64_t missing_lines;   /* lines whose SKU this store does not have */
};
/* In one transaction, journaled ("orders_pulled"): adds the orders this
 * store does not have yet (suppliers by name, made when new), and records
 * upto as the orders version. */
enum cm_rc store_sync_orders_apply(struct store *st, const struct sync_order *o, size_t n,
                                   int64_t upto, int64_t now, struct sync_orders_result *out);

/* ---- for the till's status bar ---- */

struct sync_summary {
	int64_t last_ok_at;           /* last successful push or pull, 0 = never */
	int64_t waiting;              /* events not yet acknowledged by HQ */
	int64_t open_alerts;
};
enum cm_rc store_sync_summary(struct store *st, struct sync_summary *out);

#endif
