/* HQ's database interface on SQLite (sync/hq/db.c, db_sqlite.c): a bulk
 * load (db_copy_*) writes every row, in batches and the rows left over,
 * each value with its column's affinity and a NULL as NULL; a row the
 * table refuses fails the load, and its transaction then keeps nothing.
 * (PostgreSQL's COPY is tested through coopmart-hq: sync-pg.hq_import_*.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db.h"
#include "testutil.h"

static struct db *open_db(const char *name)
{
	char path[512];
	tu_path(path, sizeof path, tu_tmpdir("hqdb"), name);
	struct db *db = NULL;
	assert_int_equal(db_open(path, &db), CM_OK);
	assert_int_equal(db_script(db, "CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER NOT NULL "
	                               "CHECK (b >= 0), c TEXT)", "test"), CM_OK);
	return db;
}

static int64_t one_int(struct db *db, const char *sql_text)
{
	/* db_query keys its statements by the text's address: a static one */
	static struct db_sql sql;
	sql.lite = sql_text;
	sql.pg = NULL;
	struct db_q *q = db_query(db, &sql, "test", "");
	int64_t v = db_row(q) ? db_int(q, 0) : -1;
	assert_int_equal(db_end(q), CM_OK);
	return v;
}

static const char *const cols[] = { "a", "b", "c" };

static void test_every_row_of_a_bulk_load_is_written(void **state)
{
	(void)state;
	struct db *db = open_db("copy.db");
	/* two whole batches of 32 and 6 rows left over */
	assert_int_equal(db_begin(db, false), CM_OK);
	assert_int_equal(db_copy_begin(db, "t", cols, 3, NULL, "test"), CM_OK);
	for (int i = 0; i < 70; i++) {
		char a[16], b[16];
		snprintf(a, sizeof a, "k%03d", i);
		snprintf(b, sizeof b, "%d", i * 10);
		const char *v[3] = { a, b, i % 7 == 0 ? NULL : "it's \"x\"\t,\\" };
		assert_int_equal(db_copy_row(db, v, 3), CM_OK);
	}
	int64_t rows;
	assert_int_equal(db_copy_end(db, &rows), CM_OK);
	assert_int_equal(rows, 70);
	assert_int_equal(db_commit(db), CM_OK);
	static const char count[] = "SELECT count(*) FROM t";
	static const char sum[] = "SELECT sum(b) FROM t WHERE typeof(b) = 'integer'";
	static const char nulls[] = "SELECT count(*) FROM t WHERE c IS NULL";
	static const char text[] = "SELECT count(*) FROM t WHERE c = 'it''s \"x\"\t,\\'";
	static const char last[] = "SELECT b FROM t WHERE a = 'k069'";
	assert_int_equal(one_int(db, count), 70);
	assert_int_equal(one_int(db, sum), 10 * (69 * 70 / 2));
	assert_int_equal(one_int(db, nulls), 10);     /* 0, 7, ..., 63 */
	assert_int_equal(one_int(db, text), 60);
	assert_int_equal(one_int(db, last), 690);

	/* again with an upsert tail: 10 of the 70 change, 5 are new; the
	 * count is of those written */
	assert_int_equal(db_begin(db, false), CM_OK);
	assert_int_equal(db_copy_begin(db, "t", cols, 3, "ON CONFLICT(a) DO UPDATE SET b = excluded.b "
	                               "WHERE t.b IS DISTINCT FROM excluded.b", "test"), CM_OK);
	for (int i = 0; i < 75; i++) {
		char a[16], b[16];
		snprintf(a, sizeof a, "k%03d", i);
		snprintf(b, sizeof b, "%d", i * 10 + (i % 7 == 1));
		const char *v[3] = { a, b, NULL };
		assert_int_equal(db_copy_row(db, v, 3), CM_OK);
	}
	assert_int_equal(db_copy_end(db, &rows), CM_OK);
	assert_int_equal(rows, 10 + 5);   /* 1, 8, ..., 64; 70 to 74 */
	assert_int_equal(db_commit(db), CM_OK);
	assert_int_equal(one_int(db, count), 75);
	assert_int_equal(one_int(db, nulls), 10 + 5);   /* c not updated; the new ones' */
	db_close(db);
}

static void test_a_refused_row_fails_the_load(void **state)
{
	(void)state;
	struct db *db = open_db("refused.db");
	static const char count[] = "SELECT count(*) FROM t";
	/* in a whole batch (row 5 of the first 32), then among the rows left
	 * over (row 40 of 45) */
	for (int bad = 5; bad <= 40; bad += 35) {
		assert_int_equal(db_begin(db, false), CM_OK);
		assert_int_equal(db_copy_begin(db, "t", cols, 3, NULL, "test"), CM_OK);
		enum cm_rc rc = CM_OK;
		for (int i = 0; i < 45 && rc == CM_OK; i++) {
			char a[16];
			snprintf(a, sizeof a, "k%03d", i);
			const char *v[3] = { a, i == bad ? "-1" : "1", "x" };
			rc = db_copy_row(db, v, 3);
		}
		int64_t rows;
		enum cm_rc end = db_copy_end(db, &rows);
		assert_int_equal(rc == CM_OK ? end : rc, CM_CONFLICT);
		assert_non_null(strstr(db_errmsg(), "CHECK"));
		db_rollback(db);
		assert_int_equal(one_int(db, count), 0);
	}
	/* a row of the wrong width is refused before it is kept */
	assert_int_equal(db_begin(db, false), CM_OK);
	assert_int_equal(db_copy_begin(db, "t", cols, 3, NULL, "test"), CM_OK);
	const char *two[2] = { "a", "1" };
	int64_t rows;
	assert_int_not_equal(db_copy_row(db, two, 2), CM_OK);
	assert_int_equal(db_copy_end(db, &rows), CM_OK);
	db_rollback(db);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_of_a_bulk_load_is_written),
		cmocka_unit_test(test_a_refused_row_fails_the_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
