/* The prepared store of the engine tests; see fixture.h. Included (once)
 * by each test program that uses it. */
#include "drivers/printer.h"
#include "drivers/scanner.h"
#include "fixture.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char fx_template_path[1200];

static int64_t fx_clock(void *ctx)
{
	return ((const struct fx *)ctx)->now;
}

const char *fx_pin(const char *number)
{
	static const struct { const char *number, *pin; } pins[] = {
		{ "100", "135791" }, { "200", "246802" }, { "201", "242424" },
		{ "300", "358147" }, { "301", "343434" },
	};
	for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++)
		if (strcmp(pins[i].number, number) == 0)
			return pins[i].pin;
	return "000000";
}

int fx_copy(const char *from, const char *to)
{
	size_t len;
	char *data = tu_read_file(from, &len);
	if (!data)
		return -1;
	FILE *f = fopen(to, "wb");
	int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	/* A store database is owner and group only: store_open refuses one
	 * every user may read. */
	if (rc == 0 && chmod(to, 0640) != 0)
		rc = -1;
	free(data);
	return rc;
}

int fx_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void fx_item(struct store *st, const char *sku, const char *name, cm_money price,
                    cm_money member_price, enum tax_class tax, bool weighed, int32_t plu,
                    bool active, const char *barcode)
{
	struct item_rec it = { .price = price, .member_price = member_price, .tax = tax,
	                       .weighed = weighed, .plu = plu, .active = active };
	snprintf(it.sku, sizeof it.sku, "%s", sku);
	snprintf(it.name, sizeof it.name, "%s", name);
	snprintf(it.receipt_name, sizeof it.receipt_name, "%s", name);
	snprintf(it.unit, sizeof it.unit, "%s", weighed ? "kg" : "pcs");
	snprintf(it.category, sizeof it.category, "%s", weighed ? "Segar" : "Sembako");
	char codes[1][16];
	size_t n = 0;
	if (barcode)
		snprintf(codes[n++], sizeof codes[0], "%s", barcode);
	int64_t id;
	bool created;
	assert_int_equal(store_item_upsert(st, &it, codes, n, &id, &created), CM_OK);
	assert_true(created);
}

static void fx_member(struct store *st, const char *number, const char *name,
                      const char *card, const char *status)
{
	struct member_rec m = { 0 };
	snprintf(m.number, sizeof m.number, "%s", number);
	snprintf(m.name, sizeof m.name, "%s", name);
	snprintf(m.card_code, sizeof m.card_code, "%s", card);
	snprintf(m.status, sizeof m.status, "%s", status);
	assert_int_equal(store_member_add(st, &m, NULL), CM_OK);
}

int fx_template_build(void **state)
{
	(void)state;
	char err[320];
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", tu_tmpdir("template"));
	snprintf(fx_template_path, sizeof fx_template_path, "%s/store.db", dir);
	struct store *st;
	assert_int_equal(store_open(fx_template_path, STORE_CREATE, 0, &st, err, sizeof err), CM_OK);
	struct till *t;
	assert_int_equal(till_open(st, &t, err, sizeof err), CM_OK);
	struct fx clk = { .now = FX_T2025 };
	till_set_clock(t, fx_clock, &clk);

	/* Settings while the store has no users (as 'coopmart init' does). */
	static const char *const settings[][2] = {
		{ SET_TERMINAL, "T01" }, { SET_STORE_NAME, "Koperasi Uji" },
		{ SET_STORE_ADDRESS, "Jl. Merdeka 1, Bandung" }, { SET_NPWP, "01.234.567.8-901.000" },
		{ SET_PKP, "1" }, { SET_ROUND_STEP, "100" }, { SET_CASH_CEILING, "10000000" },
		{ SET_DISCOUNT_LIMIT, "1000" }, { SET_LOCKOUT_AFTER, "5" },
	};
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		assert_int_equal(till_setting_set(t, settings[i][0], settings[i][1]), CM_OK);

	int64_t id;
	assert_int_equal(auth_user_add(t, "100", "Ani Admin", ROLE_ADMIN, fx_pin("100"), &id), CM_OK);
	assert_int_equal(auth_login(t, "100", fx_pin("100")), CM_OK);
	assert_int_equal(auth_user_add(t, "200", "Sari Supervisor", ROLE_SUPERVISOR, fx_pin("200"), NULL), CM_OK);
	assert_int_equal(auth_user_add(t, "201", "Wati Supervisor", ROLE_SUPERVISOR, fx_pin("201"), NULL), CM_OK);
	assert_int_equal(auth_user_add(t, "300", "Siti Kasir", ROLE_CASHIER, fx_pin("300"), NULL), CM_OK);
	assert_int_equal(auth_user_add(t, "301", "Dewi Kasir", ROLE_CASHIER, fx_pin("301"), NULL), CM_OK);
	/* No sale without an open shift: the template's drawer is open with
	 * a float of Rp500.000 (tests of shifts close it first). */
	fx_shift_open_as(t, FX_FLOAT);
	assert_int_equal(auth_logout(t), CM_OK);

	assert_int_equal(store_begin(st), CM_OK);
	fx_item(st, FX_MIE, "Indomie Goreng", 3500, 3200, TAX_STANDARD, false, 0, true, FX_MIE_EAN);
	fx_item(st, FX_SOTO, "Indomie Soto", 3400, 0, TAX_STANDARD, false, 0, true, FX_SOTO_EAN);
	fx_item(st, FX_MINYAK, "Minyak Goreng 2L", 36000, 0, TAX_STANDARD, false, 0, true, FX_MINYAK_EAN);
	fx_item(st, FX_BERAS, "Beras Premium 5kg", 75000, 72000, TAX_EXEMPT, false, 0, true, FX_BERAS_EAN);
	fx_item(st, FX_RICE, "Rice Cooker", 111000, 0, TAX_STANDARD, false, 0, true, FX_RICE_EAN);
	fx_item(st, FX_PARFUM, "Parfum", 240000, 0, TAX_LUXURY, false, 0, true, FX_PARFUM_EAN);
	fx_item(st, FX_R450, "Teh Kotak", 12450, 0, TAX_EXEMPT, false, 0, true, NULL);
	fx_item(st, FX_R451, "Teh Botol", 12451, 0, TAX_EXEMPT, false, 0, true, NULL);
	fx_item(st, FX_COLA, "Cola 330ml", 7000, 0, TAX_STANDARD, false, 0, true, FX_COLA_EAN);
	fx_item(st, FX_APEL, "Apel Fuji", 40000, 0, TAX_EXEMPT, true, FX_APEL_PLU, true, NULL);
	fx_item(st, FX_DAGING, "Daging Sapi", 130000, 0, TAX_EXEMPT, true, FX_DAGING_PLU, true, NULL);
	fx_item(st, FX_OLD, "Sabun Lama", 5000, 0, TAX_STANDARD, false, 0, false, FX_OLD_EAN);
	fx_member(st, "M001", "Budi", "MC0001", "active");
	fx_member(st, "M002", "Joko", "MC0002", "blocked");
	assert_int_equal(store_commit(st), CM_OK);

	till_free(t);
	store_close(st);
	return 0;
}

int fx_template_drop(void **state)
{
	(void)state;
	return 0;
}

static bool fx_scanner_valid(const char *spec)
{
	struct scanner_spec s;

	return scanner_parse_spec(spec, &s) == SCANNER_E_NONE;
}

/* The drivers' checks of device settings, as the coopmart program gives them. */
static const struct till_devices fx_devices = {
	.printer_spec_valid = printer_spec_valid, .scanner_spec_valid = fx_scanner_valid,
};

void fx_open(struct fx *f)
{
	char err[320];
	enum cm_rc rc = store_open(f->path, 0, 0, &f->st, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("store_open: %s", err);
	rc = till_open(f->st, &f->t, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("till_open: %s", err);
	till_set_clock(f->t, fx_clock, f);
	till_set_devices(f->t, &fx_devices);
}

void fx_close(struct fx *f)
{
	till_free(f->t);
	store_close(f->st);
	f->t = NULL;
	f->st = NULL;
}

struct fx *fx_new(const char *name)
{
	assert_true(fx_template_path[0]);
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s", tu_tmpdir(name));
	snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
	assert_int_equal(fx_copy(fx_template_path, f->path), 0);
	f->now = FX_T2025;
	fx_open(f);
	return f;
}

void fx_free(struct fx *f)
{
	if (!f)
		return;
	fx_close(f);
	free(f);
}

void fx_reopen(struct fx *f)
{
	fx_close(f);
	fx_open(f);
}

void fx_shift_open_as(struct till *t, cm_money float_amount)
{
	struct shift_rec r;
	enum cm_rc rc = shift_open(t, float_amount, &r);
	if (rc != CM_OK)
		fail_msg("shift_open: %s (%s)", cm_rc_name(rc), till_errmsg(t));
}

void fx_login(struct fx *f, const char *number)
{
	enum cm_rc rc = auth_login(f->t, number, fx_pin(number));
	if (rc != CM_OK)
		fail_msg("login %s: %s (%s)", number, cm_rc_name(rc), till_errmsg(f->t));
}

/* Approves what the engine last said needs act (bound to its figures),
 * or act with nothing to measure when that was not what it asked for. */
struct approval fx_approve(struct fx *f, enum action act, const char *number)
{
	struct approval ap;
	const struct approval_need *n = auth_need(f->t);
	enum cm_rc rc = n->act == act
	                    ? auth_approve_need(f->t, n, number, fx_pin(number), "test", &ap)
	                    : auth_approve(f->t, act, number, fx_pin(number), "test", &ap);
	if (rc != CM_OK)
		fail_msg("approve by %s: %s (%s)", number, cm_rc_name(rc), till_errmsg(f->t));
	return ap;
}

void fx_set(struct fx *f, const char *key, const char *value)
{
	assert_int_equal(store_begin(f->st), CM_OK);
	assert_int_equal(store_setting_set(f->st, key, value), CM_OK);
	assert_int_equal(store_commit(f->st), CM_OK);
	assert_int_equal(till_reload(f->t), CM_OK);
}

int64_t fx_item_id(struct fx *f, const char *sku)
{
	struct item_rec it;
	assert_int_equal(store_item_by_sku(f->st, sku, &it), CM_OK);
	return it.id;
}

struct fx_jscan {
	const char *type;
	int count;
	char *payload;
};

static void fx_jscan_fn(const struct journal_entry *e, const char *payload, void *ctx)
{
	struct fx_jscan *j = ctx;
	if (strcmp(e->type, j->type) != 0)
		return;
	j->count++;
	free(j->payload);
	j->payload = strdup(payload);
}

int fx_count_type(struct fx *f, const char *type)
{
	struct fx_jscan j = { .type = type };
	assert_int_equal(journal_each(f->st, 1, fx_jscan_fn, &j), CM_OK);
	free(j.payload);
	return j.count;
}

char *fx_last_payload(struct fx *f, const char *type)
{
	struct fx_jscan j = { .type = type };
	assert_int_equal(journal_each(f->st, 1, fx_jscan_fn, &j), CM_OK);
	return j.payload;
}

int64_t fx_head_seq(struct fx *f)
{
	struct journal_entry e;
	assert_int_equal(journal_head(f->st, &e), CM_OK);
	return e.seq;
}
