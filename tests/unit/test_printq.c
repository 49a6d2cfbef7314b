/* The print queue (engine/printq.h) on a real store: a completed sale has
 * its receipt queued in the same transaction; a printer that fails leaves
 * the sale committed and the job waiting with its reason; when the printer
 * is back the job prints exactly once. Also the ESC/POS rendering of a
 * known sale against the golden file the USB driver test sends byte for
 * byte (tests/drivers/golden/receipt_58.bin; regenerate with
 * COOPMART_UPDATE_GOLDEN=1 and review), reprints, the no-sale drawer
 * opening, the printer settings and the worker thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.c"
#include "escdecode.c"
#include "drivers/escpos.h"
#include "engine/printq.h"
#include "engine/history.h"
#include "core/checkcode.h"

static int setup(void **state)
{
	struct fx *f = fx_new("printq");

	fx_login(f, "300");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* Two noodles, rice and oil paid in cash (Rp200.000): a known sale. */
static int64_t sell(struct fx *f, bool cash)
{
	struct sale *s = NULL;
	struct sale_result r;

	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 2000), CM_OK);
	assert_int_equal(sale_scan(s, FX_BERAS_EAN, 0), CM_OK);
	assert_int_equal(sale_scan(s, FX_MINYAK_EAN, 0), CM_OK);
	if (cash)
		assert_int_equal(sale_add_tender(s, TENDER_CASH, 200000, NULL), CM_OK);
	else
		assert_int_equal(sale_add_tender(s, TENDER_DEBIT, sale_noncash_due(s), "778899"),
		                 CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	return r.sale_id;
}

static int64_t waiting(struct fx *f)
{
	int64_t n = -1;

	assert_int_equal(store_print_waiting(f->st, &n), CM_OK);
	return n;
}

static char *path_in(struct fx *f, const char *name)
{
	static char buf[1300];

	snprintf(buf, sizeof buf, "%s/%s", f->dir, name);
	return buf;
}

/* The real transports behind the port table (drivers/printport.h). */
static struct printport *test_port;

static struct printq_dev *dev(struct fx *f)
{
	struct printport_opts o = { .stall_ms = 500, .answer_ms = 200, .connect_ms = 500 };
	struct printq_dev *d;

	test_port = printport_new(&o);
	assert_non_null(test_port);
	d = printq_dev_new(path_in(f, "spool.txt"), &printport_ops, test_port);
	assert_non_null(d);
	return d;
}

static void dev_free(struct printq_dev *d)
{
	printq_dev_free(d);
	printport_ops.free(test_port);
	test_port = NULL;
}

static size_t count(const uint8_t *hay, size_t n, const void *needle, size_t k)
{
	size_t c = 0;

	for (size_t i = 0; i + k <= n; i++)
		c += memcmp(hay + i, needle, k) == 0;
	return c;
}

static void test_sale_queues_receipt(void **state)
{
	struct fx *f = *state;
	struct print_job j;
	int64_t id = sell(f, true);

	assert_int_equal(waiting(f), 1);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	assert_int_equal(j.kind, PRINT_RECEIPT);
	assert_int_equal(j.sale_id, id);
	assert_false(j.kick);         /* the drawer is never queued */
	assert_false(j.reprint);
	store_print_job_free(&j);

	/* By card: no drawer. Without a printer: nothing queued. */
	id = sell(f, false);
	assert_int_equal(store_print_next(f->st, j.id, &j), CM_OK);
	assert_int_equal(j.sale_id, id);
	assert_false(j.kick);
	store_print_job_free(&j);
	fx_set(f, SET_PRINTER, "none");
	sell(f, true);
	assert_int_equal(waiting(f), 2);

	/* Queued jobs survive a restart. */
	fx_reopen(f);
	assert_int_equal(waiting(f), 2);
}

/* The known sale on a 58 mm printer, byte for byte. */
static void test_golden_receipt(void **state)
{
	struct fx *f = *state;
	char spec[1400], golden[4096];
	const char *slash = strrchr(__FILE__, '/');
	struct printq_dev *d;
	struct printq_status st;
	size_t len, glen;
	char *got, *want;

	snprintf(spec, sizeof spec, "file:%s", path_in(f, "out.bin"));
	fx_set(f, SET_PRINTER, spec);
	fx_set(f, SET_PRINTER_PROFILE, "58");
	sell(f, true);
	d = dev(f);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.printed, 1);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(st.state, PRINTQ_READY);
	dev_free(d);

	got = tu_read_file(path_in(f, "out.bin"), &len);
	assert_non_null(got);
	snprintf(golden, sizeof golden, "%.*s../drivers/golden/receipt_58.bin",
	         slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__);
	if (getenv("COOPMART_UPDATE_GOLDEN")) {
		FILE *fp = fopen(golden, "wb");

		assert_non_null(fp);
		assert_int_equal(fwrite(got, 1, len, fp), len);
		fclose(fp);
	}
	want = tu_read_file(golden, &glen);
	assert_non_null(want);
	assert_int_equal(len, glen);
	assert_memory_equal(got, want, len);

	/* What the golden holds: init, centred bold heading, double TOTAL,
	 * CODE128 of the receipt number, partial cut, and no drawer: it
	 * opens at the sale (printq_open_drawer), never with the paper. */
	assert_memory_equal(got, "\x1b@\x1bt\x00\x1b" "D\x08\x10\x18\x00\x1b" "a\x01\x1b" "E\x01", 17);
	assert_int_equal(count((uint8_t *)got, len, "\x1d!\x11", 3), 1);
	assert_int_equal(count((uint8_t *)got, len, "\x1dkI\x0c{BT01-00000", 15), 1);
	assert_int_equal(count((uint8_t *)got, len, "\x1bp", 2), 0);
	assert_memory_equal(got + len - 4, "\x1dVB\x03", 4);
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)got[i] < 0x80);
	free(got);
	free(want);
}

/* A port nobody listens on. */
static int closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_failure_keeps_job_then_prints_once(void **state)
{
	struct fx *f = *state;
	char spec[1400];
	struct printq_dev *d = dev(f);
	struct printq_status st;
	struct sale_record rec;
	struct print_job j;
	int64_t id;
	size_t len;
	char *out;

	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", closed_port());
	fx_set(f, SET_PRINTER, spec);
	id = sell(f, true);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.state, PRINTQ_OFFLINE);
	assert_int_equal(st.printed, 0);
	assert_int_equal(st.waiting, 1);
	assert_non_null(strstr(st.detail, "refused"));
	/* The sale stands; the job waits with the reason. */
	assert_int_equal(history_load(f->t, id, NULL, &rec), CM_OK);
	history_free(&rec);
	assert_int_equal(fx_count_type(f, "sale"), 1);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	assert_int_equal(j.attempts, 1);
	assert_non_null(strstr(j.last_error, "refused"));
	store_print_job_free(&j);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.waiting, 1);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	assert_int_equal(j.attempts, 1);     /* the same reason: not written again */
	store_print_job_free(&j);

	/* The printer is back: printed once, not again on the next pass. */
	snprintf(spec, sizeof spec, "file:%s", path_in(f, "out.bin"));
	fx_set(f, SET_PRINTER, spec);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.printed, 1);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.printed, 0);
	out = tu_read_file(path_in(f, "out.bin"), &len);
	assert_int_equal(count((uint8_t *)out, len, "\x1dVB", 3), 1);
	free(out);
	dev_free(d);
}

/* A network printer that answers the status questions before the receipt,
 * takes 100 bytes of it and hangs up (switched off mid-receipt): the bytes
 * went into the socket, but the job stays queued with the reason. */
static int hangup_fd = -1;

static void *hang_up(void *arg)
{
	uint8_t buf[256];
	size_t total = 0;
	int c = accept(hangup_fd, NULL, NULL), asked = 0;
	ssize_t n;

	(void)arg;
	while (c >= 0 && total < 9 + 100 && (n = read(c, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i + 1 < n; i++)
			if (buf[i] == 0x10 && buf[i + 1] == 0x04 && asked++ < 3 &&
			    write(c, "\x12", 1) != 1)
				break;
		total += (size_t)n;
	}
	if (c >= 0)
		close(c);
	return NULL;
}

static void test_hangup_mid_receipt(void **state)
{
	struct fx *f = *state;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	char spec[1400];
	struct printq_dev *d = dev(f);
	struct printq_status st;
	struct print_job j;
	pthread_t th;

	hangup_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(hangup_fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(hangup_fd, (struct sockaddr *)&a, &al), 0);
	assert_int_equal(listen(hangup_fd, 1), 0);
	assert_int_equal(pthread_create(&th, NULL, hang_up, NULL), 0);
	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", ntohs(a.sin_port));
	fx_set(f, SET_PRINTER, spec);
	sell(f, true);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	pthread_join(th, NULL);
	close(hangup_fd);
	assert_int_equal(st.printed, 0);
	assert_int_equal(st.waiting, 1);
	assert_int_equal(st.state, PRINTQ_OFFLINE);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	assert_int_equal(j.attempts, 1);
	assert_true(j.last_error[0] != '\0');
	store_print_job_free(&j);
	dev_free(d);
}

/* Unset printer: text receipts in the spool file, as before. */
static void test_spool_default(void **state)
{
	struct fx *f = *state;
	struct printq_dev *d = dev(f);
	struct printq_status st;
	char *text;

	sell(f, true);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.printed, 1);
	text = tu_read_file(path_in(f, "spool.txt"), NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "TOTAL"));
	assert_non_null(strstr(text, "T01-000001"));
	assert_non_null(strstr(text, "\f\n"));
	assert_null(strchr(text, 0x1b));
	free(text);
	dev_free(d);
}

static void test_reprint(void **state)
{
	struct fx *f = *state;
	int64_t id = sell(f, true);
	struct print_job j;
	size_t len;
	uint8_t *bytes;

	assert_int_equal(printq_reprint(f->t, id, NULL), CM_OK);
	assert_int_equal(fx_count_type(f, "receipt_reprinted"), 1);
	assert_int_equal(waiting(f), 2);
	assert_int_equal(store_print_next(f->st, 1, &j), CM_OK);
	assert_true(j.reprint);
	bytes = printq_render(f->t, &j, false, &len);
	assert_non_null(bytes);
	assert_int_equal(count(bytes, len, "CETAK ULANG", 11), 1);
	assert_int_equal(count(bytes, len, "\x1bp", 2), 0);
	free(bytes);
	store_print_job_free(&j);
	assert_int_equal(printq_reprint(f->t, 9999, NULL), CM_NOTFOUND);
}

/* A cashier needs a supervisor to open the drawer without a sale; it is
 * journaled and opened at once, never queued. */
static void test_no_sale(void **state)
{
	struct fx *f = *state;
	struct approval ap;
	char spec[1400];

	assert_int_equal(printq_no_sale(f->t, NULL), CM_NEED_OVERRIDE);
	ap = fx_approve(f, ACT_NO_SALE, "201");
	assert_int_equal(printq_no_sale(f->t, &ap), CM_STATE);   /* the text spool: no drawer */
	snprintf(spec, sizeof spec, "file:%s", path_in(f, "out.bin"));
	fx_set(f, SET_PRINTER, spec);
	assert_int_equal(printq_no_sale(f->t, &ap), CM_OK);
	assert_int_equal(fx_count_type(f, "no_sale"), 1);
	assert_int_equal(waiting(f), 0);

	fx_set(f, SET_DRAWER, "none");
	assert_int_equal(printq_no_sale(f->t, &ap), CM_STATE);
	assert_int_equal(fx_count_type(f, "no_sale"), 1);
}

/* The drawer opens at the sale when the printer is there; when it is not,
 * the caller hears why and nothing waits: the printer coming back later
 * gets the receipt but never a drawer kick. */
static void test_drawer_now_or_never(void **state)
{
	struct fx *f = *state;
	struct printq_dev *d = dev(f);
	struct printq_status st;
	struct sale *s = NULL;
	struct sale_result r;
	char spec[1400], why[128];
	size_t len;
	char *out;

	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", closed_port());
	fx_set(f, SET_PRINTER, spec);
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 5000, NULL), CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	assert_true(r.open_drawer);
	assert_false(printq_open_drawer(f->t, d, why, sizeof why));
	assert_non_null(strstr(why, "refused"));
	assert_int_equal(waiting(f), 1);             /* the receipt, nothing else */

	snprintf(spec, sizeof spec, "file:%s", path_in(f, "out.bin"));
	fx_set(f, SET_PRINTER, spec);
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_int_equal(st.printed, 1);
	out = tu_read_file(path_in(f, "out.bin"), &len);
	assert_int_equal(count((uint8_t *)out, len, "\x1bp", 2), 0);
	free(out);

	assert_true(printq_open_drawer(f->t, d, why, sizeof why));
	out = tu_read_file(path_in(f, "out.bin"), &len);
	assert_int_equal(count((uint8_t *)out, len, "\x1bp\x00\x32\x32", 5), 1);
	free(out);

	/* Card: no drawer; drawer none: none. */
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, FX_MIE_EAN, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_DEBIT, sale_noncash_due(s), "1"), CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	assert_false(r.open_drawer);
	fx_set(f, SET_DRAWER, "none");
	assert_false(printq_open_drawer(f->t, d, why, sizeof why));
	dev_free(d);
}

/* A port of the test's own behind the same table: a printer whose drawer
 * switch reads open (DLE EOT 1 bit 2). */
static bool fake_drawer_open;

static enum printer_rc fake_open(struct printport *p, const char *spec)
{
	(void)p, (void)spec;
	return PRINTER_OK;
}

static bool fake_is_open(const struct printport *p)
{
	(void)p;
	return true;
}

static enum printer_rc fake_write(struct printport *p, const void *buf, size_t n)
{
	(void)p, (void)buf, (void)n;
	return PRINTER_OK;
}

static enum printer_rc fake_status(struct printport *p, struct escstatus *out)
{
	(void)p;
	memset(out, 0, sizeof *out);
	assert_true(escstatus_parse(1, fake_drawer_open ? 0x16 : 0x12, out));
	return PRINTER_OK;
}

static enum printer_rc fake_device_id(struct printport *p, struct escstatus_devid *out)
{
	(void)p, (void)out;
	return PRINTER_UNSUPPORTED;
}

static const char *fake_errmsg(const struct printport *p)
{
	(void)p;
	return "";
}

static void fake_close(struct printport *p)
{
	(void)p;
}

static const struct printport_ops fake_ops = {
	fake_open, fake_is_open, fake_write, fake_status, fake_device_id, fake_errmsg,
	fake_close, fake_close,
};

/* A drawer left open: the next sale waits for it to be closed, and the
 * journal says so once per opening. */
static void test_drawer_left_open(void **state)
{
	struct fx *f = *state;
	struct printq_dev *d = printq_dev_new(path_in(f, "spool.txt"), &fake_ops, NULL);
	struct printq_status st;
	struct sale *s = NULL;

	fx_set(f, SET_PRINTER, "tcp:127.0.0.1:9");
	fake_drawer_open = true;
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_true(st.drawer_open);
	till_drawer_seen(f->t, st.drawer_open);
	assert_int_equal(sale_open(f->t, &s), CM_STATE);
	assert_non_null(strstr(till_errmsg(f->t), "drawer"));
	assert_int_equal(sale_open(f->t, &s), CM_STATE);
	assert_int_equal(fx_count_type(f, "drawer_left_open"), 1);

	fake_drawer_open = false;
	assert_int_equal(printq_pass(f->t, d, &st), CM_OK);
	assert_false(st.drawer_open);
	till_drawer_seen(f->t, st.drawer_open);
	assert_int_equal(sale_open(f->t, &s), CM_OK);
	sale_free(s);
	assert_int_equal(fx_count_type(f, "drawer_left_open"), 1);
	printq_dev_free(d);
}

/* The dot-matrix printer: 40 columns, no cut, no barcode command. */
/* A page of text (X/Z report, return receipt): queued on its own, printed
 * as it is with a cut and never a drawer kick; to the spool as text;
 * nothing with printer none. */
static bool has_bytes(const uint8_t *b, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return true;
	return false;
}

static void test_text_page(void **state)
{
	struct fx *f = *state;
	struct print_job j;
	size_t len;
	uint8_t *bytes;

	assert_int_equal(printq_enqueue_text(f->t, "LAPORAN Z\nNo. 1\n"), CM_OK);
	assert_int_equal(waiting(f), 1);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	assert_int_equal(j.kind, PRINT_REPORT);
	assert_false(j.kick);
	bytes = printq_render(f->t, &j, false, &len);
	assert_non_null(bytes);
	assert_memory_equal(bytes, "\x1b@", 2);
	assert_true(has_bytes(bytes, len, "LAPORAN Z", 9));
	assert_true(has_bytes(bytes, len, "No. 1", 5));
	assert_true(has_bytes(bytes, len, "\x1dV", 2));        /* the cut */
	assert_false(has_bytes(bytes, len, "\x1bp", 2));      /* no drawer */
	free(bytes);
	bytes = printq_render(f->t, &j, true, &len);             /* the spool */
	assert_int_equal(len, strlen("LAPORAN Z\nNo. 1\n\f\n"));
	assert_memory_equal(bytes, "LAPORAN Z\nNo. 1\n\f\n", len);
	free(bytes);
	store_print_job_free(&j);

	assert_int_equal(printq_enqueue_text(f->t, "X"), CM_OK);
	fx_set(f, SET_PRINTER, "none");
	assert_int_equal(printq_enqueue_text(f->t, "Y"), CM_OK);
	assert_int_equal(waiting(f), 2);
}

static void test_dotmatrix_receipt(void **state)
{
	struct fx *f = *state;
	struct print_job j;
	size_t len;
	uint8_t *bytes;

	fx_set(f, SET_PRINTER_PROFILE, "dotmatrix");
	sell(f, true);
	assert_int_equal(store_print_next(f->st, 0, &j), CM_OK);
	bytes = printq_render(f->t, &j, false, &len);
	assert_non_null(bytes);
	assert_int_equal(count(bytes, len, "\x1dV", 2), 0);
	assert_int_equal(count(bytes, len, "\x1dk", 2), 0);
	assert_int_equal(count(bytes, len, "\x1d!", 2), 0);
	assert_int_equal(count(bytes, len, "----------------------------------------\n", 41), 5);
	assert_int_equal(count(bytes, len, "T01-000001\n", 11), 2);
	free(bytes);
	store_print_job_free(&j);
}

static void test_settings(void **state)
{
	struct fx *f = *state;
	int before = fx_count_type(f, "setting_changed");

	auth_logout(f->t);
	fx_login(f, "100");
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "usb:04b8"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "serial:/dev/ttyS0"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "tcp:10.0.0.5:99999"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "usb:04b8:0e15"), CM_OK);
	assert_string_equal(till_config(f->t)->printer, "usb:04b8:0e15");
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "tcp:10.0.0.5"), CM_OK);
	assert_int_equal(till_setting_set(f->t, SET_PRINTER, "none"), CM_OK);
	assert_string_equal(till_config(f->t)->printer_profile, "58");
	assert_int_equal(till_setting_set(f->t, SET_RECEIPT_COLS, "48"), CM_OK);
	assert_string_equal(till_config(f->t)->printer_profile, "80");
	assert_int_equal(till_setting_set(f->t, SET_PRINTER_PROFILE, "76"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_PRINTER_PROFILE, "80-42"), CM_OK);
	assert_int_equal(till_setting_set(f->t, SET_DRAWER, "yes"), CM_INVALID);
	assert_int_equal(till_setting_set(f->t, SET_DRAWER, "none"), CM_OK);
	assert_false(till_config(f->t)->drawer);
	assert_int_equal(fx_count_type(f, "setting_changed"), before + 6);
}

/* The worker (drivers/printwork.h) running the queue's passes: its own
 * connection, a pipe the loop can poll; a drawer request answered at once
 * and never carried to a later pass. */
static void test_worker(void **state)
{
	struct fx *f = *state;
	struct printwork *q = NULL;
	struct printq_work *w;
	struct printport *port = printport_new(NULL);
	struct printq_status st = { 0 };
	char err[256], spec[1400];
	size_t len;
	char *out;

	snprintf(spec, sizeof spec, "file:%s", path_in(f, "worker.bin"));
	fx_set(f, SET_PRINTER, spec);
	w = printq_work_new(f->path, &printport_ops, port);
	assert_non_null(w);
	assert_true(printwork_start(&printq_work_ops, w, sizeof st, &q, err, sizeof err));
	sell(f, true);
	printwork_kick(q);
	printwork_request(q, PRINTQ_REQ_DRAWER);
	for (int i = 0; i < 100; i++) {
		struct pollfd p = { .fd = printwork_fd(q), .events = POLLIN };

		poll(&p, 1, 100);
		printwork_status(q, &st);
		if (st.state == PRINTQ_READY && st.waiting == 0 && st.drawer_asks == 1)
			break;
	}
	assert_int_equal(st.state, PRINTQ_READY);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(st.drawer_asks, 1);
	assert_int_equal(st.drawer, PRINTQ_DRAWER_OPENED);
	printwork_stop(q);
	printq_work_free(w);
	printport_ops.free(port);
	assert_int_equal(waiting(f), 0);
	out = tu_read_file(path_in(f, "worker.bin"), &len);
	assert_int_equal(count((uint8_t *)out, len, "\x1bp", 2), 1);
	free(out);
}

/* ---- what the paper shows (tests/unit/escdecode.c) --------------------- */

#define TOTALCARE_EAN "8991000000904"
#define KULKAS_EAN    "8991000000911"

/* One of ean at price, paid in cash (the exact total). */
static int64_t sell_one(struct fx *f, const char *ean)
{
	struct sale *s = NULL;
	struct sale_result r;

	assert_int_equal(sale_open(f->t, &s), CM_OK);
	assert_int_equal(sale_scan(s, ean, 0), CM_OK);
	assert_int_equal(sale_add_tender(s, TENDER_CASH, 10000000, NULL), CM_OK);
	assert_int_equal(sale_complete(s, &r), CM_OK);
	sale_free(s);
	return r.sale_id;
}

/* The bytes of the newest waiting job, decoded. */
static void print_newest(struct fx *f, struct esc_doc *d)
{
	struct print_job j, last = { 0 };
	int64_t after = 0;
	size_t len;
	uint8_t *bytes;

	while (store_print_next(f->st, after, &j) == CM_OK) {
		after = j.id;
		store_print_job_free(&last);
		last = j;
	}
	assert_true(after > 0);
	bytes = printq_render(f->t, &last, false, &len);
	assert_non_null(bytes);
	if (!esc_decode(bytes, len, d))
		fail_msg("undecodable ESC/POS at byte %zu of %zu", d->bad_at, len);
	free(bytes);
	store_print_job_free(&last);
}

static int lines_of_height(const struct esc_doc *d, int h)
{
	int n = 0;

	for (int i = 0; i < d->nlines; i++)
		n += d->lines[i].height == h;
	return n;
}

/* An item whose name starts with "TOTAL " is an item line: only the
 * receipt's own total is big, whatever the catalogue calls things. */
static void test_total_care_is_an_ordinary_line(void **state)
{
	struct fx *f = *state;
	const struct esc_line *care, *total;
	struct esc_doc d;

	fx_item(f->st, "TC-190", "TOTAL CARE Pasta Gigi 190 g", 12500, 0, TAX_STANDARD, false, 0,
	        true, TOTALCARE_EAN);
	fx_set(f, SET_PRINTER_PROFILE, "58");
	sell_one(f, TOTALCARE_EAN);
	print_newest(f, &d);
	care = esc_find(&d, "TOTAL CARE Pasta Gigi 190 g");
	assert_non_null(care);
	assert_int_equal(care->width, 1);
	assert_int_equal(care->height, 1);
	assert_false(care->bold);
	assert_int_equal(lines_of_height(&d, 2), 1);
	total = esc_find(&d, "Rp12.500");
	assert_non_null(total);
	assert_int_equal(total->height, 2);
	assert_int_equal(total->width, 2);
	assert_non_null(strstr(total->text, "TOTAL"));
	assert_true(esc_widest(&d) <= 32);
}

/* Rp1.000.000 and more: double size would need 17+ of 16 columns on 58 mm;
 * the total goes double height at full width with every letter. */
static void test_big_total_fits_58(void **state)
{
	struct fx *f = *state;
	const struct esc_line *total;
	struct esc_doc d;

	fx_item(f->st, "KLK-01", "Kulkas 2 Pintu", 1250000, 0, TAX_STANDARD, false, 0, true,
	        KULKAS_EAN);
	fx_set(f, SET_PRINTER_PROFILE, "58");
	sell_one(f, KULKAS_EAN);
	print_newest(f, &d);
	total = esc_find(&d, "Rp1.250.000");
	assert_non_null(total);
	assert_non_null(strstr(total->text, "TOTAL"));
	assert_int_equal(total->height, 2);
	assert_true(esc_line_columns(total) <= 32);
	assert_true(total->bold);
	assert_true(esc_widest(&d) <= 32);

	/* 80 mm has room for double size. */
	fx_set(f, SET_PRINTER_PROFILE, "80");
	sell_one(f, KULKAS_EAN);
	print_newest(f, &d);
	total = esc_find(&d, "Rp1.250.000");
	assert_non_null(total);
	assert_int_equal(total->width, 2);
	assert_true(esc_widest(&d) <= 48);
}

/* A long name keeps its end ("1 kg"): wrapped on the receipt. */
static void test_long_name_wraps(void **state)
{
	struct fx *f = *state;
	struct esc_doc d;

	fx_item(f->st, "GUL-1", "Gula Pasir Cap Dua Gajah Putih Kemasan Ekonomis 1 kg", 17500, 0,
	        TAX_STANDARD, false, 0, true, KULKAS_EAN);
	fx_set(f, SET_PRINTER_PROFILE, "58");
	sell_one(f, KULKAS_EAN);
	print_newest(f, &d);
	assert_non_null(esc_find(&d, "Gula Pasir Cap Dua Gajah Putih"));
	assert_non_null(esc_find(&d, "Kemasan Ekonomis 1 kg"));
	assert_true(esc_widest(&d) <= 32);
}

/* The 40-column dot-matrix profile: the receipt and the X report are laid
 * out for 40 columns, none wider, no sizes or barcodes sent. */
static void test_dotmatrix_pages_fit_40(void **state)
{
	struct fx *f = *state;
	struct shift_report rep;
	struct esc_doc d;

	fx_set(f, SET_PRINTER_PROFILE, "dotmatrix");
	assert_int_equal(till_config(f->t)->receipt_columns, 40);
	sell(f, true);
	print_newest(f, &d);
	assert_int_equal(esc_widest(&d), 40);
	assert_int_equal(lines_of_height(&d, 2), 0);
	assert_int_equal(d.nbarcodes, 0);
	assert_int_equal(d.cuts, 0);

	auth_logout(f->t);
	fx_login(f, "200");
	assert_int_equal(shift_x_report(f->t, NULL, 0, &rep), CM_OK);
	assert_int_equal(printq_enqueue_text(f->t, rep.text), CM_OK);
	shift_report_free(&rep);
	print_newest(f, &d);
	assert_int_equal(esc_widest(&d), 40);
	assert_non_null(esc_find(&d, "LAPORAN X"));
}

/* The test page fits its own width on every profile, barcode included. */
static void test_test_page_fits(void **state)
{
	struct fx *f = *state;

	for (const struct escpos_profile *p = escpos_profiles(); p->name; p++) {
		struct esc_doc d;
		int64_t id;

		fx_set(f, SET_PRINTER_PROFILE, p->name);
		fx_set(f, SET_PRINTER, "tcp:printer-kasir-utama.koperasi-sejahtera.example:9100");
		assert_int_equal(printq_test_page(f->t, "MFG:EPSON;MDL:TM-T82X;CMD:ESC/POS;"
		                                  " a long device id line as printers send it",
		                                  &id), CM_OK);
		print_newest(f, &d);
		assert_true(esc_widest(&d) <= p->columns);
		for (int i = 0; i < d.nbarcodes; i++)
			assert_true(esc_code128_dots(&d.barcodes[i]) <= p->dots);
		assert_non_null(esc_find(&d, "1234567890"));
	}
}

/* A reprint and `sale show` print the heading the receipt had, not what
 * the settings say today. */
static void test_reprint_prints_as_it_was(void **state)
{
	struct fx *f = *state;
	struct sale_record rec;
	int64_t id = sell(f, true);
	char *text;

	fx_set(f, SET_STORE_NAME, "Koperasi Baru Bersatu");
	fx_set(f, SET_STORE_ADDRESS, "Jl. Pindahan 99");
	fx_set(f, SET_NPWP, "99.999.999.9-999.999");
	assert_int_equal(history_load(f->t, id, NULL, &rec), CM_OK);
	text = history_receipt(f->t, &rec, 0, true);
	assert_non_null(text);
	assert_non_null(strstr(text, "Koperasi Uji"));
	assert_null(strstr(text, "Koperasi Baru"));
	assert_null(strstr(text, "Pindahan"));
	assert_null(strstr(text, "99.999.999"));
	free(text);
	history_free(&rec);

	/* A new sale prints the new heading. */
	id = sell(f, true);
	assert_int_equal(history_load(f->t, id, NULL, &rec), CM_OK);
	text = history_receipt(f->t, &rec, 40, false);
	assert_non_null(strstr(text, "Koperasi Baru Bersatu"));
	free(text);
	history_free(&rec);
}

/* The lines after the check code's label joined, until want characters
 * (the code's length) are read; each line at most cols wide. */
static void code_text(const struct esc_doc *d, int cols, size_t want, char *out, size_t n)
{
	const struct esc_line *label = esc_find(d, "Kode cek struk (cek di HQ):");
	size_t len = 0;

	out[0] = '\0';
	assert_non_null(label);
	for (int k = (int)(label - d->lines) + 1; k < d->nlines && len < want; k++) {
		const char *t = d->lines[k].text;

		if (!*t || strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                     "0123456789-_.:") != strlen(t))
			break;
		assert_true(d->lines[k].chars <= cols);
		assert_true(len + strlen(t) < n);
		memcpy(out + len, t, strlen(t) + 1);
		len += strlen(t);
	}
}

/* The receipt's check code (core/checkcode.h): a model 2 QR code whose
 * data names the sale's journal event and its amount due, the same code
 * as text under it (wrapped to the paper), the same again on a reprint;
 * a printer without QR codes prints only the text. No store code (not
 * enrolled at HQ): no code at all. */
static void test_receipt_check_code(void **state)
{
	struct fx *f = *state;
	struct sale_record rec;
	struct checkcode c;
	struct esc_doc d;
	char code[CHECKCODE_MAX], joined[CHECKCODE_MAX * 2];
	int64_t id;

	fx_set(f, SET_PRINTER_PROFILE, "58");
	sell(f, true);
	print_newest(f, &d);
	assert_int_equal(d.qrs, 0);
	assert_null(esc_find(&d, "Kode cek struk"));

	fx_set(f, SET_STORE_CODE, "KMB-SMG");
	id = sell(f, true);
	print_newest(f, &d);
	assert_int_equal(d.qrs, 1);
	assert_int_equal(d.qr_model, 0x32);
	assert_true(d.qr_len > 0 && d.qr_len < sizeof code);
	memcpy(code, d.qr_data, d.qr_len);
	code[d.qr_len] = '\0';
	assert_true(checkcode_parse(code, &c));
	assert_int_equal(history_load(f->t, id, NULL, &rec), CM_OK);
	assert_string_equal(c.store, "KMB-SMG");
	assert_string_equal(c.terminal, "T01");
	assert_string_equal(c.receipt, rec.h.receipt_no);
	assert_int_equal(c.seq, rec.h.journal_seq);
	assert_memory_equal(c.hash, rec.hash_hex, CHECKCODE_HASH_HEX);
	assert_int_equal(c.due, rec.h.totals.due);
	history_free(&rec);
	/* The text under the QR code: every line fits, together they are the code. */
	code_text(&d, 32, strlen(code), joined, sizeof joined);
	assert_string_equal(joined, code);

	/* A reprint carries the same code. */
	assert_int_equal(printq_reprint(f->t, id, NULL), CM_OK);
	print_newest(f, &d);
	assert_int_equal(d.qrs, 1);
	assert_int_equal(d.qr_len, strlen(code));
	assert_memory_equal(d.qr_data, code, d.qr_len);

	/* An impact printer: no GS ( k, the code as text. */
	fx_set(f, SET_PRINTER_PROFILE, "dotmatrix");
	assert_int_equal(printq_reprint(f->t, id, NULL), CM_OK);
	print_newest(f, &d);
	assert_int_equal(d.qrs, 0);
	assert_int_equal(d.qr_len, 0);
	code_text(&d, 40, strlen(code), joined, sizeof joined);
	assert_string_equal(joined, code);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sale_queues_receipt),
		T(test_golden_receipt),
		T(test_failure_keeps_job_then_prints_once),
		T(test_hangup_mid_receipt),
		T(test_spool_default),
		T(test_reprint),
		T(test_no_sale),
		T(test_drawer_now_or_never),
		T(test_drawer_left_open),
		T(test_text_page),
		T(test_dotmatrix_receipt),
		T(test_settings),
		T(test_worker),
		T(test_total_care_is_an_ordinary_line),
		T(test_big_total_fits_58),
		T(test_long_name_wraps),
		T(test_dotmatrix_pages_fit_40),
		T(test_test_page_fits),
		T(test_reprint_prints_as_it_was),
		T(test_receipt_check_code),
	};

	return cmocka_run_group_tests(tests, fx_template_build, fx_template_drop);
}
