-- Version 4: the shape the PostgreSQL schema has (schema/hq/pg/), so that
-- one set of queries serves both backends (sync/hq/db.h).
--  * Every per-store table carries its store code: events, heads and the
--    sales and returns' parts gain a `store` column. (PostgreSQL leads
--    their keys with it, ready to be distributed by store; SQLite keeps
--    its keys, the terminal id being unique anyway: sync/hq/SCALE.md.)
--  * An operator token reads its own store's reports unless enrolled for
--    all stores (all_stores = 1).
--  * Alerts are coalesced: a terminal's alert of the same kind as its
--    newest counts up (count, last_at, last_detail) instead of adding a
--    row per refused push.
DROP TRIGGER events_no_update;
ALTER TABLE events ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE events SET store = (SELECT t.store FROM terminals t WHERE t.id = events.terminal);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

ALTER TABLE heads ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE heads SET store = (SELECT t.store FROM terminals t WHERE t.id = heads.terminal);

ALTER TABLE sale_taxes ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE sale_taxes SET store = (SELECT s.store FROM sales s
                               WHERE s.terminal = sale_taxes.terminal AND s.seq = sale_taxes.seq);
ALTER TABLE sale_tenders ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE sale_tenders SET store = (SELECT s.store FROM sales s
                                 WHERE s.terminal = sale_tenders.terminal AND s.seq = sale_tenders.seq);
ALTER TABLE return_taxes ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE return_taxes SET store = (SELECT r.store FROM returns r
                                 WHERE r.terminal = return_taxes.terminal AND r.seq = return_taxes.seq);
ALTER TABLE return_tenders ADD COLUMN store TEXT NOT NULL DEFAULT '';
UPDATE return_tenders SET store = (SELECT r.store FROM returns r
                                   WHERE r.terminal = return_tenders.terminal AND r.seq = return_tenders.seq);

ALTER TABLE terminals ADD COLUMN all_stores INTEGER NOT NULL DEFAULT 0 CHECK (all_stores IN (0, 1));

ALTER TABLE alerts ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alerts ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN last_detail TEXT NOT NULL DEFAULT '';
UPDATE alerts SET last_at = at, last_detail = detail;
CREATE INDEX alerts_terminal ON alerts(store, terminal, id);
