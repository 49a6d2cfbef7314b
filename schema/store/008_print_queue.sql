-- Version 5: the print queue. A receipt is queued in the same transaction
-- that completes its sale and printed afterwards by the till's print
-- worker, so a printer that is off, out of paper or unplugged never undoes
-- a sale: the job waits here (across restarts) until the printer is back.
--
-- kind: 'receipt' (of sale_id; reprint = 1 prints the reprint banner),
-- 'drawer' (only opens the cash drawer), 'test' (payload is the page).
-- kick: open the drawer after printing. Times are unix seconds; printed_at
-- NULL while the job waits. attempts and last_error describe the failed
-- tries ('' when none failed); the same reason again is not counted again.
CREATE TABLE print_jobs (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'report', 'test', 'drawer')),
	sale_id     INTEGER REFERENCES sales(id),
	reprint     INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
	kick        INTEGER NOT NULL DEFAULT 0 CHECK (kick IN (0, 1)),
	payload     BLOB,
	created_at  INTEGER NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	last_try_at INTEGER,
	printed_at  INTEGER,
	CHECK (kind <> 'receipt' OR sale_id IS NOT NULL)
);
CREATE INDEX print_jobs_waiting ON print_jobs(id) WHERE printed_at IS NULL;
