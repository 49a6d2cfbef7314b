-- Version 6: returns, deliveries (receiving) and stock adjustments.
--
-- Stock always moves through stock_movements (001): kinds 'return' (goods
-- back on the shelf), 'receive' (a posted delivery), 'adjust' (ref = the
-- reason: expired, lost, own_use, found) and 'damaged' (out of sellable
-- stock into the damaged bin below). A damaged return is two movements: a
-- 'return' of +qty and a 'damaged' of -qty, so HQ sees both.

-- The damaged-stock bin: what was taken out of sellable stock as damaged
-- and is waiting for the supplier or the bin. Kept by the trigger below.
CREATE TABLE damaged_stock (
	item_id INTEGER PRIMARY KEY REFERENCES items(id),
	qty     INTEGER NOT NULL
);
CREATE TRIGGER stock_movement_damaged AFTER INSERT ON stock_movements
WHEN NEW.kind = 'damaged'
BEGIN
	INSERT OR IGNORE INTO damaged_stock(item_id, qty) VALUES (NEW.item_id, 0);
	UPDATE damaged_stock SET qty = qty - NEW.qty WHERE item_id = NEW.item_id;
END;

-- Returns. sale_id NULL: a return without a receipt (supervisor only,
-- catalogue price, cash). return_no is "<terminal>-R<id>", never reused
-- (rows cannot be deleted). total: the refund before cash rounding (sum of
-- the lines); refund = total + rounding, what was paid out.
CREATE TABLE returns (
	id            INTEGER PRIMARY KEY,
	return_no     TEXT NOT NULL UNIQUE,
	terminal_id   TEXT NOT NULL,
	sale_id       INTEGER REFERENCES sales(id),
	cashier_id    INTEGER NOT NULL REFERENCES users(id),
	approver_id   INTEGER NOT NULL REFERENCES users(id),
	reason        TEXT NOT NULL,
	at            INTEGER NOT NULL,
	business_date INTEGER NOT NULL,
	total         INTEGER NOT NULL CHECK (total > 0),
	rounding      INTEGER NOT NULL,
	refund        INTEGER NOT NULL,
	journal_seq   INTEGER NOT NULL UNIQUE
);
CREATE INDEX returns_sale ON returns(sale_id);
CREATE INDEX returns_date ON returns(business_date);

-- One row per returned sale line (sale_line = its line_no; NULL without a
-- receipt). amount: the refund of this line, its share of the sale line's
-- net after line and ticket discounts. damaged = 1: to the damaged bin.
CREATE TABLE return_lines (
	return_id    INTEGER NOT NULL REFERENCES returns(id),
	n            INTEGER NOT NULL,
	sale_line    INTEGER,
	item_id      INTEGER NOT NULL REFERENCES items(id),
	sku          TEXT NOT NULL,
	name         TEXT NOT NULL,
	receipt_name TEXT NOT NULL,
	unit         TEXT NOT NULL,
	weighed      INTEGER NOT NULL,
	tax_class    INTEGER NOT NULL,
	unit_price   INTEGER NOT NULL,
	qty          INTEGER NOT NULL CHECK (qty > 0),
	amount       INTEGER NOT NULL CHECK (amount >= 0),
	damaged      INTEGER NOT NULL CHECK (damaged IN (0, 1)),
	PRIMARY KEY (return_id, n)
) WITHOUT ROWID;

-- The guard of last resort: never more back than was sold on that line,
-- across every return of the sale (the engine checks first and says so).
CREATE TRIGGER return_lines_not_more_than_sold BEFORE INSERT ON return_lines
WHEN NEW.sale_line IS NOT NULL AND NEW.qty + COALESCE((
	SELECT sum(l.qty) FROM return_lines l JOIN returns r ON r.id = l.return_id
	WHERE r.sale_id = (SELECT sale_id FROM returns WHERE id = NEW.return_id)
	  AND l.sale_line = NEW.sale_line), 0) > COALESCE((
	SELECT s.qty FROM sale_lines s
	WHERE s.sale_id = (SELECT sale_id FROM returns WHERE id = NEW.return_id)
	  AND s.line_no = NEW.sale_line AND s.voided = 0), 0)
BEGIN SELECT RAISE(ABORT, 'return exceeds what was sold'); END;

CREATE TABLE return_taxes (
	return_id INTEGER NOT NULL REFERENCES returns(id),
	class     INTEGER NOT NULL,
	total     INTEGER NOT NULL,   -- refunded, tax inclusive
	tax       INTEGER NOT NULL,   -- PPN inside it (0 when not PKP)
	PRIMARY KEY (return_id, class)
) WITHOUT ROWID;

-- How the refund was paid out: kind as sale_tenders (0 cash, 1 debit,
-- 2 QRIS); ref: the original tender's reference for a card/QRIS refund.
CREATE TABLE return_tenders (
	return_id INTEGER NOT NULL REFERENCES returns(id),
	n         INTEGER NOT NULL,
	kind      INTEGER NOT NULL,
	amount    INTEGER NOT NULL CHECK (amount > 0),
	ref       TEXT NOT NULL,
	PRIMARY KEY (return_id, n)
) WITHOUT ROWID;

CREATE TRIGGER returns_no_update BEFORE UPDATE ON returns
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER returns_no_delete BEFORE DELETE ON returns
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_lines_no_update BEFORE UPDATE ON return_lines
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_lines_no_delete BEFORE DELETE ON return_lines
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_taxes_no_update BEFORE UPDATE ON return_taxes
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_taxes_no_delete BEFORE DELETE ON return_taxes
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_tenders_no_update BEFORE UPDATE ON return_tenders
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;
CREATE TRIGGER return_tenders_no_delete BEFORE DELETE ON return_tenders
BEGIN SELECT RAISE(ABORT, 'completed returns cannot be changed'); END;

-- Purchase orders sent by HQ (the sync pull may fill these); a delivery
-- may name one. Nothing in the till creates them.
CREATE TABLE purchase_orders (
	id          INTEGER PRIMARY KEY,
	po_no       TEXT NOT NULL UNIQUE,
	supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
	ordered_at  INTEGER NOT NULL,
	status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);
CREATE TABLE purchase_order_lines (
	po_id     INTEGER NOT NULL REFERENCES purchase_orders(id),
	line_no   INTEGER NOT NULL,
	item_id   INTEGER NOT NULL REFERENCES items(id),
	qty       INTEGER NOT NULL CHECK (qty > 0),
	unit_cost INTEGER NOT NULL CHECK (unit_cost >= 0),
	PRIMARY KEY (po_id, line_no)
) WITHOUT ROWID;

-- Deliveries being received: a draft (state 0) is saved as it is scanned
-- and survives restarts; posting (state 1) writes the stock movements and
-- the journal event, after which nothing about it may change.
CREATE TABLE deliveries (
	id          INTEGER PRIMARY KEY,
	supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
	po_id       INTEGER REFERENCES purchase_orders(id),
	note        TEXT NOT NULL DEFAULT '',   -- the supplier's delivery note number
	state       INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),
	created_by  INTEGER NOT NULL REFERENCES users(id),
	created_at  INTEGER NOT NULL,
	posted_by   INTEGER REFERENCES users(id),
	posted_at   INTEGER,
	journal_seq INTEGER UNIQUE
);

-- unit_cost: rupiah per piece (or per kg for weighed items), tax inclusive.
CREATE TABLE delivery_lines (
	delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
	line_no     INTEGER NOT NULL,
	item_id     INTEGER NOT NULL REFERENCES items(id),
	barcode     TEXT NOT NULL,
	qty         INTEGER NOT NULL CHECK (qty > 0),
	unit_cost   INTEGER NOT NULL CHECK (unit_cost >= 0),
	PRIMARY KEY (delivery_id, line_no)
) WITHOUT ROWID;

-- Barcodes the catalogue does not know, parked for HQ with the delivery
-- (never invented as local items). HQ creates the item; the next catalogue
-- pull brings it.
CREATE TABLE delivery_parked (
	delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
	n           INTEGER NOT NULL,
	barcode     TEXT NOT NULL,
	description TEXT NOT NULL,
	qty         INTEGER NOT NULL CHECK (qty > 0),
	unit_cost   INTEGER NOT NULL CHECK (unit_cost >= 0),
	PRIMARY KEY (delivery_id, n)
) WITHOUT ROWID;

CREATE TRIGGER deliveries_posted_no_update BEFORE UPDATE ON deliveries
WHEN OLD.state = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER deliveries_posted_no_delete BEFORE DELETE ON deliveries
WHEN OLD.state = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_lines_posted_no_insert BEFORE INSERT ON delivery_lines
WHEN (SELECT state FROM deliveries WHERE id = NEW.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_lines_posted_no_update BEFORE UPDATE ON delivery_lines
WHEN (SELECT state FROM deliveries WHERE id = OLD.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_lines_posted_no_delete BEFORE DELETE ON delivery_lines
WHEN (SELECT state FROM deliveries WHERE id = OLD.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_parked_posted_no_insert BEFORE INSERT ON delivery_parked
WHEN (SELECT state FROM deliveries WHERE id = NEW.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_parked_posted_no_update BEFORE UPDATE ON delivery_parked
WHEN (SELECT state FROM deliveries WHERE id = OLD.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
CREATE TRIGGER delivery_parked_posted_no_delete BEFORE DELETE ON delivery_parked
WHEN (SELECT state FROM deliveries WHERE id = OLD.delivery_id) = 1
BEGIN SELECT RAISE(ABORT, 'posted deliveries cannot be changed'); END;
