/* coopmart-hq: the regional server and its administration commands.
 *
 * Exit codes, as the till's command line (pos/cli/cli.h):
 *   0 done  1 usage  2 not found  3 invalid input  4 not allowed
 *   5 database busy  6 cannot write  7 damaged  8 wrong state */
#include "hqaudit.h"
#include "hqimport.h"
#include "hqreport.h"
#include "hqstore.h"
#include "server.h"
#include "token.h"
#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum hq_exit {
	EX_DONE = 0, EX_USAGE = 1, EX_NOTFOUND = 2, EX_INVALID = 3, EX_DENIED = 4,
	EX_BUSY = 5, EX_WRITE = 6, EX_DAMAGED = 7, EX_STATE = 8,
};

static const char *const usage_text = N_(
	"usage: coopmart-hq --db PATH|postgresql://... COMMAND ...\n"
	"\n"
	"Commands:\n"
	"  serve --listen ADDR:PORT --cert FILE --key FILE [--threads N]\n"
	"        [--max-connections N] [--max-per-address N]\n"
	"                           serve the sync protocol over HTTPS until SIGTERM\n"
	"                           (connections: 1024 in all, 32 per client address)\n"
	"  enroll --store CODE --terminal ID [--signing-key ed25519:SEQ:HEX]\n"
	"         [--operator [--all-stores]]\n"
	"                           enroll a terminal (or an operator, who reads its\n"
	"                           store's reports, or every store's) and print its token;\n"
	"                           --signing-key (from 'coopmart key show'): every event\n"
	"                           from SEQ on must be signed with that key\n"
	"  revoke --terminal STORE/ID   refuse that terminal's token from now on\n"
	"  import catalogue FILE [--skip-bad] [--full]   CSV or JSON items\n"
	"  import prices --store CODE FILE [--skip-bad]  CSV sku,price,member_price\n"
	"  import members FILE [--skip-bad]              CSV number,name,card_code,status\n"
	"  import orders --store CODE FILE              CSV po,supplier,date,sku,qty,cost\n"
	"  report [--from DATE --to DATE] [--json]      sales per store per day, stock, alerts\n"
	"  audit --from DATE --to DATE [--store CODE] [--json]\n"
	"                           exceptions per store and person (voids after subtotal,\n"
	"                           cancelled tickets, overrides, discounts over the limit,\n"
	"                           no-sale opens, returns, reprints, cash variances, failed\n"
	"                           logins, lockouts, approvals given); ! = far above peers\n"
	"  alerts [--all]           the alerts no operator has acknowledged (--all: every one)\n"
	"  alerts ack ID --by NAME [--note TEXT]\n"
	"                           acknowledge an alert: recorded with who and when; a\n"
	"                           terminal can raise alerts but never clear them\n"
	"\n"
	"Exit codes: 0 done, 1 usage, 2 not found, 3 invalid input, 4 not allowed,\n"
	"5 database busy, 6 cannot write, 7 damaged, 8 wrong state.\n");

struct hq {
	const char *db;
	struct hqstore *st;
	int argc;
	char **argv;
};

static int exit_code(enum cm_rc rc)
{
	switch (rc) {
	case CM_OK: return EX_DONE;
	case CM_NOTFOUND: return EX_NOTFOUND;
	case CM_INVALID: return EX_INVALID;
	case CM_DENIED: case CM_NEED_OVERRIDE: case CM_LOCKED: return EX_DENIED;
	case CM_BUSY: return EX_BUSY;
	case CM_CORRUPT: return EX_DAMAGED;
	case CM_STATE: case CM_CONFLICT: return EX_STATE;
	default: return EX_WRITE;
	}
}

static int fail(enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "coopmart-hq: %s\n", msg);
	return exit_code(rc);
}

static int usage(void)
{
	fputs(_(usage_text), stderr);
	return EX_USAGE;
}

/* The value of option name among the command's arguments, or NULL;
 * *bad is set when the option is given without a value. */
static const char *opt(const struct hq *h, const char *name, bool *bad)
{
	for (int i = 0; i < h->argc; i++) {
		if (strcmp(h->argv[i], name) != 0)
			continue;
		if (i + 1 >= h->argc || h->argv[i + 1][0] == '-') {
			*bad = true;
			return NULL;
		}
		return h->argv[i + 1];
	}
	return NULL;
}

static bool flag(const struct hq *h, const char *name)
{
	for (int i = 0; i < h->argc; i++)
		if (strcmp(h->argv[i], name) == 0)
			return true;
	return false;
}

/* The first argument that is neither an option nor an option's value;
 * `valued` lists the options that take a value. */
static const char *positional(const struct hq *h, int skip, const char *const *valued)
{
	for (int i = 0; i < h->argc; i++) {
		if (h->argv[i][0] == '-') {
			for (const char *const *v = valued; *v; v++)
				if (strcmp(h->argv[i], *v) == 0)
					i++;
			continue;
		}
		if (skip-- == 0)
			return h->argv[i];
	}
	return NULL;
}

/* Rejects options the command does not know, so a typo is not ignored. */
static bool only_known(const struct hq *h, const char *const *known)
{
	for (int i = 0; i < h->argc; i++) {
		if (h->argv[i][0] != '-')
			continue;
		const char *const *k = known;
		while (*k && strcmp(*k, h->argv[i]) != 0)
			k++;
		if (!*k) {
			fprintf(stderr, _("coopmart-hq: unknown option %s\n"), h->argv[i]);
			return false;
		}
	}
	return true;
}

static bool valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/* ---- commands ---- */

/* A count option from 1 to max into *out (left alone when absent). */
static bool count_opt(const struct hq *h, const char *name, long max, unsigned *out, bool *bad)
{
	const char *v = opt(h, name, bad);
	if (!v)
		return true;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > max) {
		fprintf(stderr, "coopmart-hq: %s must be a number from 1 to %ld\n", name, max);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

static int cmd_serve(struct hq *h)
{
	static const char *const known[] = { "--listen", "--cert", "--key", "--threads",
	                                     "--max-connections", "--max-per-address", NULL };
	bool bad = false;
	struct server_opts o = {
		.listen = opt(h, "--listen", &bad),
		.cert_file = opt(h, "--cert", &bad),
		.key_file = opt(h, "--key", &bad),
	};
	const char *threads = opt(h, "--threads", &bad);
	if (!only_known(h, known) || bad || !o.listen || !o.cert_file || !o.key_file)
		return usage();
	if (!count_opt(h, "--max-connections", 100000, &o.max_connections, &bad) ||
	    !count_opt(h, "--max-per-address", 100000, &o.max_per_address, &bad))
		return EX_INVALID;
	if (threads) {
		long n = strtol(threads, NULL, 10);
		if (n < 1 || n > 64)
			return fail(CM_INVALID, _("--threads must be a number from 1 to 64"));
		o.threads = (unsigned)n;
	}
	char err[300];
	enum cm_rc rc = server_run(h->st, &o, err, sizeof err);
	return rc == CM_OK ? EX_DONE : fail(rc, err);
}

/* "ed25519:SEQ:HEX" (coopmart key show) into its sequence and key. */
static bool parse_signing_key(const char *arg, int64_t *seq, char hex[65])
{
	char *end = NULL;
	if (strncmp(arg, "ed25519:", 8) != 0)
		return false;
	long long n = strtoll(arg + 8, &end, 10);
	if (end == arg + 8 || *end != ':' || n < 1 || strlen(end + 1) != 64)
		return false;
	for (const char *c = end + 1; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	*seq = n;
	memcpy(hex, end + 1, 65);
	return true;
}

static int cmd_enroll(struct hq *h)
{
	static const char *const known[] = { "--store", "--terminal", "--operator", "--all-stores",
	                                     "--signing-key", NULL };
	bool bad = false, replaced = false;
	const char *store = opt(h, "--store", &bad), *term = opt(h, "--terminal", &bad);
	const char *key = opt(h, "--signing-key", &bad);
	char key_hex[65] = "";
	int64_t key_seq = 0;
	if (!only_known(h, known) || bad || !store || !term)
		return usage();
	if (flag(h, "--all-stores") && !flag(h, "--operator"))
		return fail(CM_INVALID, _("--all-stores is for operators (--operator)"));
	if (key && (flag(h, "--operator") || !parse_signing_key(key, &key_seq, key_hex)))
		return fail(CM_INVALID, _("--signing-key is a terminal's, as 'coopmart key show' "
		                          "prints it: ed25519:SEQ:64 hex digits"));
	if (!valid_name(store, 31) || !valid_name(term, 15))
		return fail(CM_INVALID, _("store codes (at most 31) and terminal ids (at most 15) "
		                          "are letters, digits, '-', '_' or '.'"));
	char tok[TOKEN_LEN + 1];
	uint8_t hash[CHAIN_HASH_LEN];
	enum cm_rc rc = token_new(tok, hash);
	if (rc != CM_OK)
		return fail(rc, _("cannot draw random bytes for the token"));
	rc = hqstore_enroll(h->st, store, term, flag(h, "--operator"), flag(h, "--all-stores"), hash,
	                    &replaced);
	if (rc == CM_OK && key)
		rc = hqstore_terminal_set_key(h->st, store, term, key_hex, key_seq);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	printf("%s\n", tok);
	const char *kind = flag(h, "--operator") ? _("operator") : _("terminal");
	if (replaced)
		fprintf(stderr, _("coopmart-hq: %s %s/%s enrolled again (its previous token no longer "
		                  "works); the token above is shown only once\n"), kind, store, term);
	else
		fprintf(stderr, _("coopmart-hq: %s %s/%s enrolled; the token above is shown only "
		                  "once\n"), kind, store, term);
	return EX_DONE;
}

static int cmd_revoke(struct hq *h)
{
	static const char *const known[] = { "--terminal", NULL };
	bool bad = false;
	const char *arg = opt(h, "--terminal", &bad);
	char store[32];
	if (!only_known(h, known) || bad || !arg)
		return usage();
	const char *slash = strchr(arg, '/');
	if (!slash || (size_t)(slash - arg) >= sizeof store || !slash[1])
		return fail(CM_INVALID, _("--terminal takes STORE/ID, e.g. KMB-SMG/K01"));
	memcpy(store, arg, (size_t)(slash - arg));
	store[slash - arg] = '\0';
	enum cm_rc rc = hqstore_revoke(h->st, store, slash + 1);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	fprintf(stderr, _("coopmart-hq: the token of %s is revoked\n"), arg);
	return EX_DONE;
}

static void import_summary(const char *what, const struct hqimport_result *r)
{
	printf(_("%s: %zu rows, %zu changed, %lld deleted, %zu skipped; version %lld\n"), what,
	       r->rows, r->changed, (long long)r->deleted, r->bad, (long long)r->version);
}

static int cmd_import(struct hq *h)
{
	static const char *const known[] = { "--store", "--skip-bad", "--full", NULL };
	static const char *const valued[] = { "--store", NULL };
	bool bad = false;
	const char *what = positional(h, 0, valued), *file = positional(h, 1, valued);
	const char *store = opt(h, "--store", &bad);
	struct hqimport_opts o = { .skip_bad = flag(h, "--skip-bad"), .full = flag(h, "--full"),
	                           .errs = stderr };
	struct hqimport_result res;
	enum cm_rc rc;
	if (!only_known(h, known) || bad || !what || !file || positional(h, 2, valued))
		return usage();
	if (strcmp(what, "catalogue") == 0 && !store)
		rc = hqimport_catalogue(h->st, file, &o, &res);
	else if (strcmp(what, "prices") == 0 && store && !o.full)
		rc = hqimport_prices(h->st, store, file, &o, &res);
	else if (strcmp(what, "orders") == 0 && store && !o.full && !o.skip_bad)
		rc = hqimport_orders(h->st, store, file, &o, &res);
	else if (strcmp(what, "members") == 0 && !store && !o.full)
		rc = hqimport_members(h->st, file, &o, &res);
	else
		return usage();
	if (rc == CM_OK) {
		import_summary(what, &res);
		return EX_DONE;
	}
	if (rc == CM_INVALID || rc == CM_NOTFOUND)
		return exit_code(rc);   /* the reasons are reported already */
	return fail(rc, hqstore_errmsg());
}

/* "2026-11-29" or "20261129" -> 20261129; 0 when malformed. */
static int32_t parse_date(const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
	    (strlen(s) != 8 || sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) != 3))
		return 0;
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return y * 10000 + m * 100 + d;
}

static int cmd_report(struct hq *h)
{
	static const char *const known[] = { "--from", "--to", "--json", NULL };
	bool bad = false;
	const char *from = opt(h, "--from", &bad), *to = opt(h, "--to", &bad);
	int32_t f = 19000101, t = 29991231;
	if (!only_known(h, known) || bad)
		return usage();
	if ((from && !(f = parse_date(from))) || (to && !(t = parse_date(to))))
		return fail(CM_INVALID, _("dates are written YYYY-MM-DD or YYYYMMDD"));
	enum cm_rc rc;
	if (flag(h, "--json")) {
		char *json = NULL;
		rc = hqreport_json(h->st, NULL, f, t, REPORT_ALL, &json);
		if (rc == CM_OK)
			printf("%s\n", json);
		free(json);
	} else {
		rc = hqreport_text(h->st, f, t, REPORT_ALL, stdout);
	}
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int cmd_alerts_ack(struct hq *h)
{
	static const char *const known[] = { "--by", "--note", NULL };
	static const char *const valued[] = { "--by", "--note", NULL };
	bool bad = false;
	const char *by = opt(h, "--by", &bad), *note = opt(h, "--note", &bad);
	const char *id = positional(h, 1, valued);
	char *end = NULL;
	long long n = id ? strtoll(id, &end, 10) : 0;
	if (!only_known(h, known) || bad || !id || positional(h, 2, valued))
		return usage();
	if (!by || !*by)
		return fail(CM_INVALID, _("say who acknowledges the alert: --by NAME"));
	if (strlen(by) > 63 || (note && strlen(note) > 199))
		return fail(CM_INVALID, _("--by is at most 63 characters, --note at most 199"));
	if (*end || n <= 0)
		return fail(CM_INVALID, _("an alert is named by its number (see 'coopmart-hq alerts')"));
	enum cm_rc rc = hqstore_alert_ack(h->st, n, by, note ? note : "", (int64_t)time(NULL));
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	fprintf(stderr, _("coopmart-hq: alert %lld acknowledged by %s\n"), n, by);
	return EX_DONE;
}

static int cmd_alerts(struct hq *h)
{
	static const char *const known[] = { "--all", NULL };
	size_t n;
	if (h->argc && strcmp(h->argv[0], "ack") == 0)
		return cmd_alerts_ack(h);
	if (!only_known(h, known) || positional(h, 0, known + 1))
		return usage();
	enum cm_rc rc = hqreport_alerts(h->st, stdout, flag(h, "--all"), &n);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if (n == 0)
		fprintf(stderr, "coopmart-hq: %s\n", _("no alerts"));
	return EX_DONE;
}

/* Local midnight of yyyymmdd, plus days. */
static int64_t day_start(int32_t date, int days)
{
	struct tm tm = { .tm_year = date / 10000 - 1900, .tm_mon = date / 100 % 100 - 1,
	                 .tm_mday = date % 100 + days, .tm_isdst = -1 };
	return (int64_t)mktime(&tm);
}

static int cmd_audit(struct hq *h)
{
	static const char *const known[] = { "--from", "--to", "--store", "--json", NULL };
	bool bad = false;
	const char *from = opt(h, "--from", &bad), *to = opt(h, "--to", &bad);
	const char *store = opt(h, "--store", &bad);
	int32_t f, t;
	if (!only_known(h, known) || bad || !from || !to)
		return usage();
	if (!(f = parse_date(from)) || !(t = parse_date(to)) || t < f)
		return fail(CM_INVALID, _("dates are written YYYY-MM-DD or YYYYMMDD, --from not after --to"));
	struct hq_audit a;
	enum cm_rc rc = hqstore_audit(h->st, store, day_start(f, 0), day_start(t, 1), &a);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if (flag(h, "--json")) {
		char *json = hqaudit_json(&a, f, t);
		if (json)
			printf("%s\n", json);
		else
			rc = CM_NOMEM;
		free(json);
	} else {
		hqaudit_text(&a, f, t, stdout);
	}
	hqstore_audit_free(&a);
	return rc == CM_OK ? EX_DONE : fail(rc, _("out of memory"));
}

static const struct {
	const char *name;
	int (*fn)(struct hq *h);
} commands[] = {
	{ "serve", cmd_serve },
	{ "enroll", cmd_enroll },
	{ "revoke", cmd_revoke },
	{ "import", cmd_import },
	{ "report", cmd_report },
	{ "alerts", cmd_alerts },
	{ "audit", cmd_audit },
};

int main(int argc, char **argv)
{
	i18n_init();
	struct hq h = { .db = getenv("COOPMART_HQ_DB") };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			h.db = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(usage_text), stdout);
			return EX_DONE;
		} else {
			return usage();
		}
	}
	if (i >= argc || !h.db || !*h.db)
		return usage();
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		char err[500];
		h.argc = argc - i - 1;
		h.argv = argv + i + 1;
		enum cm_rc rc = hqstore_open(h.db, &h.st, err, sizeof err);
		if (rc != CM_OK)
			return fail(rc, err);
		int ex = commands[k].fn(&h);
		hqstore_close(h.st);
		return ex;
	}
	fprintf(stderr, _("coopmart-hq: unknown command '%s'\n\n"), argv[i]);
	return usage();
}
