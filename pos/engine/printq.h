/* The print queue.
 *
 * A printer failure never undoes a sale: sale_complete queues the receipt
 * (store/store_print.h) in the transaction that saves the sale, and the
 * queue is printed afterwards by the print worker (drivers/printwork.h), a
 * thread that runs this file's passes (printq_work_ops) with its own store
 * connection, so the till's poll loop never waits on a printer. A job that
 * fails stays queued with the reason and is tried again when the printer
 * is back (the port reopens it, which is also how an unplugged and
 * replugged USB printer is picked up again). The engine renders and hands
 * bytes to a port (drivers/printport.h, a table of function pointers); it
 * never opens a device itself.
 *
 * The cash drawer is never queued: it opens at the sale or not at all
 * (printq_open_drawer, PRINTQ_REQ_DRAWER), and the cashier is told when
 * it could not; a kick that waited for the printer would open the drawer
 * later at a counter nobody watches.
 *
 * The printer is the store's "printer" setting (drivers/printer.h); unset,
 * receipts go as text to the spool file beside the database, as before
 * the drivers existed; "none" prints nothing. */
#ifndef PRINTQ_H
#define PRINTQ_H

#include "drivers/printport.h"
#include "drivers/printwork.h"
#include "engine/auth.h"
#include "engine/till.h"
#include "store/store_print.h"

/* Queues the receipt of sale_id inside the caller's transaction (the
 * sale's). Does nothing when the printer is "none". */
enum cm_rc printq_enqueue_sale(struct till *t, int64_t sale_id);
/* The copy of a credit sale the member signs (a receipt job whose payload
 * is PRINTQ_MEMBER_COPY), queued after the receipt, in the same
 * transaction. */
#define PRINTQ_MEMBER_COPY "member_copy"
enum cm_rc printq_enqueue_member_copy(struct till *t, int64_t sale_id);
/* A cash drawer hangs on a printer (drawer setting, a printer set). */
bool printq_has_drawer(const struct till *t);
/* Reprint on demand: queued again with the reprint banner, journaled
 * ("receipt_reprinted"); needs ACT_REPRINT. */
enum cm_rc printq_reprint(struct till *t, int64_t sale_id, const struct approval *ap);
/* A drawer opening without a sale: needs ACT_NO_SALE (a cashier needs a
 * supervisor's approval), journaled ("no_sale"); then the caller asks the
 * worker to open it (PRINTQ_REQ_DRAWER). CM_STATE when the store has no
 * drawer on a printer. */
enum cm_rc printq_no_sale(struct till *t, const struct approval *ap);
/* Queues a page of text (an X/Z report, a return receipt) as it is, in
 * its own transaction, after what it belongs to was saved. Does nothing
 * when the printer is "none". */
enum cm_rc printq_enqueue_text(struct till *t, const char *text);
/* A line of such a text that starts with this mark prints as a CODE128
 * barcode of the rest of the line (as text on a printer without barcodes;
 * the text spool gets the text without the mark): an online order's pick
 * list carries its id so. */
#define PRINTQ_MARK_BARCODE '\x03'

/* Queues a test page: the profile's width ruler, the printer setting and
 * detail (e.g. its device id) as text lines. Own transaction. */
enum cm_rc printq_test_page(struct till *t, const char *detail, int64_t *job_id);

/* What the status bar says about the printer. */
enum printq_state {
	PRINTQ_READY,
	PRINTQ_PAPER_LOW,
	PRINTQ_PAPER_OUT,
	PRINTQ_COVER_OPEN,
	PRINTQ_ERROR,       /* the printer reports an error */
	PRINTQ_OFFLINE,     /* absent, unplugged, switched off, not answering */
	PRINTQ_NONE,        /* the printer setting is "none" */
};

/* How the last drawer opening asked of the worker went. */
enum printq_drawer { PRINTQ_DRAWER_NONE, PRINTQ_DRAWER_OPENED, PRINTQ_DRAWER_FAILED };

struct printq_status {
	enum printq_state state;
	int64_t waiting;           /* jobs not printed yet */
	int64_t printed;           /* jobs printed by the last pass */
	char detail[256];          /* technical reason (English), "" when none */
	bool drawer_open;          /* the drawer's switch reads open (DLE EOT 1) */
	uint32_t drawer_asks;      /* drawer openings asked so far: a new answer */
	enum printq_drawer drawer; /* the last one */
	char drawer_why[128];      /* why it failed (English) */
};

/* A printer kept open between passes, through port (ops its table; not
 * owned). spool: the text spool file used when the printer setting is
 * unset. Free with printq_dev_free. */
struct printq_dev;
struct printq_dev *printq_dev_new(const char *spool, const struct printport_ops *ops,
                                  struct printport *port);
void printq_dev_free(struct printq_dev *d);

/* One pass: opens the printer if needed, asks its status, prints every
 * waiting job it can, asks again. Blocks for at most the printer's
 * timeouts per job: call it from the worker (or a command), not the till's
 * loop. CM_OK whatever the printer did (out says); an error only when the
 * store failed. */
enum cm_rc printq_pass(struct till *t, struct printq_dev *d, struct printq_status *out);

/* Opens the drawer now: the printer opened and asked first; false, with
 * why (English, technical) when the printer cannot be reached or is not
 * ready this moment. Never queued, never retried. Blocks like a pass. */
bool printq_open_drawer(struct till *t, struct printq_dev *d, char *why, size_t whylen);

/* The bytes that print job j (malloc'd, caller frees): ESC/POS for the
 * profile, or the text receipt for the spool when text. NULL (message on
 * the till) when the sale cannot be loaded or out of memory. A job's kick
 * flag and queued drawer jobs from older versions print nothing. */
uint8_t *printq_render(struct till *t, const struct print_job *j, bool text, size_t *len);
/* The ESC/POS bytes of the receipt job printq_enqueue_sale queued for the
 * completed sale sale_id (store profile): what the printer got. malloc'd;
 * NULL with a message on the till. */
uint8_t *printq_render_sale(struct till *t, int64_t sale_id, size_t *len);

/* ---- the worker (drivers/printwork.h) ---------------------------------- */

/* Request bit for printwork_request: open the drawer now, or say why not. */
#define PRINTQ_REQ_DRAWER 1u

/* The worker's argument: the database at db_path (its own connection,
 * receipts spooled beside it) and the printer port (not owned; the
 * caller frees it after printwork_stop). The status is a struct
 * printq_status. */
struct printq_work;
struct printq_work *printq_work_new(const char *db_path, const struct printport_ops *ops,
                                    struct printport *port);
void printq_work_free(struct printq_work *w);
extern const struct printwork_ops printq_work_ops;

#endif
