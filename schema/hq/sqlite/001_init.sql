-- coopmart-hq database, version 1: the regional server's book of record.
-- Money in rupiah (integers), quantities in thousandths (1 piece = 1000).
-- Times are unix seconds (UTC); business dates are yyyymmdd integers as the
-- terminal wrote them. Hashes are 32-byte blobs (BLAKE2b-256).

CREATE TABLE stores (
	code       TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per enrolled terminal (or operator). Only the BLAKE2b-256 hash of
-- the bearer token is kept; enrolling again replaces it.
CREATE TABLE terminals (
	id          INTEGER PRIMARY KEY,
	store       TEXT NOT NULL REFERENCES stores(code),
	terminal    TEXT NOT NULL,
	token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	operator    INTEGER NOT NULL DEFAULT 0 CHECK (operator IN (0, 1)),
	revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
	enrolled_at INTEGER NOT NULL,
	UNIQUE (store, terminal)
);

-- Every journal event pushed by a terminal, exactly as hashed by it.
-- (terminal, seq) is unique forever; rows are never changed.
CREATE TABLE events (
	terminal    INTEGER NOT NULL REFERENCES terminals(id),
	seq         INTEGER NOT NULL CHECK (seq > 0),
	type        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	user_id     INTEGER NOT NULL,
	payload     TEXT NOT NULL,
	prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
	hash        BLOB NOT NULL CHECK (length(hash) = 32),
	received_at INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq)
) WITHOUT ROWID;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_contiguous BEFORE INSERT ON events
WHEN NEW.seq <> COALESCE((SELECT seq FROM heads WHERE terminal = NEW.terminal), 0) + 1
BEGIN SELECT RAISE(ABORT, 'events must continue the terminal''s chain'); END;

-- The newest event HQ holds per terminal (contiguous from 1), and the first
-- sequence of the last gap refused, to tell a repeated gap from a new one.
CREATE TABLE heads (
	terminal INTEGER PRIMARY KEY REFERENCES terminals(id),
	seq      INTEGER NOT NULL DEFAULT 0,
	hash     BLOB NOT NULL DEFAULT (zeroblob(32)),
	gap_seq  INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER events_head AFTER INSERT ON events
BEGIN
	UPDATE heads SET seq = NEW.seq, hash = NEW.hash, gap_seq = 0
	WHERE terminal = NEW.terminal;
END;

-- kind: tampered, fork, gap, regression, payload ...
CREATE TABLE alerts (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	store    TEXT NOT NULL,
	terminal TEXT NOT NULL,
	kind     TEXT NOT NULL,
	detail   TEXT NOT NULL
);

-- Version counters: 'catalogue' (items and store prices) and 'members'.
-- Every change gets the next version, so terminals pull deltas.
CREATE TABLE versions (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO versions VALUES ('catalogue', 0), ('members', 0);

CREATE TABLE items (
	sku          TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	receipt_name TEXT NOT NULL,
	unit         TEXT NOT NULL,
	weighed      INTEGER NOT NULL CHECK (weighed IN (0, 1)),
	price        INTEGER NOT NULL CHECK (price >= 0),
	member_price INTEGER NOT NULL CHECK (member_price >= 0),
	tax_class    TEXT NOT NULL CHECK (tax_class IN ('exempt', 'standard', 'luxury')),
	category     TEXT NOT NULL,
	supplier     TEXT NOT NULL,
	plu          INTEGER NOT NULL,
	active       INTEGER NOT NULL CHECK (active IN (0, 1)),
	barcodes     TEXT NOT NULL,            -- space-separated GTINs
	version      INTEGER NOT NULL,
	deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX items_version ON items(version, sku);

-- A store's own prices; a change takes a catalogue version, so the store's
-- terminals pull the item again.
CREATE TABLE store_prices (
	store        TEXT NOT NULL REFERENCES stores(code),
	sku          TEXT NOT NULL REFERENCES items(sku),
	price        INTEGER NOT NULL CHECK (price >= 0),
	member_price INTEGER NOT NULL CHECK (member_price >= 0),
	version      INTEGER NOT NULL,
	PRIMARY KEY (store, sku)
) WITHOUT ROWID;
CREATE INDEX store_prices_version ON store_prices(store, version);

CREATE TABLE members (
	number    TEXT PRIMARY KEY,
	name      TEXT NOT NULL,
	card_code TEXT NOT NULL,
	status    TEXT NOT NULL CHECK (status IN ('active', 'left', 'blocked')),
	version   INTEGER NOT NULL,
	deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX members_version ON members(version, number);

-- The sales ledger, folded from "sale" events. tenders: cash net of change.
CREATE TABLE sales (
	terminal  INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	store     TEXT NOT NULL,
	receipt   TEXT NOT NULL,
	date      INTEGER NOT NULL,            -- business date yyyymmdd
	member_no TEXT,
	total     INTEGER NOT NULL,
	rounding  INTEGER NOT NULL,
	due       INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq),
	FOREIGN KEY (terminal, seq) REFERENCES events(terminal, seq)
) WITHOUT ROWID;
CREATE INDEX sales_store_date ON sales(store, date);

CREATE TABLE sale_taxes (
	terminal INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	class    TEXT NOT NULL,
	total    INTEGER NOT NULL,
	tax      INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq, class),
	FOREIGN KEY (terminal, seq) REFERENCES sales(terminal, seq)
) WITHOUT ROWID;

CREATE TABLE sale_tenders (
	terminal INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	n        INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	amount   INTEGER NOT NULL,
	PRIMARY KEY (terminal, seq, n),
	FOREIGN KEY (terminal, seq) REFERENCES sales(terminal, seq)
) WITHOUT ROWID;

-- The store's stock movements from every terminal: sale lines (-qty) and
-- stock events. The store's stock is their sum per SKU.
CREATE TABLE stock_moves (
	id       INTEGER PRIMARY KEY,
	store    TEXT NOT NULL,
	sku      TEXT NOT NULL,
	qty      INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	terminal INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	FOREIGN KEY (terminal, seq) REFERENCES events(terminal, seq)
);
CREATE INDEX stock_moves_store ON stock_moves(store, sku);
