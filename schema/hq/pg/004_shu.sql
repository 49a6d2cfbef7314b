-- Version 4: SHU (sisa hasil usaha), issue 12: the SQLite schema's
-- version 7 (schema/hq/sqlite/007_shu.sql says what each part is for).
CREATE TABLE shu_years (
	year   integer PRIMARY KEY,
	amount bigint NOT NULL CHECK (amount >= 0)
);

CREATE TABLE shu_pools (
	year integer NOT NULL,
	name text COLLATE "C" NOT NULL,
	bp   integer NOT NULL CHECK (bp BETWEEN 0 AND 10000),
	PRIMARY KEY (year, name)
);

CREATE TABLE shu_rules (
	year  integer NOT NULL,
	name  text COLLATE "C" NOT NULL,
	value text NOT NULL,
	PRIMARY KEY (year, name)
);

CREATE TABLE shu_runs (
	year      integer PRIMARY KEY,
	amount    bigint NOT NULL,
	rules     text NOT NULL,
	turnover  bigint NOT NULL,
	members   bigint NOT NULL,
	hash      bytea NOT NULL CHECK (length(hash) = 32),
	posted_at bigint NOT NULL
);

CREATE TABLE shu_run_pools (
	year   integer NOT NULL REFERENCES shu_runs(year),
	n      integer NOT NULL,
	name   text COLLATE "C" NOT NULL,
	bp     integer NOT NULL,
	amount bigint NOT NULL,
	PRIMARY KEY (year, n)
);

CREATE TABLE shu_run_members (
	year      integer NOT NULL REFERENCES shu_runs(year),
	number    text COLLATE "C" NOT NULL,
	name      text NOT NULL,
	store     text COLLATE "C" NOT NULL,
	inactive  integer NOT NULL,
	pct       integer NOT NULL,
	bought    bigint NOT NULL,
	returned  bigint NOT NULL,
	purchases bigint NOT NULL,
	savings   bigint NOT NULL,
	usaha_w   bigint NOT NULL,
	modal_w   bigint NOT NULL,
	usaha     bigint NOT NULL,
	modal     bigint NOT NULL,
	PRIMARY KEY (year, number)
);

CREATE FUNCTION shu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a posted SHU run is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER shu_runs_no_update BEFORE UPDATE OR DELETE ON shu_runs
	FOR EACH ROW EXECUTE FUNCTION shu_append_only();
CREATE TRIGGER shu_runs_no_truncate BEFORE TRUNCATE ON shu_runs
	FOR EACH STATEMENT EXECUTE FUNCTION shu_append_only();
CREATE TRIGGER shu_run_pools_no_update BEFORE UPDATE OR DELETE ON shu_run_pools
	FOR EACH ROW EXECUTE FUNCTION shu_append_only();
CREATE TRIGGER shu_run_pools_no_truncate BEFORE TRUNCATE ON shu_run_pools
	FOR EACH STATEMENT EXECUTE FUNCTION shu_append_only();
CREATE TRIGGER shu_run_members_no_update BEFORE UPDATE OR DELETE ON shu_run_members
	FOR EACH ROW EXECUTE FUNCTION shu_append_only();
CREATE TRIGGER shu_run_members_no_truncate BEFORE TRUNCATE ON shu_run_members
	FOR EACH STATEMENT EXECUTE FUNCTION shu_append_only();

CREATE INDEX sales_receipt ON sales(store, receipt);
