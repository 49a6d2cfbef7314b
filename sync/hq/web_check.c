/* GET /check?c=CODE: the public receipt check (hqcheck.h), no login. A
 * member types the code printed under the receipt's QR code (or a phone
 * scans it) and learns whether HQ holds that receipt: a page in Bahasa
 * Indonesia or English (the console's frame and language switch), or
 * JSON when the request asks for it (Accept: application/json):
 *   200 {"result": "match", "date": "2026-01-02", "due": 57500}
 *   200 {"result": "not_synced"} / {"result": "differs"} / {"result": "unknown"}
 *   400 bad_request   not a check code
 *   429 busy          too many checks from the address (Retry-After)
 * The limit (ratelimit.h) is applied with the request's headers, on the
 * I/O thread (web_check_admit), so a flood never reaches the database. */
#include "web.h"
#include "hqcheck.h"
#include "ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The language switch on the check page keeps its choice for /check only. */
#define CHECK_COOKIE_ATTRS "; Path=/check; Secure; HttpOnly; SameSite=Lax"

static bool wants_json(const struct req *r)
{
	const char *a = req_header(r, "Accept");
	return a && strstr(a, "application/json");
}

/* The page's top: the form (with the code typed, when it reads as one). */
static void check_begin(struct web *w, const char *code)
{
	struct html *h = &w->h;
	web_begin(w, _("Check a receipt"));
	html_f(h, "<p>%s</p>", _("Type the code printed under the QR code of your receipt, or "
	                         "scan the QR code."));
	html_raw(h, "<form method=\"get\" action=\"/check\" class=\"card\">");
	html_f(h, "<label for=\"c\">%s</label> <input id=\"c\" name=\"c\" size=\"64\" "
	       "autocomplete=\"off\" required value=\"%s\"> ", _("Receipt check code"), code);
	html_f(h, "<input type=\"hidden\" name=\"lang\" value=\"%s\">", w->english ? "en" : "id");
	html_f(h, "<button type=\"submit\" id=\"check\">%s</button></form>", _("Check"));
}

static void check_result(struct web *w, const struct hqcheck *r)
{
	struct html *h = &w->h;
	const char *cls = r->result == HQCHECK_MATCH ? "ok" : r->result == HQCHECK_DIFFERS ? "err" : "";
	html_f(h, "<div class=\"msg %s\" id=\"result\" data-result=\"%s\">", cls,
	       hqcheck_result_name(r->result));
	switch (r->result) {
	case HQCHECK_MATCH:
		html_f(h, "<p><b>%s</b></p><p>%s: ", _("Match: HQ holds this receipt."), _("Date"));
		html_date(h, r->date);
		html_f(h, "<br>%s: ", _("Amount"));
		html_money(h, r->due);
		html_raw(h, "</p>");
		break;
	case HQCHECK_NOT_SYNCED:
		html_f(h, "<p><b>%s</b></p>", _("Not synced yet: HQ has not received this sale from "
		                                "the store's till yet. Try again tomorrow."));
		break;
	case HQCHECK_DIFFERS:
		html_f(h, "<p><b>%s</b></p>", _("Differs: this receipt does not match HQ's record. "
		                                "HQ has raised an alert for the coop's office."));
		break;
	default:
		html_f(h, "<p><b>%s</b></p>", _("Not known: HQ knows no such store and till."));
		break;
	}
	html_raw(h, "</div>");
}

static void bad_code(struct web *w, const char *typed)
{
	static const char msg[] = N_("That is not a receipt check code: it is printed under the "
	                             "QR code and starts with CM1:");
	if (wants_json(w->r)) {
		req_fail(w->r, 400, "bad_request", -1, -1, "%s", msg);
		return;
	}
	check_begin(w, typed);
	html_f(&w->h, "<p class=\"msg err\" id=\"result\" data-result=\"bad_code\">%s</p>", _(msg));
	web_end(w);
	web_send(w, 400);
}

static void answer(struct web *w, const struct checkcode *c, const struct hqcheck *r)
{
	char code[CHECKCODE_MAX], query[CHECKCODE_MAX + 8];
	if (wants_json(w->r)) {
		req_set_header(w->r, "Cache-Control", "no-store");
		req_reply(w->r, 200, hqcheck_json(r));
		return;
	}
	/* The code as read (letters and digits, '-', '_', '.', ':'): safe
	 * in the language switch's query as it is. */
	checkcode_format(c, code, sizeof code);
	snprintf(query, sizeof query, "c=%s&", code);
	w->lang_query = query;
	check_begin(w, code);
	check_result(w, r);
	web_end(w);
	web_send(w, 200);
}

static void check(struct web *w)
{
	const char *typed = web_arg(w, "c");
	struct checkcode c;
	struct hqcheck r;
	if (!*typed && !wants_json(w->r)) {
		check_begin(w, "");
		web_end(w);
		web_send(w, 200);
		return;
	}
	if (!checkcode_parse(typed, &c)) {
		bad_code(w, typed);
		return;
	}
	enum cm_rc rc = hqcheck_run(w->st, &c, &r);
	if (rc != CM_OK) {
		if (wants_json(w->r))
			req_fail_store(w->r, rc);
		else
			web_fail_store(w, rc);
		return;
	}
	answer(w, &c, &r);
}

void web_check(struct req *r)
{
	struct web w;
	web_start(&w, r, CHECK_COOKIE_ATTRS);
	check(&w);
	web_done(&w);
}

bool web_check_admit(struct req *r)
{
	const char *c = req_arg(r, "c");
	char addr[48], ra[16];
	unsigned after = 1;
	if (!c || !*c)
		return true;             /* the empty form costs nothing */
	req_client_addr(r, addr, sizeof addr);
	if (ratelimit_allow(addr, cm_mono_ms(), &after))
		return true;
	snprintf(ra, sizeof ra, "%u", after);
	req_set_header(r, "Retry-After", ra);
	if (wants_json(r)) {
		req_fail(r, 429, "busy", -1, -1, "too many receipt checks from this address: try "
		         "again in %u seconds", after);
		return false;
	}
	struct web w;
	char msg[200];
	web_start(&w, r, CHECK_COOKIE_ATTRS);
	snprintf(msg, sizeof msg, _("Too many checks from your address: try again in %u seconds."),
	         after);
	check_begin(&w, "");
	html_f(&w.h, "<p class=\"msg err\" id=\"result\" data-result=\"busy\">%s</p>", msg);
	web_end(&w);
	web_send(&w, 429);
	web_done(&w);
	return false;
}
