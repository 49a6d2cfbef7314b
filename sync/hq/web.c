/* The console's front door: every request under /web comes here (a
 * worker thread, server.c). It picks the language, finds the session,
 * refuses a POST without the session's CSRF token, and calls the page.
 * Logging in and out live here too.
 *
 * Cookies (all Secure, HttpOnly, SameSite=Strict, Path=/web):
 *   cm_session  32 random bytes as hex; HQ keeps only its BLAKE2b-256 hash
 *               (web_sessions), with the operator and the expiry;
 *   cm_pre      the login form's CSRF token, before there is a session
 *               (the form must carry the cookie's value);
 *   cm_lang     "en" or "id" once the switch was used. */
#include "web.h"
#include "token.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SESSION_SECONDS (12 * 3600)
#define LOGIN_BODY_MAX 4096             /* name, password, token: far less */
#define COOKIE_ATTRS "; Path=/web; Secure; HttpOnly; SameSite=Strict"

static _Thread_local bool thread_english;
static locale_t english_locale, indonesian_locale;
static pthread_once_t languages_once = PTHREAD_ONCE_INIT;

/* The process's locale with messages in name; 0 when it cannot be had. */
static locale_t messages_locale(const char *name)
{
	locale_t base = duplocale(LC_GLOBAL_LOCALE), l = (locale_t)0;
	if (base && !(l = newlocale(LC_MESSAGES_MASK, name, base)))
		freelocale(base);
	return l;
}

/* Messages in "C": gettext answers the msgid (English) whatever
 * LANGUAGE says. In "C.UTF-8" (which glibc always has) gettext reads
 * LANGUAGE, "id" in a server started in Indonesian (i18n_init) and set
 * so by web_languages in one started in English. */
static void languages_make(void)
{
	english_locale = messages_locale("C");
	indonesian_locale = messages_locale("C.UTF-8");
}

void web_languages(void)
{
	const char *lang = getenv("LANGUAGE");
	if (!lang || !*lang) {
		/* Started in English (i18n_init unset LANGUAGE): the process's
		 * own messages stay English in "C", which ignores LANGUAGE; the
		 * Indonesian pages' locale reads it. Before any thread: setenv
		 * is not safe beside another thread's getenv. */
		setlocale(LC_MESSAGES, "C");
		setenv("LANGUAGE", "id", 1);
	}
	pthread_once(&languages_once, languages_make);
}

/* The page's language for every gettext of the thread, the store's and
 * the import's messages too (hqstore_errmsg, bad lines), not only the
 * console's own, whichever language the server was started in: returns
 * the locale to put back. */
static locale_t thread_language(bool english)
{
	pthread_once(&languages_once, languages_make);
	locale_t l = english ? english_locale : indonesian_locale;
	return l ? uselocale(l) : (locale_t)0;
}

const char *web_tr(const char *msgid)
{
	return thread_english ? msgid : gettext(msgid);
}

const char *web_arg(struct web *w, const char *name)
{
	const char *v = req_arg(w->r, name);
	return v ? v : "";
}

/* ---- answers ---- */

static int64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void security_headers(struct web *w)
{
	req_set_header(w->r, "Cache-Control", "no-store");
	req_set_header(w->r, "X-Content-Type-Options", "nosniff");
	req_set_header(w->r, "X-Frame-Options", "DENY");
	req_set_header(w->r, "Content-Security-Policy",
	               "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
	               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

/* The page's own CPU time so far (queries and HTML; not gzip, not the
 * sending), as Server-Timing: on a busy machine the request log's ms
 * counts the waiting for a core too. */
static void server_timing(struct web *w)
{
	char v[48];
	int64_t us = cpu_us() - w->cpu_start;
	snprintf(v, sizeof v, "cpu;dur=%lld.%03lld", (long long)(us / 1000), (long long)(us % 1000));
	req_set_header(w->r, "Server-Timing", v);
}

void web_send(struct web *w, int status)
{
	server_timing(w);
	if (w->h.oom) {
		free(w->h.buf);
		w->h = (struct html){ 0 };
		req_fail(w->r, 500, "server_error", -1, -1, "out of memory building the page");
		return;
	}
	security_headers(w);
	req_reply_typed(w->r, status, "text/html; charset=utf-8", w->h.buf);
	w->h = (struct html){ 0 };
}

void web_redirect(struct web *w, const char *path)
{
	req_set_header(w->r, "Location", path);
	html_f(&w->h, "<!DOCTYPE html><a href=\"%s\">%s</a>\n", path, path);
	web_send(w, 303);
}

void web_error(struct web *w, int status, const char *msg)
{
	free(w->h.buf);
	w->h = (struct html){ 0 };
	web_begin(w, status == 403 ? _("Not allowed") : status == 404 ? _("Not found")
	                                                               : _("Something went wrong"));
	html_f(&w->h, "<p class=\"msg err\">%s</p>", msg);
	web_end(w);
	web_send(w, status);
}

void web_fail_store(struct web *w, enum cm_rc rc)
{
	fprintf(stderr, "coopmart-hq: web: %s\n", hqstore_errmsg());
	if (rc == CM_BUSY) {
		req_set_header(w->r, "Retry-After", "5");
		web_error(w, 503, _("The HQ database is busy; try again shortly."));
	} else {
		web_error(w, 500, _("HQ could not read its database; the server log says why."));
	}
}

void web_audit(struct web *w, const char *name, const char *action, const char *fmt, ...)
{
	char detail[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (hqstore_oplog(w->st, name ? name : w->op.name, action, detail, w->addr) != CM_OK)
		fprintf(stderr, "coopmart-hq: web: the audit lost \"%s %s\": %s\n", action, detail,
		        hqstore_errmsg());
}

/* ---- scope ---- */

static enum cm_rc count_store(const char *store, const char *coop, void *ctx)
{
	(void)store;
	(void)coop;
	++*(int *)ctx;
	return CM_OK;
}

bool web_store_allowed(struct web *w, const char *store)
{
	struct hq_scope one = { store, w->scope.coop };
	int n = 0;
	if (w->op.role == HQ_MANAGER) {
		n = strcmp(store, w->op.store) == 0;
	} else {
		enum cm_rc rc = hqstore_stores_each(w->st, &one, count_store, &n);
		if (rc != CM_OK) {
			web_fail_store(w, rc);
			return false;
		}
	}
	if (n)
		return true;
	web_audit(w, NULL, "refused", "store %s", store);
	char msg[200];
	snprintf(msg, sizeof msg, _("You may not see store %s."), store);
	web_error(w, 403, msg);
	return false;
}

const char *web_store_arg(struct web *w, const char *from_form)
{
	const char *s = from_form && *from_form ? from_form : web_arg(w, "store");
	if (!*s && w->op.role == HQ_MANAGER)
		s = w->op.store;
	if (!*s)
		return "";
	return web_store_allowed(w, s) ? s : NULL;
}

/* ---- language ---- */

/* cookie_attrs: the cm_lang cookie's, its Path the pages' (the console's
 * or the shop's). */
static bool wants_english(struct web *w, const char *cookie_attrs)
{
	const char *sw = req_arg(w->r, "lang");
	if (sw && (strcmp(sw, "en") == 0 || strcmp(sw, "id") == 0)) {
		char c[96];
		snprintf(c, sizeof c, "cm_lang=%s%s", sw, cookie_attrs);
		req_set_header(w->r, "Set-Cookie", c);
		return sw[0] == 'e';
	}
	const char *ck = req_cookie(w->r, "cm_lang");
	if (ck && (strcmp(ck, "en") == 0 || strcmp(ck, "id") == 0))
		return ck[0] == 'e';
	/* The first of en or id that Accept-Language names: browsers list the
	 * reader's languages most wanted first. */
	const char *al = req_header(w->r, "Accept-Language");
	for (const char *p = al; p && *p;) {
		p += strspn(p, " ,");
		if (strncasecmp(p, "en", 2) == 0 && (p[2] == '-' || p[2] == ',' || p[2] == ';' || !p[2]))
			return true;
		if (strncasecmp(p, "id", 2) == 0 && (p[2] == '-' || p[2] == ',' || p[2] == ';' || !p[2]))
			return false;
		p = strchr(p, ',');
	}
	return false;
}

/* ---- sessions ---- */

static bool session_hash(const char *tok, uint8_t hash[CHAIN_HASH_LEN])
{
	return tok && strlen(tok) == 64 && token_hash(tok, 64, hash) == CM_OK;
}

/* Finds the operator of the session cookie; false (no session) when none. */
static bool session_find(struct web *w, enum cm_rc *rc)
{
	uint8_t hash[CHAIN_HASH_LEN];
	*rc = CM_OK;
	if (!session_hash(req_cookie(w->r, "cm_session"), hash))
		return false;
	*rc = hqstore_session_get(w->st, hash, (int64_t)time(NULL), &w->op, w->csrf);
	if (*rc == CM_NOTFOUND)
		*rc = CM_OK;
	else if (*rc == CM_OK)
		w->logged_in = true;
	if (w->logged_in) {
		w->scope.store = w->op.role == HQ_MANAGER ? w->op.store : NULL;
		w->scope.coop = w->op.role == HQ_OFFICE ? w->op.coop : NULL;
	}
	return w->logged_in;
}

/* The csrf field of the POST, url-encoded or multipart. */
static bool posted_csrf(struct web *w, char out[65])
{
	const char *ct = req_header(w->r, "Content-Type");
	if (ct && strncasecmp(ct, "multipart/", 10) == 0) {
		const char *d;
		size_t n;
		char fn[8];
		if (!form_part(w->body, w->len, ct, "csrf", &d, &n, fn, sizeof fn) || n != 64)
			return false;
		memcpy(out, d, 64);
		out[64] = '\0';
		return true;
	}
	return form_field(w->body, w->len, "csrf", out, 65) && strlen(out) == 64;
}

static bool csrf_ok(const char *expected, const char *given)
{
	return strlen(expected) == 64 && strlen(given) == 64 &&
	       sodium_memcmp(expected, given, 64) == 0;
}

/* ---- logging in and out ---- */

/* The login form's token: the cm_pre cookie's, or a new one set now. */
static void pre_token(struct web *w)
{
	const char *ck = req_cookie(w->r, "cm_pre");
	if (ck && strlen(ck) == 64 && strspn(ck, "0123456789abcdef") == 64) {
		snprintf(w->csrf, sizeof w->csrf, "%s", ck);
		return;
	}
	if (auth_random_hex(w->csrf) != CM_OK)
		return;
	char c[160];
	snprintf(c, sizeof c, "cm_pre=%s" COOKIE_ATTRS, w->csrf);
	req_set_header(w->r, "Set-Cookie", c);
}

void web_login_page(struct web *w, const char *name, const char *msg, int status)
{
	struct html *h = &w->h;
	pre_token(w);
	web_begin(w, _("Log in"));
	html_raw(h, "<div class=\"login card\">");
	if (msg)
		html_f(h, "<p class=\"msg err\" id=\"login-msg\">%s</p>", msg);
	web_form_open(w, "/web/login", NULL);
	html_f(h, "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" "
	       "autocomplete=\"username\" required value=\"%s\">", _("Name"), name ? name : "");
	html_f(h, "<label for=\"password\">%s</label><input id=\"password\" name=\"password\" "
	       "type=\"password\" autocomplete=\"current-password\" required>", _("Password"));
	html_f(h, "<p><button type=\"submit\" id=\"login\">%s</button></p></form></div>", _("Log in"));
	web_end(w);
	web_send(w, status);
}

static void login_get(struct web *w)
{
	if (w->logged_in) {
		web_redirect(w, "/web/");
		return;
	}
	web_login_page(w, NULL, NULL, 200);
}

static void login_locked(struct web *w, const struct hq_operator *op, int64_t now)
{
	char msg[200];
	web_audit(w, op->name, "login_locked", "%lld s left", (long long)(op->locked_until - now));
	snprintf(msg, sizeof msg, _("Too many wrong passwords: try again in %lld seconds."),
	         (long long)(op->locked_until - now));
	web_login_page(w, op->name, msg, 429);
}

static void login_wrong(struct web *w, const struct hq_operator *op, int64_t now)
{
	int64_t failed = op->failed + 1, lock = auth_lockout_seconds(failed);
	enum cm_rc rc = hqstore_operator_failures(w->st, op->id, failed, lock ? now + lock : 0);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	web_audit(w, op->name, "login_failed", "wrong password (%lld in a row)", (long long)failed);
	char msg[240];
	if (lock)
		snprintf(msg, sizeof msg, _("Wrong name or password. Locked for %lld seconds."),
		         (long long)lock);
	else
		snprintf(msg, sizeof msg, "%s", _("Wrong name or password."));
	web_login_page(w, op->name, msg, 401);
}

static enum cm_rc session_open(struct web *w, const struct hq_operator *op)
{
	char tok[65], csrf[65], c[200];
	uint8_t hash[CHAIN_HASH_LEN];
	enum cm_rc rc = auth_random_hex(tok);
	if (rc == CM_OK)
		rc = auth_random_hex(csrf);
	if (rc == CM_OK)
		rc = token_hash(tok, 64, hash);
	if (rc == CM_OK)
		rc = hqstore_operator_failures(w->st, op->id, 0, 0);
	if (rc == CM_OK)
		rc = hqstore_session_put(w->st, hash, op->id, csrf,
		                         (int64_t)time(NULL) + SESSION_SECONDS);
	if (rc != CM_OK)
		return rc;
	snprintf(c, sizeof c, "cm_session=%s; Max-Age=%d" COOKIE_ATTRS, tok, SESSION_SECONDS);
	req_set_header(w->r, "Set-Cookie", c);
	sodium_memzero(tok, sizeof tok);
	return CM_OK;
}

static void login_post(struct web *w)
{
	char name[64] = "", pw[256] = "", given[65] = "";
	const char *pre = req_cookie(w->r, "cm_pre");
	if (!form_field(w->body, w->len, "csrf", given, sizeof given) || !pre || !csrf_ok(pre, given)) {
		web_audit(w, "-", "csrf_refused", "POST /web/login");
		web_error(w, 403, _("This form did not come from this console (its CSRF token is "
		                    "missing or wrong): open the page again."));
		return;
	}
	form_field(w->body, w->len, "name", name, sizeof name);
	form_field(w->body, w->len, "password", pw, sizeof pw);
	int64_t now = (int64_t)time(NULL);
	struct hq_operator op;
	enum cm_rc rc = hqstore_operator_get(w->st, name, &op);
	if (rc == CM_NOTFOUND) {
		/* As slow as a real check, so a name's existence does not show. */
		char scratch[crypto_pwhash_STRBYTES];
		auth_hash_password(pw, scratch, sizeof scratch);
		sodium_memzero(pw, sizeof pw);
		web_audit(w, name[0] ? name : "-", "login_failed", "unknown operator");
		web_login_page(w, name, _("Wrong name or password."), 401);
		return;
	}
	if (rc != CM_OK) {
		web_fail_store(w, rc);
	} else if (op.locked_until > now) {
		login_locked(w, &op, now);
	} else if (!auth_check_password(op.pwhash, pw)) {
		login_wrong(w, &op, now);
	} else if ((rc = session_open(w, &op)) != CM_OK) {
		web_fail_store(w, rc);
	} else {
		web_audit(w, op.name, "login", "%s", hq_role_names[op.role]);
		web_redirect(w, "/web/");
	}
	sodium_memzero(pw, sizeof pw);
}

static void logout(struct web *w)
{
	uint8_t hash[CHAIN_HASH_LEN];
	if (session_hash(req_cookie(w->r, "cm_session"), hash)) {
		enum cm_rc rc = hqstore_session_delete(w->st, hash);
		if (rc != CM_OK) {
			web_fail_store(w, rc);
			return;
		}
	}
	web_audit(w, NULL, "logout", "%s", "");
	req_set_header(w->r, "Set-Cookie", "cm_session=; Max-Age=0" COOKIE_ATTRS);
	web_redirect(w, "/web/login");
}

static void to_overview(struct web *w)
{
	web_redirect(w, "/web/");
}

/* ---- routing ---- */

static const struct page {
	const char *method;
	const char *path;
	void (*fn)(struct web *w);
	bool login;                       /* needs a session */
} pages[] = {
	{ "GET", "/web", to_overview, false },
	{ "GET", "/web/login", login_get, false },
	{ "POST", "/web/login", login_post, false },
	{ "POST", "/web/logout", logout, true },
	{ "GET", "/web/", web_overview, true },
	{ "GET", "/web/terminals", web_terminals, true },
	{ "GET", "/web/alerts", web_alerts, true },
	{ "POST", "/web/alerts/ack", web_alert_ack, true },
	{ "GET", "/web/audit", web_audit_page, true },
	{ "GET", "/web/stock", web_stock, true },
	{ "GET", "/web/catalogue", web_catalogue, true },
	{ "POST", "/web/catalogue", web_catalogue_upload, true },
	{ "POST", "/web/catalogue/prices", web_prices_upload, true },
	{ "GET", "/web/members", web_members, true },
	{ "GET", "/web/members/statement", web_member_statement, true },
	{ "GET", "/web/members/rat", web_members_rat, true },
	{ "GET", "/web/shu", web_shu, true },
	{ "GET", "/web/exceptions", web_exceptions, true },
	{ "GET", "/web/exceptions/events", web_exception_events, true },
	{ "GET", "/web/receipt", web_receipt, true },
};

static const struct page *page_of(const char *method, const char *path)
{
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		if (strcmp(pages[i].path, path) == 0 && strcmp(pages[i].method, method) == 0)
			return &pages[i];
	return NULL;
}

static void serve(struct web *w)
{
	const char *method = req_method(w->r);
	const struct page *pg = page_of(method, req_path(w->r));
	enum cm_rc rc;
	bool in = session_find(w, &rc);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	if (!pg) {
		web_error(w, 404, _("There is no such page."));
		return;
	}
	if (pg->login && !in) {
		if (strcmp(method, "POST") == 0)
			web_error(w, 403, _("Log in first."));
		else
			web_redirect(w, "/web/login");
		return;
	}
	char given[65] = "";
	if (pg->login && strcmp(method, "POST") == 0 &&
	    (!posted_csrf(w, given) || !csrf_ok(w->csrf, given))) {
		web_audit(w, NULL, "csrf_refused", "POST %s", pg->path);
		web_error(w, 403, _("This form did not come from this console (its CSRF token is "
		                    "missing or wrong): open the page again."));
		return;
	}
	pg->fn(w);
}

bool web_admit(struct req *r, size_t *max_body)
{
	uint8_t hash[CHAIN_HASH_LEN];
	struct hq_operator op;
	char csrf[65];
	if (strcmp(req_method(r), "POST") != 0)
		return true;
	if (strcmp(req_path(r), "/web/login") == 0) {
		*max_body = LOGIN_BODY_MAX;
		return true;
	}
	enum cm_rc rc = CM_NOTFOUND;
	if (session_hash(req_cookie(r, "cm_session"), hash))
		rc = hqstore_session_get(r->st, hash, (int64_t)time(NULL), &op, csrf);
	sodium_memzero(csrf, sizeof csrf);
	if (rc == CM_OK)
		return true;
	if (rc == CM_NOTFOUND)
		req_reply_typed(r, 403, "text/plain; charset=utf-8",
		                strdup("403: log in first (https://HQ/web/login)\n"));
	else
		req_fail_store(r, rc);
	return false;
}

void web_start(struct web *w, struct req *r, const char *cookie_attrs)
{
	*w = (struct web){ .r = r, .st = r->st, .body = r->body, .len = r->len };
	w->cpu_start = cpu_us();
	thread_english = wants_english(w, cookie_attrs);
	w->english = thread_english;
	/* the store's and the import's messages follow the page too */
	w->locale_before = thread_language(w->english);
	req_client_addr(r, w->addr, sizeof w->addr);
}

void web_done(struct web *w)
{
	if (w->locale_before)
		uselocale(w->locale_before);
	w->locale_before = (locale_t)0;
	free(w->h.buf);
	w->h.buf = NULL;
	sodium_memzero(w->csrf, sizeof w->csrf);
}

void web_route(struct req *r)
{
	struct web w;
	web_start(&w, r, COOKIE_ATTRS);
	serve(&w);
	web_done(&w);
}
