/* Benchmark: members' dues at the till with 50,000 members.
 *
 * 1. A member delta of 50,000 members (each with a standing and a few
 *    months owed) staged and applied as the agent does
 *    (store_sync_stage_member ... store_sync_apply). While it applies, a
 *    second connection plays the till: every 2 ms it takes the write lock
 *    (BEGIN IMMEDIATE, a one-row write, COMMIT) and records how long it
 *    waited. The longest wait is how long the apply held the till's write
 *    lock at a time (target: 50 ms); it waits as the till's store does,
 *    polling every millisecond. Raw: the same 50,000 rows inserted
 *    by plain SQLite into a bare table in one transaction.
 * 2. Card scan to panel: sale_scan of a member card (attaches the member,
 *    reprices, saves the ticket) and the two standings the panel shows
 *    (sale_standing, then the ticket's dues added in memory). The drawing
 *    itself is not timed (curses writes to a terminal the program lacks;
 *    it is a few hundred characters). Target: p99 5 ms. Raw: the card
 *    lookup and the months owed read by plain SQLite. */
#include "benchutil.h"

#include "engine/sale.h"
#include "engine/standing.h"
#include "store/store_dues.h"
#include "store/store_sync.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEMBERS 50000
#define PAGE 1000
#define WARMUP 50

static const struct dues_rate rates[] = {
	{ "biasa", DUES_POKOK, 202001, 100000 },
	{ "biasa", DUES_WAJIB, 202001, 25000 },
	{ "biasa", DUES_WAJIB, 202607, 30000 },
	{ "karyawan", DUES_WAJIB, 202001, 50000 },
};

static void member_make(long i, long version, struct member_rec *m, struct dues_owed *owed,
                        size_t *nowed)
{
	memset(m, 0, sizeof *m);
	snprintf(m->number, sizeof m->number, "B-%06ld", i);
	snprintf(m->name, sizeof m->name, "Anggota Uji %ld", i);
	snprintf(m->card_code, sizeof m->card_code, "BC%08ld", i);
	snprintf(m->status, sizeof m->status, "active");
	snprintf(m->type, sizeof m->type, "%s", i % 4 ? "biasa" : "karyawan");
	m->join_date = 20200101 + (int32_t)(i % 12) * 100;
	*nowed = (size_t)(i % 5);
	for (size_t k = 0; k < *nowed; k++)
		owed[k] = (struct dues_owed){ dues_month_add(202601, (int)k), i % 4 ? 30000 : 50000 };
	m->hq = (struct member_standing){ .wajib_months = (int32_t)*nowed,
	                                  .wajib_arrears = (cm_money)*nowed * 30000,
	                                  .wajib_through = 202512, .wajib_paid_until = 202512,
	                                  .sukarela = (i * 7919) % 500000 + version,
	                                  .month = 202605, .seq = 0 };
}

static bool stage_all(struct store *st, long version)
{
	struct sync_pull p = { .since = version - 1, .upto = version };
	struct dues_owed owed[8];
	size_t nowed;
	if (store_begin(st) != CM_OK || store_sync_stage_reset(st, SYNC_MEMBERS) != CM_OK ||
	    store_commit(st) != CM_OK)
		return false;
	for (long i = 0; i < MEMBERS; i += PAGE) {
		enum cm_rc rc = store_begin(st);
		for (long j = i; rc == CM_OK && j < i + PAGE && j < MEMBERS; j++) {
			struct member_rec m;
			member_make(j, version, &m, owed, &nowed);
			rc = store_sync_stage_member(st, version, &m, owed, nowed, version);
		}
		if (rc == CM_OK)
			rc = store_sync_stage_dues(st, version, 3, rates, sizeof rates / sizeof rates[0]);
		p.rows += PAGE;
		snprintf(p.next, sizeof p.next, "%s", i + PAGE < MEMBERS ? "more" : "");
		if (rc == CM_OK)
			rc = store_sync_stage_page(st, SYNC_MEMBERS, &p);
		if (rc != CM_OK || store_commit(st) != CM_OK) {
			fprintf(stderr, "staging: %s\n", store_errmsg(st));
			return false;
		}
	}
	return true;
}

struct probe {
	const char *path;
	atomic_bool stop;
	int64_t *waits;
	size_t n, cap;
	bool failed;
};

/* Waits for the lock as the till's store does: polls every millisecond
 * (SQLite's own busy timeout sleeps longer and longer, and would measure
 * its sleeps, not the apply's hold). */
static int poll_busy(void *ctx, int n)
{
	(void)ctx;
	if (n > 10000)
		return 0;
	usleep(1000);
	return 1;
}

/* The till's side: short write transactions, as a scan makes. */
static void *probe_run(void *arg)
{
	struct probe *p = arg;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(p->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		p->failed = true;
		return NULL;
	}
	sqlite3_busy_handler(db, poll_busy, NULL);
	while (!atomic_load(&p->stop) && p->n < p->cap) {
		int64_t t0 = bench_now_ns();
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE; "
		                          "UPDATE settings SET value = value WHERE key = 'terminal'; "
		                          "COMMIT", NULL, NULL, NULL);
		int64_t t1 = bench_now_ns();
		if (rc != SQLITE_OK) {
			fprintf(stderr, "probe: %s\n", sqlite3_errmsg(db));
			p->failed = true;
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			break;
		}
		p->waits[p->n++] = t1 - t0;
		usleep(2000);
	}
	sqlite3_close(db);
	return NULL;
}

static int64_t raw_rows(const char *dir)
{
	char path[1200];
	snprintf(path, sizeof path, "%s.raw-members.db", dir);
	unlink(path);
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE m(number TEXT PRIMARY KEY, "
	                 "name TEXT, card TEXT UNIQUE, status TEXT, type TEXT, join_date INT, "
	                 "sukarela INT, months INT, arrears INT, owed TEXT)", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO m VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1,
	                   &s, NULL);
	int64_t t0 = bench_now_ns();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (long i = 0; i < MEMBERS; i++) {
		struct member_rec m;
		struct dues_owed owed[8];
		size_t nowed;
		member_make(i, 1, &m, owed, &nowed);
		sqlite3_bind_text(s, 1, m.number, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, m.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, m.card_code, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, m.status, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, m.type, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 6, m.join_date);
		sqlite3_bind_int64(s, 7, m.hq.sukarela);
		sqlite3_bind_int(s, 8, m.hq.wajib_months);
		sqlite3_bind_int64(s, 9, m.hq.wajib_arrears);
		sqlite3_bind_text(s, 10, "202601:30000", -1, SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	int64_t t1 = bench_now_ns();
	sqlite3_finalize(s);
	sqlite3_close(db);
	unlink(path);
	return t1 - t0;
}

static bool delta(const struct bench_opts *o, struct store *st, long version)
{
	if (!stage_all(st, version))
		return false;
	struct probe p = { .path = o->db, .cap = 200000 };
	p.waits = calloc(p.cap, sizeof *p.waits);
	pthread_t th;
	if (!p.waits || pthread_create(&th, NULL, probe_run, &p) != 0)
		return false;
	struct sync_applied a;
	int64_t t0 = bench_now_ns();
	enum cm_rc rc = store_sync_apply(st, SYNC_MEMBERS, 1767321000, &a);
	int64_t t1 = bench_now_ns();
	atomic_store(&p.stop, true);
	pthread_join(th, NULL);
	if (rc != CM_OK || p.failed) {
		fprintf(stderr, "apply: %s\n", store_errmsg(st));
		return false;
	}
	struct bench_stats ws;
	bench_percentiles(p.waits, p.n, &ws);
	int64_t raw = raw_rows(o->db);
	printf("member delta of %d: applied in %.0f ms (%lld members), raw insert of the same rows "
	       "%.0f ms (ratio %.1f)\n", MEMBERS, (t1 - t0) / 1e6, (long long)a.upserted, raw / 1e6,
	       (double)(t1 - t0) / (double)raw);
	printf("  the till's write lock during the apply: %zu probes, wait p50 %.2f p99 %.2f "
	       "max %.2f ms   target max 50 ms: %s\n", ws.n, ws.p50, ws.p99, ws.max,
	       ws.max <= 50.0 ? "MET" : "NOT MET");
	free(p.waits);
	return true;
}

static int64_t raw_panel(sqlite3_stmt *find, sqlite3_stmt *owed, const char *card)
{
	int64_t t0 = bench_now_ns();
	sqlite3_bind_text(find, 1, card, -1, SQLITE_STATIC);
	int64_t id = sqlite3_step(find) == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
	sqlite3_reset(find);
	sqlite3_bind_int64(owed, 1, id);
	while (sqlite3_step(owed) == SQLITE_ROW)
		;
	sqlite3_reset(owed);
	return bench_now_ns() - t0;
}

static bool panel(const struct bench_opts *o)
{
	struct bench_session bs;
	if (!bench_session_open(o->db, &bs))
		return false;
	sqlite3 *raw = NULL;
	sqlite3_stmt *find = NULL, *owed = NULL;
	if (sqlite3_open_v2(o->db, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "SELECT id, number, name, status, type, sukarela FROM members "
	                            "WHERE card_code = ?1", -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "SELECT month, amount FROM member_owed WHERE member_id = ?1 "
	                            "ORDER BY month", -1, &owed, NULL) != SQLITE_OK)
		return false;
	size_t n = (size_t)o->count;
	int64_t *eng = calloc(n, sizeof *eng), *base = calloc(n, sizeof *base);
	struct standing *st = malloc(sizeof *st), *after = malloc(sizeof *after);
	if (!eng || !base || !st || !after)
		return false;
	uint64_t rng = o->seed;
	struct sale *s = NULL;
	if (sale_open(bs.t, &s) != CM_OK) {
		fprintf(stderr, "opening a ticket: %s\n", till_errmsg(bs.t));
		return false;
	}
	for (size_t i = 0; i < n + WARMUP; i++) {
		char card[32];
		snprintf(card, sizeof card, "BC%08ld", (long)bench_rand_below(&rng, MEMBERS));
		int64_t t0 = bench_now_ns();
		enum cm_rc rc = sale_scan(s, card, 0);
		if (rc == CM_OK)
			rc = sale_standing(s, false, st);
		if (rc == CM_OK) {
			/* what the panel does: one standing, the ticket's dues added */
			*after = *st;
			if (sale_dues_count(s))
				standing_add(after, sale_dues(s, 0), sale_dues_count(s));
		}
		int64_t t1 = bench_now_ns();
		if (rc != CM_OK || !sale_scan_was_member(s)) {
			fprintf(stderr, "card %s: %s\n", card, sale_errmsg(s));
			return false;
		}
		int64_t r = raw_panel(find, owed, card);
		if (i >= WARMUP) {
			eng[i - WARMUP] = t1 - t0;
			base[i - WARMUP] = r;
		}
	}
	bench_cancel(&bs, s);
	sale_free(s);
	struct bench_stats es, rs;
	bench_percentiles(eng, n, &es);
	bench_percentiles(base, n, &rs);
	bench_print_result("card scan -> member panel", &es, &rs, 5.0);
	printf("  engine: card resolved, member attached (ticket saved), standing before and after "
	       "the ticket; raw: card lookup + months owed\n");
	sqlite3_finalize(find);
	sqlite3_finalize(owed);
	sqlite3_close(raw);
	bench_session_close(&bs);
	free(eng);
	free(base);
	free(st);
	free(after);
	return true;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	int code;
	if (!bench_parse_args(argc, argv, "members: a 50,000-member delta, card scan to panel",
	                      2000, 300, &o, &code))
		return code;
	if (!bench_catalogue_ensure(o.db, o.items))
		return 1;
	bench_print_header("bench_members", &o);
	struct store *st = NULL;
	char err[320];
	if (store_open(o.db, 0, 0, &st, err, sizeof err) != CM_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct sync_state ss;
	long version = store_sync_state(st, &ss) == CM_OK ? (long)ss.members_version + 1 : 1;
	/* Twice: the first delta inserts the members, the second updates them
	 * all (what a change of the schedule at HQ sends). */
	for (int round = 0; round < 2; round++)
		if (!delta(&o, st, version + round))
			return 1;
	store_close(st);
	if (!panel(&o))
		return 1;
	bench_print_footer();
	return 0;
}
