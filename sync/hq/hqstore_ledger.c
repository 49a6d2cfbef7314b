/* The sales and stock ledgers HQ folds from terminals' events (hqstore.h,
 * fold.c). */
#include "hqstore_int.h"

#include <string.h>

/* The PPN rows and tenders of a sale (ret false) or a return (ret true). */
static enum cm_rc sale_parts(struct db *db, const struct hq_terminal *t, int64_t seq,
                             const struct hq_sale *sale, bool ret)
{
	static const struct db_sql sale_taxes = {
		"INSERT INTO sale_taxes(store, terminal, seq, class, total, tax) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL };
	static const struct db_sql return_taxes = {
		"INSERT INTO return_taxes(store, terminal, seq, class, total, tax) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL };
	static const struct db_sql sale_tenders = {
		"INSERT INTO sale_tenders(store, terminal, seq, n, kind, amount) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL };
	static const struct db_sql return_tenders = {
		"INSERT INTO return_tenders(store, terminal, seq, n, kind, amount) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL };
	enum cm_rc rc = CM_OK;
	for (int c = 0; rc == CM_OK && c < TAX_CLASS_COUNT; c++)
		if (sale->has_class[c])
			rc = db_add(db, ret ? &return_taxes : &sale_taxes, N_("recording a sale's taxes"),
			            "tiitii", t->store, t->key, seq, tax_class_name((enum tax_class)c),
			            sale->class_total[c], sale->class_tax[c]);
	for (size_t i = 0; rc == CM_OK && i < sale->ntenders; i++)
		rc = db_add(db, ret ? &return_tenders : &sale_tenders, N_("recording a sale's tenders"),
		            "tiiiti", t->store, t->key, seq, (int64_t)i + 1,
		            sale->tenders[i].kind, sale->tenders[i].amount);
	return rc;
}

enum cm_rc hqstore_sale_insert(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                               const struct hq_sale *sale)
{
	struct db *db = hq_db(st);
	enum cm_rc rc = db ? db_add(db, DB_SQL("INSERT INTO sales(store, terminal, seq, receipt, "
	                                       "date, member_no, total, rounding, due) VALUES "
	                                       "(?1, ?2, ?3, ?4, ?5, nullif(?6, ''), ?7, ?8, ?9)"),
	                            N_("recording a sale"), "tiititiii", t->store, t->key, seq,
	                            sale->receipt, (int64_t)sale->date, sale->member_no, sale->total,
	                            sale->rounding, sale->due)
	                   : CM_IO;
	return rc == CM_OK ? sale_parts(db, t, seq, sale, false) : rc;
}

enum cm_rc hqstore_return_insert(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                                 const struct hq_sale *r, const char *sale_receipt)
{
	struct db *db = hq_db(st);
	enum cm_rc rc = db ? db_add(db, DB_SQL("INSERT INTO returns(store, terminal, seq, "
	                                       "return_no, receipt, date, total, rounding, refund) "
	                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
	                            N_("recording a return"), "tiittiiii", t->store, t->key, seq,
	                            r->receipt, sale_receipt, (int64_t)r->date, r->total,
	                            r->rounding, r->due)
	                   : CM_IO;
	return rc == CM_OK ? sale_parts(db, t, seq, r, true) : rc;
}

enum cm_rc hqstore_stock_move(struct hqstore *st, const struct hq_terminal *t, const char *sku,
                              int64_t qty, const char *kind, int64_t seq, int64_t at)
{
	struct db *db = hq_db(st);
	return db ? db_add(db, DB_SQL("INSERT INTO stock_moves(store, sku, qty, kind, terminal, "
	                              "seq, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
	                   N_("recording a stock movement"), "ttitiii",
	                   t->store, sku, qty, kind, t->key, seq, at)
	          : CM_IO;
}

enum cm_rc hqstore_stock_opening(struct hqstore *st, const struct hq_terminal *t, int64_t seq,
                                 int64_t at, bool *apply)
{
	struct db *db = hq_db(st);
	*apply = false;
	enum cm_rc rc = db ? db_run(db, DB_SQL("INSERT INTO stock_openings(store, at, terminal, seq) "
	                                       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"),
	                            N_("recording the opening stock"), NULL, "titi", t->store, at,
	                            t->terminal, seq)
	                   : CM_IO;
	if (rc != CM_OK)
		return rc;
	struct db_q *q = db_query(db, DB_SQL("SELECT terminal FROM stock_openings WHERE store = ?1"),
	                          N_("recording the opening stock"), "t", t->store);
	if (db_row(q))
		*apply = strcmp(db_str(q, 0), t->terminal) == 0;
	return db_end(q);
}
