/* Durability: a read-only file system, a full disk and a database locked
 * by another writer. In each case the till must say so in plain words,
 * refuse to write, leave nothing partial, and carry on once the cause is
 * gone (DESIGN.md, "Durability rules").
 *
 * The tests run as root, which ignores file permissions, so read-only and
 * full are real file systems: a small tmpfs mounted on a scratch folder,
 * remounted read-only, or filled up. Without the right to mount (not
 * root, or a container without CAP_SYS_ADMIN) those two tests say so and
 * are skipped; the busy test needs nothing special. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#include "testutil.h"
#include "crashutil.h"
#include "engine/history.h"

static char mnt[4096];     /* the mounted scratch folder, "" when none */
static char mnt_ro[4200];  /* a read-only bind of it, "" when none */

/* Mounts a tmpfs of size on dir; false (and a message) when not allowed. */
static bool mount_tmpfs(const char *dir, const char *size)
{
	char opts[64];
	snprintf(opts, sizeof opts, "size=%s,mode=0700", size);
	if (mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
		fprintf(stderr, "durability: SKIPPED: cannot mount a tmpfs on %s (%s); "
		        "this test needs root with CAP_SYS_ADMIN\n", dir, strerror(errno));
		return false;
	}
	snprintf(mnt, sizeof mnt, "%s", dir);
	return true;
}

static void remount(const char *size, bool ro)
{
	char opts[64];
	snprintf(opts, sizeof opts, "size=%s", size);
	if (mount("tmpfs", mnt, "tmpfs", MS_REMOUNT | (ro ? MS_RDONLY : 0), opts) != 0)
		fail_msg("remounting %s %s: %s", mnt, ro ? "read-only" : "read-write", strerror(errno));
}

static int teardown(void **state)
{
	(void)state;
	if (mnt_ro[0] && umount2(mnt_ro, MNT_DETACH) != 0)
		fprintf(stderr, "durability: cannot unmount %s: %s\n", mnt_ro, strerror(errno));
	if (mnt[0] && umount2(mnt, MNT_DETACH) != 0)
		fprintf(stderr, "durability: cannot unmount %s: %s\n", mnt, strerror(errno));
	mnt[0] = mnt_ro[0] = '\0';
	return 0;
}

static int64_t journal_len(struct store *st)
{
	struct journal_entry head;
	assert_int_equal(journal_head(st, &head), CM_OK);
	return head.seq;
}

/* An open ticket of the cashier with n items, saved in the store. */
static struct sale *ring_up(struct till *t, int n)
{
	struct sale *s;
	CU_CHECK(t, sale_open(t, &s));
	for (int i = 0; i < n; i++)
		if (sale_scan(s, cu_sku(i + 1), 0) != CM_OK)
			fail_msg("scan: %s", sale_errmsg(s));
	return s;
}

/* Runs the "nothing partial" checks on a closed store with the sqlite3
 * tool, and the journal check through the engine. */
static void check_whole(const char *db)
{
	static const char *const zero[] = {
		"SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)",
		"SELECT count(*) FROM sales s WHERE (SELECT COALESCE(sum(amount), 0) FROM sale_tenders t WHERE t.sale_id = s.id) < s.due",
		("SELECT count(*) FROM sales s WHERE (SELECT count(*) FROM stock_movements m WHERE m.ref = s.receipt_no) "
		 "<> (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id AND NOT l.voided)"),
		"SELECT count(*) FROM journal j WHERE j.type = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.journal_seq = j.seq)",
		"SELECT count(*) FROM stock_movements m WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.receipt_no = m.ref)",
	};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cu_sql_int(db, zero[i]) != 0)
			fail_msg("partial write found: %s", zero[i]);
	char *ic = cu_sql_text(db, "PRAGMA integrity_check");
	assert_string_equal(ic, "ok\n");
	free(ic);
	struct store *st;
	struct till *t;
	cu_open(db, &st, &t);
	struct journal_check chk;
	if (journal_verify(st, &chk) != CM_OK)
		fail_msg("journal_verify: sequence %lld: %s", (long long)chk.bad_seq, chk.why);
	cu_close(st, t);
}

static void pay(struct sale *s)
{
	if (sale_cash_due(s) > 0 && sale_add_tender(s, TENDER_CASH, sale_cash_due(s), NULL) != CM_OK)
		fail_msg("tender: %s", sale_errmsg(s));
}

/* ---- (a) read-only file system ---- */

static void test_readonly(void **state)
{
	(void)state;
	char dir[4096], db[4200], err[400];
	snprintf(dir, sizeof dir, "%s", tu_tmpdir("durability_ro"));
	if (!mount_tmpfs(dir, "8m")) {
		skip();
		return;
	}
	tu_path(db, sizeof db, dir, "store.db");
	cu_make_store(db);

	/* A ticket being rung up when the file system turns read-only. */
	struct store *st;
	struct till *t;
	cu_open(db, &st, &t);
	CU_CHECK(t, auth_login(t, "101", CU_PIN_CASHIER));
	struct sale *s = ring_up(t, 3);
	int64_t ticket = sale_ticket(s)->id;
	sale_free(s);
	CU_CHECK(t, auth_logout(t));
	int64_t before = journal_len(st);
	cu_close(st, t);   /* a clean close: no -wal or -shm file is left */
	char wal[4300];
	snprintf(wal, sizeof wal, "%s-wal", db);
	assert_int_not_equal(access(wal, F_OK), 0);

	remount("8m", true);
	/* Opening says why in plain words; nothing is created. */
	enum cm_rc rc = store_open(db, 0, 0, &st, err, sizeof err);
	assert_int_equal(rc, CM_READONLY);
	assert_null(st);
	if (!strstr(err, "cannot be written") || !strstr(err, "read-only"))
		fail_msg("message on a read-only file system: %s", err);
	printf("durability: read-only: %s\n", err);
	char db2[4200];
	tu_path(db2, sizeof db2, dir, "new.db");
	assert_int_equal(store_open(db2, STORE_CREATE, 0, &st, err, sizeof err), CM_READONLY);
	assert_int_not_equal(access(db2, F_OK), 0);
	/* The command line: exit 6 with the same words. */
	char cmd[9000];
	int status;
	snprintf(cmd, sizeof cmd, "echo %s | '%s' --db '%s' --user 101 user lock 1 2>&1",
	         CU_PIN_CASHIER, cu_coopmart(), db);
	char *out = cu_run(cmd, &status);
	if (status != 6 || !strstr(out, "read-only"))
		fail_msg("coopmart on a read-only store: exit %d: %s", status, out);
	free(out);

	/* Writable again: everything as it was, the ticket restored whole
	 * and sold. */
	remount("8m", false);
	cu_open(db, &st, &t);
	assert_int_equal(journal_len(st), before);
	CU_CHECK(t, auth_login(t, "101", CU_PIN_CASHIER));
	CU_CHECK(t, sale_restore(t, &s));
	assert_int_equal(sale_ticket(s)->id, ticket);
	assert_int_equal(sale_line_count(s), 3);
	pay(s);
	struct sale_result r;
	if (sale_complete(s, &r) != CM_OK)
		fail_msg("complete after remounting read-write: %s", sale_errmsg(s));
	sale_free(s);

	/* While the store is live, a second program that sees it through a
	 * read-only view of the same folder is refused at its first write. */
	snprintf(mnt_ro, sizeof mnt_ro, "%s-ro", dir);
	if (mkdir(mnt_ro, 0700) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", mnt_ro, strerror(errno));
	if (mount(dir, mnt_ro, NULL, MS_BIND, NULL) != 0 ||
	    mount(NULL, mnt_ro, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
		fail_msg("read-only bind of %s: %s", dir, strerror(errno));
	char rodb[4200];
	tu_path(rodb, sizeof rodb, mnt_ro, "store.db");
	int64_t live_before = journal_len(st);
	struct store *st2;
	rc = store_open(rodb, 0, 0, &st2, err, sizeof err);
	if (rc == CM_OK) {
		struct till *t2;
		assert_int_equal(till_open(st2, &t2, err, sizeof err), CM_OK);
		rc = auth_login(t2, "101", CU_PIN_CASHIER);
		snprintf(err, sizeof err, "%s", till_errmsg(t2));
		till_free(t2);
		store_close(st2);
	}
	assert_int_equal(rc, CM_READONLY);
	if (!strstr(err, "read-only"))
		fail_msg("message through a read-only view: %s", err);
	assert_int_equal(journal_len(st), live_before);
	cu_close(st, t);
	check_whole(db);
}

/* ---- (b) full disk ---- */

/* Fills the file system holding dir until it refuses; returns the fd. */
static int fill_disk(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	static char block[4096];
	memset(block, 'x', sizeof block);
	for (;;) {
		ssize_t n = write(fd, block, sizeof block);
		if (n < 0 && errno == ENOSPC)
			break;
		if (n < 0)
			fail_msg("filling the disk: %s", strerror(errno));
	}
	/* The last odd bytes too. */
	while (write(fd, block, 1) == 1)
		;
	fsync(fd);
	return fd;
}

static void test_full_disk(void **state)
{
	(void)state;
	char dir[4096], db[4200], filler[4200];
	snprintf(dir, sizeof dir, "%s", tu_tmpdir("durability_full"));
	if (!mount_tmpfs(dir, "16m")) {
		skip();
		return;
	}
	tu_path(db, sizeof db, dir, "store.db");
	tu_path(filler, sizeof filler, dir, "filler");
	cu_make_store(db);

	struct store *st;
	struct till *t;
	cu_open(db, &st, &t);
	CU_CHECK(t, auth_login(t, "101", CU_PIN_CASHIER));
	/* One good sale first, so the report has something to agree with. */
	struct sale *s = ring_up(t, 2);
	pay(s);
	struct sale_result r;
	CU_CHECK(t, sale_complete(s, &r));
	sale_free(s);

	s = ring_up(t, 12);
	pay(s);
	int64_t ticket = sale_ticket(s)->id;
	size_t lines = sale_line_count(s);
	cm_money due = sale_totals(s)->due;
	int64_t before = journal_len(st);
	int64_t sales_before = 0;
	assert_int_equal(store_sale_next_id(st, &sales_before), CM_OK);

	int fd = fill_disk(filler);
	/* Completing the sale fails, says the disk is full, writes nothing. */
	enum cm_rc rc = sale_complete(s, &r);
	if (rc != CM_FULL)
		fail_msg("sale_complete on a full disk: %s: %s", cm_rc_name(rc), sale_errmsg(s));
	if (!strstr(sale_errmsg(s), "disk is full"))
		fail_msg("message on a full disk: %s", sale_errmsg(s));
	printf("durability: full disk: %s\n", sale_errmsg(s));
	assert_int_equal(journal_len(st), before);
	int64_t next = 0;
	assert_int_equal(store_sale_next_id(st, &next), CM_OK);
	assert_int_equal(next, sales_before);
	/* The ticket is intact, in memory and in the store. */
	assert_int_equal(sale_line_count(s), lines);
	assert_int_equal(sale_totals(s)->due, due);
	int64_t active = 0;
	assert_int_equal(store_ticket_active(st, &active), CM_OK);
	assert_int_equal(active, ticket);
	struct ticket_rec tk;
	struct line_rec *tl;
	struct tender_rec *tt;
	size_t ntl, ntt;
	assert_int_equal(store_ticket_load(st, ticket, &tk, &tl, &ntl, &tt, &ntt), CM_OK);
	assert_int_equal(ntl, lines);
	assert_int_equal(ntt, 1);
	free(tl);
	free(tt);
	/* Trying again while still full fails the same way. */
	assert_int_equal(sale_complete(s, &r), CM_FULL);
	assert_int_equal(journal_len(st), before);

	/* Space again: the same sale completes. */
	close(fd);
	assert_int_equal(unlink(filler), 0);
	rc = sale_complete(s, &r);
	if (rc != CM_OK)
		fail_msg("sale_complete after freeing space: %s", sale_errmsg(s));
	assert_int_equal(r.journal_seq, before + 1);
	sale_free(s);
	struct sale_record rec;
	CU_CHECK(t, history_load(t, 0, r.receipt_no, &rec));
	assert_int_equal(rec.nlines, lines);
	assert_int_equal(rec.h.totals.due, due);
	history_free(&rec);
	assert_int_equal(store_ticket_active(st, &active), CM_NOTFOUND);

	/* A scan on a full disk: refused, and the line is not half there. */
	s = ring_up(t, 1);
	fd = fill_disk(filler);
	rc = sale_scan(s, cu_sku(7), 0);
	assert_true(rc == CM_FULL);
	assert_int_equal(sale_line_count(s), 1);
	close(fd);
	assert_int_equal(unlink(filler), 0);
	CU_CHECK(t, sale_scan(s, cu_sku(7), 0));
	assert_int_equal(sale_line_count(s), 2);
	pay(s);
	CU_CHECK(t, sale_complete(s, &r));
	sale_free(s);
	cu_close(st, t);
	check_whole(db);
	assert_int_equal(cu_sql_int(db, "SELECT count(*) FROM sales"), 3);
}

/* ---- (c) the database locked by another writer ---- */

static void test_busy(void **state)
{
	(void)state;
	char db[4200];
	tu_path(db, sizeof db, tu_tmpdir("durability_busy"), "store.db");
	cu_make_store(db);

	struct store *st;
	struct till *t;
	cu_open(db, &st, &t);
	CU_CHECK(t, auth_login(t, "101", CU_PIN_CASHIER));
	struct sale *s = ring_up(t, 4);
	pay(s);
	size_t lines = sale_line_count(s);
	int64_t ticket = sale_ticket(s)->id;
	int64_t before = journal_len(st);

	/* Another program (a second till, the sync agent) holds the write
	 * lock until told to let go. */
	int locked[2], release[2];
	assert_int_equal(pipe(locked), 0);
	assert_int_equal(pipe(release), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(locked[0]);
		close(release[1]);
		struct store *other;
		char err[400];
		if (store_open(db, 0, 0, &other, err, sizeof err) != CM_OK ||
		    store_begin(other) != CM_OK)
			_exit(2);
		if (write(locked[1], "L", 1) != 1)
			_exit(3);
		char c;
		if (read(release[0], &c, 1) != 1)
			_exit(4);
		store_rollback(other);
		store_close(other);
		_exit(0);
	}
	close(locked[1]);
	close(release[0]);
	char c;
	assert_int_equal(read(locked[0], &c, 1), 1);

	store_set_busy_timeout(st, 200);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct sale_result r;
	enum cm_rc rc = sale_complete(s, &r);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long waited = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	if (rc != CM_BUSY)
		fail_msg("sale_complete while locked: %s: %s", cm_rc_name(rc), sale_errmsg(s));
	if (!strstr(sale_errmsg(s), "in use by another program") ||
	    !strstr(sale_errmsg(s), "nothing was saved"))
		fail_msg("message while locked: %s", sale_errmsg(s));
	printf("durability: busy after %ld ms: %s\n", waited, sale_errmsg(s));
	assert_true(waited >= 150 && waited < 5000);
	/* Nothing partial; the ticket as it was. */
	assert_int_equal(journal_len(st), before);
	assert_int_equal(sale_line_count(s), lines);
	int64_t active = 0;
	assert_int_equal(store_ticket_active(st, &active), CM_OK);
	assert_int_equal(active, ticket);
	/* A scan while locked is refused the same way and adds nothing. */
	struct sale *s2 = NULL;
	assert_int_equal(sale_open(t, &s2), CM_STATE); /* the ticket is still open */

	/* The command line says the same with exit 5. */
	char cmd[9000];
	int status;
	snprintf(cmd, sizeof cmd, "echo %s | '%s' --db '%s' --user 1 setting set receipt_footer x 2>&1",
	         CU_PIN_ADMIN, cu_coopmart(), db);
	char *out = cu_run(cmd, &status);
	if (status != 5 || !strstr(out, "in use by another program"))
		fail_msg("coopmart while the database is locked: exit %d: %s", status, out);
	free(out);

	/* Released: the same sale completes. */
	assert_int_equal(write(release[1], "R", 1), 1);
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	close(locked[0]);
	close(release[1]);
	rc = sale_complete(s, &r);
	if (rc != CM_OK)
		fail_msg("sale_complete after the lock was released: %s", sale_errmsg(s));
	assert_int_equal(r.journal_seq, before + 1);
	sale_free(s);
	cu_close(st, t);
	check_whole(db);
	assert_int_equal(cu_sql_int(db, "SELECT count(*) FROM sales"), 1);
}

int main(void)
{
	setenv("COOPMART_FAKE_TIME", CU_FAKE_TIME, 1);
	if (!getenv("TZ"))
		setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_readonly, teardown),
		cmocka_unit_test_teardown(test_full_disk, teardown),
		cmocka_unit_test(test_busy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
