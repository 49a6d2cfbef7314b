/* The HQ report: sales per store per day (count, total, rounding, due,
 * PPN per tax class, tenders with cash net of change), the stock of each
 * store folded from every terminal's movements, and the alerts. Used by
 * `coopmart-hq report` and GET /v1/report/sales (sales only). */
#ifndef HQREPORT_H
#define HQREPORT_H

#include <stdio.h>

#include "hqstore.h"

enum hqreport_part { REPORT_SALES = 1, REPORT_STOCK = 2, REPORT_ALERTS = 4, REPORT_ALL = 7 };

/* JSON text into *out (malloc'd, caller frees). from/to: yyyymmdd;
 * store: one store's figures, or NULL for every store's. */
enum cm_rc hqreport_json(struct hqstore *st, const char *store, int32_t from, int32_t to,
                         int parts, char **out);
/* The same as plain text for people. */
enum cm_rc hqreport_text(struct hqstore *st, int32_t from, int32_t to, int parts, FILE *f);
/* Alerts only, one line each (and a line for how often and who
 * acknowledged it); all: acknowledged ones too, else only the open. */
enum cm_rc hqreport_alerts(struct hqstore *st, FILE *f, bool all, size_t *count);

#endif
