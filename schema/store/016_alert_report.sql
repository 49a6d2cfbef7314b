-- Version 16: what the agent finds wrong with this terminal's own journal
-- (verify failure, fork, a database older than HQ's copy) goes to HQ too,
-- which keeps it until an operator acknowledges it there (issue 19).
-- report = 1: to be sent to HQ; reported_at: when HQ took it (NULL: not
-- yet, retried on every run, even once cleared here). seq: the journal
-- sequence concerned, 0 when none.
ALTER TABLE sync_alerts ADD COLUMN report INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_alerts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_alerts ADD COLUMN reported_at INTEGER;
