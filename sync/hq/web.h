/* Inside the web console: what its files share. web.c routes a request
 * under /web (language, session, CSRF, scope), html.c writes HTML and
 * web_page.c the frame around it, web_form.c reads forms, auth.c keeps
 * passwords and tokens, and one file per page group: web_overview.c,
 * web_terminals.c (terminals, alerts, audit), web_stock.c,
 * web_catalogue.c, web_members.c.
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
};

/* A request's start: w for r, the thread's language from the request
 * (the switch sets the cm_lang cookie with cookie_attrs), the client's
 * address. The shop's pages (shop_web.c) start here too. */
void web_start(struct web *w, struct req *r, const char *cookie_attrs);
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
void web_members(struct web *w);
void web_member_statement(struct web *w);

#endif
