/* The demo store: a realistic Indonesian coop-mart to try the till on.
 *
 * About 2,000 grocery items (rice, cooking oil, sugar, instant noodles,
 * sachet coffee, soap, cigarettes ...) with valid EAN-13 barcodes, tax-exempt
 * staples, weighed fresh goods with scale PLUs and the label format
 * 20 PPIIIIIWWWWWC, three members, and these users:
 *   cashier 101 PIN 111111, supervisor 201 PIN 222222, admin 1 PIN 999999.
 * The database is marked with the setting demo=1; the till opens a file as
 * the demo only when it carries that mark, so a real store is never used. */
#ifndef DEMO_H
#define DEMO_H

#include "core/cm.h"

#define DEMO_CASHIER "101"
#define DEMO_CASHIER_PIN "111111"
#define DEMO_SUPERVISOR "201"
#define DEMO_SUPERVISOR_PIN "222222"
#define DEMO_ADMIN "1"
#define DEMO_ADMIN_PIN "999999"

/* The catalogue as CSV text (core/itemcsv.h format), n items, deterministic.
 * Caller frees. */
char *demo_catalogue_csv(size_t n, size_t *len);

/* Creates the demo store at path (which must not exist). */
enum cm_rc demo_create(const char *path, size_t items, char *err, size_t errlen);

/* CM_OK when path is a demo store; CM_NOTFOUND when it does not exist;
 * CM_DENIED when it exists and is not a demo store. */
enum cm_rc demo_check(const char *path, char *err, size_t errlen);

#endif
