/* Resume: the tickets on hold; Enter takes one back. */
#include "ui/ui_int.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESUME_MAX 64

struct held {
	struct ticket_rec t;
	size_t lines;
	cm_money total;        /* after discounts */
};

struct resume {
	struct held list[RESUME_MAX];
	size_t n;
	int sel;
};

static const char *const resume_keys[] = {
	"Enter", N_("Resume"), "Up/Down", N_("Choose"), "Esc", N_("Back"), NULL, NULL,
};

static void collect(const struct ticket_rec *t, size_t nlines, cm_money total, void *ctx)
{
	struct resume *r = ctx;
	if (r->n < RESUME_MAX)
		r->list[r->n++] = (struct held){ *t, nlines, total };
}

static int resume_key(struct ui *ui, struct screen *s, int key)
{
	struct resume *r = s->state;
	if (key == KEY_ESC) {
		ui_pop(ui);
	} else if (key == KEY_UP && r->sel > 0) {
		r->sel--;
	} else if (key == KEY_DOWN && r->sel + 1 < (int)r->n) {
		r->sel++;
	} else if (key_is_enter(key) && r->n) {
		struct sale *sale;
		if (sale_resume(ui->till, r->list[r->sel].t.id, &sale) != CM_OK) {
			ui_error(ui, till_errmsg(ui->till));
			return RD_SCREEN;
		}
		ui->sale = sale;
		ui_pop(ui);
		scr_sale_follow_last(ui);
		ui_msg(ui, MSG_OK, "%s", _("Ticket resumed."));
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void resume_draw(struct ui *ui, struct screen *s)
{
	struct resume *r = s->state;
	draw_header(ui, _("Tickets on hold"));
	if (!r->n)
		draw_text(3, 2, COLS - 4, _("No tickets on hold."), false);
	for (size_t i = 0; i < r->n && (int)i < LINES - 6; i++) {
		char line[160], total[32], when[48];
		money_format(r->list[i].total, NULL, total, sizeof total);
		draw_clock(when, sizeof when, r->list[i].t.opened_at);
		snprintf(line, sizeof line, "%-20s %s  %3zu %s  %14s", r->list[i].t.label[0] ?
		         r->list[i].t.label : "-", when, r->list[i].lines,
		         ngettext("line", "lines", (unsigned long)r->list[i].lines), total);
		if ((int)i == r->sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(3 + (int)i, 0, ' ', COLS);
		draw_text(3 + (int)i, 2, COLS - 4, line, false);
		if ((int)i == r->sel)
			draw_attr_off(ui, CP_SELECT);
	}
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, resume_keys);
}

static const struct screen_ops resume_ops = {
	.name = "resume", .key = resume_key, .draw = resume_draw, .free = free,
};

void scr_resume_open(struct ui *ui)
{
	struct resume *r = calloc(1, sizeof *r);
	if (!r)
		return;
	if (sale_list_suspended(ui->till, collect, r) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		free(r);
		return;
	}
	ui_push(ui, &resume_ops, r);
}
