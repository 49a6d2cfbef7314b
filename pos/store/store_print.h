/* The print queue (schema/store/008_print_queue.sql): receipts and drawer
 * openings waiting for the printer. Enqueueing runs in the caller's
 * transaction (the sale's own, so a completed sale always has its receipt
 * queued); marking a job printed or failed runs its own transaction. The
 * message for a person is in store_errmsg(). */
#ifndef STORE_PRINT_H
#define STORE_PRINT_H

#include "store/store.h"

enum print_kind { PRINT_RECEIPT, PRINT_REPORT, PRINT_TEST, PRINT_DRAWER };

struct print_job {
	int64_t id;
	enum print_kind kind;
	int64_t sale_id;        /* receipts; 0 otherwise */
	bool reprint;
	bool kick;              /* open the drawer after printing */
	char *payload;          /* test and report pages (malloc'd), or NULL */
	int64_t created_at;
	int attempts;
	char last_error[256];
};

/* Adds j (its id is set on success). Inside the caller's transaction. */
enum cm_rc store_print_enqueue(struct store *st, struct print_job *j);
/* The oldest waiting job after after_id (0 = from the start); CM_NOTFOUND
 * when none. out->payload is malloc'd: free with store_print_job_free. */
enum cm_rc store_print_next(struct store *st, int64_t after_id, struct print_job *out);
void store_print_job_free(struct print_job *j);
/* Marks a job printed, or records a failed try (attempts + 1, reason).
 * Each runs its own durable transaction. */
enum cm_rc store_print_done(struct store *st, int64_t id, int64_t now);
enum cm_rc store_print_failed(struct store *st, int64_t id, const char *reason, int64_t now);
/* Jobs waiting. */
enum cm_rc store_print_waiting(struct store *st, int64_t *n);

#endif
