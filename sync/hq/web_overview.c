/* The overview: net sales per store per day over a period (?days=, 14 by
 * default, up to 400; ?to=YYYY-MM-DD, today by default), as a table of
 * today against the same weekday a week before and, per store, an inline
 * SVG chart: a bar a day and the trend (the average of the last seven
 * days) as a line. Figures from hqstore_day_totals, the sales_days table
 * the folding keeps (one row a store a day). */
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAYS_DEFAULT 14
#define DAYS_MAX 400
#define TITLES_MAX 62                  /* a tooltip a bar up to two months */
#define TREND_DAYS 7
#define BAR_STEP 10                    /* chart units per day; the bar is 8 (chart()) */
#define CHART_H 100

struct store_row {
	char code[32], coop[32];
	int64_t *net, *count;             /* [ndays], day 0 = first */
};

struct overview {
	int32_t first, to;                /* yyyymmdd; first = a week before the period at least */
	int64_t first_n;                  /* first's day_number */
	int ndays, days;                  /* days held; days shown (the last `days`) */
	struct store_row *stores;
	size_t n, cap;
	int64_t *cells;                   /* the stores' net and count arrays */
};

/* yyyymmdd <-> days since 1970-01-01, by the civil calendar's arithmetic
 * (H. Hinnant's days_from_civil): the overview converts every row it
 * reads, and timegm() took a fifth of the page's time. */
static int64_t day_number(int32_t d)
{
	int64_t y = d / 10000, m = d / 100 % 100, day = d % 100;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int32_t day_date(int64_t n)
{
	n += 719468;
	int64_t era = (n >= 0 ? n : n - 146096) / 146097;
	int64_t doe = n - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t day = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	return (int32_t)(y * 10000 + m * 100 + day);
}

static int32_t today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

static int32_t parse_date(const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 2000 || y > 2999 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return 0;
	return y * 10000 + m * 100 + d;
}

static enum cm_rc add_store(const char *code, const char *coop, void *ctx)
{
	struct overview *o = ctx;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;
		struct store_row *p = realloc(o->stores, cap * sizeof *p);
		if (!p)
			return CM_NOMEM;
		o->stores = p;
		o->cap = cap;
	}
	struct store_row *s = &o->stores[o->n++];
	snprintf(s->code, sizeof s->code, "%s", code);
	snprintf(s->coop, sizeof s->coop, "%s", coop);
	return CM_OK;
}

/* Rows come by store then date, as the stores do: one pass. */
static enum cm_rc add_day(const struct hq_day_total *d, void *ctx)
{
	struct overview *o = ctx;
	static _Thread_local size_t at;
	if (at >= o->n || strcmp(o->stores[at].code, d->store) != 0)
		for (at = 0; at < o->n && strcmp(o->stores[at].code, d->store) != 0; at++)
			;
	if (at >= o->n)
		return CM_OK;
	int64_t i = day_number(d->date) - o->first_n;
	if (i >= 0 && i < o->ndays) {
		o->stores[at].net[i] = d->net;
		o->stores[at].count[i] = d->count;
	}
	return CM_OK;
}

static enum cm_rc load(struct web *w, struct overview *o)
{
	enum cm_rc rc = hqstore_stores_each(w->st, &w->scope, add_store, o);
	if (rc != CM_OK)
		return rc;
	o->cells = calloc(o->n ? o->n * 2 * (size_t)o->ndays : 1, sizeof *o->cells);
	if (!o->cells)
		return CM_NOMEM;
	for (size_t i = 0; i < o->n; i++) {
		o->stores[i].net = o->cells + i * 2 * (size_t)o->ndays;
		o->stores[i].count = o->stores[i].net + o->ndays;
	}
	return hqstore_day_totals(w->st, &w->scope, o->first, o->to, add_day, o);
}

static void change(struct html *h, int64_t now, int64_t before)
{
	if (before <= 0) {
		html_raw(h, "<td class=\"n muted\">-</td>");
		return;
	}
	int64_t pct = (now - before) * 100 / before;
	html_f(h, "<td class=\"n %s\">%+lld%%</td>", pct >= 0 ? "up" : "down", (long long)pct);
}

static void summary(struct web *w, const struct overview *o)
{
	struct html *h = &w->h;
	int last = o->ndays - 1;
	html_f(h, "<div class=\"scroll\"><table id=\"summary\"><tr><th>%s</th><th class=\"n\">",
	       _("Store"));
	html_date(h, o->to);
	html_f(h, "</th><th class=\"n\">%s ", _("Same weekday"));
	html_date(h, day_date(day_number(o->to) - 7));
	html_f(h, "</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>",
	       _("Change"), _("Sales"), _("Period total"));
	for (size_t i = 0; i < o->n; i++) {
		const struct store_row *s = &o->stores[i];
		int64_t total = 0, sales = 0;
		for (int d = o->ndays - o->days; d < o->ndays; d++) {
			total += s->net[d];
			sales += s->count[d];
		}
		html_f(h, "<tr><td><a href=\"#s-%s\">%s</a></td><td class=\"n\">", s->code, s->code);
		html_money(h, s->net[last]);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, s->net[last - 7]);
		html_raw(h, "</td>");
		change(h, s->net[last], s->net[last - 7]);
		html_f(h, "<td class=\"n\">%lld</td><td class=\"n\">", (long long)sales);
		html_money(h, total);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table></div>");
}

/* The trend: each day's average of the TREND_DAYS days up to it (days
 * before the period included, so the line starts right), as a path of
 * relative steps ("l10-3 10 1 ..."): a long period has a point a day. */
static void trend(struct html *h, const struct overview *o, const struct store_row *s,
                  int64_t max)
{
	int64_t prev = 0;
	html_raw(h, "<path class=\"trend\" vector-effect=\"non-scaling-stroke\" d=\"");
	for (int d = 0; d < o->days; d++) {
		int at = o->ndays - o->days + d;
		int64_t sum = 0;
		int n = 0;
		for (int k = at; k >= 0 && k > at - TREND_DAYS; k--, n++)
			sum += s->net[k];
		int64_t avg = n ? sum / n : 0;
		int64_t y = CHART_H - (avg > 0 ? avg * CHART_H / max : 0);
		if (d == 0) {
			html_f(h, "M%d ", BAR_STEP / 2);
			html_int(h, y);
		} else {
			html_raw(h, d == 1 ? "l10" : " 10");
			if (y - prev >= 0)
				html_raw(h, " ");
			html_int(h, y - prev);
		}
		prev = y;
	}
	html_raw(h, "\"/>");
}

static int64_t bar_height(const struct store_row *s, int at, int64_t max)
{
	return s->net[at] > 0 ? s->net[at] * CHART_H / max : 0;
}

/* A rect a bar, its date and amount as the tooltip. */
static void bars_rects(struct html *h, const struct overview *o, const struct store_row *s,
                       int64_t max)
{
	for (int d = 0; d < o->days; d++) {
		int at = o->ndays - o->days + d;
		html_raw(h, at == o->ndays - 1 ? "<rect class=\"today\" x=\"" : "<rect x=\"");
		html_int(h, d * BAR_STEP + 1);
		html_raw(h, "\" width=\"8\" height=\"");
		html_int(h, bar_height(s, at, max));
		html_raw(h, "\"><title>");
		html_date(h, day_date(o->first_n + at));
		html_raw(h, ": ");
		html_money(h, s->net[at]);
		html_raw(h, "</title></rect>");
	}
}

/* A long period, where a bar is a few pixels wide and has no tooltip:
 * every bar but today's is a stroke 8 wide of one path ("m10-63v50":
 * down to the axis 10 further on, up 50), a fifth of a rect's bytes: a
 * year of 200 stores is 73,000 bars to build and to gzip. Then today's
 * rect. */
static void bars_path(struct html *h, const struct overview *o, const struct store_row *s,
                      int64_t max)
{
	int64_t up = 0;
	html_raw(h, "<path class=\"strokes\" d=\"M-5 0");
	for (int d = 0; d < o->days - 1; d++) {
		int64_t bh = bar_height(s, o->ndays - o->days + d, max);
		html_raw(h, "m10");
		if (up)
			html_int(h, -up);
		else
			html_raw(h, " 0");
		html_raw(h, "v");
		html_int(h, bh);
		up = bh;
	}
	html_raw(h, "\"/><rect class=\"today\" x=\"");
	html_int(h, (o->days - 1) * BAR_STEP + 1);
	html_raw(h, "\" width=\"8\" height=\"");
	html_int(h, bar_height(s, o->ndays - 1, max));
	html_raw(h, "\"/>");
}

static void chart(struct web *w, const struct overview *o, const struct store_row *s)
{
	struct html *h = &w->h;
	int64_t max = 1;
	for (int d = 0; d < o->ndays; d++)
		if (s->net[d] > max)
			max = s->net[d];
	/* Stretched to the card's width; the line keeps its thickness. */
	html_f(h, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"none\" "
	       "role=\"img\" data-days=\"%d\" "
	       "aria-label=\"%s %s\">", o->days * BAR_STEP, CHART_H + 2, o->days, _("Sales per day"),
	       s->code);
	/* The bars' group is flipped (y up from the axis), so a bar needs no
	 * y. */
	html_f(h, "<g class=\"bars\" transform=\"matrix(1 0 0 -1 0 %d)\">", CHART_H);
	if (o->days > TITLES_MAX)
		bars_path(h, o, s, max);
	else
		bars_rects(h, o, s, max);
	html_raw(h, "</g>");
	trend(h, o, s, max);
	html_f(h, "<line class=\"axis\" vector-effect=\"non-scaling-stroke\" x1=\"0\" y1=\"%d\" "
	       "x2=\"%d\" y2=\"%d\"/></svg><div class=\"span\"><span>", CHART_H,
	       o->days * BAR_STEP, CHART_H);
	html_date(h, day_date(day_number(o->to) - (o->days - 1)));
	html_raw(h, "</span><span>");
	html_text(h, _("max"));
	html_raw(h, " ");
	html_money(h, max > 1 ? max : 0);
	html_raw(h, "</span><span>");
	html_date(h, o->to);
	html_raw(h, "</span></div>");
}

static void cards(struct web *w, const struct overview *o)
{
	struct html *h = &w->h;
	html_raw(h, "<div class=\"cards\">");
	for (size_t i = 0; i < o->n; i++) {
		const struct store_row *s = &o->stores[i];
		html_f(h, "<div class=\"card\" id=\"s-%s\"><b><a href=\"/web/stock?store=%s\">%s</a></b>",
		       s->code, s->code, s->code);
		if (s->coop[0])
			html_f(h, " <span class=\"muted\">%s</span>", s->coop);
		chart(w, o, s);
		html_raw(h, "</div>");
	}
	html_raw(h, "</div>");
}

static void period_form(struct web *w, const struct overview *o)
{
	struct html *h = &w->h;
	html_f(h, "<form method=\"get\" action=\"/web/\" class=\"noprint\"><label>%s "
	       "<input name=\"days\" type=\"number\" min=\"1\" max=\"%d\" value=\"%d\"></label> "
	       "<label>%s <input name=\"to\" type=\"date\" value=\"", _("Days"), DAYS_MAX, o->days,
	       _("Up to"));
	html_date(h, o->to);
	html_f(h, "\"></label> <button type=\"submit\">%s</button></form>", _("Show"));
	html_f(h, "<p class=\"muted\">%s</p>", _("Net sales (sales less refunds) per day; the line "
	                                        "is the average of the last seven days."));
}

void web_overview(struct web *w)
{
	struct overview o = { .days = DAYS_DEFAULT, .to = today() };
	const char *days = web_arg(w, "days"), *to = web_arg(w, "to");
	if (*days && ((o.days = atoi(days)) < 1 || o.days > DAYS_MAX)) {
		web_error(w, 400, _("Days must be a number from 1 to 400."));
		return;
	}
	if (*to && !(o.to = parse_date(to))) {
		web_error(w, 400, _("Dates are written YYYY-MM-DD."));
		return;
	}
	o.ndays = o.days > 7 ? o.days + TREND_DAYS - 1 : 7 + TREND_DAYS;
	o.first_n = day_number(o.to) - (o.ndays - 1);
	o.first = day_date(o.first_n);
	enum cm_rc rc = load(w, &o);
	if (rc != CM_OK) {
		web_fail_store(w, rc);
	} else {
		web_begin(w, _("Overview"));
		period_form(w, &o);
		if (o.n == 0)
			html_f(&w->h, "<p class=\"msg\">%s</p>", _("No store yet."));
		summary(w, &o);
		cards(w, &o);
		web_end(w);
		web_send(w, 200);
	}
	free(o.cells);
	free(o.stores);
}
