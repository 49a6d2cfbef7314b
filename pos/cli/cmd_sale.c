/* coopmart sale list|show */
#include "cli/cli.h"
#include "core/csvout.h"
#include "core/receipt.h"
#include "core/money.h"
#include "engine/history.h"
#include "engine/printq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const help = N_(
	"usage: coopmart sale list [--date YYYY-MM-DD | --from DATE --to DATE] [--csv]\n"
	"       coopmart sale show RECEIPT_NO [--columns 32|40|42|48 | --escpos]\n"
	"\n"
	"list: one line per completed sale (today when no date is given).\n"
	"  --csv     one row per sale for a spreadsheet: ';' between fields,\n"
	"            rupiah as whole numbers (see README, CSV exports).\n"
	"show: the receipt of a completed sale, as it was printed.\n"
	"  --escpos  the receipt's bytes as the receipt printer gets them (ESC/POS\n"
	"            for the store's printer_profile, with the drawer kick when it\n"
	"            was paid in cash), for checking a printer; redirect to a file.\n");

static void print_sale(const struct sale_header *h, void *ctx)
{
	(void)ctx;
	char total[32], tm[32];
	money_format(h->totals.due, NULL, total, sizeof total);
	time_t t = (time_t)h->completed_at;
	struct tm lt;
	localtime_r(&t, &lt);
	strftime(tm, sizeof tm, "%Y-%m-%d %H:%M", &lt);
	printf(_("%-14s %s  %14s  seq %lld\n"), h->receipt_no, tm, total, (long long)h->journal_seq);
}

static const char *const csv_cols[] = {
	"receipt_no", "business_date", "completed_at", "gross", "discounts", "total",
	"rounding", "due", "paid", "change", "tax", "journal_seq", NULL,
};

/* One sale as a CSV row (core/csvout.h): rupiah as whole numbers. */
static void print_sale_csv(const struct sale_header *h, void *ctx)
{
	(void)ctx;
	const struct sale_totals *s = &h->totals;
	cm_money tax = 0;
	for (int i = 0; i < TAX_CLASS_COUNT; i++)
		tax += s->class_tax[i];
	char date[16], line[512];
	snprintf(date, sizeof date, "%04d-%02d-%02d", h->business_date / 10000,
	         h->business_date / 100 % 100, h->business_date % 100);
	struct csvout o;
	csvout_begin(&o, line, sizeof line);
	csvout_text(&o, h->receipt_no);
	csvout_text(&o, date);
	csvout_time(&o, h->completed_at);
	const cm_money figures[] = { s->gross, s->line_discounts + s->ticket_discount, s->total,
	                             s->rounding, s->due, s->paid, s->change, tax };
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
		csvout_money(&o, figures[i]);
	csvout_int(&o, h->journal_seq);
	printf("%s\n", line);
}

static int list(struct cli *c)
{
	int32_t from = 0, to = 0;
	bool csv = false;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--csv") == 0) {
			csv = true;
			continue;
		}
		int32_t *dst = strcmp(c->argv[i], "--date") == 0 ? NULL
			: strcmp(c->argv[i], "--from") == 0 ? &from
			: strcmp(c->argv[i], "--to") == 0 ? &to : (int32_t *)-1;
		if (dst == (int32_t *)-1 || i + 1 >= c->argc)
			return cli_usage(help);
		int32_t d = cli_parse_date(c->argv[++i]);
		if (!d)
			return cli_fail(CM_INVALID, _("dates are written YYYY-MM-DD"));
		if (dst)
			*dst = d;
		else
			from = to = d;
	}
	if (!from)
		from = to ? to : till_local_date(till_now(c->till));
	if (!to)
		to = from;
	if (csv) {
		char line[256];
		struct csvout o;
		csvout_begin(&o, line, sizeof line);
		csvout_header(&o, csv_cols);
		printf("%s\n", line);
	}
	enum cm_rc rc = store_sale_each(c->st, from, to, csv ? print_sale_csv : print_sale, NULL);
	return rc == CM_OK ? EX_DONE : cli_fail(rc, store_errmsg(c->st));
}

/* The bytes the receipt printer gets for the sale, on stdout as they are. */
static int show_escpos(struct cli *c, int64_t sale_id)
{
	size_t len;
	uint8_t *bytes = printq_render_sale(c->till, sale_id, &len);
	if (!bytes)
		return cli_fail(CM_NOMEM, till_errmsg(c->till));
	size_t put = fwrite(bytes, 1, len, stdout);
	free(bytes);
	if (put != len || fflush(stdout) != 0)
		return cli_fail(CM_IO, _("could not write the receipt to the standard output"));
	return EX_DONE;
}

static int show(struct cli *c)
{
	const char *no = NULL;
	int columns = 0;
	bool escpos = false;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--columns") == 0 && i + 1 < c->argc)
			columns = atoi(c->argv[++i]);
		else if (strcmp(c->argv[i], "--escpos") == 0)
			escpos = true;
		else if (!no)
			no = c->argv[i];
		else
			return cli_usage(help);
	}
	if (!no || (escpos && columns))
		return cli_usage(help);
	if (columns && !receipt_width_ok(columns))
		return cli_fail(CM_INVALID, _("--columns must be 32, 40, 42 or 48"));
	struct sale_record r;
	enum cm_rc rc = history_load(c->till, 0, no, &r);
	if (rc != CM_OK)
		return cli_fail(rc, till_errmsg(c->till));
	if (escpos) {
		int64_t id = r.h.id;
		history_free(&r);
		return show_escpos(c, id);
	}
	char *text = history_receipt(c->till, &r, columns, false);
	history_free(&r);
	if (!text)
		return cli_fail(CM_NOMEM, _("out of memory"));
	fputs(text, stdout);
	free(text);
	return EX_DONE;
}

int cmd_sale(struct cli *c)
{
	if (c->argc < 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc < 1 ? stderr : stdout);
		return c->argc < 1 ? EX_USAGE : EX_DONE;
	}
	if (strcmp(c->argv[0], "list") == 0)
		return list(c);
	if (strcmp(c->argv[0], "show") == 0)
		return show(c);
	return cli_usage(help);
}
