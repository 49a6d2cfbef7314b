-- Stock counts and the item attributes stock work needs (README "Stock
-- counts and stock reports"). Quantities are thousandths like
-- stock_movements.qty; money is rupiah.

-- Per item: the shelf zone it lives in, the level under which it should be
-- reordered (thousandths; 0 = no reorder level) and its cost price per
-- piece or per kg (rupiah; 0 = unknown). One row per item that has any.
CREATE TABLE item_stock_info (
	item_id       INTEGER PRIMARY KEY REFERENCES items(id),
	zone          TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
	reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
	cost          INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
	updated_at    INTEGER NOT NULL
);
CREATE INDEX item_stock_info_zone ON item_stock_info(zone);

-- A count. scope: 'all' the whole store, 'category' or 'zone' named by
-- scope_value. mark: the highest stock_movements.id when it started; the
-- expected quantity of an item is its snapshot qty plus its movements with
-- id > mark. journal_seq: the event that posted or abandoned it.
CREATE TABLE stock_counts (
	id          INTEGER PRIMARY KEY,
	scope       TEXT NOT NULL CHECK (scope IN ('all', 'category', 'zone')),
	scope_value TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL CHECK (status IN ('open', 'paused', 'posted', 'abandoned')),
	started_at  INTEGER NOT NULL,
	started_by  INTEGER NOT NULL REFERENCES users(id),
	mark        INTEGER NOT NULL,
	ended_at    INTEGER,
	ended_by    INTEGER REFERENCES users(id),
	journal_seq INTEGER
);
CREATE INDEX stock_counts_status ON stock_counts(status);

-- The snapshot: every item in scope with its stock level at the start.
-- final_expected/final_counted are written once, when the count is
-- posted (NULL counted: the item was never counted).
CREATE TABLE stock_count_items (
	count_id       INTEGER NOT NULL REFERENCES stock_counts(id),
	item_id        INTEGER NOT NULL REFERENCES items(id),
	snap_qty       INTEGER NOT NULL,
	final_expected INTEGER,
	final_counted  INTEGER,
	PRIMARY KEY (count_id, item_id)
) WITHOUT ROWID;
CREATE INDEX stock_count_items_item ON stock_count_items(item_id);

-- What has been counted: one line per item, the running total, who counted
-- it last and in which zone.
CREATE TABLE stock_count_lines (
	count_id   INTEGER NOT NULL REFERENCES stock_counts(id),
	item_id    INTEGER NOT NULL REFERENCES items(id),
	qty        INTEGER NOT NULL CHECK (qty >= 0),
	counted_by INTEGER NOT NULL REFERENCES users(id),
	zone       TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (count_id, item_id)
) WITHOUT ROWID;

-- Every entry a counter made: 'add', 'replace' or 'recount' (from the
-- review), what was typed and the line's total after it.
CREATE TABLE stock_count_entries (
	id       INTEGER PRIMARY KEY,
	count_id INTEGER NOT NULL REFERENCES stock_counts(id),
	item_id  INTEGER NOT NULL REFERENCES items(id),
	mode     TEXT NOT NULL CHECK (mode IN ('add', 'replace', 'recount')),
	qty      INTEGER NOT NULL,
	total    INTEGER NOT NULL,
	user_id  INTEGER NOT NULL REFERENCES users(id),
	zone     TEXT NOT NULL DEFAULT '',
	at       INTEGER NOT NULL
);
CREATE INDEX stock_count_entries_line ON stock_count_entries(count_id, item_id);

-- A posted or abandoned count is a record: nothing of it changes again.
CREATE TRIGGER stock_counts_final BEFORE UPDATE ON stock_counts
WHEN OLD.status IN ('posted', 'abandoned')
BEGIN SELECT RAISE(ABORT, 'a posted or abandoned count cannot change'); END;
CREATE TRIGGER stock_counts_no_delete BEFORE DELETE ON stock_counts
BEGIN SELECT RAISE(ABORT, 'counts are never deleted'); END;
CREATE TRIGGER stock_count_items_final BEFORE UPDATE ON stock_count_items
WHEN (SELECT status FROM stock_counts WHERE id = OLD.count_id) IN ('posted', 'abandoned')
BEGIN SELECT RAISE(ABORT, 'a posted or abandoned count cannot change'); END;
CREATE TRIGGER stock_count_items_no_delete BEFORE DELETE ON stock_count_items
BEGIN SELECT RAISE(ABORT, 'counts are never deleted'); END;
CREATE TRIGGER stock_count_lines_insert BEFORE INSERT ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = NEW.count_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'the count is not open'); END;
CREATE TRIGGER stock_count_lines_update BEFORE UPDATE ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = OLD.count_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'the count is not open'); END;
CREATE TRIGGER stock_count_lines_no_delete BEFORE DELETE ON stock_count_lines
BEGIN SELECT RAISE(ABORT, 'counts are never deleted'); END;
CREATE TRIGGER stock_count_entries_no_change BEFORE UPDATE ON stock_count_entries
BEGIN SELECT RAISE(ABORT, 'count entries are append-only'); END;
CREATE TRIGGER stock_count_entries_no_delete BEFORE DELETE ON stock_count_entries
BEGIN SELECT RAISE(ABORT, 'count entries are append-only'); END;

-- Slow movers look for an item's last sale.
CREATE INDEX stock_movements_kind_item ON stock_movements(kind, item_id, at);
