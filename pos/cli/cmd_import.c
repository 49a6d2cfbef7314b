/* coopmart import items FILE.csv | import stock-info FILE.csv */
#include "cli/cli.h"
#include "engine/import.h"
#include "engine/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const help = N_(
	"usage: coopmart --user N import items FILE.csv [--skip-bad]\n"
	"       coopmart --user N import stock-info FILE.csv\n"
	"\n"
	"Imports or updates items from a CSV file (columns: sku, name, price and\n"
	"optionally barcodes, receipt_name, unit, weighed, member_price, tax_class,\n"
	"category, supplier, plu, active; see README). Every bad row is reported\n"
	"with its line number. Nothing is imported when any row is bad, unless\n"
	"--skip-bad. Needs an admin; the PIN is read from standard input.\n"
	"\n"
	"stock-info: shelf zone, reorder level and cost price per item (header\n"
	"row naming sku and any of zone, reorder_level, cost; a column left out\n"
	"keeps its value). All or nothing.\n");

static int stock_info(struct cli *c, const char *file, const char *data, size_t len)
{
	struct stock_import_report rep;
	enum cm_rc rc = stock_info_import(c->till, data, len, &rep);
	for (size_t i = 0; i < rep.nerrors; i++)
		fprintf(stderr, "%s: %s\n", file, rep.errors[i]);
	int ex = EX_DONE;
	if (rc == CM_OK)
		printf(_("%zu rows of stock information imported\n"), rep.rows);
	else
		ex = cli_fail(rc, till_errmsg(c->till));
	stock_import_report_free(&rep);
	return ex;
}

#define MAX_CSV (64L * 1024 * 1024)

static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, _("cannot open %s"), path);
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *p = cap <= (size_t)MAX_CSV ? realloc(buf, cap + 1) : NULL;
			if (!p) {
				snprintf(err, errlen, _("%s is too large (at most 64 MB)"), path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, _("cannot read %s"), path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Items: the file is streamed (any size); progress on a terminal, one
 * summary line either way. */
static int import_file(struct cli *c, const char *file, bool skip)
{
	char err[300];
	FILE *f = fopen(file, "rb");
	struct stat sb;
	if (!f) {
		snprintf(err, sizeof err, _("cannot open %s"), file);
		return cli_fail(CM_NOTFOUND, err);
	}
	if (fstat(fileno(f), &sb) != 0 || S_ISDIR(sb.st_mode)) {
		fclose(f);
		snprintf(err, sizeof err, _("cannot read %s"), file);
		return cli_fail(CM_NOTFOUND, err);
	}
	int ex = cli_login(c);
	if (ex != EX_DONE) {
		fclose(f);
		return ex;
	}
	struct progress pr;
	progress_init(&pr, stderr);
	struct import_report rep;
	enum cm_rc rc = import_items_file(c->till, f, skip, &pr, &rep);
	progress_end(&pr);
	fclose(f);
	for (size_t i = 0; i < rep.nerrors; i++)
		fprintf(stderr, "%s: %s\n", file, rep.errors[i].msg);
	if (rep.skipped > rep.nerrors)
		fprintf(stderr, _("%s: %zu more bad rows not shown\n"), file, rep.skipped - rep.nerrors);
	if (rc == CM_OK)
		printf(_("%zu rows: %zu new, %zu updated, %zu bad rows skipped\n"),
		       rep.rows, rep.created, rep.updated, rep.skipped);
	else
		ex = cli_fail(rc, till_errmsg(c->till));
	import_report_free(&rep);
	return ex;
}

int cmd_import(struct cli *c)
{
	const char *file = NULL;
	bool skip = false, items = false, info = false;
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--help") == 0 || strcmp(c->argv[i], "-h") == 0) {
			fputs(_(help), stdout);
			return EX_DONE;
		} else if (strcmp(c->argv[i], "--skip-bad") == 0)
			skip = true;
		else if (!items && !info && strcmp(c->argv[i], "items") == 0)
			items = true;
		else if (!items && !info && strcmp(c->argv[i], "stock-info") == 0)
			info = true;
		else if ((items || info) && !file && c->argv[i][0] != '-')
			file = c->argv[i];
		else
			return cli_usage(help);
	}
	if ((!items && !info) || !file || (info && skip))
		return cli_usage(help);
	if (items)
		return import_file(c, file, skip);
	char err[300];
	size_t len;
	char *data = slurp(file, &len, err, sizeof err);
	if (!data)
		return cli_fail(CM_NOTFOUND, err);
	int ex = cli_login(c);
	if (ex != EX_DONE) {
		free(data);
		return ex;
	}
	ex = stock_info(c, file, data, len);
	free(data);
	return ex;
}
