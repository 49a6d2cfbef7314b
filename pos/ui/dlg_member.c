/* The member panel over the sale screen: who the member is, their dues
 * standing (HQ's as of the last sync, with what this terminal took since),
 * and the keys that put dues on the ticket. Opens when a member card is
 * scanned or F11 is pressed with a member attached.
 *
 * The cashier goes on scanning with it open: a typed character (a
 * keyboard-wedge scanner's digits, "3*") closes the panel and goes to the
 * sale screen's input, as a USB scanner's code goes to the sale, so the
 * panel's own commands are function keys no scanner types (F2 wajib, F3
 * pokok, F4 sukarela, F8 take dues off). Any other key closes the panel
 * and acts on the sale screen too (F10 pays). */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct member_dlg {
	struct standing st;
	struct standing after;   /* counting the ticket's dues */
	bool loaded;
	char err[320];
};

static void free_member(void *p)
{
	free(p);
}

/* The standing, fresh: after each change of the ticket's dues. */
static void load(struct ui *ui, struct member_dlg *d)
{
	d->loaded = false;
	d->err[0] = '\0';
	if (!ui->sale || !sale_member(ui->sale))
		return;
	if (sale_standing(ui->sale, false, &d->st) != CM_OK) {
		snprintf(d->err, sizeof d->err, "%s", sale_errmsg(ui->sale));
	} else {
		/* After the ticket: the same figures with its dues counted. */
		d->after = d->st;
		if (sale_dues_count(ui->sale))
			standing_add(&d->after, sale_dues(ui->sale, 0), sale_dues_count(ui->sale));
		d->loaded = true;
	}
}

static struct member_dlg *top_dlg(struct ui *ui)
{
	if (ui->depth && strcmp(ui->stack[ui->depth - 1].ops->name, "member") == 0)
		return ui->stack[ui->depth - 1].state;
	return NULL;
}

static void refresh_top(struct ui *ui)
{
	struct member_dlg *d = top_dlg(ui);
	if (d)
		load(ui, d);
}

static void got_months(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct member_dlg *d = top_dlg(ui);
	int months = d && d->loaded && d->st.months ? d->st.months : 1;
	if (*text) {
		char *end;
		long v = strtol(text, &end, 10);
		if (*end || v < 1 || v > 120) {
			ui_error(ui, _("Type the number of months, 1 to 120 (Enter alone: the months owed)."));
			dlg_prompt_again(ui);
			return;
		}
		months = (int)v;
	}
	if (!ui->sale || sale_add_dues(ui->sale, DUES_WAJIB, months, 0) != CM_OK) {
		ui_error(ui, ui->sale ? sale_errmsg(ui->sale) : _("no ticket"));
		return;
	}
	refresh_top(ui);
	ui_msg(ui, MSG_OK, ngettext("%d month of simpanan wajib added to the ticket.",
	                            "%d months of simpanan wajib added to the ticket.",
	                            (unsigned long)months), months);
}

static void got_sukarela(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	cm_money m;
	if (money_parse(text, &m) != CM_OK || m <= 0) {
		ui_error(ui, _("That is not an amount in rupiah (e.g. 50.000)."));
		dlg_prompt_again(ui);
		return;
	}
	if (!ui->sale || sale_add_dues(ui->sale, DUES_SUKARELA, 0, m) != CM_OK) {
		ui_error(ui, ui->sale ? sale_errmsg(ui->sale) : _("no ticket"));
		dlg_prompt_again(ui);
		return;
	}
	refresh_top(ui);
	char a[32];
	money_format(m, NULL, a, sizeof a);
	ui_msg(ui, MSG_OK, _("Simpanan sukarela %s added to the ticket."), a);
}

static void remove_all(struct ui *ui, struct member_dlg *d)
{
	bool any = false;
	for (int k = 0; k < DUES_KIND_COUNT; k++) {
		enum cm_rc rc = sale_remove_dues(ui->sale, (enum dues_kind)k);
		if (rc == CM_OK)
			any = true;
		else if (rc != CM_NOTFOUND) {
			ui_error(ui, sale_errmsg(ui->sale));
			return;
		}
	}
	load(ui, d);
	if (any)
		ui_msg(ui, MSG_OK, "%s", _("Dues taken off the ticket."));
	else
		ui_msg(ui, MSG_INFO, "%s", _("The ticket holds no dues."));
}

/* Closes the panel and gives the key to the sale screen below. */
static int pass_on(struct ui *ui, int key)
{
	ui_pop(ui);
	if (!ui->depth)
		return RD_SCREEN;
	struct screen *below = &ui->stack[ui->depth - 1];
	return below->ops->key(ui, below, key) | RD_SCREEN;
}

static int member_key(struct ui *ui, struct screen *s, int key)
{
	struct member_dlg *d = s->state;
	char label[96];
	if (key == KEY_ESC || key_is_enter(key)) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (!ui->sale || !sale_member(ui->sale)) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	switch (key) {
	case KEY_F(2):
		snprintf(label, sizeof label, _("Months of wajib (Enter: %d):"),
		         d->loaded && d->st.months ? d->st.months : 1);
		dlg_prompt_open(ui, _("Simpanan wajib"), label, PROMPT_DIGITS, got_months, NULL);
		return RD_SCREEN;
	case KEY_F(3):
		if (sale_add_dues(ui->sale, DUES_POKOK, 0, 0) != CM_OK) {
			ui_error(ui, sale_errmsg(ui->sale));
			return RD_SCREEN;
		}
		load(ui, d);
		ui_msg(ui, MSG_OK, "%s", _("Simpanan pokok added to the ticket."));
		return RD_SCREEN;
	case KEY_F(4):
		dlg_prompt_open(ui, _("Simpanan sukarela"), _("Amount (Rp):"), PROMPT_AMOUNT,
		                got_sukarela, NULL);
		return RD_SCREEN;
	case KEY_F(8):
		remove_all(ui, d);
		return RD_SCREEN;
	default:
		return pass_on(ui, key);
	}
}

static int member_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	ui_pop(ui);
	return scr_sale_scan(ui, code);
}

static void month_text(int32_t m, char *buf, size_t n)
{
	if (m)
		dues_month_format(m, buf, n);
	else
		snprintf(buf, n, "-");
}

/* The ticket's dues in one line: "wajib 3 bln Rp90.000, sukarela Rp20.000". */
static void on_ticket(struct ui *ui, char *buf, size_t n)
{
	int months = 0;
	cm_money sum[DUES_KIND_COUNT] = { 0 };
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sale_dues_count(ui->sale); i++) {
		const struct dues_line *l = sale_dues(ui->sale, i);
		sum[l->kind] += l->amount;
		months += l->kind == DUES_WAJIB;
	}
	for (int k = 0; k < DUES_KIND_COUNT && o < n; k++) {
		char a[32];
		if (!sum[k])
			continue;
		money_format(sum[k], NULL, a, sizeof a);
		if (k == DUES_WAJIB)
			o += (size_t)snprintf(buf + o, n - o, _("%swajib %d mo %s"), o ? ", " : "", months, a);
		else
			o += (size_t)snprintf(buf + o, n - o, "%s%s %s", o ? ", " : "",
			                      dues_kind_name((enum dues_kind)k), a);
	}
	if (!o)
		snprintf(buf, n, "-");
}

static void row(int y, int x, int w, const char *label, const char *value)
{
	char line[200];
	snprintf(line, sizeof line, "%-22s %s", label, value);
	draw_text(y, x, w, line, true);
}

static void member_draw(struct ui *ui, struct screen *s)
{
	struct member_dlg *d = s->state;
	const struct member_rec *m = ui->sale ? sale_member(ui->sale) : NULL;
	int w = COLS - 4 < 72 ? COLS - 4 : 72, h = 17;
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	char title[96], v[160], a[32], b[32], c[16];
	if (!m)
		return;
	snprintf(title, sizeof title, " %s %s ", _("Member"), m->number);
	draw_attr_on(ui, CP_NORMAL);
	draw_box(y, x, h, w, title);
	int r = y + 1, cx = x + 2, cw = w - 4;
	snprintf(v, sizeof v, "%s%s%s%s", m->name, m->type[0] ? " (" : "", m->type,
	         m->type[0] ? ")" : "");
	attron(A_BOLD);
	draw_text(r++, cx, cw, v, true);
	attroff(A_BOLD);
	row(r++, cx, cw, _("Status:"), strcmp(m->status, "active") == 0 ? _("active") : m->status);
	if (d->err[0]) {
		draw_attr_on(ui, CP_ERROR);
		draw_para(r + 1, cx, cw, d->err, true);
		draw_attr_off(ui, CP_ERROR);
	} else if (!d->loaded || !d->st.known) {
		draw_para(r + 1, cx, cw, _("HQ has not sent this member's dues yet (no sync since the member was added). Sukarela can be taken; wajib and pokok after a sync."), true);
	} else {
		const struct standing *st = &d->st;
		month_text(st->through, c, sizeof c);
		row(r++, cx, cw, _("Wajib paid through:"), c);
		money_format(st->arrears, NULL, a, sizeof a);
		month_text(st->oldest, c, sizeof c);
		if (st->months)
			snprintf(v, sizeof v, ngettext("%d month, %s (since %s)", "%d months, %s (since %s)",
			                               (unsigned long)st->months), st->months, a, c);
		else
			snprintf(v, sizeof v, "%s", _("none"));
		if (st->inactive)
			draw_attr_on(ui, CP_ERROR);
		row(r++, cx, cw, _("Arrears:"), v);
		if (st->inactive) {
			snprintf(v, sizeof v, _("INACTIVE FOR DUES (%d months or more owed)"), st->inactive_after);
			attron(A_BOLD);
			draw_text(r++, cx, cw, v, true);
			attroff(A_BOLD);
			draw_attr_off(ui, CP_ERROR);
		}
		money_format(st->pokok_owed, NULL, a, sizeof a);
		row(r++, cx, cw, _("Pokok owed:"), st->pokok_owed ? a : _("none"));
		money_format(st->sukarela, NULL, a, sizeof a);
		money_format(st->sukarela_here, NULL, b, sizeof b);
		if (st->sukarela_here)
			snprintf(v, sizeof v, _("%s (%s of it taken here since the sync)"), a, b);
		else
			snprintf(v, sizeof v, "%s", a);
		row(r++, cx, cw, _("Sukarela balance:"), v);
		month_text(st->hq_month, c, sizeof c);
		row(r++, cx, cw, _("HQ figures as of:"), c);
	}
	on_ticket(ui, v, sizeof v);
	row(y + h - 6, cx, cw, _("On this ticket:"), v);
	if (d->loaded && d->st.known && sale_dues_count(ui->sale)) {
		const struct standing *af = &d->after;
		money_format(af->arrears, NULL, a, sizeof a);
		month_text(af->through, c, sizeof c);
		if (af->months)
			snprintf(v, sizeof v, ngettext("%d month, %s still owed", "%d months, %s still owed",
			                               (unsigned long)af->months), af->months, a);
		else
			snprintf(v, sizeof v, _("nothing owed; wajib paid through %s"), c);
		row(y + h - 5, cx, cw, _("After this ticket:"), v);
	}
	attron(A_BOLD);
	draw_text(y + h - 3, cx, cw, _("F2 Pay wajib  F3 Pokok  F4 Sukarela  F8 Take dues off"), true);
	attroff(A_BOLD);
	draw_text(y + h - 2, cx, cw, _("Enter/Esc: close; a scan rings the item up"), true);
	draw_attr_off(ui, CP_NORMAL);
}

static const struct screen_ops member_ops = {
	.name = "member", .key = member_key, .draw = member_draw, .free = free_member,
	.scan = member_scan, .overlay = true,
};

void dlg_member_open(struct ui *ui)
{
	if (!ui->sale || !sale_member(ui->sale))
		return;
	struct member_dlg *d = calloc(1, sizeof *d);
	if (!d) {
		ui_error(ui, _("out of memory"));
		return;
	}
	load(ui, d);
	ui_push(ui, &member_ops, d);
}
