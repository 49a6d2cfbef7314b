-- Version 11: the online store (sync/PROTOCOL.md "Online orders").
--  * member_web_pins: a member's web PIN, Argon2id (crypto_pwhash_str), set
--    at HQ (`coopmart-hq member web-pin`) or at a till (event web_pin);
--    failed / locked_until as for operators (the delay doubles).
--  * shop_sessions: a logged-in member; only the BLAKE2b-256 hash of the
--    cookie is kept, csrf is the token every form of the session carries.
--  * shop_settings: per store; absent = the shop is closed for that store.
--    Times are minutes after local midnight; tz_min is the store's offset
--    from UTC in minutes (WIB 420, WITA 480, WIT 540).
--  * shop_orders: id 'OL-' and six or more digits, from shop_seq; the
--    member's client_key (a random token rendered into the checkout form)
--    makes a retried submit return the same order. version takes the
--    'shop_orders' version each time HQ changes what a till must know
--    (placed, cancelled, expired, picked on another terminal); the store's
--    terminals pull above theirs (GET /v1/shop/orders).
--    status: placed -> ready (picked at the till) -> collected (a sale
--    carried the id); placed/ready -> expired (expires_at passed) or
--    cancelled (by the member before picking).
--    Open orders (placed, ready) reserve their lines' qty from the store's
--    stock shown online; expired and cancelled release it.
--  * shop_order_lines: qty and picked_qty in thousandths, price the
--    member price per piece or kg when ordered. pick_status is NULL until
--    picked; a substituted line names the sku given instead (sub_sku),
--    sold at that item's member price at collection.
--  * shop_limits per address and per member live in memory (guard.c).
INSERT INTO versions VALUES ('shop_orders', 0);
INSERT INTO versions VALUES ('shop_seq', 0);

CREATE TABLE member_web_pins (
	member       TEXT PRIMARY KEY REFERENCES members(number),
	pinhash      TEXT NOT NULL,
	failed       INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	set_at       INTEGER NOT NULL,
	set_by       TEXT NOT NULL              -- 'hq:<operator>' or 'till:<store>/<terminal>'
) WITHOUT ROWID;

CREATE TABLE shop_sessions (
	token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
	member     TEXT NOT NULL REFERENCES members(number),
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE shop_settings (
	store           TEXT PRIMARY KEY REFERENCES stores(code),
	tz_min          INTEGER NOT NULL DEFAULT 420,
	open_min        INTEGER NOT NULL DEFAULT 480  CHECK (open_min BETWEEN 0 AND 1440),
	close_min       INTEGER NOT NULL DEFAULT 1200 CHECK (close_min BETWEEN 0 AND 1440),
	slot_min        INTEGER NOT NULL DEFAULT 60   CHECK (slot_min > 0),
	cutoff_min      INTEGER NOT NULL DEFAULT 120  CHECK (cutoff_min >= 0),
	expire_min      INTEGER NOT NULL DEFAULT 1440 CHECK (expire_min > 0),
	max_open_orders INTEGER NOT NULL DEFAULT 3    CHECK (max_open_orders > 0),
	max_line_qty    INTEGER NOT NULL DEFAULT 20000 CHECK (max_line_qty > 0) -- thousandths
) WITHOUT ROWID;

CREATE TABLE shop_orders (
	id              TEXT PRIMARY KEY,
	store           TEXT NOT NULL REFERENCES stores(code),
	member          TEXT NOT NULL REFERENCES members(number),
	client_key      TEXT NOT NULL,
	slot_start      INTEGER NOT NULL,       -- unix time
	slot_end        INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('placed', 'ready', 'collected', 'expired', 'cancelled')),
	total           INTEGER NOT NULL CHECK (total >= 0),   -- member prices, as ordered
	picked_total    INTEGER,                                -- as picked
	placed_at       INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	version         INTEGER NOT NULL,
	sale_terminal   TEXT,                   -- the collecting sale
	sale_seq        INTEGER,
	sale_receipt    TEXT,
	collected_total INTEGER,                -- the sale's due
	collected_at    INTEGER,
	UNIQUE (member, client_key)
) WITHOUT ROWID;
CREATE INDEX shop_orders_store ON shop_orders(store, version);
CREATE INDEX shop_orders_member ON shop_orders(member, placed_at);

CREATE TABLE shop_order_lines (
	order_id    TEXT NOT NULL REFERENCES shop_orders(id),
	line        INTEGER NOT NULL,
	sku         TEXT NOT NULL REFERENCES items(sku),
	qty         INTEGER NOT NULL CHECK (qty > 0),
	price       INTEGER NOT NULL CHECK (price >= 0),
	picked_qty  INTEGER CHECK (picked_qty >= 0),
	pick_status TEXT CHECK (pick_status IN ('picked', 'short', 'substituted')),
	sub_sku     TEXT REFERENCES items(sku),
	PRIMARY KEY (order_id, line)
) WITHOUT ROWID;
