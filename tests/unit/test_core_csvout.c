/* CSV rows for a spreadsheet in Indonesian locale (pos/core/csvout.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csvout.h"

static void test_numbers_have_no_thousands_dot(void **state)
{
	(void)state;
	char buf[128];
	struct csvout o;
	csvout_begin(&o, buf, sizeof buf);
	csvout_qty(&o, 35000);       /* 35 pieces: never "35.000" */
	csvout_qty(&o, 750);         /* 0,75 kg */
	csvout_qty(&o, -3500);
	csvout_qty(&o, 1250000);     /* 1.250 pieces, no grouping */
	csvout_money(&o, 1000000000);
	csvout_money(&o, -62000);
	csvout_int(&o, 0);
	assert_string_equal(buf, "35;0,75;-3,5;1250;1000000000;-62000;0");
	assert_int_equal(csvout_len(&o), strlen(buf));
}

static void test_text_quoted_only_when_needed(void **state)
{
	(void)state;
	char buf[128];
	struct csvout o;
	csvout_begin(&o, buf, sizeof buf);
	csvout_text(&o, "");
	csvout_text(&o, "Gula Pasir 1 kg");
	csvout_text(&o, "Kecap \"ABC\"; 600 ml");
	csvout_text(&o, "Teh, kotak");
	csvout_text(&o, "two\nlines");
	csvout_text(&o, "");
	assert_string_equal(buf, ";Gula Pasir 1 kg;\"Kecap \"\"ABC\"\"; 600 ml\";\"Teh, kotak\";\"two\nlines\";");
}

static void test_header_and_times(void **state)
{
	(void)state;
	static const char *const cols[] = { "date", "time", "never", NULL };
	char buf[128];
	struct csvout o;
	setenv("TZ", "Asia/Jakarta", 1);
	csvout_begin(&o, buf, sizeof buf);
	csvout_header(&o, cols);
	assert_string_equal(buf, "date;time;never");
	csvout_begin(&o, buf, sizeof buf);
	csvout_date(&o, 1764378300);  /* 2025-11-29 08:05 in Jakarta */
	csvout_time(&o, 1764378300);
	csvout_date(&o, 0);
	assert_string_equal(buf, "2025-11-29;2025-11-29 08:05:00;");
}

static void test_short_buffer_reports_full_length(void **state)
{
	(void)state;
	char buf[8];
	struct csvout o;
	csvout_begin(&o, buf, sizeof buf);
	csvout_text(&o, "Beras Premium");
	csvout_money(&o, 78500);
	assert_int_equal(csvout_len(&o), strlen("Beras Premium;78500"));
	assert_string_equal(buf, "Beras P");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_have_no_thousands_dot),
		cmocka_unit_test(test_text_quoted_only_when_needed),
		cmocka_unit_test(test_header_and_times),
		cmocka_unit_test(test_short_buffer_reports_full_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
