/* Closing a shift: the blind count, then the supervisor's review.
 *
 * The cashier types the pieces of each denomination in the drawer; this
 * screen shows what they typed and its total, never what the drawer
 * should hold. Only after a supervisor's approval (or for a supervisor
 * closing their own drawer) does the review show expected vs counted and
 * the difference; Enter there closes the shift, Esc goes back to the
 * count. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct close_scr {
	char pieces[CASH_DENOMS][8];   /* typed, by row: largest note first */
	int row;
};

struct review {
	int64_t pieces[CASH_DENOMS];   /* in cash_denoms order */
	bool approved;
	struct approval ap;
	struct shift_cash cash;
	cm_money counted;
	int64_t shift_id;
};

static const char *const close_keys[] = {
	"0-9", N_("Pieces"), "Enter", N_("Next"), "Up/Down", N_("Row"), "F10", N_("Done"),
	"Esc", N_("Back"), NULL, NULL,
};

/* Row r shows denomination index CASH_DENOMS - 1 - r. */
static int denom_of(int row)
{
	return CASH_DENOMS - 1 - row;
}

static void counted_pieces(const struct close_scr *c, int64_t pieces[CASH_DENOMS])
{
	for (int r = 0; r < CASH_DENOMS; r++)
		pieces[denom_of(r)] = strtoll(c->pieces[r], NULL, 10);
}

static struct close_scr *close_state(struct ui *ui)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (strcmp(ui->stack[i].ops->name, "close") == 0)
			return ui->stack[i].state;
	return NULL;
}

/* ---- the review ---- */

static void confirm(struct ui *ui, struct review *rv)
{
	struct shift_close_result res;
	if (shift_close(ui->till, rv->pieces, rv->approved ? &rv->ap : NULL, &res) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ui_pop(ui);          /* the review */
	ui_pop(ui);          /* the count */
	char e[32], c[32], d[32];
	money_format(res.expected, NULL, e, sizeof e);
	money_format(res.counted, NULL, c, sizeof c);
	money_format(res.difference, NULL, d, sizeof d);
	ui_msg(ui, res.difference ? MSG_INFO : MSG_OK,
	       _("Shift %lld closed: counted %s, expected %s, difference %s."),
	       (long long)res.shift_id, c, e, d);
}

static int review_key(struct ui *ui, struct screen *s, int key)
{
	if (key == KEY_ESC) {
		ui_pop(ui);
		ui_msg(ui, MSG_INFO, "%s", _("Not closed: count again."));
		return RD_SCREEN;
	}
	if (key_is_enter(key)) {
		confirm(ui, s->state);
		return RD_SCREEN;
	}
	return RD_NONE;
}

static void review_row(int y, int x, int w, const char *label, cm_money v)
{
	char a[32];
	money_format(v, NULL, a, sizeof a);
	mvprintw(y, x, "%-*s%16s", w - 16, label, a);
}

static void review_draw(struct ui *ui, struct screen *s)
{
	struct review *rv = s->state;
	const struct shift_cash *c = &rv->cash;
	int w = 56 < COLS ? 56 : COLS, h = 17;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	cm_money expected = cashcount_expected(c), diff = rv->counted - expected;
	char title[64];
	snprintf(title, sizeof title, _(" Shift %lld: expected and counted "), (long long)rv->shift_id);
	draw_box(y, x, h, w, title);
	int iw = w - 4;
	review_row(y + 2, x + 2, iw, _("Float"), c->float_amount);
	review_row(y + 3, x + 2, iw, _("Cash sales (less change)"), c->cash_tendered - c->change);
	review_row(y + 4, x + 2, iw, _("Cash in"), c->cash_in);
	review_row(y + 5, x + 2, iw, _("Cash out"), -c->cash_out);
	review_row(y + 6, x + 2, iw, _("Cash refunds"), -c->cash_refunds);
	attron(A_BOLD);
	review_row(y + 8, x + 2, iw, _("Expected in the drawer"), expected);
	review_row(y + 9, x + 2, iw, _("Counted"), rv->counted);
	attroff(A_BOLD);
	if (diff)
		draw_attr_on(ui, CP_ERROR);
	review_row(y + 11, x + 2, iw, diff < 0 ? _("Difference (short)")
	           : diff > 0 ? _("Difference (over)") : _("Difference"), diff);
	if (diff)
		draw_attr_off(ui, CP_ERROR);
	if (rv->approved) {
		char by[120];
		snprintf(by, sizeof by, _("Approved by %s %s"), rv->ap.approver_number, rv->ap.approver_name);
		draw_text(y + 13, x + 2, iw, by, false);
	}
	draw_text(y + h - 2, x + 2, iw, _("Enter: close the shift   Esc: count again"), false);
}

static const struct screen_ops review_ops = {
	.name = "close_review", .key = review_key, .draw = review_draw, .free = free,
	.overlay = true,
};

static void open_review(struct ui *ui, const struct approval *ap)
{
	struct close_scr *c = close_state(ui);
	struct review *rv = calloc(1, sizeof *rv);
	if (!c || !rv) {
		free(rv);
		return;
	}
	counted_pieces(c, rv->pieces);
	struct shift_rec r;
	if (cashcount_total(rv->pieces, &rv->counted) != CM_OK) {
		free(rv);
		ui_error(ui, _("A count must be 0 to 1.000.000 pieces."));
		return;
	}
	if (shift_current(ui->till, &r) != CM_OK ||
	    shift_expected(ui->till, ap, &rv->cash) != CM_OK) {
		free(rv);
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	rv->shift_id = r.id;
	if (ap) {
		rv->approved = true;
		rv->ap = *ap;
	}
	ui_push(ui, &review_ops, rv);
}

static void approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	(void)ctx;
	open_review(ui, ap);
}

/* ---- the count ---- */

static void submit(struct ui *ui, struct close_scr *c)
{
	int64_t pieces[CASH_DENOMS];
	cm_money total;
	counted_pieces(c, pieces);
	if (cashcount_total(pieces, &total) != CM_OK) {
		ui_error(ui, _("A count must be 0 to 1.000.000 pieces."));
		return;
	}
	enum cm_rc rc = shift_close_check(ui->till, pieces, NULL);
	if (rc == CM_OK)
		open_review(ui, NULL);
	else if (rc == CM_NEED_OVERRIDE)
		dlg_override_open_need(ui, approved, NULL);
	else
		ui_error(ui, till_errmsg(ui->till));
}

static int close_key(struct ui *ui, struct screen *s, int key)
{
	struct close_scr *c = s->state;
	char *buf = c->pieces[c->row];
	size_t n = strlen(buf);
	if (key == KEY_ESC) {
		ui_pop(ui);
		ui_msg(ui, MSG_INFO, "%s", _("The shift stays open."));
	} else if (key == KEY_F(10) || (key_is_enter(key) && c->row == CASH_DENOMS - 1)) {
		submit(ui, c);
	} else if (key_is_enter(key) || key == KEY_DOWN || key == '\t') {
		c->row = (c->row + 1) % CASH_DENOMS;
	} else if (key == KEY_UP || key == KEY_BTAB) {
		c->row = (c->row + CASH_DENOMS - 1) % CASH_DENOMS;
	} else if (key_is_backspace(key)) {
		if (n)
			buf[n - 1] = '\0';
	} else if (key >= '0' && key <= '9' && n + 1 < sizeof c->pieces[0]) {
		buf[n] = (char)key;
		buf[n + 1] = '\0';
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void close_draw(struct ui *ui, struct screen *s)
{
	struct close_scr *c = s->state;
	draw_header(ui, _("Close shift: blind count"));
	draw_text(2, 2, COLS - 4, _("Count the notes and coins in the drawer; type the pieces of each."), false);
	int64_t pieces[CASH_DENOMS];
	counted_pieces(c, pieces);
	for (int r = 0; r < CASH_DENOMS; r++) {
		int d = denom_of(r);
		char denom[32], amount[32];
		money_format(cash_denoms[d], NULL, denom, sizeof denom);
		money_format(cash_denoms[d] * pieces[d], NULL, amount, sizeof amount);
		mvprintw(4 + r, 4, "%10s  x ", denom);
		if (r == c->row)
			attron(A_REVERSE);
		printw("%7s", c->pieces[r]);
		attroff(A_REVERSE);
		printw("  = %14s", amount);
	}
	cm_money total = 0;
	char t[32];
	bool ok = cashcount_total(pieces, &total) == CM_OK;
	money_format(total, NULL, t, sizeof t);
	attron(A_BOLD);
	mvprintw(5 + CASH_DENOMS, 4, "%-16s%21s", _("Counted"), ok ? t : "?");
	attroff(A_BOLD);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, close_keys);
}

static const struct screen_ops close_ops = {
	.name = "close", .key = close_key, .draw = close_draw, .free = free,
};

void mgr_shift_close(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	if (shift_require_open(ui->till) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	if (ui->sale && sale_live_lines(ui->sale)) {
		ui_error(ui, _("Put the ticket on hold (F6) or finish it before closing the shift."));
		return;
	}
	if (ui->sale) {
		/* An empty ticket: nothing to keep. */
		if (sale_cancel(ui->sale, NULL) != CM_OK) {
			ui_error(ui, sale_errmsg(ui->sale));
			return;
		}
		ui_sale_done(ui);
	}
	struct close_scr *c = calloc(1, sizeof *c);
	if (!c) {
		ui_error(ui, _("out of memory"));
		return;
	}
	ui->msg[0] = '\0';
	ui_push(ui, &close_ops, c);
}
