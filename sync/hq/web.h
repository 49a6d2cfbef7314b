/* Inside the web console: what its files share. web.c routes a request
 * under /web (language, session, CSRF, scope), html.c writes HTML and
 * web_page.c the frame around it, web_form.c reads forms, auth.c keeps
 * passwords and tokens, and one file per page group: web_overview.c,
 * web_terminals.c (terminals, alerts, audit), web_stock.c,
 * web_catalogue.c, web_members.c, web_statement.c (a member's statement,
 * the RAT print), web_shu.c, web_exceptions.c (the exceptions audit), web_receipt.c
 * (one sale); and
 * outside /web, the public receipt check (web_check.c) and the members'
 * shop (shop_*.c).
 *
 * Messages: msgids are English; _() gives Bahasa Indonesia unless the
 * request asked for English (Accept-Language, or the switch: ?lang=).
 * The language is the handling thread's, set for each request. */
#ifndef WEB_H
#define WEB_H

#include "auth.h"
#include "html.h"
#include "hqstore.h"
#include "route.h"

#include <locale.h>

const char *web_tr(const char *msgid) __attribute__((format_arg(1)));
#undef _
#define _(s) web_tr(s)

/* ---- one request (web.c) ---- */

struct web {
	struct req *r;
	struct hqstore *st;
	struct html h;
	bool english;
	bool logged_in;
	struct hq_operator op;
	struct hq_scope scope;            /* the operator's */
	char csrf[65];                    /* the session's form token */
	char addr[48];
	const char *body;                 /* POST body */
	size_t len;
	int64_t cpu_start;                /* the thread's CPU time at the start, µs */
	const char *lang_query;           /* kept by the language switch ("c=CODE&"); NULL none */
	locale_t locale_before;           /* the thread's, while English is on (0: unchanged) */
};

/* A request's start: w for r, the thread's language from the request
 * (the switch sets the cm_lang cookie with cookie_attrs), the client's
 * address. web_route does it for /web; the public receipt check
 * (web_check.c) and the shop's pages (shop_web.c) start here too. */
void web_start(struct web *w, struct req *r, const char *cookie_attrs);
/* A request's end: the thread's language back as it was, the page's
 * buffer freed, the form token wiped. */
void web_done(struct web *w);
/* The page's frame: head, styles (print too), the menu; then the page's
 * own content, then web_end. */
void web_begin(struct web *w, const char *title);
void web_end(struct web *w);
/* <form method=post action=...> with the CSRF token. */
void web_form_open(struct web *w, const char *action, const char *extra);
/* Answers the page written to w->h with status. */
void web_send(struct web *w, int status);
/* 303 See Other to path. */
void web_redirect(struct web *w, const char *path);
/* A page with a message only (403, 404, 500 ...). */
void web_error(struct web *w, int status, const char *msg);
/* A storage failure as a page (busy: 503). */
void web_fail_store(struct web *w, enum cm_rc rc);
/* True when the operator may see store; else answers 403 (and audits). */
bool web_store_allowed(struct web *w, const char *store);
/* The store a page is about: ?store=, else the manager's own; NULL (and
 * answered) when none or not allowed. */
const char *web_store_arg(struct web *w, const char *from_form);
/* Records an audit row for the operator (or name) with the address. */
void web_audit(struct web *w, const char *name, const char *action, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A query argument, "" when absent. */
const char *web_arg(struct web *w, const char *name);

/* ---- forms (web_form.c) ---- */

/* The value of field name in an application/x-www-form-urlencoded body,
 * decoded into buf; false when absent or longer than n - 1. */
bool form_field(const char *body, size_t len, const char *name, char *buf, size_t n);
/* The part named name of a multipart/form-data body (content_type carries
 * the boundary): *data and *n point into body; filename into fname ("" if
 * none). false when absent or malformed. */
bool form_part(const char *body, size_t len, const char *content_type, const char *name,
               const char **data, size_t *n, char *fname, size_t fname_len);

/* ---- pages ---- */

void web_login_page(struct web *w, const char *name, const char *msg, int status);
void web_overview(struct web *w);
void web_terminals(struct web *w);
void web_alerts(struct web *w);
void web_alert_ack(struct web *w);
void web_audit_page(struct web *w);
void web_stock(struct web *w);
void web_catalogue(struct web *w);
void web_catalogue_upload(struct web *w);
void web_prices_upload(struct web *w);
void web_members(struct web *w);
void web_member_statement(struct web *w);
void web_members_rat(struct web *w);
void web_shu(struct web *w);
void web_exceptions(struct web *w);
void web_exception_events(struct web *w);
void web_receipt(struct web *w);

/* A receipt number as a link to its page (web_receipt.c); "-" when none. */
void web_receipt_link(struct html *h, const char *store, const char *receipt);

/* ---- SHU on the members pages (web_shu.c) ---- */

struct hqshu_run;
/* The run of ?year= (else the newest posted year, else last year): the
 * posted run, else today's figures, as `shu slip` reads it. *have false
 * when the year has nothing to share yet (why says so); false when
 * answered (an error). Free with hqshu_run_free. */
bool web_shu_run(struct web *w, struct hqshu_run *r, bool *have, char *why, size_t why_n);
/* "SHU 2026: posted ...; amount ...", or why there is nothing. */
void web_shu_heading(struct web *w, const struct hqshu_run *r, bool have, const char *why);

#endif
