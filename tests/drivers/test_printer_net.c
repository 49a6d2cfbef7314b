/* The network (tcp:HOST[:PORT]) and file transports against real sockets
 * and files: a listener started by the test that records what it gets and
 * answers status questions like a printer; one that accepts and then
 * never reads (a printer jammed mid-job); a port nobody listens on. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/printer.h"

struct listener {
	int fd, port;
	bool stall;           /* accept, then never read */
	bool hangup;          /* accept, then close at once */
	uint8_t answer;       /* answer to every DLE EOT n */
	pthread_t thread;
	uint8_t got[1 << 16];
	size_t len;
	int conn;
};

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A socket bound to a free loopback port; *port gets the number. */
static int bound_socket(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), small = 4096;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* One connection: records bytes until the peer closes; answers DLE EOT. */
static void *serve(void *arg)
{
	struct listener *l = arg;
	uint8_t buf[4096];
	ssize_t n;

	l->conn = accept(l->fd, NULL, NULL);
	if (l->conn < 0 || l->stall)
		return NULL;
	if (l->hangup) {
		close(l->conn);
		l->conn = -1;
		return NULL;
	}
	while ((n = read(l->conn, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (l->len < sizeof l->got)
				l->got[l->len++] = buf[i];
			if (l->len >= 3 && l->got[l->len - 3] == 0x10 && l->got[l->len - 2] == 0x04)
				if (write(l->conn, &l->answer, 1) != 1)
					return NULL;
		}
	}
	close(l->conn);
	l->conn = -1;
	return NULL;
}

static struct listener *listener_start(bool stall, bool hangup, uint8_t answer)
{
	struct listener *l = calloc(1, sizeof *l);

	l->fd = bound_socket(&l->port);
	l->stall = stall;
	l->hangup = hangup;
	l->answer = answer;
	l->conn = -1;
	assert_int_equal(listen(l->fd, 1), 0);
	assert_int_equal(pthread_create(&l->thread, NULL, serve, l), 0);
	return l;
}

static void listener_stop(struct listener *l)
{
	pthread_join(l->thread, NULL);
	if (l->conn >= 0)
		close(l->conn);
	close(l->fd);
	free(l);
}

static struct printer *open_tcp(int port, const struct printer_opts *o)
{
	char spec[64], err[256] = "";
	struct printer *p = NULL;
	enum printer_rc rc;

	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", port);
	rc = printer_open(spec, o, &p, err, sizeof err);
	if (rc != PRINTER_OK)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, PRINTER_OK);
	return p;
}

static void test_tcp_prints_and_answers(void **state)
{
	static const char receipt[] = "\x1b@\x1bt\x00Koperasi Sejahtera\nTOTAL 12.500\n\x1dVB\x03";
	struct printer_opts o = { .stall_ms = 1000, .answer_ms = 500 };
	struct listener *l = listener_start(false, false, 0x12);
	struct printer *p = open_tcp(l->port, &o);
	struct escstatus st;
	size_t n = sizeof receipt - 1;

	(void)state;
	assert_int_equal(printer_write(p, receipt, n), PRINTER_OK);
	assert_int_equal(printer_status(p, &st), PRINTER_OK);
	assert_true(escstatus_ready(&st));
	assert_int_equal(printer_device_id(p, &(struct escstatus_devid){ 0 }), PRINTER_UNSUPPORTED);
	printer_close(p);
	pthread_join(l->thread, NULL);
	l->thread = pthread_self();
	assert_int_equal(l->len, n + 9);
	assert_memory_equal(l->got, receipt, n);
	assert_memory_equal(l->got + n, "\x10\x04\x01\x10\x04\x02\x10\x04\x04", 9);
	close(l->fd);
	free(l);
}

/* Accepts, then takes nothing: writing a large job fails within the stall
 * timeout; a status question times out instead of hanging. */
static void test_tcp_accepts_then_stalls(void **state)
{
	struct printer_opts o = { .stall_ms = 300, .answer_ms = 200 };
	struct listener *l = listener_start(true, false, 0);
	struct printer *p = open_tcp(l->port, &o);
	size_t big = 32u << 20;
	uint8_t *buf = calloc(1, big);
	struct escstatus st;
	int64_t t0;

	(void)state;
	t0 = ms_now();
	assert_int_equal(printer_status(p, &st), PRINTER_TIMEOUT);
	assert_false(st.known);
	assert_true(ms_now() - t0 < 1500);
	t0 = ms_now();
	assert_int_equal(printer_write(p, buf, big), PRINTER_TIMEOUT);
	assert_true(ms_now() - t0 < 5000);
	assert_non_null(strstr(printer_errmsg(p), "took no data"));
	printer_close(p);
	free(buf);
	listener_stop(l);
}

static void test_tcp_refused(void **state)
{
	struct printer_opts o = { .connect_ms = 1000 };
	struct printer *p = NULL;
	char spec[64], err[256];
	int port, fd = bound_socket(&port);

	(void)state;
	close(fd);      /* nobody listens on port now */
	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", port);
	assert_int_equal(printer_open(spec, &o, &p, err, sizeof err), PRINTER_ABSENT);
	assert_null(p);
	assert_non_null(strstr(err, "refused"));
}

/* The printer hangs up (switched off): the next question and write say
 * so instead of waiting. */
static void test_tcp_peer_closes(void **state)
{
	struct printer_opts o = { .stall_ms = 500, .answer_ms = 300 };
	struct listener *l = listener_start(false, true, 0x12);
	struct printer *p;
	struct escstatus st;
	enum printer_rc rc = PRINTER_OK;

	(void)state;
	p = open_tcp(l->port, &o);
	pthread_join(l->thread, NULL);
	l->thread = pthread_self();
	assert_int_equal(printer_status(p, &st), PRINTER_GONE);
	for (int i = 0; i < 50 && rc == PRINTER_OK; i++) {
		rc = printer_write(p, "more", 4);
		usleep(10000);
	}
	assert_int_equal(rc, PRINTER_GONE);
	printer_close(p);
	close(l->fd);
	free(l);
}

static void test_tcp_bad_specs(void **state)
{
	static const char *const bad[] = {
		"tcp:", "tcp::9100", "tcp:host:0", "tcp:host:65536", "tcp:host:91x", "tcp:[::1",
	};
	struct printer *p = NULL;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(printer_open(bad[i], NULL, &p, err, sizeof err), PRINTER_BADSPEC);
	assert_int_equal(printer_open("nothing", NULL, &p, err, sizeof err), PRINTER_BADSPEC);
	assert_null(p);
}

static void test_file_appends(void **state)
{
	const char *tmp = getenv("TEST_TMPDIR");
	char dir[512], path[600], spec[640], err[256];
	struct printer *p = NULL;
	struct escstatus st;
	FILE *fp;
	char got[64] = "";

	(void)state;
	snprintf(dir, sizeof dir, "%s/printer_file-%d", tmp ? tmp : "/tmp", (int)getpid());
	mkdir(tmp ? tmp : "/tmp", 0755);
	assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
	snprintf(path, sizeof path, "%s/spool.bin", dir);
	unlink(path);
	snprintf(spec, sizeof spec, "file:%s", path);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(printer_open(spec, NULL, &p, err, sizeof err), PRINTER_OK);
		assert_int_equal(printer_write(p, "abc\n", 4), PRINTER_OK);
		assert_int_equal(printer_status(p, &st), PRINTER_UNSUPPORTED);
		assert_false(st.known);
		printer_close(p);
	}
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(got, 1, sizeof got - 1, fp), 8);
	fclose(fp);
	assert_string_equal(got, "abc\nabc\n");
	unlink(path);
	rmdir(dir);

	assert_int_equal(printer_open("file:/nonexistent-dir/x.bin", NULL, &p, err, sizeof err),
	                 PRINTER_ABSENT);
	assert_int_equal(printer_open("file:", NULL, &p, err, sizeof err), PRINTER_BADSPEC);
	assert_int_equal(printer_open("lp:/dev/usb/lp-missing", NULL, &p, err, sizeof err),
	                 PRINTER_ABSENT);
}

/* lp: the kernel's printer node is a character device written without
 * blocking; a FIFO stands in for it (the test reads what arrives). A
 * printer that stops taking data fills the buffer: the write gives up
 * after the stall timeout instead of hanging. */
static void test_lp_writes_and_stalls(void **state)
{
	const char *tmp = getenv("TEST_TMPDIR");
	struct printer_opts o = { .stall_ms = 300 };
	char path[600], spec[640], err[256], got[16] = "";
	struct printer *p = NULL;
	size_t big = 4u << 20;
	uint8_t *buf = calloc(1, big);
	int reader;
	int64_t t0;

	(void)state;
	mkdir(tmp ? tmp : "/tmp", 0755);
	snprintf(path, sizeof path, "%s/lp-%d", tmp ? tmp : "/tmp", (int)getpid());
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	reader = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(reader >= 0);
	snprintf(spec, sizeof spec, "lp:%s", path);
	assert_int_equal(printer_open(spec, &o, &p, err, sizeof err), PRINTER_OK);
	assert_int_equal(printer_write(p, "\x1b@Struk\n", 8), PRINTER_OK);
	assert_int_equal(read(reader, got, sizeof got), 8);
	assert_memory_equal(got, "\x1b@Struk\n", 8);
	t0 = ms_now();
	assert_int_equal(printer_write(p, buf, big), PRINTER_TIMEOUT);
	assert_true(ms_now() - t0 >= 250 && ms_now() - t0 < 3000);
	printer_close(p);
	close(reader);
	unlink(path);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_prints_and_answers),
		cmocka_unit_test(test_tcp_accepts_then_stalls),
		cmocka_unit_test(test_tcp_refused),
		cmocka_unit_test(test_tcp_peer_closes),
		cmocka_unit_test(test_tcp_bad_specs),
		cmocka_unit_test(test_file_appends),
		cmocka_unit_test(test_lp_writes_and_stalls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
