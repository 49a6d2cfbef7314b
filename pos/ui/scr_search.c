/* Search: incremental name search (FTS5 prefixes), arrows through the
 * results, Enter adds, F3 checks the price without adding. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_MAX 50

struct search {
	char query[48];
	struct item_rec results[SEARCH_MAX];
	size_t n;
	int sel;
};

static const char *const search_keys[] = {
	"Enter", N_("Add"), "F3", N_("Price check"), "Up/Down", N_("Choose"), "Esc", N_("Back"),
	NULL, NULL,
};

static void refresh_results(struct ui *ui, struct search *s)
{
	s->n = 0;
	s->sel = 0;
	if (!s->query[0])
		return;
	if (store_item_search(till_store(ui->till), s->query, s->results, SEARCH_MAX, &s->n) != CM_OK)
		ui_error(ui, store_errmsg(till_store(ui->till)));
}

static void got_weight(struct ui *ui, const char *text, void *ctx)
{
	int64_t *id = ctx;
	cm_qty q;
	if (qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("That is not a weight (e.g. 0,75)."));
		return;
	}
	struct sale *s = ui_sale(ui);
	if (s && sale_add_item(s, *id, q) != CM_OK)
		ui_error(ui, sale_errmsg(s));
	else if (s) {
		ui_pop_to(ui, "sale");
		scr_sale_follow_last(ui);
	}
}

static void add_chosen(struct ui *ui, struct search *s)
{
	const struct item_rec *it = &s->results[s->sel];
	if (it->weighed) {
		int64_t *id = malloc(sizeof *id);
		if (!id)
			return;
		*id = it->id;
		dlg_prompt_open(ui, it->name, _("Weight in kg:"), PROMPT_QTY, got_weight, id);
		return;
	}
	struct sale *sale = ui_sale(ui);
	if (!sale)
		return;
	if (sale_add_item(sale, it->id, CM_QTY_ONE) != CM_OK) {
		ui_error(ui, sale_errmsg(sale));
		return;
	}
	ui->msg[0] = '\0';
	ui_pop(ui);
	scr_sale_follow_last(ui);
}

static void price_check(struct ui *ui, struct search *s)
{
	const struct item_rec *it = &s->results[s->sel];
	char p[32], m[32], q[24];
	money_format(it->price, NULL, p, sizeof p);
	money_format(it->member_price ? it->member_price : it->price, NULL, m, sizeof m);
	qty_format(store_stock_level(till_store(ui->till), it->id), q, sizeof q);
	ui_msg(ui, MSG_INFO, _("%s: %s per %s, members %s, in stock %s"), it->name, p, it->unit, m, q);
}

static int search_key(struct ui *ui, struct screen *scr, int key)
{
	struct search *s = scr->state;
	size_t n = strlen(s->query);
	if (key == KEY_ESC) {
		ui->msg[0] = '\0';
		ui_pop(ui);
	} else if (key_is_enter(key)) {
		if (s->n)
			add_chosen(ui, s);
	} else if (key == KEY_F(3)) {
		if (s->n)
			price_check(ui, s);
	} else if (key == KEY_UP) {
		if (s->sel > 0)
			s->sel--;
	} else if (key == KEY_DOWN) {
		if (s->sel + 1 < (int)s->n)
			s->sel++;
	} else if (key_is_backspace(key)) {
		if (n)
			s->query[n - 1] = '\0';
		refresh_results(ui, s);
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof s->query) {
		s->query[n] = (char)key;
		s->query[n + 1] = '\0';
		refresh_results(ui, s);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* A scanned item needs no search: the search goes, the sale rings it up. */
static int search_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	ui->msg[0] = '\0';
	return scr_sale_scan(ui, code);
}

static void search_draw(struct ui *ui, struct screen *scr)
{
	struct search *s = scr->state;
	draw_header(ui, _("Find item"));
	attron(A_BOLD);
	mvprintw(2, 1, "%s ", _("Name:"));
	attroff(A_BOLD);
	printw("%s_", s->query);
	int namew = COLS - 44;
	attron(A_BOLD);
	draw_text(4, 1, namew - 1, _("Item"), true);
	mvprintw(4, 1 + namew, "%-14s %13s %13s", _("SKU"), _("Price"), _("Member"));
	attroff(A_BOLD);
	int rows = LINES - 9;
	int first = s->sel >= rows ? s->sel - rows + 1 : 0;
	for (int r = 0; r < rows && first + r < (int)s->n; r++) {
		const struct item_rec *it = &s->results[first + r];
		char p[32], m[32];
		money_format(it->price, NULL, p, sizeof p);
		money_format(it->member_price ? it->member_price : it->price, NULL, m, sizeof m);
		bool sel = first + r == s->sel;
		if (sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(5 + r, 0, ' ', COLS);
		draw_text(5 + r, 1, namew - 1, it->name, true);
		mvprintw(5 + r, 1 + namew, "%-14.14s %13s %13s", it->sku, p, m);
		if (sel)
			draw_attr_off(ui, CP_SELECT);
	}
	if (s->query[0] && !s->n)
		draw_text(6, 1, COLS - 2, _("Nothing found. Type the start of each word, e.g. \"ind gor\"."), false);
	draw_message(ui, LINES - 3);
	draw_status(ui, LINES - 2);
	draw_keys(ui, LINES - 1, search_keys);
}

static const struct screen_ops search_ops = {
	.name = "search", .key = search_key, .draw = search_draw, .free = free,
	.scan = search_scan,
};

void scr_search_open(struct ui *ui)
{
	struct search *s = calloc(1, sizeof *s);
	if (!s)
		return;
	/* The sale screen's last message (an unknown code ...) is not about
	 * the search. */
	ui->msg[0] = '\0';
	ui_push(ui, &search_ops, s);
}
