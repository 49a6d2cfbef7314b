-- Version 12: members' savings (simpanan) at the till. HQ is the book of
-- record; the till keeps each member's standing as of the last member pull
-- (sync/PROTOCOL.md "Members' dues"), the dated rate schedule, and the
-- dues it takes, which are savings, not sales: no PPN, no stock, their own
-- total on the sale.
ALTER TABLE members ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN join_date INTEGER NOT NULL DEFAULT 0;        -- YYYYMMDD
ALTER TABLE members ADD COLUMN left_date INTEGER NOT NULL DEFAULT 0;        -- YYYYMMDD, 0 = member
ALTER TABLE members ADD COLUMN pokok_owed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN wajib_through INTEGER NOT NULL DEFAULT 0;    -- YYYYMM
ALTER TABLE members ADD COLUMN wajib_paid_until INTEGER NOT NULL DEFAULT 0; -- YYYYMM
ALTER TABLE members ADD COLUMN wajib_months INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN wajib_arrears INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN sukarela INTEGER NOT NULL DEFAULT 0;
-- The standing above is HQ's as of month dues_month, counting this
-- terminal's events up to journal sequence dues_seq; 0 = never pulled.
ALTER TABLE members ADD COLUMN dues_month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN dues_seq INTEGER NOT NULL DEFAULT 0;

-- The wajib months a member owed at dues_month, with what each still owed.
CREATE TABLE member_owed (
	member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
	month     INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (amount > 0),
	PRIMARY KEY (member_id, month)
) WITHOUT ROWID;

-- HQ's setting of months owed from which a member is inactive for dues,
-- as pulled (not a store setting: HQ's, replaced by each member pull).
CREATE TABLE dues_setting (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	inactive_after INTEGER NOT NULL CHECK (inactive_after BETWEEN 1 AND 1200)
);
INSERT INTO dues_setting VALUES (1, 3);

-- HQ's schedule, replaced whole by each member pull.
CREATE TABLE dues_rates (
	type   TEXT NOT NULL,
	kind   INTEGER NOT NULL CHECK (kind IN (0, 1)),       -- pokok, wajib
	from_month INTEGER NOT NULL,                           -- YYYYMM
	amount INTEGER NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (type, kind, from_month)
) WITHOUT ROWID;

-- Dues on a ticket being rung up: one row per wajib month, per pokok,
-- per sukarela amount (month 0), for the ticket's member.
CREATE TABLE open_ticket_dues (
	ticket_id INTEGER NOT NULL REFERENCES open_tickets(id) ON DELETE CASCADE,
	n         INTEGER NOT NULL,
	member_id INTEGER NOT NULL REFERENCES members(id),
	kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
	month     INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (amount > 0),
	PRIMARY KEY (ticket_id, n)
) WITHOUT ROWID;

-- Dues paid with a completed sale: written once, with the sale.
ALTER TABLE sales ADD COLUMN dues INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sale_dues (
	sale_id   INTEGER NOT NULL REFERENCES sales(id),
	n         INTEGER NOT NULL,
	member_id INTEGER NOT NULL REFERENCES members(id),
	kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
	month     INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (amount > 0),
	PRIMARY KEY (sale_id, n)
) WITHOUT ROWID;
CREATE INDEX sale_dues_member ON sale_dues(member_id, kind);
CREATE TRIGGER sale_dues_no_update BEFORE UPDATE ON sale_dues
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_dues_no_delete BEFORE DELETE ON sale_dues
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;

-- A member pull stages the standings with the members, and the schedule.
ALTER TABLE members_staging ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE members_staging ADD COLUMN join_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN left_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN pokok_owed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN wajib_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN wajib_paid_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN wajib_months INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN wajib_arrears INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN sukarela INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN dues_month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN dues_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN owed TEXT NOT NULL DEFAULT '';  -- "YYYYMM:amount ..."

CREATE TABLE dues_staging (
	upto           INTEGER PRIMARY KEY,
	inactive_after INTEGER NOT NULL
);
CREATE TABLE dues_rates_staging (
	upto       INTEGER NOT NULL,
	type       TEXT NOT NULL,
	kind       INTEGER NOT NULL,
	from_month INTEGER NOT NULL,
	amount     INTEGER NOT NULL,
	PRIMARY KEY (upto, type, kind, from_month)
) WITHOUT ROWID;
