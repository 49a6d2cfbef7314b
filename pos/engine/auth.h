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

#define AUTH_SUBJECT_MAX 512
#define AUTH_WHAT_MAX 640

/* What an action waiting for a supervisor is, in full. subject is stable
 * and canonical ("amount=250000 shift=3"; "" for an action with nothing
 * to measure): the approval is bound to it and it is journaled as
 * "approved". what is the same for a person (translated, lines split by
 * '\n'), shown on the approval dialog before any PIN is asked. The engine
 * fills one in whenever it answers CM_NEED_OVERRIDE (auth_need). */
struct approval_need {
	enum action act;
	char subject[AUTH_SUBJECT_MAX];
	char what[AUTH_WHAT_MAX];
};

/* An approval given by a supervisor for one action on one subject. Only
 * auth_approve fills one in. An approval whose subject differs from what
 * the action now is (the amount or the lines changed) does not count:
 * the engine asks again. */
struct approval {
	enum action act;
	int64_t approver_id;
	char approver_number[16];
	char approver_name[64];
	char reason[64];
	char subject[AUTH_SUBJECT_MAX];
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
 * someone else, and that their role may do act. reason is required. The
 * approval has no subject: it counts only for actions with nothing to
 * measure (auth_require), never for an amount or lines. */
enum cm_rc auth_approve(struct till *t, enum action act, const char *number,
                        const char *pin, const char *reason, struct approval *out);
/* The same for need as the engine described it (auth_need): the approval
 * is bound to need's subject. */
enum cm_rc auth_approve_need(struct till *t, const struct approval_need *need,
                             const char *number, const char *pin, const char *reason,
                             struct approval *out);
/* The last action the engine said needs a supervisor (CM_NEED_OVERRIDE):
 * valid until the next one. Never NULL (act ACT_COUNT when none yet). */
const struct approval_need *auth_need(struct till *t);

/* May the logged-in user do act now? CM_OK when their role allows it or
 * ap is a valid approval for act; CM_NEED_OVERRIDE when a supervisor's
 * approval would make it allowed; CM_DENIED otherwise; CM_STATE when
 * nobody is logged in. */
enum cm_rc auth_require(struct till *t, enum action act, const struct approval *ap);
/* auth_require for an action on a subject (see struct approval_need): ap
 * counts only when it was given for this very subject. On
 * CM_NEED_OVERRIDE, auth_need tells the dialog subject and what. */
enum cm_rc auth_require_for(struct till *t, enum action act, const char *subject,
                            const char *what, const struct approval *ap);
/* May the logged-in user do act without anyone's approval? No message,
 * no need recorded: a probe. */
bool auth_may(const struct till *t, enum action act);

/* Adds "approved_by" (user id), "approver" (number), "reason" and
 * "approved" (the subject, when there is one) to a journal payload when ap
 * is not NULL. */
struct canon;
void auth_approval_payload(struct canon *c, const struct approval *ap);
/* The same, the reason under reason_key: for events with a "reason" of
 * their own (a cash out's note). */
void auth_approval_payload_as(struct canon *c, const struct approval *ap, const char *reason_key);

#endif
