/* Returns at the till (manager menu): find the sale by its receipt
 * (scanned or typed), choose lines and quantities, the reason and how to
 * refund; or, for a supervisor, a return without a receipt by scanning
 * the items. The return receipt is shown and spooled like a sale's. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/resolve.h"
#include "core/utf8.h"
#include "engine/returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ret_scr {
	struct ret *r;
	bool approved;
	struct approval ap;
	int sel;
	enum return_reason reason;
};

static void free_ret(void *p)
{
	struct ret_scr *rs = p;
	if (rs)
		return_free(rs->r);
	free(rs);
}

static int ret_key(struct ui *ui, struct screen *s, int key);
static void ret_draw(struct ui *ui, struct screen *s);
static int ret_scan(struct ui *ui, struct screen *s, const char *code);

static const struct screen_ops return_ops = {
	.name = "return", .key = ret_key, .draw = ret_draw, .free = free_ret,
	.scan = ret_scan,
};

/* The return screen under a dialog that has just been popped. */
static struct ret_scr *current(struct ui *ui)
{
	if (!ui->depth || ui->stack[ui->depth - 1].ops != &return_ops)
		return NULL;
	return ui->stack[ui->depth - 1].state;
}

static const char *const sale_keys[] = {
	"Enter", N_("Quantity"), "F10", N_("Refund"), "Esc", N_("Back"), NULL, NULL,
};
static const char *const no_receipt_keys[] = {
	"F2", N_("Add item"), "F10", N_("Refund"), "Esc", N_("Back"), NULL, NULL,
};

static void draw_sale_lines(struct ui *ui, const struct ret_scr *rs, int top, int rows)
{
	char line[256], sold[32], left[32], back[32], amt[32];
	mvhline(top, 0, ' ', COLS);
	snprintf(line, sizeof line, "%3s  %-30s %8s %8s %8s  %s", "#", _("Item"), _("Sold"),
	         _("Left"), _("Return"), _("Paid"));
	draw_text(top, 1, COLS - 2, line, false);
	size_t n = return_line_count(rs->r);
	int first = rs->sel >= rows ? rs->sel - rows + 1 : 0;
	for (int row = 0; row < rows && (size_t)(first + row) < n; row++) {
		size_t i = (size_t)(first + row);
		const struct line_rec *l = return_sale_line(rs->r, i);
		qty_format(l->qty, sold, sizeof sold);
		qty_format(return_left(rs->r, i), left, sizeof left);
		qty_format(return_qty(rs->r, i), back, sizeof back);
		money_format(return_sale_amounts(rs->r, i)->net, NULL, amt, sizeof amt);
		char name[sizeof l->name + 32];
		snprintf(line, sizeof line, "%3d  %s %8s %8s %8s  %s", l->line_no,
		         utf8_fit(l->name, 30, name, sizeof name), l->voided ? "-" : sold, left, return_qty(rs->r, i) ? back : "", amt);
		if ((int)i == rs->sel)
			draw_attr_on(ui, CP_SELECT);
		else if (l->voided)
			draw_attr_on(ui, CP_DIM);
		mvhline(top + 1 + row, 0, ' ', COLS);
		draw_text(top + 1 + row, 1, COLS - 2, line, false);
		if ((int)i == rs->sel)
			draw_attr_off(ui, CP_SELECT);
		else if (l->voided)
			draw_attr_off(ui, CP_DIM);
	}
}

static void draw_items(struct ui *ui, const struct ret_scr *rs, int top, int rows)
{
	(void)ui;
	char line[256], qty[32], amt[32];
	size_t n = return_line_count(rs->r);
	if (!n)
		draw_text(top + 1, 2, COLS - 4, _("Scan or type the items brought back (F2)."), false);
	for (int row = 0; row < rows && (size_t)row < n; row++) {
		const struct return_line_rec *l = return_item(rs->r, (size_t)row);
		qty_format(l->qty, qty, sizeof qty);
		money_format(l->amount, NULL, amt, sizeof amt);
		char name[sizeof l->name + 32];
		snprintf(line, sizeof line, "%3d  %s %8s  %s", row + 1,
		         utf8_fit(l->name, 30, name, sizeof name), qty, amt);
		draw_text(top + 1 + row, 1, COLS - 2, line, true);
	}
}

static void ret_draw(struct ui *ui, struct screen *s)
{
	struct ret_scr *rs = s->state;
	char title[128], total[32], line[160];
	const char *sale = return_sale_receipt(rs->r);
	if (sale)
		snprintf(title, sizeof title, _("Return of sale %s"), sale);
	else
		snprintf(title, sizeof title, "%s", _("Return without a receipt"));
	draw_header(ui, title);
	int rows = LINES - 8 > 1 ? LINES - 8 : 1;
	if (sale)
		draw_sale_lines(ui, rs, 2, rows);
	else
		draw_items(ui, rs, 2, rows);
	money_format(return_total(rs->r), NULL, total, sizeof total);
	snprintf(line, sizeof line, _("Refund: %s"), total);
	draw_attr_on(ui, CP_TOTAL);
	mvhline(LINES - 4, 0, ' ', COLS);
	draw_text(LINES - 4, 2, COLS - 4, line, false);
	draw_attr_off(ui, CP_TOTAL);
	draw_status(ui, LINES - 3);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, sale ? sale_keys : no_receipt_keys);
}

/* ---- quantities and items ---- */

static void got_qty(struct ui *ui, const char *text, void *ctx)
{
	struct ret_scr *rs = current(ui);
	int32_t line_no = *(int32_t *)ctx;
	cm_qty q;
	if (!rs)
		return;
	if (!text[0]) {
		q = 0;
	} else if (qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("Type a quantity, e.g. 2 or 0,75."));
		dlg_prompt_again(ui);
		return;
	}
	if (return_set_qty(rs->r, line_no, q) != CM_OK) {
		ui_error(ui, return_errmsg(rs->r));
		dlg_prompt_again(ui);
		beep();
		return;
	}
	ui->msg[0] = '\0';
}

static void ask_qty(struct ui *ui, struct ret_scr *rs)
{
	const struct line_rec *l = return_sale_line(rs->r, (size_t)rs->sel);
	if (!l || l->voided) {
		ui_error(ui, _("That line was voided on the sale."));
		return;
	}
	int32_t *ctx = malloc(sizeof *ctx);
	if (!ctx) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*ctx = l->line_no;
	char label[64];
	snprintf(label, sizeof label, _("Return of line %d:"), l->line_no);
	dlg_prompt_open(ui, _("Quantity to return"), label, PROMPT_QTY, got_qty, ctx);
}

struct item_flow {
	char code[48];
};

static void got_item_qty(struct ui *ui, const char *text, void *ctx)
{
	struct ret_scr *rs = current(ui);
	struct item_flow *f = ctx;
	cm_qty q;
	if (!rs)
		return;
	if (qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("Type a quantity, e.g. 2 or 0,75."));
		dlg_prompt_again(ui);
		return;
	}
	if (return_add_item(rs->r, f->code, q) != CM_OK) {
		ui_error(ui, return_errmsg(rs->r));
		dlg_prompt_again(ui);
		return;
	}
	ui->msg[0] = '\0';
}

static void got_item_code(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	char note[320];
	if (!text[0])
		return;
	if (ui_item_note(ui, text, note, sizeof note) != CM_OK) {
		ui_error(ui, note);
		dlg_prompt_again(ui);
		return;
	}
	struct item_flow *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(f->code, sizeof f->code, "%s", text);
	ui->msg[0] = '\0';
	dlg_prompt_open(ui, _("Return without a receipt"), _("Quantity:"), PROMPT_QTY, got_item_qty, f);
	dlg_prompt_lines(ui, note);
}

/* ---- completing ---- */

static void show_receipt(struct ui *ui, const struct return_result *res)
{
	struct return_record rec;
	char refund[32], cash[32];
	money_format(res->refund, NULL, refund, sizeof refund);
	money_format(res->cash, NULL, cash, sizeof cash);
	if (return_load(ui->till, res->id, NULL, &rec) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	char *text = return_receipt(ui->till, &rec, 0, false);
	return_record_free(&rec);
	if (!text) {
		ui_error(ui, _("out of memory"));
		return;
	}
	/* The drawer opens when cash goes back to the customer. */
	ui_print_text(ui, text, res->cash > 0);
	scr_text_open(ui, _("Return receipt"), text);
	ui_msg(ui, MSG_OK, _("Return %s done: refund %s, pay out %s in cash."), res->return_no,
	       refund, cash);
}

static void complete(struct ui *ui, struct ret_scr *rs, enum refund_how how)
{
	struct return_result res;
	if (return_complete(rs->r, rs->reason, how, rs->approved ? &rs->ap : NULL, &res) != CM_OK) {
		ui_error(ui, return_errmsg(rs->r));
		beep();
		return;
	}
	ui_pop(ui);
	show_receipt(ui, &res);
}

static void got_tender(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct ret_scr *rs = current(ui);
	if (!rs)
		return;
	if (strcmp(text, "1") != 0 && strcmp(text, "2") != 0) {
		ui_error(ui, _("Type 1 (as paid) or 2 (cash)."));
		dlg_prompt_again(ui);
		return;
	}
	complete(ui, rs, text[0] == '1' ? REFUND_ORIGINAL : REFUND_CASH);
}

static void ask_tender(struct ui *ui, struct ret_scr *rs);

static void return_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	(void)ctx;
	struct ret_scr *rs = current(ui);
	if (!rs)
		return;
	rs->approved = true;
	rs->ap = *ap;
	ask_tender(ui, rs);
}

/* With the lines and the reason chosen, a cashier's supervisor sees them
 * and the refund, and approves exactly that; the approval stays with the
 * screen (Esc on the refund prompt comes back here) and counts only as
 * long as the lines, quantities and reason are the ones approved. */
static void ask_tender(struct ui *ui, struct ret_scr *rs)
{
	enum cm_rc rc = return_check(rs->r, rs->reason, rs->approved ? &rs->ap : NULL);
	if (rc == CM_NEED_OVERRIDE) {
		dlg_override_open_need(ui, return_approved, NULL);
		if (rs->approved)
			ui_msg(ui, MSG_ERROR, "%s", return_errmsg(rs->r));
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, return_errmsg(rs->r));
		return;
	}
	if (!return_sale_receipt(rs->r)) {
		complete(ui, rs, REFUND_CASH);
		return;
	}
	ui->msg[0] = '\0';
	dlg_prompt_open(ui, _("Refund"), _("Refund (1 or 2):"), PROMPT_DIGITS, got_tender, NULL);
	dlg_prompt_lines(ui, _("1. As the sale was paid (card and QRIS back to them)\n2. All in cash"));
}

static void got_reason(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct ret_scr *rs = current(ui);
	if (!rs)
		return;
	int n = text[0] && !text[1] ? text[0] - '0' : 0;
	if (n < 1 || n > RR_COUNT) {
		ui_error(ui, _("Type the number of a reason, 1 to 4."));
		dlg_prompt_again(ui);
		return;
	}
	rs->reason = (enum return_reason)(n - 1);
	ask_tender(ui, rs);
}

static void ask_reason(struct ui *ui, struct ret_scr *rs)
{
	char list[400];
	size_t len = 0;
	if (return_total(rs->r) <= 0) {
		ui_error(ui, _("Choose what comes back first."));
		return;
	}
	for (int i = 0; i < RR_COUNT && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%d. %s", i ? "\n" : "", i + 1,
		                        return_reason_label((enum return_reason)i));
	ui->msg[0] = '\0';
	dlg_prompt_open(ui, _("Reason for the return"), _("Reason (1-4):"), PROMPT_DIGITS,
	                got_reason, NULL);
	dlg_prompt_lines(ui, list);
}

static int ret_key(struct ui *ui, struct screen *s, int key)
{
	struct ret_scr *rs = s->state;
	int n = (int)return_line_count(rs->r);
	bool with_sale = return_sale_receipt(rs->r) != NULL;
	if (key == KEY_ESC) {
		ui->msg[0] = '\0';
		ui_pop(ui);
	} else if (key == KEY_UP && n) {
		rs->sel = (rs->sel + n - 1) % n;
	} else if (key == KEY_DOWN && n) {
		rs->sel = (rs->sel + 1) % n;
	} else if (key_is_enter(key) && with_sale && n) {
		ask_qty(ui, rs);
	} else if (key == KEY_F(2) && !with_sale) {
		dlg_prompt_open(ui, _("Return without a receipt"), _("Barcode or SKU:"), PROMPT_CODE,
		                got_item_code, NULL);
	} else if (key == KEY_F(10)) {
		ask_reason(ui, rs);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* The first line of the sale with item_id that has something left to
 * return; -1 when none. */
static int line_of_item(const struct ret *r, int64_t item_id)
{
	int found = -1;
	for (size_t i = 0; i < return_line_count(r); i++) {
		const struct line_rec *l = return_sale_line(r, i);
		if (l->voided || l->item_id != item_id)
			continue;
		if (return_left(r, i) > 0)
			return (int)i;
		found = found < 0 ? (int)i : found;
	}
	return found;
}

/* A scanner device's code: without a receipt the item is added (its
 * quantity asked); with one, the sale's line of that item is chosen and
 * its quantity asked. */
static int ret_scan(struct ui *ui, struct screen *s, const char *code)
{
	struct ret_scr *rs = s->state;
	if (!return_sale_receipt(rs->r)) {
		got_item_code(ui, code, NULL);
		return RD_SCREEN;
	}
	struct resolved it;
	if (resolve_code(ui->till, code, 0, &it) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return RD_SCREEN;
	}
	int i = line_of_item(rs->r, it.item.id);
	if (i < 0) {
		ui_msg(ui, MSG_ERROR, _("%s was not sold on this receipt."), it.item.name);
		beep();
		return RD_SCREEN;
	}
	rs->sel = i;
	ask_qty(ui, rs);
	return RD_SCREEN;
}

static void push(struct ui *ui, struct ret *r)
{
	struct ret_scr *rs = calloc(1, sizeof *rs);
	if (!rs) {
		return_free(r);
		ui_error(ui, _("out of memory"));
		return;
	}
	rs->r = r;
	ui_push(ui, &return_ops, rs);
	ui_msg(ui, MSG_INFO, "%s", return_sale_receipt(r)
	       ? _("Choose a line, Enter: how many come back. F10 when done.")
	       : _("F2: scan or type each item brought back. F10 when done."));
}

static void got_receipt(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct ret *r;
	if (return_open(ui->till, text, &r) != CM_OK) {
		/* The receipt number as typed stays, to be mended. */
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	push(ui, r);
}

/* The menu never asks first for a return (asks_after): the supervisor
 * approves the lines at the end (ask_tender). */
void mgr_return(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	ui_msg(ui, MSG_INFO, "%s", _("Scan the receipt's barcode or type its number."));
	dlg_prompt_open(ui, _("Return"), _("Receipt number:"), PROMPT_CODE, got_receipt, NULL);
}

void mgr_return_no_receipt(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	struct ret *r;
	if (return_open_no_receipt(ui->till, &r) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	push(ui, r);
}
