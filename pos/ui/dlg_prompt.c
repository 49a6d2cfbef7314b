/* A one-line input dialog over the current screen: quantity, amount,
 * discount, member number, hold label, card reference. */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>

struct prompt {
	char title[96];
	char label[64];
	enum prompt_kind kind;
	prompt_fn done;
	void *ctx;
	char text[48];
};

static void free_prompt(void *p)
{
	struct prompt *pr = p;
	if (pr)
		free(pr->ctx);
	free(pr);
}

static bool accepts(enum prompt_kind kind, int key)
{
	switch (kind) {
	case PROMPT_DIGITS: return key >= '0' && key <= '9';
	case PROMPT_AMOUNT: return (key >= '0' && key <= '9') || key == '.';
	case PROMPT_QTY: return (key >= '0' && key <= '9') || key == ',' || key == '.';
	default: return key >= 0x20 && key < 0x7f;
	}
}

static int prompt_key(struct ui *ui, struct screen *s, int key)
{
	struct prompt *p = s->state;
	size_t n = strlen(p->text);
	if (key == KEY_ESC) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (key_is_enter(key)) {
		char text[48];
		memcpy(text, p->text, sizeof text);
		prompt_fn done = p->done;
		void *ctx = p->ctx;
		p->ctx = NULL;
		ui_pop(ui);
		done(ui, text, ctx);
		free(ctx);
		return RD_SCREEN;
	}
	if (key_is_backspace(key)) {
		if (n)
			p->text[n - 1] = '\0';
		return RD_SCREEN;
	}
	if (accepts(p->kind, key) && n + 1 < sizeof p->text) {
		p->text[n] = (char)key;
		p->text[n + 1] = '\0';
		return RD_SCREEN;
	}
	return RD_NONE;
}

static void prompt_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	struct prompt *p = s->state;
	int w = 56 < COLS ? 56 : COLS, h = 7;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	draw_box(y, x, h, w, p->title);
	mvprintw(y + 2, x + 2, "%s ", p->label);
	attron(A_REVERSE);
	printw("%-20s", p->text);
	attroff(A_REVERSE);
	draw_text(y + 4, x + 2, w - 4, _("Enter: OK   Esc: cancel"), false);
}

static const struct screen_ops prompt_ops = {
	.name = "prompt", .key = prompt_key, .draw = prompt_draw, .free = free_prompt,
	.overlay = true,
};

void dlg_prompt_open(struct ui *ui, const char *title, const char *label,
                     enum prompt_kind kind, prompt_fn done, void *ctx)
{
	struct prompt *p = calloc(1, sizeof *p);
	if (!p) {
		free(ctx);
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(p->title, sizeof p->title, " %s ", title);
	snprintf(p->label, sizeof p->label, "%s", label);
	p->kind = kind;
	p->done = done;
	p->ctx = ctx;
	ui_push(ui, &prompt_ops, p);
}
