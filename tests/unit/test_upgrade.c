/* Upgrades: a store database made at every schema version this project
 * has had (store_open's max_version builds it with the migrations of that
 * time, which never change once committed) and filled the way that
 * version's code filled it, opens with the current program: it ends at
 * the newest version with its settings, users (who can still log in),
 * items and their barcodes (found by today's keys), stock and journal
 * intact (the chain verifies, the head hash unchanged), and the till
 * goes on journaling on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.c"
#include "engine/auth.h"
#include "store/migrations.h"

#include <sodium.h>

#define PIN "135790"

static void seed_user(struct store *st)
{
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str(hash, PIN, strlen(PIN), crypto_pwhash_OPSLIMIT_MIN,
	                                   crypto_pwhash_MEMLIMIT_MIN), 0);
	struct user_rec u = { .role = ROLE_ADMIN, .active = true };
	snprintf(u.number, sizeof u.number, "101");
	snprintf(u.name, sizeof u.name, "Bu Ani");
	assert_int_equal(store_user_add(st, &u, hash, NULL), CM_OK);
}

static void seed_item(struct store *st, const char *sku, const char *code)
{
	struct item_rec it = { .price = 3500, .tax = TAX_STANDARD, .active = true };
	char codes[1][16];
	snprintf(it.sku, sizeof it.sku, "%s", sku);
	snprintf(it.name, sizeof it.name, "Barang %s", sku);
	snprintf(it.receipt_name, sizeof it.receipt_name, "%s", it.name);
	snprintf(it.unit, sizeof it.unit, "pcs");
	snprintf(codes[0], sizeof codes[0], "%s", code);
	int64_t id;
	bool created;
	assert_int_equal(store_item_upsert(st, &it, (const char (*)[16])codes, 1, &id, &created), CM_OK);
}

/* The version from which barcodes are kept under their GTIN key (the
 * migration named *gtin*): before it an EAN-8 was stored as its 8 digits. */
static int gtin_version(void)
{
	for (int i = 0; i < store_migrations_count; i++)
		if (strstr(store_migrations[i].name, "gtin"))
			return store_migrations[i].version;
	fail_msg("no gtin migration");
	return 0;
}

/* What a store of version v holds: settings, an admin, two items (an
 * EAN-8 as that version kept it, a UPC-A), stock, events. */
static void seed(struct store *st, int v, const char *path, uint8_t head[CHAIN_HASH_LEN])
{
	assert_int_equal(store_begin(st), CM_OK);
	assert_int_equal(store_setting_set(st, SET_TERMINAL, "K01"), CM_OK);
	assert_int_equal(store_setting_set(st, SET_STORE_NAME, "Koperasi Lama"), CM_OK);
	assert_int_equal(store_setting_set(st, SET_PKP, "1"), CM_OK);
	seed_user(st);
	seed_item(st, "MIE", v < gtin_version() ? "40123455" : "0000040123455");
	seed_item(st, "KECAP", "0036000291452");
	/* Journaled as the till journals them (journal verify checks users and
	 * settings against these events). */
	static const char *const kv[][2] = {
		{ SET_TERMINAL, "K01" }, { SET_STORE_NAME, "Koperasi Lama" }, { SET_PKP, "1" },
	};
	for (int i = 0; i < 3; i++) {
		char payload[128];
		snprintf(payload, sizeof payload, "{\"key\":\"%s\",\"value\":\"%s\"}", kv[i][0],
		         kv[i][1]);
		assert_int_equal(journal_append(st, "setting_changed", FX_T2024 + i + 1, 1, payload,
		                                NULL), CM_OK);
	}
	assert_int_equal(journal_append(st, "user_added", FX_T2024 + 4, 1,
	                                "{\"name\":\"Bu Ani\",\"number\":\"101\","
	                                "\"role\":\"admin\",\"user_id\":1}", NULL), CM_OK);
	assert_int_equal(store_commit(st), CM_OK);
	struct journal_entry e;
	assert_int_equal(journal_head(st, &e), CM_OK);
	memcpy(head, e.hash, CHAIN_HASH_LEN);
	store_close(st);
	assert_int_equal(fx_sql(path, "INSERT INTO stock_movements(item_id, qty, kind, ref, "
	                              "journal_seq, at) SELECT id, 24000, 'receive', 'SJ-1', 3, 1 "
	                              "FROM items WHERE sku = 'MIE'"), SQLITE_OK);
}

static void check_upgraded(const char *path, const uint8_t head[CHAIN_HASH_LEN], int from)
{
	char err[320], buf[64];
	struct store *st;
	assert_int_equal(store_open(path, 0, 0, &st, err, sizeof err), CM_OK);
	assert_int_equal(store_schema_version(st), store_latest_version());
	assert_int_equal(store_setting_get(st, SET_STORE_NAME, buf, sizeof buf), CM_OK);
	assert_string_equal(buf, "Koperasi Lama");
	struct journal_check jc = {0};
	assert_int_equal(journal_verify(st, &jc), CM_OK);
	assert_int_equal(jc.events, 4);
	struct journal_entry e;
	assert_int_equal(journal_head(st, &e), CM_OK);
	assert_memory_equal(e.hash, head, CHAIN_HASH_LEN);

	struct item_rec it;
	cm_qty pack = 0;
	if (store_item_by_barcode(st, "0000040123455", &it, &pack) != CM_OK)
		fail_msg("from version %d: the EAN-8 is not found by its key", from);
	assert_string_equal(it.sku, "MIE");
	assert_int_equal(store_stock_level(st, it.id), 24000);
	assert_int_equal(store_item_by_barcode(st, "0036000291452", &it, &pack), CM_OK);
	assert_string_equal(it.sku, "KECAP");

	/* The engine runs on it: the old admin logs in, a change journals. */
	struct till *t;
	assert_int_equal(till_open(st, &t, err, sizeof err), CM_OK);
	assert_int_equal(auth_login(t, "101", PIN), CM_OK);
	assert_int_equal(till_setting_set(t, SET_STORE_CODE, "KMB-LAMA"), CM_OK);
	assert_int_equal(auth_logout(t), CM_OK);
	assert_int_equal(journal_verify(st, &jc), CM_OK);
	assert_true(jc.events >= 5);
	till_free(t);
	store_close(st);
}

static void test_every_version_upgrades(void **state)
{
	(void)state;
	assert_true(store_latest_version() >= 2);
	for (int v = 1; v < store_latest_version(); v++) {
		char path[1200], err[320], name[32];
		uint8_t head[CHAIN_HASH_LEN];
		struct store *st;
		snprintf(name, sizeof name, "upgrade-v%d", v);
		snprintf(path, sizeof path, "%s/store.db", tu_tmpdir(name));
		assert_int_equal(store_open(path, STORE_CREATE, v, &st, err, sizeof err), CM_OK);
		assert_int_equal(store_schema_version(st), v);
		seed(st, v, path, head);
		check_upgraded(path, head, v);
	}
}

/* A database from a newer program is refused, never downgraded. */
static void test_newer_database_refused(void **state)
{
	(void)state;
	char path[1200], err[320], sql[64];
	struct store *st;
	snprintf(path, sizeof path, "%s/store.db", tu_tmpdir("upgrade-newer"));
	assert_int_equal(store_open(path, STORE_CREATE, 0, &st, err, sizeof err), CM_OK);
	store_close(st);
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", store_latest_version() + 1);
	assert_int_equal(fx_sql(path, sql), SQLITE_OK);
	assert_int_equal(store_open(path, 0, 0, &st, err, sizeof err), CM_STATE);
	assert_non_null(strstr(err, "made by a newer coopmart"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_version_upgrades),
		cmocka_unit_test(test_newer_database_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
