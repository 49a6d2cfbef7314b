/* The manager menu (Ctrl-O on the sale screen): shifts and cash, reports,
 * and the store's other operations, one line each in entries[] below.
 *
 * An entry names the action the logged-in user's role must allow
 * (core/perm.c). Allowed: it opens at once. Allowed with a supervisor's
 * approval: an entry where the cashier types an amount or lines opens at
 * once and asks the supervisor for exactly those at the end; the others
 * (nothing to type) ask first and open with the approval in hand. Denied:
 * the entry is greyed and says why when chosen. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* To add an operation: one line here, its open function declared in
 * ui_int.h ("Manager menu entries"). open gets the supervisor's approval
 * when the role needed one, NULL otherwise. */
struct manager_entry {
	const char *label;                 /* N_() */
	enum action act;                   /* what the role must be allowed */
	void (*open)(struct ui *ui, const struct approval *ap);
	/* The entry asks the supervisor itself, once the cashier has typed
	 * what is to be approved (an amount, lines): never before. */
	bool asks_after;
};

static const struct manager_entry entries[] = {
	{ N_("Open shift (float)"), ACT_SHIFT_OPEN, mgr_shift_open, false },
	{ N_("Cash in"), ACT_CASH_IN, mgr_cash_in, false },
	{ N_("Cash out"), ACT_CASH_OUT, mgr_cash_out, true },
	{ N_("Close shift (blind count)"), ACT_SHIFT_CLOSE, mgr_shift_close, false },
	{ N_("X report (mid-shift)"), ACT_X_REPORT, mgr_x_report, false },
	{ N_("Z report (end of day)"), ACT_Z_REPORT, mgr_z_report, false },
	{ N_("Return with the receipt"), ACT_RETURN, mgr_return, true },
	{ N_("Return without a receipt"), ACT_RETURN_NO_RECEIPT, mgr_return_no_receipt, true },
	{ N_("Receive a delivery"), ACT_RECEIVE, mgr_receive, false },
	{ N_("Stock adjustment"), ACT_ADJUST, mgr_adjust, false },
	{ N_("Stock counts"), ACT_STOCK_COUNT, mgr_stock_count, false },
	{ N_("Stock reports"), ACT_STOCK_REPORT, mgr_stock_reports, false },
};
#define NENTRIES ((int)(sizeof entries / sizeof entries[0]))

/* The key that chooses entry i, shown before it. */
static const char entry_keys[] = "1234567890abcdefghij";
_Static_assert(sizeof entry_keys - 1 >= sizeof entries / sizeof entries[0],
               "every menu entry needs a key");

static int entry_for_key(int key)
{
	for (int i = 0; i < NENTRIES; i++)
		if (key == entry_keys[i])
			return i;
	return -1;
}

struct manager {
	int sel;
};

static const char *const manager_keys[] = {
	"Enter", N_("Open"), "1-9 0 a b", N_("Choose"), "Up/Down", N_("Choose"), "Esc", N_("Back"),
	NULL, NULL,
};

static enum perm entry_perm(struct ui *ui, int i)
{
	const struct user_rec *u = till_user(ui->till);
	return u ? perm_check(u->role, entries[i].act) : PERM_DENY;
}

static void approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	int i = *(int *)ctx;
	entries[i].open(ui, ap);
}

static void choose(struct ui *ui, int i)
{
	enum perm p = entry_perm(ui, i);
	if (p == PERM_ALLOW || (p == PERM_OVERRIDE && entries[i].asks_after)) {
		ui->msg[0] = '\0';
		entries[i].open(ui, NULL);
		return;
	}
	if (p == PERM_DENY) {
		const struct user_rec *u = till_user(ui->till);
		ui_msg(ui, MSG_ERROR, _("%s: not allowed for the role %s."), _(entries[i].label),
		       u ? role_name(u->role) : "-");
		beep();
		return;
	}
	int *ctx = malloc(sizeof *ctx);
	if (!ctx) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*ctx = i;
	dlg_override_open(ui, entries[i].act, approved, ctx);
}

static int manager_key(struct ui *ui, struct screen *s, int key)
{
	struct manager *m = s->state;
	if (key == KEY_ESC) {
		ui->msg[0] = '\0';
		ui_pop(ui);
	} else if (key == KEY_UP) {
		m->sel = (m->sel + NENTRIES - 1) % NENTRIES;
	} else if (key == KEY_DOWN) {
		m->sel = (m->sel + 1) % NENTRIES;
	} else if (key > 0 && key < 128 && entry_for_key(key) >= 0) {
		m->sel = entry_for_key(key);
		choose(ui, m->sel);
	} else if (key_is_enter(key)) {
		choose(ui, m->sel);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* Which shift is open: the context of every entry above. */
static void draw_shift_line(struct ui *ui, int row)
{
	struct shift_rec r;
	char line[200], fl[32], when[48];
	if (store_shift_current(till_store(ui->till), &r) == CM_OK) {
		money_format(r.float_amount, NULL, fl, sizeof fl);
		draw_clock(when, sizeof when, r.opened_at);
		snprintf(line, sizeof line, _(" Shift %lld open since %s, float %s"),
		         (long long)r.id, when, fl);
	} else {
		snprintf(line, sizeof line, " %s", _("No shift is open on this terminal."));
	}
	draw_attr_on(ui, CP_DIM);
	mvhline(row, 0, ' ', COLS);
	draw_text(row, 0, COLS, line, false);
	draw_attr_off(ui, CP_DIM);
}

static void manager_draw(struct ui *ui, struct screen *s)
{
	struct manager *m = s->state;
	draw_header(ui, _("Manager menu"));
	for (int i = 0; i < NENTRIES && 3 + i < LINES - 3; i++) {
		enum perm p = entry_perm(ui, i);
		char line[160];
		snprintf(line, sizeof line, "%c. %-34s %s", entry_keys[i], _(entries[i].label),
		         p == PERM_OVERRIDE ? _("(supervisor approval)")
		         : p == PERM_DENY ? _("(not allowed)") : "");
		if (i == m->sel)
			draw_attr_on(ui, CP_SELECT);
		else if (p == PERM_DENY)
			draw_attr_on(ui, CP_DIM);
		mvhline(3 + i, 0, ' ', COLS);
		draw_text(3 + i, 2, COLS - 4, line, false);
		if (i == m->sel)
			draw_attr_off(ui, CP_SELECT);
		else if (p == PERM_DENY)
			draw_attr_off(ui, CP_DIM);
	}
	draw_shift_line(ui, LINES - 3);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, manager_keys);
}

static const struct screen_ops manager_ops = {
	.name = "manager", .key = manager_key, .draw = manager_draw, .free = free,
};

void scr_manager_open(struct ui *ui)
{
	struct manager *m = calloc(1, sizeof *m);
	if (!m) {
		ui_error(ui, _("out of memory"));
		return;
	}
	ui_push(ui, &manager_ops, m);
}
