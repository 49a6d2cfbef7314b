/* Online orders (the members' shop): the orders the sync agent pulled,
 * opened from the sale screen (Ctrl-P). A placed order is picked here
 * (its pick list printed, each line marked picked, short or substituted,
 * then finished: the order is ready); a ready one is collected onto the
 * ticket and paid like any sale. F5 sets a member's web PIN. */
#include "ui/ui_int.h"
#include "engine/shop.h"
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* input: what a keyboard-wedge scanner (or the picker) types before its
 * Enter: a code, handled as a scan. */
struct shop_scr {
	struct shop_order_rec *list;
	size_t n;
	int sel;
	char input[40];
};

struct pick_scr {
	struct shop_order_rec o;
	int sel;
	char input[40];
};

/* What a prompt of the picking carries: the line, and the substitute. */
struct pick_ctx {
	size_t line;
	char code[48];
};

/* The web PIN's prompts: the member, a supervisor's approval for a
 * cashier (shown before the member types), then the PIN, then again. */
struct pin_ctx {
	char member[48];
	char pin[48];
	bool approved;
	struct approval ap;
};

static const char *const list_keys[] = {
	"Enter", N_("Open"), "F2", N_("Collect no."), "F3", N_("Print"), "F5", N_("Web PIN"),
	"Esc", N_("Back"), NULL, NULL,
};

static const char *const pick_keys[] = {
	"Enter", N_("Picked"), "F3", N_("Short"), "F4", N_("Substitute"), "F6", N_("Print"),
	"F10", N_("Finish"), "Esc", N_("Back"), NULL, NULL,
};

/* The status as the counter can act on it: an order past its expiry is
 * expired here even before the sync agent hears so from HQ (collecting
 * and picking refuse it). */
static const char *status_text(const struct shop_order_rec *o, int64_t now)
{
	const char *s = o->status;
	if ((strcmp(s, "placed") == 0 || strcmp(s, "ready") == 0) && now > o->expires_at)
		return _("expired");
	if (strcmp(s, "placed") == 0)
		return _("to pick");
	if (strcmp(s, "ready") == 0)
		return _("ready");
	if (strcmp(s, "collected") == 0)
		return _("collected");
	if (strcmp(s, "expired") == 0)
		return _("expired");
	return _("cancelled");
}

static void slot_text(int64_t start, int64_t end, char *buf, size_t n)
{
	time_t a = (time_t)start, b = (time_t)end;
	struct tm ta, tb;
	localtime_r(&a, &ta);
	localtime_r(&b, &tb);
	snprintf(buf, n, "%02d/%02d %02d:%02d-%02d:%02d", ta.tm_mday, ta.tm_mon + 1, ta.tm_hour,
	         ta.tm_min, tb.tm_hour, tb.tm_min);
}

static void *top_state(struct ui *ui, const char *name)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (strcmp(ui->stack[i].ops->name, name) == 0)
			return ui->stack[i].state;
	return NULL;
}

static void list_reload(struct ui *ui, struct shop_scr *ss)
{
	free(ss->list);
	ss->list = NULL;
	ss->n = 0;
	if (shop_list(ui->till, &ss->list, &ss->n) != CM_OK)
		ui_error(ui, till_errmsg(ui->till));
	if (ss->sel >= (int)ss->n)
		ss->sel = ss->n ? (int)ss->n - 1 : 0;
}

/* Typing into a screen's code field: true when key was taken. */
static bool type_key(char *input, size_t n, int key)
{
	size_t len = strlen(input);
	if (key_is_backspace(key) && len) {
		input[len - 1] = '\0';
		return true;
	}
	if (key >= 0x20 && key < 0x7f && len + 1 < n) {
		input[len] = (char)key;
		input[len + 1] = '\0';
		return true;
	}
	return false;
}

static void draw_input(int row, const char *input)
{
	char line[80];
	snprintf(line, sizeof line, "%s %s_", _("Code:"), input);
	draw_text(row, 1, COLS - 2, line, true);
}

/* ---- collecting ---- */

static bool collect(struct ui *ui, const char *id)
{
	struct sale *s = ui_sale(ui);
	if (!s)
		return false;
	if (sale_shop_collect(s, id) != CM_OK) {
		ui_error(ui, sale_errmsg(s));
		return false;
	}
	const struct member_rec *m = sale_member(s);
	ui_pop_to(ui, "sale");
	scr_sale_follow_last(ui);
	ui_msg(ui, MSG_OK, _("Online order %s of %s %s is on the ticket: F10 to pay."),
	       sale_ticket(s)->shop_order, m ? m->number : "", m ? m->name : "");
	return true;
}

void scr_shop_collect(struct ui *ui, const char *id)
{
	collect(ui, id);
}

static void got_collect_no(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	if (!collect(ui, text))
		dlg_prompt_again(ui);
}

/* ---- the web PIN ---- */

static void pin_again(struct ui *ui, const char *text, void *ctx)
{
	struct pin_ctx *p = ctx;
	enum cm_rc rc = shop_web_pin(ui->till, p->member, p->pin, text,
	                             p->approved ? &p->ap : NULL);
	memset(p->pin, 0, sizeof p->pin);
	if (rc != CM_OK)
		ui_error(ui, till_errmsg(ui->till));
	else
		ui_msg(ui, MSG_OK, _("Web PIN of member %s set: it reaches the shop at the next sync."),
		       p->member);
}

static void pin_first(struct ui *ui, const char *text, void *ctx)
{
	struct pin_ctx *p = ctx, *next = malloc(sizeof *next);
	if (!next) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*next = *p;
	snprintf(next->pin, sizeof next->pin, "%s", text);
	dlg_prompt_open(ui, _("Web PIN"), _("The same PIN again:"), PROMPT_PIN, pin_again, next);
}

static void pin_ask(struct ui *ui, struct pin_ctx *p)
{
	dlg_prompt_open(ui, _("Web PIN"), _("Member, type a PIN (6-12 digits):"), PROMPT_PIN,
	                pin_first, p);
}

static void pin_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	struct pin_ctx *p = ctx, *next = malloc(sizeof *next);
	if (!next) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*next = *p;
	next->approved = true;
	next->ap = *ap;
	pin_ask(ui, next);
}

static void pin_member(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	enum cm_rc rc = shop_web_pin_allowed(ui->till, text, NULL);
	if (rc != CM_OK && rc != CM_NEED_OVERRIDE) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	struct pin_ctx *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(p->member, sizeof p->member, "%s", text);
	if (rc == CM_NEED_OVERRIDE)
		dlg_override_open_need(ui, pin_approved, p);
	else
		pin_ask(ui, p);
}

/* ---- picking ---- */

static struct pick_scr *pick_state(struct ui *ui)
{
	return top_state(ui, "shop_pick");
}

/* What became of the pick list, as the printer was last seen: a picker
 * waiting at a dead printer must be told to pick from the screen. */
static void pick_list_queued(struct ui *ui, const char *id)
{
	switch (ui->printer.state) {
	case PRINTQ_READY:
	case PRINTQ_PAPER_LOW:
		ui_msg(ui, MSG_OK, _("Pick list of %s sent to the printer."), id);
		break;
	case PRINTQ_NONE:
		ui_msg(ui, MSG_ERROR, _("This till has no printer: pick %s from this screen."), id);
		break;
	default:
		ui_msg(ui, MSG_ERROR, _("Printer not ready: %s's pick list prints later; pick from "
		                        "this screen."), id);
		break;
	}
}

static void print_pick_list(struct ui *ui, const struct shop_order_rec *o)
{
	struct shop_order_rec full;
	const struct shop_order_rec *p = o;
	if (!o->lines) {
		if (shop_get(ui->till, o->id, &full) != CM_OK) {
			ui_error(ui, till_errmsg(ui->till));
			return;
		}
		p = &full;
	}
	if (shop_print_pick_list(ui->till, p) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
	} else {
		ui_print_kick(ui);
		pick_list_queued(ui, p->id);
	}
	if (p == &full)
		shop_order_free(&full);
}

/* After a mark: the next line is chosen; false (message shown) when the
 * mark was refused. */
static bool mark_done(struct ui *ui, struct pick_scr *ps, enum cm_rc rc)
{
	if (rc != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return false;
	}
	ui->msg[0] = '\0';
	if (ps->sel + 1 < (int)ps->o.nlines)
		ps->sel++;
	return true;
}

static void got_short(struct ui *ui, const char *text, void *ctx)
{
	struct pick_ctx *c = ctx;
	struct pick_scr *ps = pick_state(ui);
	cm_qty q = 0;
	if (!ps)
		return;
	if (strcmp(text, "0") != 0 && qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("That is not a quantity (e.g. 3 or 0,75)."));
		dlg_prompt_again(ui);
		return;
	}
	if (!mark_done(ui, ps, shop_mark(ui->till, &ps->o, c->line, q)))
		dlg_prompt_again(ui);
}

static void got_sub_qty(struct ui *ui, const char *text, void *ctx)
{
	struct pick_ctx *c = ctx;
	struct pick_scr *ps = pick_state(ui);
	cm_qty q;
	if (!ps)
		return;
	if (qty_parse(text, true, &q) != CM_OK) {
		ui_error(ui, _("That is not a quantity (e.g. 3 or 0,75)."));
		dlg_prompt_again(ui);
		return;
	}
	cm_money own = 0;
	if (!mark_done(ui, ps, shop_substitute(ui->till, &ps->o, c->line, c->code, q, &own))) {
		dlg_prompt_again(ui);
		return;
	}
	const struct shop_line_rec *l = &ps->o.lines[c->line];
	cm_money pays = 0, would = 0;
	char a[32], b[32];
	if (own > l->sub_price && money_line_amount(l->sub_price, q, &pays) == CM_OK &&
	    money_line_amount(own, q, &would) == CM_OK) {
		money_format(pays, NULL, a, sizeof a);
		money_format(would, NULL, b, sizeof b);
		ui_msg(ui, MSG_INFO, _("Substitute dearer than ordered: the member pays %s, not %s."),
		       a, b);
	}
}

static void got_sub_code(struct ui *ui, const char *text, void *ctx)
{
	struct pick_ctx *c = ctx, *next;
	struct pick_scr *ps = pick_state(ui);
	if (!ps)
		return;
	/* An unknown code is told now, not after its quantity was typed. */
	if (shop_substitute_check(ui->till, &ps->o, c->line, text) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	next = malloc(sizeof *next);
	if (!next) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*next = *c;
	snprintf(next->code, sizeof next->code, "%s", text);
	dlg_prompt_open(ui, _("Substitute"), _("Quantity given:"), PROMPT_QTY, got_sub_qty, next);
}

static struct pick_ctx *line_ctx(struct ui *ui, const struct pick_scr *ps)
{
	struct pick_ctx *c = calloc(1, sizeof *c);
	if (!c)
		ui_error(ui, _("out of memory"));
	else
		c->line = (size_t)ps->sel;
	return c;
}

static void finish(struct ui *ui, struct pick_scr *ps)
{
	char total[32], id[24];
	if (shop_pick_finish(ui->till, &ps->o) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	money_format(ps->o.picked_total, NULL, total, sizeof total);
	snprintf(id, sizeof id, "%s", ps->o.id);
	ui_pop(ui);
	struct shop_scr *ss = top_state(ui, "shop");
	if (ss)
		list_reload(ui, ss);
	ui_msg(ui, MSG_OK, _("Order %s is ready for pickup: %s."), id, total);
}

/* A scanned item of the order marks its line picked in full. */
static int pick_scan(struct ui *ui, struct screen *s, const char *code)
{
	struct pick_scr *ps = s->state;
	for (size_t i = 0; i < ps->o.nlines; i++) {
		const struct shop_line_rec *l = &ps->o.lines[i];
		if (strcmp(code, l->gtin) == 0 || strcmp(code, l->sku) == 0) {
			ps->sel = (int)i;
			mark_done(ui, ps, shop_mark(ui->till, &ps->o, i, l->qty));
			return RD_SCREEN;
		}
	}
	ui_msg(ui, MSG_ERROR, _("%s is not on this order: F4 substitutes the chosen line."), code);
	return RD_SCREEN;
}

static void leave_confirmed(struct ui *ui, void *ctx)
{
	(void)ctx;
	if (!pick_state(ui))
		return;
	ui_pop(ui);
	ui_msg(ui, MSG_INFO, "%s", _("Picking left: nothing was saved."));
}

/* Esc: a slip of the finger must not forget a half-picked order's marks,
 * so leaving asks first once a line is marked. */
static void leave_picking(struct ui *ui, const struct pick_scr *ps)
{
	size_t marked = 0;
	char text[200];
	for (size_t i = 0; i < ps->o.nlines; i++)
		marked += ps->o.lines[i].pick_status[0] != '\0';
	if (!marked) {
		leave_confirmed(ui, NULL);
		return;
	}
	snprintf(text, sizeof text, _("%zu of %zu lines are marked. Leaving forgets the marks:\n"
	                              "the order stays to pick (F10 finishes it)."),
	         marked, ps->o.nlines);
	dlg_confirm_open(ui, _("Leave the picking?"), text, leave_confirmed, NULL);
}

static int pick_key(struct ui *ui, struct screen *s, int key)
{
	struct pick_scr *ps = s->state;
	struct pick_ctx *c;
	if (key_is_enter(key) && ps->input[0]) {
		char code[40];
		snprintf(code, sizeof code, "%s", ps->input);
		ps->input[0] = '\0';
		return pick_scan(ui, s, code);
	}
	if (key == KEY_ESC && ps->input[0]) {
		ps->input[0] = '\0';
	} else if (key == KEY_ESC) {
		leave_picking(ui, ps);
	} else if (key == KEY_UP && ps->sel > 0) {
		ps->sel--;
	} else if (key == KEY_DOWN && ps->sel + 1 < (int)ps->o.nlines) {
		ps->sel++;
	} else if (key_is_enter(key) && ps->o.nlines) {
		mark_done(ui, ps, shop_mark(ui->till, &ps->o, (size_t)ps->sel,
		                             ps->o.lines[ps->sel].qty));
	} else if (key == KEY_F(3) && ps->o.nlines && (c = line_ctx(ui, ps))) {
		dlg_prompt_open(ui, _("Short"), _("Quantity found (0: none):"), PROMPT_QTY, got_short, c);
	} else if (key == KEY_F(4) && ps->o.nlines && (c = line_ctx(ui, ps))) {
		dlg_prompt_open(ui, _("Substitute"), _("Scan or type the item given:"), PROMPT_CODE,
		                got_sub_code, c);
	} else if (key == KEY_F(6)) {
		print_pick_list(ui, &ps->o);
	} else if (key == KEY_F(10)) {
		finish(ui, ps);
	} else if (!type_key(ps->input, sizeof ps->input, key)) {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void mark_text(const struct shop_line_rec *l, char *buf, size_t n)
{
	char q[24];
	qty_format(l->picked_qty, q, sizeof q);
	if (!l->pick_status[0])
		snprintf(buf, n, "-");
	else if (strcmp(l->pick_status, "picked") == 0)
		snprintf(buf, n, _("picked %s"), q);
	else if (strcmp(l->pick_status, "short") == 0)
		snprintf(buf, n, _("short %s"), q);
	else
		snprintf(buf, n, _("subst. %s %s"), l->sub_sku, q);
}

static void pick_draw(struct ui *ui, struct screen *s)
{
	struct pick_scr *ps = s->state;
	char title[128], head[160], total[32];
	snprintf(title, sizeof title, _("Picking %s"), ps->o.id);
	draw_header(ui, title);
	snprintf(head, sizeof head, _("Member: %s %s"), ps->o.member_no, ps->o.member_name);
	draw_text(2, 2, COLS - 4, head, false);
	snprintf(head, sizeof head, "%-2s %-30s %8s %-8s %s", _("No"), _("Item"), _("Qty"),
	         _("Shelf"), _("Marked"));
	draw_attr_on(ui, CP_DIM);
	draw_text(3, 1, COLS - 2, head, false);
	draw_attr_off(ui, CP_DIM);
	for (size_t i = 0; i < ps->o.nlines && (int)i < LINES - 9; i++) {
		const struct shop_line_rec *l = &ps->o.lines[i];
		char q[24], mark[64], name[31], line[200];
		qty_format(l->qty, q, sizeof q);
		mark_text(l, mark, sizeof mark);
		snprintf(name, sizeof name, "%.30s", l->name);
		snprintf(line, sizeof line, "%2lld %-30s %8s %-8s %s", (long long)l->line, name, q,
		         l->zone[0] ? l->zone : "-", mark);
		if ((int)i == ps->sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(4 + (int)i, 0, ' ', COLS);
		draw_text(4 + (int)i, 1, COLS - 2, line, false);
		if ((int)i == ps->sel)
			draw_attr_off(ui, CP_SELECT);
	}
	money_format(shop_picked_total(&ps->o), NULL, total, sizeof total);
	snprintf(head, sizeof head, _("Picked so far: %s"), total);
	draw_text(LINES - 4, 2, COLS - 4, head, false);
	draw_status(ui, LINES - 5);
	draw_input(LINES - 3, ps->input);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, pick_keys);
}

static void pick_free(void *p)
{
	struct pick_scr *ps = p;
	if (ps)
		shop_order_free(&ps->o);
	free(ps);
}

static const struct screen_ops pick_ops = {
	.name = "shop_pick", .key = pick_key, .draw = pick_draw, .free = pick_free,
	.scan = pick_scan,
};

static void pick_open(struct ui *ui, const char *id)
{
	struct pick_scr *ps = calloc(1, sizeof *ps);
	if (!ps) {
		ui_error(ui, _("out of memory"));
		return;
	}
	if (shop_get(ui->till, id, &ps->o) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		free(ps);
		return;
	}
	ui->msg[0] = '\0';
	ui_push(ui, &pick_ops, ps);
}

/* ---- the list ---- */

static int list_key(struct ui *ui, struct screen *s, int key)
{
	struct shop_scr *ss = s->state;
	const struct shop_order_rec *o = ss->n ? &ss->list[ss->sel] : NULL;
	if (key_is_enter(key) && ss->input[0]) {
		char code[40];
		snprintf(code, sizeof code, "%s", ss->input);
		ss->input[0] = '\0';
		collect(ui, code);
	} else if (key == KEY_ESC && ss->input[0]) {
		ss->input[0] = '\0';
	} else if (key == KEY_ESC) {
		ui_pop(ui);
	} else if (key == KEY_UP && ss->sel > 0) {
		ss->sel--;
	} else if (key == KEY_DOWN && ss->sel + 1 < (int)ss->n) {
		ss->sel++;
	} else if (key_is_enter(key) && o) {
		if (strcmp(o->status, "placed") == 0)
			pick_open(ui, o->id);
		else
			collect(ui, o->id);
	} else if (key == KEY_F(2)) {
		dlg_prompt_open(ui, _("Collect an online order"), _("Order no. (OL-000123 or 123):"),
		                PROMPT_CODE, got_collect_no, NULL);
	} else if (key == KEY_F(3) && o) {
		print_pick_list(ui, o);
	} else if (key == KEY_F(5)) {
		dlg_prompt_open(ui, _("Web PIN"), _("Member no. or card:"), PROMPT_CODE, pin_member,
		                NULL);
	} else if (!type_key(ss->input, sizeof ss->input, key)) {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* A scanned order barcode collects the order. */
static int list_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	collect(ui, code);
	return RD_SCREEN;
}

static void list_draw(struct ui *ui, struct screen *s)
{
	struct shop_scr *ss = s->state;
	char head[200];
	draw_header(ui, _("Online orders"));
	snprintf(head, sizeof head, "%-9s %-12s %-17s %-22s %12s", _("Order"), _("Status"),
	         _("Pickup"), _("Member"), _("Total"));
	draw_attr_on(ui, CP_DIM);
	draw_text(2, 1, COLS - 2, head, false);
	draw_attr_off(ui, CP_DIM);
	if (!ss->n)
		draw_text(4, 2, COLS - 4, _("No online orders. The sync agent brings them from HQ."),
		          false);
	for (size_t i = 0; i < ss->n && (int)i < LINES - 7; i++) {
		const struct shop_order_rec *o = &ss->list[i];
		char line[200], slot[32], total[32], member[23];
		slot_text(o->slot_start, o->slot_end, slot, sizeof slot);
		money_format(o->has_picked ? o->picked_total : o->total, NULL, total, sizeof total);
		snprintf(member, sizeof member, "%.10s %.11s", o->member_no, o->member_name);
		snprintf(line, sizeof line, "%-9s %-12s %-17s %-22s %12s", o->id,
		         status_text(o, till_now(ui->till)), slot, member, total);
		if ((int)i == ss->sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(3 + (int)i, 0, ' ', COLS);
		draw_text(3 + (int)i, 1, COLS - 2, line, false);
		if ((int)i == ss->sel)
			draw_attr_off(ui, CP_SELECT);
	}
	draw_status(ui, LINES - 4);
	draw_input(LINES - 3, ss->input);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, list_keys);
}

static void list_free(void *p)
{
	struct shop_scr *ss = p;
	if (ss)
		free(ss->list);
	free(ss);
}

static const struct screen_ops list_ops = {
	.name = "shop", .key = list_key, .draw = list_draw, .free = list_free, .scan = list_scan,
};

void scr_shop_open(struct ui *ui)
{
	struct shop_scr *ss = calloc(1, sizeof *ss);
	if (!ss) {
		ui_error(ui, _("out of memory"));
		return;
	}
	list_reload(ui, ss);
	ui_push(ui, &list_ops, ss);
}
