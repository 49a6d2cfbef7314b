-- Version 4: the sync agent's state (sync/PROTOCOL.md). The journal is the
-- outbox: nothing is copied out of it; sync_state remembers how far HQ has
-- acknowledged it. Pulled catalogue and member pages are staged here and
-- applied in one transaction only when the last page has arrived.

-- One row. acked_seq/head_hash: what HQ last acknowledged (head_hash is
-- lower-case hex, '' before the first push). Times are unix seconds, 0 =
-- never. last_error: the last failed attempt's message, '' after success.
CREATE TABLE sync_state (
	id                INTEGER PRIMARY KEY CHECK (id = 1),
	acked_seq         INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
	head_hash         TEXT NOT NULL DEFAULT '',
	catalogue_version INTEGER NOT NULL DEFAULT 0,
	members_version   INTEGER NOT NULL DEFAULT 0,
	last_push_ok_at   INTEGER NOT NULL DEFAULT 0,
	last_pull_ok_at   INTEGER NOT NULL DEFAULT 0,
	last_attempt_at   INTEGER NOT NULL DEFAULT 0,
	last_error        TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_state(id) VALUES (1);

-- Things an operator must look at (HQ refused a batch, a fork, a database
-- older than HQ's copy). While one is not cleared the agent does not push,
-- and the till's status bar says ALERT.
CREATE TABLE sync_alerts (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	code       TEXT NOT NULL,
	message    TEXT NOT NULL,
	cleared_at INTEGER
);
CREATE INDEX sync_alerts_open ON sync_alerts(cleared_at);

-- An unfinished pull per kind ('catalogue', 'members'): the delta
-- since < version <= upto, staged up to the page whose cursor was next
-- ('' = every page is staged, only the apply is left).
CREATE TABLE sync_pull (
	kind  TEXT PRIMARY KEY CHECK (kind IN ('catalogue', 'members')),
	since INTEGER NOT NULL,
	upto  INTEGER NOT NULL,
	next  TEXT NOT NULL,
	rows  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Staged catalogue rows in the order HQ sent them. deleted = 1: only sku
-- counts (the item becomes inactive). barcodes: space separated.
CREATE TABLE catalogue_staging (
	upto         INTEGER NOT NULL,
	n            INTEGER NOT NULL,
	deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	sku          TEXT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	receipt_name TEXT NOT NULL DEFAULT '',
	unit         TEXT NOT NULL DEFAULT '',
	weighed      INTEGER NOT NULL DEFAULT 0,
	price        INTEGER NOT NULL DEFAULT 0,
	member_price INTEGER NOT NULL DEFAULT 0,
	tax_class    INTEGER NOT NULL DEFAULT 1,
	category     TEXT NOT NULL DEFAULT '',
	supplier     TEXT NOT NULL DEFAULT '',
	plu          INTEGER NOT NULL DEFAULT 0,
	active       INTEGER NOT NULL DEFAULT 1,
	barcodes     TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (upto, n)
) WITHOUT ROWID;

-- Staged member rows; deleted = 1: the member number is no longer at HQ
-- (the member is marked 'left': their sales stay).
CREATE TABLE members_staging (
	upto      INTEGER NOT NULL,
	n         INTEGER NOT NULL,
	deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
	number    TEXT NOT NULL,
	name      TEXT NOT NULL DEFAULT '',
	card_code TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL DEFAULT 'active',
	version   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (upto, n)
) WITHOUT ROWID;
