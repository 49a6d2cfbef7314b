/* The one-time recovery code: the way back in when every admin is locked
 * out or has forgotten the PIN (issue 19), without a hand edit of the
 * database. `coopmart init` prints the first; using one (an admin number,
 * the code and a new PIN) sets that admin's PIN, unlocks them, journals
 * "recovery_used" and prints the next code. Only its Argon2id hash is
 * stored. The code is 16 characters from an alphabet of 32 (80 bits),
 * written XXXX-XXXX-XXXX-XXXX; dashes, spaces and case do not matter. */
#ifndef RECOVERY_H
#define RECOVERY_H

#include "engine/till.h"

#define RECOVERY_CODE_LEN 20   /* 19 characters and the NUL */

/* Makes a new code (any unused one stops working), journaled as
 * "recovery_code_made" (without the code) by user_id, in a transaction of
 * its own. code receives it, to be shown once. */
enum cm_rc recovery_new(struct till *t, int64_t user_id, char code[RECOVERY_CODE_LEN]);
/* Uses the code for admin number: CM_INVALID (journaled as a failed
 * login, context "recovery") when the code is wrong, CM_DENIED when
 * number is not an admin, CM_INVALID when new_pin is not acceptable. On
 * success next_code holds the next code. */
enum cm_rc recovery_use(struct till *t, const char *number, const char *code,
                        const char *new_pin, char next_code[RECOVERY_CODE_LEN]);

#endif
