/* coopmart print-test: a test page on the store's receipt printer, now.
 *
 * Opens the printer the "printer" setting names (not through the queue: a
 * test page that cannot print is reported, not kept for later), says what
 * the printer answers about itself (device id, status) and prints a page
 * with the profile's width ruler. Exit 9 when the printer is absent or
 * cannot print. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"
#include "drivers/printport.h"
#include "engine/printq.h"

static const char *const help = N_(
	"usage: coopmart print-test\n"
	"\n"
	"Prints a test page on the receipt printer of the store setting 'printer'\n"
	"(usb:VVVV:PPPP, lp:PATH, tcp:HOST[:PORT] or file:PATH) with the width ruler\n"
	"of 'printer_profile' (58, 80, 80-42, dotmatrix), the printer's device id and\n"
	"status. Exit 0 printed, 8 no printer set up, 9 printer absent or not ready.\n");

static const char *status_words(const struct escstatus *s)
{
	if (!s->known)
		return _("unknown (the printer does not answer status requests)");
	if (s->cover_open)
		return _("cover open");
	if (s->paper_out)
		return _("paper out");
	if (s->error)
		return _("error");
	if (s->offline)
		return _("offline");
	if (s->paper_near_end)
		return _("paper low");
	return _("ready");
}

/* Device id and status into detail (the lines the page prints). */
static bool ask(struct printport *p, char *detail, size_t n)
{
	struct escstatus_devid id;
	struct escstatus st;
	enum printer_rc rc;
	int used = 0;

	if (printport_ops.device_id(p, &id) == PRINTER_OK) {
		printf(_("device id: %s %s (%s)\n"), id.mfg, id.mdl, id.cmd[0] ? id.cmd : "-");
		used = snprintf(detail, n, "%s %s (%s)\n", id.mfg, id.mdl, id.cmd);
	}
	rc = printport_ops.status(p, &st);
	if (rc != PRINTER_OK && rc != PRINTER_UNSUPPORTED && rc != PRINTER_TIMEOUT) {
		fprintf(stderr, "coopmart: %s: %s\n", _("the printer does not answer"),
		        printport_ops.errmsg(p));
		return false;
	}
	printf(_("status: %s\n"), status_words(&st));
	if (used >= 0 && (size_t)used < n)
		snprintf(detail + used, n - (size_t)used, "Status: %s", status_words(&st));
	if (st.known && !escstatus_ready(&st)) {
		fprintf(stderr, "coopmart: %s\n", _("the printer is not ready to print"));
		return false;
	}
	return true;
}

static int print_page(struct cli *c, struct printport *p, const char *detail)
{
	struct print_job j = { .kind = PRINT_TEST, .payload = (char *)detail };
	size_t len;
	uint8_t *page = printq_render(c->till, &j, false, &len);
	enum printer_rc rc;

	if (!page)
		return cli_fail(CM_NOMEM, till_errmsg(c->till));
	rc = printport_ops.write(p, page, len);
	free(page);
	if (rc != PRINTER_OK) {
		fprintf(stderr, "coopmart: %s: %s\n", _("the test page did not print"),
		        printport_ops.errmsg(p));
		return EX_DEVICE;
	}
	printf(_("test page printed (%zu bytes, profile %s)\n"), len,
	       till_config(c->till)->printer_profile);
	return EX_DONE;
}

int cmd_printtest(struct cli *c)
{
	const struct till_config *cfg;
	struct printport *p = NULL;
	char detail[512] = "";
	int ex;

	if (cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), stdout);
		return EX_DONE;
	}
	if (c->argc != 0)
		return cli_usage(help);
	cfg = till_config(c->till);
	if (!cfg->printer[0] || strcmp(cfg->printer, "none") == 0) {
		fprintf(stderr, "coopmart: %s\n",
		        _("no receipt printer is set up (coopmart setting set printer ...)"));
		return EX_STATE;
	}
	if (!(p = printport_new(NULL)))
		return cli_fail(CM_NOMEM, _("out of memory"));
	if (printport_ops.open(p, cfg->printer) != PRINTER_OK) {
		fprintf(stderr, "coopmart: %s: %s\n", _("the printer cannot be opened"),
		        printport_ops.errmsg(p));
		ex = EX_DEVICE;
		goto out;
	}
	printf(_("printer: %s\n"), cfg->printer);
	ex = ask(p, detail, sizeof detail) ? print_page(c, p, detail) : EX_DEVICE;
out:
	printport_ops.free(p);
	return ex;
}
