/* A prepared store for the engine tests.
 *
 * Users are expensive (Argon2id per PIN), so each test program builds one
 * template database in its group setup (fx_template_build) and every test
 * starts from a copy of it (fx_new). Include "fixture.c" once from the test
 * program: tests/CMakeLists.txt compiles each test_*.c with testutil.c only.
 *
 * The template, in terminal T01 with the clock frozen at fx->now:
 *   settings  store_name "Koperasi Uji", pkp 1, npwp, round step 100,
 *             cash ceiling 10.000.000, discount limit 10%, lockout 5
 *   users     100 admin, 200 and 201 supervisors, 300 and 301 cashiers;
 *             the PIN of each is fx_pin(number)
 *   members   M001 Budi (card MC0001, active), M002 Joko (card MC0002,
 *             blocked)
 *   items     see FX_* below
 *   shift     one open, float FX_FLOAT, opened by 100 (the gate lets
 *             sales through)
 * Nobody is logged in when a test starts. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include "core/chain.h"
#include "engine/auth.h"
#include "engine/history.h"
#include "engine/import.h"
#include "engine/sale.h"
#include "engine/shift.h"
#include "engine/till.h"
#include "store/store.h"

/* 2025-03-10 10:00 WIB (UTC+7) and 2024-03-10 10:00 WIB. */
#define FX_T2025 INT64_C(1741575600)
#define FX_T2024 INT64_C(1710039600)

/* Catalogue of the template: SKU, barcode. */
#define FX_MIE       "IND-001"  /* Indomie Goreng 3.500, member 3.200, standard */
#define FX_MIE_EAN   "8998866200578"
#define FX_SOTO      "IND-002"  /* Indomie Soto 3.400, standard */
#define FX_SOTO_EAN  "8991000000010"
#define FX_MINYAK    "MIN-001"  /* Minyak Goreng 2L 36.000, standard */
#define FX_MINYAK_EAN "8991000000027"
#define FX_BERAS     "BER-005"  /* Beras Premium 5kg 75.000, exempt */
#define FX_BERAS_EAN "8991000000034"
#define FX_RICE      "RCK-001"  /* Rice Cooker 111.000, standard */
#define FX_RICE_EAN  "8991000000041"
#define FX_PARFUM    "PRF-001"  /* Parfum 240.000, luxury */
#define FX_PARFUM_EAN "8991000000058"
#define FX_R450      "RND-450"  /* Teh Kotak 12.450, exempt */
#define FX_R451      "RND-451"  /* Teh Botol 12.451, exempt */
#define FX_COLA      "COL-330"  /* Cola 330ml 7.000, UPC-A */
#define FX_COLA_UPC  "049000006346"
#define FX_COLA_EAN  "0049000006346"
#define FX_APEL      "APL-KG"   /* Apel Fuji, weighed, 40.000/kg, PLU 123, exempt */
#define FX_APEL_PLU  123
#define FX_DAGING    "DAG-KG"   /* Daging Sapi, weighed, 130.000/kg, PLU 456, exempt */
#define FX_DAGING_PLU 456
#define FX_OLD       "OLD-001"  /* inactive */
#define FX_OLD_EAN   "8991000000065"

struct fx {
	char dir[1024];
	char path[1200];
	struct store *st;
	struct till *t;
	int64_t now;
};

/* Builds the template database once per program (cmocka group setup). */
int fx_template_build(void **state);
int fx_template_drop(void **state);

/* A copy of the template in a fresh directory, opened, clock at FX_T2025. */
struct fx *fx_new(const char *name);
void fx_free(struct fx *f);
/* Closes till and store (as a crash or restart would) and opens them again.
 * Nobody is logged in afterwards. */
void fx_reopen(struct fx *f);
void fx_close(struct fx *f);
void fx_open(struct fx *f);

#define FX_FLOAT 500000

/* Opens a shift with float_amount as the user logged in on t; asserts. */
void fx_shift_open_as(struct till *t, cm_money float_amount);

/* The PIN of a template user. */
const char *fx_pin(const char *number);
/* auth_login with the user's PIN; asserts CM_OK. */
void fx_login(struct fx *f, const char *number);
/* Approval of act by number (with its PIN); asserts CM_OK. */
struct approval fx_approve(struct fx *f, enum action act, const char *number);
/* Writes a setting straight into the store and reloads the till (tests
 * only; the real path is till_setting_set). */
void fx_set(struct fx *f, const char *key, const char *value);
int64_t fx_item_id(struct fx *f, const char *sku);

/* Journal helpers. */
int fx_count_type(struct fx *f, const char *type);
/* The payload of the last event of type, malloc'd; NULL when none. */
char *fx_last_payload(struct fx *f, const char *type);
int64_t fx_head_seq(struct fx *f);

/* Runs SQL on the database file with a separate raw connection (the store
 * should be closed). Returns the sqlite3 result code. */
int fx_sql(const char *path, const char *sql);
/* Copies a file; 0 on success. */
int fx_copy(const char *from, const char *to);

#endif
