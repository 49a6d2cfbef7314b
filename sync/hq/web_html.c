/* HTML for the console: a growing buffer whose only way to take data is
 * escaped (html_text, html_f's %s), and the page frame every page shares:
 * styles for a 1280 px screen, a phone and paper, the menu, the language
 * switch. No script, no asset from elsewhere: the page is one document. */
#include "web.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void put(struct html *h, const char *s, size_t n)
{
	if (h->oom)
		return;
	if (h->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 16384;
		while (cap < h->len + n + 1)
			cap *= 2;
		char *p = realloc(h->buf, cap);
		if (!p) {
			h->oom = true;
			return;
		}
		h->buf = p;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *s)
{
	put(h, s, strlen(s));
}

void html_text(struct html *h, const char *s)
{
	const char *run = s;
	for (const char *p = s; *p; p++) {
		const char *rep;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		put(h, run, (size_t)(p - run));
		html_raw(h, rep);
		run = p + 1;
	}
	html_raw(h, run);
}

/* Walks the format: conversions other than %s go to vsnprintf one at a
 * time (numbers need no escaping); %s arguments are escaped. */
void html_f(struct html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			html_raw(h, p);
			break;
		}
		put(h, p, (size_t)(pct - p));
		const char *spec = pct + 1;
		size_t sn = strspn(spec, "0123456789.-+ #lhzj");
		char conv = spec[sn];
		if (conv == '%') {
			put(h, "%", 1);
		} else if (conv == 's') {
			html_text(h, va_arg(ap, const char *));
		} else {
			char one[16], out[64];
			/* one is "%" + the caller's flags and width + the conversion,
			 * checked by the format attribute at the caller. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(one, sizeof one, "%%%.*s%c", (int)sn, spec, conv);
			if (conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x') {
				if (sn >= 2 && spec[sn - 2] == 'l' && spec[sn - 1] == 'l')
					snprintf(out, sizeof out, one, va_arg(ap, long long));
				else if (sn >= 1 && (spec[sn - 1] == 'l' || spec[sn - 1] == 'z'))
					snprintf(out, sizeof out, one, va_arg(ap, long));
				else
					snprintf(out, sizeof out, one, va_arg(ap, int));
			} else {
				snprintf(out, sizeof out, "?");
			}
#pragma GCC diagnostic pop
			html_raw(h, out);
		}
		p = spec + sn + (conv ? 1 : 0);
	}
	va_end(ap);
}

void html_int(struct html *h, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	put(h, p, (size_t)(buf + sizeof buf - p));
}

void html_money(struct html *h, int64_t rupiah)
{
	char buf[48];
	money_format(rupiah, NULL, buf, sizeof buf);
	html_text(h, buf);
}

void html_qty(struct html *h, int64_t thousandths)
{
	char buf[48];
	qty_format(thousandths, buf, sizeof buf);
	html_text(h, buf);
}

void html_time(struct html *h, int64_t t)
{
	if (!t) {
		html_raw(h, "-");
		return;
	}
	char buf[32];
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	html_raw(h, buf);
}

void html_date(struct html *h, int32_t d)
{
	html_f(h, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

/* ---- the frame ---- */

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1c2430;background:#f5f6f8}"
	"header{background:#14532d;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;"
	"gap:.25rem 1rem;align-items:center}"
	"header b{font-size:1.1rem;margin-right:1rem}"
	"header a{color:#e7f5ec;text-decoration:none}header a.on{text-decoration:underline}"
	"header form{margin:0}header .who{margin-left:auto;font-size:.9rem}"
	"main{max-width:1280px;margin:0 auto;padding:1rem}"
	"h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}"
	"table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:1rem}"
	"th,td{padding:.3rem .5rem;border-bottom:1px solid #dde1e6;text-align:left;"
	"vertical-align:top}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	".scroll{overflow-x:auto}"
	".card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem;"
	"margin-bottom:.8rem}"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.8rem}"
	".msg{padding:.6rem;border-radius:6px;background:#fff4e5;border:1px solid #f0b35b}"
	".err{background:#fde8e8;border-color:#e08282}.ok{background:#e6f4ea;border-color:#7cc096}"
	".up{color:#166534}.down{color:#b91c1c}.muted{color:#667}"
	"input,select,button{font:inherit;padding:.3rem .5rem}"
	"button{background:#14532d;color:#fff;border:0;border-radius:4px;cursor:pointer}"
	"header button{background:#0f3d21}"
	"svg.chart{width:100%;height:110px;display:block}"
	".span{display:flex;justify-content:space-between;font-size:.8rem;color:#667}"
	"svg .bars{fill:#4d9f6a}svg .today{fill:#14532d}svg .trend{fill:none;stroke:#c2410c;"
	"stroke-width:1.5}svg .axis{stroke:#aab}"
	"form.inline{display:inline}"
	".login{max-width:380px;margin:3rem auto}.login label{display:block;margin:.6rem 0 .2rem}"
	".login input{width:100%}"
	"@media (max-width:600px){main{padding:.5rem}th,td{padding:.25rem}"
	"header .who{margin-left:0}}"
	"@media print{header,form,.noprint{display:none}body{background:#fff;font-size:11pt}"
	"main{max-width:none;padding:0}.card,table{border:0;break-inside:avoid}"
	"a{color:inherit;text-decoration:none}}";

static const struct {
	const char *path;
	const char *label;
} menu[] = {
	{ "/web/", N_("Overview") },
	{ "/web/terminals", N_("Terminals") },
	{ "/web/alerts", N_("Alerts") },
	{ "/web/stock", N_("Stock") },
	{ "/web/catalogue", N_("Catalogue") },
	{ "/web/members", N_("Members") },
	{ "/web/audit", N_("Log") },
};

static void nav(struct web *w)
{
	struct html *h = &w->h;
	const char *path = req_path(w->r);
	html_raw(h, "<header><b>coopmart HQ</b>");
	if (w->logged_in)
		for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++)
			html_f(h, "<a href=\"%s\"%s>%s</a>", menu[i].path,
			       strcmp(path, menu[i].path) == 0 ? " class=\"on\"" : "", _(menu[i].label));
	html_f(h, "<a href=\"?lang=%s\" hreflang=\"%s\" lang=\"%s\">%s</a>", w->english ? "id" : "en",
	       w->english ? "id" : "en", w->english ? "id" : "en",
	       w->english ? "Bahasa Indonesia" : "English");
	if (w->logged_in) {
		html_raw(h, "<span class=\"who\">");
		html_text(h, w->op.name);
		html_f(h, " (%s", _(w->op.role == HQ_COUNCIL ? N_("council")
		                    : w->op.role == HQ_OFFICE ? N_("coop office") : N_("store manager")));
		if (w->op.role != HQ_COUNCIL)
			html_f(h, " %s", w->op.role == HQ_OFFICE ? w->op.coop : w->op.store);
		html_raw(h, ")</span>");
		web_form_open(w, "/web/logout", NULL);
		html_f(h, "<button type=\"submit\">%s</button></form>", _("Log out"));
	}
	html_raw(h, "</header>");
}

void web_begin(struct web *w, const char *title)
{
	struct html *h = &w->h;
	html_f(h, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	       "<title>%s - coopmart HQ</title><style>", w->english ? "en" : "id", title);
	html_raw(h, css);
	html_raw(h, "</style></head><body>");
	nav(w);
	html_f(h, "<main><h1>%s</h1>", title);
}

void web_end(struct web *w)
{
	html_raw(&w->h, "</main></body></html>\n");
}

void web_form_open(struct web *w, const char *action, const char *extra)
{
	html_f(&w->h, "<form method=\"post\" action=\"%s\"", action);
	if (extra)
		html_raw(&w->h, extra);
	html_f(&w->h, "><input type=\"hidden\" name=\"csrf\" value=\"%s\">", w->csrf);
}
