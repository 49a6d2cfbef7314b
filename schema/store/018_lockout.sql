-- Version 18: lockouts that end (issue 19). A user locked out by wrong PINs
-- is locked until locked_until (unix seconds); each lockout in a row
-- (lockouts, back to 0 at the next good login) lasts twice the one before,
-- from lockout_minutes up to lockout_max_minutes (settings). locked_until
-- 0 with locked 1: locked by a supervisor or admin, until one unlocks.
ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;

-- The one-time recovery code for when every admin is locked out or has
-- forgotten the PIN: printed once by `coopmart init` (and a new one each
-- time one is used), kept only as its Argon2id hash. One unused at a time.
CREATE TABLE recovery_codes (
	id         INTEGER PRIMARY KEY,
	code_hash  TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	used_at    INTEGER,
	used_for   TEXT              -- the admin's number it unlocked
);
