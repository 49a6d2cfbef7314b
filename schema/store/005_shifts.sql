-- Shifts, cash movements and end-of-day (Z) reports.
--
-- A shift is one drawer's working period on this terminal: opened with a
-- counted float, closed with a blind count by denomination. Its figures
-- are everything journaled between its shift_open event (open_seq) and
-- its shift_closed event (close_seq): sales, cash in and cash out carry
-- the journal sequence number of their event, so "belongs to the shift"
-- is a range of sequence numbers, never a guess by clock time.
-- At most one shift is open per terminal; a closed shift is immutable,
-- like a completed sale.
CREATE TABLE shifts (
	id          INTEGER PRIMARY KEY,
	terminal_id TEXT NOT NULL,
	opened_by   INTEGER NOT NULL REFERENCES users(id),
	opened_at   INTEGER NOT NULL,
	open_seq    INTEGER NOT NULL UNIQUE,    -- journal seq of shift_opened
	float       INTEGER NOT NULL CHECK (float >= 0),
	closed_by   INTEGER REFERENCES users(id),
	approved_by INTEGER REFERENCES users(id),
	closed_at   INTEGER,
	close_seq   INTEGER UNIQUE,             -- journal seq of shift_closed
	expected    INTEGER,                    -- cash the drawer should hold
	counted     INTEGER CHECK (counted >= 0),
	CHECK ((closed_at IS NULL) = (close_seq IS NULL)),
	CHECK ((closed_at IS NULL) = (counted IS NULL))
);
CREATE UNIQUE INDEX shifts_one_open ON shifts(terminal_id) WHERE closed_at IS NULL;

-- The blind count of a closing shift: pieces per denomination (rupiah).
CREATE TABLE shift_counts (
	shift_id INTEGER NOT NULL REFERENCES shifts(id),
	denom    INTEGER NOT NULL CHECK (denom > 0),
	pieces   INTEGER NOT NULL CHECK (pieces >= 0),
	PRIMARY KEY (shift_id, denom)
) WITHOUT ROWID;

-- Cash put into (dir 1) or taken out of (dir -1) the drawer, not a sale.
CREATE TABLE cash_moves (
	id          INTEGER PRIMARY KEY,
	shift_id    INTEGER NOT NULL REFERENCES shifts(id),
	dir         INTEGER NOT NULL CHECK (dir IN (1, -1)),
	amount      INTEGER NOT NULL CHECK (amount > 0),
	reason      TEXT NOT NULL CHECK (length(reason) > 0),
	user_id     INTEGER NOT NULL REFERENCES users(id),
	approved_by INTEGER REFERENCES users(id),
	at          INTEGER NOT NULL,
	journal_seq INTEGER NOT NULL UNIQUE
);
CREATE INDEX cash_moves_shift ON cash_moves(shift_id);

-- Z reports: numbered per terminal without gaps; each covers the journal
-- after the previous Z (from_seq exclusive) up to its own event
-- (journal_seq); the grand total never resets.
CREATE TABLE z_reports (
	terminal_id TEXT NOT NULL,
	z_no        INTEGER NOT NULL CHECK (z_no > 0),
	at          INTEGER NOT NULL,
	user_id     INTEGER NOT NULL REFERENCES users(id),
	from_seq    INTEGER NOT NULL,
	journal_seq INTEGER NOT NULL UNIQUE,
	sales       INTEGER NOT NULL,
	net_sales   INTEGER NOT NULL,
	grand_total INTEGER NOT NULL,
	PRIMARY KEY (terminal_id, z_no)
) WITHOUT ROWID;

CREATE TRIGGER z_reports_contiguous BEFORE INSERT ON z_reports
WHEN NEW.z_no <> COALESCE((SELECT max(z_no) FROM z_reports WHERE terminal_id = NEW.terminal_id), 0) + 1
  OR NEW.grand_total <> COALESCE((SELECT grand_total FROM z_reports WHERE terminal_id = NEW.terminal_id
                                  AND z_no = NEW.z_no - 1), 0) + NEW.net_sales
BEGIN SELECT RAISE(ABORT, 'Z reports must continue the numbering and the grand total'); END;
CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
BEGIN SELECT RAISE(ABORT, 'Z reports cannot be changed'); END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN SELECT RAISE(ABORT, 'Z reports cannot be changed'); END;

-- An open shift may be closed once; nothing else about a shift changes.
CREATE TRIGGER shifts_closed_once BEFORE UPDATE ON shifts
WHEN OLD.closed_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.terminal_id <> OLD.terminal_id
  OR NEW.opened_by <> OLD.opened_by OR NEW.opened_at <> OLD.opened_at
  OR NEW.open_seq <> OLD.open_seq OR NEW.float <> OLD.float
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot be changed'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'shifts cannot be deleted'); END;
CREATE TRIGGER shift_counts_open_only BEFORE INSERT ON shift_counts
WHEN (SELECT closed_at FROM shifts WHERE id = NEW.shift_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot be changed'); END;
CREATE TRIGGER shift_counts_no_update BEFORE UPDATE ON shift_counts
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot be changed'); END;
CREATE TRIGGER shift_counts_no_delete BEFORE DELETE ON shift_counts
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot be changed'); END;
CREATE TRIGGER cash_moves_open_only BEFORE INSERT ON cash_moves
WHEN (SELECT closed_at FROM shifts WHERE id = NEW.shift_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift cannot be changed'); END;
CREATE TRIGGER cash_moves_no_update BEFORE UPDATE ON cash_moves
BEGIN SELECT RAISE(ABORT, 'cash movements cannot be changed'); END;
CREATE TRIGGER cash_moves_no_delete BEFORE DELETE ON cash_moves
BEGIN SELECT RAISE(ABORT, 'cash movements cannot be changed'); END;
