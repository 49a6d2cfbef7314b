-- Version 7: SHU (sisa hasil usaha), issue 12; sync/README.md "SHU" and
-- pos/core/shu.h say the rules.
--  * shu_years: the year's SHU amount from the coop's books, entered after
--    the RAT; shu_pools: its pools in basis points (1% = 100), which must
--    add up to 10000 before a preview or a post; shu_rules: the rules that
--    differ from their defaults (name, value as written in the output).
--  * shu_runs, shu_run_pools, shu_run_members: a posted run, frozen: the
--    settings, every member's figures and shares, and the BLAKE2b hash of
--    their canonical text. Append-only: a posted year is never changed.
CREATE TABLE shu_years (
	year   INTEGER PRIMARY KEY,
	amount INTEGER NOT NULL CHECK (amount >= 0)
);

CREATE TABLE shu_pools (
	year INTEGER NOT NULL,
	name TEXT NOT NULL,
	bp   INTEGER NOT NULL CHECK (bp BETWEEN 0 AND 10000),
	PRIMARY KEY (year, name)
) WITHOUT ROWID;

CREATE TABLE shu_rules (
	year  INTEGER NOT NULL,
	name  TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (year, name)
) WITHOUT ROWID;

CREATE TABLE shu_runs (
	year      INTEGER PRIMARY KEY,
	amount    INTEGER NOT NULL,
	rules     TEXT NOT NULL,             -- "denominator=members;savings=year-end;..."
	turnover  INTEGER NOT NULL,          -- every sale net of every return in the year
	members   INTEGER NOT NULL,
	hash      BLOB NOT NULL CHECK (length(hash) = 32),
	posted_at INTEGER NOT NULL
);

CREATE TABLE shu_run_pools (
	year   INTEGER NOT NULL REFERENCES shu_runs(year),
	n      INTEGER NOT NULL,
	name   TEXT NOT NULL,
	bp     INTEGER NOT NULL,
	amount INTEGER NOT NULL,
	PRIMARY KEY (year, n)
) WITHOUT ROWID;

CREATE TABLE shu_run_members (
	year      INTEGER NOT NULL REFERENCES shu_runs(year),
	number    TEXT NOT NULL,
	name      TEXT NOT NULL,
	store     TEXT NOT NULL,
	inactive  INTEGER NOT NULL,
	pct       INTEGER NOT NULL,
	bought    INTEGER NOT NULL,
	returned  INTEGER NOT NULL,
	purchases INTEGER NOT NULL,
	savings   INTEGER NOT NULL,
	usaha_w   INTEGER NOT NULL,
	modal_w   INTEGER NOT NULL,
	usaha     INTEGER NOT NULL,
	modal     INTEGER NOT NULL,
	PRIMARY KEY (year, number)
) WITHOUT ROWID;

CREATE TRIGGER shu_runs_no_update BEFORE UPDATE ON shu_runs
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;
CREATE TRIGGER shu_runs_no_delete BEFORE DELETE ON shu_runs
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;
CREATE TRIGGER shu_run_pools_no_update BEFORE UPDATE ON shu_run_pools
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;
CREATE TRIGGER shu_run_pools_no_delete BEFORE DELETE ON shu_run_pools
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;
CREATE TRIGGER shu_run_members_no_update BEFORE UPDATE ON shu_run_members
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;
CREATE TRIGGER shu_run_members_no_delete BEFORE DELETE ON shu_run_members
BEGIN SELECT RAISE(ABORT, 'a posted SHU run is append-only'); END;

-- A return finds its sale's member by the sale's receipt at the store.
CREATE INDEX sales_receipt ON sales(store, receipt);
