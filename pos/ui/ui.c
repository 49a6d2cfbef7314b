/* The till's main loop: one poll() over the keyboard and the print
 * worker's pipe (and, later, the scanners' file descriptors), a screen
 * stack, at most one redraw per pass, and a terminal restored on every way
 * out. */
#include "ui/ui_int.h"
#include "core/money.h"
#include "engine/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t quit_signal;

/* COOPMART_UI_TIMING=FILE: for every pass of the loop that handled an
 * Enter, one line "pass_ns N SCREEN" (from reading the keys to the screen
 * being updated; SCREEN where the keys arrived) is appended to FILE; the benchmark tests/bench/bench_till.c
 * reads them. Off (NULL) in normal use. */
static FILE *timing;
static bool curses_up;

static void restore_terminal(void)
{
	if (curses_up && !isendwin())
		endwin();
	curses_up = false;
}

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* A crash must not leave the cashier with a dead terminal: restore it,
 * then die by the same signal so the exit status tells what happened. */
static void on_fatal_signal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	atexit(restore_terminal);
}

void ui_push(struct ui *ui, const struct screen_ops *ops, void *state)
{
	if (ui->depth == UI_STACK) {
		/* Never expected: screens nest at most four deep. */
		if (ops->free)
			ops->free(state);
		return;
	}
	ui->stack[ui->depth++] = (struct screen){ ops, state };
}

void ui_pop(struct ui *ui)
{
	if (!ui->depth)
		return;
	struct screen *s = &ui->stack[--ui->depth];
	if (s->ops->free)
		s->ops->free(s->state);
	s->state = NULL;
}

void ui_pop_to(struct ui *ui, const char *name)
{
	while (ui->depth && strcmp(ui->stack[ui->depth - 1].ops->name, name) != 0)
		ui_pop(ui);
}

int ui_scan(struct ui *ui, const char *code)
{
	if (!ui->depth)
		return RD_NONE;
	struct screen *s = &ui->stack[ui->depth - 1];
	if (s->ops->scan)
		return s->ops->scan(ui, s, code);
	/* A dialog that asks for a number or a choice: the barcode must not
	 * land in its field. */
	ui_msg(ui, MSG_ERROR, _("Scan %s ignored: this window takes no barcode (finish or close it first)."),
	       code);
	beep();
	return RD_SCREEN;
}

void ui_msg(struct ui *ui, enum msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_kind = kind;
}

void ui_error(struct ui *ui, const char *text)
{
	ui_msg(ui, MSG_ERROR, "%s", text);
	beep();
}

enum cm_rc ui_item_note(struct ui *ui, const char *code, char *buf, size_t n)
{
	struct resolved r;
	char q[32];
	enum cm_rc rc = resolve_code(ui->till, code, 0, &r);
	if (rc != CM_OK) {
		snprintf(buf, n, "%s", till_errmsg(ui->till));
		return rc;
	}
	qty_format(store_stock_level(till_store(ui->till), r.item.id), q, sizeof q);
	snprintf(buf, n, _("%s (%s)\nIn stock now: %s %s"), r.item.name, r.item.sku, q, r.item.unit);
	return CM_OK;
}

struct sale *ui_sale(struct ui *ui)
{
	if (ui->sale)
		return ui->sale;
	if (sale_open(ui->till, &ui->sale) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		ui->sale = NULL;
		ui_print_kick(ui);   /* the drawer may be shut by now: ask again */
	}
	return ui->sale;
}

void ui_sale_done(struct ui *ui)
{
	sale_free(ui->sale);
	ui->sale = NULL;
}

void ui_print_kick(struct ui *ui)
{
	if (ui->printq)
		printwork_kick(ui->printq);
}

void ui_open_drawer(struct ui *ui)
{
	if (!ui->printq) {
		ui_msg(ui, MSG_ERROR, "%s", _("The cash drawer could not be opened: "
		                              "open it with its key."));
		return;
	}
	printwork_request(ui->printq, PRINTQ_REQ_DRAWER);
}

void ui_print_text(struct ui *ui, const char *text, bool kick)
{
	/* What the page belongs to is saved already: a failure here only
	 * loses paper, and the message says so. */
	if (kick && printq_has_drawer(ui->till))
		ui_open_drawer(ui);
	if (printq_enqueue_text(ui->till, text) != CM_OK) {
		ui_msg(ui, MSG_ERROR, _("Saved, but not queued for printing: %s"),
		       till_errmsg(ui->till));
		return;
	}
	ui_print_kick(ui);
}

static void no_sale_approved(struct ui *ui, const struct approval *ap, void *ctx)
{
	(void)ctx;
	if (printq_no_sale(ui->till, ap) != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ui_open_drawer(ui);
	ui_msg(ui, MSG_OK, "%s", _("Drawer opened (no sale)."));
}

void ui_no_sale(struct ui *ui)
{
	enum cm_rc rc = printq_no_sale(ui->till, NULL);

	if (rc == CM_NEED_OVERRIDE) {
		dlg_override_open(ui, ACT_NO_SALE, no_sale_approved, NULL);
		return;
	}
	if (rc != CM_OK) {
		ui_error(ui, till_errmsg(ui->till));
		return;
	}
	ui_open_drawer(ui);
	ui_msg(ui, MSG_OK, "%s", _("Drawer opened (no sale)."));
}

bool key_is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

bool key_is_backspace(int key)
{
	return key == KEY_BACKSPACE || key == 127 || key == 8;
}

/* Below this the screens cannot lay out their parts; say so rather than
 * draw them over each other. */
#define MIN_COLS 60
#define MIN_LINES 20

static void draw_all(struct ui *ui)
{
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		mvprintw(0, 0, _("The window is too small (%dx%d); the till needs at least %dx%d."),
		         COLS, LINES, MIN_COLS, MIN_LINES);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	int base = ui->depth - 1;
	while (base > 0 && ui->stack[base].ops->overlay)
		base--;
	for (int i = base; i < ui->depth; i++)
		ui->stack[i].ops->draw(ui, &ui->stack[i]);
	wnoutrefresh(stdscr);
	doupdate();
}

static bool start_curses(struct ui *ui)
{
	if (!initscr())
		return false;
	curses_up = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	draw_init_colors(ui);
	return true;
}

/* Milliseconds until the clock on screen needs a new minute. */
static int clock_timeout(struct ui *ui)
{
	int64_t now = till_now(ui->till);
	return (int)(60 - now % 60) * 1000;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int read_keys(struct ui *ui, bool *enter)
{
	int rd = RD_NONE, key;
	while (!ui->quit && ui->depth && (key = getch()) != ERR) {
		if (key == KEY_RESIZE) {
			rd |= RD_SCREEN;
			continue;
		}
		*enter = *enter || key_is_enter(key);
		struct screen *s = &ui->stack[ui->depth - 1];
		rd |= s->ops->key(ui, s, key);
	}
	return rd;
}

/* The print worker's status: the drawer's switch goes to the engine (the
 * next sale waits for a closed drawer), a drawer that could not be
 * opened to the cashier. */
static void printer_news(struct ui *ui)
{
	printwork_status(ui->printq, &ui->printer);
	till_drawer_seen(ui->till, ui->printer.drawer_open);
	if (ui->printer.drawer_asks == ui->drawer_asks)
		return;
	ui->drawer_asks = ui->printer.drawer_asks;
	if (ui->printer.drawer == PRINTQ_DRAWER_FAILED)
		ui_msg(ui, MSG_ERROR, _("The cash drawer could not be opened (%s): open it with "
		                        "its key."), ui->printer.drawer_why);
}

static void loop(struct ui *ui)
{
	int rd = RD_SCREEN;
	while (!ui->quit && ui->depth && !quit_signal) {
		if (rd)
			draw_all(ui);
		rd = RD_NONE;
		/* The keyboard, the print worker's pipe, then the devices' fds
		 * (hw.c). */
		struct pollfd pfd[2 + HW_MAX_FDS] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = ui->printq ? printwork_fd(ui->printq) : -1, .events = POLLIN },
		};
		size_t nfd = 2 + hw_pollfds(ui, pfd + 2, HW_MAX_FDS);
		int n = poll(pfd, (nfds_t)nfd, hw_timeout(ui, clock_timeout(ui)));
		if (n < 0 && errno != EINTR)
			break;
		if (n == 0)
			rd |= RD_SCREEN; /* the clock */
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			printer_news(ui);
			rd |= RD_SCREEN;
		}
		rd |= hw_dispatch(ui, pfd + 2, n > 0 ? nfd - 2 : 0);
		/* EINTR after SIGWINCH: ncurses queues KEY_RESIZE for getch. */
		int64_t t0 = timing ? mono_ns() : 0;
		const char *where = ui->depth ? ui->stack[ui->depth - 1].ops->name : "";
		bool enter = false;
		rd |= read_keys(ui, &enter);
		if (timing && enter) {
			if (rd)
				draw_all(ui);
			rd = RD_NONE;
			fprintf(timing, "pass_ns %lld %s\n", (long long)(mono_ns() - t0), where);
			fflush(timing);
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
	}
}

int ui_run(struct till *t, const struct ui_options *opt)
{
	struct ui ui = { .till = t, .opt = opt };
	char err[256];
	const char *tpath = getenv("COOPMART_UI_TIMING");
	timing = tpath && *tpath ? fopen(tpath, "a") : NULL;
	install_signals();
	if (!start_curses(&ui)) {
		fprintf(stderr, "coopmart: %s\n", _("cannot start the screen (is TERM set?)"));
		return 1;
	}
	hw_open(&ui);
	/* Printing runs on its own thread with its own connection: the loop
	 * only hears from it through printq_fd. Without it the till still
	 * sells; receipts wait in the queue. */
	ui.printport = printport_new(NULL);
	ui.printq_work = ui.printport ? printq_work_new(opt->db_path ? opt->db_path : "coopmart",
	                                                &printport_ops, ui.printport) : NULL;
	if (!ui.printq_work)
		ui_msg(&ui, MSG_ERROR, "%s", _("out of memory"));
	else if (!printwork_start(&printq_work_ops, ui.printq_work, sizeof ui.printer, &ui.printq,
	                          err, sizeof err))
		ui_msg(&ui, MSG_ERROR, "%s", err);
	scr_login_open(&ui);
	loop(&ui);
	while (ui.depth)
		ui_pop(&ui);
	hw_close(&ui);
	/* The ticket stays saved in the store; only memory is freed. */
	sale_free(ui.sale);
	if (till_user(t))
		auth_logout(t);
	printwork_stop(ui.printq);
	printq_work_free(ui.printq_work);
	if (ui.printport)
		printport_ops.free(ui.printport);
	restore_terminal();
	if (timing)
		fclose(timing);
	timing = NULL;
	return 0;
}
