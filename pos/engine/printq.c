/* The print queue: queueing (in the sale's transaction), rendering receipts
 * as ESC/POS, passes over the queue with a printer, and the print worker
 * thread. See printq.h. */
#include "engine/printq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chain.h"
#include "core/receipt.h"
#include "drivers/escpos.h"
#include "engine/history.h"

/* ---- queueing --------------------------------------------------------------- */

static bool printer_none(const struct till *t)
{
	return strcmp(till_config(t)->printer, "none") == 0;
}

bool printq_has_drawer(const struct till *t)
{
	const struct till_config *c = till_config(t);

	return c->drawer && c->printer[0] && !printer_none(t);
}

enum cm_rc printq_enqueue_sale(struct till *t, int64_t sale_id)
{
	struct print_job j = {
		.kind = PRINT_RECEIPT, .sale_id = sale_id, .created_at = till_now(t),
	};
	enum cm_rc rc;

	if (printer_none(t))
		return CM_OK;
	rc = store_print_enqueue(till_store(t), &j);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

enum cm_rc printq_enqueue_member_copy(struct till *t, int64_t sale_id)
{
	char copy[] = PRINTQ_MEMBER_COPY;
	struct print_job j = {
		.kind = PRINT_RECEIPT, .sale_id = sale_id, .created_at = till_now(t), .payload = copy,
	};
	enum cm_rc rc;

	if (printer_none(t))
		return CM_OK;
	rc = store_print_enqueue(till_store(t), &j);
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

/* Queues j and journals type (payload consumed) in one transaction. */
static enum cm_rc enqueue_journaled(struct till *t, struct print_job *j, const char *type,
                                    char *payload)
{
	enum cm_rc rc = store_begin(till_store(t));

	if (rc != CM_OK) {
		free(payload);
		return till_store_fail(t, rc);
	}
	rc = store_print_enqueue(till_store(t), j);
	if (rc != CM_OK)
		till_store_fail(t, rc);
	return till_end_tx(t, rc, type, 0, payload);
}

enum cm_rc printq_reprint(struct till *t, int64_t sale_id, const struct approval *ap)
{
	struct print_job j = { .kind = PRINT_RECEIPT, .sale_id = sale_id, .reprint = true,
	                       .created_at = till_now(t) };
	struct sale_record rec;
	struct canon *c;
	enum cm_rc rc = auth_require(t, ACT_REPRINT, ap);

	if (rc != CM_OK)
		return rc;
	if (printer_none(t)) {
		till_seterr(t, "%s", _("no receipt printer is set up"));
		return CM_STATE;
	}
	if ((rc = history_load(t, sale_id, NULL, &rec)) != CM_OK)
		return rc;
	c = canon_new();
	canon_obj_begin(c, NULL);
	canon_int(c, "sale", sale_id);
	canon_str(c, "receipt", rec.h.receipt_no);
	auth_approval_payload(c, ap);
	canon_obj_end(c);
	history_free(&rec);
	return enqueue_journaled(t, &j, "receipt_reprinted", canon_take(c));
}

enum cm_rc printq_no_sale(struct till *t, const struct approval *ap)
{
	struct canon *c;
	enum cm_rc rc = auth_require(t, ACT_NO_SALE, ap);

	if (rc != CM_OK)
		return rc;
	if (!printq_has_drawer(t)) {
		till_seterr(t, "%s", _("there is no cash drawer on a printer"));
		return CM_STATE;
	}
	c = canon_new();
	canon_obj_begin(c, NULL);
	auth_approval_payload(c, ap);
	canon_obj_end(c);
	if ((rc = store_begin(till_store(t))) != CM_OK) {
		free(canon_take(c));
		return till_store_fail(t, rc);
	}
	return till_end_tx(t, CM_OK, "no_sale", 0, canon_take(c));
}

/* Queues j in a transaction of its own (j->id set on success). */
static enum cm_rc enqueue_alone(struct till *t, struct print_job *j)
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);

	if (rc != CM_OK)
		return till_store_fail(t, rc);
	rc = store_print_enqueue(st, j);
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
		store_rollback(st);
	}
	return rc;
}

enum cm_rc printq_enqueue_text(struct till *t, const char *text)
{
	struct print_job j = { .kind = PRINT_REPORT, .created_at = till_now(t),
	                       .payload = (char *)text };

	if (printer_none(t))
		return CM_OK;
	return enqueue_alone(t, &j);
}

enum cm_rc printq_test_page(struct till *t, const char *detail, int64_t *job_id)
{
	struct print_job j = { .kind = PRINT_TEST, .created_at = till_now(t),
	                       .payload = (char *)(detail ? detail : "") };
	enum cm_rc rc = enqueue_alone(t, &j);
	if (rc == CM_OK)
		*job_id = j.id;
	return rc;
}

/* ---- rendering ------------------------------------------------------------- */

static const struct escpos_profile *profile(const struct till *t)
{
	const struct escpos_profile *p = escpos_profile_find(till_config(t)->printer_profile);

	return p ? p : escpos_profile_find("58");
}

/* Dots a side of a QR module: a 60-character check code is a version 4
 * symbol (33 modules), 165 dots square, about 21 mm, well within 58 mm
 * paper and big enough for a phone's camera. */
#define QR_MODULE 5

/* One line of the marked receipt text (core/receipt.h): the store heading
 * centred and bold, the total at the largest size that fits, the check
 * code as a QR code, every other line as laid out. The marks come from the receipt's structure; no text
 * on a line can make it a heading or a total. */
static void receipt_line(struct escpos *e, char *line, bool *heading)
{
	bool head = line[0] == RECEIPT_MARK_HEADING;
	char *sep;

	if (head && !*heading) {        /* centred and bold while in the heading */
		escpos_align(e, ESCPOS_CENTER);
		escpos_bold(e, true);
	} else if (!head && *heading) {
		escpos_bold(e, false);
		escpos_align(e, ESCPOS_LEFT);
	}
	*heading = head;
	if (line[0] == RECEIPT_MARK_QR) {
		/* Without QR codes the code's text lines below are the fallback. */
		if (escpos_profile(e)->qr)
			escpos_qr(e, line + 1, QR_MODULE);
	} else if (head) {
		escpos_line(e, line + 1 + strspn(line + 1, " "));
	} else if (line[0] == RECEIPT_MARK_TOTAL && (sep = strchr(line, RECEIPT_MARK_SEP))) {
		*sep = '\0';
		escpos_big_lr(e, line + 1, sep + 1);
	} else {
		escpos_line(e, line);
	}
}

static void render_receipt(struct escpos *e, char *marked, const char *receipt_no)
{
	bool heading = false;

	escpos_init(e);
	for (char *p = marked, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		receipt_line(e, p, &heading);
		if (!nl)
			break;
	}
	escpos_feed(e, 1);
	escpos_barcode(e, ESCPOS_CODE128, receipt_no);
	escpos_cut(e);
}

/* A page of text as it is (reports, return receipts): left aligned, then
 * the cut. */
static void render_text(struct escpos *e, const char *text)
{
	escpos_init(e);
	escpos_align(e, ESCPOS_LEFT);
	for (const char *p = text ? text : "", *nl; *p; p = nl + 1) {
		char line[256];
		nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		snprintf(line, sizeof line, "%.*s", n, p);
		if (line[0] == PRINTQ_MARK_BARCODE)
			escpos_barcode(e, ESCPOS_CODE128, line + 1);
		else
			escpos_line(e, line);
		if (!nl)
			break;
	}
	escpos_feed(e, 1);
	escpos_cut(e);
}

/* "1234567890" repeated to the width, and a "+----+----|" scale. */
static void render_test(struct escpos *e, const struct till *t, const char *detail)
{
	const struct escpos_profile *p = escpos_profile(e);
	char ruler[64], scale[64], line[256];
	int cols = p->columns;

	for (int i = 0; i < cols && i < 63; i++) {
		ruler[i] = (char)('0' + (i + 1) % 10);
		scale[i] = (i + 1) % 10 == 0 ? '|' : (i + 1) % 5 == 0 ? '+' : '-';
	}
	ruler[cols] = scale[cols] = '\0';
	escpos_init(e);
	escpos_align(e, ESCPOS_CENTER);
	escpos_double(e, true);
	escpos_line(e, "COOPMART");
	escpos_double(e, false);
	escpos_bold(e, true);
	escpos_line(e, "HALAMAN UJI / TEST PAGE");
	escpos_bold(e, false);
	escpos_align(e, ESCPOS_LEFT);
	escpos_rule(e);
	snprintf(line, sizeof line, "Profil: %s (%d kolom)", p->name, cols);
	escpos_line(e, line);
	snprintf(line, sizeof line, "Printer: %s", till_config(t)->printer[0] ?
	         till_config(t)->printer : "(spool)");
	escpos_line(e, line);
	for (const char *s = detail, *nl; s && *s; s = nl + 1) {
		nl = strchr(s, '\n');
		snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - s) : (int)strlen(s), s);
		escpos_line(e, line);
		if (!nl)
			break;
	}
	escpos_rule(e);
	escpos_line(e, ruler);
	escpos_line(e, scale);
	escpos_double(e, true);
	escpos_line(e, "2x TOTAL");
	escpos_double(e, false);
	escpos_barcode(e, ESCPOS_CODE128, "COOPMART-TEST");
	escpos_qr(e, "COOPMART TEST PAGE", 4);
	escpos_cut(e);
}

/* The text receipt of a job's sale at cols, malloc'd; NULL with a message. */
static char *receipt_text(struct till *t, const struct print_job *j, int cols, char *no, size_t nn)
{
	struct sale_record rec;
	char *text;

	if (history_load(t, j->sale_id, NULL, &rec) != CM_OK)
		return NULL;
	rec.member_copy = j->payload && strcmp(j->payload, PRINTQ_MEMBER_COPY) == 0;
	text = cols ? history_receipt_marked(t, &rec, cols, j->reprint)
	            : history_receipt(t, &rec, cols, j->reprint);
	snprintf(no, nn, "%s", rec.h.receipt_no);
	history_free(&rec);
	if (!text)
		till_seterr(t, "%s", _("out of memory"));
	return text;
}

/* The spool is text: a barcode line is its text. */
static void strip_marks(char *text)
{
	char *w = text;
	for (const char *r = text; r && *r; r++)
		if (*r != PRINTQ_MARK_BARCODE)
			*w++ = *r;
	if (w)
		*w = '\0';
}

/* text + the spool's page separator, as the till wrote it before. */
static uint8_t *spool_bytes(struct till *t, const struct print_job *j, size_t *len)
{
	char no[32], *text = NULL;
	uint8_t *out;
	size_t n;

	*len = 0;
	if (j->kind == PRINT_DRAWER)
		return malloc(1);      /* never kicked late: nothing to write */
	if (j->kind == PRINT_RECEIPT) {
		text = receipt_text(t, j, 0, no, sizeof no);
		if (!text)
			return NULL;
	} else {
		text = strdup(j->payload ? j->payload : "");
		strip_marks(text);
	}
	n = text ? strlen(text) : 0;
	out = text ? realloc(text, n + 3) : NULL;
	if (!out) {
		free(text);
		till_seterr(t, "%s", _("out of memory"));
		return NULL;
	}
	memcpy(out + n, "\f\n", 2);
	*len = n + 2;
	return out;
}

uint8_t *printq_render(struct till *t, const struct print_job *j, bool text, size_t *len)
{
	const struct escpos_profile *p = profile(t);
	struct escpos *e;
	const uint8_t *bytes;
	uint8_t *out = NULL;
	char no[32], *receipt = NULL;

	if (text)
		return spool_bytes(t, j, len);
	*len = 0;
	if (j->kind == PRINT_RECEIPT && !(receipt = receipt_text(t, j, p->columns, no, sizeof no)))
		return NULL;
	/* A job's kick flag and a queued drawer job (from before the drawer
	 * opened at the sale, printq_open_drawer) are ignored: a drawer
	 * opening when the printer comes back would open it unattended. */
	e = escpos_new(p);
	if (e && j->kind == PRINT_RECEIPT) {
		render_receipt(e, receipt, no);
	} else if (e && j->kind == PRINT_DRAWER) {
		/* nothing */
	} else if (e && j->kind == PRINT_REPORT) {
		render_text(e, j->payload);
	} else if (e) {
		render_test(e, t, j->payload);
	}
	free(receipt);
	bytes = e ? escpos_data(e, len) : NULL;
	if (bytes && (out = malloc(*len ? *len : 1)))
		memcpy(out, bytes, *len);
	escpos_free(e);
	if (!out)
		till_seterr(t, "%s", _("out of memory"));
	return out;
}

uint8_t *printq_render_sale(struct till *t, int64_t sale_id, size_t *len)
{
	struct print_job j = { .kind = PRINT_RECEIPT, .sale_id = sale_id };

	return printq_render(t, &j, false, len);
}

/* ---- a pass over the queue ------------------------------------------------- */

struct printq_dev {
	const struct printport_ops *ops;
	struct printport *port;   /* not owned */
	bool text;                /* the spool: receipts as text */
	char spool[1100];
};

struct printq_dev *printq_dev_new(const char *spool, const struct printport_ops *ops,
                                  struct printport *port)
{
	struct printq_dev *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	snprintf(d->spool, sizeof d->spool, "%s", spool);
	d->ops = ops;
	d->port = port;
	return d;
}

static void dev_close(struct printq_dev *d)
{
	d->ops->close(d->port);
}

void printq_dev_free(struct printq_dev *d)
{
	if (!d)
		return;
	dev_close(d);
	free(d);
}

/* Opens the printer the settings name (again when they changed). */
static bool dev_open(struct till *t, struct printq_dev *d, struct printq_status *out)
{
	const char *want = till_config(t)->printer;
	char spec[1200];

	if (*want)
		snprintf(spec, sizeof spec, "%s", want);
	else
		snprintf(spec, sizeof spec, "file:%s", d->spool);
	d->text = !*want;
	if (d->ops->open(d->port, spec) != PRINTER_OK) {
		snprintf(out->detail, sizeof out->detail, "%s", d->ops->errmsg(d->port));
		return false;
	}
	return true;
}

static enum printq_state state_of(const struct escstatus *s)
{
	if (s->cover_open)
		return PRINTQ_COVER_OPEN;
	if (s->paper_out)
		return PRINTQ_PAPER_OUT;
	if (s->error)
		return PRINTQ_ERROR;
	if (s->offline)
		return PRINTQ_OFFLINE;
	if (s->paper_near_end)
		return PRINTQ_PAPER_LOW;
	return PRINTQ_READY;
}

/* Asks the printer how it is. False when it cannot print now (out says
 * why); a printer that cannot answer is taken as ready. A lost printer is
 * closed so that the next pass opens it again. */
static bool dev_ready(struct printq_dev *d, struct printq_status *out)
{
	static const char *const why[] = {
		[PRINTQ_PAPER_OUT] = "paper out", [PRINTQ_COVER_OPEN] = "cover open",
		[PRINTQ_ERROR] = "printer error", [PRINTQ_OFFLINE] = "printer offline",
	};
	struct escstatus st;
	enum printer_rc rc = d->ops->status(d->port, &st);

	if (rc == PRINTER_OK) {
		out->state = state_of(&st);
		out->drawer_open = st.drawer_open;
		if (escstatus_ready(&st))
			return true;
		snprintf(out->detail, sizeof out->detail, "%s", why[out->state]);
		return false;
	}
	if (rc == PRINTER_UNSUPPORTED || rc == PRINTER_TIMEOUT) {
		out->state = PRINTQ_READY;
		return true;
	}
	out->state = PRINTQ_OFFLINE;
	snprintf(out->detail, sizeof out->detail, "%s", d->ops->errmsg(d->port));
	dev_close(d);
	return false;
}

/* The first waiting job records why nothing printed. A printer that stays
 * off is asked every few seconds: the same reason again is not written
 * again (a durable write every pass would only wear the disk). */
static enum cm_rc fail_first(struct till *t, const char *reason)
{
	struct print_job j;
	enum cm_rc rc = store_print_next(till_store(t), 0, &j);

	if (rc == CM_NOTFOUND)
		return CM_OK;
	if (rc == CM_OK) {
		if (strncmp(j.last_error, reason, sizeof j.last_error - 1) != 0)
			rc = store_print_failed(till_store(t), j.id, reason, till_now(t));
		store_print_job_free(&j);
	}
	return rc == CM_OK ? CM_OK : till_store_fail(t, rc);
}

/* After a job's bytes: the status again. A printer that answers has taken
 * everything sent before the question (a network printer's connection
 * can die with the receipt still in the kernel's buffers: that shows
 * here, and the job stays queued). One that never answers is trusted. */
static enum printer_rc took_it(struct printq_dev *d, struct printq_status *out)
{
	struct escstatus st;
	enum printer_rc rc = d->ops->status(d->port, &st);

	if (rc == PRINTER_OK) {
		out->state = state_of(&st);
		out->drawer_open = st.drawer_open;
	}
	return rc == PRINTER_UNSUPPORTED || rc == PRINTER_TIMEOUT ? PRINTER_OK : rc;
}

/* Prints the waiting jobs in order until one fails. */
static enum cm_rc print_jobs(struct till *t, struct printq_dev *d, struct printq_status *out)
{
	struct store *st = till_store(t);
	struct print_job j;
	int64_t after = 0;
	enum cm_rc rc;

	while ((rc = store_print_next(st, after, &j)) == CM_OK) {
		size_t len;
		uint8_t *bytes = printq_render(t, &j, d->text, &len);
		enum printer_rc prc = PRINTER_OK;

		after = j.id;
		if (!bytes) {
			/* This job cannot print (its sale is unreadable): it keeps
			 * its reason and the rest of the queue goes on. */
			rc = store_print_failed(st, j.id, till_errmsg(t), till_now(t));
		} else if ((len > 0 && (prc = d->ops->write(d->port, bytes, len)) != PRINTER_OK) ||
		           (prc = took_it(d, out)) != PRINTER_OK) {
			snprintf(out->detail, sizeof out->detail, "%s", d->ops->errmsg(d->port));
			rc = store_print_failed(st, j.id, out->detail, till_now(t));
			out->state = PRINTQ_OFFLINE;
			dev_close(d);
		} else {
			rc = store_print_done(st, j.id, till_now(t));
			out->printed += rc == CM_OK;
		}
		free(bytes);
		store_print_job_free(&j);
		if (rc != CM_OK)
			return till_store_fail(t, rc);
		/* Lost, or out of paper now: the rest waits for the next pass. */
		if (prc != PRINTER_OK || (out->state != PRINTQ_READY && out->state != PRINTQ_PAPER_LOW))
			return CM_OK;
	}
	return rc == CM_NOTFOUND ? CM_OK : till_store_fail(t, rc);
}

enum cm_rc printq_pass(struct till *t, struct printq_dev *d, struct printq_status *out)
{
	enum cm_rc rc = CM_OK;
	int64_t waiting = 0;

	memset(out, 0, sizeof *out);
	if ((rc = till_reload(t)) != CM_OK)
		return rc;
	if (printer_none(t)) {
		dev_close(d);
		out->state = PRINTQ_NONE;
	} else if (!dev_open(t, d, out)) {
		out->state = PRINTQ_OFFLINE;
		rc = fail_first(t, out->detail);
	} else if (!dev_ready(d, out)) {
		rc = fail_first(t, out->detail);
	} else {
		rc = print_jobs(t, d, out);
	}
	if (rc == CM_OK && (rc = store_print_waiting(till_store(t), &waiting)) != CM_OK)
		till_store_fail(t, rc);
	out->waiting = waiting;
	return rc;
}

/* The drawer opens now or not at all: a kick that waited for the printer
 * would pop the drawer open later at an unattended counter. */
bool printq_open_drawer(struct till *t, struct printq_dev *d, char *why, size_t whylen)
{
	struct printq_status st = { 0 };
	struct escpos *e;
	const uint8_t *kick;
	size_t len = 0;
	bool ok = false;

	*why = '\0';
	if (till_reload(t) != CM_OK || !printq_has_drawer(t)) {
		snprintf(why, whylen, "%s", "no cash drawer on a printer");
		return false;
	}
	if (!dev_open(t, d, &st) || !dev_ready(d, &st)) {
		snprintf(why, whylen, "%s", st.detail);
		return false;
	}
	e = escpos_new(profile(t));
	if (e)
		escpos_drawer(e, ESCPOS_PIN2);
	kick = e ? escpos_data(e, &len) : NULL;
	if (!kick)
		snprintf(why, whylen, "%s", "out of memory");
	else if (d->ops->write(d->port, kick, len) != PRINTER_OK) {
		snprintf(why, whylen, "%s", d->ops->errmsg(d->port));
		dev_close(d);
	} else {
		ok = true;
	}
	escpos_free(e);
	return ok;
}

/* ---- the worker's table (drivers/printwork.h) ------------------------------ */

struct printq_work {
	char db_path[1024];
	char spool[1100];
	const struct printport_ops *ops;
	struct printport *port;
	/* Kept across passes so the loop cannot miss an answer. */
	uint32_t drawer_asks;
	enum printq_drawer drawer;
	char drawer_why[128];
};

struct printq_work_ctx {
	struct printq_work *w;
	struct store *st;
	struct till *t;
	struct printq_dev *d;
};

struct printq_work *printq_work_new(const char *db_path, const struct printport_ops *ops,
                                    struct printport *port)
{
	struct printq_work *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
	snprintf(w->spool, sizeof w->spool, "%s-receipts.txt", db_path);
	w->ops = ops;
	w->port = port;
	return w;
}

void printq_work_free(struct printq_work *w)
{
	free(w);
}

/* The worker's own connection: a pass never holds the till's. */
static void *work_attach(void *arg, char *err, size_t errlen)
{
	struct printq_work *w = arg;
	struct printq_work_ctx *c = calloc(1, sizeof *c);

	if (!c) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	c->w = w;
	if (store_open(w->db_path, 0, 0, &c->st, err, errlen) != CM_OK)
		goto fail;
	if (till_open(c->st, &c->t, err, errlen) != CM_OK)
		goto fail;
	if (!(c->d = printq_dev_new(w->spool, w->ops, w->port))) {
		snprintf(err, errlen, "%s", _("out of memory"));
		goto fail;
	}
	return c;
fail:
	till_free(c->t);
	store_close(c->st);
	free(c);
	return NULL;
}

static void work_drawer(struct printq_work_ctx *c)
{
	struct printq_work *w = c->w;

	w->drawer_asks++;
	w->drawer = printq_open_drawer(c->t, c->d, w->drawer_why, sizeof w->drawer_why)
	            ? PRINTQ_DRAWER_OPENED : PRINTQ_DRAWER_FAILED;
}

static int work_pass(void *ctx, unsigned requests, void *status)
{
	struct printq_work_ctx *c = ctx;
	struct printq_status *s = status;

	if (requests & PRINTQ_REQ_DRAWER)
		work_drawer(c);
	if (printq_pass(c->t, c->d, s) != CM_OK)
		snprintf(s->detail, sizeof s->detail, "%s", till_errmsg(c->t));
	s->drawer_asks = c->w->drawer_asks;
	s->drawer = c->w->drawer;
	snprintf(s->drawer_why, sizeof s->drawer_why, "%s", c->w->drawer_why);
	/* A drawer on the printer is asked about every second: the next sale
	 * waits for it to be closed, and must not wait on a stale answer. */
	if (s->drawer_open || (s->state == PRINTQ_READY && printq_has_drawer(c->t)))
		return 1000;
	return s->state == PRINTQ_READY && s->waiting == 0 ? 5000 : 2000;
}

static void work_failed(void *arg, const char *err, void *status)
{
	struct printq_status *s = status;

	(void)arg;
	s->state = PRINTQ_OFFLINE;
	snprintf(s->detail, sizeof s->detail, "%s", err);
}

static void work_detach(void *ctx)
{
	struct printq_work_ctx *c = ctx;

	printq_dev_free(c->d);
	till_free(c->t);
	store_close(c->st);
	free(c);
}

const struct printwork_ops printq_work_ops = {
	.attach = work_attach, .pass = work_pass, .failed = work_failed, .detach = work_detach,
};
