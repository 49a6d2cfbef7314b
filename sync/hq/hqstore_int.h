/* Inside hqstore: what the per-domain files share. */
#ifndef HQSTORE_INT_H
#define HQSTORE_INT_H

#include "db.h"
#include "hqstore.h"

/* The calling thread's connection, opened on first use; NULL (message in
 * hqstore_errmsg) when it cannot be opened. */
struct db *hq_db(struct hqstore *st);
int64_t hq_now(void);

#endif
