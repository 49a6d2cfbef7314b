/* One sale as HQ holds it (hqstore_sale_view.h): the sales tables for
 * what HQ folded (the same figures as the reports), the sale event's
 * payload for what only the till knew (lines, cashier, the tenders as
 * handed over, paid, change),
 * the ticket's approval events around it, the terminal's user_added
 * events for names. */
#include "hqstore_sale_view.h"
#include "hqstore_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Approvals on a ticket happen while it is open: at most a day before
 * the sale is paid (a ticket kept over midnight), never after. The
 * window keeps the search to the sale's days, not the terminal's life. */
#define NOTE_WINDOW 86400

static int64_t num(const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(f) ? (int64_t)f->valuedouble : 0;
}

static void copy(char *buf, size_t n, const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	snprintf(buf, n, "%s", cJSON_IsString(f) ? f->valuestring : "");
}

static enum cm_rc nomem(void)
{
	return db_fail(CM_NOMEM, "%s", _("out of memory"));
}

/* ---- the sale event ---- */

static bool payload_lines(struct hq_sale_view *v, const cJSON *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p, "lines"), *l;
	int n = cJSON_GetArraySize(arr);
	if (n <= 0)
		return true;
	if (!(v->lines = calloc((size_t)n, sizeof *v->lines)))
		return false;
	cJSON_ArrayForEach(l, arr) {
		struct hq_sale_line *o = &v->lines[v->nlines++];
		o->line = num(l, "line");
		o->qty = num(l, "qty");
		o->price = num(l, "price");
		o->list_price = num(l, "list_price");
		o->amount = num(l, "amount");
		o->discount = num(l, "discount");
		o->net = num(l, "net");
		copy(o->sku, sizeof o->sku, l, "sku");
		copy(o->tax, sizeof o->tax, l, "tax");
		o->voided = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "voided"));
		o->override_by = num(l, "override_by");
	}
	return true;
}

/* The tenders as handed over (cash before the change: the receipt's);
 * HQ's sale_tenders keep cash net of the change (fold.c). */
static void payload_tenders(struct hq_sale_view *v, const cJSON *p)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(p, "tenders")) {
		if (v->ntenders == HQ_MAX_TENDERS)
			break;
		copy(v->tenders[v->ntenders].kind, sizeof v->tenders->kind, t, "kind");
		v->tenders[v->ntenders++].amount = num(t, "amount");
	}
}

static bool payload_read(struct hq_sale_view *v, const char *json)
{
	cJSON *p = cJSON_Parse(json);
	if (!p)
		return true;              /* HQ keeps what was pushed; the tables still say */
	v->ticket = num(p, "ticket");
	v->cashier = num(p, "cashier");
	v->opened = num(p, "opened");
	v->gross = num(p, "gross");
	v->discount = num(p, "discount");
	v->paid = num(p, "paid");
	v->change = num(p, "change");
	payload_tenders(v, p);
	bool ok = payload_lines(v, p);
	cJSON_Delete(p);
	return ok;
}

static enum cm_rc sale_row(struct db *db, const char *store, const char *receipt,
                           struct hq_sale_view *v, int64_t *term)
{
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT s.terminal, s.seq, t.terminal, s.date, COALESCE(s.member_no, ''), s.total, "
		"s.rounding, s.due, e.at, e.payload, COALESCE(m.name, '') "
		"FROM sales s JOIN terminals t ON t.id = s.terminal "
		"JOIN events e ON e.terminal = s.terminal AND e.seq = s.seq "
		"LEFT JOIN members m ON m.number = s.member_no "
		"WHERE s.store = ?1 AND s.receipt = ?2 ORDER BY s.terminal, s.seq LIMIT 1"),
		N_("reading a sale"), "tt", store, receipt);
	bool found = false, ok = true;
	if (db_row(q)) {
		found = true;
		*term = db_int(q, 0);
		v->seq = db_int(q, 1);
		db_text(q, 2, v->terminal, sizeof v->terminal);
		v->date = (int32_t)db_int(q, 3);
		db_text(q, 4, v->member_no, sizeof v->member_no);
		v->total = db_int(q, 5);
		v->rounding = db_int(q, 6);
		v->due = db_int(q, 7);
		v->at = db_int(q, 8);
		ok = payload_read(v, db_str(q, 9));
		db_text(q, 10, v->member_name, sizeof v->member_name);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !ok)
		return nomem();
	if (rc == CM_OK && !found)
		return db_fail(CM_NOTFOUND, _("HQ holds no sale %s of store %s."), receipt, store);
	return rc;
}

static enum cm_rc money_rows(struct db *db, int64_t term, struct hq_sale_view *v)
{
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT class, total, tax FROM sale_taxes WHERE terminal = ?1 AND seq = ?2 "
		"ORDER BY class"), N_("reading a sale"), "ii", term, v->seq);
	while (db_row(q) && v->ntaxes < TAX_CLASS_COUNT) {
		db_text(q, 0, v->taxes[v->ntaxes].cls, sizeof v->taxes->cls);
		v->taxes[v->ntaxes].total = db_int(q, 1);
		v->taxes[v->ntaxes++].tax = db_int(q, 2);
	}
	enum cm_rc rc = db_end(q);
	if (rc != CM_OK)
		return rc;
	if (v->ntenders)
		return CM_OK;
	q = db_query(db, DB_SQL(
		"SELECT kind, amount FROM sale_tenders WHERE terminal = ?1 AND seq = ?2 ORDER BY n"),
		N_("reading a sale"), "ii", term, v->seq);
	while (db_row(q) && v->ntenders < HQ_MAX_TENDERS) {
		db_text(q, 0, v->tenders[v->ntenders].kind, sizeof v->tenders->kind);
		v->tenders[v->ntenders++].amount = db_int(q, 1);
	}
	return db_end(q);
}

/* ---- the ticket's approvals ---- */

static bool note_take(struct hq_sale_view *v, size_t *cap, struct db_q *q, const cJSON *p)
{
	if (num(p, "ticket") != v->ticket)
		return true;
	if (v->nnotes == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct hq_sale_note *x = realloc(v->notes, nc * sizeof *x);
		if (!x)
			return false;
		v->notes = x;
		*cap = nc;
	}
	struct hq_sale_note *n = &v->notes[v->nnotes++];
	memset(n, 0, sizeof *n);
	n->seq = db_int(q, 0);
	n->at = db_int(q, 1);
	n->user_id = db_int(q, 2);
	db_text(q, 3, n->type, sizeof n->type);
	n->line = num(p, "line");
	copy(n->sku, sizeof n->sku, p, "sku");
	n->approved_by = num(p, "approved_by");
	copy(n->approver, sizeof n->approver, p, "approver");
	/* cash_out and return keep their own reason; these events do not */
	copy(n->reason, sizeof n->reason, p, "reason");
	copy(n->approved, sizeof n->approved, p, "approved");
	return true;
}

static enum cm_rc notes(struct db *db, int64_t term, struct hq_sale_view *v)
{
	size_t cap = 0;
	int64_t from = (v->opened && v->opened < v->at ? v->opened : v->at) - NOTE_WINDOW;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT seq, at, user_id, type, payload FROM events WHERE terminal = ?1 "
		"AND at >= ?2 AND at < ?3 AND type IN ('line_voided', 'qty_reduced', "
		"'price_override', 'line_discount', 'ticket_discount') ORDER BY seq"),
		N_("reading a sale"), "iii", term, from, v->at + NOTE_WINDOW);
	bool ok = true;
	while (ok && v->ticket && db_row(q)) {
		cJSON *p = cJSON_Parse(db_str(q, 4));
		ok = !p || note_take(v, &cap, q, p);
		cJSON_Delete(p);
	}
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !ok ? nomem() : rc;
}

/* "201 Ani (supervisor)" for the terminal's user id. */
static void who(const cJSON *p, char *buf, size_t n)
{
	const cJSON *no = cJSON_GetObjectItemCaseSensitive(p, "number");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
	const cJSON *role = cJSON_GetObjectItemCaseSensitive(p, "role");
	snprintf(buf, n, "%s %s (%s)", cJSON_IsString(no) ? no->valuestring : "?",
	         cJSON_IsString(name) ? name->valuestring : "?",
	         cJSON_IsString(role) ? role->valuestring : "?");
}

static void name_user(const cJSON *p, struct hq_sale_view *v)
{
	int64_t id = num(p, "user_id");
	if (id && id == v->cashier)
		who(p, v->cashier_name, sizeof v->cashier_name);
	for (size_t i = 0; id && i < v->nnotes; i++) {
		if (v->notes[i].user_id == id)
			who(p, v->notes[i].user, sizeof v->notes[i].user);
		if (v->notes[i].approved_by == id)
			who(p, v->notes[i].approver, sizeof v->notes[i].approver);
	}
}

static enum cm_rc names(struct db *db, int64_t term, struct hq_sale_view *v)
{
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT payload FROM events WHERE terminal = ?1 AND type = 'user_added' ORDER BY seq"),
		N_("reading a sale"), "i", term);
	while (db_row(q)) {
		cJSON *p = cJSON_Parse(db_str(q, 0));
		if (p)
			name_user(p, v);
		cJSON_Delete(p);
	}
	return db_end(q);
}

enum cm_rc hqstore_sale_view(struct hqstore *st, const char *store, const char *receipt,
                             struct hq_sale_view *out)
{
	int64_t term = 0;
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	snprintf(out->store, sizeof out->store, "%s", store);
	snprintf(out->receipt, sizeof out->receipt, "%s", receipt);
	enum cm_rc rc = sale_row(db, store, receipt, out, &term);
	if (rc == CM_OK)
		rc = money_rows(db, term, out);
	if (rc == CM_OK)
		rc = notes(db, term, out);
	if (rc == CM_OK)
		rc = names(db, term, out);
	if (rc != CM_OK)
		hqstore_sale_view_free(out);
	return rc;
}

void hqstore_sale_view_free(struct hq_sale_view *v)
{
	free(v->lines);
	free(v->notes);
	v->lines = NULL;
	v->notes = NULL;
	v->nlines = v->nnotes = 0;
}
