-- Version 10: member credit (potong gaji), issue 11; sync/PROTOCOL.md
-- "Member credit (potong gaji)" and sync/README.md say the rules.
--  * members: credit_amount, the limit HQ was given for the member (-1:
--    none, the limit is then credit_share percent of salary); salary, the
--    monthly salary imported with the member (0 not known); credit_limit,
--    the limit in force (kept whenever one of those or the share changes);
--    credit_balance, what the member owes: the sum of credit_ledger,
--    kept with every row folded (the members page reads it).
--  * credit_ledger: charges (a sale's credit tenders), refunds (a return's
--    credit refund tenders) and payments (payroll deductions), amount > 0;
--    date yyyymmdd; period: a payment's statement month (YYYYMM), else 0.
--  * payroll_deductions: one row per member and period imported from the
--    payroll office (what was deducted), so a file imported twice counts
--    once.
--  * hq_settings: credit_share (percent of salary, 0 = no credit from
--    salary) and credit_cutoff_day (the statement month's last day).
ALTER TABLE members ADD COLUMN credit_amount INTEGER NOT NULL DEFAULT -1;
ALTER TABLE members ADD COLUMN salary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN credit_balance INTEGER NOT NULL DEFAULT 0;

CREATE TABLE credit_ledger (
	id        INTEGER PRIMARY KEY,
	member_no TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('charge', 'refund', 'payment')),
	amount    INTEGER NOT NULL CHECK (amount > 0),
	date      INTEGER NOT NULL,
	store     TEXT NOT NULL,
	terminal  TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	receipt   TEXT NOT NULL,
	period    INTEGER NOT NULL,
	at        INTEGER NOT NULL
);
CREATE INDEX credit_ledger_member ON credit_ledger(member_no, date);

CREATE TABLE payroll_deductions (
	member_no TEXT NOT NULL,
	period    INTEGER NOT NULL,
	wajib     INTEGER NOT NULL,
	credit    INTEGER NOT NULL,
	at        INTEGER NOT NULL,
	PRIMARY KEY (member_no, period)
) WITHOUT ROWID;

INSERT INTO hq_settings VALUES ('credit_share', 0);
INSERT INTO hq_settings VALUES ('credit_cutoff_day', 25);
