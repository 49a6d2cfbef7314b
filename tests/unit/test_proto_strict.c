/* proto.c: the decoders take exactly one JSON object. Text after it, a
 * NUL (raw or as \u0000) and raw control characters are refused with a
 * message saying what and where; white space around the object and other
 * escapes (\u00e9, \n) are fine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sync/proto.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define HASH "0000000000000000000000000000000000000000000000000000000000000000"

static enum cm_rc decode_ack(const char *json, size_t len, char *err, size_t errlen)
{
	struct proto_ack a;
	return proto_ack_decode(json, len, &a, err, errlen);
}

static void test_trailing_text_is_refused(void **state)
{
	static const char *const bad[] = {
		"{\"acked_seq\":1,\"stored\":1,\"duplicates\":0}x",
		"{\"acked_seq\":1,\"stored\":1,\"duplicates\":0} {}",
		"{\"acked_seq\":1,\"stored\":1,\"duplicates\":0}\n{\"acked_seq\":9}",
		"{\"acked_seq\":1,\"stored\":1,\"duplicates\":0}]",
	};
	char err[256];
	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		assert_int_equal(decode_ack(bad[i], strlen(bad[i]), err, sizeof err), CM_INVALID);
		assert_non_null(strstr(err, "text follows the JSON value"));
	}
}

static void test_white_space_around_is_fine(void **state)
{
	static const char text[] = " \r\n\t{\"acked_seq\":1,\"head_hash\":\"" HASH "\"} \r\n\t";
	struct proto_ack a;
	char err[256] = "";
	(void)state;
	assert_int_equal(proto_ack_decode(text, strlen(text), &a, err, sizeof err), CM_OK);
	assert_int_equal(a.acked_seq, 1);
}

static void test_nul_is_refused(void **state)
{
	/* store "KMB\u0000X" would otherwise decode as "KMB" */
	static const char esc[] = "{\"store\":\"KMB\\u0000X\",\"terminal\":\"K01\",\"events\":[]}";
	static const char raw[] = "{\"store\":\"KMB\0X\",\"terminal\":\"K01\",\"events\":[]}";
	static const char outside[] = "{\"store\":\"KMB\",\"terminal\":\"K01\",\"events\":[]}\0";
	struct proto_push p;
	char err[256];
	(void)state;
	assert_int_equal(proto_push_decode(esc, strlen(esc), &p, err, sizeof err), CM_INVALID);
	assert_non_null(strstr(err, "\\u0000"));
	assert_int_equal(proto_push_decode(raw, sizeof raw - 1, &p, err, sizeof err), CM_INVALID);
	assert_non_null(strstr(err, "control character 0x00"));
	assert_int_equal(proto_push_decode(outside, sizeof outside - 1, &p, err, sizeof err),
	                 CM_INVALID);
	assert_non_null(strstr(err, "control character 0x00"));
}

static void test_raw_control_character_in_a_string_is_refused(void **state)
{
	static const char text[] = "{\"store\":\"KMB\x01\",\"terminal\":\"K01\",\"events\":[]}";
	struct proto_push p;
	char err[256];
	(void)state;
	assert_int_equal(proto_push_decode(text, strlen(text), &p, err, sizeof err), CM_INVALID);
	assert_non_null(strstr(err, "raw control character 0x01"));
}

static void test_other_escapes_decode(void **state)
{
	/* an escaped backslash before "u0000" is not a NUL: the text is a
	 * backslash and "u0000"; \u00e9 and \" are ordinary */
	static const char text[] = "{\"store\":\"K\\u00e9\\\"\",\"terminal\":\"a\\\\u0000\","
	                           "\"events\":[{\"seq\":1,\"type\":\"x\",\"at\":1,\"user\":1,"
	                           "\"payload\":\"{\\\"a\\\":1}\\n\",\"prev_hash\":\"" HASH "\","
	                           "\"hash\":\"" HASH "\"}]}";
	struct proto_push p;
	char err[256] = "";
	(void)state;
	assert_int_equal(proto_push_decode(text, strlen(text), &p, err, sizeof err), CM_OK);
	assert_string_equal(p.store, "K\xc3\xa9\"");
	assert_string_equal(p.terminal, "a\\u0000");
	assert_string_equal(p.events[0].payload, "{\"a\":1}\n");
	proto_push_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trailing_text_is_refused),
		cmocka_unit_test(test_white_space_around_is_fine),
		cmocka_unit_test(test_nul_is_refused),
		cmocka_unit_test(test_raw_control_character_in_a_string_is_refused),
		cmocka_unit_test(test_other_escapes_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
