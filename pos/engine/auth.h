/* Users, PINs, login, lockout and manager override.
 *
 * PINs are 6 to 12 digits, stored as libsodium Argon2id strings
 * (crypto_pwhash_str, interactive limits); a PIN anyone would guess first
 * is refused. After lockout_after wrong PINs in a row a user is locked for
 * lockout_minutes, twice as long for each lockout in a row (up to
 * lockout_max_minutes), or until a supervisor or admin unlocks them; an
 * admin unlocks another admin, and the one-time recovery code
 * (engine/recovery.h) an admin when every admin is locked.
 * Every login, failed login, lockout, unlock and user change is journaled. */
#ifndef AUTH_H
#define AUTH_H

#include "core/perm.h"
#include "engine/till.h"

#define AUTH_PIN_MIN 6
#define AUTH_PIN_MAX 12

/* An approval given by a supervisor for one action. Only auth_approve
 * fills one in. */
struct approval {
	enum action act;
	int64_t approver_id;
	char approver_number[16];
	char approver_name[64];
	char reason[64];
};

/* CM_OK when pin is 6-12 digits; CM_INVALID with a message otherwise. */
enum cm_rc auth_pin_check(struct till *t, const char *pin);
/* auth_pin_check, and not trivial for user number: one digit repeated, a
 * straight run up or down, the number itself (repeated). The demo store
 * (setting demo = 1) keeps its well-known PINs. */
enum cm_rc auth_pin_acceptable(struct till *t, const char *number, const char *pin);

/* Adds a user. Needs a logged-in user with ACT_MANAGE_USERS, except for
 * the very first user of a new store (who must be an admin). */
enum cm_rc auth_user_add(struct till *t, const char *number, const char *name,
                         enum role role, const char *pin, int64_t *id);
/* Locks or unlocks a user (supervisor or admin); unlocking clears the
 * failed-PIN count. */
enum cm_rc auth_user_set_locked(struct till *t, const char *number, bool locked);
/* Changes a user's PIN: the user themself (old PIN required) or an admin
 * (old_pin NULL). */
enum cm_rc auth_user_set_pin(struct till *t, const char *number, const char *old_pin,
                             const char *new_pin);

/* Logs in: CM_OK, CM_NOTFOUND (unknown number), CM_INVALID (wrong PIN),
 * CM_LOCKED (locked now or before). The message says how many tries are
 * left. */
enum cm_rc auth_login(struct till *t, const char *number, const char *pin);
enum cm_rc auth_logout(struct till *t);

/* A supervisor approves act for the logged-in user: verifies the PIN
 * (wrong PINs count towards the approver's lockout), that the approver is
 * someone else, and that their role may do act. reason is required. */
enum cm_rc auth_approve(struct till *t, enum action act, const char *number,
                        const char *pin, const char *reason, struct approval *out);

/* May the logged-in user do act now? CM_OK when their role allows it or
 * ap is a valid approval for act; CM_NEED_OVERRIDE when a supervisor's
 * approval would make it allowed; CM_DENIED otherwise; CM_STATE when
 * nobody is logged in. */
enum cm_rc auth_require(struct till *t, enum action act, const struct approval *ap);

/* Adds "approved_by" (user id), "approver" (number) and "reason" to a
 * journal payload when ap is not NULL. */
struct canon;
void auth_approval_payload(struct canon *c, const struct approval *ap);

#endif
