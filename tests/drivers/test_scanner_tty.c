/* The tty backend (serial and CDC-ACM scanners) on a pseudo-terminal:
 * lines with CR, LF or CRLF become scans; a hang-up disconnects; the
 * scanner comes back when the tty does. */
#define _XOPEN_SOURCE 700	/* posix_openpt */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/scanner.h"

static int pty_master(char *name, size_t cap)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	snprintf(name, cap, "%s", ptsname(m));
	return m;
}

static int take(struct scanner *s, char got[][SCANNER_MAX_CODE], int want)
{
	int n = 0;
	for (int i = 0; i < 200 && (n < want || (want == 0 && i < 20)); i++) {
		struct pollfd pfd[1];
		size_t k = scanner_pollfds(s, pfd, 1);
		poll(pfd, k, 10);
		scanner_dispatch(s, pfd, k);
		while (n < want && scanner_next(s, got[n], SCANNER_MAX_CODE))
			n++;
	}
	return n;
}

static void test_tty_lines(void **state)
{
	(void)state;
	char name[128], spec[160], got[4][SCANNER_MAX_CODE];
	int m = pty_master(name, sizeof name);
	struct scanner_spec sp;
	struct scanner *s;
	snprintf(spec, sizeof spec, "tty:%s:115200", name);
	assert_int_equal(scanner_parse_spec(spec, &sp), SCANNER_E_NONE);
	assert_int_equal(scanner_open(&sp, NULL, NULL, &s), SCANNER_E_NONE);
	assert_int_equal(scanner_state(s, NULL), SCANNER_CONNECTED);

	const char *in = "8991234\r\n\n4006381333931\rAB-1";
	assert_int_equal(write(m, in, strlen(in)), (ssize_t)strlen(in));
	assert_int_equal(take(s, got, 2), 2);
	assert_string_equal(got[0], "8991234");
	assert_string_equal(got[1], "4006381333931");
	/* The rest of a line split across reads. */
	assert_int_equal(write(m, "2\n", 2), 2);
	assert_int_equal(take(s, got, 1), 1);
	assert_string_equal(got[0], "AB-12");

	/* The scanner goes away: the slave hangs up. */
	close(m);
	take(s, got, 0);
	enum scanner_err why;
	assert_int_equal(scanner_state(s, &why), SCANNER_DISCONNECTED);
	assert_int_equal(why, SCANNER_E_UNPLUGGED);
	scanner_close(s);
}

static void test_tty_absent(void **state)
{
	(void)state;
	struct scanner_spec sp;
	struct scanner *s;
	enum scanner_err why;
	assert_int_equal(scanner_parse_spec("tty:/dev/ttyACM-coopmart-none", &sp), SCANNER_E_NONE);
	assert_int_equal(scanner_open(&sp, NULL, NULL, &s), SCANNER_E_NONE);
	assert_int_equal(scanner_state(s, &why), SCANNER_DISCONNECTED);
	assert_int_equal(why, SCANNER_E_NOT_FOUND);
	scanner_close(s);
	/* The keyboard wedge has nothing to open and is always there. */
	assert_int_equal(scanner_parse_spec("keyboard", &sp), SCANNER_E_NONE);
	assert_int_equal(scanner_open(&sp, NULL, NULL, &s), SCANNER_E_NONE);
	assert_int_equal(scanner_state(s, NULL), SCANNER_CONNECTED);
	assert_int_equal(scanner_type(s), SCANNER_KEYBOARD);
	scanner_close(s);
	/* A USB spec without a USB context is refused. */
	assert_int_equal(scanner_parse_spec("usb:0c2e:0b61", &sp), SCANNER_E_NONE);
	assert_int_equal(scanner_open(&sp, NULL, NULL, &s), SCANNER_E_NO_USB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tty_lines),
		cmocka_unit_test(test_tty_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
