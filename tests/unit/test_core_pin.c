/* The trivial-PIN rule shared by the till's users and members' web PINs
 * (core/pin.c): one digit repeated, a straight run either way, and the
 * owner's number repeated are refused; anything else is taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/pin.h"

static void test_trivial_pins_are_refused(void **state)
{
	(void)state;
	assert_true(pin_trivial("A-0001", "000000"));
	assert_true(pin_trivial("A-0001", "123456"));
	assert_true(pin_trivial("A-0001", "3456789"));
	assert_true(pin_trivial("A-0001", "987654"));
	assert_true(pin_trivial("101", "101101"));
	assert_true(pin_trivial("2468", "24682468"));
}

static void test_other_pins_are_taken(void **state)
{
	(void)state;
	assert_false(pin_trivial("A-0001", "480516"));
	assert_false(pin_trivial("101", "101102"));
	assert_false(pin_trivial("", "135790"));
	assert_false(pin_trivial("A-0001", "123457"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trivial_pins_are_refused),
		cmocka_unit_test(test_other_pins_are_taken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
