-- Version 6: terminals' signing keys (issue 19, PROTOCOL.md "Signatures").
-- sign_key: the terminal's Ed25519 public key (64 hex digits, '' = none:
-- an older terminal that does not sign), registered at enrolment with the
-- sequence of its 'signing_key' event (sign_from): every event from there
-- on must carry a valid signature. events.sig: the signature (128 hex
-- digits), NULL for an unsigned event.
ALTER TABLE terminals ADD COLUMN sign_key text NOT NULL DEFAULT '';
ALTER TABLE terminals ADD COLUMN sign_from bigint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN sig text;
