-- Version 8: the online store, as schema/hq/sqlite/011_shop.sql (read the
-- reasons there).
INSERT INTO versions VALUES ('shop_orders', 0);
INSERT INTO versions VALUES ('shop_seq', 0);

CREATE TABLE member_web_pins (
	member       text COLLATE "C" PRIMARY KEY REFERENCES members(number),
	pinhash      text NOT NULL,
	failed       bigint NOT NULL DEFAULT 0,
	locked_until bigint NOT NULL DEFAULT 0,
	set_at       bigint NOT NULL,
	set_by       text NOT NULL
);

CREATE TABLE shop_sessions (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	member     text COLLATE "C" NOT NULL REFERENCES members(number),
	csrf       text NOT NULL,
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL
);

CREATE TABLE shop_settings (
	store           text COLLATE "C" PRIMARY KEY REFERENCES stores(code),
	tz_min          bigint NOT NULL DEFAULT 420,
	open_min        bigint NOT NULL DEFAULT 480  CHECK (open_min BETWEEN 0 AND 1440),
	close_min       bigint NOT NULL DEFAULT 1200 CHECK (close_min BETWEEN 0 AND 1440),
	slot_min        bigint NOT NULL DEFAULT 60   CHECK (slot_min > 0),
	cutoff_min      bigint NOT NULL DEFAULT 120  CHECK (cutoff_min >= 0),
	expire_min      bigint NOT NULL DEFAULT 1440 CHECK (expire_min > 0),
	max_open_orders bigint NOT NULL DEFAULT 3    CHECK (max_open_orders > 0),
	max_line_qty    bigint NOT NULL DEFAULT 20000 CHECK (max_line_qty > 0)
);

CREATE TABLE shop_orders (
	id              text COLLATE "C" PRIMARY KEY,
	store           text COLLATE "C" NOT NULL REFERENCES stores(code),
	member          text COLLATE "C" NOT NULL REFERENCES members(number),
	client_key      text NOT NULL,
	slot_start      bigint NOT NULL,
	slot_end        bigint NOT NULL,
	expires_at      bigint NOT NULL,
	status          text NOT NULL CHECK (status IN ('placed', 'ready', 'collected', 'expired', 'cancelled')),
	total           bigint NOT NULL CHECK (total >= 0),
	picked_total    bigint,
	placed_at       bigint NOT NULL,
	updated_at      bigint NOT NULL,
	version         bigint NOT NULL,
	sale_terminal   text COLLATE "C",
	sale_seq        bigint,
	sale_receipt    text,
	collected_total bigint,
	collected_at    bigint,
	UNIQUE (member, client_key)
);
CREATE INDEX shop_orders_store ON shop_orders(store, version);
CREATE INDEX shop_orders_member ON shop_orders(member, placed_at);

CREATE TABLE shop_order_lines (
	order_id    text COLLATE "C" NOT NULL REFERENCES shop_orders(id),
	line        bigint NOT NULL,
	sku         text COLLATE "C" NOT NULL REFERENCES items(sku),
	qty         bigint NOT NULL CHECK (qty > 0),
	price       bigint NOT NULL CHECK (price >= 0),
	picked_qty  bigint CHECK (picked_qty >= 0),
	pick_status text CHECK (pick_status IN ('picked', 'short', 'substituted')),
	sub_sku     text COLLATE "C" REFERENCES items(sku),
	PRIMARY KEY (order_id, line)
);
