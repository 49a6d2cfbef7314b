-- Version 3: purchase orders HQ sends a store. Each import takes the next
-- 'orders' version; a store's terminals pull the orders above the version
-- they have (GET /v1/orders) and offer them when a delivery is received.
-- An order is never changed once imported: a corrected order is a new
-- number.
INSERT INTO versions VALUES ('orders', 0);

CREATE TABLE purchase_orders (
	store      TEXT NOT NULL REFERENCES stores(code),
	po_no      TEXT NOT NULL,
	supplier   TEXT NOT NULL,
	ordered_on INTEGER NOT NULL,          -- yyyymmdd
	version    INTEGER NOT NULL,
	PRIMARY KEY (store, po_no)
) WITHOUT ROWID;
CREATE INDEX purchase_orders_version ON purchase_orders(store, version);

CREATE TABLE purchase_order_lines (
	store   TEXT NOT NULL,
	po_no   TEXT NOT NULL,
	line    INTEGER NOT NULL,
	sku     TEXT NOT NULL REFERENCES items(sku),
	qty     INTEGER NOT NULL CHECK (qty > 0),       -- thousandths
	cost    INTEGER NOT NULL CHECK (cost >= 0),     -- rupiah per piece or kg
	PRIMARY KEY (store, po_no, line),
	FOREIGN KEY (store, po_no) REFERENCES purchase_orders(store, po_no)
) WITHOUT ROWID;
