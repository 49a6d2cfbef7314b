/* Engine context: settings cache, clock, current user, journal helper. */
#include "engine/till.h"
#include "engine/auth.h"
#include "core/chain.h"
#include "core/perm.h"
#include "store/store_sync.h"
#include "drivers/escpos.h"

#include <limits.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct till {
	struct store *st;
	struct till_config cfg;
	struct tax_rate *rates;
	size_t nrates;
	struct scale_format *scales;
	size_t nscales;
	struct user_rec user;
	bool logged_in;
	till_clock_fn clock;
	void *clock_ctx;
	const struct till_devices *devices;
	bool drawer_open;           /* the printer last said so */
	bool drawer_journaled;      /* drawer_left_open written for this opening */
	char err[320];
	struct approval_need need;
};

void till_set_devices(struct till *t, const struct till_devices *d)
{
	t->devices = d;
}

/* A device setting is checked by the drivers' own parser; a program that
 * did not hand the till its drivers cannot check one and refuses it. */
static bool device_spec_ok(const struct till *t, bool printer, const char *v)
{
	if (!t->devices)
		return false;
	return printer ? t->devices->printer_spec_valid(v) : t->devices->scanner_spec_valid(v);
}

void till_drawer_seen(struct till *t, bool open)
{
	t->drawer_open = open;
	if (!open)
		t->drawer_journaled = false;
}

enum cm_rc till_drawer_closed(struct till *t)
{
	if (!t->drawer_open)
		return CM_OK;
	/* The audit sees each drawer found open when a sale was to start,
	 * once per opening. */
	if (!t->drawer_journaled && store_begin(t->st) == CM_OK) {
		struct canon *c = canon_new();

		canon_obj_begin(c, NULL);
		canon_obj_end(c);
		t->drawer_journaled = till_end_tx(t, CM_OK, "drawer_left_open", 0,
		                                  canon_take(c)) == CM_OK;
	}
	till_seterr(t, "%s", _("The cash drawer is open: close it before the next sale."));
	return CM_STATE;
}

void till_seterr(struct till *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->err, sizeof t->err, fmt, ap);
	va_end(ap);
}

const char *till_errmsg(const struct till *t)
{
	return t->err;
}

struct approval_need *till_need(struct till *t)
{
	return &t->need;
}

enum cm_rc till_store_fail(struct till *t, enum cm_rc rc)
{
	snprintf(t->err, sizeof t->err, "%s", store_errmsg(t->st));
	return rc;
}

static void setting_text(struct store *st, const char *key, char *buf, size_t n,
                         const char *dflt)
{
	if (store_setting_get(st, key, buf, n) != CM_OK)
		snprintf(buf, n, "%s", dflt);
}

static void load_config(struct till *t)
{
	struct till_config *c = &t->cfg;
	setting_text(t->st, SET_STORE_NAME, c->store_name, sizeof c->store_name, "Koperasi");
	setting_text(t->st, SET_STORE_ADDRESS, c->store_address, sizeof c->store_address, "");
	setting_text(t->st, SET_NPWP, c->npwp, sizeof c->npwp, "");
	setting_text(t->st, SET_TERMINAL, c->terminal, sizeof c->terminal, "T01");
	setting_text(t->st, SET_STORE_CODE, c->store_code, sizeof c->store_code, "");
	setting_text(t->st, SET_RECEIPT_FOOTER, c->receipt_footer, sizeof c->receipt_footer, "");
	setting_text(t->st, SET_SCANNER, c->scanner, sizeof c->scanner, "keyboard");
	c->pkp = store_setting_int(t->st, SET_PKP, 0) != 0;
	c->round_step = store_setting_int(t->st, SET_ROUND_STEP, 100);
	c->cash_ceiling = store_setting_int(t->st, SET_CASH_CEILING, 10000000);
	c->discount_limit_bp = (int32_t)store_setting_int(t->st, SET_DISCOUNT_LIMIT, 1000);
	c->lockout_after = (int32_t)store_setting_int(t->st, SET_LOCKOUT_AFTER, 5);
	c->credit_excess_max = store_setting_int(t->st, SET_CREDIT_EXCESS, 0);
	c->credit_copy = store_setting_int(t->st, SET_CREDIT_COPY, 1) != 0;
	c->lockout_minutes = (int32_t)store_setting_int(t->st, SET_LOCKOUT_MINUTES, 5);
	c->lockout_max_minutes = (int32_t)store_setting_int(t->st, SET_LOCKOUT_MAX, 1440);
	c->receipt_columns = (int)store_setting_int(t->st, SET_RECEIPT_COLS, 32);
	setting_text(t->st, SET_PRINTER, c->printer, sizeof c->printer, "");
	/* Unset, the profile follows the receipt width the store chose. */
	setting_text(t->st, SET_PRINTER_PROFILE, c->printer_profile, sizeof c->printer_profile,
	             c->receipt_columns == 48 ? "80" : c->receipt_columns == 42 ? "80-42" : "58");
	{
		char drawer[16];

		setting_text(t->st, SET_DRAWER, drawer, sizeof drawer, "printer");
		c->drawer = strcmp(drawer, "none") != 0;
	}
	/* One width for every page the till prints or shows as printed
	 * (receipts, return receipts, X/Z reports, the test page): the
	 * printer profile's. receipt_columns only chooses the profile when
	 * none is set. */
	{
		const struct escpos_profile *p = escpos_profile_find(c->printer_profile);

		c->receipt_columns = p ? p->columns : 32;
	}
	if (c->lockout_after < 1)
		c->lockout_after = 5;
	if (c->lockout_minutes < 1)
		c->lockout_minutes = 5;
	if (c->lockout_max_minutes < c->lockout_minutes)
		c->lockout_max_minutes = c->lockout_minutes;
}

enum cm_rc till_reload(struct till *t)
{
	load_config(t);
	free(t->rates);
	free(t->scales);
	t->rates = NULL;
	t->scales = NULL;
	enum cm_rc rc = store_tax_rates(t->st, &t->rates, &t->nrates);
	if (rc == CM_OK)
		rc = store_scale_formats(t->st, &t->scales, &t->nscales);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

static int64_t default_clock(void *ctx)
{
	(void)ctx;
	const char *fake = getenv("COOPMART_FAKE_TIME");
	if (fake && *fake)
		return strtoll(fake, NULL, 10);
	return (int64_t)time(NULL);
}

enum cm_rc till_open(struct store *st, struct till **out, char *err, size_t errlen)
{
	*out = NULL;
	struct till *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	t->st = st;
	t->clock = default_clock;
	t->need.act = ACT_COUNT;
	enum cm_rc rc = till_reload(t);
	if (rc != CM_OK) {
		snprintf(err, errlen, "%s", t->err);
		till_free(t);
		return rc;
	}
	*out = t;
	return CM_OK;
}

void till_free(struct till *t)
{
	if (!t)
		return;
	free(t->rates);
	free(t->scales);
	free(t);
}

struct store *till_store(struct till *t)
{
	return t->st;
}

const struct till_config *till_config(const struct till *t)
{
	return &t->cfg;
}

void till_set_clock(struct till *t, till_clock_fn fn, void *ctx)
{
	t->clock = fn ? fn : default_clock;
	t->clock_ctx = ctx;
}

int64_t till_now(const struct till *t)
{
	return t->clock(t->clock_ctx);
}

int32_t till_local_date(int64_t unix_time)
{
	time_t tt = (time_t)unix_time;
	struct tm tm;
	localtime_r(&tt, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

const struct tax_rate *till_tax_rate(const struct till *t, enum tax_class cls, int32_t date)
{
	if (cls == TAX_EXEMPT)
		return NULL;
	return tax_rate_at(t->rates, t->nrates, cls, date);
}

enum cm_rc till_parse_barcode(const struct till *t, const char *text, struct barcode *out)
{
	return barcode_parse(text, t->scales, t->nscales, out);
}

const struct user_rec *till_user(const struct till *t)
{
	return t->logged_in ? &t->user : NULL;
}

void till_set_user(struct till *t, const struct user_rec *u)
{
	t->logged_in = u != NULL;
	if (u)
		t->user = *u;
	else
		memset(&t->user, 0, sizeof t->user);
}

enum cm_rc till_journal(struct till *t, const char *type, int64_t user_id,
                        char *payload, struct journal_entry *out)
{
	if (!payload) {
		till_seterr(t, "%s", _("out of memory"));
		return CM_NOMEM;
	}
	if (!user_id && t->logged_in)
		user_id = t->user.id;
	enum cm_rc rc = journal_append(t->st, type, till_now(t), user_id, payload, out);
	free(payload);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

enum cm_rc till_end_tx(struct till *t, enum cm_rc rc, const char *type, int64_t user_id,
                       char *payload)
{
	if (rc == CM_OK && type) {
		rc = till_journal(t, type, user_id, payload, NULL);
		payload = NULL;
	}
	if (rc == CM_OK && (rc = store_commit(t->st)) != CM_OK)
		till_store_fail(t, rc);
	if (rc != CM_OK)
		store_rollback(t->st);
	free(payload);
	return rc;
}

/* ---- settings changes ---- */

struct setting_def {
	const char *key;
	bool numeric;
	int64_t min, max;
};

static const struct setting_def settings[] = {
	{ SET_STORE_NAME, false, 1, 63 },
	{ SET_STORE_ADDRESS, false, 0, 127 },
	{ SET_NPWP, false, 0, 31 },
	{ SET_PKP, true, 0, 1 },
	{ SET_TERMINAL, false, 1, 15 },
	{ SET_STORE_CODE, false, 1, 31 },
	{ SET_ROUND_STEP, true, 1, 1000 },
	{ SET_CASH_CEILING, true, 1000, 1000000000 },
	{ SET_DISCOUNT_LIMIT, true, 0, 10000 },
	{ SET_LOCKOUT_AFTER, true, 1, 20 },
	{ SET_LOCKOUT_MINUTES, true, 1, 1440 },
	{ SET_LOCKOUT_MAX, true, 1, 10080 },
	{ SET_RECEIPT_COLS, true, 32, 48 },
	{ SET_RECEIPT_FOOTER, false, 0, 127 },
	{ SET_DEMO, true, 0, 1 },
	{ SET_SCANNER, false, 1, 270 },
	{ SET_PRINTER, false, 0, 159 },
	{ SET_PRINTER_PROFILE, false, 1, 15 },
	{ SET_DRAWER, false, 1, 15 },
	{ SET_CREDIT_EXCESS, true, 0, 100000000 },
	{ SET_CREDIT_COPY, true, 0, 1 },
};

/* An NPWP has 15 digits (99.999.999.9-999.999) or, since 2024, 16 (a
 * person's NIK or the new 16-digit form); dots, dashes and spaces between
 * the digits are kept as the store writes them. Empty: no NPWP. */
static bool npwp_valid(const char *v)
{
	size_t digits = 0;
	for (const char *p = v; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '.' && *p != '-' && *p != ' ')
			return false;
	}
	return !*v || digits == 15 || digits == 16;
}

/* realpath() of the directory holding the store database. */
static bool data_dir(struct till *t, char *out)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", store_path(t->st));
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		slash[slash == dir] = '\0';
	return realpath(dir, out) != NULL;
}

static bool path_within(const char *path, const char *base)
{
	size_t n = strlen(base);
	if (n && base[n - 1] == '/')
		n--;
	return strncmp(path, base, n) == 0 && path[n] == '/';
}

/* A file: printer appends to a file as the till's user, so a setting must
 * not point it at /etc or another store's files: only an absolute path to
 * a file inside the database's directory (symbolic links resolved), which
 * the till may write anyway. */
static bool file_printer_allowed(struct till *t, const char *path, char *base)
{
	if (!data_dir(t, base) || path[0] != '/')
		return false;
	char real[PATH_MAX];
	if (realpath(path, real))
		return path_within(real, base);
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return false; /* a dangling symbolic link: opening it creates its target */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	const char *name = slash + 1;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	slash[slash == dir] = '\0';
	if (!realpath(dir, real))
		return false;
	size_t n = strlen(base);
	return strcmp(real, base) == 0 || (n && base[n - 1] == '/') || path_within(real, base);
}

static enum cm_rc path_setting_check(struct till *t, const char *key, const char *v)
{
	if (strcmp(key, SET_NPWP) == 0 && !npwp_valid(v)) {
		till_seterr(t, _("%s: '%s' is not an NPWP (15 or 16 digits, e.g. "
		                 "01.234.567.8-901.000)"), key, v);
		return CM_INVALID;
	}
	char base[PATH_MAX] = "";
	if (strcmp(key, SET_PRINTER) == 0 && strncmp(v, "file:", 5) == 0 &&
	    !file_printer_allowed(t, v + 5, base)) {
		till_seterr(t, _("%s: a file: printer must be a file in the store's data "
		                 "directory (%s/...)"), key, *base ? base : ".");
		return CM_INVALID;
	}
	return CM_OK;
}

/* The printer settings name things: a printer, a profile, a drawer. */
static enum cm_rc printer_setting_check(struct till *t, const char *key, const char *v)
{
	if (strcmp(key, SET_PRINTER) == 0 && *v && strcmp(v, "none") != 0 &&
	    !device_spec_ok(t, true, v)) {
		till_seterr(t, _("%s: '%s' is not a printer (usb:VVVV:PPPP, lp:PATH, tcp:HOST[:PORT], "
		                 "file:PATH or none)"), key, v);
		return CM_INVALID;
	}
	if (strcmp(key, SET_PRINTER_PROFILE) == 0 && !escpos_profile_find(v)) {
		till_seterr(t, _("%s: '%s' is not a printer profile (58, 80, 80-42 or dotmatrix)"),
		            key, v);
		return CM_INVALID;
	}
	if (strcmp(key, SET_DRAWER) == 0 && strcmp(v, "printer") != 0 && strcmp(v, "none") != 0) {
		till_seterr(t, _("%s: '%s' is not valid (printer or none)"), key, v);
		return CM_INVALID;
	}
	return CM_OK;
}

/* What HQ's enrolment and sync.conf accept as a store code, and no more:
 * it goes into URLs, logs and file names. */
static bool store_code_valid(const char *v)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return *v != '\0';
}

static const struct setting_def *setting_find(const char *key)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static enum cm_rc setting_check(struct till *t, const struct setting_def *d, const char *v)
{
	if (!d->numeric) {
		size_t n = strlen(v);
		if (printer_setting_check(t, d->key, v) != CM_OK ||
		    path_setting_check(t, d->key, v) != CM_OK)
			return CM_INVALID;
		if ((int64_t)n < d->min || (int64_t)n > d->max) {
			till_seterr(t, _("%s must be %lld to %lld characters"), d->key,
			            (long long)d->min, (long long)d->max);
			return CM_INVALID;
		}
		if (strcmp(d->key, SET_STORE_CODE) == 0 && !store_code_valid(v)) {
			till_seterr(t, _("%s: '%s' is not a store code (letters, digits, '-', '_' "
			                 "and '.', as HQ enrolled the store)"), d->key, v);
			return CM_INVALID;
		}
		if (strcmp(d->key, SET_SCANNER) == 0 && !device_spec_ok(t, false, v)) {
			till_seterr(t, _("%s: '%s' is not a scanner (keyboard, usb:VVVV:PPPP, "
			                 "usbpos:VVVV:PPPP or tty:/dev/NAME[:BAUD])"), d->key, v);
			return CM_INVALID;
		}
		return CM_OK;
	}
	char *end;
	long long x = strtoll(v, &end, 10);
	if (strcmp(d->key, SET_RECEIPT_COLS) == 0 && (*end || (x != 32 && x != 42 && x != 48))) {
		till_seterr(t, _("%s: '%s' is not a valid value (32, 42 or 48)"), d->key, v);
		return CM_INVALID;
	}
	if (!*v || *end || x < d->min || x > d->max) {
		till_seterr(t, _("%s: '%s' is not a valid value (%lld to %lld)"), d->key, v,
		            (long long)d->min, (long long)d->max);
		return CM_INVALID;
	}
	return CM_OK;
}

static enum cm_rc may_configure(struct till *t)
{
	if (!t->logged_in && store_user_count(t->st) == 0)
		return CM_OK; /* a new store being set up by init */
	if (!t->logged_in) {
		till_seterr(t, "%s", _("nobody is logged in"));
		return CM_STATE;
	}
	if (perm_check(t->user.role, ACT_MANAGE_CATALOGUE) != PERM_ALLOW) {
		till_seterr(t, "%s", _("only an admin may change store settings"));
		return CM_DENIED;
	}
	return CM_OK;
}

/* Writes key=value (through set) and journals it in one transaction. */
static enum cm_rc journaled_change(struct till *t, const char *type, const char *key,
                                   const char *value,
                                   enum cm_rc (*set)(struct store *, const char *, const char *))
{
	enum cm_rc rc = store_begin(t->st);
	if (rc != CM_OK)
		return till_store_fail(t, rc);
	if ((rc = set(t->st, key, value)) != CM_OK)
		till_store_fail(t, rc);
	struct canon *c = canon_new();
	canon_obj_begin(c, NULL);
	canon_str(c, "key", key);
	canon_str(c, "value", value);
	canon_obj_end(c);
	if ((rc = till_end_tx(t, rc, type, 0, canon_take(c))) != CM_OK)
		return rc;
	return till_reload(t);
}

/* A typo at init may be mended until HQ holds events under the code: then
 * the code names this journal at HQ, and a new one would be another store. */
static enum cm_rc store_code_may_change(struct till *t, const char *value)
{
	char old[32];
	struct sync_state ss;
	if (store_setting_get(t->st, SET_STORE_CODE, old, sizeof old) != CM_OK ||
	    strcmp(old, value) == 0)
		return CM_OK;
	if (store_sync_state(t->st, &ss) == CM_OK && ss.acked_seq > 0) {
		till_seterr(t, _("the store code is %s and HQ already holds this terminal's "
		                 "journal under it; it cannot change"), old);
		return CM_STATE;
	}
	return CM_OK;
}

enum cm_rc till_setting_set(struct till *t, const char *key, const char *value)
{
	const struct setting_def *d = setting_find(key);
	if (!d) {
		till_seterr(t, _("unknown setting %s"), key);
		return CM_NOTFOUND;
	}
	enum cm_rc rc = may_configure(t);
	if (rc == CM_OK)
		rc = setting_check(t, d, value);
	if (rc != CM_OK)
		return rc;
	struct journal_entry head;
	if (strcmp(key, SET_TERMINAL) == 0 && journal_head(t->st, &head) == CM_OK && head.seq) {
		/* The journal is one chain per terminal id: renaming would start
		 * a second chain in the same file. */
		till_seterr(t, "%s", _("the terminal id cannot change once the journal has started"));
		return CM_STATE;
	}
	if (strcmp(key, SET_STORE_CODE) == 0 && (rc = store_code_may_change(t, value)) != CM_OK)
		return rc;
	return journaled_change(t, "setting_changed", key, value, store_setting_set);
}

enum cm_rc till_scale_format_set(struct till *t, const char *prefix, const char *tmpl)
{
	enum cm_rc rc = may_configure(t);
	if (rc != CM_OK)
		return rc;
	if (scale_format_check(prefix, tmpl) != CM_OK) {
		till_seterr(t, _("scale format %s %s is not valid (see the README)"), prefix, tmpl);
		return CM_INVALID;
	}
	return journaled_change(t, "scale_format_changed", prefix, tmpl, store_scale_format_set);
}
