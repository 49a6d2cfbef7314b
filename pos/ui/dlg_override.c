/* Manager override: on top of any screen a supervisor enters their number
 * and PIN and picks a reason; the action is then redone with the
 * approval, and the journal names both people. */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reasons[] = {
	N_("Wrong scan"), N_("Customer changed mind"), N_("Wrong shelf price"),
	N_("Damaged item"), N_("Promotion"), N_("Other"),
};
#define NREASONS ((int)(sizeof reasons / sizeof reasons[0]))

struct override {
	enum action act;
	approval_fn done;
	void *ctx;
	char number[16];
	char pin[16];
	int field;          /* 0 number, 1 PIN, 2 reason */
	int reason;
	char err[320];
	char what[320];     /* what is approved, in figures ("" = the action only) */
};

static void free_override(void *p)
{
	struct override *o = p;
	if (!o)
		return;
	memset(o->pin, 0, sizeof o->pin);
	free(o->ctx);
	free(o);
}

static const char *action_text(enum action a)
{
	switch (a) {
	case ACT_VOID_AFTER_SUBTOTAL: return _("void after subtotal");
	case ACT_PRICE_OVERRIDE: return _("price override");
	case ACT_DISCOUNT_OVER_LIMIT: return _("discount above the limit");
	case ACT_CANCEL_TICKET: return _("cancel the ticket");
	case ACT_NO_SALE: return _("open the drawer");
	case ACT_ABORT_RECOVERED: return _("abort the unfinished ticket");
	case ACT_CASH_OUT: return _("take cash out of the drawer");
	case ACT_CLOSE_APPROVE: return _("check the count and close the shift");
	case ACT_X_REPORT: return _("X report (shows the drawer's cash)");
	case ACT_RETURN: return _("return goods and refund");
	case ACT_CREDIT_EXCESS: return _("member credit over the limit");
	default: return perm_action_name(a);
	}
}

static void submit(struct ui *ui, struct override *o)
{
	struct approval ap;
	enum cm_rc rc = auth_approve(ui->till, o->act, o->number, o->pin,
	                             reasons[o->reason], &ap);
	memset(o->pin, 0, sizeof o->pin);
	if (rc != CM_OK) {
		snprintf(o->err, sizeof o->err, "%s", till_errmsg(ui->till));
		beep();
		o->field = rc == CM_INVALID ? 1 : 0;
		return;
	}
	approval_fn done = o->done;
	void *ctx = o->ctx;
	o->ctx = NULL;
	ui_pop(ui);
	done(ui, &ap, ctx);
	free(ctx);
}

static int edit(struct override *o, int key)
{
	char *buf = o->field == 0 ? o->number : o->pin;
	size_t cap = o->field == 0 ? sizeof o->number : sizeof o->pin, n = strlen(buf);
	if (key_is_backspace(key)) {
		if (n)
			buf[n - 1] = '\0';
	} else if (key >= '0' && key <= '9' && n + 1 < cap) {
		buf[n] = (char)key;
		buf[n + 1] = '\0';
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static int override_key(struct ui *ui, struct screen *s, int key)
{
	struct override *o = s->state;
	if (key == KEY_ESC) {
		ui_pop(ui);
		ui_msg(ui, MSG_INFO, "%s", _("Not approved: nothing changed."));
		return RD_SCREEN;
	}
	if (key_is_enter(key) || key == '\t') {
		if (o->field < 2)
			o->field++;
		else
			submit(ui, o);
		return RD_SCREEN;
	}
	if (o->field == 2 && (key == KEY_UP || key == KEY_DOWN)) {
		o->reason = (o->reason + (key == KEY_UP ? NREASONS - 1 : 1)) % NREASONS;
		return RD_SCREEN;
	}
	if (key == KEY_UP || key == KEY_BTAB) {
		if (o->field > 0)
			o->field--;
		return RD_SCREEN;
	}
	return o->field < 2 ? edit(o, key) : RD_NONE;
}

static void field(int y, int x, const char *label, const char *value, bool active)
{
	mvprintw(y, x, "%-16s", label);
	if (active)
		attron(A_REVERSE);
	mvprintw(y, x + 17, "%-24s", value);
	attroff(A_REVERSE);
}

static void override_draw(struct ui *ui, struct screen *s)
{
	struct override *o = s->state;
	int w = 64 < COLS ? 64 : COLS;
	int nw = o->what[0] ? draw_para(0, 0, w - 4, o->what, false) : 0;
	int h = 13 + NREASONS - 1 + nw;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	char mask[16];
	size_t n = strlen(o->pin);
	memset(mask, '*', n);
	mask[n] = '\0';
	draw_box(y, x, h, w, _(" Supervisor approval "));
	draw_text(y + 1, x + 2, w - 4, action_text(o->act), false);
	if (nw) {
		attron(A_BOLD);
		draw_para(y + 2, x + 2, w - 4, o->what, true);
		attroff(A_BOLD);
		y += nw;
	}
	field(y + 3, x + 2, _("Supervisor no.:"), o->number, o->field == 0);
	field(y + 4, x + 2, _("PIN:"), mask, o->field == 1);
	mvprintw(y + 6, x + 2, "%s", _("Reason (Up/Down):"));
	for (int i = 0; i < NREASONS; i++) {
		bool on = i == o->reason;
		if (on && o->field == 2)
			attron(A_REVERSE);
		mvprintw(y + 7 + i, x + 4, "%c %-30s", on ? '>' : ' ', _(reasons[i]));
		attroff(A_REVERSE);
	}
	if (o->err[0]) {
		draw_attr_on(ui, CP_ERROR);
		draw_text(y + h - nw - 3, x + 2, w - 4, o->err, false);
		draw_attr_off(ui, CP_ERROR);
	}
	draw_text(y + h - nw - 2, x + 2, w - 4, _("Enter: next / approve   Esc: cancel"), false);
}

static const struct screen_ops override_ops = {
	.name = "override", .key = override_key, .draw = override_draw,
	.free = free_override, .overlay = true,
};

void dlg_override_open(struct ui *ui, enum action act, approval_fn done, void *ctx)
{
	struct override *o = calloc(1, sizeof *o);
	if (!o) {
		free(ctx);
		ui_error(ui, _("out of memory"));
		return;
	}
	o->act = act;
	o->done = done;
	o->ctx = ctx;
	ui_push(ui, &override_ops, o);
}

void dlg_override_open_what(struct ui *ui, enum action act, const char *what, approval_fn done,
                            void *ctx)
{
	dlg_override_open(ui, act, done, ctx);
	if (ui->depth && strcmp(ui->stack[ui->depth - 1].ops->name, "override") == 0) {
		struct override *o = ui->stack[ui->depth - 1].state;
		snprintf(o->what, sizeof o->what, "%s", what);
	}
}
