/* Recovery: a ticket left open by a crash or power cut is offered back, or
 * (by a supervisor) aborted with a journal entry. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const recovery_keys[] = {
	"Enter", N_("Continue the ticket"), "F9", N_("Abort (supervisor)"), NULL, NULL,
};

static void abort_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	(void)ctx;
	if (!ui->sale)
		return;
	enum cm_rc rc = sale_abort_recovered(ui->sale, ap);
	if (rc == CM_NEED_OVERRIDE) {
		dlg_override_open_need(ui, abort_approved, NULL);
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	ui_sale_done(ui);
	ui_pop_to(ui, "sale");
	ui_msg(ui, MSG_OK, "%s", _("The unfinished ticket was aborted and journaled."));
}

static int recovery_key(struct ui *ui, struct screen *s, int key)
{
	(void)s;
	if (key_is_enter(key)) {
		ui_pop(ui);
		scr_sale_follow_last(ui);
		ui_msg(ui, MSG_OK, "%s", _("Ticket restored: carry on."));
		return RD_SCREEN;
	}
	if (key == KEY_F(9)) {
		enum cm_rc rc = sale_abort_recovered(ui->sale, NULL);
		if (rc == CM_OK) {
			ui_sale_done(ui);
			ui_pop(ui);
			ui_msg(ui, MSG_OK, "%s", _("The unfinished ticket was aborted and journaled."));
		} else if (rc == CM_NEED_OVERRIDE) {
			dlg_override_open_need(ui, abort_approved, NULL);
		} else {
			ui_error(ui, sale_errmsg(ui->sale));
		}
		return RD_SCREEN;
	}
	return RD_NONE;
}

static void recovery_draw(struct ui *ui, struct screen *s)
{
	(void)s;
	const struct sale_totals *t = sale_totals(ui->sale);
	int w = 60 < COLS ? 60 : COLS, h = 9;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	char total[32], line[200];
	money_format(t->total + t->dues, NULL, total, sizeof total);
	draw_box(y, x, h, w, _(" Unfinished ticket "));
	draw_text(y + 2, x + 2, w - 4, _("A ticket was still open when the till stopped."), false);
	snprintf(line, sizeof line, _("%zu lines, total %s."), sale_live_lines(ui->sale), total);
	draw_text(y + 3, x + 2, w - 4, line, false);
	draw_text(y + 5, x + 2, w - 4, _("Enter: continue it   F9: abort it (supervisor)"), false);
	draw_keys(ui, LINES - 1, recovery_keys);
}

static const struct screen_ops recovery_ops = {
	.name = "recovery", .key = recovery_key, .draw = recovery_draw, .overlay = true,
};

void scr_recovery_open(struct ui *ui)
{
	ui_push(ui, &recovery_ops, NULL);
}
