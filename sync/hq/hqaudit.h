/* `coopmart-hq audit`: the exceptions audit (hqstore_audit.h) as text for
 * people and as JSON, for the command line (and the web console). Only
 * formatting: the figures come from hqstore_audit. */
#ifndef HQAUDIT_H
#define HQAUDIT_H

#include <stdio.h>

#include "hqstore_audit.h"

/* One block per person with any exception, metrics with counts and
 * rupiah, '!' after a flagged one. from/to: yyyymmdd for the heading. */
void hqaudit_text(const struct hq_audit *a, int32_t from, int32_t to, FILE *f);
/* {"from":..,"to":..,"flag_rule":{..},"people":[{"store","terminal","user_id","number",
 * "name","role","metrics":{NAME:{"count","rupiah","flagged"}}}]}; malloc'd,
 * NULL when out of memory. */
char *hqaudit_json(const struct hq_audit *a, int32_t from, int32_t to);

#endif
