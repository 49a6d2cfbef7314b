/* The online store's commands (shop.h):
 *   shop settings STORE [--open HH:MM] [--close HH:MM] [--slot MIN]
 *        [--cutoff MIN] [--expire MIN] [--max-open N] [--max-qty QTY]
 *        [--tz MIN] | --off
 *   shop order STORE --member NUMBER --slot next|"YYYY-MM-DD HH:MM"
 *        [--key KEY] SKU=QTY...
 *   member web-pin NUMBER        (the PIN on standard input)
 * Settings and PINs are journaled in the console's log (web_audit) as
 * done by "command line". */
#include "shop.h"
#include "auth.h"
#include "hqstore_shop.h"
#include "shop_rules.h"
#include "core/pin.h"
#include "core/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EX_DONE = 0, EX_USAGE = 1, EX_NOTFOUND = 2, EX_INVALID = 3, EX_DENIED = 4,
       EX_BUSY = 5, EX_WRITE = 6, EX_STATE = 8 };

static int exit_of(enum cm_rc rc)
{
	switch (rc) {
	case CM_OK: return EX_DONE;
	case CM_NOTFOUND: return EX_NOTFOUND;
	case CM_INVALID: return EX_INVALID;
	case CM_DENIED: case CM_LOCKED: return EX_DENIED;
	case CM_BUSY: return EX_BUSY;
	case CM_STATE: case CM_CONFLICT: return EX_STATE;
	default: return EX_WRITE;
	}
}

static int fail(enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "coopmart-hq: %s\n", msg);
	return exit_of(rc);
}

const char *shop_usage(void)
{
	return _("\nThe online shop:\n"
	         "  shop settings STORE [--open HH:MM] [--close HH:MM] [--slot MIN] [--cutoff MIN]\n"
	         "        [--expire MIN] [--max-open N] [--max-qty QTY] [--tz MIN] | --off\n"
	         "                           open (or change, or close) a store's online shop\n"
	         "                           (times in the store's time, --tz minutes from UTC)\n"
	         "  shop order STORE --member NUMBER --slot next|\"YYYY-MM-DD HH:MM\"\n"
	         "        [--key KEY] SKU=QTY...\n"
	         "                           place an online order for a member as the shop's\n"
	         "                           checkout does (the same KEY again: the same order)\n"
	         "  member web-pin NUMBER    set a member's PIN for the online shop (read from\n"
	         "                           standard input)\n");
}

static int usage(void)
{
	fputs(shop_usage(), stderr);
	return EX_USAGE;
}

/* "HH:MM" (up to 24:00) as minutes after midnight. */
static bool hhmm(const char *s, int64_t *out)
{
	int h, m, used = 0;
	if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || s[used] || h < 0 || m < 0 || m > 59 ||
	    h * 60 + m > 1440)
		return false;
	*out = h * 60 + m;
	return true;
}

static bool number(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* One --option VALUE of `shop settings` into s; false when unknown or bad. */
static bool setting_opt(struct shop_settings *s, const char *o, const char *v)
{
	if (strcmp(o, "--open") == 0)
		return hhmm(v, &s->open_min);
	if (strcmp(o, "--close") == 0)
		return hhmm(v, &s->close_min);
	if (strcmp(o, "--slot") == 0)
		return number(v, 5, 1440, &s->slot_min);
	if (strcmp(o, "--cutoff") == 0)
		return number(v, 0, 7 * 1440, &s->cutoff_min);
	if (strcmp(o, "--expire") == 0)
		return number(v, 1, 30 * 1440, &s->expire_min);
	if (strcmp(o, "--max-open") == 0)
		return number(v, 1, 100, &s->max_open_orders);
	if (strcmp(o, "--tz") == 0)
		return number(v, -720, 840, &s->tz_min);
	if (strcmp(o, "--max-qty") == 0)
		return shop_qty_parse(v, &s->max_line_qty) && s->max_line_qty > 0;
	return false;
}

static void settings_print(const struct shop_settings *s)
{
	char q[32];
	printf(_("shop of %s: open %02lld:%02lld-%02lld:%02lld (UTC%+lld min), slots of %lld min, "
	         "orders close %lld min before a slot, uncollected orders expire %lld min after "
	         "it, at most %lld open orders per member and %s per line\n"),
	       s->store, (long long)(s->open_min / 60), (long long)(s->open_min % 60),
	       (long long)(s->close_min / 60), (long long)(s->close_min % 60), (long long)s->tz_min,
	       (long long)s->slot_min, (long long)s->cutoff_min, (long long)s->expire_min,
	       (long long)s->max_open_orders, shop_qty_text(s->max_line_qty, q, sizeof q));
}

static int cmd_settings(struct hqstore *st, int argc, char **argv)
{
	struct shop_settings s;
	bool off = false;
	if (argc < 1 || argv[0][0] == '-')
		return usage();
	const char *store = argv[0];
	enum cm_rc rc = hqstore_shop_settings_get(st, store, &s);
	if (rc != CM_OK && rc != CM_NOTFOUND)
		return fail(rc, hqstore_errmsg());
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--off") == 0) {
			off = true;
		} else if (i + 1 >= argc || !setting_opt(&s, argv[i], argv[i + 1])) {
			fprintf(stderr, _("coopmart-hq: %s: a bad or missing value\n"), argv[i]);
			return usage();
		} else {
			i++;
		}
	}
	if (off && argc > 2)
		return usage();
	if (!off && (s.open_min + s.slot_min > s.close_min))
		return fail(CM_INVALID, _("the shop must open before it closes, with room for one slot"));
	rc = off ? hqstore_shop_settings_delete(st, store) : hqstore_shop_settings_put(st, &s);
	if (rc == CM_OK)
		rc = hqstore_oplog(st, "-", off ? "shop_closed" : "shop_settings", store,
		                   "command line");
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if (off)
		printf(_("shop of %s: closed\n"), store);
	else
		settings_print(&s);
	return EX_DONE;
}

/* The order's lines SKU=QTY into rq. */
static bool order_lines(struct shop_request *rq, int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (argv[i][0] == '-' || !eq || eq == argv[i] || (size_t)(eq - argv[i]) >= 64 ||
		    rq->nlines >= SHOP_MAX_LINES)
			return false;
		snprintf(rq->lines[rq->nlines].sku, 64, "%.*s", (int)(eq - argv[i]), argv[i]);
		if (!shop_qty_parse(eq + 1, &rq->lines[rq->nlines++].qty))
			return false;
	}
	return true;
}

/* The slot --slot names: "next" (the first the store still takes) or a
 * local time. A closed shop gives 0: the placement then says it is closed. */
static bool slot_of(struct hqstore *st, const char *store, const char *arg, int64_t now,
                    int64_t *out)
{
	struct shop_settings s;
	*out = 0;
	if (hqstore_shop_settings_get(st, store, &s) != CM_OK)
		return true;
	if (strcmp(arg, "next") == 0) {
		shop_slots(&s, now, out, 1);
		return true;
	}
	return shop_local_parse(&s, arg, out);
}

static int cmd_order(struct hqstore *st, int argc, char **argv)
{
	struct shop_request rq = { 0 };
	const char *slot = NULL;
	char key[65] = "";
	int i = 1;
	if (argc < 1 || argv[0][0] == '-')
		return usage();
	rq.store = argv[0];
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--member") == 0)
			rq.member = argv[i + 1];
		else if (strcmp(argv[i], "--slot") == 0)
			slot = argv[i + 1];
		else if (strcmp(argv[i], "--key") == 0)
			snprintf(key, sizeof key, "%s", argv[i + 1]);
		else
			return usage();
	}
	if (!rq.member || !slot || !order_lines(&rq, argc, argv, i))
		return usage();
	int64_t now = (int64_t)time(NULL);
	if (!slot_of(st, rq.store, slot, now, &rq.slot_start))
		return fail(CM_INVALID, _("--slot is next or \"YYYY-MM-DD HH:MM\" in the store's time"));
	if (!key[0] && auth_random_hex(key) != CM_OK)
		return fail(CM_IO, _("no random numbers"));
	rq.client_key = key;
	struct shop_order o;
	struct shop_verdict v;
	bool again;
	enum cm_rc rc = hqstore_shop_place(st, &rq, now, &o, &again, &v);
	if (rc != CM_OK && v.why != SHOP_FINE) {
		char msg[300];
		shop_verdict_text(&v, msg, sizeof msg);
		return fail(rc, msg);
	}
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	printf("%s %s %lld %lld %lld%s\n", o.id, o.status, (long long)o.total,
	       (long long)o.slot_start, (long long)o.slot_end, again ? " again" : "");
	return EX_DONE;
}

int shop_cmd(struct hqstore *st, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "settings") == 0)
		return cmd_settings(st, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "order") == 0)
		return cmd_order(st, argc - 1, argv + 1);
	return usage();
}

bool shop_pin_acceptable(const char *member, const char *pin, char *msg, size_t n)
{
	size_t len = strlen(pin);
	if (len < 6 || len > 12 || strspn(pin, "0123456789") != len) {
		snprintf(msg, n, "%s", _("a PIN must be 6 to 12 digits"));
		return false;
	}
	if (pin_trivial(member, pin)) {
		snprintf(msg, n, "%s", _("this PIN is too easy to guess (one digit repeated, a run "
		                         "like 123456 or 987654, or the member's own number): choose "
		                         "another"));
		return false;
	}
	return true;
}

int shop_cmd_web_pin(struct hqstore *st, int argc, char **argv)
{
	struct shop_member m;
	char pin[64] = "", msg[300], hash[crypto_pwhash_STRBYTES];
	if (argc != 1 || argv[0][0] == '-')
		return usage();
	enum cm_rc rc = hqstore_shop_member(st, argv[0], &m);
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	if (secret_read(_("Web PIN: "), _("web PIN"), pin, sizeof pin, msg, sizeof msg) != CM_OK)
		return fail(CM_INVALID, msg);
	bool ok = shop_pin_acceptable(m.number, pin, msg, sizeof msg);
	rc = ok ? auth_hash_password(pin, hash, sizeof hash) : CM_INVALID;
	sodium_memzero(pin, sizeof pin);
	if (!ok)
		return fail(CM_INVALID, msg);
	if (rc == CM_OK)
		rc = hqstore_web_pin_put(st, m.number, hash, "hq:cli");
	if (rc == CM_OK)
		rc = hqstore_oplog(st, "-", "member_web_pin", m.number, "command line");
	if (rc != CM_OK)
		return fail(rc, hqstore_errmsg());
	fprintf(stderr, _("coopmart-hq: the web PIN of member %s is set\n"), m.number);
	return EX_DONE;
}
