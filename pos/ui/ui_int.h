/* Internals shared by the screens of the till. Each screen is a small table
 * of callbacks in its own file (scr_*.c, dlg_*.c); ui.c runs the loop and
 * the screen stack; draw.c holds the drawing helpers. */
#ifndef UI_INT_H
#define UI_INT_H

#include <curses.h>
#include <poll.h>
#include <stdlib.h>
#include "ui/ui.h"
#include "engine/auth.h"
#include "engine/printq.h"
#include "engine/sale.h"
#include "engine/shift.h"

/* What a key handler changed: the loop redraws at most once per pass. */
enum { RD_NONE = 0, RD_SCREEN = 1 };

struct ui;
struct screen;

struct screen_ops {
	const char *name;
	/* Handles one key; returns RD_* flags. */
	int (*key)(struct ui *ui, struct screen *s, int key);
	/* Draws the screen into stdscr. Overlays are drawn over the screen
	 * below them. */
	void (*draw)(struct ui *ui, struct screen *s);
	/* Frees the screen's state (may be NULL). */
	void (*free)(void *state);
	/* A barcode from a USB or serial scanner while this screen is on top
	 * (a keyboard-wedge scanner's digits come through key instead).
	 * Returns RD_* flags. NULL: the screen takes no barcode, and the scan
	 * is refused with a message saying so (never typed into a field). */
	int (*scan)(struct ui *ui, struct screen *s, const char *code);
	bool overlay;
};

struct screen {
	const struct screen_ops *ops;
	void *state;
};

enum msg_kind { MSG_INFO, MSG_ERROR, MSG_OK };

#define UI_STACK 8

struct ui {
	struct till *till;
	const struct ui_options *opt;
	struct sale *sale;            /* the ticket being rung up, or NULL */
	struct screen stack[UI_STACK];
	int depth;
	char msg[320];
	enum msg_kind msg_kind;
	bool quit;
	bool color;
	int64_t last_sale_id;         /* for reprint */
	char last_receipt_no[32];
	struct usb *usb;              /* libusb, made on first use (ui_usb) */
	bool usb_failed;
	struct scanner *scanner;      /* the configured scanner (hw.c) */
	unsigned scanner_gen;         /* its state as last shown */
	struct printwork *printq;     /* the print worker, or NULL */
	struct printq_work *printq_work; /* its argument (engine/printq.h) */
	struct printport *printport;  /* the printer it prints on */
	struct printq_status printer; /* what it last said */
	uint32_t drawer_asks;         /* drawer answers already told */
};

/* Devices (hw.c): opened at start, their fds in the loop's poll(). */
#define HW_MAX_FDS 32
struct usb *ui_usb(struct ui *ui);
void hw_open(struct ui *ui);
void hw_close(struct ui *ui);
size_t hw_pollfds(struct ui *ui, struct pollfd *pfd, size_t max);
int hw_timeout(struct ui *ui, int timeout);
/* Handles device events after poll(); returns RD_* flags. */
int hw_dispatch(struct ui *ui, const struct pollfd *pfd, size_t n);
const char *hw_scanner_text(struct ui *ui);

/* A barcode from a USB or serial scanner: handed to the scan entry of
 * the screen on top (see screen_ops.scan). Returns RD_* flags. */
int ui_scan(struct ui *ui, const char *code);
/* Rings up code on the sale screen below the top one (after the screens
 * over it are popped): for screens that hand a scan on to the sale. */
int scr_sale_scan(struct ui *ui, const char *code);

/* Screen stack. ui_push takes ownership of state. */
void ui_push(struct ui *ui, const struct screen_ops *ops, void *state);
void ui_pop(struct ui *ui);
/* Pops everything down to (not including) the screen named name. */
void ui_pop_to(struct ui *ui, const char *name);

/* The message line. */
void ui_msg(struct ui *ui, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_error(struct ui *ui, const char *text);

/* The item code names (barcode or SKU, engine/resolve.h) in two lines
 * for a stock prompt: its name and SKU, and the stock this terminal
 * knows. The lookup's result; on an error buf holds the message. */
enum cm_rc ui_item_note(struct ui *ui, const char *code, char *buf, size_t n);

/* The ticket: opened on first use. NULL (with a message) on failure. */
struct sale *ui_sale(struct ui *ui);
/* Drops the current ticket from memory after it completed/suspended/was
 * cancelled. */
void ui_sale_done(struct ui *ui);

/* A print job was queued: the worker prints it now. */
void ui_print_kick(struct ui *ui);
/* Queues a page of text (report, return receipt) for the printer; kick
 * opens the drawer after it. A failure is a message, nothing more. */
void ui_print_text(struct ui *ui, const char *text, bool kick);
/* Opens the cash drawer without a sale (asks a supervisor when needed). */
void ui_no_sale(struct ui *ui);
/* Opens the cash drawer now (the print worker does it at once, or the
 * cashier is told it could not); never queued. */
void ui_open_drawer(struct ui *ui);

/* Screens. */
void scr_login_open(struct ui *ui);
void scr_sale_open(struct ui *ui);
void scr_search_open(struct ui *ui);
void scr_pay_open(struct ui *ui);
void scr_receipt_open(struct ui *ui, int64_t sale_id, bool reprint, cm_money change);
void scr_recovery_open(struct ui *ui);
void scr_resume_open(struct ui *ui);
void scr_help_open(struct ui *ui);
void scr_manager_open(struct ui *ui);
/* Online orders (scr_shop.c): the list, picking, collecting at the sale
 * and a member's web PIN. scr_shop_collect puts order id (as typed or
 * scanned) on the ticket. */
void scr_shop_open(struct ui *ui);
void scr_shop_collect(struct ui *ui, const char *id);
/* A scrollable text (a report) on its own screen; takes text (malloc'd). */
void scr_text_open(struct ui *ui, const char *title, char *text);
/* After login with no shift open: asks for the opening float. */
void ui_ask_float(struct ui *ui);

/* Manager menu entries (scr_manager.c lists them): each opens its
 * operation; ap is the supervisor's approval when the role needed one. */
void mgr_shift_open(struct ui *ui, const struct approval *ap);
void mgr_cash_in(struct ui *ui, const struct approval *ap);
void mgr_cash_out(struct ui *ui, const struct approval *ap);
void mgr_shift_close(struct ui *ui, const struct approval *ap);
void mgr_x_report(struct ui *ui, const struct approval *ap);
void mgr_z_report(struct ui *ui, const struct approval *ap);
void mgr_return(struct ui *ui, const struct approval *ap);
void mgr_return_no_receipt(struct ui *ui, const struct approval *ap);
void mgr_receive(struct ui *ui, const struct approval *ap);
void mgr_adjust(struct ui *ui, const struct approval *ap);
/* scr_count.c: stock counts (list, start, counting, review) and reports. */
void mgr_stock_count(struct ui *ui, const struct approval *ap);
void mgr_stock_reports(struct ui *ui, const struct approval *ap);
/* Row i of the sale screen's key map (scr_sale.c), for the help screen:
 * the key's name and what it does (both N_(): translate them). False
 * past the last row. */
bool scr_sale_key_help(size_t i, const char **name, const char **help);
/* Highlights the last line again (after an item was added elsewhere). */
void scr_sale_follow_last(struct ui *ui);

/* Dialogs. The callbacks run after the dialog has been popped. */
typedef void (*approval_fn)(struct ui *ui, const struct approval *ap, void *ctx);
/* Asks a supervisor to approve what the engine just refused with
 * CM_NEED_OVERRIDE (auth_need): shows it in full (figures, lines) before
 * the PIN, and the approval is bound to it. On success calls done(ap,
 * ctx), which redoes the action with ap. ctx is freed with free() when the
 * dialog goes (approved or not). */
void dlg_override_open_need(struct ui *ui, approval_fn done, void *ctx);
/* The same for an action with nothing to measure (X report, the close's
 * check): approved before it runs. */
void dlg_override_open(struct ui *ui, enum action act, approval_fn done, void *ctx);

/* PROMPT_CODE: a barcode, SKU, card or receipt number: a scanner
 * device's code is entered into it (the other kinds refuse a scan).
 * PROMPT_PIN: digits shown as '*'. */
enum prompt_kind { PROMPT_TEXT, PROMPT_DIGITS, PROMPT_AMOUNT, PROMPT_QTY, PROMPT_CODE,
                   PROMPT_PIN };
typedef void (*prompt_fn)(struct ui *ui, const char *text, void *ctx);
/* One-line input; done(text, ctx) on Enter; ctx freed with free(). */
void dlg_prompt_open(struct ui *ui, const char *title, const char *label,
                     enum prompt_kind kind, prompt_fn done, void *ctx);
/* Lines shown above the field of the prompt just opened (split at '\n':
 * the item and its stock, the choices of a numbered list ...). */
void dlg_prompt_lines(struct ui *ui, const char *text);
/* From a prompt's done callback, after a message saying what is wrong:
 * the prompt opens again with what was typed, and ctx stays with it. */
void dlg_prompt_again(struct ui *ui);

typedef void (*confirm_fn)(struct ui *ui, void *ctx);
/* Asks before an irreversible step: title, then text (lines split at
 * '\n': what will happen), "Enter: yes  Esc: no". yes(ctx) runs after
 * the dialog has gone; ctx freed with free() either way (may be NULL). */
void dlg_confirm_open(struct ui *ui, const char *title, const char *text, confirm_fn yes,
                      void *ctx);

/* The member panel (dlg_member.c): the attached member's dues standing
 * and the keys that put dues on the ticket. */
void dlg_member_open(struct ui *ui);

/* Drawing helpers (draw.c). */
enum color_pair { CP_NORMAL = 1, CP_BAR, CP_SELECT, CP_ERROR, CP_OK, CP_TOTAL, CP_DIM, CP_KEY };
void draw_init_colors(struct ui *ui);
void draw_attr_on(struct ui *ui, enum color_pair cp);
void draw_attr_off(struct ui *ui, enum color_pair cp);
void draw_header(struct ui *ui, const char *title);
void draw_status(struct ui *ui, int row);
/* The message line ending at row. A message too long for one row takes
 * the row above too (draw_message_rows says how many: 1 or 2; a screen
 * that keeps something there moves it up). */
void draw_message(struct ui *ui, int row);
int draw_message_rows(struct ui *ui);
/* keys: NULL-terminated pairs "F2", "Cari", ... */
void draw_keys(struct ui *ui, int row, const char *const *keys);
/* Big digits for amounts, 5 rows high, right-aligned ending at col right.
 * Returns the width used, or 0 when it does not fit (then nothing drawn). */
int draw_big(struct ui *ui, int row, int right, int maxw, const char *text);
void draw_box(int y, int x, int h, int w, const char *title);
/* Text cut to width w (UTF-8 aware), padded with spaces when pad. */
void draw_text(int y, int x, int w, const char *text, bool pad);
/* Display columns of the first len bytes of UTF-8 text. */
int draw_width(const char *text, size_t len);
/* Text in lines of at most w columns from row y: broken at '\n' and
 * wrapped between words. Returns the rows it takes; draws only when draw
 * is set (so a dialog can be sized first). */
int draw_para(int y, int x, int w, const char *text, bool draw);
void draw_money(char *buf, size_t n, cm_money v);
void draw_clock(char *buf, size_t n, int64_t t);

/* Key codes the screens share. */
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
bool key_is_enter(int key);
bool key_is_backspace(int key);

#endif
