/* Stock counts in the till (manager menu "Stock counts"): the list of
 * unfinished counts, starting one, the counting screen and the review;
 * and the stock reports (manager menu "Stock reports").
 *
 * The counting screen shows what the counter has counted, never what the
 * terminal expects (engine/count.h); only the review, for supervisors,
 * shows expected quantities. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "core/perm.h"
#include "engine/count.h"
#include "engine/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool allowed(struct ui *ui, enum action act)
{
	const struct user_rec *u = till_user(ui->till);
	if (u && perm_check(u->role, act) == PERM_ALLOW)
		return true;
	ui_msg(ui, MSG_ERROR, _("Not allowed for the role %s."), u ? role_name(u->role) : "-");
	beep();
	return false;
}

static void scope_text(const struct count_info *c, char *buf, size_t n)
{
	if (c->scope == SCOPE_ZONE)
		snprintf(buf, n, _("zone %s"), c->scope_value);
	else if (c->scope == SCOPE_CATEGORY)
		snprintf(buf, n, _("category %s"), c->scope_value);
	else
		snprintf(buf, n, "%s", _("whole store"));
}

static void counting_open(struct ui *ui, int64_t id);
static void review_open(struct ui *ui, int64_t id);
struct counts;
static void counts_load(struct ui *ui, struct counts *c);

/* After a screen over the list is gone: the list shows the news. */
static void refresh_counts(struct ui *ui)
{
	if (ui->depth > 0 && strcmp(ui->stack[ui->depth - 1].ops->name, "counts") == 0)
		counts_load(ui, ui->stack[ui->depth - 1].state);
}

/* ---- the list of unfinished counts ---- */

struct counts {
	struct count_info *v;
	size_t n;
	int sel;
};

static void counts_free(void *p)
{
	struct counts *c = p;
	if (c)
		free(c->v);
	free(c);
}

static void counts_load(struct ui *ui, struct counts *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
	if (count_list(ui->till, true, &c->v, &c->n) != CM_OK)
		ui_error(ui, till_errmsg(ui->till));
	if (c->sel >= (int)c->n)
		c->sel = c->n ? (int)c->n - 1 : 0;
}

static const char *const counts_keys[] = {
	"Enter", N_("Count"), "F2", N_("New count"), "F3", N_("Pause/resume"),
	"F4", N_("Review"), "Esc", N_("Back"), NULL, NULL,
};

static void scope_chosen(struct ui *ui, enum count_scope scope, const char *value)
{
	int64_t id;
	if (count_start(ui->till, scope, value, &id) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	struct count_info ci;
	if (count_get(ui->till, id, &ci) == CM_OK)
		ui_msg(ui, MSG_OK, _("Count %lld started: %lld items."), (long long)id, (long long)ci.items);
	refresh_counts(ui);
	counting_open(ui, id);
}

/* ---- the zones a count may take: chosen from a list ---- */

struct zones {
	struct zone_rec *v;
	size_t n;
	int sel, top;
	char jump[24];      /* typed: the first zone starting with it is chosen */
};

static void zones_free(void *p)
{
	struct zones *z = p;
	if (z)
		free(z->v);
	free(z);
}

static const char *const zones_keys[] = {
	"Enter", N_("Count this zone"), "Up/Down", N_("Choose"), "Esc", N_("Back"), NULL, NULL,
};

/* The first zone whose name starts with what was typed (any case). */
static void zones_jump(struct ui *ui, struct zones *z)
{
	size_t k = strlen(z->jump);
	for (size_t i = 0; i < z->n; i++) {
		if (strncasecmp(z->v[i].zone, z->jump, k) == 0) {
			z->sel = (int)i;
			ui->msg[0] = '\0';
			return;
		}
	}
	ui_msg(ui, MSG_ERROR, _("No zone starts with %s."), z->jump);
}

static int zones_key(struct ui *ui, struct screen *s, int key)
{
	struct zones *z = s->state;
	int n = (int)z->n;
	size_t k = strlen(z->jump);
	if (key == KEY_ESC) {
		ui_pop(ui);
	} else if (key_is_enter(key) && n) {
		char zone[24];
		snprintf(zone, sizeof zone, "%s", z->v[z->sel].zone);
		ui_pop(ui);
		scope_chosen(ui, SCOPE_ZONE, zone);
	} else if ((key == KEY_UP || key == KEY_DOWN) && n) {
		z->sel = (z->sel + (key == KEY_UP ? n - 1 : 1)) % n;
		z->jump[0] = '\0';
	} else if ((key == KEY_PPAGE || key == KEY_NPAGE) && n) {
		z->sel += key == KEY_PPAGE ? -10 : 10;
		z->sel = z->sel < 0 ? 0 : z->sel >= n ? n - 1 : z->sel;
		z->jump[0] = '\0';
	} else if (key_is_backspace(key)) {
		if (k)
			z->jump[k - 1] = '\0';
	} else if (key > 0x20 && key < 0x7f && k + 1 < sizeof z->jump) {
		z->jump[k] = (char)key;
		z->jump[k + 1] = '\0';
		zones_jump(ui, z);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void zones_draw(struct ui *ui, struct screen *s)
{
	struct zones *z = s->state;
	char line[160];
	draw_header(ui, _("New count: shelf zone"));
	draw_text(2, 2, COLS - 4, _("Choose the zone to count (or type its name):"), false);
	int rows = LINES - 7 > 1 ? LINES - 7 : 1;
	if (z->sel < z->top)
		z->top = z->sel;
	if (z->sel >= z->top + rows)
		z->top = z->sel - rows + 1;
	if (!z->n)
		draw_text(4, 2, COLS - 4, _("No zones yet: import them (import stock-info)."), false);
	for (int r = 0; r < rows && z->top + r < (int)z->n; r++) {
		const struct zone_rec *v = &z->v[z->top + r];
		snprintf(line, sizeof line, "%-10s %6lld %s  %s", v->zone, (long long)v->items,
		         ngettext("item", "items", (unsigned long)v->items),
		         v->counting ? _("(a count is running)") : "");
		bool sel = z->top + r == z->sel;
		if (sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(4 + r, 0, ' ', COLS);
		draw_text(4 + r, 2, COLS - 4, line, false);
		if (sel)
			draw_attr_off(ui, CP_SELECT);
	}
	snprintf(line, sizeof line, _("Zone: %s_"), z->jump);
	draw_text(LINES - 3, 2, COLS - 4, line, true);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, zones_keys);
}

static const struct screen_ops zones_ops = {
	.name = "count-zones", .key = zones_key, .draw = zones_draw, .free = zones_free,
};

static void zones_open(struct ui *ui)
{
	struct zones *z = calloc(1, sizeof *z);
	if (!z) {
		ui_error(ui, _("out of memory"));
		return;
	}
	if (count_zones(ui->till, &z->v, &z->n) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		free(z);
		return;
	}
	ui_push(ui, &zones_ops, z);
}

static void got_category(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	scope_chosen(ui, SCOPE_CATEGORY, text);
}

/* The scope of a new count: 1 zone, 2 category, 3 the whole store. */
static int scope_key(struct ui *ui, struct screen *s, int key)
{
	(void)s;
	if (key == KEY_ESC) {
		ui_pop(ui);
	} else if (key == '1') {
		ui_pop(ui);
		zones_open(ui);
	} else if (key == '2') {
		ui_pop(ui);
		dlg_prompt_open(ui, _("New count"), _("Category:"), PROMPT_TEXT, got_category, NULL);
	} else if (key == '3') {
		ui_pop(ui);
		scope_chosen(ui, SCOPE_ALL, "");
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void scope_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	(void)s;
	int w = 44 < COLS ? 44 : COLS, h = 8;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	draw_box(y, x, h, w, _(" New count "));
	draw_text(y + 2, x + 3, w - 6, _("1. A shelf zone"), false);
	draw_text(y + 3, x + 3, w - 6, _("2. A category"), false);
	draw_text(y + 4, x + 3, w - 6, _("3. The whole store"), false);
	draw_text(y + 6, x + 3, w - 6, _("1-3: choose   Esc: cancel"), false);
}

static const struct screen_ops scope_ops = {
	.name = "count-scope", .key = scope_key, .draw = scope_draw, .overlay = true,
};

static int counts_key(struct ui *ui, struct screen *s, int key)
{
	struct counts *c = s->state;
	struct count_info *cur = c->n ? &c->v[c->sel] : NULL;
	if (key == KEY_ESC) {
		ui_pop(ui);
	} else if (key == KEY_UP && c->n) {
		c->sel = (c->sel + (int)c->n - 1) % (int)c->n;
	} else if (key == KEY_DOWN && c->n) {
		c->sel = (c->sel + 1) % (int)c->n;
	} else if (key == KEY_F(2)) {
		if (allowed(ui, ACT_COUNT_START))
			ui_push(ui, &scope_ops, NULL);
	} else if (key == KEY_F(3) && cur) {
		if (!allowed(ui, ACT_COUNT_START))
			return RD_SCREEN;
		enum cm_rc rc = cur->status == COUNT_PAUSED ? count_resume(ui->till, cur->id)
		                                            : count_pause(ui->till, cur->id);
		if (rc != CM_OK)
			ui_error(ui, till_errmsg(ui->till));
		else
			ui_msg(ui, MSG_OK, cur->status == COUNT_PAUSED ? _("Count %lld resumed.")
			                                               : _("Count %lld paused."),
			       (long long)cur->id);
		counts_load(ui, c);
	} else if (key == KEY_F(4) && cur) {
		if (allowed(ui, ACT_COUNT_POST))
			review_open(ui, cur->id);
	} else if (key_is_enter(key) && cur) {
		if (cur->status == COUNT_PAUSED)
			ui_error(ui, _("This count is paused: F3 resumes it."));
		else
			counting_open(ui, cur->id);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void counts_draw(struct ui *ui, struct screen *s)
{
	struct counts *c = s->state;
	draw_header(ui, _("Stock counts"));
	if (!c->n)
		draw_text(3, 2, COLS - 4, _("No count is running. F2 starts one."), false);
	for (size_t i = 0; i < c->n && 3 + (int)i < LINES - 3; i++) {
		char scope[80], when[48], line[200];
		scope_text(&c->v[i], scope, sizeof scope);
		draw_clock(when, sizeof when, c->v[i].started_at);
		snprintf(line, sizeof line, _("Count %lld  %-16s %-8s %s  %lld/%lld counted"),
		         (long long)c->v[i].id, scope,
		         c->v[i].status == COUNT_PAUSED ? _("paused") : _("open"), when,
		         (long long)c->v[i].counted, (long long)c->v[i].items);
		if ((int)i == c->sel)
			draw_attr_on(ui, CP_SELECT);
		mvhline(3 + (int)i, 0, ' ', COLS);
		draw_text(3 + (int)i, 2, COLS - 4, line, false);
		if ((int)i == c->sel)
			draw_attr_off(ui, CP_SELECT);
	}
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, counts_keys);
}

static const struct screen_ops counts_ops = {
	.name = "counts", .key = counts_key, .draw = counts_draw, .free = counts_free,
};

void mgr_stock_count(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	struct counts *c = calloc(1, sizeof *c);
	if (!c) {
		ui_error(ui, _("out of memory"));
		return;
	}
	counts_load(ui, c);
	ui_push(ui, &counts_ops, c);
}

/* ---- counting ---- */

#define RECENT 64

struct counting {
	int64_t id;
	char title[120];
	char zone[48];
	char input[48];
	struct {
		char name[96];
		char entered[32];
		char total[24];
		char unit[9];
	} recent[RECENT];            /* newest last */
	int nrecent;
};

/* What the quantity and add/replace dialogs carry. */
struct pending {
	int64_t id;
	struct item_rec item;
	cm_qty so_far;
	bool counted;
	cm_qty qty;
};

static struct counting *counting_of(struct ui *ui)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (strcmp(ui->stack[i].ops->name, "counting") == 0)
			return ui->stack[i].state;
	return NULL;
}

static void enter_qty(struct ui *ui, struct pending *p, enum count_mode mode)
{
	cm_qty total;
	struct counting *c = counting_of(ui);
	if (count_enter(ui->till, p->id, p->item.id, c ? c->zone : NULL, mode, p->qty,
	                &total) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	char e[24], t[24];
	qty_format(p->qty, e, sizeof e);
	qty_format(total, t, sizeof t);
	if (c) {
		if (c->nrecent == RECENT) {
			memmove(c->recent, c->recent + 1, sizeof c->recent[0] * (RECENT - 1));
			c->nrecent--;
		}
		snprintf(c->recent[c->nrecent].name, sizeof c->recent[0].name, "%s", p->item.name);
		snprintf(c->recent[c->nrecent].entered, sizeof c->recent[0].entered, "%s%s",
		         mode == COUNT_ADD ? "+" : "=", e);
		snprintf(c->recent[c->nrecent].total, sizeof c->recent[0].total, "%s", t);
		snprintf(c->recent[c->nrecent].unit, sizeof c->recent[0].unit, "%s", p->item.unit);
		c->nrecent++;
	}
	ui_msg(ui, MSG_OK, _("%s: %s %s counted."), p->item.name, t, p->item.unit);
}

/* An item counted before: the counter chooses add or replace. */
static int addrep_key(struct ui *ui, struct screen *s, int key)
{
	struct pending *p = s->state;
	if (key != '1' && key != '2' && key != KEY_ESC)
		return RD_NONE;
	struct pending copy = *p;
	ui_pop(ui);
	if (key == '1')
		enter_qty(ui, &copy, COUNT_ADD);
	else if (key == '2')
		enter_qty(ui, &copy, COUNT_REPLACE);
	else
		ui_msg(ui, MSG_INFO, "%s", _("Nothing changed."));
	return RD_SCREEN;
}

static void addrep_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	struct pending *p = s->state;
	int w = 60 < COLS ? 60 : COLS, h = 9;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	char so[24], q[24], sum[24], line[160];
	qty_format(p->so_far, so, sizeof so);
	qty_format(p->qty, q, sizeof q);
	qty_format(p->so_far + p->qty, sum, sizeof sum);
	draw_box(y, x, h, w, _(" Counted before "));
	draw_text(y + 2, x + 3, w - 6, p->item.name, false);
	snprintf(line, sizeof line, _("Counted so far: %s %s"), so, p->item.unit);
	draw_text(y + 3, x + 3, w - 6, line, false);
	snprintf(line, sizeof line, _("1. Add %s (total %s)"), q, sum);
	draw_text(y + 5, x + 3, w - 6, line, false);
	snprintf(line, sizeof line, _("2. Replace with %s"), q);
	draw_text(y + 6, x + 3, w - 6, line, false);
	draw_text(y + 7, x + 3, w - 6, _("Esc: cancel"), false);
}

static const struct screen_ops addrep_ops = {
	.name = "count-addrep", .key = addrep_key, .draw = addrep_draw, .free = free,
	.overlay = true,
};

static void got_qty(struct ui *ui, const char *text, void *ctx)
{
	struct pending *p = ctx;
	if (count_qty_parse(text, p->item.weighed, &p->qty) != CM_OK) {
		ui_error(ui, p->item.weighed ? _("Type the weight in kg, e.g. 1,25.")
		                             : _("Type how many pieces, a whole number (0 when none)."));
		dlg_prompt_again(ui);
		return;
	}
	if (!p->counted) {
		enter_qty(ui, p, COUNT_ADD);
		return;
	}
	struct pending *next = malloc(sizeof *next);
	if (!next) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*next = *p;
	ui_push(ui, &addrep_ops, next);
}

/* code: typed on the counting line, or from a scanner device. False
 * when it names no item of the count (a message says so). */
static bool counting_scan(struct ui *ui, struct counting *c, const char *code)
{
	struct pending *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, _("out of memory"));
		return false;
	}
	p->id = c->id;
	if (count_find(ui->till, c->id, code, &p->item, &p->so_far, &p->counted) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		beep();
		free(p);
		return false;
	}
	char label[64];
	snprintf(label, sizeof label, p->item.weighed ? _("Weight (kg):") : _("Quantity (%s):"),
	         p->item.unit);
	/* The item in full (the title may be cut) and the counter's own
	 * count so far: never the expected stock (a blind count). */
	char note[320], so[24];
	qty_format(p->so_far, so, sizeof so);
	if (p->counted)
		snprintf(note, sizeof note, _("%s (%s)\nCounted so far: %s %s"), p->item.name,
		         p->item.sku, so, p->item.unit);
	else
		snprintf(note, sizeof note, _("%s (%s)\nNot counted yet."), p->item.name, p->item.sku);
	dlg_prompt_open(ui, p->item.name, label, PROMPT_QTY, got_qty, p);
	dlg_prompt_lines(ui, note);
	return true;
}

static void got_counter_zone(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct counting *c = counting_of(ui);
	if (c)
		snprintf(c->zone, sizeof c->zone, "%s", text);
}

static const char *const counting_keys[] = {
	"Enter", N_("Item"), "F2", N_("Zone"), "F4", N_("Pause"), "Esc", N_("Back"), NULL, NULL,
};

static int counting_key(struct ui *ui, struct screen *s, int key)
{
	struct counting *c = s->state;
	size_t n = strlen(c->input);
	if (key == KEY_ESC) {
		ui_pop(ui);
		refresh_counts(ui);
	} else if (key_is_enter(key)) {
		if (n && counting_scan(ui, c, c->input))
			c->input[0] = '\0';
	} else if (key_is_backspace(key)) {
		if (n)
			c->input[n - 1] = '\0';
	} else if (key == KEY_F(2)) {
		dlg_prompt_open(ui, _("Counting"), _("The zone you count:"), PROMPT_TEXT,
		                got_counter_zone, NULL);
	} else if (key == KEY_F(4)) {
		if (!allowed(ui, ACT_COUNT_START))
			return RD_SCREEN;
		if (count_pause(ui->till, c->id) != CM_OK) {
			ui_error(ui, till_errmsg(ui->till));
			return RD_SCREEN;
		}
		ui_msg(ui, MSG_OK, _("Count %lld paused."), (long long)c->id);
		ui_pop(ui);
		refresh_counts(ui);
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof c->input) {
		c->input[n] = (char)key;
		c->input[n + 1] = '\0';
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* A scanner device's code: counted like a typed one; the typing stays. */
static int counting_device_scan(struct ui *ui, struct screen *s, const char *code)
{
	counting_scan(ui, s->state, code);
	return RD_SCREEN;
}

static void counting_draw(struct ui *ui, struct screen *s)
{
	struct counting *c = s->state;
	char line[200];
	draw_header(ui, c->title);
	snprintf(line, sizeof line, _("Counter: %s   Zone: %s"),
	         till_user(ui->till) ? till_user(ui->till)->name : "-", c->zone[0] ? c->zone : "-");
	draw_text(2, 2, COLS - 4, line, true);
	int rows = LINES - 8 > 0 ? LINES - 8 : 0;
	int first = c->nrecent > rows ? c->nrecent - rows : 0;
	for (int i = first, y = 4; i < c->nrecent; i++, y++) {
		/* The name by display columns (a byte cut could split a
		 * character), the counts after it. */
		mvhline(y, 0, ' ', COLS);
		draw_text(y, 2, 40, c->recent[i].name, true);
		snprintf(line, sizeof line, " %10s  %s %s", c->recent[i].entered, c->recent[i].total,
		         c->recent[i].unit);
		draw_text(y, 42, COLS - 44, line, false);
	}
	snprintf(line, sizeof line, _("Scan or type an item: %s"), c->input);
	int up = draw_message_rows(ui) - 1;  /* a message on two rows */
	draw_attr_on(ui, CP_TOTAL);
	mvhline(LINES - 3 - up, 0, ' ', COLS);
	draw_text(LINES - 3 - up, 2, COLS - 4, line, false);
	draw_attr_off(ui, CP_TOTAL);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, counting_keys);
}

static const struct screen_ops counting_ops = {
	.name = "counting", .key = counting_key, .draw = counting_draw, .free = free,
	.scan = counting_device_scan,
};

static void counting_open(struct ui *ui, int64_t id)
{
	if (!allowed(ui, ACT_STOCK_COUNT))
		return;
	struct count_info ci;
	if (count_get(ui->till, id, &ci) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	struct counting *c = calloc(1, sizeof *c);
	if (!c) {
		ui_error(ui, _("out of memory"));
		return;
	}
	char scope[80];
	scope_text(&ci, scope, sizeof scope);
	c->id = id;
	snprintf(c->title, sizeof c->title, _("Count %lld: %s"), (long long)id, scope);
	if (ci.scope == SCOPE_ZONE)
		snprintf(c->zone, sizeof c->zone, "%s", ci.scope_value);
	ui_push(ui, &counting_ops, c);
}

/* ---- review ---- */

struct review {
	int64_t id;
	struct count_review r;
	int sel;                    /* over variances, then uncounted */
	int scroll;
	int confirm;                /* 0, 'P' post or 'A' abandon waiting for Enter */
};

static void review_free(void *p)
{
	struct review *rv = p;
	if (rv)
		count_review_free(&rv->r);
	free(rv);
}

static bool review_load(struct ui *ui, struct review *rv)
{
	count_review_free(&rv->r);
	if (count_review(ui->till, rv->id, &rv->r) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return false;
	}
	int n = (int)(rv->r.nvariances + rv->r.nuncounted);
	if (rv->sel >= n)
		rv->sel = n ? n - 1 : 0;
	return true;
}

static const struct stock_row *review_row(const struct review *rv, int i)
{
	if (i < (int)rv->r.nvariances)
		return &rv->r.variances[i];
	i -= (int)rv->r.nvariances;
	return i < (int)rv->r.nuncounted ? &rv->r.uncounted[i] : NULL;
}

static void got_recount(struct ui *ui, const char *text, void *ctx)
{
	struct pending *p = ctx;
	cm_qty q;
	if (count_qty_parse(text, p->item.weighed, &q) != CM_OK) {
		ui_error(ui, p->item.weighed ? _("Type the weight in kg, e.g. 1,25.")
		                             : _("Type how many pieces, a whole number (0 when none)."));
		dlg_prompt_again(ui);
		return;
	}
	if (count_recount(ui->till, p->id, p->item.id, q) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	for (int i = ui->depth - 1; i >= 0; i--) {
		if (strcmp(ui->stack[i].ops->name, "count-review") == 0) {
			review_load(ui, ui->stack[i].state);
			break;
		}
	}
	char t[24];
	qty_format(q, t, sizeof t);
	ui_msg(ui, MSG_OK, _("%s recounted: %s %s."), p->item.name, t, p->item.unit);
}

static void review_recount(struct ui *ui, struct review *rv)
{
	const struct stock_row *row = review_row(rv, rv->sel);
	if (!row)
		return;
	struct pending *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, _("out of memory"));
		return;
	}
	p->id = rv->id;
	p->item.id = row->item_id;
	p->item.weighed = row->weighed;
	snprintf(p->item.name, sizeof p->item.name, "%s", row->name);
	snprintf(p->item.unit, sizeof p->item.unit, "%s", row->unit);
	dlg_prompt_open(ui, _("Recount"), row->weighed ? _("Weight (kg):") : _("Quantity:"),
	                PROMPT_QTY, got_recount, p);
}

static void review_finish(struct ui *ui, struct review *rv, int what)
{
	int64_t id = rv->id;
	if (what == 'P') {
		struct count_post_result res;
		if (count_post(ui->till, id, &res) != CM_OK) {
			ui_error(ui, till_errmsg(ui->till));
			return;
		}
		char v[32];
		money_format(res.value, NULL, v, sizeof v);
		ui_msg(ui, MSG_OK, _("Count %lld posted: %lld stock movements, %s at cost."),
		       (long long)id, (long long)res.movements, v);
	} else {
		if (count_abandon(ui->till, id) != CM_OK) {
			ui_error(ui, till_errmsg(ui->till));
			return;
		}
		ui_msg(ui, MSG_OK, _("Count %lld abandoned: no stock moved."), (long long)id);
	}
	ui_pop(ui);
	refresh_counts(ui);
}

static const char *const review_keys[] = {
	"Enter", N_("Recount"), "F10", N_("Post"), "F8", N_("Abandon"), "Esc", N_("Back"), NULL, NULL,
};
static const char *const confirm_keys[] = {
	"Enter", N_("Yes"), "Esc", N_("Back"), NULL, NULL,
};

static int review_key(struct ui *ui, struct screen *s, int key)
{
	struct review *rv = s->state;
	int n = (int)(rv->r.nvariances + rv->r.nuncounted);
	if (rv->confirm) {
		int what = rv->confirm;
		rv->confirm = 0;
		if (key_is_enter(key))
			review_finish(ui, rv, what);
		else
			ui_msg(ui, MSG_INFO, "%s", _("Nothing changed."));
		return RD_SCREEN;
	}
	if (key == KEY_ESC) {
		ui_pop(ui);
		refresh_counts(ui);
	} else if (key == KEY_UP && n) {
		rv->sel = (rv->sel + n - 1) % n;
	} else if (key == KEY_DOWN && n) {
		rv->sel = (rv->sel + 1) % n;
	} else if (key == KEY_NPAGE && n) {
		rv->sel = rv->sel + 10 < n ? rv->sel + 10 : n - 1;
	} else if (key == KEY_PPAGE) {
		rv->sel = rv->sel > 10 ? rv->sel - 10 : 0;
	} else if (key_is_enter(key) && n) {
		if (rv->r.info.status == COUNT_PAUSED)
			ui_error(ui, _("Resume the count (F3 in the list) to recount."));
		else
			review_recount(ui, rv);
	} else if (key == KEY_F(10)) {
		rv->confirm = 'P';
	} else if (key == KEY_F(8)) {
		rv->confirm = 'A';
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

static void review_line(struct ui *ui, struct review *rv, int i, int y)
{
	const struct stock_row *r = review_row(rv, i);
	char line[512];
	stock_report_line(REPORT_VARIANCE, r, false, line, sizeof line);
	if (i == rv->sel)
		draw_attr_on(ui, CP_SELECT);
	mvhline(y, 0, ' ', COLS);
	draw_text(y, 1, COLS - 2, line, false);
	if (i == rv->sel)
		draw_attr_off(ui, CP_SELECT);
}

static void review_draw(struct ui *ui, struct screen *s)
{
	struct review *rv = s->state;
	const struct count_review *r = &rv->r;
	char scope[80], line[300], v[32], u[32];
	scope_text(&r->info, scope, sizeof scope);
	snprintf(line, sizeof line, _("Review %lld: %s"), (long long)rv->id, scope);
	draw_header(ui, line);
	money_format(r->variance_value, NULL, v, sizeof v);
	money_format(r->uncounted_value, NULL, u, sizeof u);
	snprintf(line, sizeof line, _("%lld items, %lld counted. Variances: %zu, %s at cost. Never counted: %zu."),
	         (long long)r->info.items, (long long)r->info.counted, r->nvariances, v, r->nuncounted);
	draw_text(2, 1, COLS - 2, line, true);
	stock_report_header(REPORT_VARIANCE, false, line, sizeof line);
	draw_attr_on(ui, CP_DIM);
	draw_text(3, 1, COLS - 2, line, true);
	draw_attr_off(ui, CP_DIM);
	/* Rows: the variances, then a heading, then the uncounted. */
	int n = (int)(r->nvariances + r->nuncounted), rows = LINES - 7;
	if (rows < 1)
		rows = 1;
	if (rv->sel < rv->scroll)
		rv->scroll = rv->sel;
	if (rv->sel >= rv->scroll + rows - 1)
		rv->scroll = rv->sel - rows + 2;
	int y = 4;
	for (int i = rv->scroll; i < n && y < 4 + rows; i++) {
		if (i == (int)r->nvariances && y < 4 + rows) {
			snprintf(line, sizeof line, _("-- Never counted (%s at cost; posting leaves them) --"), u);
			draw_attr_on(ui, CP_DIM);
			draw_text(y++, 1, COLS - 2, line, true);
			draw_attr_off(ui, CP_DIM);
			if (y >= 4 + rows)
				break;
		}
		review_line(ui, rv, i, y++);
	}
	if (!n)
		draw_text(4, 2, COLS - 4, _("Every item counted matches what was expected."), false);
	if (rv->confirm) {
		snprintf(line, sizeof line, rv->confirm == 'P'
		         ? _("Post count %lld: %zu stock movements, %s at cost? Enter: yes, Esc: no")
		         : _("Abandon count %lld? Nothing will move. Enter: yes, Esc: no"),
		         (long long)rv->id, r->nvariances, v);
		draw_attr_on(ui, CP_ERROR);
		mvhline(LINES - 2, 0, ' ', COLS);
		draw_text(LINES - 2, 1, COLS - 2, line, false);
		draw_attr_off(ui, CP_ERROR);
		draw_keys(ui, LINES - 1, confirm_keys);
		return;
	}
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, review_keys);
}

/* A scanner device's code: that item's row is chosen and recounted. */
static int review_scan(struct ui *ui, struct screen *s, const char *code)
{
	struct review *rv = s->state;
	struct item_rec it;
	cm_qty so_far;
	bool counted;
	if (count_find(ui->till, rv->id, code, &it, &so_far, &counted) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return RD_SCREEN;
	}
	int n = (int)(rv->r.nvariances + rv->r.nuncounted);
	for (int i = 0; i < n; i++) {
		if (review_row(rv, i)->item_id == it.id) {
			rv->sel = i;
			review_recount(ui, rv);
			return RD_SCREEN;
		}
	}
	ui_msg(ui, MSG_INFO, _("%s: counted as expected, nothing to review."), it.name);
	return RD_SCREEN;
}

static const struct screen_ops review_ops = {
	.name = "count-review", .key = review_key, .draw = review_draw, .free = review_free,
	.scan = review_scan,
};

static void review_open(struct ui *ui, int64_t id)
{
	struct review *rv = calloc(1, sizeof *rv);
	if (!rv) {
		ui_error(ui, _("out of memory"));
		return;
	}
	rv->id = id;
	if (!review_load(ui, rv)) {
		review_free(rv);
		return;
	}
	ui_push(ui, &review_ops, rv);
}

/* ---- stock reports ---- */

struct text {
	char *p;
	size_t len, cap;
	bool oom;
	int rows;
	cm_money value;
	enum stock_report kind;
};

static void text_add(struct text *t, const char *line)
{
	size_t n = strlen(line);
	if (t->oom)
		return;
	if (t->len + n + 2 > t->cap) {
		size_t cap = (t->cap ? t->cap * 2 : 4096) + n;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, line, n);
	t->len += n;
	t->p[t->len++] = '\n';
	t->p[t->len] = '\0';
}

static enum cm_rc report_row(const struct stock_row *r, void *ctx)
{
	struct text *t = ctx;
	char line[512];
	stock_report_line(t->kind, r, false, line, sizeof line);
	text_add(t, line);
	t->rows++;
	if (__builtin_add_overflow(t->value, r->value, &t->value))
		t->value = r->value < 0 ? INT64_MIN : INT64_MAX;
	return t->oom ? CM_NOMEM : CM_OK;
}

/* The on-screen reports are cut at this many rows (the CLI gives all). */
#define SCREEN_ROWS 2000

static void show_report(struct ui *ui, enum stock_report kind, const char *title)
{
	struct text t = { .kind = kind };
	char line[512];
	stock_report_header(kind, false, line, sizeof line);
	text_add(&t, line);
	enum cm_rc rc = stock_report_run(ui->till, kind, 0, 30, kind == REPORT_SLOW_MOVERS ? 100 : 0,
	                                 report_row, &t);
	if (rc != CM_OK || t.oom) {
		free(t.p);
		ui_error(ui, t.oom ? _("out of memory") : till_errmsg(ui->till));
		return;
	}
	char v[32];
	money_format(t.value, NULL, v, sizeof v);
	snprintf(line, sizeof line, _("%d rows, value at cost %s"), t.rows, v);
	text_add(&t, "");
	text_add(&t, line);
	if (t.oom) {
		free(t.p);
		ui_error(ui, _("out of memory"));
		return;
	}
	scr_text_open(ui, title, t.p);
}

static int reports_key(struct ui *ui, struct screen *s, int key)
{
	(void)s;
	if (key == KEY_ESC) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (key < '1' || key > '3')
		return RD_NONE;
	ui_pop(ui);
	if (key == '1')
		show_report(ui, REPORT_STOCK_VALUE, _("Stock value at cost"));
	else if (key == '2')
		show_report(ui, REPORT_LOW_STOCK, _("Low stock (below reorder level)"));
	else
		show_report(ui, REPORT_SLOW_MOVERS, _("Slow movers (last 30 days)"));
	return RD_SCREEN;
}

static void reports_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	(void)s;
	int w = 48 < COLS ? 48 : COLS, h = 8;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	draw_box(y, x, h, w, _(" Stock reports "));
	draw_text(y + 2, x + 3, w - 6, _("1. Stock value at cost"), false);
	draw_text(y + 3, x + 3, w - 6, _("2. Low stock"), false);
	draw_text(y + 4, x + 3, w - 6, _("3. Slow movers (30 days)"), false);
	draw_text(y + 6, x + 3, w - 6, _("1-3: choose   Esc: cancel"), false);
}

static const struct screen_ops reports_ops = {
	.name = "stock-reports", .key = reports_key, .draw = reports_draw, .overlay = true,
};

void mgr_stock_reports(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	ui_push(ui, &reports_ops, NULL);
}
