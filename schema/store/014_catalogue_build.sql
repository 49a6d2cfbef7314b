-- Version 14: a big catalogue change is built beside the live catalogue
-- and switched in with one short transaction (pos/store/store_catgen.c), so
-- the till never waits for a pull.
--
-- The switch renames tables, so nothing on items or barcodes may hang on
-- a named index (an index cannot be renamed): barcodes' index on item_id
-- becomes a UNIQUE constraint, whose automatic index follows its table.
CREATE TABLE barcodes_new (
	code     TEXT PRIMARY KEY,
	item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	pack_qty INTEGER NOT NULL DEFAULT 1000 CHECK (pack_qty > 0),
	UNIQUE (item_id, code)
) WITHOUT ROWID;
INSERT INTO barcodes_new(code, item_id, pack_qty) SELECT code, item_id, pack_qty FROM barcodes;
DROP TABLE barcodes;
ALTER TABLE barcodes_new RENAME TO barcodes;

-- The build under way, at most one. upto: the staged catalogue pull it
-- builds (catalogue_staging.upto). phase: 0 copying the live rows into
-- items_next/barcodes_next, 1 applying the staged rows, 2 indexing names
-- in a scratch file, 3 and 4 copying that index into items_fts_next (its
-- data, then document sizes, term index and config), 5 ready to switch.
-- cursor: the last items.id copied, staged n applied or index row copied.
-- rev: catalogue_rev.n when the copy began; a different n at the switch
-- means the live catalogue changed meanwhile and the build starts again.
-- upto -1 is a local import (coopmart import items) staged the same way.
-- A build not touched for 10 minutes is taken over by the next change.
CREATE TABLE catalogue_build (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	upto     INTEGER NOT NULL,
	phase    INTEGER NOT NULL DEFAULT 0 CHECK (phase BETWEEN 0 AND 5),
	cursor   INTEGER NOT NULL DEFAULT 0,
	rev      INTEGER NOT NULL,
	upserted INTEGER NOT NULL DEFAULT 0,
	deleted  INTEGER NOT NULL DEFAULT 0,
	touched  INTEGER NOT NULL DEFAULT 0   -- unix seconds of the last step
);

-- Counts writes to the live catalogue while a build is under way (only
-- then: an import pays one lookup a row otherwise).
CREATE TABLE catalogue_rev (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO catalogue_rev(id) VALUES (1);

CREATE TRIGGER items_rev_insert AFTER INSERT ON items
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
CREATE TRIGGER items_rev_update AFTER UPDATE ON items
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
CREATE TRIGGER items_rev_delete AFTER DELETE ON items
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
CREATE TRIGGER barcodes_rev_insert AFTER INSERT ON barcodes
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
CREATE TRIGGER barcodes_rev_update AFTER UPDATE ON barcodes
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
CREATE TRIGGER barcodes_rev_delete AFTER DELETE ON barcodes
WHEN EXISTS (SELECT 1 FROM catalogue_build)
BEGIN UPDATE catalogue_rev SET n = n + 1; END;
