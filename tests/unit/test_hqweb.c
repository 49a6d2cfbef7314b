/* The web console's pure parts (sync/hq/html.c, web_form.c, ratelimit.c):
 * data put on a page is escaped, numbers and money are written as the till
 * writes them, forms are read exactly: a field or part is found by its
 * whole name, decoded, and refused when malformed or too long for the
 * buffer; and the public receipt check's per-address limit holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web.h"
#include "ratelimit.h"

static void test_text_is_escaped(void **state)
{
	(void)state;
	struct html h = { 0 };
	html_text(&h, "<script>alert('x')</script> & \"q\"");
	assert_string_equal(h.buf, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	free(h.buf);
}

static void test_format_escapes_strings_not_markup(void **state)
{
	(void)state;
	struct html h = { 0 };
	html_f(&h, "<td class=\"n\">%s</td><td>%lld</td><td>%04d-%+lld%%</td>", "<b>", -12LL, 7, 5LL);
	assert_string_equal(h.buf, "<td class=\"n\">&lt;b&gt;</td><td>-12</td><td>0007-+5%</td>");
	free(h.buf);
}

static void test_numbers_and_money(void **state)
{
	(void)state;
	struct html h = { 0 };
	html_int(&h, 0);
	html_raw(&h, " ");
	html_int(&h, -9223372036854775807LL - 1);
	html_raw(&h, " ");
	html_money(&h, 1250000);
	html_raw(&h, " ");
	html_qty(&h, 1250);
	html_raw(&h, " ");
	html_date(&h, 20261201);
	assert_string_equal(h.buf, "0 -9223372036854775808 Rp1.250.000 1,25 2026-12-01");
	free(h.buf);
}

static void test_buffer_grows(void **state)
{
	(void)state;
	struct html h = { 0 };
	for (int i = 0; i < 100000; i++)
		html_raw(&h, "0123456789");
	assert_false(h.oom);
	assert_int_equal(h.len, 1000000);
	free(h.buf);
}

static void test_form_field_whole_name_decoded(void **state)
{
	(void)state;
	const char body[] = "xcsrf=no&csrf=ab%2Bc+d&name=Bu+Ani%21&empty=";
	char buf[32];
	assert_true(form_field(body, strlen(body), "csrf", buf, sizeof buf));
	assert_string_equal(buf, "ab+c d");
	assert_true(form_field(body, strlen(body), "name", buf, sizeof buf));
	assert_string_equal(buf, "Bu Ani!");
	assert_true(form_field(body, strlen(body), "empty", buf, sizeof buf));
	assert_string_equal(buf, "");
	assert_false(form_field(body, strlen(body), "srf", buf, sizeof buf));
	assert_false(form_field(body, strlen(body), "missing", buf, sizeof buf));
}

static void test_form_field_refuses_bad_input(void **state)
{
	(void)state;
	char buf[8];
	assert_false(form_field("a=%zz", 5, "a", buf, sizeof buf));
	assert_false(form_field("a=%4", 4, "a", buf, sizeof buf));
	assert_false(form_field("a=%00", 5, "a", buf, sizeof buf));
	assert_false(form_field("a=12345678", 10, "a", buf, sizeof buf));  /* no room for NUL */
	assert_true(form_field("a=1234567", 9, "a", buf, sizeof buf));
	/* The length counts, not a NUL: the body need not end with one. */
	assert_false(form_field("a=1&b=2", 3, "b", buf, sizeof buf));
}

#define CT "multipart/form-data; boundary=----XyZ"

static const char multipart[] =
	"------XyZ\r\n"
	"Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	"abc\r\n"
	"------XyZ\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"katalog.csv\"\r\n"
	"Content-Type: text/csv\r\n\r\n"
	"sku,name,price\r\nA,B,1\r\n"
	"------XyZ--\r\n";

static void test_multipart_parts(void **state)
{
	(void)state;
	const char *d;
	size_t n;
	char fn[64];
	assert_true(form_part(multipart, strlen(multipart), CT, "csrf", &d, &n, fn, sizeof fn));
	assert_int_equal(n, 3);
	assert_memory_equal(d, "abc", 3);
	assert_string_equal(fn, "");
	assert_true(form_part(multipart, strlen(multipart), CT, "file", &d, &n, fn, sizeof fn));
	assert_int_equal(n, strlen("sku,name,price\r\nA,B,1"));
	assert_memory_equal(d, "sku,name,price\r\nA,B,1", n);
	assert_string_equal(fn, "katalog.csv");
	assert_false(form_part(multipart, strlen(multipart), CT, "other", &d, &n, fn, sizeof fn));
}

static void test_multipart_refuses_bad_input(void **state)
{
	(void)state;
	const char *d;
	size_t n;
	char fn[64];
	size_t len = strlen(multipart);
	assert_false(form_part(multipart, len, "text/plain", "csrf", &d, &n, fn, sizeof fn));
	assert_false(form_part(multipart, len, "multipart/form-data", "csrf", &d, &n, fn, sizeof fn));
	assert_false(form_part(multipart, len, "multipart/form-data; boundary=other", "csrf", &d, &n,
	                       fn, sizeof fn));
	/* Cut short: the file's part never ends. */
	assert_false(form_part(multipart, len - 20, CT, "file", &d, &n, fn, sizeof fn));
}

/* N at once, then one every 60/N seconds, per address; the wait is said. */
static void test_rate_limit_per_address(void **state)
{
	(void)state;
	unsigned after = 0;
	int64_t t = 1000000;
	ratelimit_set(6);                               /* one every 10 s */
	for (int i = 0; i < 6; i++)
		assert_true(ratelimit_allow("10.0.0.1", t, &after));
	assert_false(ratelimit_allow("10.0.0.1", t, &after));
	assert_int_equal(after, 10);
	assert_false(ratelimit_allow("10.0.0.1", t + 9000, &after));
	assert_int_equal(after, 1);
	/* Another address is not held back by the first. */
	for (int i = 0; i < 6; i++)
		assert_true(ratelimit_allow("10.0.0.2", t, &after));
	assert_true(ratelimit_allow("10.0.0.1", t + 10000, &after));
	assert_false(ratelimit_allow("10.0.0.1", t + 10000, &after));
	/* A quiet minute gives the whole burst back. */
	t += 10000 + 60000;
	for (int i = 0; i < 6; i++)
		assert_true(ratelimit_allow("10.0.0.1", t, &after));
	assert_false(ratelimit_allow("10.0.0.1", t, &after));
}

/* A flood of addresses asking once each cannot push a limited address
 * out of the table into a fresh bucket: when slots are short the one that
 * drains first is taken, and the limited address drains last. */
static void test_rate_limit_many_addresses(void **state)
{
	(void)state;
	unsigned after = 0;
	char addr[48];
	int64_t t = 5000000;
	ratelimit_set(2);                               /* one every 30 s */
	assert_true(ratelimit_allow("192.0.2.7", t, &after));
	assert_true(ratelimit_allow("192.0.2.7", t, &after));
	assert_false(ratelimit_allow("192.0.2.7", t, &after));
	for (int i = 0; i < 20000; i++) {
		snprintf(addr, sizeof addr, "198.51.%d.%d", i / 256, i % 256);
		assert_true(ratelimit_allow(addr, t + 1000, &after));
	}
	assert_false(ratelimit_allow("192.0.2.7", t + 1000, &after));
	assert_int_equal(after, 29);
	ratelimit_set(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_format_escapes_strings_not_markup),
		cmocka_unit_test(test_numbers_and_money),
		cmocka_unit_test(test_buffer_grows),
		cmocka_unit_test(test_form_field_whole_name_decoded),
		cmocka_unit_test(test_form_field_refuses_bad_input),
		cmocka_unit_test(test_multipart_parts),
		cmocka_unit_test(test_multipart_refuses_bad_input),
		cmocka_unit_test(test_rate_limit_per_address),
		cmocka_unit_test(test_rate_limit_many_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
