/* Big catalogue changes built beside the live catalogue and switched in
 * with one short transaction, so that the till never waits for them
 * (schema/store/012_catalogue_build.sql, store_catgen.c).
 *
 * The change to build is a run of staged catalogue rows
 * (catalogue_staging, the same rows a pull stages). Functions run their
 * own transactions: many short ones, then one short switch. */
#ifndef STORE_CATGEN_H
#define STORE_CATGEN_H

#include "store/store.h"

struct catgen_result {
	int64_t upserted;             /* items inserted or updated */
	int64_t deleted;              /* made inactive */
};

/* Runs inside the switch's transaction, after the new catalogue is in
 * place: records what the change was (version, journal event, the end of
 * the pull). A failure rolls the switch back. */
typedef enum cm_rc (*store_catgen_finish_fn)(struct store *st, const struct catgen_result *r,
                                             void *ctx);

/* Builds the catalogue that the staged rows of upto make (in the order of
 * their n) and switches it in; the build resumes where it stopped when a
 * build of the same upto is under way. CM_STATE with nothing changed when
 * the live tables cannot be switched by renaming (a named index on items
 * or barcodes, made by a later migration): the caller then applies in one
 * transaction. Progress goes to the handle's progress function. */
enum cm_rc store_catgen_apply(struct store *st, int64_t upto, store_catgen_finish_fn finish,
                              void *ctx, struct catgen_result *out);

/* Removes what an earlier build left (tables of a build that is not under
 * way any more, the previous catalogue after a switch) and staged rows
 * that no pull or build owns, a short transaction at a time. */
enum cm_rc store_catgen_clean(struct store *st);

/* ---- a big local import: staged, then built beside the live catalogue ---- */

/* The staging's upto of a local import (store_sync_stage_item with it). */
#define STORE_IMPORT_UPTO (-1)

/* Forgets what an earlier import left (its staged rows, its build).
 * Outside a transaction. */
enum cm_rc store_import_begin(struct store *st);
/* Drops the staged rows (after the switch, or when the import gives up). */
void store_import_end(struct store *st);

/* ---- ... or written straight into the build: every row written once ---- */

struct catgen;
/* Starts a build of a local import, empty: the file's rows go in first
 * (a live item's with its id), the live items no row named are copied at
 * the finish. Outside a transaction; foreign keys stay off on this
 * connection until the build ends (finish or abort). */
enum cm_rc store_catgen_direct_begin(struct store *st, struct catgen **out);
/* CM_CONFLICT when an earlier line of the file put the row's SKU
 * (*which 0), its barcode codes[*which - 1] or its scale PLU (*which
 * STORE_CATGEN_PLU): *first_line is that line. Inside the caller's
 * transaction; nothing written. */
#define STORE_CATGEN_PLU 99
enum cm_rc store_catgen_direct_check(struct catgen *g, const struct item_rec *it,
                                     const char (*codes)[16], size_t n, size_t *which,
                                     size_t *first_line);
/* Whether the build began on no items: then no row clashes with the
 * live catalogue (which the caller need not look up). */
bool store_catgen_direct_empty(const struct catgen *g);
/* Whether the checked row's barcodes are the very ones its live item has
 * (a price list's rows): none of them can be another item's. */
bool store_catgen_direct_own_codes(const struct catgen *g);
/* Remembers the keys of a line the caller refused after checking it: a
 * later line repeating them is a repeat of this line. */
enum cm_rc store_catgen_direct_refuse(struct catgen *g, const struct item_rec *it,
                                      const char (*codes)[16], size_t n, size_t line);
/* Writes the row of the file's line into the build as staging and
 * applying it would, inside the caller's (relaxed) transaction; when the
 * step's share of the write lock is over it commits, pauses for the till
 * and begins anew. The caller has refused rows whose barcode another
 * item has and checked the row (store_catgen_direct_check, done here
 * when not: CM_CONFLICT). *created tells a new item. */
enum cm_rc store_catgen_direct_put(struct catgen *g, const struct item_rec *it,
                                   const char (*codes)[16], size_t n, size_t line,
                                   bool *created);
/* Records the build's progress inside the caller's transaction (a build
 * seen moving is not taken over). */
enum cm_rc store_catgen_direct_mark(struct catgen *g);
/* Copies the live items no row named (with their barcodes, a short
 * transaction at a time), indexes, switches in (finish as in
 * store_catgen_apply) and ends the build. CM_CONFLICT, nothing changed:
 * the live catalogue changed since the build began. */
enum cm_rc store_catgen_direct_finish(struct catgen *g, store_catgen_finish_fn finish,
                                      void *ctx, struct catgen_result *out);
/* Drops an unfinished build (the import gave up). */
void store_catgen_direct_abort(struct catgen *g);

/* ---- a big pull: its pages written straight into the build ---- */

/* Whether a build of the pull up to upto, written straight from its
 * pages, is under way (a killed run's, to carry on). */
enum cm_rc store_catgen_pull_found(struct store *st, int64_t upto, bool *found);
/* Carries on with that build, or starts one (another pull's build is
 * dropped: one agent runs at a time) and copies the live catalogue, a
 * short transaction at a time. *skip: the rows of the page being written
 * (the first page while no sync_pull row is, else the one at its next)
 * that are in the build already. Outside a transaction; CM_BUSY: an
 * import is building. */
enum cm_rc store_catgen_pull_begin(struct store *st, int64_t upto, struct catgen **out,
                                   int64_t *skip);
/* A pulled row into the build as staging and applying it would (a
 * barcode or PLU another item held moves to it), inside the caller's
 * relaxed transaction. */
enum cm_rc store_catgen_pull_put(struct catgen *g, const struct item_rec *it,
                                 const char (*codes)[16], size_t n);
/* A SKU deleted at HQ: the item made inactive in the build. */
enum cm_rc store_catgen_pull_delete(struct catgen *g, const char *sku);
/* After a row: when the step's share of the write lock is over, records
 * page_rows (rows of the page in the build), commits, pauses for the
 * till and begins a relaxed transaction anew. */
enum cm_rc store_catgen_pull_step(struct catgen *g, int64_t page_rows);
/* Records page_rows in the caller's transaction (0 with the cursor of
 * the next page, when a page is whole). */
enum cm_rc store_catgen_pull_mark(struct catgen *g, int64_t page_rows);
/* Whether the step under way has time left: a page that ends then and
 * finds the next one at hand goes on into it in the same transaction. */
bool store_catgen_pull_more(const struct catgen *g);
/* Commits the caller's transaction (the step's last page) and pauses for
 * the till as after every step. */
enum cm_rc store_catgen_pull_commit(struct catgen *g);
/* Indexes, switches in (finish as in store_catgen_apply) and ends the
 * handle. CM_CONFLICT: the live catalogue changed since the copy; the
 * build and the pull's state (sync_pull) are dropped together, to pull
 * again. Another failure keeps the build for the next run. */
enum cm_rc store_catgen_pull_finish(struct catgen *g, store_catgen_finish_fn finish, void *ctx,
                                    struct catgen_result *out);
/* Ends the handle, keeping the build for the next run. */
void store_catgen_pull_abort(struct catgen *g);

#endif
