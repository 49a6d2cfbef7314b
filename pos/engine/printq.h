/* The print queue and the print worker.
 *
 * A printer failure never undoes a sale: sale_complete queues the receipt
 * (store/store_print.h) in the transaction that saves the sale, and the
 * queue is printed afterwards. Printing happens on the print worker, a
 * thread with its own store connection, so the till's poll loop never waits
 * on a printer; the worker tells the loop about changes through a pipe it
 * can poll (printq_fd). A job that fails stays queued with the reason and
 * is tried again when the printer is back (the worker reopens it, which is
 * also how an unplugged and replugged USB printer is picked up again).
 *
 * The printer is the store's "printer" setting (drivers/printer.h); unset,
 * receipts go as text to the spool file beside the database, as before
 * the drivers existed; "none" prints nothing. */
#ifndef PRINTQ_H
#define PRINTQ_H

#include <libusb.h>

#include "drivers/printer.h"
#include "engine/auth.h"
#include "engine/till.h"
#include "store/store_print.h"

/* Queues the receipt of sale_id inside the caller's transaction (the
 * sale's); kick opens the drawer after it (cash was paid and the drawer
 * hangs on the printer). Does nothing when the printer is "none". */
enum cm_rc printq_enqueue_sale(struct till *t, int64_t sale_id, bool cash);
/* Reprint on demand: queued again with the reprint banner, journaled
 * ("receipt_reprinted"); needs ACT_REPRINT. */
enum cm_rc printq_reprint(struct till *t, int64_t sale_id, const struct approval *ap);
/* Opens the drawer without a sale: needs ACT_NO_SALE (a cashier needs a
 * supervisor's approval), journaled ("no_sale"). CM_STATE when the store
 * has no drawer on a printer. */
enum cm_rc printq_no_sale(struct till *t, const struct approval *ap);
/* Queues a page of text (an X/Z report, a return receipt) as it is, in
 * its own transaction, after what it belongs to was saved; kick opens the
 * drawer after it (cash was paid out) when the drawer hangs on the
 * printer. Does nothing when the printer is "none". */
enum cm_rc printq_enqueue_text(struct till *t, const char *text, bool kick);
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

struct printq_status {
	enum printq_state state;
	int64_t waiting;           /* jobs not printed yet */
	int64_t printed;           /* jobs printed by the last pass */
	char detail[256];          /* technical reason (English), "" when none */
};

/* A printer kept open between passes. spool: the text spool file used when
 * the printer setting is unset. usb may be NULL (the device then makes and
 * owns a libusb context when the printer is usb:). Free with
 * printq_dev_free. */
struct printq_dev;
struct printq_dev *printq_dev_new(const char *spool, libusb_context *usb,
                                  const struct printer_opts *opts);
void printq_dev_free(struct printq_dev *d);

/* One pass: opens the printer if needed, asks its status, prints every
 * waiting job it can, asks again. Blocks for at most the printer's
 * timeouts per job: call it from the worker (or a command), not the till's
 * loop. CM_OK whatever the printer did (out says); an error only when the
 * store failed. */
enum cm_rc printq_pass(struct till *t, struct printq_dev *d, struct printq_status *out);

/* The bytes that print job j (malloc'd, caller frees): ESC/POS for the
 * profile, or the text receipt for the spool when text. NULL (message on
 * the till) when the sale cannot be loaded or out of memory. */
uint8_t *printq_render(struct till *t, const struct print_job *j, bool text, size_t *len);
/* The ESC/POS bytes of the receipt job printq_enqueue_sale queued for the
 * completed sale sale_id (store profile; the drawer kick when it was paid
 * in cash and the drawer hangs on the printer): what the printer got.
 * malloc'd; NULL with a message on the till. */
uint8_t *printq_render_sale(struct till *t, int64_t sale_id, size_t *len);

/* ---- the worker --------------------------------------------------------- */

struct printq;

/* Starts the worker on the database at db_path (its own connection). */
enum cm_rc printq_start(const char *db_path, libusb_context *usb, struct printq **out,
                        char *err, size_t errlen);
/* Readable when the status changed: then call printq_status. */
int printq_fd(const struct printq *q);
/* The latest status; empties the pipe. */
void printq_status(struct printq *q, struct printq_status *out);
/* A job was queued: print now instead of at the next retry. */
void printq_kick(struct printq *q);
/* Stops the worker (waits for a pass in progress, bounded by the
 * printer's timeouts) and frees q. */
void printq_stop(struct printq *q);

#endif
