-- Version 17: every event journaled once this terminal has a signing key is
-- signed (issue 19): sig = Ed25519(secret key, hash), 64 bytes. The key is
-- made by `coopmart init` (or `coopmart key create`) and journaled as a
-- 'signing_key' event holding the public key; the secret key lives in the
-- file DB.key beside the database (mode 0640), never in the database.
-- NULL before the key (and when the key file could not be read: `journal
-- verify` and HQ then name the unsigned event).
ALTER TABLE journal ADD COLUMN sig BLOB CHECK (sig IS NULL OR length(sig) = 64);
