-- coopmart store database, version 1.
-- One database per terminal. Money in rupiah (integers), quantities in
-- thousandths (1 piece = 1000). Times are unix seconds (UTC); business
-- dates are yyyymmdd integers in the store's local time.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- PPN rates by date. class: 0 exempt, 1 standard, 2 luxury. The effective
-- rate on the net price is rate_bp/10000 * base_num/base_den.
CREATE TABLE tax_rates (
	class      INTEGER NOT NULL CHECK (class BETWEEN 0 AND 2),
	valid_from INTEGER NOT NULL,            -- yyyymmdd, inclusive
	rate_bp    INTEGER NOT NULL CHECK (rate_bp >= 0),
	base_num   INTEGER NOT NULL CHECK (base_num > 0),
	base_den   INTEGER NOT NULL CHECK (base_den > 0),
	PRIMARY KEY (class, valid_from)
) WITHOUT ROWID;

INSERT INTO tax_rates VALUES
	(1, 19850101, 1000, 1, 1),   -- PPN 10%
	(2, 19850101, 1000, 1, 1),
	(1, 20220401, 1100, 1, 1),   -- UU HPP: 11% from April 2022
	(2, 20220401, 1100, 1, 1),
	(1, 20250101, 1200, 11, 12), -- 12% on a base of 11/12: effective 11%
	(2, 20250101, 1200, 1, 1);   -- luxury goods: full 12%

-- In-store scale labels, see pos/core/barcode.h for the template letters.
CREATE TABLE scale_formats (
	prefix   TEXT PRIMARY KEY CHECK (length(prefix) = 2 AND prefix BETWEEN '20' AND '29'),
	template TEXT NOT NULL CHECK (length(template) = 13)
) WITHOUT ROWID;

CREATE TABLE categories (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE suppliers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE items (
	id           INTEGER PRIMARY KEY,
	sku          TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	receipt_name TEXT NOT NULL,
	unit         TEXT NOT NULL DEFAULT 'pcs',
	weighed      INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),
	price        INTEGER NOT NULL CHECK (price >= 0),          -- per piece or per kg
	member_price INTEGER NOT NULL DEFAULT 0 CHECK (member_price >= 0), -- 0 = price
	tax_class    INTEGER NOT NULL DEFAULT 1 CHECK (tax_class BETWEEN 0 AND 2),
	category_id  INTEGER REFERENCES categories(id),
	supplier_id  INTEGER REFERENCES suppliers(id),
	plu          INTEGER UNIQUE,                               -- scale item code
	active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	updated_at   INTEGER NOT NULL
);

-- Several barcodes per item; pack_qty is what one scan adds (a carton of
-- 12 = 12000).
CREATE TABLE barcodes (
	code     TEXT PRIMARY KEY,
	item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	pack_qty INTEGER NOT NULL DEFAULT 1000 CHECK (pack_qty > 0)
) WITHOUT ROWID;
CREATE INDEX barcodes_item ON barcodes(item_id);

CREATE TABLE members (
	id        INTEGER PRIMARY KEY,
	number    TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL,
	card_code TEXT UNIQUE,
	status    TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left', 'blocked'))
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	number        TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          INTEGER NOT NULL CHECK (role BETWEEN 0 AND 2), -- cashier, supervisor, admin
	pin_hash      TEXT NOT NULL,          -- libsodium crypto_pwhash_str (Argon2id)
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at    INTEGER NOT NULL
);

-- The journal: append-only, one gap-free sequence per terminal, each event
-- hashed over the previous hash and its canonical bytes (pos/core/chain.h).
CREATE TABLE journal (
	terminal_id TEXT NOT NULL,
	seq         INTEGER NOT NULL CHECK (seq > 0),
	type        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	user_id     INTEGER NOT NULL DEFAULT 0,
	payload     TEXT NOT NULL,
	prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
	hash        BLOB NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_contiguous BEFORE INSERT ON journal
WHEN NEW.seq <> COALESCE((SELECT max(seq) FROM journal WHERE terminal_id = NEW.terminal_id), 0) + 1
  OR NEW.prev_hash <> COALESCE((SELECT hash FROM journal WHERE terminal_id = NEW.terminal_id
                                AND seq = NEW.seq - 1), zeroblob(32))
BEGIN SELECT RAISE(ABORT, 'journal sequence must continue the chain'); END;

-- Stock: the store's quantity as of the last snapshot pulled from HQ plus
-- this terminal's own movements since (DESIGN.md, "Several tills").
CREATE TABLE stock_snapshot (
	item_id INTEGER PRIMARY KEY REFERENCES items(id),
	qty     INTEGER NOT NULL,
	as_of   INTEGER NOT NULL
);

CREATE TABLE stock_movements (
	id          INTEGER PRIMARY KEY,
	item_id     INTEGER NOT NULL REFERENCES items(id),
	qty         INTEGER NOT NULL,         -- signed thousandths; a sale is negative
	kind        TEXT NOT NULL,            -- 'sale', 'receive', 'adjust', 'count' ...
	ref         TEXT,                     -- receipt number, delivery note ...
	journal_seq INTEGER NOT NULL,
	at          INTEGER NOT NULL
);
CREATE INDEX stock_movements_item ON stock_movements(item_id, at);

CREATE TABLE stock_levels (
	item_id INTEGER PRIMARY KEY REFERENCES items(id),
	qty     INTEGER NOT NULL
);

CREATE TRIGGER stock_movement_level AFTER INSERT ON stock_movements
BEGIN
	INSERT OR IGNORE INTO stock_levels(item_id, qty)
		VALUES (NEW.item_id, COALESCE((SELECT qty FROM stock_snapshot WHERE item_id = NEW.item_id), 0));
	UPDATE stock_levels SET qty = qty + NEW.qty WHERE item_id = NEW.item_id;
END;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;

-- Completed sales: written once, in the transaction that journals them.
CREATE TABLE sales (
	id              INTEGER PRIMARY KEY,
	receipt_no      TEXT NOT NULL UNIQUE,
	terminal_id     TEXT NOT NULL,
	cashier_id      INTEGER NOT NULL REFERENCES users(id),
	member_id       INTEGER REFERENCES members(id),
	opened_at       INTEGER NOT NULL,
	completed_at    INTEGER NOT NULL,
	business_date   INTEGER NOT NULL,
	gross           INTEGER NOT NULL,
	line_discounts  INTEGER NOT NULL,
	ticket_discount INTEGER NOT NULL,
	total           INTEGER NOT NULL,
	rounding        INTEGER NOT NULL,
	due             INTEGER NOT NULL,
	paid            INTEGER NOT NULL,
	change          INTEGER NOT NULL,
	journal_seq     INTEGER NOT NULL UNIQUE
);
CREATE INDEX sales_date ON sales(business_date);

CREATE TABLE sale_taxes (
	sale_id  INTEGER NOT NULL REFERENCES sales(id),
	class    INTEGER NOT NULL,
	total    INTEGER NOT NULL,   -- tax inclusive, after discounts
	tax      INTEGER NOT NULL,   -- extracted PPN (0 when not PKP)
	rate_bp  INTEGER NOT NULL,
	base_num INTEGER NOT NULL,
	base_den INTEGER NOT NULL,
	PRIMARY KEY (sale_id, class)
) WITHOUT ROWID;

CREATE TABLE sale_lines (
	sale_id         INTEGER NOT NULL REFERENCES sales(id),
	line_no         INTEGER NOT NULL,
	item_id         INTEGER NOT NULL REFERENCES items(id),
	sku             TEXT NOT NULL,
	barcode         TEXT NOT NULL,
	name            TEXT NOT NULL,
	receipt_name    TEXT NOT NULL,
	unit            TEXT NOT NULL,
	weighed         INTEGER NOT NULL,
	tax_class       INTEGER NOT NULL,
	unit_price      INTEGER NOT NULL,
	list_price      INTEGER NOT NULL,
	qty             INTEGER NOT NULL,
	disc_kind       INTEGER NOT NULL,
	disc_value      INTEGER NOT NULL,
	fixed_amount    INTEGER NOT NULL,   -- price-embedded scale label, 0 = none
	amount          INTEGER NOT NULL,
	line_discount   INTEGER NOT NULL,
	ticket_discount INTEGER NOT NULL,
	net             INTEGER NOT NULL,
	voided          INTEGER NOT NULL,
	price_override_by INTEGER NOT NULL,
	PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

CREATE TABLE sale_tenders (
	sale_id INTEGER NOT NULL REFERENCES sales(id),
	n       INTEGER NOT NULL,
	kind    INTEGER NOT NULL,          -- 0 cash, 1 debit, 2 QRIS
	amount  INTEGER NOT NULL,
	ref     TEXT NOT NULL,
	PRIMARY KEY (sale_id, n)
) WITHOUT ROWID;

CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_tenders_no_update BEFORE UPDATE ON sale_tenders
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_tenders_no_delete BEFORE DELETE ON sale_tenders
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_taxes_no_update BEFORE UPDATE ON sale_taxes
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;
CREATE TRIGGER sale_taxes_no_delete BEFORE DELETE ON sale_taxes
BEGIN SELECT RAISE(ABORT, 'completed sales cannot be changed'); END;

-- Tickets being rung up or suspended, saved on every change so that a
-- crash or power cut loses nothing the cashier has scanned.
CREATE TABLE open_tickets (
	id          INTEGER PRIMARY KEY,
	state       INTEGER NOT NULL CHECK (state IN (0, 1)),   -- active, suspended
	cashier_id  INTEGER NOT NULL REFERENCES users(id),
	member_id   INTEGER REFERENCES members(id),
	opened_at   INTEGER NOT NULL,
	subtotaled  INTEGER NOT NULL DEFAULT 0,
	disc_kind   INTEGER NOT NULL DEFAULT 0,
	disc_value  INTEGER NOT NULL DEFAULT 0,
	label       TEXT NOT NULL DEFAULT '',
	updated_at  INTEGER NOT NULL
);

CREATE TABLE open_ticket_lines (
	ticket_id    INTEGER NOT NULL REFERENCES open_tickets(id) ON DELETE CASCADE,
	line_no      INTEGER NOT NULL,
	item_id      INTEGER NOT NULL REFERENCES items(id),
	sku          TEXT NOT NULL,
	barcode      TEXT NOT NULL,
	name         TEXT NOT NULL,
	receipt_name TEXT NOT NULL,
	unit         TEXT NOT NULL,
	weighed      INTEGER NOT NULL,
	tax_class    INTEGER NOT NULL,
	unit_price   INTEGER NOT NULL,
	list_price   INTEGER NOT NULL,
	qty          INTEGER NOT NULL,
	disc_kind    INTEGER NOT NULL,
	disc_value   INTEGER NOT NULL,
	fixed_amount INTEGER NOT NULL,
	voided       INTEGER NOT NULL,
	price_override_by INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, line_no)
) WITHOUT ROWID;

CREATE TABLE open_ticket_tenders (
	ticket_id INTEGER NOT NULL REFERENCES open_tickets(id) ON DELETE CASCADE,
	n         INTEGER NOT NULL,
	kind      INTEGER NOT NULL,
	amount    INTEGER NOT NULL,
	ref       TEXT NOT NULL,
	PRIMARY KEY (ticket_id, n)
) WITHOUT ROWID;
