/* The members' shop's front door: every request under /shop comes here
 * (a worker thread, server.c). It finds the store, picks the language,
 * takes the address's rate limit, finds the member's session, refuses a
 * POST without the session's CSRF token, and calls the page. Logging in
 * and out live here too; the frame every page shares as well. */
#include "shop_web.h"
#include "shop.h"
#include "shop_limit.h"
#include "token.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_SECONDS (4 * 3600)
#define BODY_MAX 8192                   /* the largest form: a cart of 40 lines */
#define COOKIE_ATTRS "; Path=/shop; Secure; HttpOnly; SameSite=Strict"

/* Rate limits: a burst, then one more every so many seconds. Pages per
 * address are generous (a phone on a shared address of a mobile
 * carrier); logins are not: the PIN lockout guards each member, these
 * guard against one address trying many members. */
#define PAGES_BURST 600
#define PAGES_PER_S 1
#define LOGIN_ADDR_BURST 20
#define LOGIN_ADDR_PER_S 30
#define LOGIN_MEMBER_BURST 10
#define LOGIN_MEMBER_PER_S 60

const char *shop_arg(struct shop *s, const char *name)
{
	return web_arg(&s->w, name);
}

bool shop_limit(struct shop *s, const char *what, const char *who, int burst, int per_s)
{
	char key[80];
	snprintf(key, sizeof key, "%s %s", what, who);
	if (shop_limit_take(key, burst, per_s, s->now))
		return true;
	req_set_header(s->w.r, "Retry-After", "60");
	shop_error(s, 429, _("Too many requests: wait a minute and try again."));
	return false;
}

void shop_url(struct html *h, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[4] = "%";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p)) {
			char c[2] = { (char)*p, 0 };
			html_raw(h, c);
		} else {
			buf[1] = hex[*p >> 4];
			buf[2] = hex[*p & 15];
			html_raw(h, buf);
		}
	}
}

/* ---- answers and the frame ---- */

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1c2430;background:#f6f7f4}"
	"header{background:#14532d;color:#fff;padding:.5rem .8rem}"
	"header a{color:#fff}header .top{display:flex;flex-wrap:wrap;gap:.3rem 1rem;"
	"align-items:center}header b{font-size:1.1rem;margin-right:auto}"
	"header form{margin:0}header form.search{display:flex;gap:.3rem;margin-top:.4rem}"
	"header form.search input{flex:1;min-width:0}"
	"main{max-width:960px;margin:0 auto;padding:.8rem}"
	"h1{font-size:1.3rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:1rem 0 .4rem}"
	".items{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.6rem}"
	".card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem}"
	".price{font-size:1.1rem;font-weight:600}.shelf{color:#667;text-decoration:line-through;"
	"margin-left:.4rem;font-weight:400;font-size:.9rem}"
	".av{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.85rem}"
	".av.in{background:#e6f4ea}.av.lim{background:#fff4e5}.av.out{background:#fde8e8}"
	".msg{padding:.6rem;border-radius:6px;background:#fff4e5;border:1px solid #f0b35b;"
	"margin:.5rem 0}.err{background:#fde8e8;border-color:#e08282}"
	".ok{background:#e6f4ea;border-color:#7cc096}.muted{color:#667}"
	"table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:1rem}"
	"th,td{padding:.3rem .4rem;border-bottom:1px solid #dde1e6;text-align:left}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}"
	"input,select,button{font:inherit;padding:.35rem .5rem}input.qty{width:5rem}"
	"button{background:#14532d;color:#fff;border:0;border-radius:4px}"
	"header button{background:#0f3d21}"
	".cats a{display:inline-block;margin:0 .5rem .3rem 0}"
	".login{max-width:380px}.login label{display:block;margin:.6rem 0 .2rem}"
	".login input{width:100%}svg.barcode{max-width:100%;height:auto;background:#fff}"
	".code{font:600 1.4rem ui-monospace,monospace;letter-spacing:.1rem}"
	"form.inline{display:inline}"
	".stores{list-style:none;padding:0;display:grid;gap:.6rem;"
	"grid-template-columns:repeat(auto-fill,minmax(240px,1fr))}";

void shop_form_open(struct shop *s, const char *path)
{
	html_f(&s->w.h, "<form method=\"post\" action=\"%s%s\">"
	       "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", s->base, path, s->w.csrf);
}

static void lang_link(struct shop *s)
{
	html_f(&s->w.h, "<a href=\"?lang=%s\" hreflang=\"%s\" lang=\"%s\" id=\"lang\">%s</a></div>",
	       s->w.english ? "id" : "en", s->w.english ? "id" : "en", s->w.english ? "id" : "en",
	       s->w.english ? "Bahasa Indonesia" : "English");
}

static void header(struct shop *s)
{
	struct html *h = &s->w.h;
	if (s->front) {
		html_f(h, "<header><div class=\"top\"><b><a href=\"/shop/\">%s</a></b>",
		       _("Online shop"));
		lang_link(s);
		html_raw(h, "</header>");
		return;
	}
	html_f(h, "<header><div class=\"top\"><b><a href=\"%s/\">%s</a></b>", s->base, s->store);
	if (s->in) {
		html_f(h, "<a href=\"%s/cart\" id=\"cart-link\">%s</a>", s->base, _("Cart"));
		html_f(h, "<a href=\"%s/orders\" id=\"orders-link\">%s</a>", s->base, _("My orders"));
		html_f(h, "<span class=\"muted\" id=\"who\">%s</span>", s->m.name);
		shop_form_open(s, "/logout");
		html_f(h, "<button type=\"submit\" id=\"logout\">%s</button></form>", _("Log out"));
	} else {
		html_f(h, "<a href=\"%s/login\" id=\"login-link\">%s</a>", s->base, _("Log in"));
	}
	lang_link(s);
	html_f(h, "<form class=\"search\" method=\"get\" action=\"%s/\" role=\"search\">"
	       "<input name=\"q\" id=\"q\" maxlength=\"60\" placeholder=\"%s\" value=\"%s\">"
	       "<button type=\"submit\" id=\"search\">%s</button></form></header>",
	       s->base, _("Search the shelves"), shop_text_ok(shop_arg(s, "q"), 60) ? shop_arg(s, "q") : "",
	       _("Search"));
}

void shop_begin(struct shop *s, const char *title)
{
	struct html *h = &s->w.h;
	html_f(h, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	       "<title>%s - %s</title><style>", s->w.english ? "en" : "id", title,
	       s->front ? _("Online shop") : s->store);
	html_raw(h, css);
	html_raw(h, "</style></head><body>");
	header(s);
	html_f(h, "<main><h1>%s</h1>", title);
	if (!s->open && !s->front)
		html_f(h, "<p class=\"msg err\" id=\"closed\">%s</p>",
		       _("This store's online shop is closed."));
}

void shop_end(struct shop *s)
{
	html_raw(&s->w.h, "</main></body></html>\n");
}

void shop_error(struct shop *s, int status, const char *msg)
{
	free(s->w.h.buf);
	s->w.h = (struct html){ 0 };
	shop_begin(s, status == 404 ? _("Not found") : status == 429 ? _("Too many requests")
	              : status >= 500 ? _("Something went wrong") : _("Not possible"));
	html_f(&s->w.h, "<p class=\"msg err\" id=\"msg\">%s</p>", msg);
	shop_end(s);
	web_send(&s->w, status);
}

void shop_fail_store(struct shop *s, enum cm_rc rc)
{
	fprintf(stderr, "coopmart-hq: shop: %s\n", hqstore_errmsg());
	if (rc == CM_BUSY) {
		req_set_header(s->w.r, "Retry-After", "5");
		shop_error(s, 503, _("The shop is busy; try again shortly."));
	} else {
		shop_error(s, 500, _("The shop could not read its database; try again later."));
	}
}

void shop_redirect(struct shop *s, const char *path)
{
	char to[200];
	snprintf(to, sizeof to, "%s%s", s->base, path);
	web_redirect(&s->w, to);
}

void shop_avail_badge(struct shop *s, const struct shop_item *it)
{
	static const char *const cls[] = { "in", "lim", "out" };
	static const char *const words[] = { N_("available"), N_("limited stock"),
	                                     N_("sold out") };
	enum shop_avail a = shop_avail_of(it->available);
	html_f(&s->w.h, "<span class=\"av %s\">%s</span>", cls[a], _(words[a]));
}

/* ---- sessions ---- */

static bool session_hash(const char *tok, uint8_t hash[CHAIN_HASH_LEN])
{
	return tok && strlen(tok) == 64 && token_hash(tok, 64, hash) == CM_OK;
}

static enum cm_rc session_find(struct shop *s)
{
	if (!session_hash(req_cookie(s->w.r, "cm_shop"), s->sess))
		return CM_OK;
	enum cm_rc rc = hqstore_shop_session_get(s->w.st, s->sess, s->now, &s->m, s->w.csrf);
	if (rc == CM_OK)
		s->in = true;
	return rc == CM_NOTFOUND ? CM_OK : rc;
}

static bool csrf_ok(const char *expected, const char *given)
{
	return strlen(expected) == 64 && strlen(given) == 64 &&
	       sodium_memcmp(expected, given, 64) == 0;
}

static void csrf_refused(struct shop *s)
{
	web_audit(&s->w, s->in ? s->m.number : "-", "shop_csrf_refused", "POST %s%s", s->base,
	          s->sub);
	shop_error(s, 403, _("This form did not come from this shop (its security token is "
	                     "missing or wrong): open the page again."));
}

/* ---- logging in and out ---- */

/* The login form's token: the cm_shop_pre cookie's, or a new one. */
static void pre_token(struct shop *s)
{
	const char *ck = req_cookie(s->w.r, "cm_shop_pre");
	if (ck && strlen(ck) == 64 && strspn(ck, "0123456789abcdef") == 64) {
		snprintf(s->w.csrf, sizeof s->w.csrf, "%s", ck);
		return;
	}
	if (auth_random_hex(s->w.csrf) != CM_OK)
		return;
	char c[160];
	snprintf(c, sizeof c, "cm_shop_pre=%s" COOKIE_ATTRS, s->w.csrf);
	req_set_header(s->w.r, "Set-Cookie", c);
}

static void login_page(struct shop *s, const char *number, const char *msg, int status)
{
	struct html *h = &s->w.h;
	free(h->buf);
	*h = (struct html){ 0 };
	pre_token(s);
	shop_begin(s, _("Members log in"));
	html_raw(h, "<div class=\"login card\">");
	if (msg)
		html_f(h, "<p class=\"msg err\" id=\"msg\">%s</p>", msg);
	shop_form_open(s, "/login");
	html_f(h, "<label for=\"member\">%s</label><input id=\"member\" name=\"member\" "
	       "autocomplete=\"username\" maxlength=\"23\" required value=\"%s\">",
	       _("Member number"), number ? number : "");
	html_f(h, "<label for=\"pin\">%s</label><input id=\"pin\" name=\"pin\" type=\"password\" "
	       "inputmode=\"numeric\" autocomplete=\"current-password\" maxlength=\"12\" required>",
	       _("Web PIN"));
	html_f(h, "<p><button type=\"submit\" id=\"login\">%s</button></p></form>"
	       "<p class=\"muted\">%s</p></div>", _("Log in"),
	       _("No web PIN yet? Ask for one at the store's counter."));
	shop_end(s);
	web_send(&s->w, status);
}

static void login_get(struct shop *s)
{
	if (s->in)
		shop_redirect(s, "/");
	else
		login_page(s, NULL, NULL, 200);
}

static void login_wrong(struct shop *s, const struct shop_member *m)
{
	int64_t failed = m->failed + 1, lock = auth_lockout_seconds(failed);
	enum cm_rc rc = hqstore_web_pin_failures(s->w.st, m->number, failed, lock ? s->now + lock : 0);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	web_audit(&s->w, m->number, "shop_login_failed", "wrong PIN (%lld in a row)",
	          (long long)failed);
	char msg[240];
	if (lock)
		snprintf(msg, sizeof msg, _("Wrong member number or PIN. Locked for %lld seconds."),
		         (long long)lock);
	else
		snprintf(msg, sizeof msg, "%s", _("Wrong member number or PIN."));
	login_page(s, m->number, msg, 401);
}

static enum cm_rc session_open(struct shop *s, const struct shop_member *m)
{
	char tok[65], csrf[65], c[200];
	uint8_t hash[CHAIN_HASH_LEN];
	enum cm_rc rc = auth_random_hex(tok);
	if (rc == CM_OK)
		rc = auth_random_hex(csrf);
	if (rc == CM_OK)
		rc = token_hash(tok, 64, hash);
	if (rc == CM_OK)
		rc = hqstore_web_pin_failures(s->w.st, m->number, 0, 0);
	if (rc == CM_OK)
		rc = hqstore_shop_session_put(s->w.st, hash, m->number, csrf, s->now + SESSION_SECONDS);
	if (rc != CM_OK)
		return rc;
	snprintf(c, sizeof c, "cm_shop=%s; Max-Age=%d" COOKIE_ATTRS, tok, SESSION_SECONDS);
	req_set_header(s->w.r, "Set-Cookie", c);
	sodium_memzero(tok, sizeof tok);
	return CM_OK;
}

/* After the PIN matched: only an active member gets a session. */
static void login_ok(struct shop *s, const struct shop_member *m)
{
	enum cm_rc rc;
	if (strcmp(m->status, "active") != 0) {
		web_audit(&s->w, m->number, "shop_login_refused", "member %s", m->status);
		login_page(s, m->number, _("Only active members may log in; ask at the store."), 403);
	} else if ((rc = session_open(s, m)) != CM_OK) {
		shop_fail_store(s, rc);
	} else {
		web_audit(&s->w, m->number, "shop_login", "%s", s->store);
		shop_redirect(s, "/");
	}
}

static void login_post(struct shop *s)
{
	char number[24] = "", pin[16] = "", given[65] = "";
	const char *pre = req_cookie(s->w.r, "cm_shop_pre");
	if (!form_field(s->w.body, s->w.len, "csrf", given, sizeof given) || !pre ||
	    !csrf_ok(pre, given)) {
		csrf_refused(s);
		return;
	}
	if (!shop_limit(s, "login addr", s->w.addr, LOGIN_ADDR_BURST, LOGIN_ADDR_PER_S))
		return;
	if (!form_field(s->w.body, s->w.len, "member", number, sizeof number) ||
	    !shop_text_ok(number, sizeof number - 1)) {
		login_page(s, NULL, _("Wrong member number or PIN."), 401);
		return;
	}
	if (!shop_limit(s, "login member", number, LOGIN_MEMBER_BURST, LOGIN_MEMBER_PER_S))
		return;
	form_field(s->w.body, s->w.len, "pin", pin, sizeof pin);
	struct shop_member m;
	enum cm_rc rc = hqstore_shop_member(s->w.st, number, &m);
	if (rc == CM_NOTFOUND || (rc == CM_OK && !m.pinhash[0])) {
		/* As slow as a real check, so whether a member has a PIN does not show. */
		char scratch[crypto_pwhash_STRBYTES];
		auth_hash_password(pin, scratch, sizeof scratch);
		web_audit(&s->w, number[0] ? number : "-", "shop_login_failed",
		          rc == CM_OK ? "no web PIN" : "unknown member");
		login_page(s, number, _("Wrong member number or PIN."), 401);
	} else if (rc != CM_OK) {
		shop_fail_store(s, rc);
	} else if (m.locked_until > s->now) {
		char msg[200];
		snprintf(msg, sizeof msg, _("Too many wrong PINs: try again in %lld seconds."),
		         (long long)(m.locked_until - s->now));
		web_audit(&s->w, m.number, "shop_login_locked", "%lld s left",
		          (long long)(m.locked_until - s->now));
		login_page(s, m.number, msg, 429);
	} else if (!auth_check_password(m.pinhash, pin)) {
		login_wrong(s, &m);
	} else {
		login_ok(s, &m);
	}
	sodium_memzero(pin, sizeof pin);
}

static void logout(struct shop *s)
{
	enum cm_rc rc = hqstore_shop_session_delete(s->w.st, s->sess);
	if (rc != CM_OK) {
		shop_fail_store(s, rc);
		return;
	}
	web_audit(&s->w, s->m.number, "shop_logout", "%s", s->store);
	req_set_header(s->w.r, "Set-Cookie", "cm_shop=; Max-Age=0" COOKIE_ATTRS);
	s->in = false;
	shop_redirect(s, "/");
}

/* ---- routing ---- */

static const struct page {
	const char *method;
	const char *sub;
	void (*fn)(struct shop *s);
	bool login;                       /* needs a member's session */
} pages[] = {
	{ "GET", "/", shop_home, false },
	{ "GET", "/item", shop_item_page, false },
	{ "GET", "/feed.tsv", shop_feed, false },
	{ "GET", "/login", login_get, false },
	{ "POST", "/login", login_post, false },
	{ "POST", "/logout", logout, true },
	{ "GET", "/cart", shop_cart_page, true },
	{ "POST", "/cart", shop_cart_post, true },
	{ "POST", "/checkout", shop_checkout, true },
	{ "GET", "/orders", shop_orders_page, true },
	{ "GET", "/order", shop_order_page, true },
	{ "POST", "/cancel", shop_cancel, true },
};

/* "/shop/<store><sub>": the store's code into s, sub after it; false
 * when the path names no store. */
static bool path_split(struct shop *s, const char *path)
{
	const char *p = path + strlen("/shop");
	if (*p != '/')
		return false;
	p++;
	size_t n = strcspn(p, "/");
	if (n == 0 || n >= sizeof s->store)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", p[i]))
			return false;
	memcpy(s->store, p, n);
	s->store[n] = '\0';
	s->front = false;
	snprintf(s->base, sizeof s->base, "/shop/%s", s->store);
	s->sub = p + n;
	return true;
}

static void serve(struct shop *s, const char *method)
{
	const struct page *pg = NULL;
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		if (strcmp(pages[i].sub, s->sub) == 0 && strcmp(pages[i].method, method) == 0)
			pg = &pages[i];
	if (!pg) {
		shop_error(s, 404, _("There is no such page."));
		return;
	}
	bool post = strcmp(method, "POST") == 0;
	if (pg->login && !s->in) {
		if (post)
			shop_error(s, 403, _("Log in first."));
		else
			shop_redirect(s, "/login");
		return;
	}
	char given[65] = "";
	if (pg->login && post &&
	    (!form_field(s->w.body, s->w.len, "csrf", given, sizeof given) ||
	     !csrf_ok(s->w.csrf, given))) {
		csrf_refused(s);
		return;
	}
	pg->fn(s);
}

static enum cm_rc store_find(struct shop *s)
{
	enum cm_rc rc = hqstore_store_exists(s->w.st, s->store);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_shop_settings_get(s->w.st, s->store, &s->set);
	s->open = rc == CM_OK;
	return rc == CM_NOTFOUND ? CM_OK : rc;
}

void shop_route(struct req *r)
{
	struct shop *s = calloc(1, sizeof *s);
	if (!s) {
		req_fail(r, 500, "server_error", -1, -1, "out of memory");
		return;
	}
	web_start(&s->w, r, COOKIE_ATTRS);
	s->now = (int64_t)time(NULL);
	snprintf(s->store, sizeof s->store, "-");
	snprintf(s->base, sizeof s->base, "/shop");
	s->sub = "";
	s->front = true;
	enum cm_rc rc;
	const char *path = req_path(r);
	if (!shop_limit(s, "pages", s->w.addr, PAGES_BURST, PAGES_PER_S)) {
		/* answered */
	} else if ((!strcmp(path, "/shop") || !strcmp(path, "/shop/")) &&
	           !strcmp(req_method(r), "GET")) {
		shop_stores_page(s);
	} else if (!path_split(s, path)) {
		shop_error(s, 404, _("There is no such shop: the address names the store, "
		                     "as in /shop/STORE/."));
	} else if (!*s->sub && strcmp(req_method(r), "GET") == 0) {
		shop_redirect(s, "/");
	} else if ((rc = store_find(s)) == CM_NOTFOUND) {
		snprintf(s->store, sizeof s->store, "-");
		s->front = true;
		shop_error(s, 404, _("There is no such store: choose yours at /shop/."));
	} else if (rc != CM_OK || (rc = session_find(s)) != CM_OK) {
		shop_fail_store(s, rc);
	} else {
		serve(s, req_method(r));
	}
	web_done(&s->w);
	free(s);
}

bool shop_admit(struct req *r, size_t *max_body)
{
	(void)r;
	if (*max_body > BODY_MAX)
		*max_body = BODY_MAX;
	return true;
}
