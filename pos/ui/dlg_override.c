/* Manager override: on top of any screen a supervisor sees what exactly
 * is to be approved (the engine's words: action, items, quantities,
 * rupiah, ticket or receipt, and the cashier asking), enters their number
 * and PIN and picks a reason that fits the action; the action is then
 * redone with the approval, bound to those figures, and the journal
 * names both people, the figures and the reason. */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reasons a supervisor picks from, per action: journaled as written
 * here (English, stable), shown translated. The last is always "Other". */
static const char *const void_reasons[] = {
	N_("Wrong scan"), N_("Customer changed mind"), N_("Damaged item"),
	N_("Customer short of money"), N_("Other"), NULL,
};
static const char *const cancel_reasons[] = {
	N_("Customer changed mind"), N_("Customer short of money"), N_("Wrong ticket"),
	N_("Other"), NULL,
};
static const char *const price_reasons[] = {
	N_("Wrong shelf price"), N_("Defective item"), N_("Price not updated yet"), N_("Other"), NULL,
};
static const char *const discount_reasons[] = {
	N_("Promotion"), N_("Damaged packaging"), N_("Near its expiry date"), N_("Other"), NULL,
};
static const char *const cash_out_reasons[] = {
	N_("Pay a supplier"), N_("Operating expense"), N_("Cash to the safe"), N_("Other"), NULL,
};
static const char *const return_reasons[] = {
	N_("Damaged item"), N_("Wrong purchase"), N_("Expired"), N_("Goods and receipt checked"),
	N_("Other"), NULL,
};
static const char *const credit_reasons[] = {
	N_("Member known to pay"), N_("Pays at payday"), N_("Other"), NULL,
};
static const char *const drawer_reasons[] = {
	N_("Change for a customer"), N_("Check the drawer"), N_("Other"), NULL,
};
static const char *const web_pin_reasons[] = {
	N_("Member's card checked"), N_("Member known to the supervisor"), N_("Other"), NULL,
};
static const char *const other_reasons[] = {
	N_("Checked by the supervisor"), N_("Other"), NULL,
};

static const char *const *reasons_for(enum action a)
{
	switch (a) {
	case ACT_VOID_AFTER_SUBTOTAL: return void_reasons;
	case ACT_CANCEL_TICKET: case ACT_ABORT_RECOVERED: return cancel_reasons;
	case ACT_PRICE_OVERRIDE: return price_reasons;
	case ACT_DISCOUNT_OVER_LIMIT: return discount_reasons;
	case ACT_CASH_OUT: return cash_out_reasons;
	case ACT_RETURN: return return_reasons;
	case ACT_CREDIT_EXCESS: return credit_reasons;
	case ACT_NO_SALE: return drawer_reasons;
	case ACT_WEB_PIN: return web_pin_reasons;
	default: return other_reasons;
	}
}

static int count_reasons(const char *const *r)
{
	int n = 0;
	while (r[n])
		n++;
	return n;
}

struct override {
	struct approval_need need; /* what is approved: the engine's words */
	const char *const *reasons;
	int nreasons;
	approval_fn done;
	void *ctx;
	char number[16];
	char pin[16];
	int field;          /* 0 number, 1 PIN, 2 reason */
	int reason;
	char err[320];
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
	case ACT_WEB_PIN: return _("set a member's web PIN");
	default: return perm_action_name(a);
	}
}

static void submit(struct ui *ui, struct override *o)
{
	struct approval ap;
	enum cm_rc rc = auth_approve_need(ui->till, &o->need, o->number, o->pin,
	                                  o->reasons[o->reason], &ap);
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
	} else if (key > 0x20 && key < 0x7f) {
		/* Never dropped without a word. */
		snprintf(o->err, sizeof o->err, "%s", _("Only digits here."));
		beep();
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
		o->reason = (o->reason + (key == KEY_UP ? o->nreasons - 1 : 1)) % o->nreasons;
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

/* The rows left for what is approved on this screen; the rest is cut
 * with a mark (the total is always on the first rows). */
static int what_rows(const struct override *o, int w)
{
	if (!o->need.what[0])
		return 0;
	int n = draw_para(0, 0, w - 4, o->need.what, false);
	int room = LINES - 11 - o->nreasons;
	return n < room ? n : room > 1 ? room : 1;
}

static void draw_what(int y, int x, int w, const struct override *o, int rows)
{
	char buf[AUTH_WHAT_MAX];
	snprintf(buf, sizeof buf, "%s", o->need.what);
	bool cut = false;
	while (draw_para(0, 0, w - 4, buf, false) > (cut ? rows - 1 : rows)) {
		char *nl = strrchr(buf, '\n');
		if (!nl)
			break;
		*nl = '\0';
		cut = true;
	}
	size_t n = strlen(buf);
	if (cut)
		snprintf(buf + n, sizeof buf - n, "\n%s", _("... (more lines)"));
	attron(A_BOLD);
	draw_para(y, x, w - 4, buf, true);
	attroff(A_BOLD);
}

static void override_draw(struct ui *ui, struct screen *s)
{
	struct override *o = s->state;
	int w = 64 < COLS ? 64 : COLS;
	int nw = what_rows(o, w);
	int h = 11 + o->nreasons + nw;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	char mask[16], who[160];
	size_t n = strlen(o->pin);
	memset(mask, '*', n);
	mask[n] = '\0';
	const struct user_rec *u = till_user(ui->till);
	snprintf(who, sizeof who, _("%s, asked by cashier %s %s"), action_text(o->need.act),
	         u ? u->number : "-", u ? u->name : "");
	draw_box(y, x, h, w, _(" Supervisor approval "));
	draw_text(y + 1, x + 2, w - 4, who, false);
	if (nw) {
		draw_what(y + 2, x + 2, w, o, nw);
		y += nw;
	}
	field(y + 3, x + 2, _("Supervisor no.:"), o->number, o->field == 0);
	field(y + 4, x + 2, _("PIN:"), mask, o->field == 1);
	mvprintw(y + 6, x + 2, "%s", _("Reason (Up/Down):"));
	for (int i = 0; i < o->nreasons; i++) {
		bool on = i == o->reason;
		if (on && o->field == 2)
			attron(A_REVERSE);
		mvprintw(y + 7 + i, x + 4, "%c %-30s", on ? '>' : ' ', _(o->reasons[i]));
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

static void open_need(struct ui *ui, const struct approval_need *need, approval_fn done,
                      void *ctx)
{
	struct override *o = calloc(1, sizeof *o);
	if (!o) {
		free(ctx);
		ui_error(ui, _("out of memory"));
		return;
	}
	o->need = *need;
	o->reasons = reasons_for(need->act);
	o->nreasons = count_reasons(o->reasons);
	o->done = done;
	o->ctx = ctx;
	ui_push(ui, &override_ops, o);
}

void dlg_override_open(struct ui *ui, enum action act, approval_fn done, void *ctx)
{
	struct approval_need need = { .act = act };
	open_need(ui, &need, done, ctx);
}

void dlg_override_open_need(struct ui *ui, approval_fn done, void *ctx)
{
	open_need(ui, auth_need(ui->till), done, ctx);
}
