/* A yes/no question before an irreversible step (cancelling a whole
 * ticket, a Z report, posting a delivery): what will happen, in words,
 * over the current screen. Enter says yes, Esc says no; nothing else
 * answers, so a stray key cannot do it, nor a code a scanner types. */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct confirm {
	char title[96];
	char text[640];
	confirm_fn yes;
	void *ctx;
	char typed[64]; /* what a keyboard-wedge scanner typed before its Enter */
};

static void free_confirm(void *p)
{
	struct confirm *c = p;
	if (c)
		free(c->ctx);
	free(c);
}

static int confirm_scan(struct ui *ui, struct screen *s, const char *code);

static int confirm_key(struct ui *ui, struct screen *s, int key)
{
	struct confirm *c = s->state;
	size_t n = strlen(c->typed);
	if (key == KEY_ESC) {
		ui_pop(ui);
		ui_msg(ui, MSG_INFO, "%s", _("Nothing changed."));
		return RD_SCREEN;
	}
	/* A keyboard-wedge scanner types its code and then Enter: that
	 * Enter is the scan's, not a yes. */
	if (key >= 0x20 && key < 0x7f) {
		if (n + 1 < sizeof c->typed) {
			c->typed[n] = (char)key;
			c->typed[n + 1] = '\0';
		}
		return RD_NONE;
	}
	if (!key_is_enter(key))
		return RD_NONE;
	if (n) {
		char code[sizeof c->typed];
		snprintf(code, sizeof code, "%s", c->typed);
		c->typed[0] = '\0';
		return confirm_scan(ui, s, code);
	}
	confirm_fn yes = c->yes;
	void *ctx = c->ctx;
	c->ctx = NULL;
	ui_pop(ui);
	yes(ui, ctx);
	free(ctx);
	return RD_SCREEN;
}

static int confirm_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	ui_msg(ui, MSG_ERROR, _("Scan %s ignored: answer the question first (Enter: yes, Esc: no)."), code);
	beep();
	return RD_SCREEN;
}

static void confirm_draw(struct ui *ui, struct screen *s)
{
	struct confirm *c = s->state;
	int w = COLS - 4 < 74 ? COLS - 4 : 74;
	int nl = draw_para(0, 0, w - 4, c->text, false), h = nl + 6;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	draw_attr_on(ui, CP_NORMAL);
	draw_box(y, x, h, w, c->title);
	draw_para(y + 2, x + 2, w - 4, c->text, true);
	attron(A_BOLD);
	draw_text(y + 3 + nl, x + 2, w - 4, _("Enter: yes   Esc: no"), false);
	attroff(A_BOLD);
	draw_attr_off(ui, CP_NORMAL);
}

static const struct screen_ops confirm_ops = {
	.name = "confirm", .key = confirm_key, .draw = confirm_draw, .free = free_confirm,
	.scan = confirm_scan, .overlay = true,
};

void dlg_confirm_open(struct ui *ui, const char *title, const char *text, confirm_fn yes,
                      void *ctx)
{
	struct confirm *c = calloc(1, sizeof *c);
	if (!c) {
		free(ctx);
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(c->title, sizeof c->title, " %s ", title);
	snprintf(c->text, sizeof c->text, "%s", text);
	c->yes = yes;
	c->ctx = ctx;
	ui_push(ui, &confirm_ops, c);
}
