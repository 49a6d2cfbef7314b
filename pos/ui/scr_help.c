/* Help: the key map of the sale screen. */
#include "ui/ui_int.h"

static const char *const help_lines[][2] = {
	{ N_("digits + Enter"), N_("look up a barcode or item code (a scanner does this)") },
	{ N_("3 * then scan"), N_("sell 3 of the item (0,75 * for 0,75 kg)") },
	{ "F2", N_("find an item by name") },
	{ "F3", N_("change the quantity of the chosen line") },
	/* xgettext:no-c-format */
	{ "F4", N_("discount on the chosen line (10% or 5.000)") },
	{ "Ctrl-T", N_("discount on the whole ticket") },
	{ "F5", N_("price override (supervisor)") },
	{ "F6 / F7", N_("put the ticket on hold / resume a held ticket") },
	{ "F8", N_("void the chosen line (after subtotal: supervisor)") },
	{ "F9", N_("cancel the whole ticket (supervisor)") },
	{ "F10", N_("pay") },
	{ "F11", N_("attach a member (or scan the member card)") },
	{ "F12", N_("reprint the last receipt") },
	{ N_("Up/Down"), N_("choose a line") },
	{ "Esc", N_("clear the input") },
	{ "Ctrl-O", N_("manager menu: shift, cash, X/Z, returns, stock") },
	{ "Ctrl-D", N_("open the cash drawer without a sale (supervisor)") },
	{ "Ctrl-X", N_("log out") },
};

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
	int n = (int)(sizeof help_lines / sizeof help_lines[0]);
	int w = COLS - 4 < 76 ? COLS - 4 : 76, h = n + 4;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	draw_box(y, x, h, w, _(" Keys (any key closes) "));
	for (int i = 0; i < n; i++) {
		attron(A_BOLD);
		draw_text(y + 2 + i, x + 2, 16, _(help_lines[i][0]), false);
		attroff(A_BOLD);
		draw_text(y + 2 + i, x + 19, w - 21, _(help_lines[i][1]), false);
	}
}

static const struct screen_ops help_ops = {
	.name = "help", .key = help_key, .draw = help_draw, .overlay = true,
};

void scr_help_open(struct ui *ui)
{
	ui_push(ui, &help_ops, NULL);
}
