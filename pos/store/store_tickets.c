/* Open tickets: the sale being rung up and suspended ones, saved on every
 * change so that a crash loses nothing. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static void bind_opt_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

enum cm_rc store_ticket_create(struct store *st, struct ticket_rec *t, int64_t now)
{
	static const char sql[] =
		"INSERT INTO open_tickets(id, state, cashier_id, member_id, opened_at, updated_at) "
		"VALUES ((SELECT last + 1 FROM ticket_counter WHERE id = 1), ?1, ?2, ?3, ?4, ?4)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int(s, 1, t->state);
	sqlite3_bind_int64(s, 2, t->cashier_id);
	bind_opt_id(s, 3, t->member_id);
	sqlite3_bind_int64(s, 4, now);
	enum cm_rc rc = store_step_done(st, s, _("saving the ticket"));
	if (rc == CM_OK)
		t->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

enum cm_rc store_ticket_save(struct store *st, const struct ticket_rec *t, int64_t now)
{
	static const char sql[] =
		"UPDATE open_tickets SET state = ?2, cashier_id = ?3, member_id = ?4, "
		"subtotaled = ?5, disc_kind = ?6, disc_value = ?7, label = ?8, updated_at = ?9, "
		"credit_approved_by = ?10, shop_order = ?11 WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, t->id);
	sqlite3_bind_int(s, 2, t->state);
	sqlite3_bind_int64(s, 3, t->cashier_id);
	bind_opt_id(s, 4, t->member_id);
	sqlite3_bind_int(s, 5, t->subtotaled);
	sqlite3_bind_int(s, 6, t->disc_kind);
	sqlite3_bind_int64(s, 7, t->disc_value);
	sqlite3_bind_text(s, 8, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, now);
	sqlite3_bind_int64(s, 10, t->credit_approved_by);
	sqlite3_bind_text(s, 11, t->shop_order, -1, SQLITE_STATIC);
	return store_step_done(st, s, _("saving the ticket"));
}

void store_bind_line(sqlite3_stmt *s, int first, const struct line_rec *l)
{
	sqlite3_bind_int(s, first, l->line_no);
	sqlite3_bind_int64(s, first + 1, l->item_id);
	sqlite3_bind_text(s, first + 2, l->sku, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, first + 3, l->barcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, first + 4, l->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, first + 5, l->receipt_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, first + 6, l->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, first + 7, l->weighed);
	sqlite3_bind_int(s, first + 8, l->tax);
	sqlite3_bind_int64(s, first + 9, l->unit_price);
	sqlite3_bind_int64(s, first + 10, l->list_price);
	sqlite3_bind_int64(s, first + 11, l->qty);
	sqlite3_bind_int(s, first + 12, l->disc_kind);
	sqlite3_bind_int64(s, first + 13, l->disc_value);
	sqlite3_bind_int(s, first + 14, l->voided);
	sqlite3_bind_int64(s, first + 15, l->price_override_by);
	sqlite3_bind_int64(s, first + 16, l->fixed_amount);
}

enum cm_rc store_ticket_put_line(struct store *st, int64_t ticket_id, const struct line_rec *l)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO open_ticket_lines(ticket_id, " LINE_COLS ") "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, ticket_id);
	store_bind_line(s, 2, l);
	return store_step_done(st, s, _("saving the ticket"));
}

enum cm_rc store_ticket_put_tenders(struct store *st, int64_t ticket_id,
                                    const struct tender_rec *t, size_t n)
{
	static const char del[] = "DELETE FROM open_ticket_tenders WHERE ticket_id = ?1";
	static const char ins[] =
		"INSERT INTO open_ticket_tenders(ticket_id, n, kind, amount, ref) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = store_stmt(st, del);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, ticket_id);
	enum cm_rc rc = store_step_done(st, s, _("saving the ticket"));
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		if (!(s = store_stmt(st, ins)))
			return CM_IO;
		sqlite3_bind_int64(s, 1, ticket_id);
		sqlite3_bind_int64(s, 2, (int64_t)i + 1);
		sqlite3_bind_int(s, 3, t[i].kind);
		sqlite3_bind_int64(s, 4, t[i].amount);
		sqlite3_bind_text(s, 5, t[i].ref, -1, SQLITE_STATIC);
		rc = store_step_done(st, s, _("saving the ticket"));
	}
	return rc;
}

enum cm_rc store_ticket_delete(struct store *st, int64_t ticket_id)
{
	static const char sql[] = "DELETE FROM open_tickets WHERE id = ?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, ticket_id);
	return store_step_done(st, s, _("closing the ticket"));
}

static void ticket_from_row(sqlite3_stmt *s, struct ticket_rec *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(s, 0);
	t->state = (enum ticket_state)sqlite3_column_int(s, 1);
	t->cashier_id = sqlite3_column_int64(s, 2);
	t->member_id = sqlite3_column_int64(s, 3);
	t->opened_at = sqlite3_column_int64(s, 4);
	t->subtotaled = sqlite3_column_int(s, 5) != 0;
	t->disc_kind = (enum disc_kind)sqlite3_column_int(s, 6);
	t->disc_value = sqlite3_column_int64(s, 7);
	store_col_text(s, 8, t->label, sizeof t->label);
	t->credit_approved_by = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, t->shop_order, sizeof t->shop_order);
}

/* Columns 0..10; ticket_from_row reads them. */
#define TICKET_COLS "id, state, cashier_id, COALESCE(member_id, 0), opened_at, " \
	"subtotaled, disc_kind, disc_value, label, credit_approved_by, shop_order"

void store_line_from_row(sqlite3_stmt *s, struct line_rec *l)
{
	memset(l, 0, sizeof *l);
	l->line_no = sqlite3_column_int(s, 0);
	l->item_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, l->sku, sizeof l->sku);
	store_col_text(s, 3, l->barcode, sizeof l->barcode);
	store_col_text(s, 4, l->name, sizeof l->name);
	store_col_text(s, 5, l->receipt_name, sizeof l->receipt_name);
	store_col_text(s, 6, l->unit, sizeof l->unit);
	l->weighed = sqlite3_column_int(s, 7) != 0;
	l->tax = (enum tax_class)sqlite3_column_int(s, 8);
	l->unit_price = sqlite3_column_int64(s, 9);
	l->list_price = sqlite3_column_int64(s, 10);
	l->qty = sqlite3_column_int64(s, 11);
	l->disc_kind = (enum disc_kind)sqlite3_column_int(s, 12);
	l->disc_value = sqlite3_column_int64(s, 13);
	l->voided = sqlite3_column_int(s, 14) != 0;
	l->price_override_by = sqlite3_column_int64(s, 15);
	l->fixed_amount = sqlite3_column_int64(s, 16);
}

static void fill_line(sqlite3_stmt *s, void *elem)
{
	store_line_from_row(s, elem);
}

static enum cm_rc load_lines(struct store *st, int64_t id, struct line_rec **out, size_t *n)
{
	static const char sql[] =
		"SELECT " LINE_COLS " FROM open_ticket_lines WHERE ticket_id = ?1 ORDER BY line_no";
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, id, out, n, sizeof **out, fill_line, _("loading the ticket"));
}

static void fill_tender(sqlite3_stmt *s, void *elem)
{
	struct tender_rec *t = elem;
	t->kind = (enum tender_kind)sqlite3_column_int(s, 0);
	t->amount = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, t->ref, sizeof t->ref);
}

enum cm_rc store_load_tenders(struct store *st, const char *sql, int64_t id,
                              struct tender_rec **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return store_rows(st, sql, id, out, n, sizeof **out, fill_tender, _("loading tenders"));
}

enum cm_rc store_ticket_load(struct store *st, int64_t ticket_id, struct ticket_rec *t,
                             struct line_rec **lines, size_t *nlines,
                             struct tender_rec **tenders, size_t *ntenders)
{
	static const char sql[] = "SELECT " TICKET_COLS " FROM open_tickets WHERE id = ?1";
	static const char tsql[] =
		"SELECT kind, amount, ref FROM open_ticket_tenders WHERE ticket_id = ?1 ORDER BY n";
	*lines = NULL;
	*tenders = NULL;
	*nlines = *ntenders = 0;
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	sqlite3_bind_int64(s, 1, ticket_id);
	int src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		ticket_from_row(s, t);
	sqlite3_reset(s);
	if (src == SQLITE_DONE) {
		store_seterr(st, _("ticket %lld not found"), (long long)ticket_id);
		return CM_NOTFOUND;
	}
	if (src != SQLITE_ROW)
		return store_fail(st, src, _("loading the ticket"));
	enum cm_rc rc = load_lines(st, ticket_id, lines, nlines);
	if (rc == CM_OK)
		rc = store_load_tenders(st, tsql, ticket_id, tenders, ntenders);
	if (rc != CM_OK) {
		free(*lines);
		free(*tenders);
		*lines = NULL;
		*tenders = NULL;
		*nlines = *ntenders = 0;
	}
	return rc;
}

enum cm_rc store_ticket_active(struct store *st, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM open_tickets WHERE state = 0 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CM_OK;
	return rc == SQLITE_DONE ? CM_NOTFOUND : store_fail(st, rc, _("looking for an open ticket"));
}

enum cm_rc store_ticket_each_suspended(struct store *st, store_ticket_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " TICKET_COLS ", "
		"(SELECT count(*) FROM open_ticket_lines l WHERE l.ticket_id = t.id AND NOT l.voided), "
		"(SELECT COALESCE(sum(CASE WHEN fixed_amount <> 0 THEN fixed_amount "
		"  ELSE (unit_price * qty + 500) / 1000 END), 0) FROM open_ticket_lines l "
		"  WHERE l.ticket_id = t.id AND NOT l.voided) "
		"FROM open_tickets t WHERE state = 1 ORDER BY id";
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return CM_IO;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ticket_rec t;
		ticket_from_row(s, &t);
		fn(&t, (size_t)sqlite3_column_int64(s, 11), sqlite3_column_int64(s, 12), ctx);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CM_OK : store_fail(st, rc, _("listing suspended tickets"));
}
