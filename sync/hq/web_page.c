/* The page frame every console page shares: styles for a 1280 px
 * screen, a phone and paper, the menu, the language switch, the CSRF
 * field of forms. No script, no asset from elsewhere: a page is one
 * document. */
#include "web.h"

#include <string.h>

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
	"tr.voided td{text-decoration:line-through;color:#667}table.narrow{width:auto;min-width:320px}"
	".up{color:#166534}.down{color:#b91c1c}.muted{color:#667}.nw{white-space:nowrap}"
	"input,select,button{font:inherit;padding:.3rem .5rem}"
	"button{background:#14532d;color:#fff;border:0;border-radius:4px;cursor:pointer}"
	"header button{background:#0f3d21}"
	"svg.chart{width:100%;height:110px;display:block}"
	".span{display:flex;justify-content:space-between;font-size:.8rem;color:#667}"
	"svg .bars{fill:#4d9f6a}svg .today{fill:#14532d}svg .trend{fill:none;stroke:#c2410c;"
	"stroke-width:1.5}svg .axis{stroke:#aab}svg .strokes{fill:none;stroke:#4d9f6a;stroke-width:8}"
	"form.inline{display:inline}"
	".cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:0 1.5rem}"
	".login{max-width:380px;margin:3rem auto}.login label{display:block;margin:.6rem 0 .2rem}"
	".login input{width:100%}"
	"@media (max-width:600px){main{padding:.5rem}th,td{padding:.25rem}"
	"header .who{margin-left:0}}"
	"@media print{header,form,.noprint{display:none}body{background:#fff;font-size:11pt}"
	"main{max-width:none;padding:0}.card,table{border:0;break-inside:avoid}"
	".sheet+.sheet{break-before:page}.sheet{font-size:9pt;line-height:1.25}"
	".sheet h2{font-size:10.5pt;margin:.4rem 0 .15rem}.sheet p{margin:.15rem 0}"
	".sheet td,.sheet th{padding:.05rem .4rem}"
	"table.wide{font-size:8pt}table.wide td,table.wide th{padding:.15rem .25rem}.scroll{overflow:visible}"
	"a{color:inherit;text-decoration:none}}";

static const struct {
	const char *path;
	const char *label;
} menu[] = {
	{ "/web/", N_("Overview") },
	{ "/web/terminals", N_("Terminals") },
	{ "/web/alerts", N_("Alerts") },
	{ "/web/exceptions", N_("Exceptions") },
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
	html_f(h, "<a href=\"?%slang=%s\" hreflang=\"%s\" lang=\"%s\">%s</a>",
	       w->lang_query ? w->lang_query : "", w->english ? "id" : "en",
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
