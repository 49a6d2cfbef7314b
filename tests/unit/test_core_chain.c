/* Journal hash chain and canonical JSON. The expected hashes were computed
 * independently with Python:
 *   hashlib.blake2b(prev + b"cm1|T|seq|type|time|user|payload",
 *                   digest_size=32).hexdigest()
 * If one of them changes, HQ can no longer verify old journals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/chain.h"

#define SALE_PAYLOAD "{\"receipt\":\"KSM-01-000123\",\"total\":153400," \
	"\"lines\":[{\"sku\":\"BRS-5\",\"qty\":2000},{\"sku\":\"DGS\",\"qty\":750}]," \
	"\"member\":null,\"cash\":true}"

static const char *const expect_hex[3] = {
	"e5872e54440c208bec90be55567184f3b3ff082c147ca694dd9e35b3a988e054",
	"cf45c00b46c504173b1ad72ddbedffc6c3d3ae7e66827de84f7eeb30c41080ec",
	"33a5da15de7c000abd779facea5ee49077cbbd9f33dbb4d8818df84835f61c5d",
};

static const struct chain_event events[3] = {
	{ "KSM-01", 1, "sale", 1741920060, 7, SALE_PAYLOAD },
	{ "KSM-01", 2, "no_sale", 1741920120, 7, "{\"reason\":\"tukar uang\"}" },
	{ "KSM-01", 3, "login_failed", -5, 0, "{}" },
};

static void hex_of(const uint8_t h[CHAIN_HASH_LEN], char out[2 * CHAIN_HASH_LEN + 1])
{
	chain_hex(h, CHAIN_HASH_LEN, out);
}

static void test_sale_payload_is_canonical(void **state)
{
	struct canon *c = canon_new();
	char *text;

	(void)state;
	canon_obj_begin(c, NULL);
	canon_str(c, "receipt", "KSM-01-000123");
	canon_int(c, "total", 153400);
	canon_arr_begin(c, "lines");
	canon_obj_begin(c, NULL);
	canon_str(c, "sku", "BRS-5");
	canon_int(c, "qty", 2000);
	canon_obj_end(c);
	canon_obj_begin(c, NULL);
	canon_str(c, "sku", "DGS");
	canon_int(c, "qty", 750);
	canon_obj_end(c);
	canon_arr_end(c);
	canon_str(c, "member", NULL);
	canon_bool(c, "cash", true);
	canon_obj_end(c);
	text = canon_take(c);
	assert_non_null(text);
	assert_string_equal(text, SALE_PAYLOAD);
	free(text);
}

static void test_known_answer_first_event(void **state)
{
	uint8_t zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1];

	(void)state;
	assert_int_equal(chain_hash(zero, &events[0], h), CM_OK);
	hex_of(h, hex);
	assert_string_equal(hex, expect_hex[0]);
}

static void test_known_answer_utf8_payload(void **state)
{
	uint8_t zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1];
	struct chain_event ev = { "T", 1, "x", 0, 0, "{\"n\":\"Caf\xc3\xa9\"}" };

	(void)state;
	assert_int_equal(chain_hash(zero, &ev, h), CM_OK);
	hex_of(h, hex);
	assert_string_equal(hex,
		"54725086b1e8bcd1d3520bc803ac0a2a1340ea011e63dbcb11f6a0240991d839");
}

static void test_chain_of_three(void **state)
{
	uint8_t prev[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1];

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(chain_hash(prev, &events[i], h), CM_OK);
		hex_of(h, hex);
		assert_string_equal(hex, expect_hex[i]);
		memcpy(prev, h, sizeof prev);
	}
}

static void hash_of(const uint8_t prev[CHAIN_HASH_LEN], const struct chain_event *ev,
                    uint8_t out[CHAIN_HASH_LEN])
{
	assert_int_equal(chain_hash(prev, ev, out), CM_OK);
}

/* Each field, and the previous hash, must feed the hash. */
static void test_every_field_changes_hash(void **state)
{
	uint8_t zero[CHAIN_HASH_LEN] = { 0 }, prev1[CHAIN_HASH_LEN] = { 1 };
	uint8_t base[CHAIN_HASH_LEN], h[CHAIN_HASH_LEN];
	struct chain_event ev;

	(void)state;
	hash_of(zero, &events[0], base);

	hash_of(prev1, &events[0], h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.terminal = "KSM-02";
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.seq = 2;
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.type = "refund";
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.time += 1;
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.user_id = 8;
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);

	ev = events[0]; ev.payload = "{\"total\":153401}";
	hash_of(zero, &ev, h);
	assert_memory_not_equal(h, base, CHAIN_HASH_LEN);
}

static void test_separator_in_field_refused(void **state)
{
	uint8_t zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	struct chain_event ev = events[0];

	(void)state;
	ev.terminal = "T|5";
	assert_int_equal(chain_hash(zero, &ev, h), CM_INVALID);
	ev = events[0]; ev.type = "5|sale";
	assert_int_equal(chain_hash(zero, &ev, h), CM_INVALID);
	ev = events[0]; ev.type = NULL;
	assert_int_equal(chain_hash(zero, &ev, h), CM_INVALID);
	ev = events[0]; ev.payload = NULL;
	assert_int_equal(chain_hash(zero, &ev, h), CM_INVALID);
	/* The payload is last, so a '|' in it is unambiguous. */
	ev = events[0]; ev.payload = "{\"note\":\"a|b\"}";
	assert_int_equal(chain_hash(zero, &ev, h), CM_OK);
}

static void test_hex(void **state)
{
	const uint8_t b[4] = { 0x00, 0x9f, 0xa0, 0xff };
	char buf[9];

	(void)state;
	chain_hex(b, 4, buf);
	assert_string_equal(buf, "009fa0ff");
	chain_hex(b, 2, buf);
	assert_string_equal(buf, "009f");
}

static void test_canon_nested_and_empty(void **state)
{
	struct canon *c = canon_new();
	char *text;

	(void)state;
	canon_obj_begin(c, NULL);
	canon_obj_begin(c, "a");
	canon_obj_end(c);
	canon_arr_begin(c, "b");
	canon_arr_end(c);
	canon_arr_begin(c, "c");
	canon_int(c, NULL, -1);
	canon_arr_begin(c, NULL);
	canon_int(c, NULL, INT64_MIN);
	canon_int(c, NULL, INT64_MAX);
	canon_arr_end(c);
	canon_obj_begin(c, NULL);
	canon_bool(c, "f", false);
	canon_obj_end(c);
	canon_str(c, NULL, "");
	canon_arr_end(c);
	canon_int(c, "z", 0);
	canon_obj_end(c);
	text = canon_take(c);
	assert_non_null(text);
	assert_string_equal(text,
		"{\"a\":{},\"b\":[],\"c\":[-1,[-9223372036854775808,"
		"9223372036854775807],{\"f\":false},\"\"],\"z\":0}");
	free(text);
}

static void test_canon_escapes(void **state)
{
	struct canon *c = canon_new();
	char *text;

	(void)state;
	canon_obj_begin(c, NULL);
	canon_str(c, "k\"ey", "q\" b\\ n\n r\r t\t b\b f\f x\x01\x1f del\x7f "
	          "\xc3\xa9 \xe2\x80\x9c/");
	canon_obj_end(c);
	text = canon_take(c);
	assert_non_null(text);
	assert_string_equal(text,
		"{\"k\\\"ey\":\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f x\\u0001\\u001f"
		" del\x7f \xc3\xa9 \xe2\x80\x9c/\"}");
	free(text);
}

static void test_canon_long_text_grows(void **state)
{
	struct canon *c = canon_new();
	char big[5000];
	char *text;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	canon_arr_begin(c, NULL);
	for (int i = 0; i < 10; i++)
		canon_str(c, NULL, big);
	canon_arr_end(c);
	text = canon_take(c);
	assert_non_null(text);
	assert_int_equal(strlen(text), 2 + 10 * (sizeof big - 1 + 2) + 9);
	free(text);
}

static char *nested(int depth)
{
	struct canon *c = canon_new();

	for (int i = 0; i < depth; i++)
		canon_arr_begin(c, NULL);
	for (int i = 0; i < depth; i++)
		canon_arr_end(c);
	return canon_take(c);
}

static void test_canon_depth_limit(void **state)
{
	char *ok = nested(16), *deep = nested(17);

	(void)state;
	assert_non_null(ok);
	assert_int_equal(strlen(ok), 32);
	assert_null(deep);
	free(ok);
}

/* Misuse must never produce text that could be journaled. */
static void test_canon_misuse_gives_null(void **state)
{
	struct canon *c;

	(void)state;
	c = canon_new();                    /* missing key in an object */
	canon_obj_begin(c, NULL);
	canon_int(c, NULL, 1);
	canon_obj_end(c);
	assert_null(canon_take(c));

	c = canon_new();                    /* key inside an array */
	canon_arr_begin(c, NULL);
	canon_int(c, "k", 1);
	canon_arr_end(c);
	assert_null(canon_take(c));

	c = canon_new();                    /* unbalanced */
	canon_obj_begin(c, NULL);
	assert_null(canon_take(c));

	c = canon_new();                    /* wrong closer */
	canon_obj_begin(c, NULL);
	canon_arr_end(c);
	assert_null(canon_take(c));

	c = canon_new();                    /* two top-level values */
	canon_int(c, NULL, 1);
	canon_int(c, NULL, 2);
	assert_null(canon_take(c));

	assert_null(canon_take(canon_new())); /* nothing written */
	assert_null(canon_take(NULL));
	canon_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sale_payload_is_canonical),
		cmocka_unit_test(test_known_answer_first_event),
		cmocka_unit_test(test_known_answer_utf8_payload),
		cmocka_unit_test(test_chain_of_three),
		cmocka_unit_test(test_every_field_changes_hash),
		cmocka_unit_test(test_separator_in_field_refused),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_canon_nested_and_empty),
		cmocka_unit_test(test_canon_escapes),
		cmocka_unit_test(test_canon_long_text_grows),
		cmocka_unit_test(test_canon_depth_limit),
		cmocka_unit_test(test_canon_misuse_gives_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
