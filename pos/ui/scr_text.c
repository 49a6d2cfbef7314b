/* A text on its own screen, scrollable: X and Z reports. */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text_scr {
	char title[64];
	char *text;
	int nlines;
	int scroll;
};

static void free_text(void *p)
{
	struct text_scr *t = p;
	if (t)
		free(t->text);
	free(t);
}

static const char *const text_keys[] = {
	"Enter/Esc", N_("Close"), "Up/Down", N_("Scroll"), "PgUp/PgDn", N_("Page"), NULL, NULL,
};

static int text_key(struct ui *ui, struct screen *s, int key)
{
	struct text_scr *t = s->state;
	int page = LINES - 5 > 1 ? LINES - 5 : 1, max = t->nlines - page;
	if (key_is_enter(key) || key == KEY_ESC) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (key == KEY_UP)
		t->scroll--;
	else if (key == KEY_DOWN)
		t->scroll++;
	else if (key == KEY_PPAGE)
		t->scroll -= page;
	else if (key == KEY_NPAGE)
		t->scroll += page;
	else
		return RD_NONE;
	if (t->scroll > max)
		t->scroll = max;
	if (t->scroll < 0)
		t->scroll = 0;
	return RD_SCREEN;
}

static void text_draw(struct ui *ui, struct screen *s)
{
	struct text_scr *t = s->state;
	draw_header(ui, t->title);
	int w = 0;
	for (const char *p = t->text, *e; *p && (e = strchr(p, '\n')); p = e + 1)
		if (e - p > w)
			w = (int)(e - p);
	int boxw = w + 4 < COLS ? w + 4 : COLS, boxh = LINES - 3;
	draw_box(1, 0, boxh, boxw, NULL);
	int row = 0;
	for (const char *p = t->text, *e; *p && (e = strchr(p, '\n')); p = e + 1, row++) {
		if (row < t->scroll || row - t->scroll >= boxh - 2)
			continue;
		char line[128];
		snprintf(line, sizeof line, "%.*s", (int)(e - p), p);
		draw_text(2 + row - t->scroll, 2, boxw - 4, line, false);
	}
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, text_keys);
}

static const struct screen_ops text_ops = {
	.name = "text", .key = text_key, .draw = text_draw, .free = free_text,
};

void scr_text_open(struct ui *ui, const char *title, char *text)
{
	struct text_scr *t = calloc(1, sizeof *t);
	if (!t) {
		free(text);
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(t->title, sizeof t->title, "%s", title);
	t->text = text;
	for (const char *p = text; *p; p++)
		t->nlines += *p == '\n';
	ui_push(ui, &text_ops, t);
}
