-- Version 5: members' savings (simpanan), issue 10; sync/PROTOCOL.md
-- "Members' dues" and pos/core/dues.h say the rules.
--  * A member's type, join and leaving dates, employer, department,
--    employee number (NIK karyawan) and home store ('' none). join_date
--    and left_date are yyyymmdd, 0 when not known / still a member.
--  * dues_rates: the dated schedule per member type and kind (pokok,
--    wajib), from a month (YYYYMM) on; the latest "from" wins.
--  * hq_settings: HQ's own numeric settings (dues_inactive_after).
--  * dues_ledger: every payment HQ learnt of, from a till's sale event
--    (channel 'till': store, terminal, seq, receipt) or a payroll file
--    (channel 'payroll': source is the line as read, so the same line
--    imported again is recognised). counted = 0: a month (or pokok)
--    already paid in full when it came, kept for the office (alert
--    dues_duplicate). month is YYYYMM for wajib, 0 for pokok and sukarela.
ALTER TABLE members ADD COLUMN type TEXT NOT NULL DEFAULT 'biasa';
ALTER TABLE members ADD COLUMN join_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN left_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN employer TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN employee_no TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN store TEXT NOT NULL DEFAULT '';
CREATE INDEX members_card ON members(card_code);

CREATE TABLE dues_rates (
	type       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('pokok', 'wajib')),
	from_month INTEGER NOT NULL,
	amount     INTEGER NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (type, kind, from_month)
) WITHOUT ROWID;

CREATE TABLE hq_settings (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO hq_settings VALUES ('dues_inactive_after', 3);

CREATE TABLE dues_ledger (
	id        INTEGER PRIMARY KEY,
	member_no TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('pokok', 'wajib', 'sukarela')),
	month     INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (amount > 0),
	date      INTEGER NOT NULL,             -- yyyymmdd paid
	channel   TEXT NOT NULL CHECK (channel IN ('till', 'payroll')),
	store     TEXT NOT NULL,
	terminal  TEXT NOT NULL,                -- the terminal's id, '' payroll
	seq       INTEGER NOT NULL,             -- the sale event's, 0 payroll
	receipt   TEXT NOT NULL,
	counted   INTEGER NOT NULL CHECK (counted IN (0, 1)),
	source    TEXT NOT NULL,                -- payroll: the line; till: ''
	at        INTEGER NOT NULL              -- when HQ folded it
);
-- Covering what a members page and the folding rule read of the ledger.
CREATE INDEX dues_ledger_member ON dues_ledger(member_no, kind, month, counted, amount);
CREATE INDEX dues_ledger_source ON dues_ledger(source) WHERE source <> '';
