-- Version 2: full-text name search over the catalogue (FTS5, prefix
-- queries), kept in step with items by triggers. Existing items are indexed
-- by the rebuild at the end.
CREATE VIRTUAL TABLE items_fts USING fts5(
	name, sku,
	content = 'items', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);

CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
	INSERT INTO items_fts(rowid, name, sku) VALUES (NEW.id, NEW.name, NEW.sku);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
	INSERT INTO items_fts(items_fts, rowid, name, sku) VALUES ('delete', OLD.id, OLD.name, OLD.sku);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF name, sku ON items BEGIN
	INSERT INTO items_fts(items_fts, rowid, name, sku) VALUES ('delete', OLD.id, OLD.name, OLD.sku);
	INSERT INTO items_fts(rowid, name, sku) VALUES (NEW.id, NEW.name, NEW.sku);
END;

INSERT INTO items_fts(items_fts) VALUES ('rebuild');
