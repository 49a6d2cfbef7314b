/* The catalogue upload: a CSV in the till's format (core/itemcsv.h) goes
 * through the same import as `coopmart-hq import catalogue` (hqimport.c):
 * every bad line is shown, and nothing is imported when any line is bad.
 * The catalogue is every store's, so only the council uploads it. A
 * store's own prices (CSV sku,price,member_price) go through `import
 * prices --store` the same way, by whoever may see the store. */
#include "web.h"
#include "hqimport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void form(struct web *w)
{
	struct html *h = &w->h;
	if (w->op.role == HQ_COUNCIL) {
		web_form_open(w, "/web/catalogue", " enctype=\"multipart/form-data\" class=\"card\"");
		html_f(h, "<p>%s</p><p><input type=\"file\" name=\"file\" id=\"file\" "
		       "accept=\".csv,text/csv\" required> <button type=\"submit\" id=\"upload\">%s"
		       "</button></p></form>",
		       _("A CSV file with the header sku,name,price and any of barcodes, receipt_name, "
		         "unit, weighed, member_price, tax_class, category, supplier, plu, active."),
		       _("Upload"));
	}
	web_form_open(w, "/web/catalogue/prices",
	              " enctype=\"multipart/form-data\" class=\"card\" id=\"prices-form\"");
	html_f(h, "<h2>%s</h2><p>%s</p><p><label>%s <input name=\"store\" id=\"prices-store\" "
	       "required value=\"%s\"%s></label> <input type=\"file\" name=\"file\" "
	       "id=\"prices-file\" accept=\".csv,text/csv\" required> <button type=\"submit\" "
	       "id=\"prices-upload\">%s</button></p></form>", _("A store's own prices"),
	       _("A CSV file with the header sku,price,member_price: the store's prices of items "
	         "in the catalogue."), _("Store"), w->op.role == HQ_MANAGER ? w->op.store : "",
	       w->op.role == HQ_MANAGER ? " readonly" : "", _("Upload"));
}

void web_catalogue(struct web *w)
{
	web_begin(w, _("Catalogue"));
	form(w);
	web_end(w);
	web_send(w, 200);
}

/* The import's report, one line a bad row, "PATH: line N: reason" with
 * the upload's file name for the temporary path. */
static void bad_lines(struct web *w, const char *report, const char *tmp, const char *fname)
{
	struct html *h = &w->h;
	size_t tl = strlen(tmp);
	html_f(h, "<div class=\"msg err\"><p>%s</p><ul id=\"bad-lines\">",
	       _("Nothing was imported: fix these lines and upload the file again."));
	for (const char *p = report; *p;) {
		size_t n = strcspn(p, "\n");
		char line[600];
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		const char *text = strncmp(line, tmp, tl) == 0 && line[tl] == ':' ? line + tl + 2 : line;
		/* The import's closing line speaks of the command line's option;
		 * the page says the same above. */
		if (!strstr(text, "--skip-bad"))
			html_f(h, "<li>%s: %s</li>", fname, text);
		p += n + (p[n] == '\n');
	}
	html_raw(h, "</ul></div>");
}

/* The part into a private temporary file; its path into path. */
static bool spill(const char *data, size_t n, char *path, size_t pn)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, pn, "%s/coopmart-upload-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, n) == (ssize_t)n;
	ok = close(fd) == 0 && ok;
	if (!ok)
		unlink(path);
	return ok;
}

/* store NULL: the catalogue; else the store's prices. */
static void import(struct web *w, const char *store, const char *data, size_t n,
                   const char *fname)
{
	struct html *h = &w->h;
	char path[256], *report = NULL;
	size_t rlen = 0;
	if (!spill(data, n, path, sizeof path)) {
		web_error(w, 500, _("HQ could not keep the upload in a temporary file."));
		return;
	}
	FILE *errs = open_memstream(&report, &rlen);
	struct hqimport_opts o = { .errs = errs ? errs : stderr };
	struct hqimport_result res = { 0 };
	enum cm_rc rc = store ? hqimport_prices(w->st, store, path, &o, &res)
	                      : hqimport_catalogue(w->st, path, &o, &res);
	if (errs)
		fclose(errs);
	unlink(path);
	web_begin(w, _("Catalogue"));
	if (rc == CM_OK) {
		web_audit(w, NULL, store ? "prices_upload" : "catalogue_upload",
		          "%s%s%s: %zu rows, %zu changed, version %lld", store ? store : "",
		          store ? " " : "", fname, res.rows, res.changed, (long long)res.version);
		html_f(h, "<p class=\"msg ok\" id=\"imported\">%s: %zu %s, %zu %s; %s %lld.</p>", fname,
		       res.rows, _("rows"), res.changed, _("changed"), _("catalogue version"),
		       (long long)res.version);
	} else if (rc == CM_INVALID || rc == CM_NOTFOUND) {
		web_audit(w, NULL, store ? "prices_refused" : "catalogue_refused",
		          "%s%s%s: %zu bad of %zu rows", store ? store : "", store ? " " : "", fname,
		          res.bad, res.rows);
		bad_lines(w, report ? report : "", path, fname);
	} else {
		free(report);
		web_fail_store(w, rc);
		return;
	}
	free(report);
	form(w);
	web_end(w);
	web_send(w, rc == CM_OK ? 200 : 422);
}

static bool upload_part(struct web *w, const char **data, size_t *n, char *fname, size_t fn)
{
	if (form_part(w->body, w->len, req_header(w->r, "Content-Type"), "file", data, n, fname, fn) &&
	    *n > 0)
		return true;
	web_error(w, 400, _("Choose a CSV file to upload."));
	return false;
}

void web_catalogue_upload(struct web *w)
{
	const char *data;
	size_t n;
	char fname[256];
	if (w->op.role != HQ_COUNCIL) {
		web_audit(w, NULL, "refused", "catalogue upload");
		web_error(w, 403, _("Only the council changes the catalogue."));
		return;
	}
	if (upload_part(w, &data, &n, fname, sizeof fname))
		import(w, NULL, data, n, fname[0] ? fname : "upload.csv");
}

void web_prices_upload(struct web *w)
{
	const char *data, *sv;
	size_t n, sn;
	char fname[256], store[32], none[8];
	if (!form_part(w->body, w->len, req_header(w->r, "Content-Type"), "store", &sv, &sn, none,
	               sizeof none) || sn == 0 || sn >= sizeof store) {
		web_error(w, 400, _("Which store's prices?"));
		return;
	}
	memcpy(store, sv, sn);
	store[sn] = '\0';
	if (web_store_allowed(w, store) && upload_part(w, &data, &n, fname, sizeof fname))
		import(w, store, data, n, fname[0] ? fname : "prices.csv");
}
