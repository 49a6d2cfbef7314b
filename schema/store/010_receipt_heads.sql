-- Version 10: what a sale's receipt printed above its lines. The store's
-- name, address, NPWP, PKP switch, terminal id and footer are settings
-- that change (a new address, a PKP registration); a reprint or
-- `sale show` of an older sale must print the receipt as it was, so the
-- sale keeps the heading it printed, written in the sale's own
-- transaction and never changed. A sale from before this version has no
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
