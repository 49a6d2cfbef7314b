/* The crash test: a till killed with SIGKILL at random moments while it
 * rings up and completes sales, over and over, on one store database.
 *
 * Each round forks a child that opens the store, logs in (cashier on even
 * rounds, supervisor on odd ones), restores or aborts the ticket the last
 * child left, then sells in a loop: open, scan 1-20 items, maybe void a
 * line, pay (cash, sometimes part QRIS), complete. It reports every step
 * on a pipe *after* the call returned: what it reported happened. The
 * parent kills it after a random delay (seeded; the seed is printed and
 * CRASH_SEED repeats a run).
 *
 * Then: every receipt reported complete exists with its lines, total and
 * journal event; no sale is partial (lines, tenders >= due, one stock
 * movement per live line, tax rows add up, a journal event each way); the
 * ticket a killed child left is restored with the lines it had, or was
 * completed exactly once; the journal verifies; SQLite's integrity check
 * passes; and the coopmart commands (sale list/show, report day, journal
 * verify on a tampered copy) agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"
#include "crashutil.h"

#define ROUNDS 40
#define MAX_REC 200000

static char db[4096];
static unsigned seed;

/* ---- a small seeded RNG (splitmix64) ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static int rnd_below(int n) { return (int)(rnd() % (uint64_t)n); }

/* ---- the child ---- */

static int report_fd = -1;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* One write per record: a record is in the pipe whole or not at all
	 * (pipe writes up to PIPE_BUF are atomic), and it survives SIGKILL. */
	if (write(report_fd, buf, (size_t)n) != n)
		_exit(4);
}

static void die(const char *what, enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "child: %s: %s: %s\n", what, cm_rc_name(rc), msg);
	_exit(3);
}

#define CHILD_OK(call, msg) do { \
	enum cm_rc c_rc_ = (call); \
	if (c_rc_ != CM_OK) \
		die(#call, c_rc_, (msg)); \
} while (0)

static void ticket_state(struct sale *s)
{
	say("T %lld %zu %zu\n", (long long)sale_ticket(s)->id, sale_line_count(s),
	    sale_live_lines(s));
}

static void pay_and_complete(struct till *t, struct sale *s)
{
	int64_t id = sale_ticket(s)->id;
	if (sale_tender_count(s) == 0 && rnd_below(4) == 0 && sale_noncash_due(s) > 1) {
		CHILD_OK(sale_add_tender(s, TENDER_QRIS, sale_noncash_due(s) / 2, "QR-0001"),
		         sale_errmsg(s));
		ticket_state(s);
	}
	cm_money due = sale_cash_due(s);
	if (due > 0) {
		cm_money extra = rnd_below(3) == 0 ? 0 : (cm_money)rnd_below(50) * 1000;
		CHILD_OK(sale_add_tender(s, TENDER_CASH, due + extra, NULL), sale_errmsg(s));
		ticket_state(s);
	}
	say("P %lld %zu\n", (long long)id, sale_line_count(s));
	struct sale_result r;
	CHILD_OK(sale_complete(s, &r), sale_errmsg(s));
	say("C %lld %s %lld %zu %lld\n", (long long)id, r.receipt_no, (long long)r.journal_seq,
	    sale_line_count(s), (long long)sale_totals(s)->due);
	(void)t;
	sale_free(s);
}

static void handle_restored(struct till *t, struct sale *s, bool supervisor)
{
	int64_t id = sale_ticket(s)->id;
	bool cancel = sale_live_lines(s) == 0;
	bool abort = !cancel && supervisor && rnd_below(2) == 0;
	if (cancel || abort)
		say("X %lld %zu\n", (long long)id, sale_line_count(s));
	if (cancel) {
		CHILD_OK(sale_cancel(s, NULL), sale_errmsg(s));
		say("A %lld\n", (long long)id);
		sale_free(s);
	} else if (abort) {
		CHILD_OK(sale_abort_recovered(s, NULL), sale_errmsg(s));
		say("A %lld\n", (long long)id);
		sale_free(s);
	} else {
		pay_and_complete(t, s);
	}
}

static void child(int round)
{
	struct store *st;
	struct till *t;
	char err[400];
	enum cm_rc rc = store_open(db, 0, 0, &st, err, sizeof err);
	if (rc != CM_OK)
		die("store_open", rc, err);
	if ((rc = till_open(st, &t, err, sizeof err)) != CM_OK)
		die("till_open", rc, err);
	bool supervisor = round % 2;
	CHILD_OK(auth_login(t, supervisor ? "201" : "101",
	                    supervisor ? CU_PIN_SUPER : CU_PIN_CASHIER), till_errmsg(t));
	say("L\n");
	struct sale *s;
	rc = sale_restore(t, &s);
	if (rc == CM_OK) {
		say("R %lld %zu %zu\n", (long long)sale_ticket(s)->id, sale_line_count(s),
		    sale_live_lines(s));
		handle_restored(t, s, supervisor);
	} else if (rc == CM_NOTFOUND) {
		say("R 0 0 0\n");
	} else {
		die("sale_restore", rc, till_errmsg(t));
	}
	for (;;) {
		CHILD_OK(sale_open(t, &s), till_errmsg(t));
		say("O %lld\n", (long long)sale_ticket(s)->id);
		int k = 1 + rnd_below(20);
		for (int i = 0; i < k; i++) {
			CHILD_OK(sale_scan(s, cu_sku(rnd_below(CU_ITEMS)), 0), sale_errmsg(s));
			ticket_state(s);
			if (rnd_below(6) == 0) {
				int32_t no = sale_line(s, (size_t)rnd_below((int)sale_line_count(s)))->line_no;
				rc = sale_void_line(s, no, NULL);
				if (rc == CM_OK)
					ticket_state(s);
				else if (rc != CM_NOTFOUND) /* already voided */
					die("sale_void_line", rc, sale_errmsg(s));
			}
		}
		if (sale_live_lines(s) == 0) {
			CHILD_OK(sale_scan(s, cu_sku(0), 0), sale_errmsg(s));
			ticket_state(s);
		}
		pay_and_complete(t, s);
	}
}

/* ---- the parent: what the children said ---- */

struct done_sale {
	int64_t ticket;
	char receipt[32];
	int64_t seq;
	long nlines;
	long long due;
};

/* What the last record says about the ticket: none open, open with n
 * lines, being completed (P), being cancelled or aborted (X). */
enum tkind { TK_NONE, TK_OPEN, TK_PENDING, TK_ABORTING };

static struct {
	enum tkind kind;
	int64_t id;
	long n;
	int64_t max_id;
	struct done_sale *done;
	size_t ndone;
	int64_t *committed;   /* tickets completed without their C record */
	size_t ncommitted;
	size_t restored, aborted, pending_rolled_back;
} log_;

static void add_done(const struct done_sale *d)
{
	log_.done = realloc(log_.done, (log_.ndone + 1) * sizeof *log_.done);
	assert_non_null(log_.done);
	log_.done[log_.ndone++] = *d;
}

/* What a restore found (id 0: nothing) against what the last child said. */
static void check_restore(int64_t id, long n, const char *where)
{
	switch (log_.kind) {
	case TK_NONE:
		/* Killed after sale_open or the first scan committed but before
		 * the report: a new ticket with at most one line. */
		if (id != 0 && (id <= log_.max_id || n > 1))
			fail_msg("%s: restored ticket %lld with %ld lines, expected none or a new one",
			         where, (long long)id, n);
		break;
	case TK_OPEN:
		if (id != log_.id || n < log_.n || n > log_.n + 1)
			fail_msg("%s: restored ticket %lld with %ld lines, expected ticket %lld with %ld or %ld",
			         where, (long long)id, n, (long long)log_.id, log_.n, log_.n + 1);
		break;
	case TK_ABORTING:
		if (id != 0 && (id != log_.id || n != log_.n))
			fail_msg("%s: restored ticket %lld with %ld lines while aborting ticket %lld with %ld",
			         where, (long long)id, n, (long long)log_.id, log_.n);
		break;
	case TK_PENDING:
		if (id == 0) {
			/* Completed, killed before saying so. */
			log_.committed = realloc(log_.committed, (log_.ncommitted + 1) * sizeof(int64_t));
			assert_non_null(log_.committed);
			log_.committed[log_.ncommitted++] = log_.id;
		} else if (id != log_.id || n != log_.n) {
			fail_msg("%s: restored ticket %lld with %ld lines while completing ticket %lld with %ld",
			         where, (long long)id, n, (long long)log_.id, log_.n);
		} else {
			log_.pending_rolled_back++;
		}
		break;
	}
	if (id) {
		log_.restored++;
		log_.kind = TK_OPEN;
		log_.id = id;
		log_.n = n;
		if (id > log_.max_id)
			log_.max_id = id;
	} else {
		log_.kind = TK_NONE;
	}
}

static void record(const char *line, int round)
{
	long long a = 0, b = 0, c = 0, d = 0;
	char r[32];
	char where[64];
	snprintf(where, sizeof where, "round %d", round);
	switch (line[0]) {
	case 'L':
		break;
	case 'R':
		if (sscanf(line, "R %lld %lld %lld", &a, &b, &c) != 3)
			fail_msg("bad record %s", line);
		check_restore(a, (long)b, where);
		break;
	case 'O':
		sscanf(line, "O %lld", &a);
		if (a <= log_.max_id)
			fail_msg("%s: new ticket %lld not above %lld", where, a, (long long)log_.max_id);
		log_.kind = TK_OPEN;
		log_.id = log_.max_id = a;
		log_.n = 0;
		break;
	case 'T':
		sscanf(line, "T %lld %lld", &a, &b);
		if (log_.kind != TK_OPEN || log_.id != a)
			fail_msg("%s: step on ticket %lld out of order", where, a);
		log_.n = (long)b;
		break;
	case 'P':
		sscanf(line, "P %lld %lld", &a, &b);
		log_.kind = TK_PENDING;
		log_.id = a;
		log_.n = (long)b;
		break;
	case 'C': {
		struct done_sale ds = {0};
		if (sscanf(line, "C %lld %31s %lld %lld %lld", &a, r, &b, &c, &d) != 5)
			fail_msg("bad record %s", line);
		if (log_.kind != TK_PENDING || log_.id != a)
			fail_msg("%s: completed ticket %lld out of order", where, a);
		ds.ticket = a;
		snprintf(ds.receipt, sizeof ds.receipt, "%s", r);
		ds.seq = b;
		ds.nlines = (long)c;
		ds.due = d;
		add_done(&ds);
		log_.kind = TK_NONE;
		break;
	}
	case 'X':
		sscanf(line, "X %lld %lld", &a, &b);
		if (log_.kind != TK_OPEN || log_.id != a || log_.n != b)
			fail_msg("%s: abort of ticket %lld out of order", where, a);
		log_.kind = TK_ABORTING;
		break;
	case 'A':
		sscanf(line, "A %lld", &a);
		if (log_.kind != TK_ABORTING || log_.id != a)
			fail_msg("%s: abort of ticket %lld out of order", where, a);
		log_.aborted++;
		log_.kind = TK_NONE;
		break;
	default:
		fail_msg("unknown record %s", line);
	}
}

/* One round: fork, wait for the login, sleep, SIGKILL, read the records. */
static void one_round(int round)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		rng_state = seed * 1000003ULL + (uint64_t)round;
		child(round);
		_exit(0);
	}
	close(p[1]);
	static char buf[MAX_REC];
	size_t n = 0;
	bool ready = false;
	while (!ready) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (poll(&pf, 1, 120000) != 1) {
			kill(pid, SIGKILL);
			fail_msg("round %d: the child did not log in within 2 minutes", round);
		}
		ssize_t got = read(p[0], buf + n, sizeof buf - n - 1);
		if (got <= 0)
			break;
		n += (size_t)got;
		buf[n] = '\0';
		ready = strstr(buf, "L\n") != NULL;
	}
	/* Mostly a few to 200 ms; sometimes at once (inside the restore). */
	long ms = rnd_below(5) == 0 ? rnd_below(4) : 2 + rnd_below(199);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	ssize_t got;
	while (n < sizeof buf - 1 && (got = read(p[0], buf + n, sizeof buf - n - 1)) > 0)
		n += (size_t)got;
	buf[n] = '\0';
	close(p[0]);
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	if (!(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL))
		fail_msg("round %d: the child failed by itself (status %d); see its message above",
		         round, ws);
	/* Records are whole lines; a kill cannot cut one (single writes). */
	char *line = buf;
	for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		record(line, round);
	}
	assert_int_equal(*line, '\0');
}

/* ---- checks on the database after all rounds ---- */

static void check_reported_sales(struct store *st)
{
	for (size_t i = 0; i < log_.ndone; i++) {
		const struct done_sale *d = &log_.done[i];
		struct sale_header h;
		struct line_rec *lines;
		struct sale_line_amounts *am;
		struct tender_rec *tenders;
		size_t nl, nt;
		enum cm_rc rc = store_sale_load(st, 0, d->receipt, &h, &lines, &am, &nl, &tenders, &nt);
		if (rc != CM_OK)
			fail_msg("receipt %s was reported complete but is not in the store: %s",
			         d->receipt, store_errmsg(st));
		if ((long)nl != d->nlines || h.totals.due != d->due || h.journal_seq != d->seq)
			fail_msg("receipt %s: %zu lines, due %lld, seq %lld; reported %ld, %lld, %lld",
			         d->receipt, nl, (long long)h.totals.due, (long long)h.journal_seq,
			         d->nlines, d->due, (long long)d->seq);
		cm_money paid = 0;
		for (size_t k = 0; k < nt; k++)
			paid += tenders[k].amount;
		assert_true(paid >= h.totals.due);
		for (size_t k = 0; k < nl; k++)
			assert_true(lines[k].qty > 0 && lines[k].item_id > 0);
		free(lines);
		free(am);
		free(tenders);
		struct journal_entry je;
		assert_int_equal(journal_get(st, d->seq, &je), CM_OK);
		assert_string_equal(je.type, "sale");
	}
}

/* Each query counts rows that break a rule: it must be 0. */
static const struct { const char *what, *sql; } partial_checks[] = {
	{ "sales without lines",
	  "SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)" },
	{ "sales without live lines",
	  "SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND NOT l.voided)" },
	{ "sales paid less than due",
	  "SELECT count(*) FROM sales s WHERE (SELECT COALESCE(sum(amount), 0) FROM sale_tenders t WHERE t.sale_id = s.id) < s.due" },
	{ "sales whose tenders disagree with paid",
	  "SELECT count(*) FROM sales s WHERE (SELECT COALESCE(sum(amount), 0) FROM sale_tenders t WHERE t.sale_id = s.id) <> s.paid" },
	{ "sales whose stock movements differ from their live lines",
	  "SELECT count(*) FROM sales s WHERE (SELECT count(*) FROM stock_movements m WHERE m.kind = 'sale' AND m.ref = s.receipt_no) "
	  "<> (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id AND NOT l.voided)" },
	{ "sales whose tax rows do not add up to the total",
	  "SELECT count(*) FROM sales s WHERE (SELECT COALESCE(sum(total), 0) FROM sale_taxes x WHERE x.sale_id = s.id) <> s.total" },
	{ "sales whose line nets do not add up to the total",
	  "SELECT count(*) FROM sales s WHERE (SELECT COALESCE(sum(net), 0) FROM sale_lines l WHERE l.sale_id = s.id AND NOT l.voided) <> s.total" },
	{ "sales without their journal event",
	  "SELECT count(*) FROM sales s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE j.seq IS NULL OR j.type <> 'sale' "
	  "OR json_extract(j.payload, '$.receipt') <> s.receipt_no" },
	{ "sale events without their sale",
	  "SELECT count(*) FROM journal j WHERE j.type = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.journal_seq = j.seq)" },
	{ "tickets completed twice",
	  "SELECT count(*) FROM (SELECT json_extract(payload, '$.ticket') t FROM journal WHERE type = 'sale' GROUP BY t HAVING count(*) > 1)" },
	{ "completed tickets still open",
	  "SELECT count(*) FROM open_tickets o WHERE EXISTS (SELECT 1 FROM journal j WHERE j.type = 'sale' AND json_extract(j.payload, '$.ticket') = o.id)" },
	{ "stock movements of no sale",
	  "SELECT count(*) FROM stock_movements m WHERE m.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.receipt_no = m.ref)" },
	{ "stock levels that differ from the movements",
	  "SELECT count(*) FROM stock_levels v WHERE v.qty <> (SELECT COALESCE(sum(qty), 0) FROM stock_movements m WHERE m.item_id = v.item_id)" },
	{ "open ticket lines without their ticket",
	  "SELECT count(*) FROM open_ticket_lines l WHERE NOT EXISTS (SELECT 1 FROM open_tickets o WHERE o.id = l.ticket_id)" },
	{ "active tickets beyond one",
	  "SELECT max(count(*) - 1, 0) FROM open_tickets WHERE state = 0" },
};

static void check_no_partial(void)
{
	for (size_t i = 0; i < sizeof partial_checks / sizeof partial_checks[0]; i++) {
		long long bad = cu_sql_int(db, partial_checks[i].sql);
		if (bad != 0)
			fail_msg("%lld %s", bad, partial_checks[i].what);
	}
	/* Every sale in the store is one the children reported, or the one a
	 * child completed just before it was killed (found by the restore). */
	long long sales = cu_sql_int(db, "SELECT count(*) FROM sales");
	if (sales != (long long)(log_.ndone + log_.ncommitted + 1))
		fail_msg("%lld sales in the store; reported %zu + %zu completed unreported + 1 final",
		         sales, log_.ndone, log_.ncommitted);
	for (size_t i = 0; i < log_.ncommitted; i++) {
		char q[256];
		snprintf(q, sizeof q, "SELECT count(*) FROM journal WHERE type = 'sale' "
		         "AND json_extract(payload, '$.ticket') = %lld", (long long)log_.committed[i]);
		if (cu_sql_int(db, q) != 1)
			fail_msg("ticket %lld vanished on a kill but was not completed",
			         (long long)log_.committed[i]);
	}
	char *ic = cu_sql_text(db, "PRAGMA integrity_check");
	assert_string_equal(ic, "ok\n");
	free(ic);
	char *fk = cu_sql_text(db, "PRAGMA foreign_key_check");
	assert_string_equal(fk, "");
	free(fk);
}

/* After the last kill: the ticket left behind is restored with its lines
 * (or there is none), aborting it works, and selling goes on. */
static void check_final_restore(struct store *st, struct till *t)
{
	CU_CHECK(t, auth_login(t, "201", CU_PIN_SUPER));
	struct sale *s;
	enum cm_rc rc = sale_restore(t, &s);
	if (rc == CM_OK) {
		int64_t id = sale_ticket(s)->id;
		check_restore(id, (long)sale_line_count(s), "final restore");
		for (size_t i = 0; i < sale_line_count(s); i++) {
			assert_true(sale_line(s, i)->qty > 0);
			assert_true(sale_line(s, i)->item_id > 0);
			assert_int_equal(sale_line(s, i)->line_no, (int32_t)i + 1);
		}
		long long before = cu_sql_int(db, "SELECT count(*) FROM journal WHERE type = 'ticket_aborted'");
		size_t nlines = sale_line_count(s);
		rc = sale_abort_recovered(s, NULL);
		if (rc != CM_OK)
			fail_msg("sale_abort_recovered: %s", sale_errmsg(s));
		sale_free(s);
		/* Journaled as aborted when it had lines. */
		long long after = cu_sql_int(db, "SELECT count(*) FROM journal WHERE type = 'ticket_aborted'");
		assert_int_equal(after, before + (nlines ? 1 : 0));
		printf("crash_sales: the last ticket (%lld) was restored and aborted\n", (long long)id);
	} else {
		assert_int_equal(rc, CM_NOTFOUND);
		check_restore(0, 0, "final restore");
	}
	assert_int_equal(store_ticket_active(st, &(int64_t){0}), CM_NOTFOUND);
	/* Selling goes on. */
	CU_CHECK(t, sale_open(t, &s));
	assert_int_equal(sale_scan(s, cu_sku(3), 2000), CM_OK);
	assert_int_equal(sale_scan(s, cu_sku(4), 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL), CM_OK);
	struct sale_result r;
	if (sale_complete(s, &r) != CM_OK)
		fail_msg("sale_complete after the crashes: %s", sale_errmsg(s));
	sale_free(s);
	auth_logout(t);
}

/* The coopmart commands on the store with all those sales. */
static void check_cli(void)
{
	const char *bin = cu_coopmart();
	char cmd[20000];
	int status;
	long long sales = cu_sql_int(db, "SELECT count(*) FROM sales WHERE business_date = 20251129");
	assert_true(sales > 0);

	snprintf(cmd, sizeof cmd, "'%s' --db '%s' sale list --date 2025-11-29 2>&1", bin, db);
	char *out = cu_run(cmd, &status);
	assert_int_equal(status, 0);
	long long lines = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, sales);
	assert_non_null(strstr(out, "K01-000001 "));
	free(out);

	snprintf(cmd, sizeof cmd, "'%s' --db '%s' report day --date 2025-11-29 2>&1", bin, db);
	out = cu_run(cmd, &status);
	assert_int_equal(status, 0);
	char want[128];
	snprintf(want, sizeof want, "Sales: %lld   total ", sales);
	if (!strstr(out, want) || !strstr(out, "Day report 2025-11-29  Koperasi Uji Tahan Banting  terminal K01") ||
	    !strstr(out, "By tender:") || !strstr(out, "Siti") || !strstr(out, "Budi"))
		fail_msg("report day:\n%s", out);
	free(out);

	const struct done_sale *d = log_.ndone ? &log_.done[log_.ndone / 2] : NULL;
	const char *receipt = d ? d->receipt : "K01-000001";
	snprintf(cmd, sizeof cmd, "'%s' --db '%s' sale show %s --columns 42 2>&1", bin, db, receipt);
	out = cu_run(cmd, &status);
	if (status != 0 || !strstr(out, receipt) || !strstr(out, "Koperasi Uji Tahan Banting"))
		fail_msg("sale show %s: exit %d\n%s", receipt, status, out);
	free(out);

	snprintf(cmd, sizeof cmd, "'%s' --db '%s' journal verify 2>&1", bin, db);
	out = cu_run(cmd, &status);
	if (status != 0 || strncmp(out, "journal OK: ", 12) != 0)
		fail_msg("journal verify: exit %d\n%s", status, out);
	free(out);

	/* A sale changed behind the journal's back, on a copy: exit 7, and the
	 * sale's sequence number is named. */
	int64_t seq = cu_sql_int(db, "SELECT journal_seq FROM sales ORDER BY id LIMIT 1 OFFSET 1");
	snprintf(cmd, sizeof cmd, "cp '%s' '%s.tampered' && sqlite3 '%s.tampered' "
	         "\"DROP TRIGGER sales_no_update; UPDATE sales SET total = total - 1000, due = due - 1000 "
	         "WHERE journal_seq = %lld\" 2>&1", db, db, db, (long long)seq);
	out = cu_run(cmd, &status);
	assert_int_equal(status, 0);
	free(out);
	snprintf(cmd, sizeof cmd, "'%s' --db '%s.tampered' journal verify 2>&1", bin, db);
	out = cu_run(cmd, &status);
	snprintf(want, sizeof want, "journal BROKEN at sequence %lld: sale ", (long long)seq);
	if (status != 7 || !strstr(out, want) || !strstr(out, "does not match its journal event"))
		fail_msg("journal verify of a tampered sale: exit %d\n%s", status, out);
	free(out);

	/* A sale event's payload rewritten: exit 7 at that sequence. */
	snprintf(cmd, sizeof cmd, "cp '%s' '%s.tampered2' && sqlite3 '%s.tampered2' "
	         "\"DROP TRIGGER journal_no_update; UPDATE journal SET payload = replace(payload, '\\\"paid\\\":', '\\\"paid\\\":1') "
	         "WHERE seq = %lld\" 2>&1", db, db, db, (long long)seq);
	out = cu_run(cmd, &status);
	assert_int_equal(status, 0);
	free(out);
	snprintf(cmd, sizeof cmd, "'%s' --db '%s.tampered2' journal verify 2>&1", bin, db);
	out = cu_run(cmd, &status);
	snprintf(want, sizeof want, "journal BROKEN at sequence %lld: event content does not match", (long long)seq);
	if (status != 7 || !strstr(out, want))
		fail_msg("journal verify of a tampered event: exit %d\n%s", status, out);
	free(out);
}

static void test_crash_sales(void **state)
{
	(void)state;
	const char *dir = tu_tmpdir("crash_sales");
	tu_path(db, sizeof db, dir, "store.db");
	cu_make_store(db);

	rng_state = seed;
	for (int round = 0; round < ROUNDS; round++)
		one_round(round);
	printf("crash_sales: %d kills; %zu sales reported, %zu completed unreported, "
	       "%zu tickets restored (%zu mid-completion), %zu aborted\n",
	       ROUNDS, log_.ndone, log_.ncommitted, log_.restored,
	       log_.pending_rolled_back, log_.aborted);
	assert_true(log_.ndone > (size_t)ROUNDS); /* the rounds did sell */

	struct store *st;
	struct till *t;
	cu_open(db, &st, &t);
	check_final_restore(st, t);
	check_reported_sales(st);
	struct journal_check chk;
	if (journal_verify(st, &chk) != CM_OK)
		fail_msg("journal_verify: sequence %lld: %s", (long long)chk.bad_seq, chk.why);
	cu_close(st, t);
	check_no_partial();
	check_cli();
	free(log_.done);
	free(log_.committed);
}

int main(void)
{
	const char *env = getenv("CRASH_SEED");
	seed = env && *env ? (unsigned)strtoul(env, NULL, 10)
	                   : (unsigned)time(NULL) ^ (unsigned)getpid();
	printf("crash_sales: seed %u (CRASH_SEED=%u repeats this run)\n", seed, seed);
	setenv("COOPMART_FAKE_TIME", CU_FAKE_TIME, 1);
	if (!getenv("TZ"))
		setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_sales),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
