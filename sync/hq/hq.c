/* coopmart-hq: the regional server and its administration commands.
 *
 * Exit codes, as the till's command line (pos/cli/cli.h):
 *   0 done  1 usage  2 not found  3 invalid input  4 not allowed
 *   5 database busy  6 cannot write  7 damaged  8 wrong state */
#include "hqbackup.h"
#include "hqdues.h"
#include "auth.h"
#include "hqaudit.h"
#include "hqimport.h"
#include "tlsinit.h"
#include "hqreport.h"
#include "hqshu.h"
#include "hqstore.h"
#include "hqcredit.h"
#include "hqcheck.h"
#include "server.h"
#include "shop.h"
#include "token.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

enum hq_exit {
	EX_DONE = 0, EX_USAGE = 1, EX_NOTFOUND = 2, EX_INVALID = 3, EX_DENIED = 4,
	EX_BUSY = 5, EX_WRITE = 6, EX_DAMAGED = 7, EX_STATE = 8,
};

static const char *const usage_text = N_(
	"usage: coopmart-hq --db PATH|postgresql://... COMMAND ...\n"
	"\n"
	"Commands:\n"
	"  serve --listen ADDR:PORT --cert FILE --key FILE [--threads N]\n"
	"        [--max-connections N] [--max-per-address N] [--checks-per-minute N]\n"
	"                           serve the sync protocol over HTTPS until SIGTERM\n"
	"                           (connections: 1024 in all, 32 per client address;\n"
	"                           receipt checks at /check: 10 a minute per address)\n"
	"  enroll --store CODE --terminal ID [--signing-key ed25519:SEQ:HEX]\n"
	"         [--operator [--all-stores]]\n"
	"                           enroll a terminal (or an operator, who reads its\n"
	"                           store's reports, or every store's) and print its token;\n"
	"                           --signing-key (from 'coopmart key show'): every event\n"
	"                           from SEQ on must be signed with that key\n"
	"  revoke --terminal STORE/ID   refuse that terminal's token from now on\n"
	"  import catalogue FILE [--skip-bad] [--full]   CSV or JSON items\n"
	"  import prices --store CODE FILE [--skip-bad]  CSV sku,price,member_price\n"
	"  import members FILE [--skip-bad]              CSV number,name[,card_code,status,\n"
	"                           type,join_date,left_date,employer,department,\n"
	"                           employee_no,store,credit_limit,salary]\n"
	"  import orders --store CODE FILE              CSV po,supplier,date,sku,qty,cost\n"
	"  import dues-rates FILE   CSV type,kind,from,amount (all or nothing)\n"
	"  import dues-payroll FILE [--skip-bad]         CSV member,kind,period,amount,date\n"
	"  dues rate set TYPE pokok|wajib FROM AMOUNT    a rate from month FROM (YYYY-MM) on\n"
	"  dues rates               the dues schedule and settings\n"
	"  dues setting inactive-after N                 months owed that make a member\n"
	"                           inactive for dues (3)\n"
	"  dues arrears [--store S] [--csv]              who owes what, oldest first\n"
	"  member statement NUMBER [--year Y] [--csv]    a member's savings and payments\n"
	"  credit limit set MEMBER AMOUNT|share          a member's credit limit (share: the\n"
	"                           share of the salary)\n"
	"  credit setting share PERCENT | cutoff-day DAY the limit from salary (0); the\n"
	"                           statement month's last day (25)\n"
	"  credit statement MEMBER --period YYYY-MM [--csv]   a member's credit month\n"
	"  payroll export --employer E --period YYYY-MM [--csv]   what payroll deducts\n"
	"  payroll import FILE      CSV employee_no|member,period,wajib,credit: what it did\n"
	"  shu year set YEAR --amount RP                 the year's SHU (from the books, after\n"
	"                           the RAT)\n"
	"  shu year show YEAR       the year's amount, pools and rules\n"
	"  shu pool set YEAR NAME PERCENT                a pool (jasa-usaha, jasa-modal, cadangan,\n"
	"                           ...): 35, 12,5 or 3500bp; pools add up to 100%\n"
	"  shu pool remove YEAR NAME\n"
	"  shu pool import YEAR FILE                     CSV name,percent (all or nothing)\n"
	"  shu rule set YEAR NAME VALUE                  denominator members|turnover,\n"
	"                           savings year-end|monthly-average, sukarela no|yes,\n"
	"                           inactive include|exclude|reduce:PERCENT\n"
	"  shu preview --year YEAR [--top N] [--csv]     pools, stores, largest shares (CSV:\n"
	"                           every member); after posting: the posted run and the\n"
	"                           difference of later events\n"
	"  shu post --year YEAR     freeze the year's run (once)\n"
	"  shu slip --year YEAR MEMBER [--csv]           a member's SHU and its formula\n"
	"  report [--from DATE --to DATE] [--json]      sales per store per day, stock, alerts\n"
	"  audit --from DATE --to DATE [--store CODE] [--json]\n"
	"                           exceptions per store and person (voids after subtotal,\n"
	"                           cancelled tickets, overrides, discounts over the limit,\n"
	"                           no-sale opens, returns, reprints, cash variances, failed\n"
	"                           logins, lockouts, approvals given); ! = far above peers\n"
	"  check CODE [--json]      a receipt's check code (its QR code, or the text under\n"
	"                           it) against HQ's record: match (exit 0), not synced yet\n"
	"                           (8), differs (7: raises an alert), store or terminal not\n"
	"                           known (2), not a check code (3)\n"
	"  alerts [--all]           the alerts no operator has acknowledged (--all: every one)\n"
	"  alerts ack ID --by NAME [--note TEXT]\n"
	"                           acknowledge an alert: recorded with who and when; a\n"
	"                           terminal can raise alerts but never clear them\n"
	"  tls init --name HOST [--ip ADDR]... [--dir DIR] [--days N]\n"
	"                           make HQ's CA and server certificate (in /etc/coopmart-hq)\n"
	"                           and print the CA file and pin the tills need\n"
	"  backup FILE              a checked copy of the database while it serves (SQLite)\n"
	"  restore FILE             replace the database with a backup (server stopped)\n"
	"  operator add NAME --role council|office|manager [--coop CODE | --store CODE]\n"
	"                           add a console operator (or change one's role and\n"
	"                           password); the password is read from standard input\n"
	"  coop CODE STORE...       put stores in a coop (its office sees them)\n"
	"\n"
	"Members: a column left out keeps what HQ has; type is \"biasa\" when empty;\n"
	"dates are YYYY-MM-DD; join_date is needed when the member's type has dues\n"
	"rates; status \"left\" needs left_date; store must be known at HQ; a number\n"
	"or card code twice in the file, or a card code another member has at HQ,\n"
	"refuses the file (nothing is imported).\n"
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
	fputs(shop_usage(), stderr);
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
	                                     "--max-connections", "--max-per-address",
	                                     "--checks-per-minute", NULL };
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
	    !count_opt(h, "--max-per-address", 100000, &o.max_per_address, &bad) ||
	    !count_opt(h, "--checks-per-minute", 6000, &o.checks_per_minute, &bad))
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
	else if (strcmp(what, "dues-rates") == 0 && !store && !o.full && !o.skip_bad)
		rc = hqimport_dues_rates(h->st, file, &o, &res);
	else if (strcmp(what, "dues-payroll") == 0 && !store && !o.full)
		rc = hqimport_dues_payroll(h->st, file, &o, &res);
	else
		return usage();
	if (rc == CM_OK && strcmp(what, "dues-payroll") == 0) {
		printf(_("%s: %zu lines, %zu counted, %zu paid already (kept uncounted, see the "
		         "alerts), %zu imported before, %zu refused; version %lld\n"), what, res.rows,
		       res.counted, res.duplicates, res.seen, res.bad, (long long)res.version);
		return EX_DONE;
	}
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

/* coopmart-hq check CODE: the words and exit codes of hqcheck.h. */
static int check_answer(const struct hqcheck *r, const struct checkcode *c)
{
	char when[16], due[40];
	switch (r->result) {
	case HQCHECK_MATCH:
		snprintf(when, sizeof when, "%04d-%02d-%02d", r->date / 10000, r->date / 100 % 100,
		         r->date % 100);
		money_format(r->due, NULL, due, sizeof due);
		printf(_("match: HQ holds receipt %s of %s, %s\n"), c->receipt, when, due);
		return EX_DONE;
	case HQCHECK_NOT_SYNCED:
		printf("%s\n", _("not synced yet: HQ has not received this sale from its terminal yet"));
		return EX_STATE;
	case HQCHECK_DIFFERS:
		printf("%s\n", _("differs: this receipt does not match HQ's record; an alert was raised"));
		return EX_DAMAGED;
	default:
		printf("%s\n", _("not known: HQ knows no such store and terminal"));
		return EX_NOTFOUND;
	}
}

static int cmd_check(struct hq *h)
{
	static const char *const known[] = { "--json", NULL };
	static const char *const valued[] = { NULL };
	const char *text = positional(h, 0, valued);
	struct checkcode c;
	struct hqcheck r;
	if (!only_known(h, known) || !text || positional(h, 1, valued))
		return usage();
	if (!checkcode_parse(text, &c))
		return fail(CM_INVALID, _("that is not a receipt check code (it looks like "
		                          "CM1:STORE:TERMINAL:RECEIPT:SEQUENCE:16 HEX DIGITS:AMOUNT)"));
	enum cm_rc rc = hqcheck_run(h->st, &c, &r);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if (!flag(h, "--json"))
		return check_answer(&r, &c);
	char *json = hqcheck_json(&r);
	if (!json)
		return fail(CM_NOMEM, _("out of memory"));
	printf("%s\n", json);
	free(json);
	static const int codes[] = { EX_DONE, EX_STATE, EX_DAMAGED, EX_NOTFOUND };
	return codes[r.result];
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

/* ---- members' dues ---- */

static int dues_rate_set(struct hq *h)
{
	struct dues_rate r;
	const char *type = positional(h, 2, (const char *const[]){ NULL });
	const char *kind = positional(h, 3, (const char *const[]){ NULL });
	const char *from = positional(h, 4, (const char *const[]){ NULL });
	const char *amount = positional(h, 5, (const char *const[]){ NULL });
	size_t changed;
	if (!amount || positional(h, 6, (const char *const[]){ NULL }))
		return usage();
	memset(&r, 0, sizeof r);
	if (!type[0] || strlen(type) >= sizeof r.type)
		return fail(CM_INVALID, _("a member type is 1 to 23 bytes"));
	snprintf(r.type, sizeof r.type, "%s", type);
	if (dues_kind_parse(kind, &r.kind) != CM_OK || r.kind == DUES_SUKARELA)
		return fail(CM_INVALID, _("the kind of a rate is pokok or wajib (sukarela has none)"));
	if (dues_month_parse(from, &r.from) != CM_OK)
		return fail(CM_INVALID, _("FROM is a month YYYY-MM"));
	if (money_parse(amount, &r.amount) != CM_OK || r.amount > MONEY_PRICE_MAX)
		return fail(CM_INVALID, _("AMOUNT is an amount in rupiah"));
	enum cm_rc rc = hqdues_rates_put(h->st, &r, 1, &changed);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	fprintf(stderr, changed ? _("coopmart-hq: rate set; every member's standing goes to the "
	                            "tills with the next pull\n")
	                        : _("coopmart-hq: that rate is set already\n"));
	int64_t undated = 0;
	if (hqstore_members_undated(h->st, r.type, &undated) == CM_OK && undated)
		fprintf(stderr, _("coopmart-hq: %lld member(s) of type %s have no join_date and owe "
		                  "nothing until one is imported\n"), (long long)undated, r.type);
	return EX_DONE;
}

static int dues_rates(struct hq *h)
{
	struct hqdues_schedule s;
	char m[16], a[32];
	if (h->argc != 1)
		return usage();
	enum cm_rc rc = hqdues_schedule_load(h->st, &s);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	printf(_("inactive for dues after %lld month(s) owed\n"), (long long)s.inactive_after);
	for (size_t i = 0; i < s.n; i++) {
		dues_month_format(s.r[i].from, m, sizeof m);
		money_format(s.r[i].amount, NULL, a, sizeof a);
		printf("%-24s %-6s %s %s\n", s.r[i].type, dues_kind_name(s.r[i].kind), m, a);
	}
	if (!s.n)
		fprintf(stderr, "coopmart-hq: %s\n", _("no dues rates are set"));
	hqdues_schedule_free(&s);
	return EX_DONE;
}

static int dues_setting(struct hq *h)
{
	const char *name = positional(h, 1, (const char *const[]){ NULL });
	const char *value = positional(h, 2, (const char *const[]){ NULL });
	bool changed;
	char *end;
	if (!value || strcmp(name, "inactive-after") != 0 || positional(h, 3, (const char *const[]){ NULL }))
		return usage();
	long n = strtol(value, &end, 10);
	if (*end || end == value || n < 1 || n > 120)
		return fail(CM_INVALID, _("inactive-after is a number of months from 1 to 120"));
	enum cm_rc rc = hqdues_setting_put(h->st, HQDUES_INACTIVE_AFTER, n, &changed);
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int dues_arrears(struct hq *h)
{
	static const char *const known[] = { "--store", "--csv", NULL };
	static const char *const valued[] = { "--store", NULL };
	bool bad = false;
	const char *store = opt(h, "--store", &bad);
	struct hqdues_arrear *a;
	size_t n;
	if (!only_known(h, known) || bad || positional(h, 1, valued))
		return usage();
	if (store && hqstore_store_exists(h->st, store) != CM_OK)
		return fail(CM_NOTFOUND, hqstore_errmsg());
	int32_t month = hqdues_month_now();
	enum cm_rc rc = hqdues_arrears(h->st, store, month, &a, &n);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	hqdues_arrears_print(stdout, a, n, month, flag(h, "--csv"));
	free(a);
	return EX_DONE;
}

static int cmd_dues(struct hq *h)
{
	const char *what = h->argc ? h->argv[0] : "";
	if (strcmp(what, "arrears") == 0)
		return dues_arrears(h);
	if (strcmp(what, "rates") == 0)
		return dues_rates(h);
	if (strcmp(what, "setting") == 0)
		return dues_setting(h);
	if (strcmp(what, "rate") == 0 && h->argc > 1 && strcmp(h->argv[1], "set") == 0)
		return dues_rate_set(h);
	return usage();
}

static int cmd_credit(struct hq *h)
{
	return hqcredit_cmd_credit(h->st, h->argc, h->argv);
}

static int cmd_payroll(struct hq *h)
{
	return hqcredit_cmd_payroll(h->st, h->argc, h->argv);
}

static int cmd_member(struct hq *h)
{
	static const char *const known[] = { "--year", "--csv", NULL };
	static const char *const valued[] = { "--year", NULL };
	bool bad = false;
	const char *what = positional(h, 0, valued), *number = positional(h, 1, valued);
	const char *year = opt(h, "--year", &bad);
	struct hqdues_statement s;
	if (what && strcmp(what, "web-pin") == 0)
		return shop_cmd_web_pin(h->st, h->argc - 1, h->argv + 1);
	long y = 0;
	if (!only_known(h, known) || bad || !what || strcmp(what, "statement") != 0 || !number ||
	    positional(h, 2, valued))
		return usage();
	if (year) {
		char *end;
		y = strtol(year, &end, 10);
		if (*end || y < 1900 || y > 2999)
			return fail(CM_INVALID, _("--year is a year such as 2026"));
	}
	enum cm_rc rc = hqdues_statement(h->st, number, (int)y, hqdues_month_now(), &s);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	hqdues_statement_print(stdout, &s, flag(h, "--csv"));
	hqdues_statement_free(&s);
	return EX_DONE;
}

/* tls init --name HOST [--ip ADDR]... [--dir DIR] [--days N] */
static int cmd_tls(struct hq *h)
{
	struct tlsinit_opts o = { .dir = "/etc/coopmart-hq", .days = 3650 };
	if (h->argc < 1 || strcmp(h->argv[0], "init") != 0)
		return usage();
	for (int i = 1; i < h->argc; i += 2) {
		const char *a = h->argv[i], *v = i + 1 < h->argc ? h->argv[i + 1] : NULL;
		if (!v || v[0] == '-')
			return usage();
		if (strcmp(a, "--name") == 0 && !o.name)
			o.name = v;
		else if (strcmp(a, "--ip") == 0 && o.nips < TLSINIT_MAX_IPS)
			o.ips[o.nips++] = v;
		else if (strcmp(a, "--dir") == 0)
			o.dir = v;
		else if (strcmp(a, "--days") == 0 && atoi(v) >= 1 && atoi(v) <= 7300)
			o.days = atoi(v);
		else
			return usage();
	}
	if (!o.name)
		return usage();
	char err[600];
	enum cm_rc rc = tlsinit_run(&o, err, sizeof err);
	return rc == CM_OK ? EX_DONE : fail(rc, err);
}

static int cmd_backup(struct hq *h)
{
	if (h->argc != 1 || h->argv[0][0] == '-')
		return usage();
	return exit_code(hqbackup_backup(h->st, h->db, h->argv[0]));
}

static int cmd_restore(struct hq *h)
{
	if (h->argc != 1 || h->argv[0][0] == '-')
		return usage();
	return exit_code(hqbackup_restore(h->db, h->argv[0]));
}

static bool role_parse(const char *s, enum hq_role *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, hq_role_names[i]) == 0) {
			*out = (enum hq_role)i;
			return true;
		}
	return false;
}

/* The role's scope: office needs --coop, manager --store (a known one). */
static int operator_scope(struct hq *h, struct hq_operator *op, const char *coop,
                          const char *store)
{
	if ((op->role == HQ_COUNCIL && (coop || store)) ||
	    (op->role == HQ_OFFICE && (!coop || store)) ||
	    (op->role == HQ_MANAGER && (!store || coop)))
		return fail(CM_INVALID, _("a council operator takes neither --coop nor --store, an "
		                          "office one --coop, a manager --store"));
	if (store) {
		enum cm_rc rc = hqstore_store_exists(h->st, store);
		if (rc != CM_OK)
			return fail(rc, hqstore_errmsg());
	}
	snprintf(op->coop, sizeof op->coop, "%s", coop ? coop : "");
	snprintf(op->store, sizeof op->store, "%s", store ? store : "");
	return EX_DONE;
}

static int cmd_operator(struct hq *h)
{
	static const char *const known[] = { "--role", "--coop", "--store", NULL };
	static const char *const valued[] = { "--role", "--coop", "--store", NULL };
	bool bad = false, replaced = false;
	const char *verb = positional(h, 0, valued), *name = positional(h, 1, valued);
	const char *role = opt(h, "--role", &bad);
	struct hq_operator op = { 0 };
	char pw[256];
	if (!only_known(h, known) || bad || !verb || strcmp(verb, "add") != 0 || !name ||
	    positional(h, 2, valued) || !role_parse(role, &op.role))
		return usage();
	if (!valid_name(name, sizeof op.name - 1))
		return fail(CM_INVALID, _("operator names are letters, digits, '-', '_' or '.'"));
	snprintf(op.name, sizeof op.name, "%s", name);
	int ex = operator_scope(h, &op, opt(h, "--coop", &bad), opt(h, "--store", &bad));
	if (ex != EX_DONE)
		return ex;
	char msg[200];
	if (secret_read(_("Password: "), _("password"), pw, sizeof pw, msg, sizeof msg) != CM_OK)
		return fail(CM_INVALID, msg);
	if (strlen(pw) < 8)
		return fail(CM_INVALID, _("the password (on standard input) must have at least 8 "
		                          "characters"));
	enum cm_rc rc = auth_hash_password(pw, op.pwhash, sizeof op.pwhash);
	sodium_memzero(pw, sizeof pw);
	if (rc == CM_OK)
		rc = hqstore_operator_put(h->st, &op, &replaced);
	if (rc == CM_OK)
		rc = hqstore_oplog(h->st, name, replaced ? "operator_changed" : "operator_added",
		                   hq_role_names[op.role], "command line");
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	fprintf(stderr, replaced ? _("coopmart-hq: operator %s changed\n")
	                         : _("coopmart-hq: operator %s added\n"), name);
	return EX_DONE;
}

static int cmd_coop(struct hq *h)
{
	if (h->argc < 2 || !valid_name(h->argv[0], 31))
		return usage();
	for (int i = 1; i < h->argc; i++) {
		enum cm_rc rc = hqstore_coop_assign(h->st, h->argv[0], h->argv[i]);
		if (rc == CM_OK)
			rc = hqstore_oplog(h->st, "-", "coop_assign", h->argv[i], "command line");
		if (rc != CM_OK)
			return fail(rc, hqstore_errmsg());
	}
	return EX_DONE;
}


/* ---- SHU ---- */

static bool year_arg(const char *s, int *out)
{
	char *end;
	long y = s ? strtol(s, &end, 10) : 0;
	if (!s || *end || end == s || y < 2000 || y > 2999) {
		fprintf(stderr, "coopmart-hq: %s\n", _("the year is a year such as 2026"));
		return false;
	}
	*out = (int)y;
	return true;
}

static const char *const no_valued[] = { NULL };

static int shu_year(struct hq *h)
{
	static const char *const known[] = { "--amount", NULL };
	static const char *const valued[] = { "--amount", NULL };
	bool bad = false;
	const char *what = positional(h, 1, valued), *ys = positional(h, 2, valued);
	const char *amount = opt(h, "--amount", &bad);
	int y;
	cm_money a;
	if (!only_known(h, known) || bad || !what || positional(h, 3, valued))
		return usage();
	if (!year_arg(ys, &y))
		return EX_INVALID;
	if (strcmp(what, "show") == 0 && !amount) {
		struct shu_year sy;
		char buf[200], p[16];
		int64_t sum = 0;
		enum cm_rc rc = hqshu_settings(h->st, y, &sy);
		if (rc != CM_OK && rc != CM_NOTFOUND)
			return fail(rc, hqstore_errmsg());
		money_format(sy.amount, NULL, buf, sizeof buf);
		printf(_("SHU %d: amount %s\n"), y, rc == CM_OK ? buf : _("not set"));
		for (size_t i = 0; i < sy.npools; i++) {
			shu_percent_format(sy.pools[i].bp, p, sizeof p);
			printf("  %-26s %8s\n", sy.pools[i].name, p);
			sum += sy.pools[i].bp;
		}
		shu_percent_format((int32_t)sum, p, sizeof p);
		printf(_("pools add up to %s\n"), p);
		hqshu_rules_text(&sy.rules, buf, sizeof buf);
		printf(_("Rules: %s\n"), buf);
		return EX_DONE;
	}
	if (strcmp(what, "set") != 0 || !amount)
		return usage();
	if (money_parse(amount, &a) != CM_OK || a > SHU_AMOUNT_MAX)
		return fail(CM_INVALID, _("--amount is an amount in rupiah"));
	enum cm_rc rc = hqshu_amount_set(h->st, y, a);
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int shu_pool(struct hq *h)
{
	const char *what = positional(h, 1, no_valued), *ys = positional(h, 2, no_valued);
	const char *name = positional(h, 3, no_valued), *val = positional(h, 4, no_valued);
	int y;
	int32_t bp = -1;
	int64_t sum = 0;
	char p[16];
	bool set = what && strcmp(what, "set") == 0, rm = what && strcmp(what, "remove") == 0;
	bool imp = what && strcmp(what, "import") == 0;
	if (h->argc != (set ? 5 : 4) || !(set || rm || imp))
		return usage();
	if (!year_arg(ys, &y))
		return EX_INVALID;
	if (imp) {
		enum cm_rc rc = hqshu_pools_import(h->st, y, name, stderr);
		return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
	}
	if (!shu_pool_name_valid(name))
		return fail(CM_INVALID, _("a pool name is 1 to 31 of a-z, 0-9 and '-' (jasa-usaha, "
		                          "jasa-modal, cadangan, ...)"));
	if (set && shu_percent_parse(val, &bp) != CM_OK)
		return fail(CM_INVALID, _("PERCENT is 0 to 100 with at most two decimals (12,5), "
		                          "or basis points (1250bp)"));
	enum cm_rc rc = hqshu_pool_set(h->st, y, name, bp, &sum);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	shu_percent_format((int32_t)sum, p, sizeof p);
	if (sum == SHU_WHOLE_BP)
		fprintf(stderr, _("coopmart-hq: the pools of %d add up to %s\n"), y, p);
	else
		fprintf(stderr, _("coopmart-hq: the pools of %d add up to %s; they must add up to "
		                  "100%% before a preview or a post\n"), y, p);
	return EX_DONE;
}

static int shu_rule(struct hq *h)
{
	const char *what = positional(h, 1, no_valued), *ys = positional(h, 2, no_valued);
	const char *name = positional(h, 3, no_valued), *val = positional(h, 4, no_valued);
	int y;
	if (h->argc != 5 || strcmp(what, "set") != 0)
		return usage();
	if (!year_arg(ys, &y))
		return EX_INVALID;
	enum cm_rc rc = hqshu_rule_set(h->st, y, name, val);
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int shu_preview(struct hq *h)
{
	static const char *const known[] = { "--year", "--top", "--csv", NULL };
	static const char *const valued[] = { "--year", "--top", NULL };
	bool bad = false;
	unsigned top = 10;
	int y;
	struct hqshu_run posted, now;
	struct hqshu_diff *d = NULL;
	size_t nd = 0;
	if (!only_known(h, known) || bad || positional(h, 1, valued))
		return usage();
	if (!count_opt(h, "--top", 100000, &top, &bad) || !year_arg(opt(h, "--year", &bad), &y))
		return bad ? usage() : EX_INVALID;
	enum cm_rc rc = hqshu_posted(h->st, y, &posted);
	if (rc == CM_NOTFOUND) {
		if ((rc = hqshu_compute(h->st, y, &now)) != CM_OK)
			return fail(rc, hqstore_errmsg());
		hqshu_preview_print(stdout, &now, top, NULL, 0, NULL, flag(h, "--csv"));
		hqshu_run_free(&now);
		return EX_DONE;
	}
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if ((rc = hqshu_compute(h->st, y, &now)) == CM_OK)
		rc = hqshu_diff(&posted, &now, &d, &nd);
	if (rc == CM_OK)
		hqshu_preview_print(stdout, &posted, top, d, nd, &now, flag(h, "--csv"));
	if (rc == CM_OK && nd && flag(h, "--csv"))
		fprintf(stderr, _("coopmart-hq: SHU %d is posted; %zu member(s) differ by events "
		                  "that came after posting (see shu preview without --csv)\n"), y, nd);
	free(d);
	hqshu_run_free(&posted);
	hqshu_run_free(&now);
	return rc == CM_OK ? EX_DONE : fail(rc, hqstore_errmsg());
}

static int shu_post(struct hq *h)
{
	static const char *const known[] = { "--year", NULL };
	static const char *const valued[] = { "--year", NULL };
	bool bad = false;
	int y;
	struct hqshu_run r;
	char hex[2 * CHAIN_HASH_LEN + 1], a[32];
	if (!only_known(h, known) || bad || positional(h, 1, valued))
		return usage();
	if (!year_arg(opt(h, "--year", &bad), &y))
		return bad ? usage() : EX_INVALID;
	enum cm_rc rc = hqshu_post(h->st, y, &r);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	chain_hex(r.hash, CHAIN_HASH_LEN, hex);
	money_format(r.t.paid[SHU_USAHA] + r.t.paid[SHU_MODAL], NULL, a, sizeof a);
	printf(_("SHU %d posted: %zu member(s), %s to members; hash %s\n"), y, r.n, a, hex);
	hqshu_run_free(&r);
	return EX_DONE;
}

static int shu_slip(struct hq *h)
{
	static const char *const known[] = { "--year", "--csv", NULL };
	static const char *const valued[] = { "--year", NULL };
	bool bad = false;
	int y;
	struct hqshu_run r;
	const char *number = positional(h, 1, valued);
	if (!only_known(h, known) || bad || !number || positional(h, 2, valued))
		return usage();
	if (!year_arg(opt(h, "--year", &bad), &y))
		return bad ? usage() : EX_INVALID;
	enum cm_rc rc = hqshu_posted(h->st, y, &r);
	if (rc == CM_NOTFOUND)
		rc = hqshu_compute(h->st, y, &r);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	long i = hqshu_member_find(&r, number);
	if (i < 0) {
		hqshu_run_free(&r);
		fprintf(stderr, _("coopmart-hq: member %s is not in SHU %d\n"), number, y);
		return EX_NOTFOUND;
	}
	hqshu_slip_print(stdout, &r, (size_t)i, flag(h, "--csv"));
	hqshu_run_free(&r);
	return EX_DONE;
}

static int cmd_shu(struct hq *h)
{
	static const struct {
		const char *name;
		int (*fn)(struct hq *h);
	} sub[] = { { "year", shu_year }, { "pool", shu_pool }, { "rule", shu_rule },
	            { "preview", shu_preview }, { "post", shu_post }, { "slip", shu_slip } };
	const char *what = h->argc ? h->argv[0] : "";
	for (size_t k = 0; k < sizeof sub / sizeof sub[0]; k++)
		if (strcmp(what, sub[k].name) == 0)
			return sub[k].fn(h);
	return usage();
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

static int cmd_shop(struct hq *h)
{
	return shop_cmd(h->st, h->argc, h->argv);
}

static const struct {
	const char *name;
	int (*fn)(struct hq *h);
	bool opens;     /* runs on the open database (restore replaces it) */
} commands[] = {
	{ "serve", cmd_serve, true },
	{ "enroll", cmd_enroll, true },
	{ "revoke", cmd_revoke, true },
	{ "import", cmd_import, true },
	{ "report", cmd_report, true },
	{ "alerts", cmd_alerts, true },
	{ "check", cmd_check, true },
	{ "dues", cmd_dues, true },
	{ "member", cmd_member, true },
	{ "backup", cmd_backup, true },
	{ "restore", cmd_restore, false },
	{ "tls", cmd_tls, false },
	{ "operator", cmd_operator, true },
	{ "coop", cmd_coop, true },
	{ "shu", cmd_shu, true },
	{ "audit", cmd_audit, true },
	{ "credit", cmd_credit, true },
	{ "payroll", cmd_payroll, true },
	{ "shop", cmd_shop, true },
};

int main(int argc, char **argv)
{
	i18n_init();
	/* HQ's database holds every store's records and the token hashes:
	 * files it makes (the database, its WAL, backups, keys) are its own
	 * alone, as under the unit's UMask=0077, when run by hand too. */
	umask(077);
	struct hq h = { .db = getenv("COOPMART_HQ_DB") };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			h.db = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(usage_text), stdout);
			fputs(shop_usage(), stdout);
			return EX_DONE;
		} else {
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		char err[500];
		int lock = -1;
		h.argc = argc - i - 1;
		h.argv = argv + i + 1;
		if (!commands[k].opens && strcmp(argv[i], "tls") == 0)
			return commands[k].fn(&h);
		if (!h.db || !*h.db)
			return usage();
		if (!commands[k].opens)
			return commands[k].fn(&h);
		enum cm_rc rc = hqbackup_lock(h.db, &lock);
		if (rc == CM_OK && (rc = hqstore_open(h.db, &h.st, err, sizeof err)) != CM_OK)
			fail(rc, err);
		int ex = rc == CM_OK ? commands[k].fn(&h) : exit_code(rc);
		hqstore_close(h.st);
		if (lock >= 0)
			close(lock);
		return ex;
	}
	fprintf(stderr, _("coopmart-hq: unknown command '%s'\n\n"), argv[i]);
	return usage();
}
