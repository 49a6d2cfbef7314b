/* A stock adjustment at the till (manager menu): item, quantity and a
 * reason from the fixed list, as a short flow of prompts. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/adjust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct adjust_flow {
	char code[48];
	char note[320];     /* the item and its stock (ui_item_note) */
	cm_qty qty;
};

static void got_reason(struct ui *ui, const char *text, void *ctx)
{
	struct adjust_flow *f = ctx;
	int n = text[0] && !text[1] ? text[0] - '0' : 0;
	if (n < 1 || n > ADJ_COUNT) {
		ui_error(ui, _("Type the number of a reason, 1 to 5."));
		dlg_prompt_again(ui);
		return;
	}
	enum adjust_reason r = (enum adjust_reason)(n - 1);
	if (adjust_stock(ui->till, f->code, f->qty, r, NULL) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	char q[32];
	qty_format(f->qty, q, sizeof q);
	ui_msg(ui, MSG_OK, _("Stock of %s adjusted: %s, %s."), f->code, adjust_reason_label(r), q);
}

static void got_qty(struct ui *ui, const char *text, void *ctx)
{
	struct adjust_flow *f = ctx;
	if (qty_parse(text, true, &f->qty) != CM_OK) {
		ui_error(ui, _("Type a quantity, e.g. 2 or 0,75."));
		dlg_prompt_again(ui);
		return;
	}
	struct adjust_flow *n = malloc(sizeof *n);
	if (!n) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*n = *f;
	/* The choices in the dialog, one a line: the message line is too
	 * narrow for five of them at 80 columns. */
	char list[640];
	size_t len = (size_t)snprintf(list, sizeof list, "%s\n", f->note);
	for (int i = 0; i < ADJ_COUNT && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "\n%d. %s", i + 1,
		                        adjust_reason_label((enum adjust_reason)i));
	ui->msg[0] = '\0';
	dlg_prompt_open(ui, _("Stock adjustment"), _("Reason (1-5):"), PROMPT_DIGITS, got_reason, n);
	dlg_prompt_lines(ui, list);
}

static void got_code(struct ui *ui, const char *text, void *ctx)
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
	struct adjust_flow *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(f->code, sizeof f->code, "%s", text);
	snprintf(f->note, sizeof f->note, "%s", note);
	ui->msg[0] = '\0';
	dlg_prompt_open(ui, _("Stock adjustment"), _("Quantity:"), PROMPT_QTY, got_qty, f);
	dlg_prompt_lines(ui, note);
}

void mgr_adjust(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	ui_msg(ui, MSG_INFO, "%s", _("Scan or type the item whose stock changes."));
	dlg_prompt_open(ui, _("Stock adjustment"), _("Barcode or SKU:"), PROMPT_CODE, got_code, NULL);
}
