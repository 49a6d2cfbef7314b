/* The store layer: migrations, settings, catalogue lookups, name search,
 * upserts and members. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>

#include "fixture.c"
#include "store/store_catgen.h"
#include "store/store_sync.h"

static struct store *open_new(const char *name, int max_version, char *path, size_t n)
{
	char err[320];
	struct store *st;
	snprintf(path, n, "%s/store.db", tu_tmpdir(name));
	enum cm_rc rc = store_open(path, STORE_CREATE, max_version, &st, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("store_open: %s", err);
	return st;
}

static struct store *reopen(const char *path, int max_version)
{
	char err[320];
	struct store *st;
	enum cm_rc rc = store_open(path, 0, max_version, &st, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("store_open: %s", err);
	return st;
}

static void put_item(struct store *st, const char *sku, const char *name, cm_money price,
                     int32_t plu, bool active, const char *const *codes, size_t ncodes,
                     bool expect_created)
{
	struct item_rec it = { .price = price, .tax = TAX_STANDARD, .plu = plu, .active = active,
	                       .weighed = plu != 0 };
	snprintf(it.sku, sizeof it.sku, "%s", sku);
	snprintf(it.name, sizeof it.name, "%s", name);
	snprintf(it.receipt_name, sizeof it.receipt_name, "%.32s", name);
	snprintf(it.unit, sizeof it.unit, "%s", plu ? "kg" : "pcs");
	snprintf(it.category, sizeof it.category, "Makanan");
	snprintf(it.supplier, sizeof it.supplier, "PT Indofood");
	char bc[4][16];
	for (size_t i = 0; i < ncodes; i++)
		snprintf(bc[i], sizeof bc[i], "%s", codes[i]);
	int64_t id;
	bool created;
	assert_int_equal(store_begin(st), CM_OK);
	enum cm_rc rc = store_item_upsert(st, &it, bc, ncodes, &id, &created);
	if (rc != CM_OK)
		fail_msg("upsert %s: %s", sku, store_errmsg(st));
	assert_int_equal(store_commit(st), CM_OK);
	assert_true(id > 0);
	assert_int_equal(created, expect_created);
}

static void seed(struct store *st)
{
	const char *mie[] = { FX_MIE_EAN, FX_SOTO_EAN };
	const char *soto[] = { "8991000000072" };
	const char *minyak[] = { FX_MINYAK_EAN };
	put_item(st, FX_MIE, "Indomie Goreng", 3500, 0, true, mie, 2, true);
	put_item(st, FX_SOTO, "Indomie Soto", 3400, 0, true, soto, 1, true);
	put_item(st, FX_MINYAK, "Minyak Goreng 2L", 36000, 0, true, minyak, 1, true);
	put_item(st, FX_APEL, "Apel Fuji", 40000, FX_APEL_PLU, true, NULL, 0, true);
	put_item(st, FX_OLD, "Indomie Lama", 3000, 0, false, NULL, 0, true);
}

static void test_migration_from_v1(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("migrate", 1, path, sizeof path);
	assert_int_equal(store_schema_version(st), 1);
	assert_true(store_latest_version() >= 2);
	seed(st);
	assert_int_equal(store_item_count(st), 5);
	/* No FTS table yet at version 1. */
	struct item_rec found[8];
	size_t n = 99;
	assert_int_not_equal(store_item_search(st, "indomie", found, 8, &n), CM_OK);
	store_close(st);

	st = reopen(path, 0);
	assert_int_equal(store_schema_version(st), store_latest_version());
	assert_int_equal(store_item_count(st), 5);
	struct item_rec it;
	cm_qty pack = 0;
	assert_int_equal(store_item_by_barcode(st, FX_SOTO_EAN, &it, &pack), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	assert_int_equal(pack, 1000);
	assert_string_equal(it.category, "Makanan");
	assert_string_equal(it.supplier, "PT Indofood");
	/* The items written before version 2 are in the index. */
	assert_int_equal(store_item_search(st, "indomie", found, 8, &n), CM_OK);
	assert_int_equal(n, 2); /* the inactive one is left out */
	assert_int_equal(store_item_search(st, "min gor", found, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(found[0].sku, FX_MINYAK);
	store_close(st);

	/* A second open changes nothing. */
	st = reopen(path, 0);
	assert_int_equal(store_schema_version(st), store_latest_version());
	assert_int_equal(store_item_count(st), 5);
	store_close(st);
}

/* Migration 011 re-keys stored barcodes: an EAN-8 kept as 8 digits and a
 * GTIN-14 with indicator 0 become their 13-digit key; a code whose key
 * another row holds already is dropped; scale formats survive the table
 * rebuild and prefix 02 becomes possible. */
static void test_migration_gtin_keys(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("migrate-gtin", 10, path, sizeof path);
	const char *mie[] = { "40123455", "08998866200578" };
	const char *soto[] = { "0000096385074" };
	const char *minyak[] = { "96385074", "18991234567898" };
	put_item(st, FX_MIE, "Indomie Goreng", 3500, 0, true, mie, 2, true);
	put_item(st, FX_SOTO, "Indomie Soto", 3400, 0, true, soto, 1, true);
	put_item(st, FX_MINYAK, "Minyak Goreng 2L", 36000, 0, true, minyak, 2, true);
	assert_int_equal(store_scale_format_set(st, "21", "PPIIIIXRRRRRC"), CM_OK);
	assert_int_not_equal(store_scale_format_set(st, "02", "PPIIIIIVRRRRC"), CM_OK);
	store_close(st);
	/* a draft delivery and a posted one, each with an EAN-8 parked */
	assert_int_equal(fx_sql(path,
		"INSERT INTO users(id, number, name, role, pin_hash, created_at) VALUES (9, '9', 'x', 2, 'x', 0);"
		"INSERT INTO deliveries(id, supplier_id, state, created_by, created_at) "
		"  SELECT 1, id, 0, 9, 0 FROM suppliers UNION ALL SELECT 2, id, 0, 9, 0 FROM suppliers;"
		"INSERT INTO delivery_parked(delivery_id, n, barcode, description, qty, unit_cost) "
		"  VALUES (1, 1, '96385074', 'draft', 1000, 1), (2, 1, '96385074', 'posted', 1000, 1);"
		"UPDATE deliveries SET state = 1, posted_by = 9, posted_at = 0 WHERE id = 2;"),
		SQLITE_OK);

	st = reopen(path, 11);
	struct item_rec it;
	assert_int_equal(store_item_by_barcode(st, "0000040123455", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	assert_int_equal(store_item_by_barcode(st, "8998866200578", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	assert_int_equal(store_item_by_barcode(st, "40123455", &it, NULL), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, "08998866200578", &it, NULL), CM_NOTFOUND);
	/* 96385074 of Minyak collided with Soto's key: Soto keeps it */
	assert_int_equal(store_item_by_barcode(st, "0000096385074", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_SOTO);
	assert_int_equal(store_item_by_barcode(st, "96385074", &it, NULL), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, "18991234567898", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_MINYAK);

	struct scale_format *f;
	size_t n;
	assert_int_equal(store_scale_formats(st, &f, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].prefix, "21");
	free(f);
	assert_int_equal(store_scale_format_set(st, "02", "PPIIIIIVRRRRC"), CM_OK);
	assert_int_not_equal(store_scale_format_set(st, "03", "PPIIIIIVRRRRC"), CM_OK);
	/* all eleven prefixes are read back, 29 too */
	for (char d = '0'; d <= '9'; d++)
		assert_int_equal(store_scale_format_set(st, (char[3]){ '2', d, '\0' },
		                                        "PPIIIIIWWWWWC"), CM_OK);
	assert_int_equal(store_scale_formats(st, &f, &n), CM_OK);
	assert_int_equal(n, 11);
	assert_string_equal(f[0].prefix, "02");
	assert_string_equal(f[10].prefix, "29");
	free(f);
	store_close(st);
	char *parked = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(barcode, ' ') FROM "
		"(SELECT barcode FROM delivery_parked ORDER BY delivery_id)", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	parked = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_string_equal(parked, "0000096385074 96385074");
	free(parked);
}

/* A catalogue pulled from an HQ that still holds an EAN-8 as 8 digits is
 * stored under the key every scan looks up; a code that is no GTIN is
 * kept as sent. */
static void test_pull_keys_barcodes(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("pull-keys", 0, path, sizeof path);
	struct item_rec it = { .price = 15000, .tax = TAX_STANDARD, .active = true };
	snprintf(it.sku, sizeof it.sku, "ROT-001");
	snprintf(it.name, sizeof it.name, "Roti Tawar");
	const char codes[3][16] = { "40123455", "08991000000072", "ABC-1" };
	struct sync_pull p = { .since = 0, .upto = 7 };
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_sync_stage_reset(st, SYNC_CATALOGUE), CM_OK);
	assert_int_equal(store_sync_stage_item(st, 7, &it, codes, 3, 7), CM_OK);
	assert_int_equal(store_sync_stage_page(st, SYNC_CATALOGUE, &p), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	struct sync_applied a;
	if (store_sync_apply(st, SYNC_CATALOGUE, FX_T2025, &a) != CM_OK)
		fail_msg("apply: %s", store_errmsg(st));
	struct item_rec got;
	assert_int_equal(store_item_by_barcode(st, "0000040123455", &got, NULL), CM_OK);
	assert_string_equal(got.sku, "ROT-001");
	assert_int_equal(store_item_by_barcode(st, "8991000000072", &got, NULL), CM_OK);
	assert_int_equal(store_item_by_barcode(st, "ABC-1", &got, NULL), CM_OK);
	assert_int_equal(store_item_by_barcode(st, "40123455", &got, NULL), CM_NOTFOUND);
	store_close(st);
}

static void test_max_version_above_latest(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("maxver", store_latest_version() + 5, path, sizeof path);
	assert_int_equal(store_schema_version(st), store_latest_version());
	store_close(st);
}

static void test_newer_schema_refused(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("newer", 0, path, sizeof path);
	seed(st);
	store_close(st);
	assert_int_equal(fx_sql(path, "PRAGMA user_version = 99"), SQLITE_OK);
	char err[320] = "";
	st = (struct store *)&err; /* must be reset to NULL */
	assert_int_equal(store_open(path, 0, 0, &st, err, sizeof err), CM_STATE);
	assert_null(st);
	assert_non_null(strstr(err, "newer"));
	assert_non_null(strstr(err, "99"));
}

static void test_open_missing(void **state)
{
	(void)state;
	char path[1200], err[320] = "";
	snprintf(path, sizeof path, "%s/none.db", tu_tmpdir("missing"));
	struct store *st;
	assert_int_equal(store_open(path, 0, 0, &st, err, sizeof err), CM_NOTFOUND);
	assert_null(st);
	assert_true(strlen(err) > 0);
	struct stat sb;
	assert_int_not_equal(stat(path, &sb), 0); /* nothing created */
}

static void test_not_a_database(void **state)
{
	(void)state;
	char path[1200], err[320] = "";
	snprintf(path, sizeof path, "%s/junk.db", tu_tmpdir("junk"));
	char junk[4096];
	memset(junk, 'x', sizeof junk - 1);
	junk[sizeof junk - 1] = '\0';
	assert_int_equal(tu_write_file(path, junk), 0);
	assert_int_equal(chmod(path, 0640), 0);   /* else refused as readable by all */
	struct store *st;
	assert_int_equal(store_open(path, 0, 0, &st, err, sizeof err), CM_CORRUPT);
	assert_null(st);
}

static void test_settings(void **state)
{
	(void)state;
	char path[1200], buf[64];
	struct store *st = open_new("settings", 0, path, sizeof path);
	assert_int_equal(store_setting_get(st, "store_name", buf, sizeof buf), CM_NOTFOUND);
	assert_true(strlen(store_errmsg(st)) > 0);
	assert_int_equal(store_setting_int(st, "cash_round_step", 100), 100);
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_setting_set(st, "store_name", "Koperasi Maju"), CM_OK);
	assert_int_equal(store_setting_set(st, "cash_round_step", "500"), CM_OK);
	assert_int_equal(store_setting_set(st, "bad_int", "12x"), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	assert_int_equal(store_setting_get(st, "store_name", buf, sizeof buf), CM_OK);
	assert_string_equal(buf, "Koperasi Maju");
	assert_int_equal(store_setting_int(st, "cash_round_step", 100), 500);
	assert_int_equal(store_setting_int(st, "bad_int", 7), 7);
	/* Truncated into a small buffer, still terminated. */
	char small[5];
	assert_int_equal(store_setting_get(st, "store_name", small, sizeof small), CM_OK);
	assert_string_equal(small, "Kope");
	/* Overwrite. */
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_setting_set(st, "store_name", "KSU Sejahtera"), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	store_close(st);
	st = reopen(path, 0);
	assert_int_equal(store_setting_get(st, "store_name", buf, sizeof buf), CM_OK);
	assert_string_equal(buf, "KSU Sejahtera");
	/* A rolled back change is gone. */
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_setting_set(st, "store_name", "Gone"), CM_OK);
	store_rollback(st);
	assert_int_equal(store_setting_get(st, "store_name", buf, sizeof buf), CM_OK);
	assert_string_equal(buf, "KSU Sejahtera");
	store_close(st);
}

static void test_tax_rates_seeded(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("rates", 0, path, sizeof path);
	struct tax_rate *r;
	size_t n;
	assert_int_equal(store_tax_rates(st, &r, &n), CM_OK);
	assert_true(n >= 6);
	const struct tax_rate *x = tax_rate_at(r, n, TAX_STANDARD, 20250310);
	assert_non_null(x);
	assert_int_equal(x->rate_bp, 1200);
	assert_int_equal(x->base_num, 11);
	assert_int_equal(x->base_den, 12);
	x = tax_rate_at(r, n, TAX_STANDARD, 20220331);
	assert_non_null(x);
	assert_int_equal(x->rate_bp, 1000);
	x = tax_rate_at(r, n, TAX_STANDARD, 20220401);
	assert_int_equal(x->rate_bp, 1100);
	x = tax_rate_at(r, n, TAX_LUXURY, 20250101);
	assert_int_equal(x->rate_bp, 1200);
	assert_int_equal(x->base_num, 1);
	free(r);
	struct scale_format *f;
	assert_int_equal(store_scale_formats(st, &f, &n), CM_OK);
	assert_int_equal(n, 0);
	free(f);
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_scale_format_set(st, "20", "PPIIIIIWWWWWC"), CM_OK);
	assert_int_equal(store_scale_format_set(st, "20", "PPIIIIXRRRRRC"), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	assert_int_equal(store_scale_formats(st, &f, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].prefix, "20");
	assert_string_equal(f[0].tmpl, "PPIIIIXRRRRRC");
	free(f);
	store_close(st);
}

static void test_lookups(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("lookups", 0, path, sizeof path);
	seed(st);
	struct item_rec it;
	cm_qty pack = 0;
	assert_int_equal(store_item_by_barcode(st, FX_MIE_EAN, &it, &pack), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	assert_string_equal(it.name, "Indomie Goreng");
	assert_int_equal(it.price, 3500);
	assert_int_equal(it.tax, TAX_STANDARD);
	assert_true(it.active);
	assert_int_equal(pack, CM_QTY_ONE);
	int64_t mie_id = it.id;
	assert_int_equal(store_item_by_barcode(st, "8991000000089", &it, NULL), CM_NOTFOUND);
	assert_int_equal(store_item_by_sku(st, FX_SOTO, &it), CM_OK);
	assert_int_equal(it.price, 3400);
	assert_int_equal(store_item_by_sku(st, "NOPE", &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_plu(st, FX_APEL_PLU, &it), CM_OK);
	assert_string_equal(it.sku, FX_APEL);
	assert_true(it.weighed);
	assert_int_equal(it.plu, FX_APEL_PLU);
	assert_int_equal(store_item_by_plu(st, 999, &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_id(st, mie_id, &it), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	assert_int_equal(store_item_by_id(st, 424242, &it), CM_NOTFOUND);
	/* Inactive items are still found by code (the engine refuses them). */
	assert_int_equal(store_item_by_sku(st, FX_OLD, &it), CM_OK);
	assert_false(it.active);
	char owner[32];
	assert_int_equal(store_barcode_owner(st, FX_SOTO_EAN, owner, sizeof owner), CM_OK);
	assert_string_equal(owner, FX_MIE);
	assert_int_equal(store_barcode_owner(st, "8991000000089", owner, sizeof owner), CM_NOTFOUND);
	assert_int_equal(store_stock_level(st, mie_id), 0);
	store_close(st);
}

static bool has_sku(const struct item_rec *v, size_t n, const char *sku)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].sku, sku) == 0)
			return true;
	return false;
}

static void test_search(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("search", 0, path, sizeof path);
	seed(st);
	struct item_rec v[8];
	size_t n = 99;
	assert_int_equal(store_item_search(st, "ind gor", v, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].sku, FX_MIE);
	assert_int_equal(store_item_search(st, "  IND   gor  ", v, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_item_search(st, "gor", v, 8, &n), CM_OK);
	assert_int_equal(n, 2);
	assert_true(has_sku(v, n, FX_MIE));
	assert_true(has_sku(v, n, FX_MINYAK));
	assert_int_equal(store_item_search(st, "ind", v, 8, &n), CM_OK);
	assert_int_equal(n, 2);
	assert_false(has_sku(v, n, FX_OLD)); /* inactive */
	assert_int_equal(store_item_search(st, "ind", v, 1, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_item_search(st, "apel", v, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].sku, FX_APEL);
	assert_int_equal(store_item_search(st, "kopi", v, 8, &n), CM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_item_search(st, "", v, 8, &n), CM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_item_search(st, "   ", v, 8, &n), CM_OK);
	assert_int_equal(n, 0);
	/* FTS5 syntax typed by a cashier is only text. */
	const char *odd[] = { "\"", "ind\"", "gor*", "NOT", "ind OR", "a:b", "(ind", "-", "^ind" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		enum cm_rc rc = store_item_search(st, odd[i], v, 8, &n);
		if (rc != CM_OK)
			fail_msg("search '%s': %s", odd[i], store_errmsg(st));
	}
	/* A very long query is not an error. */
	char longq[2000];
	memset(longq, 'a', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	assert_int_equal(store_item_search(st, longq, v, 8, &n), CM_OK);
	assert_int_equal(n, 0);
	store_close(st);
}

static void test_upsert_updates_and_replaces_barcodes(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("upsert", 0, path, sizeof path);
	seed(st);
	struct item_rec before;
	assert_int_equal(store_item_by_sku(st, FX_MIE, &before), CM_OK);
	int64_t count = store_item_count(st);

	const char *codes[] = { "8991000000089" };
	put_item(st, FX_MIE, "Mie Sedaap Goreng", 3700, 0, true, codes, 1, false);
	assert_int_equal(store_item_count(st), count);
	struct item_rec it;
	assert_int_equal(store_item_by_sku(st, FX_MIE, &it), CM_OK);
	assert_int_equal(it.id, before.id);
	assert_int_equal(it.price, 3700);
	assert_string_equal(it.name, "Mie Sedaap Goreng");
	/* Old barcodes are gone, the new one is there. */
	assert_int_equal(store_item_by_barcode(st, FX_MIE_EAN, &it, NULL), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, FX_SOTO_EAN, &it, NULL), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, "8991000000089", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	/* The name index follows the rename. */
	struct item_rec v[8];
	size_t n;
	assert_int_equal(store_item_search(st, "sedaap", v, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_item_search(st, "indomie gor", v, 8, &n), CM_OK);
	assert_int_equal(n, 0);
	/* The SKU is indexed too. */
	assert_int_equal(store_item_search(st, "ind-001", v, 8, &n), CM_OK);
	assert_int_equal(n, 1);
	/* Deactivating hides it from search. */
	put_item(st, FX_MIE, "Mie Sedaap Goreng", 3700, 0, false, codes, 1, false);
	assert_int_equal(store_item_search(st, "sedaap", v, 8, &n), CM_OK);
	assert_int_equal(n, 0);

	/* A barcode owned by another item is refused, and nothing changes. */
	struct item_rec other = { .price = 1000, .tax = TAX_STANDARD, .active = true };
	snprintf(other.sku, sizeof other.sku, "X-1");
	snprintf(other.name, sizeof other.name, "Thief");
	snprintf(other.receipt_name, sizeof other.receipt_name, "Thief");
	snprintf(other.unit, sizeof other.unit, "pcs");
	char bc[1][16] = { "8991000000089" };
	int64_t id;
	bool created;
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_item_upsert(st, &other, bc, 1, &id, &created), CM_CONFLICT);
	assert_true(strlen(store_errmsg(st)) > 0);
	store_rollback(st);
	assert_int_equal(store_item_by_sku(st, "X-1", &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, "8991000000089", &it, NULL), CM_OK);
	assert_string_equal(it.sku, FX_MIE);
	/* So is a PLU used by another item. */
	other.plu = FX_APEL_PLU;
	other.weighed = true;
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_item_upsert(st, &other, NULL, 0, &id, &created), CM_CONFLICT);
	store_rollback(st);
	store_close(st);
}

static void test_members(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("members", 0, path, sizeof path);
	struct member_rec m = { 0 }, out;
	snprintf(m.number, sizeof m.number, "M001");
	snprintf(m.name, sizeof m.name, "Budi");
	snprintf(m.card_code, sizeof m.card_code, "MC0001");
	int64_t id = 0;
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_member_add(st, &m, &id), CM_OK);
	/* A second member without a card (NULL card codes do not clash). */
	struct member_rec m2 = { 0 };
	snprintf(m2.number, sizeof m2.number, "M002");
	snprintf(m2.name, sizeof m2.name, "Joko");
	assert_int_equal(store_member_add(st, &m2, NULL), CM_OK);
	struct member_rec m3 = { 0 };
	snprintf(m3.number, sizeof m3.number, "M003");
	snprintf(m3.name, sizeof m3.name, "Tono");
	assert_int_equal(store_member_add(st, &m3, NULL), CM_OK);
	/* Duplicate number. */
	assert_int_equal(store_member_add(st, &m, NULL), CM_CONFLICT);
	assert_int_equal(store_commit(st), CM_OK);
	assert_true(id > 0);
	assert_int_equal(store_member_find(st, "MC0001", &out), CM_OK);
	assert_int_equal(out.id, id);
	assert_string_equal(out.status, "active");
	assert_int_equal(store_member_find(st, "M001", &out), CM_OK);
	assert_int_equal(out.id, id);
	assert_int_equal(store_member_find(st, "M003", &out), CM_OK);
	assert_string_equal(out.card_code, "");
	assert_int_equal(store_member_find(st, "", &out), CM_NOTFOUND);
	assert_int_equal(store_member_find(st, "M999", &out), CM_NOTFOUND);
	assert_int_equal(store_member_by_id(st, id, &out), CM_OK);
	assert_string_equal(out.name, "Budi");
	store_close(st);
}

static void test_transactions(void **state)
{
	(void)state;
	char path[1200];
	struct store *st = open_new("tx", 0, path, sizeof path);
	/* journal_append refuses to run outside a transaction. */
	assert_int_equal(journal_append(st, "x", 1, 0, "{}", NULL), CM_STATE);
	/* A relaxed transaction commits like any other. */
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	assert_int_equal(store_setting_set(st, "k", "v"), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	char buf[8];
	assert_int_equal(store_setting_get(st, "k", buf, sizeof buf), CM_OK);
	/* A second connection sees the lock as busy, not as an error. */
	struct store *st2 = reopen(path, 0);
	store_set_busy_timeout(st2, 50);
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_begin(st2), CM_BUSY);
	assert_true(strlen(store_errmsg(st2)) > 0);
	store_rollback(st);
	assert_int_equal(store_begin(st2), CM_OK);
	store_rollback(st2);
	store_close(st2);
	store_close(st);
}

static enum cm_rc switch_ok(struct store *st, const struct catgen_result *r, void *ctx)
{
	(void)st;
	(void)r;
	(void)ctx;
	return CM_OK;
}

/* Puts rows prefix-1 .. prefix-n into g's build in a step of their own;
 * the first put's result is returned (the step rolled back when not OK). */
static enum cm_rc build_rows(struct store *st, struct catgen *g, const char *prefix, int from,
                             int n)
{
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	for (int i = from; i < from + n; i++) {
		struct item_rec it = { .price = 1000 + i, .tax = TAX_STANDARD, .active = true };
		snprintf(it.sku, sizeof it.sku, "%s-%d", prefix, i);
		snprintf(it.name, sizeof it.name, "Barang %s %d", prefix, i);
		bool created;
		enum cm_rc rc = store_catgen_direct_put(g, &it, NULL, 0, (size_t)i + 1, &created);
		if (rc != CM_OK) {
			store_rollback(st);
			return rc;
		}
	}
	assert_int_equal(store_catgen_direct_mark(g), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	return CM_OK;
}

/* Two imports at once (two managers, two terminals on one database): the
 * second is refused while the first's build moves; when the first stood
 * still long enough to be taken over, the first gives up at its next step
 * without touching the second's build, and the second switches in only
 * its own rows. (Before: the second dropped the first's build, the first
 * wrote on into the second's tables, and whichever switched first put a
 * catalogue missing rows in force while saying it imported them.) */
static void test_import_build_has_one_owner(void **state)
{
	(void)state;
	char path[1024];
	struct store *a = open_new("build_owner", 0, path, sizeof path);
	struct store *b = reopen(path, 0);
	struct catgen *ga, *gb;
	struct catgen_result r;
	struct item_rec it;
	assert_int_equal(store_import_begin(a), CM_OK);
	assert_int_equal(store_catgen_direct_begin(a, &ga), CM_OK);
	assert_int_equal(build_rows(a, ga, "A", 1, 3), CM_OK);
	/* the first import is at work: the second is told to wait */
	assert_int_equal(store_import_begin(b), CM_BUSY);
	assert_non_null(strstr(store_errmsg(b), "try again"));
	/* the first stood still (a stopped process): the second takes over */
	assert_int_equal(fx_sql(path, "UPDATE catalogue_build SET touched = touched - 120"),
	                 SQLITE_OK);
	assert_int_equal(store_import_begin(b), CM_OK);
	assert_int_equal(store_catgen_direct_begin(b, &gb), CM_OK);
	assert_int_equal(build_rows(b, gb, "B", 1, 2), CM_OK);
	/* the first's next step and its finish write nothing into it */
	assert_int_equal(build_rows(a, ga, "A", 4, 1), CM_BUSY);
	assert_non_null(strstr(store_errmsg(a), "run it again"));
	store_catgen_direct_abort(ga);
	store_import_end(a);
	assert_int_equal(store_catgen_direct_finish(gb, switch_ok, NULL, &r), CM_OK);
	store_import_end(b);
	assert_int_equal(r.upserted, 2);
	assert_int_equal(store_item_by_sku(b, "B-1", &it), CM_OK);
	assert_int_equal(store_item_by_sku(b, "B-2", &it), CM_OK);
	assert_int_equal(store_item_by_sku(b, "A-1", &it), CM_NOTFOUND);
	assert_int_equal(store_item_by_sku(b, "A-4", &it), CM_NOTFOUND);
	store_close(a);
	store_close(b);
}

/* A row of a direct build (store_catgen_direct_put): sku, price and up
 * to two barcodes (NULL: none), at line. */
static void direct_row(struct store *st, struct catgen *g, const char *sku, cm_money price,
                       const char *a, const char *b, size_t line)
{
	struct item_rec it = { .price = price, .tax = TAX_STANDARD, .active = true };
	snprintf(it.sku, sizeof it.sku, "%s", sku);
	snprintf(it.name, sizeof it.name, "Barang %s", sku);
	char codes[2][16];
	size_t n = 0;
	if (a)
		snprintf(codes[n++], sizeof codes[0], "%s", a);
	if (b)
		snprintf(codes[n++], sizeof codes[0], "%s", b);
	bool created;
	if (store_catgen_direct_put(g, &it, codes, n, line, &created) != CM_OK)
		fail_msg("put %s: %s", sku, store_errmsg(st));
}

static int64_t item_of_code(struct store *st, const char *code, cm_money *price, cm_qty *pack)
{
	struct item_rec it;
	if (store_item_by_barcode(st, code, &it, pack) != CM_OK)
		return 0;
	*price = it.price;
	return it.id;
}

/* A file read again with every price changed (store_catgen_direct_*):
 * the build starts empty, each row is written once with its live item's
 * id, and the live items no row names are copied after the file as they
 * are. A code an item keeps keeps its pack quantity; a code its row no
 * longer lists is gone; a new item takes an id above the live ones. */
static void test_import_again_keeps_ids_and_the_items_left_out(void **state)
{
	(void)state;
	char path[1024];
	struct store *st = open_new("reimport", 0, path, sizeof path);
	struct catgen *g;
	struct catgen_result r;
	struct item_rec it;
	cm_money price;
	cm_qty pack;
	assert_int_equal(store_import_begin(st), CM_OK);
	assert_int_equal(store_catgen_direct_begin(st, &g), CM_OK);
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	direct_row(st, g, "A-1", 1000, "C1", "C1B", 2);
	direct_row(st, g, "A-2", 2000, "C2", NULL, 3);
	direct_row(st, g, "A-3", 3000, "C3", NULL, 4);
	assert_int_equal(store_catgen_direct_mark(g), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	assert_int_equal(store_catgen_direct_finish(g, switch_ok, NULL, &r), CM_OK);
	store_import_end(st);
	int64_t id1 = item_of_code(st, "C1", &price, &pack);
	int64_t id2 = item_of_code(st, "C2", &price, &pack);
	int64_t id3 = item_of_code(st, "C3", &price, &pack);
	assert_true(id1 && id2 && id3);
	assert_int_equal(fx_sql(path, "UPDATE barcodes SET pack_qty = 6000 WHERE code = 'C1'"),
	                 SQLITE_OK);

	/* the second file: new prices, A-2 left out, A-1 keeps C1 and
	 * trades C1B for N1, A-3 trades C3 for N3, A-4 is new */
	assert_int_equal(store_import_begin(st), CM_OK);
	assert_int_equal(store_catgen_direct_begin(st, &g), CM_OK);
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	direct_row(st, g, "A-3", 3300, "N3", NULL, 2);
	direct_row(st, g, "A-1", 1100, "C1", "N1", 3);
	direct_row(st, g, "A-4", 4400, "N4", NULL, 4);
	assert_int_equal(store_catgen_direct_mark(g), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	assert_int_equal(store_catgen_direct_finish(g, switch_ok, NULL, &r), CM_OK);
	store_import_end(st);
	assert_int_equal(r.upserted, 3);

	assert_int_equal(item_of_code(st, "C1", &price, &pack), id1);
	assert_int_equal(price, 1100);
	assert_int_equal(pack, 6000);
	assert_int_equal(item_of_code(st, "N1", &price, &pack), id1);
	assert_int_equal(pack, 1000);
	assert_int_equal(store_item_by_barcode(st, "C1B", &it, &pack), CM_NOTFOUND);
	assert_int_equal(item_of_code(st, "C2", &price, &pack), id2);
	assert_int_equal(price, 2000);
	assert_int_equal(item_of_code(st, "N3", &price, &pack), id3);
	assert_int_equal(price, 3300);
	assert_int_equal(store_item_by_barcode(st, "C3", &it, &pack), CM_NOTFOUND);
	assert_true(item_of_code(st, "N4", &price, &pack) > id3);
	assert_int_equal(store_item_count(st), 4);
	store_close(st);
}

/* Rows SKU-from .. SKU-(from+n-1) of a pull into g's build, one step. */
static void pull_rows(struct store *st, struct catgen *g, const char *sku, int from, int n)
{
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	for (int i = from; i < from + n; i++) {
		struct item_rec it = { .price = 1000 + i, .tax = TAX_STANDARD, .active = true };
		snprintf(it.sku, sizeof it.sku, "%s-%05d", sku, i);
		snprintf(it.name, sizeof it.name, "Barang Tarikan Nomor %d", i);
		assert_int_equal(store_catgen_pull_put(g, &it, NULL, 0), CM_OK);
	}
	assert_int_equal(store_catgen_pull_mark(g, 0), CM_OK);
	assert_int_equal(store_catgen_pull_commit(g), CM_OK);
}

static bool file_holds(const char *path, const char *text)
{
	size_t len;
	char *data = tu_read_file(path, &len);
	size_t n = strlen(text);
	bool found = false;
	for (size_t i = 0; data && !found && i + n <= len; i++)
		found = memcmp(data + i, text, n) == 0;
	free(data);
	return found;
}

/* A pull's build in short steps checkpoints the WAL itself before it
 * reaches SQLite's mark of 1,000 frames, so the till's commits between
 * its steps never cross the mark (and copy the build's pages into the
 * database in a sale's commit); but it does not after a step that leaves
 * the WAL short: each checkpoint syncs the WAL and the database file,
 * and one after every step made a 1M pull wait on the disk thousands of
 * times. Seen in the files: a row is in the database file only once a
 * checkpoint copied it there. */
static void test_pull_checkpoints_near_the_wal_mark(void **state)
{
	(void)state;
	char path[1024], wal[1100];
	struct store *a = open_new("pull_checkpoint", 0, path, sizeof path);
	struct store *b = reopen(path, 0);
	snprintf(wal, sizeof wal, "%s-wal", path);
	/* the migrations' frames out of the way: the WAL starts empty */
	assert_int_equal(fx_sql(path, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
	struct catgen *g;
	int64_t skip;
	assert_int_equal(store_catgen_pull_begin(a, 7, &g, &skip), CM_OK);
	pull_rows(a, g, "SHORT", 1, 5);
	assert_true(file_holds(wal, "SHORT-00001"));
	assert_false(file_holds(path, "SHORT-00001"));
	struct stat sb;
	off_t wal_max = 0;
	for (int step = 0; step < 40; step++) {
		pull_rows(a, g, "LONG", step * 300, 300);
		/* the till's sale between two steps */
		assert_int_equal(store_setting_set(b, "receipt_footer", step % 2 ? "Terima kasih" : "Sampai jumpa"), CM_OK);
		assert_int_equal(stat(wal, &sb), 0);
		if (sb.st_size > wal_max)
			wal_max = sb.st_size;
	}
	assert_true(file_holds(path, "SHORT-00001"));
	assert_true(wal_max < 32 + 1000 * (24 + 4096));
	store_catgen_pull_abort(g);
	store_close(b);
	store_close(a);
}

/* A pull's step may go on into the next page (sync/agent/pull.c) only
 * while its share of the write lock lasts: from its first row for
 * STEP_MS (25 ms); a commit ends it. */
static void test_pull_step_goes_on_while_its_time_lasts(void **state)
{
	(void)state;
	char path[1024];
	struct store *st = open_new("pull_more", 0, path, sizeof path);
	struct catgen *g;
	int64_t skip;
	struct item_rec it = { .price = 1000, .tax = TAX_STANDARD, .active = true };
	snprintf(it.name, sizeof it.name, "Teh Celup Melati");
	assert_int_equal(store_catgen_pull_begin(st, 7, &g, &skip), CM_OK);
	assert_false(store_catgen_pull_more(g));          /* no step begun */
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	snprintf(it.sku, sizeof it.sku, "TEH-1");
	assert_int_equal(store_catgen_pull_put(g, &it, NULL, 0), CM_OK);
	assert_int_equal(store_catgen_pull_mark(g, 0), CM_OK);
	assert_true(store_catgen_pull_more(g));           /* the next page joins the step */
	snprintf(it.sku, sizeof it.sku, "TEH-2");
	assert_int_equal(store_catgen_pull_put(g, &it, NULL, 0), CM_OK);
	struct timespec wait = { 0, 30 * 1000000L };
	nanosleep(&wait, NULL);
	assert_false(store_catgen_pull_more(g));          /* its time is over */
	assert_int_equal(store_catgen_pull_mark(g, 0), CM_OK);
	assert_int_equal(store_catgen_pull_commit(g), CM_OK);
	assert_false(store_catgen_pull_more(g));
	store_catgen_pull_abort(g);
	store_close(st);
}

/* A first pull of n rows (the live catalogue empty) into a new store,
 * switched in: row i is B-<i> (row `again` names B-<again_sku> a second
 * time), price 1000 + i, code P<i> (and Q<i> every tenth row); rows
 * plu_a and plu_b both give PLU 123. */
static struct store *first_pull(const char *name, int n, int again, int again_sku,
                                int plu_a, int plu_b, const char *local_sku)
{
	char path[1024];
	static const char check[] = "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)";
	struct store *st = open_new(name, 0, path, sizeof path);
	if (local_sku)     /* imported here before the till's first pull */
		put_item(st, local_sku, "Kopi Lokal Robusta", 500, 0, true, NULL, 0, true);
	struct catgen *g;
	struct catgen_result r;
	int64_t skip;
	assert_int_equal(store_catgen_pull_begin(st, 7, &g, &skip), CM_OK);
	assert_int_equal(store_begin_relaxed(st), CM_OK);
	for (int i = 0; i < n; i++) {
		struct item_rec it = { .price = 1000 + i, .tax = TAX_STANDARD, .active = true };
		char codes[2][16];
		snprintf(it.sku, sizeof it.sku, "B-%05d", i == again ? again_sku : i);
		snprintf(it.name, sizeof it.name, "Barang Tarikan Nomor %d", i);
		it.plu = i == plu_a || i == plu_b ? 123 : 0;
		snprintf(codes[0], sizeof codes[0], "P%d", i);
		snprintf(codes[1], sizeof codes[1], "Q%d", i);
		assert_int_equal(store_catgen_pull_put(g, &it, (const char (*)[16])codes,
		                                       i % 10 ? 1 : 2), CM_OK);
	}
	assert_int_equal(store_catgen_pull_mark(g, 0), CM_OK);
	assert_int_equal(store_catgen_pull_commit(g), CM_OK);
	assert_int_equal(store_catgen_pull_finish(g, switch_ok, NULL, &r), CM_OK);
	assert_int_equal(r.upserted, n);
	/* the name index holds every item's name as it is now */
	assert_int_equal(fx_sql(path, check), SQLITE_OK);
	return st;
}

/* A till's first pull writes its rows 32 a statement (store_catgen.c,
 * pull_queue), each a new item with the next id; a row that clashes with
 * one written or waiting (a SKU named twice, a PLU two rows give, a SKU
 * of a local import) is written as a pull always wrote it, the later row
 * winning, and so are the rows after it. What the till sees is the same
 * either way, its name index checked against the items. */
static void test_first_pull_batches_its_rows(void **state)
{
	(void)state;
	cm_money price;
	cm_qty pack;
	struct item_rec it;
	/* no clash: 100 rows, ids in the rows' order, every code its item's */
	struct store *st = first_pull("pull_batch", 100, -1, 0, -1, -1, NULL);
	assert_int_equal(store_item_count(st), 100);
	for (int i = 0; i < 100; i++) {
		char code[16];
		snprintf(code, sizeof code, "P%d", i);
		assert_int_equal(item_of_code(st, code, &price, &pack), i + 1);
		assert_int_equal(price, 1000 + i);
		snprintf(code, sizeof code, "Q%d", i);
		assert_int_equal(item_of_code(st, code, &price, &pack), i % 10 ? 0 : i + 1);
	}
	struct item_rec found[4];
	size_t nfound = 0;
	assert_int_equal(store_item_search(st, "tarikan nomor 42", found, 4, &nfound), CM_OK);
	assert_int_equal(nfound, 1);
	assert_string_equal(found[0].sku, "B-00042");
	store_close(st);

	/* row 70 names B-00010 again (a batch written before): B-00010 is
	 * row 70's, with its codes only; the rows after it are all there */
	st = first_pull("pull_batch_sku", 100, 70, 10, -1, -1, NULL);
	assert_int_equal(store_item_count(st), 99);
	int64_t id10 = item_of_code(st, "P70", &price, &pack);
	assert_true(id10 > 0);
	assert_int_equal(price, 1070);
	assert_int_equal(item_of_code(st, "Q70", &price, &pack), id10);
	assert_int_equal(store_item_by_sku(st, "B-00010", &it), CM_OK);
	assert_int_equal(it.id, id10);
	assert_string_equal(it.name, "Barang Tarikan Nomor 70");
	assert_int_equal(store_item_by_barcode(st, "P10", &it, &pack), CM_NOTFOUND);
	assert_int_equal(store_item_by_barcode(st, "Q10", &it, &pack), CM_NOTFOUND);
	for (int i = 71; i < 100; i++) {
		char sku[16];
		snprintf(sku, sizeof sku, "B-%05d", i);
		assert_int_equal(store_item_by_sku(st, sku, &it), CM_OK);
		assert_int_equal(it.price, 1000 + i);
	}
	store_close(st);

	/* rows 40 and 45 both give PLU 123 (waiting in one batch): 45 keeps it */
	st = first_pull("pull_batch_plu", 100, -1, 0, 40, 45, NULL);
	assert_int_equal(store_item_count(st), 100);
	assert_int_equal(store_item_by_sku(st, "B-00045", &it), CM_OK);
	assert_int_equal(it.plu, 123);
	assert_int_equal(store_item_by_sku(st, "B-00040", &it), CM_OK);
	assert_int_equal(it.plu, 0);
	assert_int_equal(item_of_code(st, "P99", &price, &pack), 100);
	store_close(st);

	/* a till with a local item of its own: it stays, found by name */
	st = first_pull("pull_batch_local", 100, -1, 0, -1, -1, "L-1");
	assert_int_equal(store_item_count(st), 101);
	assert_int_equal(store_item_search(st, "kopi lokal", found, 4, &nfound), CM_OK);
	assert_int_equal(nfound, 1);
	assert_string_equal(found[0].sku, "L-1");
	assert_int_equal(item_of_code(st, "P0", &price, &pack), 2);
	store_close(st);

	/* ... whose SKU the pull names: the pull's row is the item now */
	st = first_pull("pull_batch_local_sku", 100, -1, 0, -1, -1, "B-00050");
	assert_int_equal(store_item_count(st), 100);
	assert_int_equal(store_item_by_sku(st, "B-00050", &it), CM_OK);
	assert_int_equal(it.id, 1);
	assert_int_equal(it.price, 1050);
	assert_string_equal(it.name, "Barang Tarikan Nomor 50");
	assert_int_equal(store_item_search(st, "kopi lokal", found, 4, &nfound), CM_OK);
	assert_int_equal(nfound, 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_from_v1),
		cmocka_unit_test(test_migration_gtin_keys),
		cmocka_unit_test(test_pull_keys_barcodes),
		cmocka_unit_test(test_max_version_above_latest),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_tax_rates_seeded),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_upsert_updates_and_replaces_barcodes),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_import_build_has_one_owner),
		cmocka_unit_test(test_import_again_keeps_ids_and_the_items_left_out),
		cmocka_unit_test(test_pull_checkpoints_near_the_wal_mark),
		cmocka_unit_test(test_pull_step_goes_on_while_its_time_lasts),
		cmocka_unit_test(test_first_pull_batches_its_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
