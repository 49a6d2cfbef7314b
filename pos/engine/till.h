/* The till: one terminal's engine context on an open store database.
 *
 * It caches the store's settings (PKP switch, cash rounding step, cash
 * ceiling, discount limit, lockout threshold, tax rates, scale formats),
 * holds the user who is logged in and the clock. Plain C: no curses, no
 * SQL, no network. Every operation either succeeds or returns an error
 * code with a message for a person in till_errmsg(). */
#ifndef TILL_H
#define TILL_H

#include "core/records.h"
#include "core/barcode.h"
#include "store/store.h"

struct till;

/* Settings keys in the store (all optional but store_name/terminal_id). */
#define SET_STORE_NAME     "store_name"
#define SET_STORE_ADDRESS  "store_address"
#define SET_NPWP           "npwp"
#define SET_PKP            "pkp"              /* 1 = VAT-registered */
#define SET_TERMINAL       "terminal_id"
/* The store code: the short name HQ knows the store by (coopmart-hq enroll
 * --store KMB-SMG), the same in sync.conf's "store ="; the agent refuses a
 * database whose code differs. Set by init --store-code, or by the agent's
 * first run when unset; fixed once HQ holds some of the journal. */
#define SET_STORE_CODE     "store_code"
#define SET_ROUND_STEP     "cash_round_step"  /* rupiah, default 100 */
#define SET_CASH_CEILING   "cash_ceiling"     /* rupiah, default 10.000.000 */
#define SET_DISCOUNT_LIMIT "discount_limit_bp"/* cashier limit, default 1000 = 10% */
#define SET_LOCKOUT_AFTER  "lockout_after"    /* failed PINs, default 5 */
#define SET_LOCKOUT_MINUTES "lockout_minutes" /* first lockout's length, default 5 */
#define SET_LOCKOUT_MAX    "lockout_max_minutes" /* longest lockout, default 1440 */
#define SET_RECEIPT_COLS   "receipt_columns"  /* 32, 42 or 48; default 32 */
#define SET_RECEIPT_FOOTER "receipt_footer"
#define SET_DEMO           "demo"             /* 1 = the demo store */
#define SET_SCANNER        "scanner"          /* keyboard (default), usb:VVVV:PPPP,
                                                 usbpos:VVVV:PPPP, tty:/dev/X[:BAUD] */
/* The receipt printer (drivers/printer.h): usb:VVVV:PPPP, lp:PATH,
 * tcp:HOST[:PORT], file:PATH (the ESC/POS bytes) or none; unset, receipts
 * go as text to the spool file beside the database. */
#define SET_PRINTER         "printer"
#define SET_PRINTER_PROFILE "printer_profile" /* 58, 80, 80-42, dotmatrix; default
                                              * by receipt_columns (48: 80, 42: 80-42) */
#define SET_DRAWER          "drawer"          /* printer (default) or none */
#define SET_CREDIT_EXCESS   "credit_excess_max" /* rupiah a supervisor may let member
                                                 * credit go over the limit; default 0 */
#define SET_CREDIT_COPY     "credit_copy"     /* 1 (default): a credit sale prints a
                                               * second copy for the member to sign */

struct till_config {
	char store_name[64];
	char store_address[128];
	char npwp[32];
	bool pkp;
	char terminal[16];
	char store_code[32];         /* HQ's code of the store; "" before enrolment */
	cm_money round_step;
	cm_money cash_ceiling;
	int32_t discount_limit_bp;
	int32_t lockout_after;
	int32_t lockout_minutes;     /* each lockout in a row lasts twice the last, */
	int32_t lockout_max_minutes; /* up to this */
	int receipt_columns;         /* the printer profile's columns: every page's width */
	char receipt_footer[128];
	char scanner[272];           /* drivers/scanner.h spec */
	char printer[160];         /* "" = the text spool */
	char printer_profile[16];
	bool drawer;               /* a cash drawer hangs on the printer */
	cm_money credit_excess_max;
	bool credit_copy;
};

/* The till does not own st: close the store after till_free. */
enum cm_rc till_open(struct store *st, struct till **out, char *err, size_t errlen);
void till_free(struct till *t);
const char *till_errmsg(const struct till *t);
struct store *till_store(struct till *t);
const struct till_config *till_config(const struct till *t);
/* Re-reads settings, tax rates and scale formats from the store. */
enum cm_rc till_reload(struct till *t);

/* The drivers' parsers of device settings (the engine does not link the
 * drivers: the program hands them in, e.g. cli_open). Without them the
 * scanner and printer settings are refused, as they cannot be checked. */
struct till_devices {
	bool (*printer_spec_valid)(const char *spec);
	bool (*scanner_spec_valid)(const char *spec);
};
void till_set_devices(struct till *t, const struct till_devices *d);

/* The cash drawer's switch as the printer last reported it (the till's
 * loop passes the print worker's status on). */
void till_drawer_seen(struct till *t, bool open);
/* CM_OK when the drawer is not known to be open; else CM_STATE with "close
 * it first" and, once per opening, a journaled drawer_left_open so the
 * audit sees a drawer left open between sales. sale_open asks it. */
enum cm_rc till_drawer_closed(struct till *t);

/* Changes a store setting, journaled ("setting_changed") in the same
 * transaction. Only known keys (the SET_* above); needs
 * ACT_MANAGE_CATALOGUE, except in a store that has no users yet (init).
 * Values are checked (numbers where numbers are meant). */
enum cm_rc till_setting_set(struct till *t, const char *key, const char *value);
/* Adds or replaces a scale label format, journaled like a setting. */
enum cm_rc till_scale_format_set(struct till *t, const char *prefix, const char *tmpl);

/* The clock: unix seconds. Defaults to time(NULL), or to the fixed value of
 * the COOPMART_FAKE_TIME environment variable when set (tests freeze the
 * clock with it). */
typedef int64_t (*till_clock_fn)(void *ctx);
void till_set_clock(struct till *t, till_clock_fn fn, void *ctx);
int64_t till_now(const struct till *t);
/* yyyymmdd of a unix time in the local time zone. */
int32_t till_local_date(int64_t unix_time);

/* The tax rate in force for cls today (NULL when 0%, e.g. exempt). */
const struct tax_rate *till_tax_rate(const struct till *t, enum tax_class cls, int32_t date);
/* Barcode classification with this store's scale formats. */
enum cm_rc till_parse_barcode(const struct till *t, const char *text, struct barcode *out);

/* The user logged in, or NULL. Set by auth_login/auth_logout. */
const struct user_rec *till_user(const struct till *t);

/* Journals an event now, by the logged-in user (or user_id when given),
 * inside the caller's transaction. payload is canonical JSON (core/chain.h)
 * from canon_take; it is consumed (freed) whatever the outcome, and NULL
 * (the writer ran out of memory) fails with CM_NOMEM. */
enum cm_rc till_journal(struct till *t, const char *type, int64_t user_id,
                        char *payload, struct journal_entry *out);

/* Ends a transaction the caller began with store_begin*: journals type
 * with payload in it when type is given, then commits; when anything
 * failed (rc on entry included) rolls back instead. payload is consumed.
 * Returns the outcome; on a failure it sets the message, except when rc
 * was already an error on entry (the caller's message stands). */
enum cm_rc till_end_tx(struct till *t, enum cm_rc rc, const char *type, int64_t user_id,
                       char *payload);

/* Internal to the engine: set the message / the user. */
void till_seterr(struct till *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void till_set_user(struct till *t, const struct user_rec *u);
/* The till's one record of what last needed a supervisor (engine/auth.h). */
struct approval_need;
struct approval_need *till_need(struct till *t);
/* Copies the store's message to the till's; returns rc. */
enum cm_rc till_store_fail(struct till *t, enum cm_rc rc);

#endif
