/* The terminal's Ed25519 signing key (issue 19, sync/PROTOCOL.md
 * "Signatures"). Made once per terminal; its public half is journaled as a
 * 'signing_key' event {"algorithm":"ed25519","public_key":HEX}, which is
 * itself signed; every later event's hash is signed by journal_append with
 * the secret half, read at store_open from the file PATH.key beside the
 * database (PATH the database's path; mode 0640: the till's and the
 * agent's group). The secret never enters the database, so a copy of the
 * database (a backup, an auditor's copy) cannot sign. */
#ifndef STORE_SIGN_H
#define STORE_SIGN_H

#include "store/store.h"

#define STORE_SIG_LEN 64

struct store_sign_info {
	bool has_key;            /* a signing_key event is journaled */
	int64_t since_seq;       /* its sequence: every event from here on is signed */
	char public_hex[65];     /* the public key, lower-case hex */
	bool loaded;             /* the secret half was read: new events get signed */
	char note[300];          /* why it was not, for a person ("" when loaded) */
};

/* Makes a key pair, writes the secret half to PATH.key (refused when that
 * file exists) and journals the public half as event 'signing_key' by
 * user_id, in a transaction of its own. CM_STATE when this terminal has a
 * key already. */
enum cm_rc store_sign_create(struct store *st, int64_t now, int64_t user_id,
                             struct store_sign_info *out);
enum cm_rc store_sign_info(struct store *st, struct store_sign_info *out);
/* The path of the key file (PATH.key) into buf. */
void store_sign_path(const struct store *st, char *buf, size_t n);
/* The text that registers this terminal's key with HQ
 * (`coopmart-hq enroll --signing-key`): "ed25519:SINCE:HEX". */
void store_sign_enrolment(const struct store_sign_info *i, char *buf, size_t n);

#endif
