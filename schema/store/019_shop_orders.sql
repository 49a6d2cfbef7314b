-- Version 19: online orders of the members' shop, pulled from HQ
-- (GET /v1/shop/orders, sync/PROTOCOL.md "Online orders"). sync_state
-- remembers the newest version pulled. An order is kept by its id: a
-- re-pulled order replaces what HQ changed, but never undoes this
-- terminal's own picking or collection (a status later in placed ->
-- ready -> collected wins; expired/cancelled only before collected).
-- Lines keep the name and GTIN HQ sent, so a pick list prints even for an
-- item this terminal has not got; picked_qty, pick_status, sub_sku and
-- sub_price are the picking (this terminal's or HQ's).
-- open_tickets.shop_order: the order a ticket collects; the sale's
-- journal event carries it and completing the sale marks it collected.
ALTER TABLE sync_state ADD COLUMN shop_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE open_tickets ADD COLUMN shop_order TEXT NOT NULL DEFAULT '';

CREATE TABLE shop_orders (
	id           TEXT PRIMARY KEY,
	status       TEXT NOT NULL CHECK (status IN ('placed', 'ready', 'collected', 'expired', 'cancelled')),
	member_no    TEXT NOT NULL,
	member_name  TEXT NOT NULL,
	placed_at    INTEGER NOT NULL,
	slot_start   INTEGER NOT NULL,
	slot_end     INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	total        INTEGER NOT NULL CHECK (total >= 0),
	picked_total INTEGER,
	version      INTEGER NOT NULL,          -- HQ's, as last pulled
	sale_id      INTEGER REFERENCES sales(id) -- this terminal's collecting sale
) WITHOUT ROWID;
CREATE INDEX shop_orders_slot ON shop_orders(status, slot_start);

CREATE TABLE shop_order_lines (
	order_id    TEXT NOT NULL REFERENCES shop_orders(id),
	line        INTEGER NOT NULL,
	sku         TEXT NOT NULL,
	gtin        TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL,
	qty         INTEGER NOT NULL CHECK (qty > 0),
	price       INTEGER NOT NULL CHECK (price >= 0),
	pick_status TEXT CHECK (pick_status IN ('picked', 'short', 'substituted')),
	picked_qty  INTEGER,
	sub_sku     TEXT,
	sub_price   INTEGER,
	PRIMARY KEY (order_id, line)
) WITHOUT ROWID;
