/* The exceptions audit (hqstore_audit.h): one pass over the period's
 * events of the kinds it counts, their payloads read with cJSON, summed
 * per person; names from the terminals' user_added events; then the
 * outliers flagged. */
#include "hqstore_audit.h"
#include "hqstore_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hq_audit_metric_names[AUD_METRICS] = {
	"void_after_subtotal", "cancelled_ticket", "price_override", "discount_over_limit",
	"no_sale", "return_with_receipt", "return_without_receipt", "reprint", "cash_variance",
	"failed_login", "lockout", "approvals_given",
};

static int64_t num(const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(f) ? (int64_t)f->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(f) ? f->valuestring : NULL;
}

/* The row of (store, terminal, user), made when new; NULL when out of
 * memory. */
static struct hq_audit_row *row(struct hq_audit *a, size_t *cap, const char *store,
                                const char *terminal, int64_t user)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->rows[i].user_id == user && !strcmp(a->rows[i].terminal, terminal) &&
		    !strcmp(a->rows[i].store, store))
			return &a->rows[i];
	if (a->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct hq_audit_row *p = realloc(a->rows, nc * sizeof *p);
		if (!p)
			return NULL;
		a->rows = p;
		*cap = nc;
	}
	struct hq_audit_row *r = &a->rows[a->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->store, sizeof r->store, "%s", store);
	snprintf(r->terminal, sizeof r->terminal, "%s", terminal);
	r->user_id = user;
	return r;
}

static void add(struct hq_audit_row *r, enum hq_audit_metric m, int64_t rupiah)
{
	r->count[m]++;
	r->rupiah[m] += rupiah;
}

/* Which metric an event counts for (-1: none), and its rupiah. */
static int classify(const char *type, const cJSON *p, int64_t *rupiah)
{
	*rupiah = 0;
	if (!strcmp(type, "line_voided")) {
		*rupiah = num(p, "amount");
		return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "after_subtotal"))
		       ? AUD_VOID_AFTER_SUBTOTAL : -1;
	}
	if (!strcmp(type, "ticket_aborted"))
		return AUD_CANCELLED;
	if (!strcmp(type, "price_override")) {
		*rupiah = (num(p, "list_price") - num(p, "new_price")) * num(p, "qty") / 1000;
		return AUD_PRICE_OVERRIDE;
	}
	if (!strcmp(type, "line_discount") || !strcmp(type, "ticket_discount")) {
		const char *kind = str(p, "kind");
		*rupiah = kind && !strcmp(kind, "amount") ? num(p, "value") : 0;
		return cJSON_GetObjectItemCaseSensitive(p, "approved_by") ? AUD_DISCOUNT_OVER_LIMIT : -1;
	}
	if (!strcmp(type, "no_sale"))
		return AUD_NO_SALE;
	if (!strcmp(type, "return")) {
		*rupiah = num(p, "refund");
		return str(p, "sale") ? AUD_RETURN_RECEIPT : AUD_RETURN_NO_RECEIPT;
	}
	if (!strcmp(type, "receipt_reprinted"))
		return AUD_REPRINT;
	if (!strcmp(type, "shift_closed")) {
		int64_t d = num(p, "counted") - num(p, "expected");
		*rupiah = d < 0 ? -d : d;
		return d ? AUD_CASH_VARIANCE : -1;
	}
	if (!strcmp(type, "login_failed"))
		return AUD_FAILED_LOGIN;
	if (!strcmp(type, "user_locked_out"))
		return AUD_LOCKOUT;
	return -1;
}

/* One event: its metric for the user who did it, an approval for whoever
 * approved it. The user a failed login or a lockout is about is the event's
 * user (0 for a number nobody has). */
static bool take(struct hq_audit *a, size_t *cap, const char *store, const char *terminal,
                 int64_t user, const char *type, const char *payload)
{
	cJSON *p = cJSON_Parse(payload);
	int64_t rupiah;
	int m = p ? classify(type, p, &rupiah) : -1;
	bool ok = true;
	if (m >= 0) {
		struct hq_audit_row *r = row(a, cap, store, terminal, user);
		if ((ok = r != NULL))
			add(r, (enum hq_audit_metric)m, rupiah);
		int64_t by = num(p, "approved_by");
		struct hq_audit_row *s = ok && by > 0 ? row(a, cap, store, terminal, by) : NULL;
		if (s)
			add(s, AUD_APPROVALS, rupiah);
		else if (ok && by > 0)
			ok = false;
	}
	cJSON_Delete(p);
	return ok;
}

static enum cm_rc collect(struct db *db, const char *store, int64_t from_at, int64_t to_at,
                          struct hq_audit *a)
{
	size_t cap = 0;
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT t.store, t.terminal, e.user_id, e.type, e.payload "
		"FROM events e JOIN terminals t ON t.id = e.terminal "
		"WHERE e.at >= ?1 AND e.at < ?2 AND (CAST(?3 AS TEXT) IS NULL OR e.store = ?3) "
		"AND e.type IN ('line_voided', 'ticket_aborted', 'price_override', 'line_discount', "
		"'ticket_discount', 'no_sale', 'return', 'receipt_reprinted', 'shift_closed', "
		"'login_failed', 'user_locked_out') "
		"ORDER BY t.store, t.terminal, e.seq"),
		N_("reading events for the audit"), "iit", from_at, to_at, store);
	bool ok = true;
	while (ok && db_row(q))
		ok = take(a, &cap, db_str(q, 0), db_str(q, 1), db_int(q, 2), db_str(q, 3),
		          db_str(q, 4));
	enum cm_rc rc = db_end(q);
	return rc == CM_OK && !ok ? db_fail(CM_NOMEM, "%s", _("out of memory")) : rc;
}

static void copy(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, "%s", s ? s : "");
}

/* Numbers, names and roles from each terminal's user_added events. */
static enum cm_rc names(struct db *db, struct hq_audit *a)
{
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT t.store, t.terminal, e.payload FROM events e "
		"JOIN terminals t ON t.id = e.terminal WHERE e.type = 'user_added'"),
		N_("reading events for the audit"), "");
	while (db_row(q)) {
		cJSON *p = cJSON_Parse(db_str(q, 2));
		int64_t id = p ? num(p, "user_id") : 0;
		for (size_t i = 0; p && i < a->n; i++) {
			struct hq_audit_row *r = &a->rows[i];
			if (r->user_id != id || strcmp(r->terminal, db_str(q, 1)) ||
			    strcmp(r->store, db_str(q, 0)))
				continue;
			copy(r->number, sizeof r->number, str(p, "number"));
			copy(r->name, sizeof r->name, str(p, "name"));
			copy(r->role, sizeof r->role, str(p, "role"));
		}
		cJSON_Delete(p);
	}
	return db_end(q);
}

/* Far above the peers: of the same store, with any event in the period. */
static void flag(struct hq_audit *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct hq_audit_row *r = &a->rows[i];
		for (int m = 0; m < AUD_METRICS; m++) {
			int64_t sum = 0, peers = 0;
			for (size_t j = 0; j < a->n; j++) {
				if (j == i || strcmp(a->rows[j].store, r->store))
					continue;
				sum += a->rows[j].count[m];
				peers++;
			}
			/* count > TIMES x (sum / peers), in integers */
			if (r->count[m] >= AUDIT_FLAG_MIN &&
			    (peers == 0 || r->count[m] * peers > AUDIT_FLAG_TIMES * sum))
				r->flagged |= 1u << m;
		}
	}
}

static int by_key(const void *x, const void *y)
{
	const struct hq_audit_row *a = x, *b = y;
	int c = strcmp(a->store, b->store);
	if (!c)
		c = strcmp(a->terminal, b->terminal);
	return c ? c : (a->user_id > b->user_id) - (a->user_id < b->user_id);
}

enum cm_rc hqstore_audit(struct hqstore *st, const char *store, int64_t from_at, int64_t to_at,
                         struct hq_audit *out)
{
	memset(out, 0, sizeof *out);
	struct db *db = hq_db(st);
	if (!db)
		return CM_IO;
	enum cm_rc rc = collect(db, store, from_at, to_at, out);
	if (rc == CM_OK && out->n)
		rc = names(db, out);
	if (rc != CM_OK) {
		hqstore_audit_free(out);
		return rc;
	}
	qsort(out->rows, out->n, sizeof *out->rows, by_key);
	flag(out);
	return CM_OK;
}

void hqstore_audit_free(struct hq_audit *a)
{
	free(a->rows);
	a->rows = NULL;
	a->n = 0;
}

/* ---- the drill-down ---- */

int hq_audit_metric_of(const char *name)
{
	for (int m = 0; m < AUD_METRICS; m++)
		if (!strcmp(hq_audit_metric_names[m], name))
			return m;
	return -1;
}

struct drill {
	struct hq_audit_event *ev;
	size_t n, cap;
	struct { int64_t ticket; char receipt[32]; } *sales;  /* the terminal's, by seq */
	size_t ns, caps;
};

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 32;
	void *q = realloc(*p, nc * size);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

/* The event when it counts for the metric of user; false when out of
 * memory. */
static bool drill_take(struct drill *d, struct db_q *q, int64_t user, enum hq_audit_metric m,
                       const cJSON *p)
{
	int64_t rupiah;
	const char *type = db_str(q, 3);
	if (!strcmp(type, "sale")) {
		if (!grow((void **)&d->sales, &d->caps, d->ns, sizeof *d->sales))
			return false;
		d->sales[d->ns].ticket = num(p, "ticket");
		copy(d->sales[d->ns++].receipt, sizeof d->sales->receipt, str(p, "receipt"));
		return true;
	}
	int got = classify(type, p, &rupiah);
	bool mine = m == AUD_APPROVALS ? got >= 0 && num(p, "approved_by") == user
	                               : got == (int)m && db_int(q, 2) == user;
	if (!mine)
		return true;
	if (!grow((void **)&d->ev, &d->cap, d->n, sizeof *d->ev))
		return false;
	struct hq_audit_event *e = &d->ev[d->n++];
	memset(e, 0, sizeof *e);
	e->seq = db_int(q, 0);
	e->at = db_int(q, 1);
	e->rupiah = rupiah;
	copy(e->type, sizeof e->type, type);
	e->ticket = num(p, "ticket");
	copy(e->receipt, sizeof e->receipt, str(p, "receipt") ? str(p, "receipt") : str(p, "sale"));
	copy(e->ret, sizeof e->ret, str(p, "return"));
	return true;
}

/* A ticket's receipt: the terminal's sale of the ticket (tickets are
 * the terminal's own ids; a sale comes after what happened on it). */
static void drill_receipts(struct drill *d)
{
	for (size_t i = 0; i < d->n; i++)
		for (size_t k = 0; d->ev[i].ticket && !d->ev[i].receipt[0] && k < d->ns; k++)
			if (d->sales[k].ticket == d->ev[i].ticket)
				copy(d->ev[i].receipt, sizeof d->ev[i].receipt, d->sales[k].receipt);
}

enum cm_rc hqstore_audit_events(struct hqstore *st, const char *store, const char *terminal,
                                int64_t user, enum hq_audit_metric metric, int64_t from_at,
                                int64_t to_at, struct hq_audit_event **out, size_t *n)
{
	struct drill d = { 0 };
	struct db *db = hq_db(st);
	*out = NULL;
	*n = 0;
	if (!db)
		return CM_IO;
	/* Sales up to a day after the period: a ticket voided on at 23:59 is
	 * paid for after midnight. */
	struct db_q *q = db_query(db, DB_SQL(
		"SELECT e.seq, e.at, e.user_id, e.type, e.payload "
		"FROM events e JOIN terminals t ON t.id = e.terminal "
		"WHERE t.store = ?1 AND t.terminal = ?2 AND e.at >= ?3 AND e.at < ?4 + 86400 "
		"AND (e.at < ?4 OR e.type = 'sale') "
		"AND e.type IN ('sale', 'line_voided', 'ticket_aborted', 'price_override', "
		"'line_discount', 'ticket_discount', 'no_sale', 'return', 'receipt_reprinted', "
		"'shift_closed', 'login_failed', 'user_locked_out') ORDER BY e.seq"),
		N_("reading events for the audit"), "ttii", store, terminal, from_at, to_at);
	bool ok = true;
	while (ok && db_row(q)) {
		cJSON *p = cJSON_Parse(db_str(q, 4));
		ok = !p || drill_take(&d, q, user, metric, p);
		cJSON_Delete(p);
	}
	enum cm_rc rc = db_end(q);
	if (rc == CM_OK && !ok)
		rc = db_fail(CM_NOMEM, "%s", _("out of memory"));
	if (rc == CM_OK) {
		drill_receipts(&d);
		*out = d.ev;
		*n = d.n;
	} else {
		free(d.ev);
	}
	free(d.sales);
	return rc;
}
