/* A one-line input dialog over the current screen: quantity, amount,
 * discount, member number, hold label, card reference, a barcode. A
 * prompt for a code takes a scanner device's barcode as if typed and
 * entered; the others refuse it. What was typed survives a wrong entry:
 * the done callback calls dlg_prompt_again and the same prompt opens again
 * with the text (and ctx, the approval it carries ...). */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prompt {
	char title[96];
	char label[64];
	enum prompt_kind kind;
	prompt_fn done;
	void *ctx;
	char text[48];
	char lines[512];    /* shown above the field (dlg_prompt_lines), may be "" */
	bool again;         /* done asked for the prompt again */
};

/* The prompt whose done callback runs now (the till has one loop, one
 * screen stack): dlg_prompt_again marks it. */
static struct prompt *finishing;

static void free_prompt(void *p)
{
	struct prompt *pr = p;
	if (pr)
		free(pr->ctx);
	free(pr);
}

static bool accepts(enum prompt_kind kind, int key)
{
	switch (kind) {
	case PROMPT_DIGITS: case PROMPT_PIN: return key >= '0' && key <= '9';
	case PROMPT_AMOUNT: return (key >= '0' && key <= '9') || key == '.';
	case PROMPT_QTY: return (key >= '0' && key <= '9') || key == ',' || key == '.';
	case PROMPT_CODE:
	default: return key >= 0x20 && key < 0x7f;
	}
}

static const struct screen_ops prompt_ops;

/* Enter: the dialog goes, then done runs with what was typed; when done
 * calls dlg_prompt_again, the dialog comes back as it was. */
static int submit(struct ui *ui, struct screen *s)
{
	struct prompt *p = s->state;
	char text[48];
	memcpy(text, p->text, sizeof text);
	s->state = NULL; /* kept alive across the pop */
	ui_pop(ui);
	p->again = false;
	finishing = p;
	p->done(ui, text, p->ctx);
	finishing = NULL;
	if (p->again)
		ui_push(ui, &prompt_ops, p);
	else
		free_prompt(p);
	return RD_SCREEN;
}

void dlg_prompt_again(struct ui *ui)
{
	(void)ui;
	if (finishing)
		finishing->again = true;
}

static int prompt_key(struct ui *ui, struct screen *s, int key)
{
	struct prompt *p = s->state;
	size_t n = strlen(p->text);
	if (key == KEY_ESC) {
		ui_pop(ui);
		return RD_SCREEN;
	}
	if (key_is_enter(key))
		return submit(ui, s);
	if (key_is_backspace(key)) {
		if (n)
			p->text[n - 1] = '\0';
		return RD_SCREEN;
	}
	if (accepts(p->kind, key) && n + 1 < sizeof p->text) {
		p->text[n] = (char)key;
		p->text[n + 1] = '\0';
		return RD_SCREEN;
	}
	if (key >= 0x20 && key < 0x7f && !accepts(p->kind, key)) {
		/* Never dropped without a word: the cashier would not see why. */
		ui_error(ui, p->kind == PROMPT_QTY ? _("Only digits and a comma here, e.g. 2 or 0,75.")
		             : p->kind == PROMPT_AMOUNT ? _("Only digits here: the amount in rupiah, e.g. 5.000.")
		             : _("Only digits here."));
		return RD_SCREEN;
	}
	return RD_NONE;
}

static void prompt_draw(struct ui *ui, struct screen *s)
{
	(void)ui;
	struct prompt *p = s->state;
	int w = p->lines[0] ? (COLS - 4 < 74 ? COLS - 4 : 74) : (56 < COLS ? 56 : COLS);
	int nl = p->lines[0] ? draw_para(0, 0, w - 4, p->lines, false) : 0;
	int h = 7 + (nl ? nl + 1 : 0);
	int y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0, x = (COLS - w) / 2;
	draw_box(y, x, h, w, p->title);
	int row = y + 2;
	if (nl)
		row += draw_para(row, x + 2, w - 4, p->lines, true) + 1;
	int lab = draw_width(p->label, strlen(p->label));
	draw_text(row, x + 2, w - 4, p->label, false);
	/* The field: 20 columns, more as the text grows, up to the box's
	 * edge; past that its end shows (where the typing is). */
	int fx = x + 3 + lab, fw = x + w - 2 - fx, tw = (int)strlen(p->text);
	int shown = tw + 1 > 20 ? tw + 1 : 20;
	shown = shown < fw ? shown : fw;
	const char *from = tw >= shown ? p->text + (tw - shown + 1) : p->text;
	char stars[sizeof p->text];
	if (p->kind == PROMPT_PIN) {
		memset(stars, '*', strlen(from));
		stars[strlen(from)] = '\0';
		from = stars;
	}
	attron(A_REVERSE);
	draw_text(row, fx, shown > 0 ? shown : 0, from, true);
	attroff(A_REVERSE);
	draw_text(row + 2, x + 2, w - 4, _("Enter: OK   Esc: cancel"), false);
}

/* A barcode from a scanner device: entered when the prompt asks for a
 * code; refused otherwise (it is not a quantity or an amount). */
static int prompt_scan(struct ui *ui, struct screen *s, const char *code)
{
	struct prompt *p = s->state;
	if (p->kind != PROMPT_CODE) {
		ui_msg(ui, MSG_ERROR, _("Scan %s ignored: finish this entry first (Enter or Esc)."), code);
		beep();
		return RD_SCREEN;
	}
	snprintf(p->text, sizeof p->text, "%s", code);
	return submit(ui, s);
}

static const struct screen_ops prompt_ops = {
	.name = "prompt", .key = prompt_key, .draw = prompt_draw, .free = free_prompt,
	.scan = prompt_scan, .overlay = true,
};

void dlg_prompt_lines(struct ui *ui, const char *text)
{
	if (!ui->depth || ui->stack[ui->depth - 1].ops != &prompt_ops)
		return;
	struct prompt *p = ui->stack[ui->depth - 1].state;
	snprintf(p->lines, sizeof p->lines, "%s", text);
}

void dlg_prompt_open(struct ui *ui, const char *title, const char *label,
                     enum prompt_kind kind, prompt_fn done, void *ctx)
{
	struct prompt *p = calloc(1, sizeof *p);
	if (!p) {
		free(ctx);
		ui_error(ui, _("out of memory"));
		return;
	}
	snprintf(p->title, sizeof p->title, " %s ", title);
	snprintf(p->label, sizeof p->label, "%s", label);
	p->kind = kind;
	p->done = done;
	p->ctx = ctx;
	ui_push(ui, &prompt_ops, p);
}
