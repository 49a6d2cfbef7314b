/* The receipt after a sale (and reprints): the text that went to the
 * spool file, and the change to give, big. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct receipt_scr {
	char *text;
	cm_money change;    /* -1 for a reprint */
	int scroll;
	int nlines;
};

static void free_receipt(void *p)
{
	struct receipt_scr *r = p;
	if (r)
		free(r->text);
	free(r);
}

static const char *const receipt_keys[] = {
	"Enter", N_("New sale"), "Up/Down", N_("Scroll"), NULL, NULL,
};

static int receipt_key(struct ui *ui, struct screen *s, int key)
{
	struct receipt_scr *r = s->state;
	if (key_is_enter(key) || key == KEY_ESC) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (key == KEY_UP && r->scroll > 0)
		r->scroll--;
	else if (key == KEY_DOWN && r->scroll + 1 < r->nlines)
		r->scroll++;
	else
		return RD_NONE;
	return RD_SCREEN;
}

/* The next customer's first item: the receipt goes, the sale rings it up. */
static int receipt_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	return scr_sale_scan(ui, code);
}

static void receipt_draw(struct ui *ui, struct screen *s)
{
	struct receipt_scr *r = s->state;
	draw_header(ui, r->change < 0 ? _("Reprint") : _("Receipt"));
	int w = 0;
	for (const char *p = r->text, *e; *p; p = e + 1) {
		e = strchr(p, '\n');
		if (!e)
			break;
		if (e - p > w)
			w = (int)(e - p);
	}
	int boxw = w + 4, boxh = LINES - 3;
	draw_box(1, 0, boxh, boxw < COLS ? boxw : COLS, NULL);
	int row = 0;
	for (const char *p = r->text, *e; *p && (e = strchr(p, '\n')); p = e + 1, row++) {
		if (row < r->scroll || row - r->scroll >= boxh - 2)
			continue;
		char line[128];
		snprintf(line, sizeof line, "%.*s", (int)(e - p), p);
		draw_text(2 + row - r->scroll, 2, boxw - 4, line, false);
	}
	int x = boxw + 2;
	if (r->change >= 0 && x + 20 < COLS) {
		char digits[32];
		attron(A_BOLD);
		mvaddstr(3, x, _("CHANGE"));
		attroff(A_BOLD);
		money_format(r->change, &(struct money_fmt){ .symbol = "" }, digits, sizeof digits);
		draw_attr_on(ui, CP_TOTAL);
		mvaddstr(9, x, "Rp");
		if (!draw_big(ui, 5, COLS - 1, COLS - x - 4, digits)) {
			char a[32];
			money_format(r->change, NULL, a, sizeof a);
			mvaddstr(6, x, a);
		}
		draw_attr_off(ui, CP_TOTAL);
	}
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, receipt_keys);
}

static const struct screen_ops receipt_ops = {
	.name = "receipt", .key = receipt_key, .draw = receipt_draw, .free = free_receipt,
	.scan = receipt_scan,
};

void scr_receipt_open(struct ui *ui, int64_t sale_id, bool reprint, cm_money change)
{
	struct sale_record rec;
	if (history_load(ui->till, sale_id, NULL, &rec) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	char *text = history_receipt(ui->till, &rec, 0, reprint);
	history_free(&rec);
	struct receipt_scr *r = calloc(1, sizeof *r);
	if (!text || !r) {
		free(text);
		free(r);
		ui_error(ui, _("out of memory"));
		return;
	}
	r->text = text;
	r->change = reprint ? -1 : change;
	for (const char *p = text; *p; p++)
		r->nlines += *p == '\n';
	/* The printing itself is the print worker's: the receipt was queued
	 * with the sale (or the reprint), so a printer failure loses no paper
	 * for good. */
	ui_print_kick(ui);
	ui_push(ui, &receipt_ops, r);
}
