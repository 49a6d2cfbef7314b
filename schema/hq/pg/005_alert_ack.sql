-- Version 5: alerts stay until an operator acknowledges them (issue 19).
-- A terminal can raise an alert (POST /v1/alerts) but never clear one: only
-- `coopmart-hq alerts ack ID --by NAME` does, and it records who and when.
-- seq: the journal sequence the alert is about, 0 when none.
ALTER TABLE alerts ADD COLUMN seq bigint NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN acked_at bigint;
ALTER TABLE alerts ADD COLUMN acked_by text NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN ack_note text NOT NULL DEFAULT '';
CREATE INDEX alerts_open ON alerts(acked_at);
