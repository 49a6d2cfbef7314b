/* csv.c: the strict RFC 4180 reader. Each case renders the rows it got as
 * "LINE:field|field\n" so a table can say exactly what is expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct sink {
	char text[1024];
	size_t len;
	int calls;
	int stop_at; /* return CM_CONFLICT on this call, 0 = never */
};

static void put(struct sink *s, const char *a, const char *b)
{
	int k = snprintf(s->text + s->len, sizeof s->text - s->len, "%s%s", a, b);

	/* long rows (limit tests) are cut, not written past the end */
	s->len += (size_t)k < sizeof s->text - s->len ? (size_t)k
		  : sizeof s->text - s->len - 1;
}

static enum cm_rc collect(const struct csv_row *row, void *ctx)
{
	struct sink *s = ctx;
	char line[32];

	s->calls++;
	snprintf(line, sizeof line, "%zu:", row->line);
	put(s, line, "");
	for (size_t i = 0; i < row->nfields; i++)
		put(s, i ? "|" : "", row->fields[i]);
	put(s, "\n", "");
	return s->calls == s->stop_at ? CM_CONFLICT : CM_OK;
}

static void test_good(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n" },
		{ "a,b\n1,2", "1:a|b\n2:1|2\n" },
		{ "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n" },
		{ "\"a,1\",b\n", "1:a,1|b\n" },
		{ "\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x\n" },
		{ "\"\"\"\"\n", "1:\"\n" },
		{ "h\n\"multi\nline\",x\nnext,y\n", "1:h\n2:multi\nline|x\n4:next|y\n" },
		{ "\"a\r\nb\",c\r\nd,e\r\n", "1:a\r\nb|c\n3:d|e\n" },
		{ "\xEF\xBB\xBFsku,name\n", "1:sku|name\n" },
		{ "\xEF\xBB\xBF" "a;b\r\n1;2\r\n", "1:a|b\n2:1|2\n" },
		{ "a;b\n1,5;2\n", "1:a|b\n2:1,5|2\n" },
		{ "a;b,c\n", "1:a;b|c\n" },       /* a ',' wins */
		{ "\"a,b\";c\n", "1:a,b|c\n" },   /* quoted ',' does not count */
		{ "\"a;b\",c\n", "1:a;b|c\n" },
		{ "\n\na\n\r\n\nb\n", "3:a\n6:b\n" },
		{ ",,\n", "1:||\n" },
		{ "\"\"\n", "1:\n" },
		{ "a,\n", "1:a|\n" },
		{ "a,", "1:a|\n" },
		{ " a , b \n", "1: a | b \n" },
		{ "", "" },
		{ "\xEF\xBB\xBF", "" },
		{ "\n\r\n", "" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct sink s = { 0 };
		char err[128] = "untouched";
		enum cm_rc rc = csv_parse(cases[i].in, strlen(cases[i].in), collect,
					  &s, err, sizeof err);

		if (rc != CM_OK)
			fail_msg("case %zu: rc %d, %s", i, rc, err);
		if (strcmp(s.text, cases[i].want) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, s.text,
				 cases[i].want);
		assert_string_equal(err, "");
	}
}

static void test_errors(void **state)
{
	static const struct {
		const char *in;
		const char *err; /* the whole message */
		const char *rows_before; /* rows delivered before the error */
	} cases[] = {
		{ "a,b\"c\n", "line 1: quote inside an unquoted field (put the "
		  "whole field in quotes and double the quote)", "" },
		{ "x\n\"a\"b,c\n", "line 2: text after a closing quote", "1:x\n" },
		{ "\"a\" ,c\n", "line 1: text after a closing quote", "" },
		{ "a\n\"open,\nmore", "line 2: quoted field is never closed "
		  "(missing '\"')", "1:a\n" },
		{ "a\rb\n", "line 1: carriage return without line feed", "" },
		{ "a\n\r", "line 2: carriage return without line feed", "1:a\n" },
		{ "\"x\ny\",z\n\"bad\"q\n", "line 3: text after a closing quote",
		  "1:x\ny|z\n" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct sink s = { 0 };
		char err[128] = "";
		enum cm_rc rc = csv_parse(cases[i].in, strlen(cases[i].in), collect,
					  &s, err, sizeof err);

		assert_int_equal(rc, CM_INVALID);
		if (strcmp(err, cases[i].err) != 0)
			fail_msg("case %zu: got \"%s\"", i, err);
		assert_string_equal(s.text, cases[i].rows_before);
	}
}

static void test_nul_byte(void **state)
{
	static const char in[] = "a,b\nc,\0d\n";
	struct sink s = { 0 };
	char err[128];

	(void)state;
	assert_int_equal(csv_parse(in, sizeof in - 1, collect, &s, err, sizeof err),
			 CM_INVALID);
	assert_string_equal(err, "line 2: NUL byte in the file (is it really a "
			    "CSV text file?)");
	assert_int_equal(s.calls, 1);
}

/* A row of n copies of "x" followed by a newline. */
static char *row_of(size_t n, const char *field)
{
	size_t flen = strlen(field);
	char *buf = malloc(n * (flen + 1) + 2), *p = buf;

	for (size_t i = 0; i < n; i++) {
		memcpy(p, field, flen);
		p += flen;
		*p++ = i + 1 < n ? ',' : '\n';
	}
	*p = '\0';
	return buf;
}

static void test_limits(void **state)
{
	char big[4100], err[128];
	struct sink s = { 0 };
	char *row;

	(void)state;
	memset(big, 'x', 4096);
	big[4096] = '\0';
	assert_int_equal(csv_parse(big, 4096, collect, &s, err, sizeof err), CM_OK);
	assert_int_equal(s.calls, 1);
	big[4096] = 'x';
	assert_int_equal(csv_parse(big, 4097, collect, &s, err, sizeof err),
			 CM_INVALID);
	assert_string_equal(err, "line 1: field longer than 4096 bytes");

	/* the same limit inside quotes */
	big[0] = '"';
	big[4097] = 'x';
	big[4098] = '"';
	assert_int_equal(csv_parse(big, 4099, collect, &s, err, sizeof err),
			 CM_INVALID);
	assert_string_equal(err, "line 1: field longer than 4096 bytes");

	row = row_of(64, "f");
	assert_int_equal(csv_parse(row, strlen(row), collect, &s, err, sizeof err),
			 CM_OK);
	free(row);
	row = row_of(65, "f");
	assert_int_equal(csv_parse(row, strlen(row), collect, &s, err, sizeof err),
			 CM_INVALID);
	assert_string_equal(err, "line 1: more than 64 fields");
	free(row);
	row = row_of(65, "");
	assert_int_equal(csv_parse(row, strlen(row), collect, &s, err, sizeof err),
			 CM_INVALID);
	free(row);
}

static void test_callback_stops(void **state)
{
	static const char in[] = "a\nb\nc\n";
	struct sink s = { .stop_at = 2 };
	char err[64];

	(void)state;
	assert_int_equal(csv_parse(in, strlen(in), collect, &s, err, sizeof err),
			 CM_CONFLICT);
	assert_int_equal(s.calls, 2);
	assert_string_equal(s.text, "1:a\n2:b\n");
}

static void test_no_err_buffer(void **state)
{
	struct sink s = { 0 };

	(void)state;
	assert_int_equal(csv_parse("\"x", 2, collect, &s, NULL, 0), CM_INVALID);
	assert_int_equal(csv_parse(NULL, 0, collect, &s, NULL, 0), CM_OK);
	assert_int_equal(s.calls, 0);
}

/* Only len bytes are read: no NUL terminator needed. */
static void test_not_nul_terminated(void **state)
{
	char in[] = { 'a', ',', '"', 'b', '"' };
	struct sink s = { 0 };
	char err[64];

	(void)state;
	assert_int_equal(csv_parse(in, sizeof in, collect, &s, err, sizeof err),
			 CM_OK);
	assert_string_equal(s.text, "1:a|b\n");
	assert_int_equal(csv_parse(in, 3, collect, &s, err, sizeof err),
			 CM_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_no_err_buffer),
		cmocka_unit_test(test_not_nul_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
