/* Opening a shift and moving cash in or out of the drawer: short flows of
 * prompts over the current screen (manager menu entries). */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void got_float(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	cm_money v;
	if (money_parse(text, &v) != CM_OK) {
		ui_error(ui, _("Type the float counted into the drawer, e.g. 500.000 (0 when none)."));
		dlg_prompt_again(ui);
		return;
	}
	struct shift_rec r;
	if (shift_open(ui->till, v, &r) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	char a[32];
	money_format(v, NULL, a, sizeof a);
	ui_msg(ui, MSG_OK, _("Shift %lld opened with a float of %s."), (long long)r.id, a);
}

/* The float is typed as one amount: it is made up in the back office
 * from the safe, usually the same bundle every day; the count by
 * denomination that matters is the blind one at the close. */
void mgr_shift_open(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	struct shift_rec r;
	if (store_shift_current(till_store(ui->till), &r) == CM_OK) {
		ui_error(ui, _("A shift is open already; close it first."));
		return;
	}
	dlg_prompt_open(ui, _("Open shift"), _("Float in the drawer:"), PROMPT_AMOUNT, got_float, NULL);
}

void ui_ask_float(struct ui *ui)
{
	struct shift_rec r;
	if (store_shift_current(till_store(ui->till), &r) != CM_NOTFOUND)
		return;
	ui_msg(ui, MSG_INFO, "%s", _("No shift is open: count the float into the drawer and type it (Ctrl-O: menu)."));
	dlg_prompt_open(ui, _("Open shift"), _("Float in the drawer:"), PROMPT_AMOUNT, got_float, NULL);
}

/* ---- cash in / cash out ----
 *
 * The cashier types the amount, then the note; only then, for a cash out
 * by a cashier, does the supervisor see both and approve exactly that.
 * The approval stays with the flow while it is open, so a retry after a
 * refusal does not ask again unless the figures changed. */

struct cash_flow {
	enum cash_dir dir;
	cm_money amount;
	char note[64];
	bool approved;
	struct approval ap;
};

static enum cm_rc cash_move(struct ui *ui, struct cash_flow *cf);

static void cash_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	struct cash_flow *cf = ctx;
	cf->approved = true;
	cf->ap = *ap;
	(void)cash_move(ui, cf);
}

/* CM_INVALID: the amount or the note is wrong (typed again). */
static enum cm_rc cash_move(struct ui *ui, struct cash_flow *cf)
{
	enum cm_rc rc = shift_cash_move(ui->till, cf->dir, cf->amount, cf->note,
	                                cf->approved ? &cf->ap : NULL);
	if (rc == CM_NEED_OVERRIDE) {
		struct cash_flow *next = malloc(sizeof *next);
		if (!next) {
			ui_error(ui, _("out of memory"));
			return CM_NOMEM;
		}
		*next = *cf;
		dlg_override_open_need(ui, cash_approved, next);
		return rc;
	}
	if (rc != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return rc;
	}
	char a[32];
	money_format(cf->amount, NULL, a, sizeof a);
	ui_msg(ui, MSG_OK, cf->dir == CASH_IN ? _("Cash in %s recorded.") : _("Cash out %s recorded."), a);
	return CM_OK;
}

static void got_reason(struct ui *ui, const char *text, void *ctx)
{
	struct cash_flow *cf = ctx;
	snprintf(cf->note, sizeof cf->note, "%s", text);
	if (cash_move(ui, cf) == CM_INVALID)
		dlg_prompt_again(ui);
}

static void got_amount(struct ui *ui, const char *text, void *ctx)
{
	struct cash_flow *cf = ctx;
	if (money_parse(text, &cf->amount) != CM_OK || cf->amount <= 0) {
		ui_error(ui, _("That is not an amount in rupiah."));
		dlg_prompt_again(ui);
		return;
	}
	struct cash_flow *next = malloc(sizeof *next);
	if (!next) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*next = *cf;
	char shown[48], a[32];
	money_format(cf->amount, NULL, a, sizeof a);
	snprintf(shown, sizeof shown, _("Amount: %s"), a);
	dlg_prompt_open(ui, cf->dir == CASH_IN ? _("Cash in") : _("Cash out"),
	                cf->dir == CASH_IN ? _("Reason:") : _("Note (what for, to whom):"),
	                PROMPT_TEXT, got_reason, next);
	dlg_prompt_lines(ui, shown);
}

static void cash_flow(struct ui *ui, enum cash_dir dir)
{
	if (shift_require_open(ui->till) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	struct cash_flow *cf = calloc(1, sizeof *cf);
	if (!cf) {
		ui_error(ui, _("out of memory"));
		return;
	}
	cf->dir = dir;
	dlg_prompt_open(ui, dir == CASH_IN ? _("Cash in") : _("Cash out"), _("Amount:"),
	                PROMPT_AMOUNT, got_amount, cf);
}

void mgr_cash_in(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	cash_flow(ui, CASH_IN);
}

/* The menu never asks first for this entry (asks_after). */
void mgr_cash_out(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	cash_flow(ui, CASH_OUT);
}

/* ---- X and Z ---- */

static void show_report(struct ui *ui, const char *title, struct shift_report *rep)
{
	char *text = rep->text;
	rep->text = NULL;
	ui_print_text(ui, text, false);
	scr_text_open(ui, title, text);
}

void mgr_x_report(struct ui *ui, const struct approval *ap)
{
	struct shift_report rep;
	if (shift_x_report(ui->till, ap, 0, &rep) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	show_report(ui, _("X report"), &rep);
	ui_msg(ui, MSG_OK, "%s", _("X report printed; nothing was reset."));
}

static void z_confirmed(struct ui *ui, void *ctx)
{
	(void)ctx;
	struct shift_report rep;
	if (shift_z_report(ui->till, 0, &rep) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	long long z = (long long)rep.r.z_no;
	show_report(ui, _("Z report"), &rep);
	ui_msg(ui, MSG_OK, _("Z report %lld printed and journaled; the day's totals start again."), z);
}

/* A Z ends the business day for good: asked first, with what it does. */
void mgr_z_report(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	struct shift_rec r;
	if (store_shift_current(till_store(ui->till), &r) == CM_OK) {
		ui_error(ui, _("Close the shift first: the Z report must count every drawer."));
		return;
	}
	dlg_confirm_open(ui, _("Z report: end of the business day?"),
	                 _("The totals since the last Z are printed and journaled under\n"
	                   "the next Z number, and the day's totals start again from zero.\n"
	                   "It cannot be undone (an X report shows the figures and\n"
	                   "resets nothing)."), z_confirmed, NULL);
}
