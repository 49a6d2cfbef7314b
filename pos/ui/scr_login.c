/* Login: cashier number and PIN (masked). */
#include "ui/ui_int.h"
#include "engine/demo.h"

#include <stdlib.h>
#include <string.h>

struct login {
	char number[16];
	char pin[16];
	int field;      /* 0 number, 1 PIN */
};

static void free_login(void *p)
{
	struct login *l = p;
	if (l)
		memset(l->pin, 0, sizeof l->pin);
	free(l);
}

static void after_login(struct ui *ui)
{
	ui_msg(ui, MSG_OK, _("Welcome, %s."), till_user(ui->till)->name);
	ui_pop(ui);
	scr_sale_open(ui);
	/* The float prompt goes over the sale screen (and over the recovery
	 * screen, which shows once the float is in). */
	struct sale *s = NULL;
	if (sale_restore(ui->till, &s) != CM_OK) {
		ui_ask_float(ui);
		return;
	}
	if (sale_live_lines(s) == 0 && sale_tender_count(s) == 0) {
		/* An empty ticket left open: nothing to recover. */
		if (sale_cancel(s, NULL) != CM_OK)
			ui_error(ui, sale_errmsg(s));
		sale_free(s);
		ui_ask_float(ui);
		return;
	}
	ui->sale = s;
	scr_recovery_open(ui);
	ui_ask_float(ui);
}

static int submit(struct ui *ui, struct login *l)
{
	if (!l->number[0]) {
		l->field = 0;
		return RD_SCREEN;
	}
	enum cm_rc rc = auth_login(ui->till, l->number, l->pin);
	memset(l->pin, 0, sizeof l->pin);
	if (rc == CM_OK) {
		after_login(ui);
		return RD_SCREEN;
	}
	ui_error(ui, till_errmsg(ui->till));
	if (rc == CM_NOTFOUND || rc == CM_LOCKED)
		l->number[0] = '\0';
	l->field = l->number[0] ? 1 : 0;
	return RD_SCREEN;
}

static int login_key(struct ui *ui, struct screen *s, int key)
{
	struct login *l = s->state;
	char *buf = l->field ? l->pin : l->number;
	size_t cap = l->field ? sizeof l->pin : sizeof l->number;
	size_t n = strlen(buf);
	if (key_is_enter(key) || key == '\t') {
		if (l->field == 0 && l->number[0]) {
			l->field = 1;
			return RD_SCREEN;
		}
		return key == '\t' ? RD_NONE : submit(ui, l);
	}
	if (key == KEY_UP || key == KEY_BTAB) {
		l->field = 0;
		return RD_SCREEN;
	}
	if (key_is_backspace(key)) {
		if (n)
			buf[n - 1] = '\0';
		else if (l->field)
			l->field = 0;
		return RD_SCREEN;
	}
	if (key == KEY_ESC) {
		l->number[0] = l->pin[0] = '\0';
		l->field = 0;
		ui->msg[0] = '\0';
		return RD_SCREEN;
	}
	if (key == KEY_CTRL('x') || key == KEY_F(10)) {
		ui->quit = true;
		return RD_NONE;
	}
	if (key >= '0' && key <= '9' && n + 1 < cap) {
		buf[n] = (char)key;
		buf[n + 1] = '\0';
		return RD_SCREEN;
	}
	return RD_NONE;
}

static void login_draw(struct ui *ui, struct screen *s)
{
	struct login *l = s->state;
	const struct till_config *c = till_config(ui->till);
	draw_header(ui, _("Login"));
	int w = 56, h = 11;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	if (y < 1)
		y = 1;
	if (x < 0)
		x = 0;
	draw_box(y, x, h, w, _(" Cashier login "));
	draw_text(y + 2, x + 3, w - 6, c->store_name, false);
	draw_text(y + 3, x + 3, w - 6, c->store_address, false);
	mvprintw(y + 5, x + 3, "%-14s", _("Cashier no.:"));
	if (l->field == 0)
		attron(A_REVERSE);
	mvprintw(y + 5, x + 18, "%-12s", l->number);
	attroff(A_REVERSE);
	mvprintw(y + 6, x + 3, "%-14s", _("PIN:"));
	char mask[16] = "";
	memset(mask, '*', strlen(l->pin));
	mask[strlen(l->pin)] = '\0';
	if (l->field == 1)
		attron(A_REVERSE);
	mvprintw(y + 6, x + 18, "%-12s", mask);
	attroff(A_REVERSE);
	draw_text(y + 8, x + 3, w - 6, _("Enter: next/login   Esc: clear   Ctrl-X: close"), false);
	if (ui->opt->demo)
		mvprintw(y + h, x, _("DEMO: cashier %s PIN %s, supervisor %s PIN %s"),
		         DEMO_CASHIER, DEMO_CASHIER_PIN, DEMO_SUPERVISOR, DEMO_SUPERVISOR_PIN);
	draw_message(ui, LINES - 1);
}

/* Nobody is logged in: a scan is refused, never typed into the PIN. */
static int login_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	ui_msg(ui, MSG_ERROR, _("Scan %s ignored: log in and open the sale screen first."), code);
	return RD_SCREEN;
}

static const struct screen_ops login_ops = {
	.name = "login", .key = login_key, .draw = login_draw, .free = free_login,
	.scan = login_scan,
};

void scr_login_open(struct ui *ui)
{
	struct login *l = calloc(1, sizeof *l);
	if (!l) {
		ui->quit = true;
		return;
	}
	ui_push(ui, &login_ops, l);
}
