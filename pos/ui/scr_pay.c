/* Payment: cash with quick amounts for rupiah notes, debit card, QRIS,
 * split across several; the sale is committed before anything prints. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pay {
	char input[24];
};

static const char *const pay_keys[] = {
	"F1", N_("Exact"), "F2", N_("5rb"), "F3", N_("10rb"), "F4", N_("50rb"), "F5", N_("100rb"),
	"F6", N_("Debit"), "F7", N_("QRIS"), "F8", N_("Del pay"), "F9", N_("Credit"),
	"Esc", N_("Back"),
	NULL, NULL,
};

/* The cash due rounded up to the next multiple of note. */
static cm_money next_note(cm_money due, cm_money note)
{
	return (due + note - 1) / note * note;
}

static void complete(struct ui *ui)
{
	struct sale_result r;
	if (sale_complete(ui->sale, &r) != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	ui_sale_done(ui);
	if (r.open_drawer)
		ui_open_drawer(ui);   /* now, or the cashier hears it could not */
	ui->last_sale_id = r.sale_id;
	snprintf(ui->last_receipt_no, sizeof ui->last_receipt_no, "%s", r.receipt_no);
	ui_msg(ui, MSG_OK, _("Sale %s saved."), r.receipt_no);
	ui_pop(ui); /* the payment screen */
	scr_receipt_open(ui, r.sale_id, false, r.change);
}

static void tender(struct ui *ui, enum tender_kind kind, cm_money amount, const char *ref)
{
	if (sale_add_tender(ui->sale, kind, amount, ref) != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	ui->msg[0] = '\0';
	const struct sale_totals *t = sale_totals(ui->sale);
	if (t->paid >= t->due)
		complete(ui);
}

struct card {
	enum tender_kind kind;
	cm_money amount;
};

static void got_ref(struct ui *ui, const char *text, void *ctx)
{
	struct card *c = ctx;
	if (ui->sale)
		tender(ui, c->kind, c->amount, text);
}

static void card(struct ui *ui, struct pay *p, enum tender_kind kind)
{
	cm_money amount = sale_noncash_due(ui->sale);
	if (p->input[0] && money_parse(p->input, &amount) != CM_OK) {
		ui_error(ui, _("That is not an amount in rupiah."));
		return;
	}
	p->input[0] = '\0';
	struct card *c = malloc(sizeof *c);
	if (!c)
		return;
	c->kind = kind;
	c->amount = amount;
	if (kind == TENDER_DEBIT)
		dlg_prompt_open(ui, _("Debit card"), _("Approval code:"), PROMPT_TEXT, got_ref, c);
	else
		dlg_prompt_open(ui, _("QRIS"), _("Payment reference:"), PROMPT_TEXT, got_ref, c);
}

/* Member credit: the amount typed, or what is left to pay. Over the
 * limit the message says the three figures and a supervisor may approve
 * the excess (up to the store's cap). */
static void paid_more(struct ui *ui)
{
	ui->msg[0] = '\0';
	const struct sale_totals *t = sale_totals(ui->sale);
	if (t->paid >= t->due)
		complete(ui);
}

static void ask_credit(struct ui *ui, cm_money amount);

static void credit_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	cm_money *amount = ctx;
	if (!ui->sale)
		return;
	enum cm_rc rc = sale_add_credit(ui->sale, *amount, ap);
	if (rc == CM_NEED_OVERRIDE) {
		ask_credit(ui, *amount);
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	paid_more(ui);
}

/* The supervisor sees the credit the engine measured, and approves it. */
static void ask_credit(struct ui *ui, cm_money amount)
{
	cm_money *c = malloc(sizeof *c);
	if (!c) {
		ui_error(ui, _("out of memory"));
		return;
	}
	*c = amount;
	dlg_override_open_need(ui, credit_approved, c);
}

static void credit(struct ui *ui, struct pay *p)
{
	cm_money amount = sale_noncash_due(ui->sale);
	if (p->input[0] && money_parse(p->input, &amount) != CM_OK) {
		ui_error(ui, _("That is not an amount in rupiah."));
		return;
	}
	p->input[0] = '\0';
	enum cm_rc rc = sale_add_credit(ui->sale, amount, NULL);
	if (rc == CM_NEED_OVERRIDE) {
		ask_credit(ui, amount);
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, sale_errmsg(ui->sale));
		return;
	}
	paid_more(ui);
}

static int pay_key(struct ui *ui, struct screen *s, int key)
{
	struct pay *p = s->state;
	size_t n = strlen(p->input);
	cm_money due = sale_cash_due(ui->sale), amount;
	static const cm_money notes[] = { 5000, 10000, 50000, 100000 };
	if (key_is_enter(key)) {
		const struct sale_totals *t = sale_totals(ui->sale);
		if (!n && t->paid >= t->due) {
			/* Nothing left to pay (a remainder that rounds to zero). */
			complete(ui);
			return RD_SCREEN;
		}
		if (!n)
			amount = due;
		else if (strncasecmp(p->input, "OL-", 3) == 0) {
			/* An order's barcode scanned here (a keyboard-wedge scanner
			 * types into the amount): kept, as any wrong amount is. */
			ui_msg(ui, MSG_ERROR, _("%s is an online order: collect it at the sale screen "
			                        "(Esc)."), p->input);
			return RD_SCREEN;
		} else if (money_parse(p->input, &amount) != CM_OK) {
			/* What was typed stays to be mended: never exact cash. */
			ui_error(ui, _("That is not an amount in rupiah: Backspace mends it."));
			return RD_SCREEN;
		}
		p->input[0] = '\0';
		tender(ui, TENDER_CASH, amount, NULL);
	} else if (key == KEY_F(1))
		tender(ui, TENDER_CASH, due, NULL);
	else if (key >= KEY_F(2) && key <= KEY_F(5))
		tender(ui, TENDER_CASH, next_note(due, notes[key - KEY_F(2)]), NULL);
	else if (key == KEY_F(6))
		card(ui, p, TENDER_DEBIT);
	else if (key == KEY_F(7))
		card(ui, p, TENDER_QRIS);
	else if (key == KEY_F(9))
		credit(ui, p);
	else if (key == KEY_F(8) || key == KEY_DC) {
		size_t k = sale_tender_count(ui->sale);
		if (k && sale_remove_tender(ui->sale, k - 1) != CM_OK)
			ui_error(ui, sale_errmsg(ui->sale));
	} else if (key == KEY_ESC) {
		if (sale_tender_count(ui->sale))
			ui_error(ui, _("Remove the payments (F8) before going back."));
		else
			ui_pop(ui);
	} else if (key_is_backspace(key)) {
		if (n)
			p->input[n - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof p->input) {
		/* A letter is shown where it was typed, and said to be wrong:
		 * dropped silently, the digits around it would make another
		 * amount, and an empty field would take exact cash. */
		p->input[n] = (char)key;
		p->input[n + 1] = '\0';
		if (!((key >= '0' && key <= '9') || key == '.'))
			ui_error(ui, _("Only digits in the amount: Backspace removes the wrong key."));
	} else
		return RD_NONE;
	return RD_SCREEN;
}

static const char *kind_name(enum tender_kind k)
{
	return k == TENDER_CASH ? _("Cash") : k == TENDER_DEBIT ? _("Debit")
	     : k == TENDER_CREDIT ? _("Member credit") : _("QRIS");
}

static void amount_row(int row, int x, const char *label, cm_money v)
{
	char a[32];
	money_format(v, NULL, a, sizeof a);
	mvprintw(row, x, "%-22s %16s", label, a);
}

static void pay_draw(struct ui *ui, struct screen *s)
{
	struct pay *p = s->state;
	const struct sale_totals *t = sale_totals(ui->sale);
	draw_header(ui, _("Payment"));
	int x = 2, row = 2;
	char digits[32];
	money_format(t->total + t->dues, &(struct money_fmt){ .symbol = "" }, digits, sizeof digits);
	attron(A_BOLD);
	mvaddstr(row, x, _("TOTAL TO PAY"));
	attroff(A_BOLD);
	draw_attr_on(ui, CP_TOTAL);
	if (!draw_big(ui, row + 1, COLS - 2, COLS - 4, digits))
		amount_row(row + 1, x, _("TOTAL TO PAY"), t->total + t->dues);
	draw_attr_off(ui, CP_TOTAL);
	row += 7;
	for (size_t i = 0; i < sale_tender_count(ui->sale); i++) {
		const struct tender_rec *tr = sale_tender(ui->sale, i);
		char label[80];
		snprintf(label, sizeof label, "%zu. %s %s", i + 1, kind_name(tr->kind), tr->ref);
		amount_row(row++, x, label, tr->amount);
	}
	if (t->rounding)
		amount_row(row++, x, _("Cash rounding"), t->rounding);
	attron(A_BOLD);
	amount_row(row + 1, x, _("Still to pay (cash)"), sale_cash_due(ui->sale));
	attroff(A_BOLD);
	amount_row(row + 2, x, _("Still to pay (card)"), sale_noncash_due(ui->sale));
	/* The member's credit, when the coop gives them any. */
	struct credit_view cv;
	if (sale_member(ui->sale) && sale_credit_view(ui->sale, &cv) == CM_OK && cv.known &&
	    cv.limit > 0) {
		char a[32], b[32], line[160];
		money_format(cv.available, NULL, a, sizeof a);
		money_format(cv.limit, NULL, b, sizeof b);
		snprintf(line, sizeof line, _("Member credit (F9): %s left of %s"), a, b);
		mvaddstr(row + 3, x, line);
	}
	int up = draw_message_rows(ui) - 1;  /* a message on two rows */
	mvprintw(LINES - 4 - up, x, "%s %s_", _("Cash received:"), p->input);
	draw_text(LINES - 5 - up, x, COLS - 4,
	          _("Type the cash received and press Enter (Enter alone = exact amount)."), false);
	draw_message(ui, LINES - 3);
	draw_status(ui, LINES - 2);
	draw_keys(ui, LINES - 1, pay_keys);
}

static const struct screen_ops pay_ops = {
	.name = "pay", .key = pay_key, .draw = pay_draw, .free = free,
};

void scr_pay_open(struct ui *ui)
{
	struct pay *p = calloc(1, sizeof *p);
	if (!p)
		return;
	ui->msg[0] = '\0';
	ui_push(ui, &pay_ops, p);
}
