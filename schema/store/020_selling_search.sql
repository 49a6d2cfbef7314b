-- Version 20: a name index of the items this till has sold (item_sales),
-- beside the index of the whole catalogue. At a million items a two-word
-- prefix query matches tens of thousands of items; finding which of them
-- sell cost 20-60 ms a query through the big index. The items a till sells
-- are a few thousand to tens of thousands, so the same query on this index
-- takes well under a millisecond and the first screen comes from it
-- (store_item_search). Same tokenizer and prefix indexes as items_fts.
--
-- Kept by triggers: an item's first sale adds it (item_sales' insert),
-- a renamed or removed item follows. A big catalogue build writes
-- items_next, not items, so its switch puts the names that changed
-- (pos/store/store_catgen.c, selling_follow).
CREATE VIRTUAL TABLE selling_fts USING fts5(
	name, sku,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);

INSERT INTO selling_fts(rowid, name, sku)
	SELECT i.id, i.name, i.sku FROM item_sales s JOIN items i ON i.id = s.item_id;

CREATE TRIGGER item_sales_selling AFTER INSERT ON item_sales
BEGIN
	INSERT OR REPLACE INTO selling_fts(rowid, name, sku)
		SELECT id, name, sku FROM items WHERE id = NEW.item_id;
END;
CREATE TRIGGER item_sales_unselling AFTER DELETE ON item_sales
BEGIN
	DELETE FROM selling_fts WHERE rowid = OLD.item_id;
END;
CREATE TRIGGER items_selling_rename AFTER UPDATE OF name, sku ON items
WHEN EXISTS (SELECT 1 FROM item_sales WHERE item_id = NEW.id)
BEGIN
	INSERT OR REPLACE INTO selling_fts(rowid, name, sku) VALUES (NEW.id, NEW.name, NEW.sku);
END;
CREATE TRIGGER items_selling_delete AFTER DELETE ON items
BEGIN
	DELETE FROM selling_fts WHERE rowid = OLD.id;
END;
