/* Pull: catalogue, then members, as versioned deltas from HQ (PROTOCOL.md,
 * GET /v1/catalogue and /v1/members), then purchase orders (/v1/orders).
 *
 * Page by page: each page is decoded, staged in the database with the
 * cursor of the next one (one transaction), and freed, so memory stays the
 * size of one page whatever the catalogue's size. Only when the last page
 * is staged does store_sync_apply change the catalogue, in one transaction.
 * A pull cut short leaves the old catalogue in force; the next run asks
 * again from the same version, and when HQ names the same upto it carries
 * on after the last staged page.
 *
 * A big catalogue pull (its first page full, more to come: over
 * PAGE_LIMIT rows, e.g. a first pull) is not staged: each page is written
 * straight into a new catalogue built beside the live one
 * (store_catgen_pull_*), each row once, in short steps that record with
 * their rows how far the page is written (and, with a page's last rows,
 * the cursor of the next page), then indexed and switched in. The till
 * sees the old catalogue or the new, never a mix; a killed pull carries
 * on where its last step ended. */
#include "sync/agent/agent.h"
#include "sync/agent/backoff.h"
#include "sync/agent/pull_cursor.h"
#include "sync/proto.h"
#include "core/progress.h"
#include "store/store_catgen.h"
#include "store/store_shop.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_LIMIT 1000

struct kind_info {
	const char *name;         /* for messages */
	const char *path;
	const char *etag_prefix;  /* If-None-Match on the first page; NULL: none */
};

static const struct kind_info kinds[] = {
	[SYNC_CATALOGUE] = { "catalogue", "/v1/catalogue", "cat-" },
	[SYNC_MEMBERS] = { "members", "/v1/members", NULL },
};

struct pull {
	struct agent *ag;
	enum sync_kind kind;
	struct sync_pull state;   /* since, upto, next cursor, rows staged */
	struct progress pr;       /* on a terminal: rows, rate, time left */
	struct catgen *g;         /* a big pull: the build its pages go into */
	int64_t skip;             /* rows of the next page in it already */
	bool open;                /* a big pull: the step's transaction goes on into
	                           * the next page (write_page) */
};

/* The store's long steps (a big catalogue built beside the live one)
 * report through here. */
static void store_progress(const char *what, int64_t done, int64_t total, void *ctx)
{
	progress_update(ctx, _(what), done, total);
}

/* Items of a page staged per transaction: a page of 1,000 in one held the
 * till's write lock 100 ms and more on a busy machine. A page of 1,000
 * members in one took 5-30 ms at load 3-4, and up to 130 ms with its
 * commit (tests/bench/bench_members_till.sh): any transaction of a page
 * ends after STAGE_MS too. A kill between two of them stages the page's first
 * rows twice (the cursor moves only with the last), which applies the
 * same values twice: harmless. */
#define STAGE_ROWS 200
#define STAGE_MS 10

/* Between two transactions of a page (row i next, a transaction every
 * rows rows at most; *deadline: when the one under way is to end):
 * commits and begins again. */
static enum cm_rc stage_break(struct store *st, size_t i, size_t rows, int64_t *deadline)
{
	if (i == 0 || (i % rows && cm_mono_ms() < *deadline))
		return CM_OK;
	enum cm_rc rc = store_commit(st);
	if (rc == CM_OK)
		rc = store_begin_relaxed(st);
	*deadline = cm_mono_ms() + STAGE_MS;
	return rc;
}

/* Stages one decoded page and records the cursor after it (with its last
 * rows). fresh: forget any earlier staging first. The staging is scratch
 * until the apply: its commits do not wait for the disk (a power cut
 * loses the last rows staged and their cursor together; the till's next
 * sale makes them durable anyway), and a commit's fsync held the till's
 * write lock 10-130 ms on a loaded machine. */
static enum agent_exit stage(struct pull *p, const struct proto_page *pg, bool fresh)
{
	struct store *st = p->ag->st;
	enum cm_rc rc = store_begin_relaxed(st);
	int64_t deadline = cm_mono_ms() + STAGE_MS;
	if (rc == CM_OK && fresh)
		rc = store_sync_stage_reset(st, p->kind);
	for (size_t i = 0; rc == CM_OK && i < pg->nitems; i++) {
		const struct proto_item *it = &pg->items[i];
		rc = stage_break(st, i, STAGE_ROWS, &deadline);
		if (rc == CM_OK)
			rc = store_sync_stage_item(st, p->state.upto, &it->item,
			                           (const char (*)[16])it->barcodes, it->nbarcodes,
			                           it->version);
	}
	for (size_t i = 0; rc == CM_OK && i < pg->nmembers; i++) {
		struct proto_member *pm = &pg->members[i];
		rc = stage_break(st, i, SIZE_MAX, &deadline);
		if (rc != CM_OK)
			break;
		if (pg->has_dues) {
			pm->m.hq.month = pg->month;
			pm->m.hq.seq = pg->acked_seq;
		}
		rc = store_sync_stage_member(st, p->state.upto, &pm->m, pm->owed, pm->nowed,
		                             pm->version);
	}
	if (rc == CM_OK && pg->has_dues)
		rc = store_sync_stage_dues(st, p->state.upto, pg->inactive_after, pg->rates,
		                           pg->nrates);
	for (size_t i = 0; rc == CM_OK && i < pg->ndeleted; i++)
		rc = store_sync_stage_deleted(st, p->kind, p->state.upto, pg->deleted[i]);
	p->state.rows += (int64_t)(pg->nitems + pg->nmembers + pg->ndeleted);
	snprintf(p->state.next, sizeof p->state.next, "%s", pg->next);
	if (rc == CM_OK)
		rc = store_sync_stage_page(st, p->kind, &p->state);
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		store_rollback(st);
		return agent_store_fail(p->ag, _("staging a page"));
	}
	store_checkpoint(st);   /* not in the till's next sale */
	return AX_OK;
}

/* A big pull: a page's rows written straight into the build, after the
 * first skip (there already: a killed run wrote them), in relaxed steps
 * that each record how far the page is written; the page's last step
 * records the cursor of the next page too. The build is scratch until
 * the switch: a power cut loses steps, rows and cursor together.
 * next_ready: the next page is decoded already; if the step has time
 * left it goes on into that page (p->open) instead of committing here:
 * a page took one step of its own, each with a commit and a pause for
 * the till, though it needs a third of a step's time. */
static enum agent_exit write_page(struct pull *p, const struct proto_page *pg, int64_t skip,
                                  bool next_ready)
{
	struct store *st = p->ag->st;
	size_t nrows = pg->nitems + pg->ndeleted;
	enum cm_rc rc = p->open ? CM_OK : store_begin_relaxed(st);
	p->open = false;
	for (size_t i = (size_t)skip; rc == CM_OK && i < nrows; i++) {
		if (i < pg->nitems) {
			const struct proto_item *it = &pg->items[i];
			rc = store_catgen_pull_put(p->g, &it->item, (const char (*)[16])it->barcodes,
			                           it->nbarcodes);
		} else {
			rc = store_catgen_pull_delete(p->g, pg->deleted[i - pg->nitems]);
		}
		if (rc == CM_OK && i + 1 < nrows)
			rc = store_catgen_pull_step(p->g, (int64_t)(i + 1));
	}
	p->state.rows += (int64_t)nrows;
	snprintf(p->state.next, sizeof p->state.next, "%s", pg->next);
	if (rc == CM_OK)
		rc = store_catgen_pull_mark(p->g, 0);
	if (rc == CM_OK)
		rc = store_sync_stage_page(st, p->kind, &p->state);
	if (rc == CM_OK && next_ready && store_catgen_pull_more(p->g)) {
		p->open = true;
		return AX_OK;
	}
	if (rc == CM_OK)
		rc = store_catgen_pull_commit(p->g);
	if (rc != CM_OK) {
		store_rollback(st);
		return agent_store_fail(p->ag, _("writing a page into the new catalogue"));
	}
	return AX_OK;
}

/* A big pull's first page: the staging of an earlier pull forgotten, the
 * build begun (the live catalogue copied), the page written. */
static enum agent_exit direct_start(struct pull *p, const struct proto_page *pg)
{
	struct store *st = p->ag->st;
	int64_t skip;
	enum cm_rc rc = store_begin(st);
	if (rc == CM_OK)
		rc = store_sync_stage_reset(st, p->kind);
	if (rc == CM_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc == CM_OK)
		rc = store_catgen_pull_begin(st, pg->upto, &p->g, &skip);
	if (rc != CM_OK)
		return agent_store_fail(p->ag, _("applying the pull"));
	agent_log(_("%s: version %lld is written straight into a new catalogue"),
	          kinds[p->kind].name, (long long)pg->upto);
	return write_page(p, pg, skip, false);
}

/* Whether a first page starts a big pull (see the top of the file). */
static bool big_pull(const struct pull *p, const struct proto_page *pg)
{
	return p->kind == SYNC_CATALOGUE && pg->nitems + pg->ndeleted >= PAGE_LIMIT && pg->next[0];
}

/* One page's request and decoding, the part that touches neither the
 * database nor anything shared: it may run on a thread of its own while
 * the page before it is staged (fetching ahead). It works on a copy of
 * the agent (its own message buffer) and owns the HTTP handle until the
 * answer is in (heard). The cursor of the page after it, read from the
 * answer's end before the decoding, lets that page's request start
 * meanwhile: HQ renders it while this one is decoded and the one before
 * written. */
struct fetch {
	struct agent ag;
	char path[512];
	char etag[64];            /* "" = no If-None-Match */
	bool got;                 /* agent_request returned an answer in r */
	long status;              /* its HTTP status (r is freed once decoded) */
	enum agent_exit ax;       /* otherwise why not */
	struct http_response r;
	char early[80];           /* a 200 answer's "next", read from its end ("": none) */
	enum cm_rc rc;            /* decoding a 200 answer */
	char why[300];
	struct proto_page pg;
	bool sync;                /* on a thread: heard and decoded under mu, heard
	                           * signalled by cv */
	bool heard;               /* the answer is in; the handle is free */
	bool decoded;             /* and fetch_run is over */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static enum agent_exit fetch_prepare(struct pull *p, bool first, const char *cursor,
                                     struct fetch *f)
{
	const struct kind_info *k = &kinds[p->kind];
	memset(f, 0, sizeof *f);
	f->ag = *p->ag;
	if (first) {
		snprintf(f->path, sizeof f->path, "%s?since=%lld&limit=%d", k->path,
		         (long long)p->state.since, PAGE_LIMIT);
		if (k->etag_prefix)
			snprintf(f->etag, sizeof f->etag, "\"%s%lld\"", k->etag_prefix,
			         (long long)p->state.since);
		return AX_OK;
	}
	char *after = http_escape(p->ag->http, cursor);
	if (!after) {
		snprintf(p->ag->msg, sizeof p->ag->msg, _("out of memory"));
		return AX_LOCAL;
	}
	snprintf(f->path, sizeof f->path, "%s?since=%lld&upto=%lld&after=%s&limit=%d", k->path,
	         (long long)p->state.since, (long long)p->state.upto, after, PAGE_LIMIT);
	free(after);
	return AX_OK;
}

static void fetch_run(struct fetch *f)
{
	f->got = agent_request(&f->ag, f->path, f->etag[0] ? f->etag : NULL, NULL, 0, &f->r, &f->ax);
	f->status = f->got ? f->r.status : 0;
	if (f->got && f->status == 200)
		pull_cursor_guess(f->r.body, f->r.len, f->early, sizeof f->early);
	if (f->sync) {
		pthread_mutex_lock(&f->mu);
		f->heard = true;
		pthread_cond_signal(&f->cv);
		pthread_mutex_unlock(&f->mu);
	}
	if (f->got && f->status == 200) {
		f->rc = proto_page_decode(f->r.body, f->r.len, &f->pg, f->why, sizeof f->why);
		http_response_free(&f->r);
	}
	if (f->sync) {
		pthread_mutex_lock(&f->mu);
		f->decoded = true;
		pthread_mutex_unlock(&f->mu);
	}
}

/* Waits until a fetch on a thread has its answer (it may still decode). */
static void fetch_heard(struct fetch *f)
{
	pthread_mutex_lock(&f->mu);
	while (!f->heard)
		pthread_cond_wait(&f->cv, &f->mu);
	pthread_mutex_unlock(&f->mu);
}

/* A finished fetch's answer that is not wanted. */
static void fetch_discard(struct fetch *f)
{
	if (f->got && f->status == 200)
		proto_page_free(&f->pg);
	else if (f->got)
		http_response_free(&f->r);
}

static void *fetch_thread(void *arg)
{
	fetch_run(arg);
	return NULL;
}

/* Back on the agent's thread: what the answer means (alerts are recorded
 * here, in the database). *pg is the caller's on AX_OK. */
static enum agent_exit fetch_finish(struct pull *p, struct fetch *f, struct proto_page *pg,
                                    bool *not_modified)
{
	const struct kind_info *k = &kinds[p->kind];
	char why[300];
	memset(pg, 0, sizeof *pg);
	*not_modified = false;
	if (!f->got) {
		snprintf(p->ag->msg, sizeof p->ag->msg, "%s", f->ag.msg);
		return f->ax;
	}
	if (f->status == 304) {
		*not_modified = true;
		http_response_free(&f->r);
		return AX_OK;
	}
	if (f->status != 200) {
		snprintf(why, sizeof why, _("the %s pull"), k->name);
		enum agent_exit ax = agent_refused(p->ag, why, &f->r);
		http_response_free(&f->r);
		return ax;
	}
	enum cm_rc rc = f->rc;
	if (rc == CM_OK && (p->kind == SYNC_CATALOGUE ? f->pg.nmembers != 0 || !f->pg.items
	                                             : f->pg.nitems != 0 || !f->pg.members)) {
		snprintf(f->why, sizeof f->why, "a %s page holds the wrong kind of rows", k->name);
		rc = CM_INVALID;
	}
	if (rc != CM_OK) {
		proto_page_free(&f->pg);
		return agent_alert(p->ag, "bad_answer", _("HQ's %s page: %s"), k->name, f->why);
	}
	*pg = f->pg;
	return AX_OK;
}

/* GETs one page into pg, here and now. *not_modified: HQ answered 304. */
static enum agent_exit get_page(struct pull *p, bool first, struct proto_page *pg,
                                bool *not_modified)
{
	struct fetch f;
	enum agent_exit ax = fetch_prepare(p, first, p->state.next, &f);
	if (ax != AX_OK)
		return ax;
	fetch_run(&f);
	return fetch_finish(p, &f, pg, not_modified);
}

/* A page fetched while the one before it is decoded and staged. */
struct ahead {
	struct fetch f;
	pthread_t th;
	bool threaded;            /* th runs it; else it runs at join */
	bool started;
};

static enum agent_exit ahead_start(struct pull *p, const char *cursor, struct ahead *a)
{
	a->started = false;
	enum agent_exit ax = fetch_prepare(p, false, cursor, &a->f);
	if (ax != AX_OK)
		return ax;
	a->f.sync = pthread_mutex_init(&a->f.mu, NULL) == 0;
	if (a->f.sync && pthread_cond_init(&a->f.cv, NULL) != 0) {
		pthread_mutex_destroy(&a->f.mu);
		a->f.sync = false;
	}
	a->threaded = a->f.sync && pthread_create(&a->th, NULL, fetch_thread, &a->f) == 0;
	if (a->f.sync && !a->threaded) {
		pthread_cond_destroy(&a->f.cv);
		pthread_mutex_destroy(&a->f.mu);
		a->f.sync = false;
	}
	a->started = true;
	return AX_OK;
}

/* Whether a big pull's fetch ahead is over with a page that will be
 * written: taking it neither waits nor records an alert (which needs the
 * database outside the pull's transaction). */
static bool ahead_ready(const struct pull *p, struct ahead *a)
{
	if (!p->g || !a->started || !a->threaded)
		return false;
	pthread_mutex_lock(&a->f.mu);
	bool over = a->f.decoded;
	pthread_mutex_unlock(&a->f.mu);
	const struct proto_page *pg = &a->f.pg;
	return over && a->f.got && a->f.status == 200 && a->f.rc == CM_OK && pg->items &&
	       !pg->nmembers && pg->upto == p->state.upto;
}

/* Joins the thread of a fetch. */
static void ahead_end(struct ahead *a)
{
	pthread_join(a->th, NULL);
	pthread_cond_destroy(&a->f.cv);
	pthread_mutex_destroy(&a->f.mu);
	a->f.sync = false;
}

/* A fetch under way that is no longer wanted (the pull stops, or it was
 * started for a cursor the page did not name). */
static void ahead_drop(struct ahead *a)
{
	if (!a->started)
		return;
	a->started = false;
	if (!a->threaded)
		return;           /* it never ran */
	ahead_end(a);
	fetch_discard(&a->f);
}

/* The page a fetches (started, or fetched here when it is not), decoded
 * into pg. As soon as its answer is in, the request of the page after it
 * starts in b, when the answer's end names it (dropped when the decoded
 * page names another cursor). */
static enum agent_exit take_page(struct pull *p, struct ahead *a, struct ahead *b,
                                 struct proto_page *pg, bool *not_modified)
{
	bool threaded = a->started && a->threaded;
	if (threaded)
		fetch_heard(&a->f);
	else
		fetch_run(&a->f);
	a->started = false;
	enum agent_exit ax = a->f.early[0] ? ahead_start(p, a->f.early, b) : AX_OK;
	if (threaded)
		ahead_end(a);
	if (ax != AX_OK) {
		fetch_discard(&a->f);
		return ax;
	}
	ax = fetch_finish(p, &a->f, pg, not_modified);
	if (ax != AX_OK || strcmp(pg->next, a->f.early) != 0)
		ahead_drop(b);
	return ax;
}

/* The first page: either a fresh start or, when an unfinished pull of the
 * same since/upto is staged, a jump to where it stopped. *done: nothing to
 * pull at all. */
static enum agent_exit first_page(struct pull *p, bool *done)
{
	struct proto_page pg;
	struct sync_pull staged;
	bool not_modified;
	*done = false;
	enum agent_exit ax = get_page(p, true, &pg, &not_modified);
	if (ax != AX_OK)
		return ax;
	if (not_modified || (pg.upto <= p->state.since && !pg.nitems && !pg.nmembers &&
	                     !pg.ndeleted)) {
		proto_page_free(&pg);
		*done = true;
		return AX_OK;
	}
	p->state.upto = pg.upto;
	struct store *st = p->ag->st;
	bool direct = false, same;
	int64_t nstaged = 0;
	enum cm_rc rc = store_sync_pull_get(st, p->kind, &staged);
	same = rc == CM_OK && staged.since == p->state.since && staged.upto == pg.upto;
	if ((rc == CM_OK || rc == CM_NOTFOUND) && p->kind == SYNC_CATALOGUE)
		rc = store_catgen_pull_found(st, pg.upto, &direct);
	/* Staged rows that are gone (a build of another change took them)
	 * cannot be carried on with. */
	if (rc == CM_OK && same && !direct && p->kind == SYNC_CATALOGUE &&
	    (rc = store_sync_staged_rows(st, pg.upto, &nstaged)) == CM_OK && nstaged < staged.rows)
		same = false;
	if (rc != CM_OK && rc != CM_NOTFOUND) {
		proto_page_free(&pg);
		return agent_store_fail(p->ag, _("reading the pull state"));
	}
	if (direct) {
		/* A big pull a kill cut short: its build carries on. */
		rc = store_catgen_pull_begin(st, pg.upto, &p->g, &p->skip);
		if (rc != CM_OK) {
			proto_page_free(&pg);
			return agent_store_fail(p->ag, _("applying the pull"));
		}
		agent_log(_("%s: carrying on with the %lld rows written for version %lld"),
		          kinds[p->kind].name, (long long)((same ? staged.rows : 0) + p->skip),
		          (long long)pg.upto);
		if (same) {
			p->state = staged;
		} else {
			ax = write_page(p, &pg, p->skip, false);   /* the first page was being written */
			p->skip = 0;
		}
	} else if (same) {
		agent_log(_("%s: carrying on with the %lld rows staged for version %lld"),
		          kinds[p->kind].name, (long long)staged.rows, (long long)staged.upto);
		p->state = staged;
	} else if (big_pull(p, &pg)) {
		ax = direct_start(p, &pg);
	} else {
		ax = stage(p, &pg, true);
	}
	proto_page_free(&pg);
	return ax;
}

/* The end of a pull whose pages are all staged or written. */
static enum cm_rc pull_apply(struct pull *p, struct sync_applied *done)
{
	struct agent *ag = p->ag;
	if (!p->g)
		return store_sync_apply(ag->st, p->kind, agent_now(), done);
	struct catgen *g = p->g;
	p->g = NULL;
	return store_sync_direct_finish(ag->st, g, agent_now(), done);
}

/* The pages after the first, each staged (or written) while the next one
 * is fetched: slot[cur] holds the page to take next, the other one the
 * page after. A big pull's step may be left open (p->open). */
static enum agent_exit pull_pages(struct pull *p)
{
	struct proto_page pg;
	bool not_modified;
	enum agent_exit ax;
	struct ahead slot[2] = { { .started = false }, { .started = false } };
	int cur = 0;
	while (p->state.next[0]) {
		struct ahead *a = &slot[cur], *b = &slot[1 - cur];
		if (backoff_stopping()) {
			ahead_drop(a);
			snprintf(p->ag->msg, sizeof p->ag->msg, _("stopped by a signal; the pull carries on "
			         "next time"));
			return AX_UNAVAILABLE;
		}
		if (!a->started && (ax = fetch_prepare(p, false, p->state.next, &a->f)) != AX_OK)
			return ax;
		ax = take_page(p, a, b, &pg, &not_modified);
		if (ax != AX_OK)
			return ax;
		cur = 1 - cur;
		if (not_modified || pg.upto != p->state.upto) {
			int64_t upto = pg.upto;
			proto_page_free(&pg);
			ahead_drop(b);
			return agent_alert(p->ag, "bad_answer", _("HQ answered a %s page for version %lld "
			                   "in a pull up to %lld"), kinds[p->kind].name, (long long)upto,
			                   (long long)p->state.upto);
		}
		if (pg.next[0] && !b->started && (ax = ahead_start(p, pg.next, b)) != AX_OK) {
			proto_page_free(&pg);
			return ax;
		}
		ax = p->g ? write_page(p, &pg, p->skip, ahead_ready(p, b)) : stage(p, &pg, false);
		p->skip = 0;
		proto_page_free(&pg);
		if (ax != AX_OK) {
			ahead_drop(b);
			return ax;
		}
		progress_update(&p->pr, p->g ? _("rows fetched and written") : _("rows fetched and staged"),
		                p->state.rows, 0);
	}
	return AX_OK;
}

/* A big pull's step left open when the pages stop: committed (its pages
 * are whole, each with its cursor), whatever stopped them. */
static enum agent_exit settle(struct pull *p)
{
	if (!p->open)
		return AX_OK;
	p->open = false;
	if (store_catgen_pull_commit(p->g) == CM_OK)
		return AX_OK;
	store_rollback(p->ag->st);
	return agent_store_fail(p->ag, _("writing a page into the new catalogue"));
}

/* A big pull whose build met a changed live catalogue at the switch is
 * pulled again, at most this many times in one run. */
#define SWITCH_TRIES 3

/* One pull of kind; *again: a big pull's build met a changed live
 * catalogue at the switch and was dropped with the pull. */
static enum agent_exit pull_once(struct pull *p, bool *again)
{
	struct agent *ag = p->ag;
	enum sync_kind kind = p->kind;
	*again = false;
	/* What a kill left of an earlier catalogue build goes first (the
	 * tables of the catalogue before the last switch, staged rows). */
	if (kind == SYNC_CATALOGUE && store_catgen_clean(ag->st) != CM_OK)
		return agent_store_fail(ag, _("applying the pull"));
	struct sync_applied done;
	bool nothing;
	const char *name = kinds[kind].name;
	enum agent_exit ax = first_page(p, &nothing);
	if (ax != AX_OK)
		return ax;
	if (nothing) {
		agent_log(_("%s: up to date (version %lld)"), name, (long long)p->state.since);
		return AX_OK;
	}
	ax = pull_pages(p);
	enum agent_exit settled = settle(p);
	if (ax != AX_OK || settled != AX_OK) {
		progress_end(&p->pr);
		return ax != AX_OK ? ax : settled;
	}
	progress_end(&p->pr);
	if (p->g)
		agent_log(_("%s: %lld rows written for version %lld; indexing and applying"), name,
		          (long long)p->state.rows, (long long)p->state.upto);
	else
		agent_log(_("%s: %lld rows staged for version %lld; applying"), name,
		          (long long)p->state.rows, (long long)p->state.upto);
	bool direct = p->g != NULL;
	store_set_progress(ag->st, store_progress, &p->pr);
	enum cm_rc rc = pull_apply(p, &done);
	store_set_progress(ag->st, NULL, NULL);
	progress_end(&p->pr);
	*again = rc == CM_CONFLICT && direct;
	if (rc != CM_OK)
		return agent_store_fail(ag, _("applying the pull"));
	agent_log(_("%s: now at version %lld (%lld updated or new, %lld removed)"), name,
	          (long long)p->state.upto, (long long)done.upserted, (long long)done.deleted);
	return AX_OK;
}

static enum agent_exit pull_kind(struct agent *ag, enum sync_kind kind, int64_t since)
{
	enum agent_exit ax = AX_OK;
	bool again = true;
	for (int i = 0; again && i < SWITCH_TRIES; i++) {
		struct pull p = { .ag = ag, .kind = kind, .state = { .since = since } };
		progress_init(&p.pr, stderr);
		ax = pull_once(&p, &again);
		store_catgen_pull_abort(p.g);   /* a build cut short stays for next time */
		if (again)
			agent_log("%s", ag->msg);
	}
	return ax;
}

/* Purchase orders: small, whole imports at a time, no staging. Each
 * answer is applied in one transaction with its version; more: ask again
 * from there. */
static enum agent_exit pull_orders(struct agent *ag, int64_t since)
{
	for (int round = 0; round < 1000; round++) {
		char path[128], why[300];
		struct http_response r;
		enum agent_exit ax;
		struct proto_orders po;
		snprintf(path, sizeof path, "/v1/orders?since=%lld", (long long)since);
		if (!agent_request(ag, path, NULL, NULL, 0, &r, &ax))
			return ax;
		if (r.status != 200) {
			ax = agent_refused(ag, _("the purchase order pull"), &r);
			http_response_free(&r);
			return ax;
		}
		enum cm_rc rc = proto_orders_decode(r.body, r.len, &po, why, sizeof why);
		http_response_free(&r);
		if (rc == CM_OK && (po.upto < since || (po.more && po.upto == since))) {
			snprintf(why, sizeof why, "version %lld does not follow %lld", (long long)po.upto,
			         (long long)since);
			rc = CM_INVALID;
		}
		if (rc != CM_OK) {
			proto_orders_free(&po);
			return agent_alert(ag, "bad_answer", _("HQ's purchase orders: %s"), why);
		}
		if (po.upto == since && !po.norders) {
			proto_orders_free(&po);
			agent_log(_("purchase orders: up to date (version %lld)"), (long long)since);
			return AX_OK;
		}
		/* The store takes plain records. */
		size_t nl = 0;
		for (size_t i = 0; i < po.norders; i++)
			nl += po.orders[i].nlines;
		struct sync_order *so = calloc(po.norders ? po.norders : 1, sizeof *so);
		struct sync_order_line *sl = calloc(nl ? nl : 1, sizeof *sl);
		if (!so || !sl) {
			free(so);
			free(sl);
			proto_orders_free(&po);
			snprintf(ag->msg, sizeof ag->msg, _("out of memory"));
			return AX_LOCAL;
		}
		size_t k = 0;
		for (size_t i = 0; i < po.norders; i++) {
			const struct proto_order *o = &po.orders[i];
			so[i] = (struct sync_order){ .po = o->po, .supplier = o->supplier, .date = o->date,
			                             .lines = sl + k, .nlines = o->nlines };
			for (size_t j = 0; j < o->nlines; j++, k++)
				sl[k] = (struct sync_order_line){ .sku = o->lines[j].sku,
				                                  .qty = o->lines[j].qty,
				                                  .cost = o->lines[j].cost };
		}
		struct sync_orders_result res;
		rc = store_sync_orders_apply(ag->st, so, po.norders, po.upto, agent_now(), &res);
		free(so);
		free(sl);
		bool more = po.more;
		since = po.upto;
		proto_orders_free(&po);
		if (rc != CM_OK)
			return agent_store_fail(ag, _("saving purchase orders"));
		agent_log(_("purchase orders: now at version %lld (%lld new, %lld known, %lld lines "
		          "with an item this store does not have)"), (long long)since,
		          (long long)res.added, (long long)res.known, (long long)res.missing_lines);
		if (!more)
			return AX_OK;
	}
	return agent_alert(ag, "bad_answer", _("HQ's purchase orders do not end"));
}

/* proto's order as the store's record; the lines point into o's. */
static void shop_rec(const struct proto_shop_order *o, struct shop_order_rec *r,
                     struct shop_line_rec *lines)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", o->id);
	snprintf(r->status, sizeof r->status, "%s", o->status);
	snprintf(r->member_no, sizeof r->member_no, "%s", o->member);
	snprintf(r->member_name, sizeof r->member_name, "%s", o->member_name);
	r->placed_at = o->placed_at;
	r->slot_start = o->slot_start;
	r->slot_end = o->slot_end;
	r->expires_at = o->expires_at;
	r->total = o->total;
	r->has_picked = o->has_picked;
	r->picked_total = o->picked_total;
	r->version = o->version;
	r->lines = lines;
	r->nlines = o->nlines;
	for (size_t j = 0; j < o->nlines; j++) {
		const struct proto_shop_line *pl = &o->lines[j];
		struct shop_line_rec *l = &lines[j];
		memset(l, 0, sizeof *l);
		l->line = pl->line;
		snprintf(l->sku, sizeof l->sku, "%s", pl->sku);
		snprintf(l->gtin, sizeof l->gtin, "%s", pl->gtin);
		snprintf(l->name, sizeof l->name, "%s", pl->name);
		l->qty = pl->qty;
		l->price = pl->price;
		snprintf(l->pick_status, sizeof l->pick_status, "%s", pl->pick_status);
		l->picked_qty = pl->picked_qty;
		snprintf(l->sub_sku, sizeof l->sub_sku, "%s", pl->sub_sku);
		l->sub_price = pl->sub_price;
	}
}

/* One answer into the store, in one transaction with its version. */
static enum cm_rc shop_apply(struct agent *ag, const struct proto_shop_orders *po,
                             struct shop_pull_result *res)
{
	size_t nl = 0;
	for (size_t i = 0; i < po->norders; i++)
		nl += po->orders[i].nlines;
	struct shop_order_rec *so = calloc(po->norders ? po->norders : 1, sizeof *so);
	struct shop_line_rec *sl = calloc(nl ? nl : 1, sizeof *sl);
	enum cm_rc rc = CM_NOMEM;
	if (so && sl) {
		size_t k = 0;
		for (size_t i = 0; i < po->norders; i++) {
			shop_rec(&po->orders[i], &so[i], sl + k);
			k += po->orders[i].nlines;
		}
		rc = store_shop_pull_apply(ag->st, so, po->norders, po->upto, agent_now(), res);
	}
	free(so);
	free(sl);
	return rc;
}

/* Online orders of the members' shop (PROTOCOL.md "Online orders"), like
 * purchase orders: each answer in one transaction with its version. */
static enum agent_exit pull_shop(struct agent *ag)
{
	int64_t since;
	if (store_shop_version(ag->st, &since) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	for (int round = 0; round < 1000; round++) {
		char path[128], why[300];
		struct http_response r;
		enum agent_exit ax;
		struct proto_shop_orders po;
		snprintf(path, sizeof path, "/v1/shop/orders?since=%lld", (long long)since);
		if (!agent_request(ag, path, NULL, NULL, 0, &r, &ax))
			return ax;
		if (r.status == 404) {
			/* An HQ from before the shop: nothing to pull, nothing wrong. */
			http_response_free(&r);
			agent_log("%s", _("online orders: HQ does not serve them"));
			return AX_OK;
		}
		if (r.status != 200) {
			ax = agent_refused(ag, _("the online order pull"), &r);
			http_response_free(&r);
			return ax;
		}
		enum cm_rc rc = proto_shop_orders_decode(r.body, r.len, &po, why, sizeof why);
		http_response_free(&r);
		if (rc == CM_OK && (po.upto < since || (po.more && po.upto == since))) {
			snprintf(why, sizeof why, "version %lld does not follow %lld", (long long)po.upto,
			         (long long)since);
			rc = CM_INVALID;
		}
		if (rc != CM_OK) {
			proto_shop_orders_free(&po);
			return agent_alert(ag, "bad_answer", _("HQ's online orders: %s"), why);
		}
		if (po.upto == since && !po.norders) {
			proto_shop_orders_free(&po);
			agent_log(_("online orders: up to date (version %lld)"), (long long)since);
			return AX_OK;
		}
		struct shop_pull_result res;
		rc = shop_apply(ag, &po, &res);
		bool more = po.more;
		since = po.upto;
		proto_shop_orders_free(&po);
		if (rc == CM_NOMEM) {
			snprintf(ag->msg, sizeof ag->msg, _("out of memory"));
			return AX_LOCAL;
		}
		if (rc != CM_OK)
			return agent_store_fail(ag, _("saving online orders"));
		agent_log(_("online orders: now at version %lld (%lld new, %lld changed, %lld kept "
		          "as this terminal has them)"), (long long)since, (long long)res.added,
		          (long long)res.updated, (long long)res.kept);
		if (!more)
			return AX_OK;
	}
	return agent_alert(ag, "bad_answer", _("HQ's online orders do not end"));
}

enum agent_exit pull_run(struct agent *ag)
{
	struct sync_state s;
	if (store_sync_state(ag->st, &s) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	enum agent_exit ax = pull_kind(ag, SYNC_CATALOGUE, s.catalogue_version);
	if (ax == AX_OK)
		ax = pull_kind(ag, SYNC_MEMBERS, s.members_version);
	if (ax == AX_OK)
		ax = pull_orders(ag, s.orders_version);
	if (ax == AX_OK)
		ax = pull_shop(ag);
	if (ax == AX_OK)
		ag->pulled = true;
	return ax;
}
