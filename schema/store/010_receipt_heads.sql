-- Version 10: what a sale's (and a return's) receipt printed above its
-- lines. The store's
-- name, address, NPWP, PKP switch, terminal id and footer are settings
-- that change (a new address, a PKP registration); a reprint or
-- `sale show` / `return show` of an older one must print the receipt as it
-- was, so the sale or return keeps the heading it printed, written in its
-- own transaction and never changed. One from before this version has no
-- row: its receipt uses the settings of the day it is shown.
CREATE TABLE sale_receipt_heads (
	sale_id    INTEGER PRIMARY KEY REFERENCES sales(id),
	store_name TEXT NOT NULL,
	address    TEXT NOT NULL,
	npwp       TEXT NOT NULL,
	pkp        INTEGER NOT NULL CHECK (pkp IN (0, 1)),
	terminal   TEXT NOT NULL,
	footer     TEXT NOT NULL
);
CREATE TRIGGER sale_receipt_heads_no_update BEFORE UPDATE ON sale_receipt_heads
BEGIN SELECT RAISE(ABORT, 'a printed receipt heading never changes'); END;
CREATE TRIGGER sale_receipt_heads_no_delete BEFORE DELETE ON sale_receipt_heads
BEGIN SELECT RAISE(ABORT, 'a printed receipt heading never changes'); END;

CREATE TABLE return_receipt_heads (
	return_id  INTEGER PRIMARY KEY REFERENCES returns(id),
	store_name TEXT NOT NULL,
	address    TEXT NOT NULL,
	npwp       TEXT NOT NULL,
	pkp        INTEGER NOT NULL CHECK (pkp IN (0, 1)),
	terminal   TEXT NOT NULL,
	footer     TEXT NOT NULL
);
CREATE TRIGGER return_receipt_heads_no_update BEFORE UPDATE ON return_receipt_heads
BEGIN SELECT RAISE(ABORT, 'a printed receipt heading never changes'); END;
CREATE TRIGGER return_receipt_heads_no_delete BEFORE DELETE ON return_receipt_heads
BEGIN SELECT RAISE(ABORT, 'a printed receipt heading never changes'); END;
