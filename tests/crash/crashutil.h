/* Helpers shared by the crash and durability programs (header only: each
 * C file in tests/crash is its own program, built with unit/testutil.c).
 * Include after <cmocka.h>. */
#ifndef CRASHUTIL_H
#define CRASHUTIL_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/auth.h"
#include "engine/import.h"
#include "engine/sale.h"
#include "engine/shift.h"
#include "engine/till.h"

#define CU_PIN_ADMIN "246810"
#define CU_PIN_CASHIER "135790"
#define CU_PIN_SUPER "975310"
#define CU_ITEMS 30

/* A fixed clock for the whole program and its children (and the coopmart
 * commands it runs): every sale lands on one business date. */
#define CU_FAKE_TIME "1764385200" /* 2025-11-29 10:00 in Asia/Jakarta */
#define CU_FAKE_DATE 20251129

static inline const char *cu_sku(int i)
{
	static char buf[16];
	snprintf(buf, sizeof buf, "SKU-%02d", i);
	return buf;
}

/* Opens the store at db and a till on it; fails the test otherwise. */
static inline void cu_open(const char *db, struct store **st, struct till **t)
{
	char err[400];
	enum cm_rc rc = store_open(db, 0, 0, st, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("store_open %s: %s", db, err);
	rc = till_open(*st, t, err, sizeof err);
	if (rc != CM_OK)
		fail_msg("till_open: %s", err);
}

static inline void cu_close(struct store *st, struct till *t)
{
	if (t && till_user(t))
		auth_logout(t);
	till_free(t);
	store_close(st);
}

#define CU_CHECK(t, call) do { \
	enum cm_rc cu_rc_ = (call); \
	if (cu_rc_ != CM_OK) \
		fail_msg("%s: %s (%s)", #call, cm_rc_name(cu_rc_), till_errmsg(t)); \
} while (0)

/* A new store at db: settings, admin 1, cashier 101, supervisor 201 (the
 * Argon2 hashing is slow: done once per program) and CU_ITEMS items
 * SKU-00.. in the three tax classes. */
static inline void cu_make_store(const char *db)
{
	struct store *st;
	struct till *t;
	char err[400];
	if (store_open(db, STORE_CREATE, 0, &st, err, sizeof err) != CM_OK)
		fail_msg("creating %s: %s", db, err);
	if (till_open(st, &t, err, sizeof err) != CM_OK)
		fail_msg("till_open: %s", err);
	CU_CHECK(t, till_setting_set(t, SET_TERMINAL, "K01"));
	CU_CHECK(t, till_setting_set(t, SET_STORE_NAME, "Koperasi Uji Tahan Banting"));
	CU_CHECK(t, till_setting_set(t, SET_PKP, "1"));
	CU_CHECK(t, till_setting_set(t, SET_NPWP, "01.234.567.8-901.000"));
	CU_CHECK(t, auth_user_add(t, "1", "Bu Ani", ROLE_ADMIN, CU_PIN_ADMIN, NULL));
	CU_CHECK(t, auth_login(t, "1", CU_PIN_ADMIN));
	CU_CHECK(t, auth_user_add(t, "101", "Siti", ROLE_CASHIER, CU_PIN_CASHIER, NULL));
	CU_CHECK(t, auth_user_add(t, "201", "Budi", ROLE_SUPERVISOR, CU_PIN_SUPER, NULL));
	static const char *const cls[] = { "exempt", "standard", "luxury" };
	char csv[8192];
	size_t n = (size_t)snprintf(csv, sizeof csv, "sku,name,price,tax_class\n");
	for (int i = 0; i < CU_ITEMS; i++)
		n += (size_t)snprintf(csv + n, sizeof csv - n, "%s,Barang nomor %d,%d,%s\n",
		                      cu_sku(i), i, 1150 + i * 733, cls[i % 3]);
	struct import_report rep;
	enum cm_rc rc = import_items(t, csv, n, false, &rep);
	size_t created = rep.created;
	import_report_free(&rep);
	if (rc != CM_OK || created != CU_ITEMS)
		fail_msg("import: %s (%zu created)", till_errmsg(t), created);
	/* No sale without an open shift. */
	CU_CHECK(t, shift_open(t, 500000, NULL));
	cu_close(st, t);
}

/* Runs a shell command, its standard output (and error, with 2>&1 in cmd)
 * into a malloc'd string; *status gets the exit code (-1 when killed). */
static inline char *cu_run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		fail_msg("popen %s: %s", cmd, strerror(errno));
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (cap - n < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[n] = '\0';
	int ws = pclose(p);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	return buf;
}

/* One value from the sqlite3 command line tool (first line of output). */
static inline long long cu_sql_int(const char *db, const char *query)
{
	char cmd[4096];
	if (snprintf(cmd, sizeof cmd, "sqlite3 -batch -noheader '%s' \"%s\" 2>&1", db, query) >= (int)sizeof cmd)
		fail_msg("sqlite3 command too long: %s", query);
	int st;
	char *out = cu_run(cmd, &st);
	char *end;
	long long v = strtoll(out, &end, 10);
	if (st != 0 || end == out || (*end && *end != '\n'))
		fail_msg("sqlite3 %s: exit %d: %s", query, st, out);
	free(out);
	return v;
}

static inline char *cu_sql_text(const char *db, const char *query)
{
	char cmd[4096];
	if (snprintf(cmd, sizeof cmd, "sqlite3 -batch -noheader '%s' \"%s\" 2>&1", db, query) >= (int)sizeof cmd)
		fail_msg("sqlite3 command too long: %s", query);
	int st;
	char *out = cu_run(cmd, &st);
	if (st != 0)
		fail_msg("sqlite3 %s: exit %d: %s", query, st, out);
	return out;
}

/* The coopmart binary: $COOPMART, else the one built next to this test
 * program (build/tests/NAME -> build/coopmart). */
static inline const char *cu_coopmart(void)
{
	static char path[PATH_MAX + 16];
	const char *env = getenv("COOPMART");
	if (env && *env)
		return env;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		fail_msg("cannot find the coopmart binary: set COOPMART");
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(path, sizeof path, "%s/../coopmart", self);
	if (access(path, X_OK) != 0)
		fail_msg("cannot find the coopmart binary at %s: set COOPMART", path);
	return path;
}

#endif
