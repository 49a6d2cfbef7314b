/* Drawing helpers shared by the screens: colours with a monochrome
 * fallback, the header and status bars, the key bar, big digits. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "store/store_sync.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

void draw_init_colors(struct ui *ui)
{
	ui->color = has_colors() && getenv("NO_COLOR") == NULL;
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(CP_NORMAL, -1, -1);
	init_pair(CP_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(CP_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(CP_OK, COLOR_BLACK, COLOR_GREEN);
	init_pair(CP_TOTAL, COLOR_YELLOW, -1);
	init_pair(CP_DIM, COLOR_BLUE, -1);
	init_pair(CP_KEY, COLOR_BLACK, COLOR_CYAN);
}

/* Monochrome: bars and selections in reverse video, errors bold. */
static attr_t mono_attr(enum color_pair cp)
{
	switch (cp) {
	case CP_BAR: case CP_SELECT: case CP_KEY: case CP_OK: return A_REVERSE;
	case CP_ERROR: return A_REVERSE | A_BOLD;
	case CP_TOTAL: return A_BOLD;
	case CP_DIM: return A_DIM;
	default: return A_NORMAL;
	}
}

void draw_attr_on(struct ui *ui, enum color_pair cp)
{
	if (ui->color)
		attron(COLOR_PAIR(cp) | (cp == CP_TOTAL || cp == CP_ERROR ? A_BOLD : 0));
	else
		attron(mono_attr(cp));
}

void draw_attr_off(struct ui *ui, enum color_pair cp)
{
	if (ui->color)
		attroff(COLOR_PAIR(cp) | A_BOLD);
	else
		attroff(mono_attr(cp));
}

/* Writes at most w display columns of UTF-8 text; pads with spaces. */
void draw_text(int y, int x, int w, const char *text, bool pad)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int used = 0;
	const char *p = text;
	move(y, x);
	while (*p && used < w) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			addch('?');
			used++;
			p++;
			memset(&st, 0, sizeof st);
			continue;
		}
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (used + cw > w)
			break;
		addnstr(p, (int)n);
		used += cw;
		p += n;
	}
	while (pad && used++ < w)
		addch(' ');
}

int draw_width(const char *text, size_t len)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	for (size_t i = 0; i < len && text[i];) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, text + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			wc = '?';
		}
		int cw = wcwidth(wc);
		w += cw < 0 ? 1 : cw;
		i += n;
	}
	return w;
}

/* Bytes of the longest start of p (up to end) that fits in w columns,
 * broken after a space when the rest does not fit. */
static size_t fit_words(const char *p, size_t len, int w)
{
	size_t cut = 0, last_space = 0;
	while (cut < len) {
		size_t step = 1;
		while (cut + step < len && ((unsigned char)p[cut + step] & 0xc0) == 0x80)
			step++;
		if (draw_width(p, cut + step) > w)
			break;
		cut += step;
		if (p[cut - 1] == ' ')
			last_space = cut;
	}
	if (cut < len && last_space)
		return last_space;
	return cut ? cut : (len ? 1 : 0);
}

int draw_para(int y, int x, int w, const char *text, bool draw)
{
	int rows = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		do {
			size_t n = fit_words(p, len, w);
			if (draw) {
				char buf[512];
				snprintf(buf, sizeof buf, "%.*s", (int)n, p);
				draw_text(y + rows, x, w, buf, false);
			}
			rows++;
			p += n;
			len -= n;
		} while (len);
		p += e ? 1 : 0;
	}
	return rows;
}

void draw_money(char *buf, size_t n, cm_money v)
{
	money_format(v, NULL, buf, n);
}

void draw_clock(char *buf, size_t n, int64_t t)
{
	static const char *const days[] = {
		N_("Sun"), N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
	};
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	snprintf(buf, n, "%s %02d/%02d/%04d %02d:%02d", _(days[tm.tm_wday]), tm.tm_mday,
	         tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void draw_header(struct ui *ui, const char *title)
{
	const struct till_config *c = till_config(ui->till);
	const struct user_rec *u = till_user(ui->till);
	char left[200], clock[48], who[100] = "";
	draw_clock(clock, sizeof clock, till_now(ui->till));
	if (u)
		snprintf(who, sizeof who, " | %s %s %s", _("Cashier:"), u->number, u->name);
	/* The screen's title before the cashier: when the bar is too narrow
	 * the name is cut, and then the store's name (on every screen, and
	 * on the receipts) goes before the title is cut. */
	int cw = (int)strlen(clock) + 2;
	int w = COLS - cw > 0 ? COLS - cw : 0;
	snprintf(left, sizeof left, " %s | %s%s%s", c->store_name, c->terminal,
	         title ? " | " : "", title ? title : "");
	if (title && draw_width(left, strlen(left)) > w)
		snprintf(left, sizeof left, " %s | %s", c->terminal, title);
	snprintf(left + strlen(left), sizeof left - strlen(left), "%s", who);
	draw_attr_on(ui, CP_BAR);
	draw_text(0, 0, w, left, true);
	draw_text(0, w, COLS - w, " ", true);
	draw_text(0, w + 1, COLS - w - 1, clock, true);
	draw_attr_off(ui, CP_BAR);
}

/* "Sync: 29/11 07:30, 3 waiting", "Sync: never, 12 waiting" or
 * "Sync: ALERT, 12 waiting": what the sync agent (a separate process)
 * last achieved, read from the store on every redraw. */
static void sync_text(struct ui *ui, char *buf, size_t n)
{
	struct sync_summary s;
	char when[32], waiting[48];
	if (store_sync_summary(till_store(ui->till), &s) != CM_OK) {
		snprintf(buf, n, "%s", _("Sync: unknown"));
		return;
	}
	snprintf(waiting, sizeof waiting, _("%lld waiting"), (long long)s.waiting);
	if (s.open_alerts) {
		snprintf(buf, n, "%s, %s", _("Sync: ALERT"), waiting);
		return;
	}
	if (!s.last_ok_at) {
		snprintf(buf, n, "%s, %s", _("Sync: never"), waiting);
		return;
	}
	time_t t = (time_t)s.last_ok_at, now = (time_t)till_now(ui->till);
	struct tm tm, today;
	localtime_r(&t, &tm);
	localtime_r(&now, &today);
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		snprintf(when, sizeof when, "%02d:%02d", tm.tm_hour, tm.tm_min);
	else
		snprintf(when, sizeof when, "%02d/%02d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
		         tm.tm_hour, tm.tm_min);
	snprintf(buf, n, _("Sync: %s, %s"), when, waiting);
}

/* "Printer: ready", "Printer: paper out, 2 waiting"; "Printer: file" for
 * the text spool of a till without a printer set. */
static void printer_text(struct ui *ui, char *buf, size_t n)
{
	static const char *const words[] = {
		[PRINTQ_READY] = N_("ready"), [PRINTQ_PAPER_LOW] = N_("paper low"),
		[PRINTQ_PAPER_OUT] = N_("paper out"), [PRINTQ_COVER_OPEN] = N_("cover open"),
		[PRINTQ_ERROR] = N_("error"), [PRINTQ_OFFLINE] = N_("offline"),
		[PRINTQ_NONE] = N_("none"),
	};
	const struct printq_status *p = &ui->printer;
	const char *word = _(words[p->state]);
	char waiting[48];

	if (p->state == PRINTQ_READY && !till_config(ui->till)->printer[0])
		word = _("file");
	if (p->waiting <= 0) {
		snprintf(buf, n, _("Printer: %s"), word);
		return;
	}
	snprintf(waiting, sizeof waiting, ngettext("%lld receipt waiting", "%lld receipts waiting",
	                                           (unsigned long)p->waiting),
	         (long long)p->waiting);
	snprintf(buf, n, _("Printer: %s, %s"), word, waiting);
}

/* The status bar must fit the narrowest till (80 columns) in either
 * language, and the scanner's state must never be the part cut off: the
 * separators narrow first, then an empty member field goes, then the sync
 * backlog, and only then is the middle cut, the scanner kept whole at the
 * right. */
void draw_status(struct ui *ui, int row)
{
	const struct member_rec *m = ui->sale ? sale_member(ui->sale) : NULL;
	char line[480], member[120], sync[120], printer[120];
	const char *scanner = hw_scanner_text(ui);
	if (m)
		snprintf(member, sizeof member, "%s %s %s", _("Member:"), m->number, m->name);
	else
		snprintf(member, sizeof member, "%s -", _("Member:"));
	sync_text(ui, sync, sizeof sync);
	printer_text(ui, printer, sizeof printer);
	snprintf(line, sizeof line, " %s  |  %s  |  %s  |  %s", member, sync, printer, scanner);
	if (draw_width(line, strlen(line)) > COLS)
		snprintf(line, sizeof line, " %s | %s | %s | %s", member, sync, printer, scanner);
	if (draw_width(line, strlen(line)) > COLS && !m)
		snprintf(line, sizeof line, " %s | %s | %s", sync, printer, scanner);
	if (draw_width(line, strlen(line)) > COLS && strchr(sync, ',')) {
		/* The sync agent's backlog is the cashier's least concern. */
		*strchr(sync, ',') = '\0';
		snprintf(line, sizeof line, m ? " %s | %s | %s | %s" : " %s%s | %s | %s", m ? member : "",
		         sync, printer, scanner);
	}
	draw_attr_on(ui, CP_DIM);
	mvhline(row, 0, ' ', COLS);
	int sw = draw_width(scanner, strlen(scanner)) + 3;
	if (draw_width(line, strlen(line)) > COLS && COLS > sw) {
		line[strlen(line) - strlen(scanner) - 3] = '\0';
		draw_text(row, 0, COLS - sw, line, false);
		draw_text(row, COLS - sw, sw, " | ", false);
		draw_text(row, COLS - sw + 3, sw - 3, scanner, false);
	} else {
		draw_text(row, 0, COLS, line, false);
	}
	draw_attr_off(ui, CP_DIM);
}

/* The first two rows of text wrapped to w columns from row y. */
static void draw_two_rows(int y, int x, int w, const char *text)
{
	size_t len = strlen(text), n = fit_words(text, len, w);
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s", (int)n, text);
	draw_text(y, x, w, buf, false);
	draw_text(y + 1, x, w, text + n, false);
}

int draw_message_rows(struct ui *ui)
{
	if (!ui->msg[0] || COLS < 3)
		return 1;
	return draw_para(0, 0, COLS - 2, ui->msg, false) > 1 ? 2 : 1;
}

void draw_message(struct ui *ui, int row)
{
	int rows = draw_message_rows(ui);
	for (int r = row - rows + 1; r <= row; r++) {
		move(r, 0);
		clrtoeol();
	}
	if (!ui->msg[0])
		return;
	enum color_pair cp = ui->msg_kind == MSG_ERROR ? CP_ERROR : ui->msg_kind == MSG_OK ? CP_OK : CP_NORMAL;
	draw_attr_on(ui, cp);
	if (rows == 1) {
		char text[340];
		snprintf(text, sizeof text, " %s ", ui->msg);
		draw_text(row, 0, COLS, text, false);
	} else {
		/* Two rows, the coloured band across both; what would need a
		 * third is cut. */
		char first[340];
		mvhline(row - 1, 0, ' ', COLS);
		mvhline(row, 0, ' ', COLS);
		int w = COLS - 2;
		snprintf(first, sizeof first, "%s", ui->msg);
		draw_two_rows(row - 1, 1, w, first);
	}
	draw_attr_off(ui, cp);
}

/* The bar's width with a space after each entry but the last. */
static int keys_width(const char *const *keys)
{
	int w = -1;
	for (int i = 0; keys[i] && keys[i + 1]; i += 2)
		w += (int)strlen(keys[i]) + (int)strlen(_(keys[i + 1])) + 1;
	return w;
}

void draw_keys(struct ui *ui, int row, const char *const *keys)
{
	move(row, 0);
	clrtoeol();
	/* Too wide with spaces: packed, as htop's bar is (the label's colour
	 * shows where an entry ends), so that more keys fit. */
	int gap = keys_width(keys) > COLS ? 0 : 1, x = 0;
	for (int i = 0; keys[i] && keys[i + 1]; i += 2) {
		const char *label = _(keys[i + 1]);
		int need = (int)strlen(keys[i]) + (int)strlen(label);
		if (x + need > COLS)
			break;
		mvaddstr(row, x, keys[i]);
		x += (int)strlen(keys[i]);
		draw_attr_on(ui, CP_KEY);
		draw_text(row, x, (int)strlen(label), label, true);
		draw_attr_off(ui, CP_KEY);
		x += (int)strlen(label) + gap;
	}
}

/* 3x5 glyphs; '#' is a lit cell. */
static const char *glyph(char c)
{
	switch (c) {
	case '0': return "####.##.##.####";
	case '1': return ".#.##..#..#.###";
	case '2': return "###..#####..###";
	case '3': return "###..#.##..####";
	case '4': return "#.##.####..#..#";
	case '5': return "####..###..####";
	case '6': return "####..####.####";
	case '7': return "###..#..#..#..#";
	case '8': return "####.#####.####";
	case '9': return "####.####..####";
	case '-': return "......###......";
	default: return NULL;
	}
}

static int big_width(const char *text, int scale)
{
	int w = 0;
	for (const char *p = text; *p; p++)
		w += glyph(*p) ? (3 * scale + 1) : (*p == '.' ? scale + 1 : 0);
	return w;
}

/* A lit cell: a full block where the terminal speaks UTF-8 (it then also
 * shows in a text capture of the screen), else a reverse-video '#'. */
static void big_cell(int y, int x)
{
	static int utf8 = -1;
	if (utf8 < 0) {
		const char *cs = setlocale(LC_CTYPE, NULL);
		utf8 = cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8"));
	}
	if (utf8)
		mvaddstr(y, x, "\u2588");
	else
		mvaddch(y, x, '#' | A_REVERSE);
}

static void big_draw(int row, int x, const char *text, int scale)
{
	for (const char *p = text; *p; p++) {
		const char *g = glyph(*p);
		if (*p == '.') {
			for (int s = 0; s < scale; s++)
				big_cell(row + 4, x + s);
			x += scale + 1;
			continue;
		}
		if (!g)
			continue;
		for (int r = 0; r < 5; r++)
			for (int c = 0; c < 3; c++)
				if (g[r * 3 + c] == '#')
					for (int s = 0; s < scale; s++)
						big_cell(row + r, x + c * scale + s);
		x += 3 * scale + 1;
	}
}

int draw_big(struct ui *ui, int row, int right, int maxw, const char *text)
{
	(void)ui;
	for (int scale = 2; scale >= 1; scale--) {
		int w = big_width(text, scale);
		if (w <= maxw) {
			big_draw(row, right - w, text, scale);
			return w;
		}
	}
	return 0;
}

void draw_box(int y, int x, int h, int w, const char *title)
{
	for (int r = y; r < y + h; r++)
		mvhline(r, x, ' ', w);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title) {
		attron(A_BOLD);
		draw_text(y, x + 2, w - 4, title, false);
		attroff(A_BOLD);
	}
}
