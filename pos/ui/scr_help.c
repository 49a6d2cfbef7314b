/* Help: the key map of the sale screen, from its own table (scr_sale.c),
 * so the help cannot tell another story than the keys do. */
#include "ui/ui_int.h"

static int help_key(struct ui *ui, struct screen *s, int key)
{
	(void)s;
	(void)key;
	ui_pop(ui);
	return RD_SCREEN;
}

static void help_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	(void)s;
	const char *name, *help;
	int n = 0;
	while (scr_sale_key_help((size_t)n, &name, &help))
		n++;
	/* The blank rows inside the box go first when the screen is short. */
	int w = COLS - 4 < 76 ? COLS - 4 : 76, h = n + 4 <= LINES ? n + 4 : n + 2;
	int top = h == n + 4 ? 2 : 1;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	draw_box(y, x, h, w, _(" Keys (any key closes) "));
	for (int i = 0; i < n && scr_sale_key_help((size_t)i, &name, &help); i++) {
		attron(A_BOLD);
		draw_text(y + top + i, x + 2, 16, _(name), false);
		attroff(A_BOLD);
		draw_text(y + top + i, x + 19, w - 21, _(help), false);
	}
}

/* Any key closes the help, a scan too: it goes on to the sale below. */
static int help_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	return scr_sale_scan(ui, code);
}

static const struct screen_ops help_ops = {
	.name = "help", .key = help_key, .draw = help_draw, .scan = help_scan, .overlay = true,
};

void scr_help_open(struct ui *ui)
{
	ui_push(ui, &help_ops, NULL);
}
