/* The sale screen: ticket lines, the running total, the input line, and
 * the keys for everything a cashier does during a sale. Digits + Enter
 * (typed, or a keyboard-wedge scanner's burst) look up a barcode or SKU;
 * "3*" before it multiplies. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sale_scr {
	char input[40];
	cm_qty mult;        /* typed before '*', 0 = none */
	int sel;            /* selected line index, -1 = follow the last line */
};

/* An action that may need a supervisor: redone with the approval. */
enum act_kind { DO_VOID, DO_QTY, DO_LINE_DISC, DO_TICKET_DISC, DO_PRICE, DO_CANCEL };

struct pending {
	enum act_kind kind;
	int32_t line_no;
	enum disc_kind disc;
	int64_t value;
};

/* xgettext:no-c-format */
static const char disc_prompt[] = N_("10% or 5.000:");


static struct sale_scr *state_of(struct ui *ui)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (strcmp(ui->stack[i].ops->name, "sale") == 0)
			return ui->stack[i].state;
	return NULL;
}

static const struct line_rec *selected(struct ui *ui, struct sale_scr *ss)
{
	if (!ui->sale || !sale_line_count(ui->sale))
		return NULL;
	int n = (int)sale_line_count(ui->sale);
	int i = ss->sel < 0 || ss->sel >= n ? n - 1 : ss->sel;
	return sale_line(ui->sale, (size_t)i);
}

static enum cm_rc run(struct ui *ui, const struct pending *p, const struct approval *ap)
{
	struct sale *s = ui->sale;
	switch (p->kind) {
	case DO_VOID: return sale_void_line(s, p->line_no, ap);
	case DO_QTY: return sale_set_qty(s, p->line_no, p->value, ap);
	case DO_LINE_DISC: return sale_line_discount(s, p->line_no, p->disc, p->value, ap);
	case DO_TICKET_DISC: return sale_ticket_discount(s, p->disc, p->value, ap);
	case DO_PRICE: return sale_price_override(s, p->line_no, p->value, ap);
	default: return sale_cancel(s, ap);
	}
}

static void perform(struct ui *ui, const struct pending *p, const struct approval *ap);

static void approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	perform(ui, ctx, ap);
}

static void perform(struct ui *ui, const struct pending *p, const struct approval *ap)
{
	if (!ui->sale)
		return;
	enum cm_rc rc = run(ui, p, ap);
	if (rc == CM_NEED_OVERRIDE) {
		/* The engine says what the supervisor is to see and approve
		 * (again, when the figures changed since an approval). */
		struct pending *copy = malloc(sizeof *copy);
		if (!copy) {
			ui_error(ui, _("out of memory"));
			return;
		}
		*copy = *p;
		dlg_override_open_need(ui, approved, copy);
		if (ap)
			ui_msg(ui, MSG_ERROR, "%s", sale_errmsg(ui->sale));
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	if (p->kind == DO_CANCEL) {
		ui_sale_done(ui);
		ui_msg(ui, MSG_OK, "%s", _("Ticket cancelled."));
		return;
	}
	ui_msg(ui, MSG_OK, "%s", _("Done."));
}

/* ---- prompts ---- */

static bool parse_discount(const char *text, enum disc_kind *kind, int64_t *value)
{
	size_t n = strlen(text);
	if (n && text[n - 1] == '%') {
		char num[32];
		cm_qty q;
		snprintf(num, sizeof num, "%.*s", (int)(n - 1), text);
		if (qty_parse(num, true, &q) != CM_OK || q > 100 * CM_QTY_ONE)
			return false;
		*kind = DISC_PERCENT;
		*value = q / 10; /* thousandths of a percent -> basis points */
		return *value > 0;
	}
	cm_money m;
	if (money_parse(text, &m) != CM_OK)
		return false;
	*kind = DISC_AMOUNT;
	*value = m;
	return true;
}

static void got_qty(struct ui *ui, const char *text, void *ctx)
{
	struct pending *p = ctx;
	cm_qty q;
	if (qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("That is not a quantity (e.g. 3 or 0,75)."));
		dlg_prompt_again(ui);
		return;
	}
	p->value = q;
	perform(ui, p, NULL);
}

static void got_discount(struct ui *ui, const char *text, void *ctx)
{
	struct pending *p = ctx;
	if (!parse_discount(text, &p->disc, &p->value)) {
		ui_error(ui, _("Type a percentage (10%) or an amount (5.000)."));
		dlg_prompt_again(ui);
		return;
	}
	perform(ui, p, NULL);
}

static void got_price(struct ui *ui, const char *text, void *ctx)
{
	struct pending *p = ctx;
	cm_money m;
	if (money_parse(text, &m) != CM_OK) {
		ui_error(ui, _("That is not an amount in rupiah."));
		dlg_prompt_again(ui);
		return;
	}
	p->value = m;
	perform(ui, p, NULL);
}

static void got_member(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct sale *s = ui_sale(ui);
	if (!s)
		return;
	if (sale_attach_member(s, text) != CM_OK) {
		ui_error(ui, sale_errmsg(s));
		dlg_prompt_again(ui);
	} else {
		ui_msg(ui, MSG_OK, _("Member %s %s attached: member prices apply."),
		       sale_member(s)->number, sale_member(s)->name);
		dlg_member_open(ui);
	}
}

static void got_label(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	if (!ui->sale)
		return;
	if (sale_suspend(ui->sale, text) != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		dlg_prompt_again(ui);
		return;
	}
	ui_sale_done(ui);
	ui_msg(ui, MSG_OK, "%s", _("Ticket on hold. F7 resumes it."));
}

static void cancel_confirmed(struct ui *ui, void *ctx)
{
	(void)ctx;
	struct pending c = { .kind = DO_CANCEL };
	perform(ui, &c, NULL);
}

/* F9: a ticket with lines is not thrown away on one key. */
static void ask_cancel(struct ui *ui)
{
	size_t n = sale_live_lines(ui->sale);
	if (!sale_has_content(ui->sale)) {
		cancel_confirmed(ui, NULL);
		return;
	}
	char text[320], total[32];
	money_format(sale_totals(ui->sale)->total + sale_totals(ui->sale)->dues, NULL, total,
	             sizeof total);
	snprintf(text, sizeof text, ngettext("The ticket's %zu line (%s) is cancelled and the customer\n"
	                                     "pays nothing. Journaled; it cannot be undone.",
	                                     "All %zu lines of the ticket (%s) are cancelled and the\n"
	                                     "customer pays nothing. Journaled; it cannot be undone.",
	                                     (unsigned long)n), n, total);
	dlg_confirm_open(ui, _("Cancel the whole ticket?"), text, cancel_confirmed, NULL);
}

static struct pending *line_pending(struct ui *ui, struct sale_scr *ss, enum act_kind k)
{
	const struct line_rec *l = selected(ui, ss);
	if (!l || l->voided) {
		ui_error(ui, _("Choose a line first (arrow keys)."));
		return NULL;
	}
	struct pending *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, _("out of memory"));
		return NULL;
	}
	p->kind = k;
	p->line_no = l->line_no;
	return p;
}

/* ---- keys ---- */

/* Rings up code (typed, or from a scanner device) with the multiplier
 * typed before it. */
static void scan_code(struct ui *ui, struct sale_scr *ss, const char *code)
{
	struct sale *s = ui_sale(ui);
	if (!s) {
		/* No ticket (no shift open, say): the code is spent all the same,
		 * or the next scan would be glued to it. */
		ss->input[0] = '\0';
		ss->mult = 0;
		return;
	}
	/* An online order's barcode (or its id typed) collects the order. */
	if (strncasecmp(code, "OL-", 3) == 0) {
		ss->mult = 0;
		scr_shop_collect(ui, code);
		return;
	}
	/* Member cards are scanned into the same line: the engine's resolver
	 * tells them from items. */
	enum cm_rc rc = sale_scan(s, code, ss->mult);
	if (rc != CM_OK) {
		ui_error(ui, sale_errmsg(s));
	} else if (sale_scan_was_member(s)) {
		ui_msg(ui, MSG_OK, _("Member %s %s attached: member prices apply."),
		       sale_member(s)->number, sale_member(s)->name);
		dlg_member_open(ui);
	} else {
		ui->msg[0] = '\0';
		ss->sel = -1;
	}
	ss->mult = 0;
}

static void scan(struct ui *ui, struct sale_scr *ss)
{
	scan_code(ui, ss, ss->input);
	ss->input[0] = '\0';
}

/* A scanner device's code: rung up at once; what is being typed stays. */
static int sale_device_scan(struct ui *ui, struct screen *s, const char *code)
{
	scan_code(ui, s->state, code);
	return RD_SCREEN;
}

int scr_sale_scan(struct ui *ui, const char *code)
{
	ui_pop_to(ui, "sale");
	struct sale_scr *ss = state_of(ui);
	if (!ss) {
		ui_msg(ui, MSG_ERROR, _("Scan %s ignored: log in and open the sale screen first."), code);
		return RD_SCREEN;
	}
	scan_code(ui, ss, code);
	return RD_SCREEN;
}

static void multiplier(struct ui *ui, struct sale_scr *ss)
{
	cm_qty q;
	if (qty_parse(ss->input, true, &q) != CM_OK) {
		ui_error(ui, _("Type the quantity, then '*', then scan."));
	} else {
		ss->mult = q;
		ui->msg[0] = '\0';
	}
	ss->input[0] = '\0';
}

static void move_sel(struct ui *ui, struct sale_scr *ss, int delta)
{
	int n = ui->sale ? (int)sale_line_count(ui->sale) : 0;
	if (!n)
		return;
	int i = ss->sel < 0 ? n - 1 : ss->sel;
	i += delta;
	ss->sel = i < 0 ? 0 : i >= n ? n - 1 : i;
}

static void logout(struct ui *ui)
{
	if (ui->sale && sale_live_lines(ui->sale)) {
		ui_error(ui, _("Put the ticket on hold (F6) or finish it before logging out."));
		return;
	}
	if (ui->sale && sale_cancel(ui->sale, NULL) != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	ui_sale_done(ui);
	auth_logout(ui->till);
	ui->msg[0] = '\0';
	while (ui->depth)
		ui_pop(ui);
	scr_login_open(ui);
}

/* ---- the key map: one handler per key ---- */

static int k_help(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	scr_help_open(ui);
	return RD_SCREEN;
}

static int k_find(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	scr_search_open(ui);
	return RD_SCREEN;
}

/* F3, F4, F5 and F8 work on the chosen line (line_pending says when there
 * is none). */
static int k_qty(struct ui *ui, struct sale_scr *ss)
{
	struct pending *p = line_pending(ui, ss, DO_QTY);
	if (p)
		dlg_prompt_open(ui, _("Change quantity"), _("New quantity:"), PROMPT_QTY, got_qty, p);
	return RD_SCREEN;
}

static int k_line_disc(struct ui *ui, struct sale_scr *ss)
{
	struct pending *p = line_pending(ui, ss, DO_LINE_DISC);
	if (p)
		dlg_prompt_open(ui, _("Line discount"), _(disc_prompt), PROMPT_TEXT, got_discount, p);
	return RD_SCREEN;
}

static int k_price(struct ui *ui, struct sale_scr *ss)
{
	struct pending *p = line_pending(ui, ss, DO_PRICE);
	if (p)
		dlg_prompt_open(ui, _("Price override"), _("New unit price:"), PROMPT_AMOUNT, got_price, p);
	return RD_SCREEN;
}

static int k_hold(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (!ui->sale || !sale_live_lines(ui->sale))
		ui_error(ui, _("Nothing to put on hold."));
	else
		dlg_prompt_open(ui, _("Hold ticket"), _("Name (optional):"), PROMPT_TEXT, got_label, NULL);
	return RD_SCREEN;
}

static int k_resume(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (ui->sale && sale_live_lines(ui->sale)) {
		ui_error(ui, _("Put this ticket on hold (F6) or finish it first."));
		return RD_SCREEN;
	}
	if (ui->sale && sale_cancel(ui->sale, NULL) == CM_OK)
		ui_sale_done(ui);
	scr_resume_open(ui);
	return RD_SCREEN;
}

static int k_void(struct ui *ui, struct sale_scr *ss)
{
	struct pending *p = line_pending(ui, ss, DO_VOID);
	if (p) {
		perform(ui, p, NULL);
		free(p);
	}
	return RD_SCREEN;
}

static int k_cancel(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (!ui->sale)
		return RD_NONE;
	ask_cancel(ui);
	return RD_SCREEN;
}

static int k_pay(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (!ui->sale || sale_subtotal(ui->sale) != CM_OK)
		ui_error(ui, ui->sale ? sale_errmsg(ui->sale) : _("Nothing to pay for yet."));
	else
		scr_pay_open(ui);
	return RD_SCREEN;
}

static int k_member(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (ui->sale && sale_member(ui->sale)) {
		dlg_member_open(ui);
		return RD_SCREEN;
	}
	dlg_prompt_open(ui, _("Member"), _("Member no. or card:"), PROMPT_CODE, got_member, NULL);
	return RD_SCREEN;
}

static int k_reprint(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	if (!ui->last_sale_id)
		ui_error(ui, _("No receipt to reprint yet."));
	else if (printq_reprint(ui->till, ui->last_sale_id, NULL) != CM_OK)
		ui_error(ui, till_errmsg(ui->till));
	else
		scr_receipt_open(ui, ui->last_sale_id, true, -1);
	return RD_SCREEN;
}

static int k_ticket_disc(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	struct pending *p = calloc(1, sizeof *p);
	if (p && ui->sale) {
		p->kind = DO_TICKET_DISC;
		dlg_prompt_open(ui, _("Ticket discount"), _(disc_prompt), PROMPT_TEXT, got_discount, p);
	} else {
		free(p);
		ui_error(ui, _("Nothing to discount yet."));
	}
	return RD_SCREEN;
}

static int k_manager(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	scr_manager_open(ui);
	return RD_SCREEN;
}

static int k_shop(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	scr_shop_open(ui);
	return RD_SCREEN;
}

static int k_no_sale(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	ui_no_sale(ui);
	return RD_SCREEN;
}

static int k_logout(struct ui *ui, struct sale_scr *ss)
{
	(void)ss;
	logout(ui);
	return RD_SCREEN;
}

/* The sale screen's key map: this table runs the keys (sale_key), makes
 * the key bar (bar labels, in this order) and the help screen (F1), and
 * README's key table is checked against the help screen
 * (tests/e2e/keymap.sh). Rows without a key are typing the line itself
 * handles (digits, '*', arrows, Esc): help only. */
struct sale_keydef {
	int key;                 /* curses key code; 0: help only */
	const char *name;        /* as the help and the bar show it */
	const char *bar;         /* N_() key bar label, NULL: not on the bar */
	int at;                  /* place on the bar, 1 first (what a narrow
	                          * screen keeps), 0: not on it */
	const char *help;        /* N_() what it does, at most 55 columns */
	int (*run)(struct ui *ui, struct sale_scr *ss);
};

static const struct sale_keydef keymap[] = {
	{ 0, N_("digits + Enter"), NULL, 0, N_("look up a barcode or item code (a scanner does this)"), NULL },
	{ 0, N_("3 * then scan"), NULL, 0, N_("sell 3 of the item (0,75 * for 0,75 kg)"), NULL },
	{ KEY_F(1), "F1", N_("Help"), 1, N_("help: this key map"), k_help },
	{ KEY_F(2), "F2", N_("Find"), 2, N_("find an item by name; F3 there checks the price"), k_find },
	{ KEY_F(3), "F3", N_("Qty"), 3, N_("change the quantity of the chosen line"), k_qty },
	{ KEY_F(4), "F4", N_("Disc"), 4,
	  /* xgettext:no-c-format */
	  N_("discount on the chosen line (10% or 5.000)"), k_line_disc },
	{ KEY_F(5), "F5", N_("Price"), 5, N_("price override (supervisor)"), k_price },
	{ KEY_F(6), "F6", N_("Hold"), 6, N_("put the ticket on hold"), k_hold },
	{ KEY_F(7), "F7", N_("Resume"), 7, N_("resume a held ticket"), k_resume },
	{ KEY_F(8), "F8", N_("Void"), 8, N_("void the chosen line (after subtotal: supervisor)"), k_void },
	{ KEY_F(9), "F9", N_("Cancel"), 9, N_("cancel the whole ticket (asks first; supervisor)"), k_cancel },
	{ KEY_F(10), "F10", N_("Pay"), 10, N_("pay: cash, debit card or QRIS, or split between them"), k_pay },
	{ KEY_F(11), "F11", N_("Member"), 12, N_("member: attach, or their dues (or scan the card)"), k_member },
	{ KEY_F(12), "F12", N_("Reprint"), 13, N_("reprint the last receipt"), k_reprint },
	{ 0, N_("Up/Down"), NULL, 0, N_("choose a line"), NULL },
	{ 0, "Esc", NULL, 0, N_("clear the input"), NULL },
	{ KEY_CTRL('t'), "Ctrl-T", NULL, 0, N_("discount on the whole ticket"), k_ticket_disc },
	{ KEY_CTRL('o'), "Ctrl-O", NULL, 0, N_("manager menu: shift, cash, X/Z, returns, stock"), k_manager },
	{ KEY_CTRL('d'), "Ctrl-D", NULL, 0, N_("open the drawer without a sale (supervisor)"), k_no_sale },
	{ KEY_CTRL('p'), "Ctrl-P", N_("Online"), 11, N_("online orders: pick, collect (or scan OL-...)"), k_shop },
	{ KEY_CTRL('x'), "Ctrl-X", NULL, 0, N_("log out"), k_logout },
};
#define NKEYS (sizeof keymap / sizeof keymap[0])

bool scr_sale_key_help(size_t i, const char **name, const char **help)
{
	if (i >= NKEYS)
		return false;
	*name = keymap[i].name;
	*help = keymap[i].help;
	return true;
}

/* The key bar: the bar labels of the table, in the order of their
 * places (at). */
static const char *const *sale_bar(void)
{
	static const char *bar[2 * NKEYS + 2];
	if (!bar[0]) {
		size_t n = 0;
		for (int at = 1; at <= (int)NKEYS; at++) {
			for (size_t i = 0; i < NKEYS; i++) {
				if (keymap[i].bar && keymap[i].at == at) {
					bar[n++] = keymap[i].name;
					bar[n++] = keymap[i].bar;
				}
			}
		}
	}
	return bar;
}

static int sale_key(struct ui *ui, struct screen *s, int key)
{
	struct sale_scr *ss = s->state;
	size_t n = strlen(ss->input);
	for (size_t i = 0; i < NKEYS; i++)
		if (keymap[i].key && keymap[i].key == key)
			return keymap[i].run(ui, ss);
	if (key_is_enter(key)) {
		if (n)
			scan(ui, ss);
		return RD_SCREEN;
	}
	if (key == '*' && n) {
		multiplier(ui, ss);
		return RD_SCREEN;
	}
	if (key_is_backspace(key)) {
		if (n)
			ss->input[n - 1] = '\0';
		else
			ss->mult = 0;
		return RD_SCREEN;
	}
	if (key == KEY_ESC) {
		ss->input[0] = '\0';
		ss->mult = 0;
		ui->msg[0] = '\0';
		return RD_SCREEN;
	}
	if (key == KEY_UP || key == KEY_DOWN) {
		move_sel(ui, ss, key == KEY_UP ? -1 : 1);
		return RD_SCREEN;
	}
	if (key == KEY_PPAGE || key == KEY_NPAGE) {
		move_sel(ui, ss, key == KEY_PPAGE ? -10 : 10);
		return RD_SCREEN;
	}
	if (key >= 0x20 && key < 0x7f && key != '*' && n + 1 < sizeof ss->input) {
		ss->input[n] = (char)key;
		ss->input[n + 1] = '\0';
		return RD_SCREEN;
	}
	return RD_NONE;
}

/* ---- drawing ---- */

static void draw_line(struct ui *ui, int row, size_t i, bool sel, int namew)
{
	const struct line_rec *l = sale_line(ui->sale, i);
	const struct sale_line_amounts *a = sale_line_amounts(ui->sale, i);
	char qty[24], price[32], amount[32], name[160];
	qty_format(l->qty, qty, sizeof qty);
	if (l->weighed)
		snprintf(qty + strlen(qty), sizeof qty - strlen(qty), " %s", l->unit);
	money_format(l->unit_price, NULL, price, sizeof price);
	money_format(a->net, NULL, amount, sizeof amount);
	if (l->voided)
		snprintf(name, sizeof name, "[%s] %s", _("VOID"), l->name);
	else if (l->disc_kind || a->ticket_discount)
		snprintf(name, sizeof name, "%s (%s)", l->name, _("disc."));
	else
		snprintf(name, sizeof name, "%s", l->name);
	if (sel)
		draw_attr_on(ui, CP_SELECT);
	else if (l->voided)
		draw_attr_on(ui, CP_DIM);
	mvhline(row, 0, ' ', COLS);
	mvprintw(row, 0, "%3d ", l->line_no);
	draw_text(row, 4, namew, name, true);
	if (!l->voided)
		mvprintw(row, 4 + namew, "%10s %12s %13s", qty, price, amount);
	if (sel)
		draw_attr_off(ui, CP_SELECT);
	else if (l->voided)
		draw_attr_off(ui, CP_DIM);
}

static void draw_lines(struct ui *ui, struct sale_scr *ss, int top, int rows)
{
	int namew = COLS - 4 - 37;
	attron(A_BOLD);
	mvprintw(top - 1, 0, "%3s ", _("No"));
	draw_text(top - 1, 4, namew, _("Item"), true);
	mvprintw(top - 1, 4 + namew, "%10s %12s %13s", _("Qty"), _("Price"), _("Amount"));
	attroff(A_BOLD);
	int n = ui->sale ? (int)sale_line_count(ui->sale) : 0;
	if (!n && ui->sale && sale_dues_count(ui->sale)) {
		draw_text(top + 1, 4, COLS - 8, _("Only member's dues on this ticket (F11 shows them); scan items to add goods."), false);
		return;
	}
	if (!n) {
		draw_text(top + 1, 4, COLS - 8, _("Scan an item or type its code and press Enter."), false);
		return;
	}
	int sel = ss->sel < 0 || ss->sel >= n ? n - 1 : ss->sel;
	int first = sel - rows + 1 > 0 ? sel - rows + 1 : 0;
	if (n - first < rows && n > rows)
		first = n - rows;
	for (int r = 0; r < rows && first + r < n; r++)
		draw_line(ui, top + r, (size_t)(first + r), first + r == sel, namew);
}

static void draw_total(struct ui *ui, int row)
{
	const struct sale_totals *t = ui->sale ? sale_totals(ui->sale) : NULL;
	cm_money total = t ? t->total + t->dues : 0;
	char digits[32], line[160], a[32], b[32];
	money_format(total, &(struct money_fmt){ .symbol = "" }, digits, sizeof digits);
	attron(A_BOLD);
	mvaddstr(row, 1, _("TOTAL"));
	attroff(A_BOLD);
	size_t items = ui->sale ? sale_live_lines(ui->sale) : 0;
	snprintf(line, sizeof line, _("Lines: %zu"), items);
	mvaddstr(row + 1, 1, line);
	if (t && (t->line_discounts || t->ticket_discount)) {
		money_format(t->line_discounts + t->ticket_discount, NULL, a, sizeof a);
		snprintf(line, sizeof line, _("Discount %s"), a);
		mvaddstr(row + 2, 1, line);
	}
	if (t && t->dues) {
		money_format(t->dues, NULL, a, sizeof a);
		snprintf(line, sizeof line, _("Dues %s"), a);
		attron(A_BOLD);
		mvaddstr(row + 1, 12, line);
		attroff(A_BOLD);
	}
	if (t && (t->class_tax[TAX_STANDARD] || t->class_tax[TAX_LUXURY])) {
		money_format(t->class_tax[TAX_STANDARD] + t->class_tax[TAX_LUXURY], NULL, b, sizeof b);
		snprintf(line, sizeof line, _("incl. PPN %s"), b);
		mvaddstr(row + 3, 1, line);
	}
	draw_attr_on(ui, CP_TOTAL);
	mvaddstr(row + 4, 1, "Rp");
	if (!draw_big(ui, row, COLS - 1, COLS - 26, digits)) {
		money_format(total, NULL, a, sizeof a);
		mvaddstr(row + 2, COLS - 1 - (int)strlen(a), a);
	}
	draw_attr_off(ui, CP_TOTAL);
}

static void draw_input(struct sale_scr *ss, int row)
{
	char mult[32] = "";
	if (ss->mult) {
		char q[24];
		qty_format(ss->mult, q, sizeof q);
		snprintf(mult, sizeof mult, "%s x ", q);
	}
	move(row, 0);
	clrtoeol();
	attron(A_BOLD);
	mvprintw(row, 1, "%s %s", _("Code:"), mult);
	attroff(A_BOLD);
	addstr(ss->input);
	addch('_' | A_BLINK);
}

static void sale_draw(struct ui *ui, struct screen *s)
{
	struct sale_scr *ss = s->state;
	draw_header(ui, NULL);
	int rows = LINES - 12;
	draw_lines(ui, ss, 2, rows > 1 ? rows : 1);
	/* A message on two rows: the status bar and the total move up into
	 * the blank row under the lines. */
	int up = draw_message_rows(ui) - 1;
	draw_status(ui, LINES - 9 - up);
	draw_total(ui, LINES - 8 - up);
	draw_message(ui, LINES - 3);
	draw_input(ss, LINES - 2);
	draw_keys(ui, LINES - 1, sale_bar());
}

static const struct screen_ops sale_ops = {
	.name = "sale", .key = sale_key, .draw = sale_draw, .free = free, .scan = sale_device_scan,
};

void scr_sale_open(struct ui *ui)
{
	struct sale_scr *ss = calloc(1, sizeof *ss);
	if (!ss) {
		ui->quit = true;
		return;
	}
	ss->sel = -1;
	ui_push(ui, &sale_ops, ss);
}

void scr_sale_follow_last(struct ui *ui)
{
	struct sale_scr *ss = state_of(ui);
	if (ss)
		ss->sel = -1;
}
