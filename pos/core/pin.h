/* The rule for PINs anyone would try first, shared by the till's users
 * (engine/auth.c) and members' web PINs at HQ (sync/hq/shop_cmd.c,
 * shop_web.c). Pure. */
#ifndef PIN_H
#define PIN_H

#include <stdbool.h>

/* One digit repeated (000000), a straight run up or down (123456,
 * 987654), or the owner's own number repeated (101 -> 101101; a user's
 * number is on every receipt, a member's on the card). */
bool pin_trivial(const char *number, const char *pin);

#endif
