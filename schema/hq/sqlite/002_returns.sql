-- Version 2: returns in the sales ledger. A terminal's "return" event is
-- folded here as it is stored: what was refunded, per PPN class and per
-- tender (cash refunds are exact: no change), against the sale's receipt
-- ('' for a return without a receipt). The day report shows refunds next
-- to sales and the net.
CREATE TABLE returns (
	terminal  INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	store     TEXT NOT NULL,
	return_no TEXT NOT NULL,
	receipt   TEXT NOT NULL,              -- the sale's, '' without a receipt
	date      INTEGER NOT NULL,           -- business date yyyymmdd
	total     INTEGER NOT NULL,           -- refunded, tax inclusive, before rounding
	rounding  INTEGER NOT NULL,
	refund    INTEGER NOT NULL,           -- paid back: total + rounding
	PRIMARY KEY (terminal, seq),
	FOREIGN KEY (terminal, seq) REFERENCES events(terminal, seq)
) WITHOUT ROWID;
CREATE INDEX returns_store_date ON returns(store, date);

CREATE TABLE return_taxes (
	terminal INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	class    TEXT NOT NULL,
	total    INTEGER NOT NULL,
	tax      INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq, class),
	FOREIGN KEY (terminal, seq) REFERENCES returns(terminal, seq)
) WITHOUT ROWID;

CREATE TABLE return_tenders (
	terminal INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	n        INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	amount   INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq, n),
	FOREIGN KEY (terminal, seq) REFERENCES returns(terminal, seq)
) WITHOUT ROWID;
