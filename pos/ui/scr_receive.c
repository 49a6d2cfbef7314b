/* Receiving a delivery at the till (manager menu): the newest draft is
 * taken up again, or a new one is started for a supplier (and the
 * purchase order HQ sent, if any). F2 adds an item: code, quantity, unit
 * cost; a barcode the catalogue does not know is parked for HQ with a
 * description. F10 posts the delivery into stock. The draft is saved at
 * every step, so leaving the screen (or a power cut) loses nothing. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/receiving.h"
#include "store/store_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct recv_scr {
	struct delivery d;
	int scroll;
};

static void free_recv(void *p)
{
	struct recv_scr *rs = p;
	if (rs)
		receive_free(&rs->d);
	free(rs);
}

static int recv_key(struct ui *ui, struct screen *s, int key);
static void recv_draw(struct ui *ui, struct screen *s);
static int recv_scan(struct ui *ui, struct screen *s, const char *code);

static const struct screen_ops receive_ops = {
	.name = "receive", .key = recv_key, .draw = recv_draw, .free = free_recv,
	.scan = recv_scan,
};

static struct recv_scr *current(struct ui *ui)
{
	if (!ui->depth || ui->stack[ui->depth - 1].ops != &receive_ops)
		return NULL;
	return ui->stack[ui->depth - 1].state;
}

static bool reload(struct ui *ui, struct recv_scr *rs)
{
	int64_t id = rs->d.d.id;
	receive_free(&rs->d);
	if (receive_load(ui->till, id, &rs->d) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		rs->d.d.id = id;
		return false;
	}
	return true;
}

static const char *const recv_keys[] = {
	"F2", N_("Add item"), "F10", N_("Post"), "Up/Down", N_("Scroll"), "Esc", N_("Back (kept)"),
	NULL, NULL,
};

/* The rows of the list: with a purchase order, its lines (ordered and
 * received so far) first; then the delivery's lines and parked barcodes. */
static int row_count(const struct delivery *d)
{
	int n = (int)(d->nlines + d->nparked);
	return d->norder ? n + (int)d->norder + 2 : n;
}

static void order_row(const struct delivery *d, size_t i, char *line, size_t n)
{
	const struct po_line_rec *o = &d->order[i];
	char want[32], got[32];
	qty_format(o->qty, want, sizeof want);
	qty_format(d->received[i], got, sizeof got);
	const char *state = d->received[i] > o->qty ? _("OVER") : d->received[i] < o->qty ? _("short") : "";
	snprintf(line, n, "   %-12.12s %-28.28s %8s %8s  %s", o->sku, o->name, want, got, state);
}

static bool on_order(const struct delivery *d, int64_t item_id)
{
	for (size_t i = 0; i < d->norder; i++)
		if (d->order[i].item_id == item_id)
			return true;
	return false;
}

static void delivery_row(const struct delivery *d, size_t k, char *line, size_t n)
{
	char qty[32], cost[32];
	if (k < d->nlines) {
		const struct delivery_line_rec *l = &d->lines[k];
		qty_format(l->qty, qty, sizeof qty);
		money_format(l->unit_cost, NULL, cost, sizeof cost);
		if (d->d.po_id && !on_order(d, l->item_id))
			snprintf(line, n, "%3d  %-12.12s %-22.22s %8s x %-9s %s", l->line_no, l->sku,
			         l->name, qty, cost, _("NOT ORDERED"));
		else
			snprintf(line, n, "%3d  %-12.12s %-30.30s %8s x %s", l->line_no, l->sku, l->name,
			         qty, cost);
		return;
	}
	const struct parked_rec *p = &d->parked[k - d->nlines];
	qty_format(p->qty, qty, sizeof qty);
	money_format(p->unit_cost, NULL, cost, sizeof cost);
	snprintf(line, n, "%s  %-13s %-30.30s %8s x %s", _("HQ"), p->barcode, p->description, qty, cost);
}

/* Row k of the list; *dim for the headings. */
static void list_row(const struct delivery *d, int k, char *line, size_t n, bool *dim)
{
	*dim = false;
	if (d->norder) {
		if (k == 0) {
			*dim = true;
			snprintf(line, n, _("-- Purchase order %s: SKU, item, ordered, received --"), d->d.po_no);
			return;
		}
		if (k <= (int)d->norder) {
			order_row(d, (size_t)k - 1, line, n);
			return;
		}
		if (k == (int)d->norder + 1) {
			*dim = true;
			snprintf(line, n, "%s", _("-- This delivery --"));
			return;
		}
		k -= (int)d->norder + 2;
	}
	delivery_row(d, (size_t)k, line, n);
}

static void recv_draw(struct ui *ui, struct screen *s)
{
	struct recv_scr *rs = s->state;
	const struct delivery *d = &rs->d;
	char title[160], line[256], cost[32];
	snprintf(title, sizeof title, _("Delivery %lld from %s%s%s"), (long long)d->d.id,
	         d->d.supplier, d->d.po_no[0] ? ", PO " : "", d->d.po_no);
	draw_header(ui, title);
	int rows = LINES - 7 > 1 ? LINES - 7 : 1, row = 0;
	int total = row_count(d);
	if (!d->nlines && !d->nparked)
		draw_text(LINES - 6, 2, COLS - 4, _("Nothing received yet: F2 adds an item."), false);
	for (int k = rs->scroll; k < total && row < rows; k++, row++) {
		bool dim;
		list_row(d, k, line, sizeof line, &dim);
		mvhline(2 + row, 0, ' ', COLS);
		if (dim)
			draw_attr_on(ui, CP_DIM);
		draw_text(2 + row, 1, COLS - 2, line, false);
		if (dim)
			draw_attr_off(ui, CP_DIM);
	}
	money_format(d->cost, NULL, cost, sizeof cost);
	snprintf(line, sizeof line, _("Lines: %zu   parked for HQ: %zu   cost: %s"), d->nlines,
	         d->nparked, cost);
	draw_attr_on(ui, CP_TOTAL);
	mvhline(LINES - 4, 0, ' ', COLS);
	draw_text(LINES - 4, 2, COLS - 4, line, false);
	draw_attr_off(ui, CP_TOTAL);
	draw_status(ui, LINES - 3);
	draw_message(ui, LINES - 2);
	draw_keys(ui, LINES - 1, recv_keys);
}

/* ---- adding: code, quantity, cost (and a description to park) ---- */

struct add_flow {
	char code[48];
	char note[320];     /* the item and its stock (ui_item_note) */
	cm_qty qty;
	cm_money cost;
};

static struct add_flow *next_step(struct ui *ui, const struct add_flow *f)
{
	struct add_flow *n = malloc(sizeof *n);
	if (!n)
		ui_error(ui, _("out of memory"));
	else
		*n = *f;
	return n;
}

static void got_description(struct ui *ui, const char *text, void *ctx)
{
	struct recv_scr *rs = current(ui);
	struct add_flow *f = ctx;
	if (!rs)
		return;
	if (receive_park(ui->till, rs->d.d.id, f->code, text, f->qty, f->cost) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	if (reload(ui, rs))
		ui_msg(ui, MSG_OK, _("%s parked for HQ."), f->code);
}

static void got_cost(struct ui *ui, const char *text, void *ctx)
{
	struct recv_scr *rs = current(ui);
	struct add_flow *f = ctx, *n;
	if (!rs)
		return;
	if (money_parse(text, &f->cost) != CM_OK) {
		ui_error(ui, _("Type the unit cost in rupiah, e.g. 2.900."));
		dlg_prompt_again(ui);
		return;
	}
	enum cm_rc rc = receive_add(ui->till, rs->d.d.id, f->code, f->qty, f->cost);
	if (rc == CM_NOTFOUND && (n = next_step(ui, f))) {
		ui_msg(ui, MSG_INFO, _("%s is not in the catalogue: describe it and it is parked for HQ."),
		       f->code);
		dlg_prompt_open(ui, _("Park for HQ"), _("Description:"), PROMPT_TEXT, got_description, n);
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	if (reload(ui, rs)) {
		rs->scroll = (int)rs->d.nlines > LINES - 7 ? (int)rs->d.nlines - (LINES - 7) : 0;
		ui->msg[0] = '\0';
	}
}

static void ask_cost(struct ui *ui, void *ctx)
{
	struct add_flow *n = next_step(ui, ctx);
	if (n) {
		dlg_prompt_open(ui, _("Receive"), _("Unit cost:"), PROMPT_AMOUNT, got_cost, n);
		dlg_prompt_lines(ui, n->note);
	}
}

static void got_qty(struct ui *ui, const char *text, void *ctx)
{
	struct add_flow *f = ctx, *n;
	if (qty_parse(text, true, &f->qty) != CM_OK) {
		ui_error(ui, _("Type a quantity, e.g. 24 or 2,5."));
		dlg_prompt_again(ui);
		return;
	}
	struct recv_scr *rs = current(ui);
	enum cm_rc rc = rs ? receive_check_order(ui->till, rs->d.d.id, f->code, f->qty) : CM_OK;
	if (rc == CM_CONFLICT && (n = next_step(ui, f))) {
		/* Not as ordered: the person receiving says it is right. */
		char say[480];
		snprintf(say, sizeof say, "%s\n%s", till_errmsg(ui->till),
		         _("Receive it all the same (HQ sees the difference)?"));
		dlg_confirm_open(ui, _("Not as ordered"), say, ask_cost, n);
		return;
	}
	if (rc != CM_OK && rc != CM_CONFLICT) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ask_cost(ui, f);
}

static void got_code(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct add_flow f = { 0 }, *n;
	char note[320];
	if (!text[0])
		return;
	enum cm_rc rc = ui_item_note(ui, text, note, sizeof note);
	if (rc == CM_NOTFOUND) {
		snprintf(note, sizeof note, "%s", _("Not in the catalogue: it will be parked for HQ."));
	} else if (rc != CM_OK) {
		ui_error(ui, note);
		dlg_prompt_again(ui);
		return;
	}
	snprintf(f.code, sizeof f.code, "%s", text);
	snprintf(f.note, sizeof f.note, "%s", note);
	if ((n = next_step(ui, &f))) {
		dlg_prompt_open(ui, _("Receive"), _("Quantity:"), PROMPT_QTY, got_qty, n);
		dlg_prompt_lines(ui, note);
	}
}

static void post_confirmed(struct ui *ui, void *ctx)
{
	(void)ctx;
	struct recv_scr *rs = current(ui);
	if (!rs)
		return;
	int64_t id = rs->d.d.id, seq = 0;
	if (receive_post(ui->till, id, &seq) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ui_pop(ui);
	ui_msg(ui, MSG_OK, _("Delivery %lld posted into stock (journal %lld)."), (long long)id,
	       (long long)seq);
}

/* F10: posting moves stock for good; what it moves, and how it stands
 * against the order, is said first. */
static void ask_post(struct ui *ui, struct recv_scr *rs)
{
	const struct delivery *d = &rs->d;
	char text[640], cost[32];
	if (!d->nlines && !d->nparked) {
		ui_error(ui, _("Nothing to post yet: F2 adds an item."));
		return;
	}
	money_format(d->cost, NULL, cost, sizeof cost);
	int n = snprintf(text, sizeof text, _("Lines into stock: %zu, cost %s. Parked for HQ: %zu."),
	                 d->nlines, cost, d->nparked);
	if (d->d.po_id) {
		struct order_gaps g;
		receive_order_gaps(d, &g);
		n += snprintf(text + n, sizeof text - (size_t)n, "\n");
		n += snprintf(text + n, sizeof text - (size_t)n,
		              _("Against order %s: short %zu, over %zu, not ordered %zu (lines)."),
		              d->d.po_no, g.short_lines, g.over_lines, g.not_ordered);
	}
	snprintf(text + n, sizeof text - (size_t)n, "\n%s",
	         _("A posted delivery cannot be changed."));
	char title[96];
	snprintf(title, sizeof title, _("Post delivery %lld?"), (long long)d->d.id);
	dlg_confirm_open(ui, title, text, post_confirmed, NULL);
}

static int recv_key(struct ui *ui, struct screen *s, int key)
{
	struct recv_scr *rs = s->state;
	int total = (int)(rs->d.nlines + rs->d.nparked);
	if (key == KEY_ESC) {
		ui_pop(ui);
		ui_msg(ui, MSG_INFO, "%s", _("The delivery is kept as a draft."));
	} else if (key == KEY_UP) {
		rs->scroll = rs->scroll > 0 ? rs->scroll - 1 : 0;
	} else if (key == KEY_DOWN) {
		rs->scroll = rs->scroll + 1 < total ? rs->scroll + 1 : rs->scroll;
	} else if (key == KEY_F(2)) {
		dlg_prompt_open(ui, _("Receive"), _("Barcode or SKU:"), PROMPT_CODE, got_code, NULL);
	} else if (key == KEY_F(10)) {
		ask_post(ui, rs);
	} else {
		return RD_NONE;
	}
	return RD_SCREEN;
}

/* A scanner device's code: as if F2 had been pressed and the code typed. */
static int recv_scan(struct ui *ui, struct screen *s, const char *code)
{
	(void)s;
	got_code(ui, code, NULL);
	return RD_SCREEN;
}

static void push(struct ui *ui, int64_t id)
{
	struct recv_scr *rs = calloc(1, sizeof *rs);
	if (!rs) {
		ui_error(ui, _("out of memory"));
		return;
	}
	if (receive_load(ui->till, id, &rs->d) != CM_OK) {
		free(rs);
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ui_push(ui, &receive_ops, rs);
}

/* ---- starting: supplier, purchase order ---- */

struct start_flow {
	char supplier[48];
};

static void got_po(struct ui *ui, const char *text, void *ctx)
{
	struct start_flow *f = ctx;
	int64_t id;
	if (receive_start(ui->till, f->supplier, text, NULL, &id) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		dlg_prompt_again(ui);
		return;
	}
	push(ui, id);
	ui_msg(ui, MSG_INFO, "%s", _("F2: scan or type each item, its quantity and unit cost."));
}

/* The supplier's open orders in words for the order prompt: "Open
 * orders: PO-7 (2 lines, 02/01/2026), ..."; "" when none. */
static void open_orders(struct ui *ui, const char *supplier, char *buf, size_t n)
{
	struct po_rec *v;
	size_t k;
	buf[0] = '\0';
	if (receive_open_orders(ui->till, supplier, &v, &k) != CM_OK || !k) {
		free(v);
		return;
	}
	size_t len = (size_t)snprintf(buf, n, "%s", _("Open orders from HQ:"));
	for (size_t i = 0; i < k && len < n; i++) {
		char when[40];
		time_t t = (time_t)v[i].ordered_at;
		struct tm tm;
		localtime_r(&t, &tm);
		snprintf(when, sizeof when, "%02d/%02d/%04d", tm.tm_mday, tm.tm_mon + 1,
		         tm.tm_year + 1900);
		len += (size_t)snprintf(buf + len, n - len, "\n  %s  %s, %lld %s", v[i].po_no, when,
		                        (long long)v[i].lines,
		                        ngettext("line", "lines", (unsigned long)v[i].lines));
	}
	free(v);
}

static void got_supplier(struct ui *ui, const char *text, void *ctx)
{
	(void)ctx;
	struct start_flow *f = calloc(1, sizeof *f);
	int64_t sid;
	if (!f) {
		ui_error(ui, _("out of memory"));
		return;
	}
	if (store_supplier_find(till_store(ui->till), text, &sid, f->supplier, sizeof f->supplier) != CM_OK) {
		ui_error(ui, store_errmsg(till_store(ui->till)));
		dlg_prompt_again(ui);
		free(f);
		return;
	}
	ui_msg(ui, MSG_INFO, "%s", _("Type the purchase order number HQ sent, or leave it empty."));
	char orders[480];
	open_orders(ui, f->supplier, orders, sizeof orders);
	dlg_prompt_open(ui, _("Receive"), _("Purchase order:"), PROMPT_CODE, got_po, f);
	dlg_prompt_lines(ui, orders);
}

static void newest_draft(const struct delivery_rec *d, size_t nlines, size_t nparked, void *ctx)
{
	(void)nlines;
	(void)nparked;
	int64_t *id = ctx;
	if (!*id)
		*id = d->id;
}

void mgr_receive(struct ui *ui, const struct approval *ap)
{
	(void)ap;
	int64_t draft = 0;
	if (store_delivery_each(till_store(ui->till), true, newest_draft, &draft) != CM_OK) {
		ui_error(ui, store_errmsg(till_store(ui->till)));
		return;
	}
	if (draft) {
		push(ui, draft);
		ui_msg(ui, MSG_INFO, _("Delivery %lld was not posted yet: continue it (F10 posts)."),
		       (long long)draft);
		return;
	}
	ui_msg(ui, MSG_INFO, "%s", _("Type the supplier's name as in the catalogue."));
	dlg_prompt_open(ui, _("Receive"), _("Supplier:"), PROMPT_TEXT, got_supplier, NULL);
}
