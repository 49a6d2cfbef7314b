-- Version 13: member credit (potong gaji). HQ sets each member's limit and
-- keeps the account; the till keeps the limit and HQ's balance as of the
-- last member pull (sync/PROTOCOL.md "Member credit") and takes a tender of
-- kind 3 (credit) within it.
ALTER TABLE members ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0;    -- 0 = no credit
ALTER TABLE members ADD COLUMN credit_balance INTEGER NOT NULL DEFAULT 0;  -- owed, as of dues_seq
ALTER TABLE members_staging ADD COLUMN credit_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members_staging ADD COLUMN credit_balance INTEGER NOT NULL DEFAULT 0;
-- Who approved a credit beyond the limit, per open ticket (journaled with
-- the sale).
ALTER TABLE open_tickets ADD COLUMN credit_approved_by INTEGER NOT NULL DEFAULT 0;
